(() => {
'use strict';
// Worksheets: answers saved as the reader types, rows tables, and the toolbar (export, import,
// print, clear). Loaded after guidebook.js, and only by pages that have a worksheet; it uses
// guidebook.js's helpers and storage (docs/theme-contract.md).

const guidebook = window.guidebook;
const {
  t, $, $$, el, attr, on, load, save, stamp, hm, isArr, isEmpty, isObj, paintProgress,
  pendingSaves, storageStatus, withModule, FIELD_CONTROLS, PREFIX, txt, ANSWERS_VERSION,
} = guidebook;

// ---- Choice answers: saved as the option's position, the same in every language ----

const CHOICE_TYPES = new Set(['choice', 'multi-choice', 'checklist']);

/** Each option's texts, by position: as the control shows it and, in a translation, as the
 * book's own language wrote it (`data-aliases`), the language answers saved as text are in. */
function optionTexts(box) {
  const select = box.matches('select') ? box : $('select', box);
  const own = select
    ? [...select.options].filter(o => o.value).map(o => txt(o))
    : $$('input[type=radio],input[type=checkbox]', box).map(x => txt(x.closest('label')));
  let aliases = [];
  try {
    aliases = JSON.parse(box.dataset.aliases || '[]');
  } catch { /* no aliases: the page's own texts only */ }
  return own.map((text, i) => [text, aliases[i]]);
}

/** A choice saved as text (or several) as its option's position; a text no option has is kept. */
function toPositions(texts, value) {
  const one = v => {
    const i = typeof v === 'string' ? texts.findIndex(o => o.includes(v)) : -1;
    return i < 0 ? v : String(i + 1);
  };
  return isArr(value) ? value.map(one) : one(value);
}

/** A form's answers saved before choices were positions (record `v` 1), with positions. */
function choicesAsPositions(form, answers) {
  const out = Object.assign({}, answers);
  for (const f of $$('.field[data-field]', form)) {
    const id = f.dataset.field;
    if (!(id in out)) continue;
    if (CHOICE_TYPES.has(f.dataset.type)) out[id] = toPositions(optionTexts(f), out[id]);
    if (f.dataset.type !== 'rows' || !isArr(out[id])) continue;
    const columns = $$('[data-choice]', $('template.ws-row-template', f)?.content || f);
    out[id] = out[id].map(row => {
      if (!isObj(row)) return row;
      const converted = Object.assign({}, row);
      for (const c of columns) {
        if (c.dataset.col in row) converted[c.dataset.col] = toPositions(optionTexts(c), row[c.dataset.col]);
      }
      return converted;
    });
  }
  return out;
}

/** The controls of a field (or the one control of a rows column). */
const controlsOf = box => (box.matches(FIELD_CONTROLS) ? [box] : $$(FIELD_CONTROLS, box));

/** A control group's value as stored: a string, or a list of strings for multiple choices. */
function readControls(box) {
  const controls = controlsOf(box);
  const first = controls[0] || {};
  if (first.type === 'checkbox') return controls.filter(x => x.checked).map(x => x.value);
  if (first.multiple) return [...first.selectedOptions].map(o => o.value).filter(Boolean);
  if (first.type === 'radio') return controls.find(x => x.checked)?.value || '';
  return first.value || '';
}

function writeControls(box, value) {
  const controls = controlsOf(box);
  const first = controls[0];
  if (!first) return;
  if (first.type === 'checkbox') controls.forEach(x => (x.checked = isArr(value) && value.includes(x.value)));
  else if (first.type === 'radio') controls.forEach(x => (x.checked = x.value === String(value)));
  else if (first.multiple) [...first.options].forEach(o => (o.selected = isArr(value) && value.includes(o.value)));
  else {
    value = value == null ? '' : isArr(value) ? value.join('\n') : String(value);
    // A choice the author has since removed stays visible rather than being lost.
    if (first.tagName === 'SELECT' && value && ![...first.options].some(o => o.value === value)) {
      first.add(new Option(value, value));
    }
    first.value = value;
  }
}

/** A field's value; a rows field is a list of row objects, empty rows left out. */
function readField(field) {
  if (field.dataset.type !== 'rows') return readControls(field);
  return $$('tbody tr', field).map(tr => {
    // Columns the author has since removed are kept with the row.
    const row = Object.assign({}, tr.savedRow);
    $$('[data-col]', tr).forEach(cell => (row[cell.dataset.col] = readControls(cell)));
    return row;
  }).filter(row => Object.values(row).some(v => !isEmpty(v)));
}

let rowCounter = 0;
/** Adds a row to a rows field from its template, with ids made unique, filled from `data`. */
function addRow(field, data) {
  const tr = $('template.ws-row-template', field).content.firstElementChild.cloneNode(true);
  const suffix = '-r' + ++rowCounter;
  $$('[name]', tr).forEach(x => (x.name += suffix));
  for (const x of $$('[id]', tr)) {
    $$(`[for="${x.id}"]`, tr).forEach(label => (label.htmlFor = x.id + suffix));
    x.id += suffix;
  }
  $('tbody', field).append(tr);
  if (isObj(data)) {
    tr.savedRow = data;
    $$('[data-col]', tr).forEach(cell => writeControls(cell, data[cell.dataset.col]));
  }
  return tr;
}

function writeField(field, value) {
  if (field.dataset.type !== 'rows') return writeControls(field, value);
  $('tbody', field).replaceChildren();
  (isArr(value) && value.length ? value : [0]).forEach(row => addRow(field, row));
}


const TOOLBAR_ACTIONS = [
  ['export-md', 'ws_export_md'], ['export-json', 'ws_export_json'], ['import-json', 'ws_import_json'],
  ['print', 'ws_print'], ['clear', 'ws_clear'],
];

function setUpWorksheet(form) {
  const toolbar = el('div', 'ws-toolbar');
  const statusLine = el('span', 'ws-status');
  const header = $('header', form);
  attr(statusLine, 'role', 'status');
  attr(statusLine, 'aria-live', 'polite');
  toolbar.append(statusLine);
  for (const [action, word] of TOOLBAR_ACTIONS) {
    const button = el('button', '', t(word));
    button.type = 'button';
    button.dataset.action = action;
    toolbar.append(' ', button);
  }
  if (header) header.after(toolbar);
  else form.prepend(toolbar);

  const id = form.dataset.worksheet;
  const key = 'ws:' + id;
  const fields = () => $$('.field[data-field]', form);
  const status = text => (statusLine.textContent = text);
  let timer = 0;
  // Only the fields this tab changed are written, over what is stored now: another tab's answers survive.
  const changed = new Set();

  function flush() {
    if (!timer) return;
    clearTimeout(timer);
    timer = 0;
    const now = new Date();
    const answers = Object.assign({}, load(key).fields);
    for (const f of fields()) if (changed.has(f.dataset.field)) answers[f.dataset.field] = readField(f);
    changed.clear();
    const saved = save(key, { v: ANSWERS_VERSION, updated: now.toISOString(), fields: answers });
    status(saved ? t('ws_saved', { time: hm(now) })
      : t('ws_not_saved', { reason: storageStatus() || t('storage_refused') }));
    paintProgress();
  }
  function saveSoon() {
    status(t('ws_saving'));
    clearTimeout(timer);
    timer = setTimeout(flush, 400);
  }
  function markChanged(e) {
    const f = e.target.closest('.field[data-field]');
    if (f) changed.add(f.dataset.field);
    saveSoon();
  }
  function fill() {
    const stored = load(key);
    let answers = isObj(stored.fields) ? stored.fields : {};
    // Saved before choices were positions: converted once, and saved so.
    if (isObj(stored.fields) && !(stored.v >= ANSWERS_VERSION)) {
      answers = choicesAsPositions(form, answers);
      save(key, Object.assign({}, stored, { v: ANSWERS_VERSION, fields: answers }));
    }
    for (const f of fields()) {
      const value = answers[f.dataset.field];
      if (value !== undefined || f.dataset.type === 'rows') writeField(f, value);
    }
    status(stored.updated ? t('ws_saved', { time: stamp(new Date(stored.updated)) }) : t('ws_autosave'));
  }

  // What the export/import module needs to act on this worksheet.
  const context = { form, id, key, flush, fill, status };
  const actions = {
    'export-md': () => withModule('tools', tools => tools.exportMd(context)),
    'export-json': () => withModule('tools', tools => tools.exportJson(context)),
    'import-json': () => withModule('tools', tools => tools.importJson(context)),
    print: () => { flush(); print(); },
    clear: () => {
      if (!confirm(t('ws_clear_confirm'))) return;
      clearTimeout(timer);
      timer = 0;
      save(key);
      form.reset();
      fill();
      status(t('ws_cleared'));
      paintProgress();
    },
  };
  fill();
  $$('.ws-row-add', form).forEach(b => (b.hidden = false));
  setUpCalendar(form);
  on(form, 'input', markChanged);
  on(form, 'change', markChanged);
  on(window, 'storage', e => { if (e.key === PREFIX + key && !timer) fill(); });
  on(form, 'submit', e => e.preventDefault());
  on(form, 'click', e => {
    const button = e.target.closest('button');
    const field = button?.closest('.field');
    if (!button) return;
    if (button.matches('.ws-row-add')) {
      $(FIELD_CONTROLS, addRow(field))?.focus();
      markChanged(e);
    } else if (button.matches('.ws-row-remove')) {
      const tr = button.closest('tr');
      const neighbour = tr.nextElementSibling || tr.previousElementSibling;
      (neighbour && $(FIELD_CONTROLS, neighbour) || $('.ws-row-add', field))?.focus();
      markChanged(e);
      tr.remove();
    } else actions[button.dataset.action]?.();
  });
  pendingSaves.push(flush);
}

/** A worksheet with dates exports them as a calendar; the plan script that writes it loads on
 * the first click, so pages without a chart do not load it up front. */
function setUpCalendar(form) {
  const button = $('.ws-calendar', form);
  if (!button) return;
  button.hidden = false;
  on(button, 'click', () => guidebook.loadScript(guidebook.manifest.scripts?.plan, () => guidebook.plan, plan => {
    if (!plan.formSteps(form).length) return alert(t('plan_no_dates'));
    guidebook.download(form.dataset.worksheet + '.ics', plan.formCalendar(form), 'text/calendar');
  }, () => alert(t('script_failed'))));
}

$$('form.worksheet').forEach(setUpWorksheet);
})();
