//! Worksheets: every field type saves as the reader types, comes back after a reload, and makes the
//! round trip through an exported JSON file, a clear and an import.

use serde_json::{Value, json};

use super::harness::{BookExport, Browser, Session, Site, export_book, read_json};

const WS: &str = "#ws-review";

/// The answers `fill_review` gives, as the theme stores them: a choice as its option's position
/// (调岗 is the second kind), the same in every language.
fn review_answers() -> Value {
    json!({
        "what": "上线推迟了两周。\n第二行：原因有三个。",
        "when": "2024-03-15",
        "cost": "1200",
        "kind": "2",
        "causes": ["1", "3"],
        "mood": "4",
        "steps": ["2"],
        "people": [{ "name": "王经理", "warmth": "4", "kind": "1" }],
        "short": "先稳住，再修复。",
    })
}

/// Fills every field of the fixture's `review` worksheet as a reader would, and waits for the save.
pub async fn fill_review(s: &Session) {
    s.type_into("#ws-review-what", "上线推迟了两周。\n第二行：原因有三个。")
        .await;
    // Chromium's date input takes the digits in the order of its locale (en-US here).
    s.type_into("#ws-review-when", "03152024").await;
    s.type_into("#ws-review-cost", "1200").await;
    s.click(&option("kind", "2")).await;
    s.click(&option("causes", "1")).await;
    s.click(&option("causes", "3")).await;
    s.click(&option("mood", "4")).await;
    s.click(&option("steps", "2")).await;
    add_row(s, "王经理", "4", "1").await;
    s.type_into("#ws-review-short", "先稳住，再修复。").await;
    wait_saved(s).await;
}

/// The radio button or checkbox for one option of a field, by its position (a scale by its number).
pub fn option(field: &str, value: &str) -> String {
    format!("{WS} input[name='{field}'][value='{value}']")
}

/// Clicks "添加一行" and fills the new (last) row of the `people` table.
pub async fn add_row(s: &Session, name: &str, warmth: &str, kind: &str) {
    let rows = format!("{WS} [data-field=people] tbody tr");
    let before = s.find_all(&rows).await.len();
    s.click(&format!("{WS} .ws-row-add")).await;
    assert_eq!(s.find_all(&rows).await.len(), before + 1, "a row was added");
    let last = format!("{rows}:last-child");
    // The new row's first control has the focus.
    let focused = s
        .js(
            "return document.activeElement === document.querySelector(arguments[0])",
            vec![json!(format!("{last} [data-col=name]"))],
        )
        .await;
    assert_eq!(
        focused,
        json!(true),
        "the new row's first cell has the focus"
    );
    s.type_into(&format!("{last} [data-col=name]"), name).await;
    s.select(&format!("{last} [data-col=warmth]"), warmth).await;
    s.select(&format!("{last} [data-col=kind]"), kind).await;
}

pub async fn wait_saved(s: &Session) {
    s.wait_for(
        "the worksheet to say it saved",
        "const t = document.querySelector('#ws-review .ws-status').textContent;\
         return t.startsWith('已保存') || t.startsWith('已导入')",
    )
    .await;
}

/// Every answer as the page shows it, read back from the controls.
pub async fn shown_answers(s: &Session) -> Value {
    s.js(
        "const f = document.querySelector('#ws-review');\
         const v = id => f.querySelector('#ws-review-' + id).value;\
         const picked = name => [...f.querySelectorAll(`input[name=${name}]:checked`)].map(i => i.value);\
         return {\
           what: v('what'), when: v('when'), cost: v('cost'),\
           kind: picked('kind').join(), causes: picked('causes'), mood: picked('mood').join(),\
           steps: picked('steps'),\
           people: [...f.querySelectorAll('[data-field=people] tbody tr')].map(tr => ({\
             name: tr.querySelector('[data-col=name]').value,\
             warmth: tr.querySelector('[data-col=warmth]').value,\
             kind: tr.querySelector('[data-col=kind]').value })),\
           short: v('short') }",
        vec![],
    )
    .await
}

#[tokio::test]
async fn every_field_type_saves_and_comes_back_after_reload() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::fixture("basic");
    let s = browser.open(&site).await;
    s.goto("part1/one.html").await;
    assert_eq!(
        s.text(&format!("{WS} .ws-status")).await,
        "自动保存在本机浏览器"
    );
    // An empty rows field starts with one empty row; the reader adds the next.
    fill_review(&s).await;

    let stored = s.stored("ws:review").await;
    assert_eq!(stored["v"], json!(2), "choices are saved by position");
    assert_eq!(stored["fields"], review_answers(), "what the theme stored");

    s.reload().await;
    assert!(
        s.text(&format!("{WS} .ws-status"))
            .await
            .starts_with("已保存 ")
    );
    assert_eq!(
        shown_answers(&s).await,
        review_answers(),
        "what the page shows after a reload"
    );

    // The worksheet's own page shows the same answers.
    s.goto("worksheets/review.html").await;
    assert_eq!(
        shown_answers(&s).await,
        review_answers(),
        "on worksheets/review.html"
    );

    // Removing the row is saved too.
    s.click(&format!("{WS} .ws-row-remove")).await;
    wait_saved(&s).await;
    assert_eq!(s.stored("ws:review").await["fields"]["people"], json!([]));
    s.close().await;
}

#[tokio::test]
async fn answers_survive_export_clear_and_import() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::fixture("basic");
    let s = browser.open(&site).await;
    s.goto("part1/one.html").await;
    fill_review(&s).await;

    s.click(&format!("{WS} [data-action=export-json]")).await;
    let file = browser.downloaded("review.json").await;
    let exported = read_json(&file);
    assert_eq!(exported["format"], json!("guidebook-export"));
    assert_eq!(exported["version"], json!(1));
    assert_eq!(exported["book"], json!("fixture"));
    assert_eq!(exported["worksheets"]["review"]["fields"], review_answers());

    clear_review(&s).await;
    s.reload().await;
    assert_empty(&s).await;

    import_review(&s, &file).await;
    assert_eq!(
        shown_answers(&s).await,
        review_answers(),
        "after the import"
    );
    assert_eq!(s.stored("ws:review").await["fields"], review_answers());
    s.reload().await;
    assert_eq!(
        shown_answers(&s).await,
        review_answers(),
        "after the import and a reload"
    );

    // The whole-book export from the toolbox carries the same answers.
    s.goto("toolbox.html").await;
    let book = read_json(&export_book(&s, &browser, BookExport::Json).await);
    assert_eq!(book["worksheets"]["review"]["fields"], review_answers());
    s.close().await;
}

/// Clicks "清空" with the confirmation answered yes, and checks the page and storage are empty.
pub async fn clear_review(s: &Session) {
    s.script_dialogs(true).await;
    s.click(&format!("{WS} [data-action=clear]")).await;
    let asked = s.dialogs().await;
    assert!(
        asked.iter().any(|(kind, _)| kind == "confirm"),
        "clearing asks first: {asked:?}"
    );
    assert_eq!(s.text(&format!("{WS} .ws-status")).await, "已清空");
    assert_eq!(s.stored("ws:review").await, Value::Null);
    assert_empty(s).await;
}

pub async fn assert_empty(s: &Session) {
    assert_eq!(
        shown_answers(s).await,
        json!({
            "what": "", "when": "", "cost": "", "kind": "", "causes": [], "mood": "", "steps": [],
            "people": [{ "name": "", "warmth": "", "kind": "" }], "short": "",
        }),
        "an empty worksheet (one empty row)"
    );
}

/// Imports a JSON file through the worksheet's "导入 JSON" button and waits for it to finish.
pub async fn import_review(s: &Session, file: &std::path::Path) {
    s.script_dialogs(true).await;
    s.pick_file(&format!("{WS} [data-action=import-json]"), file)
        .await;
    s.wait_for(
        "the import to finish",
        "return document.querySelector('#ws-review .ws-status').textContent.startsWith('已导入')",
    )
    .await;
    let alerts: Vec<_> = s
        .dialogs()
        .await
        .into_iter()
        .filter(|(kind, _)| kind == "alert")
        .collect();
    assert!(alerts.is_empty(), "the import complained: {alerts:?}");
}

#[tokio::test]
async fn answers_typed_just_before_leaving_are_saved() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::fixture("basic");
    let s = browser.open(&site).await;
    s.goto("part1/one.html").await;
    // Saving waits 400 ms after the last key; leaving the page at once must not lose the text.
    s.type_into("#ws-review-short", "马上离开").await;
    s.goto("index.html").await;
    assert_eq!(
        s.stored("ws:review").await["fields"]["short"],
        json!("马上离开")
    );
    s.close().await;
}

/// A tab saves every field of its form, so a tab loaded earlier must not write its stale, empty
/// fields over answers that another tab saved since.
#[tokio::test]
async fn two_open_tabs_do_not_overwrite_each_others_answers() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::fixture("basic");
    let s = browser.open(&site).await;
    s.goto("part1/one.html").await;
    let first = s.client.window().await.unwrap();
    let second = s.client.new_window(true).await.unwrap().handle;
    s.client.switch_to_window(second.clone()).await.unwrap();
    s.goto("worksheets/review.html").await;

    s.client.switch_to_window(first).await.unwrap();
    s.type_into("#ws-review-what", "在第一个标签页写的").await;
    wait_saved(&s).await;
    s.client.switch_to_window(second).await.unwrap();
    s.type_into("#ws-review-short", "在第二个标签页写的").await;
    wait_saved(&s).await;

    let fields = s.stored("ws:review").await["fields"].clone();
    assert_eq!(
        (&fields["what"], &fields["short"]),
        (&json!("在第一个标签页写的"), &json!("在第二个标签页写的")),
        "saving in the second tab must keep what the first tab saved; stored: {fields}"
    );
    s.close().await;
}

/// The Markdown export reads like the worksheet: labels as headings and column headers (never the
/// ids answers are stored under), no "（必填）" marks, a scale with its range and end labels.
#[tokio::test]
async fn markdown_export_uses_labels_and_writes_scales_with_their_ends() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::fixture("basic");
    let s = browser.open(&site).await;
    s.goto("worksheets/review.html").await;
    fill_review(&s).await;
    s.click(&format!("{WS} [data-action=export-md]")).await;
    let md = std::fs::read_to_string(browser.downloaded("review.md").await).unwrap();
    let expected = "# 失败复盘\n\n## 发生了什么\n\n\
         ### 事情经过\n\n上线推迟了两周。\n第二行：原因有三个。\n\n\
         ### 日期\n\n2024-03-15\n\n### 超支金额\n\n1200\n\n### 类型\n\n调岗\n\n\
         ### 可控的原因\n\n- 估算\n- 市场\n\n\
         ### 情绪\n\n4/5（激动 → 平静）\n\n\
         ### 已做的事\n\n- 找上级谈\n\n\
         ### 相关的人\n\n| 姓名 | 温度 | 类型 |\n| --- | --- | --- |\n| 王经理 | 4/5 | 高影响 |\n\n\
         ### 一句话\n\n先稳住，再修复。\n\n导出时间：";
    assert!(
        md.starts_with(expected),
        "the export, expected to start with\n{expected}\n---- but it is\n{md}"
    );
    assert!(!md.contains("必填"), "a required mark leaked:\n{md}");
    s.close().await;
}
