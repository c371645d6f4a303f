//! Every term's postings with a precomputed impact: BM25's term part with its length
//! normalisation, a boost for terms in the section and page titles, and the page's weight.
//! Counted in parallel, one term map per rayon job, and merged; a common term keeps only its
//! best postings.

use std::borrow::Cow;

use rayon::prelude::*;

use super::docs::{SearchDoc, SearchPage};
use super::fragments::Fragments;
use super::postings::Posting;
use super::tokens::{Term, for_each_term, lowercase};
use crate::error::Diagnostic;
use crate::hash::FastMap;

/// BM25's usual constants; words in a section title count as this many in its text.
const K1: f32 = 1.2;
const B: f32 = 0.75;
const TITLE_WEIGHT: f32 = 3.0;
/// Added to the term part when the term is in the section's or the page's title.
const SECTION_TITLE_BONUS: f32 = 1.5;
const PAGE_TITLE_BONUS: f32 = 0.8;
/// Impacts are stored as whole numbers in tenths.
const IMPACT_SCALE: f32 = 10.0;

/// A term's postings while building: its full document frequency and its best postings.
#[derive(Default)]
pub(super) struct Postings {
    pub df: u32,
    pub list: Vec<Posting>,
    /// Once the list was cut back, the lowest impact it kept: a later document (a higher id) at
    /// or below it can never rank among the best, so it is counted but not added.
    floor: u16,
}

/// Every term's postings while building: Chinese characters and pairs by their number, words by
/// their text.
#[derive(Default)]
pub(super) struct TermMap {
    pub cjk: FastMap<u64, Postings>,
    pub words: FastMap<Box<str>, Postings>,
}

impl TermMap {
    fn len(&self) -> usize {
        self.cjk.len() + self.words.len()
    }

    /// The postings of `term`, made empty when it is new.
    fn postings(&mut self, term: Term) -> &mut Postings {
        match term {
            Term::Cjk(key) => self.cjk.entry(key).or_default(),
            // Looked up before inserting: the key is copied only for a new word.
            Term::Word(word) => {
                if !self.words.contains_key(word) {
                    self.words.insert(word.into(), Postings::default());
                }
                self.words.get_mut(word).expect("just inserted")
            }
        }
    }
}

/// One document's term counts. Single characters of the common Chinese block are most of a
/// Chinese book's terms: they are counted in a table by code point, the rest (pairs, words,
/// rarer characters) in a map.
struct DocCounts<'a> {
    /// Indexed by code point minus `COMMON_FIRST`.
    common: Vec<TermCount>,
    /// The slots of `common` in use, in the order first counted.
    touched: Vec<u32>,
    other: FastMap<Term<'a>, TermCount>,
}

/// The CJK Unified Ideographs block.
const COMMON_FIRST: u64 = 0x4e00;
const COMMON_LAST: u64 = 0x9fff;

impl Default for DocCounts<'_> {
    fn default() -> Self {
        DocCounts {
            common: vec![TermCount::default(); (COMMON_LAST - COMMON_FIRST + 1) as usize],
            touched: Vec::new(),
            other: FastMap::default(),
        }
    }
}

impl<'a> DocCounts<'a> {
    fn slot(term: Term) -> Option<usize> {
        match term {
            Term::Cjk(key) if (COMMON_FIRST..=COMMON_LAST).contains(&key) => {
                Some((key - COMMON_FIRST) as usize)
            }
            _ => None,
        }
    }

    /// The count of `term`, made (empty) when it is new.
    fn count(&mut self, term: Term<'a>) -> &mut TermCount {
        match Self::slot(term) {
            Some(slot) => {
                let count = &mut self.common[slot];
                if !count.is_counted() {
                    self.touched.push(slot as u32);
                }
                count
            }
            None => self.other.entry(term).or_default(),
        }
    }

    /// The count of `term`, if it was counted.
    fn counted(&mut self, term: Term<'a>) -> Option<&mut TermCount> {
        match Self::slot(term) {
            Some(slot) => Some(&mut self.common[slot]).filter(|c| c.is_counted()),
            None => self.other.get_mut(&term),
        }
    }

    fn for_each(&self, mut visit: impl FnMut(Term<'a>, TermCount)) {
        for &slot in &self.touched {
            visit(
                Term::Cjk(COMMON_FIRST + u64::from(slot)),
                self.common[slot as usize],
            );
        }
        for (&term, &count) in &self.other {
            visit(term, count);
        }
    }

    fn clear(&mut self) {
        for &slot in &self.touched {
            self.common[slot as usize] = TermCount::default();
        }
        self.touched.clear();
        self.other.clear();
    }
}

/// How often a term occurs in one document's text and in its title, and whether its page's
/// title has it.
#[derive(Default, Clone, Copy)]
struct TermCount {
    in_text: u32,
    in_title: u32,
    in_page_title: bool,
}

impl TermCount {
    /// Whether the term occurs in the document at all (a page title alone does not count it).
    fn is_counted(&self) -> bool {
        self.in_text > 0 || self.in_title > 0
    }
}

/// Called with each fragment's number and documents, their texts read, as they are scored: the
/// search files write the fragment then, so each spilled text is read back once.
pub(crate) type OnFragment<'f> = &'f (dyn Fn(usize, &[SearchDoc]) -> Result<(), Diagnostic> + Sync);

/// The postings of every term of `docs`, at most about `max_postings` each, fragment by fragment
/// (`fragments` gives each document's id).
pub(super) fn term_postings(
    (pages, docs, fragments): (&[SearchPage], &[SearchDoc], &Fragments),
    avg_len: f32,
    max_postings: usize,
    on_fragment: OnFragment,
) -> Result<TermMap, Diagnostic> {
    let scoring = Scoring {
        pages,
        avg_len,
        // Trim once a quarter over the limit: rare enough to stay cheap, and a common term's
        // list never grows far (at 50,000 chapters, thousands of terms are in most documents).
        most: max_postings + max_postings / 4,
        keep: max_postings,
    };
    // One term map per rayon job, so few maps are merged. A job takes runs of consecutive
    // fragments in order, so its documents come with rising ids (see `floor`).
    fragments
        .ranges
        .par_chunks(FRAGMENTS_PER_BATCH)
        // One job per thread: each job's term map holds its terms' best postings, and with the
        // page stage running beside the index, more jobs meant more maps alive at once (a peak
        // of 497-507 MB at 50,000 chapters, against 482-485 MB so).
        .with_min_len(
            fragments
                .ranges
                .len()
                .div_ceil(FRAGMENTS_PER_BATCH * rayon::current_num_threads())
                .max(1),
        )
        .enumerate()
        .try_fold(TermMap::default, |mut terms, (batch, ranges)| {
            let mut read = Vec::with_capacity(ranges.len());
            for (i, range) in ranges.iter().enumerate() {
                let texts = super::docs::with_texts(&docs[range.clone()]);
                on_fragment(batch * FRAGMENTS_PER_BATCH + i, &texts)?;
                read.push((&fragments.ids[range.clone()], texts));
            }
            let numbered: Vec<(u32, &SearchDoc)> = read
                .iter()
                .flat_map(|(ids, texts)| ids.iter().copied().zip(texts))
                .collect();
            scoring.add_batch(&mut terms, &numbered);
            Ok(terms)
        })
        .try_reduce(TermMap::default, |a, b| Ok(scoring.merge(a, b)))
}

/// Fragments scored as one batch, their texts lowered together and one map of counts reused
/// (a fragment holds up to 64 documents, some 20 on average).
const FRAGMENTS_PER_BATCH: usize = 16;

/// A document's length in characters, for BM25's length normalisation.
pub(super) fn doc_len(doc: &SearchDoc) -> usize {
    doc.facts.chars as usize + doc.title.chars().count()
}

/// What scoring a document needs from the whole book.
struct Scoring<'a> {
    pages: &'a [SearchPage],
    avg_len: f32,
    /// A list this long is cut back to `keep`.
    most: usize,
    keep: usize,
}

impl Scoring<'_> {
    /// Adds a batch of documents (their texts read): their text lowered once, and one map of
    /// counts reused.
    fn add_batch(&self, map: &mut TermMap, batch: &[(u32, &SearchDoc)]) {
        let lowered: Vec<[Cow<str>; 3]> = batch
            .iter()
            .map(|(_, doc)| {
                let page_title = &self.pages[doc.page].title;
                [
                    lowercase(&doc.text),
                    lowercase(&doc.title),
                    lowercase(page_title),
                ]
            })
            .collect();
        let mut counts = DocCounts::default();
        for ((id, doc), [text, title, page_title]) in batch.iter().zip(&lowered) {
            counts.clear();
            for_each_term(text, |t| counts.count(t).in_text += 1);
            for_each_term(title, |t| counts.count(t).in_title += 1);
            // Marked on the terms counted (a lookup each), not searched for term by term.
            for_each_term(page_title, |t| {
                if let Some(count) = counts.counted(t) {
                    count.in_page_title = true;
                }
            });
            let page = &self.pages[doc.page];
            let norm = K1 * (1.0 - B + B * doc_len(doc) as f32 / self.avg_len);
            counts.for_each(|term, count| {
                let impact = impact(count, norm, page.weight);
                let postings = map.postings(term);
                postings.df += 1;
                if impact > postings.floor {
                    postings.list.push(Posting::new(*id, impact));
                    if postings.list.len() > self.most {
                        self.trim(postings);
                    }
                }
            });
        }
    }

    fn merge(&self, mut a: TermMap, b: TermMap) -> TermMap {
        if a.len() < b.len() {
            return self.merge(b, a);
        }
        for (key, p) in b.cjk {
            self.add_postings(a.cjk.entry(key).or_default(), p);
        }
        for (word, p) in b.words {
            self.add_postings(a.words.entry(word).or_default(), p);
        }
        a
    }

    /// Merged lists hold documents in no common order, so neither floor applies after: the
    /// merged one starts again from the next cut.
    fn add_postings(&self, into: &mut Postings, from: Postings) {
        into.df += from.df;
        into.list.extend(from.list);
        into.floor = 0;
        if into.list.len() > self.most {
            self.trim(into);
        }
    }

    fn trim(&self, postings: &mut Postings) {
        let list = &mut postings.list;
        keep_best(list, self.keep);
        postings.floor = list.iter().map(|p| p.impact).min().unwrap_or(0);
        // Growing doubled the capacity; thousands of such lists would hold it unused.
        list.shrink_to(self.most);
    }
}

/// BM25's term part with its length normalisation, title boosts and the page's weight, in
/// tenths.
fn impact(count: TermCount, norm: f32, weight: f32) -> u16 {
    let tf = count.in_text as f32 + TITLE_WEIGHT * count.in_title as f32;
    let mut score = tf * (K1 + 1.0) / (tf + norm);
    if count.in_title > 0 {
        score += SECTION_TITLE_BONUS;
    }
    if count.in_page_title {
        score += PAGE_TITLE_BONUS;
    }
    round_positive((score * weight * IMPACT_SCALE).clamp(1.0, 1000.0))
}

/// `x.round() as u16` for 1 ≤ x ≤ 1000, without the `roundf` call it compiles to (4% of the
/// index stage's time went there): the subtraction is exact, so ties still round up.
fn round_positive(x: f32) -> u16 {
    let whole = x as u16;
    if x - f32::from(whole) >= 0.5 {
        whole + 1
    } else {
        whole
    }
}

/// Keeps the `n` postings of highest impact (the lower document id first on a tie).
pub(super) fn keep_best(list: &mut Vec<Posting>, n: usize) {
    if list.len() > n {
        list.select_nth_unstable_by_key(n, |p| {
            // Fields of a packed struct are copied out, never borrowed.
            let (impact, doc) = (p.impact, p.doc);
            (std::cmp::Reverse(impact), doc)
        });
        list.truncate(n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impacts_round_as_before() {
        let mut x = 1.0f32;
        while x <= 1000.0 {
            assert_eq!(round_positive(x), x.round() as u16, "{x}");
            x = f32::from_bits(x.to_bits() + 97);
        }
        for x in [1.5, 2.5, 999.5, 1000.0, 1.499_999_9] {
            assert_eq!(round_positive(x), x.round() as u16, "{x}");
        }
    }
}
