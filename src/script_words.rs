//! The scripts' words, split by who uses them: the words only an on-demand module uses (search,
//! export and import, the plan) travel in that module's file instead of in the manifest every
//! page loads. A word is the module's when its source names it (`'key'` or `"key"`) and no script
//! loaded on every page does; any other word, named by no file or built at run time, stays in the
//! manifest, so nothing a script looks up goes missing.

use std::collections::BTreeMap;

/// Theme scripts loaded on demand, each with its words put in front of it.
pub fn is_module(name: &str) -> bool {
    name.starts_with("guidebook-") && name.ends_with(".js") && name != "guidebook-sidebar.js"
}

pub struct ScriptWords {
    /// The manifest's words.
    pub shared: BTreeMap<String, String>,
    /// Module file name → the words only it uses.
    pub modules: BTreeMap<String, BTreeMap<String, String>>,
}

fn names(source: &str, key: &str) -> bool {
    source.contains(&format!("'{key}'")) || source.contains(&format!("\"{key}\""))
}

pub fn split(words: &BTreeMap<String, String>, scripts: &BTreeMap<String, Vec<u8>>) -> ScriptWords {
    // Each script read as text once, not once per word.
    let js: Vec<(&String, std::borrow::Cow<str>)> = scripts
        .iter()
        .filter(|(name, _)| name.ends_with(".js"))
        .map(|(name, source)| (name, String::from_utf8_lossy(source)))
        .collect();
    let mut out = ScriptWords {
        shared: BTreeMap::new(),
        modules: BTreeMap::new(),
    };
    for (key, word) in words {
        let users: Vec<&String> = js
            .iter()
            .filter(|(_, source)| names(source, key))
            .map(|(name, _)| *name)
            .collect();
        match users.as_slice() {
            [only] if is_module(only) => {
                out.modules
                    .entry(only.to_string())
                    .or_default()
                    .insert(key.clone(), word.clone());
            }
            _ => {
                out.shared.insert(key.clone(), word.clone());
            }
        }
    }
    out
}

/// A module's file with its words added to `guidebook.words` before its code runs.
pub fn with_words(source: &[u8], words: &BTreeMap<String, String>) -> Vec<u8> {
    let json = serde_json::to_string(words)
        .expect("words serialise")
        .replace("</", "<\\/");
    // Works before the manifest too (a page whose manifest failed, a test harness).
    let mut out = format!(
        "(g=>{{g.words=Object.assign(g.words||{{}},{json})}})(window.guidebook=window.guidebook||{{}});\n"
    )
    .into_bytes();
    out.extend_from_slice(source);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_only_a_module_names_travels_with_it() {
        let words: BTreeMap<String, String> = [("a", "A"), ("b", "B"), ("c", "C"), ("d", "D")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let scripts: BTreeMap<String, Vec<u8>> = [
            ("guidebook.js", "t('a'); t(\"b\")"),
            ("guidebook-search.js", "t('b'); t('c')"),
            ("guidebook-sidebar.js", "t('x')"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
        .collect();
        let split = split(&words, &scripts);
        // `b` is named by a script every page loads, `d` by none: both stay shared.
        assert_eq!(split.shared.keys().collect::<Vec<_>>(), ["a", "b", "d"]);
        assert_eq!(
            split.modules["guidebook-search.js"]
                .keys()
                .collect::<Vec<_>>(),
            ["c"]
        );
        let file = with_words(b"code()", &split.modules["guidebook-search.js"]);
        assert_eq!(
            String::from_utf8(file).unwrap(),
            "(g=>{g.words=Object.assign(g.words||{},{\"c\":\"C\"})})(window.guidebook=window.guidebook||{});\ncode()"
        );
    }
}
