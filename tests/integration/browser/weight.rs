//! Page weight and privacy on the bundled guide: what every page loads at first (HTML + CSS + JS,
//! uncompressed, images aside) stays within budget, and nothing is requested from another host.
//! Also: the print styles hide the reading chrome.

use serde_json::{Value, json};

use super::harness::{Browser, Session, Site};
use super::search::open_search;

/// HTML + CSS + JS a page loads before the reader does anything.
const PAGE_BUDGET: u64 = 60 * 1024;
/// The theme's CSS + JS on a page (contract: docs/theme-contract.md).
const THEME_BUDGET: u64 = 40 * 1024;
/// The plan script and its styles (charts, plan.html, calendar), on the pages that show a chart or
/// a date only, counted apart from the theme budget every page shares.
const PLAN_BUDGET: u64 = 36 * 1024;
/// The plan's code as a page loads it: on plan.html, with the plan's own data (`plan-data.js`).
const PLAN_PAGE_BUDGET: u64 = 52 * 1024;

/// What the Performance API says a page loaded: the document, and each resource with its size.
async fn loaded(s: &Session) -> Value {
    // Wait for the load event to end so that every resource entry is in.
    s.wait_for(
        "the load event to finish",
        "const n = performance.getEntriesByType('navigation')[0]; return n && n.loadEventEnd > 0",
    )
    .await;
    s.js(
        "const n = performance.getEntriesByType('navigation')[0];\
         return { html: n.decodedBodySize, url: n.name,\
           resources: performance.getEntriesByType('resource').map(r => ({\
             url: r.name, type: r.initiatorType, size: r.decodedBodySize })) }",
        vec![],
    )
    .await
}

/// Every built HTML page but `print.html`, the whole book on one page for printing.
fn reading_pages(site: &Site) -> Vec<String> {
    let mut pages: Vec<String> = walkdir::WalkDir::new(&site.out)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e.path().strip_prefix(&site.out).unwrap();
            rel.to_string_lossy().replace('\\', "/")
        })
        .filter(|p| p != "print.html")
        .collect();
    pages.sort();
    pages
}

fn is_plan(url: &str) -> bool {
    url.rsplit('/')
        .next()
        .is_some_and(|f| f.starts_with("guidebook-plan") || f.starts_with("plan-data"))
}

fn is_code(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    path.ends_with(".js") || path.ends_with(".css")
}

fn foreign(resources: &Value) -> Vec<String> {
    resources
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["url"].as_str().unwrap_or("").to_string())
        .filter(|u| !u.starts_with("http://127.0.0.1:"))
        .collect()
}

#[tokio::test]
async fn every_page_stays_within_budget_and_on_this_host() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::guide();
    let s = browser.open(&site).await;
    let pages = reading_pages(&site);
    assert!(pages.len() > 30, "the guide has only {} pages", pages.len());

    let mut over = Vec::new();
    let mut rows = Vec::new();
    let (mut heaviest, mut heaviest_theme) = ((0, String::new()), 0);
    for page in &pages {
        s.goto(page).await;
        let l = loaded(&s).await;
        let resources = l["resources"].as_array().unwrap();
        let size_of = |plan: bool| -> u64 {
            resources
                .iter()
                .map(|r| {
                    (
                        r["url"].as_str().unwrap_or(""),
                        r["size"].as_u64().unwrap_or(0),
                    )
                })
                .filter(|(url, _)| is_code(url) && is_plan(url) == plan)
                .map(|(_, size)| size)
                .sum()
        };
        let (code, plan_code) = (size_of(false), size_of(true));
        let html = l["html"].as_u64().unwrap_or(0);
        // The page budget covers the HTML and the theme code every page shares; the plan's code
        // has its own budget (PLAN_PAGE_BUDGET) and is shown in the table apart.
        let total = html + code;
        rows.push(format!(
            "  {page:<40} html {html:>6}  css+js {code:>6}  plan {plan_code:>6}  total {total:>6}"
        ));
        if total > PAGE_BUDGET || code > THEME_BUDGET || plan_code > PLAN_PAGE_BUDGET {
            over.push(format!(
                "  {page}: html {html} + css/js {code} = {total} bytes, plan css/js {plan_code}"
            ));
        }
        if total > heaviest.0 {
            heaviest = (total, page.clone());
        }
        heaviest_theme = heaviest_theme.max(code);
        let elsewhere = foreign(&l["resources"]);
        assert!(
            elsewhere.is_empty(),
            "{page} loads from other hosts: {elsewhere:?}"
        );
    }
    eprintln!(
        "page weight at load (uncompressed, images aside), {} pages:\n{}\n  heaviest: {} bytes ({}); CSS+JS loaded at first: at most {} bytes",
        pages.len(),
        rows.join("\n"),
        heaviest.0,
        heaviest.1,
        heaviest_theme
    );

    // Opening search loads its code and the index, still from this host only.
    s.goto("part1/failure-is-an-event.html").await;
    let at_first = loaded(&s).await["resources"].as_array().unwrap().len();
    open_search(&s).await;
    let l = loaded(&s).await;
    let elsewhere = foreign(&l["resources"]);
    assert!(
        elsewhere.is_empty(),
        "search loads from other hosts: {elsewhere:?}"
    );
    let later: Vec<String> = l["resources"].as_array().unwrap()[at_first..]
        .iter()
        .map(|r| {
            format!(
                "{} ({} bytes)",
                r["url"]
                    .as_str()
                    .unwrap_or("?")
                    .rsplit('/')
                    .next()
                    .unwrap_or("?"),
                r["size"]
            )
        })
        .collect();
    eprintln!("  opening search loads: {}", later.join(", "));

    // The theme's own code, everything it may load on a page (the manifest and search index are
    // the book's data, not the theme's).
    let theme_dir = site.root.join("themes/default/static");
    let size_of = |plan: bool| -> u64 {
        std::fs::read_dir(&theme_dir)
            .unwrap_or_else(|e| panic!("reading {}: {e}", theme_dir.display()))
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| is_code(name) && is_plan(name) == plan)
            .map(|name| theme_dir.join(name).metadata().unwrap().len())
            .sum()
    };
    let (theme, plan) = (size_of(false), size_of(true));
    eprintln!("  theme CSS + JS, every file: {theme} bytes, and the plan's: {plan} bytes");
    assert!(
        plan <= PLAN_BUDGET,
        "the plan's CSS and JS come to {plan} bytes, over {PLAN_BUDGET}"
    );
    assert!(
        theme <= THEME_BUDGET,
        "the theme's CSS and JS come to {theme} bytes, over {THEME_BUDGET}"
    );

    assert!(
        over.is_empty(),
        "pages over budget (page {PAGE_BUDGET} bytes, theme CSS+JS {THEME_BUDGET} bytes):\n{}",
        over.join("\n")
    );
    s.close().await;
}

#[tokio::test]
async fn print_styles_hide_the_reading_chrome() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::fixture("basic");
    let s = browser.open(&site).await;
    s.goto("part1/one.html").await;
    // For each element, whether a rule inside `@media print` sets `display: none` on it.
    let hidden = s
        .js(
            "const rules = [];\
             const walk = list => { for (const r of list) {\
               if (r instanceof CSSMediaRule && r.media.mediaText.includes('print')) rules.push(...r.cssRules);\
               else if (r.cssRules) walk(r.cssRules); } };\
             for (const sheet of document.styleSheets) walk(sheet.cssRules);\
             const hides = sel => { const e = document.querySelector(sel);\
               return !!e && rules.some(r => r.style && r.style.display === 'none' && e.matches(r.selectorText)); };\
             return Object.fromEntries(arguments[0].map(sel => [sel, hides(sel)]));",
            vec![json!([
                "#sidebar",
                ".topbar",
                "#search-dialog",
                ".ws-toolbar",
                ".checklist-bar",
                ".prev-next",
                ".mark-read"
            ])],
        )
        .await;
    let shown: Vec<_> = hidden
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, v)| **v != json!(true))
        .map(|(k, _)| k.clone())
        .collect();
    assert!(shown.is_empty(), "@media print does not hide {shown:?}");
    // The worksheet itself still prints.
    let form_hidden = s
        .js(
            "return [...document.styleSheets].some(s => [...s.cssRules].some(r =>\
               r instanceof CSSMediaRule && r.media.mediaText.includes('print') &&\
               [...r.cssRules].some(x => x.style && x.style.display === 'none'\
                 && document.querySelector('#ws-review').matches(x.selectorText))))",
            vec![],
        )
        .await;
    assert_eq!(form_hidden, json!(false), "print styles hide the worksheet");
    s.close().await;
}
