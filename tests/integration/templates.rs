//! The theme's partials: a book overrides one and that markup changes on every page using it.

use crate::common::{TestBook, main_of};

#[test]
fn an_overridden_worksheet_partial_reaches_every_page_that_shows_the_worksheet() {
    let book = TestBook::fixture("basic");
    book.write(
        "themes/default/templates/partials/worksheet.html",
        "<form class=\"my-worksheet\" data-worksheet=\"{{ ws.id }}\">{{ ws.title }} has {{ ws.sections | length }} sections</form>\n",
    );
    book.build();
    let chapter = book.output("part1/one.html");
    assert!(
        chapter.contains(
            "<form class=\"my-worksheet\" data-worksheet=\"review\">失败复盘 has 1 sections</form>"
        ),
        "{}",
        main_of(&chapter)
    );
    assert!(!chapter.contains("class=\"worksheet\""));
    let page = book.output("worksheets/review.html");
    assert!(
        page.contains("<form class=\"my-worksheet\" data-worksheet=\"review\">"),
        "{}",
        main_of(&page)
    );
    // The other partials stay the theme's own.
    assert!(chapter.contains("<section class=\"embed embed-checklist\""));
}

#[test]
fn overridden_partials_change_cards_the_toc_alerts_and_headings() {
    let book = TestBook::fixture("basic");
    let partial = |name: &str, text: &str| {
        book.write(&format!("themes/default/templates/partials/{name}"), text)
    };
    partial(
        "case-card.html",
        "<div class=\"my-case\">{{ case.title }}</div>\n",
    );
    partial(
        "toc.html",
        "<ul class=\"my-toc\">{% for e in toc %}<li>{{ e.title }}</li>{% endfor %}</ul>",
    );
    partial(
        "heading.html",
        "<h{{ heading.level }} id=\"{{ heading.id }}\" class=\"my-heading\">{{ content | safe }}</h{{ heading.level }}>\n",
    );
    partial(
        "alert.html",
        "<aside class=\"my-alert-{{ alert.kind }}\">{{ content | safe }}</aside>\n",
    );
    book.edit("content/three.md", "\n", "\n\n> [!WARNING]\n> 小心。\n\n");
    book.build();
    let cases = book.output("cases/overspend.html");
    assert!(
        cases.contains("<div class=\"my-case\">超支的推广活动</div>"),
        "{}",
        main_of(&cases)
    );
    let index = book.output("index.html");
    assert!(
        index.contains("<ul class=\"my-toc\"><li>欢迎</li>"),
        "{}",
        main_of(&index)
    );
    let one = book.output("part1/one.html");
    assert!(
        one.contains("<h2 id=\"反思窗口\" class=\"my-heading\">反思窗口</h2>"),
        "{}",
        main_of(&one)
    );
    let three = book.output("three.html");
    assert!(
        three.contains("<aside class=\"my-alert-warning\">\n<p>小心。</p>\n</aside>"),
        "{}",
        main_of(&three)
    );
}

#[test]
fn item_pages_show_title_and_intro_once() {
    let book = TestBook::fixture("basic");
    book.write(
        "content/checklists/before.yaml",
        "title: 谈话之前\nintro: 开口前过一遍。\nitems:\n  - 情绪已经平稳\n",
    );
    book.build();
    let list = main_of(&book.output("checklists/before.html")).to_string();
    assert_eq!(list.matches("开口前过一遍").count(), 1, "{list}");
    assert_eq!(
        list.matches("谈话之前").count(),
        2,
        "the h1 and the list's label: {list}"
    );
    assert!(list.contains("<h1>谈话之前</h1>"), "{list}");
    let worksheet = main_of(&book.output("worksheets/review.html")).to_string();
    assert_eq!(
        worksheet.matches("<h1>失败复盘</h1>").count(),
        1,
        "{worksheet}"
    );
    assert!(
        !worksheet.contains("<h2 id=\"ws-review-title\""),
        "{worksheet}"
    );
    assert!(worksheet.contains("aria-label=\"失败复盘\""), "{worksheet}");
}

#[test]
fn the_case_library_lists_the_case_pages_with_a_filter_that_needs_the_script() {
    let book = TestBook::fixture("basic");
    book.write(
        "content/cases/late.yaml",
        "title: 延期的迁移\nsetback: 项目延期\nindustry: 软件\nresult: 部分修复\nsituation: s\nactions: a\noutcome: o\nlesson: l\n",
    );
    book.build();
    let page = book.output("cases.html");
    let main = main_of(&page);
    assert!(
        main.contains("<h2 class=\"case-title\"><a href=\"cases/late.html\">延期的迁移</a></h2>"),
        "{main}"
    );
    // Without the script the form stays hidden and every card shows.
    assert!(
        main.contains("<form class=\"case-filter\" aria-label=\"筛选案例\" hidden>"),
        "{main}"
    );
    assert!(
        main.contains("<select name=\"setback\"><option value=\"\">全部</option><option value=\"项目失败\">项目失败</option><option value=\"项目延期\">项目延期</option></select>"),
        "{main}"
    );
    assert!(main.contains("<select name=\"industry\"><option value=\"\">全部</option><option value=\"软件\">软件</option></select>"), "{main}");
    assert!(!main.contains(" hidden data-setback"), "{main}");
    assert!(
        main.contains("<article class=\"case case-entry\" id=\"case-late\" data-setback=\"项目延期\" data-industry=\"软件\" data-result=\"部分修复\">"),
        "{main}"
    );
    assert!(
        main.contains("<p class=\"case-facets\">软件 · 部分修复</p>"),
        "{main}"
    );
    // The library holds no case's text: that is on the case's page.
    assert!(!main.contains("case-situation"), "{main}");
    assert!(
        book.output("cases/late.html")
            .contains("<section class=\"case-situation\">")
    );
    // Its script loads on this page only.
    assert!(main.contains("<script defer src=\"assets/cases-"), "{main}");
    assert!(!book.output("part1/one.html").contains("assets/cases-"));
}

#[test]
fn the_print_cover_credits_the_books_authors_or_no_one() {
    let book = TestBook::fixture("basic");
    book.build();
    assert!(
        book.output("print.html")
            .contains("<p class=\"authors\">测试</p>"),
        "the authors from book.toml"
    );
    book.edit("book.toml", "authors = [\"测试\"]\n", "");
    book.build();
    let print = book.output("print.html");
    assert!(!print.contains("class=\"authors\""), "{}", main_of(&print));
}
