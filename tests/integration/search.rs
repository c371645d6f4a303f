//! The search files of a built book: small pages share a fragment, every section names its page,
//! and every posting's document id leads to its section in the fragment the id names.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::common::TestBook;

/// Must match src/search/fragments.rs.
const DOCS_PER_FRAGMENT: u64 = 64;

/// A book of `n` small chapters with two sections each.
fn small_chapters(n: usize) -> TestBook {
    let book = TestBook::empty();
    book.write(
        "book.toml",
        "[book]\ntitle = \"小章节\"\nlanguage = \"zh-CN\"\n",
    );
    let mut summary = String::from("# 目录\n\n");
    for i in 0..n {
        summary.push_str(&format!("- [第{i}章](c{i}.md)\n"));
        book.write(
            &format!("content/c{i}.md"),
            format!(
                "# 第{i}章\n\n开头一段，编号 n{i}。\n\n## 复盘{i}\n\n和上级谈一次复盘，记下 follow-up{i}。\n"
            ),
        );
    }
    book.write("content/SUMMARY.md", summary);
    book
}

/// The search files of `public/search/HASH/`, by name (`t0`, `f3`), as the data each script
/// hands to `guidebook.search.receive`.
fn search_files(book: &TestBook) -> BTreeMap<String, Value> {
    let search = book.path("public/search");
    let folders: Vec<_> = std::fs::read_dir(&search).unwrap().collect();
    assert_eq!(
        folders.len(),
        1,
        "one hashed folder under {}",
        search.display()
    );
    let folder = folders.into_iter().next().unwrap().unwrap().path();
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(&folder).unwrap() {
        let path = entry.unwrap().path();
        let script = std::fs::read_to_string(&path).unwrap();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let prefix = format!("window.guidebook.search.receive(\"{name}\",");
        let json = script
            .strip_prefix(&prefix)
            .and_then(|s| s.strip_suffix(");\n"))
            .unwrap_or_else(|| panic!("{}: not a receive call: {script:.80}", path.display()));
        files.insert(name, serde_json::from_str(json).unwrap());
    }
    files
}

/// The document ids of a term's postings (`postings.rs`: gap, then impact, each a number in a
/// 64-letter alphabet whose upper half marks a letter that more letters follow).
fn posting_ids(encoded: &str) -> Vec<u64> {
    let alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-";
    let mut numbers = Vec::new();
    let mut value = 0u64;
    for c in encoded.chars() {
        let digit = alphabet.find(c).expect("a postings letter") as u64;
        value = value * 32 + digit % 32;
        if digit < 32 {
            numbers.push(value);
            value = 0;
        }
    }
    let mut doc = 0;
    numbers
        .chunks(2)
        .map(|pair| {
            doc += pair[0];
            doc
        })
        .collect()
}

#[test]
fn small_pages_share_fragments_and_postings_lead_to_their_sections() {
    let chapters = 60;
    let book = small_chapters(chapters);
    book.build();
    let files = search_files(&book);
    let fragments: Vec<(&String, &Value)> = files
        .iter()
        .filter(|(name, _)| name.starts_with('f'))
        .collect();
    assert!(
        fragments.len() * 5 < chapters,
        "{} fragments for {chapters} small chapters",
        fragments.len()
    );

    // Every section of every chapter is in a fragment, under its own page.
    let mut sections = BTreeSet::new();
    for (name, fragment) in &fragments {
        let pages = fragment["p"].as_array().unwrap();
        let docs = fragment["d"].as_array().unwrap();
        assert!(docs.len() as u64 <= DOCS_PER_FRAGMENT, "{name}");
        for d in docs {
            let page = &pages[d[0].as_u64().unwrap() as usize];
            sections.insert((page[0].as_str().unwrap(), d[1].as_str().unwrap()));
        }
    }
    for i in [0, 17, chapters - 1] {
        let path = format!("c{i}.html");
        assert!(
            sections.contains(&(path.as_str(), &format!("复盘{i}"))),
            "{path}#复盘{i} is not in any fragment"
        );
        let page = book.output(&path);
        assert!(
            page.contains(&format!("id=\"复盘{i}\"")),
            "{path} has the anchor"
        );
    }

    // A rare word's posting names the fragment and place of the section that holds it.
    let ids: Vec<u64> = files
        .iter()
        .filter(|(name, _)| name.starts_with('t'))
        .flat_map(|(_, shard)| shard.as_array().unwrap().iter())
        .filter(|entry| entry[0] == "n17")
        .flat_map(|entry| posting_ids(entry[2].as_str().unwrap()))
        .collect();
    assert_eq!(ids.len(), 1, "one section holds n17");
    let fragment = &files[&format!("f{}", ids[0] / DOCS_PER_FRAGMENT)];
    let d = &fragment["d"][(ids[0] % DOCS_PER_FRAGMENT) as usize];
    assert_eq!(
        fragment["p"][d[0].as_u64().unwrap() as usize][0],
        "c17.html"
    );
    assert!(d[3].as_str().unwrap().contains("n17"), "{d}");
}
