//! Every kind of bad input gives a located error through the real CLI, exits non-zero, and
//! leaves the previous output alone.

use crate::common::{TestBook, stderr};

/// Builds with the CLI, expecting failure; returns what it printed.
fn failing_build(book: &TestBook) -> String {
    // `--strict`: the fixture is laid out for mdBook, where broken links alone only warn.
    let out = book.cli(&["build", "--strict"]);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "expected exit 1:\n{text}");
    assert!(text.contains("build failed"), "{text}");
    text
}

#[test]
fn invalid_toml_in_book_toml() {
    let book = TestBook::fixture("mdbook");
    book.edit(
        "book.toml",
        "title = \"An mdBook book\"",
        "title = \"An mdBook book",
    );
    let text = failing_build(&book);
    assert!(text.contains("error: invalid book.toml:"), "{text}");
    assert!(text.contains("--> book.toml:6:"), "{text}");
    assert!(text.contains("6 | title = \"An mdBook book\n"), "{text}");
}

#[test]
fn unknown_book_toml_key_is_a_warning_with_a_suggestion() {
    let book = TestBook::fixture("mdbook");
    book.edit(
        "book.toml",
        "language = \"en\"",
        "language = \"en\"\ndescriptoin = \"x\"",
    );
    let out = book.cli(&["build"]);
    assert!(out.status.success());
    let text = stderr(&out);
    assert!(
        text.contains("warning: unknown key `book.descriptoin` in book.toml is ignored"),
        "{text}"
    );
    assert!(
        text.contains("= help: did you mean `description`?"),
        "{text}"
    );
}

#[test]
fn summary_line_that_does_not_parse() {
    let book = TestBook::fixture("mdbook");
    book.edit(
        "src/SUMMARY.md",
        "- [Usage](usage.md)",
        "- Usage (usage.md)",
    );
    let text = failing_build(&book);
    assert!(
        text.contains("error: this SUMMARY.md line is not a chapter link"),
        "{text}"
    );
    assert!(text.contains("--> src/SUMMARY.md:7:1"), "{text}");
    assert!(text.contains("= help: each line is"), "{text}");
}

#[test]
fn summary_entry_whose_file_is_missing_and_one_listed_twice() {
    let book = TestBook::fixture("mdbook");
    book.edit(
        "src/SUMMARY.md",
        "- [Draft]()",
        "- [Gone](gone.md)\n- [Again](usage.md)",
    );
    let text = failing_build(&book);
    assert!(
        text.contains("error: chapter file `src/gone.md` does not exist\n --> src/SUMMARY.md:8:10"),
        "{text}"
    );
    assert!(
        text.contains("error: `usage.md` is listed twice in SUMMARY.md\n --> src/SUMMARY.md:9:11"),
        "{text}"
    );
    assert!(
        text.contains("build failed: 2 errors"),
        "all problems are reported at once: {text}"
    );
}

#[test]
fn broken_yaml_front_matter_points_into_the_chapter() {
    let book = TestBook::fixture("mdbook");
    book.write(
        "src/usage.md",
        "---\ntitle: Usage\ndescription: [oops\n---\n# Usage\n",
    );
    let text = failing_build(&book);
    assert!(text.contains("error: invalid YAML:"), "{text}");
    assert!(text.contains("--> src/usage.md:3:"), "{text}");
    assert!(text.contains("3 | description: [oops"), "{text}");
}

#[test]
fn a_chapter_that_is_not_utf8() {
    let book = TestBook::fixture("mdbook");
    book.write("src/usage.md", b"# Usage\n\ncaf\xe9\n".as_slice());
    let text = failing_build(&book);
    assert!(
        text.contains("error: `src/usage.md` is not valid UTF-8\n --> src/usage.md:3:4"),
        "{text}"
    );
    assert!(text.contains("save the file as UTF-8"), "{text}");
}

#[test]
fn template_syntax_error_and_unknown_variable() {
    let book = TestBook::fixture("mdbook");
    book.write(
        "themes/default/templates/chapter.html",
        "{% extends \"base.html\" %}\n{% block main %}{{ page.title }{% endblock %}",
    );
    let text = failing_build(&book);
    assert!(text.contains("error: template syntax error:"), "{text}");
    assert!(
        text.contains("--> themes/default/templates/chapter.html:2:"),
        "{text}"
    );

    book.write(
        "themes/default/templates/chapter.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{{ page.titel }}{% block after_body %}{% endblock %}{% endblock %}",
    );
    let text = failing_build(&book);
    assert!(
        text.contains("error: template error: Field `titel` is not defined"),
        "{text}"
    );
    assert!(
        text.contains("--> themes/default/templates/chapter.html:3:"),
        "{text}"
    );
}

#[test]
fn links_to_missing_chapters_and_anchors() {
    let book = TestBook::fixture("mdbook");
    book.write(
        "src/appendix.md",
        "# Appendix\n\nSee [nothing](nothing.md) and [usage](usage.md#runing).\n",
    );
    let text = failing_build(&book);
    assert!(
        text.contains(
            "error: broken link: no chapter is built from `nothing.md`\n --> src/appendix.md:3:5"
        ),
        "{text}"
    );
    assert!(
        text.contains("error: broken link: `usage.html` has no anchor `#runing`"),
        "{text}"
    );
    assert!(text.contains("= help: did you mean `#running`?"), "{text}");

    // The book may downgrade broken links to warnings.
    book.edit(
        "book.toml",
        "[output.html]\n",
        "[output.html]\nbroken-links = \"warn\"\n",
    );
    let out = book.cli(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("warning: broken link"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_content_folder_without_summary() {
    let book = TestBook::empty();
    book.write("book.toml", "[book]\ntitle = \"x\"\n");
    book.write("content/chapter.md", "# x\n");
    let text = failing_build(&book);
    assert!(
        text.contains("error: `content` has no SUMMARY.md"),
        "{text}"
    );
    assert!(text.contains("guidebook init"), "{text}");
}

#[test]
fn worksheet_errors_are_located_and_reported_together() {
    let book = TestBook::fixture("basic");
    book.edit(
        "content/worksheets/review.yaml",
        "type: scale",
        "type: scal",
    );
    book.edit(
        "content/worksheets/review.yaml",
        "options: [估算, 沟通, 市场]",
        "options: []",
    );
    book.edit(
        "content/checklists/before.yaml",
        "title: 谈话之前",
        "titel: 谈话之前",
    );
    let text = failing_build(&book);
    assert!(text.contains("error: unknown field type `scal`; did you mean `scale`?\n  --> content/worksheets/review.yaml:29:15"), "{text}");
    assert!(
        text.contains("error: the multi-choice field `causes` has no options"),
        "{text}"
    );
    assert!(text.contains("error: unknown key `titel`; did you mean `title`?\n --> content/checklists/before.yaml:1:1"), "{text}");
    assert!(text.contains("build failed: 3 errors"), "{text}");
}

#[test]
fn check_validates_without_writing() {
    let book = TestBook::fixture("mdbook");
    let out = book.cli(&["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!book.path("public").exists());
    book.write("src/appendix.md", "[x](missing.md)\n");
    // An mdBook-layout book only warns about broken links, unless `--strict`.
    assert!(book.cli(&["check"]).status.success());
    let out = book.cli(&["check", "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!book.path("public").exists());
}

#[test]
fn a_failed_cli_build_keeps_the_old_site() {
    let book = TestBook::fixture("mdbook");
    assert!(book.cli(&["build"]).status.success());
    let before = book.output("usage.html");
    book.write("src/SUMMARY.md", "- [Broken](\n");
    failing_build(&book);
    assert_eq!(book.output("usage.html"), before);
}
