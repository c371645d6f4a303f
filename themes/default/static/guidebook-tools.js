(() => {
'use strict';
// Export and import of the reader's data, loaded the first time a reader uses them.
const guidebook = window.guidebook;
const { t, el, load, save, readRaw, writeRaw, unreadable, stamp, hm, isArr, isEmpty,
  isObj, download, loadScript, flushAll, paintProgress, BOOK, readKey, PREFIX: P } = guidebook;
const G = guidebook.manifest || {};

// ---- Markdown ----

/** What a choice saved as a position shows: its option's text (`options` in the field). */
function optionText(field, value) {
  const options = field?.options;
  const position = /^[1-9][0-9]*$/.test(value) ? Number(value) : 0;
  const choice = ['choice', 'multi-choice', 'checklist'].includes(field?.type);
  return choice && options && position && position <= options.length ? options[position - 1] : value;
}

/** A scale's answer as "3/5 (tense → calm)", in the words of the language: the range's top and end labels from the worksheet. */
function scaleMarkdown(value, scale, withEnds) {
  const shown = t('md_scale', { value, max: scale.max });
  if (!withEnds || !(scale.minLabel || scale.maxLabel)) return shown;
  return shown + t('md_scale_ends', { low: scale.minLabel || scale.min, high: scale.maxLabel || scale.max });
}

/** A rows column's header: its label, and a scale's end labels once rather than in every row. */
function columnHeader(column) {
  const scale = column.scale;
  if (!scale || !(scale.minLabel || scale.maxLabel)) return column.label;
  return column.label + t('md_scale_ends', { low: scale.minLabel || scale.min, high: scale.maxLabel || scale.max });
}

/** One table cell: a list joined, a scale as "3/5", no line breaks or bars that would end the cell. */
function cellMarkdown(value, column) {
  let text = isArr(value) ? value.map(v => optionText(column, v)).join(t('md_list_separator'))
    : value == null ? '' : String(optionText(column, value));
  if (column.scale && text !== '') text = scaleMarkdown(text, column.scale, false);
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/** One answer as Markdown: text, a scale with its range, a list of options, or a table of rows. */
function answerMarkdown(value, field) {
  if (isEmpty(value)) return t('md_unanswered');
  if (!isArr(value)) return field.scale ? scaleMarkdown(value, field.scale, true) : String(optionText(field, value));
  if (!value.every(isObj)) return value.map(x => '- ' + optionText(field, x)).join('\n');
  // Columns the author has since removed are still in the saved rows: they keep their ids.
  const known = field.columns || [];
  const extra = Object.keys(Object.assign({}, ...value))
    .filter(id => !known.some(c => c.id === id))
    .map(id => ({ id, label: id }));
  const columns = [...known, ...extra];
  const line = cells => '| ' + cells.join(' | ') + ' |';
  return [
    line(columns.map(c => cellMarkdown(columnHeader(c), {}))),
    line(columns.map(() => '---')),
    ...value.map(row => line(columns.map(c => cellMarkdown(row[c.id], c)))),
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
  if (rest.length) section(t('md_other_answers'), rest.map(k => ({ id: k, label: k })));
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
  } catch { /* no storage: nothing stored */ }
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
  const out = ['# ' + t('md_title', { title: G.title || BOOK }), t('md_exported', { time: stamp(new Date()) })];

  out.push('## ' + t('md_progress'));
  out.push(data.chapters.length
    ? data.chapters.map(c => `- [${read[readKey(c.path)] ? 'x' : ' '}] ${c.number ? c.number + ' ' : ''}${c.title}`).join('\n')
    : t('md_no_chapters'));

  out.push('## ' + t('md_checklists'));
  for (const list of [...data.pageChecklists, ...data.checklists]) {
    const ticked = checks[list.scope] || {};
    out.push('### ' + list.title, list.items.map(i => `- [${ticked[i.id] ? 'x' : ' '}] ${i.text}`).join('\n'));
  }

  out.push('## ' + t('md_worksheets'));
  const answered = id => {
    const v = worksheets[id]?.fields;
    return v && Object.values(v).some(x => !isEmpty(x));
  };
  const shown = data.worksheets.filter(w => answered(w.id));
  for (const w of shown) out.push(worksheetMarkdown(w.title, w.sections, worksheets[w.id].fields, 3));
  // Worksheets the book no longer has: their answers are still the reader's.
  for (const id of Object.keys(worksheets)) {
    if (!data.worksheets.some(w => w.id === id) && answered(id)) {
      out.push(worksheetMarkdown(id, [], worksheets[id].fields, 3));
      shown.push(id);
    }
  }
  if (!shown.length) out.push(t('md_no_worksheets'));

  const lost = unreadableValues();
  if (Object.keys(lost).length) {
    out.push('## ' + t('md_unreadable'), t('md_unreadable_note'));
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
  if (!isObj(backup) || backup.format !== 'guidebook-export') return t('import_not_backup');
  if (backup.version !== 1) return t('import_bad_version');
  if (backup.book !== BOOK) return t('import_other_book');
  if (!isObj(backup.worksheets)) return t('import_no_worksheets');
  const badKey = o => Object.keys(o).find(k => FORBIDDEN_KEYS.has(k));
  const known = new Set((guidebook.progress?.worksheets || []).map(w => w.id));
  const unknown = Object.keys(backup.worksheets).filter(id => !known.has(id));
  if (unknown.length) return t('import_unknown_worksheets', { ids: unknown.slice(0, 5).join(t('md_list_separator')) });
  for (const [id, sheet] of Object.entries(backup.worksheets)) {
    const where = t('import_in_worksheet', { id });
    if (!isObj(sheet) || !isObj(sheet.fields)) return t('import_bad_shape', { where });
    const key = badKey(sheet.fields);
    if (key) return t('import_forbidden_key', { where, key });
    for (const [field, value] of Object.entries(sheet.fields)) {
      const why = answerProblem(value, where, field);
      if (why) return why;
    }
  }
  for (const part of ['checks', 'read']) {
    const values = backup[part];
    if (values === undefined) continue;
    const where = t('import_in_part', { part });
    if (!isObj(values)) return t('import_bad_shape', { where });
    const key = badKey(values);
    if (key) return t('import_forbidden_key', { where, key });
    for (const [name, value] of Object.entries(values)) {
      if (part === 'read' && value !== true) return t('import_bad_read', { path: name });
      if (part === 'checks') {
        const list = t('import_in_checklist', { scope: name });
        if (!isObj(value)) return t('import_bad_shape', { where: list });
        const bad = badKey(value);
        if (bad) return t('import_forbidden_key', { where: list, key: bad });
        if (Object.values(value).some(v => v !== true)) return t('import_bad_ticks', { where: list });
      }
    }
  }
  return '';
}

/** An answer is text, a number, a list of texts, or rows of texts and lists of texts. */
function answerProblem(value, where, field) {
  const plain = v => typeof v === 'string' || typeof v === 'number';
  const texts = v => isArr(v) && v.every(plain);
  if (plain(value) || texts(value)) return '';
  const wrong = t('import_bad_answer', { where, field });
  if (!isArr(value)) return wrong;
  for (const row of value) {
    if (!isObj(row)) return wrong;
    const key = Object.keys(row).find(k => FORBIDDEN_KEYS.has(k));
    if (key) return t('import_forbidden_key', { where, key });
    if (!Object.values(row).every(v => plain(v) || texts(v))) return wrong;
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
      return alert(t('import_refused', { reason: t('import_too_big', { size: (file.size / 1048576).toFixed(1) }) }));
    }
    let backup;
    try {
      backup = JSON.parse(await file.text());
    } catch {
      return alert(t('import_refused', { reason: t('import_not_json') }));
    }
    const problem = backupProblem(backup);
    if (problem) return alert(t('import_refused', { reason: problem }));
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
      if (!isEmpty(current[k]) && JSON.stringify(current[k]) !== JSON.stringify(v)) overwritten++;
    }
    // `v` 1: a backup from before choices were positions may hold their texts; the worksheet's
    // form turns them into positions when it next shows them.
    writes.push(['ws:' + id, { v: 1, updated: time, fields: Object.assign({}, current, sheet.fields) }]);
  }
  if (backup) {
    const checks = load('checks');
    for (const [scope, ticks] of Object.entries(backup.checks || {})) {
      checks[scope] = Object.assign(checks[scope] || {}, ticks);
    }
    writes.push(['checks', checks], ['read', Object.assign(load('read'), backup.read || {})]);
  }
  if (overwritten && !confirm(t('import_overwrite_confirm', { count: overwritten }))) return false;
  const before = writes.map(([key]) => [key, readRaw(P + key)]);
  if (writes.every(([key, value]) => save(key, value))) return true;
  before.forEach(([key, text]) => writeRaw(P + key, text));
  alert(t('import_storage_refused'));
  return false;
}

// ---- What the buttons call ----

const datedName = () => BOOK + '-' + stamp(new Date()).slice(0, 10);

/** Runs `use` with the book's labels and texts (`exportData`), loading them on first use. */
const withExportData = use => loadScript(G.dataScript, () => guidebook.exportData, use,
  () => alert(t('export_data_failed')));

guidebook.modules.tools = {
  exportMd(c) {
    c.flush();
    withExportData(data => {
      // Labels, scales and columns come from the worksheet itself, as in the whole-book export.
      const sheet = data.worksheets.find(w => w.id === c.id) || { title: c.id, sections: [] };
      const text = worksheetMarkdown(sheet.title, sheet.sections, load(c.key).fields || {}, 1);
      download(c.id + '.md', text + '\n\n' + t('md_exported', { time: stamp(new Date()) }) + '\n', 'text/markdown');
    });
  },
  exportJson(c) {
    c.flush();
    download(c.id + '.json', exportJson({ [c.id]: { fields: load(c.key).fields || {} } }), 'application/json');
  },
  importJson: c => pickBackup(backup => {
    const sheet = backup.worksheets[c.id];
    if (!sheet) return alert(t('import_refused', { reason: t('import_missing_worksheet') }));
    c.flush();
    if (applyBackup({ [c.id]: sheet })) {
      c.fill();
      c.status(t('ws_imported', { time: hm(new Date()) }));
      paintProgress();
    }
  }),
  'export-book-json': () => download(datedName() + '.json', exportJson(storedWorksheets(), true), 'application/json'),
  'export-book-md': () => withExportData(data => download(datedName() + '.md', bookMarkdown(data), 'text/markdown')),
  'import-book-json': () => pickBackup(backup => {
    flushAll();
    if (applyBackup(backup.worksheets, backup)) {
      alert(t('import_done'));
      location.reload();
    }
  }),
};
})();
