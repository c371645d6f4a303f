//! Builds for `serve` and `watch`, redoing only what a change can have touched. The first build
//! and a full one go through every stage. After a chapter edit only the changed chapter files are
//! read again (see `reread`), a chapter's Markdown is rendered again only if its file changed, and
//! its page only if the page's inputs changed: its text, title or number, a neighbour's title
//! (prev/next links), or the rendered Markdown. The sidebar lives in the shared manifest script,
//! so a title change does not touch other pages. The manifest, search index, print page, 404,
//! item pages and the special chapters (index, toolbox, cases) are always rebuilt.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::change::theme_dir;
use super::reread::reread_chapters;
use crate::book::{Book, Chapter};
use crate::build::Built;
use crate::error::Diagnostics;
use crate::render::{KeptPages, LinkContext, RenderOptions, RenderedChapters, render_chapter};

/// The last good build, and what loading the book warned about (for a rebuild that reads only
/// the changed chapters, and so finds the same).
pub struct Previous {
    pub built: Built,
    load_warnings: Diagnostics,
}

/// What a rebuild redid, for the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Redone {
    /// Chapters whose Markdown was rendered again.
    pub chapters: usize,
    /// Chapter pages rendered again through the theme.
    pub pages: usize,
}

/// What changed since `previous`: `None` for anything (a full build).
pub type Changed<'a> = Option<&'a [PathBuf]>;

/// Builds the book at `root`, reusing what `changed` cannot have touched in `previous`. Errors
/// come with the warnings, as from `build::build_site`, and read the same.
pub fn build(
    root: &Path,
    previous: Option<&Previous>,
    changed: Changed,
    options: RenderOptions,
) -> Result<(Previous, Redone), Diagnostics> {
    let previous = previous.filter(|_| changed.is_some());
    let mut warnings = Diagnostics::default();
    let fail = |warnings: &Diagnostics, mut errors: Diagnostics| {
        errors.extend(warnings.0.iter().cloned());
        errors
    };
    let (config, config_warnings) = crate::config::load(root)?;
    warnings.extend(config_warnings.0);
    let theme = crate::theme::load(theme_dir(&config).as_deref(), root);
    let reread = match (previous, changed) {
        (Some(p), Some(paths)) => reread_chapters(&p.built.book, config.clone(), paths)
            .map(|r| r.map(|book| (book, p.load_warnings.clone()))),
        _ => None,
    };
    let loaded = reread.unwrap_or_else(|| crate::load::load_book(config));
    let (book, load_warnings, theme) = match (loaded, theme) {
        (Ok((book, w)), Ok(theme)) => (book, w, theme),
        (Err(mut e), Err(t)) => {
            e.extend(t.0);
            return Err(fail(&warnings, e));
        }
        (Err(e), _) | (_, Err(e)) => return Err(fail(&warnings, e)),
    };
    warnings.extend(load_warnings.0.iter().cloned());

    let (rendered, site) = match previous {
        None => {
            let rendered = crate::render::render_markdown(&book);
            let site = crate::render::render_site(&book, &theme, &rendered, options);
            (rendered, site)
        }
        Some(previous) => {
            let previous = &previous.built;
            let same_links = same_link_targets(&previous.book, &book);
            let rendered = render_changed_markdown(previous, &book, same_links);
            let same_assets = previous
                .theme
                .static_files
                .keys()
                .eq(theme.static_files.keys());
            let keep: Vec<bool> = (0..book.chapters.len())
                .map(|i| same_links && same_assets && page_unchanged(previous, &book, &rendered, i))
                .collect();
            let unchanged = |i: usize| keep[i];
            let kept = KeptPages {
                previous: &previous.site,
                unchanged: &unchanged,
            };
            let site =
                crate::render::render_site_incremental(&book, &theme, &rendered, options, kept);
            (rendered, site)
        }
    };
    let (mut site, render_warnings) = site.map_err(|e| fail(&warnings, e))?;
    // Until the deferred outputs are rebuilt, the last ones stay served rather than none.
    if let (true, Some(previous)) = (options.defer_whole_book, previous) {
        for path in crate::render::DEFERRED_PATHS {
            if let Some(bytes) = previous.built.site.get(path) {
                site.files
                    .entry(path.to_string())
                    .or_insert_with(|| bytes.clone());
            }
        }
    }
    warnings.extend(render_warnings.0);
    let redone = redone(previous.map(|p| &p.built), &book, &rendered, &site, options);
    let built = Built {
        book,
        theme,
        rendered,
        site,
        warnings,
    };
    Ok((
        Previous {
            built,
            load_warnings,
        },
        redone,
    ))
}

fn redone(
    previous: Option<&Built>,
    book: &Book,
    rendered: &RenderedChapters,
    site: &crate::site::Site,
    options: RenderOptions,
) -> Redone {
    let Some(previous) = previous else {
        return Redone {
            chapters: rendered.len(),
            pages: book.chapters.len(),
        };
    };
    let new_markdown = |(i, r): (usize, &Arc<_>)| {
        previous
            .rendered
            .get(i)
            .is_none_or(|old| !Arc::ptr_eq(old, r))
    };
    let new_page = |c: &Chapter| match (previous.site.get(&c.page_path), site.get(&c.page_path)) {
        (Some(old), Some(new)) => !Arc::ptr_eq(old, new),
        _ => true,
    };
    Redone {
        chapters: rendered
            .iter()
            .enumerate()
            .filter(|&x| new_markdown(x))
            .count(),
        // Hashed asset names keep no page (see `render_site_incremental`).
        pages: if options.hash_assets {
            book.chapters.len()
        } else {
            book.chapters.iter().filter(|c| new_page(c)).count()
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

/// Renders the Markdown of changed chapters; unchanged ones share the previous result.
fn render_changed_markdown(previous: &Built, book: &Book, same_links: bool) -> RenderedChapters {
    let ctx = LinkContext::new(book);
    book.chapters
        .par_iter()
        .enumerate()
        .map(|(i, c)| {
            let old = previous.book.chapters.get(i).filter(|_| same_links);
            match old {
                Some(old) if old.source == c.source && old.expansion == c.expansion => {
                    previous.rendered[i].clone()
                }
                _ => Arc::new(render_chapter(book, &ctx, c)),
            }
        })
        .collect()
}

/// Whether chapter `i`'s page would come out as before. Special chapters (the landing page and
/// those with their own template) show book-wide data, so they always render.
fn page_unchanged(previous: &Built, book: &Book, rendered: &RenderedChapters, i: usize) -> bool {
    let c = &book.chapters[i];
    let special = c.front_matter.template.is_some() || c.page_path == "index.html";
    let same =
        |j: usize, whole_page: bool| match (previous.book.chapters.get(j), book.chapters.get(j)) {
            (Some(old), Some(new)) => {
                same_link_text(old, new) && (!whole_page || same_page(old, new))
            }
            (None, None) => true,
            _ => false,
        };
    !special
        && Arc::ptr_eq(&rendered[i], &previous.rendered[i])
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
