//! What chapters and the Markdown in YAML files (intros, case parts) share: the parser's
//! options and the rule for soft breaks between Chinese characters. Both the chapter renderer
//! (`markdown`) and the partials' views use it, so neither imports the other for it.

mod cjk;

use pulldown_cmark::{Event, Options, Parser};

pub use cjk::drop_soft_breaks;

pub fn options(smart_punctuation: bool) -> Options {
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_MATH;
    if smart_punctuation {
        options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    options
}

/// Markdown from YAML files (intros, case parts): no link rewriting, no ids.
pub fn render_snippet(markdown: &str) -> String {
    if markdown.trim().is_empty() {
        return String::new();
    }
    let events: Vec<(Event, ())> = Parser::new_ext(markdown, options(false))
        .map(|e| (e, ()))
        .collect();
    let mut html = String::new();
    pulldown_cmark::html::push_html(
        &mut html,
        cjk::drop_soft_breaks(events).into_iter().map(|(e, _)| e),
    );
    html
}

/// One line of inline Markdown, without the surrounding paragraph.
pub fn render_inline(markdown: &str) -> String {
    let html = render_snippet(markdown);
    let trimmed = html.trim_end();
    trimmed
        .strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>"))
        .unwrap_or(trimmed)
        .to_string()
}
