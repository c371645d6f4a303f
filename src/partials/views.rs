//! The views partials receive: plain, serialisable shapes built from the book model, with the
//! Markdown of collection items rendered to HTML and every id and href worked out here.

use serde::Serialize;

use crate::collections::worksheet::{Field, FieldKind};
use crate::collections::{Case, Checklist, Worksheet, checklist_scope};
use crate::commonmark::{render_inline, render_snippet};
use crate::url::encode_path;

/// A heading, for `partials/heading.html`.
#[derive(Serialize)]
pub(crate) struct HeadingView<'a> {
    pub level: u8,
    pub id: &'a str,
    pub href: String,
    pub classes: String,
    pub has_link: bool,
}

/// What the built-in `partials/heading.html` renders for `heading`, before and after the
/// heading's text; `label` is the anchor link's label, escaped. Values are escaped as Tera's
/// autoescape does.
pub(crate) fn built_in_heading(heading: &HeadingView, label: &str) -> (String, String) {
    use crate::html::escape;
    let level = heading.level;
    let mut open = format!("<h{level} id=\"{}\"", escape(heading.id));
    if !heading.classes.is_empty() {
        open.push_str(&format!(" class=\"{}\"", escape(&heading.classes)));
    }
    open.push('>');
    let href = escape(&heading.href);
    let mut close = String::new();
    if heading.has_link {
        close.push_str(&format!(
            " <a class=\"heading-anchor\" href=\"#{href}\" aria-label=\"{label}\">#</a>"
        ));
    } else {
        open.push_str(&format!("<a class=\"heading-anchor\" href=\"#{href}\">"));
        close.push_str("</a>");
    }
    close.push_str(&format!("</h{level}>\n"));
    (open, close)
}

/// A link to a page, relative to the site root.
#[derive(Serialize, Clone)]
pub(crate) struct PageLink {
    pub title: String,
    pub href: String,
}

#[derive(Serialize)]
pub(crate) struct WorksheetView<'a> {
    pub id: &'a str,
    /// The form's id; later copies on one page get a number (`ws-map-2`).
    pub dom_id: String,
    pub title: &'a str,
    /// The level of the form's own heading; `None` on the worksheet's page, whose `<h1>` is the
    /// title.
    pub level: Option<u8>,
    pub intro: String,
    /// The worksheet's own page, shown as a link where the worksheet is embedded.
    pub page_href: Option<String>,
    pub sections: Vec<SectionView<'a>>,
    /// The form has a chart, drawn by the plan script: `data-plan` on the form.
    pub uses_plan: bool,
    /// The form asks for dates: a calendar export button (its click loads the plan script).
    pub has_dates: bool,
}

#[derive(Serialize)]
pub(crate) struct SectionView<'a> {
    pub title: &'a str,
    pub intro: String,
    pub fields: Vec<FieldView<'a>>,
}

#[derive(Serialize)]
pub(crate) struct FieldView<'a> {
    /// The field's id in the worksheet, the name answers are saved under.
    pub name: &'a str,
    pub dom_id: String,
    pub kind: &'static str,
    pub label: &'a str,
    pub help: &'a str,
    pub placeholder: &'a str,
    pub required: bool,
    /// Options shown as a group of radio buttons or checkboxes (else a single control).
    pub grouped: bool,
    /// Several answers at once: checkboxes, or a `multiple` select.
    pub multiple: bool,
    pub scale: bool,
    pub options: Vec<OptionView>,
    pub min_label: &'a str,
    pub max_label: &'a str,
    pub min: Option<String>,
    pub max: Option<String>,
    pub step: Option<String>,
    pub columns: Vec<FieldView<'a>>,
    /// A rows field's chart: its spec as JSON for the plan script, and the fallback table's
    /// column headers.
    pub chart: Option<ChartView>,
    /// In a translation: the default language's option texts as a JSON list, for answers saved
    /// as text (`data-aliases`).
    pub aliases: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct ChartView {
    pub spec: String,
    pub title: String,
    pub headers: Vec<String>,
}

impl ChartView {
    fn new(chart: &crate::collections::chart::Chart, field: &Field) -> ChartView {
        let label_of = |id: &str| {
            field
                .columns
                .iter()
                .find(|c| c.id == id)
                .map_or_else(|| id.to_string(), |c| c.label.clone())
        };
        let columns = [
            chart.label.as_deref(),
            Some(chart.x.column.as_str()),
            chart.y.as_ref().map(|y| y.column.as_str()),
            chart.color.as_ref().map(|c| c.column.as_str()),
        ];
        ChartView {
            spec: serde_json::to_string(chart).expect("charts serialise"),
            title: chart.title.clone(),
            headers: columns.into_iter().flatten().map(label_of).collect(),
        }
    }
}

#[derive(Serialize)]
pub(crate) struct OptionView {
    /// What a chosen option saves: its position from 1 (a scale's number), the same in every
    /// language.
    pub key: String,
    /// What it shows.
    pub value: String,
    /// The end label of a scale's first or last value, read out to screen readers.
    pub end_label: String,
}

impl<'a> WorksheetView<'a> {
    /// `instance` counts the copies of this worksheet on one page, from 1.
    pub fn new(ws: &'a Worksheet, level: Option<u8>, instance: usize, link_page: bool) -> Self {
        let dom_id = if instance > 1 {
            format!("ws-{}-{instance}", ws.id)
        } else {
            format!("ws-{}", ws.id)
        };
        let sections = ws
            .sections
            .iter()
            .map(|s| SectionView {
                title: &s.title,
                intro: render_snippet(&s.intro),
                fields: s
                    .fields
                    .iter()
                    .map(|f| FieldView::new(f, &dom_id))
                    .collect(),
            })
            .collect();
        WorksheetView {
            id: &ws.id,
            title: &ws.title,
            level,
            intro: render_snippet(&ws.intro),
            page_href: link_page.then(|| encode_path(&ws.page_path())),
            sections,
            dom_id,
            uses_plan: crate::plan::worksheet_uses_plan(ws),
            has_dates: crate::plan::worksheet_has_dates(ws),
        }
    }
}

impl<'a> FieldView<'a> {
    fn new(field: &'a Field, form_id: &str) -> Self {
        let kind = field.kind;
        let options = if kind == FieldKind::Scale {
            scale_options(field)
        } else {
            field
                .options
                .iter()
                .enumerate()
                .map(|(i, o)| OptionView {
                    // By position, so every language's form saves the same answer.
                    key: (i + 1).to_string(),
                    value: o.clone(),
                    end_label: String::new(),
                })
                .collect()
        };
        let number = |v: Option<f64>| v.map(|v| v.to_string());
        FieldView {
            name: &field.id,
            dom_id: format!("{form_id}-{}", field.id),
            kind: kind.name(),
            label: &field.label,
            help: &field.help,
            placeholder: &field.placeholder,
            required: field.required,
            grouped: matches!(
                kind,
                FieldKind::MultiChoice | FieldKind::Checklist | FieldKind::Scale
            ) || (kind == FieldKind::Choice && field.options.len() <= 6),
            multiple: matches!(kind, FieldKind::MultiChoice | FieldKind::Checklist),
            scale: kind == FieldKind::Scale,
            options,
            min_label: &field.min_label,
            max_label: &field.max_label,
            min: number(field.min),
            max: number(field.max),
            step: number(field.step),
            columns: field
                .columns
                .iter()
                .map(|c| FieldView::new(c, form_id))
                .collect(),
            chart: field.chart.as_ref().map(|c| ChartView::new(c, field)),
            aliases: (!field.option_aliases.is_empty())
                .then(|| serde_json::to_string(&field.option_aliases).expect("strings serialise")),
        }
    }
}

fn scale_options(field: &Field) -> Vec<OptionView> {
    let (lo, hi) = (
        field.min.unwrap_or(1.0) as i64,
        field.max.unwrap_or(5.0) as i64,
    );
    (lo..=hi)
        .map(|n| OptionView {
            key: n.to_string(),
            value: n.to_string(),
            end_label: if n == lo {
                field.min_label.clone()
            } else if n == hi {
                field.max_label.clone()
            } else {
                String::new()
            },
        })
        .collect()
}

#[derive(Serialize)]
pub(crate) struct ChecklistView<'a> {
    pub id: &'a str,
    pub scope: String,
    pub title: &'a str,
    /// The level of the list's heading; `None` on the checklist's page, whose `<h1>` is the title.
    pub level: Option<u8>,
    pub page_href: Option<String>,
    pub intro: String,
    pub items: Vec<ChecklistItemView<'a>>,
}

#[derive(Serialize)]
pub(crate) struct ChecklistItemView<'a> {
    pub id: &'a str,
    pub dom_id: String,
    pub text: String,
}

impl<'a> ChecklistView<'a> {
    pub fn new(list: &'a Checklist, level: Option<u8>, link_page: bool) -> Self {
        ChecklistView {
            id: &list.id,
            scope: checklist_scope(&list.id),
            title: &list.title,
            level,
            page_href: link_page.then(|| encode_path(&list.page_path())),
            intro: render_snippet(&list.intro),
            items: list
                .items
                .iter()
                .enumerate()
                .map(|(n, item)| ChecklistItemView {
                    id: &item.id,
                    dom_id: format!("cl-{}-{}", list.id, n + 1),
                    text: render_inline(&item.text),
                })
                .collect(),
        }
    }
}

#[derive(Serialize)]
pub(crate) struct CaseView<'a> {
    pub id: &'a str,
    /// `case-<id>`, on the first copy of a card on a page only.
    pub dom_id: Option<String>,
    pub title: &'a str,
    /// The case's own page, root-relative.
    pub href: String,
    pub level: u8,
    pub setback: &'a str,
    pub person: &'a str,
    pub industry: &'a str,
    pub seniority: &'a str,
    pub result: &'a str,
    /// Industry, seniority and result, those that are set.
    pub facets: Vec<&'a str>,
    pub situation: String,
    pub actions: String,
    pub outcome: String,
    pub lesson: String,
    pub cited_in: Vec<PageLink>,
}

impl<'a> CaseView<'a> {
    pub fn new(case: &'a Case, level: u8, with_id: bool, cited_in: Vec<PageLink>) -> Self {
        CaseView {
            id: &case.id,
            dom_id: with_id.then(|| format!("case-{}", case.id)),
            title: &case.title,
            href: encode_path(&case.page_path()),
            level,
            setback: &case.setback,
            person: &case.person,
            industry: &case.industry,
            seniority: &case.seniority,
            result: &case.result,
            facets: [&case.industry, &case.seniority, &case.result]
                .into_iter()
                .filter(|f| !f.is_empty())
                .map(String::as_str)
                .collect(),
            situation: render_snippet(&case.situation),
            actions: render_snippet(&case.actions),
            outcome: render_snippet(&case.outcome),
            lesson: render_snippet(&case.lesson),
            cited_in,
        }
    }
}

/// The values the case library can be filtered by, each list in order of first appearance.
#[derive(Serialize, Default)]
pub(crate) struct CaseFilters<'a> {
    pub setback: Vec<&'a str>,
    pub industry: Vec<&'a str>,
    pub result: Vec<&'a str>,
}

impl<'a> CaseFilters<'a> {
    pub fn new(cases: &[CaseView<'a>]) -> Self {
        let mut filters = CaseFilters::default();
        for case in cases {
            for (list, value) in [
                (&mut filters.setback, case.setback),
                (&mut filters.industry, case.industry),
                (&mut filters.result, case.result),
            ] {
                if !value.is_empty() && !list.contains(&value) {
                    list.push(value);
                }
            }
        }
        filters
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(id: &str, setback: &str, industry: &str) -> Case {
        crate::collections::case::parse(
            &format!("title: {id}\nsetback: {setback}\nindustry: {industry}\nsituation: s\nactions: a\noutcome: o\nlesson: l\n"),
            "c.yaml",
            id,
        )
        .unwrap()
    }

    #[test]
    fn filters_list_each_value_once_in_order_of_appearance() {
        let cases = [
            case("a", "裁员", "软件"),
            case("b", "项目延期", "软件"),
            case("c", "裁员", "\"\""),
        ];
        let views: Vec<CaseView> = cases
            .iter()
            .map(|c| CaseView::new(c, 2, true, Vec::new()))
            .collect();
        let filters = CaseFilters::new(&views);
        assert_eq!(filters.setback, ["裁员", "项目延期"]);
        assert_eq!(filters.industry, ["软件"]);
        assert!(filters.result.is_empty());
        assert_eq!(views[0].dom_id.as_deref(), Some("case-a"));
        assert_eq!(views[0].situation, "<p>s</p>\n");
    }

    #[test]
    fn a_second_copy_of_a_worksheet_gets_its_own_ids_and_scales_get_end_labels() {
        let ws = crate::collections::worksheet::parse(
            "title: t\nsections:\n  - title: s\n    fields:\n      - {id: mood, type: scale, label: m, min-label: 低, max-label: 高}\n",
            "w.yaml",
            "w",
        )
        .unwrap();
        let view = WorksheetView::new(&ws, Some(2), 2, true);
        assert_eq!(view.dom_id, "ws-w-2");
        assert_eq!(view.page_href.as_deref(), Some("worksheets/w.html"));
        let field = &view.sections[0].fields[0];
        assert_eq!(field.dom_id, "ws-w-2-mood");
        assert!(field.grouped && field.scale && !field.multiple);
        let ends: Vec<&str> = field.options.iter().map(|o| o.end_label.as_str()).collect();
        assert_eq!(ends, ["低", "", "", "", "高"]);
    }
}
