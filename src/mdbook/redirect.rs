//! Redirect pages: `[output.html.redirect]` (mdBook's) and a chapter's front-matter `aliases`.
//! Each old path gets a small page with a meta refresh, a canonical link and a visible link; a
//! short script carries the old URL's `#fragment` along, or sends it where a `"old.html#frag"`
//! entry says, as mdBook does. Every target inside the book is link-checked like a chapter link.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::book::Book;
use crate::config::{BrokenLinks, CONFIG_FILE};
use crate::error::{Diagnostic, Diagnostics};
use crate::html::escape;
use crate::render::PageAnchors;
use crate::url::is_external;

/// One page to write: its path in the site and its HTML.
pub struct RedirectPage {
    pub path: String,
    pub html: String,
}

/// What mdBook's redirects write: pages for old paths, and scripts for pages that still exist
/// but whose old `#fragments` moved (`"page.html#old" = "other.html#new"`), each to add to the
/// page at `path` before `</body>`.
#[derive(Default)]
pub struct Redirects {
    pub pages: Vec<RedirectPage>,
    pub fragment_scripts: Vec<RedirectPage>,
}

/// Old path to its default target and its fragment targets (`#old` → URL).
type Combined = BTreeMap<String, (Option<String>, BTreeMap<String, String>)>;

/// The redirect pages of the book. `pages` are the site's existing pages and `anchors` their
/// ids, for checking targets.
pub fn redirect_pages(
    book: &Book,
    pages: &HashSet<String>,
    anchors: &PageAnchors,
    policy: BrokenLinks,
) -> (Redirects, Diagnostics) {
    let toml = std::fs::read_to_string(book.config.root.join(CONFIG_FILE)).unwrap_or_default();
    let mut diagnostics = Diagnostics::default();
    let mut combined: Combined = BTreeMap::new();
    let mut origin: HashMap<String, Origin> = HashMap::new();
    add_config_redirects(book, &mut combined, &mut origin);
    add_aliases(book, &mut combined, &mut origin);

    let mut out = Redirects::default();
    for (path, (default, fragments)) in combined {
        let at = |d: Diagnostic| placed_at(d, origin.get(&path), &toml);
        let check = |target: &String, diagnostics: &mut Diagnostics| {
            if let Some(problem) = check_target(&path, target, pages, anchors) {
                let d = at(Diagnostic::error(problem).hint(
                    "redirect targets are relative to the old page's folder, or start with `/` for the book's root",
                ));
                diagnostics.push(if policy == BrokenLinks::Warn {
                    d.downgraded()
                } else {
                    d
                });
            }
        };
        if pages.contains(&path) {
            if default.is_some() {
                diagnostics.push(at(Diagnostic::error(format!(
                    "a redirect from `{path}` would replace the page built there"
                ))
                .hint("remove the redirect or the chapter")));
                continue;
            }
            // mdBook: the page stays, and sends its moved fragments on.
            for target in fragments.values() {
                check(target, &mut diagnostics);
            }
            let fragments = resolve_all(fragments, &book.config.site_path);
            out.fragment_scripts.push(RedirectPage {
                html: fragment_script(&fragments),
                path,
            });
            continue;
        }
        let Some(default) = default else {
            diagnostics.push(at(Diagnostic::error(format!(
                "the redirects from `{path}` all have `#` fragments"
            ))
            .hint(format!(
                "add an entry for `/{path}` without a fragment: where the page itself goes"
            ))));
            continue;
        };
        for target in std::iter::once(&default).chain(fragments.values()) {
            check(target, &mut diagnostics);
        }
        let url = resolve(&default, &book.config.site_path);
        let fragments = resolve_all(fragments, &book.config.site_path);
        out.pages.push(RedirectPage {
            html: page_html(&url, &fragments, &book.config.language),
            path,
        });
    }
    (out, diagnostics)
}

/// `[output.html.redirect]` entries, keyed by old path with any `#fragment` split off.
fn add_config_redirects(
    book: &Book,
    combined: &mut Combined,
    origin: &mut HashMap<String, Origin>,
) {
    for (from, to) in &book.config.mdbook.redirects {
        let (path, fragment) = match from.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (from.as_str(), None),
        };
        let path = path.trim_start_matches('/').to_string();
        let entry = combined.entry(path.clone()).or_default();
        match fragment {
            Some(f) => {
                entry.1.insert(format!("#{f}"), to.clone());
            }
            None => entry.0 = Some(to.clone()),
        }
        origin.entry(path).or_insert(Origin::Config(from.clone()));
    }
}

/// Each chapter's front-matter `aliases` (one string or a list), pointing at the chapter.
fn add_aliases(book: &Book, combined: &mut Combined, origin: &mut HashMap<String, Origin>) {
    for chapter in &book.chapters {
        let Some(aliases) = chapter.front_matter.extra.get("aliases") else {
            continue;
        };
        let list: Vec<&str> = match aliases {
            serde_json::Value::String(s) => vec![s.as_str()],
            serde_json::Value::Array(items) => items.iter().filter_map(|v| v.as_str()).collect(),
            _ => Vec::new(),
        };
        for alias in list {
            let path = alias.trim_start_matches('/').to_string();
            let path = if path.ends_with('/') || path.is_empty() {
                format!("{path}index.html")
            } else {
                path
            };
            let target = format!("/{}", chapter.page_path);
            combined.entry(path.clone()).or_default().0 = Some(target);
            let location = chapter
                .source
                .find(alias)
                .map(|at| crate::error::Location::from_offset(&chapter.source, at, alias.len()));
            origin
                .entry(path)
                .or_insert(Origin::Alias(chapter.shown_path.clone(), location));
        }
    }
}

/// Points a diagnostic at where the redirect was written: its key in book.toml or its alias.
fn placed_at(d: Diagnostic, origin: Option<&Origin>, toml: &str) -> Diagnostic {
    match origin {
        Some(Origin::Config(key)) => {
            let d = d.in_file(CONFIG_FILE);
            match toml.find(&format!("\"{key}\"")) {
                Some(offset) => d.at_offset(toml, offset + 1, key.len()),
                None => d,
            }
        }
        Some(Origin::Alias(file, location)) => match location {
            Some(l) => d.in_file(file).at(l.clone()),
            None => d.in_file(file),
        },
        None => d,
    }
}

enum Origin {
    Config(String),
    /// The chapter's file and where the alias is written in it.
    Alias(String, Option<crate::error::Location>),
}

/// A target as the browser will read it from the redirect page: absolute ones under the site
/// path, relative ones as written (relative to the old page, as mdBook writes them).
fn resolve(target: &str, site_path: &str) -> String {
    if is_external(target) {
        return target.to_string();
    }
    match target.strip_prefix('/') {
        Some(rest) => format!("{site_path}{rest}"),
        None => target.to_string(),
    }
}

fn resolve_all(fragments: BTreeMap<String, String>, site_path: &str) -> BTreeMap<String, String> {
    fragments
        .into_iter()
        .map(|(k, v)| {
            let v = resolve(&v, site_path);
            (k, v)
        })
        .collect()
}

/// JSON for an inline script: `</` cannot end the script early.
fn script_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "{}".into())
        .replace("</", "<\\/")
}

/// The script a still-existing page gets for its moved fragments, as mdBook adds it.
fn fragment_script(fragments: &BTreeMap<String, String>) -> String {
    format!(
        "<script>\n(function(){{var t={}[location.hash];if(t)location.replace(new URL(t,location.href).href);}})();\n</script>\n",
        script_json(fragments)
    )
}

/// Why a target inside the book does not exist, if it does not.
fn check_target(
    from: &str,
    target: &str,
    pages: &HashSet<String>,
    anchors: &PageAnchors,
) -> Option<String> {
    if is_external(target) {
        return None;
    }
    let (path, fragment) = match target.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (target, None),
    };
    let resolved = match path.strip_prefix('/') {
        Some(rest) => crate::fs_util::normalize_relative(rest),
        None => {
            let base = from.rfind('/').map_or("", |i| &from[..=i]);
            crate::fs_util::normalize_relative(&format!("{base}{path}"))
        }
    }?;
    let resolved = if resolved.is_empty() || resolved.ends_with('/') {
        format!("{resolved}index.html")
    } else {
        resolved
    };
    if !pages.contains(&resolved) {
        return Some(format!(
            "broken redirect: `{from}` points to `{target}`, and no page `{resolved}` is built"
        ));
    }
    let fragment = fragment.filter(|f| !f.is_empty())?;
    let ids = anchors.get(resolved.as_str())?;
    (!ids.contains(fragment)).then(|| {
        format!("broken redirect: `{from}` points to `{target}`, and `{resolved}` has no anchor `#{fragment}`")
    })
}

fn page_html(url: &str, fragments: &BTreeMap<String, String>, lang: &str) -> String {
    let url_attr = escape(url);
    let map = script_json(fragments);
    let url_js = script_json(&url);
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>Redirecting…</title>\n<meta http-equiv=\"refresh\" content=\"0; URL={url_attr}\">\n<link rel=\"canonical\" href=\"{url_attr}\">\n<meta name=\"robots\" content=\"noindex\">\n</head>\n<body>\n<p>This page has moved to <a href=\"{url_attr}\">{url_attr}</a>.</p>\n<script>\n(function(){{var map={map},hash=location.hash;if(!hash)return;var t=map[hash],u=new URL(t||{url_js},location.href);if(!t)u.hash=hash;location.replace(u.href);}})();\n</script>\n</body>\n</html>\n",
        lang = escape(lang)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_checked_relative_to_the_old_page() {
        let pages: HashSet<String> =
            ["guide/new.html".to_string(), "index.html".to_string()].into();
        let mut anchors = PageAnchors::default();
        anchors.insert(
            "guide/new.html",
            [std::borrow::Cow::Borrowed("part")].into_iter().collect(),
        );
        assert_eq!(
            check_target("guide/old.html", "new.html#part", &pages, &anchors),
            None
        );
        assert_eq!(
            check_target("old/x.html", "/guide/new.html", &pages, &anchors),
            None
        );
        assert_eq!(
            check_target("a.html", "https://example.org/", &pages, &anchors),
            None
        );
        assert!(
            check_target("guide/old.html", "new.html#nope", &pages, &anchors)
                .unwrap()
                .contains("no anchor `#nope`")
        );
        assert!(
            check_target("old.html", "gone.html", &pages, &anchors)
                .unwrap()
                .contains("no page `gone.html`")
        );
    }

    #[test]
    fn the_page_refreshes_links_and_keeps_fragments() {
        let mut fragments = BTreeMap::new();
        fragments.insert("#old".to_string(), "other.html#new".to_string());
        let html = page_html("new.html", &fragments, "en");
        assert!(html.contains("<meta http-equiv=\"refresh\" content=\"0; URL=new.html\">"));
        assert!(html.contains("<link rel=\"canonical\" href=\"new.html\">"));
        assert!(html.contains("<a href=\"new.html\">new.html</a>"));
        assert!(html.contains("{\"#old\":\"other.html#new\"}"));
        let script = fragment_script(&fragments);
        assert!(
            script.contains("var t={\"#old\":\"other.html#new\"}[location.hash]"),
            "{script}"
        );
    }
}
