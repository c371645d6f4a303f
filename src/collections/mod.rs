//! Worksheets, checklists and case studies: YAML files in `worksheets/`, `checklists/` and `cases/`
//! under the source folder, parsed in parallel and looked up by their source path.

pub(crate) mod case;
pub(crate) mod chart;
pub mod checklist;
pub mod worksheet;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Diagnostic, Diagnostics};
use crate::fs_util::{read_text, relative_slash_path};

pub use case::Case;
pub use checklist::Checklist;
pub use worksheet::Worksheet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemRef {
    Worksheet(usize),
    Checklist(usize),
    Case(usize),
}

#[derive(Debug, Default, Clone)]
pub struct Collections {
    pub worksheets: Vec<Worksheet>,
    pub checklists: Vec<Checklist>,
    pub cases: Vec<Case>,
    /// Source path relative to the source folder (`worksheets/map.yaml`) to the item.
    pub by_source: HashMap<String, ItemRef>,
}

pub(crate) const WORKSHEET_DIR: &str = "worksheets";
pub(crate) const CHECKLIST_DIR: &str = "checklists";
pub(crate) const CASE_DIR: &str = "cases";

/// Where the reader's ticks of a YAML checklist are saved (the same on every page showing it).
pub(crate) fn checklist_scope(list_id: &str) -> String {
    format!("list:{list_id}")
}

/// Where the reader's ticks of a chapter's own task lists are saved.
pub(crate) fn page_scope(page_path: &str) -> String {
    format!("page:{page_path}")
}

impl Worksheet {
    /// The worksheet's own page.
    pub(crate) fn page_path(&self) -> String {
        format!("{WORKSHEET_DIR}/{}.html", self.id)
    }
}

impl Checklist {
    /// The checklist's own page.
    pub(crate) fn page_path(&self) -> String {
        format!("{CHECKLIST_DIR}/{}.html", self.id)
    }
}

impl Case {
    /// The case's own page.
    pub(crate) fn page_path(&self) -> String {
        format!("{CASE_DIR}/{}.html", self.id)
    }
}

impl Collections {
    pub(crate) fn lookup(&self, source_path: &str) -> Option<ItemRef> {
        self.by_source.get(source_path).copied()
    }

    /// The page a plain link to a collection item goes to: each has its own.
    pub(crate) fn link_target(&self, item: ItemRef) -> String {
        match item {
            ItemRef::Worksheet(i) => self.worksheets[i].page_path(),
            ItemRef::Checklist(i) => self.checklists[i].page_path(),
            ItemRef::Case(i) => self.cases[i].page_path(),
        }
    }
}

enum Parsed {
    Worksheet(Worksheet),
    Checklist(Checklist),
    Case(Case),
}

/// The YAML files under the collection folders, with the folder each is in.
fn collection_files(src_dir: &Path) -> Vec<(&'static str, PathBuf)> {
    let mut files = Vec::new();
    for dir in [WORKSHEET_DIR, CHECKLIST_DIR, CASE_DIR] {
        let folder = src_dir.join(dir);
        if !folder.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&folder)
            .follow_links(true)
            .sort_by_file_name()
        {
            // Symlink loops and unreadable entries are skipped, never fatal.
            let Ok(entry) = entry else { continue };
            let path = entry.path();
            let is_yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
            if entry.file_type().is_file() && is_yaml {
                files.push((dir, path.to_path_buf()));
            }
        }
    }
    files
}

/// Loads every collection file; all problems in all files are reported together.
pub fn load(src_dir: &Path, book_root: &Path) -> Result<Collections, Diagnostics> {
    let files = collection_files(src_dir);
    let parsed: Vec<(String, Result<Parsed, Diagnostics>)> = files
        .par_iter()
        .map(|(dir, path)| {
            let shown = relative_slash_path(path, book_root);
            let source_key = relative_slash_path(path, src_dir);
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let result = read_text(path, &shown).and_then(|text| match *dir {
                WORKSHEET_DIR => worksheet::parse(&text, &shown, &stem).map(Parsed::Worksheet),
                CHECKLIST_DIR => checklist::parse(&text, &shown, &stem).map(Parsed::Checklist),
                _ => case::parse(&text, &shown, &stem).map(Parsed::Case),
            });
            (source_key, result)
        })
        .collect();

    let mut collections = Collections::default();
    let mut errors = Diagnostics::default();
    let mut ids: HashMap<(&str, String), String> = HashMap::new();
    for (source_key, result) in parsed {
        match result {
            Err(e) => errors.extend(e),
            Ok(item) => {
                let (kind, id) = match &item {
                    Parsed::Worksheet(w) => ("worksheet", w.id.clone()),
                    Parsed::Checklist(c) => ("checklist", c.id.clone()),
                    Parsed::Case(c) => ("case", c.id.clone()),
                };
                if let Some(first) = ids.insert((kind, id.clone()), source_key.clone()) {
                    errors.push(
                        Diagnostic::error(format!("{kind} id `{id}` is used by two files"))
                            .in_file(relative_slash_path(&src_dir.join(&source_key), book_root))
                            .hint(format!("`{first}` has the same id; give one of them another `id:` or file name")),
                    );
                    continue;
                }
                let item_ref = match item {
                    Parsed::Worksheet(w) => {
                        collections.worksheets.push(w);
                        ItemRef::Worksheet(collections.worksheets.len() - 1)
                    }
                    Parsed::Checklist(c) => {
                        collections.checklists.push(c);
                        ItemRef::Checklist(collections.checklists.len() - 1)
                    }
                    Parsed::Case(c) => {
                        collections.cases.push(c);
                        ItemRef::Case(collections.cases.len() - 1)
                    }
                };
                collections.by_source.insert(source_key, item_ref);
            }
        }
    }
    if errors.has_errors() {
        Err(errors)
    } else {
        Ok(collections)
    }
}

/// Whether a source path (relative to the source folder) is a collection file.
pub(crate) fn is_collection_path(source_path: &str) -> bool {
    [WORKSHEET_DIR, CHECKLIST_DIR, CASE_DIR]
        .iter()
        .any(|d| source_path.starts_with(d) && source_path[d.len()..].starts_with('/'))
}
