//! A browser session: the calls the tests make, each panicking with context on a WebDriver error.

use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use fantoccini::{Client, Locator};
use serde_json::{Value, json};

use super::harness::PATIENCE;

pub struct Session {
    pub client: Client,
    base: String,
}

fn ok<T>(result: Result<T, CmdError>, what: impl std::fmt::Display) -> T {
    result.unwrap_or_else(|e| panic!("{what}: {e}"))
}

impl Session {
    /// A session on `client` whose relative page paths start at `base`.
    pub fn new(client: Client, base: String) -> Session {
        Session { client, base }
    }

    /// Opens a page of the site (relative path) and waits for it to load.
    pub async fn goto(&self, page: &str) {
        let url = format!("{}{page}", self.base);
        ok(self.client.goto(&url).await, format_args!("opening {url}"));
        self.wait_loaded().await;
    }

    pub async fn reload(&self) {
        ok(self.client.refresh().await, "reloading");
        self.wait_loaded().await;
    }

    /// Waits until the page has loaded and the theme script has run (it un-hides the toolbars).
    pub async fn wait_loaded(&self) {
        self.wait_for(
            "the page to load",
            "return document.readyState === 'complete'",
        )
        .await;
    }

    /// Sizes the window so that the page itself (the viewport) is `width`×`height`: the window's
    /// size includes the browser's own frame, even when headless.
    pub async fn set_viewport(&self, width: u32, height: u32) {
        let resize = |w, h| self.client.set_window_size(w, h);
        ok(resize(width, height).await, "sizing the window");
        let inner = self.js("return [innerWidth, innerHeight]", vec![]).await;
        let (w, h): (u32, u32) = serde_json::from_value(inner).expect("two numbers");
        ok(
            resize(2 * width - w, 2 * height - h).await,
            "sizing the window",
        );
    }

    /// The path of the current URL, e.g. `/part1/one.html`.
    pub async fn path(&self) -> String {
        ok(self.client.current_url().await, "reading the URL")
            .path()
            .to_string()
    }

    /// Runs a script (a function body: use `return`, `arguments`); a returned promise is awaited.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        ok(
            self.client.execute(script, args).await,
            format_args!("running script\n{script}\n"),
        )
    }

    /// Polls a script until it returns something truthy, and returns that.
    pub async fn wait_for(&self, what: &str, script: &str) -> Value {
        let start = Instant::now();
        loop {
            let v = self.js(script, vec![]).await;
            let truthy = match &v {
                Value::Null => false,
                Value::Bool(b) => *b,
                Value::String(s) => !s.is_empty(),
                Value::Number(n) => n.as_f64() != Some(0.0),
                _ => true,
            };
            if truthy {
                return v;
            }
            if start.elapsed() > PATIENCE {
                panic!("timed out after {PATIENCE:?} waiting for {what} ({script})");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn find(&self, css: &str) -> Element {
        ok(
            self.client.find(Locator::Css(css)).await,
            format_args!("finding {css}"),
        )
    }

    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        ok(
            self.client.find_all(Locator::Css(css)).await,
            format_args!("finding {css}"),
        )
    }

    /// The checkbox of the checklist item whose label reads `text`.
    pub async fn task(&self, text: &str) -> Element {
        let xpath = format!("//li[@class='task'][label[normalize-space()='{text}']]/input");
        ok(
            self.client.find(Locator::XPath(&xpath)).await,
            format_args!("finding the checklist item {text:?}"),
        )
    }

    pub async fn click(&self, css: &str) {
        self.click_el(&self.find(css).await).await;
    }

    /// Scrolls an element to the middle of the window, clear of the sticky top bar, and clicks it.
    pub async fn click_el(&self, e: &Element) {
        let described = ok(e.html(false).await, "reading an element")
            .chars()
            .take(120)
            .collect::<String>();
        self.js(
            "arguments[0].scrollIntoView({ block: 'center', inline: 'nearest' })",
            vec![serde_json::to_value(e).expect("an element as JSON")],
        )
        .await;
        ok(e.click().await, format_args!("clicking {described}"));
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css).await;
        ok(e.send_keys(text).await, format_args!("typing into {css}"));
    }

    pub async fn select(&self, css: &str, value: &str) {
        let e = self.find(css).await;
        ok(
            e.select_by_value(value).await,
            format_args!("choosing {value:?} in {css}"),
        );
    }

    pub async fn is_checked(&self, css: &str) -> bool {
        let e = self.find(css).await;
        ok(e.is_selected().await, format_args!("reading {css}"))
    }

    /// An attribute of the first element matching `css`.
    pub async fn attr(&self, css: &str, name: &str) -> Option<String> {
        let e = self.find(css).await;
        ok(e.attr(name).await, format_args!("reading {name} of {css}"))
    }

    /// A DOM property of the first element matching `css` (`value` of a field).
    pub async fn prop(&self, css: &str, name: &str) -> Option<String> {
        let e = self.find(css).await;
        ok(e.prop(name).await, format_args!("reading {name} of {css}"))
    }

    /// The text content of the first element matching `css`, white space collapsed.
    pub async fn text(&self, css: &str) -> String {
        let v = self
            .js(
                "const e = document.querySelector(arguments[0]);\
                 return e ? e.textContent.replace(/\\s+/g, ' ').trim() : null",
                vec![json!(css)],
            )
            .await;
        v.as_str()
            .unwrap_or_else(|| panic!("no element {css}"))
            .to_string()
    }

    /// Presses and releases one key (a character or a `fantoccini::key::Key`) on the focused element.
    pub async fn press(&self, key: impl Into<char>) {
        let key = key.into();
        let actions = KeyActions::new("keyboard".to_string())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        ok(
            self.client.perform_actions(actions).await,
            format_args!("pressing {key:?}"),
        );
    }

    /// Types text into whatever has the focus.
    pub async fn type_text(&self, text: &str) {
        let e = ok(self.client.active_element().await, "finding the focus");
        ok(e.send_keys(text).await, format_args!("typing {text:?}"));
    }

    /// A value the theme stored under `guidebook:BOOK:<key>`, parsed (`null` when absent).
    pub async fn stored(&self, key: &str) -> Value {
        self.js(
            "const book = document.documentElement.dataset.book;\
             const v = localStorage.getItem('guidebook:' + book + ':' + arguments[0]);\
             return v === null ? null : JSON.parse(v)",
            vec![json!(key)],
        )
        .await
    }

    /// Replaces `alert` and `confirm` (until the next page load): alerts are recorded in
    /// `window.__dialogs`, confirms are recorded and answered with `answer`.
    pub async fn script_dialogs(&self, answer: bool) {
        self.js(
            "const answer = arguments[0];\
             window.__dialogs = window.__dialogs || [];\
             window.alert = m => { window.__dialogs.push(['alert', String(m)]); };\
             window.confirm = m => { window.__dialogs.push(['confirm', String(m)]); return answer; };",
            vec![json!(answer)],
        )
        .await;
    }

    /// The dialogs recorded since `script_dialogs`, as `[kind, message]` pairs.
    pub async fn dialogs(&self) -> Vec<(String, String)> {
        let v = self.js("return window.__dialogs || []", vec![]).await;
        serde_json::from_value(v).expect("dialogs as pairs")
    }

    /// Fails if a real (not scripted) alert, confirm or prompt is open.
    pub async fn assert_no_native_dialog(&self) {
        if let Ok(text) = self.client.get_alert_text().await {
            panic!("a native dialog is open: {text:?}");
        }
    }

    /// Clicks a button that opens a file picker and gives the picker `file`. The theme creates a
    /// detached `<input type=file>` and clicks it; the test attaches it to the page instead, where
    /// chromedriver can type the file's path into it.
    pub async fn pick_file(&self, button: &str, file: &Path) {
        self.js(
            "document.querySelector('#test-file-input')?.remove();\
             const proto = HTMLInputElement.prototype;\
             window.__click = window.__click || proto.click;\
             proto.click = function () {\
               if (this.type !== 'file') return window.__click.call(this);\
               this.id = 'test-file-input';\
               document.body.append(this);\
             };",
            vec![],
        )
        .await;
        self.click(button).await;
        self.wait_for(
            "the theme to ask for a file",
            "return !!document.querySelector('#test-file-input')",
        )
        .await;
        let input = self.find("#test-file-input").await;
        ok(
            input.send_keys(&file.display().to_string()).await,
            format_args!("choosing {}", file.display()),
        );
    }

    pub async fn close(self) {
        ok(self.client.close().await, "closing the browser");
    }
}
