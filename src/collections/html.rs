//! The HTML of worksheets, checklists and case cards, shared by chapters and their own pages.
//! Forms work as plain HTML; the theme's script adds saving, rows, export and import.

use std::fmt::Write;

use super::case::Case;
use super::chart::Chart;
use super::checklist::Checklist;
use super::worksheet::{Field, FieldKind, Worksheet};
use crate::i18n::{Lang, words};
use crate::markdown::escape;
use crate::url::{ROOT_MARKER, encode_path};

/// Opens a checklist wrapper; the caller writes the list and closes the `div`.
pub fn checklist_open(scope: &str, list_id: &str) -> String {
    format!(
        "<div class=\"checklist\" data-scope=\"{}\" data-list=\"{}\">\n",
        escape(scope),
        escape(list_id)
    )
}

/// A YAML checklist with its title; `link_page` adds a link to its own page.
pub fn checklist_block(list: &Checklist, level: u8, link_page: bool) -> String {
    let mut html = String::new();
    let id = &list.id;
    let _ = write!(
        html,
        "<section class=\"embed embed-checklist\" aria-labelledby=\"cl-{id}-title\">\n<h{level} id=\"cl-{id}-title\">"
    );
    if link_page {
        let _ = write!(
            html,
            "<a href=\"{ROOT_MARKER}checklists/{}.html\">{}</a>",
            encode_path(id),
            escape(&list.title)
        );
    } else {
        html.push_str(&escape(&list.title));
    }
    let _ = writeln!(html, "</h{level}>");
    html.push_str(&list.intro_html);
    html.push_str(&checklist_open(&format!("list:{id}"), id));
    html.push_str("<ul class=\"task-list\">\n");
    for (n, item) in list.items.iter().enumerate() {
        let input = format!("cl-{id}-{}", n + 1);
        let _ = writeln!(
            html,
            "<li class=\"task\"><input type=\"checkbox\" id=\"{input}\" data-item=\"{}\"><label for=\"{input}\">{}</label></li>",
            escape(&item.id),
            item.html
        );
    }
    html.push_str("</ul>\n</div>\n</section>\n");
    html
}

/// A case study card. `with_id` gives it its `case-<id>` anchor (only once per page).
pub fn case_card(
    case: &Case,
    level: u8,
    with_id: bool,
    lang: Lang,
    cited_in: &[(String, String)],
) -> String {
    let w = words(lang);
    let mut html = String::new();
    let id_attr = if with_id {
        format!(" id=\"case-{}\"", escape(&case.id))
    } else {
        String::new()
    };
    let _ = writeln!(html, "<article class=\"case\"{id_attr}>");
    let _ = writeln!(
        html,
        "<h{level} class=\"case-title\">{}</h{level}>",
        escape(&case.title)
    );
    if !case.setback.is_empty() || !case.person.is_empty() {
        html.push_str("<p class=\"case-meta\">");
        if !case.setback.is_empty() {
            let _ = write!(
                html,
                "<span class=\"case-setback\">{}</span> ",
                escape(&case.setback)
            );
        }
        html.push_str(&escape(&case.person));
        html.push_str("</p>\n");
    }
    let facets: Vec<&str> = [&case.industry, &case.seniority, &case.result]
        .into_iter()
        .filter(|f| !f.is_empty())
        .map(String::as_str)
        .collect();
    if !facets.is_empty() {
        let _ = writeln!(
            html,
            "<p class=\"case-facets\" data-industry=\"{}\" data-seniority=\"{}\" data-result=\"{}\">{}</p>",
            escape(&case.industry),
            escape(&case.seniority),
            escape(&case.result),
            facets
                .iter()
                .map(|f| escape(f))
                .collect::<Vec<_>>()
                .join(" · ")
        );
    }
    let sub = (level + 1).min(6);
    for (class, title, body) in [
        ("case-situation", w.situation, &case.situation_html),
        ("case-actions", w.actions, &case.actions_html),
        ("case-outcome", w.outcome, &case.outcome_html),
        ("case-lesson", w.lesson, &case.lesson_html),
    ] {
        let _ = writeln!(
            html,
            "<section class=\"{class}\"><h{sub}>{title}</h{sub}>\n{body}</section>"
        );
    }
    if !cited_in.is_empty() {
        let _ = write!(html, "<p class=\"case-cited\">{}：", w.cited_in);
        for (i, (path, title)) in cited_in.iter().enumerate() {
            if i > 0 {
                html.push('、');
            }
            let _ = write!(
                html,
                "<a href=\"{ROOT_MARKER}{}\">{}</a>",
                encode_path(path),
                escape(title)
            );
        }
        html.push_str("</p>\n");
    }
    html.push_str("</article>\n");
    html
}

/// A worksheet as a form. `instance` keeps ids unique when one page shows it twice.
pub fn worksheet_form(
    ws: &Worksheet,
    level: u8,
    instance: usize,
    lang: Lang,
    link_page: bool,
) -> String {
    let w = words(lang);
    let prefix = if instance > 1 {
        format!("ws-{}-{instance}", ws.id)
    } else {
        format!("ws-{}", ws.id)
    };
    let mut html = String::new();
    let _ = writeln!(
        html,
        "<form class=\"worksheet\" id=\"{prefix}\" data-worksheet=\"{}\" aria-labelledby=\"{prefix}-title\"{}novalidate>",
        escape(&ws.id),
        if crate::plan::worksheet_uses_plan(ws) {
            crate::plan::PLAN_MARKER
        } else {
            " "
        }
    );
    let _ = write!(
        html,
        "<header class=\"ws-header\"><h{level} id=\"{prefix}-title\">"
    );
    html.push_str(&escape(&ws.title));
    let _ = writeln!(html, "</h{level}>");
    html.push_str(&ws.intro_html);
    if link_page {
        let _ = writeln!(
            html,
            "<p class=\"ws-open\"><a href=\"{ROOT_MARKER}worksheets/{}.html\">{}</a></p>",
            encode_path(&ws.id),
            w.open_worksheet
        );
    }
    html.push_str("</header>\n");
    for section in &ws.sections {
        html.push_str("<fieldset class=\"ws-section\">\n");
        let _ = writeln!(html, "<legend>{}</legend>", escape(&section.title));
        html.push_str(&section.intro_html);
        for field in &section.fields {
            field_html(&mut html, field, &prefix, lang);
        }
        html.push_str("</fieldset>\n");
    }
    html.push_str("</form>\n");
    html
}

fn field_html(html: &mut String, field: &Field, prefix: &str, lang: Lang) {
    let w = words(lang);
    let id = format!("{prefix}-{}", field.id);
    let kind = field.kind.name();
    let name = escape(&field.id);
    let required = if field.required {
        format!(" <span class=\"required\">（{}）</span>", w.required)
    } else {
        String::new()
    };
    let help_id = format!("{id}-help");
    let help = if field.help.is_empty() {
        String::new()
    } else {
        format!(
            "<p class=\"help\" id=\"{help_id}\">{}</p>\n",
            escape(&field.help)
        )
    };
    let described = if field.help.is_empty() {
        String::new()
    } else {
        format!(" aria-describedby=\"{help_id}\"")
    };
    let req_attr = if field.required {
        " required aria-required=\"true\""
    } else {
        ""
    };
    let label = escape(&field.label);
    match field.kind {
        FieldKind::MultiChoice | FieldKind::Checklist | FieldKind::Scale | FieldKind::Choice
            if field.kind != FieldKind::Choice || field.options.len() <= 6 =>
        {
            let _ = writeln!(
                html,
                "<fieldset class=\"field\" data-field=\"{name}\" data-type=\"{kind}\"{described}>"
            );
            let _ = writeln!(html, "<legend>{label}{required}</legend>");
            html.push_str(&help);
            let input_type = if matches!(field.kind, FieldKind::MultiChoice | FieldKind::Checklist)
            {
                "checkbox"
            } else {
                "radio"
            };
            let options: Vec<(String, String)> = if field.kind == FieldKind::Scale {
                scale_options(field)
            } else {
                field
                    .options
                    .iter()
                    .map(|o| (o.clone(), escape(o)))
                    .collect()
            };
            let class = if field.kind == FieldKind::Scale {
                "options scale"
            } else {
                "options"
            };
            let _ = write!(html, "<div class=\"{class}\">");
            if field.kind == FieldKind::Scale && !field.min_label.is_empty() {
                let _ = write!(
                    html,
                    "<span class=\"scale-end\" aria-hidden=\"true\">{}</span>",
                    escape(&field.min_label)
                );
            }
            // Each option's label wraps its input, so the inputs need no ids.
            for (value, text) in &options {
                let _ = write!(
                    html,
                    "<label class=\"option\"><input type=\"{input_type}\" name=\"{name}\" value=\"{}\"> <span>{text}</span></label>",
                    escape(value)
                );
            }
            if field.kind == FieldKind::Scale && !field.max_label.is_empty() {
                let _ = write!(
                    html,
                    "<span class=\"scale-end\" aria-hidden=\"true\">{}</span>",
                    escape(&field.max_label)
                );
            }
            html.push_str("</div>\n</fieldset>\n");
        }
        FieldKind::Rows => rows_html(html, field, &id, &label, &required, &help, lang),
        _ => {
            let _ = writeln!(
                html,
                "<div class=\"field\" data-field=\"{name}\" data-type=\"{kind}\">"
            );
            let _ = writeln!(html, "<label for=\"{id}\">{label}{required}</label>");
            html.push_str(&help);
            let attrs = format!("id=\"{id}\" name=\"{name}\"{described}{req_attr}");
            html.push_str(&control_html(field, &attrs, lang));
            html.push_str("\n</div>\n");
        }
    }
}

/// The input element of a single-value field (also used for row columns).
fn control_html(field: &Field, attrs: &str, lang: Lang) -> String {
    let placeholder = if field.placeholder.is_empty() {
        String::new()
    } else {
        format!(" placeholder=\"{}\"", escape(&field.placeholder))
    };
    let mut range = String::new();
    for (attr, value) in [("min", field.min), ("max", field.max), ("step", field.step)] {
        if let Some(v) = value {
            let _ = write!(range, " {attr}=\"{v}\"");
        }
    }
    match field.kind {
        FieldKind::Textarea => format!("<textarea {attrs} rows=\"4\"{placeholder}></textarea>"),
        FieldKind::Number => {
            format!("<input type=\"number\" inputmode=\"decimal\" {attrs}{range}{placeholder}>")
        }
        FieldKind::Date => format!("<input type=\"date\" {attrs}>"),
        FieldKind::Choice | FieldKind::Scale | FieldKind::MultiChoice | FieldKind::Checklist => {
            let options = if field.kind == FieldKind::Scale {
                scale_options(field)
            } else {
                field
                    .options
                    .iter()
                    .map(|o| (o.clone(), escape(o)))
                    .collect()
            };
            let multiple = if matches!(field.kind, FieldKind::MultiChoice | FieldKind::Checklist) {
                " multiple"
            } else {
                ""
            };
            let mut html = format!(
                "<select {attrs}{multiple}><option value=\"\">{}</option>",
                words(lang).choose
            );
            for (value, text) in options {
                let _ = write!(html, "<option value=\"{}\">{text}</option>", escape(&value));
            }
            html.push_str("</select>");
            html
        }
        _ => format!("<input type=\"text\" {attrs}{placeholder}>"),
    }
}

fn scale_options(field: &Field) -> Vec<(String, String)> {
    let (lo, hi) = (
        field.min.unwrap_or(1.0) as i64,
        field.max.unwrap_or(5.0) as i64,
    );
    (lo..=hi)
        .map(|n| {
            let mut text = n.to_string();
            if n == lo && !field.min_label.is_empty() {
                text = format!(
                    "{n}<span class=\"visually-hidden\">（{}）</span>",
                    escape(&field.min_label)
                );
            } else if n == hi && !field.max_label.is_empty() {
                text = format!(
                    "{n}<span class=\"visually-hidden\">（{}）</span>",
                    escape(&field.max_label)
                );
            }
            (n.to_string(), text)
        })
        .collect()
}

fn rows_html(
    html: &mut String,
    field: &Field,
    id: &str,
    label: &str,
    required: &str,
    help: &str,
    lang: Lang,
) {
    let w = words(lang);
    let _ = writeln!(
        html,
        "<div class=\"field\" data-field=\"{}\" data-type=\"rows\" id=\"{id}\">",
        escape(&field.id)
    );
    html.push_str(help);
    let _ = write!(
        html,
        "<div class=\"ws-rows-scroll\"><table class=\"ws-rows\"><caption>{label}{required}</caption><thead><tr>"
    );
    for col in &field.columns {
        let _ = write!(html, "<th scope=\"col\">{}</th>", escape(&col.label));
    }
    let _ = writeln!(
        html,
        "<th scope=\"col\"><span class=\"visually-hidden\">{}</span></th></tr></thead><tbody></tbody></table></div>",
        w.row_actions
    );
    html.push_str("<template class=\"ws-row-template\"><tr>");
    for col in &field.columns {
        let col_label = escape(&col.label);
        let attrs = format!(
            "data-col=\"{}\" aria-label=\"{col_label}\"",
            escape(&col.id)
        );
        let _ = write!(html, "<td>{}</td>", control_html(col, &attrs, lang));
    }
    let _ = writeln!(
        html,
        "<td><button type=\"button\" class=\"ws-row-remove\">{}</button></td></tr></template>",
        w.remove_row
    );
    let _ = writeln!(
        html,
        "<button type=\"button\" class=\"ws-row-add\" hidden>{}</button>",
        w.add_row
    );
    if let Some(chart) = &field.chart {
        chart_html(html, chart, field);
    }
    html.push_str("</div>\n");
}

/// A rows field's chart: the script draws the SVG into the figure from the rows and fills the
/// table that stands in for it (for screen readers, and without the script).
fn chart_html(html: &mut String, chart: &Chart, field: &Field) {
    let spec = serde_json::to_string(chart).expect("charts serialise");
    let _ = write!(
        html,
        "<figure class=\"ws-chart\" data-chart=\"{}\"><figcaption>{}</figcaption><table class=\"ws-chart-table\"><thead><tr>",
        escape(&spec),
        escape(&chart.title)
    );
    let label_of = |id: &str| {
        field
            .columns
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.label.as_str())
    };
    let columns = [
        chart.label.as_deref(),
        Some(chart.x.column.as_str()),
        chart.y.as_ref().map(|y| y.column.as_str()),
        chart.color.as_ref().map(|c| c.column.as_str()),
    ];
    for id in columns.into_iter().flatten() {
        let _ = write!(
            html,
            "<th scope=\"col\">{}</th>",
            escape(label_of(id).unwrap_or(id))
        );
    }
    html.push_str("</tr></thead><tbody></tbody></table></figure>\n");
}
