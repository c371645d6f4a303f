//! Search that loads only what a query needs, as Pagefind does, from `file://` too: a small entry
//! script (`assets/search-HASH.js`, `window.GUIDEBOOK_SEARCH`) lists the shards of an inverted
//! index; each shard (`search/HASH/tN.js`) holds a sorted range of terms with their postings, and
//! each fragment (`search/HASH/fN.js`) the text of the sections of several consecutive pages, for
//! excerpts. The browser loads the shards of a query's terms, ranks, then loads the fragments of
//! the results it shows.
//! Every file is a script that hands its data to `guidebook.search.receive`, as `fetch` does not
//! work from `file://`.

mod docs;
mod fragments;
mod index;
mod json;
mod postings;
mod scoring;
pub(crate) mod synonyms;
pub(crate) mod tokens;

use rayon::prelude::*;
use serde_json::json;

use crate::error::Diagnostic;
use crate::i18n::Lang;
use crate::output::OutputSink;
use crate::rendered::RenderedBook;

pub(crate) use docs::{TextFacts, collect_docs};
pub(crate) use index::{IndexLimits, build_index};
pub(crate) use tokens::compact_text;

/// Whether a site path belongs to the search files (the entry script or a shard or fragment).
pub fn is_search_file(path: &str) -> bool {
    path.starts_with("search/") || (path.starts_with("assets/search") && path.ends_with(".js"))
}

/// Builds the search index of a book and writes its files into `sink`, each fragment as it is
/// made; returns the entry script's root-relative path, which the manifest names, with what
/// `beside` returned: it runs with that path while the index is built (a build's page stage,
/// whose pages link the entry script). With `hashed`, names change with content
/// (cache-busting): they are a hash of what the index is made from (`index::inputs_hash`), known
/// before it is built, so no text is read for it. Without, they are stable (`serve`), so pages
/// need not change when only the index does.
pub(crate) fn write_search_files<R: Send>(
    rendered: RenderedBook,
    hashed: bool,
    sink: &dyn OutputSink,
    beside: impl FnOnce(&str) -> R + Send,
) -> Result<(String, R), Diagnostic> {
    let book = rendered.book;
    let (pages, docs) = collect_docs(rendered);
    let lang = Lang::from_code(&book.config.language);
    let synonyms = synonyms::table(lang, &book.config.search_synonyms);
    let toolbox = book
        .chapters
        .iter()
        .find(|c| c.front_matter.template.as_deref() == Some("toolbox.html"))
        .map(|c| c.page_path.as_str());
    let (folder, entry_path) = if hashed {
        let synonyms_json = serde_json::to_string(&synonyms).unwrap_or_default();
        let also = [synonyms_json.as_str(), toolbox.unwrap_or_default()];
        let hash = index::inputs_hash(&pages, &docs, IndexLimits::default(), &also);
        let hash = format!("{hash:016x}");
        // Two slices of the one hash: the folder and the entry script change together.
        (
            format!("search/{}/", &hash[..10]),
            format!("assets/search-{}.js", &hash[6..16]),
        )
    } else {
        ("search/".to_string(), "assets/search.js".to_string())
    };
    let files = SearchFiles {
        pages: &pages,
        docs: &docs,
        folder: &folder,
        entry_path: &entry_path,
        synonyms: &synonyms,
        toolbox,
    };
    let (written, besides) = rayon::join(|| files.write(sink), || beside(&entry_path));
    written?;
    Ok((entry_path, besides))
}

/// What the search files are made from, and where they go.
struct SearchFiles<'a> {
    pages: &'a [docs::SearchPage],
    docs: &'a [docs::SearchDoc<'a>],
    folder: &'a str,
    entry_path: &'a str,
    synonyms: &'a std::collections::BTreeMap<String, Vec<String>>,
    toolbox: Option<&'a str>,
}

impl SearchFiles<'_> {
    /// Builds the index and writes the entry script, shards and fragments.
    fn write(&self, sink: &dyn OutputSink) -> Result<(), Diagnostic> {
        let SearchFiles {
            pages,
            docs,
            folder,
            entry_path,
            synonyms,
            toolbox,
        } = *self;
        // Each fragment is written as soon as its texts are read back for scoring.
        let write_fragment = |i: usize, docs: &[docs::SearchDoc]| {
            let name = format!("f{i}");
            let capacity = fragments::json_len(pages, docs) + 64;
            let script = receive_call_with(&name, capacity, |out| {
                fragments::push_fragment_json(out, pages, docs)
            });
            sink.write(&format!("{folder}{name}.js"), script)
        };
        let index = build_index(pages, docs, IndexLimits::default(), &write_fragment)?;
        let entry = json!({
            "v": 2,
            "base": folder,
            "docs": index.doc_count,
            "shards": index.shard_starts,
            "synonyms": synonyms,
            "toolbox": toolbox,
        });
        let entry_js = script_assignment("GUIDEBOOK_SEARCH", &entry.to_string());
        sink.write(entry_path, entry_js.into_bytes())?;
        index
            .shards
            .par_iter()
            .enumerate()
            .try_for_each(|(i, body)| {
                let name = format!("t{i}");
                sink.write(&format!("{folder}{name}.js"), receive_call(&name, body))
            })
    }
}

fn script_assignment(global: &str, json: &str) -> String {
    // `</script>` inside a string must not end an inline script if a theme ever inlines this.
    format!("window.{global}={};\n", json.replace("</", "<\\/"))
}

/// A shard's or fragment's script. Their JSON comes from `json::push_string`, which already
/// writes `</` as `<\/`.
fn receive_call(name: &str, json: &str) -> Vec<u8> {
    receive_call_with(name, json.len(), |out| out.push_str(json))
}

/// The script of a file whose JSON `push_json` appends, made in one buffer.
fn receive_call_with(name: &str, capacity: usize, push_json: impl FnOnce(&mut String)) -> Vec<u8> {
    let mut out = String::with_capacity(capacity + name.len() + 40);
    out.push_str("window.guidebook.search.receive(\"");
    out.push_str(name);
    out.push_str("\",");
    push_json(&mut out);
    out.push_str(");\n");
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_files_escape_closing_tags() {
        let mut json = String::new();
        json::push_string(&mut json, "a</script>");
        assert_eq!(
            String::from_utf8(receive_call("f0", &json)).unwrap(),
            "window.guidebook.search.receive(\"f0\",\"a<\\/script>\");\n"
        );
        assert_eq!(
            script_assignment("X", "{\"a\":\"</b>\"}"),
            "window.X={\"a\":\"<\\/b>\"};\n"
        );
    }

    #[test]
    fn search_files_are_recognised() {
        assert!(is_search_file("search/ab12/t3.js"));
        assert!(is_search_file("assets/search-0123456789.js"));
        assert!(!is_search_file("assets/guidebook-search-0123456789.js"));
        assert!(!is_search_file("part1/search.html"));
    }
}
