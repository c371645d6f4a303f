use std::collections::HashMap;

use super::*;
use crate::collections::Collections;

fn render_with(body: &str, page: &str, source: &str, pages: &[(&str, &str)]) -> Rendered {
    let pages: HashMap<String, String> = pages
        .iter()
        .map(|(s, p)| (s.to_string(), p.to_string()))
        .collect();
    let collections = Collections::default();
    let theme =
        crate::theme::load(None, std::path::Path::new(".")).expect("the default theme loads");
    let partials = Partials::new(&theme, "zh-CN");
    let ctx = MarkdownContext {
        page_path: page,
        scope_path: page,
        source_path: source,
        pages: &pages,
        collections: &collections,
        cases_page: None,
        smart_punctuation: false,
        partials: &partials,
        lang: crate::i18n::Lang::Zh,
        code: &crate::markdown::code::CodeOptions::default(),
        mathjax: false,
    };
    render(body, &ctx).expect("the default partials render")
}

fn render_simple(body: &str) -> Rendered {
    render_with(body, "a.html", "a.md", &[("a.md", "a.html")])
}

#[test]
fn headings_get_unique_chinese_ids_and_anchors() {
    let r = render_simple("## 反思窗口\n\n## 反思窗口\n\n### Next Steps {#next}\n");
    let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["反思窗口", "反思窗口-1", "next"]);
    assert!(
        r.html.contains(
            "<h2 id=\"反思窗口\"><a class=\"heading-anchor\" href=\"#反思窗口\">反思窗口</a></h2>"
        ),
        "{}",
        r.html
    );
}

#[test]
fn md_links_become_page_links_relative_to_root() {
    let r = render_with(
        "[下一章](../part2/b.md#时机) [外部](https://example.org) [本页](#x)",
        "part1/a.html",
        "part1/a.md",
        &[
            ("part1/a.md", "part1/a.html"),
            ("part2/b.md", "part2/b.html"),
        ],
    );
    assert!(
        r.html.contains(&format!(
            "href=\"{ROOT_MARKER}part2/b.html#%E6%97%B6%E6%9C%BA\""
        )),
        "{}",
        r.html
    );
    assert!(r.html.contains("href=\"https://example.org\""));
    assert_eq!(r.links.len(), 2);
    assert_eq!(r.links[0].target.as_deref(), Ok("part2/b.html"));
    assert_eq!(r.links[0].fragment.as_deref(), Some("时机"));
}

#[test]
fn links_to_missing_chapters_are_recorded() {
    let r = render_simple("see [x](missing.md)");
    assert_eq!(r.links[0].target, Err("missing.md".to_string()));
}

#[test]
fn task_lists_become_checklists_with_text_ids() {
    let r = render_simple("- [ ] 给老同事发消息\n- [x] 写复盘 {#review}\n");
    assert!(
        r.html
            .contains("<div class=\"checklist\" data-scope=\"page:a.html\""),
        "{}",
        r.html
    );
    assert!(
        r.html
            .contains(&format!("data-item=\"{}\"", text_id("给老同事发消息"))),
        "{}",
        r.html
    );
    assert!(
        r.html
            .contains("data-item=\"review\"><label for=\"ck-2\">写复盘</label>"),
        "{}",
        r.html
    );
    assert_eq!(
        r.task_items,
        [
            TaskItem {
                id: text_id("给老同事发消息"),
                text: "给老同事发消息".into()
            },
            TaskItem {
                id: "review".into(),
                text: "写复盘".into()
            }
        ]
    );
}

#[test]
fn reordering_items_keeps_their_ids() {
    let a = render_simple("- [ ] 甲\n- [ ] 乙\n");
    let b = render_simple("- [ ] 乙\n- [ ] 丙\n- [ ] 甲\n");
    assert!(b.task_items.contains(&a.task_items[0]));
    assert!(b.task_items.contains(&a.task_items[1]));
}

#[test]
fn alerts_get_a_title() {
    let r = render_simple("> [!TIP]\n> 先冷静一天。\n");
    assert!(r.html.contains("<div class=\"markdown-alert markdown-alert-tip\" role=\"note\">\n<p class=\"markdown-alert-title\">提示</p>"), "{}", r.html);
}

#[test]
fn sections_collect_text_for_search() {
    let r = render_simple("开头\n\n## 人脉\n\n关系很重要。\n");
    assert_eq!(r.sections.len(), 2);
    assert_eq!(r.sections[1].anchor, "人脉");
    assert!(r.sections[1].text.contains("关系很重要"));
}

#[test]
fn deep_nesting_does_not_panic() {
    let deep = ">".repeat(5000) + " x\n" + &"- ".repeat(2000) + "[ ] y\n";
    let _ = render_simple(&deep);
}

#[test]
fn root_marker_in_text_is_removed() {
    let r = render_simple(&format!("a{ROOT_MARKER}b"));
    assert!(!r.html.contains(ROOT_MARKER));
}
