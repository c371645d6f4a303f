//! mdBook preprocessors (`[preprocessor.X]`), run through mdBook's JSON protocol: `CMD supports
//! html` first (a non-zero exit skips it), then `CMD` with `[context, book]` on stdin and the
//! book on stdout. `before` / `after` order them. Chapters reach them with `{{#include}}` already
//! expanded (guidebook expands while loading), so `before = ["links"]` cannot be honoured.
//! A command that cannot be started is a warning, or an error unless `optional = true` when the
//! book names the command itself, as mdBook treats it.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use crate::book::{Book, TocEntry};
use crate::config::CONFIG_FILE;
use crate::error::{Diagnostic, Diagnostics};

/// Preprocessors mdBook has built in; guidebook does their work itself.
const BUILT_IN: &[&str] = &["links", "index"];

/// The version of mdBook's protocol guidebook speaks.
const MDBOOK_VERSION: &str = "0.5.0";

struct Preprocessor {
    name: String,
    command: String,
    /// The book named the command itself (else it is `mdbook-NAME`).
    explicit: bool,
    optional: bool,
    before: Vec<String>,
    after: Vec<String>,
    renderers: Option<Vec<String>>,
}

/// Runs the book's preprocessors over its chapters, in order. Returns the book with the
/// chapters' new text, and warnings; or the errors.
pub fn run_all(mut book: Book) -> Result<(Book, Diagnostics), Diagnostics> {
    let toml_text = std::fs::read_to_string(book.config.root.join(CONFIG_FILE)).unwrap_or_default();
    let table: toml::Table = toml_text.parse().unwrap_or_default();
    let list = preprocessors(&table);
    let mut warnings = Diagnostics::default();
    if list.is_empty() {
        return Ok((book, warnings));
    }
    let at = |d: Diagnostic, name: &str| {
        let d = d.in_file(CONFIG_FILE);
        match toml_text.find(&format!("[preprocessor.{name}]")) {
            Some(offset) => d.at_offset(&toml_text, offset + 1, 13 + name.len()),
            None => d,
        }
    };
    let context = json!({
        "root": book.config.root,
        "config": serde_json::to_value(&table).unwrap_or(Value::Null),
        "renderer": "html",
        "mdbook_version": MDBOOK_VERSION,
    });
    for p in order(list) {
        if p.renderers
            .as_ref()
            .is_some_and(|r| !r.iter().any(|r| r == "html"))
        {
            continue;
        }
        let mut words = p.command.split_whitespace();
        let Some(program) = words.next() else {
            continue;
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
            Err(e) => {
                let d = Diagnostic::warning(format!(
                    "preprocessor `{}` did not run: its command `{}` cannot be started ({e})",
                    p.name, p.command
                ))
                .hint(format!(
                    "install `{program}` or set `command` under `[preprocessor.{}]`; the chapters are built without it",
                    p.name
                ));
                // mdBook fails on a missing command the book names, unless it is optional.
                let d = if p.explicit && !p.optional {
                    Diagnostic {
                        severity: crate::error::Severity::Error,
                        ..d
                    }
                    .hint(format!(
                        "install `{program}`, or add `optional = true` under `[preprocessor.{}]` to build without it",
                        p.name
                    ))
                } else {
                    d
                };
                let d = at(d, &p.name);
                if d.is_error() {
                    return Err(d.into());
                }
                warnings.push(d);
                continue;
            }
            Ok(status) if !status.success() => continue,
            Ok(_) => {}
        }
        let input = json!([context, book_json(&book)]);
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
        let fail = |message: String| at(Diagnostic::error(message), &p.name);
        let output = match output {
            Ok(o) => o,
            Err(e) => {
                return Err(fail(format!("preprocessor `{}` failed to run: {e}", p.name)).into());
            }
        };
        if !output.status.success() {
            return Err(fail(format!(
                "preprocessor `{}` exited with {}",
                p.name, output.status
            ))
            .hint("its own messages are printed above")
            .into());
        }
        let returned: Value = serde_json::from_slice(&output.stdout).map_err(|e| {
            Diagnostics::from(fail(format!(
                "preprocessor `{}` did not print a book as JSON: {e}",
                p.name
            )))
        })?;
        apply(&mut book, &returned);
    }
    Ok((book, warnings))
}

fn preprocessors(table: &toml::Table) -> Vec<Preprocessor> {
    let Some(section) = table.get("preprocessor").and_then(|v| v.as_table()) else {
        return Vec::new();
    };
    let strings = |v: Option<&toml::Value>| -> Vec<String> {
        v.and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    section
        .iter()
        .filter(|(name, _)| !BUILT_IN.contains(&name.as_str()))
        .map(|(name, value)| {
            let command = value.get("command").and_then(|c| c.as_str());
            Preprocessor {
                name: name.clone(),
                command: command.map_or_else(|| format!("mdbook-{name}"), String::from),
                explicit: command.is_some(),
                optional: value
                    .get("optional")
                    .and_then(|o| o.as_bool())
                    .unwrap_or(false),
                before: strings(value.get("before")),
                after: strings(value.get("after")),
                renderers: value.get("renderers").map(|r| strings(Some(r))),
            }
        })
        .collect()
}

/// Orders preprocessors so each runs after those it names in `after` and before those in
/// `before`; ties keep book.toml's order (names sorted, as TOML tables are).
fn order(mut list: Vec<Preprocessor>) -> Vec<Preprocessor> {
    let mut ordered = Vec::new();
    while !list.is_empty() {
        let names: Vec<String> = list.iter().map(|p| p.name.clone()).collect();
        let ready = list
            .iter()
            .position(|p| {
                let waits_for = |other: &String| {
                    other != &p.name
                        && (p.after.contains(other)
                            || list
                                .iter()
                                .any(|q| &q.name == other && q.before.contains(&p.name)))
                };
                !names.iter().any(waits_for)
            })
            // A cycle: run the rest in order rather than not at all.
            .unwrap_or(0);
        ordered.push(list.remove(ready));
    }
    ordered
}

/// The book as mdBook serialises it (both its 0.5 `items` and its 0.4 `sections`).
fn book_json(book: &Book) -> Value {
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
                items.push(json!({ "Chapter": {
                    "name": c.nav_title,
                    "content": c.body(),
                    "number": number,
                    "sub_items": [],
                    "path": c.source_path,
                    "source_path": c.source_path,
                    "parent_names": [],
                }}));
            }
            TocEntry::Chapter { .. } => {}
        }
    }
    json!({ "items": items, "sections": items, "__non_exhaustive": null })
}

/// Takes each chapter's new content from the returned book, found by its path.
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
            let replaced = crate::mdbook::links::Expansion::replaced(
                content.to_string(),
                c.body(),
                c.expansion.clone(),
            );
            c.expansion = Some(std::sync::Arc::new(replaced));
        }
    }
}
