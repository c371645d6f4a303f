(() => {
'use strict';
// The default theme's script: theme toggle, sidebar, keys, checklists, worksheets, reading
// progress. It reads the HTML described in docs/theme-contract.md and `window.guidebook`, which
// the book's manifest script (book-HASH.js) sets before this runs: `manifest` (the sidebar and the
// ids progress needs) and `words` (every word this script shows). Modules that are needed only
// on use (search, export/import) load on demand and register under `guidebook.modules`.

const guidebook = window.guidebook = window.guidebook || {};
const manifest = guidebook.manifest || {};
const words = guidebook.words || {};
const html = document.documentElement;
const BOOK = html.dataset.book || manifest.book || 'book';
const ROOT = html.dataset.root || '';
const PAGE = html.dataset.page || '';
const CHAPTERS = manifest.chapters || [];
const WORKSHEETS = manifest.worksheets || [];
const CHECKLISTS = manifest.checklists || [];
/** Every key this book stores starts with this: the same in every language of the book, so
 * answers and ticks are shared across them. */
const PREFIX = 'guidebook:' + BOOK + ':';
/** Reading progress is per language: a page of `en/` is read as `en/<path>`. */
const LANGUAGE_PATH = manifest.languagePath || '';
const readKey = path => LANGUAGE_PATH + path;
/** Worksheet records whose choices hold option positions (1 held option texts). */
const ANSWERS_VERSION = 2;
const FIELD_CONTROLS = 'input,select,textarea';

// ---- Small helpers ----

/** A word from the book's words table, with `{name}` filled in from `params`. */
function t(key, params) {
  const word = words[key];
  if (word === undefined) return key;
  return params ? word.replace(/\{(\w+)\}/g, (all, name) => (name in params ? params[name] : all)) : word;
}
const $ = (selector, root = document) => root.querySelector(selector);
const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];
/** A new element with an optional class and text. */
function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text != null) e.textContent = text;
  return e;
}
const attr = (e, name, value) => e?.setAttribute(name, value);
const on = (target, type, handler, options) => target?.addEventListener(type, handler, options);
const toggleRootClass = (name, force) => html.classList.toggle(name, force);
/** `2024-03-15 14:05` in local time, and its `14:05`. */
const stamp = time => time.toLocaleString('sv').slice(0, 16);
const hm = time => stamp(time).slice(11);
const txt = e => (e ? e.textContent.trim().replace(/\s+/g, ' ') : '');
const isArr = Array.isArray;
const isEmpty = v => (isArr(v) ? !v.length : v == null || String(v).trim() === '');
const isObj = o => !!o && typeof o === 'object' && !isArr(o);

/** Saves `text` as a file the browser downloads. */
function download(name, text, type) {
  const a = el('a');
  a.href = URL.createObjectURL(new Blob([text], { type: type + ';charset=utf-8' }));
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

// ---- Storage ----
// Every read and write of the reader's data goes through these functions, so that a browser
// without storage, a full storage or an unreadable value is noticed, shown on the page and never
// made worse.

const storageProblems = new Map();
/** Unreadable values by key (without the book prefix), kept so that exports still carry them. */
const unreadable = {};

function showStorageProblems() {
  let box = $('.storage-warning');
  if (!box) {
    box = el('div', 'storage-warning');
    attr(box, 'role', 'alert');
    ($('#content') || document.body).prepend(box);
  }
  box.replaceChildren(...[...storageProblems.values()].map(message => el('p', '', message)));
}

function noteStorageProblem(kind, message) {
  if (storageProblems.get(kind) === message) return;
  storageProblems.set(kind, message);
  if (document.body) showStorageProblems();
  else on(document, 'DOMContentLoaded', showStorageProblems);
}

const isQuotaError = e => e && (e.name === 'QuotaExceededError' || e.code === 22);

function readRaw(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    noteStorageProblem('unavailable', t('storage_unavailable'));
    return null;
  }
}

/** Writes (or, for `null`, removes) one key; false when the browser refuses. */
function writeRaw(key, value) {
  try {
    if (value == null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
    return true;
  } catch (e) {
    if (isQuotaError(e)) noteStorageProblem('full', t('storage_full'));
    else noteStorageProblem('unavailable', t('storage_unavailable'));
    return false;
  }
}

/** Moves an unreadable value aside, under `corrupt:<time>:<key>`, before anything replaces it. */
function keepUnreadable(key, text) {
  if (unreadable[key] === text) return;
  unreadable[key] = text;
  const aside = PREFIX + 'corrupt:' + Date.now() + ':' + key;
  const moved = writeRaw(aside, text) && writeRaw(PREFIX + key, null);
  noteStorageProblem('corrupt:' + key, moved
    ? t('storage_corrupt_kept', { key, aside })
    : t('storage_corrupt_stuck', { key }));
}

/** The object stored under `key` (without the prefix), `{}` when there is none or it is unreadable. */
function load(key) {
  const text = readRaw(PREFIX + key);
  if (text == null) return {};
  try {
    const value = JSON.parse(text);
    if (isObj(value)) return value;
  } catch { /* unreadable: kept aside below */ }
  keepUnreadable(key, text);
  return {};
}

/** Stores `value` as JSON under `key` (removes it for a missing value); false when refused. */
function save(key, value) {
  // The unreadable value could not be moved aside: never write over it.
  if (key in unreadable && readRaw(PREFIX + key) === unreadable[key]) return false;
  return writeRaw(PREFIX + key, value && JSON.stringify(value));
}

const storageStatus = () => [...storageProblems.values()].join(' ');

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

// ---- Theme toggle ----

const themeToggle = $('#theme-toggle');
const prefersDark = matchMedia('(prefers-color-scheme: dark)');
const isDark = () => (html.dataset.theme || (prefersDark.matches ? 'dark' : 'light')) === 'dark';
/** Pressed in dark mode; the icon (a moon or a sun) and the tooltip show the mode a click gives. */
function paintThemeToggle() {
  attr(themeToggle, 'aria-pressed', isDark());
  attr(themeToggle, 'title', t(isDark() ? 'theme_to_light' : 'theme_to_dark'));
}
on(themeToggle, 'click', () => {
  html.dataset.theme = isDark() ? 'light' : 'dark';
  writeRaw('guidebook:theme', html.dataset.theme);
  paintThemeToggle();
});
on(prefersDark, 'change', paintThemeToggle);
paintThemeToggle();

// ---- Sidebar ----

const sidebar = $('#sidebar');
const sidebarToggle = $('#sidebar-toggle');
const wideScreen = matchMedia('(min-width: 60rem)');
/** Checklist scope → its item ids, for counting ticks anywhere in the book. */
const scopeItems = new Map();
CHAPTERS.forEach(c => (c.checklists = c.checklists || []).forEach(s => s.items && scopeItems.set(s.scope, s.items)));
CHECKLISTS.forEach(l => scopeItems.set(l.scope, l.items || []));

/** [ticked, total] over the checklists with these scopes. */
function tally(scopes, checks) {
  return scopes.reduce(([done, all], scope) => {
    const items = scopeItems.get(scope) || [];
    const ticked = checks[scope] || {};
    return [done + items.filter(i => ticked[i]).length, all + items.length];
  }, [0, 0]);
}

let currentLink;
if (sidebar && manifest.toc) {
  sidebar.insertAdjacentHTML('beforeend', manifest.toc);
  for (const a of $$('a[href]', sidebar)) {
    const href = a.getAttribute('href');
    const path = a.dataset.path = a.dataset.path || decodeURI(href);
    // The manifest's links are root-relative; this page may be deeper.
    if (!/^([a-z]+:|#|\/)/i.test(href)) a.setAttribute('href', ROOT + href);
    if (path === PAGE) attr(a, 'aria-current', 'page');
  }
  currentLink = $('[aria-current=page]', sidebar);
  for (const li of $$('li.toc-chapter', sidebar)) addFoldButton(li);
  if (currentLink) {
    sidebar.scrollTop = currentLink.getBoundingClientRect().top - sidebar.getBoundingClientRect().top
      - sidebar.clientHeight / 2;
  }
}

/** A chapter with sub-chapters gets a button that folds them; the current chapter's start open. */
function addFoldButton(li) {
  const sub = $(':scope>ol', li);
  if (!sub) return;
  const button = el('button', 'toc-fold');
  const setOpen = open => {
    attr(button, 'aria-expanded', open);
    li.classList.toggle('folded', !open);
  };
  button.type = 'button';
  attr(button, 'aria-label', t('toc_fold'));
  setOpen(!!$('[aria-current]', li));
  button.onclick = () => setOpen(button.getAttribute('aria-expanded') !== 'true');
  li.classList.add('has-sub');
  sub.before(button);
}

/** Each chapter's read mark and checklist count in the sidebar. */
function paintSidebarMarks(read, checks) {
  for (const c of CHAPTERS) {
    const a = sidebar && $(`a[data-path="${CSS.escape(c.path)}"]`, sidebar);
    if (!a) continue;
    const [done, all] = tally(c.checklists.map(s => s.scope), checks);
    const meta = $('.toc-meta', a) || a.appendChild(el('span', 'toc-meta'));
    meta.replaceChildren();
    if (read[readKey(c.path)]) {
      const mark = el('span', 'toc-read', '✓');
      attr(mark, 'aria-hidden', true);
      meta.append(mark, el('span', 'visually-hidden', t('toc_read')));
    }
    if (all) meta.append(el('span', 'toc-count', done + '/' + all));
  }
}

const drawerIsOpen = () => html.classList.contains('drawer-open');
const paintSidebarToggle = () => attr(sidebarToggle, 'aria-expanded',
  wideScreen.matches ? !html.classList.contains('sidebar-hidden') : drawerIsOpen());
/** On narrow screens the sidebar is a drawer over the page; the rest of the page is inert while it
 * is open, so Tab stays in the drawer (and on the button that closes it). */
function setDrawer(open) {
  toggleRootClass('drawer-open', open);
  for (const behind of $$('#content, .topbar > :not(#sidebar-toggle)')) behind.inert = open;
  paintSidebarToggle();
  if (open) (currentLink || sidebar && $('a,button', sidebar))?.focus({ preventScroll: true });
}
toggleRootClass('sidebar-hidden', readRaw('guidebook:sidebar') === 'hidden');
on(sidebarToggle, 'click', () => {
  if (!wideScreen.matches) return setDrawer(!drawerIsOpen());
  writeRaw('guidebook:sidebar', toggleRootClass('sidebar-hidden') ? 'hidden' : null);
  paintSidebarToggle();
});
on(wideScreen, 'change', () => setDrawer(false));
paintSidebarToggle();
on(document, 'click', e => {
  if (drawerIsOpen() && !e.target.closest('#sidebar,#sidebar-toggle')) setDrawer(false);
});

// ---- Keys: ← → for previous and next, / or s for search, Esc closes the drawer ----

on(document, 'keydown', e => {
  const target = e.target;
  const key = e.key;
  if (key === 'Escape' && drawerIsOpen()) {
    setDrawer(false);
    sidebarToggle.focus();
    return;
  }
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing
    || target.isContentEditable || target.closest?.(FIELD_CONTROLS + ',dialog,pre,table')) return;
  if ((key === 'ArrowLeft' || key === 'ArrowRight') && !e.shiftKey) {
    const link = $(`a[rel=${key === 'ArrowLeft' ? 'prev' : 'next'}]`);
    if (link) location.href = link.href;
  } else if (key === '/' || key === 's') {
    e.preventDefault();
    openSearch();
  }
});

// ---- On-page table of contents: marks the section being read ----

const tocTargets = $$('.page-toc a[href^="#"]')
  .map(a => [a, document.getElementById(decodeURIComponent(a.hash.slice(1)))])
  .filter(pair => pair[1]);
if (tocTargets.length && window.IntersectionObserver) {
  const markCurrentSection = () => {
    let current;
    for (const [a, heading] of tocTargets) if (heading.getBoundingClientRect().top < innerHeight * 0.3) current = a;
    for (const [a] of tocTargets) {
      if (a === current) attr(a, 'aria-current', 'location');
      else a.removeAttribute('aria-current');
    }
  };
  for (const margin of ['0px', '0px 0px -70%']) {
    const observer = new IntersectionObserver(markCurrentSection, { rootMargin: margin });
    tocTargets.forEach(pair => observer.observe(pair[1]));
  }
}

// ---- Checklists ----

const checklistBoxes = $$('.checklist');
// Counters and reset buttons only work with this script, so it adds them.
for (const list of checklistBoxes) {
  const bar = el('div', 'checklist-bar');
  const count = el('span', 'checklist-count');
  const reset = el('button', 'checklist-reset', t('checklist_reset'));
  attr(count, 'aria-live', 'polite');
  reset.type = 'button';
  bar.append(count, ' ', reset);
  list.prepend(bar);
}
let checks = load('checks');

/** Sets every box from the stored ticks and updates the counters. */
function paintChecklists() {
  const itemsByScope = {};
  for (const list of checklistBoxes) {
    const scope = list.dataset.scope;
    for (const box of $$('input[data-item]', list)) {
      box.checked = !!checks[scope]?.[box.dataset.item];
      (itemsByScope[scope] = itemsByScope[scope] || new Set()).add(box.dataset.item);
    }
  }
  for (const list of checklistBoxes) {
    const scope = list.dataset.scope;
    const ticked = checks[scope] || {};
    const items = [...itemsByScope[scope] || []];
    $('.checklist-count', list)?.replaceChildren(
      el('span', 'visually-hidden', t('checklist_done')),
      items.filter(i => ticked[i]).length + '/' + items.length);
  }
}

/** Changes the ticks with `change`, over what another tab may have stored since. */
function updateChecks(change) {
  checks = load('checks');
  change();
  save('checks', checks);
  paintChecklists();
  paintProgress();
}
paintChecklists();
on(document, 'change', e => {
  const box = e.target;
  const list = box.closest('.checklist');
  const scope = list?.dataset.scope;
  if (!list || !box.dataset.item) return;
  updateChecks(() => {
    const ticked = checks[scope] = checks[scope] || {};
    if (box.checked) ticked[box.dataset.item] = true;
    else delete ticked[box.dataset.item];
    if (!Object.keys(ticked).length) delete checks[scope];
  });
});
on(document, 'click', e => {
  const scope = e.target.closest('.checklist-reset')?.closest('.checklist').dataset.scope;
  if (scope && confirm(t('checklist_reset_confirm'))) updateChecks(() => delete checks[scope]);
});

// On print.html one label id can appear in several chapters, and a label's `for` then names the
// first control with that id in the page: a label always acts on the control of its own item.
on(document, 'click', e => {
  const label = e.target.closest('label');
  const own = label?.closest('.checklist li.task,form.worksheet .field');
  if (!own || !label.htmlFor || !label.control || own.contains(label.control) || e.target.closest('a')) return;
  const control = $$('[id]', own).find(x => x.id === label.htmlFor);
  if (!control) return;
  e.preventDefault();
  if (control.type === 'checkbox' || control.type === 'radio') control.click();
  else control.focus();
});

// ---- Worksheets ----

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

/** Every worksheet's pending save, run before the page goes away or prints. */
const pendingSaves = [];
const flushAll = () => pendingSaves.forEach(flush => flush());

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

$$('form.worksheet').forEach(setUpWorksheet);
on(window, 'pagehide', flushAll);
// Printed textareas show all their text.
on(window, 'beforeprint', () => {
  flushAll();
  for (const area of $$('textarea')) {
    area.style.height = 'auto';
    area.style.height = area.scrollHeight + 'px';
  }
});
on(window, 'afterprint', () => $$('textarea').forEach(area => (area.style.height = '')));

// ---- Book-wide buttons (landing page, toolbox) ----

on(document, 'click', e => {
  const button = e.target.closest('[data-action]');
  const action = button?.dataset.action;
  if (!button || button.closest('form.worksheet')) return;
  if (action === 'open-search') openSearch();
  if (/^(ex|im)port-book/.test(action)) {
    flushAll();
    withModule('tools', tools => tools[action]());
  }
  if (action === 'reset-progress' && confirm(t('reset_progress_confirm'))) {
    // This language's reading progress; ticks are shared by every language.
    const read = load('read');
    CHAPTERS.forEach(c => delete read[readKey(c.path)]);
    save('read', Object.keys(read).length ? read : null);
    save('checks');
    location.reload();
  }
});

// ---- Reading progress: a chapter is read when the reader says so, or reaches its end after the
// time a quick read of its text takes (so End alone is not enough) ----

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/g;

/** Seconds a quick read of the text takes: 15 Han characters or 8 other words a second, 5 at least. */
function readingSeconds(article) {
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
    acceptNode: n => (n.parentElement.closest('form,.checklist') ? 2 : 1), // worksheets are not read
  });
  let seconds = 0;
  while (walker.nextNode()) {
    const text = walker.currentNode.nodeValue;
    seconds += (text.match(CJK) || []).length / 15 + (text.replace(CJK, ' ').match(/[\p{L}\p{N}]+/gu) || []).length / 8;
  }
  return Math.max(5, Math.round(seconds));
}

/** Milliseconds the page has been in view (a hidden tab is not being read); `onChange` runs when
 * it is hidden or shown. */
function visibleTimeClock(onChange) {
  let before = 0;
  let since = document.hidden ? 0 : performance.now();
  on(document, 'visibilitychange', () => {
    if (document.hidden) before += since && performance.now() - since;
    since = document.hidden ? 0 : performance.now();
    onChange();
  });
  return () => before + (since && performance.now() - since);
}

const markReadButton = $('.mark-read');
const chapterEnd = $('#chapter-end');
const readPath = readKey(markReadButton?.dataset.page || PAGE);
let markAutomatically = true;

function paintMarkRead() {
  const read = !!load('read')[readPath];
  attr(markReadButton, 'aria-pressed', read);
  markReadButton.textContent = read ? t('read_done') : t('mark_read');
}
function setRead(read) {
  const marks = load('read');
  if (read) marks[readPath] = true;
  else delete marks[readPath];
  save('read', marks);
  paintMarkRead();
  paintProgress();
}

/** Marks the chapter read once its end is in view after `seconds` of reading. */
function markReadAfterReading(seconds) {
  let endVisible = false;
  let timer = 0;
  const check = () => {
    if (markAutomatically && endVisible && visibleTime() >= seconds * 1000) {
      markAutomatically = false;
      setRead(true);
    }
  };
  // The end may be in view already when the time is up.
  const checkWhenTimeIsUp = () => {
    clearTimeout(timer);
    if (!document.hidden) timer = setTimeout(check, seconds * 1000 - visibleTime() + 50);
  };
  const visibleTime = visibleTimeClock(checkWhenTimeIsUp);
  new IntersectionObserver(entries => {
    endVisible = entries[entries.length - 1].isIntersecting;
    check();
  }).observe(chapterEnd);
  checkWhenTimeIsUp();
}

if (markReadButton) {
  markReadButton.hidden = false;
  paintMarkRead();
  markReadButton.onclick = () => {
    markAutomatically = false;
    setRead(markReadButton.getAttribute('aria-pressed') !== 'true');
  };
  const article = $('article.chapter');
  // A chapter already read has nothing to mark; one the reader unmarks stays unmarked on this visit.
  markAutomatically = !load('read')[readPath];
  if (markAutomatically && chapterEnd && article && window.IntersectionObserver) {
    const seconds = readingSeconds(article);
    markReadButton.dataset.readingSeconds = seconds;
    markReadAfterReading(seconds);
  }
}

// ---- Progress figures: sidebar marks, the landing page's figures, worksheet and checklist counts ----

const answeredFields = w => {
  const answers = load('ws:' + w.id).fields || {};
  return (w.fields || []).filter(f => !isEmpty(answers[f])).length;
};

function paintProgress() {
  const read = load('read');
  const ticks = load('checks');
  const box = $('#reader-progress');
  paintSidebarMarks(read, ticks);
  if (box) {
    const list = $('.progress-stats', box)
      || ($('.progress-figures', box) || box).appendChild(el('ul', 'progress-stats'));
    const numbered = CHAPTERS.filter(c => c.numbered);
    list.replaceChildren(...[
      [t('progress_read'), numbered.filter(c => read[readKey(c.path)]).length, numbered.length],
      [t('progress_checks'), ...tally([...scopeItems.keys()], ticks)],
      [t('progress_worksheets'), WORKSHEETS.filter(answeredFields).length, WORKSHEETS.length],
    ].map(([label, done, all]) => {
      const li = el('li');
      const bar = el('progress');
      bar.max = all || 1;
      bar.value = done;
      attr(bar, 'aria-hidden', true);
      li.append(label + ' ', el('strong', '', done + '/' + all), bar);
      return li;
    }));
    box.hidden = false;
  }
  for (const e of $$('[data-worksheet-progress]')) {
    const w = WORKSHEETS.find(w => w.id === e.dataset.worksheetProgress);
    if (!w) continue;
    e.textContent = t('ws_filled', { done: answeredFields(w), total: (w.fields || []).length });
    e.hidden = false;
  }
  for (const e of $$('[data-checklist-progress]')) {
    e.textContent = tally([e.dataset.checklistProgress], ticks).join('/');
    e.hidden = false;
  }
}
paintProgress();

// ---- Modules loaded on first use: search, export and import ----

/** Adds a script once; `ready()` says whether what it defines is there yet. */
function loadScript(src, ready, ok, fail) {
  if (ready()) return ok(ready());
  const s = el('script');
  s.src = ROOT + src;
  s.onload = () => (ready() ? ok(ready()) : s.onerror());
  s.onerror = () => {
    s.remove();
    if (fail) fail();
  };
  document.head.append(s);
}

guidebook.modules = guidebook.modules || {};
/** Runs `use` with a module (`tools`, `search`), loading it first if needed. */
function withModule(name, use) {
  const ready = () => guidebook.modules[name];
  loadScript(manifest.scripts?.[name], ready, use, () => alert(t('script_failed')));
}

// What the modules use.
Object.assign(guidebook, {
  t, $, $$, el, attr, on, load, save, readRaw, writeRaw, unreadable, stamp, hm, txt,
  isArr, isEmpty, isObj, download, loadScript, flushAll, paintProgress, BOOK, ROOT, PREFIX,
  readKey,
});
const searchDialog = $('#search-dialog');
function openSearch() {
  if (!searchDialog) return;
  if (!searchDialog.open) searchDialog.showModal();
  $('#search-input')?.focus();
  withModule('search', search => search.open());
}
on($('#search-toggle'), 'click', openSearch);
})();
