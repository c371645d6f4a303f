//! Search on the bundled guide: every query in tests/search-queries.tsv, typed into the search
//! dialog opened with "/", must list its expected page among the first three results.

use serde_json::{Value, json};

use super::harness::{Browser, Session, Site, open_search, search};

/// `(query, expected page)` pairs from the TSV file; `#` lines are comments.
fn queries() -> Vec<(String, String)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/search-queries.tsv");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| match l.split_once('\t') {
            Some((q, page)) => (q.to_string(), page.trim().to_string()),
            None => panic!("{path}:{}: expected `query<TAB>page`, found {l:?}", i + 1),
        })
        .collect()
}

#[tokio::test]
async fn search_finds_each_topic_in_the_top_three() {
    let queries = queries();
    assert!(
        queries.len() >= 30,
        "the query file has only {} queries",
        queries.len()
    );
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::guide();
    let s = browser.open(&site).await;
    s.goto("part1/failure-is-an-event.html").await;
    open_search(&s).await;

    let mut failures = Vec::new();
    for (query, page) in &queries {
        let results = search(&s, query).await;
        if !results.iter().take(3).any(|p| p == page) {
            let top: Vec<_> = results.iter().take(5).collect();
            failures.push(format!(
                "  {query:<12} expected {page}, top results: {top:?}"
            ));
        }
    }
    let found = queries.len() - failures.len();
    eprintln!(
        "search: {found} of {} queries list their page in the top 3",
        queries.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} queries missed their page in the top 3:\n{}",
        failures.len(),
        queries.len(),
        failures.join("\n")
    );

    // Enter opens the first result.
    let first = search(&s, "反思窗口").await;
    s.press(fantoccini::key::Key::Enter).await;
    s.wait_for(
        "Enter to open the first result",
        &format!(
            "return decodeURI(location.pathname) === {} && document.readyState === 'complete'",
            json!(format!("/{}", first[0]))
        ),
    )
    .await;
    s.close().await;
}

/// The texts of the shown results' titles and highlighted words.
async fn shown(s: &Session) -> Value {
    s.js(
        "return [...document.querySelectorAll('#search-results a[role=option]')].map(a => ({\
           href: decodeURI(new URL(a.href).pathname + new URL(a.href).hash).slice(1),\
           marks: [...a.querySelectorAll('mark')].map(m => m.textContent)}))",
        vec![],
    )
    .await
}

#[tokio::test]
async fn case_cards_the_bibliography_synonyms_and_the_empty_state() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::guide();
    let s = browser.open(&site).await;
    s.goto("index.html").await;
    open_search(&s).await;

    // A case is its own result, linking to its own page.
    let results = search(&s, "合作关系破裂").await;
    assert_eq!(
        results.first().map(String::as_str),
        Some("cases/blame-shifting-partner.html"),
        "{results:?}"
    );
    let first = &shown(&s).await[0];
    assert_eq!(first["href"], "cases/blame-shifting-partner.html");

    // The bibliography cites the same names as the chapters, and ranks below them.
    for (query, chapter) in [
        ("Heider", "part1/failure-is-an-event.html"),
        ("Williams", "part1/do-not-withdraw.html"),
    ] {
        let results = search(&s, query).await;
        let references = results.iter().position(|p| p == "references.html");
        assert_eq!(
            results.first().map(String::as_str),
            Some(chapter),
            "{results:?}"
        );
        assert!(references.is_some_and(|i| i > 0), "{query}: {results:?}");
    }

    // "follow up" is not in the book; its synonym 跟进 is.
    let results = search(&s, "follow up").await;
    assert!(!results.is_empty(), "the synonym finds results");
    let marks: Vec<String> = shown(&s).await[0]["marks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap().to_string())
        .collect();
    assert!(marks.iter().any(|m| m == "跟进"), "{marks:?}");

    // Nothing found: close terms to try, and the toolbox.
    assert!(search(&s, "Heidr").await.is_empty());
    assert_eq!(s.text("#search-status").await, "没有找到");
    assert_eq!(s.text(".search-suggestion").await, "heider");
    assert_eq!(
        s.attr(".search-toolbox", "href").await.as_deref(),
        Some("toolbox.html")
    );
    s.click(".search-suggestion").await;
    s.wait_for(
        "the suggestion to search for itself",
        "return document.querySelector('#search-input').value === 'heider'\
         && document.querySelectorAll('#search-results a[role=option]').length > 0",
    )
    .await;
    s.close().await;
}

#[tokio::test]
async fn a_query_loads_only_the_shards_of_its_terms() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::guide();
    let s = browser.open(&site).await;
    s.goto("index.html").await;
    open_search(&s).await;
    assert!(!search(&s, "反思窗口").await.is_empty());
    // Which shards hold the query's character pairs, found here by a plain scan of the shards'
    // first terms, against the shard scripts the page holds.
    let check = s
        .js(
            "const starts = window.GUIDEBOOK_SEARCH.shards;\
             const shardOf = t => { let i = 0; starts.forEach((s, j) => { if (s <= t) i = j; }); return i; };\
             const want = [...new Set(['反思', '思窗', '窗口'].map(shardOf))].sort((a, b) => a - b);\
             const files = [...document.querySelectorAll('script[data-search-file]')].map(s => s.dataset.searchFile);\
             const shards = files.filter(f => f[0] === 't').map(f => +f.slice(1)).sort((a, b) => a - b);\
             return { want, shards, total: starts.length, fragments: files.filter(f => f[0] === 'f').length }",
            vec![],
        )
        .await;
    assert_eq!(check["shards"], check["want"], "{check}");
    assert!(
        check["total"].as_u64().unwrap() > 3 * check["want"].as_array().unwrap().len() as u64,
        "the index has many more shards than the query loads: {check}"
    );
    assert!(check["fragments"].as_u64().unwrap() >= 1, "{check}");
    s.close().await;
}

#[tokio::test]
async fn search_works_from_file_urls() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::guide();
    let s = browser.open(&site).await;
    let page = site.out.join("part1/failure-is-an-event.html");
    s.client
        .goto(&format!("file://{}", page.display()))
        .await
        .expect("opening the page from disk");
    open_search(&s).await;
    let results = search(&s, "合作关系破裂").await;
    assert!(
        results
            .iter()
            .any(|p| p.ends_with("cases/blame-shifting-partner.html")),
        "{results:?}"
    );
    s.close().await;
}
