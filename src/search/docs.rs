//! What search finds: every section of every chapter, each case's page and each worksheet page, as
//! plain text grouped by page.

use std::borrow::Cow;

use pulldown_cmark::{Event, Parser, TagEnd};

use super::tokens::compact_text;
use crate::collections::case::Case;
use crate::collections::worksheet::Worksheet;
use crate::markdown::Rendered;
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
#[derive(Debug, Clone)]
pub(crate) struct SearchDoc<'a> {
    /// Index into the pages; a page's docs are consecutive.
    pub page: usize,
    pub anchor: Cow<'a, str>,
    pub title: Cow<'a, str>,
    /// Empty while the text is in the build's spill file: `with_texts` reads it back.
    pub text: Cow<'a, str>,
    pub facts: TextFacts,
    /// The chapter whose spilled sections hold the text, and the section's place among them.
    spilled: Option<(&'a Rendered, usize)>,
}

impl<'a> SearchDoc<'a> {
    pub(crate) fn new(
        page: usize,
        anchor: Cow<'a, str>,
        title: Cow<'a, str>,
        text: Cow<'a, str>,
    ) -> SearchDoc<'a> {
        SearchDoc {
            page,
            anchor,
            title,
            facts: TextFacts::of(&text),
            text,
            spilled: None,
        }
    }
}

/// What the index needs to know of a text before it reads it: its length in bytes and in
/// characters (fragment sizes, BM25's length normalisation) and a hash (the content hash).
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct TextFacts {
    pub len: u32,
    pub chars: u32,
    pub hash: u64,
}

impl TextFacts {
    pub fn of(text: &str) -> TextFacts {
        let mut hasher = crate::hash::FastHasher::default();
        hasher.add_str(text);
        TextFacts {
            len: text.len() as u32,
            chars: text.chars().count() as u32,
            hash: hasher.finish_u64(),
        }
    }
}

/// `docs` with their text at hand: a spilled chapter's sections are read back in one piece.
pub(crate) fn with_texts<'a>(docs: &[SearchDoc<'a>]) -> Vec<SearchDoc<'a>> {
    let mut read: Option<(&Rendered, Vec<String>)> = None;
    docs.iter()
        .map(|doc| {
            let mut doc = doc.clone();
            if let Some((chapter, section)) = doc.spilled.take() {
                let texts = match &mut read {
                    Some((r, texts)) if std::ptr::eq(*r, chapter) => texts,
                    _ => {
                        let texts = chapter.spilled_section_texts().unwrap_or_default();
                        &mut read.insert((chapter, texts)).1
                    }
                };
                let text = texts.get_mut(section).map(std::mem::take);
                doc.text = Cow::Owned(text.unwrap_or_default());
            }
            doc
        })
        .collect()
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
        let spilled = r.spilled_sections.is_some();
        docs.extend(r.sections.iter().enumerate().map(|(i, s)| SearchDoc {
            page,
            anchor: Cow::Borrowed(&s.anchor),
            title: Cow::Borrowed(&s.title),
            text: Cow::Borrowed(&s.text),
            facts: s.facts,
            spilled: spilled.then_some((&**r, i)),
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
    SearchDoc::new(
        page,
        title.to_string().into(),
        title.to_string().into(),
        text.to_string().into(),
    )
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
    SearchDoc::new(
        page,
        Cow::Borrowed(""),
        case.title.clone().into(),
        compact_text(&join_phrases(parts, separator)).into(),
    )
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
    SearchDoc::new(
        page,
        Cow::Borrowed(""),
        ws.title.clone().into(),
        compact_text(&join_phrases(parts, separator)).into(),
    )
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

    #[cfg(unix)]
    #[test]
    fn spilled_section_texts_are_read_back_with_their_documents() {
        use crate::markdown::SearchSection;
        let dir = tempfile::tempdir().unwrap();
        let spill = crate::spill::HtmlSpill::create(dir.path()).unwrap();
        let mut r = Rendered::default();
        for (anchor, text) in [("一", "关系修复。"), ("二", ""), ("three", "Repair talks")] {
            r.sections.push(SearchSection {
                anchor: anchor.into(),
                title: anchor.into(),
                text: text.into(),
                facts: TextFacts::of(text),
            });
        }
        r.spill_into(&spill);
        assert!(r.sections.iter().all(|s| s.text.is_empty()));
        let docs: Vec<SearchDoc> = r
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| SearchDoc {
                page: 0,
                anchor: Cow::Borrowed(&s.anchor),
                title: Cow::Borrowed(&s.title),
                text: Cow::Borrowed(&s.text),
                facts: s.facts,
                spilled: Some((&r, i)),
            })
            .collect();
        let read: Vec<String> = with_texts(&docs[1..])
            .into_iter()
            .map(|d| d.text.into_owned())
            .collect();
        assert_eq!(read, ["", "Repair talks"]);
        assert_eq!(with_texts(&docs)[0].text, "关系修复。");
        assert_eq!(docs[2].facts, TextFacts::of("Repair talks"));
    }

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
