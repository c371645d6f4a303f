//! mdBook's `[output.html]` keys that change what guidebook writes, read once from book.toml,
//! and a warning for each mdBook key guidebook accepts but does not act on.

use crate::config::{Config, HtmlSection};
use crate::error::{Diagnostic, Diagnostics};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MdbookHtml {
    /// Stylesheets and scripts every page links, relative to the book's root.
    pub additional_css: Vec<String>,
    pub additional_js: Vec<String>,
    /// `\( \)` and `\[ \]` are math too (rendered to MathML at build time).
    pub mathjax_support: bool,
    /// Numbered chapters show no "1.2." in the tables of contents (sidebar and landing page).
    pub no_section_label: bool,
    /// Which sidebar entries start with their sub-chapters folded.
    pub fold: crate::config::FoldSection,
    /// The chapter whose content becomes 404.html (mdBook's default `404.md`).
    pub input_404: Option<String>,
    /// The top bar's repository link, and mdBook's Font Awesome name for its icon.
    pub git_repository_url: Option<String>,
    pub git_repository_icon: Option<String>,
    /// Old path (`/a/b.html`) to new URL, in book.toml's order.
    pub redirects: Vec<(String, String)>,
    /// GFM alerts (`> [!NOTE]`); mdBook's default is on.
    pub admonitions: bool,
    pub definition_lists: bool,
    /// Written as the `CNAME` file, as mdBook does.
    pub cname: Option<String>,
    /// `[output.html.playground] copyable`: a copy button on code blocks.
    pub copyable: bool,
    /// The book is laid out for mdBook (chapters in `src/`, no guidebook-only key): its
    /// landing page and link policy follow mdBook.
    pub layout: bool,
}

impl MdbookHtml {
    pub fn from_section(html: &HtmlSection) -> MdbookHtml {
        let playground = html.playground.as_ref().or(html.playpen.as_ref());
        let copyable = playground
            .and_then(|p| p.get("copyable"))
            .and_then(toml::Value::as_bool)
            .unwrap_or(true);
        MdbookHtml {
            additional_css: html.additional_css.clone(),
            additional_js: html.additional_js.clone(),
            mathjax_support: html.mathjax_support,
            no_section_label: html.no_section_label,
            fold: html.fold.unwrap_or_default(),
            input_404: html.input_404.clone(),
            git_repository_url: html.git_repository_url.clone(),
            git_repository_icon: html.git_repository_icon.clone(),
            redirects: html
                .redirect
                .iter()
                .map(|(from, to)| (from.clone(), to.clone()))
                .collect(),
            admonitions: html.admonitions.unwrap_or(true),
            definition_lists: html.definition_lists.unwrap_or(true),
            cname: html.cname.clone(),
            copyable,
            layout: false,
        }
    }
}

/// Keys of `[output.html]` whose mdBook meaning guidebook does not reproduce.
const NO_EFFECT: &[(&str, &str)] = &[
    (
        "default-theme",
        "guidebook follows the reader's system setting and their own choice",
    ),
    (
        "preferred-dark-theme",
        "guidebook has one light and one dark theme",
    ),
    (
        "live-reload-endpoint",
        "`guidebook serve` has its own live reload",
    ),
    (
        "hash-files",
        "guidebook always gives its assets content-hashed names",
    ),
    (
        "sidebar-header-nav",
        "the page's own headings are listed on the page",
    ),
    ("print", "guidebook always writes print.html"),
];

/// Playground keys other than `copyable`: guidebook runs no code.
const PLAYGROUND_NO_EFFECT: &[&str] = &["runnable", "editable", "line-numbers", "copy-js"];

/// Search keys guidebook's own search index does not use.
const SEARCH_NO_EFFECT: &[&str] = &[
    "limit-results",
    "teaser-word-count",
    "use-boolean-and",
    "boost-title",
    "boost-hierarchy",
    "boost-paragraph",
    "expand",
    "heading-split-level",
    "copy-js",
    "chapter",
];

pub fn accepted_without_effect(source: &str, config: &Config) -> Diagnostics {
    let html = &config.output.html;
    let mut found = Diagnostics::default();
    let mut warn_at = |table: &str, key: &str, why: &str| {
        let mut w = Diagnostic::warning(format!(
            "`{table}{key}` is accepted but has no effect in guidebook: {why}"
        ))
        .in_file(crate::config::CONFIG_FILE);
        let name = key.rsplit('.').next().unwrap_or(key);
        if let Some(offset) = find_key_or_table(source, name) {
            w = w.at_offset(source, offset, name.len());
        }
        found.push(w);
    };
    let mut warn = |key: &str, why: &str| warn_at("output.html.", key, why);
    let set = [
        html.default_theme.is_some(),
        html.preferred_dark_theme.is_some(),
        html.live_reload_endpoint.is_some(),
        html.hash_files.is_some(),
        html.sidebar_header_nav.is_some(),
        html.print.is_some(),
    ];
    for ((key, why), present) in NO_EFFECT.iter().zip(set) {
        if present {
            warn(key, why);
        }
    }
    if html.git_repository_icon.is_some() && html.git_repository_url.is_none() {
        warn(
            "git-repository-icon",
            "it is the icon of the `git-repository-url` link, which is not set",
        );
    }
    if html.admonitions == Some(false) {
        warn(
            "admonitions",
            "GFM alerts (`> [!NOTE]`) are always rendered",
        );
    }
    if html.definition_lists == Some(false) {
        warn("definition-lists", "definition lists are always rendered");
    }
    for (table, name) in [(&html.playground, "playground"), (&html.playpen, "playpen")] {
        for key in table.iter().flat_map(|t| t.keys()) {
            if PLAYGROUND_NO_EFFECT.contains(&key.as_str()) {
                warn(
                    &format!("{name}.{key}"),
                    "guidebook runs no code, so there is no playground",
                );
            }
        }
    }
    for key in html.search.mdbook.keys() {
        if SEARCH_NO_EFFECT.contains(&key.as_str()) {
            warn(
                &format!("search.{key}"),
                "guidebook's search ranks and splits results its own way",
            );
        }
    }
    if let Some(enable) = html.search.mdbook.get("enable")
        && enable.as_bool() == Some(false)
    {
        warn("search.enable", "guidebook's search cannot be turned off");
    }
    outside_html(config, &mut warn_at);
    found
}

/// mdBook keys outside `[output.html]` that change mdBook's output but not guidebook's.
fn outside_html(config: &Config, warn: &mut impl FnMut(&str, &str, &str)) {
    if config
        .book
        .text_direction
        .as_deref()
        .is_some_and(|d| d == "rtl")
    {
        warn("book.", "text-direction", "pages are written left to right");
    }
    if config.build.create_missing == Some(true) {
        warn(
            "build.",
            "create-missing",
            "guidebook never creates chapter files; a missing one is an error",
        );
    }
    if config
        .rust
        .as_ref()
        .is_some_and(|r| r.contains_key("edition"))
    {
        warn(
            "rust.",
            "edition",
            "guidebook runs no code, so the edition is not used",
        );
    }
}

/// Byte offset of `key = ...` or of a `[...key]` table header.
fn find_key_or_table(source: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            return Some(offset + indent);
        }
        if trimmed.starts_with('[')
            && let Some(at) = trimmed.find(&format!(".{key}]"))
        {
            return Some(offset + indent + at + 1);
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn keys_without_effect_warn_and_honoured_ones_do_not() {
        let src = "[output.html]\nadditional-css = [\"a.css\"]\ndefault-theme = \"rust\"\n[output.html.fold]\nenable = true\nlevel = 1\n[output.html.playground]\ncopyable = false\nrunnable = false\n";
        let (config, warnings) = crate::config::parse(src).unwrap();
        let text = warnings.to_string();
        assert_eq!(warnings.len(), 2, "{text}");
        assert!(
            text.contains("`output.html.default-theme` is accepted but has no effect"),
            "{text}"
        );
        assert!(text.contains("book.toml:3:1"), "{text}");
        assert!(!text.contains("fold"), "fold is honoured: {text}");
        assert!(text.contains("`output.html.playground.runnable`"), "{text}");
        let md = super::MdbookHtml::from_section(&config.output.html);
        assert_eq!(md.additional_css, vec!["a.css".to_string()]);
        assert!(!md.copyable);
        assert_eq!(
            md.fold,
            crate::config::FoldSection {
                enable: true,
                level: 1
            }
        );
    }
}
