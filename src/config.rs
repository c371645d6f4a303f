//! `book.toml`: parse, then validate, then derive. Keys shared with mdBook are spelled as mdBook
//! spells them, so an mdBook book's configuration means the same here.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Diagnostic, Diagnostics, did_you_mean, io_error};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct Config {
    pub book: BookSection,
    pub build: BuildSection,
    pub output: OutputSection,
    /// `[language.<code>]`: the book's other languages (see `crate::languages`).
    pub language: std::collections::BTreeMap<String, crate::languages::LanguageSection>,
    /// mdBook preprocessors have no meaning here; accepted so mdBook books build.
    pub preprocessor: Option<toml::Table>,
    pub rust: Option<toml::Table>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct BookSection {
    pub title: Option<String>,
    pub description: Option<String>,
    pub authors: Vec<String>,
    pub language: Option<String>,
    pub src: Option<PathBuf>,
    /// Namespaces the reader's saved answers; defaults to the title.
    pub id: Option<String>,
    pub text_direction: Option<String>,
    pub multilingual: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct BuildSection {
    pub build_dir: Option<PathBuf>,
    pub extra_watch_dirs: Vec<PathBuf>,
    pub create_missing: Option<bool>,
    pub use_default_preprocessors: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct OutputSection {
    pub html: HtmlSection,
    /// Settings only guidebook reads; mdBook skips the table when it says `optional = true`.
    pub guidebook: GuidebookSection,
    /// Other mdBook back ends (linkcheck, epub...) are ignored with a warning.
    #[serde(flatten)]
    pub other: toml::Table,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct GuidebookSection {
    pub broken_links: Option<BrokenLinks>,
    /// mdBook's own flag for renderers it may skip.
    pub optional: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct CodeSection {
    pub hidelines: std::collections::HashMap<String, String>,
}

/// mdBook's `[output.html.fold]`: which sidebar entries start with their sub-chapters folded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct FoldSection {
    /// Off (mdBook's default): every entry starts unfolded.
    pub enable: bool,
    /// Entries this deep or deeper (top level is 0) start folded; 0 folds them all.
    pub level: u8,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct HtmlSection {
    pub site_url: Option<String>,
    pub theme: Option<PathBuf>,
    pub smart_punctuation: bool,
    /// mdBook's older name for smart punctuation.
    pub curly_quotes: Option<bool>,
    pub broken_links: Option<BrokenLinks>,
    pub edit_url_template: Option<String>,
    pub git_repository_url: Option<String>,
    pub git_repository_icon: Option<String>,
    // mdBook keys guidebook honours.
    pub mathjax_support: bool,
    pub additional_css: Vec<String>,
    pub additional_js: Vec<String>,
    pub no_section_label: bool,
    pub input_404: Option<String>,
    pub code: CodeSection,
    pub redirect: std::collections::BTreeMap<String, String>,
    pub admonitions: Option<bool>,
    pub definition_lists: Option<bool>,
    pub cname: Option<String>,
    pub playground: Option<toml::Table>,
    /// mdBook's old name for `playground`.
    pub playpen: Option<toml::Table>,
    pub search: SearchSection,
    // mdBook keys read so they do not warn as unknown; `accepted_without_effect` says they do
    // nothing here.
    pub default_theme: Option<toml::Value>,
    pub preferred_dark_theme: Option<toml::Value>,
    pub print: Option<toml::Value>,
    pub fold: Option<FoldSection>,
    pub live_reload_endpoint: Option<toml::Value>,
    pub hash_files: Option<toml::Value>,
    pub sidebar_header_nav: Option<toml::Value>,
}

impl Default for HtmlSection {
    fn default() -> Self {
        HtmlSection {
            site_url: None,
            theme: None,
            smart_punctuation: true,
            curly_quotes: None,
            broken_links: None,
            edit_url_template: None,
            git_repository_url: None,
            git_repository_icon: None,
            mathjax_support: false,
            additional_css: Vec::new(),
            additional_js: Vec::new(),
            no_section_label: false,
            input_404: None,
            code: CodeSection::default(),
            redirect: Default::default(),
            admonitions: None,
            definition_lists: None,
            cname: None,
            playground: None,
            playpen: None,
            search: SearchSection::default(),
            default_theme: None,
            preferred_dark_theme: None,
            print: None,
            fold: None,
            live_reload_endpoint: None,
            hash_files: None,
            sidebar_header_nav: None,
        }
    }
}

/// `[output.html.search]`: mdBook's search keys (no effect here) and guidebook's synonyms.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct SearchSection {
    /// `word = ["synonym", ...]`: a query holding `word` also finds the synonyms.
    pub synonyms: std::collections::BTreeMap<String, Vec<String>>,
    #[serde(flatten)]
    pub mdbook: toml::Table,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BrokenLinks {
    Error,
    Warn,
}

/// The configuration with every default applied and every path made absolute.
#[derive(Debug, Clone)]
pub struct BookConfig {
    pub root: PathBuf,
    pub title: String,
    pub description: String,
    pub authors: Vec<String>,
    pub language: String,
    pub book_id: String,
    pub src_dir: PathBuf,
    pub build_dir: PathBuf,
    pub extra_watch_dirs: Vec<PathBuf>,
    /// Always starts and ends with `/`.
    pub site_path: String,
    /// The absolute origin + path when site-url is a full URL (for canonical links and sitemaps).
    pub site_url: Option<String>,
    pub theme_dir: Option<PathBuf>,
    pub smart_punctuation: bool,
    pub broken_links: BrokenLinks,
    pub edit_url_template: Option<String>,
    /// `[output.html.search.synonyms]`, added to the language's built-in table.
    pub search_synonyms: std::collections::BTreeMap<String, Vec<String>>,
    /// The rest of mdBook's `[output.html]` that changes the output.
    pub mdbook: crate::mdbook::config::MdbookHtml,
    pub code: crate::markdown::code::CodeOptions,
    /// Every language of the book, its own (`language`, `src_dir`) first.
    pub languages: Vec<crate::languages::Language>,
}

pub const CONFIG_FILE: &str = "book.toml";

/// Reads `book.toml` under `root` (a missing file means all defaults, as in mdBook).
pub fn load(root: &Path) -> Result<(BookConfig, Diagnostics), Diagnostics> {
    let path = root.join(CONFIG_FILE);
    let source = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(err) => return Err(io_error("read", &path, &err).into()),
    };
    let (config, warnings) = parse(&source)?;
    let sections = config.language.clone();
    let mut config = derive(root, config).map_err(|d| Diagnostics::from(d.in_file(CONFIG_FILE)))?;
    config.languages = crate::languages::declared(&source, &sections, &config)?;
    // `[language.<the book's own>]` may give its title and description too.
    let own = config.languages[0].clone();
    let mut config = crate::languages::config_for(&config, &own);
    // `serve` watches the other languages' folders, and no build may write into them.
    config
        .extra_watch_dirs
        .extend(config.languages[1..].iter().map(|l| l.src_dir.clone()));
    Ok((config, warnings))
}

/// Parses the text of a `book.toml`, returning it with a warning for each unknown key.
pub fn parse(source: &str) -> Result<(Config, Diagnostics), Diagnostics> {
    let deserializer = toml::de::Deserializer::parse(source).map_err(|e| toml_error(source, &e))?;
    let mut unknown = Vec::new();
    let config: Config = serde_ignored::deserialize(deserializer, |path| {
        unknown.push(path.to_string());
    })
    .map_err(|e| toml_error(source, &e))?;
    let mut warnings = Diagnostics::default();
    for key in unknown {
        warnings.push(unknown_key_warning(source, &key));
    }
    warnings.extend(crate::mdbook::config::accepted_without_effect(
        source, &config,
    ));
    for (name, _) in &config.output.other {
        let header = format!("output.{name}");
        let mut w = Diagnostic::warning(format!(
            "`[{header}]` is ignored: guidebook has one HTML back end"
        ))
        .in_file(CONFIG_FILE);
        if let Some(offset) = source.find(&format!("[{header}")) {
            w = w.at_offset(source, offset + 1, header.len());
        }
        warnings.push(w);
    }
    Ok((config, warnings))
}

fn toml_error(source: &str, err: &toml::de::Error) -> Diagnostics {
    let mut d = Diagnostic::error(format!("invalid book.toml: {}", err.message().trim()))
        .in_file(CONFIG_FILE)
        .hint("book.toml is TOML: `key = \"value\"` under `[book]`, `[build]` or `[output.html]`");
    if let Some(span) = err.span() {
        d = d.at_offset(source, span.start, span.len().max(1));
    }
    d.into()
}

const KNOWN_KEYS: &[&str] = &[
    "title",
    "description",
    "authors",
    "language",
    "src",
    "id",
    "build-dir",
    "extra-watch-dirs",
    "site-url",
    "theme",
    "smart-punctuation",
    "broken-links",
    "edit-url-template",
    "name",
];

fn unknown_key_warning(source: &str, path: &str) -> Diagnostic {
    let key = path.rsplit('.').next().unwrap_or(path);
    let mut w = Diagnostic::warning(format!("unknown key `{path}` in book.toml is ignored"))
        .in_file(CONFIG_FILE);
    if let Some(suggestion) = did_you_mean(key, KNOWN_KEYS.iter().copied()) {
        w = w.hint(format!("did you mean `{suggestion}`?"));
    }
    if let Some(offset) = find_key(source, key) {
        w = w.at_offset(source, offset, key.len());
    }
    w
}

/// Byte offset of `key` where it starts a `key = ...` line.
fn find_key(source: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            return Some(offset + (line.len() - trimmed.len()));
        }
        offset += line.len();
    }
    None
}

fn derive(root: &Path, config: Config) -> Result<BookConfig, Diagnostic> {
    let root = root.to_path_buf();
    let book = config.book;
    let html = config.output.html;
    let title = book.title.unwrap_or_else(|| "Untitled book".to_string());
    let src_dir = match book.src {
        Some(src) => root.join(src),
        // mdBook books keep their chapters in src/; ours default to content/.
        None if !root.join("content").exists() && root.join("src/SUMMARY.md").exists() => {
            root.join("src")
        }
        None => root.join("content"),
    };
    let (site_path, site_url) = split_site_url(html.site_url.as_deref().unwrap_or("/"))?;
    // A book laid out for mdBook (chapters in src/, no guidebook-only key) keeps building when
    // mdBook would: broken links warn unless the book or `--strict` asks for errors.
    let mdbook_layout = src_dir.ends_with("src") && book.id.is_none();
    let broken_links = html
        .broken_links
        .or(config.output.guidebook.broken_links)
        .unwrap_or(if mdbook_layout {
            BrokenLinks::Warn
        } else {
            BrokenLinks::Error
        });
    let mut mdbook = crate::mdbook::config::MdbookHtml::from_section(&html);
    mdbook.layout = mdbook_layout;
    let code = crate::markdown::code::CodeOptions {
        hidelines: html.code.hidelines.clone(),
        copyable: mdbook.copyable,
    };
    let theme_dir = html.theme.map(|t| {
        if t.components().count() == 1 {
            root.join("themes").join(t)
        } else {
            root.join(t)
        }
    });
    let book_id = book
        .id
        .unwrap_or_else(|| crate::slug::slugify(&title))
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .collect();
    let mut config = BookConfig {
        description: book.description.unwrap_or_default(),
        authors: book.authors,
        language: book.language.unwrap_or_else(|| "en".to_string()),
        book_id,
        build_dir: root.join(
            config
                .build
                .build_dir
                .unwrap_or_else(|| PathBuf::from("public")),
        ),
        extra_watch_dirs: config
            .build
            .extra_watch_dirs
            .iter()
            .map(|d| root.join(d))
            .collect(),
        src_dir,
        site_path,
        site_url,
        theme_dir,
        smart_punctuation: html.curly_quotes.unwrap_or(html.smart_punctuation),
        broken_links,
        edit_url_template: html.edit_url_template,
        search_synonyms: html.search.synonyms,
        mdbook,
        code,
        title,
        root,
        languages: Vec::new(),
    };
    config.languages = vec![crate::languages::Language::default_of(&config)];
    Ok(config)
}

/// `site-url` may be a path (`/guide/`) or a full URL (`https://example.org/guide/`).
fn split_site_url(raw: &str) -> Result<(String, Option<String>), Diagnostic> {
    let raw = raw.trim();
    let (origin, path) = match raw.find("://") {
        Some(scheme_end) => {
            let after = &raw[scheme_end + 3..];
            let path_start = after.find('/').map_or(raw.len(), |i| scheme_end + 3 + i);
            (Some(&raw[..path_start]), &raw[path_start..])
        }
        None => (None, raw),
    };
    if path.contains(['?', '#', ' ']) {
        return Err(
            Diagnostic::error(format!("site-url `{raw}` must be a plain path or URL"))
                .hint("write it like `/guide/` or `https://example.org/guide/`"),
        );
    }
    let mut path = path.trim_matches('/').to_string();
    path = if path.is_empty() {
        "/".to_string()
    } else {
        format!("/{path}/")
    };
    let full = origin.map(|o| format!("{o}{path}"));
    Ok((path, full))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_url_accepts_paths_and_urls() {
        assert_eq!(split_site_url("/guide").unwrap(), ("/guide/".into(), None));
        assert_eq!(split_site_url("").unwrap(), ("/".into(), None));
        assert_eq!(
            split_site_url("https://ex.org/a/b/").unwrap(),
            ("/a/b/".into(), Some("https://ex.org/a/b/".into()))
        );
        assert_eq!(
            split_site_url("https://ex.org").unwrap(),
            ("/".into(), Some("https://ex.org/".into()))
        );
    }

    #[test]
    fn unknown_keys_warn_with_a_suggestion() {
        let (_, warnings) = parse("[book]\ntitle = \"T\"\ntitel = \"x\"\n").unwrap();
        let w = warnings.iter().next().unwrap().to_string();
        assert!(w.contains("unknown key `book.titel`"), "{w}");
        assert!(w.contains("did you mean `title`?"), "{w}");
        assert!(w.contains("book.toml:3:1"), "{w}");
    }

    #[test]
    fn mdbook_keys_do_not_warn() {
        let src = "[book]\ntitle = \"T\"\nmultilingual = false\n[output.html]\nmathjax-support = true\nadditional-css = []\n[preprocessor.links]\n";
        let (_, warnings) = parse(src).unwrap();
        assert!(warnings.is_empty(), "{warnings}");
    }

    #[test]
    fn search_synonyms_sit_beside_mdbook_search_keys() {
        let src = "[output.html.search]\nlimit-results = 20\n[output.html.search.synonyms]\nOKR = [\"目标\"]\n";
        let (config, warnings) = parse(src).unwrap();
        // mdBook's key is read and said to do nothing; the synonyms are guidebook's own.
        assert_eq!(warnings.len(), 1, "{warnings}");
        assert!(
            warnings
                .to_string()
                .contains("`output.html.search.limit-results` is accepted but has no effect"),
            "{warnings}"
        );
        let derived = derive(Path::new("/b"), config).unwrap();
        assert_eq!(derived.search_synonyms["OKR"], vec!["目标".to_string()]);
        let err = parse("[output.html.search.synonyms]\nOKR = \"目标\"\n").unwrap_err();
        assert!(err.to_string().contains("book.toml:2:"), "{err}");
    }

    #[test]
    fn bad_toml_points_at_the_line() {
        let err = parse("[book]\ntitle = \"T\n").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("book.toml:2:"), "{text}");
    }
}
