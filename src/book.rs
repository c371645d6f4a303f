//! The book model: configuration, table of contents, chapters in reading order and the
//! collections. Plain data, no I/O.

use crate::collections::Collections;
use crate::config::BookConfig;
use crate::frontmatter::FrontMatter;

#[derive(Debug, Clone)]
pub struct Book {
    pub config: BookConfig,
    pub toc: Vec<TocEntry>,
    /// Chapters with a file, in reading order.
    pub chapters: Vec<Chapter>,
    pub collections: Collections,
    /// Other files in the source folder (images...), copied as they are.
    pub static_files: Vec<StaticFile>,
    /// The book's place among its languages (one language: empty).
    pub languages: crate::languages::BookLanguages,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TocEntry {
    Part(String),
    Separator,
    Chapter {
        title: String,
        number: Option<String>,
        depth: usize,
        /// Index into `Book::chapters`; `None` for a draft.
        chapter: Option<usize>,
    },
}

#[derive(Debug, Clone)]
pub struct Chapter {
    /// The title pages show: front matter `title`, else the first `# heading`, else SUMMARY's.
    pub title: String,
    /// The title in SUMMARY.md, used in the sidebar.
    pub nav_title: String,
    pub number: Option<String>,
    pub depth: usize,
    /// Relative to the source folder, `/`-separated.
    pub source_path: String,
    /// Relative to the site root, `/`-separated.
    pub page_path: String,
    /// How diagnostics name the file (relative to the book root).
    pub shown_path: String,
    pub front_matter: FrontMatter,
    /// The whole file, and where the Markdown body starts in it. A build hands the source to its
    /// Markdown stage, which frees it once rendered (`Book::take_sources`); empty after that.
    pub source: String,
    pub body_offset: usize,
    /// The source went to a build's Markdown stage: `locate` reads the file again.
    pub source_taken: bool,
    /// mdBook: the body with `{{#include}}` and kin expanded, when it has any.
    pub expansion: Option<std::sync::Arc<crate::mdbook::links::Expansion>>,
    /// The part this chapter belongs to, if any.
    pub part: Option<String>,
}

impl Book {
    /// Each chapter's source for a build's Markdown stage to render and drop, so that the rendered
    /// Markdown takes the memory the sources free (at 50,000 chapters, 160 MB of them). A chapter
    /// keeps its own where mdBook redirect aliases may still be located in it, or its body is an
    /// expansion whose offsets map into it.
    pub(crate) fn take_sources(&mut self) -> Vec<Option<String>> {
        self.chapters
            .iter_mut()
            .map(|chapter| {
                let keep = chapter.expansion.is_some()
                    || chapter.front_matter.extra.contains_key("aliases");
                (!keep).then(|| {
                    chapter.source_taken = true;
                    std::mem::take(&mut chapter.source)
                })
            })
            .collect()
    }

    /// Frees the sources the Markdown stage did not take (its Markdown is rendered and its links
    /// checked), except where mdBook redirect aliases may still be located in them.
    pub(crate) fn release_sources(&mut self) {
        for chapter in &mut self.chapters {
            if !chapter.source_taken && !chapter.front_matter.extra.contains_key("aliases") {
                chapter.source = String::new();
                chapter.body_offset = 0;
                chapter.expansion = None;
            }
        }
    }
}

impl Chapter {
    /// The Markdown to render: the body after front matter, directives expanded (empty once the
    /// source went to a build's Markdown stage).
    pub fn body(&self) -> &str {
        match &self.expansion {
            Some(e) => &e.text,
            None => self.source.get(self.body_offset..).unwrap_or_default(),
        }
    }

    /// Where a byte range of `body()` sits in the chapter file (under `src_dir`); text that came
    /// from an include is placed at its directive. A source the Markdown stage took is read again:
    /// only a broken link or bad math is located, so that is rare.
    pub fn locate(
        &self,
        src_dir: &std::path::Path,
        range: &std::ops::Range<usize>,
    ) -> Option<crate::error::Location> {
        let start = match &self.expansion {
            Some(e) => e.original_offset(range.start),
            None => range.start,
        };
        let read_again;
        let source = if self.source_taken {
            // Read as loading read it (a byte-order mark dropped), so the offsets still fit.
            let file = src_dir.join(&self.source_path);
            read_again = crate::fs_util::read_text(&file, &self.shown_path).ok()?;
            &read_again
        } else {
            &self.source
        };
        Some(crate::markdown::link_location(
            source,
            self.body_offset,
            &(start..start + range.len()),
        ))
    }
}

#[derive(Debug, Clone)]
pub struct StaticFile {
    pub source: std::path::PathBuf,
    /// Relative to the site root.
    pub output_path: String,
}

impl Book {
    /// The case library: the first chapter rendered with the `cases.html` template.
    pub fn cases_page(&self) -> Option<&Chapter> {
        self.chapters
            .iter()
            .find(|c| c.front_matter.template.as_deref() == Some("cases.html"))
    }
}

/// The page a chapter source becomes: `a/b.md` -> `a/b.html`, `README.md`/`index.md` -> `index.html`.
pub fn page_path_for(source_path: &str) -> String {
    let (dir, file) = match source_path.rfind('/') {
        Some(i) => (&source_path[..=i], &source_path[i + 1..]),
        None => ("", source_path),
    };
    let stem = file.strip_suffix(".md").unwrap_or(file);
    if stem.eq_ignore_ascii_case("readme") || stem == "index" {
        format!("{dir}index.html")
    } else {
        format!("{dir}{stem}.html")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_paths() {
        assert_eq!(page_path_for("README.md"), "index.html");
        assert_eq!(page_path_for("part1/README.md"), "part1/index.html");
        assert_eq!(page_path_for("part1/失败 复盘.md"), "part1/失败 复盘.html");
        assert_eq!(page_path_for("a.b.md"), "a.b.html");
    }
}
