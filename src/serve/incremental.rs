//! Builds for `serve` and `watch`, redoing only what a change can have touched. The first build
//! and a full one go through every stage. After a chapter edit only the changed chapter files are
//! read again (see `reread`), a chapter's Markdown is rendered again only if its file changed, and
//! its page only if the page's inputs changed: its text, title or number, a neighbour's title
//! (prev/next links), or the rendered Markdown; and only if its part of the sidebar (which lists
//! its neighbours' titles and checklists) is the same, checked when its page is about to be kept.
//! When the edited chapters' outlines (what other pages show of them, see `outline`) did not
//! change, links are checked in those chapters alone and only their pages are written: every
//! other file is the last build's. Otherwise the manifest, 404, item pages and the special
//! chapters (index, toolbox, cases) are rebuilt too. The search index, print page and export
//! data are rebuilt after the browsers reload (see `RebuildOptions::defer_whole_book`).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::files::{MemorySink, SiteFiles};
use super::reread::reread_chapters;
use crate::book::{Book, Chapter};
use crate::build::Built;
use crate::build::{StageInputs, StageTimes, StagedBook};
use crate::config::BookConfig;
use crate::error::Diagnostics;
use crate::markdown::Rendered;
use crate::output::Recorder;
use crate::render::{LinkContext, RenderOptions};
use crate::rendered::{RenderedBook, RenderedChapter, RenderedChapters};
use crate::theme::Theme;

/// The last good build with its files, and what loading the book warned about (for a rebuild
/// that reads only the changed chapters, and so finds the same).
pub(crate) struct Previous {
    /// Shared with the job building its deferred outputs (see `deferred`).
    pub built: Arc<Built>,
    pub site: SiteFiles,
    load_warnings: Diagnostics,
    /// The book before its mdBook preprocessors ran, when they can change it: a reread starts
    /// from it and runs them again, so they never see their own output.
    unprocessed: Option<Book>,
}

/// What a rebuild redid, for the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Redone {
    /// Chapters whose Markdown was rendered again.
    pub chapters: usize,
    /// Chapter pages rendered again through the theme.
    pub pages: usize,
}

/// How `serve` and `watch` build.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RebuildOptions {
    pub render: RenderOptions,
    /// Leave the search index, the export data and the print page for after the browsers reload
    /// (see `DEFERRED_PATHS`): a browser needs none of them to show a page. Only with stable
    /// asset names, which do not depend on those files' contents.
    pub defer_whole_book: bool,
}

impl RebuildOptions {
    pub(crate) fn defers(self) -> bool {
        self.defer_whole_book && !self.render.hash_assets
    }
}

/// What changed since `previous`: `None` for anything (a full build).
pub(crate) type Changed<'a> = Option<&'a [PathBuf]>;

/// Builds the book at `root`, reusing what `changed` cannot have touched in `previous`. Errors
/// come with the warnings, as from `build::build_site`, and read the same.
pub fn build(
    root: &Path,
    previous: Option<&Previous>,
    changed: Changed,
    rebuild: RebuildOptions,
) -> Result<(Previous, Redone), Diagnostics> {
    let options = rebuild.render;
    let previous = previous.filter(|_| changed.is_some());
    let mut warnings = Diagnostics::default();
    let mut times = StageTimes::keeping_freed_memory();
    let Loaded {
        book,
        theme,
        mut translations,
        load_warnings,
        unprocessed,
    } = load_stages(root, previous, changed, &mut times, &mut warnings)?;

    let reuse = previous.map(|p| Reuse::new(p, &book, &theme, options));
    let reuse_markdown = |i: usize| reuse.as_ref().and_then(|r| r.markdown(&book, i));
    // Set when nothing other pages show changed: the rest of the site is the last build's.
    let only_chapter_pages = AtomicBool::new(false);
    let only_changed = |rendered: RenderedBook| {
        let found = reuse.as_ref()?.only_changed(rendered, changed?)?;
        only_chapter_pages.store(true, Ordering::Relaxed);
        Some(found)
    };
    let reuse_page = |this: RenderedChapter| {
        let book_wide_same = only_chapter_pages.load(Ordering::Relaxed);
        reuse
            .as_ref()
            .and_then(|r| r.page(&book, this, book_wide_same))
    };
    let sink = MemorySink::default();
    let recorder = Recorder::new(&sink);
    let (rendered, rendered_pages) = crate::build::render_all_languages(
        (StagedBook::Keeping(&book), &mut translations),
        &theme,
        StageInputs {
            options,
            with_index: !rebuild.defers(),
            reuse_markdown: &reuse_markdown,
            reuse_page: &reuse_page,
            only_changed: &only_changed,
        },
        &recorder,
        &mut times,
        &mut warnings,
    )?;
    let written = recorder.totals();
    let mut site = sink.into_site();
    match previous {
        Some(previous) if only_chapter_pages.load(Ordering::Relaxed) => {
            keep_the_rest(&mut site, &previous.site)
        }
        Some(previous) if rebuild.defers() => keep_deferred(&mut site, &previous.site),
        _ => {}
    }
    let redone = redone(
        previous.map(|p| &*p.built),
        &book,
        &rendered,
        rendered_pages,
        options,
    );
    let built = Built {
        book,
        theme,
        rendered,
        written,
        rendered_pages,
        warnings,
        stage_times: times.into_vec(),
    };
    Ok((
        Previous {
            built: Arc::new(built),
            site,
            load_warnings,
            unprocessed,
        },
        redone,
    ))
}

/// The loaded book and its translations, with what a later reread needs.
struct Loaded {
    book: Book,
    theme: Theme,
    translations: Vec<Book>,
    /// What loading alone warned about, and the book before its preprocessors (see `Previous`).
    load_warnings: Diagnostics,
    unprocessed: Option<Book>,
}

/// The config, load and languages stages. Errors come with the warnings so far.
fn load_stages(
    root: &Path,
    previous: Option<&Previous>,
    changed: Changed,
    times: &mut StageTimes,
    warnings: &mut Diagnostics,
) -> Result<Loaded, Diagnostics> {
    let fail = |warnings: &Diagnostics, mut errors: Diagnostics| {
        errors.extend(warnings.iter().cloned());
        errors
    };
    let (config, config_warnings) = times.run("config", || crate::config::load(root))?;
    warnings.extend(config_warnings);
    // What loading alone warned about and the book it read, kept for the next reread.
    let mut loaded: (Diagnostics, Option<Book>) = Default::default();
    let read_book = |config: BookConfig| {
        let (book, load_warnings) = read_book(previous, changed, config)?;
        // The book's preprocessors run on every rebuild, as in a build.
        loaded = (
            load_warnings.clone(),
            crate::mdbook::preprocessor::changes_chapters(&book).then(|| book.clone()),
        );
        let (book, more) = crate::mdbook::preprocessor::run_all(book)?;
        let mut all = load_warnings;
        all.extend(more);
        Ok((book, all))
    };
    let (mut book, theme, all_load_warnings) = times
        .run("load", || crate::build::load(config, read_book))
        .map_err(|e| fail(warnings, e))?;
    warnings.extend(all_load_warnings);
    let (load_warnings, unprocessed) = loaded;
    // The other languages are built whole each time, as `build` builds them.
    let (translations, translation_warnings) = times
        .run("languages", || {
            crate::languages::load_translations(&mut book, &theme)
        })
        .map_err(|e| fail(warnings, e))?;
    warnings.extend(translation_warnings);
    Ok(Loaded {
        book,
        theme,
        translations,
        load_warnings,
        unprocessed,
    })
}

/// The changed chapters read again onto the last book as loaded (before its preprocessors, so
/// they never see their own output), or the whole book.
fn read_book(
    previous: Option<&Previous>,
    changed: Changed,
    config: BookConfig,
) -> Result<(Book, Diagnostics), Diagnostics> {
    let reread = match (previous, changed) {
        (Some(p), Some(paths)) => {
            let unprocessed = p.unprocessed.as_ref().unwrap_or(&p.built.book);
            reread_chapters(unprocessed, config.clone(), paths)
                .map(|r| r.map(|book| (book, p.load_warnings.clone())))
        }
        _ => None,
    };
    reread.unwrap_or_else(|| crate::load::load_book(config))
}

/// Every file the rebuild did not write is the last build's (see `outline`).
fn keep_the_rest(site: &mut SiteFiles, previous: &SiteFiles) {
    for (path, bytes) in &previous.files {
        site.files
            .entry(path.clone())
            .or_insert_with(|| bytes.clone());
    }
}

/// Until the deferred outputs are rebuilt, the last ones stay served rather than none.
fn keep_deferred(site: &mut SiteFiles, previous: &SiteFiles) {
    for path in super::DEFERRED_PATHS {
        if let Some(bytes) = previous.get(path) {
            site.files
                .entry(path.to_string())
                .or_insert_with(|| bytes.clone());
        }
    }
    // The search entry's shards and fragments too.
    for (path, bytes) in &previous.files {
        if crate::search::is_search_file(path) {
            site.files
                .entry(path.clone())
                .or_insert_with(|| bytes.clone());
        }
    }
}

fn redone(
    previous: Option<&Built>,
    book: &Book,
    rendered: &RenderedChapters,
    rendered_pages: usize,
    options: RenderOptions,
) -> Redone {
    let Some(previous) = previous else {
        return Redone {
            chapters: rendered.len(),
            pages: book.chapters.len(),
        };
    };
    let new_markdown = |this: &RenderedChapter| {
        previous
            .rendered
            .shared(this.index)
            .is_none_or(|old| !Arc::ptr_eq(old, this.rendered))
    };
    Redone {
        chapters: RenderedBook::new(book, rendered)
            .chapters()
            .filter(new_markdown)
            .count(),
        // Hashed asset names keep no page (see `Reuse::same_assets`).
        pages: if options.hash_assets {
            book.chapters.len()
        } else {
            rendered_pages
        },
    }
}

/// Whether every link in the book resolves as before: the same chapter files become the same
/// pages, and the same chapter is the case list.
fn same_link_targets(old: &Book, new: &Book) -> bool {
    let same_pages = old.chapters.len() == new.chapters.len()
        && old
            .chapters
            .iter()
            .zip(&new.chapters)
            .all(|(a, b)| a.source_path == b.source_path && a.page_path == b.page_path);
    same_pages && LinkContext::new(old).cases_page == LinkContext::new(new).cases_page
}

/// What a rebuild may take from the previous build.
struct Reuse<'a> {
    previous: &'a Built,
    previous_site: &'a SiteFiles,
    /// Every link resolves as before and the partials are the same, so an unchanged chapter
    /// file renders to the same Markdown output.
    same_markdown_inputs: bool,
    /// Pages link to the same asset names (never with hashed names, which follow content).
    same_assets: bool,
}

impl<'a> Reuse<'a> {
    fn new(last: &'a Previous, book: &Book, theme: &Theme, options: RenderOptions) -> Self {
        let previous = &last.built;
        Reuse {
            previous,
            previous_site: &last.site,
            // Pages carry part of the table of contents (see `sidebar`): another TOC, every page.
            same_markdown_inputs: same_link_targets(&previous.book, book)
                && previous.book.toc == book.toc
                && previous.theme.same_templates(theme),
            same_assets: !options.hash_assets
                && previous
                    .theme
                    .static_files
                    .keys()
                    .eq(theme.static_files.keys()),
        }
    }

    /// Chapter `i`'s rendered Markdown, if its file did not change.
    fn markdown(&self, book: &Book, i: usize) -> Option<Arc<Rendered>> {
        let old = self.previous.book.chapters.get(i)?;
        let new = &book.chapters[i];
        let same =
            self.same_markdown_inputs && old.source == new.source && old.expansion == new.expansion;
        same.then(|| self.previous.rendered.shared(i).cloned())
            .flatten()
    }

    /// The chapters whose Markdown was rendered again, when that is all that changed for other
    /// pages (see `outline`).
    fn only_changed(&self, rendered: RenderedBook, changed: &[PathBuf]) -> Option<Vec<usize>> {
        if !(self.same_markdown_inputs && self.same_assets) {
            return None;
        }
        super::outline::only_changed_chapters(self.previous.rendered_book(), rendered, changed)
    }

    /// Chapter `this`'s page, if its inputs did not change. With `book_wide_same` (see
    /// `only_changed`) the special chapters' book-wide data did not change either.
    fn page(&self, book: &Book, this: RenderedChapter, book_wide_same: bool) -> Option<Arc<[u8]>> {
        let keep = self.same_markdown_inputs
            && self.same_assets
            && page_unchanged(self.previous, book, this, book_wide_same);
        keep.then(|| self.previous_site.get(&this.chapter.page_path).cloned())
            .flatten()
    }
}

/// Whether chapter `i`'s page would come out as before. Special chapters (the landing page and
/// those with their own template) show book-wide data, so they render unless `book_wide_same`.
fn page_unchanged(
    previous: &Built,
    book: &Book,
    this: RenderedChapter,
    book_wide_same: bool,
) -> bool {
    let (i, c) = (this.index, this.chapter);
    let special =
        !book_wide_same && (c.front_matter.template.is_some() || c.page_path == "index.html");
    let same =
        |j: usize, whole_page: bool| match (previous.book.chapters.get(j), book.chapters.get(j)) {
            (Some(old), Some(new)) => {
                same_link_text(old, new) && (!whole_page || same_page(old, new))
            }
            (None, None) => true,
            _ => false,
        };
    !special
        && previous
            .rendered
            .shared(i)
            .is_some_and(|old| Arc::ptr_eq(this.rendered, old))
        && same(i, true)
        && i.checked_sub(1).is_none_or(|p| same(p, false))
        && same(i + 1, false)
}

/// What a neighbour's prev/next link shows.
fn same_link_text(old: &Chapter, new: &Chapter) -> bool {
    old.title == new.title && old.page_path == new.page_path
}

/// What a chapter's own page shows besides its Markdown.
fn same_page(old: &Chapter, new: &Chapter) -> bool {
    old.source == new.source
        && old.expansion == new.expansion
        && old.number == new.number
        && old.source_path == new.source_path
}
