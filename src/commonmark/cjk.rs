//! A line break inside a paragraph between two CJK characters is not a space: Chromium shows
//! one, so such soft breaks are dropped before rendering (between Latin words they stay).

use pulldown_cmark::Event;

/// Han, kana, Hangul, and CJK and full-width punctuation.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF      // Hangul Jamo
        | 0x2E80..=0x2FDF    // CJK radicals, Kangxi radicals
        | 0x3000..=0x303F    // CJK symbols and punctuation (、。「」…)
        | 0x3040..=0x30FF    // Hiragana, Katakana
        | 0x3100..=0x31FF    // Bopomofo, Hangul compatibility, Katakana extension
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0xFE30..=0xFE4F    // CJK compatibility forms
        | 0xFF00..=0xFFEF    // half- and full-width forms (，！：)
        | 0x20000..=0x2FA1F  // extensions B and later
    )
}

/// Whether the soft break between these two events joins CJK text with no space.
pub fn drops_soft_break(before: Option<&Event>, after: Option<&Event>) -> bool {
    let last = match before {
        Some(Event::Text(t)) => t.chars().next_back(),
        _ => None,
    };
    let first = match after {
        Some(Event::Text(t)) => t.chars().next(),
        _ => None,
    };
    matches!((last, first), (Some(a), Some(b)) if joins(a, b))
}

/// Two characters either side of a line break that need no space: both CJK, or CJK beside
/// the curly quotes Chinese text uses around CJK.
fn joins(a: char, b: char) -> bool {
    let quote = |c: char| matches!(c, '“' | '”' | '‘' | '’');
    (is_cjk(a) || quote(a)) && (is_cjk(b) || quote(b)) && (is_cjk(a) || is_cjk(b))
}

/// `events` without the soft breaks `drops_soft_break` drops.
pub fn drop_soft_breaks<'a, T>(events: Vec<(Event<'a>, T)>) -> Vec<(Event<'a>, T)> {
    if events.len() < 3 {
        return events;
    }
    let keep: Vec<bool> = (0..events.len())
        .map(|i| {
            !(matches!(events[i].0, Event::SoftBreak)
                && drops_soft_break(
                    i.checked_sub(1).map(|j| &events[j].0),
                    events.get(i + 1).map(|e| &e.0),
                ))
        })
        .collect();
    events
        .into_iter()
        .zip(keep)
        .filter_map(|(e, k)| k.then_some(e))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(markdown: &str) -> String {
        let events: Vec<(Event, ())> = pulldown_cmark::Parser::new(markdown)
            .map(|e| (e, ()))
            .collect();
        let mut out = String::new();
        pulldown_cmark::html::push_html(
            &mut out,
            drop_soft_breaks(events).into_iter().map(|(e, _)| e),
        );
        out
    }

    #[test]
    fn breaks_between_cjk_are_dropped() {
        assert_eq!(html("三成。\n公司内部"), "<p>三成。公司内部</p>\n");
        assert_eq!(html("之内。\n“沟通不畅”"), "<p>之内。“沟通不畅”</p>\n");
        assert_eq!(html("日本語の\nテキスト"), "<p>日本語のテキスト</p>\n");
    }

    #[test]
    fn breaks_between_latin_words_or_mixed_text_stay() {
        assert_eq!(html("two\nwords"), "<p>two\nwords</p>\n");
        assert_eq!(html("中文\nEnglish"), "<p>中文\nEnglish</p>\n");
        assert_eq!(html("English\n中文"), "<p>English\n中文</p>\n");
        assert_eq!(html("“quoted”\n“again”"), "<p>“quoted”\n“again”</p>\n");
    }
}
