//! JSON written straight into the search files' text: the fragments hold all of a book's text,
//! and building a `serde_json::Value` for every entry and document first doubled the work.

use std::fmt::Write;

/// Appends `text` as a JSON string literal. `</` becomes `<\/` (the same string to JSON), so no
/// string can end a `<script>` element if a theme ever inlines a search file.
pub(crate) fn push_string(out: &mut String, text: &str) {
    out.push('"');
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !MAY_ESCAPE[usize::from(b)] {
            continue;
        }
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            b'/' if i > 0 && bytes[i - 1] == b'<' => "\\/",
            b'/' => continue,
            _ => "",
        };
        // Every escaped byte is ASCII, so `i` is a character boundary.
        out.push_str(&text[start..i]);
        if escape.is_empty() {
            write!(out, "\\u{b:04x}").expect("writing to a String");
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&text[start..]);
    out.push('"');
}

/// The bytes a string's JSON may escape: control characters, `"`, `\` and `/` (after `<`).
/// Most of a Chinese book's bytes are not, and a table tells that in one load.
const MAY_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table[b'/' as usize] = true;
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    fn literal(text: &str) -> String {
        let mut out = String::new();
        push_string(&mut out, text);
        out
    }

    #[test]
    fn strings_read_back_as_written() {
        for text in [
            "",
            "复盘 \"quoted\" back\\slash",
            "line\nbreak\ttab\r\u{1}\u{1f}\u{7f}",
            "a</script>b <c / d>",
            "😀 \u{2028} 𠀀",
        ] {
            let json = literal(text);
            assert_eq!(
                serde_json::from_str::<String>(&json).unwrap(),
                text,
                "{json}"
            );
            assert!(!json.contains("</"), "{json}");
        }
        assert_eq!(literal("a\u{1}</b"), r#""a\u0001<\/b""#);
    }
}
