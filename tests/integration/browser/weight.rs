//! Page weight and privacy on the bundled guide: what every page loads at first (HTML + CSS + JS,
//! images aside) stays within budget, and nothing is requested from another host. Also: the
//! print styles hide the reading chrome.
//!
//! Budgets are on gzip-compressed bytes, what a reader downloads from any static host (GitHub
//! Pages, Netlify, S3 behind a CDN all compress), so the theme's source stays readable as served;
//! README.md ("Page weight") says why this rather than a minifier. Uncompressed sizes are printed.

use serde_json::{Value, json};

use super::harness::{Browser, Session, Site, open_search};

/// HTML + CSS + JS a page loads before the reader does anything, gzip-compressed (heaviest
/// chapter: 26 KB once the sidebar, worksheets and progress data loaded only where used).
const PAGE_BUDGET: u64 = 30 * 1024;
/// The theme's CSS + JS a page loads, gzip-compressed (about 12 KB, 14.5 KB with a worksheet).
const PAGE_THEME_BUDGET: u64 = 18 * 1024;
/// Every theme CSS + JS file a page may load, together (contract: docs/theme-contract.md).
const THEME_BUDGET: u64 = 24 * 1024;
/// Each script the theme loads only when a reader needs it (search, the plan), gzip-compressed.
const ON_DEMAND_BUDGET: u64 = 12 * 1024;
/// Theme files loaded only on demand: budgeted one by one, not in the page's theme code.
const ON_DEMAND: [&str; 3] = ["guidebook-search", "guidebook-plan", "cases"];
/// The plan's code and data as a page loads them (on plan.html, with the plan's own data).
const PLAN_BUDGET: u64 = 20 * 1024;

/// Gzip-compressed sizes (Chromium's CompressionStream) of the given URLs, in order.
async fn gzipped(s: &Session, urls: &[String]) -> Vec<u64> {
    let v = s
        .js(
            "const size = async url => {\
               const body = (await fetch(url)).body.pipeThrough(new CompressionStream('gzip'));\
               return (await new Response(body).arrayBuffer()).byteLength; };\
             return Promise.all(arguments[0].map(size))",
            vec![json!(urls)],
        )
        .await;
    v.as_array()
        .expect("sizes")
        .iter()
        .map(|n| n.as_u64().expect("a size"))
        .collect()
}

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

/// A page's path in its language's site: `en/cases.html` is `cases.html` of the English edition.
fn in_its_language(page: &str) -> &str {
    page.strip_prefix("en/").unwrap_or(page)
}

/// Every built HTML page but each language's `print.html`, the whole book on one page for printing.
fn reading_pages(site: &Site) -> Vec<String> {
    let mut pages: Vec<String> = walkdir::WalkDir::new(&site.out)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e.path().strip_prefix(&site.out).unwrap();
            rel.to_string_lossy().replace('\\', "/")
        })
        .filter(|p| in_its_language(p) != "print.html")
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
        let code_urls: Vec<String> = resources
            .iter()
            .filter_map(|r| r["url"].as_str())
            .filter(|u| is_code(u))
            .map(String::from)
            .collect();
        let raw_code: u64 = resources
            .iter()
            .filter(|r| is_code(r["url"].as_str().unwrap_or("")))
            .map(|r| r["size"].as_u64().unwrap_or(0))
            .sum();
        let raw_html = l["html"].as_u64().unwrap_or(0);
        // The plan script (charts, calendar export) loads only on pages with a chart or a date,
        // and is budgeted on its own (PLAN_BUDGET), apart from the code every page shares.
        let (plan_urls, code_urls): (Vec<String>, Vec<String>) =
            code_urls.into_iter().partition(|u| is_plan(u));
        let mut urls = vec![l["url"].as_str().unwrap().to_string()];
        urls.extend(code_urls);
        let sizes = gzipped(&s, &urls).await;
        let html = sizes[0];
        let code: u64 = sizes[1..].iter().sum();
        let total = html + code;
        let plan: u64 = gzipped(&s, &plan_urls).await.iter().sum();
        assert!(
            plan <= PLAN_BUDGET,
            "{page}: the plan script and data are {plan} gzip bytes"
        );
        rows.push(format!(
            "  {page:<40} gzip: html {html:>6}  css+js {code:>6}  total {total:>6}  + plan {plan:>5}   (uncompressed, all {:>6})",
            raw_html + raw_code
        ));
        if total > PAGE_BUDGET || code > PAGE_THEME_BUDGET {
            over.push(format!(
                "  {page}: html {html} + css/js {code} = {total} gzip bytes"
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
        "page weight at load (gzip-compressed, images aside), {} pages:\n{}\n  heaviest: {} bytes ({}); CSS+JS loaded at first: at most {} bytes",
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

    // The theme's own code as built, everything it may load on a page (the manifest and search
    // index are the book's data, not the theme's).
    let names: Vec<String> = std::fs::read_dir(site.out.join("assets"))
        .expect("the built assets")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| is_code(n) && !n.starts_with("book-") && !n.starts_with("search-"))
        .filter(|n| !n.starts_with("data") && !n.starts_with("plan-data"))
        .collect();
    let (on_demand, every_page): (Vec<String>, Vec<String>) = names
        .into_iter()
        .partition(|n| ON_DEMAND.iter().any(|m| n.starts_with(m)));
    for (name, size) in on_demand.iter().zip(
        gzipped(
            &s,
            &on_demand
                .iter()
                .map(|n| site.url(&format!("assets/{n}")))
                .collect::<Vec<_>>(),
        )
        .await,
    ) {
        eprintln!("  {name}, loaded on demand, gzip: {size} bytes");
        assert!(
            size <= ON_DEMAND_BUDGET,
            "{name} is {size} gzip bytes, over {ON_DEMAND_BUDGET}"
        );
    }
    let theme_urls: Vec<String> = every_page
        .iter()
        .map(|n| site.url(&format!("assets/{n}")))
        .collect();
    assert!(theme_urls.len() >= 2, "theme assets: {theme_urls:?}");
    let theme: u64 = gzipped(&s, &theme_urls).await.iter().sum();
    eprintln!("  theme CSS + JS, every file, gzip: {theme} bytes");
    assert!(
        theme <= THEME_BUDGET,
        "the theme's CSS and JS come to {theme} gzip bytes, over {THEME_BUDGET}"
    );

    assert!(
        over.is_empty(),
        "pages over budget (page {PAGE_BUDGET} gzip bytes, theme CSS+JS {PAGE_THEME_BUDGET} gzip bytes):\n{}",
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
