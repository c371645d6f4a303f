//! Reading progress: read marks, checklist ticks and started worksheets show on the landing page and
//! in the sidebar; resetting progress clears marks and ticks but keeps worksheet answers.

use serde_json::{Value, json};

use super::harness::{Browser, Session, Site};
use super::worksheets::wait_saved;

/// The landing page's figures as `label -> "a/b"`.
async fn figures(s: &Session) -> Value {
    s.wait_for(
        "the progress box",
        "const b = document.querySelector('#reader-progress');\
         return b && !b.hidden && b.querySelectorAll('.progress-stats li').length > 0",
    )
    .await;
    s.js(
        "const o = {};\
         for (const li of document.querySelectorAll('#reader-progress .progress-stats li'))\
           o[li.firstChild.textContent.trim()] = li.querySelector('strong').textContent;\
         return o",
        vec![],
    )
    .await
}

/// Waits until the "已读章节" figure agrees with the stored read marks of numbered chapters (the
/// only ones reading progress counts), and returns how many there are.
async fn read_count(s: &Session) -> u64 {
    let v = s
        .wait_for(
            "the read figure to match the stored marks",
            "const book = document.documentElement.dataset.book;\
             const read = JSON.parse(localStorage.getItem(`guidebook:${book}:read`) || '{}');\
             const numbered = guidebook.progress.chapters.filter(c => c.numbered);\
             const n = numbered.filter(c => read[c.path]).length;\
             const li = [...document.querySelectorAll('#reader-progress .progress-stats li')]\
               .find(li => li.firstChild.textContent.trim() === '已读章节');\
             return li && li.querySelector('strong').textContent === `${n}/${numbered.length}` && n + 1",
        )
        .await;
    v.as_u64().expect("a count") - 1
}

/// The read mark and checklist count the sidebar shows beside a chapter.
async fn sidebar_marks(s: &Session, path: &str) -> (bool, String) {
    let v = s
        .js(
            "const a = document.querySelector(`#sidebar a[data-path='${arguments[0]}']`);\
             return [!!a.querySelector('.toc-read'), a.querySelector('.toc-count')?.textContent || ''];",
            vec![json!(path)],
        )
        .await;
    serde_json::from_value(v).expect("a pair")
}

#[tokio::test]
async fn progress_shows_on_the_landing_page_and_in_the_sidebar() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::fixture("basic");
    let s = browser.open(&site).await;

    s.goto("index.html").await;
    let before = figures(&s).await;
    let read_before = read_count(&s).await;
    assert_eq!(before["已完成的清单项"], json!("0/4"), "{before}");
    assert_eq!(before["已开始的工作表"], json!("0/1"), "{before}");

    s.goto("part1/one.html").await;
    assert_eq!(
        sidebar_marks(&s, "part1/one.html").await,
        (false, "0/4".into())
    );
    let mark = s.find(".mark-read").await;
    assert_eq!(
        mark.attr("aria-pressed").await.unwrap().as_deref(),
        Some("false")
    );
    assert_eq!(s.text(".mark-read").await, "标记为已读");
    // Reaching the end of the chapter marks it read by itself once its reading time is up...
    s.js(
        "document.querySelector('#chapter-end').scrollIntoView({ block: 'center' })",
        vec![],
    )
    .await;
    let marked_after = s
        .wait_for(
            "reaching the end to mark the chapter read",
            "const b = document.querySelector('.mark-read');\
             return b.getAttribute('aria-pressed') === 'true'\
               && [performance.now(), Number(b.dataset.readingSeconds)]",
        )
        .await;
    let (ms, seconds): (f64, f64) = serde_json::from_value(marked_after).expect("two numbers");
    assert!(
        seconds >= 5.0,
        "the shortest reading time is 5 s, not {seconds}"
    );
    assert!(
        ms >= seconds * 1000.0,
        "marked read {ms} ms after the page opened, before its {seconds} s reading time"
    );
    assert_eq!(s.text(".mark-read").await, "已读 ✓");
    // ...and the button undoes and redoes it.
    s.click_el(&mark).await;
    assert_eq!(
        mark.attr("aria-pressed").await.unwrap().as_deref(),
        Some("false")
    );
    assert_eq!(s.stored("read").await.get("part1/one.html"), None);
    s.click_el(&mark).await;
    assert_eq!(
        mark.attr("aria-pressed").await.unwrap().as_deref(),
        Some("true")
    );
    s.click_el(&s.task("写下三个原因").await).await;
    s.click_el(&s.task("情绪已经平稳").await).await;
    s.type_into("#ws-review-short", "一句话").await;
    wait_saved(&s).await;
    assert_eq!(
        sidebar_marks(&s, "part1/one.html").await,
        (true, "2/4".into())
    );
    assert_eq!(
        s.stored("read").await.get("part1/one.html"),
        Some(&json!(true))
    );

    s.goto("index.html").await;
    let after = figures(&s).await;
    assert_eq!(read_count(&s).await, read_before + 1, "{after}");
    assert!(s.stored("read").await.get("part1/one.html").is_some());
    assert_eq!(after["已完成的清单项"], json!("2/4"), "{after}");
    assert_eq!(after["已开始的工作表"], json!("1/1"), "{after}");
    assert_eq!(
        sidebar_marks(&s, "part1/one.html").await,
        (true, "2/4".into())
    );

    // Reset asks, then clears read marks and ticks, and keeps the answers.
    s.script_dialogs(true).await;
    s.click("[data-action=reset-progress]").await;
    s.wait_for(
        "the page to reload after the reset",
        "return !window.__dialogs && document.readyState === 'complete'",
    )
    .await;
    s.wait_loaded().await;
    let reset = figures(&s).await;
    assert_eq!(read_count(&s).await, read_before, "{reset}");
    let read_now = s.stored("read").await;
    assert!(read_now.get("part1/one.html").is_none(), "{read_now}");
    assert_eq!(reset["已完成的清单项"], json!("0/4"), "{reset}");
    assert_eq!(reset["已开始的工作表"], json!("1/1"), "{reset}");
    assert_eq!(
        sidebar_marks(&s, "part1/one.html").await,
        (false, "0/4".into())
    );
    assert_eq!(
        s.stored("ws:review").await["fields"]["short"],
        json!("一句话")
    );
    s.close().await;
}

/// Jumping to the end (the End key) does not mark a chapter read: its reading time, proportional
/// to its text, has to pass first; the button marks it at once.
#[tokio::test]
async fn the_end_key_alone_does_not_mark_a_long_chapter_read() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::guide();
    let s = browser.open(&site).await;
    s.goto("part1/failure-is-an-event.html").await;
    s.press(fantoccini::key::Key::End).await;
    s.wait_for(
        "End to show the end of the chapter",
        "const end = document.querySelector('#chapter-end').getBoundingClientRect();\
         return end.top < innerHeight && end.bottom > 0",
    )
    .await;
    let v = s
        .js(
            "const article = document.querySelector('article.chapter');\
             const text = [...article.childNodes].filter(n => !(n.matches && n.matches('form,.checklist')))\
               .map(n => n.textContent).join('');\
             return [(text.match(/[\\u4e00-\\u9fff]/g) || []).length,\
               Number(document.querySelector('.mark-read').dataset.readingSeconds)]",
            vec![],
        )
        .await;
    let (han, seconds): (f64, f64) = serde_json::from_value(v).expect("a count and seconds");
    assert!(han > 1000.0, "a long chapter: {han} Han characters");
    assert!(
        (han / 20.0..=han / 10.0).contains(&seconds),
        "the reading time ({seconds} s) follows the chapter's length ({han} Han characters)"
    );
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert_eq!(
        s.attr(".mark-read", "aria-pressed").await.as_deref(),
        Some("false"),
        "not read two seconds after jumping to the end"
    );
    assert_eq!(
        s.stored("read").await.get("part1/failure-is-an-event.html"),
        None
    );
    s.click(".mark-read").await;
    assert_eq!(
        s.stored("read").await["part1/failure-is-an-event.html"],
        json!(true),
        "the button marks it at once"
    );
    s.close().await;
}
