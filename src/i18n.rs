//! The theme's words: one table per language (`themes/default/i18n/<language>.toml`, compiled
//! in), with a book's own tables (`themes/<name>/i18n/<language>.toml`) laid over them word by
//! word. A table has two parts: `[page]` words reach templates (as `ui.<key>`) and the generator's
//! own markup; `[script]` words reach templates too and the scripts as `guidebook.words`.
//! English fills in any word a table lacks, so a new language can start with a few words.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::error::{Diagnostic, Location};

/// The built-in tables, by language code. Adding a language is adding a file and a line here.
const BUILT_IN: &[(&str, &str)] = &[
    ("zh-CN", include_str!("../themes/default/i18n/zh-CN.toml")),
    ("en", include_str!("../themes/default/i18n/en.toml")),
];

/// The language whose table has every word and fills in the others'.
const FALLBACK: &str = "en";

/// One language's words, as a table file holds them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WordTable {
    #[serde(default)]
    pub page: BTreeMap<String, String>,
    #[serde(default)]
    pub script: BTreeMap<String, String>,
}

impl WordTable {
    /// Parses a table file; `shown` names it in errors.
    pub fn parse(text: &str, shown: &str) -> Result<WordTable, Diagnostic> {
        let table: WordTable = toml::from_str(text).map_err(|e| {
            let mut d = Diagnostic::error(format!("invalid words table: {}", e.message()))
                .in_file(shown)
                .hint("a words table has `[page]` and `[script]` sections of `key = \"word\"` lines; see themes/default/i18n/en.toml");
            if let Some(span) = e.span() {
                d = d.at(Location::from_offset(text, span.start, span.len().max(1)));
            }
            d
        })?;
        table.check_keys(text, shown)?;
        Ok(table)
    }

    /// Every key must be one the default theme knows: a misspelt key would silently do nothing.
    fn check_keys(&self, text: &str, shown: &str) -> Result<(), Diagnostic> {
        let known = fallback_table();
        for (part, words, known_words) in [
            ("page", &self.page, &known.page),
            ("script", &self.script, &known.script),
        ] {
            if let Some(key) = words.keys().find(|k| !known_words.contains_key(*k)) {
                let closest = known_words
                    .keys()
                    .max_by(|a, b| {
                        strsim::jaro_winkler(a, key).total_cmp(&strsim::jaro_winkler(b, key))
                    })
                    .map(|k| format!("; did you mean `{k}`?"))
                    .unwrap_or_default();
                let mut d =
                    Diagnostic::error(format!("unknown word `{key}` in `[{part}]`{closest}"))
                        .in_file(shown)
                        .hint(format!(
                            "the `[{part}]` words are listed in themes/default/i18n/en.toml"
                        ));
                if let Some(at) = find_key(text, key) {
                    d = d.at(Location::from_offset(text, at, key.len()));
                }
                return Err(d);
            }
        }
        Ok(())
    }

    /// This table with `over`'s words replacing its own.
    fn overlaid(mut self, over: &WordTable) -> WordTable {
        self.page
            .extend(over.page.iter().map(|(k, v)| (k.clone(), v.clone())));
        self.script
            .extend(over.script.iter().map(|(k, v)| (k.clone(), v.clone())));
        self
    }
}

/// Where `key = ` starts a line in a table file.
fn find_key(text: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with(key) && trimmed[key.len()..].trim_start().starts_with('=') {
            return Some(offset + line.len() - trimmed.len());
        }
        offset += line.len();
    }
    None
}

fn built_in_tables() -> &'static BTreeMap<&'static str, WordTable> {
    static TABLES: OnceLock<BTreeMap<&'static str, WordTable>> = OnceLock::new();
    TABLES.get_or_init(|| {
        BUILT_IN
            .iter()
            .map(|(code, text)| {
                let shown = format!("themes/default/i18n/{code}.toml (built in)");
                let table = toml::from_str(text)
                    .unwrap_or_else(|e| panic!("{shown} is not a valid words table: {e}"));
                (*code, table)
            })
            .collect()
    })
}

fn fallback_table() -> &'static WordTable {
    &built_in_tables()[FALLBACK]
}

/// Which of `available` languages serves `language`: the same code, else the same primary
/// subtag (`zh-TW` → `zh-CN`), else English.
fn pick<'a>(language: &str, available: impl Iterator<Item = &'a str> + Clone) -> Option<&'a str> {
    let primary = |code: &str| {
        code.split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    available
        .clone()
        .find(|code| code.eq_ignore_ascii_case(language))
        .or_else(|| {
            available
                .clone()
                .find(|code| primary(code) == primary(language))
        })
}

/// The words for `language`: English, then the built-in table for it, then the book's table for
/// it (`overrides` by language code), each laid over the one before.
pub(crate) fn words_for(language: &str, overrides: &BTreeMap<String, WordTable>) -> WordTable {
    let mut words = fallback_table().clone();
    if let Some(code) = pick(language, built_in_tables().keys().copied()) {
        words = words.overlaid(&built_in_tables()[code]);
    }
    if let Some(code) = pick(language, overrides.keys().map(String::as_str)) {
        words = words.overlaid(&overrides[code]);
    }
    words
}

/// Every word, for templates (`ui.<key>`): the page words and the script words in one map.
pub(crate) fn template_words(words: &WordTable) -> BTreeMap<&str, &str> {
    words
        .script
        .iter()
        .chain(&words.page)
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// Chinese or English, for the few choices made by language rather than by a word (search
/// tokenising, built-in synonyms).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub(crate) fn from_code(code: &str) -> Lang {
        if code.to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_table_has_every_key_and_no_other() {
        let en = fallback_table();
        for (code, table) in built_in_tables() {
            for (part, words, all) in [
                ("page", &table.page, &en.page),
                ("script", &table.script, &en.script),
            ] {
                let missing: Vec<_> = all.keys().filter(|k| !words.contains_key(*k)).collect();
                let extra: Vec<_> = words.keys().filter(|k| !all.contains_key(*k)).collect();
                assert!(missing.is_empty(), "{code}.toml [{part}] lacks {missing:?}");
                assert!(
                    extra.is_empty(),
                    "{code}.toml [{part}] has unknown {extra:?}"
                );
                assert!(
                    words.values().all(|w| !w.is_empty()),
                    "{code}.toml [{part}] has an empty word"
                );
            }
        }
    }

    #[test]
    fn every_word_the_scripts_and_templates_use_is_in_the_tables() {
        let en = fallback_table();
        let theme = [
            include_str!("../themes/default/static/guidebook.js"),
            include_str!("../themes/default/static/guidebook-tools.js"),
            include_str!("../themes/default/static/guidebook-plan.js"),
            include_str!("../themes/default/static/guidebook-search.js"),
        ];
        for source in theme {
            for key in quoted_after(source, "t('") {
                assert!(
                    en.script.contains_key(key),
                    "the script uses t('{key}'), no such word"
                );
            }
        }
        for (name, text) in crate::theme::DEFAULT_TEMPLATES {
            for key in quoted_after(text, "ui.") {
                assert!(
                    en.page.contains_key(key) || en.script.contains_key(key),
                    "{name} uses ui.{key}, no such word"
                );
            }
        }
    }

    /// The identifiers that follow each `marker` in `text` (not where the marker ends a longer
    /// name, as `closest('` does).
    fn quoted_after<'a>(text: &'a str, marker: &str) -> Vec<&'a str> {
        text.match_indices(marker)
            .filter(|(at, _)| {
                let before = text[..*at].chars().next_back();
                !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
            })
            .map(|(at, _)| {
                let rest = &text[at + marker.len()..];
                let end = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                &rest[..end]
            })
            .filter(|k| !k.is_empty())
            .collect()
    }

    #[test]
    fn a_language_is_served_by_its_own_table_its_family_or_english() {
        let none = BTreeMap::new();
        assert_eq!(words_for("zh-CN", &none).page["contents"], "目录");
        assert_eq!(words_for("zh-TW", &none).page["contents"], "目录");
        assert_eq!(words_for("fr", &none).page["contents"], "Contents");
        let mut book = BTreeMap::new();
        let table = WordTable::parse("[page]\ncontents = \"Sommaire\"\n", "fr.toml").unwrap();
        book.insert("fr".to_string(), table);
        let fr = words_for("fr-FR", &book);
        assert_eq!(fr.page["contents"], "Sommaire");
        assert_eq!(fr.page["search"], "Search", "English fills in the rest");
    }

    #[test]
    fn a_misspelt_word_in_a_book_table_is_an_error_at_its_line() {
        let text = "[page]\ncontents = \"目录\"\nserach = \"找\"\n";
        let err = WordTable::parse(text, "themes/mine/i18n/zh-CN.toml").unwrap_err();
        let shown = err.to_string();
        assert!(
            shown.contains("unknown word `serach` in `[page]`; did you mean `search`?"),
            "{shown}"
        );
        assert!(shown.contains("themes/mine/i18n/zh-CN.toml:3:1"), "{shown}");
    }
}
