//! How text becomes search terms. The browser splits a query with the same rules
//! (`guidebook-search.js`, `terms`), so index and query can never disagree: lower-cased text,
//! Chinese runs as every single character and every overlapping pair of characters (full recall,
//! no dictionary), other letters and digits as whole words (matched by prefix at query time).

use std::borrow::Cow;

pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{2ffff}')
}

/// Collapses runs of white space so snippets read well and the index stays small; a space
/// between two non-Latin characters is dropped, as Chinese text has none.
pub(crate) fn compact_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            let prev_wide = out.chars().last().is_some_and(|c| !c.is_ascii());
            let next_wide = word.chars().next().is_some_and(|c| !c.is_ascii());
            if !(prev_wide && next_wide) {
                out.push(' ');
            }
        }
        out.push_str(word);
    }
    out
}

/// `text.to_lowercase()`, borrowed when nothing changes. Chinese text has no case: only ASCII
/// letters are lowered here, and any other character that has a lower case hands the whole text
/// to `str::to_lowercase` (which also knows the context rule of final sigma).
pub(crate) fn lowercase(text: &str) -> Cow<'_, str> {
    let changes = |c: char| {
        if c.is_ascii() {
            c.is_ascii_uppercase()
        } else {
            !is_cjk(c) && !c.to_lowercase().eq([c])
        }
    };
    let Some(first) = text.find(changes) else {
        return Cow::Borrowed(text);
    };
    let rest = &text[first..];
    if !rest
        .chars()
        .all(|c| c.is_ascii() || is_cjk(c) || c.to_lowercase().eq([c]))
    {
        return Cow::Owned(text.to_lowercase());
    }
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..first]);
    out.extend(rest.chars().map(|c| c.to_ascii_lowercase()));
    Cow::Owned(out)
}

/// A piece of lower-cased text: a run of Chinese characters or a word of other letters and digits.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Token<'a> {
    Cjk(&'a str),
    Word(&'a str),
}

/// Splits text that is already lower-cased into Chinese runs and words; everything else
/// (spaces, punctuation) separates them.
pub(crate) fn tokens(lower: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut start: Option<(usize, bool)> = None;
    for (at, c) in lower.char_indices() {
        let kind = if is_cjk(c) {
            Some(true)
        } else if c.is_alphanumeric() {
            Some(false)
        } else {
            None
        };
        match (start, kind) {
            (Some((_, open)), Some(k)) if open == k => {}
            _ => {
                if let Some((s, cjk)) = start.take() {
                    out.push(token(&lower[s..at], cjk));
                }
                start = kind.map(|k| (at, k));
            }
        }
    }
    if let Some((s, cjk)) = start {
        out.push(token(&lower[s..], cjk));
    }
    out
}

fn token(text: &str, cjk: bool) -> Token<'_> {
    if cjk {
        Token::Cjk(text)
    } else {
        Token::Word(text)
    }
}

/// Calls `add` with every index term of `lower` (lower-cased text), repeats included: each
/// Chinese character, each pair of neighbouring Chinese characters, each word.
pub(crate) fn for_each_term<'a>(lower: &'a str, mut add: impl FnMut(&'a str)) {
    for token in tokens(lower) {
        match token {
            Token::Word(w) => add(w),
            Token::Cjk(run) => {
                let mut chars = run.char_indices().peekable();
                while let Some((i, c)) = chars.next() {
                    add(&run[i..i + c.len_utf8()]);
                    if let Some(&(j, d)) = chars.peek() {
                        add(&run[i..j + d.len_utf8()]);
                    }
                }
            }
        }
    }
}

/// Orders terms as JavaScript compares strings (by UTF-16 code units), so the browser can find a
/// term's shard by comparing it with each shard's first term.
pub(crate) fn js_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        for_each_term(text, |t| out.push(t));
        out
    }

    #[test]
    fn lowercasing_agrees_with_the_standard_library() {
        for text in [
            "关系修复",
            "Feedback 和 OKR 复盘",
            "plain ascii",
            "ΟΔΟΣ Café İstanbul ǅ",
            "中文 ÀÉ",
            "",
        ] {
            assert_eq!(lowercase(text), text.to_lowercase(), "{text}");
        }
        assert!(matches!(lowercase("已经是小写 ok"), Cow::Borrowed(_)));
    }

    #[test]
    fn compacting_keeps_latin_spacing_only() {
        assert_eq!(
            compact_text("中文\n  段落 and  more\n\n文字"),
            "中文段落 and more 文字"
        );
    }

    #[test]
    fn text_splits_into_chinese_runs_and_words() {
        assert_eq!(
            tokens("follow-up 和上级谈话，2024年 café"),
            vec![
                Token::Word("follow"),
                Token::Word("up"),
                Token::Cjk("和上级谈话"),
                Token::Word("2024"),
                Token::Cjk("年"),
                Token::Word("café"),
            ]
        );
    }

    #[test]
    fn chinese_runs_give_characters_and_pairs() {
        assert_eq!(
            terms("复盘会 ok"),
            vec!["复", "复盘", "盘", "盘会", "会", "ok"]
        );
    }

    #[test]
    fn terms_sort_as_javascript_strings_do() {
        // U+20000 is a surrogate pair in UTF-16 and sorts before U+F900 there.
        assert_eq!(js_order("\u{20000}", "\u{f900}"), std::cmp::Ordering::Less);
        assert_eq!(js_order("ab", "b"), std::cmp::Ordering::Less);
    }
}
