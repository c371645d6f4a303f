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
fn rustdoc_include_drops_other_anchors_markers() {
    let book = TestBook::fixture("mdbook-features");
    book.edit(
        "src/usage.md",
        "## Details",
        "```rust\n{{#rustdoc_include listings/hello.rs:inner}}\n```\n\n## Details",
    );
    book.build();
    let main = main_of(&book.output("usage.html")).to_string();
    assert!(!main.contains("ANCHOR"), "{main}");
    // The lines outside the anchor are hidden, and only they.
    assert_eq!(main.matches("<span class=\"boring\">").count(), 4, "{main}");
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

/// The fixture's `shout` preprocessor, moved by `before` / `after` in book.toml.
fn shout_placed(book: &TestBook, placement: &str) {
    book.edit(
        "book.toml",
        "command = \"python3 shout.py\"",
        &format!("command = \"python3 shout.py\"\n{placement}"),
    );
}

#[test]
fn a_preprocessor_before_links_sees_the_directives_and_links_expands_its_text() {
    let book = TestBook::fixture("mdbook-features");
    book.edit(
        "src/usage.md",
        "## Details",
        "COUNT_HERE.\n\nINCLUDE_HERE\n\n## Details",
    );
    book.edit(
        "src/usage.md",
        "# Usage",
        "# Usage\n\n{{#include listings/lines.txt:1}} COUNT_HERE",
    );
    shout_placed(&book, "before = [\"links\"]");
    book.build();
    let main = main_of(&book.output("usage.html")).to_string();
    // It saw the file's own directive, and the one it wrote was expanded after it.
    assert!(
        main.contains("<p>one saw 1 include directives</p>"),
        "{main}"
    );
    assert!(main.contains("<p>two</p>"), "{main}");
    assert!(!main.contains("{{#include"), "{main}");
}

#[test]
fn a_directive_a_preprocessor_wrote_that_fails_is_placed_in_the_file() {
    let book = TestBook::fixture("mdbook-features");
    book.edit("src/start.md", "{{#include listings/lines.txt:2:3}}", "");
    book.edit(
        "src/nested/deep.md",
        "{{#include ../listings/lines.txt:4}}",
        "",
    );
    book.write("src/listings/lines.txt", "one\n");
    book.edit("src/usage.md", "## Details", "INCLUDE_HERE\n\n## Details");
    shout_placed(&book, "before = [\"links\"]");
    let text = book.build_err();
    assert!(
        text.contains("error: `{{#include listings/lines.txt:2}}` starts at line 2, but `listings/lines.txt` has 1 lines"),
        "{text}"
    );
    assert!(text.contains("--> src/usage.md:3:1"), "{text}");
}

#[test]
fn a_preprocessor_after_links_sees_the_expanded_text() {
    for placement in ["after = [\"links\"]", ""] {
        let book = TestBook::fixture("mdbook-features");
        book.edit(
            "src/usage.md",
            "# Usage",
            "# Usage\n\n{{#include listings/lines.txt:1}} COUNT_HERE\n\nINCLUDE_HERE",
        );
        shout_placed(&book, placement);
        book.build();
        let main = main_of(&book.output("usage.html")).to_string();
        assert!(
            main.contains("<p>one saw 0 include directives</p>"),
            "{placement}: {main}"
        );
        // As in mdBook, a directive written after `links` stays as text.
        assert!(
            main.contains("<p>{{#include listings/lines.txt:2}}</p>"),
            "{placement}: {main}"
        );
    }
}

#[test]
fn readme_is_index_md_to_preprocessors_after_index() {
    for (placement, path) in [("", "index.md"), ("before = [\"index\"]", "README.md")] {
        let book = TestBook::fixture("mdbook-features");
        book.write("src/README.md", "# Intro\n\nPATH_HERE\n");
        book.edit(
            "src/SUMMARY.md",
            "- [Start](start.md)",
            "[Intro](README.md)\n\n- [Start](start.md)",
        );
        shout_placed(&book, placement);
        book.build();
        let main = main_of(&book.output("index.html")).to_string();
        assert!(
            main.contains(&format!("<p>path {path}</p>")),
            "{placement}: {main}"
        );
    }
}

#[test]
fn preprocessor_order_problems_are_reported() {
    let book = TestBook::fixture("mdbook-features");
    shout_placed(&book, "after = [\"nothing\"]");
    let warnings = book.build().warnings.to_string();
    assert!(
        warnings.contains(
            "warning: `preprocessor.shout.after` names `nothing`, which the book does not run"
        ),
        "{warnings}"
    );
    book.edit("book.toml", "after = [\"nothing\"]", "after = [\"absent\"]");
    book.edit(
        "book.toml",
        "optional = true",
        "optional = true\nafter = [\"shout\"]",
    );
    let text = book.build_err();
    assert!(
        text.contains(
            "error: preprocessors `absent`, `shout` wait for each other in `before` / `after`"
        ),
        "{text}"
    );
}

#[test]
fn without_the_default_preprocessors_directives_stay_as_text() {
    let book = TestBook::fixture("mdbook-features");
    book.edit(
        "book.toml",
        "[output.html]",
        "[build]\nuse-default-preprocessors = false\n\n[output.html]",
    );
    let report = book.build();
    let main = main_of(&book.output("usage.html")).to_string();
    let start = main_of(&book.output("start.html")).to_string();
    assert!(
        start.contains("{{#include listings/lines.txt:2:3}}"),
        "{start}"
    );
    assert!(!main.contains("{{#include"), "{main}");
    let warnings = report.warnings.to_string();
    assert!(
        warnings.contains("warning: `build.use-default-preprocessors = false`: `{{#include}}` and kin stay as text, as in mdBook, but README.md still becomes index.html"),
        "{warnings}"
    );
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
fn moved_fragments_of_a_page_that_stays_are_sent_on_from_it() {
    let book = TestBook::fixture("mdbook-features");
    book.edit(
        "book.toml",
        "\"/moved.html\" = ",
        "\"/usage.html#old-details\" = \"nested/deep.html\"\n\"/moved.html\" = ",
    );
    book.build();
    let usage = book.output("usage.html");
    assert!(
        usage.contains("<script>\n(function(){var t={\"#old-details\":\"nested/deep.html\"}[location.hash];if(t)location.replace(new URL(t,location.href).href);})();\n</script>\n</body>"),
        "{usage}"
    );
    assert!(main_of(&usage).contains("Details"), "the page itself stays");

    // A redirect of the whole page would replace it: still an error, as in mdBook.
    book.edit(
        "book.toml",
        "\"/usage.html#old-details\"",
        "\"/usage.html\"",
    );
    let text = book.build_err();
    assert!(
        text.contains("error: a redirect from `usage.html` would replace the page built there"),
        "{text}"
    );
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
fn the_404_page_is_the_books_own_404_md() {
    let book = TestBook::fixture("mdbook-features");
    book.write(
        "src/404.md",
        "# Lost in the book\n\nTry [the usage page](usage.md#details) or ![a dot](listings/dot.svg).\n",
    );
    book.write(
        "src/listings/dot.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let report = book.build();
    let page = book.output("404.html");
    let main = main_of(&page);
    assert!(main.contains("Lost in the book</a></h1>"), "{main}");
    // Served at any depth: its links are absolute under site-url.
    assert!(main.contains("href=\"/usage.html#details\""), "{main}");
    assert!(main.contains("src=\"/listings/dot.svg\""), "{main}");
    assert!(!main.contains("There is no page at this address"), "{main}");
    assert!(
        page.contains("<title>Lost in the book · mdBook features</title>"),
        "{page}"
    );
    let warnings = report.warnings.to_string();
    assert!(!warnings.contains("404.md"), "{warnings}");

    // `input-404` names another file; one that does not exist fails the build, as in mdBook.
    book.write("src/errors/not-here.md", "# Nothing here\n");
    book.edit(
        "book.toml",
        "cname = ",
        "input-404 = \"errors/not-here.md\"\ncname = ",
    );
    book.build();
    assert!(main_of(&book.output("404.html")).contains("Nothing here</a></h1>"));
    book.edit("book.toml", "errors/not-here.md", "errors/gone.md");
    let text = book.build_err();
    assert!(
        text.contains(
            "error: `input-404` names `src/errors/gone.md`, which cannot be read: it does not exist"
        ),
        "{text}"
    );
    assert!(text.contains("--> book.toml:9:14"), "{text}");
}

#[test]
fn without_404_md_the_404_page_is_guidebooks_own() {
    let book = TestBook::fixture("mdbook-features");
    book.build();
    let main = main_of(&book.output("404.html")).to_string();
    assert!(main.contains("<h1>Page not found</h1>"), "{main}");
}

#[test]
fn the_repository_link_is_an_inline_icon_in_the_top_bar() {
    let book = TestBook::fixture("mdbook-features");
    book.edit(
        "book.toml",
        "cname = ",
        "git-repository-url = \"https://github.com/example/book\"\nedit-url-template = \"https://github.com/example/book/edit/main/{path}\"\ncname = ",
    );
    let report = book.build();
    for page in ["usage.html", "nested/deep.html", "404.html"] {
        let html = book.output(page);
        let topbar =
            &html[html.find("<header class=\"topbar\">").unwrap()..html.find("</header>").unwrap()];
        assert!(
            topbar.contains("<a class=\"repository-link\" href=\"https://github.com/example/book\" title=\"Source repository (GitHub)\" aria-label=\"Source repository (GitHub)\"><svg class=\"repository-icon\""),
            "{page}: {topbar}"
        );
    }
    // mdBook's `{path}`: the chapter file's path from the book's root.
    assert!(
        book.output("nested/deep.html")
            .contains("<a class=\"edit-link\" href=\"https://github.com/example/book/edit/main/src/nested/deep.md\">"),
    );
    assert!(!report.warnings.to_string().contains("git-repository"));

    book.edit(
        "book.toml",
        "git-repository-url = \"https://github.com/example/book\"",
        "git-repository-icon = \"fa-code\"",
    );
    let warnings = book.build().warnings.to_string();
    assert!(!book.output("usage.html").contains("repository-link"));
    assert!(
        warnings.contains("warning: `output.html.git-repository-icon` is accepted but has no effect in guidebook: it is the icon of the `git-repository-url` link, which is not set"),
        "{warnings}"
    );
}

#[test]
fn math_may_span_lines() {
    let book = TestBook::fixture("mdbook-features");
    book.edit("book.toml", "cname = ", "mathjax-support = true\ncname = ");
    book.write(
        "src/usage.md",
        book.read("src/usage.md")
            + "\nMathJax display:\n\\\\[\n\\frac{a}{b} +\nc^2\n\\\\]\nand inline \\\\( x +\ny \\\\) after.\n\n- In a list:\n  $$\n  \\sum_{i=1}^n\n  i^2\n  $$\n",
    );
    let report = book.build();
    let main = main_of(&book.output("usage.html")).to_string();
    assert_eq!(
        main.matches("<math display=\"block\">").count(),
        2,
        "{main}"
    );
    assert_eq!(
        main.matches("<math display=\"inline\">").count(),
        1,
        "{main}"
    );
    assert!(main.contains("<mfrac>"), "{main}");
    assert!(!main.contains("\\["), "{main}");
    assert!(main.contains("after.</p>"), "{main}");
    assert!(
        !report.warnings.to_string().contains("math"),
        "{}",
        report.warnings
    );
}

#[test]
fn keys_read_but_not_acted_on_say_so() {
    let book = TestBook::fixture("mdbook");
    book.edit(
        "book.toml",
        "[output.html]\n",
        "[output.html]\npreferred-dark-theme = \"ayu\"\n",
    );
    book.edit(
        "book.toml",
        "create-missing = false",
        "create-missing = true",
    );
    book.write(
        "book.toml",
        book.read("book.toml") + "\n[rust]\nedition = \"2021\"\n",
    );
    book.edit(
        "book.toml",
        "language = \"en\"",
        "language = \"en\"\ntext-direction = \"rtl\"",
    );
    let out = book.cli(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    for key in [
        "output.html.preferred-dark-theme",
        "book.text-direction",
        "build.create-missing",
        "rust.edition",
    ] {
        assert!(
            err.contains(&format!(
                "warning: `{key}` is accepted but has no effect in guidebook: "
            )),
            "{key} does not warn:\n{err}"
        );
    }
}
