//! A bilingual book in Chromium (issue 16): each language searches its own pages, and a reader who
//! switches language keeps worksheet answers and ticks, while reading progress stays per language.

use serde_json::{Value, json};

use super::harness::{Browser, Session, Site, open_search, search};

#[tokio::test]
async fn an_english_page_searches_english_pages_only() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::fixture("bilingual");
    let s = browser.open(&site).await;
    s.goto("en/part1/a.html").await;
    open_search(&s).await;
    let found = search(&s, "debrief").await;
    assert!(!found.is_empty(), "the English paragraph is found");
    assert!(found.iter().all(|p| p.starts_with("en/")), "{found:?}");
    assert!(
        search(&s, "复盘的中文").await.is_empty(),
        "no Chinese page from an English one"
    );

    s.goto("part1/a.html").await;
    open_search(&s).await;
    let found = search(&s, "复盘的中文").await;
    assert_eq!(found, ["part1/a.html"]);
    assert!(search(&s, "debrief").await.is_empty());
    s.close().await;
}

#[tokio::test]
async fn answers_and_ticks_survive_a_switch_and_reading_progress_is_per_language() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::fixture("bilingual");
    let s = browser.open(&site).await;
    s.goto("part1/a.html").await;
    s.type_into("#ws-review-what", "项目延期").await;
    s.click("#ws-review input[name='kind'][value='2']").await;
    s.click("input[data-item='write-it-down']").await;
    s.wait_for(
        "the worksheet to save",
        "return document.querySelector('#ws-review .ws-status').textContent.startsWith('已保存')",
    )
    .await;
    // Marked read with its button (reading it through takes seconds), under its own path.
    s.click(".mark-read").await;
    wait_read(&s, json!({"part1/a.html": true})).await;

    // The switcher goes to the English counterpart, where the same answers show.
    s.click(".language-switcher a[data-language='en']").await;
    s.wait_for(
        "the English page",
        "return document.documentElement.lang === 'en' && !!document.querySelector('#ws-review .ws-status')",
    )
    .await;
    assert_eq!(s.path().await, "/en/part1/a.html");
    assert_eq!(
        s.prop("#ws-review-what", "value").await.as_deref(),
        Some("项目延期")
    );
    assert!(
        s.is_checked("#ws-review input[name='kind'][value='2']")
            .await
    );
    let label = s
        .js("return document.querySelector(\"#ws-review input[name='kind']:checked\").closest('label').textContent.trim()", vec![])
        .await;
    assert_eq!(label, json!("Transfer"), "the same option, in English");
    assert!(s.is_checked("input[data-item='write-it-down']").await);
    // Reading progress is the English page's own: marking it stores it under `en/`, and
    // unmarking it leaves the Chinese mark alone.
    s.click(".mark-read").await;
    wait_read(&s, json!({"part1/a.html": true, "en/part1/a.html": true})).await;
    s.click(".mark-read").await;
    wait_read(&s, json!({"part1/a.html": true})).await;

    // An English change shows in Chinese too.
    s.click("#ws-review input[name='kind'][value='3']").await;
    s.wait_for(
        "the English worksheet to save",
        "return document.querySelector('#ws-review .ws-status').textContent.startsWith('Saved')",
    )
    .await;
    s.click(".language-switcher a[data-language='zh-CN']").await;
    s.wait_for(
        "the Chinese page",
        "return document.documentElement.lang === 'zh-CN'",
    )
    .await;
    assert!(
        s.is_checked("#ws-review input[name='kind'][value='3']")
            .await
    );
    s.close().await;
}

#[tokio::test]
async fn choices_saved_as_text_are_kept_as_their_position_in_every_language() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::fixture("bilingual");
    let s = browser.open(&site).await;
    s.goto("en/index.html").await;
    // Saved by an earlier guidebook, in Chinese: by option text, with one option since removed.
    s.js(
        "localStorage.setItem('guidebook:bilingual:ws:review', JSON.stringify({v: 1, updated: '2026-01-02T03:04:05Z',\
           fields: {what: '经过', kind: '求职', gone: '旧的'}}))",
        vec![],
    )
    .await;
    s.goto("en/part1/a.html").await;
    s.wait_for(
        "the worksheet",
        "return !!document.querySelector('#ws-review .ws-status')",
    )
    .await;
    assert!(
        s.is_checked("#ws-review input[name='kind'][value='3']")
            .await,
        "求职 is the third kind"
    );
    let stored = s.stored("ws:review").await;
    assert_eq!(stored["v"], json!(2));
    assert_eq!(
        stored["fields"],
        json!({"what": "经过", "kind": "3", "gone": "旧的"}),
        "nothing lost"
    );
    assert_eq!(stored["updated"], json!("2026-01-02T03:04:05Z"));
    s.close().await;
}

/// Waits until the stored read marks are `expected`.
async fn wait_read(s: &Session, expected: Value) {
    let script = format!(
        "const v = JSON.parse(localStorage.getItem('guidebook:bilingual:read') || '{{}}');\
         return JSON.stringify(Object.fromEntries(Object.entries(v).sort())) === {}",
        serde_json::to_string(&expected.to_string()).unwrap()
    );
    s.wait_for("the read marks", &script).await;
}
