//! sitemap.xml and robots.txt, written when the book has a site-url. A multilingual book has one
//! sitemap at the site root listing every language's pages, each with its counterparts as
//! `xhtml:link` alternates.

use crate::book::Book;
use crate::error::Diagnostic;
use crate::languages::LanguageSet;
use crate::output::OutputSink;
use crate::url::encode_path;

/// robots.txt is written when the book says where it is published.
pub fn writes_robots(config: &crate::config::BookConfig) -> bool {
    config.site_path != "/" || config.site_url.is_some()
}

/// What sitemap.xml lists of one language: its chapters, the landing page and the worksheets.
pub fn listed_pages(book: &Book) -> Vec<String> {
    let mut paths: Vec<String> = book.chapters.iter().map(|c| c.page_path.clone()).collect();
    if !paths.iter().any(|p| p == "index.html") {
        paths.insert(0, "index.html".into());
    }
    paths.extend(book.collections.worksheets.iter().map(|w| w.page_path()));
    paths
}

pub fn add_sitemap(book: &Book, sink: &dyn OutputSink) -> Result<(), Diagnostic> {
    let config = &book.config;
    // The other languages' pages are in the site root's sitemap.
    if !writes_robots(config) || book.languages.current > 0 {
        return Ok(());
    }
    let mut robots = String::from("User-agent: *\nAllow: /\n");
    if let Some(base) = &config.site_url {
        let xml = if book.languages.is_multilingual() {
            multilingual_sitemap(&book.languages.set, base)
        } else {
            let urls: Vec<String> = listed_pages(book)
                .iter()
                .map(|path| format!("<url><loc>{}</loc></url>\n", escaped_url(base, "", path)))
                .collect();
            sitemap(&urls, "")
        };
        sink.write("sitemap.xml", xml.into_bytes())?;
        robots.push_str(&format!("Sitemap: {base}sitemap.xml\n"));
    }
    sink.write("robots.txt", robots.into_bytes())
}

fn sitemap(urls: &[String], namespaces: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"{namespaces}>\n{}</urlset>\n",
        urls.concat()
    )
}

/// The URL of `path` in the language under `prefix`, escaped for XML; the landing page is the
/// folder itself.
fn escaped_url(base: &str, prefix: &str, path: &str) -> String {
    let path = if path == "index.html" { "" } else { path };
    crate::html::escape(&format!("{base}{prefix}{}", encode_path(path)))
}

fn multilingual_sitemap(set: &LanguageSet, base: &str) -> String {
    let mut urls = Vec::new();
    for language in &set.languages {
        for path in &language.sitemap {
            let mut url = format!(
                "<url><loc>{}</loc>",
                escaped_url(base, &language.prefix, path)
            );
            let key = language.keys.get(path);
            let counterparts: Vec<(&str, &str, &String)> = set
                .languages
                .iter()
                .filter_map(|other| {
                    let page = other.pages.get(key?)?;
                    Some((other.code.as_str(), other.prefix.as_str(), page))
                })
                .collect();
            if counterparts.len() > 1 {
                for (code, prefix, page) in counterparts {
                    url.push_str(&format!(
                        "<xhtml:link rel=\"alternate\" hreflang=\"{code}\" href=\"{}\"/>",
                        escaped_url(base, prefix, page)
                    ));
                }
            }
            url.push_str("</url>\n");
            urls.push(url);
        }
    }
    sitemap(&urls, " xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"")
}
