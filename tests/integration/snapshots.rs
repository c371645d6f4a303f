//! Snapshots of `<main>` for the pages of the `basic` fixture that show every kind of markup:
//! a chapter with embedded items, alerts and task lists, the case library, the toolbox, a
//! worksheet's page and a checklist's page. Review changes with `cargo insta review`.

use crate::common::{TestBook, main_of};

/// `<main>` with what changes between runs or theme edits taken out: the temp folder and the
/// content hashes in asset names.
fn stable_main(book: &TestBook, page: &str) -> String {
    let html = book.output(page);
    let main = main_of(&html).replace(&book.root.display().to_string(), "[book]");
    let mut out = String::with_capacity(main.len());
    let mut rest = main.as_str();
    while let Some(i) = rest.find("assets/") {
        out.push_str(&rest[..i + "assets/".len()]);
        rest = &rest[i + "assets/".len()..];
        let name_end = rest.find(['"', '\'']).unwrap_or(rest.len());
        out.push_str(&unhashed(&rest[..name_end]));
        rest = &rest[name_end..];
    }
    out.push_str(rest);
    out
}

/// `cases-0123456789.js` -> `cases-[hash].js`.
fn unhashed(name: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) => match stem.rsplit_once('-') {
            Some((base, hash))
                if hash.len() == 10 && hash.bytes().all(|b| b.is_ascii_hexdigit()) =>
            {
                format!("{base}-[hash].{ext}")
            }
            _ => name.to_string(),
        },
        None => name.to_string(),
    }
}

#[test]
fn main_of_each_kind_of_page() {
    let book = TestBook::fixture("basic");
    book.edit(
        "content/three.md",
        "\n",
        "\n\n> [!TIP]\n> 先冷静一天。\n\n- [ ] 写下三个事实\n- [ ] 约一个时间 {#time}\n\n",
    );
    book.build();
    for page in [
        "part1/one.html",
        "three.html",
        "cases.html",
        "toolbox.html",
        "worksheets/review.html",
        "checklists/before.html",
    ] {
        let name = page.replace(['/', '.'], "_");
        insta::assert_snapshot!(name, stable_main(&book, page));
    }
}
