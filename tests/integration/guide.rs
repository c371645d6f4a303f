//! The bundled guide keeps its shape: counts, parts, chapter anatomy, and every worksheet and
//! checklist in use. It builds and checks with no warnings.

use std::collections::BTreeSet;
use std::path::Path;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn han_count(text: &str) -> usize {
    text.chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .count()
}

/// Numbered chapters from SUMMARY.md, as (part, path).
fn numbered_chapters() -> Vec<(String, String)> {
    let summary = std::fs::read_to_string(repo().join("content/SUMMARY.md")).unwrap();
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

fn yaml_files(dir: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo().join("content").join(dir))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort();
    names
}

#[test]
fn the_guide_has_its_parts_and_enough_chapters() {
    let chapters = numbered_chapters();
    assert!(chapters.len() >= 13, "{} chapters", chapters.len());
    for (part, min) in [
        ("第一部分 认知调整", 3),
        ("第二部分 主动沟通", 4),
        ("第三部分 长期经营", 4),
    ] {
        let n = chapters.iter().filter(|(p, _)| p == part).count();
        assert!(n >= min, "{part} has {n} chapters, needs {min}");
    }
    let summary = std::fs::read_to_string(repo().join("content/SUMMARY.md")).unwrap();
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
        let text = std::fs::read_to_string(repo().join("content").join(&path)).unwrap();
        total += han_count(&text);
        assert!(text.contains("description:"), "{path} has no description");
        assert!(text.contains("## 本章要点"), "{path} has no 本章要点");
        let action = text.contains("- [ ]")
            || text.contains("worksheets/")
            || text.contains("checklists/")
            || text.contains("cases/");
        assert!(action, "{path} has no checklist, worksheet or case");
    }
    assert!(
        total >= 20_000,
        "only {total} Chinese characters of chapter text"
    );
}

#[test]
fn collections_are_large_enough_and_all_used() {
    let worksheets = yaml_files("worksheets");
    let checklists = yaml_files("checklists");
    let cases = yaml_files("cases");
    assert!(worksheets.len() >= 6, "{worksheets:?}");
    assert!(checklists.len() >= 8, "{checklists:?}");
    assert!(cases.len() >= 6, "{cases:?}");
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
    let mut all_chapters = String::new();
    for entry in walkdir::WalkDir::new(repo().join("content"))
        .into_iter()
        .flatten()
    {
        if entry.path().extension().is_some_and(|e| e == "md") {
            all_chapters.push_str(&std::fs::read_to_string(entry.path()).unwrap());
        }
    }
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
        let text = std::fs::read_to_string(repo().join("content/cases").join(case)).unwrap();
        for key in ["situation:", "actions:", "outcome:", "lesson:"] {
            assert!(text.contains(key), "{case} lacks {key}");
        }
    }
}

#[test]
fn the_guide_builds_and_checks_without_warnings() {
    let out = tempfile::tempdir().unwrap();
    let report = guidebook::build::build(repo(), Some(&out.path().join("site")))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(report.warnings.is_empty(), "{}", report.warnings);
    let index = std::fs::read_to_string(out.path().join("site/index.html")).unwrap();
    assert!(index.contains("<html lang=\"zh-CN\""));
    assert!(
        index.contains("id=\"reader-progress\""),
        "the landing page shows progress"
    );
    assert!(out.path().join("site/toolbox.html").is_file());
    assert!(out.path().join("site/cases.html").is_file());
}

/// Our words, not the source article's: no run of 12 Han characters in the guide (chapters and YAML)
/// appears in the article (`../shared/source/article.zh.md`, beside the checkout in CI).
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
    const RUN: usize = 12;
    let han = |text: &str| -> Vec<char> {
        text.chars()
            .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
            .collect()
    };
    let source = han(&article);
    let runs: std::collections::HashSet<String> =
        source.windows(RUN).map(|w| w.iter().collect()).collect();
    let mut copied = Vec::new();
    for entry in walkdir::WalkDir::new(repo().join("content"))
        .into_iter()
        .flatten()
    {
        let is_text = entry
            .path()
            .extension()
            .is_some_and(|e| e == "md" || e == "yaml");
        if !is_text {
            continue;
        }
        let text = han(&std::fs::read_to_string(entry.path()).unwrap());
        for w in text.windows(RUN) {
            let run: String = w.iter().collect();
            if runs.contains(&run) {
                copied.push(format!("{}: {run}", entry.path().display()));
            }
        }
    }
    assert!(!runs.is_empty(), "the article has no Chinese text?");
    assert!(
        copied.is_empty(),
        "runs copied from the article:\n{}",
        copied.join("\n")
    );
}
