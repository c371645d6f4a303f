//! The theme: the default one compiled into the binary, and a book's overrides, one file at a
//! time, from `themes/<name>/templates/` and `themes/<name>/static/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Diagnostics, Location};
use crate::fs_util::{read_text, relative_slash_path};
use crate::i18n::WordTable;

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../themes/default/templates/", $name)))),*]
    };
}

pub(crate) const DEFAULT_TEMPLATES: &[(&str, &str)] = embedded!(
    "base.html",
    "chapter.html",
    "index.html",
    "toolbox.html",
    "cases.html",
    "worksheet.html",
    "checklist.html",
    "print.html",
    "plan.html",
    "case.html",
    "404.html",
    "partials/worksheet.html",
    "partials/worksheet-field.html",
    "partials/worksheet-control.html",
    "partials/checklist.html",
    "partials/task-list.html",
    "partials/case-card.html",
    "partials/case-library.html",
    "partials/toc.html",
    "partials/sidebar.html",
    "partials/alert.html",
    "partials/heading.html",
    "partials/language-switcher.html",
    "partials/language-alternates.html",
    "partials/repository-link.html",
);

pub(crate) const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../themes/default/static/style.css"),
    ),
    (
        "guidebook.js",
        include_bytes!("../themes/default/static/guidebook.js"),
    ),
    (
        "guidebook-sidebar.js",
        include_bytes!("../themes/default/static/guidebook-sidebar.js"),
    ),
    (
        "guidebook-worksheets.js",
        include_bytes!("../themes/default/static/guidebook-worksheets.js"),
    ),
    (
        "guidebook-search.js",
        include_bytes!("../themes/default/static/guidebook-search.js"),
    ),
    (
        "cases.js",
        include_bytes!("../themes/default/static/cases.js"),
    ),
    (
        "guidebook-tools.js",
        include_bytes!("../themes/default/static/guidebook-tools.js"),
    ),
    // mdBook code blocks: linked only from pages that have code.
    (
        "code.css",
        include_bytes!("../themes/default/static/code.css"),
    ),
    (
        "code.js",
        include_bytes!("../themes/default/static/code.js"),
    ),
    (
        "guidebook-plan.js",
        include_bytes!("../themes/default/static/guidebook-plan.js"),
    ),
    (
        "guidebook-plan.css",
        include_bytes!("../themes/default/static/guidebook-plan.css"),
    ),
    // Also written to the site's root: browsers and feed readers ask for /favicon.ico.
    (
        "favicon.ico",
        include_bytes!("../themes/default/static/favicon.ico"),
    ),
];

/// One template's text and where it came from (for error messages).
struct TemplateSource {
    name: String,
    text: String,
    shown: String,
}

pub struct Theme {
    pub tera: tera::Tera,
    /// Static files by name (`style.css`), default ones replaced by the book's.
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// The book's own words tables (`themes/<name>/i18n/<language>.toml`), by language code.
    word_tables: BTreeMap<String, WordTable>,
    sources: BTreeMap<String, (String, String)>,
}

/// Loads the default theme with the overrides found in `theme_dir`.
pub fn load(theme_dir: Option<&Path>, book_root: &Path) -> Result<Theme, Diagnostics> {
    let mut templates: Vec<TemplateSource> = DEFAULT_TEMPLATES
        .iter()
        .map(|(name, text)| TemplateSource {
            name: name.to_string(),
            text: text.to_string(),
            shown: format!("themes/default/templates/{name} (built in)"),
        })
        .collect();
    let mut static_files: BTreeMap<String, Vec<u8>> = DEFAULT_STATIC
        .iter()
        .map(|(n, b)| (n.to_string(), b.to_vec()))
        .collect();
    let mut errors = Diagnostics::default();
    let mut word_tables = BTreeMap::new();
    if let Some(dir) = theme_dir {
        for file in files_under(&dir.join("templates")) {
            let name = relative_slash_path(&file, &dir.join("templates"));
            let shown = relative_slash_path(&file, book_root);
            match read_text(&file, &shown) {
                Ok(text) => {
                    templates.retain(|t| t.name != name);
                    templates.push(TemplateSource { name, text, shown });
                }
                Err(e) => errors.extend(e),
            }
        }
        for file in files_under(&dir.join("i18n")) {
            let Some(code) = file
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".toml"))
            else {
                continue;
            };
            let shown = relative_slash_path(&file, book_root);
            match read_text(&file, &shown)
                .and_then(|text| WordTable::parse(&text, &shown).map_err(Diagnostics::from))
            {
                Ok(table) => {
                    word_tables.insert(code.to_string(), table);
                }
                Err(e) => errors.extend(e),
            }
        }
        for file in files_under(&dir.join("static")) {
            let name = relative_slash_path(&file, &dir.join("static"));
            match std::fs::read(&file) {
                Ok(bytes) => {
                    static_files.insert(name, bytes);
                }
                Err(e) => errors.push(crate::error::io_error("read", &file, &e)),
            }
        }
    }
    let mut tera = tera::Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    let mut sources = BTreeMap::new();
    for t in &templates {
        sources.insert(t.name.clone(), (t.shown.clone(), t.text.clone()));
    }
    if let Err(e) =
        tera.add_raw_templates(templates.iter().map(|t| (t.name.as_str(), t.text.as_str())))
    {
        errors.push(template_error(&e, &sources));
    }
    if errors.has_errors() {
        return Err(errors);
    }
    Ok(Theme {
        tera,
        static_files,
        word_tables,
        sources,
    })
}

impl Theme {
    pub fn render(&self, template: &str, context: &tera::Context) -> Result<String, Diagnostic> {
        self.tera
            .render(template, context)
            .map_err(|e| template_error(&e, &self.sources))
    }

    /// `render` as bytes: a chapter page goes to its file as it is, without the UTF-8 check
    /// `render` makes of every page (1.5% of a build at 50,000 chapters).
    pub(crate) fn render_bytes(
        &self,
        template: &str,
        context: &tera::Context,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(template, context, &mut out)
            .map_err(|e| template_error(&e, &self.sources))?;
        Ok(out)
    }

    /// The words for a book in `language`, the book's own tables laid over the built-in ones.
    pub(crate) fn words(&self, language: &str) -> WordTable {
        crate::i18n::words_for(language, &self.word_tables)
    }

    /// Whether `name` is the built-in template, not overridden by the book's theme.
    pub(crate) fn is_built_in(&self, name: &str) -> bool {
        let built_in = DEFAULT_TEMPLATES.iter().find(|(n, _)| *n == name);
        match (built_in, self.sources.get(name)) {
            (Some((_, text)), Some((_, source))) => text == source,
            _ => false,
        }
    }

    pub(crate) fn has_template(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// How diagnostics name a template's file.
    pub(crate) fn shown_path<'a>(&'a self, name: &'a str) -> &'a str {
        self.sources.get(name).map_or(name, |(shown, _)| shown)
    }

    /// Whether both themes have the same templates with the same text.
    #[cfg(feature = "serve")]
    pub(crate) fn same_templates(&self, other: &Theme) -> bool {
        self.sources == other.sources
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return Vec::new();
    }
    walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.into_path())
        .collect()
}

/// Turns Tera's error (syntax or rendering, with its span) into a diagnostic on the template file.
fn template_error(err: &tera::Error, sources: &BTreeMap<String, (String, String)>) -> Diagnostic {
    use std::error::Error as _;
    match err.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let what = if matches!(err.kind(), tera::ErrorKind::SyntaxError(_)) {
                "template syntax error"
            } else {
                "template error"
            };
            let mut d = Diagnostic::error(format!("{what}: {}", report.message()));
            if let Some((shown, text)) = sources.get(report.filename()) {
                let span = report.span();
                let width = if span.start_line == span.end_line {
                    span.end_col.saturating_sub(span.start_col)
                } else {
                    1
                };
                d = d.in_file(shown).at(Location::from_line_col(
                    text,
                    span.start_line,
                    span.start_col + 1,
                    width,
                ));
            } else if !report.filename().is_empty() {
                d = d.in_file(report.filename());
            }
            let hint = if report.message().contains("not found in context")
                || report.message().contains("undefined")
            {
                "check the spelling against the available names above; the README lists what each template gets"
            } else {
                "see Tera 2's template syntax: `{{ variable }}`, `{% if %}…{% endif %}`, `{% for x in list %}…{% endfor %}`"
            };
            d.hint(hint)
        }
        _ => {
            let mut message = err.to_string();
            let mut source = err.source();
            while let Some(s) = source {
                message.push_str(&format!(": {s}"));
                source = s.source();
            }
            Diagnostic::error(format!("template error: {message}")).hint(
                "check the `{% extends %}` and `{% include %}` names against the theme's templates",
            )
        }
    }
}
