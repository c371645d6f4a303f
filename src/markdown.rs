//! Markdown to HTML for one chapter: heading ids and anchors, link rewriting, interactive task
//! lists, GFM alerts with titles, embedded worksheets/checklists/cases, and the plain text of each
//! section for search. Returns plain values; link checking happens later, over all pages.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, HeadingLevel, LinkType, Parser, Tag, TagEnd};

use serde::Serialize;

use crate::collections::{Collections, ItemRef, page_scope};
use crate::error::{Diagnostic, Location};
use crate::fs_util::normalize_relative;
use crate::html::escape;
use crate::partials::views::{CaseView, ChecklistView, HeadingView, WorksheetView};
use crate::partials::{self, Partials};
use crate::slug::{UniqueIds, slugify, text_id};
use crate::url::{ROOT_MARKER, encode_path, is_external};

/// Everything a chapter's Markdown needs to know about the rest of the book.
pub struct MarkdownContext<'a> {
    /// The page being rendered (`part1/a.html`).
    pub page_path: &'a str,
    /// Where its own task lists save their ticks: its path, or in a translation its counterpart's
    /// in the book's own language, so both editions share them.
    pub scope_path: &'a str,
    /// Its source path relative to the source folder (`part1/a.md`).
    pub source_path: &'a str,
    /// Source path of every chapter to its page path.
    pub pages: &'a HashMap<String, String>,
    pub collections: &'a Collections,
    pub cases_page: Option<&'a str>,
    pub smart_punctuation: bool,
    /// The theme's partials: embedded items, alerts, heading anchors.
    pub partials: &'a Partials<'a>,
    pub lang: crate::i18n::Lang,
    /// mdBook: hidden-line prefixes per language (`[output.html.code.hidelines]`).
    pub code: &'a code::CodeOptions,
    /// mdBook's `mathjax-support`: `\\( \\)` and `\\[ \\]` are math too.
    pub mathjax: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// A task-list item of the page itself, with its plain text (for exports).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskItem {
    pub id: String,
    pub text: String,
}

/// A link to another page of the book, to be checked once every page is known.
#[derive(Debug, Clone)]
pub struct InternalLink {
    /// The page it points to, or `Err(source path)` when no page is built from that file.
    pub target: Result<String, String>,
    pub fragment: Option<String>,
    /// Byte range of the link in the Markdown body.
    pub range: Range<usize>,
}

#[derive(Debug, Clone, Default)]
pub struct SearchSection {
    pub anchor: String,
    pub title: String,
    /// Compact text; empty in a build once it went to the spill file with the HTML (see
    /// `Rendered::spilled_section_texts`).
    pub text: String,
    /// The text's length, characters and hash, which the index needs before reading it.
    pub facts: crate::search::TextFacts,
}

#[derive(Debug, Default)]
pub struct Rendered {
    /// Internal URLs start with `ROOT_MARKER`, replaced per page by the path to the site root.
    pub html: String,
    pub headings: Vec<Heading>,
    pub first_h1: Option<String>,
    pub links: Vec<InternalLink>,
    pub sections: Vec<SearchSection>,
    /// The page's own task-list items.
    pub task_items: Vec<TaskItem>,
    pub embeds: Vec<ItemRef>,
    /// Collection items embedded or linked, in order of first mention.
    pub cited: Vec<ItemRef>,
    /// How many code blocks the page has (its copy script and styles load only then).
    pub code_blocks: usize,
    /// TeX that could not be rendered: why, and its byte range in the body.
    pub math_errors: Vec<(String, Range<usize>)>,
    /// Where `html` went in a build that spills it (see `crate::spill`); `html` is empty then.
    pub spilled: Option<crate::spill::SpilledHtml>,
    /// Where the sections' text went with it, one after another: the search index reads it
    /// back a batch of chapters at a time (at 50,000 chapters it is 170 MB).
    pub spilled_sections: Option<crate::spill::SpilledHtml>,
    /// The ids in `html` besides the headings' (raw HTML, task items, footnotes...), found while
    /// the HTML is at hand so that link checks and print.html need not read it back.
    pub other_ids: OtherIds,
}

/// A chapter's ids that are not heading ids.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct OtherIds {
    /// Element `id`s, as written: what print.html prefixes.
    pub element: Vec<String>,
    /// `id` and `name` values, unescaped: what links may point to (mdBook books link to
    /// `<a name>`).
    pub targets: Vec<String>,
}

impl OtherIds {
    fn of(html: &str, headings: &[Heading]) -> OtherIds {
        let heading_ids: std::collections::HashSet<&str> =
            headings.iter().map(|h| h.id.as_str()).collect();
        let mut element: Vec<String> = crate::print_ids::element_ids(html)
            .into_iter()
            .filter(|id| !heading_ids.contains(id))
            .map(str::to_string)
            .collect();
        let mut targets: Vec<String> = crate::mdbook::anchors::html_ids(html)
            .into_iter()
            .filter(|id| !heading_ids.contains(id.as_str()))
            .collect();
        element.shrink_to_fit();
        targets.shrink_to_fit();
        OtherIds { element, targets }
    }
}

impl Rendered {
    /// The chapter's HTML, from memory or read back from the spill file.
    pub(crate) fn body_html(&self) -> std::borrow::Cow<'_, str> {
        crate::spill::chapter_html(&self.html, self.spilled.as_ref())
    }

    /// Moves the HTML and the sections' text into `spill`, keeping them if a write fails.
    pub(crate) fn spill_into(&mut self, spill: &std::sync::Arc<crate::spill::HtmlSpill>) {
        if let Some(spilled) = spill.put(&self.html) {
            self.html = String::new();
            self.spilled = Some(spilled);
        }
        let texts: String = self.sections.iter().map(|s| s.text.as_str()).collect();
        if let Some(spilled) = spill.put(&texts) {
            for s in &mut self.sections {
                s.text = String::new();
            }
            self.spilled_sections = Some(spilled);
        }
    }

    /// Each section's text read back from the spill file; `None` when it stayed in memory.
    pub(crate) fn spilled_section_texts(&self) -> Option<Vec<String>> {
        let all = self.spilled_sections.as_ref()?.read();
        let mut at = 0;
        let texts = self.sections.iter().map(|s| {
            let end = (at + s.facts.len as usize).min(all.len());
            let text = all.get(at..end).unwrap_or_default().to_string();
            at = end;
            text
        });
        Some(texts.collect())
    }
}

/// Renders a chapter's Markdown; fails only when one of the theme's partials does.
pub fn render(body: &str, ctx: &MarkdownContext) -> Result<Rendered, Diagnostic> {
    let events: Vec<(Event, Range<usize>)> =
        Parser::new_ext(body, crate::commonmark::options(ctx.smart_punctuation))
            .into_offset_iter()
            .map(|(e, r)| (strip_marker(e), r))
            .collect();
    let events = crate::commonmark::drop_soft_breaks(events);
    // `\\(` reaches us as separate text events; MathJax delimiters need the text whole.
    let events = if ctx.mathjax {
        merge_text(events)
    } else {
        events
    };
    let mut r = Renderer {
        ctx,
        out: Vec::with_capacity(events.len()),
        result: Rendered::default(),
        heading_ids: UniqueIds::default(),
        item_ids: UniqueIds::default(),
        checkbox_count: 0,
        list_stack: Vec::new(),
        label_open: false,
        last_level: 1,
        section: SearchSection::default(),
        instances: HashMap::new(),
        closers: Vec::new(),
        error: None,
    };
    r.run(events);
    let Renderer {
        out,
        mut result,
        section,
        error,
        ..
    } = r;
    if let Some(error) = error {
        return Err(error);
    }
    result.sections.push(section);
    result
        .sections
        .retain(|s| !s.text.trim().is_empty() || !s.title.is_empty());
    // Search reads the text compact; every chapter's stays in memory until the index is built,
    // so none of it keeps spare capacity (compacting leaves the room the white space took).
    for s in &mut result.sections {
        s.text = crate::search::compact_text(&s.text);
        s.text.shrink_to_fit();
        s.facts = crate::search::TextFacts::of(&s.text);
    }
    result.sections.shrink_to_fit();
    result.headings.shrink_to_fit();
    result.links.shrink_to_fit();
    pulldown_cmark::html::push_html(&mut result.html, out.into_iter());
    // Kept until the page stage: no spare capacity from growing.
    result.html.shrink_to_fit();
    result.other_ids = OtherIds::of(&result.html, &result.headings);
    Ok(result)
}

/// Adjacent text events as one, spanning their ranges; a line break between them becomes a
/// newline of the text (rendered the same), so `\\[ … \\]` may span lines.
fn merge_text(events: Vec<(Event<'_>, Range<usize>)>) -> Vec<(Event<'_>, Range<usize>)> {
    let mut out: Vec<(Event, Range<usize>)> = Vec::with_capacity(events.len());
    for (event, range) in events {
        let next = match &event {
            Event::Text(next) => Some(next.as_ref()),
            Event::SoftBreak => Some("\n"),
            _ => None,
        };
        if let (Some(next), Some((Event::Text(prev), prev_range))) = (next, out.last_mut()) {
            *prev = format!("{prev}{next}").into();
            prev_range.end = range.end;
            continue;
        }
        out.push((event, range));
    }
    out
}

/// The root marker must never come from an author's text.
fn strip_marker(event: Event) -> Event {
    match event {
        Event::Text(t) if crate::url::has_root_marker(&t) => {
            Event::Text(t.replace(ROOT_MARKER, "").into())
        }
        Event::Html(t) if crate::url::has_root_marker(&t) => {
            Event::Html(t.replace(ROOT_MARKER, "").into())
        }
        other => other,
    }
}

struct Renderer<'c, 'a> {
    ctx: &'c MarkdownContext<'a>,
    out: Vec<Event<'a>>,
    result: Rendered,
    heading_ids: UniqueIds,
    item_ids: UniqueIds,
    checkbox_count: usize,
    /// For each open list: is it a checklist?
    list_stack: Vec<bool>,
    label_open: bool,
    last_level: u8,
    section: SearchSection,
    /// How often each collection item was embedded on this page, for unique ids.
    instances: HashMap<ItemRef, usize>,
    /// The closing markup of each open alert and task-list wrapper, innermost last.
    closers: Vec<String>,
    /// The first partial that failed to render.
    error: Option<Diagnostic>,
}

#[derive(Serialize)]
struct ScopeView {
    scope: String,
}

#[derive(Serialize)]
struct AlertView {
    kind: &'static str,
}

impl<'a> Renderer<'_, 'a> {
    fn run(&mut self, events: Vec<(Event<'a>, Range<usize>)>) {
        let mut i = 0;
        while i < events.len() {
            i = match self.multi_event(&events, i) {
                Some(next) => next,
                None => {
                    self.single_event(&events, i);
                    i + 1
                }
            };
        }
        self.close_label();
    }

    /// Constructs that consume several events; returns the index after them, or `None` when the
    /// event at `i` is handled on its own.
    fn multi_event(&mut self, events: &[(Event<'a>, Range<usize>)], i: usize) -> Option<usize> {
        match &events[i].0 {
            Event::Start(Tag::Heading { .. }) => Some(self.heading(events, i)),
            Event::Start(Tag::Paragraph) => self.try_embed(events, i),
            // A reader's own ticks are the only state: `[x]` in the source does not pre-tick.
            Event::TaskListMarker(_) => Some(self.task_item(events, i)),
            Event::Start(Tag::CodeBlock(kind)) => Some(self.code_block(events, i, kind)),
            _ => None,
        }
    }

    /// One event that maps to its own output (and its text to the search section).
    fn single_event(&mut self, events: &[(Event<'a>, Range<usize>)], i: usize) {
        let (event, range) = &events[i];
        match event {
            Event::Start(Tag::Paragraph) => {
                if !self.label_open {
                    self.out.push(event.clone());
                }
            }
            Event::End(TagEnd::Paragraph) => {
                if !self.label_open {
                    self.out.push(event.clone());
                }
                self.section.text.push('\n');
            }
            Event::Start(Tag::List(start)) => {
                let is_checklist = list_has_tasks(events, i);
                self.list_start(event, *start, is_checklist);
            }
            Event::End(TagEnd::List(ordered)) => self.list_end(event, *ordered),
            Event::Start(Tag::Item) if item_is_task(events, i) => {
                self.out.push(Event::Html("<li class=\"task\">".into()));
            }
            Event::End(TagEnd::Item) => {
                self.close_label();
                self.out.push(event.clone());
                self.section.text.push('\n');
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => self.alert_start(*kind),
            Event::End(TagEnd::BlockQuote(Some(_))) => self.close_wrapper(),
            Event::Start(Tag::Link { .. }) => {
                let link = self.link_start(event, range);
                self.out.push(link);
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = self.rewrite_asset(dest_url);
                self.out.push(Event::Start(Tag::Image {
                    link_type: *link_type,
                    dest_url: dest.into(),
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            Event::InlineMath(tex) | Event::DisplayMath(tex) => {
                let display = matches!(event, Event::DisplayMath(_));
                self.math(tex, display, range.clone());
            }
            Event::Text(text) if self.ctx.mathjax && text.contains('\\') => {
                self.section.text.push_str(text);
                self.mathjax_text(text, range.clone());
            }
            Event::Text(text) | Event::Code(text) => {
                self.section.text.push_str(text);
                self.out.push(event.clone());
            }
            Event::SoftBreak | Event::HardBreak => {
                self.section.text.push(' ');
                self.out.push(event.clone());
            }
            _ => self.out.push(event.clone()),
        }
    }

    /// A list; the outermost list with task items is wrapped as the page's checklist.
    fn list_start(&mut self, event: &Event<'a>, start: Option<u64>, is_checklist: bool) {
        self.close_label();
        if !is_checklist {
            self.out.push(event.clone());
            self.list_stack.push(false);
            return;
        }
        let tag = match start {
            Some(n) => format!("<ol class=\"task-list\" start=\"{n}\">\n"),
            None => "<ul class=\"task-list\">\n".to_string(),
        };
        if !self.list_stack.iter().any(|x| *x) {
            let view = ScopeView {
                scope: page_scope(self.ctx.scope_path),
            };
            let (open, close) = self.wrapper(partials::TASK_LIST, "list", &view);
            self.out.push(Event::Html(open.into()));
            self.closers.push(close);
        }
        self.out.push(Event::Html(tag.into()));
        self.list_stack.push(true);
    }

    fn list_end(&mut self, event: &Event<'a>, ordered: bool) {
        self.close_label();
        if self.list_stack.pop() != Some(true) {
            self.out.push(event.clone());
            return;
        }
        let tag = if ordered { "</ol>\n" } else { "</ul>\n" };
        self.out.push(Event::Html(tag.into()));
        if !self.list_stack.iter().any(|x| *x) {
            self.close_wrapper();
        }
    }

    /// A GFM alert, through `partials/alert.html`.
    fn alert_start(&mut self, kind: BlockQuoteKind) {
        let view = AlertView {
            kind: alert_kind(kind),
        };
        let (open, close) = self.wrapper(partials::ALERT, "alert", &view);
        self.out.push(Event::Html(open.into()));
        self.closers.push(close);
    }

    /// Ends the innermost open alert or task-list wrapper.
    fn close_wrapper(&mut self) {
        let close = self.closers.pop().unwrap_or_default();
        self.out.push(Event::Html(close.into()));
    }

    /// A wrapping partial's markup before and after its content (empty if it failed).
    fn wrapper(
        &mut self,
        template: &str,
        key: &'static str,
        view: &impl Serialize,
    ) -> (String, String) {
        let parts = self.ctx.partials.wrapper(template, key, view);
        self.keep_error(parts)
    }

    fn keep_error<T: Default>(&mut self, result: Result<T, Diagnostic>) -> T {
        result.unwrap_or_else(|e| {
            self.error.get_or_insert(e);
            T::default()
        })
    }

    /// A code block: mdBook's info strings and hidden lines, highlighted (see `code`).
    fn code_block(
        &mut self,
        events: &[(Event<'a>, Range<usize>)],
        start: usize,
        kind: &pulldown_cmark::CodeBlockKind,
    ) -> usize {
        let mut end = start + 1;
        let mut text = String::new();
        while end < events.len() && !matches!(events[end].0, Event::End(TagEnd::CodeBlock)) {
            if let Event::Text(t) = &events[end].0 {
                text.push_str(t);
            }
            end += 1;
        }
        let info = match kind {
            pulldown_cmark::CodeBlockKind::Fenced(info) => info.as_ref(),
            pulldown_cmark::CodeBlockKind::Indented => "",
        };
        self.result.code_blocks += 1;
        let html = code::render_block(
            info,
            &text,
            self.ctx.code,
            self.result.code_blocks,
            self.ctx.partials.code_words(),
        );
        self.section.text.push_str(&text);
        self.section.text.push('\n');
        self.out.push(Event::Html(html.into()));
        end + 1
    }

    /// Math as MathML; TeX that does not parse stays visible as source, and is reported.
    fn math(&mut self, tex: &str, display: bool, range: Range<usize>) {
        self.section.text.push_str(tex);
        let html = match math::to_mathml(tex, display) {
            Ok(mathml) => mathml,
            Err(why) => {
                self.result.math_errors.push((why, range));
                math::fallback(tex, display)
            }
        };
        self.out.push(Event::InlineHtml(html.into()));
    }

    /// Text with mdBook's MathJax delimiters (`\\( \\)`, `\\[ \\]`) under `mathjax-support`.
    fn mathjax_text(&mut self, text: &str, range: Range<usize>) {
        for piece in math::split_mathjax(text) {
            match piece {
                math::Piece::Text(t) => self.out.push(Event::Text(t.to_string().into())),
                math::Piece::Math(tex, display, _) => self.math(tex, display, range.clone()),
            }
        }
    }

    fn close_label(&mut self) {
        if self.label_open {
            self.out.push(Event::Html("</label>".into()));
            self.label_open = false;
        }
    }

    fn heading(&mut self, events: &[(Event<'a>, Range<usize>)], start: usize) -> usize {
        let Event::Start(Tag::Heading {
            level, id, classes, ..
        }) = &events[start].0
        else {
            unreachable!("called on a heading start")
        };
        let mut end = start + 1;
        let mut title = String::new();
        while end < events.len() && !matches!(events[end].0, Event::End(TagEnd::Heading(_))) {
            if let Event::Text(t) | Event::Code(t) = &events[end].0 {
                title.push_str(t);
            }
            end += 1;
        }
        let level_num = heading_level(*level);
        let wanted = id
            .as_ref()
            .map_or_else(|| slugify(&title), |id| id.to_string());
        let anchor = self.heading_ids.claim(&wanted);
        let has_link = events[start + 1..end]
            .iter()
            .any(|(e, _)| matches!(e, Event::Start(Tag::Link { .. })));
        let view = HeadingView {
            level: level_num,
            id: &anchor,
            href: encode_fragment(&anchor),
            classes: classes.join(" "),
            has_link,
        };
        let parts = self.ctx.partials.heading(&view);
        let (open, close) = self.keep_error(parts);
        self.out.push(Event::Html(open.into()));
        for (event, range) in &events[start + 1..end] {
            match event {
                Event::Start(Tag::Link { .. }) => {
                    let link = self.link_start(event, range);
                    self.out.push(link);
                }
                other => self.out.push(other.clone()),
            }
        }
        self.out.push(Event::Html(close.into()));
        let title = title.trim().to_string();
        if level_num == 1 && self.result.first_h1.is_none() {
            self.result.first_h1 = Some(title.clone());
        }
        if level_num <= 3 {
            let previous = std::mem::replace(
                &mut self.section,
                SearchSection {
                    anchor: anchor.clone(),
                    title: title.clone(),
                    ..SearchSection::default()
                },
            );
            self.result.sections.push(previous);
        } else {
            self.section.text.push_str(&title);
            self.section.text.push('\n');
        }
        self.last_level = level_num;
        self.result.headings.push(Heading {
            level: level_num,
            id: anchor,
            title,
        });
        end + 1
    }

    fn task_item(&mut self, events: &[(Event<'a>, Range<usize>)], at: usize) -> usize {
        // The item's text runs until its end, a nested list or the end of its first paragraph.
        let mut end = at + 1;
        let mut text = String::new();
        let mut last_text = None;
        while end < events.len() {
            match &events[end].0 {
                Event::End(TagEnd::Item)
                | Event::Start(Tag::List(_))
                | Event::End(TagEnd::Paragraph) => break,
                Event::Text(t) => {
                    text.push_str(t);
                    last_text = Some(end);
                }
                Event::Code(t) => text.push_str(t),
                _ => {}
            }
            end += 1;
        }
        let explicit = last_text.and_then(|j| match &events[j].0 {
            Event::Text(t) => {
                explicit_id(t).map(|(id, rest)| (j, id.to_string(), rest.to_string()))
            }
            _ => None,
        });
        let wanted = match &explicit {
            Some((_, id, _)) => id.clone(),
            None => text_id(&text),
        };
        let item_id = self.item_ids.claim(&wanted);
        let plain = explicit_id(&text).map_or(text.as_str(), |(_, rest)| rest);
        self.result.task_items.push(TaskItem {
            id: item_id.clone(),
            text: plain.trim().to_string(),
        });
        self.checkbox_count += 1;
        let input_id = format!("ck-{}", self.checkbox_count);
        self.out.push(Event::Html(
            format!("<input type=\"checkbox\" id=\"{input_id}\" data-item=\"{}\"><label for=\"{input_id}\">", escape(&item_id)).into(),
        ));
        self.label_open = true;
        for (j, (event, range)) in events.iter().enumerate().take(end).skip(at + 1) {
            match event {
                Event::Text(_) if explicit.as_ref().is_some_and(|(k, _, _)| *k == j) => {
                    let rest = explicit
                        .as_ref()
                        .map(|(_, _, rest)| rest.clone())
                        .unwrap_or_default();
                    self.section.text.push_str(&rest);
                    self.out.push(Event::Text(rest.into()));
                }
                Event::Text(t) | Event::Code(t) => {
                    self.section.text.push_str(t);
                    self.out.push(event.clone());
                }
                Event::Start(Tag::Link { .. }) => {
                    let link = self.link_start(event, range);
                    self.out.push(link);
                }
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
                other => self.out.push(other.clone()),
            }
        }
        self.close_label();
        // Skip the end of the item's first paragraph: task items render tight.
        if matches!(
            events.get(end).map(|e| &e.0),
            Some(Event::End(TagEnd::Paragraph))
        ) {
            end += 1;
        }
        end
    }

    /// A paragraph holding nothing but a link to a collection item becomes the item itself.
    fn try_embed(&mut self, events: &[(Event<'a>, Range<usize>)], at: usize) -> Option<usize> {
        let mut j = at + 1;
        while matches!(&events.get(j)?.0, Event::Text(t) if t.trim().is_empty()) {
            j += 1;
        }
        let Event::Start(Tag::Link { dest_url, .. }) = &events.get(j)?.0 else {
            return None;
        };
        let mut depth = 0;
        let mut k = j;
        loop {
            match &events.get(k)?.0 {
                Event::Start(Tag::Link { .. }) => depth += 1,
                Event::End(TagEnd::Link) => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            k += 1;
        }
        let mut end = k + 1;
        while matches!(&events.get(end)?.0, Event::Text(t) if t.trim().is_empty()) {
            end += 1;
        }
        if !matches!(events.get(end)?.0, Event::End(TagEnd::Paragraph)) {
            return None;
        }
        let (path, _) = split_fragment(dest_url);
        if is_external(path) || path.is_empty() {
            return None;
        }
        let source = self.resolve_source(path)?;
        let item = self.ctx.collections.lookup(&source)?;
        self.embed(item);
        Some(end + 1)
    }

    fn embed(&mut self, item: ItemRef) {
        let count = self.instances.entry(item).or_insert(0);
        *count += 1;
        let instance = *count;
        let level = (self.last_level + 1).clamp(2, 5);
        let c = self.ctx.collections;
        let p = self.ctx.partials;
        let html = match item {
            ItemRef::Worksheet(i) => p.render(
                partials::WORKSHEET,
                "ws",
                &WorksheetView::new(&c.worksheets[i], Some(level), instance, true),
            ),
            ItemRef::Checklist(i) => p.render(
                partials::CHECKLIST,
                "list",
                &ChecklistView::new(&c.checklists[i], Some(level), true),
            ),
            ItemRef::Case(i) => p.render(
                partials::CASE_CARD,
                "case",
                &CaseView::new(&c.cases[i], level, instance == 1, Vec::new()),
            ),
        };
        let html = self.keep_error(html);
        if let ItemRef::Case(i) = item {
            self.section.text.push_str(&c.cases[i].title);
            self.section.text.push('\n');
            self.section.text.push_str(&c.cases[i].text);
        }
        self.out.push(Event::Html(html.into()));
        self.result.embeds.push(item);
        if !self.result.cited.contains(&item) {
            self.result.cited.push(item);
        }
    }

    /// The source path (relative to the source folder) a relative link points at.
    fn resolve_source(&self, path: &str) -> Option<String> {
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        let base = match self.ctx.source_path.rfind('/') {
            Some(i) => &self.ctx.source_path[..=i],
            None => "",
        };
        normalize_relative(&format!("{base}{decoded}"))
    }

    /// A link's start with its target rewritten (see `rewrite_link`).
    fn link_start(&mut self, event: &Event<'a>, range: &Range<usize>) -> Event<'a> {
        let Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) = event
        else {
            return event.clone();
        };
        let dest = self.rewrite_link(dest_url, range.clone(), *link_type);
        Event::Start(Tag::Link {
            link_type: *link_type,
            dest_url: dest.into(),
            title: title.clone(),
            id: id.clone(),
        })
    }

    fn rewrite_link(
        &mut self,
        dest: &CowStr<'a>,
        range: Range<usize>,
        link_type: LinkType,
    ) -> String {
        if matches!(link_type, LinkType::Email) || is_external(dest) || dest.starts_with('/') {
            return dest.to_string();
        }
        let (path, fragment) = split_fragment(dest);
        let fragment_decoded = fragment.map(|f| {
            percent_encoding::percent_decode_str(f)
                .decode_utf8_lossy()
                .into_owned()
        });
        if path.is_empty() {
            self.result.links.push(InternalLink {
                target: Ok(self.ctx.page_path.to_string()),
                fragment: fragment_decoded,
                range,
            });
            return dest.to_string();
        }
        let Some(source) = self.resolve_source(path) else {
            return dest.to_string();
        };
        let suffix = fragment.map(|f| format!("#{f}")).unwrap_or_default();
        if source.ends_with(".md") {
            let target = self.ctx.pages.get(&source).cloned().ok_or(source);
            let href = match &target {
                Ok(page) => format!("{ROOT_MARKER}{}{suffix}", encode_path(page)),
                Err(_) => dest.to_string(),
            };
            self.result.links.push(InternalLink {
                target,
                fragment: fragment_decoded,
                range,
            });
            return href;
        }
        if let Some(item) = self.ctx.collections.lookup(&source) {
            if !self.result.cited.contains(&item) {
                self.result.cited.push(item);
            }
            let page = self.ctx.collections.link_target(item);
            return format!("{ROOT_MARKER}{}", encode_path(&page));
        }
        format!("{ROOT_MARKER}{}{suffix}", encode_path(&source))
    }

    fn rewrite_asset(&self, dest: &CowStr<'a>) -> String {
        if is_external(dest) || dest.starts_with('/') || dest.starts_with('#') || dest.is_empty() {
            return dest.to_string();
        }
        match self.resolve_source(dest) {
            Some(source) => format!("{ROOT_MARKER}{}", encode_path(&source)),
            None => dest.to_string(),
        }
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn alert_kind(kind: BlockQuoteKind) -> &'static str {
    match kind {
        BlockQuoteKind::Note => "note",
        BlockQuoteKind::Tip => "tip",
        BlockQuoteKind::Important => "important",
        BlockQuoteKind::Warning => "warning",
        BlockQuoteKind::Caution => "caution",
    }
}

fn list_has_tasks(events: &[(Event, Range<usize>)], list_start: usize) -> bool {
    let mut depth = 0;
    for (i, (event, _)) in events.iter().enumerate().skip(list_start) {
        match event {
            Event::Start(Tag::List(_)) => depth += 1,
            Event::End(TagEnd::List(_)) => {
                depth -= 1;
                if depth == 0 {
                    return false;
                }
            }
            Event::Start(Tag::Item) if depth == 1 && item_is_task(events, i) => return true,
            _ => {}
        }
    }
    false
}

fn item_is_task(events: &[(Event, Range<usize>)], item_start: usize) -> bool {
    match events.get(item_start + 1).map(|e| &e.0) {
        Some(Event::TaskListMarker(_)) => true,
        Some(Event::Start(Tag::Paragraph)) => {
            matches!(
                events.get(item_start + 2).map(|e| &e.0),
                Some(Event::TaskListMarker(_))
            )
        }
        _ => false,
    }
}

/// `text {#my-id}` gives `my-id` and `text`.
fn explicit_id(text: &str) -> Option<(&str, &str)> {
    let trimmed = text.trim_end();
    let start = trimmed.rfind("{#")?;
    let id = trimmed[start + 2..].strip_suffix('}')?;
    let valid = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    valid.then(|| (id, trimmed[..start].trim_end()))
}

fn split_fragment(dest: &str) -> (&str, Option<&str>) {
    let without_query = |p: &str| p.split('?').next().unwrap_or("").to_string();
    match dest.split_once('#') {
        Some((path, fragment)) => (&path[..without_query(path).len()], Some(fragment)),
        None => (&dest[..without_query(dest).len()], None),
    }
}

fn encode_fragment(anchor: &str) -> String {
    anchor.replace(' ', "%20")
}

/// Where a link sits in the chapter file, from its range in the Markdown body.
pub fn link_location(file_source: &str, body_offset: usize, range: &Range<usize>) -> Location {
    Location::from_offset(file_source, body_offset + range.start, range.len())
}

pub mod code;
pub(crate) mod math;
#[cfg(test)]
mod tests;
