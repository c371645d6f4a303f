//! What mdBook adds to every page or to the site beside the chapters: `additional-css` and
//! `additional-js` (copied from the book's root and linked from every page), the code blocks'
//! stylesheet and copy script (linked only from pages with code), and the `CNAME` file.

use crate::config::BookConfig;
use crate::error::{Diagnostic, Diagnostics};
use crate::html::escape;
use crate::url::{ROOT_MARKER, encode_path, is_external};

/// `<link>` and `<script>` tags for `additional-css` and `additional-js`, for every page's head.
pub fn head_html(config: &BookConfig) -> String {
    let mut html = String::new();
    for css in &config.mdbook.additional_css {
        html.push_str(&format!(
            "<link rel=\"stylesheet\" href=\"{}\">\n",
            escape(&href(css))
        ));
    }
    for js in &config.mdbook.additional_js {
        html.push_str(&format!(
            "<script src=\"{}\"></script>\n",
            escape(&href(js))
        ));
    }
    html
}

fn href(path: &str) -> String {
    if is_external(path) || path.starts_with('/') {
        path.to_string()
    } else {
        format!(
            "{ROOT_MARKER}{}",
            encode_path(path.trim_start_matches("./"))
        )
    }
}

/// The files `additional-css` and `additional-js` name, read from the book's root, with the
/// path they keep in the site. A missing one is an error pointing at book.toml.
pub fn additional_files(config: &BookConfig) -> Result<Vec<(String, Vec<u8>)>, Diagnostics> {
    let mut files = Vec::new();
    let mut errors = Diagnostics::default();
    let toml =
        std::fs::read_to_string(config.root.join(crate::config::CONFIG_FILE)).unwrap_or_default();
    for (key, path) in config
        .mdbook
        .additional_css
        .iter()
        .map(|p| ("additional-css", p))
        .chain(
            config
                .mdbook
                .additional_js
                .iter()
                .map(|p| ("additional-js", p)),
        )
    {
        if is_external(path) || path.starts_with('/') {
            continue;
        }
        let rel = path.trim_start_matches("./").to_string();
        let Some(clean) = crate::fs_util::normalize_relative(&rel) else {
            errors.push(
                Diagnostic::error(format!("`{key}` entry `{path}` points outside the book"))
                    .in_file(crate::config::CONFIG_FILE),
            );
            continue;
        };
        match std::fs::read(config.root.join(&clean)) {
            Ok(bytes) => files.push((clean, bytes)),
            Err(e) => {
                let mut d = Diagnostic::error(format!(
                    "`{key}` names `{path}`, which cannot be read: {}",
                    if e.kind() == std::io::ErrorKind::NotFound {
                        "it does not exist".to_string()
                    } else {
                        e.to_string()
                    }
                ))
                .in_file(crate::config::CONFIG_FILE)
                .hint("paths in additional-css and additional-js are relative to the folder holding book.toml");
                if let Some(offset) = toml.find(&format!("\"{path}\"")) {
                    d = d.at_offset(&toml, offset + 1, path.len());
                }
                errors.push(d);
            }
        }
    }
    if let Some(cname) = &config.mdbook.cname {
        files.push(("CNAME".to_string(), format!("{cname}\n").into_bytes()));
    }
    if errors.has_errors() {
        Err(errors)
    } else {
        Ok(files)
    }
}

/// The code stylesheet and script, appended to a page's body when it has code blocks.
pub fn code_html(css_path: &str, js_path: &str) -> String {
    format!(
        "\n<link rel=\"stylesheet\" href=\"{ROOT_MARKER}{css_path}\">\n<script defer src=\"{ROOT_MARKER}{js_path}\"></script>\n"
    )
}
