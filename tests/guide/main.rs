//! The bundled guide (content/) keeps the shape of its second edition: enough chapters, text and
//! cases, chapter anatomy, no formulaic openers, every collection in use, no sentence taken from the
//! source article, and a build with no warnings. These check the book, not the engine, so they are
//! their own test target (`cargo test --test guide`).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn is_han(c: &char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(c)
}

/// The Han characters of a text, in order, with punctuation, Latin and spaces stripped.
fn han(text: &str) -> Vec<char> {
    text.chars().filter(is_han).collect()
}

/// Numbered chapters from SUMMARY.md, as (part, path).
fn numbered_chapters() -> Vec<(String, String)> {
    let summary = read(&repo().join("content/SUMMARY.md"));
    let mut part = String::new();
    let mut out = Vec::new();
    for line in summary.lines() {
        if let Some(title) = line.strip_prefix("# ") {
            part = title.to_string();
        } else if let Some(rest) = line.trim_start().strip_prefix("- [") {
            let path = rest
                .split("](")
                .nth(1)
                .unwrap()
                .trim_end_matches(')')
                .to_string();
            out.push((part.clone(), path));
        }
    }
    out
}

/// A chapter's text and body (the text after its front matter).
fn chapter(path: &str) -> (String, String) {
    let text = read(&repo().join("content").join(path));
    let body = match text.strip_prefix("---\n") {
        Some(rest) => rest
            .split_once("\n---\n")
            .map_or(rest, |(_, body)| body)
            .to_string(),
        None => text.clone(),
    };
    (text, body)
}

/// The first paragraph of a chapter body: its first run of non-blank lines.
fn first_paragraph(body: &str) -> String {
    body.lines()
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn yaml_files(dir: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo().join("content").join(dir))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort();
    names
}

/// The keys of a case study this test reads.
#[derive(serde::Deserialize)]
struct Case {
    #[serde(default)]
    industry: String,
    #[serde(default)]
    seniority: String,
    #[serde(default)]
    result: String,
}

fn cases() -> Vec<(String, Case)> {
    yaml_files("cases")
        .into_iter()
        .map(|name| {
            let text = read(&repo().join("content/cases").join(&name));
            let case = serde_saphyr::from_str::<Case>(&text)
                .unwrap_or_else(|e| panic!("cases/{name}: {e}"));
            (name, case)
        })
        .collect()
}

fn content_files(extensions: &[&str]) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(repo().join("content"))
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| extensions.contains(&e))
        })
        .collect()
}

#[test]
fn the_guide_has_its_parts_and_at_least_twenty_chapters() {
    let chapters = numbered_chapters();
    assert!(
        chapters.len() >= 20,
        "{} numbered chapters, needs 20",
        chapters.len()
    );
    for (part, min) in [
        ("第一部分 认知调整", 3),
        ("第二部分 主动沟通", 4),
        ("第三部分 长期经营", 4),
    ] {
        let n = chapters.iter().filter(|(p, _)| p == part).count();
        assert!(n >= min, "{part} has {n} chapters, needs {min}");
    }
    let summary = read(&repo().join("content/SUMMARY.md"));
    for page in [
        "[如何使用本指南]",
        "[工具箱]",
        "[案例库]",
        "[参考与延伸阅读]",
    ] {
        assert!(summary.contains(page), "SUMMARY.md lacks {page}");
    }
}

#[test]
fn chapters_have_body_text_key_points_and_an_action() {
    let mut total = 0;
    for (_, path) in numbered_chapters() {
        let (text, _) = chapter(&path);
        total += han(&text).len();
        assert!(text.contains("description:"), "{path} has no description");
        assert!(text.contains("## 本章要点"), "{path} has no 本章要点");
        let action = text.contains("- [ ]")
            || text.contains("worksheets/")
            || text.contains("checklists/")
            || text.contains("cases/");
        assert!(action, "{path} has no checklist, worksheet or case");
    }
    assert!(
        total >= 45_000,
        "only {total} Chinese characters in the numbered chapters, needs 45,000"
    );
}

/// Chapters open with a scene, a question or a problem, not with a summary of themselves.
#[test]
fn at_most_three_chapters_open_with_a_summary() {
    let summaries: Vec<String> = numbered_chapters()
        .into_iter()
        .map(|(_, path)| path)
        .filter(|path| {
            let opening = first_paragraph(&chapter(path).1);
            opening.contains("这一章") || opening.contains("本章")
        })
        .collect();
    assert!(
        summaries.len() <= 3,
        "{} chapters open with a summary (at most 3): {summaries:?}",
        summaries.len()
    );
}

#[test]
fn no_chapter_uses_the_formulaic_phrases() {
    let mut found = Vec::new();
    for (_, path) in numbered_chapters() {
        let (text, _) = chapter(&path);
        for phrase in ["读完以后，你会", "下面这个案例讲的是"] {
            if text.contains(phrase) {
                found.push(format!("{path}: {phrase}"));
            }
        }
    }
    assert!(found.is_empty(), "formulaic phrases:\n{}", found.join("\n"));
}

#[test]
fn collections_are_large_enough_and_all_used() {
    let worksheets = yaml_files("worksheets");
    let checklists = yaml_files("checklists");
    let cases = yaml_files("cases");
    assert!(worksheets.len() >= 6, "{worksheets:?}");
    assert!(checklists.len() >= 8, "{checklists:?}");
    for required in [
        "failure-review.yaml",
        "relationship-map.yaml",
        "moment-check.yaml",
        "repair-conversation.yaml",
        "plan-30-60-90.yaml",
        "presence-log.yaml",
    ] {
        assert!(
            worksheets.iter().any(|w| w == required),
            "missing worksheet {required}"
        );
    }
    let all_chapters: String = content_files(&["md"]).iter().map(|p| read(p)).collect();
    let unused: BTreeSet<String> = [
        ("worksheets", &worksheets),
        ("checklists", &checklists),
        ("cases", &cases),
    ]
    .iter()
    .flat_map(|(dir, files)| files.iter().map(move |f| format!("{dir}/{f}")))
    .filter(|f| !all_chapters.contains(f.as_str()))
    .collect();
    assert!(unused.is_empty(), "not used by any chapter: {unused:?}");
    for case in &cases {
        let text = read(&repo().join("content/cases").join(case));
        for key in ["situation:", "actions:", "outcome:", "lesson:"] {
            assert!(text.contains(key), "{case} lacks {key}");
        }
    }
}

#[test]
fn every_case_names_its_industry_seniority_and_result() {
    let mut missing = Vec::new();
    for (name, case) in cases() {
        for (key, value) in [
            ("industry", &case.industry),
            ("seniority", &case.seniority),
            ("result", &case.result),
        ] {
            if value.trim().is_empty() {
                missing.push(format!("{name}: {key}"));
            }
        }
        assert!(
            ["修复", "部分修复", "未能修复"].contains(&case.result.as_str()),
            "{name}: result `{}` is not 修复, 部分修复 or 未能修复",
            case.result
        );
    }
    assert!(
        missing.is_empty(),
        "cases lack keys:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_cases_span_industries_and_include_repairs_that_failed() {
    let cases = cases();
    assert!(cases.len() >= 14, "{} cases, needs 14", cases.len());
    let mut by_industry: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, case) in &cases {
        *by_industry.entry(case.industry.as_str()).or_default() += 1;
    }
    assert!(
        by_industry.len() >= 6,
        "cases come from {} industries, needs 6: {by_industry:?}",
        by_industry.len()
    );
    let not_repaired = cases
        .iter()
        .filter(|(_, c)| c.result == "部分修复" || c.result == "未能修复")
        .count();
    assert!(
        not_repaired >= 2,
        "{not_repaired} cases end in 部分修复 or 未能修复, needs 2"
    );
}

#[test]
fn no_case_protagonist_uses_the_books_own_tools_by_name() {
    let titles: Vec<String> = ["worksheets", "checklists"]
        .iter()
        .flat_map(|dir| {
            yaml_files(dir).into_iter().map(move |f| {
                let text = read(&repo().join("content").join(dir).join(f));
                text.lines()
                    .find_map(|l| l.strip_prefix("title: "))
                    .unwrap()
                    .trim()
                    .to_string()
            })
        })
        .collect();
    let mut found = Vec::new();
    for name in yaml_files("cases") {
        let text = read(&repo().join("content/cases").join(&name));
        let story = text.split_once("\nsituation:").map_or("", |(_, s)| s);
        for title in &titles {
            // A title is a use by name when quoted or called a sheet or list; bare, short titles
            // such as 谈话之后 are ordinary words.
            let named = [
                format!("“{title}”"),
                format!("《{title}》"),
                format!("「{title}」"),
                format!("{title}表"),
                format!("{title}清单"),
            ];
            if named.iter().any(|n| story.contains(n.as_str())) {
                found.push(format!("{name}: {title}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "cases name the book's tools:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_guide_builds_and_checks_without_warnings() {
    let out = tempfile::tempdir().unwrap();
    let report = guidebook::build::build(repo(), Some(&out.path().join("site")))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(report.warnings.is_empty(), "{}", report.warnings);
    let index = read(&out.path().join("site/index.html"));
    assert!(index.contains("<html lang=\"zh-CN\""));
    assert!(
        index.contains("id=\"reader-progress\""),
        "the landing page shows progress"
    );
    assert!(out.path().join("site/toolbox.html").is_file());
    let library = read(&out.path().join("site/cases.html"));
    assert!(
        library.contains("data-result=\"部分修复\"")
            || library.contains("data-result=\"未能修复\""),
        "the case library shows a result other than 修复"
    );
}

/// Our words, not the source article's: no run of 10 Han characters anywhere in content/ (chapters
/// and YAML, punctuation and spaces stripped) appears in the article
/// (`../shared/source/article.zh.md`, beside the checkout in CI).
#[test]
fn no_sentence_is_copied_from_the_source_article() {
    let article = repo().join("../shared/source/article.zh.md");
    let Ok(article) = std::fs::read_to_string(&article) else {
        eprintln!(
            "SKIPPED: {} is not here, so the copy check cannot run",
            article.display()
        );
        return;
    };
    const RUN: usize = 10;
    let source = han(&article);
    let runs: HashSet<String> = source.windows(RUN).map(|w| w.iter().collect()).collect();
    assert!(!runs.is_empty(), "the article has no Chinese text?");
    let mut copied = Vec::new();
    for path in content_files(&["md", "yaml"]) {
        for w in han(&read(&path)).windows(RUN) {
            let run: String = w.iter().collect();
            if runs.contains(&run) {
                copied.push(format!("{}: {run}", path.display()));
            }
        }
    }
    assert!(
        copied.is_empty(),
        "runs of {RUN} characters copied from the article:\n{}",
        copied.join("\n")
    );
}
