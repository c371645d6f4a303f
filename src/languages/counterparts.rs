//! Which pages of two languages are the same page. A chapter's counterpart key is the page path
//! of the default language's chapter it translates: its own page path (same source path), or the
//! one its front matter names (`translation-of: part1/failure.md`). Worksheet and checklist pages
//! (by id), the landing page, the print page and the plan page map by path.

use std::collections::HashMap;

use super::{Language, LanguageEntry, LanguageSet};
use crate::book::{Book, Chapter};
use crate::error::{Diagnostic, Diagnostics, Location};

/// The front-matter key of a translated chapter that names the default language's chapter it
/// translates, by its source path there.
pub const TRANSLATION_OF: &str = "translation-of";

/// Pages every language's site has, whatever its chapters.
const GENERATED: &[&str] = &["index.html", "print.html", crate::plan::PLAN_PAGE];

/// Links the books of every language (`books[i]` is `languages[i]`'s, the default first).
pub fn link(
    books: &[&Book],
    languages: &[Language],
    names: Vec<String>,
) -> Result<LanguageSet, Diagnostics> {
    let mut errors = Diagnostics::default();
    let default_pages: HashMap<&str, &str> = books[0]
        .chapters
        .iter()
        .map(|c| (c.source_path.as_str(), c.page_path.as_str()))
        .collect();
    let mut entries = Vec::with_capacity(books.len());
    for ((book, language), name) in books.iter().zip(languages).zip(names) {
        let mut keys: HashMap<String, String> = HashMap::new();
        let mut pages: HashMap<String, String> = HashMap::new();
        let mut claimed: HashMap<String, &Chapter> = HashMap::new();
        for chapter in &book.chapters {
            let default = (books[0], languages[0].code.as_str());
            let key = match counterpart_key(chapter, language, &default_pages, default, book) {
                Ok(key) => key,
                Err(d) => {
                    errors.push(d);
                    continue;
                }
            };
            if let Some(first) = claimed.insert(key.clone(), chapter) {
                let d = Diagnostic::error(format!(
                    "`{}` and `{}` are both the counterpart of `{key}`",
                    first.shown_path, chapter.shown_path
                ))
                .hint(format!("one page per language translates a page; change `{TRANSLATION_OF}` in one of them"));
                errors.push(match translation_of(chapter) {
                    Some((_, at)) => at(d),
                    None => d.in_file(&chapter.shown_path),
                });
                continue;
            }
            keys.insert(chapter.page_path.clone(), key.clone());
            pages.insert(key, chapter.page_path.clone());
        }
        add_item_pages(book, &mut keys, &mut pages);
        entries.push(LanguageEntry {
            code: language.code.clone(),
            name,
            prefix: language.prefix.clone(),
            sitemap: crate::sitemap::listed_pages(book),
            pages,
            keys,
        });
    }
    if errors.has_errors() {
        return Err(errors);
    }
    Ok(LanguageSet {
        languages: entries,
        site_url: books[0].config.site_url.clone(),
    })
}

/// The default language's page path `chapter` translates: its own, or the one its
/// `translation-of` names. `default` is the default language's book and code.
fn counterpart_key(
    chapter: &Chapter,
    language: &Language,
    default_pages: &HashMap<&str, &str>,
    (default_book, default_code): (&Book, &str),
    book: &Book,
) -> Result<String, Diagnostic> {
    match translation_of(chapter) {
        None => Ok(chapter.page_path.clone()),
        Some((_, at)) if language.prefix.is_empty() => Err(at(Diagnostic::error(format!(
            "`{TRANSLATION_OF}` in a chapter of the book's own language `{}`",
            language.code
        ))
        .hint("only a translation names the chapter it translates; remove the key here"))),
        Some((target, at)) => match default_pages.get(target.as_str()) {
            Some(page) => Ok(page.to_string()),
            None => {
                let shown = default_book.config.src_dir.join(&target);
                let shown = crate::fs_util::relative_slash_path(&shown, &book.config.root);
                let mut hint = format!(
                    "name a chapter of `{default_code}` by its path there, as SUMMARY.md lists it"
                );
                let listed = default_pages.keys().copied();
                if let Some(close) = crate::error::did_you_mean(&target, listed) {
                    hint = format!("did you mean `{close}`? {hint}");
                }
                Err(at(Diagnostic::error(format!(
                    "`{TRANSLATION_OF}: {target}` points nowhere: `{shown}` is not a chapter of the book"
                ))
                .hint(hint)))
            }
        },
    }
}

/// Worksheet, checklist and generated pages map to themselves by path.
fn add_item_pages(
    book: &Book,
    keys: &mut HashMap<String, String>,
    pages: &mut HashMap<String, String>,
) {
    let items = book
        .collections
        .worksheets
        .iter()
        .map(|w| w.page_path())
        .chain(book.collections.checklists.iter().map(|l| l.page_path()))
        .chain(GENERATED.iter().map(|p| p.to_string()));
    for path in items {
        // A chapter at a generated path (README.md → index.html) is that page already.
        if keys.contains_key(&path) {
            continue;
        }
        keys.insert(path.clone(), path.clone());
        pages.insert(path.clone(), path);
    }
}

/// The chapter's `translation-of`, normalised to a source path, with a way to place a
/// diagnostic at its value.
fn translation_of(chapter: &Chapter) -> Option<(String, impl Fn(Diagnostic) -> Diagnostic + '_)> {
    let value = chapter.front_matter.extra.get(TRANSLATION_OF)?;
    let text = value
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| value.to_string());
    let target = crate::fs_util::normalize_relative(text.trim_start_matches("./")).unwrap_or(text);
    let at = move |d: Diagnostic| {
        let d = d.in_file(&chapter.shown_path);
        match key_offset(&chapter.source[..chapter.body_offset]) {
            Some((offset, len)) => d.at(Location::from_offset(&chapter.source, offset, len)),
            None => d,
        }
    };
    Some((target, at))
}

/// Where the value of `translation-of:` sits in the front matter, and its length.
fn key_offset(front_matter: &str) -> Option<(usize, usize)> {
    let mut offset = 0;
    for line in front_matter.split_inclusive('\n') {
        if let Some(rest) = line
            .strip_prefix(TRANSLATION_OF)
            .and_then(|r| r.strip_prefix(':'))
        {
            let value = rest.trim();
            let start = offset + TRANSLATION_OF.len() + 1 + (rest.len() - rest.trim_start().len());
            return Some((start, value.len().max(1)));
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_value_of_translation_of_is_located() {
        let fm = "---\ntitle: A\ntranslation-of: part1/a.md\n---\n";
        let (offset, len) = key_offset(fm).unwrap();
        assert_eq!(&fm[offset..offset + len], "part1/a.md");
    }
}
