//! The sidebar of a long book: a page carries the parts and its own part's entries around its
//! chapter; the other entries are chunk scripts loaded on demand. `[output.html.fold]` and
//! `no-section-label` as mdBook reads them.

use std::path::Path;

use crate::common::{TestBook, quoted_after};

/// A book of `parts` parts of `per_part` chapters (every fourth a sub-chapter), each chapter
/// with a task list, in a `content/` folder; returns it unbuilt.
pub fn long_book(parts: usize, per_part: usize, book_toml_extra: &str) -> TestBook {
    let book = TestBook::empty();
    write_long_book(&book.root, parts, per_part, book_toml_extra);
    book
}

/// Writes that book into `root`.
pub fn write_long_book(root: &Path, parts: usize, per_part: usize, book_toml_extra: &str) {
    let write = |rel: &str, text: String| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "book.toml",
        format!("[book]\ntitle = \"长书\"\nlanguage = \"zh-CN\"\n{book_toml_extra}"),
    );
    let mut summary = String::from("# 目录\n\n[前言](README.md)\n\n");
    write("content/README.md", "# 前言\n\n开始。\n".into());
    for p in 1..=parts {
        summary.push_str(&format!("# 第 {p} 部分\n\n"));
        for c in 1..=per_part {
            let indent = if c % 4 == 0 { "    " } else { "" };
            summary.push_str(&format!("{indent}- [第 {p}.{c} 章](p{p}/c{c}.md)\n"));
            write(
                &format!("content/p{p}/c{c}.md"),
                format!("# 第 {p}.{c} 章\n\n正文。\n\n- [ ] 做完第 {p}.{c} 章的练习\n"),
            );
        }
        summary.push('\n');
    }
    write("content/SUMMARY.md", summary);
}

/// The sidebar's markup in a built page.
fn sidebar_of(html: &str) -> &str {
    let start = html.find("<nav id=\"sidebar\"").expect("a sidebar");
    let end = start + html[start..].find("</nav>").expect("its end");
    &html[start..end]
}

/// The chunk scripts of the last build: (file name, text), in chunk order.
fn chunks(book: &TestBook) -> Vec<(String, String)> {
    let dir = std::fs::read_dir(book.path("public/toc"))
        .expect("a toc folder")
        .next()
        .expect("the hashed chunk folder")
        .unwrap()
        .path();
    let mut files: Vec<(usize, String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            let id = name.trim_end_matches(".js").parse().unwrap();
            (id, name, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files.into_iter().map(|(_, n, t)| (n, t)).collect()
}

#[test]
fn a_page_carries_its_part_and_the_other_parts_load_on_demand() {
    let book = long_book(3, 30, "");
    book.build();
    let page = book.output("p2/c5.html");
    let sidebar = sidebar_of(&page);
    // Every part is listed; only the page's own part has its entries in the page.
    for p in 1..=3 {
        assert!(
            sidebar.contains(&format!(
                "<span class=\"toc-part-title\">第 {p} 部分</span>"
            )),
            "{sidebar}"
        );
    }
    assert!(sidebar.contains("<a aria-current=\"page\" href=\"../p2/c5.html\""));
    assert!(sidebar.contains("href=\"../p2/c1.html\""));
    assert!(!sidebar.contains("p1/c1.html"), "part 1 is not in the page");
    assert!(!sidebar.contains("p3/c1.html"), "part 3 is not in the page");
    // Part 2's 30 chapters are more than a chunk: the page shows the first and offers the rest.
    assert!(!sidebar.contains("p2/c30.html"), "{sidebar}");
    assert!(
        sidebar.contains("<li class=\"toc-more\"><button type=\"button\" data-chunk=\""),
        "{sidebar}"
    );
    assert!(sidebar.contains(">显示后面的章节</button>"));
    let entries = sidebar.matches("<li").count();
    assert!(
        entries <= guidebook_chunk_limit() + 6,
        "{entries} entries in the page's sidebar"
    );

    // Each chunk is a script that registers its entries, links relative to the site root.
    let chunks = chunks(&book);
    assert!(chunks.len() >= 4, "{chunks:?}");
    for (name, text) in &chunks {
        let id = name.trim_end_matches(".js");
        assert!(
            text.starts_with(&format!(
                "(window.guidebook.tocChunks=window.guidebook.tocChunks||{{}})[{id}]=\""
            )),
            "{name}: {text}"
        );
        assert!(!text.contains("%%gb"), "{name} holds a placeholder: {text}");
    }
    let part3 =
        quoted_after(sidebar, "<li class=\"toc-part\" data-chunk=\"", 3).expect("part 3's chunk");
    let (_, part3_chunk) = &chunks
        .iter()
        .find(|(n, _)| *n == format!("{part3}.js"))
        .expect("part 3's chunk file");
    assert!(
        part3_chunk.contains("<a href=\\\"p3/c1.html\\\" data-checks=\\\"="),
        "{part3_chunk}"
    );
    // A chapter's sub-chapter nests in its list.
    assert!(
        part3_chunk.contains("第 3.3 章<\\/a><ol><li><a href=\\\"p3/c4.html\\\""),
        "{part3_chunk}"
    );
    // The chunk that follows part 2's first one holds its last chapter.
    let later = quoted_after(
        sidebar,
        "toc-more\"><button type=\"button\" data-chunk=\"",
        1,
    )
    .expect("the chunk after part 2's first");
    let (_, later_chunk) = chunks
        .iter()
        .find(|(n, _)| *n == format!("{later}.js"))
        .unwrap();
    assert!(later_chunk.contains("p2/c30.html"), "{later_chunk}");
    assert!(later_chunk.contains(">显示前面的章节<"), "{later_chunk}");

    // A page outside every part (the landing page) shows the parts, none opened.
    let index = sidebar_of(&book.output("index.html")).to_string();
    assert!(!index.contains("p1/c1.html"), "{index}");
    assert!(index.contains("aria-current=\"page\" href=\"index.html\""));
}

fn guidebook_chunk_limit() -> usize {
    // The sidebar shows at most one chunk of a part, and the top level's chunk.
    16 + 5
}

#[test]
fn fold_starts_entries_folded_as_mdbook_does() {
    let toml = |extra: &str| format!("[output.html]\n{extra}");
    // Off (mdBook's default): nothing starts folded.
    let book = long_book(1, 8, &toml(""));
    book.build();
    assert!(!book.output("p1/c1.html").contains("folded"));
    // On at level 0: every entry with sub-chapters starts folded.
    let book = long_book(
        1,
        8,
        &toml("[output.html.fold]\nenable = true\nlevel = 0\n"),
    );
    book.build();
    let page = book.output("p1/c1.html");
    let sidebar = sidebar_of(&page);
    assert_eq!(
        sidebar.matches("<li class=\"folded\">").count(),
        2,
        "{sidebar}"
    );
    // At level 1 the top level's sub-chapters start open.
    let book = long_book(
        1,
        8,
        &toml("[output.html.fold]\nenable = true\nlevel = 1\n"),
    );
    let out = book.cli(&["build"]);
    assert!(out.status.success());
    assert!(
        !crate::common::stderr(&out).contains("fold"),
        "fold is honoured, so it does not warn"
    );
    assert!(!book.output("p1/c1.html").contains("folded"));
}

#[test]
fn no_section_label_hides_the_numbers() {
    let book = long_book(1, 3, "[output.html]\nno-section-label = true\n");
    let out = book.cli(&["build"]);
    assert!(out.status.success());
    assert!(!crate::common::stderr(&out).contains("no-section-label"));
    let page = book.output("p1/c2.html");
    assert!(!sidebar_of(&page).contains("class=\"num\""), "{page}");
    assert!(sidebar_of(&page).contains("第 1.2 章"));
    assert!(!book.output("index.html").contains("class=\"num\""));
    // By default they show.
    let book = long_book(1, 3, "");
    book.build();
    assert!(sidebar_of(&book.output("p1/c2.html")).contains("<span class=\"num\">2.</span>"));
}
