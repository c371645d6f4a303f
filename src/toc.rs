//! The book's table of contents as a tree, rendered whole through `partials/toc.html` for the
//! landing page and the print page; the sidebar shows it in chunks (see `sidebar`).

use serde::Serialize;

use crate::book::{Chapter, TocEntry};
use crate::error::Diagnostic;
use crate::partials::{self, Partials};
use crate::url::encode_path;

/// One entry of the table of contents, with the chapters nested under it.
#[derive(Debug, Serialize, PartialEq)]
pub struct TocNode<'a> {
    /// `part`, `separator` or `chapter`.
    pub kind: &'static str,
    pub title: &'a str,
    pub number: Option<&'a str>,
    /// The chapter's page, relative to the site root; `None` for a draft.
    pub href: Option<String>,
    pub children: Vec<TocNode<'a>>,
    /// Index into `Book::chapters`; `None` for a draft, a part or a separator.
    #[serde(skip)]
    pub chapter: Option<usize>,
}

/// Nests SUMMARY's flat entries by depth: a deeper chapter goes under the chapter before it.
pub fn toc_tree<'a>(toc: &'a [TocEntry], chapters: &[Chapter]) -> Vec<TocNode<'a>> {
    let mut roots: Vec<TocNode> = Vec::new();
    for entry in toc {
        let (node, depth) = match entry {
            TocEntry::Part(title) => (leaf("part", title), 0),
            TocEntry::Separator => (leaf("separator", ""), 0),
            TocEntry::Chapter {
                title,
                number,
                depth,
                chapter,
            } => {
                let mut node = leaf("chapter", title);
                node.number = number.as_deref();
                node.href = chapter.map(|i| encode_path(&chapters[i].page_path));
                node.chapter = *chapter;
                (node, *depth)
            }
        };
        let mut level = &mut roots;
        for _ in 0..depth {
            match level.last() {
                Some(last) if last.kind == "chapter" => {
                    level = &mut level.last_mut().expect("checked above").children
                }
                _ => break,
            }
        }
        level.push(node);
    }
    roots
}

fn leaf<'a>(kind: &'static str, title: &'a str) -> TocNode<'a> {
    TocNode {
        kind,
        title,
        number: None,
        href: None,
        children: Vec::new(),
        chapter: None,
    }
}

/// The table of contents as HTML; links start with the root marker. Without `numbers`
/// (mdBook's `no-section-label`) no "1.2." is shown.
pub fn toc_html(
    toc: &[TocEntry],
    chapters: &[Chapter],
    partials: &Partials,
    numbers: bool,
) -> Result<String, Diagnostic> {
    let mut tree = toc_tree(toc, chapters);
    if !numbers {
        tree.iter_mut().for_each(drop_numbers);
    }
    partials.render(partials::TOC, "toc", &tree)
}

fn drop_numbers(node: &mut TocNode) {
    node.number = None;
    node.children.iter_mut().for_each(drop_numbers);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chapter(title: &str, depth: usize, chapter: Option<usize>) -> TocEntry {
        TocEntry::Chapter {
            title: title.into(),
            number: None,
            depth,
            chapter,
        }
    }

    #[test]
    fn deeper_chapters_nest_under_the_one_before() {
        let toc = vec![
            TocEntry::Part("P".into()),
            chapter("a", 0, None),
            chapter("b", 1, None),
            chapter("c", 2, None),
            chapter("d", 0, None),
        ];
        let tree = toc_tree(&toc, &[]);
        let titles: Vec<&str> = tree.iter().map(|n| n.title).collect();
        assert_eq!(titles, ["P", "a", "d"]);
        assert_eq!(tree[1].children[0].title, "b");
        assert_eq!(tree[1].children[0].children[0].title, "c");
    }
}
