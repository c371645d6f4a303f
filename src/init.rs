//! `guidebook init`: a small book with one of everything, that builds as it is.

use std::path::Path;

use crate::error::{Diagnostic, Diagnostics, io_error};

const SUMMARY: &str = "# Summary\n\n[Introduction](README.md)\n\n# Getting started\n\n- [First chapter](chapter-1.md)\n";

const README: &str = "# Introduction\n\nWelcome. Readers' ticks and answers stay in their own browser.\n\nStart with [the first chapter](chapter-1.md).\n";

const CHAPTER: &str = "---\ndescription: A first chapter with a checklist and a worksheet.\n---\n\n# First chapter\n\nWrite Markdown here.\n\n## Try it\n\n- [ ] Tick this item, then reload the page\n- [ ] Fill in the worksheet below\n\n[Worksheet: reflection](worksheets/reflection.yaml)\n\n## Key points\n\n- Checklists remember their ticks.\n- Worksheets save as you type.\n";

const WORKSHEET: &str = "title: Reflection\ndescription: A short worksheet to try the format.\nintro: Answers are saved in this browser only.\nsections:\n  - title: Looking back\n    fields:\n      - id: what-happened\n        type: textarea\n        label: What happened?\n        required: true\n      - id: mood\n        type: scale\n        label: How calm do you feel?\n        min: 1\n        max: 5\n        min-label: upset\n        max-label: calm\n";

pub fn init(dir: &Path, title: Option<&str>) -> Result<(), Diagnostics> {
    if dir.join("book.toml").exists() {
        return Err(
            Diagnostic::error(format!("`{}` already has a book.toml", dir.display()))
                .hint("choose a new folder, or edit the existing book")
                .into(),
        );
    }
    let title = title.unwrap_or("My guide").replace('"', "'");
    let files = [
        (
            "book.toml",
            format!(
                "[book]\ntitle = \"{title}\"\ndescription = \"\"\nlanguage = \"en\"\nsrc = \"content\"\n\n[build]\nbuild-dir = \"public\"\n"
            ),
        ),
        ("content/SUMMARY.md", SUMMARY.to_string()),
        ("content/README.md", README.to_string()),
        ("content/chapter-1.md", CHAPTER.to_string()),
        ("content/worksheets/reflection.yaml", WORKSHEET.to_string()),
        (".gitignore", "public/\n".to_string()),
    ];
    // Never overwrite: if any file is there already, write none of them.
    let existing: Vec<Diagnostic> = files
        .iter()
        .map(|(name, _)| dir.join(name))
        .filter(|path| path.exists())
        .map(|path| {
            Diagnostic::error(format!("`{}` already exists", path.display()))
                .hint("`guidebook init` writes only new files; choose an empty folder")
        })
        .collect();
    if !existing.is_empty() {
        return Err(Diagnostics::from(existing));
    }
    for (name, text) in files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_error("create", parent, &e))?;
        }
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| io_error("create", &path, &e))?;
        std::io::Write::write_all(&mut file, text.as_bytes())
            .map_err(|e| io_error("write", &path, &e))?;
    }
    Ok(())
}
