//! The search index, built at build time and loaded lazily by the browser as a `.js` file (so it
//! works from `file://`). Chinese runs are indexed as overlapping character pairs and Latin text as
//! lower-cased words; the theme's script splits queries the same way, so the two never disagree.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

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
    terms: BTreeMap<String, String>,
}

pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{2ffff}')
}

/// Splits text into index terms: CJK pairs (a lone CJK character stays single) and Latin words.
pub fn tokenize(text: &str, mut emit: impl FnMut(&str)) {
    let lower = text.to_lowercase();
    let mut cjk_run: Vec<char> = Vec::new();
    let mut word = String::new();
    let mut pair = String::with_capacity(8);
    let mut flush_cjk = |run: &mut Vec<char>, emit: &mut dyn FnMut(&str)| {
        if run.len() == 1 {
            pair.clear();
            pair.push(run[0]);
            emit(&pair);
        }
        for w in run.windows(2) {
            pair.clear();
            pair.push(w[0]);
            pair.push(w[1]);
            emit(&pair);
        }
        run.clear();
    };
    for c in lower.chars() {
        if is_cjk(c) {
            if !word.is_empty() {
                emit(&word);
                word.clear();
            }
            cjk_run.push(c);
        } else if c.is_alphanumeric() {
            if !cjk_run.is_empty() {
                flush_cjk(&mut cjk_run, &mut emit);
            }
            word.push(c);
        } else {
            if !word.is_empty() {
                emit(&word);
                word.clear();
            }
            if !cjk_run.is_empty() {
                flush_cjk(&mut cjk_run, &mut emit);
            }
        }
    }
    if !word.is_empty() {
        emit(&word);
    }
    if !cjk_run.is_empty() {
        flush_cjk(&mut cjk_run, &mut emit);
    }
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
    let mut postings: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (id, doc) in docs.iter().enumerate() {
        let mut add = |term: &str| {
            let list = postings.entry(term.to_string()).or_default();
            if list.last() != Some(&id) {
                list.push(id);
            }
        };
        tokenize(&doc.title, &mut add);
        tokenize(&doc.text, &mut add);
    }
    let terms = postings
        .into_iter()
        .map(|(term, ids)| {
            let mut encoded = String::new();
            let mut previous = 0;
            for (i, id) in ids.iter().enumerate() {
                if i > 0 {
                    encoded.push(' ');
                }
                let _ = write!(
                    encoded,
                    "{}",
                    crate::slug::to_base36((id - previous) as u64)
                );
                previous = *id;
            }
            (term, encoded)
        })
        .collect();
    let file = IndexFile {
        pages,
        docs: docs
            .iter()
            .map(|d| (d.page, d.anchor.as_str(), d.title.as_str(), d.text.as_str()))
            .collect(),
        terms,
    };
    let json = serde_json::to_string(&file).expect("the index serialises");
    format!("window.GUIDEBOOK_SEARCH={};\n", json.replace("</", "<\\/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        tokenize(text, |t| out.push(t.to_string()));
        out
    }

    #[test]
    fn chinese_becomes_pairs_and_latin_words() {
        assert_eq!(terms("反思窗口"), ["反思", "思窗", "窗口"]);
        assert_eq!(terms("人"), ["人"]);
        assert_eq!(
            terms("用 OKR 复盘，Review!"),
            ["用", "okr", "复盘", "review"]
        );
        assert_eq!(terms("30天计划"), ["30", "天计", "计划"]);
    }

    #[test]
    fn postings_are_delta_encoded() {
        let docs: Vec<SearchDoc> = ["人脉", "其他", "人脉很重要"]
            .iter()
            .map(|t| SearchDoc {
                page: 0,
                anchor: String::new(),
                title: String::new(),
                text: t.to_string(),
            })
            .collect();
        let index = build_index(&[("a.html".into(), "A".into())], &docs);
        assert!(index.contains("\"人脉\":\"0 2\""), "{index}");
        assert!(index.starts_with("window.GUIDEBOOK_SEARCH={"));
    }

    #[test]
    fn compacting_keeps_latin_spacing_only() {
        assert_eq!(
            compact_text("中文\n  段落 and  more\n\n文字"),
            "中文段落 and more 文字"
        );
    }
}
