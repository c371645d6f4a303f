//! `[language.<code>]` tables of book.toml: read, checked, and turned into the book's languages,
//! the book's own first, the others in the order book.toml lists them.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

use super::{Language, codes};
use crate::config::{BookConfig, CONFIG_FILE};
use crate::error::{Diagnostic, Diagnostics};
use crate::fs_util::relative_slash_path;
use crate::load::SUMMARY_FILE;

/// One `[language.<code>]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct LanguageSection {
    /// The folder of its chapters, relative to the book's root (required but for the book's own
    /// language, whose folder is `[book] src`).
    pub src: Option<PathBuf>,
    pub title: Option<String>,
    pub description: Option<String>,
    /// Its name in the language switcher.
    pub name: Option<String>,
}

/// The book's languages: `[book] language` first, then each `[language.<code>]`. Every problem
/// is reported, each at its line of book.toml.
pub fn declared(
    source: &str,
    sections: &BTreeMap<String, LanguageSection>,
    config: &BookConfig,
) -> Result<Vec<Language>, Diagnostics> {
    let mut default = Language::default_of(config);
    if sections.is_empty() {
        return Ok(vec![default]);
    }
    let mut errors = Diagnostics::default();
    if !codes::is_known(&config.language) {
        let mut d = unknown_code(&config.language, "[book] language").in_file(CONFIG_FILE);
        if let Some(offset) = key_in_section(source, "book", "language") {
            d = d.at_offset(source, offset, "language".len());
        }
        errors.push(d);
    }
    let mut ordered: Vec<(&String, &LanguageSection)> = sections.iter().collect();
    ordered.sort_by_key(|(code, _)| header_offset(source, code).unwrap_or(usize::MAX));
    let mut languages: Vec<Language> = Vec::new();
    for (code, section) in ordered {
        let result = if code.eq_ignore_ascii_case(&config.language) {
            own_language(source, code, section, config).map(|()| {
                default.name = section.name.clone();
                default.title = section.title.clone();
                default.description = section.description.clone();
            })
        } else {
            another_language(source, code, section, config, &default, &languages)
                .map(|language| languages.push(language))
        };
        if let Err(d) = result {
            errors.push(d);
        }
    }
    if errors.has_errors() {
        return Err(errors);
    }
    languages.insert(0, default);
    Ok(languages)
}

/// Points a diagnostic at the `[language.<code>]` header.
fn at_header(source: &str, code: &str, d: Diagnostic) -> Diagnostic {
    let d = d.in_file(CONFIG_FILE);
    match header_offset(source, code) {
        Some(offset) => d.at_offset(source, offset, code.len()),
        None => d,
    }
}

/// Checks a `[language.<code>]` section of the book's own language: it may only name it.
fn own_language(
    source: &str,
    code: &str,
    section: &LanguageSection,
    config: &BookConfig,
) -> Result<(), Diagnostic> {
    if code != config.language {
        return Err(at_header(
            source,
            code,
            duplicate(
                code,
                &config.language,
                "the book's own language (`[book] language`)",
            ),
        ));
    }
    if section
        .src
        .as_ref()
        .is_some_and(|s| config.root.join(s) != config.src_dir)
    {
        return Err(at_header(
            source,
            code,
            Diagnostic::error(format!(
                "`[language.{code}]` gives a `src`, but `{code}` is the book's own language"
            ))
            .hint("its chapters are in `[book] src`; remove `src` here, or change `[book] src`"),
        ));
    }
    Ok(())
}

/// Checks a `[language.<code>]` section of another language against those declared before it.
fn another_language(
    source: &str,
    code: &str,
    section: &LanguageSection,
    config: &BookConfig,
    default: &Language,
    languages: &[Language],
) -> Result<Language, Diagnostic> {
    let at_header = |d: Diagnostic| at_header(source, code, d);
    if let Some(other) = languages.iter().find(|l| l.code.eq_ignore_ascii_case(code)) {
        return Err(at_header(duplicate(code, &other.code, "another language")));
    }
    if !codes::is_known(code) {
        return Err(at_header(unknown_code(code, &format!("[language.{code}]"))));
    }
    let Some(src) = &section.src else {
        return Err(at_header(
            Diagnostic::error(format!("`[language.{code}]` has no `src`")).hint(format!(
                "name the folder of its chapters, e.g. `src = \"content-{code}\"`"
            )),
        ));
    };
    let src_dir = config.root.join(src);
    let at_src = |d: Diagnostic| {
        let d = d.in_file(CONFIG_FILE);
        match key_in_section(source, &format!("language.{code}"), "src") {
            Some(offset) => d.at_offset(source, offset, "src".len()),
            None => at_header(d),
        }
    };
    let shown = relative_slash_path(&src_dir, &config.root);
    let taken = std::iter::once(default).chain(languages).find(|l| {
        l.src_dir == src_dir || src_dir.starts_with(&l.src_dir) || l.src_dir.starts_with(&src_dir)
    });
    if let Some(other) = taken {
        return Err(at_src(
            Diagnostic::error(format!(
                "`[language.{code}]` uses `{shown}`, which overlaps the folder of `{}`",
                other.code
            ))
            .hint(
                "give each language a folder of its own, side by side: `content/`, `content-en/`",
            ),
        ));
    }
    if !src_dir.is_dir() {
        return Err(at_src(
            Diagnostic::error(format!(
                "the folder `{shown}` of `[language.{code}]` does not exist"
            ))
            .hint(format!(
                "create `{shown}/` with a {SUMMARY_FILE}, or fix `src`"
            )),
        ));
    }
    if !src_dir.join(SUMMARY_FILE).is_file() {
        return Err(at_src(
            Diagnostic::error(format!(
                "the folder `{shown}` of `[language.{code}]` has no {SUMMARY_FILE}"
            ))
            .hint(format!(
                "each language has its own table of contents: add `{shown}/{SUMMARY_FILE}`"
            )),
        ));
    }
    Ok(Language {
        code: code.to_string(),
        name: section.name.clone(),
        title: section.title.clone(),
        description: section.description.clone(),
        prefix: format!("{code}/"),
        src_dir,
    })
}

fn unknown_code(code: &str, place: &str) -> Diagnostic {
    let hint = match codes::suggestion(code) {
        Some(s) => format!(
            "did you mean `{s}`? A language code is a BCP 47 tag such as `en`, `zh-CN` or `pt-BR`"
        ),
        None => "a language code is a BCP 47 tag such as `en`, `zh-CN` or `pt-BR`".to_string(),
    };
    Diagnostic::error(format!("unknown language code `{code}` in `{place}`")).hint(hint)
}

fn duplicate(code: &str, other: &str, what: &str) -> Diagnostic {
    Diagnostic::error(format!(
        "language `{code}` is declared twice: `{other}` is {what}"
    ))
    .hint(format!(
        "codes ignore case; keep one `{other}` and remove `[language.{code}]`"
    ))
}

/// Where the code of `[language.<code>]` (or `[language."<code>"]`) starts.
fn header_offset(source: &str, code: &str) -> Option<usize> {
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("[language.") {
            let rest = rest.trim_end().trim_end_matches(']');
            if rest.trim_matches('"') == code {
                let quote = usize::from(rest.starts_with('"'));
                return Some(offset + line.len() - trimmed.len() + "[language.".len() + quote);
            }
        }
        offset += line.len();
    }
    None
}

/// Where `key = ` starts inside the `[section]` table.
fn key_in_section(source: &str, section: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    let mut inside = false;
    for line in source.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            let name = trimmed
                .trim_end()
                .trim_start_matches('[')
                .trim_end_matches(']');
            inside = name.replace('"', "") == section;
        } else if inside
            && let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            return Some(offset + line.len() - trimmed.len());
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_keys_are_found_in_their_tables() {
        let source = "[book]\nlanguage = \"zh-CN\"\n[language.en]\nsrc = \"content-en\"\n[language.\"pt-BR\"]\nsrc = \"b\"\n";
        assert_eq!(header_offset(source, "en"), source.find("en]"));
        assert_eq!(header_offset(source, "pt-BR"), source.find("pt-BR"));
        assert_eq!(
            key_in_section(source, "language.pt-BR", "src"),
            source.find("src = \"b\"")
        );
        assert_eq!(key_in_section(source, "book", "language"), Some(7));
    }
}
