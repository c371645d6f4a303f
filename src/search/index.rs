//! The inverted index: every term's postings with a precomputed impact (`scoring.rs`), cut into
//! shards of sorted terms, plus the fragments holding the documents' text. The browser
//! multiplies each impact by the term's rarity (idf, from its document frequency).

use std::hash::Hasher;

use rayon::prelude::*;

use super::docs::{SearchDoc, SearchPage};
use super::fragments;
use super::json::push_string;
use super::postings;
use super::scoring::{self, OnFragment, Postings, TermMap, doc_len, keep_best};
use super::tokens::{cjk_text, js_order};
use crate::error::Diagnostic;
use crate::hash::FastHasher;

#[derive(Debug, Clone, Copy)]
pub(crate) struct IndexLimits {
    /// A term keeps at most this many postings, those of highest impact: a common term's full
    /// list would outweigh everything else a query loads, and only its best documents can rank.
    pub max_postings: usize,
    /// A shard is closed once its text passes this many bytes.
    pub shard_bytes: usize,
    /// A fragment holds consecutive documents up to about this many bytes of JSON.
    pub fragment_bytes: usize,
}

impl Default for IndexLimits {
    fn default() -> Self {
        IndexLimits {
            max_postings: 1500,
            shard_bytes: 16 * 1024,
            fragment_bytes: 10 * 1024,
        }
    }
}

pub(crate) struct SearchIndex {
    pub doc_count: usize,
    /// The first term of each shard, in JavaScript's string order.
    pub shard_starts: Vec<String>,
    /// Each shard's JSON: `[[term, document frequency, postings], ...]`.
    pub shards: Vec<String>,
}

/// A hash of everything the index is made from (each text by its own hash, so spilled texts need
/// not be read), naming its files before it is built: the pages that link to them can be
/// written meanwhile. guidebook's version is part of it, as a new version may index otherwise.
pub(crate) fn inputs_hash(
    pages: &[SearchPage],
    docs: &[SearchDoc],
    limits: IndexLimits,
    also: &[&str],
) -> u64 {
    let doc_hashes: Vec<u64> = docs
        .par_chunks(4096)
        .map(|chunk| {
            let mut hasher = FastHasher::default();
            for doc in chunk {
                hasher.write_usize(doc.page);
                hasher.add_str(&doc.anchor);
                hasher.add_str(&doc.title);
                hasher.write_u64(doc.facts.hash);
            }
            hasher.finish_u64()
        })
        .collect();
    let mut hasher = FastHasher::default();
    hasher.add_str(env!("CARGO_PKG_VERSION"));
    hasher.add_str(&format!("{limits:?}"));
    for page in pages {
        hasher.add_str(&page.path);
        hasher.add_str(&page.title);
        hasher.write_u32(page.weight.to_bits());
    }
    for hash in doc_hashes {
        hasher.write_u64(hash);
    }
    for text in also {
        hasher.add_str(text);
    }
    hasher.finish_u64()
}

/// The index of `docs`; `on_fragment` gets each fragment's documents with their texts as they
/// are scored (see `scoring::OnFragment`).
pub(crate) fn build_index(
    pages: &[SearchPage],
    docs: &[SearchDoc],
    limits: IndexLimits,
    on_fragment: OnFragment,
) -> Result<SearchIndex, Diagnostic> {
    let fragments = fragments::group(pages, docs, limits.fragment_bytes);
    let total_len: usize = docs.par_iter().map(doc_len).sum();
    let avg_len = (total_len as f32 / docs.len().max(1) as f32).max(1.0);
    let terms = scoring::term_postings(
        (pages, docs, &fragments),
        avg_len,
        limits.max_postings,
        on_fragment,
    )?;
    let (shard_starts, shards) = cut_shards(terms, limits);
    Ok(SearchIndex {
        doc_count: docs.len(),
        shard_starts,
        shards,
    })
}

fn cut_shards(terms: TermMap, limits: IndexLimits) -> (Vec<String>, Vec<String>) {
    let cjk = terms
        .cjk
        .into_iter()
        .map(|(key, p)| (cjk_text(key).into_boxed_str(), p));
    let mut terms: Vec<(Box<str>, Postings)> = cjk.chain(terms.words).collect();
    terms.par_sort_unstable_by(|a, b| js_order(&a.0, &b.0));
    let entries: Vec<(Box<str>, String)> = terms
        .into_par_iter()
        .map(|(term, mut p)| {
            keep_best(&mut p.list, limits.max_postings);
            p.list.sort_unstable_by_key(|posting| posting.doc);
            let mut entry = String::with_capacity(term.len() + 16 + p.list.len() * 3);
            entry.push('[');
            push_string(&mut entry, &term);
            entry.push_str(&format!(",{},\"", p.df));
            postings::encode_into(&mut entry, &p.list);
            entry.push_str("\"]");
            (term, entry)
        })
        .collect();
    let mut starts = Vec::new();
    let mut shards: Vec<String> = Vec::new();
    for (term, entry) in entries {
        match shards.last_mut() {
            Some(shard) if shard.len() < limits.shard_bytes => {
                shard.push(',');
                shard.push_str(&entry);
            }
            _ => {
                starts.push(term.into_string());
                let mut shard = String::with_capacity(limits.shard_bytes + entry.len() + 2);
                shard.push('[');
                shard.push_str(&entry);
                shards.push(shard);
            }
        }
    }
    for shard in &mut shards {
        shard.push(']');
    }
    (starts, shards)
}

#[cfg(test)]
mod tests {
    use std::ops::Range;

    use super::*;
    use crate::search::docs::test_doc as doc;
    use crate::search::fragments::DOCS_PER_FRAGMENT;
    use serde_json::Value;

    /// The index, and the documents each fragment was handed over with, as ranges.
    fn build_index(
        pages: &[SearchPage],
        docs: &[SearchDoc],
        limits: IndexLimits,
    ) -> (SearchIndex, Vec<Range<usize>>) {
        let seen = std::sync::Mutex::new(Vec::new());
        let index = super::build_index(pages, docs, limits, &|i, docs| {
            seen.lock().unwrap().push((i, docs.len()));
            Ok(())
        })
        .unwrap();
        let mut seen = seen.into_inner().unwrap();
        seen.sort();
        let mut at = 0;
        let ranges = seen
            .iter()
            .enumerate()
            .map(|(n, &(i, len))| {
                assert_eq!(n, i, "each fragment once");
                at += len;
                at - len..at
            })
            .collect();
        assert_eq!(at, docs.len(), "every document in a fragment");
        (index, ranges)
    }

    fn page(path: &str, title: &str, weight: f32) -> SearchPage {
        SearchPage {
            path: path.into(),
            title: title.into(),
            weight,
        }
    }

    /// A term, its document frequency and its decoded postings.
    type TermEntry = (String, u64, Vec<(u32, u16)>);

    /// Every term with its document frequency and decoded postings.
    fn all_terms(index: &SearchIndex) -> Vec<TermEntry> {
        index
            .shards
            .iter()
            .flat_map(|s| serde_json::from_str::<Vec<Value>>(s).unwrap())
            .map(|e| {
                (
                    e[0].as_str().unwrap().to_string(),
                    e[1].as_u64().unwrap(),
                    postings::decode(e[2].as_str().unwrap()),
                )
            })
            .collect()
    }

    fn term<'a>(terms: &'a [TermEntry], t: &str) -> &'a TermEntry {
        terms
            .iter()
            .find(|e| e.0 == t)
            .unwrap_or_else(|| panic!("no term {t}"))
    }

    #[test]
    fn terms_are_sharded_in_order_and_each_shard_starts_where_listed() {
        let pages = [page("a.html", "A", 1.0)];
        let docs: Vec<SearchDoc> = (0..40)
            .map(|i| doc(0, "", &format!("word{i} 关系{i} 修复")))
            .collect();
        let limits = IndexLimits {
            shard_bytes: 200,
            ..IndexLimits::default()
        };
        let (index, _) = build_index(&pages, &docs, limits);
        assert!(index.shards.len() > 3, "{} shards", index.shards.len());
        let terms = all_terms(&index);
        let names: Vec<&str> = terms.iter().map(|t| t.0.as_str()).collect();
        let mut sorted = names.clone();
        sorted.sort_by(|a, b| js_order(a, b));
        assert_eq!(names, sorted);
        for (start, shard) in index.shard_starts.iter().zip(&index.shards) {
            let first: Vec<Value> = serde_json::from_str(shard).unwrap();
            assert_eq!(first[0][0].as_str().unwrap(), start);
        }
        assert_eq!(term(&terms, "修复").1, 40);
    }

    #[test]
    fn postings_name_documents_by_their_fragment_and_place() {
        let pages = [page("a.html", "A", 1.0), page("b.html", "B", 1.0)];
        let docs = vec![doc(0, "一", "甲"), doc(0, "二", "乙"), doc(1, "三", "丙")];
        let (index, fragments) = build_index(&pages, &docs, IndexLimits::default());
        assert_eq!(fragments, vec![0..3], "small pages share a fragment");
        let terms = all_terms(&index);
        assert_eq!(term(&terms, "乙").2[0].0, 1);
        assert_eq!(term(&terms, "丙").2[0].0, 2);
        let limits = IndexLimits {
            fragment_bytes: 60,
            ..IndexLimits::default()
        };
        let (index, fragments) = build_index(&pages, &docs, limits);
        assert_eq!(fragments, vec![0..1, 1..2, 2..3]);
        let terms = all_terms(&index);
        assert_eq!(term(&terms, "丙").2[0].0, 2 * DOCS_PER_FRAGMENT);
    }

    #[test]
    fn the_inputs_hash_follows_the_text() {
        let pages = [page("a.html", "A", 1.0)];
        let hash =
            |text: &str| inputs_hash(&pages, &[doc(0, "一", text)], IndexLimits::default(), &[]);
        assert_eq!(hash("复盘。"), hash("复盘。"));
        assert_ne!(
            hash("复盘。"),
            hash("复盘！"),
            "punctuation shows in snippets"
        );
        let other_title = [page("a.html", "B", 1.0)];
        assert_ne!(
            hash("复盘。"),
            inputs_hash(
                &other_title,
                &[doc(0, "一", "复盘。")],
                IndexLimits::default(),
                &[]
            )
        );
    }

    #[test]
    fn titles_and_rare_documents_weigh_more_and_low_pages_less() {
        let pages = [page("a.html", "A", 1.0), page("refs.html", "R", 0.4)];
        let docs = vec![
            doc(0, "复盘", "写下经过。"),
            doc(
                0,
                "其他",
                "顺便提到复盘和很多别的事情，别的事情，别的事情。",
            ),
            doc(1, "复盘", "写下经过。"),
        ];
        let (index, _) = build_index(&pages, &docs, IndexLimits::default());
        let terms = all_terms(&index);
        let list = &term(&terms, "复盘").2;
        let impact = |id: u32| list.iter().find(|p| p.0 == id).unwrap().1;
        assert!(impact(0) > impact(1), "a title hit beats a passing mention");
        assert!(impact(0) > impact(2), "the weighted page ranks lower");
    }

    #[test]
    fn common_terms_keep_their_best_postings_and_full_frequency() {
        let pages = [page("a.html", "A", 1.0)];
        let mut docs: Vec<SearchDoc> = (0..50).map(|_| doc(0, "", "一些 字 字")).collect();
        docs.push(doc(0, "字", "字"));
        let limits = IndexLimits {
            max_postings: 10,
            ..IndexLimits::default()
        };
        let (index, _) = build_index(&pages, &docs, limits);
        let terms = all_terms(&index);
        let (_, df, list) = term(&terms, "字");
        assert_eq!(*df, 51);
        assert_eq!(list.len(), 10);
        assert!(list.windows(2).all(|w| w[0].0 < w[1].0), "sorted by id");
        assert!(list.iter().any(|p| p.0 == 50), "the title hit is kept");
    }
}
