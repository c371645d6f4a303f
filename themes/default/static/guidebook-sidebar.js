(() => {
'use strict';
// The sidebar (docs/theme-contract.md, "Sidebar"): the page holds its own part's entries around
// its chapter and the book's top level around it; every other run of entries is a chunk script
// (`toc/HASH/N.js`, setting guidebook.tocChunks[N]) loaded when the reader opens a part or asks
// for more. Scripts, not JSON, so that this works from file:// as well. Runs after guidebook.js,
// whose helpers it uses, and gives it `paintSidebarMarks` for the read marks and counts.

const guidebook = window.guidebook;
const { $, $$, el, attr, on, t, load, loadScript, ROOT } = guidebook;
const sidebar = $('#sidebar');
const list = sidebar && $('ol.toc', sidebar);
const chunkFolder = guidebook.manifest?.tocChunks;
if (!list) return;
const html = document.documentElement;
const PAGE = html.dataset.page || '';
const rootUrl = new URL(ROOT || './', location.href).href;

/** The page a sidebar link leads to, relative to the site root (for read marks and `aria-current`). */
function pathOf(a) {
  const href = a.href.split('#')[0];
  return href.startsWith(rootUrl) ? decodeURI(href.slice(rootUrl.length)) : '';
}

/** `[scope, item ids]` of each checklist a link's chapter has (its `data-checks`). */
function checklistsOf(a) {
  return (a.dataset.checks || '').split(' ').filter(Boolean).map(token => {
    const [scope, ids] = token.split('=');
    return [scope || 'page:' + a.dataset.path, ids.split(',')];
  });
}

/** Each chapter's read mark and checklist count. */
function paintSidebarMarks(read = load('read'), checks = load('checks')) {
  for (const a of $$('a[data-path]', list)) {
    let done = 0;
    let all = 0;
    for (const [scope, ids] of checklistsOf(a)) {
      const ticked = checks[scope] || {};
      done += ids.filter(id => ticked[id]).length;
      all += ids.length;
    }
    const meta = $('.toc-meta', a) || a.appendChild(el('span', 'toc-meta'));
    meta.replaceChildren();
    if (read[guidebook.readKey(a.dataset.path)]) {
      const mark = el('span', 'toc-read', '✓');
      attr(mark, 'aria-hidden', true);
      meta.append(mark, el('span', 'visually-hidden', t('toc_read')));
    }
    if (all) meta.append(el('span', 'toc-count', done + '/' + all));
  }
}

/** A sub-list's button: it folds and unfolds, and says which it is. */
function foldButton(li, className, label) {
  const button = el('button', className, label);
  button.type = 'button';
  const open = !li.classList.contains('folded') || !!$('[aria-current]', li);
  li.classList.toggle('folded', !open);
  attr(button, 'aria-expanded', open);
  return button;
}

/** Makes entries work: links, fold buttons, part buttons, marks. A chunk script's links are
 * root-relative (`fromChunk`), and this page may be deeper. */
function setUp(scope, fromChunk) {
  for (const a of $$('a[href]', scope)) {
    if (fromChunk) a.setAttribute('href', ROOT + a.getAttribute('href'));
    a.dataset.path = pathOf(a);
    if (a.dataset.path === PAGE) attr(a, 'aria-current', 'page');
  }
  // A chapter's sub-chapters (a part's entries are also an `<ol>` in its `<li>`).
  for (const li of $$('li:not(.toc-part)', scope)) {
    const sub = $(':scope>ol', li);
    if (!sub || $(':scope>.toc-fold', li)) continue;
    const button = foldButton(li, 'toc-fold');
    attr(button, 'aria-label', t('toc_fold'));
    li.classList.add('has-sub');
    sub.before(button);
  }
  for (const li of $$('li.toc-part', scope)) {
    const title = $(':scope>.toc-part-title', li);
    if (!title || title.tagName === 'BUTTON') continue;
    if (!$(':scope>ol', li)) li.classList.add('folded');
    title.replaceWith(foldButton(li, 'toc-part-title', title.textContent));
  }
  for (const button of $$('.toc-more>button', scope)) button.hidden = false;
}

/** Runs `use` with chunk `id`'s markup, loading its script first. */
function withChunk(id, use, button) {
  button.disabled = true;
  loadScript(chunkFolder + id + '.js', () => guidebook.tocChunks?.[id], chunk => {
    button.disabled = false;
    use(chunk);
  }, () => {
    button.disabled = false;
    alert(t('script_failed'));
  });
}

/** Chunk markup as entries, set up; `place` puts them into the page (and may return the ones it
 * kept). Returns the first. */
function addEntries(chunk, place) {
  const holder = el('ol');
  holder.innerHTML = chunk;
  const all = [...holder.children];
  const entries = place(all) || all;
  for (const entry of entries) setUp(entry, true);
  paintSidebarMarks();
  return entries[0];
}

on(list, 'click', e => {
  const button = e.target.closest('button');
  const li = button?.parentElement;
  if (!li) return;
  if (button.matches('.toc-fold,.toc-part-title')) {
    const open = button.getAttribute('aria-expanded') !== 'true';
    const show = () => {
      attr(button, 'aria-expanded', open);
      li.classList.toggle('folded', !open);
    };
    if (!open || $(':scope>ol', li)) return show();
    // A part whose entries are not in this page yet.
    withChunk(li.dataset.chunk, chunk => {
      const sub = li.appendChild(el('ol'));
      addEntries(chunk, entries => sub.append(...entries));
      show();
    }, button);
  } else if (li.matches('.toc-more')) {
    // The chunk after this one starts with a button back to the one shown here, and the chunk
    // before ends with one: those go.
    const later = !li.nextElementSibling;
    withChunk(button.dataset.chunk, chunk => {
      const first = addEntries(chunk, entries => {
        const back = later ? entries.shift() : entries.pop();
        if (!back?.matches('.toc-more')) entries[later ? 'unshift' : 'push'](back);
        li.replaceWith(...entries);
        return entries;
      });
      $('a,button', first)?.focus();
    }, button);
  }
});

setUp(list, false);
paintSidebarMarks();
guidebook.paintSidebarMarks = paintSidebarMarks;
const current = $('[aria-current=page]', list);
if (current) {
  sidebar.scrollTop = current.getBoundingClientRect().top - sidebar.getBoundingClientRect().top
    - sidebar.clientHeight / 2;
}
})();
