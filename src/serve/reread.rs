//! Loading a book again after its chapters were edited, without reading the whole source folder:
//! when every changed path is an existing chapter or copied file, only the changed chapters are
//! read. Anything else (SUMMARY.md, a new, deleted or renamed file) takes `load::load_book`.

use std::path::PathBuf;

use crate::book::Book;
use crate::config::BookConfig;
use crate::error::Diagnostics;
use crate::fs_util::relative_slash_path;
use crate::load::SUMMARY_FILE;

/// The book with `changed` chapters read again, or `None` when the change needs a full load.
/// `previous` must have loaded without errors; the configuration is the one just read.
pub(crate) fn reread_chapters(
    previous: &Book,
    config: BookConfig,
    changed: &[PathBuf],
) -> Option<Result<Book, Diagnostics>> {
    let src = &previous.config.src_dir;
    if config.src_dir != *src {
        return None;
    }
    let mut chapters = Vec::new();
    for path in changed {
        if !path.starts_with(src) {
            return None;
        }
        let rel = relative_slash_path(path, src);
        if rel == SUMMARY_FILE || !path.is_file() {
            return None;
        }
        // mdBook includes: a change to an included file is a change of every chapter including it.
        let includers: Vec<usize> = previous
            .chapters
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                c.expansion
                    .as_ref()
                    .is_some_and(|e| e.included.contains(path))
            })
            .map(|(i, _)| i)
            .collect();
        if !includers.is_empty() {
            for i in includers {
                chapters.push((i, src.join(&previous.chapters[i].source_path)));
            }
            if previous.chapters.iter().all(|c| c.source_path != rel) {
                continue;
            }
        }
        match previous.chapters.iter().position(|c| c.source_path == rel) {
            Some(i) => chapters.push((i, path.clone())),
            None if previous.static_files.iter().any(|f| f.output_path == rel) => {}
            None => return None,
        }
    }
    let mut book = Book {
        config,
        ..previous.clone()
    };
    let mut errors = Diagnostics::default();
    chapters.sort();
    chapters.dedup();
    for (i, path) in chapters {
        let chapter = &mut book.chapters[i];
        // As `load::load_book` reads a chapter; a test compares the two.
        match crate::load::read_chapter_contents(&path, &chapter.shown_path, &chapter.nav_title) {
            Ok(read) => {
                chapter.title = read.title;
                chapter.front_matter = read.front_matter;
                chapter.body_offset = read.body_offset;
                chapter.source = read.source;
                chapter.expansion = read.expansion;
            }
            Err(e) => errors.extend(e),
        }
    }
    Some(if errors.has_errors() {
        Err(errors)
    } else {
        Ok(book)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs_util::write_test_file as write;
    use std::path::Path;

    fn book_in(dir: &Path) -> Book {
        let (config, _) = crate::config::load(dir).unwrap();
        crate::load::load_book(config).unwrap().0
    }

    #[test]
    fn a_changed_include_target_rereads_the_chapters_including_it() {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        write(dir, "book.toml", "[book]\ntitle = \"T\"\nsrc = \"src\"\n");
        write(dir, "src/SUMMARY.md", "- [A](a.md)\n- [B](b.md)\n");
        write(dir, "src/a.md", "# A\n\n{{#include code/x.rs}}\n");
        write(dir, "src/b.md", "# B\n");
        let listing = write(dir, "src/code/x.rs", "old\n");
        let before = book_in(dir);
        write(dir, "src/code/x.rs", "new\n");
        let (config, _) = crate::config::load(dir).unwrap();
        let fast = reread_chapters(&before, config, &[listing])
            .expect("a fast path")
            .unwrap();
        assert!(
            fast.chapters[0].body().contains("new"),
            "{}",
            fast.chapters[0].body()
        );
        assert_eq!(format!("{fast:?}"), format!("{:?}", book_in(dir)));
    }

    #[test]
    fn reads_changed_chapters_as_a_full_load_does() {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        write(dir, "book.toml", "[book]\ntitle = \"T\"\n");
        write(
            dir,
            "content/SUMMARY.md",
            "[Intro](README.md)\n\n- [One](a/one.md)\n- [Two](two.md)\n",
        );
        write(dir, "content/README.md", "# Intro\n");
        let one = write(dir, "content/a/one.md", "# One\n\nBody.\n");
        write(dir, "content/two.md", "# Two\n");
        let image = write(dir, "content/dot.svg", "<svg/>");
        let before = book_in(dir);

        write(
            dir,
            "content/a/one.md",
            "---\ntitle: Renamed\ndescription: D\n---\n# One\n\nNew body.\n",
        );
        let (config, _) = crate::config::load(dir).unwrap();
        let fast = reread_chapters(&before, config, &[one.clone(), image])
            .expect("a fast path")
            .unwrap();
        assert_eq!(fast.chapters[1].title, "Renamed");
        assert_eq!(format!("{fast:?}"), format!("{:?}", book_in(dir)));

        // Front matter errors are the full load's errors.
        write(dir, "content/a/one.md", "---\ntitle: [x\n---\n# One\n");
        let (config, _) = crate::config::load(dir).unwrap();
        let error = reread_chapters(&before, config, std::slice::from_ref(&one))
            .unwrap()
            .unwrap_err();
        let (config, _) = crate::config::load(dir).unwrap();
        assert_eq!(error, crate::load::load_book(config).unwrap_err());
    }

    #[test]
    fn other_changes_need_a_full_load() {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        write(dir, "book.toml", "");
        let summary = write(dir, "content/SUMMARY.md", "- [One](one.md)\n");
        let one = write(dir, "content/one.md", "# One\n");
        let book = book_in(dir);
        let config = || crate::config::load(dir).unwrap().0;
        let new_file = write(dir, "content/new.png", "x");
        let unlisted = write(dir, "content/unlisted.md", "x");
        assert!(reread_chapters(&book, config(), &[summary]).is_none());
        assert!(reread_chapters(&book, config(), &[new_file]).is_none());
        assert!(reread_chapters(&book, config(), &[unlisted]).is_none());
        assert!(reread_chapters(&book, config(), &[dir.join("content")]).is_none());
        std::fs::remove_file(&one).unwrap();
        assert!(reread_chapters(&book, config(), &[one]).is_none());
    }
}
