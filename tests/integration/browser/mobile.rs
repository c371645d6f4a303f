//! A phone (390×844): no worksheet page pans sideways, rows tables are stacked cards with each
//! cell labelled and the delete button in view, and the search dialog's words stay on one line.
//! On a wide screen the rows table gives its text columns the room.

use serde_json::{Value, json};

use super::harness::{Browser, Session, Site};

const PHONE: (u32, u32) = (390, 844);

/// How far the page is wider than its window (0 when it cannot be panned sideways).
async fn sideways_overflow(s: &Session) -> i64 {
    let v = s
        .js(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
            vec![],
        )
        .await;
    v.as_i64().expect("a width")
}

/// Root-relative paths of the links in the page matching `css`, each once.
async fn linked_pages(s: &Session, css: &str) -> Vec<String> {
    let v = s
        .js(
            "return [...new Set([...document.querySelectorAll(arguments[0])]\
               .map(a => new URL(a.href).pathname.slice(1)))]",
            vec![json!(css)],
        )
        .await;
    serde_json::from_value(v).expect("a list of paths")
}

#[tokio::test]
async fn no_worksheet_page_or_chapter_using_one_pans_sideways_on_a_phone() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::guide();
    let s = browser.open(&site).await;
    s.client.set_window_size(PHONE.0, PHONE.1).await.unwrap();
    s.goto("toolbox.html").await;
    assert_eq!(
        s.js("return innerWidth", vec![]).await,
        json!(PHONE.0),
        "the window is a phone's width"
    );
    let worksheets = linked_pages(&s, "#content a[href*='worksheets/']").await;
    assert!(worksheets.len() >= 10, "worksheet pages: {worksheets:?}");
    let mut pages = worksheets.clone();
    for page in &worksheets {
        s.goto(page).await;
        for chapter in linked_pages(&s, ".used-in a").await {
            if !pages.contains(&chapter) {
                pages.push(chapter);
            }
        }
    }
    let mut panning = Vec::new();
    for page in &pages {
        s.goto(page).await;
        // A second row in every rows table, so that stacked cards are measured too.
        s.js(
            "document.querySelectorAll('.ws-row-add').forEach(b => b.click())",
            vec![],
        )
        .await;
        let overflow = sideways_overflow(&s).await;
        if overflow > 0 {
            panning.push(format!("{page}: {overflow} px wider than the window"));
        }
    }
    assert!(
        panning.is_empty(),
        "pages that pan sideways at {PHONE:?}:\n{}",
        panning.join("\n")
    );
    s.close().await;
}

#[tokio::test]
async fn rows_are_labelled_cards_on_a_phone_and_text_columns_get_the_room_on_a_wide_screen() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::guide();
    let s = browser.open(&site).await;
    s.client.set_window_size(PHONE.0, PHONE.1).await.unwrap();
    s.goto("worksheets/relationship-map.html").await;
    let cards = s
        .js(
            "const tr = document.querySelector('.ws-rows tbody tr');\
             const box = tr.getBoundingClientRect();\
             const remove = tr.querySelector('.ws-row-remove').getBoundingClientRect();\
             return {\
               card: getComputedStyle(tr).display,\
               header: getComputedStyle(document.querySelector('.ws-rows thead')).display,\
               labels: [...tr.querySelectorAll('td[data-label]')].map(td =>\
                 [td.dataset.label, getComputedStyle(td, '::before').content.includes(td.dataset.label)]),\
               removeInView: remove.width > 0 && remove.left >= 0 && remove.right <= innerWidth,\
               cardInView: box.left >= 0 && box.right <= innerWidth }",
            vec![],
        )
        .await;
    assert_eq!(cards["card"], json!("block"), "{cards}");
    assert_eq!(cards["header"], json!("none"), "{cards}");
    let labels = cards["labels"].as_array().expect("cells");
    assert!(labels.len() >= 3, "{cards}");
    assert!(
        labels.iter().all(|l| l[1] == json!(true)),
        "every cell shows its column's label: {cards}"
    );
    assert_eq!(cards["removeInView"], json!(true), "{cards}");
    assert_eq!(cards["cardInView"], json!(true), "{cards}");

    // The search dialog: its label and its close button each on one line.
    s.press('/').await;
    let lines = s
        .js(
            "const lines = e => { const r = document.createRange(); r.selectNodeContents(e);\
               return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; };\
             const form = document.querySelector('#search-dialog form');\
             return [lines(form.querySelector('label')), lines(form.querySelector('button'))]",
            vec![],
        )
        .await;
    assert_eq!(lines, json!([1, 1]), "搜索 and 关闭 stay on one line each");

    // Wide: the first text column, the one a row is read by, has far more room than any other.
    s.client.set_window_size(1366, 900).await.unwrap();
    s.goto("worksheets/relationship-map.html").await;
    let widths: Value = s
        .js(
            "return [...document.querySelectorAll('.ws-rows thead th')]\
               .map(th => [th.dataset.kind || 'actions', th.getBoundingClientRect().width])",
            vec![],
        )
        .await;
    let widths: Vec<(String, f64)> = serde_json::from_value(widths).expect("widths");
    let at = widths
        .iter()
        .position(|(kind, _)| kind == "text")
        .expect("a text column");
    let main = widths[at].1;
    for (_, (kind, width)) in widths.iter().enumerate().filter(|(i, _)| *i != at) {
        assert!(
            main > width * 1.4,
            "the main text column ({main} px) has far more room than the {kind} column ({width} px): {widths:?}"
        );
    }
    s.close().await;
}
