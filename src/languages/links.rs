//! What a page shows of the other languages: the switcher's links (to the counterpart, or to that
//! language's landing page when there is none) and the `<link rel="alternate" hreflang>` list.

use serde::Serialize;

use super::BookLanguages;
use crate::url::encode_path;

/// One language in the switcher.
#[derive(Debug, Serialize, PartialEq)]
pub struct LanguageLink {
    pub code: String,
    pub name: String,
    pub href: String,
    /// The language of this page.
    pub current: bool,
    /// The link goes to this page's counterpart (else to the language's landing page).
    pub translated: bool,
}

/// One `<link rel="alternate" hreflang="…" href="…">`.
#[derive(Debug, Serialize, PartialEq)]
pub struct AlternateLink {
    pub hreflang: String,
    pub href: String,
}

/// The switcher and the alternates of one page; both empty in a book with one language.
#[derive(Debug, Default, Serialize)]
pub struct PageLanguages {
    pub switcher: Vec<LanguageLink>,
    pub alternates: Vec<AlternateLink>,
}

impl BookLanguages {
    /// From this language's root up to the site's: `"../"` for `en/`.
    pub fn up_to_site_root(&self) -> String {
        "../".repeat(self.prefix().matches('/').count())
    }

    /// The languages of the page at `path`; `to_site_root` leads from the page to the site's root
    /// (relative, or the absolute site path on the 404 page).
    pub fn page_links(&self, path: &str, to_site_root: &str) -> PageLanguages {
        if !self.is_multilingual() {
            return PageLanguages::default();
        }
        let languages = &self.set.languages;
        let key = languages[self.current].keys.get(path);
        let target = |j: usize| key.and_then(|k| languages[j].pages.get(k));
        let switcher = languages
            .iter()
            .enumerate()
            .map(|(j, language)| {
                let page = target(j);
                LanguageLink {
                    code: language.code.clone(),
                    name: language.name.clone(),
                    href: format!(
                        "{to_site_root}{}{}",
                        language.prefix,
                        encode_path(page.map_or("index.html", String::as_str))
                    ),
                    current: j == self.current,
                    translated: page.is_some(),
                }
            })
            .collect();
        let translated = (0..languages.len())
            .filter(|&j| target(j).is_some())
            .count();
        let mut alternates = Vec::new();
        // Alternates name real counterparts only, this page included, as search engines ask.
        if translated > 1 {
            let href = |j: usize, page: &str| match &self.set.site_url {
                Some(base) => {
                    let page = if page == "index.html" { "" } else { page };
                    format!("{base}{}{}", languages[j].prefix, encode_path(page))
                }
                None => format!("{to_site_root}{}{}", languages[j].prefix, encode_path(page)),
            };
            for (j, language) in languages.iter().enumerate() {
                if let Some(page) = target(j) {
                    alternates.push(AlternateLink {
                        hreflang: language.code.clone(),
                        href: href(j, page),
                    });
                }
            }
            if let Some(page) = target(0) {
                alternates.push(AlternateLink {
                    hreflang: "x-default".into(),
                    href: href(0, page),
                });
            }
        }
        PageLanguages {
            switcher,
            alternates,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::Arc;

    use super::*;
    use crate::languages::{LanguageEntry, LanguageSet};

    fn entry(code: &str, prefix: &str, pages: &[(&str, &str)]) -> LanguageEntry {
        LanguageEntry {
            code: code.into(),
            name: code.to_uppercase(),
            prefix: prefix.into(),
            pages: pages
                .iter()
                .map(|(k, p)| (k.to_string(), p.to_string()))
                .collect(),
            keys: pages
                .iter()
                .map(|(k, p)| (p.to_string(), k.to_string()))
                .collect::<HashMap<_, _>>(),
            sitemap: Vec::new(),
        }
    }

    fn languages(current: usize) -> BookLanguages {
        let set = LanguageSet {
            languages: vec![
                entry(
                    "zh-CN",
                    "",
                    &[("a.html", "a.html"), ("only.html", "only.html")],
                ),
                entry("en", "en/", &[("a.html", "b.html")]),
            ],
            site_url: None,
        };
        BookLanguages {
            set: Arc::new(set),
            current,
        }
    }

    #[test]
    fn the_switcher_goes_to_the_counterpart_or_the_landing_page() {
        let zh = languages(0);
        let links = zh.page_links("a.html", "");
        assert_eq!(links.switcher[1].href, "en/b.html");
        assert!(links.switcher[0].current && links.switcher[1].translated);
        let hrefs: Vec<_> = links
            .alternates
            .iter()
            .map(|a| (a.hreflang.as_str(), a.href.as_str()))
            .collect();
        assert_eq!(
            hrefs,
            [
                ("zh-CN", "a.html"),
                ("en", "en/b.html"),
                ("x-default", "a.html")
            ]
        );
        let lonely = zh.page_links("only.html", "");
        assert_eq!(lonely.switcher[1].href, "en/index.html");
        assert!(!lonely.switcher[1].translated);
        assert!(
            lonely.alternates.is_empty(),
            "no counterpart, no alternates"
        );
        let en = languages(1);
        assert_eq!(en.up_to_site_root(), "../");
        assert_eq!(en.page_links("b.html", "../").switcher[0].href, "../a.html");
    }
}
