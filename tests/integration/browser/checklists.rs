//! Checklists: ticks are stored per item id, survive reloads, restarts and rebuilds, and reset asks.

use serde_json::json;

use super::harness::{Browser, Site};

const PAGE_LIST: &str = ".checklist[data-scope='page:part1/one.html']";
const YAML_LIST: &str = ".checklist[data-scope='list:before']";

#[tokio::test]
async fn ticks_survive_reload_and_restart_and_reset_asks_first() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::fixture("basic");
    let s = browser.open(&site).await;
    s.goto("part1/one.html").await;

    // The counters appear once the script runs; the Markdown `[x]` is not a stored tick.
    let count = format!("{PAGE_LIST} .checklist-count");
    assert_eq!(s.text(&count).await, "已完成 0/2");
    assert!(
        !s.is_checked("#ck-2").await,
        "an authored [x] is not the reader's tick"
    );

    let first = s.task("写下三个原因").await;
    let item = first.attr("data-item").await.unwrap().expect("data-item");
    s.click_el(&first).await;
    assert_eq!(s.text(&count).await, "已完成 1/2");
    assert_eq!(
        s.stored("checks").await,
        json!({ "page:part1/one.html": { item.as_str(): true } })
    );

    s.reload().await;
    assert!(s.task("写下三个原因").await.is_selected().await.unwrap());
    assert!(!s.task("发一条消息").await.is_selected().await.unwrap());
    assert_eq!(s.text(&count).await, "已完成 1/2");
    assert_eq!(
        s.text(&format!("{YAML_LIST} .checklist-count")).await,
        "已完成 0/2"
    );

    // A YAML checklist embedded in the chapter keeps its own scope.
    s.click_el(&s.task("情绪已经平稳").await).await;
    assert_eq!(
        s.text(&format!("{YAML_LIST} .checklist-count")).await,
        "已完成 1/2"
    );
    assert_eq!(s.text(&count).await, "已完成 1/2");

    // A new browser on the same profile still has both.
    s.close().await;
    let s = browser.open(&site).await;
    s.goto("part1/one.html").await;
    assert!(s.task("写下三个原因").await.is_selected().await.unwrap());
    assert!(s.task("情绪已经平稳").await.is_selected().await.unwrap());

    // Reset asks first; "no" keeps the ticks.
    s.script_dialogs(false).await;
    s.click(&format!("{PAGE_LIST} .checklist-reset")).await;
    assert!(s.task("写下三个原因").await.is_selected().await.unwrap());
    let asked = s.dialogs().await;
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert_eq!(asked[0].0, "confirm");

    s.script_dialogs(true).await;
    s.click(&format!("{PAGE_LIST} .checklist-reset")).await;
    assert!(!s.task("写下三个原因").await.is_selected().await.unwrap());
    assert_eq!(s.text(&count).await, "已完成 0/2");
    // Only that list is cleared.
    assert!(s.task("情绪已经平稳").await.is_selected().await.unwrap());
    let checks = s.stored("checks").await;
    assert!(checks.get("page:part1/one.html").is_none(), "{checks}");

    s.reload().await;
    assert!(!s.task("写下三个原因").await.is_selected().await.unwrap());
    assert_eq!(s.text(&count).await, "已完成 0/2");
    s.close().await;
}

#[tokio::test]
async fn ticks_follow_items_when_the_list_is_reordered_and_grows() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::fixture("basic");
    let s = browser.open(&site).await;
    s.goto("part1/one.html").await;

    let reasons = s.task("写下三个原因").await;
    let reasons_id = reasons.attr("data-item").await.unwrap();
    s.click_el(&reasons).await;
    s.click_el(&s.task("发一条消息").await).await;
    assert_eq!(
        s.text(&format!("{PAGE_LIST} .checklist-count")).await,
        "已完成 2/2"
    );

    site.edit(
        "content/part1/one.md",
        "- [ ] 写下三个原因\n- [x] 发一条消息 {#send-message}\n",
        "- [ ] 约上级喝杯咖啡\n- [x] 发一条消息 {#send-message}\n- [ ] 写下三个原因\n",
    );
    site.rebuild();
    s.reload().await;

    let labels = s
        .js(
            "return [...document.querySelectorAll(arguments[0] + ' .task label')].map(l => l.textContent)",
            vec![json!(PAGE_LIST)],
        )
        .await;
    assert_eq!(
        labels,
        json!(["约上级喝杯咖啡", "发一条消息", "写下三个原因"]),
        "the rebuilt page"
    );
    let reasons = s.task("写下三个原因").await;
    assert_eq!(
        reasons.attr("data-item").await.unwrap(),
        reasons_id,
        "the id comes from the text"
    );
    assert!(reasons.is_selected().await.unwrap());
    assert!(s.task("发一条消息").await.is_selected().await.unwrap());
    assert!(!s.task("约上级喝杯咖啡").await.is_selected().await.unwrap());
    assert_eq!(
        s.text(&format!("{PAGE_LIST} .checklist-count")).await,
        "已完成 2/3"
    );
    s.close().await;
}
