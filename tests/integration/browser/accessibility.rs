//! Accessibility: axe-core (tests/browser/node_modules, from npm) finds no WCAG 2.1 A/AA or
//! best-practice violation on the bundled guide's main kinds of page, in light and dark themes, and
//! with the search dialog open on results.

use std::path::PathBuf;

use serde_json::{Value, json};

use super::harness::{Browser, Session, Site, open_search, search, skip_or_fail};

/// axe-core from tests/browser/node_modules, installed there with `npm ci` on first use so that
/// `cargo test` alone sets the tests up (npm is only asked when the package is missing).
fn axe_source() -> Option<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let path = dir.join("node_modules/axe-core/axe.min.js");
    if !path.is_file() {
        static INSTALL: std::sync::Once = std::sync::Once::new();
        INSTALL.call_once(|| {
            let status = std::process::Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
                .current_dir(&dir)
                .status();
            if !matches!(status, Ok(s) if s.success()) {
                eprintln!("`npm ci` in {} failed: {status:?}", dir.display());
            }
        });
    }
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(_) => {
            skip_or_fail(
                &format!("axe-core is not installed at {}", path.display()),
                "Run `npm ci` in tests/browser (test-only, from npm).",
            );
            None
        }
    }
}

/// Runs axe on the current page and returns one line per violation.
async fn violations(s: &Session, axe: &str, page: &str) -> Vec<String> {
    s.js(&format!("{axe}\n;return true"), vec![]).await;
    let found = s
        .js(
            "return axe.run(document, { runOnly: { type: 'tag',\
               values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })\
             .then(r => r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,\
               targets: v.nodes.map(n => n.target.join(' ')) })))",
            vec![],
        )
        .await;
    let Value::Array(found) = found else {
        panic!("axe returned {found}");
    };
    found
        .iter()
        .map(|v| {
            format!(
                "  {page}: {} ({}): {}\n      at {}",
                v["id"].as_str().unwrap_or("?"),
                v["impact"].as_str().unwrap_or("?"),
                v["help"].as_str().unwrap_or("?"),
                v["targets"]
                    .as_array()
                    .map(|t| t
                        .iter()
                        .map(|x| x.as_str().unwrap_or("?"))
                        .collect::<Vec<_>>()
                        .join(", "))
                    .unwrap_or_default()
            )
        })
        .collect()
}

#[tokio::test]
async fn axe_finds_no_violations() {
    let Some(axe) = axe_source() else {
        return;
    };
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::guide();
    let s = browser.open(&site).await;
    let version = {
        s.goto("index.html").await;
        s.js(&format!("{axe}\n;return axe.version"), vec![]).await
    };

    // The check can fail: an image without alt text on the page is reported.
    s.js(
        "document.querySelector('main').append(Object.assign(document.createElement('img'), { src: 'data:,' }))",
        vec![],
    )
    .await;
    let planted = violations(&s, &axe, "index.html (planted)").await;
    assert!(
        planted.iter().any(|v| v.contains("image-alt")),
        "axe missed a planted image without alt text: {planted:?}"
    );

    let mut all = Vec::new();
    let mut checked = 0;
    for theme in ["light", "dark"] {
        for page in [
            "index.html",
            "part1/failure-is-an-event.html",
            "worksheets/relationship-map.html",
            "toolbox.html",
            "checklists/before-the-talk.html",
            "cases.html",
            "cases/blame-shifting-partner.html",
            "plan.html",
        ] {
            s.goto(page).await;
            s.js(
                "document.documentElement.dataset.theme = arguments[0]",
                vec![json!(theme)],
            )
            .await;
            all.extend(violations(&s, &axe, &format!("{page} ({theme})")).await);
            checked += 1;
        }
    }

    // A chapter with the search dialog open on results, and a worksheet row added.
    s.goto("part2/key-relationships.html").await;
    open_search(&s).await;
    let results = search(&s, "关系").await;
    assert!(results.len() >= 3, "the search shows results");
    all.extend(violations(&s, &axe, "part2/key-relationships.html (search open)").await);
    s.press(fantoccini::key::Key::Escape).await;
    s.goto("worksheets/relationship-map.html").await;
    s.click(".ws-row-add").await;
    all.extend(violations(&s, &axe, "worksheets/relationship-map.html (a row added)").await);
    // The same worksheet with its quadrant drawn.
    let row = ".field[data-field=people] tbody tr:first-child";
    s.type_into(&format!("{row} [data-col=name]"), "老王").await;
    s.select(&format!("{row} [data-col=warmth]"), "2").await;
    s.select(&format!("{row} [data-col=impact]"), "5").await;
    s.wait_for(
        "the chart",
        "return document.querySelectorAll('.ws-chart [data-row]').length === 1",
    )
    .await;
    all.extend(violations(&s, &axe, "worksheets/relationship-map.html (a chart drawn)").await);
    checked += 3;

    // A phone: the top bar's icons-only buttons, and rows shown as stacked cards.
    s.client.set_window_size(390, 844).await.unwrap();
    for page in [
        "part1/failure-is-an-event.html",
        "worksheets/relationship-map.html",
    ] {
        s.goto(page).await;
        all.extend(violations(&s, &axe, &format!("{page} (390 px wide)")).await);
        checked += 1;
    }

    eprintln!(
        "axe-core {}: {} violations on {checked} page states",
        version.as_str().unwrap_or("?"),
        all.len()
    );
    assert!(all.is_empty(), "axe found violations:\n{}", all.join("\n"));
    s.close().await;
}
