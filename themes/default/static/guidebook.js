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
// The sidebar's entries, fold buttons and marks are guidebook-sidebar.js's work.

const drawerIsOpen = () => html.classList.contains('drawer-open');
const paintSidebarToggle = () => attr(sidebarToggle, 'aria-expanded',
  wideScreen.matches ? !html.classList.contains('sidebar-hidden') : drawerIsOpen());
/** On narrow screens the sidebar is a drawer over the page; the rest of the page is inert while it
 * is open, so Tab stays in the drawer (and on the button that closes it). */
function setDrawer(open) {
  toggleRootClass('drawer-open', open);
  for (const behind of $$('#content, .topbar > :not(#sidebar-toggle)')) behind.inert = open;
  paintSidebarToggle();
  if (open) ($('[aria-current=page]', sidebar) || sidebar && $('a,button', sidebar))?.focus({ preventScroll: true });
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

// ---- Worksheets: guidebook-worksheets.js, loaded by the pages that have one ----

/** Every worksheet's pending save, run before the page goes away or prints. */
const pendingSaves = [];
const flushAll = () => pendingSaves.forEach(flush => flush());
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
    withProgress(progress => {
      // This language's reading progress; ticks are shared by every language.
      const read = load('read');
      (progress.chapters || []).forEach(c => delete read[readKey(c.path)]);
      save('read', Object.keys(read).length ? read : null);
      save('checks');
      location.reload();
    });
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

/** The progress data (guidebook.progress: each chapter's checklists, every worksheet's fields),
 * loaded only by the pages that show figures and by export and import. */
function withProgress(use) {
  loadScript(manifest.progressScript, () => guidebook.progress, use, () => alert(t('script_failed')));
}

/** [ticked, total] over the checklists with these scopes. */
function tally(scopeItems, scopes, ticks) {
  return scopes.reduce(([done, all], scope) => {
    const items = scopeItems.get(scope) || [];
    const ticked = ticks[scope] || {};
    return [done + items.filter(i => ticked[i]).length, all + items.length];
  }, [0, 0]);
}

function paintFigures(progress, read, ticks) {
  const chapters = progress.chapters || [];
  const worksheets = progress.worksheets || [];
  /** Checklist scope → its item ids, for counting ticks anywhere in the book. */
  const scopeItems = new Map();
  chapters.forEach(c => (c.checklists || []).forEach(s => s.items && scopeItems.set(s.scope, s.items)));
  (progress.checklists || []).forEach(l => scopeItems.set(l.scope, l.items || []));
  const answeredFields = w => {
    const answers = load('ws:' + w.id).fields || {};
    return (w.fields || []).filter(f => !isEmpty(answers[f])).length;
  };
  const box = $('#reader-progress');
  if (box) {
    const list = $('.progress-stats', box)
      || ($('.progress-figures', box) || box).appendChild(el('ul', 'progress-stats'));
    const numbered = chapters.filter(c => c.numbered);
    list.replaceChildren(...[
      [t('progress_read'), numbered.filter(c => read[readKey(c.path)]).length, numbered.length],
      [t('progress_checks'), ...tally(scopeItems, [...scopeItems.keys()], ticks)],
      [t('progress_worksheets'), worksheets.filter(answeredFields).length, worksheets.length],
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
    const w = worksheets.find(w => w.id === e.dataset.worksheetProgress);
    if (!w) continue;
    e.textContent = t('ws_filled', { done: answeredFields(w), total: (w.fields || []).length });
    e.hidden = false;
  }
  for (const e of $$('[data-checklist-progress]')) {
    e.textContent = tally(scopeItems, [e.dataset.checklistProgress], ticks).join('/');
    e.hidden = false;
  }
}

const showsFigures = !!$('#reader-progress,[data-worksheet-progress],[data-checklist-progress]');
function paintProgress() {
  const read = load('read');
  const ticks = load('checks');
  guidebook.paintSidebarMarks?.(read, ticks);
  if (showsFigures) withProgress(progress => paintFigures(progress, read, ticks));
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
  const run = () => loadScript(manifest.scripts?.[name], ready, use, () => alert(t('script_failed')));
  // Import checks answers against the book's worksheets, which the progress data lists.
  if (name === 'tools') withProgress(run);
  else run();
}

// What the modules use.
Object.assign(guidebook, {
  t, $, $$, el, attr, on, load, save, readRaw, writeRaw, unreadable, stamp, hm, txt,
  isArr, isEmpty, isObj, download, loadScript, flushAll, paintProgress, BOOK, ROOT, PREFIX,
  pendingSaves, storageStatus, withModule, FIELD_CONTROLS, readKey, ANSWERS_VERSION,
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
