//! The search index, built at build time and loaded lazily by the browser as a `.js` file (so it
//! works from `file://`): every section of every page as normalised plain text with its page, anchor
//! and title. The browser lower-cases the query the same way and matches Chinese runs as substrings
//! (full recall, no dictionary, so index and query cannot disagree) and Latin words by prefix.
//! An inverted index of character pairs was measured first: its postings alone were larger than the
//! text, compressed, while a linear scan of a book's text takes a few milliseconds.

use std::sync::Arc;

use serde::Serialize;

use crate::book::Book;
use crate::markdown::Rendered;

/// One searchable passage: a section of a page.
#[derive(Debug, Clone)]
pub struct SearchDoc {
    pub page: usize,
    pub anchor: String,
    pub title: String,
    pub text: String,
}

#[derive(Serialize)]
struct IndexFile<'a> {
    pages: &'a [(String, String)],
    docs: Vec<(usize, &'a str, &'a str, &'a str)>,
}

pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{2ffff}')
}

/// Collapses runs of white space so snippets read well and the index stays small.
pub fn compact_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            let prev_cjk = out
                .chars()
                .last()
                .is_some_and(|c| is_cjk(c) || !c.is_ascii());
            let next_cjk = word
                .chars()
                .next()
                .is_some_and(|c| is_cjk(c) || !c.is_ascii());
            if !(prev_cjk && next_cjk) {
                out.push(' ');
            }
        }
        out.push_str(word);
    }
    out
}

/// The index as a script that sets `window.GUIDEBOOK_SEARCH`.
pub fn build_index(pages: &[(String, String)], docs: &[SearchDoc]) -> String {
    let file = IndexFile {
        pages,
        docs: docs
            .iter()
            .map(|d| (d.page, d.anchor.as_str(), d.title.as_str(), d.text.as_str()))
            .collect(),
    };
    let json = serde_json::to_string(&file).expect("the index serialises");
    format!("window.GUIDEBOOK_SEARCH={};\n", json.replace("</", "<\\/"))
}

pub fn pages_for_book(book: &Book) -> Vec<(String, String)> {
    let mut pages: Vec<(String, String)> = book
        .chapters
        .iter()
        .map(|c| (c.page_path.clone(), c.title.clone()))
        .collect();
    pages.extend(
        book.collections
            .worksheets
            .iter()
            .map(|w| (w.page_path(), w.title.clone())),
    );
    pages
}

pub fn docs_for_book(book: &Book, rendered: &[Arc<Rendered>]) -> Vec<SearchDoc> {
    let mut docs = Vec::new();
    for (i, r) in rendered.iter().enumerate() {
        for s in &r.sections {
            docs.push(SearchDoc {
                page: i,
                anchor: s.anchor.clone(),
                title: s.title.clone(),
                text: compact_text(&s.text),
            });
        }
    }
    let base = book.chapters.len();
    for (j, w) in book.collections.worksheets.iter().enumerate() {
        let mut text = w.description.clone();
        for f in w.fields() {
            text.push(' ');
            text.push_str(&f.label);
        }
        docs.push(SearchDoc {
            page: base + j,
            anchor: String::new(),
            title: w.title.clone(),
            text: compact_text(&text),
        });
    }
    docs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_is_a_script_of_sections() {
        let docs = vec![SearchDoc {
            page: 0,
            anchor: "人脉".into(),
            title: "人脉".into(),
            text: "关系</script>很重要".into(),
        }];
        let index = build_index(&[("a.html".into(), "A".into())], &docs);
        assert_eq!(
            index,
            "window.GUIDEBOOK_SEARCH={\"pages\":[[\"a.html\",\"A\"]],\"docs\":[[0,\"人脉\",\"人脉\",\"关系<\\/script>很重要\"]]};\n"
        );
    }

    #[test]
    fn compacting_keeps_latin_spacing_only() {
        assert_eq!(
            compact_text("中文\n  段落 and  more\n\n文字"),
            "中文段落 and more 文字"
        );
    }
}
