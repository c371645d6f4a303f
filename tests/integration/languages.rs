//! Multilingual books (issue 16): a second language under `<code>/`, pages linked to their
//! counterparts by path or `translation-of`, the switcher, hreflang, the sitemap, search per
//! language, and located errors for each mistake in declaring languages.

use crate::common::{TestBook, stderr};

/// `tests/fixtures/bilingual`: a Chinese book with an English edition; `a.md` is in both,
/// `b.md` is translated as `renamed.md` (`translation-of`), `zh-only.md` and `en-only.md` have no
/// counterpart, and the `review` worksheet has a choice in both languages.
pub fn bilingual_book() -> TestBook {
    TestBook::fixture("bilingual")
}

/// The `<link rel="alternate">` lines of a page.
fn alternates(html: &str) -> Vec<&str> {
    html.lines()
        .filter(|l| l.starts_with("<link rel=\"alternate\""))
        .collect()
}

/// The language switcher of a page.
fn switcher(html: &str) -> &str {
    let start = html
        .find("<nav class=\"language-switcher\"")
        .expect("a switcher");
    &html[start..start + html[start..].find("</nav>").unwrap()]
}

#[test]
fn each_language_is_built_under_its_code_with_its_own_words() {
    let book = bilingual_book();
    let report = book.build();
    assert!(report.warnings.is_empty(), "{}", report.warnings);
    let zh = book.output("part1/a.html");
    let en = book.output("en/part1/a.html");
    assert!(zh.contains("<html lang=\"zh-CN\""), "{zh}");
    assert!(en.contains("<html lang=\"en\""), "{en}");
    assert!(
        en.contains("<title>Chapter one · A Bilingual Book</title>"),
        "{en}"
    );
    assert!(en.contains(">Contents</span></button>") && zh.contains(">目录</span></button>"));
    assert!(book.output("en/index.html").contains("Welcome."));
    assert!(
        book.output("en/part1/renamed.html")
            .contains("Keeping in touch.")
    );
    assert!(
        book.output("en/worksheets/review.html")
            .contains("Job search")
    );
    // Worksheets and checklists keep their ids, so answers are stored under the same keys.
    assert!(en.contains("data-worksheet=\"review\"") && zh.contains("data-worksheet=\"review\""));
    assert!(
        en.contains("data-item=\"write-it-down\"") && zh.contains("data-item=\"write-it-down\"")
    );
    assert!(en.contains("data-book=\"bilingual\"") && zh.contains("data-book=\"bilingual\""));
    assert_eq!(
        report.pages,
        book_pages(&book),
        "every page of both languages is counted"
    );
}

/// The HTML files of the last build.
fn book_pages(book: &TestBook) -> usize {
    walkdir::WalkDir::new(book.path("public"))
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .count()
}

#[test]
fn every_page_links_its_counterparts_and_the_switcher_falls_back_to_the_landing_page() {
    let book = bilingual_book();
    book.build();
    let zh = book.output("part1/a.html");
    assert_eq!(
        alternates(&zh),
        [
            "<link rel=\"alternate\" hreflang=\"zh-CN\" href=\"https://example.org/guide/part1/a.html\">",
            "<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/guide/en/part1/a.html\">",
            "<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://example.org/guide/part1/a.html\">",
        ]
    );
    assert_eq!(
        switcher(&zh),
        "<nav class=\"language-switcher\" aria-label=\"语言\"><ul><li><span lang=\"zh-CN\" aria-current=\"true\">简体中文</span></li><li><a href=\"../en/part1/a.html\" hreflang=\"en\" lang=\"en\" data-language=\"en\">English</a></li></ul>"
    );
    // By `translation-of`: b.md in Chinese is renamed.md in English, both ways.
    let renamed = book.output("en/part1/renamed.html");
    // A translation under another path keeps its task list's ticks with the original's.
    assert!(
        renamed.contains("data-scope=\"page:part1/b.html\""),
        "{renamed}"
    );
    assert!(
        book.output("part1/b.html")
            .contains("data-scope=\"page:part1/b.html\"")
    );
    assert!(
        switcher(&renamed).contains("<a href=\"../../part1/b.html\" hreflang=\"zh-CN\""),
        "{renamed}"
    );
    assert!(switcher(&book.output("part1/b.html")).contains("href=\"../en/part1/renamed.html\""));
    assert!(alternates(&renamed).contains(
        &"<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/guide/en/part1/renamed.html\">"
    ));
    // No counterpart: the switcher goes to the landing page and says so; no alternates.
    let lonely = book.output("part1/zh-only.html");
    assert!(alternates(&lonely).is_empty());
    assert!(
        switcher(&lonely).contains("<a href=\"../en/index.html\" hreflang=\"en\" lang=\"en\" title=\"本页尚未翻译：打开该语言的首页\""),
        "{}",
        switcher(&lonely)
    );
    let en_only = book.output("en/part1/en-only.html");
    assert!(switcher(&en_only).contains("href=\"../../index.html\" hreflang=\"zh-CN\""));
    // Generated pages are counterparts by path; the English 404 page links absolutely.
    assert!(
        switcher(&book.output("en/worksheets/review.html"))
            .contains("href=\"../../worksheets/review.html\"")
    );
    assert!(switcher(&book.output("en/404.html")).contains("href=\"/guide/index.html\""));
    assert!(switcher(&book.output("plan.html")).contains("href=\"en/plan.html\""));
}

#[test]
fn the_sitemap_lists_every_language_with_its_alternates() {
    let book = bilingual_book();
    book.build();
    let sitemap = book.output("sitemap.xml");
    assert!(
        sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""),
        "{sitemap}"
    );
    assert!(
        sitemap.contains("<url><loc>https://example.org/guide/en/part1/renamed.html</loc><xhtml:link rel=\"alternate\" hreflang=\"zh-CN\" href=\"https://example.org/guide/part1/b.html\"/><xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/guide/en/part1/renamed.html\"/></url>"),
        "{sitemap}"
    );
    assert!(sitemap.contains("<url><loc>https://example.org/guide/part1/zh-only.html</loc></url>"));
    assert!(sitemap.contains("<url><loc>https://example.org/guide/en/</loc>"));
    assert!(
        !book.path("public/en/sitemap.xml").exists(),
        "one sitemap, at the root"
    );
    assert!(!book.path("public/en/robots.txt").exists());
    assert!(!book.path("public/en/.nojekyll").exists());
}

#[test]
fn each_language_has_its_own_search_index() {
    let book = bilingual_book();
    book.build();
    let manifest_of = |page: &str| {
        let html = book.output(page);
        let start = html.find("assets/book-").unwrap();
        let name = &html[start..start + html[start..].find('"').unwrap()];
        let prefix = if page.starts_with("en/") { "en/" } else { "" };
        book.output(&format!("{prefix}{name}"))
    };
    let en = manifest_of("en/part1/a.html");
    let zh = manifest_of("part1/a.html");
    assert!(en.contains("\"searchIndex\":\"assets/search-"), "{en}");
    assert!(en.contains("\"languagePath\":\"en/\"") && !zh.contains("languagePath"));
    let search_text = |folder: &str| {
        walkdir::WalkDir::new(book.path(folder))
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| std::fs::read_to_string(e.path()).unwrap())
            .collect::<String>()
    };
    let en_search = search_text("public/en/search");
    assert!(
        en_search.contains("debrief") && !en_search.contains("复盘的中文"),
        "English pages only"
    );
    let zh_search = search_text("public/search");
    assert!(zh_search.contains("复盘的中文") && !zh_search.contains("debrief"));
}

/// The CLI's whole message for a build that fails.
fn failing(book: &TestBook) -> String {
    let out = book.cli(&["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    stderr(&out)
}

#[test]
fn an_unknown_language_code_is_an_error_at_its_table() {
    let book = bilingual_book();
    book.edit("book.toml", "[language.en]", "[language.english]");
    assert_eq!(
        failing(&book),
        "error: unknown language code `english` in `[language.english]`\n --> book.toml:9:11\n  |\n9 | [language.english]\n  |           ^^^^^^^\n  = help: did you mean `en`? A language code is a BCP 47 tag such as `en`, `zh-CN` or `pt-BR`\n\nbuild failed: 1 error\n"
    );
}

#[test]
fn a_language_folder_without_summary_is_an_error_at_its_src() {
    let book = bilingual_book();
    std::fs::remove_file(book.path("content-en/SUMMARY.md")).unwrap();
    assert_eq!(
        failing(&book),
        "error: the folder `content-en` of `[language.en]` has no SUMMARY.md\n  --> book.toml:10:1\n   |\n10 | src = \"content-en\"\n   | ^^^\n   = help: each language has its own table of contents: add `content-en/SUMMARY.md`\n\nbuild failed: 1 error\n"
    );
}

#[test]
fn a_counterpart_key_pointing_nowhere_is_an_error_at_its_value() {
    let book = bilingual_book();
    book.edit("content-en/part1/renamed.md", "part1/b.md", "part1/bb.md");
    assert_eq!(
        failing(&book),
        "error: `translation-of: part1/bb.md` points nowhere: `content/part1/bb.md` is not a chapter of the book\n --> content-en/part1/renamed.md:2:17\n  |\n2 | translation-of: part1/bb.md\n  |                 ^^^^^^^^^^^\n  = help: did you mean `part1/b.md`? name a chapter of `zh-CN` by its path there, as SUMMARY.md lists it\n\nbuild failed: 1 error\n"
    );
}

#[test]
fn a_language_declared_twice_is_an_error() {
    let book = bilingual_book();
    book.edit(
        "book.toml",
        "name = \"English\"\n",
        "name = \"English\"\n\n[language.EN]\nsrc = \"content-en2\"\n",
    );
    assert_eq!(
        failing(&book),
        "error: language `EN` is declared twice: `en` is another language\n  --> book.toml:14:11\n   |\n14 | [language.EN]\n   |           ^^\n   = help: codes ignore case; keep one `en` and remove `[language.EN]`\n\nbuild failed: 1 error\n"
    );
    let book = bilingual_book();
    book.edit("book.toml", "[language.en]", "[language.zh-cn]");
    assert!(
        failing(&book).starts_with("error: language `zh-cn` is declared twice: `zh-CN` is the book's own language (`[book] language`)\n --> book.toml:9:11\n"),
    );
}

#[test]
fn a_book_with_one_language_has_no_switcher_and_no_alternates() {
    let book = bilingual_book();
    book.edit(
        "book.toml",
        "[language.en]\nsrc = \"content-en\"\ntitle = \"A Bilingual Book\"\nname = \"English\"\n",
        "",
    );
    let report = book.build();
    assert!(report.warnings.is_empty(), "{}", report.warnings);
    let zh = book.output("part1/a.html");
    assert!(!zh.contains("language-switcher") && alternates(&zh).is_empty());
    assert!(!book.path("public/en").exists());
}

/// Han characters and CJK or full-width punctuation: what an English book must never show.
fn cjk_in(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| {
            matches!(*c as u32,
                0x2E80..=0x2FFF | 0x3000..=0x303F | 0x3400..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
        })
        .collect()
}

/// Every built file that holds a CJK character, with the first few.
fn files_with_cjk(book: &TestBook) -> Vec<(String, String)> {
    let out = book.path("public");
    walkdir::WalkDir::new(&out)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let text = String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).into_owned();
            let found: String = cjk_in(&text).into_iter().take(20).collect();
            let rel = e.path().strip_prefix(&out).unwrap().display().to_string();
            (!found.is_empty()).then_some((rel, found))
        })
        .collect()
}

#[test]
fn an_init_book_has_no_chinese_character_in_any_output_file() {
    let book = TestBook::empty();
    let out = book.cli(&["init", "."]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Every kind of markup the generator writes, besides what `init` shows: cases and the case
    // library, a checklist, the toolbox, alerts, code, footnotes, a chart and dates.
    book.edit(
        "content/SUMMARY.md",
        "- [First chapter](chapter-1.md)\n",
        "- [First chapter](chapter-1.md)\n- [More](more.md)\n\n[Toolbox](toolbox.md)\n[Cases](cases.md)\n",
    );
    book.write(
        "content/toolbox.md",
        "---\ntemplate: toolbox.html\n---\n# Toolbox\n",
    );
    book.write(
        "content/cases.md",
        "---\ntemplate: cases.html\n---\n# Cases\n",
    );
    book.write(
        "content/more.md",
        "# More\n\n> [!WARNING]\n> Careful.\n\n```rust\nfn main() {}\n```\n\nA note.[^1]\n\n[^1]: The note.\n\n\
         [Checklist: before](checklists/before.yaml)\n\n[Case: the launch](cases/launch.yaml)\n\n\
         [Worksheet: map](worksheets/map.yaml)\n",
    );
    book.write(
        "content/checklists/before.yaml",
        "title: Before the talk\nitems:\n  - Calm enough to listen\n  - { id: one-line, text: One sentence to remember }\n",
    );
    book.write(
        "content/cases/launch.yaml",
        "title: The launch\nsetback: failed project\nperson: Sam, a marketer\nindustry: retail\nseniority: mid-level\nresult: partly repaired\n\
         situation: Over budget.\nactions: Wrote it up.\noutcome: Trusted again.\nlesson: Own it early.\n",
    );
    book.write(
        "content/worksheets/map.yaml",
        "title: Map\nsections:\n  - title: People\n    fields:\n      - id: people\n        type: rows\n        label: People\n\
         \x20       chart: { type: quadrant, x: warmth, y: impact, label: name, color: kind }\n        columns:\n\
         \x20         - { id: name, type: text, label: Name }\n          - { id: kind, type: choice, label: Kind, options: [Boss, Peer] }\n\
         \x20         - { id: warmth, type: scale, label: Warmth }\n          - { id: impact, type: scale, label: Impact }\n\
         \x20         - { id: by, type: date, label: By }\n      - { id: causes, type: multi-choice, label: Causes, options: [Time, Scope] }\n\
         \x20     - { id: budget, type: number, label: Budget, min: 0 }\n",
    );
    let report = book.build();
    assert!(report.warnings.is_empty(), "{}", report.warnings);
    assert!(book.output("cases.html").contains("partly repaired"));
    assert!(book.output("more.html").contains("ws-chart"));
    assert_eq!(files_with_cjk(&book), Vec::<(String, String)>::new());
}

#[test]
fn the_bundled_guide_builds_its_english_edition_with_a_counterpart_for_every_page() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dest = tempfile::tempdir().unwrap();
    let out = dest.path().join("site");
    let report = guidebook::build::build(repo, Some(&out)).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.warnings.is_empty(), "{}", report.warnings);
    let read = |rel: &str| std::fs::read_to_string(out.join(rel)).unwrap();
    assert!(read("en/index.html").contains("<html lang=\"en\""));
    let summary = std::fs::read_to_string(repo.join("content/SUMMARY.md")).unwrap();
    let chapters: Vec<String> = summary
        .lines()
        .filter_map(|l| l.split("](").nth(1))
        .map(|rest| {
            rest.trim_end_matches(')')
                .replace(".md", ".html")
                .replace("README.html", "index.html")
        })
        .collect();
    assert!(chapters.len() > 20, "{chapters:?}");
    for page in &chapters {
        let zh = read(page);
        assert!(
            zh.contains("<link rel=\"alternate\" hreflang=\"en\"")
                && !switcher(&zh).contains("title="),
            "{page} has no English counterpart"
        );
        assert!(switcher(&read(&format!("en/{page}"))).contains("hreflang=\"zh-CN\""));
    }
}
