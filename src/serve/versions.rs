//! Asset URLs that name their content, so a reloaded page takes its scripts and styles from the
//! browser's cache instead of asking for each again. While serving, assets keep stable names
//! (`assets/style.css`); each page as served links them as `assets/style.css?v=HASH`, the hash
//! of what the site holds under that path now, and such a URL is cacheable for good: a changed
//! file gets another URL on the next page load. URLs without a version (the ones scripts build,
//! for on-demand modules, progress data, sidebar chunks, the search index) stay `no-cache`.

/// The query that carries a version.
const VERSION_QUERY: &str = "?v=";

/// A served file's version: a hash of its bytes.
pub(crate) fn version_of(bytes: &[u8]) -> String {
    format!("{:016x}", crate::slug::fnv1a(bytes))
}

/// Whether `query` (the request target after the path) asks for version `version`.
pub(crate) fn is_version(query: &str, version: &str) -> bool {
    query
        .strip_prefix(VERSION_QUERY)
        .is_some_and(|v| v == version)
}

/// The page at `page` (its key in the site) with a version on every `src="…"` and `href="…"`
/// that points, relative to the page, at a file under `assets/` that `version` knows.
pub(crate) fn with_versions(
    html: &[u8],
    page: &str,
    version: impl Fn(&str) -> Option<String>,
) -> Vec<u8> {
    let folder = page.rsplit_once('/').map_or("", |(folder, _)| folder);
    let mut out = Vec::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some((before, value, after)) = next_url_attribute(rest) {
        out.extend_from_slice(before);
        out.extend_from_slice(value);
        let versioned = std::str::from_utf8(value)
            .ok()
            .and_then(|url| resolve(folder, url))
            .filter(|key| key.starts_with("assets/"))
            .and_then(|key| version(&key));
        if let Some(v) = versioned {
            out.extend_from_slice(VERSION_QUERY.as_bytes());
            out.extend_from_slice(v.as_bytes());
        }
        rest = after;
    }
    out.extend_from_slice(rest);
    out
}

/// The next `src="` or `href="` value: the text up to and including the opening quote, the
/// value, and the rest from the closing quote on.
fn next_url_attribute(html: &[u8]) -> Option<(&[u8], &[u8], &[u8])> {
    let start = [&b" src=\""[..], &b" href=\""[..]]
        .iter()
        .filter_map(|needle| find(html, needle).map(|i| i + needle.len()))
        .min()?;
    let len = html[start..].iter().position(|&b| b == b'"')?;
    Some((
        &html[..start],
        &html[start..start + len],
        &html[start + len..],
    ))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The site key a relative URL on a page in `folder` points to; `None` for anything else (other
/// origins, absolute paths, queries, fragments, data: URLs).
fn resolve(folder: &str, url: &str) -> Option<String> {
    if url.is_empty() || url.contains([':', '?', '#']) || url.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for segment in url.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn versions(key: &str) -> Option<String> {
        (key == "assets/style.css" || key == "assets/book.js").then(|| format!("v-{key}"))
    }

    #[test]
    fn assets_the_page_links_get_their_version() {
        let html = b"<link rel=\"icon\" href=\"../favicon.ico\">\n<link rel=\"stylesheet\" href=\"../assets/style.css\">\n<script defer src=\"../assets/book.js\"></script><a href=\"../assets/missing.js\">x</a>";
        let out = String::from_utf8(with_versions(html, "part/a.html", versions)).unwrap();
        assert_eq!(
            out,
            "<link rel=\"icon\" href=\"../favicon.ico\">\n<link rel=\"stylesheet\" href=\"../assets/style.css?v=v-assets/style.css\">\n<script defer src=\"../assets/book.js?v=v-assets/book.js\"></script><a href=\"../assets/missing.js\">x</a>"
        );
        let top = String::from_utf8(with_versions(
            b"<link href=\"assets/style.css\"><link href=\"./assets/book.js\">",
            "index.html",
            versions,
        ))
        .unwrap();
        assert_eq!(
            top,
            "<link href=\"assets/style.css?v=v-assets/style.css\"><link href=\"./assets/book.js?v=v-assets/book.js\">"
        );
    }

    #[test]
    fn other_urls_stay_as_they_are() {
        for html in [
            "<a href=\"https://example.com/assets/style.css\">",
            "<a href=\"/assets/style.css\">",
            "<a href=\"assets/style.css?x=1\">",
            "<a href=\"assets/style.css#top\">",
            "<a href=\"../../assets/style.css\">",
            "<img src=\"data:image/png;base64,AAAA\">",
            "<a data-href=\"assets/style.css\">",
            "<a href=\"assets/style.css",
        ] {
            let out = with_versions(html.as_bytes(), "index.html", versions);
            assert_eq!(String::from_utf8(out).unwrap(), html);
        }
    }

    #[test]
    fn only_the_current_version_is_cacheable() {
        let v = version_of(b"body { }");
        assert!(is_version(&format!("?v={v}"), &v));
        assert!(!is_version("?v=0000000000000000", &v));
        assert!(!is_version("", &v));
        assert_ne!(version_of(b"a"), version_of(b"b"));
    }
}
