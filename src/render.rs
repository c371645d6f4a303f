//! The render stages: Markdown of every chapter in parallel (`render_markdown`), link checks over
//! all of them (`check_links`), the search index and export data (`render_book_index`), then
//! every page through the theme's templates with the manifest, sitemap and assets
//! (`render_pages`). Files stream into an `OutputSink` as they are made: no stage holds the site.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::json;

use crate::book::{Book, Chapter};
use crate::collections::ItemRef;
use crate::error::{Diagnostic, Diagnostics};
use crate::i18n::template_words;
use crate::manifest::ManifestPaths;
use crate::markdown::{self, MarkdownContext, Rendered};
use crate::output::{OutputSink, Recorder};
use crate::pages::{PageContext, PageView, Usage};
use crate::partials::Partials;
use crate::partials::views::{ChecklistView, WorksheetView};
use crate::rendered::{RenderedBook, RenderedChapter, RenderedChapters};
use crate::sidebar::Sidebar;
use crate::theme::Theme;

#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// Content-hashed asset names for cache-busting (off while serving, so one edit does not
    /// change every page's asset links).
    pub hash_assets: bool,
    /// `--strict`: broken links are errors whatever book.toml says.
    pub strict_links: bool,
}

/// Where the search index and the export data go: whole-book files that the pages link to.
pub(crate) struct BookIndex {
    pub search_path: String,
    pub data_path: String,
}

/// Writes the export data, then the search index with `beside` running meanwhile, given both
/// files' paths (a build's page stage: the index's files are named before it is built).
/// Returns what `beside` returned.
pub(crate) fn render_book_index<R: Send>(
    rendered: RenderedBook,
    hashed: bool,
    sink: &dyn OutputSink,
    beside: impl FnOnce(BookIndex) -> R + Send,
) -> Result<R, Diagnostics> {
    let data_js = crate::manifest::book_data_js(rendered);
    let data_path = asset_path("data.js", data_js.as_bytes(), hashed);
    sink.write(&data_path, data_js.into_bytes())?;
    let (_, besides) = crate::search::write_search_files(rendered, hashed, sink, |search_path| {
        beside(BookIndex {
            search_path: search_path.to_string(),
            data_path: data_path.clone(),
        })
    })?;
    Ok(besides)
}

/// A chapter's rendered Markdown that need not be rendered again (`serve`), by chapter index.
pub(crate) type ReuseMarkdown<'a> = &'a (dyn Fn(usize) -> Option<Arc<Rendered>> + Sync);

/// A chapter's page that need not be rendered again (`serve`).
pub(crate) type ReusePage<'a> = &'a (dyn Fn(RenderedChapter) -> Option<Arc<[u8]>> + Sync);

/// Reuses nothing: every chapter is rendered.
pub(crate) fn reuse_nothing<T>(_: usize) -> Option<T> {
    None
}

/// Renders every chapter's Markdown, except those `reuse` has; a failing partial is reported once.
/// With `spill`, each chapter's HTML goes there as soon as it is rendered. `taken` are the
/// sources a build took from the book (`Book::take_sources`), each dropped once rendered.
pub(crate) fn render_markdown(
    book: &Book,
    theme: &Theme,
    reuse: ReuseMarkdown,
    (spill, taken): (Option<&Arc<crate::spill::HtmlSpill>>, Vec<Option<String>>),
) -> Result<RenderedChapters, Diagnostics> {
    let ctx = LinkContext::new(book);
    let partials = Partials::new(theme, &book.config.language);
    let mut taken = taken;
    taken.resize(book.chapters.len(), None);
    book.chapters
        .par_iter()
        .zip(taken)
        .enumerate()
        .map(|(i, (c, source))| match reuse(i) {
            Some(kept) => Ok(kept),
            None => {
                let body = match &source {
                    Some(source) => &source[c.body_offset..],
                    None => c.body(),
                };
                render_chapter(book, &ctx, &partials, (c, body)).map(|mut r| {
                    if let Some(spill) = spill {
                        r.spill_into(spill);
                    }
                    Arc::new(r)
                })
            }
        })
        .collect::<Result<_, _>>()
        .map(RenderedChapters::from_stage)
        .map_err(Diagnostics::from)
}

/// What every chapter's Markdown needs to resolve links.
pub(crate) struct LinkContext {
    pages: HashMap<String, String>,
    pub cases_page: Option<String>,
    lang: crate::i18n::Lang,
}

impl LinkContext {
    pub fn new(book: &Book) -> LinkContext {
        LinkContext {
            pages: book
                .chapters
                .iter()
                .map(|c| (c.source_path.clone(), c.page_path.clone()))
                .collect(),
            cases_page: book.cases_page().map(|c| c.page_path.clone()),
            lang: crate::i18n::Lang::from_code(&book.config.language),
        }
    }

    /// What rendering one page's Markdown needs: the page's paths, the rest from the book.
    fn markdown_context<'a>(
        &'a self,
        book: &'a Book,
        partials: &'a Partials,
        [page_path, scope_path, source_path]: [&'a str; 3],
    ) -> MarkdownContext<'a> {
        MarkdownContext {
            page_path,
            scope_path,
            source_path,
            pages: &self.pages,
            collections: &book.collections,
            cases_page: self.cases_page.as_deref(),
            smart_punctuation: book.config.smart_punctuation,
            partials,
            lang: self.lang,
            code: &book.config.code,
            mathjax: book.config.mdbook.mathjax_support,
        }
    }
}

fn render_chapter(
    book: &Book,
    ctx: &LinkContext,
    partials: &Partials,
    (chapter, body): (&Chapter, &str),
) -> Result<Rendered, Diagnostic> {
    markdown::render(
        body,
        &ctx.markdown_context(
            book,
            partials,
            [
                &chapter.page_path,
                book.languages.shared_path(&chapter.page_path),
                &chapter.source_path,
            ],
        ),
    )
}

/// Broken links are errors under `--strict`, else as book.toml (or the book's layout) says.
fn link_policy(book: &Book, options: RenderOptions) -> crate::config::BrokenLinks {
    if options.strict_links {
        crate::config::BrokenLinks::Error
    } else {
        book.config.broken_links
    }
}

/// Which chapters a stage looks at: all of them, or (serve, after an edit that changed nothing
/// other pages show) only these.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Scope<'a> {
    Book,
    Only(&'a [usize]),
}

impl Scope<'_> {
    fn chapters(self, rendered: RenderedBook<'_>) -> Vec<RenderedChapter<'_>> {
        match self {
            Scope::Book => rendered.chapters().collect(),
            Scope::Only(only) => only.iter().map(|&i| rendered.chapter(i)).collect(),
        }
    }
}

/// Checks the internal links of the chapters in `scope` against the pages and their anchors,
/// and reports math that did not render. Returns the warnings, or every error with them.
pub(crate) fn check_links(
    rendered: RenderedBook,
    options: RenderOptions,
    scope: Scope,
) -> Result<Diagnostics, Diagnostics> {
    let book = rendered.book;
    let checked = scope.chapters(rendered);
    // Only the anchors of the pages the checked links point to are needed.
    let targets: Option<HashSet<&str>> = match scope {
        Scope::Book => None,
        Scope::Only(_) => Some(
            checked
                .iter()
                .flat_map(|this| this.rendered.links.iter())
                .filter_map(|l| l.target.as_deref().ok())
                .collect(),
        ),
    };
    let anchors = collect_anchors(rendered, targets.as_ref());
    let mut found = crate::check::check_links(
        &book.config.src_dir,
        &checked,
        &anchors,
        link_policy(book, options),
    );
    if found.has_errors() {
        return Err(found);
    }
    // Math that did not render: a warning at its position, the source stays on the page.
    for RenderedChapter {
        chapter,
        rendered: r,
        ..
    } in checked
    {
        for (why, range) in &r.math_errors {
            let mut d = Diagnostic::warning(format!("this math cannot be rendered: {why}"))
                .in_file(&chapter.shown_path)
                .hint("the TeX source is shown as it is; fix it to show the formula");
            if let Some(location) = chapter.locate(&book.config.src_dir, range) {
                d = d.at(location);
            }
            found.push(d);
        }
    }
    Ok(found)
}

/// mdBook: with no README/index chapter, index.html is the first chapter. Only one at the top
/// level can be copied as it is: its relative links fit index.html's depth.
fn first_chapter_as_index(book: &Book) -> Option<&str> {
    if book.chapters.iter().any(|c| c.page_path == "index.html") || !book.config.mdbook.layout {
        return None;
    }
    book.chapters
        .first()
        .map(|c| c.page_path.as_str())
        .filter(|p| !p.contains('/'))
}

/// mdBook's `[output.html.redirect]` and front-matter aliases: one small page per old path, and
/// the book's additional CSS and JS files.
fn add_mdbook_files(
    sink: &Recorder,
    rendered: RenderedBook,
    options: RenderOptions,
) -> Result<Diagnostics, Diagnostics> {
    let book = rendered.book;
    let has_redirects = !book.config.mdbook.redirects.is_empty()
        || book
            .chapters
            .iter()
            .any(|c| c.front_matter.extra.contains_key("aliases"));
    let mut built_pages = sink.paths();
    built_pages.insert("print.html".to_string());
    // Redirect targets are checked against the anchors; most books have none.
    let anchors = if has_redirects {
        collect_anchors(rendered, None)
    } else {
        PageAnchors::default()
    };
    let (redirects, mut problems) = crate::mdbook::redirect::redirect_pages(
        book,
        &built_pages,
        &anchors,
        link_policy(book, options),
    );
    for page in redirects.pages {
        sink.write(&page.path, page.html.into_bytes())?;
    }
    // Pages that stay but whose old fragments moved get mdBook's script before `</body>`.
    for script in redirects.fragment_scripts {
        if let Some(html) = sink.read_back(&script.path) {
            let html = String::from_utf8_lossy(&html);
            let at = html.rfind("</body>").unwrap_or(html.len());
            let with_script = format!("{}{}{}", &html[..at], script.html, &html[at..]);
            sink.write(&script.path, with_script.into_bytes())?;
        }
    }
    match crate::mdbook::assets::additional_files(&book.config) {
        Ok(files) => {
            for (path, bytes) in files {
                sink.write(&path, bytes)?;
            }
        }
        Err(e) => problems.extend(e),
    }
    if problems.has_errors() {
        Err(problems)
    } else {
        Ok(problems)
    }
}

/// What the page stage did besides writing: its warnings, and how many chapter pages it
/// rendered rather than reused.
pub(crate) struct PagesDone {
    pub warnings: Diagnostics,
    pub rendered_pages: usize,
}

/// Renders every page from the book, its rendered Markdown and its index into `sink`, taking from
/// `reuse` the chapter pages that need no rendering. Without an index (`serve`, which builds it
/// after the browsers reload, see `render_whole_book`) the pages link to its stable names and the
/// print page is left out too. With `Scope::Only` (serve, with stable asset names, after an
/// edit that changed nothing other pages show) only chapter pages are written, every kept page's
/// sidebar being the same: the rest of the site is the last build's. Returns the warnings, or
/// every error.
pub(crate) fn render_pages(
    rendered: RenderedBook,
    theme: &Theme,
    (options, scope): (RenderOptions, Scope),
    index: Option<BookIndex>,
    reuse: ReusePage,
    sink: &Recorder,
) -> Result<PagesDone, Diagnostics> {
    let book = rendered.book;
    let book_wide = matches!(scope, Scope::Book);
    let partials = Partials::new(theme, &book.config.language);
    let numbers = !book.config.mdbook.no_section_label;
    // Three serial jobs, side by side: at 50,000 chapters each takes a quarter of a second.
    let ((toc, sidebar), progress) = rayon::join(
        || {
            rayon::join(
                || crate::toc::toc_html(&book.toc, &book.chapters, &partials, numbers),
                || Sidebar::build(rendered, &partials, options.hash_assets),
            )
        },
        || book_wide.then(|| crate::manifest::progress_js(rendered)),
    );
    let (toc, sidebar) = (toc?, sidebar?);
    let words = theme.words(&book.config.language);
    let with_index = index.is_some();
    let index = index.unwrap_or_else(|| BookIndex {
        search_path: asset_path("search.js", &[], false),
        data_path: asset_path("data.js", &[], false),
    });
    let (assets, manifest_path) = if book_wide {
        for (path, bytes) in sidebar.files() {
            sink.write(&path, bytes)?;
        }
        let script_words = crate::script_words::split(&words.script, &theme.static_files);
        let assets = add_assets(sink, theme, &script_words, options.hash_assets)?;
        add_root_favicon(sink, theme, book)?;
        let manifest_path = add_manifest(
            sink,
            (rendered, progress.unwrap_or_default()),
            &script_words.shared,
            &assets,
            [&index.search_path, &index.data_path, &sidebar.base],
            options.hash_assets,
        )?;
        (assets, manifest_path)
    } else {
        (stable_asset_paths(theme), asset_path("book.js", &[], false))
    };
    let global = global_context(book, &words, &assets, &manifest_path);
    let usage = Usage::collect(rendered);
    let page_ctx = PageContext::new(book, theme, &global, (&toc, &sidebar), &usage);
    if !book_wide {
        return Ok(PagesDone {
            warnings: Diagnostics::default(),
            rendered_pages: write_chapter_pages(&page_ctx, rendered, (reuse, false), sink)?,
        });
    }
    // The print page and the plan's data are mostly serial work: beside the chapter pages, the
    // other core takes over chapter pages while they run.
    let (chapter_pages, other_pages) = rayon::join(
        || write_chapter_pages(&page_ctx, rendered, (reuse, true), sink),
        || write_other_pages(&page_ctx, rendered, with_index, options, sink),
    );
    let rendered_pages = chapter_pages?;
    other_pages?;
    let mut warnings = add_static_files(sink, book)?;
    warnings.extend(add_mdbook_files(sink, rendered, options)?);
    crate::sitemap::add_sitemap(book, sink)?;
    Ok(PagesDone {
        warnings,
        rendered_pages,
    })
}

/// Where `add_assets` puts each of the theme's static files with stable names.
fn stable_asset_paths(theme: &Theme) -> BTreeMap<String, String> {
    theme
        .static_files
        .keys()
        .map(|name| (name.clone(), asset_path(name, &[], false)))
        .collect()
}

/// The theme's static files under `assets/`, scripts and styles compacted, each on-demand module
/// with the words only it uses; returns each file's name to its path.
fn add_assets(
    sink: &dyn OutputSink,
    theme: &Theme,
    words: &crate::script_words::ScriptWords,
    hashed: bool,
) -> Result<BTreeMap<String, String>, Diagnostic> {
    let mut assets = BTreeMap::new();
    for (name, bytes) in &theme.static_files {
        // Served without comments and indentation (see `compact`).
        let served = match std::str::from_utf8(bytes) {
            Ok(text) if name.ends_with(".js") || name.ends_with(".css") => {
                crate::compact::compact(text, name.ends_with(".js")).into_bytes()
            }
            _ => bytes.clone(),
        };
        let bytes = match words.modules.get(name) {
            Some(own) => crate::script_words::with_words(&served, own),
            None => served,
        };
        let path = asset_path(name, &bytes, hashed);
        assets.insert(name.clone(), path.clone());
        sink.write(&path, bytes)?;
    }
    Ok(assets)
}

/// The theme's favicon at `/favicon.ico`, where browsers look for one, unless the book has its own.
fn add_root_favicon(sink: &Recorder, theme: &Theme, book: &Book) -> Result<(), Diagnostic> {
    let book_has_one = book
        .static_files
        .iter()
        .any(|f| f.output_path == "favicon.ico");
    match theme.static_files.get("favicon.ico") {
        Some(bytes) if !book_has_one => sink.write("favicon.ico", bytes.clone()),
        _ => Ok(()),
    }
}

/// The manifest script every page loads (the scripts' words and paths) and the progress data
/// (checklist ids) that only pages showing progress load; returns the manifest's path.
fn add_manifest(
    sink: &dyn OutputSink,
    (rendered, progress): (RenderedBook, String),
    script_words: &BTreeMap<String, String>,
    assets: &BTreeMap<String, String>,
    [search, data, toc_chunks]: [&str; 3],
    hashed: bool,
) -> Result<String, Diagnostic> {
    // `guidebook-<name>.js` files are the theme script's modules, loaded on first use.
    let modules: BTreeMap<&str, &str> = assets
        .iter()
        .filter_map(|(name, path)| {
            Some((
                name.strip_prefix("guidebook-")?.strip_suffix(".js")?,
                path.as_str(),
            ))
        })
        .collect();
    let progress_path = asset_path("progress.js", progress.as_bytes(), hashed);
    sink.write(&progress_path, progress.into_bytes())?;
    let paths = ManifestPaths {
        search,
        data,
        progress: &progress_path,
        toc_chunks,
        modules: &modules,
    };
    let manifest = crate::manifest::manifest_js(rendered.book, &paths, script_words);
    let path = asset_path("book.js", manifest.as_bytes(), hashed);
    sink.write(&path, manifest.into_bytes())?;
    Ok(path)
}

/// A chapter page that could not be made: its template failed (every such error is reported),
/// or the sink could not take it (the first says it all).
enum PageFailure {
    Template(Diagnostic),
    Write(Diagnostic),
}

/// Renders (or reuses) every chapter page in parallel, each written as soon as it is made; the
/// first chapter doubles as index.html in an mdBook book without one. Returns how many were
/// rendered.
fn write_chapter_pages(
    page_ctx: &PageContext,
    rendered: RenderedBook,
    (reuse, check_sidebars): (ReusePage, bool),
    sink: &dyn OutputSink,
) -> Result<usize, Diagnostics> {
    let first_as_index = first_chapter_as_index(rendered.book);
    let outcomes: Vec<Result<bool, PageFailure>> = rendered
        .par_chapters()
        .map(|this| {
            let c = this.chapter;
            let as_index = first_as_index == Some(c.page_path.as_str());
            match reuse(this) {
                // A kept page also needs the same sidebar (its part lists other chapters'
                // checklists), unless no title or checklist changed anywhere.
                Some(bytes) if !check_sidebars || page_ctx.keeps_sidebar(&c.page_path, &bytes) => {
                    if as_index {
                        sink.write("index.html", bytes.to_vec())
                            .map_err(PageFailure::Write)?;
                    }
                    sink.keep(&c.page_path, bytes).map_err(PageFailure::Write)?;
                    Ok(false)
                }
                _ => {
                    // Handed over as it is: a build's file takes the page without a copy.
                    let html = page_ctx.chapter_page(this).map_err(PageFailure::Template)?;
                    if as_index {
                        sink.write("index.html", html.clone())
                            .map_err(PageFailure::Write)?;
                    }
                    sink.write(&c.page_path, html).map_err(PageFailure::Write)?;
                    Ok(true)
                }
            }
        })
        .collect();
    let mut errors = Diagnostics::default();
    let mut fresh = 0;
    for outcome in outcomes {
        match outcome {
            Ok(rendered_now) => fresh += usize::from(rendered_now),
            Err(PageFailure::Write(e)) => return Err(e.into()),
            Err(PageFailure::Template(e)) => errors.push(e),
        }
    }
    if errors.has_errors() {
        return Err(distinct(errors));
    }
    Ok(fresh)
}

/// Worksheet and checklist pages, the landing page (when no chapter is one), 404, the reader's
/// plan with its data, and with the index the print page.
fn write_other_pages(
    page_ctx: &PageContext,
    rendered: RenderedBook,
    with_index: bool,
    options: RenderOptions,
    sink: &dyn OutputSink,
) -> Result<(), Diagnostics> {
    let mut other = render_item_pages(page_ctx);
    // The reader's plan: its page, and the data only that page loads.
    let plan_data = crate::plan::plan_data_js(rendered);
    let plan_data_path = asset_path(
        crate::plan::PLAN_DATA,
        plan_data.as_bytes(),
        options.hash_assets,
    );
    sink.write(&plan_data_path, plan_data.into_bytes())?;
    other.push((
        crate::plan::PLAN_PAGE.into(),
        crate::plan::plan_page(page_ctx, &plan_data_path),
    ));
    let mut errors = Diagnostics::default();
    for (path, html) in other {
        match html {
            Ok(html) => sink.write(&path, html.into_bytes())?,
            Err(e) => errors.push(e),
        }
    }
    if with_index && let Err(e) = page_ctx.write_print_page(rendered, sink) {
        errors.push(e);
    }
    if errors.has_errors() {
        return Err(distinct(errors));
    }
    Ok(())
}

/// Worksheet and checklist pages, the generated landing page (when no chapter is one) and 404.
fn render_item_pages(page_ctx: &PageContext) -> Vec<(String, Result<String, Diagnostic>)> {
    let book = page_ctx.book;
    let mut pages: Vec<(String, Result<String, Diagnostic>)> = Vec::new();
    let has_index = book.chapters.iter().any(|c| c.page_path == "index.html");
    if !has_index && first_chapter_as_index(book).is_none() {
        pages.push(("index.html".into(), page_ctx.generated_index()));
    }
    for (i, ws) in book.collections.worksheets.iter().enumerate() {
        let path = ws.page_path();
        let mut page = PageView::new("worksheet", &path, &ws.title);
        page.description = &ws.description;
        let view = WorksheetView::new(ws, None, 1, false);
        let html = page_ctx.item_page("worksheet.html", page, ItemRef::Worksheet(i), |ctx| {
            ctx.insert("ws", &view);
            // The form is in the template, not the body: it says itself whether it needs the plan.
            if view.uses_plan {
                ctx.insert("uses_plan", &true);
            }
        });
        pages.push((path, html));
    }
    for (i, list) in book.collections.checklists.iter().enumerate() {
        let path = list.page_path();
        let mut page = PageView::new("checklist", &path, &list.title);
        page.description = &list.description;
        let view = ChecklistView::new(list, None, false);
        let html = page_ctx.item_page("checklist.html", page, ItemRef::Checklist(i), |ctx| {
            ctx.insert("list", &view)
        });
        pages.push((path, html));
    }
    pages.extend(page_ctx.case_pages());
    let not_found =
        render_not_found_markdown(book, &Partials::new(page_ctx.theme, &book.config.language));
    let page = not_found.and_then(|content| page_ctx.not_found_page(content.as_ref()));
    pages.push(("404.html".into(), page));
    pages
}

/// mdBook's `input-404` (default `404.md`): its Markdown, rendered as if at the site's root,
/// since 404.html is served at any depth with its links absolute under site-url.
fn render_not_found_markdown(
    book: &Book,
    partials: &Partials,
) -> Result<Option<Rendered>, Diagnostic> {
    let Some(source) = crate::mdbook::not_found::read(&book.config)? else {
        return Ok(None);
    };
    let ctx = LinkContext::new(book);
    let source_path = crate::mdbook::not_found::source_path(&book.config).unwrap_or_default();
    markdown::render(
        &source.text,
        &ctx.markdown_context(book, partials, ["404.html", "404.html", source_path]),
    )
    .map(Some)
    .map_err(|e| e.in_file(&source.shown))
}

/// One broken template fails every page alike; each distinct problem is reported once.
fn distinct(mut errors: Diagnostics) -> Diagnostics {
    let mut seen = HashSet::new();
    errors.retain(|d| {
        seen.insert((
            d.file.clone(),
            d.location.as_ref().map(|l| (l.line, l.column)),
            d.message.chars().take(60).collect::<String>(),
        ))
    });
    errors
}

/// The book's own files (images...), copied as they are.
fn add_static_files(sink: &dyn OutputSink, book: &Book) -> Result<Diagnostics, Diagnostics> {
    let mut errors = Diagnostics::default();
    for file in &book.static_files {
        match std::fs::read(&file.source) {
            Ok(bytes) => sink.write(&file.output_path, bytes)?,
            Err(e) => errors.push(crate::error::io_error("read", &file.source, &e)),
        }
    }
    sink.write(".nojekyll", Vec::new())?;
    if errors.has_errors() {
        Err(errors)
    } else {
        Ok(errors)
    }
}

/// Every id each page has (each of `pages` only, when given), for checking `#fragment` links.
fn collect_anchors<'a>(
    rendered: RenderedBook<'a>,
    pages: Option<&HashSet<&str>>,
) -> PageAnchors<'a> {
    let book = rendered.book;
    // Each page's set in parallel (at 50,000 chapters, a third of a second on one core).
    let per_page: Vec<(&str, Anchors)> = rendered
        .par_chapters()
        .filter(|this| pages.is_none_or(|p| p.contains(this.chapter.page_path.as_str())))
        .map(|this| {
            let c = this.chapter;
            (
                c.page_path.as_str(),
                chapter_anchors(book, c, this.rendered),
            )
        })
        .collect();
    let mut anchors = PageAnchors::default();
    anchors.reserve(per_page.len());
    for (page, ids) in per_page {
        anchors.entry(page).or_default().extend(ids);
    }
    anchors
}

/// The ids of one page, borrowed from its rendered Markdown where they can be.
pub(crate) type Anchors<'a> = crate::hash::FastSet<Cow<'a, str>>;

/// Every page's ids, by page path.
pub(crate) type PageAnchors<'a> = crate::hash::FastMap<&'a str, Anchors<'a>>;

/// The ids a chapter's page has: its headings, ids in its raw HTML, its embedded items and
/// footnotes, and the case cards on the case list.
pub(crate) fn chapter_anchors<'a>(book: &Book, c: &Chapter, r: &'a Rendered) -> Anchors<'a> {
    let mut ids = Anchors::default();
    ids.extend(r.headings.iter().map(|h| Cow::Borrowed(h.id.as_str())));
    // Ids written in raw HTML count too (mdBook books link to `<a id>`, `<dt id>`...).
    ids.extend(
        r.other_ids
            .targets
            .iter()
            .map(|id| Cow::Borrowed(id.as_str())),
    );
    for item in &r.embeds {
        let id = match item {
            ItemRef::Case(i) => format!("case-{}", book.collections.cases[*i].id),
            ItemRef::Worksheet(i) => format!("ws-{}", book.collections.worksheets[*i].id),
            ItemRef::Checklist(i) => format!("cl-{}-title", book.collections.checklists[*i].id),
        };
        ids.insert(Cow::Owned(id));
    }
    if c.front_matter.template.as_deref() == Some("cases.html") {
        ids.extend(
            book.collections
                .cases
                .iter()
                .map(|k| Cow::Owned(format!("case-{}", k.id))),
        );
    }
    ids
}

/// What every template gets: the book, the theme's words, the assets and the site.
fn global_context(
    book: &Book,
    words: &crate::i18n::WordTable,
    assets: &BTreeMap<String, String>,
    manifest_path: &str,
) -> tera::Context {
    let config = &book.config;
    let mut global = tera::Context::new();
    global.insert(
        "book",
        &json!({
            "title": config.title, "description": config.description, "language": config.language,
            "id": config.book_id, "authors": config.authors,
        }),
    );
    // mdBook's `git-repository-url`: the top bar's link (`partials/repository-link.html`).
    global.insert(
        "repository",
        &crate::mdbook::repository::view(
            config.mdbook.git_repository_url.as_deref(),
            config.mdbook.git_repository_icon.as_deref(),
        ),
    );
    global.insert("ui", &template_words(words));
    // Set per page by `PageContext::render` (see `crate::plan::PLAN_MARKER`).
    global.insert("uses_plan", &false);
    global.insert("uses_worksheets", &false);
    global.insert(
        "assets",
        &json!({
            "css": assets.get("style.css").cloned().unwrap_or_default(),
            "js": assets.get("guidebook.js").cloned().unwrap_or_default(),
            "manifest": manifest_path,
            "all": assets,
        }),
    );
    global.insert(
        "site",
        &json!({ "url": config.site_url, "path": config.site_path }),
    );
    // mdBook: additional-css/-js in every head; the code assets for pages with code blocks.
    global.insert("mdbook_head", &crate::mdbook::assets::head_html(config));
    global.insert(
        "code_assets",
        &crate::mdbook::assets::code_html(
            assets.get("code.css").map_or("", String::as_str),
            assets.get("code.js").map_or("", String::as_str),
        ),
    );
    global
}

/// Writes the print page, search index and export data that `render_pages` leaves out without
/// an index, with stable asset names, side by side.
#[cfg(feature = "serve")]
pub(crate) fn render_whole_book(
    rendered: RenderedBook,
    theme: &Theme,
    sink: &dyn OutputSink,
) -> Result<(), Diagnostics> {
    let book = rendered.book;
    let assets = stable_asset_paths(theme);
    let words = theme.words(&book.config.language);
    let global = global_context(book, &words, &assets, &asset_path("book.js", &[], false));
    let partials = Partials::new(theme, &book.config.language);
    let numbers = !book.config.mdbook.no_section_label;
    let toc = crate::toc::toc_html(&book.toc, &book.chapters, &partials, numbers)?;
    let sidebar = Sidebar::build(rendered, &partials, false)?;
    let usage = Usage::collect(rendered);
    let page_ctx = PageContext::new(book, theme, &global, (&toc, &sidebar), &usage);
    let (print, index) = rayon::join(
        || page_ctx.write_print_page(rendered, sink),
        || render_book_index(rendered, false, sink, |_| ()),
    );
    print?;
    index.map(|_| ())
}

fn asset_path(name: &str, bytes: &[u8], hashed: bool) -> String {
    if !hashed {
        return format!("assets/{name}");
    }
    let hash = format!("{:016x}", crate::hash::content_hash(bytes));
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("assets/{stem}-{}.{ext}", &hash[..10]),
        None => format!("assets/{name}-{}", &hash[..10]),
    }
}
