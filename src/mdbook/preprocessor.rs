//! mdBook preprocessors (`[preprocessor.X]`) in mdBook's order (see `order`), with its built-in
//! `links` and `index` in their places: a preprocessor that runs before `links` sees the files'
//! own `{{#include}}` directives, and `links` then expands the text it returned; one after it
//! sees the expanded text. Chapters come from loading with their directives already expanded, so
//! this undoes that only when some preprocessor must see them raw.

use std::sync::Arc;

use serde_json::{Value, json};

use super::order::{self, Cycle, Ordering, Unknown};
use super::protocol::{self, CommandPreprocessor, Run};
use crate::book::{Book, Chapter};
use crate::config::CONFIG_FILE;
use crate::error::{Diagnostic, Diagnostics};
use crate::mdbook::links::{self, ChapterFile, Expansion};

/// The version of mdBook's protocol guidebook speaks.
const MDBOOK_VERSION: &str = "0.5.0";

/// One step of preprocessing, in order.
#[derive(Debug, Clone)]
enum Step {
    /// mdBook's `links`: `{{#include}}` and kin (guidebook's own work).
    Links,
    /// mdBook's `index`: README.md becomes index.md (guidebook's page paths already do it).
    Index,
    Command(CommandPreprocessor),
}

/// What book.toml asks for: the steps in order, and warnings about them.
struct Plan {
    steps: Vec<Step>,
    warnings: Diagnostics,
}

impl Plan {
    /// Nothing changes what loading read: no command, and `links` runs.
    #[cfg(feature = "serve")]
    fn is_only_built_in(&self) -> bool {
        self.steps.iter().any(|s| matches!(s, Step::Links))
            && !self.steps.iter().any(|s| matches!(s, Step::Command(_)))
    }
}

fn book_toml(book: &Book) -> String {
    std::fs::read_to_string(book.config.root.join(CONFIG_FILE)).unwrap_or_default()
}

/// Places a diagnostic at `[preprocessor.NAME]` in book.toml.
fn at_table(toml_text: &str, d: Diagnostic, name: &str) -> Diagnostic {
    let d = d.in_file(CONFIG_FILE);
    match toml_text.find(&format!("[preprocessor.{name}]")) {
        Some(offset) => d.at_offset(toml_text, offset + 1, 13 + name.len()),
        None => d,
    }
}

/// Whether the book's preprocessors can change what loading read (so `serve` must keep the book
/// as loaded and run them again after a change).
#[cfg(feature = "serve")]
pub fn changes_chapters(book: &Book) -> bool {
    let toml_text = book_toml(book);
    plan(&toml_text, &toml_text.parse().unwrap_or_default())
        .is_ok_and(|plan| !plan.is_only_built_in())
}

/// Runs the book's preprocessors over its chapters, in mdBook's order. Returns the book with the
/// chapters' new text, and warnings; or the errors.
pub fn run_all(mut book: Book) -> Result<(Book, Diagnostics), Diagnostics> {
    let toml_text = book_toml(&book);
    let table: toml::Table = toml_text.parse().unwrap_or_default();
    let Plan {
        steps,
        mut warnings,
    } = plan(&toml_text, &table)?;
    let links_at = steps.iter().position(|s| matches!(s, Step::Links));
    let first_command = steps.iter().position(|s| matches!(s, Step::Command(_)));
    let raw_first = match (links_at, first_command) {
        (None, _) => true,
        (Some(links), Some(command)) => command < links,
        (Some(_), None) => false,
    };
    if !raw_first && first_command.is_none() {
        return Ok((book, warnings));
    }
    // Until `links` runs, chapters are the files' own text.
    let loaded: Vec<Option<Arc<Expansion>>> = if raw_first {
        book.chapters
            .iter_mut()
            .map(|c| {
                let loaded = c.expansion.take();
                retitle(c);
                loaded
            })
            .collect()
    } else {
        Vec::new()
    };
    let context = json!({
        "root": book.config.root,
        "config": serde_json::to_value(&table).unwrap_or(Value::Null),
        "renderer": "html",
        "mdbook_version": MDBOOK_VERSION,
    });
    let at = |d: Diagnostic, name: &str| at_table(&toml_text, d, name);
    let mut index_done = false;
    let mut loaded = Some(loaded).filter(|_| raw_first);
    for step in steps {
        match step {
            Step::Index => index_done = true,
            Step::Links => {
                if let Some(loaded) = loaded.take() {
                    expand_after_preprocessors(&mut book, loaded)?;
                }
            }
            Step::Command(p) => {
                let run = Run {
                    context: &context,
                    index_done,
                    at: &at,
                };
                warnings.extend(protocol::run(&mut book, &p, &run)?);
            }
        }
    }
    Ok((book, warnings))
}

/// `links` after preprocessors that saw the raw text: a chapter they left alone gets its
/// expansion from loading back; one they rewrote is expanded from their text.
fn expand_after_preprocessors(
    book: &mut Book,
    loaded: Vec<Option<Arc<Expansion>>>,
) -> Result<(), Diagnostics> {
    let mut errors = Diagnostics::default();
    let src = book.config.src_dir.clone();
    let root = book.config.root.clone();
    for (c, loaded) in book.chapters.iter_mut().zip(loaded) {
        let expansion = match c.expansion.take() {
            None => loaded,
            Some(rewritten) => {
                let file = src.join(&c.source_path);
                let file = ChapterFile {
                    source: &c.source,
                    body_offset: c.body_offset,
                    shown: &c.shown_path,
                    dir: file.parent().unwrap_or(&src),
                    root: &root,
                };
                match links::expand_rewritten(&file, rewritten.clone()) {
                    Ok(expanded) => Some(expanded.map_or(rewritten, Arc::new)),
                    Err(e) => {
                        errors.extend(e);
                        Some(rewritten)
                    }
                }
            }
        };
        c.expansion = expansion;
        retitle(c);
    }
    if errors.has_errors() {
        Err(errors)
    } else {
        Ok(())
    }
}

/// The chapter's title as loading gives it: front matter, else `{{#title}}`, else SUMMARY.md's.
fn retitle(c: &mut Chapter) {
    let own = c
        .front_matter
        .title
        .clone()
        .filter(|t| !t.trim().is_empty());
    let directive = match c.front_matter.title {
        None => c.expansion.as_ref().and_then(|e| e.title.clone()),
        Some(_) => None,
    };
    c.title = directive.or(own).unwrap_or_else(|| c.nav_title.clone());
}

/// The steps book.toml asks for, in mdBook's order.
fn plan(toml_text: &str, table: &toml::Table) -> Result<Plan, Diagnostics> {
    let with_built_in = table
        .get("build")
        .and_then(|b| b.get("use-default-preprocessors"))
        .and_then(toml::Value::as_bool)
        .unwrap_or(true);
    let section = table.get("preprocessor").and_then(|v| v.as_table());
    let orderings: Vec<Ordering> = section
        .iter()
        .flat_map(|s| s.iter())
        .map(|(name, value)| Ordering {
            name: name.to_string(),
            before: strings(value.get("before")),
            after: strings(value.get("after")),
        })
        .collect();
    let (names, problems) = order::order(&orderings, with_built_in)
        .map_err(|Cycle(names)| Diagnostics::from(cycle_error(toml_text, &names)))?;
    let mut warnings = Diagnostics::default();
    if !with_built_in {
        warnings.extend(built_ins_off_warning(toml_text, &names));
    }
    for Unknown { name, key, other } in problems {
        warnings.push(
            at_table(
                toml_text,
                Diagnostic::warning(format!(
                    "`preprocessor.{name}.{key}` names `{other}`, which the book does not run"
                )),
                &name,
            )
            .hint(format!(
                "add `[preprocessor.{other}]`, or remove `{other}` from `{key}`"
            )),
        );
    }
    let steps = names
        .into_iter()
        .filter_map(|name| step(section, name))
        .collect();
    Ok(Plan { steps, warnings })
}

/// A list of strings in book.toml; anything else counts as empty.
fn strings(v: Option<&toml::Value>) -> Vec<String> {
    v.and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// Preprocessors whose `before` / `after` wait for each other, pointed at the first one's table.
fn cycle_error(toml_text: &str, names: &[String]) -> Diagnostic {
    let list = names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>();
    at_table(
        toml_text,
        Diagnostic::error(format!(
            "preprocessors {} wait for each other in `before` / `after`",
            list.join(", ")
        )),
        &names[0],
    )
    .hint("remove one of the `before` or `after` entries that close the cycle")
}

/// With the built-in preprocessors off, README.md still becomes index.html unless `index` runs.
fn built_ins_off_warning(toml_text: &str, names: &[String]) -> Option<Diagnostic> {
    let named = |n: &str| names.iter().any(|x| x == n);
    if named("index") {
        return None;
    }
    let key = "use-default-preprocessors";
    let includes = if named("links") {
        ""
    } else {
        "`{{#include}}` and kin stay as text, as in mdBook, but "
    };
    let mut w = Diagnostic::warning(format!(
        "`build.{key} = false`: {includes}README.md still becomes index.html"
    ))
    .in_file(CONFIG_FILE);
    if let Some(offset) = toml_text.find(key) {
        w = w.at_offset(toml_text, offset, key.len());
    }
    Some(w)
}

/// The step a preprocessor's name stands for: a built-in one, or a command from its table.
fn step(section: Option<&toml::Table>, name: String) -> Option<Step> {
    match name.as_str() {
        // Named in book.toml, they run even with the built-in ones off, as in mdBook.
        "links" => Some(Step::Links),
        "index" => Some(Step::Index),
        _ => {
            let value = section?.get(&name)?;
            let command = value.get("command").and_then(|c| c.as_str());
            Some(Step::Command(CommandPreprocessor {
                command: command.map_or_else(|| format!("mdbook-{name}"), String::from),
                explicit: command.is_some(),
                optional: value
                    .get("optional")
                    .and_then(|o| o.as_bool())
                    .unwrap_or(false),
                renderers: value.get("renderers").map(|r| strings(Some(r))),
                name,
            }))
        }
    }
}
