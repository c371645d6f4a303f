//! Answers: headers, content types, ETags, methods, the 404 page, and nothing outside the site.

use std::path::Path;

use guidebook::serve::ServeOptions;

use super::client::{EventStream, get, request, serve};
use crate::common::TestBook;

#[test]
fn pages_and_assets_have_the_right_headers() {
    let book = TestBook::fixture("serve-book");
    let server = serve(&book);
    let addr = server.addr;
    let page = get(addr, "/part1/first.html");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(page.header("Cache-Control"), Some("no-cache"));
    assert!(page.text().contains("Original body of the first chapter."));
    for (path, content_type) in [
        ("/assets/style.css", "text/css; charset=utf-8"),
        ("/assets/guidebook.js", "text/javascript; charset=utf-8"),
        ("/images/dot.svg", "image/svg+xml; charset=utf-8"),
        ("/images/pixel.png", "image/png"),
        ("/notes.txt", "text/plain; charset=utf-8"),
        ("/data.json", "application/json; charset=utf-8"),
        ("/feed.xml", "application/xml; charset=utf-8"),
    ] {
        let reply = get(addr, path);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("Content-Type"), Some(content_type), "{path}");
        assert_eq!(reply.header("Cache-Control"), Some("no-cache"), "{path}");
        assert!(reply.header("ETag").is_some(), "{path}");
    }
    assert_eq!(
        get(addr, "/images/pixel.png").body,
        std::fs::read(book.path("content/images/pixel.png")).unwrap()
    );
    // The site root and folders serve their index.html; a folder without its slash redirects.
    assert!(get(addr, "/").text().contains("Start with"));
    assert!(get(addr, "/part1/").text().contains("The first part."));
    let redirect = get(addr, "/part1");
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("Location"), Some("/part1/"));
    // Non-ASCII file names, percent-encoded as browsers send them.
    let chinese = get(addr, "/part1/%E7%AC%AC%E4%B8%80%20%E7%AB%A0.html");
    assert_eq!(chinese.status, 200);
    assert!(chinese.text().contains("中文内容。"));
    // The query string is not part of the path.
    assert_eq!(get(addr, "/assets/style.css?v=2").status, 200);
}

#[test]
fn pages_link_assets_by_version_and_those_urls_are_cached_for_good() {
    let book = TestBook::fixture("serve-book");
    book.write(
        "themes/default/static/style.css",
        "body { color: black; }\n",
    );
    let server = serve(&book);
    let events = super::client::EventStream::connect(server.addr);
    let css_url = |page: &str| {
        let start = page
            .find("href=\"../assets/style.css?v=")
            .expect("a versioned link")
            + 6;
        let len = page[start..].find('"').unwrap();
        page[start..start + len]
            .trim_start_matches("../")
            .to_string()
    };
    let before = css_url(&get(server.addr, "/part1/first.html").text());
    let cached = get(server.addr, &format!("/{before}"));
    assert_eq!(cached.status, 200);
    assert_eq!(
        cached.header("Cache-Control"),
        Some("max-age=31536000, immutable")
    );
    assert_eq!(cached.body, get(server.addr, "/assets/style.css").body);
    // A changed stylesheet gets another URL; the old one is no longer cacheable.
    book.write("themes/default/static/style.css", "body { color: red; }\n");
    events.expect("css");
    let after = css_url(&get(server.addr, "/part1/first.html").text());
    assert_ne!(before, after);
    assert!(
        get(server.addr, &format!("/{after}"))
            .text()
            .contains("color: red")
    );
    let stale = get(server.addr, &format!("/{before}"));
    assert_eq!(stale.header("Cache-Control"), Some("no-cache"));
}

#[test]
fn etags_give_304_and_head_gives_no_body() {
    let book = TestBook::fixture("serve-book");
    let server = serve(&book);
    let addr = server.addr;
    for path in ["/second.html", "/assets/style.css"] {
        let first = get(addr, path);
        let etag = first.header("ETag").expect("an ETag").to_string();
        let again = request(addr, "GET", path, &[("If-None-Match", &etag)]);
        assert_eq!(again.status, 304, "{path}");
        assert!(again.body.is_empty());
        assert_eq!(again.header("ETag"), Some(etag.as_str()));
        let other = request(
            addr,
            "GET",
            path,
            &[("If-None-Match", "\"something-else\"")],
        );
        assert_eq!(other.status, 200);

        let head = request(addr, "HEAD", path, &[]);
        assert_eq!(head.status, 200);
        assert!(head.body.is_empty(), "HEAD has no body");
        assert_eq!(
            head.header("Content-Length"),
            Some(first.body.len().to_string().as_str())
        );
        assert_eq!(head.header("Content-Type"), first.header("Content-Type"));
    }
    // A new build changes the page, and so its ETag.
    let etag = get(addr, "/second.html")
        .header("ETag")
        .unwrap()
        .to_string();
    let events = EventStream::connect(addr);
    book.edit("content/second.md", "Original body", "Changed body");
    events.expect("reload");
    let changed = request(addr, "GET", "/second.html", &[("If-None-Match", &etag)]);
    assert_eq!(changed.status, 200);
    assert!(changed.text().contains("Changed body"));
}

#[test]
fn only_get_and_head_are_allowed() {
    let book = TestBook::fixture("serve-book");
    let server = serve(&book);
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
        let reply = request(server.addr, method, "/second.html", &[]);
        assert_eq!(reply.status, 405, "{method}");
        assert_eq!(reply.header("Allow"), Some("GET, HEAD"), "{method}");
    }
}

#[test]
fn missing_pages_get_the_books_404_page() {
    let book = TestBook::fixture("serve-book");
    let server = serve(&book);
    for path in [
        "/nope.html",
        "/part1/deeper/nope.html",
        "/etc/passwd",
        "/assets/nope.css",
    ] {
        let reply = get(server.addr, path);
        assert_eq!(reply.status, 404, "{path}");
        assert_eq!(
            reply.header("Content-Type"),
            Some("text/html; charset=utf-8")
        );
        assert!(
            reply.text().contains("not-found"),
            "{path}: the theme's 404 page"
        );
    }
    assert_eq!(request(server.addr, "HEAD", "/nope.html", &[]).status, 404);
}

#[test]
fn nothing_outside_the_site_root_is_served() {
    let book = TestBook::fixture("serve-book");
    // A file beside the book, and one beside the source folder.
    let secret = "SECRET-CONTENT-4f2a";
    std::fs::write(book.root.parent().unwrap().join("secret.txt"), secret).unwrap();
    book.write("secret.txt", secret);
    book.write("book.toml.bak", secret);
    let server = serve(&book);
    for target in [
        "/../secret.txt",
        "/../../secret.txt",
        "/../book/secret.txt",
        "/%2e%2e/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/%2E%2E%2F%2E%2E%2Fsecret.txt",
        "/..%2fsecret.txt",
        "/..%2f..%2fsecret.txt",
        "/%252e%252e/secret.txt",
        "/%252e%252e%252fsecret.txt",
        "/..\\secret.txt",
        "/..%5csecret.txt",
        "/%5c..%5csecret.txt",
        "/secret.txt%00.html",
        "/%00",
        "/%c0%ae%c0%ae/secret.txt",
        "/%c0%ae%c0%ae%c0%afsecret.txt",
        "/%e0%80%ae%e0%80%ae/secret.txt",
        "/./secret.txt",
        "//../secret.txt",
        "/part1/../../secret.txt",
        "/secret.txt",
        "/book.toml",
        "/book.toml.bak",
        "/content/SUMMARY.md",
        "/SUMMARY.md",
        "/etc/passwd",
        "/../../../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "//etc/passwd",
        "/C:/Windows/win.ini",
        "http://localhost/../secret.txt",
    ] {
        let reply = get(server.addr, target);
        assert!(
            reply.status == 400 || reply.status == 404,
            "{target}: status {}",
            reply.status
        );
        let text = reply.text();
        assert!(!text.contains(secret), "{target} leaked the secret");
        assert!(!text.contains("root:"), "{target} leaked /etc/passwd");
    }
}

#[test]
fn the_default_address_is_loopback_port_3000() {
    let options = ServeOptions::default();
    assert!(options.bind.is_loopback());
    assert_eq!(options.port, 3000);
    assert!(Path::new(&options.root).is_relative());
}
