//! Live reload: a broadcaster of build events to every open event stream (Server-Sent Events),
//! the stream writer, and the small script `serve` injects into HTML pages (never `build`).

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// The URL of the event stream. `/__guidebook/` is the server's own space, never a book's.
pub(crate) const EVENTS_PATH: &str = "/__guidebook/events";

/// A comment line this often tells a closed tab from an idle one (a write to it fails).
const PING_EVERY: Duration = Duration::from_secs(15);

/// More streams than this are refused (each holds a thread); browsers open one per tab.
pub(crate) const MAX_STREAMS: usize = 1000;

/// What browsers learn about builds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LiveEvent {
    /// A good build: reload the page. Carries the new build's token.
    Reload(String),
    /// A good build that changed only stylesheets: swap them without reloading.
    Css(String),
    /// A failed build, with the text the CLI prints; the last good pages stay.
    Error(String),
}

impl LiveEvent {
    /// The event in the `text/event-stream` format.
    pub(crate) fn to_sse(&self) -> String {
        let (name, data) = match self {
            LiveEvent::Reload(token) => ("reload", token.as_str()),
            LiveEvent::Css(token) => ("css", token.as_str()),
            LiveEvent::Error(text) => ("error", text.as_str()),
        };
        sse("event", name, data)
    }
}

fn sse(field: &str, name: &str, data: &str) -> String {
    let mut out = format!("{field}: {name}\n");
    for line in data.trim_end_matches('\n').split('\n') {
        out.push_str("data: ");
        out.push_str(line.trim_end_matches('\r'));
        out.push('\n');
    }
    out.push('\n');
    out
}

/// Sends every build event to every subscribed stream, and remembers the current state (the
/// last good build's token and the current error) for streams that connect later.
pub(crate) struct Broadcaster {
    state: Mutex<State>,
    open: Arc<AtomicUsize>,
}

struct State {
    clients: Vec<Sender<Arc<str>>>,
    token: String,
    error: Option<String>,
    closed: bool,
}

/// A new stream's receiver and what it must send first. Counts as an open stream until dropped.
pub(crate) struct Subscription {
    pub events: Receiver<Arc<str>>,
    pub greeting: String,
    open: Arc<AtomicUsize>,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.open.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Broadcaster {
    pub fn new(token: String, error: Option<String>) -> Broadcaster {
        Broadcaster {
            state: Mutex::new(State {
                clients: Vec::new(),
                token,
                error,
                closed: false,
            }),
            open: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// Subscribes a stream. It first gets `hello` with the current build's token (a page from
    /// an older build reloads) and the current error, if the last build failed. `None` once the
    /// server stops or when too many streams are open.
    pub(crate) fn subscribe(&self) -> Option<Subscription> {
        let mut state = self.lock();
        if state.closed || self.open.load(Ordering::Relaxed) >= MAX_STREAMS {
            return None;
        }
        self.open.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::channel();
        state.clients.push(tx);
        let mut greeting = sse("event", "hello", &state.token);
        if let Some(error) = &state.error {
            greeting.push_str(&LiveEvent::Error(error.clone()).to_sse());
        }
        Some(Subscription {
            events: rx,
            greeting,
            open: self.open.clone(),
        })
    }

    pub(crate) fn publish(&self, event: LiveEvent) {
        let mut state = self.lock();
        match &event {
            LiveEvent::Reload(token) | LiveEvent::Css(token) => {
                state.token = token.clone();
                state.error = None;
            }
            LiveEvent::Error(text) => state.error = Some(text.clone()),
        }
        let text: Arc<str> = Arc::from(event.to_sse());
        state.clients.retain(|c| c.send(text.clone()).is_ok());
    }

    /// The current error, if the last build failed.
    pub fn error(&self) -> Option<String> {
        self.lock().error.clone()
    }

    /// How many streams are open (a closed tab is noticed at the next event or ping).
    pub fn stream_count(&self) -> usize {
        self.open.load(Ordering::Relaxed)
    }

    /// Ends every stream and refuses new ones.
    pub fn close(&self) {
        let mut state = self.lock();
        state.closed = true;
        state.clients.clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Writes one event stream until the client goes away or the broadcaster closes. The status
/// line and headers are written by hand (tiny_http would buffer a streamed body), and the body
/// is chunked by hand, so that closing the stream can end the response: the connection itself
/// stays with tiny_http until the client closes it.
pub fn stream(mut out: Box<dyn Write + Send>, subscription: Subscription) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\
                Cache-Control: no-cache\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\
                X-Content-Type-Options: nosniff\r\n\r\n";
    let greeting = format!("retry: 1000\n\n{}", subscription.greeting);
    if send_raw(&mut out, head).is_err() || send(&mut out, &greeting).is_err() {
        return;
    }
    loop {
        let text = match subscription.events.recv_timeout(PING_EVERY) {
            Ok(text) => text,
            Err(RecvTimeoutError::Timeout) => Arc::from(": ping\n\n"),
            Err(RecvTimeoutError::Disconnected) => {
                // The server is stopping: end the response; the client then closes.
                let _ = send_raw(&mut out, "0\r\n\r\n");
                return;
            }
        };
        if send(&mut out, &text).is_err() {
            return;
        }
    }
}

/// Sends `text` as one chunk.
fn send(out: &mut Box<dyn Write + Send>, text: &str) -> std::io::Result<()> {
    send_raw(out, &format!("{:x}\r\n{text}\r\n", text.len()))
}

fn send_raw(out: &mut Box<dyn Write + Send>, text: &str) -> std::io::Result<()> {
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// The live-reload script for a page of the build with `token`, inserted before `</body>`.
pub(crate) fn inject(html: &[u8], token: &str) -> Vec<u8> {
    let script = format!("<script>{CLIENT_SCRIPT}({token:?});</script>\n");
    let at = find_last_ignore_case(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=haystack.len().checked_sub(needle.len())?)
        .rev()
        .find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// Listens to the event stream: `reload` keeps the scroll position (sessionStorage) and reloads;
/// `css` swaps same-origin stylesheets; `error` shows the build error in an accessible dialog
/// (as text, in a <pre>, with a close button); `hello` reloads a page from an older build. It is
/// a function expression called with the page's build token.
const CLIENT_SCRIPT: &str = r#"(function (build) {
  "use strict";
  var key = "guidebook:live-scroll:" + location.pathname;
  try {
    var saved = sessionStorage.getItem(key);
    if (saved !== null) {
      sessionStorage.removeItem(key);
      var restore = function () { window.scrollTo(0, parseFloat(saved) || 0); };
      if (document.readyState === "complete") restore(); else window.addEventListener("load", restore);
    }
  } catch (e) {}
  var dialog = null, before = null;
  function hide() {
    if (!dialog) return;
    dialog.remove();
    dialog = null;
    if (before && before.focus) before.focus();
  }
  function el(tag, css, text) {
    var node = document.createElement(tag);
    if (css) node.style.cssText = css;
    if (text) node.textContent = text;
    return node;
  }
  function show(text) {
    hide();
    before = document.activeElement;
    var box = el("div", "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem 1rem;background:rgba(0,0,0,.55)");
    box.id = "guidebook-live-error";
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-modal", "true");
    box.setAttribute("aria-labelledby", "guidebook-live-error-title");
    box.setAttribute("aria-describedby", "guidebook-live-error-text");
    var panel = el("div", "max-width:60rem;margin:0 auto;padding:1rem 1.25rem;border-top:6px solid #c62828;border-radius:6px;background:#fff;color:#1a1a1a;font:16px/1.5 system-ui,sans-serif;box-shadow:0 8px 32px rgba(0,0,0,.35)");
    var title = el("h2", "margin:0 0 .5rem;font-size:1.25rem;color:#b71c1c", "Build failed");
    title.id = "guidebook-live-error-title";
    var note = el("p", "margin:0 0 .75rem", "This page shows the last good build. Fix the file and save: this message goes away by itself.");
    var pre = el("pre", "margin:0 0 1rem;padding:.75rem;overflow:auto;white-space:pre-wrap;overflow-wrap:anywhere;border-radius:4px;background:#f4f4f4;color:#1a1a1a;font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace", text);
    pre.id = "guidebook-live-error-text";
    pre.tabIndex = 0;
    var close = el("button", "font:inherit;padding:.35rem 1rem;cursor:pointer", "Close");
    close.type = "button";
    close.addEventListener("click", hide);
    box.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { e.preventDefault(); hide(); }
      if (e.key === "Tab") { e.preventDefault(); (document.activeElement === close ? pre : close).focus(); }
    });
    panel.appendChild(title);
    panel.appendChild(note);
    panel.appendChild(pre);
    panel.appendChild(close);
    box.appendChild(panel);
    (document.body || document.documentElement).appendChild(box);
    dialog = box;
    close.focus();
  }
  function reload() {
    try { sessionStorage.setItem(key, String(window.scrollY)); } catch (e) {}
    location.reload();
  }
  function swapStyles() {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin) return;
      url.searchParams.set("guidebook-live", String(Date.now()));
      var fresh = link.cloneNode(false);
      fresh.href = url.href;
      fresh.addEventListener("load", function () { link.remove(); });
      fresh.addEventListener("error", function () { fresh.remove(); });
      link.parentNode.insertBefore(fresh, link.nextSibling);
    });
  }
  if (!window.EventSource) return;
  var events = new EventSource("/__guidebook/events");
  events.addEventListener("hello", function (e) { if (e.data !== build) reload(); });
  events.addEventListener("reload", reload);
  events.addEventListener("css", function (e) { build = e.data; hide(); swapStyles(); });
  // Connection errors are "error" events too, without data; EventSource reconnects by itself.
  events.addEventListener("error", function (e) { if (typeof e.data === "string") show(e.data); });
})"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_server_sent_events() {
        assert_eq!(
            LiveEvent::Reload("a.1".into()).to_sse(),
            "event: reload\ndata: a.1\n\n"
        );
        assert_eq!(
            LiveEvent::Error("error: x\r\n --> a.md:1:2\n".into()).to_sse(),
            "event: error\ndata: error: x\ndata:  --> a.md:1:2\n\n"
        );
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let html = b"<html><body><p>a</body> x</BODY></html>";
        let out = String::from_utf8(inject(html, "t.1")).unwrap();
        assert!(out.starts_with("<html><body><p>a</body> x<script>(function (build)"));
        assert!(
            out.ends_with("})(\"t.1\");</script>\n</BODY></html>"),
            "{out}"
        );
        let bare = String::from_utf8(inject(b"<p>no body", "t")).unwrap();
        assert!(bare.starts_with("<p>no body<script>"));
    }

    #[test]
    fn late_subscribers_get_the_current_state() {
        let b = Broadcaster::new("s.1".into(), None);
        let early = b.subscribe().unwrap();
        assert_eq!(early.greeting, "event: hello\ndata: s.1\n\n");
        b.publish(LiveEvent::Error("error: bad".into()));
        assert_eq!(
            &*early.events.try_recv().unwrap(),
            "event: error\ndata: error: bad\n\n"
        );
        let late = b.subscribe().unwrap();
        assert_eq!(
            late.greeting,
            "event: hello\ndata: s.1\n\nevent: error\ndata: error: bad\n\n"
        );
        b.publish(LiveEvent::Reload("s.2".into()));
        assert_eq!(b.error(), None);
        assert_eq!(
            b.subscribe().unwrap().greeting,
            "event: hello\ndata: s.2\n\n"
        );
        b.close();
        assert!(b.subscribe().is_none());
    }

    #[test]
    fn closed_streams_are_dropped() {
        let b = Broadcaster::new("s".into(), None);
        let kept = b.subscribe().unwrap();
        drop(b.subscribe().unwrap());
        b.publish(LiveEvent::Css("s.2".into()));
        assert_eq!(b.stream_count(), 1);
        assert!(kept.events.try_recv().unwrap().starts_with("event: css"));
    }
}
