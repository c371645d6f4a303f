//! mdBook books build faithfully: includes, code blocks, redirects, preprocessors, SUMMARY.md as
//! mdBook reads it, link checking and the book.toml keys that change the output
//! (fixture: tests/fixtures/mdbook-features).

use crate::common::{TestBook, main_of, stderr};

#[test]
fn includes_expand_with_ranges_anchors_titles_and_escapes() {
    let book = TestBook::fixture("mdbook-features");
    let report = book.build();
    let start = book.output("start.html");
    let main = main_of(&start);
    assert!(!main.contains("{{#include listings/lines"), "{main}");
    assert!(!main.contains("rustdoc_include"), "{main}");
    assert!(
        main.contains("Escaped: {{#include listings/hello.rs}}"),
        "{main}"
    );
    assert!(main.contains("<p>two\nthree</p>"), "{main}");
    assert!(main.contains("A shared snippet, included and not listed."));
    // The anchor's markers are dropped, nested ones too.
    assert!(!main.contains("ANCHOR"), "{main}");
    assert!(start.contains("<title>A custom title · mdBook features</title>"));
    assert!(main_of(&book.output("nested/deep.html")).contains("<p>four</p>"));
    // An include target is part of the book, not an unlisted chapter.
    let warnings = report.warnings.to_string();
    assert!(!warnings.contains("shared/snippet.md"), "{warnings}");
}

#[test]
fn code_blocks_hide_lines_highlight_and_load_their_assets() {
    let book = TestBook::fixture("mdbook-features");
    book.build();
    let start = book.output("start.html");
    let main = main_of(&start);
    // rustdoc_include: the rest of the file is hidden, not shown.
    assert!(
        main.contains("<span class=\"boring\"><span class=\"hl-k\">use</span> std::fmt;\n</span>"),
        "{main}"
    );
    assert!(main.contains("class=\"language-rust ignore hl\""), "{main}");
    assert!(
        main.contains("<span class=\"boring\"><span class=\"hl-k\">import</span> os\n</span>"),
        "{main}"
    );
    assert!(
        main.contains("<input type=\"checkbox\" class=\"code-show-hidden\""),
        "{main}"
    );
    assert!(main.contains("<script defer src=\"assets/code-"), "{main}");
    let usage = book.output("usage.html");
    assert!(!main_of(&usage).contains("# fn hidden"), "{usage}");
}

#[test]
fn a_preprocessor_runs_through_the_json_protocol() {
    let book = TestBook::fixture("mdbook-features");
    let report = book.build();
    assert!(
        main_of(&book.output("start.html")).contains("<p>preprocessed by mdBook features.</p>")
    );
    let warnings = report.warnings.to_string();
    assert!(
        warnings.contains("warning: preprocessor `absent` did not run: its command `mdbook-absent` cannot be started"),
        "{warnings}"
    );
    assert!(warnings.contains("--> book.toml:22:2"), "{warnings}");
}

#[test]
fn a_required_preprocessor_that_is_missing_fails_the_build() {
    let book = TestBook::fixture("mdbook-features");
    book.edit(
        "book.toml",
        "command = \"python3 shout.py\"",
        "command = \"no-such-preprocessor-here\"",
    );
    let text = book.build_err();
    assert!(
        text.contains("error: preprocessor `shout` did not run: its command `no-such-preprocessor-here` cannot be started"),
        "{text}"
    );
    assert!(
        text.contains("add `optional = true` under `[preprocessor.shout]`"),
        "{text}"
    );
}

#[test]
fn redirects_are_pages_and_are_link_checked() {
    let book = TestBook::fixture("mdbook-features");
    book.build();
    let old = book.output("old/start.html");
    assert!(
        old.contains("<meta http-equiv=\"refresh\" content=\"0; URL=../start.html\">"),
        "{old}"
    );
    assert!(old.contains("<link rel=\"canonical\" href=\"../start.html\">"));
    assert!(old.contains("<a href=\"../start.html\">"));
    let moved = book.output("moved.html");
    assert!(
        moved.contains("{\"#old-part\":\"usage.html#raw-target\"}"),
        "{moved}"
    );

    book.edit("book.toml", "\"usage.html#details\"", "\"usage.html#gone\"");
    let warnings = book.build().warnings.to_string();
    assert!(
        warnings.contains("warning: broken redirect: `moved.html` points to `usage.html#gone`, and `usage.html` has no anchor `#gone`"),
        "{warnings}"
    );
    assert!(warnings.contains("--> book.toml:16:2"), "{warnings}");
}

#[test]
fn front_matter_aliases_become_redirects() {
    let book = TestBook::fixture("mdbook-features");
    book.edit(
        "src/usage.md",
        "# Usage",
        "---\naliases: [old-usage.html]\n---\n# Usage",
    );
    book.build();
    let page = book.output("old-usage.html");
    assert!(page.contains("URL=/usage.html"), "{page}");
}

#[test]
fn broken_links_warn_in_an_mdbook_book_and_fail_with_strict() {
    let book = TestBook::fixture("mdbook-features");
    let report = book.build();
    let warnings = report.warnings.to_string();
    assert!(
        warnings.contains("warning: broken link: `usage.html` has no anchor `#nowhere`"),
        "{warnings}"
    );
    assert!(warnings.contains("--> src/start.md:26:47"), "{warnings}");
    // A raw HTML id is a real target.
    assert!(!warnings.contains("no anchor `#raw-target`"), "{warnings}");

    let strict = book.cli(&["build", "--strict"]);
    assert!(!strict.status.success());
    assert!(stderr(&strict).contains("error: broken link: `usage.html` has no anchor `#nowhere`"));

    book.write(
        "book.toml",
        book.read("book.toml")
            + "\n[output.guidebook]\noptional = true\nbroken-links = \"error\"\n",
    );
    assert!(book.build_err().contains("error: broken link"));
}

#[test]
fn summary_md_is_read_as_mdbook_reads_it() {
    let book = TestBook::fixture("mdbook-features");
    let report = book.build();
    let warnings = report.warnings.to_string();
    assert!(warnings.contains("--> src/SUMMARY.md:3:1"), "{warnings}");
    assert!(warnings.contains("--> src/SUMMARY.md:9:1"), "{warnings}");
    // Text after the link is not part of the path.
    assert!(book.path("public/usage.html").is_file());
}

#[test]
fn index_is_the_first_chapter_without_a_readme() {
    let book = TestBook::fixture("mdbook-features");
    book.build();
    assert_eq!(book.output("index.html"), book.output("start.html"));
}

#[test]
fn book_toml_keys_that_change_the_output_are_honoured() {
    let book = TestBook::fixture("mdbook-features");
    book.build();
    let page = book.output("usage.html");
    assert!(
        page.contains("<link rel=\"stylesheet\" href=\"theme/extra.css\">"),
        "{page}"
    );
    assert!(
        page.contains("<script src=\"theme/extra.js\"></script>"),
        "{page}"
    );
    let nested = book.output("nested/deep.html");
    assert!(nested.contains("href=\"../theme/extra.css\""), "{nested}");
    assert_eq!(
        book.output("theme/extra.js"),
        "window.extraLoaded = true;\n"
    );
    assert_eq!(book.output("CNAME"), "docs.example.org\n");

    book.edit("book.toml", "\"theme/extra.js\"", "\"theme/missing.js\"");
    let text = book.build_err();
    assert!(
        text.contains(
            "`additional-js` names `theme/missing.js`, which cannot be read: it does not exist"
        ),
        "{text}"
    );
    assert!(text.contains("--> book.toml:8:19"), "{text}");
}

#[test]
fn an_include_that_fails_is_located() {
    let book = TestBook::fixture("mdbook-features");
    book.edit(
        "src/usage.md",
        "## Details",
        "{{#include listings/hello.rs:nope}}\n\n## Details",
    );
    let text = book.build_err();
    assert!(
        text.contains("error: `listings/hello.rs` has no anchor `nope`"),
        "{text}"
    );
    assert!(text.contains("--> src/usage.md:3:1"), "{text}");
}

#[test]
fn math_renders_to_mathml_and_bad_tex_stays_visible() {
    let book = TestBook::fixture("mdbook-features");
    book.edit("book.toml", "cname = ", "mathjax-support = true\ncname = ");
    book.write(
        "src/usage.md",
        book.read("src/usage.md")
            + "\nEnergy $E = mc^2$, broken $\\frac{1}$.\n\n$$\n\\sum_{i=1}^n i\n$$\n\nMathJax \\\\( a^2 \\\\) too.\n",
    );
    let report = book.build();
    let main = main_of(&book.output("usage.html")).to_string();
    assert_eq!(
        main.matches("<math display=\"inline\">").count(),
        2,
        "{main}"
    );
    assert_eq!(
        main.matches("<math display=\"block\">").count(),
        1,
        "{main}"
    );
    assert!(
        main.contains("<code class=\"math-error\">$\\frac{1}$</code>"),
        "{main}"
    );
    let warnings = report.warnings.to_string();
    assert!(
        warnings.contains("warning: this math cannot be rendered: parsing error"),
        "{warnings}"
    );
    assert!(warnings.contains("--> src/usage.md:12:27"), "{warnings}");
}

#[test]
fn keys_read_but_not_acted_on_say_so() {
    let book = TestBook::fixture("mdbook");
    book.edit(
        "book.toml",
        "[output.html]\n",
        "[output.html]\ngit-repository-url = \"https://example.org/repo\"\ninput-404 = \"missing.md\"\n",
    );
    let out = book.cli(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    for key in ["git-repository-url", "input-404"] {
        assert!(
            err.contains(&format!(
                "warning: `output.html.{key}` is accepted but has no effect in guidebook: "
            )),
            "{key} does not warn:\n{err}"
        );
    }
}
