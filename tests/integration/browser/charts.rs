//! The relationship map's chart as a reader sees it: on a phone it takes the screen's width and
//! its text stays legible; at any width every label keeps clear of the chart's edges and no text
//! runs into another or into a mark, in either edition.

use serde_json::{Value, json};

use super::harness::{Browser, Session, Site};

const PHONE: (u32, u32) = (390, 844);
const DESKTOP: (u32, u32) = (1366, 900);

/// Rows of the bundled relationship map: one in each corner of the chart, and one in the middle.
const CORNER_ROWS: &str = "[\
    { name: '王经理', kind: '高影响', warmth: '1', impact: '5' },\
    { name: '周总', kind: '高影响兼高情感', warmth: '5', impact: '5' },\
    { name: '老同学', kind: '一般', warmth: '1', impact: '1' },\
    { name: '小李', kind: '高情感', warmth: '5', impact: '1' },\
    { name: '陈姐', kind: '一般', warmth: '3', impact: '3' } ]";

/// Saves `rows` (a JavaScript array literal) as the reader's answers to the relationship map.
pub async fn save_relationship_map(s: &Session, rows: &str) {
    s.js(
        &format!(
            "localStorage.setItem('guidebook:setback-guide:ws:relationship-map', JSON.stringify({{\
               v: 1, updated: new Date().toISOString(), fields: {{ people: {rows} }} }}))"
        ),
        vec![],
    )
    .await;
}

/// Where the first chart on the page and its parts are drawn, in CSS pixels: the SVG box, the
/// size of its text, and the box of every text, dot and the plotting area.
async fn chart_layout(s: &Session) -> Value {
    s.js(
        "const chart = document.querySelector('.ws-chart svg.chart');\
         const box = chart.getBoundingClientRect();\
         const rect = e => { const r = e.getBoundingClientRect();\
           return { left: r.left - box.left, top: r.top - box.top, right: r.right - box.left,\
                    bottom: r.bottom - box.top, text: e.textContent }; };\
         const all = css => [...chart.querySelectorAll(css)].map(rect);\
         const fontPx = parseFloat(getComputedStyle(chart.querySelector('.chart-label')).fontSize)\
           * box.width / chart.viewBox.baseVal.width;\
         return { width: box.width, height: box.height, fontPx,\
                  viewport: document.documentElement.clientWidth,\
                  area: rect(chart.querySelector('.chart-area')),\
                  texts: all('text'), labels: all('.chart-label'), dots: all('.chart-dot'),\
                  quadrants: all('.chart-quadrant') }",
        vec![],
    )
    .await
}

fn edges(r: &Value) -> [f64; 4] {
    ["left", "top", "right", "bottom"].map(|k| r[k].as_f64().expect("a number"))
}

/// How far `inner` stays inside `outer` at its closest side (negative when it sticks out).
fn room_inside(inner: &Value, outer: &Value) -> f64 {
    let [l, t, r, b] = edges(inner);
    let [ol, ot, or, ob] = edges(outer);
    (l - ol).min(t - ot).min(or - r).min(ob - b)
}

fn overlap(a: &Value, b: &Value) -> bool {
    let [al, at, ar, ab] = edges(a);
    let [bl, bt, br, bb] = edges(b);
    al < br && bl < ar && at < bb && bt < ab
}

/// Checks the chart's edges and that its texts and dots stand apart.
fn assert_labels_clear(layout: &Value, size: &str) {
    let svg =
        json!({ "left": 0.0, "top": 0.0, "right": layout["width"], "bottom": layout["height"] });
    for text in layout["texts"].as_array().unwrap() {
        let room = room_inside(text, &svg);
        assert!(
            room >= 4.0,
            "{size}: {text} is {room:.1} px from the chart's edge"
        );
    }
    // Marks on the highest and lowest values stay inside the plotting area, off its border.
    for mark in ["labels", "dots"] {
        for m in layout[mark].as_array().unwrap() {
            let room = room_inside(m, &layout["area"]);
            assert!(
                room >= 2.0,
                "{size}: {m} is {room:.1} px inside the plotting area"
            );
        }
    }
    assert_eq!(
        layout["quadrants"].as_array().unwrap().len(),
        4,
        "{size}: {layout}"
    );
    // Nothing written runs into anything else written, or into a dot: the marks stand apart.
    let texts = layout["texts"].as_array().unwrap();
    for (i, text) in texts.iter().enumerate() {
        for other in texts[i + 1..]
            .iter()
            .chain(layout["dots"].as_array().unwrap())
        {
            assert!(!overlap(text, other), "{size}: {text} runs into {other}");
        }
    }
}

#[tokio::test]
async fn the_relationship_map_fills_a_phone_and_keeps_its_labels_off_the_edges() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::guide();
    let s = browser.open(&site).await;
    s.goto("index.html").await;
    save_relationship_map(&s, CORNER_ROWS).await;
    // Both editions: the English one's axis titles and quadrant names are the longer. The first
    // page at each size loads at the size before and is drawn again on the resize; the second
    // loads at the new size.
    let pages = [
        "worksheets/relationship-map.html",
        "en/worksheets/relationship-map.html",
    ];
    for ((width, height), page) in [DESKTOP, PHONE]
        .into_iter()
        .flat_map(|size| pages.map(|p| (size, p)))
    {
        let size = format!("{page} at {width}×{height}");
        s.goto(page).await;
        s.set_viewport(width, height).await;
        // The theme draws a chart at the width it is shown at, up to 560 units.
        s.wait_for(
            "the chart's five marks, drawn for this width",
            "const chart = document.querySelector('.ws-chart svg.chart');\
             const shown = Math.round(chart.getBoundingClientRect().width);\
             return chart.querySelectorAll('[data-row]').length === 5\
               && chart.viewBox.baseVal.width === Math.min(560, shown)",
        )
        .await;
        let layout = chart_layout(&s).await;
        eprintln!(
            "{size}: chart {:.0}×{:.0} px, text {:.1} px",
            layout["width"].as_f64().unwrap(),
            layout["height"].as_f64().unwrap(),
            layout["fontPx"].as_f64().unwrap()
        );
        assert_labels_clear(&layout, &size);
        let font = layout["fontPx"].as_f64().unwrap();
        assert!(font >= 12.0, "{size}: the chart's text is {font:.1} px");
        if (width, height) == PHONE {
            let (chart, viewport) = (
                layout["width"].as_f64().unwrap(),
                layout["viewport"].as_f64().unwrap(),
            );
            assert!(
                chart >= viewport - 40.0,
                "on a phone the chart is {chart:.0} px wide in a {viewport:.0} px page"
            );
        }
    }
    s.close().await;
}
