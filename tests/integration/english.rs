//! The English edition in `content-en/` keeps the Chinese guide's shape: it builds as a book of
//! its own with no warnings, every Chinese page has an English counterpart at the same path, and its
//! chapters and cases follow the English conventions (`## Key points`, English case results).
//! The edition is also built with the guide as its `en/` language (see `languages.rs`); here it is
//! checked as a standalone book too, so it stays buildable on its own.

use std::path::Path;

use super::common::{TestBook, copy_dir};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir` of the repository, as paths relative to it, sorted.
fn files_under(dir: &str) -> Vec<String> {
    let root = repo().join(dir);
    let mut files: Vec<String> = walkdir::WalkDir::new(&root)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(&root).unwrap();
            rel.to_string_lossy().replace('\\', "/")
        })
        .collect();
    files.sort();
    files
}

/// Numbered chapters of the English SUMMARY.md.
fn english_chapters() -> Vec<String> {
    let summary = std::fs::read_to_string(repo().join("content-en/SUMMARY.md")).unwrap();
    summary
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("- ["))
        .map(|rest| {
            let link = rest.split("](").nth(1).unwrap();
            link.trim_end_matches(')').to_string()
        })
        .collect()
}

fn english_book() -> TestBook {
    let book = TestBook::empty();
    book.write(
        "book.toml",
        "[book]\ntitle = \"After the Setback\"\nlanguage = \"en\"\nsrc = \"content-en\"\n\n\
         [output.html]\nsmart-punctuation = false\nbroken-links = \"error\"\n",
    );
    copy_dir(&repo().join("content-en"), &book.path("content-en"));
    book
}

#[test]
fn the_english_edition_builds_alone_without_warnings() {
    let book = english_book();
    let report = book.build();
    assert!(report.warnings.is_empty(), "{}", report.warnings);
    let index = book.output("index.html");
    assert!(
        index.contains("<html lang=\"en\""),
        "the landing page is English"
    );
    let chapter = book.output("part4/leaving-after-layoff.html");
    assert!(chapter.contains("Leaving with dignity after a layoff"));
    assert!(
        chapter.contains("data-item=\"first-contact-date\""),
        "the embedded checklist keeps the Chinese item ids"
    );
    assert!(book.output("cases.html").contains("partly repaired"));
}

#[test]
fn every_chinese_page_has_an_english_counterpart() {
    let english = files_under("content-en");
    let missing: Vec<String> = files_under("content")
        .into_iter()
        .filter(|f| !english.contains(f))
        .collect();
    assert!(
        missing.is_empty(),
        "no English counterpart in content-en/ for: {missing:?}"
    );
}

#[test]
fn english_chapters_and_cases_follow_the_english_conventions() {
    let chapters = english_chapters();
    assert!(chapters.len() >= 20, "{} English chapters", chapters.len());
    for path in &chapters {
        let text = std::fs::read_to_string(repo().join("content-en").join(path)).unwrap();
        assert!(text.contains("description:"), "{path} has no description");
        assert!(
            text.contains("\n## Key points\n"),
            "{path} has no Key points"
        );
        assert!(
            !text.contains("本章要点"),
            "{path} kept the Chinese heading"
        );
        let action = text.contains("- [ ]")
            || text.contains("worksheets/")
            || text.contains("checklists/")
            || text.contains("cases/");
        assert!(action, "{path} has no checklist, worksheet or case");
    }
    let results = ["repaired", "partly repaired", "not repaired"];
    for case in files_under("content-en/cases") {
        let text = std::fs::read_to_string(repo().join("content-en/cases").join(&case)).unwrap();
        let value = |key: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(key))
                .unwrap_or_else(|| panic!("{case} lacks {key}"))
                .trim()
                .to_string()
        };
        let result = value("result:");
        assert!(
            results.contains(&result.as_str()),
            "{case}: result {result}"
        );
        for key in ["industry:", "seniority:"] {
            let v = value(key);
            assert!(
                v.is_ascii() && !v.is_empty(),
                "{case}: {key} {v} is not plain English"
            );
        }
    }
}
