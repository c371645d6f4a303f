//! What search finds: every section of every chapter, each case's page and each worksheet page, as
//! plain text grouped by page.

use std::borrow::Cow;

use pulldown_cmark::{Event, Parser, TagEnd};

use super::tokens::compact_text;
use crate::collections::case::Case;
use crate::collections::worksheet::Worksheet;
use crate::rendered::{RenderedBook, RenderedChapter};

/// A page results link to, and how much its sections count in ranking.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SearchPage {
    pub path: String,
    pub title: String,
    /// 1 for chapters; lower ranks a page below the rest (front matter `search-weight`).
    pub weight: f32,
}

/// One result: a section of a page, a case card or a worksheet. A chapter's sections are
/// borrowed from its rendered Markdown (their text is compact already), not copied.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SearchDoc<'a> {
    /// Index into the pages; a page's docs are consecutive.
    pub page: usize,
    pub anchor: Cow<'a, str>,
    pub title: Cow<'a, str>,
    pub text: Cow<'a, str>,
}

/// The front-matter key that lowers a page in results (the bibliography sets it).
pub(crate) const WEIGHT_KEY: &str = "search-weight";

pub(crate) fn collect_docs<'a>(
    rendered: RenderedBook<'a>,
) -> (Vec<SearchPage>, Vec<SearchDoc<'a>>) {
    let book = rendered.book;
    let mut pages = Vec::new();
    let mut docs = Vec::new();
    // The built-in words: a book's own table is the theme's, which search does not see.
    let words = crate::i18n::words_for(&book.config.language, &Default::default());
    let separator = words.page["phrase_separator"].as_str();
    for RenderedChapter {
        chapter,
        rendered: r,
        ..
    } in rendered.chapters()
    {
        let page = pages.len();
        let weight = chapter
            .front_matter
            .extra
            .get(WEIGHT_KEY)
            .and_then(|v| v.as_f64())
            .map_or(1.0, |w| w.clamp(0.05, 1.0) as f32);
        pages.push(SearchPage {
            path: chapter.page_path.clone(),
            title: chapter.title.clone(),
            weight,
        });
        docs.extend(r.sections.iter().map(|s| SearchDoc {
            page,
            anchor: Cow::Borrowed(&s.anchor),
            title: Cow::Borrowed(&s.title),
            text: Cow::Borrowed(&s.text),
        }));
    }
    // Each case has its own page.
    for case in &book.collections.cases {
        pages.push(SearchPage {
            path: case.page_path(),
            title: case.title.clone(),
            weight: 1.0,
        });
        docs.push(case_doc(pages.len() - 1, case, separator));
    }
    for ws in &book.collections.worksheets {
        pages.push(SearchPage {
            path: ws.page_path(),
            title: ws.title.clone(),
            weight: 1.0,
        });
        docs.push(worksheet_doc(pages.len() - 1, ws, separator));
    }
    (pages, docs)
}

/// A section document for tests: its anchor is its title.
#[cfg(test)]
pub(crate) fn test_doc(page: usize, title: &str, text: &str) -> SearchDoc<'static> {
    SearchDoc {
        page,
        anchor: title.to_string().into(),
        title: title.to_string().into(),
        text: text.to_string().into(),
    }
}

/// A case as its own result, linking to its page.
fn case_doc(page: usize, case: &Case, separator: &str) -> SearchDoc<'static> {
    let facets = [
        &case.setback,
        &case.person,
        &case.industry,
        &case.seniority,
        &case.result,
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .map(String::as_str);
    let mut parts: Vec<String> = facets.map(str::to_string).collect();
    parts.push(plain_text(&case.text));
    SearchDoc {
        page,
        anchor: Cow::Borrowed(""),
        title: case.title.clone().into(),
        text: compact_text(&join_phrases(parts, separator)).into(),
    }
}

/// A worksheet: its description, then each section's title and field labels, kept apart.
fn worksheet_doc(page: usize, ws: &Worksheet, separator: &str) -> SearchDoc<'static> {
    let mut parts = vec![ws.description.clone()];
    for section in &ws.sections {
        parts.push(section.title.clone());
        for field in &section.fields {
            parts.push(field.label.clone());
            parts.extend(field.columns.iter().map(|c| c.label.clone()));
        }
    }
    SearchDoc {
        page,
        anchor: Cow::Borrowed(""),
        title: ws.title.clone().into(),
        text: compact_text(&join_phrases(parts, separator)).into(),
    }
}

/// Joins labels and phrases with `separator` (the language's `phrase_separator` word) unless one
/// already ends in punctuation, so a snippet never runs two labels together.
fn join_phrases(parts: Vec<String>, separator: &str) -> String {
    let mut out = String::new();
    for part in parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        let ends_clause = out
            .chars()
            .last()
            .is_some_and(|c| "。？！；：，、.?!;:,".contains(c));
        if !out.is_empty() && !ends_clause {
            out.push_str(separator);
        }
        out.push_str(part);
    }
    out
}

/// The text of a Markdown snippet, blocks separated by line breaks.
fn plain_text(markdown: &str) -> String {
    let mut out = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_)) => out.push('\n'),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_kept_apart() {
        let parts = [
            "关系清单",
            "姓名或称呼",
            "此刻的情绪有多平稳？",
            "一句话概括",
        ];
        assert_eq!(
            join_phrases(parts.iter().map(|s| s.to_string()).collect(), "；"),
            "关系清单；姓名或称呼；此刻的情绪有多平稳？一句话概括"
        );
    }

    #[test]
    fn markdown_becomes_plain_text() {
        assert_eq!(
            compact_text(&plain_text("他**先**道歉。\n\n- 一\n- `二`\n")),
            "他先道歉。一二"
        );
    }
}
