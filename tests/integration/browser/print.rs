//! print.html holds the whole book on one page, so the same checklist shape (and, before ids were
//! prefixed per chapter, the same ids) appears in several chapters: a control there saves to the
//! item it belongs to, never to an earlier chapter's.

use serde_json::json;

use super::harness::{Browser, Site};

#[tokio::test]
async fn a_label_in_a_later_chapter_of_print_html_ticks_its_own_item() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::fixture("basic");
    // Chapter three gets a task list of the same length as chapter one's.
    site.edit(
        "content/three.md",
        "## 选择时机\n",
        "## 选择时机\n\n- [ ] 第三章的第一项\n- [ ] 第三章的第二项 {#third-two}\n",
    );
    site.rebuild();
    let s = browser.open(&site).await;
    s.goto("print.html").await;
    let label = s
        .client
        .find(fantoccini::Locator::XPath(
            "//li[@class='task']/label[normalize-space()='第三章的第二项']",
        ))
        .await
        .expect("the label in chapter three");
    s.click_el(&label).await;
    s.wait_for(
        "the tick to be saved",
        "return localStorage.getItem('guidebook:fixture:checks')",
    )
    .await;
    assert_eq!(
        s.stored("checks").await,
        json!({"page:three.html": {"third-two": true}}),
        "the tick went to another item"
    );
    assert!(s.task("第三章的第二项").await.is_selected().await.unwrap());
    assert!(!s.task("发一条消息").await.is_selected().await.unwrap());

    // And the chapter's own page shows the tick made on print.html.
    s.goto("three.html").await;
    assert!(s.task("第三章的第二项").await.is_selected().await.unwrap());
    assert!(!s.task("第三章的第一项").await.is_selected().await.unwrap());
    s.close().await;
}
