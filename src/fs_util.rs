//! File-system helpers whose errors always carry the path.

use std::path::{Component, Path};

use crate::error::{Diagnostic, Diagnostics, Location, io_error};

/// Reads a UTF-8 text file; `shown` is how diagnostics name it. A byte-order mark is dropped.
pub fn read_text(path: &Path, shown: &str) -> Result<String, Diagnostics> {
    let bytes = std::fs::read(path).map_err(|e| io_error("read", Path::new(shown), &e))?;
    // Checked with SIMD first (every chapter passes here: std's check was a fifth of loading);
    // std's check then only runs to say where a bad file goes wrong.
    if simdutf8::basic::from_utf8(&bytes).is_ok() {
        // SAFETY: just checked to be UTF-8.
        let mut text = unsafe { String::from_utf8_unchecked(bytes) };
        if text.starts_with('\u{feff}') {
            text.drain(..3);
        }
        return Ok(text);
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(text)
        }
        Err(err) => {
            let bytes = err.as_bytes();
            let valid_up_to = err.utf8_error().valid_up_to();
            let before = String::from_utf8_lossy(&bytes[..valid_up_to]);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let lossy = String::from_utf8_lossy(bytes);
            Err(Diagnostic::error(format!("`{shown}` is not valid UTF-8"))
                .in_file(shown)
                .at(Location::from_line_col(&lossy, line, column, 1))
                .hint(
                    "save the file as UTF-8 (most editors have an \"encoding\" option when saving)",
                )
                .into())
        }
    }
}

/// `path` relative to `base`, with `/` separators, for display and for keys.
pub fn relative_slash_path(path: &Path, base: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Normalises a `/`-separated relative path, resolving `.` and `..`; `None` if it leaves the root.
pub fn normalize_relative(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// `../` once per folder the page at `page_path` sits in.
pub fn path_to_root(page_path: &str) -> String {
    "../".repeat(page_path.matches('/').count())
}

/// Writes `text` to `rel` under `dir`, making its folders; returns the file's path. For the unit
/// tests that build a book in a temporary folder.
#[cfg(test)]
pub(crate) fn write_test_file(dir: &Path, rel: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_dot_segments() {
        assert_eq!(
            normalize_relative("a/./b/../c.md").as_deref(),
            Some("a/c.md")
        );
        assert_eq!(normalize_relative("../x.md"), None);
    }

    #[test]
    fn the_root_is_one_step_up_per_folder() {
        assert_eq!(path_to_root("index.html"), "");
        assert_eq!(path_to_root("a/b/c.html"), "../../");
    }

    #[test]
    fn invalid_utf8_points_at_the_byte() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.md");
        std::fs::write(&path, b"ok line\nab\xff\xfecd\n").unwrap();
        let text = read_text(&path, "content/bad.md").unwrap_err().to_string();
        assert!(
            text.contains("`content/bad.md` is not valid UTF-8"),
            "{text}"
        );
        assert!(text.contains("content/bad.md:2:3"), "{text}");
    }
}
