// The search dialog, loaded the first time a reader opens it. It loads the small entry script
// (window.GUIDEBOOK_SEARCH: the shards' first terms, the synonyms), then for each query only the
// shards holding its terms, ranks, and loads the fragments with the text of the results it
// shows. Every file is a script that calls guidebook.search.receive(name, data), so search
// works from file:// too. src/search/ builds these files; tokens.rs splits text as `terms` does.
(function () {
  'use strict';

  const guidebook = (window.guidebook = window.guidebook || {});
  const ROOT = document.documentElement.dataset.root || '';
  const MANIFEST = guidebook.manifest || {};

  // UI words come from the book's words table (themes/default/i18n/), through guidebook.js.
  const t = (key, values) => guidebook.t(key, values);

  const SHOWN = 20;
  const DEBOUNCE_MS = 50;
  // Must match src/search/fragments.rs (DOCS_PER_FRAGMENT) and scoring.rs (IMPACT_SCALE).
  const DOCS_PER_FRAGMENT = 64;
  const IMPACT_SCALE = 10;
  // A synonym's results rank a little below the query's own.
  const SYNONYM_WEIGHT = 0.6;
  // A prefix spanning more shards than this is looked up in its own shard only.
  const MAX_PREFIX_SHARDS = 3;
  const PREFIX_WEIGHT = 0.7;

  // ---- Terms: the same rules as src/search/tokens.rs ----

  const CJK = '\\u3400-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{2ffff}';
  const TOKEN = new RegExp(`([${CJK}]+)|((?:(?![${CJK}])[\\p{Alpha}\\p{N}])+)`, 'gu');

  // Splits lower-cased text into Chinese runs and words.
  function tokens(lower) {
    const runs = [];
    const words = [];
    for (const [, run, word] of lower.matchAll(TOKEN)) {
      if (run) runs.push(run);
      else words.push(word);
    }
    return { runs, words };
  }

  // A Chinese run's overlapping character pairs; a one-character run is its own term.
  function pairs(run) {
    const chars = [...run];
    if (chars.length < 2) return chars;
    return chars.slice(1).map((c, i) => chars[i] + c);
  }

  // ---- Loading files ----

  let entry = null;
  let entryLoading = null;
  const files = new Map(); // name -> { promise, data, resolve, reject }

  // Called by every shard and fragment script.
  function receive(name, data) {
    const file = files.get(name);
    if (file) {
      file.data = data;
      file.resolve(data);
    }
  }

  function loadFile(name) {
    let file = files.get(name);
    if (file) return file.promise;
    file = {};
    file.promise = new Promise((resolve, reject) => {
      file.resolve = resolve;
      file.reject = reject;
    });
    files.set(name, file);
    const script = document.createElement('script');
    script.src = ROOT + entry.base + name + '.js';
    script.dataset.searchFile = name;
    script.onerror = () => {
      files.delete(name);
      script.remove();
      file.reject(new Error('could not load ' + script.src));
    };
    document.head.append(script);
    return file.promise;
  }

  function loadEntry() {
    if (entry) return Promise.resolve(entry);
    if (!entryLoading) {
      entryLoading = new Promise((resolve, reject) => {
        if (window.GUIDEBOOK_SEARCH) return resolve(window.GUIDEBOOK_SEARCH);
        const script = document.createElement('script');
        script.src = ROOT + MANIFEST.searchIndex;
        script.onload = () => (window.GUIDEBOOK_SEARCH ? resolve(window.GUIDEBOOK_SEARCH) : script.onerror());
        script.onerror = () => {
          script.remove();
          entryLoading = null;
          reject(new Error('could not load the search index'));
        };
        document.head.append(script);
      }).then(e => (entry = e));
    }
    return entryLoading;
  }

  // The shard whose range holds `term`: the last one starting at or before it.
  function shardOf(term) {
    const starts = entry.shards;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= term) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  // The shards that may hold words starting with `prefix`.
  function shardsOfPrefix(prefix) {
    const first = shardOf(prefix);
    const last = shardOf(prefix + '\uffff');
    if (last - first + 1 > MAX_PREFIX_SHARDS) return [first];
    const out = [];
    for (let i = first; i <= last; i++) out.push(i);
    return out;
  }

  // A loaded shard's sorted entries [[term, df, postings], ...].
  function shardEntries(i) {
    const file = files.get('t' + i);
    return (file && file.data) || [];
  }

  function findTerm(term) {
    const entries = shardEntries(shardOf(term));
    let lo = 0;
    let hi = entries.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = entries[mid][0];
      if (at === term) return entries[mid];
      if (at < term) lo = mid + 1;
      else hi = mid - 1;
    }
    return null;
  }

  // Every loaded term starting with `prefix`.
  function termsWithPrefix(prefix) {
    const out = [];
    for (const i of shardsOfPrefix(prefix)) {
      for (const e of shardEntries(i)) if (e[0].startsWith(prefix)) out.push(e);
    }
    return out;
  }

  // ---- Postings: see src/search/postings.rs ----

  const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-';
  const DIGIT = new Int8Array(128);
  for (let i = 0; i < ALPHABET.length; i++) DIGIT[ALPHABET.charCodeAt(i)] = i;
  const decoded = new Map();

  // [doc, impact, doc, impact, ...] of a term entry, decoded once.
  function postingsOf(termEntry) {
    let list = decoded.get(termEntry);
    if (list) return list;
    list = [];
    const text = termEntry[2];
    let value = 0;
    let doc = 0;
    let gap = true;
    for (let i = 0; i < text.length; i++) {
      const digit = DIGIT[text.charCodeAt(i)];
      if (digit >= 32) {
        value = value * 32 + digit - 32;
        continue;
      }
      value = value * 32 + digit;
      if (gap) {
        doc += value;
        list.push(doc);
      } else {
        list.push(value);
      }
      gap = !gap;
      value = 0;
    }
    decoded.set(termEntry, list);
    return list;
  }

  // BM25's rarity of a term held by `df` of the book's documents.
  function idf(df) {
    return Math.log(1 + (entry.docs - df + 0.5) / (df + 0.5));
  }

  // ---- Queries ----

  // Where `key` stands in the query: Chinese anywhere, a Latin key only as whole words
  // ("lead" is not in "leader").
  function keyPattern(key) {
    const edge = new RegExp(`[${CJK}]`, 'u').test(key) ? ['', ''] : ['(?<![\\p{L}\\p{N}])', '(?![\\p{L}\\p{N}])'];
    return new RegExp(edge[0] + escapeRegExp(key) + edge[1], 'gu');
  }

  // The query and, for each synonym key it holds, the query with the key replaced.
  function variants(lower) {
    const out = [{ text: lower, weight: 1 }];
    for (const [key, synonyms] of Object.entries(entry.synonyms || {})) {
      const pattern = keyPattern(key);
      if (!pattern.test(lower)) continue;
      for (const synonym of synonyms) {
        out.push({ text: lower.replace(pattern, () => synonym), weight: SYNONYM_WEIGHT });
      }
    }
    return out.slice(0, 8).map(v => Object.assign(v, tokens(v.text)));
  }

  function shardsFor(list) {
    const needed = new Set();
    for (const v of list) {
      for (const run of v.runs) for (const p of pairs(run)) needed.add(shardOf(p));
      for (const word of v.words) for (const i of shardsOfPrefix(word)) needed.add(i);
    }
    return [...needed];
  }

  // Adds each document's score for `terms` into `scores` and counts the terms it holds.
  function scoreTerms(terms, scores, counts) {
    for (const term of new Set(terms)) {
      const found = findTerm(term);
      if (!found) continue;
      const weight = idf(found[1]) / IMPACT_SCALE;
      const list = postingsOf(found);
      for (let i = 0; i < list.length; i += 2) {
        const doc = list[i];
        scores.set(doc, (scores.get(doc) || 0) + weight * list[i + 1]);
        counts.set(doc, (counts.get(doc) || 0) + 1);
      }
    }
  }

  // Each document holding a word starting with `word`, with its best score.
  function scoreWord(word) {
    const scores = new Map();
    for (const found of termsWithPrefix(word)) {
      const weight = (idf(found[1]) / IMPACT_SCALE) * (found[0] === word ? 1 : PREFIX_WEIGHT);
      const list = postingsOf(found);
      for (let i = 0; i < list.length; i += 2) {
        const s = weight * list[i + 1];
        if (s > (scores.get(list[i]) || 0)) scores.set(list[i], s);
      }
    }
    return scores;
  }

  // Documents holding every pair of every run and a word for each word: doc -> score.
  function exactMatches(v, wordScores) {
    let result = null;
    const meet = scores => {
      if (!result) {
        result = scores;
        return;
      }
      const next = new Map();
      for (const [doc, s] of result) if (scores.has(doc)) next.set(doc, s + scores.get(doc));
      result = next;
    };
    for (const run of v.runs) {
      const scores = new Map();
      const counts = new Map();
      const terms = [...new Set(pairs(run))];
      scoreTerms(terms, scores, counts);
      for (const [doc, n] of counts) if (n < terms.length) scores.delete(doc);
      meet(scores);
    }
    for (const word of v.words) meet(wordScores(word));
    return result || new Map();
  }

  // No document holds the Chinese words side by side: rank by how many of their character
  // pairs a document holds, at least half of them.
  function partialMatches(v, wordScores) {
    const terms = [...new Set(v.runs.flatMap(pairs))];
    const scores = new Map();
    const counts = new Map();
    scoreTerms(terms, scores, counts);
    const words = v.words.map(wordScores);
    const out = new Map();
    for (const [doc, n] of counts) {
      if (n * 2 < terms.length || !words.every(w => w.has(doc))) continue;
      out.set(doc, n * 100 + scores.get(doc) + words.reduce((s, w) => s + w.get(doc), 0));
    }
    return out;
  }

  // Ranks documents for a query whose shards are loaded: [{ doc, score, partial }], best first,
  // and the strings to highlight.
  function rank(list, byPairs) {
    const wordCache = new Map();
    const wordScores = word => {
      if (!wordCache.has(word)) wordCache.set(word, scoreWord(word));
      return wordCache.get(word);
    };
    const best = new Map();
    const merge = (scores, weight) => {
      for (const [doc, s] of scores) if (s * weight > (best.get(doc) || 0)) best.set(doc, s * weight);
    };
    if (!byPairs) for (const v of list) merge(exactMatches(v, wordScores), v.weight);
    let partial = false;
    if (!best.size && list.some(v => v.runs.length)) {
      partial = true;
      for (const v of list) merge(partialMatches(v, wordScores), v.weight);
    }
    const ranked = [...best].map(([doc, score]) => ({ doc, score })).sort((a, b) => b.score - a.score || a.doc - b.doc);
    const needles = new Set();
    for (const v of list) {
      for (const run of v.runs) (partial ? pairs(run) : [run]).forEach(n => needles.add(n));
      v.words.forEach(w => needles.add(w));
    }
    return { ranked, partial, needles: [...needles] };
  }

  // The fragment holding a document: ids count DOCS_PER_FRAGMENT to a fragment.
  const fragmentOf = doc => 'f' + Math.floor(doc / DOCS_PER_FRAGMENT);

  // A document of a loaded fragment ({"p": [[path, title]], "d": [[page, anchor, title,
  // text]]}): { path, pageTitle, anchor, title, text }.
  function docText(doc) {
    const file = files.get(fragmentOf(doc));
    const fragment = file && file.data;
    const d = fragment && fragment.d[doc % DOCS_PER_FRAGMENT];
    if (!d) return d;
    const [path, pageTitle] = fragment.p[d[0]];
    return { path, pageTitle, anchor: d[1], title: d[2], text: d[3] };
  }

  function loadTexts(docs) {
    return Promise.all([...new Set(docs.map(fragmentOf))].map(loadFile));
  }

  // Close terms for a query that found nothing: the longest pieces of its Chinese runs that
  // the book holds, and indexed words near each word.
  function suggestions(list) {
    const out = new Set();
    const v = list[0];
    for (const run of v.runs) {
      const chars = [...run];
      let start = 0;
      for (let i = 1; i <= chars.length; i++) {
        const held = i < chars.length && findTerm(chars[i - 1] + chars[i]);
        if (!held) {
          if (i - start >= 2) out.add(chars.slice(start, i).join(''));
          start = i;
        }
      }
    }
    for (const word of v.words) {
      const most = Math.max(1, Math.floor(word.length / 3));
      const near = shardEntries(shardOf(word))
        .filter(e => e[0][0] === word[0] && Math.abs(e[0].length - word.length) <= most && !/^\d+$/.test(e[0]))
        .map(e => [e[0], editDistance(word, e[0]), e[1]])
        .filter(([term, d]) => d <= most && term !== word)
        .sort((a, b) => a[1] - b[1] || b[2] - a[2]);
      near.slice(0, 3).forEach(([term]) => out.add(term));
    }
    return [...out].slice(0, 6);
  }

  function editDistance(a, b) {
    let row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      const next = [i];
      for (let j = 1; j <= b.length; j++) {
        next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      }
      row = next;
    }
    return row[b.length];
  }

  // Loads the candidates' texts and puts those holding the query's Chinese runs as written first.
  // Texts load in batches, the first SHOWN candidates first: a candidate further down can only
  // be shown by holding the runs as written, so once SHOWN loaded ones do, the rest cannot
  // change what is shown and need not load.
  async function withTexts(candidates, list, partial) {
    const top = [];
    let written = 0;
    while (top.length < candidates.length && written < SHOWN) {
      const size = top.length ? Math.max(SHOWN - written, SHOWN / 2) : SHOWN;
      const batch = candidates.slice(top.length, top.length + size);
      await loadTexts(batch.map(r => r.doc));
      for (const r of batch) {
        Object.assign(r, docText(r.doc));
        const haystack = (r.title + '\n' + r.text).toLowerCase();
        r.asWritten = partial || list.some(v => v.runs.every(run => haystack.includes(run)));
        if (r.asWritten) written++;
        top.push(r);
      }
    }
    return top.sort((a, b) => b.asWritten - a.asWritten || b.score - a.score || a.doc - b.doc);
  }

  // Everything a query needs, loaded: { results: [{ doc, score, path, ... }], count, needles,
  // suggestions }.
  async function query(text) {
    await loadEntry();
    const lower = text.trim().toLowerCase();
    const list = variants(lower);
    if (!list[0].runs.length && !list[0].words.length) return { results: [], count: 0, needles: [], suggestions: [] };
    await Promise.all(shardsFor(list).map(i => loadFile('t' + i)));
    let { ranked, partial, needles } = rank(list);
    // The top candidates' texts decide the final order: holding the Chinese runs as written
    // beats holding their pairs apart. (`top` stops short of every candidate only once some
    // hold the runs as written.)
    let top = await withTexts(ranked.slice(0, SHOWN * 2), list, partial);
    if (!partial && list[0].runs.length && ranked.length <= top.length && !top.some(r => r.asWritten)) {
      // Every candidate holds the pairs apart only: rank by pairs instead.
      ({ ranked, partial, needles } = rank(list, true));
      top = await withTexts(ranked.slice(0, SHOWN * 2), list, partial);
    }
    return {
      results: top.slice(0, SHOWN),
      count: ranked.length,
      needles,
      suggestions: ranked.length ? [] : suggestions(list),
    };
  }

  // ---- The dialog ----

  const dialog = document.getElementById('search-dialog');
  const input = document.getElementById('search-input');
  const resultList = document.getElementById('search-results');
  const status = document.getElementById('search-status');
  let active = -1;
  let timer = 0;
  let latest = 0;

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text != null) e.textContent = text;
    return e;
  }

  function options() {
    return [...resultList.querySelectorAll('[role=option]')];
  }

  function setActive(n) {
    const all = options();
    active = n;
    all.forEach((o, i) => o.setAttribute('aria-selected', i === n));
    if (all[n]) {
      input.setAttribute('aria-activedescendant', all[n].id);
      all[n].scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  function escapeRegExp(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }

  function highlight(into, text, pattern) {
    let at = 0;
    for (const m of text.matchAll(pattern)) {
      into.append(text.slice(at, m.index), el('mark', '', m[0]));
      at = m.index + m[0].length;
    }
    into.append(text.slice(at));
  }

  function snippet(text, pattern) {
    const found = text.search(pattern);
    const start = Math.max(0, found - 30);
    return (start ? '…' : '') + text.slice(start, start + 80) + (start + 80 < text.length ? '…' : '');
  }

  function showResults(found) {
    const pattern = new RegExp(
      found.needles.slice().sort((a, b) => b.length - a.length).map(escapeRegExp).join('|') || '(?!)',
      'giu'
    );
    found.results.forEach((r, n) => {
      const li = el('li');
      const a = el('a');
      const title = el('span', 'sr-title');
      const text = el('span', 'sr-snippet');
      li.setAttribute('role', 'none');
      a.setAttribute('role', 'option');
      a.id = 'sr-' + n;
      a.tabIndex = -1;
      a.href = ROOT + r.path + (r.anchor ? '#' + r.anchor : '');
      highlight(title, r.title && r.title !== r.pageTitle ? r.pageTitle + ' › ' + r.title : r.pageTitle, pattern);
      highlight(text, snippet(r.text, pattern), pattern);
      a.append(title, text);
      li.append(a);
      resultList.append(li);
    });
  }

  // Nothing found: close terms to try, and the toolbox.
  function showNoResults(found) {
    const box = emptyBox();
    if (found.suggestions.length) {
      const p = el('p', 'search-suggestions', t('search_try'));
      for (const term of found.suggestions) {
        const b = el('button', 'search-suggestion', term);
        b.type = 'button';
        b.addEventListener('click', () => {
          input.value = term;
          input.focus();
          run();
        });
        p.append(' ', b);
      }
      box.append(p);
    }
    if (entry.toolbox) {
      const a = el('a', 'search-toolbox', t('search_toolbox'));
      a.href = ROOT + entry.toolbox;
      box.append(el('p', '', ''));
      box.lastChild.append(a);
    }
    box.hidden = false;
  }

  // The no-results help sits after the list of results, which holds options only.
  function emptyBox() {
    let box = dialog.querySelector('.search-empty');
    if (!box) {
      box = el('div', 'search-empty');
      resultList.after(box);
    }
    box.replaceChildren();
    box.hidden = true;
    return box;
  }

  async function run() {
    const text = input.value.trim();
    const mine = ++latest;
    if (!text) {
      emptyBox();
      resultList.replaceChildren();
      setActive(-1);
      input.setAttribute('aria-expanded', false);
      status.textContent = '';
      return;
    }
    let found;
    try {
      found = await query(text);
    } catch (e) {
      if (mine === latest) status.textContent = t('search_failed');
      return;
    }
    // A later keystroke started a newer search: show that one.
    if (mine !== latest) return;
    emptyBox();
    resultList.replaceChildren();
    setActive(-1);
    input.setAttribute('aria-expanded', found.results.length > 0);
    if (!found.count) {
      status.textContent = t('search_none');
      showNoResults(found);
      return;
    }
    status.textContent =
      found.count > SHOWN ? t('search_found_more', { count: found.count, shown: SHOWN }) : t('search_found', { count: found.count });
    showResults(found);
  }

  function open() {
    input.focus();
    input.select();
    if (entry || !MANIFEST.searchIndex) return;
    status.textContent = t('search_loading');
    loadEntry().then(
      () => (input.value.trim() ? run() : (status.textContent = '')),
      () => (status.textContent = t('search_failed'))
    );
  }

  function onKey(e) {
    const n = options().length;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (n) setActive(e.key === 'ArrowDown' ? Math.min(active + 1, n - 1) : Math.max(active - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const go = () => {
        const o = options()[Math.max(active, 0)];
        if (o) {
          dialog.close();
          location.href = o.href;
        }
      };
      if (timer) {
        clearTimeout(timer);
        timer = 0;
        run().then(go);
      } else {
        go();
      }
    }
  }

  function connect() {
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', false);
    resultList.setAttribute('role', 'listbox');
    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timer = 0;
        run();
      }, DEBOUNCE_MS);
    });
    input.addEventListener('keydown', onKey);
    resultList.addEventListener('click', e => {
      if (e.target.closest('a')) dialog.close();
    });
    dialog.addEventListener('click', e => {
      if (e.target === dialog) dialog.close();
    });
  }

  if (dialog && input && resultList && status) connect();

  guidebook.search = { open, query, receive, tokens, pairs };
  guidebook.modules = guidebook.modules || {};
  guidebook.modules.search = guidebook.search;
})();
