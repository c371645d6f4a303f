//! Screenshots for a person to look at: the landing page, a chapter, a worksheet (with two rows
//! filled in) and the case library, at 1366×900 and 390×844, light and dark, each as the first
//! screen and as the whole page, written to target/screenshots/. Run by `scripts/screenshots`
//! (ignored in the ordinary test run: it asserts nothing a person does not then look at).

use std::path::PathBuf;

use serde_json::json;

use super::harness::{Browser, Session, Site};

const PAGES: [(&str, &str); 4] = [
    ("landing", "index.html"),
    ("chapter", "part1/failure-is-an-event.html"),
    ("worksheet", "worksheets/relationship-map.html"),
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
async fn fill_relationship_map(s: &Session) {
    s.js(
        "localStorage.setItem('guidebook:setback-guide:ws:relationship-map', JSON.stringify({\
           v: 1, updated: new Date().toISOString(), fields: { people: [\
             { name: '王经理', kind: '高影响', role: '直属上级', warmth: '2', impact: '5',\
               priority: '最先处理', next: '约一次当面复盘，先讲我学到了什么', by: '2026-12-08' },\
             { name: '小李', kind: '高情感', role: '同组同事', warmth: '4', impact: '2',\
               priority: '日常维系', next: '午饭时问问他的项目', by: '2026-12-15' } ] } }))",
        vec![],
    )
    .await;
}

/// Sizes the window so that the page itself (the viewport) is `width`×`height`: the window's
/// size includes the browser's own frame, even when headless.
async fn set_viewport(s: &Session, width: u32, height: u32) {
    s.client.set_window_size(width, height).await.unwrap();
    let inner = s.js("return [innerWidth, innerHeight]", vec![]).await;
    let (w, h): (u32, u32) = serde_json::from_value(inner).expect("two numbers");
    s.client
        .set_window_size(2 * width - w, 2 * height - h)
        .await
        .unwrap();
}

async fn save(s: &Session, name: &str) {
    let png = s.client.screenshot().await.expect("a screenshot");
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
    fill_relationship_map(&s).await;
    for theme in ["light", "dark"] {
        s.js(
            "localStorage.setItem('guidebook:theme', arguments[0])",
            vec![json!(theme)],
        )
        .await;
        for (width, height) in SIZES {
            for (name, page) in PAGES {
                s.goto(page).await;
                set_viewport(&s, width, height).await;
                let shot = format!("{name}-{width}x{height}-{theme}");
                save(&s, &shot).await;
                let full = s
                    .js("return document.documentElement.scrollHeight", vec![])
                    .await
                    .as_u64()
                    .expect("a height") as u32;
                set_viewport(&s, width, full.clamp(height, TALLEST)).await;
                save(&s, &format!("{shot}-full")).await;
            }
        }
    }
    s.close().await;
}
