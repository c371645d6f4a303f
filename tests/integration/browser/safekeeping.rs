//! The reader's answers are never lost: the whole-book Markdown export carries everything under
//! readable headings; a browser without storage, a full storage or an unreadable saved value is
//! shown on the page and never made worse; a bad backup is refused and changes nothing.

use std::path::Path;

use serde_json::{Value, json};

use super::backup::{import_book, keep_one_of_each};
use super::harness::{BookExport, Browser, Session, Site, export_book, read_json};
use super::worksheets::wait_saved;

/// Every localStorage entry, sorted, as one string: compared byte for byte before and after.
async fn storage_snapshot(s: &Session) -> String {
    let v = s
        .js(
            "return JSON.stringify(Object.keys(localStorage).sort()\
               .map(k => [k, localStorage.getItem(k)]))",
            vec![],
        )
        .await;
    v.as_str().expect("a snapshot string").to_string()
}

/// The text of the warning the theme shows when it cannot save ('' when there is none).
async fn storage_warning(s: &Session) -> String {
    let v = s
        .js(
            "const w = document.querySelector('.storage-warning');\
             return w && w.offsetParent !== null ? w.textContent : ''",
            vec![],
        )
        .await;
    v.as_str().unwrap_or_default().to_string()
}

async fn wait_for_warning(s: &Session, containing: &str) -> String {
    let start = std::time::Instant::now();
    loop {
        let shown = storage_warning(s).await;
        if shown.contains(containing) {
            return shown;
        }
        assert!(
            start.elapsed() < super::harness::PATIENCE,
            "no storage warning saying {containing:?}; the page shows {shown:?}; the worksheet says {:?}; errors {}",
            s.text("#ws-review .ws-status").await,
            s.js("return window.__errors || []", vec![]).await
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn book_markdown_export_holds_answers_ticks_and_progress_under_labels() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::fixture("basic");
    let s = browser.open(&site).await;
    keep_one_of_each(&s, "先稳住，再修复。").await;

    // Offered on the landing page and in the toolbox; both give the same record.
    for page in ["index.html", "toolbox.html"] {
        s.goto(page).await;
        s.script_dialogs(true).await;
        let file = export_book(&s, &browser, BookExport::Markdown).await;
        let md = std::fs::read_to_string(&file).unwrap();
        assert!(
            s.dialogs().await.is_empty(),
            "{page}: {:?}",
            s.dialogs().await
        );
        assert!(md.starts_with("# 测试之书：我的记录\n"), "{page}:\n{md}");
        for expected in [
            "## 阅读进度",
            "- [x] 1 第一章：开始",
            "- [ ] 2 第二章 空格",
            "## 清单",
            "### 第一章：开始\n\n- [x] 写下三个原因\n- [ ] 发一条消息",
            "### 谈话之前\n\n- [x] 情绪已经平稳\n- [ ] 想好 **一句话**",
            "## 工作表",
            "### 失败复盘",
            "#### 发生了什么",
            "##### 一句话\n\n先稳住，再修复。",
            "##### 事情经过\n\n（未填写）",
        ] {
            assert!(md.contains(expected), "{page}: no {expected:?} in\n{md}");
        }
        // Labels, not the ids the answers are stored under.
        assert!(!md.contains("short"), "{page}: a field id leaked:\n{md}");
    }
    s.close().await;
}

#[tokio::test]
async fn an_unreadable_saved_value_is_kept_aside_shown_and_exported() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::fixture("basic");
    let s = browser.open(&site).await;
    s.goto("part1/one.html").await;
    assert_eq!(storage_warning(&s).await, "");
    s.js(
        "localStorage.setItem('guidebook:fixture:checks', '{\"page:part1/one.html\": {oops');\
         localStorage.setItem('guidebook:fixture:ws:review', '[1, 2');",
        vec![],
    )
    .await;
    s.reload().await;
    let warning = wait_for_warning(&s, "「checks」").await;
    assert!(warning.contains("已损坏"), "{warning}");
    assert!(warning.contains("「ws:review」"), "{warning}");

    // Both texts are kept, byte for byte, under `corrupt:<time>:<key>`.
    let aside = s
        .js(
            "return Object.keys(localStorage).filter(k => k.startsWith('guidebook:fixture:corrupt:'))\
               .sort().map(k => [k.replace(/:corrupt:\\d+:/, ':corrupt:T:'), localStorage.getItem(k)])",
            vec![],
        )
        .await;
    assert_eq!(
        aside,
        json!([
            [
                "guidebook:fixture:corrupt:T:checks",
                "{\"page:part1/one.html\": {oops"
            ],
            ["guidebook:fixture:corrupt:T:ws:review", "[1, 2"],
        ])
    );

    // The page still works, and saves fresh values where the unreadable ones were.
    s.click_el(&s.task("写下三个原因").await).await;
    s.type_into("#ws-review-short", "新的回答").await;
    wait_saved(&s).await;
    assert_eq!(
        s.stored("ws:review").await["fields"]["short"],
        json!("新的回答")
    );
    assert_eq!(
        s.stored("checks").await["page:part1/one.html"],
        json!({"7x586kox": true})
    );

    // Exports carry what could not be read.
    s.goto("toolbox.html").await;
    let exported = read_json(&export_book(&s, &browser, BookExport::Json).await);
    let kept: Vec<&str> = exported["unreadable"]
        .as_object()
        .expect("an `unreadable` part")
        .values()
        .filter_map(Value::as_str)
        .collect();
    assert!(kept.contains(&"[1, 2"), "{exported}");
    assert!(
        kept.contains(&"{\"page:part1/one.html\": {oops"),
        "{exported}"
    );
    let md =
        std::fs::read_to_string(export_book(&s, &browser, BookExport::Markdown).await).unwrap();
    assert!(md.contains("## 无法读取的已保存数据"), "{md}");
    assert!(md.contains("```\n[1, 2\n```"), "{md}");
    s.close().await;
}

#[tokio::test]
async fn a_full_storage_is_said_plainly_and_the_page_keeps_working() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::fixture("basic");
    let s = browser.open(&site).await;
    s.goto("part1/one.html").await;
    // Fill the origin's storage until not one more character fits.
    let filled = s
        .js(
            "let size = 1 << 20, n = 0;\
             while (size >= 1) {\
               try { localStorage.setItem('filler-' + n, 'x'.repeat(size)); n++; }\
               catch (e) { if (e.name !== 'QuotaExceededError') throw e; size = Math.floor(size / 2); }\
             }\
             return n",
            vec![],
        )
        .await;
    assert!(filled.as_u64().unwrap() > 3, "storage filled with {filled}");
    let before = s.stored("checks").await;
    s.js(
        "window.__errors = []; addEventListener('error', e => __errors.push(e.message))",
        vec![],
    )
    .await;
    s.type_into("#ws-review-short", "写不进去的回答").await;
    let warning = wait_for_warning(&s, "已满").await;
    assert!(warning.contains("没有被保存"), "{warning}");
    s.wait_for(
        "the worksheet to say it did not save",
        "return document.querySelector('#ws-review .ws-status').textContent.startsWith('没有保存')",
    )
    .await;
    // The page still works: ticks show, answers stay in the form.
    let task = s.task("写下三个原因").await;
    s.click_el(&task).await;
    assert!(task.is_selected().await.unwrap());
    assert_eq!(
        s.prop("#ws-review-short", "value").await.as_deref(),
        Some("写不进去的回答")
    );
    assert_eq!(s.stored("checks").await, before, "nothing could be saved");
    s.close().await;
}

#[tokio::test]
async fn without_storage_the_page_works_and_says_answers_are_not_saved() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::fixture("basic");
    // Blocking site data makes every use of localStorage throw a SecurityError.
    let s = browser
        .open_with_prefs(
            &site,
            json!({"profile.default_content_setting_values.cookies": 2}),
        )
        .await;
    s.goto("part1/one.html").await;
    let blocked = s
        .js(
            "try { localStorage.length; return false } catch (e) { return e.name }",
            vec![],
        )
        .await;
    assert_eq!(blocked, json!("SecurityError"), "storage is not blocked");
    let warning = wait_for_warning(&s, "不允许网页使用本地存储").await;
    assert!(warning.contains("没有被保存"), "{warning}");
    let task = s.task("写下三个原因").await;
    s.click_el(&task).await;
    assert!(task.is_selected().await.unwrap());
    s.type_into("#ws-review-short", "只在本页").await;
    s.wait_for(
        "the worksheet to say it did not save",
        "return document.querySelector('#ws-review .ws-status').textContent.startsWith('没有保存')",
    )
    .await;
    // The sidebar and the on-page tools still run.
    assert!(s.find_all("#sidebar a[aria-current=page]").await.len() == 1);
    s.close().await;
}

/// A backup of the fixture book with `worksheets` (raw JSON text) and optional more parts.
fn backup(worksheets: &str, more: &str) -> String {
    format!(
        r#"{{"format": "guidebook-export", "version": 1, "book": "fixture",
             "exported": "2024-01-01T00:00:00.000Z", "worksheets": {worksheets}{more}}}"#
    )
}

#[tokio::test]
async fn bad_backups_are_refused_with_a_reason_and_change_nothing() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::fixture("basic");
    let s = browser.open(&site).await;
    s.goto("part1/one.html").await;
    s.click_el(&s.task("写下三个原因").await).await;
    s.type_into("#ws-review-short", "原来的回答").await;
    wait_saved(&s).await;

    let files = tempfile::tempdir().unwrap();
    let deep = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
    let huge = backup(
        &format!(
            r#"{{"review": {{"fields": {{"short": "{}"}}}}}}"#,
            "长".repeat(7 * 1024 * 1024)
        ),
        "",
    );
    assert!(huge.len() > 20_000_000);
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "wrong-type.json",
            backup(r#"{"review": {"fields": {"short": {"a": 1}}}}"#, ""),
            "「short」的值类型不对",
        ),
        (
            "fields-not-object.json",
            backup(r#"{"review": {"fields": "文本"}}"#, ""),
            "工作表「review」的内容格式不对",
        ),
        (
            "unknown-worksheet.json",
            backup(r#"{"no-such-sheet": {"fields": {"a": "b"}}}"#, ""),
            "本书没有的工作表：no-such-sheet",
        ),
        (
            "proto.json",
            backup(
                r#"{"review": {"fields": {"__proto__": {"polluted": "yes"}}}}"#,
                "",
            ),
            "不允许的名字「__proto__」",
        ),
        (
            "constructor.json",
            backup(r#"{}"#, r#", "checks": {"constructor": {"x": true}}"#),
            "不允许的名字「constructor」",
        ),
        (
            "bad-read.json",
            backup(r#"{}"#, r#", "read": {"part1/one.html": "yes"}"#),
            "阅读进度「part1/one.html」的值不对",
        ),
        ("huge.json", huge, "超过了 5 MB"),
        (
            "deep.json",
            backup(
                &format!(r#"{{"review": {{"fields": {{"short": {deep}}}}}}}"#),
                "",
            ),
            "「short」的值类型不对",
        ),
        (
            "deep-checks.json",
            backup(
                r#"{}"#,
                &format!(r#", "checks": {{"page:x": {{"a": {deep}}}}}"#),
            ),
            "清单「page:x」的勾选值不对",
        ),
    ];
    for (name, text, reason) in cases {
        let path = files.path().join(name);
        std::fs::write(&path, text).unwrap();
        s.goto("toolbox.html").await;
        let before = storage_snapshot(&s).await;
        let alerts = import_book(&s, &path).await;
        assert_eq!(alerts.len(), 1, "{name}: {alerts:?}");
        assert!(alerts[0].starts_with("无法导入："), "{name}: {alerts:?}");
        assert!(alerts[0].contains(reason), "{name}: {alerts:?}");
        assert!(alerts[0].contains("没有做任何更改"), "{name}: {alerts:?}");
        assert_eq!(storage_snapshot(&s).await, before, "{name} changed storage");
        let polluted = s.js("return ({}).polluted === undefined", vec![]).await;
        assert_eq!(polluted, json!(true), "{name} reached Object.prototype");
    }

    // One worksheet's own import checks the same way.
    let path = files.path().join("wrong-type.json");
    s.goto("part1/one.html").await;
    let before = storage_snapshot(&s).await;
    refused_worksheet_import(&s, &path).await;
    assert_eq!(storage_snapshot(&s).await, before);
    s.close().await;
}

async fn refused_worksheet_import(s: &Session, file: &Path) {
    s.script_dialogs(true).await;
    s.pick_file("#ws-review [data-action=import-json]", file)
        .await;
    let alert = s
        .wait_for(
            "the import to refuse",
            "const a = (window.__dialogs || []).find(d => d[0] === 'alert'); return a && a[1]",
        )
        .await;
    let alert = alert.as_str().unwrap();
    assert!(alert.contains("「short」的值类型不对"), "{alert}");
    assert_eq!(
        s.prop("#ws-review-short", "value").await.as_deref(),
        Some("原来的回答")
    );
}
