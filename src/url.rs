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
    let out = resolve_root_bytes(html.as_bytes(), root);
    // SAFETY: the marker is ASCII, so `html` cut around it stays UTF-8, and `root` is a str.
    unsafe { String::from_utf8_unchecked(out) }
}

/// `resolve_root` for a page rendered as bytes. The marker is found with memchr's vectorised
/// search: every page's whole HTML goes through here (a gigabyte at 50,000 chapters), where
/// `str::replace` was 1% of a build.
pub fn resolve_root_bytes(html: &[u8], root: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(html.len());
    let mut at = 0;
    for found in root_marker().find_iter(html) {
        out.extend_from_slice(&html[at..found]);
        out.extend_from_slice(root.as_bytes());
        at = found + ROOT_MARKER.len();
    }
    out.extend_from_slice(&html[at..]);
    out
}

/// Whether `text` holds the root marker (asked of every text event of every chapter).
pub fn has_root_marker(text: &str) -> bool {
    root_marker().find(text.as_bytes()).is_some()
}

fn root_marker() -> &'static memchr::memmem::Finder<'static> {
    static FINDER: std::sync::OnceLock<memchr::memmem::Finder<'static>> =
        std::sync::OnceLock::new();
    FINDER.get_or_init(|| memchr::memmem::Finder::new(ROOT_MARKER))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_marker_is_replaced_everywhere() {
        let html = format!("<a href=\"{ROOT_MARKER}a.html\">{ROOT_MARKER}</a>{ROOT_MARKER}");
        assert_eq!(
            resolve_root(&html, "../"),
            "<a href=\"../a.html\">../</a>../"
        );
        assert_eq!(resolve_root("no marker 标记", "../"), "no marker 标记");
        assert_eq!(
            resolve_root_bytes(html.as_bytes(), "../"),
            resolve_root(&html, "../").into_bytes()
        );
        assert_eq!(resolve_root("%%gb-root%", "x/"), "%%gb-root%");
    }

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
