//! Screenshots for a person to look at: the landing page, a chapter, a worksheet (with two rows
//! filled in, in both editions) and the case library, at 1366×900 and 390×844, light and dark,
//! each as the first screen and as the whole page, plus each worksheet's chart on its own, written
//! to target/screenshots/. Run by `scripts/screenshots` (ignored in the ordinary test run: it
//! asserts nothing a person does not then look at).

use std::path::PathBuf;

use serde_json::json;

use super::charts::save_relationship_map;
use super::harness::{Browser, Session, Site};

const PAGES: [(&str, &str); 5] = [
    ("landing", "index.html"),
    ("chapter", "part1/failure-is-an-event.html"),
    ("worksheet", "worksheets/relationship-map.html"),
    ("worksheet-en", "en/worksheets/relationship-map.html"),
    ("cases", "cases.html"),
];
const SIZES: [(u32, u32); 2] = [(1366, 900), (390, 844)];
/// Chromium cannot capture a taller page in one image.
const TALLEST: u32 = 16_000;

fn out_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("screenshots")
}

/// Two rows of the relationship map, so that its cards and chart show.
const TWO_ROWS: &str = "[\
    { name: '王经理', kind: '高影响', role: '直属上级', warmth: '2', impact: '5',\
      priority: '最先处理', next: '约一次当面复盘，先讲我学到了什么', by: '2026-12-08' },\
    { name: '小李', kind: '高情感', role: '同组同事', warmth: '4', impact: '2',\
      priority: '日常维系', next: '午饭时问问他的项目', by: '2026-12-15' } ]";

async fn save(s: &Session, name: &str) {
    let png = s.client.screenshot().await.expect("a screenshot");
    write_png(name, &png);
}

/// The first chart on the page on its own, at the page's size: small enough to read in a viewer
/// that shrinks a whole-page image.
async fn save_chart(s: &Session, name: &str) {
    let Some(chart) = s.find_all("figure.ws-chart").await.into_iter().next() else {
        return;
    };
    s.js(
        "arguments[0].scrollIntoView({ block: 'center' })",
        vec![serde_json::to_value(&chart).expect("an element as JSON")],
    )
    .await;
    let png = chart.screenshot().await.expect("a screenshot of the chart");
    write_png(name, &png);
}

fn write_png(name: &str, png: &[u8]) {
    let path = out_dir().join(format!("{name}.png"));
    std::fs::write(&path, png).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    eprintln!("  {}", path.display());
}

#[tokio::test]
#[ignore = "writes screenshots for a person to look at; run scripts/screenshots"]
async fn screenshots() {
    let Some(browser) = Browser::start() else {
        return;
    };
    std::fs::create_dir_all(out_dir()).expect("the screenshots folder");
    let site = Site::guide();
    let s = browser.open(&site).await;
    s.goto("index.html").await;
    save_relationship_map(&s, TWO_ROWS).await;
    for theme in ["light", "dark"] {
        s.js(
            "localStorage.setItem('guidebook:theme', arguments[0])",
            vec![json!(theme)],
        )
        .await;
        for (width, height) in SIZES {
            for (name, page) in PAGES {
                s.goto(page).await;
                s.set_viewport(width, height).await;
                let shot = format!("{name}-{width}x{height}-{theme}");
                save(&s, &shot).await;
                save_chart(&s, &format!("{name}-chart-{width}x{height}-{theme}")).await;
                let full = s
                    .js("return document.documentElement.scrollHeight", vec![])
                    .await
                    .as_u64()
                    .expect("a height") as u32;
                s.set_viewport(width, full.clamp(height, TALLEST)).await;
                save(&s, &format!("{shot}-full")).await;
            }
        }
    }
    s.close().await;
}
