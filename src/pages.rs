//! The view models templates see (`page`, links, the toolbox and case lists) and the rendering
//! of each kind of page through the theme. Templates depend on these, never on the book model.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;

use crate::book::{Book, Chapter};
use crate::collections::ItemRef;
use crate::error::Diagnostic;
use crate::markdown::{Heading, Rendered};
use crate::output::OutputSink;
pub(crate) use crate::partials::views::PageLink;
use crate::partials::views::{CaseFilters, CaseView};
use crate::rendered::{RenderedBook, RenderedChapter};
use crate::theme::Theme;
use crate::url::{encode_path, resolve_root};

/// How a worksheet's form starts (`partials/worksheet.html`).
const WORKSHEET_FORM: &str = "<form class=\"worksheet\"";

#[derive(Serialize)]
pub(crate) struct PageView<'a> {
    pub(crate) kind: &'a str,
    pub(crate) path: &'a str,
    pub(crate) title: &'a str,
    pub(crate) description: &'a str,
    pub(crate) number: Option<&'a str>,
    pub(crate) body: String,
    pub(crate) headings: Vec<&'a Heading>,
    has_h1: bool,
    pub(crate) is_home: bool,
    pub(crate) extra: &'a BTreeMap<String, serde_json::Value>,
    pub(crate) prev: Option<PageLink>,
    pub(crate) next: Option<PageLink>,
    pub(crate) canonical: Option<String>,
    pub(crate) edit_url: Option<String>,
    pub(crate) cases: Vec<PageLink>,
    pub(crate) used_in: Vec<PageLink>,
}

static NO_EXTRA: BTreeMap<String, serde_json::Value> = BTreeMap::new();

impl<'a> PageView<'a> {
    pub(crate) fn new(kind: &'a str, path: &'a str, title: &'a str) -> PageView<'a> {
        PageView {
            kind,
            path,
            title,
            description: "",
            number: None,
            body: String::new(),
            headings: Vec::new(),
            has_h1: false,
            is_home: path == "index.html",
            extra: &NO_EXTRA,
            prev: None,
            next: None,
            canonical: None,
            edit_url: None,
            cases: Vec::new(),
            used_in: Vec::new(),
        }
    }
}

/// Which chapters use each collection item.
pub(crate) struct Usage {
    pub(crate) by_item: HashMap<ItemRef, Vec<usize>>,
}

impl Usage {
    pub(crate) fn collect(rendered: RenderedBook) -> Usage {
        let mut by_item: HashMap<ItemRef, Vec<usize>> = HashMap::new();
        for this in rendered.chapters() {
            for item in &this.rendered.cited {
                let list = by_item.entry(*item).or_default();
                if !list.contains(&this.index) && this.chapter.front_matter.template.is_none() {
                    list.push(this.index);
                }
            }
        }
        Usage { by_item }
    }

    pub(crate) fn links(&self, book: &Book, item: ItemRef) -> Vec<PageLink> {
        self.by_item
            .get(&item)
            .map(|chapters| {
                chapters
                    .iter()
                    .map(|&i| chapter_link(&book.chapters[i]))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Collection items in the order the book first uses them, then the unused ones.
    pub(crate) fn ordered(&self, count: usize, make: impl Fn(usize) -> ItemRef) -> Vec<usize> {
        let mut order: Vec<usize> = (0..count).collect();
        order.sort_by_key(|&i| {
            self.by_item
                .get(&make(i))
                .and_then(|c| c.first().copied())
                .unwrap_or(usize::MAX)
        });
        order
    }
}

pub(crate) fn chapter_link(c: &Chapter) -> PageLink {
    PageLink {
        title: c.title.clone(),
        href: encode_path(&c.page_path),
    }
}

pub(crate) struct PageContext<'a> {
    pub(crate) book: &'a Book,
    pub(crate) theme: &'a Theme,
    pub(crate) global: &'a tera::Context,
    pub(crate) toc: &'a str,
    pub(crate) sidebar: &'a crate::sidebar::Sidebar,
    pub(crate) usage: &'a Usage,
    /// Found once here, not once per chapter page.
    cases_page: Option<&'a Chapter>,
}

impl<'a> PageContext<'a> {
    pub(crate) fn new(
        book: &'a Book,
        theme: &'a Theme,
        global: &'a tera::Context,
        (toc, sidebar): (&'a str, &'a crate::sidebar::Sidebar),
        usage: &'a Usage,
    ) -> PageContext<'a> {
        let cases_page = book.cases_page();
        PageContext {
            book,
            theme,
            global,
            toc,
            sidebar,
            usage,
            cases_page,
        }
    }

    pub(crate) fn render(
        &self,
        template: &str,
        page: &PageView,
        path: &str,
        extra: impl FnOnce(&mut tera::Context),
    ) -> Result<String, Diagnostic> {
        let html = self.render_bytes(template, page, path, extra)?;
        String::from_utf8(html).map_err(|_| {
            Diagnostic::error(format!(
                "template `{template}` wrote text that is not UTF-8"
            ))
            .in_file(self.theme.shown_path(template))
        })
    }

    /// `render`, as the bytes of the page's file.
    pub(crate) fn render_bytes(
        &self,
        template: &str,
        page: &PageView,
        path: &str,
        extra: impl FnOnce(&mut tera::Context),
    ) -> Result<Vec<u8>, Diagnostic> {
        let root = crate::fs_util::path_to_root(path);
        let mut ctx = self.global.clone();
        ctx.insert("root", &root);
        ctx.insert("page", page);
        let languages = &self.book.languages;
        ctx.insert(
            "languages",
            &languages.page_links(path, &format!("{root}{}", languages.up_to_site_root())),
        );
        ctx.insert("sidebar", &self.sidebar.html_for(path));
        // Charts, the plan and calendar export load their script only where they appear.
        let has =
            |marker: &str| memchr::memmem::find(page.body.as_bytes(), marker.as_bytes()).is_some();
        let uses_plan =
            matches!(template, "plan.html" | "print.html") || has(crate::plan::PLAN_MARKER);
        ctx.insert("uses_plan", &uses_plan);
        // The worksheets' script too, on the pages that have one.
        let uses_worksheets =
            matches!(template, "worksheet.html" | "print.html") || has(WORKSHEET_FORM);
        ctx.insert("uses_worksheets", &uses_worksheets);
        extra(&mut ctx);
        let html = self.theme.render_bytes(template, &ctx)?;
        Ok(crate::url::resolve_root_bytes(&html, &root))
    }

    /// Whether a page rendered earlier shows the sidebar this build gives it.
    pub(crate) fn keeps_sidebar(&self, path: &str, page: &[u8]) -> bool {
        let root = crate::fs_util::path_to_root(path);
        let sidebar = resolve_root(&self.sidebar.html_for(path), &root);
        std::str::from_utf8(page).is_ok_and(|page| page.contains(&sidebar))
    }

    pub(crate) fn canonical(&self, path: &str) -> Option<String> {
        let base = self.book.config.site_url.as_ref()?;
        let path = if path == "index.html" { "" } else { path };
        Some(format!("{base}{}", encode_path(path)))
    }

    pub(crate) fn chapter_page(&self, this: RenderedChapter) -> Result<Vec<u8>, Diagnostic> {
        let (i, c, r) = (this.index, this.chapter, this.rendered);
        let book = self.book;
        let template = c.front_matter.template.clone().unwrap_or_else(|| {
            if c.page_path == "index.html" {
                "index.html".into()
            } else {
                "chapter.html".into()
            }
        });
        if !self.theme.has_template(&template) {
            return Err(Diagnostic::error(format!("template `{template}` does not exist"))
                .in_file(&c.shown_path)
                .hint("use one of the theme's templates (chapter.html, index.html, toolbox.html, cases.html) or add it under themes/<name>/templates/"));
        }
        let mut page = PageView::new("chapter", &c.page_path, &c.title);
        page.description =
            c.front_matter
                .description
                .as_deref()
                .unwrap_or(if c.page_path == "index.html" {
                    &book.config.description
                } else {
                    ""
                });
        page.number = c.number.as_deref();
        page.body = r.body_html().into_owned();
        // mdBook code blocks: their styles and copy script, only on pages that have code.
        if r.code_blocks > 0 {
            page.body.push_str(self.code_assets());
        }
        page.headings = r
            .headings
            .iter()
            .filter(|h| h.level == 2 || h.level == 3)
            .collect();
        page.has_h1 = r.first_h1.is_some();
        page.extra = &c.front_matter.extra;
        page.prev = i.checked_sub(1).map(|p| chapter_link(&book.chapters[p]));
        page.next = book.chapters.get(i + 1).map(chapter_link);
        page.canonical = self.canonical(&c.page_path);
        // As mdBook: `{path}` is the file's path from the book's root (`src/intro.md`).
        page.edit_url = book
            .config
            .edit_url_template
            .as_ref()
            .map(|t| t.replace("{path}", &c.shown_path));
        page.cases = self.cited_cases(c, r);
        if c.page_path == "index.html" {
            page.kind = "index";
        }
        self.render_bytes(&template, &page, &c.page_path, |ctx| {
            match template.as_str() {
                "index.html" => ctx.insert("toc_html", self.toc),
                "toolbox.html" => ctx.insert("toolbox", &self.toolbox()),
                "cases.html" => {
                    let cases = self.case_views();
                    ctx.insert("case_filters", &CaseFilters::new(&cases));
                    ctx.insert("cases", &cases);
                }
                _ => {}
            }
        })
    }

    /// Links to the cards, in the case library, of the cases a chapter cites.
    fn cited_cases(&self, c: &Chapter, r: &Rendered) -> Vec<PageLink> {
        if c.front_matter.template.is_some() {
            return Vec::new();
        }
        let cases = &self.book.collections.cases;
        r.cited
            .iter()
            .filter_map(|item| match item {
                ItemRef::Case(k) => Some(PageLink {
                    title: cases[*k].title.clone(),
                    href: encode_path(&cases[*k].page_path()),
                }),
                _ => None,
            })
            .collect()
    }

    pub(crate) fn toolbox(&self) -> serde_json::Value {
        let book = self.book;
        let c = &book.collections;
        let worksheets: Vec<_> = self
            .usage
            .ordered(c.worksheets.len(), ItemRef::Worksheet)
            .into_iter()
            .map(|i| {
                let w = &c.worksheets[i];
                json!({"id": w.id, "title": w.title, "description": w.description,
                       "href": encode_path(&w.page_path()),
                       "used_in": self.usage.links(book, ItemRef::Worksheet(i))})
            })
            .collect();
        let checklists: Vec<_> = self
            .usage
            .ordered(c.checklists.len(), ItemRef::Checklist)
            .into_iter()
            .map(|i| {
                let l = &c.checklists[i];
                json!({"id": l.id, "title": l.title, "description": l.description,
                       "href": encode_path(&l.page_path()),
                       "used_in": self.usage.links(book, ItemRef::Checklist(i))})
            })
            .collect();
        json!({"worksheets": worksheets, "checklists": checklists})
    }

    /// Every case study for the case library, in the order the book first cites them.
    pub(crate) fn case_views(&self) -> Vec<CaseView<'a>> {
        let c = &self.book.collections;
        self.usage
            .ordered(c.cases.len(), ItemRef::Case)
            .into_iter()
            .map(|i| {
                let cited = self.usage.links(self.book, ItemRef::Case(i));
                CaseView::new(&c.cases[i], 2, true, cited)
            })
            .collect()
    }

    /// Each case's own page: its card, the chapters that cite it and the way back to the library.
    pub(crate) fn case_pages(&self) -> Vec<(String, Result<String, Diagnostic>)> {
        let c = &self.book.collections;
        let library = self.cases_page.map(chapter_link);
        (0..c.cases.len())
            .map(|i| {
                let case = &c.cases[i];
                let path = case.page_path();
                let cited = self.usage.links(self.book, ItemRef::Case(i));
                let view = CaseView::new(case, 1, true, cited);
                let mut page = PageView::new("case", &path, &case.title);
                page.description = &case.setback;
                let html = self.item_page("case.html", page, ItemRef::Case(i), |ctx| {
                    ctx.insert("case", &view);
                    ctx.insert("library", &library);
                });
                (path.clone(), html)
            })
            .collect()
    }

    /// A worksheet's or checklist's own page; `page` comes with kind, path, title and body.
    /// `view` adds the item's view for its partial.
    pub(crate) fn item_page(
        &self,
        template: &str,
        mut page: PageView,
        item: ItemRef,
        view: impl FnOnce(&mut tera::Context),
    ) -> Result<String, Diagnostic> {
        let path = page.path;
        page.has_h1 = true;
        page.canonical = self.canonical(path);
        page.used_in = self.usage.links(self.book, item);
        self.render(template, &page, path, view)
    }

    pub(crate) fn generated_index(&self) -> Result<String, Diagnostic> {
        let book = self.book;
        let mut page = PageView::new("index", "index.html", &book.config.title);
        page.description = &book.config.description;
        page.canonical = self.canonical("index.html");
        page.next = book.chapters.first().map(chapter_link);
        if !book.config.description.is_empty() {
            page.body = format!(
                "<p class=\"book-description\">{}</p>\n",
                crate::html::escape(&book.config.description)
            );
        }
        self.render("index.html", &page, "index.html", |ctx| {
            ctx.insert("toc_html", self.toc)
        })
    }

    /// The code blocks' `<link>` and `<script>` (see `mdbook::assets::code_html`).
    fn code_assets(&self) -> &str {
        self.global
            .get("code_assets")
            .and_then(|v| v.as_str())
            .unwrap_or("")
    }

    /// Writes print.html, every chapter on one page, into `sink` chapter by chapter: the page
    /// around the chapters is rendered once with a marker for each body, and each body is made
    /// (in parallel, a batch at a time) only as it is written, so the page is never whole in
    /// memory. A theme whose print template does not show each body once, in order, gets the
    /// page rendered whole instead.
    pub(crate) fn write_print_page(
        &self,
        rendered: RenderedBook,
        sink: &dyn OutputSink,
    ) -> Result<(), Diagnostic> {
        let book = self.book;
        let targets = crate::print_ids::PrintTargets::new(rendered.chapters().map(|this| {
            let r = this.rendered;
            let headings = r.headings.iter().map(|h| h.id.as_str());
            (
                this.chapter.page_path.as_str(),
                print_anchor(&this.chapter.page_path),
                headings.chain(r.other_ids.element.iter().map(String::as_str)),
            )
        }));
        // mdBook code blocks: the code assets once, with the first chapter that has code.
        let first_code = rendered
            .chapters()
            .position(|this| this.rendered.code_blocks > 0);
        let root = crate::fs_util::path_to_root("print.html");
        let body = |i: usize| {
            let this = rendered.chapter(i);
            let mut body = crate::print_ids::scope_chapter(
                &this.rendered.body_html(),
                &targets.anchors[&this.chapter.page_path],
                &targets,
            );
            if Some(i) == first_code {
                body.push_str(self.code_assets());
            }
            resolve_root(&body, &root)
        };
        let shell = self.print_shell(rendered, &targets, body_marker)?;
        let Some(pieces) = split_at_markers(&shell, book.chapters.len()) else {
            let whole = self.print_shell(rendered, &targets, body)?;
            return sink.write("print.html", whole.into_bytes());
        };
        sink.write_with("print.html", &mut |out| {
            const BATCH: usize = 256;
            for start in (0..book.chapters.len()).step_by(BATCH) {
                let end = (start + BATCH).min(book.chapters.len());
                let bodies: Vec<String> = (start..end).into_par_iter().map(body).collect();
                for (i, text) in (start..end).zip(bodies) {
                    out.write_all(pieces[i].as_bytes())?;
                    out.write_all(text.as_bytes())?;
                }
            }
            out.write_all(pieces[book.chapters.len()].as_bytes())
        })
    }

    /// print.html through the theme's template, each chapter's body given by `body`.
    fn print_shell(
        &self,
        rendered: RenderedBook,
        targets: &crate::print_ids::PrintTargets,
        body: impl Fn(usize) -> String,
    ) -> Result<String, Diagnostic> {
        let book = self.book;
        let chapters: Vec<PrintChapter> = rendered
            .chapters()
            .map(
                |RenderedChapter {
                     index,
                     chapter: c,
                     rendered: r,
                 }| PrintChapter {
                    title: &c.title,
                    has_h1: r.first_h1.is_some(),
                    body: body(index),
                    anchor: &targets.anchors[&c.page_path],
                },
            )
            .collect();
        let toc = crate::print_ids::links_into_print(self.toc, targets);
        let mut page = PageView::new("print", "print.html", &book.config.title);
        page.description = &book.config.description;
        // The context takes copies: the originals go before the page is rendered (at 50,000
        // chapters the list and the table of contents are tens of megabytes).
        self.render("print.html", &page, "print.html", move |ctx| {
            ctx.insert("chapters", &chapters);
            drop(chapters);
            ctx.insert("toc_html", &toc);
            drop(toc);
        })
    }

    /// 404.html; `content` is the book's own 404 Markdown (mdBook's `input-404`), rendered.
    pub(crate) fn not_found_page(&self, content: Option<&Rendered>) -> Result<String, Diagnostic> {
        let words = self.theme.words(&self.book.config.language);
        let title = content
            .and_then(|r| r.first_h1.as_deref())
            .unwrap_or(&words.page["not_found_title"]);
        let mut page = PageView::new("404", "404.html", title);
        if let Some(r) = content {
            page.body = r.html.clone();
            page.has_h1 = r.first_h1.is_some();
        }
        // Served at any depth, so its links are absolute under the site path.
        let root = &self.book.config.site_path;
        let mut ctx = self.global.clone();
        ctx.insert("root", root);
        ctx.insert("page", &page);
        let site_root = &root[..root.len() - self.book.languages.prefix().len()];
        ctx.insert(
            "languages",
            &self.book.languages.page_links("404.html", site_root),
        );
        ctx.insert("sidebar", &self.sidebar.html_for("404.html"));
        let html = self.theme.render("404.html", &ctx)?;
        Ok(resolve_root(&html, root))
    }
}

/// Stands for chapter `i`'s body in print.html's shell; control characters no chapter has.
fn body_marker(i: usize) -> String {
    format!("{MARKER_START}{i}\u{1}")
}

const MARKER_START: &str = "\u{1}print-body-";

/// The shell cut at the `count` body markers, in order: `count + 1` pieces, or `None` when the
/// template does not show every body exactly once in order.
fn split_at_markers(shell: &str, count: usize) -> Option<Vec<&str>> {
    let mut pieces = Vec::with_capacity(count + 1);
    let mut rest = shell;
    for i in 0..count {
        let marker = body_marker(i);
        let (before, after) = rest.split_once(&marker)?;
        if before.contains(MARKER_START) {
            return None;
        }
        pieces.push(before);
        rest = after;
    }
    (!rest.contains(MARKER_START)).then(|| {
        pieces.push(rest);
        pieces
    })
}

/// Where a chapter starts in print.html; also the prefix of its ids there.
fn print_anchor(page_path: &str) -> String {
    format!(
        "print-{}",
        crate::slug::slugify(&page_path.replace(['/', '.'], "-"))
    )
}

/// A chapter as print.html's template sees it.
#[derive(Serialize)]
struct PrintChapter<'a> {
    title: &'a str,
    has_h1: bool,
    body: String,
    anchor: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_print_shell_splits_at_each_body_once_in_order() {
        let shell = format!("<main>{}<hr>{}</main>", body_marker(0), body_marker(1));
        assert_eq!(
            split_at_markers(&shell, 2).unwrap(),
            ["<main>", "<hr>", "</main>"]
        );
        let twice = format!("{0}{0}{1}", body_marker(0), body_marker(1));
        assert!(split_at_markers(&twice, 2).is_none());
        let swapped = format!("{}{}", body_marker(1), body_marker(0));
        assert!(split_at_markers(&swapped, 2).is_none());
        assert!(split_at_markers("<main></main>", 1).is_none());
    }
}
