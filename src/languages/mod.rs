//! Multilingual books. book.toml declares each language besides the book's own
//! (`[language.en] src = "content-en"`); the book's language stays at the site root and each other
//! language is a book of its own under `<code>/`, built by the same stages with the same theme.
//! Pages find their counterparts by source path, or by a chapter's `translation-of` front matter
//! (see `counterparts`); every page then links them (`links`).
//!
//! The outer loop: `build` loads the default language's book, `load_translations` loads the
//! others and links them all, the stages render each, and `render_translations` adds the others'
//! files under their prefixes.

pub mod choices;
pub mod codes;
mod counterparts;
mod declare;
mod links;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::book::Book;
use crate::build::{StageInputs, StageTimes, StagedBook};
use crate::config::BookConfig;
use crate::error::{Diagnostic, Diagnostics};
use crate::output::{Fill, OutputSink, Recorder};
use crate::render::RenderOptions;
use crate::theme::Theme;

pub use declare::{LanguageSection, declared};

/// One language of the book, as book.toml declares it.
#[derive(Debug, Clone, PartialEq)]
pub struct Language {
    pub code: String,
    /// What the switcher shows; default: the `language_name` word of its table.
    pub name: Option<String>,
    /// Default: the book's title (the default language) or none.
    pub title: Option<String>,
    pub description: Option<String>,
    pub src_dir: PathBuf,
    /// Where its pages go under the site root: `""` for the book's language, `"en/"` for English.
    pub prefix: String,
}

impl Language {
    /// The book's own language, from `[book]`.
    pub fn default_of(config: &BookConfig) -> Language {
        Language {
            code: config.language.clone(),
            name: None,
            title: None,
            description: None,
            src_dir: config.src_dir.clone(),
            prefix: String::new(),
        }
    }
}

/// The configuration a language's book is built with: its folder, code, title and place under
/// the site.
pub fn config_for(base: &BookConfig, language: &Language) -> BookConfig {
    let mut config = base.clone();
    config.language = language.code.clone();
    config.src_dir = language.src_dir.clone();
    if let Some(title) = &language.title {
        config.title = title.clone();
    }
    if language.prefix.is_empty() {
        if let Some(description) = &language.description {
            config.description = description.clone();
        }
    } else {
        // The default language's description would be in the wrong language here.
        config.description = language.description.clone().unwrap_or_default();
        config.site_path = format!("{}{}", base.site_path, language.prefix);
        config.site_url = base
            .site_url
            .as_ref()
            .map(|u| format!("{u}{}", language.prefix));
    }
    config
}

/// Every language of a book, each with its pages by counterpart key: what the language switcher,
/// `hreflang` links and the sitemap need. Shared by the books of every language.
#[derive(Debug, Default)]
pub struct LanguageSet {
    pub languages: Vec<LanguageEntry>,
    /// The site's root URL when site-url is a full URL, for absolute `hreflang` links.
    pub site_url: Option<String>,
}

#[derive(Debug)]
pub struct LanguageEntry {
    pub code: String,
    pub name: String,
    pub prefix: String,
    /// Counterpart key → page path, for every page that has a counterpart elsewhere.
    pub pages: std::collections::HashMap<String, String>,
    /// Page path → counterpart key.
    pub keys: std::collections::HashMap<String, String>,
    /// The pages sitemap.xml lists, in order.
    pub sitemap: Vec<String>,
}

/// A book's place among the languages: the set, and which of them the book is.
#[derive(Debug, Clone, Default)]
pub struct BookLanguages {
    pub set: Arc<LanguageSet>,
    pub current: usize,
}

impl BookLanguages {
    pub fn is_multilingual(&self) -> bool {
        self.set.languages.len() > 1
    }

    /// The page a page's reader data is kept under: in a translation, its counterpart's path in
    /// the book's own language (`translation-of`); else its own.
    pub fn shared_path<'a>(&'a self, page_path: &'a str) -> &'a str {
        self.set
            .languages
            .get(self.current)
            .and_then(|l| l.keys.get(page_path))
            .map_or(page_path, String::as_str)
    }

    /// Where this language's pages sit under the site root (`""`, `"en/"`).
    pub fn prefix(&self) -> &str {
        self.set
            .languages
            .get(self.current)
            .map_or("", |l| l.prefix.as_str())
    }
}

/// The books of the other languages, loaded and linked with `book` (whose languages it sets).
/// A book with one language gets none.
pub fn load_translations(
    book: &mut Book,
    theme: &Theme,
) -> Result<(Vec<Book>, Diagnostics), Diagnostics> {
    let languages = book.config.languages.clone();
    if languages.len() < 2 {
        return Ok((Vec::new(), Diagnostics::default()));
    }
    let loaded: Vec<Result<(Book, Diagnostics), Diagnostics>> = languages[1..]
        .par_iter()
        .map(|language| crate::build::load_and_preprocess(config_for(&book.config, language)))
        .collect();
    let mut errors = Diagnostics::default();
    let mut warnings = Diagnostics::default();
    let mut translations = Vec::new();
    for result in loaded {
        match result {
            Ok((translation, more)) => {
                warnings.extend(more);
                translations.push(translation);
            }
            Err(e) => errors.extend(e),
        }
    }
    if errors.has_errors() {
        errors.extend(warnings);
        return Err(errors);
    }
    let names: Vec<String> = languages
        .iter()
        .map(|l| {
            l.name
                .clone()
                .unwrap_or_else(|| theme.words(&l.code).page["language_name"].clone())
        })
        .collect();
    let set = {
        let all: Vec<&Book> = std::iter::once(&*book).chain(&translations).collect();
        Arc::new(
            counterparts::link(&all, &languages, names).map_err(|mut e| {
                e.extend(warnings.iter().cloned());
                e
            })?,
        )
    };
    book.languages = BookLanguages {
        set: set.clone(),
        current: 0,
    };
    for (i, translation) in translations.iter_mut().enumerate() {
        choices::add_option_aliases(book, translation);
        translation.languages = BookLanguages {
            set: set.clone(),
            current: i + 1,
        };
    }
    Ok((translations, warnings))
}

/// Renders every other language's book through the same stages into `sink`, each file under the
/// language's prefix. Its warnings join `warnings`.
pub fn render_translations(
    translations: &mut [Book],
    theme: &Theme,
    (options, release_sources): (RenderOptions, bool),
    sink: &Recorder,
    warnings: &mut Diagnostics,
) -> Result<(), Diagnostics> {
    for book in translations {
        let mut times = StageTimes::default();
        let language = book.config.language.clone();
        let under_prefix = UnderPrefix {
            inner: sink,
            prefix: book.languages.prefix().to_string(),
            taken: sink.paths(),
            language: &language,
        };
        let recorder = Recorder::new(&under_prefix);
        let staged = match release_sources {
            true => StagedBook::Releasing(book),
            false => StagedBook::Keeping(book),
        };
        crate::build::render_stages(
            staged,
            theme,
            StageInputs::whole_book(options),
            &recorder,
            &mut times,
            warnings,
        )?;
    }
    Ok(())
}

/// A language's files under its prefix; a file the site already has under that path (say
/// `content/en/a.html` beside the English edition) is an error naming both.
struct UnderPrefix<'a> {
    inner: &'a dyn OutputSink,
    prefix: String,
    /// What the book's own language wrote, written before any other language.
    taken: HashSet<String>,
    language: &'a str,
}

impl UnderPrefix<'_> {
    /// The path under the site root, or `None` for the one file only the root has.
    fn full_path(&self, path: &str) -> Result<Option<String>, Diagnostic> {
        // One marker for the whole site, at its root.
        if path == ".nojekyll" {
            return Ok(None);
        }
        let full = format!("{}{path}", self.prefix);
        if self.taken.contains(&full) {
            return Err(Diagnostic::error(format!(
                "`{full}` is written twice: by the book's own files and by the `{}` edition",
                self.language
            ))
            .hint(format!(
                "the `{}` folder of the site belongs to that language; rename the book's own `{}` folder",
                self.prefix,
                self.prefix.trim_end_matches('/')
            )));
        }
        Ok(Some(full))
    }
}

impl OutputSink for UnderPrefix<'_> {
    fn read_back(&self, path: &str) -> Option<Vec<u8>> {
        self.inner.read_back(&format!("{}{path}", self.prefix))
    }

    fn scratch_dir(&self) -> Option<&std::path::Path> {
        self.inner.scratch_dir()
    }

    fn write(&self, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        match self.full_path(path)? {
            Some(full) => self.inner.write(&full, bytes),
            None => Ok(()),
        }
    }

    fn keep(&self, path: &str, bytes: std::sync::Arc<[u8]>) -> Result<(), Diagnostic> {
        match self.full_path(path)? {
            Some(full) => self.inner.keep(&full, bytes),
            None => Ok(()),
        }
    }

    fn write_with(&self, path: &str, fill: Fill) -> Result<(), Diagnostic> {
        match self.full_path(path)? {
            Some(full) => self.inner.write_with(&full, fill),
            None => Ok(()),
        }
    }
}
