//! The case library: its filter hides the entries that do not match, each entry leads to its
//! case's page, and without the script every case shows.

use serde_json::json;

use super::harness::{Browser, Site};

#[tokio::test]
async fn choosing_a_setback_hides_the_other_cases() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::guide();
    let s = browser.open(&site).await;
    s.goto("cases.html").await;
    s.wait_for(
        "the filter form to show",
        "return !document.querySelector('form.case-filter').hidden || null",
    )
    .await;
    let total = s.find_all(".case-library .case").await.len();
    assert!(total > 1, "the guide has several cases");
    // The setback of the last card, so the first cards do not match it.
    let setback = s
        .js(
            "var c = document.querySelectorAll('.case-library .case'); return c[c.length - 1].dataset.setback",
            vec![],
        )
        .await;
    let setback = setback.as_str().expect("a setback").to_string();
    s.select("form.case-filter select[name='setback']", &setback)
        .await;
    let visible = s
        .js(
            "return Array.from(document.querySelectorAll('.case-library .case')).filter(c => !c.hidden).map(c => c.dataset.setback)",
            vec![],
        )
        .await;
    let visible = visible.as_array().expect("a list").clone();
    assert!(!visible.is_empty() && visible.len() < total, "{visible:?}");
    assert!(visible.iter().all(|v| v == &json!(setback)), "{visible:?}");
    assert_eq!(
        s.text(".case-filter-count").await,
        format!("显示 {} / {total} 个案例", visible.len())
    );

    s.click("form.case-filter button[type='reset']").await;
    s.wait_for(
        "every case to show again",
        "return document.querySelectorAll('.case-library .case[hidden]').length === 0 || null",
    )
    .await;

    // An entry leads to its case's page, which shows the whole card.
    let title = s.text(".case-library .case:last-child .case-title a").await;
    s.click(".case-library .case:last-child .case-title a")
        .await;
    s.wait_for(
        "the case's page",
        "return document.documentElement.dataset.kind === 'case' && document.readyState === 'complete'",
    )
    .await;
    assert!(s.path().await.starts_with("/cases/"), "{}", s.path().await);
    assert_eq!(s.text("main h1.case-title").await, title);
    assert!(!s.find_all("main .case-lesson").await.is_empty());
    s.close().await;
}
