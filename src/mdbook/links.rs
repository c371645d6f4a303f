//! mdBook's links preprocessor: `{{#include}}`, `{{#rustdoc_include}}`, `{{#playground}}` (and its
//! old name `{{#playpen}}`), `{{#title}}` and escaped `\{{#...}}`, expanded in a chapter's text
//! before it is parsed as Markdown. Paths are relative to the file holding the directive; included
//! files are expanded too, up to `MAX_DEPTH` levels. Unlike mdBook, a missing file, line range or
//! anchor is an error at the directive's line and column, not a line in the log.

use std::path::{Path, PathBuf};

use super::lines::{Selection, SelectionError, take, take_rustdoc};
use crate::error::{Diagnostic, Diagnostics, Location};
use crate::fs_util::relative_slash_path;

/// As mdBook: deeper nesting is almost certainly a cycle.
pub const MAX_DEPTH: usize = 10;

/// A chapter's text with every directive expanded, and how to find an offset of it in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expansion {
    pub text: String,
    /// From `{{#title ...}}`: the page's `<title>`.
    pub title: Option<String>,
    /// Every file read for this chapter, nested includes too (for serve and unlisted-file checks).
    pub included: Vec<PathBuf>,
    segments: Vec<Segment>,
    /// Set when a preprocessor rewrote the text.
    edit: Option<Box<Edit>>,
    /// Set when the directives expanded were in a preprocessor's text rather than the file's
    /// (one that runs before `links`): how that text maps to the file.
    under: Option<std::sync::Arc<Expansion>>,
}

/// How a preprocessor's text lines up with the text it was given.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Edit {
    before: Option<std::sync::Arc<Expansion>>,
    prefix: usize,
    new_suffix_start: usize,
    old_suffix_start: usize,
}

fn common_prefix(a: &str, b: &str) -> usize {
    let mut n = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    while !a.is_char_boundary(n) || !b.is_char_boundary(n) {
        n -= 1;
    }
    n
}

fn common_suffix(a: &str, b: &str) -> usize {
    let mut n = a
        .bytes()
        .rev()
        .zip(b.bytes().rev())
        .take_while(|(x, y)| x == y)
        .count();
    while !a.is_char_boundary(a.len() - n) || !b.is_char_boundary(b.len() - n) {
        n -= 1;
    }
    n
}

/// From `at` in the expanded text on, text is either the file's own (at `original`) or came from
/// a directive (which starts at `original`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    at: usize,
    original: usize,
    verbatim: bool,
}

impl Expansion {
    /// Text a preprocessor wrote in place of `before` (the body it was given, itself expanded
    /// from the file when `expanded` is given). The unchanged start and end of the text keep
    /// their positions; what changed points at where the change starts.
    pub fn replaced(
        text: String,
        before: &str,
        expanded: Option<std::sync::Arc<Expansion>>,
    ) -> Expansion {
        let prefix = common_prefix(before, &text);
        let suffix = common_suffix(&before[prefix..], &text[prefix..]);
        let (title, included) = expanded
            .as_ref()
            .map(|e| (e.title.clone(), e.included.clone()))
            .unwrap_or_default();
        Expansion {
            edit: Some(Box::new(Edit {
                before: expanded,
                prefix,
                new_suffix_start: text.len() - suffix,
                old_suffix_start: before.len() - suffix,
            })),
            text,
            title,
            included,
            segments: Vec::new(),
            under: None,
        }
    }

    /// Where an offset of the expanded text came from in the chapter's body: itself, or the
    /// directive that brought it in.
    pub fn original_offset(&self, offset: usize) -> usize {
        if let Some(edit) = &self.edit {
            let old = if offset < edit.prefix {
                offset
            } else if offset >= edit.new_suffix_start {
                edit.old_suffix_start + (offset - edit.new_suffix_start)
            } else {
                edit.prefix
            };
            return edit.before.as_ref().map_or(old, |b| b.original_offset(old));
        }
        let i = self.segments.partition_point(|s| s.at <= offset);
        let expanded_from = match i.checked_sub(1).map(|i| self.segments[i]) {
            Some(s) if s.verbatim => s.original + (offset - s.at),
            Some(s) => s.original,
            None => offset,
        };
        match &self.under {
            Some(under) => under.original_offset(expanded_from),
            None => expanded_from,
        }
    }
}

/// The file a chapter's text is read from, for resolving paths and for errors.
pub struct ChapterFile<'a> {
    /// The whole file and where the body starts in it (after front matter).
    pub source: &'a str,
    pub body_offset: usize,
    /// How diagnostics name it.
    pub shown: &'a str,
    /// Its folder, where relative include paths start.
    pub dir: &'a Path,
    /// The book's root, for naming included files in diagnostics.
    pub root: &'a Path,
}

/// Expands every directive of the chapter's body; `None` when it has none.
pub fn expand(file: &ChapterFile) -> Result<Option<Expansion>, Diagnostics> {
    expand_text(file, &file.source[file.body_offset..], None)
}

/// Expands the directives of the text a preprocessor (one that runs before `links`) made of the
/// chapter's body; positions are still found in the file. `None` when it has none.
pub fn expand_rewritten(
    file: &ChapterFile,
    rewritten: std::sync::Arc<Expansion>,
) -> Result<Option<Expansion>, Diagnostics> {
    let text = rewritten.text.clone();
    expand_text(file, &text, Some(rewritten))
}

fn expand_text(
    file: &ChapterFile,
    body: &str,
    under: Option<std::sync::Arc<Expansion>>,
) -> Result<Option<Expansion>, Diagnostics> {
    if !body.contains("{{") {
        return Ok(None);
    }
    let mut expander = Expander {
        root: file.root,
        title: None,
        included: Vec::new(),
        errors: Diagnostics::default(),
    };
    let origin = Origin {
        shown: file.shown.to_string(),
        file_text: file.source.to_string(),
        body_offset: Some(file.body_offset),
        under: under.clone(),
    };
    let mut segments = Vec::new();
    let text = expander.expand_text(body, file.dir, 0, &origin, Some(&mut segments));
    if expander.errors.has_errors() {
        return Err(expander.errors);
    }
    if segments.iter().all(|s| s.verbatim) && expander.title.is_none() && text == body {
        return Ok(None);
    }
    Ok(Some(Expansion {
        text,
        title: expander.title,
        included: expander.included,
        segments,
        edit: None,
        under,
    }))
}

/// Where a piece of text being expanded lives, for errors.
struct Origin {
    shown: String,
    file_text: String,
    /// Where the text starts in `file_text`, when it is a contiguous part of it.
    body_offset: Option<usize>,
    /// How the text maps to the file's body, when a preprocessor wrote it.
    under: Option<std::sync::Arc<Expansion>>,
}

impl Origin {
    fn locate(&self, text_offset: usize, directive: &str) -> Location {
        let in_body = match &self.under {
            Some(under) => under.original_offset(text_offset),
            None => text_offset,
        };
        let offset = match self.body_offset {
            Some(base) => base + in_body,
            None => self.file_text.find(directive).unwrap_or(0),
        };
        Location::from_offset(&self.file_text, offset, directive.len())
    }
}

struct Expander<'a> {
    root: &'a Path,
    title: Option<String>,
    included: Vec<PathBuf>,
    errors: Diagnostics,
}

impl Expander<'_> {
    fn expand_text(
        &mut self,
        text: &str,
        dir: &Path,
        depth: usize,
        origin: &Origin,
        mut segments: Option<&mut Vec<Segment>>,
    ) -> String {
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        let mut from = 0;
        while let Some(d) = next_directive(text, from) {
            from = d.end;
            let directive_text = &text[d.start..d.end];
            if let Some(segments) = segments.as_deref_mut() {
                segments.push(Segment {
                    at: out.len(),
                    original: copied,
                    verbatim: true,
                });
            }
            out.push_str(&text[copied..d.start]);
            copied = d.end;
            if let Some(segments) = segments.as_deref_mut() {
                segments.push(Segment {
                    at: out.len(),
                    original: d.start,
                    verbatim: false,
                });
            }
            let error = |message: String, hint: &str| {
                Diagnostic::error(message)
                    .in_file(&origin.shown)
                    .at(origin.locate(d.start, directive_text))
                    .hint(hint.to_string())
            };
            let Some(inserted) = self.expansion(d.kind, directive_text, dir, depth, &error) else {
                continue;
            };
            push_indented(&mut out, &inserted);
        }
        if let Some(segments) = segments {
            segments.push(Segment {
                at: out.len(),
                original: copied,
                verbatim: true,
            });
        }
        out.push_str(&text[copied..]);
        out
    }

    /// What one directive stands for, or `None` when it failed (its error is recorded).
    fn expansion(
        &mut self,
        kind: Kind<'_>,
        directive_text: &str,
        dir: &Path,
        depth: usize,
        error: &dyn Fn(String, &str) -> Diagnostic,
    ) -> Option<String> {
        match kind {
            Kind::Escaped => Some(directive_text[1..].to_string()),
            Kind::Title(title) => {
                self.title = Some(title.to_string());
                Some(String::new())
            }
            Kind::Include {
                path,
                spec,
                rustdoc,
            } => self.include(path, spec, rustdoc, directive_text, dir, depth, error),
            Kind::Playground { path, attrs } => {
                let target = clean(&dir.join(path));
                let mut content = self.read(&target, directive_text, error)?;
                if !content.ends_with('\n') {
                    content.push('\n');
                }
                let info = if attrs.is_empty() {
                    "rust".to_string()
                } else {
                    format!("rust,{}", attrs.join(","))
                };
                let block = format!("```{info}\n{content}```\n");
                Some(self.nested(&block, &target, depth, directive_text, error))
            }
        }
    }

    /// `{{#include path:spec}}` (or `#rustdoc_include`): the selected lines, expanded in turn.
    #[allow(clippy::too_many_arguments)]
    fn include(
        &mut self,
        path: &str,
        spec: Option<&str>,
        rustdoc: bool,
        directive_text: &str,
        dir: &Path,
        depth: usize,
        error: &dyn Fn(String, &str) -> Diagnostic,
    ) -> Option<String> {
        let target = clean(&dir.join(path));
        let content = self.read(&target, directive_text, error)?;
        let selection = Selection::parse(spec);
        let taken = if rustdoc {
            take_rustdoc(&content, &selection)
        } else {
            take(&content, &selection)
        };
        let taken = match taken {
            Ok(t) => t,
            Err(SelectionError::PastEnd { start, lines }) => {
                self.errors.push(error(
                    format!("`{directive_text}` starts at line {start}, but `{path}` has {lines} lines"),
                    "fix the line range: `:N` is one line, `:N:M` lines N to M, `:N:` from N to the end",
                ));
                return None;
            }
            Err(SelectionError::NoAnchor(name)) => {
                self.errors.push(error(
                    format!("`{path}` has no anchor `{name}`"),
                    &format!("mark the lines in `{path}` with `ANCHOR: {name}` and `ANCHOR_END: {name}` comments"),
                ));
                return None;
            }
        };
        Some(self.nested(&taken, &target, depth, directive_text, error))
    }

    fn read(
        &mut self,
        target: &Path,
        directive_text: &str,
        error: &dyn Fn(String, &str) -> Diagnostic,
    ) -> Option<String> {
        match std::fs::read_to_string(target) {
            Ok(content) => {
                if !self.included.iter().any(|p| p == target) {
                    self.included.push(target.to_path_buf());
                }
                Some(content)
            }
            Err(e) => {
                let shown = relative_slash_path(target, self.root);
                let reason = if e.kind() == std::io::ErrorKind::NotFound {
                    "it does not exist".to_string()
                } else {
                    e.to_string()
                };
                self.errors.push(error(
                    format!("`{directive_text}` cannot read `{shown}`: {reason}"),
                    "include paths are relative to the file holding the directive",
                ));
                None
            }
        }
    }

    /// Expands directives inside included text, relative to the included file.
    fn nested(
        &mut self,
        text: &str,
        target: &Path,
        depth: usize,
        directive_text: &str,
        error: &dyn Fn(String, &str) -> Diagnostic,
    ) -> String {
        if !text.contains("{{") {
            return text.to_string();
        }
        if depth + 1 >= MAX_DEPTH {
            self.errors.push(error(
                format!("`{directive_text}` nests includes more than {MAX_DEPTH} deep"),
                "an included file probably includes itself; break the cycle",
            ));
            return String::new();
        }
        let origin = Origin {
            shown: relative_slash_path(target, self.root),
            file_text: std::fs::read_to_string(target).unwrap_or_default(),
            body_offset: None,
            under: None,
        };
        let dir = target.parent().unwrap_or(Path::new(""));
        self.expand_text(text, dir, depth + 1, &origin, None)
    }
}

/// `a/b/../c` as `a/c`, so one file read through two paths is recognised as one.
fn clean(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Appends `inserted` to `out`. Every line after the first keeps what stood before the directive
/// on its line, so an include indented in a list item stays inside it (as mdBook does).
fn push_indented(out: &mut String, inserted: &str) {
    let prefix = out.rsplit('\n').next().unwrap_or("").to_string();
    let mut first = true;
    for line in inserted.lines() {
        if !first {
            out.push('\n');
            out.push_str(&prefix);
        }
        out.push_str(line);
        first = false;
    }
}

struct Directive<'a> {
    start: usize,
    end: usize,
    kind: Kind<'a>,
}

enum Kind<'a> {
    Escaped,
    Title(&'a str),
    Include {
        path: &'a str,
        spec: Option<&'a str>,
        rustdoc: bool,
    },
    Playground {
        path: &'a str,
        attrs: Vec<&'a str>,
    },
}

/// The next directive at or after `from`: `{{ #name args }}`, or `\{{#...}}` to the last `}}` of
/// its line. Unknown names are left as text, as mdBook leaves them.
fn next_directive(text: &str, mut from: usize) -> Option<Directive<'_>> {
    while let Some(at) = text[from..].find("{{") {
        let start = from + at;
        from = start + 2;
        if start > 0 && text.as_bytes()[start - 1] == b'\\' {
            let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
            let line = &text[start..line_end];
            if line[2..].starts_with('#')
                && let Some(close) = line.rfind("}}")
                && close >= 3
            {
                return Some(Directive {
                    start: start - 1,
                    end: start + close + 2,
                    kind: Kind::Escaped,
                });
            }
            continue;
        }
        let after = text[start + 2..].trim_start();
        let Some(after) = after.strip_prefix('#') else {
            continue;
        };
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let (name, rest) = after.split_at(name_len);
        if name.is_empty() || !rest.starts_with(char::is_whitespace) {
            continue;
        }
        let Some(close) = rest.find('}') else {
            continue;
        };
        if !rest[close..].starts_with("}}") {
            continue;
        }
        let args = &rest[..close];
        if args.trim().is_empty() {
            continue;
        }
        let end = (rest.as_ptr() as usize - text.as_ptr() as usize) + close + 2;
        let mut words = args.split_whitespace();
        let kind = match (name, words.next()) {
            ("title", _) => Kind::Title(args.trim()),
            ("include" | "rustdoc_include", Some(target)) => {
                let (path, spec) = match target.split_once(':') {
                    Some((p, s)) => (p, Some(s)),
                    None => (target, None),
                };
                Kind::Include {
                    path,
                    spec,
                    rustdoc: name == "rustdoc_include",
                }
            }
            ("playground" | "playpen", Some(path)) => Kind::Playground {
                path,
                attrs: words.collect(),
            },
            _ => continue,
        };
        return Some(Directive { start, end, kind });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        dir
    }

    fn run(dir: &Path, body: &str) -> Result<Option<Expansion>, Diagnostics> {
        expand(&ChapterFile {
            source: body,
            body_offset: 0,
            shown: "src/ch.md",
            dir: &dir.join("src"),
            root: dir,
        })
    }

    #[test]
    fn includes_ranges_anchors_and_nesting() {
        let dir = book(&[
            (
                "src/a.rs",
                "fn a() {}\n// ANCHOR: x\nlet x = 1;\n// ANCHOR_END: x\n",
            ),
            ("src/sub/b.md", "B says {{#include ../a.rs:x}}"),
        ]);
        let e = run(
            dir.path(),
            "1 {{#include a.rs:1}}\n2 {{ #include sub/b.md }}\n",
        )
        .unwrap()
        .unwrap();
        assert_eq!(e.text, "1 fn a() {}\n2 B says let x = 1;\n");
        assert_eq!(e.included.len(), 2);
        // Text after a directive maps back to the same text in the file.
        let after = e.text.find("\n2").unwrap();
        assert_eq!(e.original_offset(after), "1 {{#include a.rs:1}}".len());
        // Included text maps to its directive.
        assert_eq!(e.original_offset(3), 2);
    }

    #[test]
    fn indentation_before_an_include_is_repeated() {
        let dir = book(&[("src/c.rs", "a\nb\n")]);
        let e = run(
            dir.path(),
            "- item\n\n  ```rust\n  {{#include c.rs}}\n  ```\n",
        )
        .unwrap()
        .unwrap();
        assert_eq!(e.text, "- item\n\n  ```rust\n  a\n  b\n  ```\n");
    }

    #[test]
    fn escapes_titles_and_playground() {
        let dir = book(&[("src/p.rs", "fn main() {}")]);
        let e = run(
            dir.path(),
            "{{#title Custom}}\\{{#include nothing.rs}}\n{{#playground p.rs editable}}",
        )
        .unwrap()
        .unwrap();
        assert_eq!(e.title.as_deref(), Some("Custom"));
        assert_eq!(
            e.text,
            "{{#include nothing.rs}}\n```rust,editable\nfn main() {}\n```"
        );
    }

    #[test]
    fn missing_files_and_anchors_are_located() {
        let dir = book(&[("src/a.rs", "x\n")]);
        let err = run(
            dir.path(),
            "text\n  {{#include gone.rs}}\n{{#include a.rs:nope}}\n",
        )
        .unwrap_err();
        let all = err.to_string();
        assert!(all.contains("src/ch.md:2:3"), "{all}");
        assert!(
            all.contains("cannot read `src/gone.rs`: it does not exist"),
            "{all}"
        );
        assert!(all.contains("src/ch.md:3:1"), "{all}");
        assert!(all.contains("`a.rs` has no anchor `nope`"), "{all}");
    }

    #[test]
    fn cycles_stop_at_the_depth_limit() {
        let dir = book(&[("src/self.md", "again {{#include self.md}}")]);
        let err = run(dir.path(), "{{#include self.md}}").unwrap_err();
        assert!(err.to_string().contains("more than 10 deep"), "{err}");
    }

    #[test]
    fn no_directive_no_expansion() {
        let dir = book(&[]);
        assert_eq!(run(dir.path(), "plain {{ not one }}").unwrap(), None);
    }
}
