//! How text becomes search terms. The browser splits a query with the same rules
//! (`guidebook-search.js`, `terms`), so index and query can never disagree: lower-cased text,
//! Chinese runs as every single character and every overlapping pair of characters (full recall,
//! no dictionary), other letters and digits as whole words (matched by prefix at query time).

use std::borrow::Cow;

pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{2ffff}')
}

/// Collapses runs of white space so snippets read well and the index stays small; a space
/// between two non-Latin characters is dropped, as Chinese text has none. Scans bytes, decoding
/// only characters that may be white space (every section's text passes here; with
/// `split_whitespace` it was 1.6% of a 50,000-chapter build).
pub(crate) fn compact_text(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut push_word = |word: &str| {
        if word.is_empty() {
            return;
        }
        // A word's first and last characters are non-ASCII exactly when those bytes are.
        let between_wide =
            out.as_bytes().last().is_some_and(|b| !b.is_ascii()) && !word.as_bytes()[0].is_ascii();
        if !out.is_empty() && !between_wide {
            out.push(' ');
        }
        out.push_str(word);
    };
    let mut word_start = 0;
    let mut at = 0;
    while let Some(found) = bytes[at..]
        .iter()
        .position(|&b| MAY_BE_SPACE[usize::from(b)])
    {
        let candidate = at + found;
        let space = white_space_len(text, candidate);
        if space == 0 {
            at = candidate + 1;
            continue;
        }
        push_word(&text[word_start..candidate]);
        at = candidate + space;
        word_start = at;
    }
    push_word(&text[word_start..]);
    out
}

/// Bytes that start a white-space character: ASCII's six and the lead bytes of U+0085, U+00A0,
/// U+1680, U+2000-U+205F and U+3000 (the only ones above ASCII). Continuation bytes never are.
const MAY_BE_SPACE: [bool; 256] = {
    let mut table = [false; 256];
    let starts: [u8; 10] = [
        b' ', b'\t', b'\n', 0x0b, 0x0c, b'\r', 0xc2, 0xe1, 0xe2, 0xe3,
    ];
    let mut i = 0;
    while i < starts.len() {
        table[starts[i] as usize] = true;
        i += 1;
    }
    table
};

/// The length in bytes of the white-space character at `at` (as `char::is_whitespace`), or 0.
fn white_space_len(text: &str, at: usize) -> usize {
    let b = text.as_bytes()[at];
    if b.is_ascii() {
        return usize::from(matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'));
    }
    let c = text[at..].chars().next().expect("a character starts here");
    if c.is_whitespace() { c.len_utf8() } else { 0 }
}

/// `text.to_lowercase()`, borrowed when nothing changes. Chinese text has no case: only ASCII
/// letters are lowered here, and any other character that has a lower case hands the whole text
/// to `str::to_lowercase` (which also knows the context rule of final sigma).
pub(crate) fn lowercase(text: &str) -> Cow<'_, str> {
    let changes = |c: char| {
        if c.is_ascii() {
            c.is_ascii_uppercase()
        } else {
            !caseless(c) && !c.to_lowercase().eq([c])
        }
    };
    let Some(first) = text.find(changes) else {
        return Cow::Borrowed(text);
    };
    let rest = &text[first..];
    if !rest
        .chars()
        .all(|c| c.is_ascii() || caseless(c) || c.to_lowercase().eq([c]))
    {
        return Cow::Owned(text.to_lowercase());
    }
    // Only ASCII letters change, so bytes are lowered in place (a character at a time was
    // most of this function's time).
    let mut out = text.to_string();
    out[first..].make_ascii_lowercase();
    Cow::Owned(out)
}

/// Characters that Chinese text is made of and that have no case, known without a table lookup:
/// Han characters, general and CJK punctuation, and the full-width forms around the full-width
/// letters (which have case).
fn caseless(c: char) -> bool {
    is_cjk(c)
        || matches!(c, '\u{2000}'..='\u{206f}' | '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ff20}'
            | '\u{ff3b}'..='\u{ff40}' | '\u{ff5b}'..='\u{ff65}')
}

/// A piece of lower-cased text: a run of Chinese characters or a word of other letters and digits.
#[derive(Debug, PartialEq, Eq)]
enum Token<'a> {
    Cjk(&'a str),
    Word(&'a str),
}

/// Calls `add` with each Chinese run and word of text that is already lower-cased; everything
/// else (spaces, punctuation) separates them.
fn for_each_token<'a>(lower: &'a str, mut add: impl FnMut(Token<'a>)) {
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
                    add(token(&lower[s..at], cjk));
                }
                start = kind.map(|k| (at, k));
            }
        }
    }
    if let Some((s, cjk)) = start {
        add(token(&lower[s..], cjk));
    }
}

#[cfg(test)]
fn tokens(lower: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    for_each_token(lower, |t| out.push(t));
    out
}

fn token(text: &str, cjk: bool) -> Token<'_> {
    if cjk {
        Token::Cjk(text)
    } else {
        Token::Word(text)
    }
}

/// An index term. A Chinese character or pair is a number, which hashes and compares faster than
/// its text: most of a Chinese book's terms are these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Term<'a> {
    /// One character's code point, or two: the first's times 2^32 plus the second's.
    Cjk(u64),
    Word(&'a str),
}

/// The key `Term::Cjk` gives one Chinese character or, with `second`, a pair.
fn cjk_key(first: char, second: Option<char>) -> u64 {
    match second {
        None => u64::from(u32::from(first)),
        Some(second) => u64::from(u32::from(first)) << 32 | u64::from(u32::from(second)),
    }
}

/// The text of a `Term::Cjk` key.
pub(crate) fn cjk_text(key: u64) -> String {
    let char_of = |code: u64| char::from_u32(code as u32).expect("a key made from characters");
    let mut out = String::with_capacity(8);
    if key >> 32 != 0 {
        out.push(char_of(key >> 32));
    }
    out.push(char_of(key & 0xffff_ffff));
    out
}

/// Calls `add` with every index term of `lower` (lower-cased text), repeats included: each
/// Chinese character, each pair of neighbouring Chinese characters, each word.
pub(crate) fn for_each_term<'a>(lower: &'a str, mut add: impl FnMut(Term<'a>)) {
    for_each_token(lower, |token| match token {
        Token::Word(w) => add(Term::Word(w)),
        Token::Cjk(run) => {
            let mut chars = run.chars().peekable();
            while let Some(c) = chars.next() {
                add(Term::Cjk(cjk_key(c, None)));
                if let Some(&next) = chars.peek() {
                    add(Term::Cjk(cjk_key(c, Some(next))));
                }
            }
        }
    });
}

/// Orders terms as JavaScript compares strings (by UTF-16 code units), so the browser can find a
/// term's shard by comparing it with each shard's first term.
pub(crate) fn js_order(a: &str, b: &str) -> std::cmp::Ordering {
    // UTF-8 sorts by code point; UTF-16 differs only where a character above U+FFFF (a
    // surrogate pair, 0xD800 on) meets one from U+E000 to U+FFFF, so only the first characters
    // that differ need comparing as UTF-16.
    let same = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    let mut at = same;
    while !a.is_char_boundary(at) {
        at -= 1;
    }
    let first_unit = |c: char| {
        let code = u32::from(c);
        if code > 0xffff {
            0xd800 + ((code - 0x1_0000) >> 10)
        } else {
            code
        }
    };
    match (a[at..].chars().next(), b[at..].chars().next()) {
        (Some(x), Some(y)) => first_unit(x).cmp(&first_unit(y)).then(x.cmp(&y)),
        (x, y) => x.is_some().cmp(&y.is_some()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_term(text, |t| {
            out.push(match t {
                Term::Cjk(key) => cjk_text(key),
                Term::Word(w) => w.to_string(),
            })
        });
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
            "全角：ＡＢＣ，（ｄ）「引号」…— Ⅻ Ⓐ",
            "",
        ] {
            assert_eq!(lowercase(text), text.to_lowercase(), "{text}");
        }
        assert!(matches!(lowercase("已经是小写 ok"), Cow::Borrowed(_)));
    }

    /// What `compact_text` did before it scanned bytes.
    fn compact_by_words(text: &str) -> String {
        let mut out = String::new();
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

    #[test]
    fn compacting_agrees_with_splitting_at_white_space() {
        let pieces = [
            "a", "Zz", "中", "文字", " ", "  ", "\n", "\t", "\u{0b}", "\u{0c}", "\r", "\u{85}",
            "\u{a0}", "\u{1680}", "\u{2003}", "\u{200b}", "\u{2028}", "\u{202f}", "\u{205f}",
            "\u{3000}", "\u{3001}", "ã", "é", "😀", "\u{e000}", "-", "。",
        ];
        // Every string of up to four pieces, and longer ones from a fixed walk.
        let mut texts: Vec<String> = vec![String::new()];
        for _ in 0..3 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|t| pieces.iter().map(move |p| format!("{t}{p}")))
                .collect();
            texts.extend(longer);
        }
        let mut seed = 7u64;
        for _ in 0..2000 {
            let mut text = String::new();
            for _ in 0..12 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            texts.push(text);
        }
        for text in &texts {
            assert_eq!(compact_text(text), compact_by_words(text), "{text:?}");
        }
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
    fn chinese_terms_are_numbers_that_give_their_text_back() {
        let mut keys = Vec::new();
        for_each_term("复\u{20000}", |t| keys.push(t));
        let texts: Vec<String> = keys
            .iter()
            .map(|t| match *t {
                Term::Cjk(key) => cjk_text(key),
                Term::Word(w) => panic!("a word {w}"),
            })
            .collect();
        assert_eq!(texts, ["复", "复\u{20000}", "\u{20000}"]);
        assert_ne!(keys[0], keys[1]);
    }

    #[test]
    fn terms_sort_as_javascript_strings_do() {
        // U+20000 is a surrogate pair in UTF-16 and sorts before U+F900 there.
        assert_eq!(js_order("\u{20000}", "\u{f900}"), std::cmp::Ordering::Less);
        assert_eq!(js_order("ab", "b"), std::cmp::Ordering::Less);
        let words = [
            "",
            "a",
            "ab",
            "b",
            "复",
            "复盘",
            "复\u{20000}",
            "\u{20000}",
            "\u{20001}",
            "\u{f900}",
            "\u{ffff}",
            "\u{e000}x",
            "\u{10000}",
            "é",
            "e",
            "\u{7ff}",
            "\u{800}",
        ];
        for a in words {
            for b in words {
                assert_eq!(
                    js_order(a, b),
                    a.encode_utf16().cmp(b.encode_utf16()),
                    "{a:?} {b:?}"
                );
            }
        }
    }
}
