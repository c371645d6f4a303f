//! mdBook's `input-404`: the chapter whose Markdown becomes 404.html (default `404.md` in the
//! source folder, used when it exists). It is not listed in SUMMARY.md and is not a chapter.

use crate::config::{BookConfig, CONFIG_FILE};
use crate::error::Diagnostic;
use crate::fs_util::relative_slash_path;

/// mdBook's default 404 source, relative to the source folder.
pub const DEFAULT_404: &str = "404.md";

/// The 404 page's Markdown, read from the source folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotFoundSource {
    /// How diagnostics name the file (relative to the book root).
    pub shown: String,
    pub text: String,
}

/// The file 404.html comes from, relative to the source folder, whether or not it exists.
/// `input-404 = ""` turns the page off in mdBook; guidebook then shows its own.
pub fn source_path(config: &BookConfig) -> Option<&str> {
    match config.mdbook.input_404.as_deref() {
        Some("") => None,
        Some(path) => Some(path),
        None => Some(DEFAULT_404),
    }
}

/// Reads the 404 page's Markdown. `None` when the book has none (guidebook's own page is used);
/// an error when book.toml names a file that cannot be read, as mdBook fails then.
pub fn read(config: &BookConfig) -> Result<Option<NotFoundSource>, Diagnostic> {
    let Some(path) = source_path(config) else {
        return Ok(None);
    };
    let file = config.src_dir.join(path);
    let shown = relative_slash_path(&file, &config.root);
    match std::fs::read_to_string(&file) {
        Ok(text) => Ok(Some(NotFoundSource { shown, text })),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && config.mdbook.input_404.is_none() => {
            Ok(None)
        }
        Err(e) => {
            let reason = if e.kind() == std::io::ErrorKind::NotFound {
                "it does not exist".to_string()
            } else {
                e.to_string()
            };
            let mut d = Diagnostic::error(format!(
                "`input-404` names `{shown}`, which cannot be read: {reason}"
            ))
            .in_file(CONFIG_FILE)
            .hint(format!(
                "the path is relative to the source folder; create the file, or remove `input-404` to use `{DEFAULT_404}` when it exists"
            ));
            let toml = std::fs::read_to_string(config.root.join(CONFIG_FILE)).unwrap_or_default();
            if let Some(offset) = toml.find(&format!("\"{path}\"")) {
                d = d.at_offset(&toml, offset + 1, path.len());
            }
            Err(d)
        }
    }
}
