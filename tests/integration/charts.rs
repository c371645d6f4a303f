//! Charts declared on rows fields: where they are wrong the build says exactly where and what to
//! write instead; where they are right the page carries the chart and loads the plan script, and
//! plan.html gets its own data that no other page loads.

use crate::common::{TestBook, quoted_after};

const PEOPLE: &str = "        label: 相关的人\n        columns:";

fn with_chart(chart: &str) -> TestBook {
    let book = TestBook::fixture("basic");
    book.edit(
        "content/worksheets/review.yaml",
        PEOPLE,
        &format!("        label: 相关的人\n        chart: {chart}\n        columns:"),
    );
    book
}

#[test]
fn an_unknown_column_and_an_axis_that_is_not_a_scale() {
    let book = with_chart("{ type: scatter, x: warmht, y: name, color: kind }");
    let line = "        chart: { type: scatter, x: warmht, y: name, color: kind }";
    assert_eq!(
        book.build_err(),
        format!(
            "error: the chart's `x` names an unknown column `warmht`; did you mean `warmth`?\n  \
             --> content/worksheets/review.yaml:40:36\n   |\n40 | {line}\n   |{}^^^^^^\n   \
             = help: the columns of `people` are: name, warmth, kind\n\n\
             error: the chart's `y` must be a scale column, but `name` is a text column\n  \
             --> content/worksheets/review.yaml:40:47\n   |\n40 | {line}\n   |{}^^^^\n   \
             = help: the scale columns of `people` are: warmth\n",
            " ".repeat(36),
            " ".repeat(47)
        )
    );
}

#[test]
fn an_unknown_chart_type_and_a_missing_axis() {
    let book = with_chart("{ type: quadrnt, x: warmth }");
    let line = "        chart: { type: quadrnt, x: warmth }";
    assert_eq!(
        book.build_err(),
        format!(
            "error: unknown chart type `quadrnt`; did you mean `quadrant`?\n  \
             --> content/worksheets/review.yaml:40:24\n   |\n40 | {line}\n   |{}^^^^^^^\n   \
             = help: chart types are: quadrant, scatter, bar\n",
            " ".repeat(24)
        )
    );
    let book = with_chart("{ type: bar, value: warmth, y: warmth }");
    let line = "        chart: { type: bar, value: warmth, y: warmth }";
    assert_eq!(
        book.build_err(),
        format!(
            "error: a bar chart has no `y`\n  --> content/worksheets/review.yaml:40:47\n   |\n40 | {line}\n   |{}^^^^^^\n   \
             = help: a bar chart takes `value:` (a scale column), `label:` and `color:`\n",
            " ".repeat(47)
        )
    );
}

#[test]
fn a_chart_on_a_field_that_is_not_rows() {
    let book = TestBook::fixture("basic");
    book.edit(
        "content/worksheets/review.yaml",
        "        label: 一句话",
        "        label: 一句话\n        chart: { type: bar, value: warmth }",
    );
    let text = book.build_err();
    let line = "        chart: { type: bar, value: warmth }";
    assert_eq!(
        text,
        format!(
            "error: only `rows` fields take `chart:`, and `short` is a text field\n  \
             --> content/worksheets/review.yaml:47:16\n   |\n47 | {line}\n   |{}^\n   \
             = help: move `chart:` to a `type: rows` field, or remove it\n",
            " ".repeat(16)
        )
    );
}

#[test]
fn a_chart_reaches_its_page_and_the_plan_has_its_own_data() {
    let book = with_chart(
        "{ type: quadrant, x: warmth, y: warmth, label: name, color: kind, quadrants: [甲, 乙, 丙, 丁] }",
    );
    book.build();
    let page = book.output("worksheets/review.html");
    assert!(page.contains("<figure class=\"ws-chart\" data-chart=\"{&quot;type&quot;:&quot;quadrant&quot;,&quot;title&quot;:&quot;相关的人&quot;,&quot;field&quot;:&quot;people&quot;,&quot;x&quot;:{&quot;column&quot;:&quot;warmth&quot;,&quot;label&quot;:&quot;温度&quot;,&quot;min&quot;:1.0,&quot;max&quot;:5.0,"), "{page}");
    assert!(page.contains("<figcaption>相关的人</figcaption><table class=\"ws-chart-table\"><thead><tr><th scope=\"col\">姓名</th><th scope=\"col\">温度</th><th scope=\"col\">温度</th><th scope=\"col\">类型</th></tr></thead><tbody></tbody></table></figure>"), "{page}");
    assert!(
        page.contains("<script defer src=\"../assets/guidebook-plan-"),
        "{page}"
    );
    // A page with no chart and no date does not load the plan script.
    let three = book.output("three.html");
    assert!(!three.contains("guidebook-plan"), "{three}");

    let plan = book.output("plan.html");
    assert!(plan.contains("<h1>我的计划</h1>"), "{plan}");
    let data_path =
        quoted_after(&plan, "data-plan-data=\"", 1).expect("plan.html names its data script");
    assert!(data_path.starts_with("assets/plan-data-"), "{data_path}");
    let data = book.output(data_path);
    assert!(data.starts_with("window.GUIDEBOOK_PLAN={"), "{data}");
    assert!(
        data.contains("\"dates\":[{\"field\":\"when\",\"label\":\"日期\"}]"),
        "{data}"
    );
    assert!(
        data.contains("\"quadrants\":[\"甲\",\"乙\",\"丙\",\"丁\"]"),
        "{data}"
    );
    // Every page loads book.js, so the plan's data stays out of it.
    let manifest_path =
        quoted_after(&plan, "<script defer src=\"", 1).expect("plan.html loads book.js");
    let manifest = book.output(manifest_path);
    assert!(manifest.starts_with("window.guidebook="), "{manifest}");
    assert!(!manifest.contains("quadrant"), "{manifest}");
}
