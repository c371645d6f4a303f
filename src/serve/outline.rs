//! What other pages show of a chapter: its outline. An edit that leaves every outline as it was
//! changes only the edited chapters' own pages (and the search index, print page and export
//! data, rebuilt after the reload anyway), so a rebuild may check those chapters' links alone
//! and write nothing else.
//!
//! Other pages show a chapter's title, number and path (sidebar, prev/next, table of contents,
//! the pages listing where an item is used), its checklists (sidebar marks, reading progress,
//! the plan), the items it embeds or cites (item and case pages, the toolbox), its front matter
//! (the landing page and special chapters), and link to its anchors.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::book::{Book, Chapter};
use crate::markdown::Rendered;
use crate::rendered::RenderedBook;

/// Whether `old` and `new` show the same to other pages.
fn same_outline(
    book: (&Book, &Book),
    old: (&Chapter, &Rendered),
    new: (&Chapter, &Rendered),
) -> bool {
    let ((old_book, new_book), (a, ra), (b, rb)) = (book, old, new);
    same_place(a, b)
        && a.front_matter == b.front_matter
        && ra.task_items == rb.task_items
        && ra.embeds == rb.embeds
        && ra.cited == rb.cited
        && crate::render::chapter_anchors(old_book, a, ra)
            == crate::render::chapter_anchors(new_book, b, rb)
}

/// What the sidebar, the table of contents and prev/next links show of a chapter.
fn same_place(a: &Chapter, b: &Chapter) -> bool {
    a.title == b.title
        && a.nav_title == b.nav_title
        && a.number == b.number
        && a.depth == b.depth
        && a.source_path == b.source_path
        && a.page_path == b.page_path
        && a.shown_path == b.shown_path
        && a.part == b.part
}

/// The chapters whose Markdown was rendered again, if every changed path is a chapter file (or
/// a file chapters include) and no outline changed; `None` when other pages may show the change.
pub(crate) fn only_changed_chapters(
    old: RenderedBook,
    new: RenderedBook,
    changed: &[PathBuf],
) -> Option<Vec<usize>> {
    let (old_book, new_book) = (old.book, new.book);
    if old_book.chapters.len() != new_book.chapters.len()
        || has_redirects(new_book)
        || !changed.iter().all(|path| is_chapter_input(old_book, path))
    {
        return None;
    }
    let mut redone = Vec::new();
    for (old, new) in old.chapters().zip(new.chapters()) {
        let ((a, ra), (b, rb)) = ((old.chapter, old.rendered), (new.chapter, new.rendered));
        if Arc::ptr_eq(ra, rb) {
            if !same_place(a, b) || a.front_matter != b.front_matter {
                return None;
            }
            continue;
        }
        if !same_outline((old_book, new_book), (a, ra), (b, rb)) {
            return None;
        }
        redone.push(new.index);
    }
    Some(redone)
}

/// A chapter's file, or a file a chapter includes (mdBook's `{{#include}}`).
fn is_chapter_input(book: &Book, path: &Path) -> bool {
    let src = &book.config.src_dir;
    book.chapters.iter().any(|c| {
        src.join(&c.source_path) == path
            || c.expansion
                .as_ref()
                .is_some_and(|e| e.included.iter().any(|p| p == path))
    })
}

/// mdBook redirects add scripts to pages after they are written: those books take the long way.
fn has_redirects(book: &Book) -> bool {
    !book.config.mdbook.redirects.is_empty()
        || book
            .chapters
            .iter()
            .any(|c| c.front_matter.extra.contains_key("aliases"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs_util::write_test_file as write;
    use crate::rendered::RenderedChapters;

    /// The book in `dir` and its rendered Markdown, as a build makes them.
    fn built(dir: &Path) -> (Book, RenderedChapters) {
        let options = crate::render::RenderOptions::default();
        let built = crate::build::build_site(dir, options, &crate::output::Discard).unwrap();
        (built.book, built.rendered)
    }

    const ONE: &str =
        "# One\n\nBody.\n\n## Steps\n\n- [ ] call {#call}\n\nSee [two](two.md#later).\n";

    /// Builds a two-chapter book, edits one.md to `edited`, and compares.
    fn after_edit(edited: &str) -> Option<Vec<usize>> {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        write(dir, "book.toml", "[book]\ntitle = \"T\"\n");
        write(
            dir,
            "content/SUMMARY.md",
            "- [One](one.md)\n- [Two](two.md)\n",
        );
        let one = write(dir, "content/one.md", ONE);
        write(
            dir,
            "content/two.md",
            "# Two\n\n## Later\n\n[back](one.md)\n",
        );
        let (old_book, old_rendered) = built(dir);
        write(dir, "content/one.md", edited);
        let (new_book, new_rendered) = built(dir);
        // A build renders every chapter again; serve keeps the unchanged ones.
        let kept = RenderedChapters::from_stage(
            (0..new_book.chapters.len())
                .map(|i| {
                    let from = if i == 0 { &new_rendered } else { &old_rendered };
                    from.shared(i).unwrap().clone()
                })
                .collect(),
        );
        only_changed_chapters(
            RenderedBook::new(&old_book, &old_rendered),
            RenderedBook::new(&new_book, &kept),
            &[one],
        )
    }

    #[test]
    fn a_body_edit_changes_only_its_own_page() {
        let edited = ONE.replace("Body.", "A longer body, with **more** words.");
        assert_eq!(after_edit(&edited), Some(vec![0]));
    }

    #[test]
    fn what_other_pages_show_takes_the_long_way() {
        // Another title (the sidebar, prev/next), front matter, a new anchor others may link
        // to, a checklist item (progress, plan), an embedded checklist item's text.
        for edited in [
            ONE.replace("# One", "---\ntitle: Renamed\n---\n# One"),
            ONE.replace("# One", "---\ndescription: D\n---\n# One"),
            ONE.replace("## Steps", "## Steps\n\n## Another heading"),
            ONE.replace("## Steps", "## Renamed steps"),
            ONE.replace("- [ ] call {#call}", "- [ ] call {#call}\n- [ ] write"),
            ONE.replace("- [ ] call {#call}", "- [ ] phone {#call}"),
            ONE.replace("Body.", "Body <span id=\"raw\"></span>."),
        ] {
            assert_eq!(after_edit(&edited), None, "{edited}");
        }
    }

    #[test]
    fn only_chapter_files_qualify() {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        write(dir, "book.toml", "");
        write(dir, "content/SUMMARY.md", "- [One](one.md)\n");
        write(dir, "content/one.md", "# One\n");
        let image = write(dir, "content/dot.svg", "<svg/>");
        let (book, rendered) = built(dir);
        let same = RenderedBook::new(&book, &rendered);
        assert_eq!(only_changed_chapters(same, same, &[]), Some(vec![]));
        assert_eq!(only_changed_chapters(same, same, &[image]), None);
        assert_eq!(
            only_changed_chapters(same, same, &[dir.join("content/SUMMARY.md")]),
            None
        );
    }
}
