//! Finding one's way: the sidebar marks the current page (also for paths with spaces and Chinese),
//! opens as a drawer on narrow screens and closes with Escape, the theme choice is remembered, and
//! the top bar's buttons have icons, labels and the search shortcut; the site has a favicon.

use fantoccini::key::Key;
use serde_json::json;

use super::harness::{Browser, Site, follow_sidebar_link};

#[tokio::test]
async fn sidebar_marks_the_current_page_and_works_as_a_drawer() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::fixture("basic");
    let s = browser.open(&site).await;

    // A page whose path has a space and Chinese characters, reached through the sidebar.
    s.goto("part1/one.html").await;
    let current = follow_sidebar_link(&s, "part1/第二 章.html").await;
    assert_eq!(current, json!(["part1/第二 章.html"]));

    // Wide: the toggle hides the sidebar and the choice is remembered.
    assert_eq!(
        s.attr("#sidebar-toggle", "aria-expanded").await.as_deref(),
        Some("true")
    );
    s.click("#sidebar-toggle").await;
    assert!(!s.find("#sidebar").await.is_displayed().await.unwrap());
    s.reload().await;
    assert!(!s.find("#sidebar").await.is_displayed().await.unwrap());
    assert_eq!(
        s.attr("#sidebar-toggle", "aria-expanded").await.as_deref(),
        Some("false")
    );
    s.click("#sidebar-toggle").await;
    assert!(s.find("#sidebar").await.is_displayed().await.unwrap());

    // Narrow: a drawer that takes the focus and gives it back on Escape.
    s.client.set_window_size(420, 800).await.unwrap();
    s.goto("part1/one.html").await;
    let toggle = s.find("#sidebar-toggle").await;
    assert_eq!(
        toggle.attr("aria-expanded").await.unwrap().as_deref(),
        Some("false")
    );
    assert!(!s.find("#sidebar").await.is_displayed().await.unwrap());
    s.click_el(&toggle).await;
    assert_eq!(
        toggle.attr("aria-expanded").await.unwrap().as_deref(),
        Some("true")
    );
    s.wait_for(
        "the drawer to take the focus",
        "return document.activeElement.closest('#sidebar') !== null",
    )
    .await;
    assert_eq!(
        s.js("return document.activeElement.dataset.path", vec![])
            .await,
        json!("part1/one.html"),
        "the focus lands on the current page's link"
    );
    // Behind the drawer nothing takes the focus: the page and the other top-bar controls are inert.
    let inert = "return [...document.querySelectorAll('#content, .topbar > :not(#sidebar-toggle)')].map(e => e.inert)";
    assert_eq!(s.js(inert, vec![]).await, json!([true, true, true, true]));
    s.press(Key::Escape).await;
    assert_eq!(
        toggle.attr("aria-expanded").await.unwrap().as_deref(),
        Some("false")
    );
    assert_eq!(
        s.js("return document.activeElement.id", vec![]).await,
        json!("sidebar-toggle")
    );
    assert_eq!(
        s.js(inert, vec![]).await,
        json!([false, false, false, false])
    );
    s.close().await;
}

#[tokio::test]
async fn the_theme_choice_is_remembered() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::fixture("basic");
    let s = browser.open(&site).await;
    s.goto("part1/one.html").await;
    let theme = "return [document.documentElement.dataset.theme || '',\
                  document.querySelector('#theme-toggle').getAttribute('aria-pressed'),\
                  getComputedStyle(document.body).backgroundColor]";
    // The icon and the tooltip say which mode a click gives; the name stays, the state is pressed.
    let toggle = "const b = document.querySelector('#theme-toggle');\
                  const shown = c => getComputedStyle(b.querySelector(c)).display !== 'none';\
                  return [b.getAttribute('aria-pressed'), b.title, shown('.icon-moon'), shown('.icon-sun'),\
                    b.textContent.trim()]";
    let light = s.js(theme, vec![]).await;
    assert_eq!(light[1], json!("false"), "{light}");
    assert_eq!(
        s.js(toggle, vec![]).await,
        json!(["false", "切换到深色", true, false, "深色"])
    );

    s.click("#theme-toggle").await;
    let dark = s.js(theme, vec![]).await;
    assert_eq!(dark[0], json!("dark"));
    assert_eq!(dark[1], json!("true"));
    assert_ne!(dark[2], light[2], "the background changes");
    assert_eq!(
        s.js(toggle, vec![]).await,
        json!(["true", "切换到浅色", false, true, "深色"])
    );
    assert_eq!(
        s.js("return localStorage.getItem('guidebook:theme')", vec![])
            .await,
        json!("dark")
    );

    // Another page starts dark (the inline script sets it before the page paints).
    s.goto("index.html").await;
    assert_eq!(s.js(theme, vec![]).await, dark);
    s.click("#theme-toggle").await;
    s.reload().await;
    assert_eq!(s.js(theme, vec![]).await[0], json!("light"));
    s.close().await;
}

#[tokio::test]
async fn without_javascript_the_top_bar_shows_no_dead_buttons() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::fixture("basic");
    let s = browser
        .open_with_prefs(
            &site,
            json!({"profile.managed_default_content_settings.javascript": 2}),
        )
        .await;
    s.goto("part1/one.html").await;
    for button in ["#sidebar-toggle", "#search-toggle", "#theme-toggle"] {
        assert!(
            !s.find(button).await.is_displayed().await.unwrap(),
            "{button} shows without JavaScript"
        );
    }
    assert!(s.find(".book-title").await.is_displayed().await.unwrap());
    // The page's own scripts did not run (WebDriver's still do): the class they set is missing.
    assert_eq!(
        s.js(
            "return document.documentElement.classList.contains('js')",
            vec![]
        )
        .await,
        json!(false)
    );
    s.close().await;
}

#[tokio::test]
async fn the_top_bar_has_icons_with_labels_the_shortcut_and_a_favicon() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::fixture("basic");
    let s = browser.open(&site).await;
    s.goto("part1/one.html").await;
    let bar = "return [...document.querySelectorAll('.topbar button')].map(b => {\
                 const label = b.querySelector('.topbar-label');\
                 return [b.id, !!b.querySelector('svg.icon'), label.textContent,\
                   label.getBoundingClientRect().width > 1]; })";
    assert_eq!(
        s.js(bar, vec![]).await,
        json!([
            ["sidebar-toggle", true, "目录", true],
            ["search-toggle", true, "搜索", true],
            ["theme-toggle", true, "深色", true],
        ]),
        "each button has an icon and a visible label"
    );
    let kbd = s.find("#search-toggle kbd.shortcut").await;
    assert!(kbd.is_displayed().await.unwrap(), "the / shortcut shows");
    assert_eq!(kbd.text().await.unwrap(), "/");

    // The icon's link, and /favicon.ico itself, are a real ICO file: no 404 on a first visit.
    let icons = s
        .js(
            "const ico = async url => { const r = await fetch(url);\
               const b = new Uint8Array(await r.arrayBuffer());\
               return [r.status, [...b.slice(0, 4)]]; };\
             return Promise.all([ico(document.querySelector('link[rel=icon]').href), ico('/favicon.ico')])",
            vec![],
        )
        .await;
    assert_eq!(icons, json!([[200, [0, 0, 1, 0]], [200, [0, 0, 1, 0]]]));

    // A phone: icons only, the labels kept for screen readers.
    s.client.set_window_size(390, 844).await.unwrap();
    s.reload().await;
    let names = "return [...document.querySelectorAll('.topbar button')].map(b =>\
                   [b.querySelector('.topbar-label').getBoundingClientRect().width <= 1,\
                    b.textContent.replace('/', '').trim()])";
    assert_eq!(
        s.js(names, vec![]).await,
        json!([[true, "目录"], [true, "搜索"], [true, "深色"]])
    );
    let kbd = s.find("#search-toggle kbd.shortcut").await;
    assert!(
        !kbd.is_displayed().await.unwrap(),
        "no / shortcut on a phone"
    );

    s.close().await;
}

/// The 404 page's two actions do not touch (the bundled guide: the fixture's 404 page links its
/// styles under its site-url, which this test server does not serve).
#[tokio::test]
async fn the_not_found_pages_two_actions_are_spaced() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::guide();
    let s = browser.open(&site).await;
    s.goto("no-such-page.html").await;
    let gap = s
        .js(
            "const [a, b] = document.querySelectorAll('.not-found-actions > *');\
             return b.getBoundingClientRect().left - a.getBoundingClientRect().right",
            vec![],
        )
        .await;
    assert!(
        gap.as_f64().unwrap() >= 8.0,
        "the buttons are {gap} px apart"
    );
    s.close().await;
}
