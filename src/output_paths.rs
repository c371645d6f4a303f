//! Every file of the site comes from one source. Two sources that would write one output path (a
//! chapter and a static file, a worksheet page and a chapter, a static file and a page guidebook
//! generates) are an error naming both, instead of one silently winning.

use std::collections::HashMap;

use crate::book::Book;
use crate::collections::ItemRef;
use crate::error::{Diagnostic, Diagnostics};
use crate::fs_util::relative_slash_path;
use crate::output::BUILD_MARKER;

/// The paths guidebook itself writes, with how errors name their source.
fn generated_paths(book: &Book) -> Vec<(String, String)> {
    let mut paths = vec![
        ("404.html".to_string(), "guidebook's 404 page".to_string()),
        ("print.html".into(), "guidebook's print page".into()),
        (".nojekyll".into(), "guidebook's .nojekyll file".into()),
        (BUILD_MARKER.into(), "guidebook's build marker".into()),
    ];
    if !book.chapters.iter().any(|c| c.page_path == "index.html") {
        paths.push((
            "index.html".into(),
            "guidebook's generated contents page".into(),
        ));
    }
    if crate::sitemap::writes_robots(&book.config) {
        paths.push(("robots.txt".into(), "guidebook's robots.txt".into()));
    }
    if book.config.site_url.is_some() {
        paths.push(("sitemap.xml".into(), "guidebook's sitemap".into()));
    }
    paths
}

/// Checks that no two sources of `book` map to one output path.
pub fn check(book: &Book) -> Diagnostics {
    let root = &book.config.root;
    let src = &book.config.src_dir;
    let mut item_files: HashMap<ItemRef, &str> = HashMap::new();
    for (source, item) in &book.collections.by_source {
        item_files.insert(*item, source.as_str());
    }
    let shown_source = |source: &str| relative_slash_path(&src.join(source), root);

    let mut sources: Vec<(String, String)> = Vec::new();
    for chapter in &book.chapters {
        sources.push((
            chapter.page_path.clone(),
            format!("`{}`", chapter.shown_path),
        ));
    }
    let c = &book.collections;
    for (i, ws) in c.worksheets.iter().enumerate() {
        let file = item_files
            .get(&ItemRef::Worksheet(i))
            .copied()
            .unwrap_or("");
        sources.push((
            ws.page_path(),
            format!("the page of worksheet `{}`", shown_source(file)),
        ));
    }
    for (i, list) in c.checklists.iter().enumerate() {
        let file = item_files
            .get(&ItemRef::Checklist(i))
            .copied()
            .unwrap_or("");
        sources.push((
            list.page_path(),
            format!("the page of checklist `{}`", shown_source(file)),
        ));
    }
    for (i, case) in c.cases.iter().enumerate() {
        let file = item_files.get(&ItemRef::Case(i)).copied().unwrap_or("");
        sources.push((
            case.page_path(),
            format!("the page of case `{}`", shown_source(file)),
        ));
    }
    sources.extend(generated_paths(book));
    for file in &book.static_files {
        sources.push((
            file.output_path.clone(),
            format!("`{}`", relative_slash_path(&file.source, root)),
        ));
    }

    let mut first_source: HashMap<&str, &str> = HashMap::new();
    let mut errors = Diagnostics::default();
    for (path, source) in &sources {
        match first_source.get(path.as_str()) {
            Some(first) => errors.push(
                Diagnostic::error(format!(
                    "{first} and {source} would both write `{path}` in the site"
                ))
                .hint("rename or move one of the two, so that each output file has one source"),
            ),
            None => {
                first_source.insert(path, source);
            }
        }
    }
    errors
}
