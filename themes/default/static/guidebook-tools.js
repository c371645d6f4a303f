(() => {
'use strict';
// Export and import of the reader's data, loaded the first time a reader uses them.
const { $, $$, el, load, save, readRaw, writeRaw, unreadable, stamp, hm, txt, isArr, isEmpty, isObj,
  download, script, flushAll, progress, BOOK, G, P } = window.GB;

// ---- Markdown ----

/** One answer as Markdown: text, a list of options, or a table of rows. */
function answerMarkdown(value, field) {
  if (isEmpty(value)) return '（未填写）';
  if (!isArr(value)) return String(value);
  if (!value.every(isObj)) return value.map(x => '- ' + x).join('\n');
  const columns = field.columns?.length
    ? field.columns
    : Object.keys(Object.assign({}, ...value)).map(id => ({ id, label: id }));
  const cell = x => (isArr(x) ? x.join('、') : x == null ? '' : String(x))
    .replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
  const line = cells => '| ' + cells.join(' | ') + ' |';
  return [
    line(columns.map(c => cell(c.label))),
    line(columns.map(() => '---')),
    ...value.map(row => line(columns.map(c => cell(row[c.id])))),
  ].join('\n');
}

/** A worksheet's answers under its title, section titles and field labels, headings from `level`. */
function worksheetMarkdown(title, sections, values, level) {
  const heading = n => '#'.repeat(Math.min(level + n, 6)) + ' ';
  const out = [heading(0) + title];
  const known = new Set();
  const section = (sectionTitle, fields) => {
    if (sectionTitle) out.push(heading(1) + sectionTitle);
    for (const f of fields) {
      known.add(f.id);
      out.push(heading(sectionTitle ? 2 : 1) + f.label, answerMarkdown(values[f.id], f));
    }
  };
  sections.forEach(s => section(s.title, s.fields));
  // Answers to fields the author has since renamed or removed are kept, under their ids.
  const rest = Object.keys(values).filter(k => !known.has(k) && !isEmpty(values[k]));
  if (rest.length) section('其他已保存的回答', rest.map(k => ({ id: k, label: k })));
  return out.join('\n\n');
}

/** Every `ws:<id>` value stored for this book, by worksheet id. */
function storedWorksheets() {
  const found = {};
  for (const key of storedKeys()) {
    if (!key.startsWith('ws:')) continue;
    const value = load(key);
    if (isObj(value.fields)) found[key.slice(3)] = { fields: value.fields };
  }
  return found;
}

/** This book's keys in localStorage, without the prefix. */
function storedKeys() {
  const keys = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (k.startsWith(P)) keys.push(k.slice(P.length));
    }
  } catch (e) { /* no storage: nothing stored */ }
  return keys.sort();
}

/** Values that could not be read, whether moved aside (`corrupt:…` keys) or only in memory. */
function unreadableValues() {
  const found = {};
  for (const key of storedKeys()) {
    if (key.startsWith('corrupt:')) found[key] = readRaw(P + key);
  }
  for (const [key, text] of Object.entries(unreadable)) {
    if (!Object.values(found).includes(text)) found[key] = text;
  }
  return found;
}

/** The whole book's record for people: reading progress, every checklist, every worksheet. */
function bookMarkdown(data) {
  const read = load('read');
  const checks = load('checks');
  const worksheets = storedWorksheets();
  const out = [`# ${G.title || BOOK}：我的记录`, '导出时间：' + stamp(new Date())];

  out.push('## 阅读进度');
  out.push(data.chapters.length
    ? data.chapters.map(c => `- [${read[c.path] ? 'x' : ' '}] ${c.number ? c.number + ' ' : ''}${c.title}`).join('\n')
    : '（没有编号的章节）');

  out.push('## 清单');
  for (const list of [...data.pageChecklists, ...data.checklists]) {
    const ticked = checks[list.scope] || {};
    out.push('### ' + list.title, list.items.map(i => `- [${ticked[i.id] ? 'x' : ' '}] ${i.text}`).join('\n'));
  }

  out.push('## 工作表');
  const answered = id => {
    const v = worksheets[id]?.fields;
    return v && Object.values(v).some(x => !isEmpty(x));
  };
  const shown = data.worksheets.filter(w => answered(w.id));
  for (const w of shown) out.push(worksheetMarkdown(w.title, w.sections, worksheets[w.id].fields, 3));
  // Worksheets the book no longer has: their answers are still the reader's.
  for (const id of Object.keys(worksheets)) {
    if (!data.worksheets.some(w => w.id == id) && answered(id)) {
      out.push(worksheetMarkdown(id, [], worksheets[id].fields, 3));
      shown.push(id);
    }
  }
  if (!shown.length) out.push('（还没有填写任何工作表）');

  const lost = unreadableValues();
  if (Object.keys(lost).length) {
    out.push('## 无法读取的已保存数据', '这些内容在浏览器里已损坏，原样保留在这里：');
    for (const [key, text] of Object.entries(lost)) out.push('### ' + key, '```\n' + text + '\n```');
  }
  return out.join('\n\n') + '\n';
}

// ---- JSON ----

function exportJson(worksheets, whole) {
  const record = {
    format: 'guidebook-export', version: 1, book: BOOK, exported: new Date().toISOString(),
    checks: whole ? load('checks') : {}, read: whole ? load('read') : {}, worksheets,
  };
  const lost = whole ? unreadableValues() : {};
  if (Object.keys(lost).length) record.unreadable = lost;
  return JSON.stringify(record, null, 2);
}

// ---- Checking a backup before anything is written ----

/** Files above this size are refused before they are read: localStorage holds about 5 MB. */
const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
/** Keys that would reach an object's prototype, or that no id can be. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Why a parsed backup cannot be imported, or '' when it can. Checks every level it will write. */
function backupProblem(backup) {
  if (!isObj(backup) || backup.format != 'guidebook-export') return '这不是本书导出的备份文件';
  if (backup.version !== 1) return '备份文件的版本不受支持';
  if (backup.book !== BOOK) return '这是另一本书的数据';
  if (!isObj(backup.worksheets)) return '文件里没有工作表的回答（worksheets）';
  const badKey = o => Object.keys(o).find(k => FORBIDDEN_KEYS.has(k));
  const known = new Set((G.worksheets || []).map(w => w.id));
  const unknown = Object.keys(backup.worksheets).filter(id => !known.has(id));
  if (unknown.length) return '文件里有本书没有的工作表：' + unknown.slice(0, 5).join('、');
  for (const [id, sheet] of Object.entries(backup.worksheets)) {
    if (!isObj(sheet) || !isObj(sheet.fields)) return `工作表「${id}」的内容格式不对`;
    const fields = sheet.fields;
    const k = badKey(fields);
    if (k) return `工作表「${id}」里有不允许的名字「${k}」`;
    for (const [field, value] of Object.entries(fields)) {
      const why = answerProblem(value);
      if (why) return `工作表「${id}」的「${field}」${why}`;
    }
  }
  for (const name of ['checks', 'read']) {
    const part = backup[name];
    if (part === undefined) continue;
    if (!isObj(part)) return `「${name}」的格式不对`;
    const k = badKey(part);
    if (k) return `「${name}」里有不允许的名字「${k}」`;
    for (const [scope, value] of Object.entries(part)) {
      if (name == 'read' && value !== true) return `阅读进度「${scope}」的值不对`;
      if (name == 'checks') {
        if (!isObj(value)) return `清单「${scope}」的格式不对`;
        const bad = badKey(value);
        if (bad) return `清单「${scope}」里有不允许的名字「${bad}」`;
        if (Object.values(value).some(v => v !== true)) return `清单「${scope}」的勾选值不对`;
      }
    }
  }
  return '';
}

/** An answer is text, a number, a list of texts, or rows of texts and lists of texts. */
function answerProblem(value) {
  const plain = v => typeof v == 'string' || typeof v == 'number';
  const texts = v => isArr(v) && v.every(plain);
  if (plain(value) || texts(value)) return '';
  if (!isArr(value)) return '的值类型不对';
  for (const row of value) {
    if (!isObj(row)) return '的值类型不对';
    const k = Object.keys(row).find(k => FORBIDDEN_KEYS.has(k));
    if (k) return `里有不允许的名字「${k}」`;
    if (!Object.values(row).every(v => plain(v) || texts(v))) return '的表格内容类型不对';
  }
  return '';
}

/** Asks for a JSON file and hands its checked content to `use`; refusals say why, change nothing. */
function pickBackup(use) {
  const input = el('input');
  input.type = 'file';
  input.accept = '.json,application/json';
  input.onchange = async () => {
    const file = input.files[0];
    if (!file) return;
    if (file.size > MAX_IMPORT_BYTES) {
      return alert(`无法导入：文件有 ${(file.size / 1048576).toFixed(1)} MB，超过了 5 MB，不是本书的备份。没有做任何更改。`);
    }
    let backup;
    try {
      backup = JSON.parse(await file.text());
    } catch (e) {
      return alert('无法导入：不是有效的 JSON 文件。没有做任何更改。');
    }
    const problem = backupProblem(backup);
    if (problem) return alert('无法导入：' + problem + '。没有做任何更改。');
    use(backup);
  };
  input.click();
}

/**
 * Writes imported answers (and, for a whole-book backup, ticks and read marks) over what is
 * stored, after asking when a different answer would be replaced. All or nothing: if storage
 * refuses any write, every value written so far is put back. Returns whether it imported.
 */
function applyBackup(worksheets, backup) {
  const time = new Date().toISOString();
  const writes = [];
  let overwritten = 0;
  for (const [id, sheet] of Object.entries(worksheets)) {
    const current = load('ws:' + id).fields || {};
    for (const [k, v] of Object.entries(sheet.fields)) {
      if (!isEmpty(current[k]) && JSON.stringify(current[k]) != JSON.stringify(v)) overwritten++;
    }
    writes.push(['ws:' + id, { v: 1, updated: time, fields: Object.assign({}, current, sheet.fields) }]);
  }
  if (backup) {
    const checks = load('checks');
    for (const [scope, ticks] of Object.entries(backup.checks || {})) {
      checks[scope] = Object.assign(checks[scope] || {}, ticks);
    }
    writes.push(['checks', checks], ['read', Object.assign(load('read'), backup.read || {})]);
  }
  if (overwritten && !confirm(`导入会覆盖 ${overwritten} 个与现有内容不同的回答。继续吗？`)) return false;
  const before = writes.map(([key]) => [key, readRaw(P + key)]);
  if (writes.every(([key, value]) => save(key, value))) return true;
  before.forEach(([key, text]) => writeRaw(P + key, text));
  alert('无法导入：浏览器拒绝保存（本地存储已满或不可用）。已恢复原来的内容。');
  return false;
}

// ---- What the buttons call ----

const datedName = () => BOOK + '-' + stamp(new Date()).slice(0, 10);

/** The labels of a worksheet form on this page, for its own Markdown export. */
function formSections(form) {
  return $$('.ws-section', form).map(s => ({
    title: txt($(':scope>legend', s)),
    fields: $$('.field[data-field]', s).map(f => ({
      id: f.dataset.field,
      label: txt($(':scope>label,:scope>legend,caption', f)),
    })),
  }));
}

window.GB_tools = {
  exportMd(c) {
    c.flush();
    const title = txt($('header>:first-child', c.form)) || c.id;
    const text = worksheetMarkdown(title, formSections(c.form), load(c.key).fields || {}, 1);
    download(c.id + '.md', text + '\n\n导出时间：' + stamp(new Date()) + '\n', 'text/markdown');
  },
  exportJson(c) {
    c.flush();
    download(c.id + '.json', exportJson({ [c.id]: { fields: load(c.key).fields || {} } }), 'application/json');
  },
  importJson: c => pickBackup(backup => {
    const sheet = backup.worksheets[c.id];
    if (!sheet) return alert('这个文件里没有这张工作表的回答。没有做任何更改。');
    c.flush();
    if (applyBackup({ [c.id]: sheet })) {
      c.fill();
      c.status('已导入 ' + hm(new Date()));
      progress();
    }
  }),
  'export-book-json': () => download(datedName() + '.json', exportJson(storedWorksheets(), true), 'application/json'),
  'export-book-md': () => script(G.dataScript, 'GUIDEBOOK_DATA',
    data => download(datedName() + '.md', bookMarkdown(data), 'text/markdown'),
    () => alert('无法加载导出所需的数据')),
  'import-book-json': () => pickBackup(backup => {
    flushAll();
    if (applyBackup(backup.worksheets, backup)) {
      alert('导入完成。');
      location.reload();
    }
  }),
};
})();
