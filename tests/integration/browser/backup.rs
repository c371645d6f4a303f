//! Moving a reader's data: the whole-book JSON export carries ticks, read marks and answers into a
//! fresh browser; imports refuse files from other books or that are not JSON, and ask before
//! overwriting a different answer.

use std::path::Path;

use serde_json::{Value, json};

use super::harness::{BookExport, Browser, Session, Site, export_book, read_json};
use super::worksheets::{import_review, wait_saved};

/// Imports a whole-book export from the toolbox; returns the alerts the theme showed.
pub async fn import_book(s: &Session, file: &Path) -> Vec<String> {
    s.script_dialogs(true).await;
    s.js("window.__before_import = true", vec![]).await;
    s.pick_file("[data-action=import-book-json]", file).await;
    // A successful import says so and reloads the page; a refused one only says why.
    let outcome = s
        .wait_for(
            "the import to finish",
            "if (!window.__before_import) return 'reloaded';\
             return (window.__dialogs || []).some(d => d[0] === 'alert') && 'alerted'",
        )
        .await;
    if outcome == json!("reloaded") {
        s.wait_loaded().await;
        return vec![];
    }
    s.dialogs()
        .await
        .into_iter()
        .filter(|(kind, _)| kind == "alert")
        .map(|(_, m)| m)
        .collect()
}

/// Leaves data of every kind on the basic fixture's part1/one.html: two ticks (one of the
/// chapter's own list, one of an embedded checklist), `short` as the review worksheet's answer,
/// and the chapter read to its end.
pub async fn keep_one_of_each(s: &Session, short: &str) {
    s.goto("part1/one.html").await;
    s.click_el(&s.task("写下三个原因").await).await;
    s.click_el(&s.task("情绪已经平稳").await).await;
    s.type_into("#ws-review-short", short).await;
    wait_saved(s).await;
    s.js(
        "document.querySelector('#chapter-end').scrollIntoView({ block: 'center' })",
        vec![],
    )
    .await;
    s.wait_for(
        "the chapter to be marked read",
        "return document.querySelector('.mark-read').getAttribute('aria-pressed') === 'true'",
    )
    .await;
}

async fn everything(s: &Session) -> Value {
    json!({
        "checks": s.stored("checks").await,
        "read": s.stored("read").await,
        "review": s.stored("ws:review").await.get("fields").cloned(),
    })
}

#[tokio::test]
async fn book_export_moves_everything_to_a_fresh_browser() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::fixture("basic");
    let s = browser.open(&site).await;
    keep_one_of_each(&s, "带去新电脑").await;
    let mine = everything(&s).await;
    assert_eq!(mine["review"]["short"], json!("带去新电脑"));
    assert_eq!(mine["read"]["part1/one.html"], json!(true));

    s.goto("toolbox.html").await;
    let file = export_book(&s, &browser, BookExport::Json).await;
    let exported = read_json(&file);
    assert_eq!(exported["checks"], mine["checks"]);
    // Short pages such as the toolbox mark themselves read when opened, so only this one counts.
    assert_eq!(exported["read"]["part1/one.html"], json!(true));
    assert_eq!(exported["worksheets"]["review"]["fields"], mine["review"]);

    // Another browser: nothing stored until the import.
    s.close().await;
    browser.forget_profile();
    let s = browser.open(&site).await;
    s.goto("toolbox.html").await;
    let fresh = everything(&s).await;
    assert_eq!(fresh["checks"], Value::Null);
    assert_eq!(fresh["review"], Value::Null);
    assert_eq!(fresh["read"].get("part1/one.html"), None);
    let alerts = import_book(&s, &file).await;
    assert!(alerts.is_empty(), "the import complained: {alerts:?}");
    let imported = everything(&s).await;
    assert_eq!(imported["checks"], mine["checks"], "after the import");
    assert_eq!(imported["review"], mine["review"], "after the import");
    assert_eq!(
        imported["read"]["part1/one.html"],
        json!(true),
        "after the import"
    );

    s.goto("part1/one.html").await;
    assert!(s.task("写下三个原因").await.is_selected().await.unwrap());
    assert!(s.task("情绪已经平稳").await.is_selected().await.unwrap());
    assert_eq!(
        s.attr(".mark-read", "aria-pressed").await.as_deref(),
        Some("true")
    );
    let short = s
        .find("#ws-review-short")
        .await
        .prop("value")
        .await
        .unwrap();
    assert_eq!(short.as_deref(), Some("带去新电脑"));
    s.close().await;
}

#[tokio::test]
async fn imports_refuse_foreign_files_and_ask_before_overwriting() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::fixture("basic");
    let s = browser.open(&site).await;
    let files = tempfile::tempdir().unwrap();
    let write = |name: &str, text: String| {
        let path = files.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let export = |book: &str, short: &str| {
        json!({
            "format": "guidebook-export", "version": 1, "book": book,
            "exported": "2024-01-01T00:00:00.000Z", "checks": {}, "read": {},
            "worksheets": { "review": { "fields": { "short": short } } },
        })
        .to_string()
    };

    s.goto("toolbox.html").await;
    let other = write("other.json", export("another-book", "别的书"));
    let alerts = import_book(&s, &other).await;
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert!(alerts[0].contains("另一本书"), "{alerts:?}");
    s.goto("toolbox.html").await;
    let broken = write("broken.json", "{ not json".into());
    let alerts = import_book(&s, &broken).await;
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert!(alerts[0].contains("不是有效的 JSON"), "{alerts:?}");
    assert_eq!(
        s.stored("ws:review").await,
        Value::Null,
        "nothing was imported"
    );

    // A different answer is overwritten only when the reader agrees.
    s.goto("part1/one.html").await;
    s.type_into("#ws-review-short", "现在的回答").await;
    wait_saved(&s).await;
    let theirs = write("theirs.json", export("fixture", "文件里的回答"));
    s.script_dialogs(false).await;
    s.pick_file("#ws-review [data-action=import-json]", &theirs)
        .await;
    s.wait_for(
        "the import to ask",
        "return (window.__dialogs || []).some(d => d[0] === 'confirm')",
    )
    .await;
    let asked = s.dialogs().await;
    assert!(asked[0].1.contains("覆盖 1 个"), "{asked:?}");
    assert_eq!(
        s.stored("ws:review").await["fields"]["short"],
        json!("现在的回答")
    );
    assert_eq!(
        s.prop("#ws-review-short", "value").await.as_deref(),
        Some("现在的回答")
    );
    import_review(&s, &theirs).await;
    assert_eq!(
        s.stored("ws:review").await["fields"]["short"],
        json!("文件里的回答")
    );
    assert_eq!(
        s.prop("#ws-review-short", "value").await.as_deref(),
        Some("文件里的回答")
    );
    s.close().await;
}
