//! Link checking over every rendered page at once: missing chapters and missing `#anchors`, all
//! reported together, as errors or (when the book says so) as warnings.

use rayon::prelude::*;

use crate::config::BrokenLinks;
use crate::error::{Diagnostic, Diagnostics};
use crate::render::PageAnchors;
use crate::rendered::RenderedChapter;

/// `anchors` maps every page path to the ids it contains. Chapters are checked in parallel, their
/// problems reported in chapter order.
pub(crate) fn check_links(
    src_dir: &std::path::Path,
    chapters: &[RenderedChapter],
    anchors: &PageAnchors,
    policy: BrokenLinks,
) -> Diagnostics {
    let per_chapter: Vec<Vec<Diagnostic>> = chapters
        .par_iter()
        .map(|this| chapter_problems(src_dir, this, anchors, policy))
        .collect();
    let mut found = Diagnostics::default();
    for d in per_chapter.into_iter().flatten() {
        found.push(d);
    }
    found
}

fn chapter_problems(
    src_dir: &std::path::Path,
    this: &RenderedChapter,
    anchors: &PageAnchors,
    policy: BrokenLinks,
) -> Vec<Diagnostic> {
    let chapter = this.chapter;
    let mut found = Vec::new();
    for link in &this.rendered.links {
        let diagnostic = match &link.target {
            Err(source) => Some(
                Diagnostic::error(format!("broken link: no chapter is built from `{source}`"))
                    .hint("fix the path, or add the chapter to SUMMARY.md"),
            ),
            Ok(page) => link.fragment.as_ref().filter(|f| !f.is_empty()).and_then(|fragment| {
                let ids = anchors.get(page.as_str())?;
                (!ids.contains(fragment.as_str())).then(|| {
                    let mut d = Diagnostic::error(format!("broken link: `{page}` has no anchor `#{fragment}`"));
                    let mut candidates: Vec<&str> = ids.iter().map(|id| id.as_ref()).collect();
                    // Sets have no order; the suggestion must not depend on it.
                    candidates.sort_unstable();
                    d = match crate::error::did_you_mean(fragment, candidates) {
                        Some(s) => d.hint(format!("did you mean `#{s}`?")),
                        None => d.hint("anchors are heading ids: the heading text with spaces as `-`, lower-cased, punctuation removed"),
                    };
                    d
                })
            }),
        };
        if let Some(d) = diagnostic {
            // Located only when broken: most links are fine, and locating costs a scan.
            let mut d = d.in_file(&chapter.shown_path);
            if let Some(location) = chapter.locate(src_dir, &link.range) {
                d = d.at(location);
            }
            found.push(if policy == BrokenLinks::Warn {
                d.downgraded()
            } else {
                d
            });
        }
    }
    found
}
