#!/usr/bin/env node
// Runs the theme's real search code (guidebook-search.js) in Node against a built site and
// reports, for each query, the bytes and files it loads and its top results. Used by
// scripts/bench (the bytes the heaviest search loads) and handy when tuning ranking.
//
// Usage: node scripts/search-probe.js SITE_DIR QUERY... > results.json
//        node scripts/search-probe.js SITE_DIR --tsv tests/search-queries.tsv
// Each query starts from a fresh page (nothing loaded), as a reader's first search does.
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const [site, ...args] = process.argv.slice(2);
if (!site || !args.length) {
  console.error('usage: search-probe.js SITE_DIR QUERY... | --tsv FILE');
  process.exit(2);
}
const assets = fs.readdirSync(path.join(site, 'assets'));
const entryName = assets.find(n => /^search(-[0-9a-f]+)?\.js$/.test(n));
const searchScript = assets.find(n => /^guidebook-search(-[0-9a-f]+)?\.js$/.test(n));
if (!entryName || !searchScript) {
  console.error(`${site}: no assets/search-*.js or guidebook-search-*.js: is it a built guidebook site?`);
  process.exit(2);
}
const searchCode = fs.readFileSync(path.join(site, 'assets', searchScript), 'utf8');

// A fresh window that loads scripts from the site folder and counts their bytes.
function freshPage() {
  const loaded = [];
  const head = {
    append(script) {
      setImmediate(() => {
        const file = path.join(site, decodeURI(script.src));
        let code;
        try {
          code = fs.readFileSync(file, 'utf8');
        } catch (e) {
          return script.onerror && script.onerror();
        }
        loaded.push({ file: script.src, bytes: Buffer.byteLength(code) });
        vm.runInContext(code, context, { filename: file });
        if (script.onload) script.onload();
      });
    },
  };
  const document = {
    documentElement: { dataset: { root: '' } },
    head,
    getElementById: () => null,
    createElement: () => ({ dataset: {}, remove() {} }),
  };
  const context = vm.createContext({ document, console, setTimeout, clearTimeout });
  context.window = context;
  // As guidebook.js leaves it: the manifest and the word lookup.
  context.guidebook = { manifest: { searchIndex: 'assets/' + entryName }, t: key => key };
  vm.runInContext(searchCode, context, { filename: searchScript });
  return { search: context.guidebook.search, loaded };
}

async function probe(query) {
  const page = freshPage();
  const start = process.hrtime.bigint();
  const found = await page.search.query(query);
  const firstMs = Number(process.hrtime.bigint() - start) / 1e6;
  // The same query again, everything loaded: the time a keystroke costs (the best of three, as
  // the first runs also pay for compiling the code).
  let warmMs = Infinity;
  for (let i = 0; i < 3; i++) {
    const again = process.hrtime.bigint();
    await page.search.query(query);
    warmMs = Math.min(warmMs, Number(process.hrtime.bigint() - again) / 1e6);
  }
  return {
    query,
    bytes: page.loaded.reduce((s, f) => s + f.bytes, 0),
    files: page.loaded.length,
    shards: page.loaded.filter(f => /\/t\d+\.js$/.test(f.file)).length,
    fragments: page.loaded.filter(f => /\/f\d+\.js$/.test(f.file)).length,
    count: found.count,
    firstMs: Math.round(firstMs * 10) / 10,
    warmMs: Math.round(warmMs * 10) / 10,
    top: found.results.slice(0, 5).map(r => r.path + (r.anchor ? '#' + r.anchor : '')),
    suggestions: found.suggestions,
  };
}

async function main() {
  let queries = args;
  let expected = null;
  if (args[0] === '--tsv') {
    const lines = fs.readFileSync(args[1], 'utf8').split('\n').filter(l => l.trim() && !l.startsWith('#'));
    queries = lines.map(l => l.split('\t')[0]);
    expected = lines.map(l => l.split('\t')[1].trim());
  }
  const out = [];
  for (const q of queries) out.push(await probe(q));
  if (expected) {
    let missed = 0;
    out.forEach((r, i) => {
      const ok = r.top.slice(0, 3).some(p => p.split('#')[0] === expected[i]);
      if (!ok) {
        missed++;
        console.log(`MISS ${r.query}\texpected ${expected[i]}\ttop ${r.top.slice(0, 3).join(' ')}`);
      }
    });
    console.log(`${out.length - missed} of ${out.length} in the top 3; heaviest ${Math.max(...out.map(r => r.bytes))} bytes`);
  } else {
    console.log(JSON.stringify(out, null, 1));
  }
}
main().catch(e => {
  console.error(e);
  process.exit(1);
});
