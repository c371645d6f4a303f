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
    assert_eq!(
        text,
        "error: invalid book.toml: invalid basic string, expected `\"`\n --> book.toml:6:24\n  |\n6 | title = \"An mdBook book\n  |                        ^\n  = help: book.toml is TOML: `key = \"value\"` under `[book]`, `[build]` or `[output.html]`\n\nbuild failed: 1 error\n"
    );
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
    assert_eq!(
        text,
        "warning: unknown key `book.descriptoin` in book.toml is ignored\n --> book.toml:4:1\n  |\n4 | descriptoin = \"x\"\n  | ^^^^^^^^^^^\n  = help: did you mean `description`?\n\n"
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
    assert_eq!(
        text,
        "error: this SUMMARY.md line is not a chapter link\n --> src/SUMMARY.md:7:1\n  |\n7 | - Usage (usage.md)\n  | ^^^^^^^^^^^^^^^^^^\n  = help: each line is `- [Title](file.md)`, `[Title](file.md)`, `# Part title` or `---`\n\nbuild failed: 1 error\n"
    );
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
    assert_eq!(
        text,
        "error: chapter file `src/gone.md` does not exist\n --> src/SUMMARY.md:8:10\n  |\n8 | - [Gone](gone.md)\n  |          ^^^^^^^\n  = help: create the file, fix the path, or make it a draft with `[Title]()`\n\nerror: `usage.md` is listed twice in SUMMARY.md\n --> src/SUMMARY.md:9:11\n  |\n9 | - [Again](usage.md)\n  |           ^^^^^^^^\n  = help: a chapter can appear once; remove one of the two lines\n\nbuild failed: 2 errors\n"
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
    assert_eq!(
        text,
        "error: invalid YAML: expected string scalar\n --> src/usage.md:3:14\n  |\n3 | description: [oops\n  |              ^^^^^\n  = help: front matter is YAML: `title: 标题` and `description: 一句话` between two `---` lines\n\nbuild failed: 1 error\n"
    );
}

#[test]
fn a_chapter_that_is_not_utf8() {
    let book = TestBook::fixture("mdbook");
    book.write("src/usage.md", b"# Usage\n\ncaf\xe9\n".as_slice());
    let text = failing_build(&book);
    assert_eq!(
        text,
        "error: `src/usage.md` is not valid UTF-8\n --> src/usage.md:3:4\n  |\n3 | caf�\n  |    ^\n  = help: save the file as UTF-8 (most editors have an \"encoding\" option when saving)\n\nbuild failed: 1 error\n"
    );
}

#[test]
fn template_syntax_error_and_unknown_variable() {
    let book = TestBook::fixture("mdbook");
    book.write(
        "themes/default/templates/chapter.html",
        "{% extends \"base.html\" %}\n{% block main %}{{ page.title }{% endblock %}",
    );
    let text = failing_build(&book);
    assert_eq!(
        text,
        "error: template syntax error: Found `}` but expected }}.\n --> themes/default/templates/chapter.html:2:31\n  |\n2 | {% block main %}{{ page.title }{% endblock %}\n  |                               ^\n  = help: see Tera 2's template syntax: `{{ variable }}`, `{% if %}…{% endif %}`, `{% for x in list %}…{% endfor %}`\n\nbuild failed: 1 error\n"
    );

    book.write(
        "themes/default/templates/chapter.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{{ page.titel }}{% block after_body %}{% endblock %}{% endblock %}",
    );
    let text = failing_build(&book);
    assert_eq!(
        text,
        "error: template error: Field `titel` is not defined. Available fields: body, canonical, cases, description, edit_url, extra, has_h1, headings, is_home, kind, next, number, path, prev, title, used_in\n --> themes/default/templates/chapter.html:3:9\n  |\n3 | {{ page.titel }}{% block after_body %}{% endblock %}{% endblock %}\n  |         ^^^^^\n  = help: see Tera 2's template syntax: `{{ variable }}`, `{% if %}…{% endif %}`, `{% for x in list %}…{% endfor %}`\n\nbuild failed: 1 error\n"
    );
}

#[test]
fn a_broken_link_below_front_matter_is_located_in_the_file() {
    // A build frees each chapter's source once rendered and reads the file again to locate an
    // error: the line counts the front matter too.
    let book = TestBook::fixture("mdbook");
    book.write(
        "src/appendix.md",
        "---\ntitle: 附录\n---\n# Appendix\n\n前文。\n\n见[别处](elsewhere.md)。\n",
    );
    let text = failing_build(&book);
    assert_eq!(
        text,
        "error: broken link: no chapter is built from `elsewhere.md`\n --> src/appendix.md:8:2\n  |\n8 | 见[别处](elsewhere.md)。\n  |   ^^^^^^^^^^^^^^^^^^^^\n  = help: fix the path, or add the chapter to SUMMARY.md\n\nbuild failed: 1 error\n"
    );
}

#[test]
fn a_broken_link_in_a_file_with_a_byte_order_mark_is_located_as_without_one() {
    let book = TestBook::fixture("mdbook");
    book.write(
        "src/appendix.md",
        "\u{feff}# Appendix\n\nSee [nothing](nothing.md).\n",
    );
    let text = failing_build(&book);
    assert!(
        text.contains(" --> src/appendix.md:3:5\n  |\n3 | See [nothing](nothing.md).\n  |     ^^^^^^^^^^^^^^^^^^^^^\n"),
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
    assert_eq!(
        text,
        "error: broken link: no chapter is built from `nothing.md`\n --> src/appendix.md:3:5\n  |\n3 | See [nothing](nothing.md) and [usage](usage.md#runing).\n  |     ^^^^^^^^^^^^^^^^^^^^^\n  = help: fix the path, or add the chapter to SUMMARY.md\n\nerror: broken link: `usage.html` has no anchor `#runing`\n --> src/appendix.md:3:31\n  |\n3 | See [nothing](nothing.md) and [usage](usage.md#runing).\n  |                               ^^^^^^^^^^^^^^^^^^^^^^^^\n  = help: did you mean `#running`?\n\nbuild failed: 2 errors\n"
    );

    // The book may downgrade broken links to warnings.
    book.edit(
        "book.toml",
        "[output.html]\n",
        "[output.html]\nbroken-links = \"warn\"\n",
    );
    let out = book.cli(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "warning: broken link: no chapter is built from `nothing.md`\n --> src/appendix.md:3:5\n  |\n3 | See [nothing](nothing.md) and [usage](usage.md#runing).\n  |     ^^^^^^^^^^^^^^^^^^^^^\n  = help: fix the path, or add the chapter to SUMMARY.md\n\nwarning: broken link: `usage.html` has no anchor `#runing`\n --> src/appendix.md:3:31\n  |\n3 | See [nothing](nothing.md) and [usage](usage.md#runing).\n  |                               ^^^^^^^^^^^^^^^^^^^^^^^^\n  = help: did you mean `#running`?\n\n"
    );
}

#[test]
fn a_content_folder_without_summary() {
    let book = TestBook::empty();
    book.write("book.toml", "[book]\ntitle = \"x\"\n");
    book.write("content/chapter.md", "# x\n");
    let text = failing_build(&book);
    assert_eq!(
        text,
        "error: `content` has no SUMMARY.md\n --> content\n  = help: add a SUMMARY.md listing the chapters, e.g. `- [第一章](chapter-1.md)`, or run `guidebook init`\n\nbuild failed: 1 error\n"
    );
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
    assert_eq!(
        text,
        "error: the multi-choice field `causes` has no options\n  --> content/worksheets/review.yaml:27:18\n   |\n27 |         options: []\n   |                  ^\n   = help: list the choices: `options: [甲, 乙, 丙]`\n\nerror: unknown field type `scal`; did you mean `scale`?\n  --> content/worksheets/review.yaml:29:15\n   |\n29 |         type: scal\n   |               ^^^^\n   = help: field types are: text, textarea, number, date, choice, multi-choice, scale, checklist, rows\n\nerror: unknown key `titel`; did you mean `title`?\n --> content/checklists/before.yaml:1:1\n  |\n1 | titel: 谈话之前\n  | ^^^^^\n  = help: the keys allowed here are: id, title, description, intro, items\n\nbuild failed: 3 errors\n"
    );
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

#[test]
fn a_broken_partial_names_its_file_and_line() {
    let book = TestBook::fixture("basic");
    book.write(
        "themes/default/templates/partials/worksheet.html",
        "<form>\n{{ ws.nope }}\n</form>\n",
    );
    assert_eq!(
        failing_build(&book),
        "error: template error: Field `nope` is not defined. Available fields: dom_id, has_dates, id, intro, level, page_href, sections, title, uses_plan
 --> themes/default/templates/partials/worksheet.html:2:7
  |
2 | {{ ws.nope }}
  |       ^^^^
  = help: see Tera 2's template syntax: `{{ variable }}`, `{% if %}…{% endif %}`, `{% for x in list %}…{% endfor %}`

build failed: 1 error
"
    );
    book.write(
        "themes/default/templates/partials/worksheet.html",
        "<form></form>\n",
    );
    book.write("themes/default/templates/partials/alert.html", "<div>\n");
    book.edit("content/three.md", "\n", "\n\n> [!NOTE]\n> 注意。\n\n");
    assert_eq!(
        failing_build(&book),
        "error: template `partials/alert.html` does not show its content
 --> themes/default/templates/partials/alert.html
  = help: a wrapping partial must contain `{{ content | safe }}` once

build failed: 1 error
"
    );
}
