//! Render: Markdown of every chapter in parallel, link checks over all of them, then every page
//! through the theme's templates, plus the manifest, the search index, sitemap and assets.
//! Produces a `Site` in memory; only `output` touches the destination folder.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::json;

use crate::book::{Book, Chapter};
use crate::collections::{ItemRef, html as embed_html};
use crate::error::{Diagnostic, Diagnostics};
use crate::i18n::{Lang, template_words};
use crate::manifest::ManifestPaths;
use crate::markdown::{self, MarkdownContext, Rendered};
use crate::pages::{PageContext, PageView, Usage};
use crate::site::Site;
use crate::theme::Theme;

#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// Content-hashed asset names for cache-busting (off while serving, so one edit does not
    /// change every page's asset links).
    pub hash_assets: bool,
    /// Leave the print page, the search index and the export data to `render_deferred`: while
    /// serving, a browser can reload before they are ready, as it needs none of them to show a page.
    /// Only with stable asset names, which do not depend on those files' contents.
    pub defer_whole_book: bool,
}

/// The outputs `defer_whole_book` leaves out, by their stable paths.
pub const DEFERRED_PATHS: [&str; 3] = ["print.html", "assets/search.js", "assets/data.js"];

/// The rendered Markdown of each chapter, kept between rebuilds while serving.
pub type RenderedChapters = Vec<Arc<Rendered>>;

pub fn render_markdown(book: &Book) -> RenderedChapters {
    let ctx = LinkContext::new(book);
    book.chapters
        .par_iter()
        .map(|c| Arc::new(render_chapter(book, &ctx, c)))
        .collect()
}

/// What every chapter's Markdown needs to resolve links.
pub struct LinkContext {
    pub pages: HashMap<String, String>,
    pub cases_page: Option<String>,
    pub lang: Lang,
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
            lang: Lang::from_code(&book.config.language),
        }
    }
}

pub fn render_chapter(book: &Book, ctx: &LinkContext, chapter: &Chapter) -> Rendered {
    markdown::render(
        chapter.body(),
        &MarkdownContext {
            page_path: &chapter.page_path,
            source_path: &chapter.source_path,
            pages: &ctx.pages,
            collections: &book.collections,
            cases_page: ctx.cases_page.as_deref(),
            smart_punctuation: book.config.smart_punctuation,
            lang: ctx.lang,
        },
    )
}

/// Renders the whole site from the book and its rendered Markdown. Returns the site with any
/// warnings, or every error found.
pub fn render_site(
    book: &Book,
    theme: &Theme,
    rendered: &[Arc<Rendered>],
    options: RenderOptions,
) -> Result<(Site, Diagnostics), Diagnostics> {
    render_site_keeping(book, theme, rendered, options, None)
}

/// A page's path and bytes, rendered or kept.
type SitePage = (String, Arc<[u8]>);

/// Chapter pages an incremental rebuild (`serve`) keeps from the previous build.
pub struct KeptPages<'a> {
    pub previous: &'a Site,
    /// Whether chapter `i`'s page has the same inputs as in `previous` (its source, title and
    /// number, its neighbours' titles, its rendered Markdown, the theme and the configuration).
    pub unchanged: &'a (dyn Fn(usize) -> bool + Sync),
}

/// `render_site`, taking the page of every unchanged chapter from `kept.previous` instead of
/// rendering it again. Everything else (manifest, search index, print page, item pages, link
/// checks) is built anew. With hashed asset names every page links to names that change with
/// content, so nothing is kept then.
pub fn render_site_incremental(
    book: &Book,
    theme: &Theme,
    rendered: &[Arc<Rendered>],
    options: RenderOptions,
    kept: KeptPages,
) -> Result<(Site, Diagnostics), Diagnostics> {
    let kept = Some(kept).filter(|_| !options.hash_assets);
    render_site_keeping(book, theme, rendered, options, kept)
}

fn render_site_keeping(
    book: &Book,
    theme: &Theme,
    rendered: &[Arc<Rendered>],
    options: RenderOptions,
    kept: Option<KeptPages>,
) -> Result<(Site, Diagnostics), Diagnostics> {
    let config = &book.config;
    let lang = Lang::from_code(&config.language);
    let mut diagnostics = Diagnostics::default();

    let anchors = collect_anchors(book, rendered);
    diagnostics.extend(
        crate::check::check_links(&book.chapters, rendered, &anchors, config.broken_links).0,
    );
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }

    let usage = Usage::collect(book, rendered);
    let mut site = Site::default();

    // Assets first: pages link to them by their (hashed) names.
    let mut assets = BTreeMap::new();
    for (name, bytes) in &theme.static_files {
        let path = asset_path(name, bytes, options.hash_assets);
        assets.insert(name.clone(), path.clone());
        site.insert(path, bytes.clone());
    }
    let defer = options.defer_whole_book && !options.hash_assets;
    let (search_path, data_path) = if defer {
        (
            asset_path("search.js", &[], false),
            asset_path("data.js", &[], false),
        )
    } else {
        let search_js = search_index_js(book, rendered);
        let data_js = crate::manifest::book_data_js(book, rendered);
        let search_path = asset_path("search.js", search_js.as_bytes(), options.hash_assets);
        let data_path = asset_path("data.js", data_js.as_bytes(), options.hash_assets);
        site.insert(search_path.clone(), search_js.into_bytes());
        site.insert(data_path.clone(), data_js.into_bytes());
        (search_path, data_path)
    };
    let toc = crate::toc::toc_html(&book.toc, &book.chapters);
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
    let paths = ManifestPaths {
        search: &search_path,
        data: &data_path,
        modules: &modules,
    };
    let manifest = crate::manifest::manifest_js(book, rendered, &toc, &paths);
    let manifest_path = asset_path("book.js", manifest.as_bytes(), options.hash_assets);
    site.insert(manifest_path.clone(), manifest.into_bytes());
    let global = global_context(book, lang, &assets, &manifest_path);
    let page_ctx = PageContext::new(book, theme, &global, &toc, &usage, lang);

    let chapter_pages: Vec<Result<SitePage, Diagnostic>> = book
        .chapters
        .par_iter()
        .enumerate()
        .map(|(i, c)| {
            let kept_page = kept
                .as_ref()
                .filter(|k| (k.unchanged)(i))
                .and_then(|k| k.previous.get(&c.page_path));
            if let Some(bytes) = kept_page {
                return Ok((c.page_path.clone(), bytes.clone()));
            }
            page_ctx
                .chapter_page(i, c, &rendered[i])
                .map(|html| (c.page_path.clone(), Arc::from(html.into_bytes())))
        })
        .collect();
    let mut errors = Diagnostics::default();
    for page in chapter_pages {
        match page {
            Ok((path, bytes)) => {
                site.files.insert(path, bytes);
            }
            Err(e) => errors.push(e),
        }
    }
    let mut extra_pages: Vec<(String, Result<String, Diagnostic>)> = Vec::new();
    if !book.chapters.iter().any(|c| c.page_path == "index.html") {
        extra_pages.push(("index.html".into(), page_ctx.generated_index()));
    }
    for (i, ws) in book.collections.worksheets.iter().enumerate() {
        let path = format!("worksheets/{}.html", ws.id);
        let body = embed_html::worksheet_form(ws, 2, 1, lang, false);
        let mut page = PageView::new("worksheet", &path, &ws.title);
        page.description = &ws.description;
        page.body = body;
        let html = page_ctx.item_page("worksheet.html", page, ItemRef::Worksheet(i));
        extra_pages.push((path, html));
    }
    for (i, list) in book.collections.checklists.iter().enumerate() {
        let path = format!("checklists/{}.html", list.id);
        let mut body = list.intro_html.clone();
        body.push_str(&embed_html::checklist_block(list, 2, false).replacen(
            &format!(
                "<h2 id=\"cl-{}-title\">{}</h2>",
                list.id,
                markdown::escape(&list.title)
            ),
            "",
            1,
        ));
        let mut page = PageView::new("checklist", &path, &list.title);
        page.description = &list.description;
        page.body = body;
        let html = page_ctx.item_page("checklist.html", page, ItemRef::Checklist(i));
        extra_pages.push((path, html));
    }
    if !defer {
        extra_pages.push(("print.html".into(), page_ctx.print_page(rendered)));
    }
    extra_pages.push(("404.html".into(), page_ctx.not_found_page()));
    // The reader's plan: its page, and the data only that page loads.
    let plan_data = crate::plan::plan_data_js(book, rendered);
    let plan_data_path = asset_path(
        crate::plan::PLAN_DATA,
        plan_data.as_bytes(),
        options.hash_assets,
    );
    site.insert(plan_data_path.clone(), plan_data.into_bytes());
    extra_pages.push((
        crate::plan::PLAN_PAGE.into(),
        crate::plan::plan_page(&page_ctx, &plan_data_path),
    ));
    for (path, html) in extra_pages {
        match html {
            Ok(html) => site.insert(path, html.into_bytes()),
            Err(e) => errors.push(e),
        }
    }
    if errors.has_errors() {
        // One broken template fails every page alike; report each distinct problem once.
        let mut seen = HashSet::new();
        errors.0.retain(|d| {
            seen.insert((
                d.file.clone(),
                d.location.as_ref().map(|l| (l.line, l.column)),
                d.message.chars().take(60).collect::<String>(),
            ))
        });
        diagnostics.extend(errors.0);
        return Err(diagnostics);
    }

    for file in &book.static_files {
        match std::fs::read(&file.source) {
            Ok(bytes) => site.insert(file.output_path.clone(), bytes),
            Err(e) => diagnostics.push(crate::error::io_error("read", &file.source, &e)),
        }
    }
    site.insert(".nojekyll".into(), Vec::new());
    crate::sitemap::add_sitemap(book, &mut site);
    if diagnostics.has_errors() {
        Err(diagnostics)
    } else {
        Ok((site, diagnostics))
    }
}

/// Every id each page has, for checking `#fragment` links.
fn collect_anchors(book: &Book, rendered: &[Arc<Rendered>]) -> HashMap<String, HashSet<String>> {
    let mut anchors: HashMap<String, HashSet<String>> = HashMap::new();
    for (c, r) in book.chapters.iter().zip(rendered) {
        let ids = anchors.entry(c.page_path.clone()).or_default();
        ids.extend(r.headings.iter().map(|h| h.id.clone()));
        for item in &r.embeds {
            match item {
                ItemRef::Case(i) => ids.insert(format!("case-{}", book.collections.cases[*i].id)),
                ItemRef::Worksheet(i) => {
                    ids.insert(format!("ws-{}", book.collections.worksheets[*i].id))
                }
                ItemRef::Checklist(i) => {
                    ids.insert(format!("cl-{}-title", book.collections.checklists[*i].id))
                }
            };
        }
        // Footnote definitions get ids too.
        for line in c.body().lines() {
            if let Some(rest) = line.trim_start().strip_prefix("[^")
                && let Some((name, _)) = rest.split_once("]:")
            {
                ids.insert(name.to_string());
            }
        }
        if c.front_matter.template.as_deref() == Some("cases.html") {
            ids.extend(
                book.collections
                    .cases
                    .iter()
                    .map(|k| format!("case-{}", k.id)),
            );
        }
    }
    anchors
}

fn search_index_js(book: &Book, rendered: &[Arc<Rendered>]) -> String {
    crate::search::build_index(
        &crate::search::pages_for_book(book),
        &crate::search::docs_for_book(book, rendered),
    )
}

/// What every template gets: the book, the theme's words, the assets and the site.
fn global_context(
    book: &Book,
    lang: Lang,
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
    global.insert("ui", &template_words(lang));
    // Set per page by `PageContext::render` (see `crate::plan::PLAN_MARKER`).
    global.insert("uses_plan", &false);
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
    global
}

/// The outputs `RenderOptions::defer_whole_book` left out (see `DEFERRED_PATHS`), with stable
/// asset names. The search index, export data and print page are built side by side.
pub fn render_deferred(
    book: &Book,
    theme: &Theme,
    rendered: &[Arc<Rendered>],
) -> Result<Vec<(String, Vec<u8>)>, Diagnostics> {
    let lang = Lang::from_code(&book.config.language);
    let assets: BTreeMap<String, String> = theme
        .static_files
        .keys()
        .map(|name| (name.clone(), asset_path(name, &[], false)))
        .collect();
    let global = global_context(book, lang, &assets, &asset_path("book.js", &[], false));
    let toc = crate::toc::toc_html(&book.toc, &book.chapters);
    let usage = Usage::collect(book, rendered);
    let page_ctx = PageContext::new(book, theme, &global, &toc, &usage, lang);
    let (print, (search, data)) = rayon::join(
        || page_ctx.print_page(rendered),
        || {
            rayon::join(
                || search_index_js(book, rendered),
                || crate::manifest::book_data_js(book, rendered),
            )
        },
    );
    let [print_path, search_path, data_path] = DEFERRED_PATHS;
    Ok(vec![
        (
            print_path.to_string(),
            print.map_err(Diagnostics::from)?.into_bytes(),
        ),
        (search_path.to_string(), search.into_bytes()),
        (data_path.to_string(), data.into_bytes()),
    ])
}

fn asset_path(name: &str, bytes: &[u8], hashed: bool) -> String {
    if !hashed {
        return format!("assets/{name}");
    }
    let hash = format!("{:016x}", crate::slug::fnv1a(bytes));
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("assets/{stem}-{}.{ext}", &hash[..10]),
        None => format!("assets/{name}-{}", &hash[..10]),
    }
}
