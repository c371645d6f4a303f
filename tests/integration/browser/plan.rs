//! The reader's plan: a backup made before the relationship map had `impact` still imports; the
//! quadrant plots each row where its answers put it, follows the form as the reader types, and
//! plan.html lists the dated steps in date order and exports them as a calendar a parser accepts.

use icalendar::Component;
use serde_json::{Value, json};

use super::backup::import_book;
use super::harness::{Browser, Session, Site};

fn backup(people: Value) -> String {
    json!({
        "format": "guidebook-export", "version": 1, "book": "setback-guide",
        "exported": "2026-11-30T08:00:00.000Z", "checks": {}, "read": {},
        "worksheets": {"relationship-map": {"fields": {"people": people, "top-two": "老王和小李"}}}
    })
    .to_string()
}

/// The marks of the first chart on the page: row, value attributes, centre and label.
async fn marks(s: &Session, chart: &str) -> Vec<Value> {
    let v = s
        .js(
            "return [...document.querySelectorAll(arguments[0] + ' svg.chart [data-row]')].map(m => ({\
               row: Number(m.dataset.row), x: Number(m.dataset.x), y: Number(m.dataset.y),\
               cx: Number(m.querySelector('circle').getAttribute('cx')),\
               cy: Number(m.querySelector('circle').getAttribute('cy')),\
               label: m.querySelector('text').textContent }))",
            vec![json!(chart)],
        )
        .await;
    v.as_array().expect("marks").clone()
}

#[tokio::test]
async fn the_plan_gathers_charts_steps_and_a_calendar() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::guide();
    let dir = tempfile::tempdir().unwrap();

    // A backup from before `impact` existed imports, keeps its rows, and plots nothing yet.
    let old = dir.path().join("old.json");
    std::fs::write(
        &old,
        backup(json!([{"name": "老王", "kind": "高影响", "warmth": "2", "next": "约午饭", "by": "2026-12-10"}])),
    )
    .unwrap();
    let s = browser.open(&site).await;
    s.goto("toolbox.html").await;
    assert!(import_book(&s, &old).await.is_empty());
    s.goto("worksheets/relationship-map.html").await;
    let name = s
        .prop(
            ".field[data-field=people] tbody tr [data-col=name]",
            "value",
        )
        .await;
    assert_eq!(name.as_deref(), Some("老王"));
    assert!(marks(&s, ".ws-chart").await.is_empty());
    let empty = s.text(".ws-chart .chart-empty").await;
    assert_eq!(
        empty,
        "给至少一行填上“目前的温度（1 冷淡或紧张，5 非常信任）、对你接下来工作的影响（1 很小，5 很大）”，图就会出现在这里。"
    );

    // A newer backup, with impact, replaces the rows (the import asks first; the test agrees).
    let new = dir.path().join("new.json");
    std::fs::write(
        &new,
        backup(json!([
            {"name": "老王", "kind": "高影响", "warmth": "2", "impact": "5", "next": "约午饭, 带上复盘", "by": "2026-12-10"},
            {"name": "小李", "kind": "一般", "warmth": "4", "impact": "2", "next": "发消息; 问近况\\顺便道谢", "by": "2026-12-03"},
            {"name": "周总", "kind": "高影响兼高情感", "warmth": "4", "impact": "5", "next": "", "by": ""}
        ])),
    )
    .unwrap();
    s.goto("toolbox.html").await;
    assert!(import_book(&s, &new).await.is_empty());

    s.goto("worksheets/relationship-map.html").await;
    let m = marks(&s, ".ws-chart").await;
    assert_eq!(m.len(), 3, "{m:?}");
    let labels: Vec<&str> = m.iter().map(|x| x["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["老王", "小李", "周总"]);
    assert_eq!(
        m.iter()
            .map(|x| x["row"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [0, 1, 2]
    );
    // Warmer is further right; more impact is higher up (a smaller y).
    assert!(m[0]["cx"].as_f64() < m[1]["cx"].as_f64(), "{m:?}");
    assert!(m[0]["cy"].as_f64() < m[1]["cy"].as_f64(), "{m:?}");
    assert!((m[1]["cx"].as_f64().unwrap() - m[2]["cx"].as_f64().unwrap()).abs() < 20.0);
    assert!(m[2]["cy"].as_f64() < m[1]["cy"].as_f64(), "{m:?}");
    assert_eq!(
        s.attr(".ws-chart svg.chart", "role").await.as_deref(),
        Some("img")
    );
    let title = s.text(".ws-chart svg.chart > title").await;
    assert_eq!(title, "先见谁：影响 × 温度：3 行");
    let quadrant = s.text(".ws-chart .chart-quadrant[data-quadrant='0']").await;
    assert_eq!(quadrant, "先见：影响大、关系冷");
    let table = s.text(".ws-chart table.ws-chart-table tbody").await;
    assert!(table.contains("老王"), "{table}");

    // Changing an answer moves its mark at once, before anything is saved.
    s.select(
        ".field[data-field=people] tbody tr:nth-child(2) [data-col=warmth]",
        "1",
    )
    .await;
    s.wait_for(
        "the chart to follow the form",
        "return document.querySelector('.ws-chart [data-row=\"1\"]').dataset.x === '1'",
    )
    .await;
    let moved = marks(&s, ".ws-chart").await;
    assert!(
        moved[1]["cx"].as_f64() < moved[0]["cx"].as_f64(),
        "{moved:?}"
    );
    s.select(
        ".field[data-field=people] tbody tr:nth-child(2) [data-col=warmth]",
        "4",
    )
    .await;
    s.wait_for(
        "the mark to move back",
        "return document.querySelector('.ws-chart [data-row=\"1\"]').dataset.x === '4'",
    )
    .await;

    // The worksheet's own calendar has the same events, with the same UIDs, as the plan's.
    s.click("form[data-worksheet=relationship-map] .ws-calendar")
        .await;
    let own = browser.downloaded("relationship-map.ics").await;
    check_calendar(&std::fs::read_to_string(&own).unwrap());

    // The print page fills its worksheets with the saved answers and draws their charts.
    s.goto("print.html").await;
    s.wait_for(
        "the printed chart",
        "return document.querySelectorAll('form[data-worksheet=relationship-map] svg.chart [data-row]').length === 3",
    )
    .await;
    let printed = s
        .prop("form[data-worksheet=relationship-map] .field[data-field=people] tbody tr [data-col=name]", "value")
        .await;
    assert_eq!(printed.as_deref(), Some("老王"));

    // The plan page: the chart, and the two dated steps in date order with their worksheet.
    s.goto("plan.html").await;
    s.wait_for(
        "the plan",
        "return document.querySelector('#plan').dataset.ready",
    )
    .await;
    assert_eq!(marks(&s, "#plan-charts").await.len(), 3);
    let steps = s
        .js(
            "return [...document.querySelectorAll('.plan-step')].map(li => [\
               li.querySelector('time').textContent, li.querySelector('.plan-summary').textContent,\
               li.querySelector('.plan-source').textContent])",
            vec![],
        )
        .await;
    assert_eq!(
        steps,
        json!([
            ["2026-12-03", "小李", "关系地图"],
            ["2026-12-10", "老王", "关系地图"]
        ])
    );
    let progress = s.text("#plan-progress").await;
    assert!(progress.contains("还没有读完的章节"), "{progress}");

    s.click("[data-plan-action=ics]").await;
    let file = browser.download_like("setback-guide-plan", ".ics").await;
    let text = std::fs::read_to_string(&file).unwrap();
    check_calendar(&text);
    s.close().await;
}

fn check_calendar(text: &str) {
    assert!(text.ends_with("\r\n"));
    for line in text.split("\r\n") {
        assert!(!line.contains('\n'), "a bare newline in {line:?}");
        assert!(line.len() <= 75, "a line longer than 75 octets: {line:?}");
    }
    let unfolded = icalendar::parser::unfold(text);
    let parsed = icalendar::parser::read_calendar(&unfolded).expect("a valid calendar");
    let calendar: icalendar::Calendar = parsed.into();
    assert!(unfolded.contains("VERSION:2.0\r\n") && unfolded.contains("PRODID:"));
    let events: Vec<_> = calendar
        .components
        .iter()
        .filter_map(|c| c.as_event())
        .collect();
    let summaries: Vec<_> = events.iter().map(|e| e.get_summary().unwrap()).collect();
    assert_eq!(summaries, ["小李", "老王"]);
    let uids: Vec<_> = events.iter().map(|e| e.get_uid().unwrap()).collect();
    assert_eq!(
        uids,
        [
            "setback-guide.relationship-map.people-2-by@guidebook",
            "setback-guide.relationship-map.people-1-by@guidebook"
        ]
    );
    assert_eq!(
        events[1].get_description(),
        Some("下一步：约午饭, 带上复盘\n来自工作表：关系地图")
    );
    assert_eq!(
        events[0].get_description(),
        Some("下一步：发消息; 问近况\\顺便道谢\n来自工作表：关系地图")
    );
    assert_eq!(
        events[0].get_start(),
        Some(icalendar::DatePerhapsTime::Date(
            chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()
        ))
    );
    assert!(events.iter().all(|e| e.get_timestamp().is_some()));
}

/// A worksheet with dates but no chart: its page does not load the plan script until the reader
/// asks for the calendar, which then downloads.
#[tokio::test]
async fn dates_without_a_chart_load_the_plan_script_on_first_use() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::guide();
    let s = browser.open(&site).await;
    s.goto("worksheets/plan-30-60-90.html").await;
    let plan_scripts =
        "return [...document.scripts].filter(x => /guidebook-plan/.test(x.src)).length";
    assert_eq!(s.js(plan_scripts, vec![]).await, json!(0));
    assert_eq!(
        s.js("return !!window.guidebook.plan", vec![]).await,
        json!(false)
    );
    // A date control's typing depends on the locale: set it as a script would.
    s.js(
        "const input = document.querySelector('.field[data-field=start-date] input');\
         input.value = '2026-12-01'; input.dispatchEvent(new Event('input', { bubbles: true }));",
        vec![],
    )
    .await;
    s.assert_no_native_dialog().await;
    s.click("form[data-worksheet=plan-30-60-90] .ws-calendar")
        .await;
    s.assert_no_native_dialog().await;
    let file = browser.downloaded("plan-30-60-90.ics").await;
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("BEGIN:VCALENDAR"), "{text}");
    assert!(text.contains("DTSTART;VALUE=DATE:20261201"), "{text}");
    assert_eq!(s.js(plan_scripts, vec![]).await, json!(1));
    s.close().await;
}
