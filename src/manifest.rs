//! The book's scripts: `window.guidebook` (`manifest`: the paths of the scripts the theme loads
//! on demand; `words`: the scripts' words) loaded by every page; `guidebook.progress` (the ids
//! each chapter's checklists and each worksheet use) loaded only by pages that show progress; and
//! `guidebook.exportData` (labels and texts, for the whole-book Markdown export) loaded only when
//! a reader exports. Only the first is on every page, and it does not grow with the book.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::book::Book;
use crate::collections::ItemRef;
use crate::collections::worksheet::{Field, FieldKind};
use crate::rendered::{RenderedBook, RenderedChapter};

/// Root-relative paths of the scripts the theme loads on demand.
pub struct ManifestPaths<'a> {
    pub search: &'a str,
    pub data: &'a str,
    pub progress: &'a str,
    /// The folder of the sidebar's chunk scripts (see `sidebar`).
    pub toc_chunks: &'a str,
    pub modules: &'a BTreeMap<&'a str, &'a str>,
}

pub fn manifest_js(
    book: &Book,
    paths: &ManifestPaths,
    script_words: &BTreeMap<String, String>,
) -> String {
    let mut manifest = json!({"words": script_words, "manifest": {
        "book": book.config.book_id,
        "title": book.config.title,
        "searchIndex": paths.search,
        "dataScript": paths.data,
        "progressScript": paths.progress,
        "tocChunks": paths.toc_chunks,
        "scripts": paths.modules,
    }});
    // Reading progress is kept per language: marks of `en/` pages are stored under `en/<path>`.
    if !book.languages.prefix().is_empty() {
        manifest["manifest"]["languagePath"] = json!(book.languages.prefix());
    }
    script("guidebook", &manifest)
}

/// What reading progress counts: each chapter's checklists (by scope, with the item ids of its
/// own task lists), the numbered chapters, every worksheet's fields and every checklist's items.
pub(crate) fn progress_js(rendered: RenderedBook) -> String {
    let book = rendered.book;
    let c = &book.collections;
    let chapters: Vec<ProgressChapter> = rendered
        .chapters()
        .map(
            |RenderedChapter {
                 chapter: ch,
                 rendered: r,
                 ..
             }| {
                let mut checklists = Vec::new();
                if !r.task_items.is_empty() {
                    checklists.push(ProgressChecklist {
                        items: Some(r.task_items.iter().map(|t| t.id.as_str()).collect()),
                        scope: crate::collections::page_scope(
                            book.languages.shared_path(&ch.page_path),
                        ),
                    });
                }
                for item in &r.embeds {
                    if let ItemRef::Checklist(i) = *item {
                        let scope = crate::collections::checklist_scope(&c.checklists[i].id);
                        if !checklists.iter().any(|x| x.scope == scope) {
                            // A shared checklist's items are listed once, under `checklists`.
                            checklists.push(ProgressChecklist { items: None, scope });
                        }
                    }
                }
                ProgressChapter {
                    checklists,
                    // Reading progress counts the numbered chapters, not the landing page or the toolbox.
                    numbered: ch.number.is_some(),
                    path: &ch.page_path,
                }
            },
        )
        .collect();
    let worksheets: Vec<Value> = c
        .worksheets
        .iter()
        .map(|w| {
            let fields: Vec<&str> = w.fields().map(|f| f.id.as_str()).collect();
            json!({"id": w.id, "fields": fields})
        })
        .collect();
    let checklists: Vec<Value> = c
        .checklists
        .iter()
        .map(|l| {
            let items: Vec<&str> = l.items.iter().map(|x| x.id.as_str()).collect();
            json!({"scope": crate::collections::checklist_scope(&l.id), "items": items})
        })
        .collect();
    let progress = Progress {
        chapters,
        checklists,
        worksheets,
    };
    let json = serde_json::to_string(&progress).expect("progress data serialises");
    wrap_script("guidebook.progress", &json)
}

/// Labels, options and texts of every worksheet and checklist, and each chapter's own task items.
pub(crate) fn book_data_js(rendered: RenderedBook) -> String {
    let book = rendered.book;
    let c = &book.collections;
    let worksheets: Vec<Value> = c
        .worksheets
        .iter()
        .map(|w| {
            let sections: Vec<Value> = w
                .sections
                .iter()
                .map(|s| {
                    let fields: Vec<Value> = s.fields.iter().map(field_data).collect();
                    json!({"title": s.title, "fields": fields})
                })
                .collect();
            json!({"id": w.id, "title": w.title, "sections": sections})
        })
        .collect();
    let checklists: Vec<Value> = c
        .checklists
        .iter()
        .map(|l| {
            let items: Vec<Value> = l
                .items
                .iter()
                .map(|x| json!({"id": x.id, "text": x.text}))
                .collect();
            json!({"id": l.id, "title": l.title, "scope": crate::collections::checklist_scope(&l.id), "items": items})
        })
        .collect();
    let pages: Vec<PageChecklist> = rendered
        .chapters()
        .filter(|this| !this.rendered.task_items.is_empty())
        .map(
            |RenderedChapter {
                 chapter: ch,
                 rendered: r,
                 ..
             }| PageChecklist {
                id: &ch.page_path,
                items: &r.task_items,
                scope: crate::collections::page_scope(book.languages.shared_path(&ch.page_path)),
                title: &ch.title,
            },
        )
        .collect();
    // Reading progress in the export lists the chapters it counts: the numbered ones.
    let chapters: Vec<ExportChapter> = book
        .chapters
        .iter()
        .filter(|ch| ch.number.is_some())
        .map(|ch| ExportChapter {
            number: &ch.number,
            path: &ch.page_path,
            title: &ch.title,
        })
        .collect();
    let data = ExportData {
        chapters,
        checklists,
        page_checklists: pages,
        worksheets,
    };
    let json = serde_json::to_string(&data).expect("export data serialises");
    wrap_script("guidebook.exportData", &json)
}

// The export data's per-chapter parts, serialised straight from the book rather than through a
// `Value` tree, which at 5,000 chapters took a third of the build's peak memory. Fields are in
// alphabetical order, as a `Value` map writes them.
#[derive(serde::Serialize)]
struct ExportData<'a> {
    chapters: Vec<ExportChapter<'a>>,
    checklists: Vec<Value>,
    #[serde(rename = "pageChecklists")]
    page_checklists: Vec<PageChecklist<'a>>,
    worksheets: Vec<Value>,
}

// The progress data, serialised straight from the book like the export data. Empty lists and
// `numbered: false` are left out: the file grows with the book.
#[derive(serde::Serialize)]
struct Progress<'a> {
    chapters: Vec<ProgressChapter<'a>>,
    checklists: Vec<Value>,
    worksheets: Vec<Value>,
}

#[derive(serde::Serialize)]
struct ProgressChapter<'a> {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    checklists: Vec<ProgressChecklist<'a>>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    numbered: bool,
    path: &'a str,
}

#[derive(serde::Serialize)]
struct ProgressChecklist<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    items: Option<Vec<&'a str>>,
    scope: String,
}

#[derive(serde::Serialize)]
struct ExportChapter<'a> {
    number: &'a Option<String>,
    path: &'a str,
    title: &'a str,
}

#[derive(serde::Serialize)]
struct PageChecklist<'a> {
    id: &'a str,
    items: &'a [crate::markdown::TaskItem],
    scope: String,
    title: &'a str,
}

/// What the Markdown export needs of a field: its label, type and options, a scale's range and end
/// labels (written as "3/5（很激动 → 很平静）"), and a rows field's columns.
fn field_data(f: &Field) -> Value {
    // `options` and `columns` are always there: the scripts read them without checking.
    let mut data =
        json!({"id": f.id, "label": f.label, "type": f.kind.name(), "options": f.options});
    if f.kind == FieldKind::Scale {
        data["scale"] =
            json!({"min": f.min, "max": f.max, "minLabel": f.min_label, "maxLabel": f.max_label});
    }
    data["columns"] = json!(f.columns.iter().map(field_data).collect::<Vec<_>>());
    data
}

fn script(global: &str, value: &Value) -> String {
    let json = serde_json::to_string(value).expect("JSON values serialise");
    wrap_script(global, &json)
}

fn wrap_script(global: &str, json: &str) -> String {
    // `</script>` inside a string must not end an inline script if a theme ever inlines this.
    format!("window.{global}={};\n", json.replace("</", "<\\/"))
}
