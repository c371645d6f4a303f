//! mdBook's preprocessor protocol for one command: `CMD supports html` first (a non-zero exit
//! skips it), then `CMD` with `[context, book]` as JSON on stdin and the book back on stdout.
//! A command that cannot be started is a warning, or an error unless `optional = true` when the
//! book names the command itself, as mdBook treats it.

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Arc;

use serde_json::{Value, json};

use crate::book::{Book, TocEntry};
use crate::error::{Diagnostic, Diagnostics, Severity};
use crate::mdbook::links::Expansion;

/// A `[preprocessor.X]` that runs a command.
#[derive(Debug, Clone)]
pub struct CommandPreprocessor {
    pub name: String,
    pub command: String,
    /// The book named the command itself (else it is `mdbook-NAME`).
    pub explicit: bool,
    pub optional: bool,
    pub renderers: Option<Vec<String>>,
}

/// What a preprocessor sees besides the book.
pub struct Run<'a> {
    pub context: &'a Value,
    /// mdBook's `index` has run: README.md chapters have the path `index.md`.
    pub index_done: bool,
    /// Places a diagnostic at the preprocessor's table in book.toml.
    pub at: &'a dyn Fn(Diagnostic, &str) -> Diagnostic,
}

/// Runs one preprocessor over the book, taking each chapter's new text. Returns a warning when
/// it was skipped, or the error that stops the build.
pub fn run(
    book: &mut Book,
    p: &CommandPreprocessor,
    run: &Run,
) -> Result<Option<Diagnostic>, Diagnostics> {
    if p.renderers
        .as_ref()
        .is_some_and(|r| !r.iter().any(|r| r == "html"))
    {
        return Ok(None);
    }
    let mut words = p.command.split_whitespace();
    let Some(program) = words.next() else {
        return Ok(None);
    };
    let args: Vec<&str> = words.collect();
    let supports = Command::new(program)
        .args(&args)
        .args(["supports", "html"])
        .current_dir(&book.config.root)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    match supports {
        Err(e) => return cannot_start(p, program, &e, run).map(Some),
        Ok(status) if !status.success() => return Ok(None),
        Ok(_) => {}
    }
    let input = json!([run.context, book_json(book, run.index_done)]);
    let output = Command::new(program)
        .args(&args)
        .current_dir(&book.config.root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .and_then(|mut child| {
            if let Some(mut stdin) = child.stdin.take() {
                // A preprocessor may exit without reading; its output still counts.
                let _ = stdin.write_all(input.to_string().as_bytes());
            }
            child.wait_with_output()
        });
    let fail = |message: String| (run.at)(Diagnostic::error(message), &p.name);
    let output =
        output.map_err(|e| fail(format!("preprocessor `{}` failed to run: {e}", p.name)))?;
    if !output.status.success() {
        return Err(fail(format!(
            "preprocessor `{}` exited with {}",
            p.name, output.status
        ))
        .hint("its own messages are printed above")
        .into());
    }
    let returned: Value = serde_json::from_slice(&output.stdout).map_err(|e| {
        fail(format!(
            "preprocessor `{}` did not print a book as JSON: {e}",
            p.name
        ))
    })?;
    apply(book, &returned);
    Ok(None)
}

/// A command that cannot be started: a warning, or an error when mdBook would fail too.
fn cannot_start(
    p: &CommandPreprocessor,
    program: &str,
    e: &std::io::Error,
    run: &Run,
) -> Result<Diagnostic, Diagnostics> {
    let d = Diagnostic::warning(format!(
        "preprocessor `{}` did not run: its command `{}` cannot be started ({e})",
        p.name, p.command
    ));
    // mdBook fails on a missing command the book names, unless it is optional.
    let d = if p.explicit && !p.optional {
        Diagnostic {
            severity: Severity::Error,
            ..d
        }
        .hint(format!(
            "install `{program}`, or add `optional = true` under `[preprocessor.{}]` to build without it",
            p.name
        ))
    } else {
        d.hint(format!(
            "install `{program}` or set `command` under `[preprocessor.{}]`; the chapters are built without it",
            p.name
        ))
    };
    let d = (run.at)(d, &p.name);
    if d.is_error() { Err(d.into()) } else { Ok(d) }
}

/// mdBook's `index` renames `README.md` (any case) to `index.md`.
fn is_readme(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".md")
        .is_some_and(|stem| stem.eq_ignore_ascii_case("readme"))
}

/// The book as mdBook serialises it (both its 0.5 `items` and its 0.4 `sections`).
fn book_json(book: &Book, index_done: bool) -> Value {
    let mut items = Vec::new();
    for entry in &book.toc {
        match entry {
            TocEntry::Part(title) => items.push(json!({ "PartTitle": title })),
            TocEntry::Separator => items.push(json!("Separator")),
            TocEntry::Chapter {
                chapter: Some(i), ..
            } => {
                let c = &book.chapters[*i];
                let number: Option<Vec<u32>> = c
                    .number
                    .as_ref()
                    .map(|n| n.split('.').filter_map(|d| d.parse().ok()).collect());
                let path = if index_done && is_readme(&c.source_path) {
                    match c.source_path.rsplit_once('/') {
                        Some((dir, _)) => format!("{dir}/index.md"),
                        None => "index.md".to_string(),
                    }
                } else {
                    c.source_path.clone()
                };
                items.push(json!({ "Chapter": {
                    "name": c.nav_title,
                    "content": c.body(),
                    "number": number,
                    "sub_items": [],
                    "path": path,
                    "source_path": c.source_path,
                    "parent_names": [],
                }}));
            }
            TocEntry::Chapter { .. } => {}
        }
    }
    json!({ "items": items, "sections": items, "__non_exhaustive": null })
}

/// Takes each chapter's new content from the returned book, found by its source path.
fn apply(book: &mut Book, returned: &Value) {
    let items = returned
        .get("items")
        .or_else(|| returned.get("sections"))
        .and_then(|v| v.as_array());
    let mut stack: Vec<&Value> = items.map(|a| a.iter().collect()).unwrap_or_default();
    while let Some(item) = stack.pop() {
        let Some(chapter) = item.get("Chapter") else {
            continue;
        };
        if let Some(subs) = chapter.get("sub_items").and_then(|v| v.as_array()) {
            stack.extend(subs);
        }
        let path = chapter
            .get("source_path")
            .or_else(|| chapter.get("path"))
            .and_then(|p| p.as_str());
        let content = chapter.get("content").and_then(|c| c.as_str());
        if let (Some(path), Some(content)) = (path, content)
            && let Some(c) = book.chapters.iter_mut().find(|c| c.source_path == path)
            && c.body() != content
        {
            let replaced = Expansion::replaced(content.to_string(), c.body(), c.expansion.clone());
            c.expansion = Some(Arc::new(replaced));
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn readme_files_are_index_after_the_index_preprocessor() {
        assert!(super::is_readme("README.md"));
        assert!(super::is_readme("part/readme.md"));
        assert!(!super::is_readme("readme-notes.md"));
    }
}
