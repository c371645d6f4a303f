//! Front matter + Markdown + SUMMARY.md + worksheet YAML parsing must never panic, whatever the input.
#![no_main]

use std::collections::HashMap;

use guidebook::collections::Collections;
use guidebook::i18n::Lang;
use guidebook::markdown::{MarkdownContext, render};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = guidebook::summary::parse(text, "SUMMARY.md");
    let _ = guidebook::collections::worksheet::parse(text, "w.yaml", "w");
    let _ = guidebook::collections::checklist::parse(text, "c.yaml", "c");
    if let Ok(split) = guidebook::frontmatter::split(text, "chapter.md") {
        let pages: HashMap<String, String> = [("a/b.md".to_string(), "a/b.html".to_string())].into();
        let collections = Collections::default();
        let ctx = MarkdownContext {
            page_path: "a/b.html",
            source_path: "a/b.md",
            pages: &pages,
            collections: &collections,
            cases_page: None,
            smart_punctuation: true,
            lang: Lang::Zh,
            code: &guidebook::markdown::code::CodeOptions::default(),
            mathjax: false,
        };
        let rendered = render(split.body, &ctx);
        for link in &rendered.links {
            let _ = guidebook::markdown::link_location(text, split.body_offset, &link.range);
        }
    }
});
