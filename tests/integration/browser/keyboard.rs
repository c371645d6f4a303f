//! Keyboard only: Tab reaches checklists and worksheet fields with a visible focus, Space ticks,
//! typing saves, and the arrow keys turn the page.

use fantoccini::key::Key;
use serde_json::{Value, json};

use super::harness::{Browser, Session, Site};
use super::worksheets::wait_saved;

/// Presses Tab until `is_target` (a script returning a boolean about `document.activeElement`)
/// holds, checking that every stop on the way shows a focus outline and is not covered (by the
/// sticky top bar, say). Returns the number of presses.
async fn tab_to(s: &Session, what: &str, is_target: &str) -> usize {
    let mut unseen = Vec::new();
    for presses in 1..=200 {
        s.press(Key::Tab).await;
        let stop = s
            .js(
                &format!(
                    "const e = document.activeElement, st = getComputedStyle(e);\
                     const r = e.getBoundingClientRect();\
                     const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);\
                     const shown = st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) > 0\
                       && !!hit && (hit === e || e.contains(hit));\
                     return {{ target: (() => {{ {is_target} }})(), shown,\
                              name: e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' ' +\
                                    (e.getAttribute('aria-label') || e.textContent || e.name || '').trim().slice(0, 30) }}"
                ),
                vec![],
            )
            .await;
        if stop["shown"] != json!(true) {
            unseen.push(stop["name"].to_string());
        }
        if stop["target"] == json!(true) {
            assert!(
                unseen.is_empty(),
                "these Tab stops show no focus outline or are covered: {unseen:?}"
            );
            return presses;
        }
    }
    panic!("200 presses of Tab never reached {what}");
}

#[tokio::test]
async fn keyboard_alone_ticks_fills_and_turns_pages() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::fixture("basic");
    let s = browser.open(&site).await;
    s.goto("part1/one.html").await;

    let presses = tab_to(
        &s,
        "the checklist item 写下三个原因",
        "return e.matches('.task input') && e.labels[0].textContent.trim() === '写下三个原因'",
    )
    .await;
    s.press(Key::Space).await;
    let item = s
        .js("return document.activeElement.dataset.item", vec![])
        .await;
    let item = item.as_str().expect("a data-item").to_string();
    assert_eq!(
        s.js("return document.activeElement.checked", vec![]).await,
        json!(true)
    );
    assert_eq!(
        s.stored("checks").await,
        json!({ "page:part1/one.html": { item.as_str(): true } })
    );
    // Space again unticks.
    s.press(Key::Space).await;
    assert_eq!(s.stored("checks").await, json!({}));
    s.press(Key::Space).await;

    tab_to(
        &s,
        "the worksheet's first field",
        "return e.id === 'ws-review-what'",
    )
    .await;
    s.type_text("用键盘写下的经过").await;
    wait_saved(&s).await;
    assert_eq!(
        s.stored("ws:review").await["fields"]["what"],
        json!("用键盘写下的经过")
    );
    eprintln!(
        "keyboard: {presses} presses of Tab from the top of part1/one.html reach its checklist"
    );

    // Arrow keys turn the page, but not while typing in a field.
    s.press(Key::Right).await;
    assert_eq!(
        s.path().await,
        "/part1/one.html",
        "ArrowRight inside a field moves the caret only"
    );
    s.goto("part1/one.html").await;
    s.press(Key::Right).await;
    wait_for_path(&s, "/part1/one-sub.html").await;
    s.press(Key::Left).await;
    wait_for_path(&s, "/part1/one.html").await;
    let restored: Value = s.stored("checks").await;
    assert_eq!(
        restored,
        json!({ "page:part1/one.html": { item.as_str(): true } })
    );
    s.close().await;
}

async fn wait_for_path(s: &Session, path: &str) {
    s.wait_for(
        &format!("the browser to reach {path}"),
        &format!(
            "return location.pathname === {} && document.readyState === 'complete'",
            json!(path)
        ),
    )
    .await;
}
