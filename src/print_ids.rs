//! print.html holds every chapter on one page, so ids that are unique within a chapter (`ck-1`,
//! `本章要点`, `ws-map`) repeat across chapters. Each chapter's ids get its anchor as a prefix, and
//! every reference to them (`for`, `aria-*`, `href="#…"`, links to other chapters) follows, so a
//! label ticks its own chapter's box and every link stays inside print.html.

use crate::hash::{FastMap, FastSet};
use std::ops::Range;

use crate::url::ROOT_MARKER;

/// Attributes whose values are (space-separated) element ids.
const ID_ATTRIBUTES: [&str; 7] = [
    "id",
    "for",
    "aria-labelledby",
    "aria-describedby",
    "aria-controls",
    "headers",
    "list",
];

/// The chapters of print.html: page path → anchor, and every id print.html will hold (by hash:
/// a large book has millions, and a link is only ever looked up).
pub struct PrintTargets {
    pub anchors: FastMap<String, String>,
    ids: FastSet<u64>,
}

/// The hash of an anchor and an id, made without building `{anchor}--{id}` (a lookup per link;
/// eight bytes at a time, where FNV's byte at a time was most of building the targets).
fn id_key(anchor: &str, id: &str) -> u64 {
    crate::hash::hash_strs(&[anchor, id])
}

impl PrintTargets {
    /// `chapters` are (page path, anchor, the ids of the chapter's HTML).
    pub fn new<'a, I: IntoIterator<Item = &'a str>>(
        chapters: impl IntoIterator<Item = (&'a str, String, I)>,
    ) -> PrintTargets {
        let mut anchors = FastMap::default();
        let mut ids = FastSet::default();
        for (page, anchor, chapter_ids) in chapters {
            ids.extend(chapter_ids.into_iter().map(|id| id_key(&anchor, id)));
            anchors.insert(page.to_string(), anchor);
        }
        PrintTargets { anchors, ids }
    }
}

/// Every element `id` in `html`, as written.
pub fn element_ids(html: &str) -> Vec<&str> {
    let mut ids = Vec::new();
    visit_attributes(html, |name, value| {
        if name == "id" {
            ids.push(value);
        }
    });
    ids
}

/// Rewrites one chapter's HTML for print.html: its ids are prefixed with `prefix--`, and links to
/// chapters point inside the page (a link to an id print.html lacks keeps its page).
pub fn scope_chapter(html: &str, prefix: &str, targets: &PrintTargets) -> String {
    rewrite_attributes(html, |name, value, out| {
        if ID_ATTRIBUTES.contains(&name) {
            for (i, id) in value.split(' ').enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                if !id.is_empty() {
                    out.push_str(prefix);
                    out.push_str("--");
                    out.push_str(id);
                }
            }
            true
        } else if name == "href" {
            if let Some(fragment) = value.strip_prefix('#') {
                out.push('#');
                out.push_str(prefix);
                out.push_str("--");
                out.push_str(fragment);
                true
            } else {
                push_link_into_print(value, targets, out)
            }
        } else {
            false
        }
    })
}

/// Rewrites links to chapters (in the table of contents) to their anchors in print.html.
pub fn links_into_print(html: &str, targets: &PrintTargets) -> String {
    rewrite_attributes(html, |name, value, out| {
        name == "href" && push_link_into_print(value, targets, out)
    })
}

/// Appends `href` as it points inside print.html; false (nothing appended) where it does not.
fn push_link_into_print(href: &str, targets: &PrintTargets, out: &mut String) -> bool {
    match link_into_print(href, targets) {
        Some(link) => {
            out.push_str(&link);
            true
        }
        None => false,
    }
}

fn link_into_print(href: &str, targets: &PrintTargets) -> Option<String> {
    let path = href.strip_prefix(ROOT_MARKER)?;
    let (page, fragment) = match path.split_once('#') {
        Some((page, fragment)) => (page, Some(fragment)),
        None => (path, None),
    };
    let page = percent_encoding::percent_decode_str(page)
        .decode_utf8()
        .ok()?;
    let anchor = targets.anchors.get(page.as_ref())?;
    match fragment {
        Some(fragment) => {
            let id = percent_encoding::percent_decode_str(fragment)
                .decode_utf8()
                .ok()?;
            targets
                .ids
                .contains(&id_key(anchor, &id))
                .then(|| format!("#{anchor}--{fragment}"))
        }
        None => Some(format!("#{anchor}")),
    }
}

/// Calls `look(name, value)` for every attribute, copying nothing.
fn visit_attributes<'a>(html: &'a str, mut look: impl FnMut(&str, &'a str)) {
    for_each_attribute(html, |name, value| look(name, &html[value]));
}

/// Calls `change(name, value, out)` for every attribute: where it returns true it has appended
/// the new value to `out`, in place of the old one.
fn rewrite_attributes(
    html: &str,
    mut change: impl FnMut(&str, &str, &mut String) -> bool,
) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut copied = 0;
    for_each_attribute(html, |name, value| {
        out.push_str(&html[copied..value.start]);
        copied = if change(name, &html[value.clone()], &mut out) {
            value.end
        } else {
            value.start
        };
    });
    out.push_str(&html[copied..]);
    out
}

/// Every `name="value"` attribute preceded by white space, as its name and its value's byte
/// range. Our HTML escapes `"` in text, so `="` only occurs inside tags.
fn for_each_attribute(html: &str, mut visit: impl FnMut(&str, Range<usize>)) {
    static EQ_QUOTE: std::sync::OnceLock<memchr::memmem::Finder<'static>> =
        std::sync::OnceLock::new();
    // One searcher for every page: `str::find` built one per call (print.html calls it for each
    // attribute of the whole book).
    let eq_quote = EQ_QUOTE.get_or_init(|| memchr::memmem::Finder::new("=\""));
    let mut at = 0;
    while let Some(found) = eq_quote.find(&html.as_bytes()[at..]) {
        let eq = at + found;
        let before = &html[at..eq];
        let name_start = before
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .map_or(0, |i| i + 1);
        let preceded_by_space = before[..name_start]
            .chars()
            .next_back()
            .is_some_and(char::is_whitespace);
        let value_start = eq + 2;
        let Some(value_len) = html[value_start..].find('"') else {
            break;
        };
        if preceded_by_space {
            visit(&before[name_start..], value_start..value_start + value_len);
        }
        at = value_start + value_len + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anchors() -> PrintTargets {
        PrintTargets::new([
            (
                "part1/one.html",
                "print-one".to_string(),
                element_ids(r#"<h2 id="归因">"#),
            ),
            ("第二 章.html", "print-two".to_string(), Vec::new()),
        ])
    }

    #[test]
    fn ids_and_their_references_get_the_chapter_prefix() {
        let html = r##"<h2 id="本章要点"><a class="anchor" href="#本章要点">x</a></h2>
<input type="checkbox" id="ck-1" data-item="a"><label for="ck-1">A</label>
<form aria-labelledby="ws-map-title ws-map-help" data-id="keep"></form>"##;
        let out = scope_chapter(html, "print-one", &anchors());
        assert_eq!(
            out,
            r##"<h2 id="print-one--本章要点"><a class="anchor" href="#print-one--本章要点">x</a></h2>
<input type="checkbox" id="print-one--ck-1" data-item="a"><label for="print-one--ck-1">A</label>
<form aria-labelledby="print-one--ws-map-title print-one--ws-map-help" data-id="keep"></form>"##
        );
    }

    #[test]
    fn links_to_chapters_point_inside_the_print_page() {
        let html = format!(
            r##"<a href="{ROOT_MARKER}part1/one.html#归因">a</a> <a href="{ROOT_MARKER}part1/one.html#gone">g</a> <a href="{ROOT_MARKER}%E7%AC%AC%E4%BA%8C%20%E7%AB%A0.html">b</a> <a href="{ROOT_MARKER}worksheets/map.html">c</a> <a href="https://x.org/">d</a>"##
        );
        assert_eq!(
            links_into_print(&html, &anchors()),
            format!(
                r##"<a href="#print-one--归因">a</a> <a href="{ROOT_MARKER}part1/one.html#gone">g</a> <a href="#print-two">b</a> <a href="{ROOT_MARKER}worksheets/map.html">c</a> <a href="https://x.org/">d</a>"##
            )
        );
    }

    #[test]
    fn text_that_looks_like_an_attribute_is_left_alone() {
        let html = r#"<p title="a id=">x</p><code>paid="1"</code>"#;
        assert_eq!(scope_chapter(html, "p", &anchors()), html);
    }
}
