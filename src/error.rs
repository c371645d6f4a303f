//! One diagnostic type for the whole pipeline: a message, where it happened (file, line, column,
//! the offending line), and what to do about it. Rendered the way rustc and just render errors.

use std::fmt;
use std::path::{Path, PathBuf};

use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// A position in a source file, 1-based, with the text of that line for the snippet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    /// How many characters the caret underlines (at least one).
    pub width: usize,
    pub line_text: String,
}

impl Location {
    /// Locates a byte range of `source`; offsets past the end or inside a character are clamped.
    pub(crate) fn from_offset(source: &str, offset: usize, len: usize) -> Location {
        let mut offset = offset.min(source.len());
        while !source.is_char_boundary(offset) {
            offset -= 1;
        }
        let line_start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[offset..]
            .find('\n')
            .map_or(source.len(), |i| offset + i);
        let line_text = source[line_start..line_end].trim_end_matches('\r');
        let line = source[..line_start].matches('\n').count() + 1;
        let column = source[line_start..offset].chars().count() + 1;
        let mut end = (offset + len).min(line_end);
        while !source.is_char_boundary(end) {
            end -= 1;
        }
        let width = source[offset..end].chars().count().max(1);
        Location {
            line,
            column,
            width,
            line_text: line_text.to_string(),
        }
    }

    /// Locates a 1-based line and column of `source`.
    pub(crate) fn from_line_col(
        source: &str,
        line: usize,
        column: usize,
        width: usize,
    ) -> Location {
        let line_text = source
            .lines()
            .nth(line.saturating_sub(1))
            .unwrap_or("")
            .trim_end_matches('\r')
            .to_string();
        Location {
            line: line.max(1),
            column: column.max(1),
            width: width.max(1),
            line_text,
        }
    }
}

/// One problem found in a book, with everything a person needs to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// Shown relative to the book's root where possible.
    pub file: Option<PathBuf>,
    pub location: Option<Location>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            file: None,
            location: None,
            hint: None,
        }
    }

    pub(crate) fn warning(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub(crate) fn in_file(mut self, file: impl Into<PathBuf>) -> Diagnostic {
        self.file = Some(file.into());
        self
    }

    pub fn at(mut self, location: Location) -> Diagnostic {
        self.location = Some(location);
        self
    }

    /// Points at bytes `offset..offset + len` of `source`, the text of the diagnostic's file.
    pub(crate) fn at_offset(self, source: &str, offset: usize, len: usize) -> Diagnostic {
        self.at(Location::from_offset(source, offset, len))
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    pub(crate) fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Turns an error into a warning, for checks a book may downgrade (broken links).
    pub(crate) fn downgraded(mut self) -> Diagnostic {
        self.severity = Severity::Warning;
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{label}: {}", self.message)?;
        if let Some(file) = &self.file {
            let file = file.display().to_string().replace('\\', "/");
            match &self.location {
                Some(loc) => {
                    let gutter = loc.line.to_string().len();
                    let pad = " ".repeat(gutter);
                    writeln!(f, "{pad}--> {file}:{}:{}", loc.line, loc.column)?;
                    writeln!(f, "{pad} |")?;
                    writeln!(f, "{} | {}", loc.line, loc.line_text)?;
                    let before: String = loc.line_text.chars().take(loc.column - 1).collect();
                    let marked: String = loc
                        .line_text
                        .chars()
                        .skip(loc.column - 1)
                        .take(loc.width)
                        .collect();
                    // Wide (CJK) characters take two terminal cells, so measure in cells.
                    let indent = " ".repeat(before.width());
                    let carets = "^".repeat(marked.width().max(1));
                    writeln!(f, "{pad} | {indent}{carets}")?;
                    if let Some(hint) = &self.hint {
                        writeln!(f, "{pad} = help: {hint}")?;
                    }
                    return Ok(());
                }
                None => writeln!(f, " --> {file}")?,
            }
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "  = help: {hint}")?;
        }
        Ok(())
    }
}

/// Every problem one run found; a build fails if any of them is an error.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Puts `earlier` (found by an earlier step) before these.
    pub(crate) fn prepend(&mut self, earlier: Diagnostics) {
        self.0.splice(0..0, earlier.0);
    }

    pub fn extend(&mut self, more: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(more);
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub(crate) fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }

    pub(crate) fn retain(&mut self, keep: impl FnMut(&Diagnostic) -> bool) {
        self.0.retain(keep);
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl From<Vec<Diagnostic>> for Diagnostics {
    fn from(diagnostics: Vec<Diagnostic>) -> Diagnostics {
        Diagnostics(diagnostics)
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Diagnostics {
        Diagnostics(vec![diagnostic])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, diagnostic) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// An I/O failure, always with the path it happened on.
pub(crate) fn io_error(action: &str, path: &Path, err: &std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("could not {action} `{}`: {err}", path.display()))
}

/// The closest candidate to `word`, for "did you mean" hints.
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_a_compiler() {
        let source = "id: map\nfields:\n    type: scal\n";
        let d = Diagnostic::error("unknown field type `scal`; did you mean `scale`?")
            .in_file("content/worksheets/map.yaml")
            .at_offset(source, source.find("scal").unwrap(), 4)
            .hint("use one of: text, scale");
        assert_eq!(
            d.to_string(),
            "error: unknown field type `scal`; did you mean `scale`?\n \
             --> content/worksheets/map.yaml:3:11\n  |\n3 |     type: scal\n  |           ^^^^\n  = help: use one of: text, scale\n"
        );
    }

    #[test]
    fn carets_account_for_wide_characters() {
        let source = "标题：[坏链接](nope.md)";
        let offset = source.find("[坏").unwrap();
        let loc = Location::from_offset(source, offset, "[坏链接](nope.md)".len());
        assert_eq!((loc.line, loc.column), (1, 4));
        let text = Diagnostic::error("x").in_file("a.md").at(loc).to_string();
        assert!(text.contains("\n  |       ^^^^^^^^^^^^^^^^^\n"), "{text}");
    }

    #[test]
    fn offsets_inside_a_character_are_clamped() {
        let loc = Location::from_offset("中文", 1, 100);
        assert_eq!((loc.line, loc.column, loc.width), (1, 1, 2));
    }

    #[test]
    fn suggests_close_words_only() {
        assert_eq!(did_you_mean("scal", ["scale", "text"]), Some("scale"));
        assert_eq!(did_you_mean("zzz", ["scale", "text"]), None);
    }
}
