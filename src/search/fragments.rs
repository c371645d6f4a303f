//! The fragments: the documents' text, for results' titles and snippets, in files of several
//! consecutive pages' documents up to a byte budget. One file per page made most of a large
//! book's output files (50,001 of 50,619 at 50,000 chapters), and creating files dominated the
//! index stage; a query loads only the fragments of the results it shows.

use std::ops::Range;

use super::docs::{SearchDoc, SearchPage};
use super::json::push_string;

/// A document id is its fragment's number times this, plus its place in the fragment, so the
/// browser knows which fragment holds a result without a table of every document.
pub(crate) const DOCS_PER_FRAGMENT: u32 = 64;

/// Each document's id and the documents of each fragment.
#[derive(Debug, PartialEq)]
pub(crate) struct Fragments {
    pub ids: Vec<u32>,
    pub ranges: Vec<Range<usize>>,
}

/// Groups consecutive documents into fragments of about `budget` bytes of JSON at most (a little
/// more where text needs escapes) and `DOCS_PER_FRAGMENT` documents; a document larger than the
/// budget gets a fragment alone, and a page's documents may continue in the next fragment.
pub(crate) fn group(pages: &[SearchPage], docs: &[SearchDoc], budget: usize) -> Fragments {
    let mut ids = Vec::with_capacity(docs.len());
    let mut ranges: Vec<Range<usize>> = Vec::new();
    let mut bytes = 0;
    for (i, doc) in docs.iter().enumerate() {
        let open = ranges.last().filter(|r| !r.is_empty());
        let new_page = open.is_none_or(|r| docs[r.end - 1].page != doc.page);
        let size = doc_bytes(doc)
            + if new_page {
                page_bytes(&pages[doc.page])
            } else {
                0
            };
        let fits =
            open.is_some_and(|r| (r.len() as u32) < DOCS_PER_FRAGMENT && bytes + size <= budget);
        if !fits {
            ranges.push(i..i);
            // The page is listed again in the new fragment.
            bytes = FRAME_BYTES + doc_bytes(doc) + page_bytes(&pages[doc.page]);
        } else {
            bytes += size;
        }
        let fragment = ranges.len() as u32 - 1;
        let range = ranges.last_mut().expect("a fragment is open");
        ids.push(fragment * DOCS_PER_FRAGMENT + range.len() as u32);
        range.end = i + 1;
    }
    Fragments { ids, ranges }
}

/// `{"p":[],"d":[]}` around a fragment's pages and documents.
const FRAME_BYTES: usize = 16;

/// About what a document adds to its fragment's JSON: its strings and their punctuation.
fn doc_bytes(doc: &SearchDoc) -> usize {
    doc.anchor.len() + doc.title.len() + doc.facts.len as usize + 14
}

fn page_bytes(page: &SearchPage) -> usize {
    page.path.len() + page.title.len() + 8
}

/// About how long a fragment's JSON is, to size its buffer once.
pub(crate) fn json_len(pages: &[SearchPage], docs: &[SearchDoc]) -> usize {
    let listed: usize = docs
        .chunk_by(|a, b| a.page == b.page)
        .map(|run| page_bytes(&pages[run[0].page]))
        .sum();
    FRAME_BYTES + listed + docs.iter().map(doc_bytes).sum::<usize>()
}

#[cfg(test)]
fn fragment_json(pages: &[SearchPage], docs: &[SearchDoc]) -> String {
    let mut out = String::with_capacity(json_len(pages, docs));
    push_fragment_json(&mut out, pages, docs);
    out
}

/// Appends a fragment's JSON: `{"p": [[path, title], ...], "d": [[page, anchor, title, text],
/// ...]}`, each page listed once and each document naming its page by its place in that list.
pub(crate) fn push_fragment_json(out: &mut String, pages: &[SearchPage], docs: &[SearchDoc]) {
    out.push_str("{\"p\":[");
    let mut listed: Option<usize> = None;
    for doc in docs {
        if listed != Some(doc.page) {
            if listed.is_some() {
                out.push(',');
            }
            let page = &pages[doc.page];
            out.push('[');
            push_string(out, &page.path);
            out.push(',');
            push_string(out, &page.title);
            out.push(']');
            listed = Some(doc.page);
        }
    }
    out.push_str("],\"d\":[");
    let mut place = 0;
    let mut previous = docs.first().map(|d| d.page);
    for (i, doc) in docs.iter().enumerate() {
        if previous != Some(doc.page) {
            place += 1;
            previous = Some(doc.page);
        }
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        out.push_str(&place.to_string());
        for part in [&doc.anchor, &doc.title, &doc.text] {
            out.push(',');
            push_string(out, part);
        }
        out.push(']');
    }
    out.push_str("]}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::docs::test_doc as doc;
    use serde_json::{Value, json};

    fn page(path: &str) -> SearchPage {
        SearchPage {
            path: path.into(),
            title: path.to_uppercase(),
            weight: 1.0,
        }
    }

    #[test]
    fn small_pages_share_a_fragment_and_each_doc_names_its_page() {
        let pages = [page("a.html"), page("b.html"), page("c.html")];
        let docs = vec![doc(0, "一", "甲"), doc(0, "二", "乙"), doc(1, "三", "丙")];
        let grouped = group(&pages, &docs, 4096);
        assert_eq!(grouped.ranges, vec![0..3]);
        assert_eq!(grouped.ids, vec![0, 1, 2]);
        let json: Value = serde_json::from_str(&fragment_json(&pages, &docs)).unwrap();
        assert_eq!(
            json,
            json!({
                "p": [["a.html", "A.HTML"], ["b.html", "B.HTML"]],
                "d": [[0, "一", "一", "甲"], [0, "二", "二", "乙"], [1, "三", "三", "丙"]]
            })
        );
    }

    #[test]
    fn fragments_stay_within_their_budget_and_ids_name_their_fragment() {
        let pages: Vec<SearchPage> = (0..30).map(|i| page(&format!("p{i}.html"))).collect();
        let docs: Vec<SearchDoc> = (0..60)
            .map(|i| doc(i / 2, &format!("节{i}"), &"关系修复。".repeat(20)))
            .collect();
        let budget = 1500;
        let grouped = group(&pages, &docs, budget);
        assert!(grouped.ranges.len() > 3, "{:?}", grouped.ranges);
        assert!(
            grouped.ranges.len() < 30,
            "pages share fragments: {:?}",
            grouped.ranges
        );
        let mut next = 0;
        for (n, range) in grouped.ranges.iter().enumerate() {
            assert_eq!(range.start, next, "fragments are consecutive");
            next = range.end;
            let json = fragment_json(&pages, &docs[range.clone()]);
            assert!(json.len() <= budget, "fragment {n}: {} bytes", json.len());
            let parsed: Value = serde_json::from_str(&json).unwrap();
            for (place, i) in range.clone().enumerate() {
                let id = grouped.ids[i];
                assert_eq!(id / DOCS_PER_FRAGMENT, n as u32);
                assert_eq!(id % DOCS_PER_FRAGMENT, place as u32);
                let d = &parsed["d"][place];
                let listed = &parsed["p"][d[0].as_u64().unwrap() as usize];
                assert_eq!(listed[0], pages[docs[i].page].path.as_str());
                assert_eq!(d[2], docs[i].title.as_ref());
            }
        }
        assert_eq!(next, docs.len());
    }

    #[test]
    fn a_document_over_the_budget_gets_a_fragment_alone() {
        let pages = [page("a.html")];
        let docs = vec![doc(0, "", &"长".repeat(5000)); 3];
        assert_eq!(group(&pages, &docs, 12_000).ranges, vec![0..1, 1..2, 2..3]);
    }

    #[test]
    fn a_fragment_holds_at_most_its_share_of_ids() {
        let pages = [page("a.html")];
        let docs = vec![doc(0, "", "字"); 100];
        let grouped = group(&pages, &docs, 1 << 20);
        assert_eq!(grouped.ranges, vec![0..64, 64..100]);
        assert_eq!(grouped.ids[64], DOCS_PER_FRAGMENT);
    }
}
