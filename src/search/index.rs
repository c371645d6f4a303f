//! The inverted index: every term's postings with a precomputed impact (BM25's term part with
//! its length normalisation, a boost for terms in the section and page titles, and the page's
//! weight), cut into shards of sorted terms, plus the fragments holding the documents' text.
//! The browser multiplies each impact by the term's rarity (idf, from its document frequency).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

use rayon::prelude::*;
use serde_json::json;

use super::docs::{SearchDoc, SearchPage};
use super::postings;
use super::tokens::{for_each_term, js_order};

/// A document id is its fragment's number times this, plus its place in the fragment, so the
/// browser knows which fragment holds a result without a table of every document.
pub(crate) const DOCS_PER_FRAGMENT: u32 = 64;

/// BM25's usual constants; words in a section title count as this many in its text.
const K1: f32 = 1.2;
const B: f32 = 0.75;
const TITLE_WEIGHT: f32 = 3.0;
/// Added to the term part when the term is in the section's or the page's title.
const SECTION_TITLE_BONUS: f32 = 1.5;
const PAGE_TITLE_BONUS: f32 = 0.8;
/// Impacts are stored as whole numbers in tenths.
const IMPACT_SCALE: f32 = 10.0;

#[derive(Debug, Clone, Copy)]
pub(crate) struct IndexLimits {
    /// A term keeps at most this many postings, those of highest impact: a common term's full
    /// list would outweigh everything else a query loads, and only its best documents can rank.
    pub max_postings: usize,
    /// A shard is closed once its text passes this many bytes.
    pub shard_bytes: usize,
    /// A fragment is closed once its documents' text passes this many bytes.
    pub fragment_bytes: usize,
}

impl Default for IndexLimits {
    fn default() -> Self {
        IndexLimits {
            max_postings: 1500,
            shard_bytes: 16 * 1024,
            fragment_bytes: 12 * 1024,
        }
    }
}

pub(crate) struct SearchIndex {
    pub doc_count: usize,
    /// The first term of each shard, in JavaScript's string order.
    pub shard_starts: Vec<String>,
    /// Each shard's JSON: `[[term, document frequency, postings], ...]`.
    pub shards: Vec<String>,
    /// The documents of each fragment; its JSON is made only as it is written (`fragment_json`),
    /// as the fragments hold all the book's text.
    pub fragments: Vec<Range<usize>>,
    /// A hash of every shard and of the documents the fragments hold.
    hash: u64,
}

impl SearchIndex {
    /// A hash of everything the index files hold, naming the folder they are written to.
    pub(crate) fn content_hash(&self) -> String {
        format!("{:016x}", self.hash)
    }
}

/// The hash `content_hash` gives: of the shards, and of each document with its page.
fn hash_content(shards: &[String], pages: &[SearchPage], docs: &[SearchDoc]) -> u64 {
    let mut hash = 0u64;
    let mut add = |bytes: &[u8]| hash = hash.rotate_left(5) ^ crate::slug::fnv1a(bytes);
    for shard in shards {
        add(shard.as_bytes());
    }
    for doc in docs {
        let page = &pages[doc.page];
        for part in [&page.path, &page.title] {
            add(part.as_bytes());
        }
        for part in [&doc.anchor, &doc.title, &doc.text] {
            add(part.as_bytes());
        }
    }
    hash
}

/// A term's postings while building: its full document frequency and its best postings.
#[derive(Default)]
struct Postings {
    df: u32,
    list: Vec<(u32, u16)>,
}

type TermMap = FastMap<String, Postings>;

/// Hashing short terms is most of the index's cost; the standard hasher resists collision
/// attacks, which a book's own text does not mount. (The multiply-rotate step of rustc's FxHash.)
#[derive(Default, Clone, Copy)]
struct TermHasher(u64);

impl Hasher for TermHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        }
        let mut last = [0u8; 8];
        last[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
        self.add(u64::from_le_bytes(last));
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl TermHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<TermHasher>>;

pub(crate) fn build_index(
    pages: &[SearchPage],
    docs: &[SearchDoc],
    limits: IndexLimits,
) -> SearchIndex {
    let (ids, fragment_ranges) = assign_fragments(docs, limits.fragment_bytes);
    let total_len: usize = docs.par_iter().map(doc_len).sum();
    let avg_len = (total_len as f32 / docs.len().max(1) as f32).max(1.0);
    let numbered: Vec<(u32, &SearchDoc)> = ids.iter().copied().zip(docs).collect();
    let terms = numbered
        .par_chunks(256)
        .map(|chunk| {
            let mut map = TermMap::default();
            for &(id, doc) in chunk {
                add_doc(&mut map, id, doc, &pages[doc.page], avg_len);
            }
            map
        })
        .reduce(TermMap::default, |a, b| merge(a, b, limits.max_postings));
    let (shard_starts, shards) = cut_shards(terms, limits);
    let hash = hash_content(&shards, pages, docs);
    SearchIndex {
        doc_count: docs.len(),
        shard_starts,
        shards,
        fragments: fragment_ranges,
        hash,
    }
}

fn doc_len(doc: &SearchDoc) -> usize {
    doc.text.chars().count() + doc.title.chars().count()
}

/// Gives each document its id and groups documents into fragments: one page's documents, split
/// when they pass `fragment_bytes` or `DOCS_PER_FRAGMENT`.
fn assign_fragments(
    docs: &[SearchDoc],
    fragment_bytes: usize,
) -> (Vec<u32>, Vec<std::ops::Range<usize>>) {
    let mut ids = Vec::with_capacity(docs.len());
    let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
    let mut bytes = 0;
    for (i, doc) in docs.iter().enumerate() {
        let same_page = i > 0 && docs[i - 1].page == doc.page;
        let full = ranges
            .last()
            .is_some_and(|r| r.len() as u32 >= DOCS_PER_FRAGMENT || bytes >= fragment_bytes);
        if ranges.is_empty() || !same_page || full {
            ranges.push(i..i);
            bytes = 0;
        }
        let fragment = ranges.len() as u32 - 1;
        let range = ranges.last_mut().expect("a fragment is open");
        ids.push(fragment * DOCS_PER_FRAGMENT + range.len() as u32);
        range.end = i + 1;
        bytes += doc.text.len() + doc.title.len() + doc.anchor.len();
    }
    (ids, ranges)
}

fn add_doc(map: &mut TermMap, id: u32, doc: &SearchDoc, page: &SearchPage, avg_len: f32) {
    let text = doc.text.to_lowercase();
    let title = doc.title.to_lowercase();
    let page_title = page.title.to_lowercase();
    let mut counts: FastMap<&str, (u32, u32)> = FastMap::default();
    for_each_term(&text, |t| counts.entry(t).or_default().0 += 1);
    for_each_term(&title, |t| counts.entry(t).or_default().1 += 1);
    let mut in_page_title: Vec<&str> = Vec::new();
    for_each_term(&page_title, |t| in_page_title.push(t));
    let norm = K1 * (1.0 - B + B * doc_len(doc) as f32 / avg_len);
    for (term, (in_text, in_title)) in counts {
        let tf = in_text as f32 + TITLE_WEIGHT * in_title as f32;
        let mut score = tf * (K1 + 1.0) / (tf + norm);
        if in_title > 0 {
            score += SECTION_TITLE_BONUS;
        }
        if in_page_title.contains(&term) {
            score += PAGE_TITLE_BONUS;
        }
        let impact = (score * page.weight * IMPACT_SCALE)
            .round()
            .clamp(1.0, 1000.0) as u16;
        match map.get_mut(term) {
            Some(p) => {
                p.df += 1;
                p.list.push((id, impact));
            }
            None => {
                map.insert(
                    term.to_string(),
                    Postings {
                        df: 1,
                        list: vec![(id, impact)],
                    },
                );
            }
        }
    }
}

fn merge(mut a: TermMap, b: TermMap, max_postings: usize) -> TermMap {
    if a.len() < b.len() {
        return merge(b, a, max_postings);
    }
    // Trim once a quarter over the limit: rare enough to stay cheap, and a common term's list
    // never grows far (at 50,000 chapters, thousands of terms are in most documents).
    let most = max_postings + max_postings / 4;
    for (term, p) in b {
        let into = a.entry(term).or_default();
        into.df += p.df;
        into.list.extend(p.list);
        if into.list.len() > most {
            keep_best(&mut into.list, max_postings);
            // Growing doubled the capacity; thousands of such lists would hold it unused.
            into.list.shrink_to(most);
        }
    }
    a
}

/// Keeps the `n` postings of highest impact (the lower document id first on a tie).
fn keep_best(list: &mut Vec<(u32, u16)>, n: usize) {
    if list.len() > n {
        list.select_nth_unstable_by(n, |x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        list.truncate(n);
    }
}

fn cut_shards(terms: TermMap, limits: IndexLimits) -> (Vec<String>, Vec<String>) {
    let mut terms: Vec<(String, Postings)> = terms.into_iter().collect();
    terms.par_sort_unstable_by(|a, b| js_order(&a.0, &b.0));
    let entries: Vec<(String, String)> = terms
        .into_par_iter()
        .map(|(term, mut p)| {
            keep_best(&mut p.list, limits.max_postings);
            p.list.sort_unstable();
            let entry = json!([term, p.df, postings::encode(&p.list)]).to_string();
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
                starts.push(term);
                shards.push(format!("[{entry}"));
            }
        }
    }
    for shard in &mut shards {
        shard.push(']');
    }
    (starts, shards)
}

/// A fragment's JSON: `{"p": page path, "t": page title, "d": [[anchor, title, text], ...]}`.
pub(crate) fn fragment_json(pages: &[SearchPage], docs: &[SearchDoc]) -> String {
    let page = &pages[docs[0].page];
    let docs: Vec<_> = docs
        .iter()
        .map(|d| json!([d.anchor, d.title, d.text]))
        .collect();
    json!({"p": page.path, "t": page.title, "d": docs}).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn page(path: &str, title: &str, weight: f32) -> SearchPage {
        SearchPage {
            path: path.into(),
            title: title.into(),
            weight,
        }
    }

    fn doc(page: usize, title: &str, text: &str) -> SearchDoc<'static> {
        SearchDoc {
            page,
            anchor: title.to_string().into(),
            title: title.to_string().into(),
            text: text.to_string().into(),
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
        let index = build_index(&pages, &docs, limits);
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
    fn pages_split_into_fragments_and_ids_name_their_fragment() {
        let pages = [page("a.html", "A", 1.0), page("b.html", "B", 1.0)];
        let docs = vec![doc(0, "一", "甲"), doc(0, "二", "乙"), doc(1, "三", "丙")];
        let index = build_index(&pages, &docs, IndexLimits::default());
        assert_eq!(index.fragments.len(), 2);
        let second: Value =
            serde_json::from_str(&fragment_json(&pages, &docs[index.fragments[1].clone()]))
                .unwrap();
        assert_eq!(
            second,
            json!({"p": "b.html", "t": "B", "d": [["三", "三", "丙"]]})
        );
        let terms = all_terms(&index);
        assert_eq!(term(&terms, "乙").2[0].0, 1);
        assert_eq!(term(&terms, "丙").2[0].0, DOCS_PER_FRAGMENT);
        let (_, ranges) = assign_fragments(&vec![doc(0, "", &"长".repeat(5000)); 3], 12_000);
        assert_eq!(
            ranges,
            vec![0..1, 1..2, 2..3],
            "large sections get a fragment each"
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
        let index = build_index(&pages, &docs, IndexLimits::default());
        let terms = all_terms(&index);
        let list = &term(&terms, "复盘").2;
        let impact = |id: u32| list.iter().find(|p| p.0 == id).unwrap().1;
        assert!(impact(0) > impact(1), "a title hit beats a passing mention");
        assert!(
            impact(0) > impact(DOCS_PER_FRAGMENT),
            "the weighted page ranks lower"
        );
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
        let index = build_index(&pages, &docs, limits);
        let terms = all_terms(&index);
        let (_, df, list) = term(&terms, "字");
        assert_eq!(*df, 51);
        assert_eq!(list.len(), 10);
        assert!(list.windows(2).all(|w| w[0].0 < w[1].0), "sorted by id");
        assert!(list.iter().any(|p| p.0 == 50), "the title hit is kept");
    }
}
