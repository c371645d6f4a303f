//! URLs inside pages: every internal link is written relative to the site root behind a marker,
//! then the marker becomes the page's own path to the root, so links work at any depth, under any
//! site-url and from `file://`.

/// Stands for "the path from this page to the site root" in rendered chapter HTML.
pub const ROOT_MARKER: &str = "%%gb-root%%";

/// Encodes the ASCII characters that cannot stand raw in a URL path; letters of any script stay
/// readable, as browsers accept them.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        let unsafe_ascii = c.is_ascii_control()
            || matches!(
                c,
                ' ' | '"' | '<' | '>' | '`' | '#' | '?' | '%' | '{' | '}' | '\\' | '^' | '|'
            );
        if unsafe_ascii {
            out.push_str(&format!("%{:02X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Links with a scheme (`https:`, `mailto:`) or protocol-relative ones leave the book.
pub fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Replaces the root marker with `root` (`""`, `"../"`, or an absolute site path).
pub fn resolve_root(html: &str, root: &str) -> String {
    html.replace(ROOT_MARKER, root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_links_are_recognised() {
        assert!(is_external("https://example.org"));
        assert!(is_external("mailto:a@b.c"));
        assert!(is_external("//cdn.example.org/x.js"));
        assert!(!is_external("part1/a.md"));
        assert!(!is_external("第一章：开始.md"));
        assert!(!is_external("a.md#x:y"));
    }

    #[test]
    fn paths_keep_chinese_and_encode_spaces() {
        assert_eq!(encode_path("第一 章.html"), "第一%20章.html");
    }
}
