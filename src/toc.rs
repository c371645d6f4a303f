//! The book's table of contents as HTML, written once and shared: the sidebar (through the
//! manifest script, so pages stay small however long the book is) and the landing page.

use std::fmt::Write;

use crate::book::{Chapter, TocEntry};
use crate::markdown::escape;
use crate::url::{ROOT_MARKER, encode_path};

pub fn toc_html(toc: &[TocEntry], chapters: &[Chapter]) -> String {
    let mut html = String::from("<ol class=\"toc\">");
    let mut depth = 0usize;
    let mut open_item = false;
    for entry in toc {
        let entry_depth = match entry {
            TocEntry::Chapter { depth, .. } => *depth,
            _ => 0,
        };
        // Close deeper levels, or open a nested list under the previous chapter.
        while depth > entry_depth {
            html.push_str("</li></ol>");
            depth -= 1;
        }
        if entry_depth > depth && open_item {
            while depth < entry_depth {
                html.push_str("<ol>");
                depth += 1;
            }
        } else if open_item {
            html.push_str("</li>");
        }
        open_item = false;
        match entry {
            TocEntry::Part(title) => {
                let _ = write!(html, "<li class=\"toc-part\">{}</li>", escape(title));
            }
            TocEntry::Separator => {
                html.push_str("<li class=\"toc-separator\" aria-hidden=\"true\"></li>")
            }
            TocEntry::Chapter {
                title,
                number,
                chapter,
                ..
            } => {
                let num = number
                    .as_ref()
                    .map(|n| format!("<span class=\"num\">{n}.</span> "))
                    .unwrap_or_default();
                match chapter {
                    Some(i) => {
                        let path = &chapters[*i].page_path;
                        let _ = write!(
                            html,
                            "<li class=\"toc-chapter\"><a href=\"{ROOT_MARKER}{}\">{num}{}</a>",
                            encode_path(path),
                            escape(title)
                        );
                    }
                    None => {
                        let _ = write!(
                            html,
                            "<li class=\"toc-chapter draft\"><span>{num}{}</span>",
                            escape(title)
                        );
                    }
                }
                open_item = true;
            }
        }
    }
    if open_item {
        html.push_str("</li>");
    }
    while depth > 0 {
        html.push_str("</ol></li>");
        depth -= 1;
    }
    html.push_str("</ol>");
    html
}
