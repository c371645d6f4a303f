//! sitemap.xml and robots.txt, written when the book has a site-url.

use crate::book::Book;
use crate::error::Diagnostic;
use crate::output::OutputSink;
use crate::url::encode_path;

/// robots.txt is written when the book says where it is published.
pub fn writes_robots(config: &crate::config::BookConfig) -> bool {
    config.site_path != "/" || config.site_url.is_some()
}

pub fn add_sitemap(book: &Book, sink: &dyn OutputSink) -> Result<(), Diagnostic> {
    let config = &book.config;
    if !writes_robots(config) {
        return Ok(());
    }
    let mut robots = String::from("User-agent: *\nAllow: /\n");
    if let Some(base) = &config.site_url {
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        let mut paths: Vec<String> = book.chapters.iter().map(|c| c.page_path.clone()).collect();
        if !paths.iter().any(|p| p == "index.html") {
            paths.insert(0, "index.html".into());
        }
        paths.extend(book.collections.worksheets.iter().map(|w| w.page_path()));
        for path in paths {
            let loc = if path == "index.html" {
                base.clone()
            } else {
                format!("{base}{}", encode_path(&path))
            };
            xml.push_str(&format!(
                "<url><loc>{}</loc></url>\n",
                crate::html::escape(&loc)
            ));
        }
        xml.push_str("</urlset>\n");
        sink.write("sitemap.xml", xml.into_bytes())?;
        robots.push_str(&format!("Sitemap: {base}sitemap.xml\n"));
    }
    sink.write("robots.txt", robots.into_bytes())
}
