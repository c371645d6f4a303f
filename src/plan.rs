//! The reader's plan (`plan.html`): the page, and `window.GUIDEBOOK_PLAN`, the data only that page
//! loads (each worksheet's dated fields and charts, checklist items by chapter, chapters by part),
//! so that no other page grows with it. `guidebook-plan.js` turns it and the saved answers into
//! charts, a dated list of steps, open checklist items, progress and an `.ics` file.

use serde_json::{Value, json};

use crate::collections::ItemRef;
use crate::collections::worksheet::{FieldKind, Worksheet};
use crate::error::Diagnostic;
use crate::pages::{PageContext, PageView};
use crate::rendered::{RenderedBook, RenderedChapter};

pub const PLAN_PAGE: &str = "plan.html";
pub const PLAN_DATA: &str = "plan-data.js";
/// Set on a worksheet form that has a chart: its page then loads `guidebook-plan.js` up front.
pub const PLAN_MARKER: &str = " data-plan ";

/// Whether a worksheet needs the plan script as its page loads: its charts are drawn at once.
pub fn worksheet_uses_plan(ws: &Worksheet) -> bool {
    ws.fields().any(|f| f.chart.is_some())
}

/// Whether a worksheet asks for dates: it gets a calendar export button, whose click loads the
/// plan script (so a page with dates but no chart does not load it up front).
pub fn worksheet_has_dates(ws: &Worksheet) -> bool {
    ws.fields()
        .any(|f| f.kind == FieldKind::Date || f.columns.iter().any(|c| c.kind == FieldKind::Date))
}

/// Each dated thing a worksheet asks for: a date field, or a date column of a rows field (its
/// row's summary then comes from the first text column that is not the date).
fn dated_fields(ws: &Worksheet) -> Vec<Value> {
    let mut out = Vec::new();
    for f in ws.fields() {
        if f.kind == FieldKind::Date {
            out.push(json!({"field": f.id, "label": f.label}));
        }
        for col in f.columns.iter().filter(|c| c.kind == FieldKind::Date) {
            let texts: Vec<Value> = f
                .columns
                .iter()
                .filter(|c| matches!(c.kind, FieldKind::Text | FieldKind::Textarea))
                .map(|c| json!({"id": c.id, "label": c.label}))
                .collect();
            out.push(json!({"field": f.id, "label": f.label, "column": col.id,
                "columnLabel": col.label, "texts": texts}));
        }
    }
    out
}

pub(crate) fn plan_data_js(rendered: RenderedBook) -> String {
    let book = rendered.book;
    let c = &book.collections;
    let worksheets: Vec<Value> = c
        .worksheets
        .iter()
        .map(|w| {
            let charts: Vec<_> = w.fields().filter_map(|f| f.chart.as_ref()).collect();
            json!({"id": w.id, "title": w.title, "page": w.page_path(),
                "dates": dated_fields(w), "charts": charts})
        })
        .collect();
    let mut chapters = Vec::new();
    for RenderedChapter {
        chapter: ch,
        rendered: r,
        ..
    } in rendered.chapters()
    {
        let mut lists = Vec::new();
        if !r.task_items.is_empty() {
            lists.push(PlanChecklist {
                items: r
                    .task_items
                    .iter()
                    .map(|t| (&t.id, &t.text).into())
                    .collect(),
                scope: crate::collections::page_scope(book.languages.shared_path(&ch.page_path)),
                title: &ch.title,
            });
        }
        for item in &r.embeds {
            if let ItemRef::Checklist(i) = *item {
                let l = &c.checklists[i];
                let scope = crate::collections::checklist_scope(&l.id);
                if lists.iter().any(|x| x.scope == scope) {
                    continue;
                }
                lists.push(PlanChecklist {
                    items: l.items.iter().map(|x| (&x.id, &x.text).into()).collect(),
                    scope,
                    title: &l.title,
                });
            }
        }
        chapters.push(PlanChapter {
            checklists: lists,
            number: &ch.number,
            part: &ch.part,
            path: &ch.page_path,
            title: &ch.title,
        });
    }
    let json = PlanData {
        book: &book.config.book_id,
        chapters,
        title: &book.config.title,
        worksheets,
    };
    let text = serde_json::to_string(&json).expect("plan data serialises");
    format!("window.GUIDEBOOK_PLAN={};\n", text.replace("</", "<\\/"))
}

// The plan data, serialised straight from the book rather than through a `Value` tree (which
// held ten times the file's size at 5,000 chapters). Fields in alphabetical order, as before.
#[derive(serde::Serialize)]
struct PlanData<'a> {
    book: &'a str,
    chapters: Vec<PlanChapter<'a>>,
    title: &'a str,
    worksheets: Vec<Value>,
}

#[derive(serde::Serialize)]
struct PlanChapter<'a> {
    checklists: Vec<PlanChecklist<'a>>,
    number: &'a Option<String>,
    part: &'a Option<String>,
    path: &'a str,
    title: &'a str,
}

#[derive(serde::Serialize)]
struct PlanChecklist<'a> {
    items: Vec<PlanItem<'a>>,
    scope: String,
    title: &'a str,
}

/// A checklist item or task-list item: its id and text.
#[derive(serde::Serialize)]
struct PlanItem<'a> {
    id: &'a str,
    text: &'a str,
}

impl<'a> From<(&'a String, &'a String)> for PlanItem<'a> {
    fn from((id, text): (&'a String, &'a String)) -> Self {
        PlanItem { id, text }
    }
}

/// `plan.html`; `data_path` is where `plan_data_js` was written.
pub(crate) fn plan_page(ctx: &PageContext, data_path: &str) -> Result<String, Diagnostic> {
    let words = ctx.theme.words(&ctx.book.config.language);
    let page = PageView::new("plan", PLAN_PAGE, &words.page["plan_title"]);
    ctx.render("plan.html", &page, PLAN_PAGE, |c| {
        c.insert("plan_data", data_path);
    })
}
