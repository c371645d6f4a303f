//! Front matter + Markdown + SUMMARY.md + worksheet YAML parsing must never panic, whatever the input.
#![no_main]

use std::collections::HashMap;

use guidebook::collections::Collections;
use guidebook::markdown::{MarkdownContext, render};
use guidebook::partials::Partials;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = guidebook::summary::parse(text, "SUMMARY.md");
    let _ = guidebook::collections::worksheet::parse(text, "w.yaml", "w");
    let _ = guidebook::collections::checklist::parse(text, "c.yaml", "c");
    if let Ok(split) = guidebook::frontmatter::split(text, "chapter.md") {
        let pages: HashMap<String, String> = [("a/b.md".to_string(), "a/b.html".to_string())].into();
        let collections = Collections::default();
        // The default theme, loaded once: its partials render embeds, alerts and headings.
        static THEME: std::sync::OnceLock<guidebook::theme::Theme> = std::sync::OnceLock::new();
        let theme = THEME.get_or_init(|| {
            guidebook::theme::load(None, std::path::Path::new(".")).expect("default theme")
        });
        let partials = Partials::new(theme, "zh-CN");
        let ctx = MarkdownContext {
            page_path: "a/b.html",
            scope_path: "a/b.html",
            source_path: "a/b.md",
            pages: &pages,
            collections: &collections,
            cases_page: None,
            smart_punctuation: true,
            partials: &partials,
            lang: guidebook::i18n::Lang::Zh,
            code: &guidebook::markdown::code::CodeOptions::default(),
            mathjax: false,
        };
        let Ok(rendered) = render(split.body, &ctx) else { return };
        for link in &rendered.links {
            let _ = guidebook::markdown::link_location(text, split.body_offset, &link.range);
        }
    }
});
