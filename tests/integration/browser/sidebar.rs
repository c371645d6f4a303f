//! The sidebar of a long book in a real browser: opening another part loads its entries, "more"
//! loads the next run of a part, the loaded links lead to their pages, marks and counts follow,
//! and all of it works from `file://` too. Parts are buttons with `aria-expanded`.

use serde_json::json;

use super::harness::{Browser, Session, Site, follow_sidebar_link};
use crate::sidebar::write_long_book;

fn long_site() -> Site {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("book");
    write_long_book(&root, 3, 30, "");
    Site::build_and_serve(dir, root)
}

/// The part buttons' labels and states, in order.
async fn parts(s: &Session) -> serde_json::Value {
    s.js(
        "return [...document.querySelectorAll('#sidebar button.toc-part-title')]\
           .map(b => [b.textContent, b.getAttribute('aria-expanded')])",
        vec![],
    )
    .await
}

/// Opens part 3 and follows its first link; checks the page it lands on.
async fn open_part_three_and_follow(s: &Session) {
    assert_eq!(
        parts(s).await,
        json!([
            ["第 1 部分", "false"],
            ["第 2 部分", "true"],
            ["第 3 部分", "false"]
        ])
    );
    assert!(
        s.find_all("#sidebar a[data-path='p3/c2.html']")
            .await
            .is_empty(),
        "part 3 is not in the page before it is opened"
    );
    s.click("#sidebar li.toc-part:nth-of-type(4) > button")
        .await;
    s.wait_for(
        "part 3's entries",
        "return !!document.querySelector(\"#sidebar a[data-path='p3/c2.html']\")",
    )
    .await;
    assert_eq!(parts(s).await[2], json!(["第 3 部分", "true"]));
    let current = follow_sidebar_link(s, "p3/c2.html").await;
    assert_eq!(current, json!(["p3/c2.html"]));
}

#[tokio::test]
async fn other_parts_and_more_entries_load_when_asked_for() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = long_site();
    let s = browser.open(&site).await;
    s.goto("p2/c3.html").await;
    // Tick this chapter's task: its count shows in the sidebar.
    s.click(".checklist input[type=checkbox]").await;
    let count = "return document.querySelector(\"#sidebar a[data-path='p2/c3.html'] .toc-count\")?.textContent";
    assert_eq!(s.js(count, vec![]).await, json!("1/1"));

    // "More" brings the rest of part 2, and keeps the keyboard focus in the list.
    assert!(
        s.find_all("#sidebar a[data-path='p2/c30.html']")
            .await
            .is_empty()
    );
    s.click("#sidebar li.toc-more > button").await;
    s.wait_for(
        "the rest of part 2",
        "return !!document.querySelector(\"#sidebar a[data-path='p2/c30.html']\")",
    )
    .await;
    let focus = s
        .js(
            "return document.activeElement.closest('#sidebar') !== null && document.activeElement.tagName",
            vec![],
        )
        .await;
    assert_eq!(focus, json!("A"));
    // The loaded links work from this depth: the page two folders below the root.
    let href = s
        .js(
            "return document.querySelector(\"#sidebar a[data-path='p2/c30.html']\").href",
            vec![],
        )
        .await;
    assert_eq!(href, json!(site.url("p2/c30.html")));

    open_part_three_and_follow(&s).await;
    // Back on part 2's page, the tick is counted again and part 2 is open.
    s.goto("p2/c3.html").await;
    assert_eq!(s.js(count, vec![]).await, json!("1/1"));
    // A part folds and unfolds without loading anything again.
    s.click("#sidebar li.toc-part:nth-of-type(3) > button")
        .await;
    assert_eq!(parts(&s).await[1], json!(["第 2 部分", "false"]));
    assert!(
        !s.find("#sidebar a[data-path='p2/c3.html']")
            .await
            .is_displayed()
            .await
            .unwrap()
    );
    s.close().await;
}

#[tokio::test]
async fn the_sidebar_loads_its_parts_from_file_urls() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = long_site();
    let s = browser.open(&site).await;
    let page = site.out.join("p2/c3.html");
    s.client
        .goto(&format!("file://{}", page.display()))
        .await
        .expect("opening the page from disk");
    s.wait_loaded().await;
    open_part_three_and_follow(&s).await;
    let url = s.js("return location.href", vec![]).await;
    assert!(
        url.as_str().unwrap().starts_with("file://")
            && url.as_str().unwrap().ends_with("/p3/c2.html"),
        "{url}"
    );
    s.close().await;
}
