//! What a reader does on many pages, shared by the test files that need it: searching, following
//! the sidebar, and exporting the whole book.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fantoccini::Locator;
use serde_json::{Value, json};

use super::harness::{Browser, PATIENCE, Session};

/// Opens the search dialog with "/" and waits for the focus in its box and for the index.
pub async fn open_search(s: &Session) {
    s.press('/').await;
    s.wait_for(
        "the search dialog to open with the focus in its box",
        "return document.querySelector('#search-dialog').open\
         && document.activeElement === document.querySelector('#search-input')",
    )
    .await;
    s.wait_for(
        "the search index to load",
        "return !!window.GUIDEBOOK_SEARCH",
    )
    .await;
}

/// Types a query into the open search box and returns the result links' page paths, once the
/// results have settled: the status line answers this query and two reads agree.
pub async fn search(s: &Session, query: &str) -> Vec<String> {
    let input = s
        .client
        .find(Locator::Css("#search-input"))
        .await
        .expect("the search box");
    input.clear().await.expect("clearing the search box");
    // An empty status line means "not answered yet": the last query's answer must not count.
    s.js(
        "document.querySelector('#search-status').textContent = ''",
        vec![],
    )
    .await;
    input.send_keys(query).await.expect("typing a query");
    let read = "if (document.querySelector('#search-input').value !== arguments[0]) return null;\
                const status = document.querySelector('#search-status').textContent.trim();\
                if (!status || status === guidebook.t('search_loading')) return null;\
                if (status === guidebook.t('search_failed')) return { failed: status };\
                return [...document.querySelectorAll('#search-results a[role=option]')]\
                  .map(a => decodeURI(new URL(a.href).pathname).slice(1))";
    let mut last = Value::Null;
    let start = Instant::now();
    // The box searches 100 ms after the last key: wait until two reads agree.
    loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let now = s.js(read, vec![json!(query)]).await;
        if let Some(failed) = now.get("failed") {
            panic!("searching for {query:?}: the page says {failed}");
        }
        if !now.is_null() && now == last {
            return serde_json::from_value(now).expect("paths");
        }
        assert!(
            start.elapsed() < PATIENCE,
            "no settled results for {query:?}"
        );
        last = now;
    }
}

/// Clicks the sidebar's link to `page` (a path such as `part1/one.html`), waits for that page to
/// load at a URL ending in that path (over HTTP or from `file://`), and returns the paths the new
/// page's sidebar marks as current.
pub async fn follow_sidebar_link(s: &Session, page: &str) -> Value {
    s.click(&format!("#sidebar a[data-path='{page}']")).await;
    s.wait_for(
        &format!("the page {page} from the sidebar"),
        &format!(
            "return document.documentElement.dataset.page === {0}\
             && decodeURI(location.pathname).endsWith('/' + {0}) && document.readyState === 'complete'",
            json!(page)
        ),
    )
    .await;
    s.js(
        "return [...document.querySelectorAll('#sidebar [aria-current=page]')].map(a => a.dataset.path)",
        vec![],
    )
    .await
}

/// The two whole-book exports the landing page and the toolbox offer.
#[derive(Clone, Copy)]
pub enum BookExport {
    Json,
    Markdown,
}

/// Clicks the open page's whole-book export button and returns the file it downloads
/// (`<book id>-<date>.json` or `.md`). The downloads folder is emptied first, so that an earlier
/// export is never taken for this one.
pub async fn export_book(s: &Session, browser: &Browser, format: BookExport) -> PathBuf {
    let (button, suffix) = match format {
        BookExport::Json => ("[data-action=export-book-json]", ".json"),
        BookExport::Markdown => ("[data-action=export-book-md]", ".md"),
    };
    browser.clear_downloads();
    let book = s
        .js("return document.documentElement.dataset.book", vec![])
        .await;
    let book = book.as_str().expect("the page names its book");
    s.click(button).await;
    browser.download_like(&format!("{book}-"), suffix).await
}

/// A downloaded JSON file, parsed.
pub fn read_json(file: &Path) -> Value {
    let text =
        std::fs::read_to_string(file).unwrap_or_else(|e| panic!("reading {}: {e}", file.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", file.display()))
}
