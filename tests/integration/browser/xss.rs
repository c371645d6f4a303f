//! Markup typed into worksheets stays text: through saving, reloading, exporting, clearing and
//! importing, and in the search box, nothing it contains runs or becomes an element.

use serde_json::{Value, json};

use super::harness::{Browser, Session, Site, read_json};
use super::worksheets::{add_row, clear_review, import_review, option, shown_answers, wait_saved};

const IMG: &str = "<img src=x onerror=alert(1)>";
const SCRIPT: &str = "\"><script>window.__x=1</script>";

/// No payload ran (alert, `window.__x`) and none became an element.
async fn assert_inert(s: &Session, when: &str) {
    s.assert_no_native_dialog().await;
    let found = s
        .js(
            "return {\
               alerts: (window.__dialogs || []).filter(d => d[0] === 'alert'),\
               x: typeof window.__x,\
               imgs: [...document.querySelectorAll('img')].filter(i => i.getAttribute('src') === 'x').length,\
               scripts: [...document.querySelectorAll('script')].filter(e => e.textContent.includes('__x')).length }",
            vec![],
        )
        .await;
    assert_eq!(
        found,
        json!({ "alerts": [], "x": "undefined", "imgs": 0, "scripts": 0 }),
        "{when}"
    );
}

fn expected() -> Value {
    json!({
        "what": format!("{IMG}\n{SCRIPT}"),
        "short": SCRIPT,
        "cell": format!("{IMG}{SCRIPT}"),
    })
}

async fn typed_values(s: &Session) -> Value {
    let shown = shown_answers(s).await;
    let rows = shown["people"].as_array().expect("rows");
    json!({
        "what": shown["what"],
        "short": shown["short"],
        "cell": rows.last().expect("a row")["name"],
    })
}

#[tokio::test]
async fn markup_in_answers_stays_text_everywhere() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::fixture("basic");
    let s = browser.open(&site).await;
    s.goto("part1/one.html").await;
    s.script_dialogs(true).await;

    s.type_into("#ws-review-what", &format!("{IMG}\n{SCRIPT}"))
        .await;
    s.type_into("#ws-review-short", SCRIPT).await;
    add_row(&s, &format!("{IMG}{SCRIPT}"), "2", "2").await;
    s.click(&option("causes", "2")).await;
    s.click(&option("kind", "1")).await;
    wait_saved(&s).await;
    assert_inert(&s, "after typing").await;
    assert_eq!(typed_values(&s).await, expected());

    s.reload().await;
    s.script_dialogs(true).await;
    assert_inert(&s, "after a reload").await;
    assert_eq!(typed_values(&s).await, expected(), "after a reload");

    // The worksheet's own page renders the same answers.
    s.goto("worksheets/review.html").await;
    s.script_dialogs(true).await;
    assert_inert(&s, "on the worksheet page").await;
    assert_eq!(typed_values(&s).await, expected(), "on the worksheet page");

    s.click("#ws-review [data-action=export-json]").await;
    let file = browser.downloaded("review.json").await;
    let exported = read_json(&file);
    let fields = &exported["worksheets"]["review"]["fields"];
    assert_eq!(fields["what"], expected()["what"], "in the export");
    assert_eq!(fields["short"], json!(SCRIPT), "in the export");
    assert_eq!(
        fields["people"][0]["name"],
        expected()["cell"],
        "in the export"
    );
    assert_eq!(fields["causes"], json!(["2"]), "沟通, by position");

    clear_review(&s).await;
    import_review(&s, &file).await;
    assert_inert(&s, "after the import").await;
    assert_eq!(typed_values(&s).await, expected(), "after the import");
    assert!(s.is_checked(&option("causes", "2")).await);
    assert!(s.is_checked(&option("kind", "1")).await);

    // Markdown export escapes nothing into the page either.
    s.click("#ws-review [data-action=export-md]").await;
    let md = std::fs::read_to_string(browser.downloaded("review.md").await).unwrap();
    assert!(
        md.contains(SCRIPT),
        "the Markdown export keeps the text as typed:\n{md}"
    );
    assert_inert(&s, "after the Markdown export").await;

    // The search box shows what was typed as text too.
    s.press('/').await;
    s.wait_for("the search index", "return !!window.GUIDEBOOK_SEARCH")
        .await;
    s.type_text(&format!("{IMG}{SCRIPT} 复盘")).await;
    s.wait_for(
        "search results or a 'not found'",
        "return document.querySelector('#search-status').textContent.match(/找到|没有/)",
    )
    .await;
    assert_inert(&s, "after searching for markup").await;
    s.close().await;
}
