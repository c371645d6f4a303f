//! Building fixture books and asserting on the HTML.

use std::collections::BTreeMap;

use crate::common::{TestBook, main_of, stderr};

#[test]
fn pages_have_title_lang_description_and_nav() {
    let book = TestBook::fixture("basic");
    let report = book.build();
    assert!(report.warnings.is_empty(), "{}", report.warnings);
    let page = book.output("part1/one.html");
    assert!(page.contains(
        "<html lang=\"zh-CN\" data-book=\"fixture\" data-root=\"../\" data-page=\"part1/one.html\""
    ));
    assert!(
        page.contains("<title>第一章：开始 · 测试之书</title>"),
        "front matter title wins"
    );
    assert!(page.contains("<meta name=\"description\" content=\"第一章的描述\">"));
    assert!(page.contains(
        "<a rel=\"prev\" href=\"../index.html\"><span class=\"dir\">上一章</span> 欢迎</a>"
    ));
    assert!(page.contains(
        "<a rel=\"next\" href=\"../part1/one-sub.html\"><span class=\"dir\">下一章</span> 小节</a>"
    ));
    assert!(
        page.contains("<link rel=\"canonical\" href=\"https://example.org/guide/part1/one.html\">")
    );
    assert!(page.contains(
        "<a class=\"edit-link\" href=\"https://example.org/edit/content/part1/one.md\">"
    ));
    // On-page table of contents of h2/h3.
    assert!(page.contains("<li class=\"toc-h2\"><a href=\"#反思窗口\">反思窗口</a></li>"));
}

#[test]
fn links_are_rewritten_relative_at_any_depth() {
    let book = TestBook::fixture("basic");
    book.build();
    let one = book.output("part1/one.html");
    assert!(
        one.contains("<a href=\"../three.html#%E9%80%89%E6%8B%A9%E6%97%B6%E6%9C%BA\">"),
        "{}",
        main_of(&one)
    );
    assert!(one.contains("<a href=\"../part1/one-sub.html\">小节</a>"));
    assert!(one.contains("<img src=\"../images/dot.svg\""));
    let three = book.output("three.html");
    assert!(
        three.contains("<a href=\"part1/%E7%AC%AC%E4%BA%8C%20%E7%AB%A0.html\">第二章</a>"),
        "{}",
        main_of(&three)
    );
    assert!(three.contains("<a href=\"index.html\">the start</a>"));
    assert!(
        book.path("public/images/dot.svg").is_file(),
        "assets are copied"
    );
    assert!(
        book.path("public/part1/第二 章.html").is_file(),
        "spaced Chinese file names build"
    );
}

#[test]
fn a_small_book_shows_its_whole_sidebar_in_every_page() {
    let book = TestBook::fixture("basic");
    book.build();
    let page = book.output("part1/one.html");
    let sidebar = &page[page.find("<nav id=\"sidebar\"").unwrap()..];
    let sidebar = &sidebar[..sidebar.find("</nav>").unwrap()];
    assert!(
        sidebar.contains("<span class=\"toc-part-title\">第一部分 开始</span><ol>"),
        "{sidebar}"
    );
    assert!(sidebar.contains("<li class=\"draft\"><span><span class=\"num\">3.</span> 草稿章"));
    assert!(sidebar.contains("<span class=\"num\">1.1.</span> 小节"));
    // The current page's link is marked, its checklists listed for the sidebar's count.
    assert!(
        sidebar.contains("<a aria-current=\"page\" href=\"../part1/one.html\" data-checks=\"="),
        "{sidebar}"
    );
    assert!(sidebar.contains(" list:before="), "{sidebar}");
    // The manifest every page loads holds no per-chapter data; the progress script does.
    let assets: Vec<String> = std::fs::read_dir(book.path("public/assets"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let named = |prefix: &str| {
        let name = assets
            .iter()
            .find(|a| a.starts_with(prefix) && a.ends_with(".js"))
            .unwrap_or_else(|| panic!("no {prefix}*.js in {assets:?}"));
        book.output(&format!("assets/{name}"))
    };
    let manifest = named("book-");
    assert!(manifest.starts_with("window.guidebook={"));
    assert!(!manifest.contains("scope"), "{manifest}");
    let progress = named("progress-");
    assert!(progress.starts_with("window.guidebook.progress={"));
    assert!(progress.contains("\"scope\":\"page:part1/one.html\""));
    assert!(progress.contains("\"scope\":\"list:before\""));
    assert!(
        !page.contains("progress-"),
        "a chapter page does not load the progress data"
    );
    // The landing page carries the full contents for readers without JavaScript.
    assert!(book.output("index.html").contains("<nav id=\"book-toc\""));
}

#[test]
fn assets_have_content_hashed_names() {
    let book = TestBook::fixture("basic");
    book.build();
    let names: Vec<String> = std::fs::read_dir(book.path("public/assets"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for prefix in [
        "style-",
        "guidebook-",
        "guidebook-search-",
        "guidebook-tools-",
        "book-",
        "data-",
        "search-",
    ] {
        let found = names.iter().any(|n| {
            let Some((stem, _ext)) = n.rsplit_once('.') else {
                return false;
            };
            let Some((name, hash)) = stem.rsplit_once('-') else {
                return false;
            };
            format!("{name}-") == prefix
                && hash.len() == 10
                && hash.chars().all(|c| c.is_ascii_hexdigit())
        });
        assert!(found, "no {prefix}<hash> in {names:?}");
    }
}

#[test]
fn site_files_sitemap_robots_404_print() {
    let book = TestBook::fixture("basic");
    book.build();
    let sitemap = book.output("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/guide/</loc>"));
    assert!(sitemap.contains("<loc>https://example.org/guide/part1/one.html</loc>"));
    assert!(
        book.output("robots.txt")
            .contains("Sitemap: https://example.org/guide/sitemap.xml")
    );
    assert!(book.path("public/.nojekyll").is_file());
    let not_found = book.output("404.html");
    assert!(
        not_found.contains("href=\"/guide/assets/style-"),
        "404 links are absolute under site-url"
    );
    assert!(not_found.contains("data-action=\"open-search\""));
    let print = book.output("print.html");
    for title in ["第一章：开始", "小节", "第二章 空格", "第三章"] {
        assert!(print.contains(title), "print.html has {title}");
    }
    assert!(
        print.contains("class=\"worksheet\""),
        "worksheets print with their chapter"
    );
}

#[test]
fn worksheets_checklists_and_cases_are_embedded_and_get_pages() {
    let book = TestBook::fixture("basic");
    book.build();
    let one = main_of(&book.output("part1/one.html")).to_string();
    assert!(one.contains("<form class=\"worksheet\" id=\"ws-review\" data-worksheet=\"review\""));
    for kind in [
        "textarea",
        "date",
        "number",
        "choice",
        "multi-choice",
        "scale",
        "checklist",
        "rows",
        "text",
    ] {
        assert!(
            one.contains(&format!("data-type=\"{kind}\"")),
            "field type {kind}"
        );
    }
    assert!(
        one.contains("<div class=\"checklist\" data-scope=\"list:before\" data-list=\"before\">")
    );
    assert!(
        one.contains("<article class=\"case\" id=\"case-overspend\" data-setback=\"项目失败\">")
    );
    assert!(
        one.contains("<a href=\"../cases/overspend.html\">这个案例</a>"),
        "inline case links go to the case's page"
    );
    let ws_page = book.output("worksheets/review.html");
    assert!(ws_page.contains("<h1>失败复盘</h1>"));
    assert!(
        ws_page.contains("<a href=\"../part1/one.html\">第一章：开始</a>"),
        "worksheet pages link their chapters"
    );
    let toolbox = book.output("toolbox.html");
    assert!(toolbox.contains("data-worksheet-progress=\"review\""));
    assert!(toolbox.contains("data-checklist-progress=\"list:before\""));
    // The library lists each case, linking to its page, which shows the card and its chapters.
    let cases = book.output("cases.html");
    assert!(cases.contains(
        "<article class=\"case case-entry\" id=\"case-overspend\" data-setback=\"项目失败\">"
    ));
    assert!(cases.contains(
        "<h2 class=\"case-title\"><a href=\"cases/overspend.html\">超支的推广活动</a></h2>"
    ));
    let case = book.output("cases/overspend.html");
    assert!(
        case.contains("<h1 class=\"case-title\">超支的推广活动</h1>"),
        "{case}"
    );
    assert!(
        case.contains(
            "<p class=\"case-cited\">见于：<a href=\"../part1/one.html\">第一章：开始</a></p>"
        ),
        "{case}"
    );
    assert!(
        case.contains("<a href=\"../cases.html\"><span class=\"dir\">全部案例</span> 案例库</a>"),
        "{case}"
    );
}

#[test]
fn build_output_is_deterministic() {
    let book = TestBook::fixture("basic");
    let snapshot = |book: &TestBook| -> BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(book.path("public"))
            .sort_by_file_name()
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path()
                        .strip_prefix(book.path("public"))
                        .unwrap()
                        .display()
                        .to_string(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect()
    };
    book.build();
    let first = snapshot(&book);
    book.build();
    let second = snapshot(&book);
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    assert!(first == second, "two builds differ");
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let book = TestBook::fixture("basic");
    book.build();
    let before = book.output("part1/one.html");
    book.edit(
        "content/part1/one.md",
        "## 清单",
        "## 清单\n\n[坏链接](nowhere.md)",
    );
    let err = book.build_err();
    assert!(err.contains("broken link"), "{err}");
    assert_eq!(book.output("part1/one.html"), before);
    let leftovers: Vec<String> = std::fs::read_dir(&book.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging") || n.contains(".old"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn an_mdbook_book_builds_unchanged() {
    let book = TestBook::fixture("mdbook");
    let report = book.build();
    // mdBook keys warn only when they have no effect here, and say so.
    assert!(
        report.warnings.iter().all(|w| w
            .message
            .contains("is accepted but has no effect in guidebook")),
        "mdBook keys must not warn as unknown: {}",
        report.warnings
    );
    let page = book.output("getting-started/install.html");
    assert!(page.contains("<html lang=\"en\""));
    assert!(page.contains("<a href=\"../index.html\">intro</a>"));
    assert!(page.contains("<code class=\"language-rust"));
    assert!(
        book.output("index.html")
            .contains("<a href=\"usage.html#running\">usage</a>")
    );
    // Without `src`, an mdBook book still builds from src/ when content/ is absent.
    book.edit("book.toml", "src = \"src\"\n", "");
    book.build();
    assert!(book.path("public/usage.html").is_file());
}

#[test]
fn a_book_theme_overrides_one_file_and_keeps_the_rest() {
    let book = TestBook::fixture("mdbook");
    book.write("theme-dir-marker", "");
    book.write("themes/default/static/style.css", "body{color:red}");
    book.write(
        "themes/default/templates/chapter.html",
        "{% extends \"base.html\" %}{% block main %}<div class=\"custom\">{{ page.body | safe }}</div>{% block after_body %}{% endblock %}{% endblock %}",
    );
    book.build();
    let page = book.output("usage.html");
    assert!(page.contains("<div class=\"custom\">"));
    assert!(
        page.contains("<a class=\"skip-link\""),
        "base.html still comes from the default theme"
    );
    let css_name = std::fs::read_dir(book.path("public/assets"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("style-"))
        .unwrap();
    assert_eq!(
        book.output(&format!("assets/{css_name}")),
        "body{color:red}"
    );
}

#[test]
fn unusual_but_valid_input_builds() {
    let book = TestBook::fixture("mdbook");
    // A very large chapter and deeply nested Markdown.
    let big: String = (0..20_000)
        .map(|i| format!("第{i}段：一些中文和 some English text.\n\n"))
        .collect();
    book.write(
        "src/usage.md",
        format!("# Usage\n\n## Running\n\n{big}{}\n", ">".repeat(3000)),
    );
    // A symlink loop inside the source folder must not hang or fail the build.
    #[cfg(unix)]
    std::os::unix::fs::symlink(book.path("src"), book.path("src/getting-started/loop")).unwrap();
    let start = std::time::Instant::now();
    book.build();
    assert!(start.elapsed().as_secs() < 20);
    assert!(book.output("usage.html").contains("第19999段"));
}

#[test]
fn chapters_missing_from_summary_are_a_warning() {
    let book = TestBook::fixture("mdbook");
    book.write("src/orphan.md", "# Orphan\n");
    let report = book.build();
    let text = report.warnings.to_string();
    assert!(
        text.contains("warning: `src/orphan.md` is not listed in SUMMARY.md"),
        "{text}"
    );
}

#[test]
fn site_url_path_prefixes_absolute_links_only() {
    let book = TestBook::fixture("mdbook");
    book.edit(
        "book.toml",
        "[output.html]\n",
        "[output.html]\nsite-url = \"/docs/\"\n",
    );
    book.build();
    assert!(
        book.output("404.html")
            .contains("href=\"/docs/index.html\"")
    );
    assert!(
        book.output("usage.html").contains("href=\"assets/style-"),
        "pages stay relative, so file:// works"
    );
    assert!(book.output("robots.txt").starts_with("User-agent: *"));
}

#[test]
fn init_creates_a_book_that_builds() {
    let book = TestBook::empty();
    let out = book.cli(&["init", "new-book", "--title", "My Book"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = book.cli(&["build", "new-book"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    // plan.html is one of them.
    assert!(stdout.starts_with("built 6 pages"), "{stdout}");
    let page = book.read("new-book/public/chapter-1.html");
    assert!(page.contains("<form class=\"worksheet\""));
    let out = book.cli(&["check", "new-book"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = book.cli(&["clean", "new-book"]);
    assert!(out.status.success());
    assert!(!book.path("new-book/public").exists());
}

#[test]
fn a_book_words_table_overrides_single_words_in_pages_and_scripts() {
    let book = TestBook::fixture("basic");
    book.write(
        "themes/default/i18n/zh-CN.toml",
        "[page]\ncontents = \"全书章节\"\n\n[script]\nws_saving = \"保存中\"\n",
    );
    book.build();
    let page = book.output("part1/one.html");
    assert!(
        page.contains("<span class=\"topbar-label\">全书章节</span></button>"),
        "the template word is the book's"
    );
    assert!(
        page.contains("<span class=\"topbar-label\">搜索</span>"),
        "other words still come from the built-in table"
    );
    let manifest_name = std::fs::read_dir(book.path("public/assets"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("book-"))
        .unwrap();
    let manifest = book.output(&format!("assets/{manifest_name}"));
    assert!(
        manifest.contains("\"checklist_reset\":\"重置\""),
        "{manifest}"
    );
    // Words only the worksheets' script uses travel in it, not in the manifest every page loads.
    assert!(!manifest.contains("ws_saving"), "{manifest}");
    let module_name = std::fs::read_dir(book.path("public/assets"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("guidebook-worksheets-"))
        .unwrap();
    let module = book.output(&format!("assets/{module_name}"));
    assert!(
        module.starts_with("(g=>{g.words=Object.assign(g.words||{},{"),
        "{module}"
    );
    assert!(module.contains("\"ws_saving\":\"保存中\""), "{module}");
    assert!(
        module.contains("\"ws_saved\":\"已保存 {time}\""),
        "{module}"
    );
}

#[test]
fn a_book_words_table_overrides_the_code_block_words() {
    let book = TestBook::fixture("basic");
    book.write(
        "themes/default/i18n/zh-CN.toml",
        "[page]\ncode_copy = \"拷贝\"\ncode_show_hidden = \"看\\\"全部\\\"\"\n",
    );
    let one = book.read("content/part1/one.md");
    book.write(
        "content/part1/one.md",
        format!("{one}\n\n```rust\n# fn hidden() {{}}\nfn shown() {{}}\n```\n"),
    );
    book.build();
    let page = book.output("part1/one.html");
    assert!(
        page.contains(" data-copy=\"拷贝\" data-copied=\"已复制\""),
        "{page}"
    );
    assert!(
        page.contains("for=\"code-1-hidden\">看&quot;全部&quot;</label>"),
        "the book's word, escaped: {page}"
    );
}

#[test]
fn a_misspelt_word_in_a_book_table_fails_the_build_at_its_line() {
    let book = TestBook::fixture("basic");
    book.write(
        "themes/default/i18n/zh-CN.toml",
        "[page]\ncontents = \"目录\"\nserach = \"找\"\n",
    );
    assert_eq!(
        book.build_err(),
        "error: unknown word `serach` in `[page]`; did you mean `search`?\n \
         --> themes/default/i18n/zh-CN.toml:3:1\n  |\n3 | serach = \"找\"\n  | ^^^^^^\n  \
         = help: the `[page]` words are listed in themes/default/i18n/en.toml\n"
    );
}

#[test]
fn verbose_build_reports_each_stage_with_its_time_cpu_and_peak_memory() {
    let book = TestBook::fixture("basic");
    let out = book.cli(&["build", "-v"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = stderr(&out);
    let stages: Vec<&str> = report
        .lines()
        .filter_map(|line| line.split_once(':'))
        .filter(|(_, rest)| {
            let unit = rest.trim_start().split(' ').nth(1);
            unit.map(|u| u.trim_end_matches(',')) == Some("ms")
        })
        .map(|(stage, _)| stage.trim())
        .collect();
    assert_eq!(
        stages,
        [
            "config",
            "load",
            "languages",
            "markdown",
            "links",
            "index+pages",
            "translations",
            "write"
        ],
        "{report}"
    );
    if cfg!(target_os = "linux") {
        let peaks: Vec<f64> = report
            .lines()
            .filter_map(|line| line.split_once("peak memory so far "))
            .map(|(_, mb)| mb.trim_end_matches(" MB").parse().expect("a figure in MB"))
            .collect();
        assert_eq!(peaks.len(), stages.len(), "{report}");
        assert!(peaks.iter().all(|&mb| mb > 1.0 && mb < 1000.0), "{report}");
        // Every stage but the final write (which spans the swap, not one stage) has its CPU time.
        let cpu: Vec<f64> = report
            .lines()
            .filter_map(|line| line.split_once("(cpu "))
            .map(|(_, rest)| rest.split(' ').next().unwrap().parse().expect("seconds"))
            .collect();
        assert_eq!(cpu.len(), stages.len() - 1, "{report}");
        assert!(cpu.iter().all(|&s| (0.0..60.0).contains(&s)), "{report}");
    }
}
