//! Pure request routing: a request target to a path in the site (percent-decoded once, refused
//! if it could leave the site root), that path to a file or a redirect, content types and ETag
//! matching. The site is a map in memory, so a path either names one of its files or nothing.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// A request target that no file can answer: 400 Bad Request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadPath(pub &'static str);

/// A decoded, checked path in the site: `/`-separated segments without `.`, `..` or empty ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SitePath {
    pub segments: Vec<String>,
    /// The request named a folder (`/part1/`).
    pub folder: bool,
}

/// Parses a request target (`/part1/a.html?x#y`, or the absolute form `http://host/part1/`).
/// Percent-escapes are decoded exactly once; the result must be UTF-8 (overlong forms such as
/// `%c0%ae` are not), and `..`, `.`, backslashes and control characters (`%00`) are refused.
pub(crate) fn parse_target(target: &str) -> Result<SitePath, BadPath> {
    let target = target.split(['?', '#']).next().unwrap_or("");
    let path = match target.find("://") {
        Some(i) if !target.starts_with('/') => {
            let after = &target[i + 3..];
            after.find('/').map_or("/", |slash| &after[slash..])
        }
        _ => target,
    };
    if !path.starts_with('/') {
        return Err(BadPath(
            "the request target must be a path starting with `/`",
        ));
    }
    let bytes = percent_decode(path)?;
    let decoded = String::from_utf8(bytes).map_err(|_| BadPath("the path is not UTF-8"))?;
    if decoded.chars().any(|c| c.is_control() || c == '\\') {
        return Err(BadPath(
            "the path contains a control character or a backslash",
        ));
    }
    let mut segments = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" => {}
            "." | ".." => return Err(BadPath("the path contains `.` or `..`")),
            other => segments.push(other.to_string()),
        }
    }
    Ok(SitePath {
        folder: decoded.ends_with('/'),
        segments,
    })
}

fn percent_decode(path: &str) -> Result<Vec<u8>, BadPath> {
    let raw = path.as_bytes();
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'%' {
            let hex = raw
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or(BadPath("the path has a malformed percent-escape"))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(raw[i]);
            i += 1;
        }
    }
    Ok(out)
}

/// What a site path resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// A file of the site, by its key (`part1/index.html`).
    File(String),
    /// A folder named without its slash: redirect to this path (percent-encoded, absolute).
    Redirect(String),
    NotFound,
}

/// Resolves a path under the site's base path (`/` or `/guide/`) against the site's files.
pub(crate) fn resolve(path: &SitePath, site_path: &str, exists: impl Fn(&str) -> bool) -> Resolved {
    let base: Vec<&str> = site_path.split('/').filter(|s| !s.is_empty()).collect();
    if path.segments.len() < base.len() || path.segments[..base.len()] != base[..] {
        return Resolved::NotFound;
    }
    let rest = path.segments[base.len()..].join("/");
    if rest.is_empty() {
        if !path.folder && !base.is_empty() {
            return Resolved::Redirect(site_path.to_string());
        }
        return found("index.html".into(), &exists);
    }
    if path.folder {
        return found(format!("{rest}/index.html"), &exists);
    }
    if exists(&rest) {
        return Resolved::File(rest);
    }
    if exists(&format!("{rest}/index.html")) {
        return Resolved::Redirect(format!("{site_path}{}/", encode(&rest)));
    }
    Resolved::NotFound
}

fn found(key: String, exists: &impl Fn(&str) -> bool) -> Resolved {
    if exists(&key) {
        Resolved::File(key)
    } else {
        Resolved::NotFound
    }
}

/// Characters escaped in a Location header: everything but unreserved characters and `/`.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'[')
    .add(b']');

/// Percent-encodes a site path for a header (headers are ASCII).
pub(crate) fn encode(path: &str) -> String {
    utf8_percent_encode(path, PATH).to_string()
}

/// The Content-Type for a file, by its extension; text types say `charset=utf-8`.
pub(crate) fn content_type(key: &str) -> &'static str {
    let ext = key
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "yaml" | "yml" => "application/yaml; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "bmp" => "image/bmp",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "wav" => "audio/wav",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// Whether an `If-None-Match` header value matches `etag` (weak comparison, as for GET).
pub(crate) fn etag_matches(if_none_match: &str, etag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_string();
    if_none_match
        .split(',')
        .any(|candidate| candidate.trim() == "*" || bare(candidate) == bare(etag))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(target: &str) -> SitePath {
        parse_target(target).unwrap()
    }

    fn resolve_in(target: &str, site_path: &str) -> Resolved {
        let files = [
            "index.html",
            "a.html",
            "part1/index.html",
            "第一 章.html",
            "guide",
        ];
        resolve(&path(target), site_path, |k| files.contains(&k))
    }

    #[test]
    fn decodes_once_and_keeps_unicode() {
        assert_eq!(
            path("/%E7%AC%AC%E4%B8%80%20%E7%AB%A0.html").segments,
            ["第一 章.html"]
        );
        assert_eq!(path("/第一 章.html").segments, ["第一 章.html"]);
        // `%252e` decodes to the text `%2e`, never further.
        assert_eq!(path("/%252e%252e/x").segments, ["%2e%2e", "x"]);
        assert_eq!(path("/a.html?x=../../y#../z").segments, ["a.html"]);
        assert_eq!(path("http://localhost:3000/part1/").segments, ["part1"]);
        assert!(path("/part1/").folder);
        assert!(path("/").segments.is_empty());
        assert_eq!(path("//a//b.html").segments, ["a", "b.html"]);
    }

    #[test]
    fn refuses_traversal_in_every_spelling() {
        for target in [
            "/../etc/passwd",
            "/../../etc/passwd",
            "/a/../../x",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/..%2fetc%2fpasswd",
            "/..%5cetc%5cpasswd",
            "/..\\..\\etc\\passwd",
            "/a.html%00.png",
            "/%c0%ae%c0%ae/etc/passwd",
            "/%c0%af",
            "/%e0%80%ae%e0%80%ae/x",
            "/./a.html",
            "/a%zz",
            "/a%2",
            "etc/passwd",
            "*",
        ] {
            assert!(parse_target(target).is_err(), "{target}");
        }
    }

    #[test]
    fn resolves_files_folders_and_redirects() {
        assert_eq!(resolve_in("/", "/"), Resolved::File("index.html".into()));
        assert_eq!(resolve_in("/a.html", "/"), Resolved::File("a.html".into()));
        assert_eq!(
            resolve_in("/part1/", "/"),
            Resolved::File("part1/index.html".into())
        );
        assert_eq!(
            resolve_in("/part1", "/"),
            Resolved::Redirect("/part1/".into())
        );
        assert_eq!(
            resolve_in("/%E7%AC%AC%E4%B8%80%20%E7%AB%A0.html", "/"),
            Resolved::File("第一 章.html".into())
        );
        assert_eq!(resolve_in("/nope.html", "/"), Resolved::NotFound);
        assert_eq!(resolve_in("/etc/passwd", "/"), Resolved::NotFound);
        assert_eq!(resolve_in("/a.html/", "/"), Resolved::NotFound);
    }

    #[test]
    fn a_site_path_prefixes_every_url() {
        assert_eq!(
            resolve_in("/guide/a.html", "/guide/"),
            Resolved::File("a.html".into())
        );
        assert_eq!(
            resolve_in("/guide/", "/guide/"),
            Resolved::File("index.html".into())
        );
        assert_eq!(
            resolve_in("/guide", "/guide/"),
            Resolved::Redirect("/guide/".into())
        );
        assert_eq!(resolve_in("/a.html", "/guide/"), Resolved::NotFound);
        assert_eq!(
            resolve_in("/guide/part1", "/guide/"),
            Resolved::Redirect("/guide/part1/".into())
        );
    }

    #[test]
    fn redirects_are_ascii() {
        assert_eq!(encode("第一 章"), "%E7%AC%AC%E4%B8%80%20%E7%AB%A0");
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/b.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("assets/style.css"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("assets/book.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("x.JSON"), "application/json; charset=utf-8");
        assert_eq!(content_type("i.svg"), "image/svg+xml; charset=utf-8");
        assert_eq!(
            content_type("sitemap.xml"),
            "application/xml; charset=utf-8"
        );
        assert_eq!(content_type("robots.txt"), "text/plain; charset=utf-8");
        assert_eq!(content_type("a.PNG"), "image/png");
        assert_eq!(content_type("f.woff2"), "font/woff2");
        assert_eq!(content_type(".nojekyll"), "application/octet-stream");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }

    #[test]
    fn etags_match_weakly_and_in_lists() {
        assert!(etag_matches("\"abc\"", "\"abc\""));
        assert!(etag_matches("W/\"abc\"", "\"abc\""));
        assert!(etag_matches("\"x\", \"abc\"", "\"abc\""));
        assert!(etag_matches("*", "\"abc\""));
        assert!(!etag_matches("\"abd\"", "\"abc\""));
    }
}
