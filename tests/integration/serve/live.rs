//! Live reload: edits, editor saves, broken builds and their fixes, stylesheets, and `watch`.

use std::time::{Duration, Instant};

use guidebook::serve::{ServeOptions, WatchOptions};

use super::client::{EventStream, WAIT, get, serve, wait_for_page};
use crate::common::{TestBook, main_of};

#[test]
fn saving_a_chapter_reloads_the_page() {
    let book = TestBook::fixture("serve-book");
    let server = serve(&book);
    let events = EventStream::connect(server.addr);
    book.edit("content/part1/first.md", "Original body", "Edited body");
    events.expect("reload");
    let page = get(server.addr, "/part1/first.html");
    assert!(page.text().contains("Edited body of the first chapter."));
    // A title change shows in the neighbours' prev/next links.
    book.edit(
        "content/second.md",
        "# Second chapter",
        "---\ntitle: Renamed chapter\n---\n# Second chapter",
    );
    events.expect("reload");
    let neighbour = get(server.addr, "/part1/%E7%AC%AC%E4%B8%80%20%E7%AB%A0.html").text();
    assert!(neighbour.contains("Renamed chapter"), "{neighbour}");
}

#[test]
fn a_broken_edit_shows_the_cli_error_and_keeps_the_good_pages() {
    let book = TestBook::fixture("serve-book");
    let server = serve(&book);
    let events = EventStream::connect(server.addr);
    book.edit(
        "content/second.md",
        "Nothing more.",
        "Nothing more. A [broken link](missing.md).",
    );
    let error = events.expect("error");
    let cli = guidebook::build::check(&book.root).unwrap_err().to_string();
    assert_eq!(error, cli.trim_end_matches('\n'));
    assert!(error.contains("broken link"), "{error}");
    assert!(error.contains("content/second.md:7:"), "{error}");
    // The old page is still served, and a page opened now learns of the error on connect.
    let page = get(server.addr, "/second.html").text();
    assert!(page.contains("Nothing more.") && !page.contains("broken link"));
    let late = EventStream::connect(server.addr);
    assert_eq!(late.expect("error"), error);
    // Fixing the file clears the error.
    book.edit("content/second.md", " A [broken link](missing.md).", "");
    events.expect("reload");
    late.expect("reload");
    let fresh = EventStream::connect(server.addr);
    fresh.assert_quiet(Duration::from_millis(300));
}

#[test]
fn fixing_one_of_two_broken_files_still_shows_the_other() {
    let book = TestBook::fixture("serve-book");
    let server = serve(&book);
    let events = EventStream::connect(server.addr);
    book.edit("content/second.md", "Nothing more.", "[bad](nope.md)");
    assert!(events.expect("error").contains("content/second.md"));
    book.edit(
        "content/part1/first.md",
        "Original body",
        "[worse](gone.md)",
    );
    let both = events.expect("error");
    assert!(both.contains("content/second.md") && both.contains("content/part1/first.md"));
    book.edit("content/second.md", "[bad](nope.md)", "Fixed.");
    let one = events.expect("error");
    assert!(!one.contains("content/second.md") && one.contains("content/part1/first.md"));
    book.edit("content/part1/first.md", "[worse](gone.md)", "Fixed too");
    events.expect("reload");
    assert!(get(server.addr, "/second.html").text().contains("Fixed."));
    assert!(
        get(server.addr, "/part1/first.html")
            .text()
            .contains("Fixed too")
    );
}

#[test]
fn broken_yaml_summary_and_templates_never_stop_the_server() {
    let book = TestBook::fixture("serve-book");
    book.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<p class=\"not-found\">custom 404</p>{% endblock %}",
    );
    let server = serve(&book);
    let events = EventStream::connect(server.addr);
    let good = main_of(&get(server.addr, "/second.html").text()).to_string();
    let breakages: [(&str, &str, &str, &str); 3] = [
        (
            "content/worksheets/reflect.yaml",
            "type: textarea",
            "type: [unclosed",
            "reflect.yaml",
        ),
        (
            "content/SUMMARY.md",
            "- [Second chapter](second.md)",
            "- [Second chapter](nowhere.md)",
            "SUMMARY.md",
        ),
        (
            "themes/default/templates/404.html",
            "{% endblock %}",
            "{% endblok %}",
            "404.html",
        ),
    ];
    for (file, from, to, named) in breakages {
        book.edit(file, from, to);
        let error = events.expect("error");
        let cli = guidebook::build::check(&book.root).unwrap_err().to_string();
        assert_eq!(error, cli.trim_end_matches('\n'), "{file}");
        assert!(error.contains(named), "{file}: {error}");
        let page = get(server.addr, "/second.html").text();
        assert_eq!(main_of(&page), good, "{file}");
        book.edit(file, to, from);
        events.expect("reload");
    }
    assert!(get(server.addr, "/nope").text().contains("custom 404"));
}

#[test]
fn a_failed_first_build_serves_the_error_until_fixed() {
    let book = TestBook::fixture("serve-book");
    book.edit("content/second.md", "Nothing more.", "[bad](nope.md)");
    let server = serve(&book);
    let reply = get(server.addr, "/second.html");
    assert_eq!(reply.status, 503);
    assert!(reply.text().contains("no chapter is built from `nope.md`"));
    assert!(reply.text().contains("/__guidebook/events"));
    let events = EventStream::connect(server.addr);
    assert!(events.expect("error").contains("nope.md"));
    book.edit("content/second.md", "[bad](nope.md)", "Fixed.");
    events.expect("reload");
    assert_eq!(get(server.addr, "/second.html").status, 200);
}

#[test]
fn editor_saves_give_exactly_one_rebuild() {
    let book = TestBook::fixture("serve-book");
    // A longer quiet period than the default, so that a busy test machine pausing this thread
    // between two writes of one save does not split it.
    let server = guidebook::serve::start(ServeOptions {
        root: book.root.clone(),
        port: 0,
        debounce: Duration::from_millis(250),
        ..ServeOptions::default()
    })
    .unwrap();
    let events = EventStream::connect(server.addr);
    let chapter = book.path("content/part1/first.md");
    let dir = chapter.parent().unwrap().to_path_buf();

    // vim: probe file, swap file, backup by rename, write, remove backup.
    std::fs::write(dir.join("4913"), "").unwrap();
    std::fs::remove_file(dir.join("4913")).unwrap();
    std::fs::write(dir.join(".first.md.swp"), "swap").unwrap();
    let backup = dir.join("first.md~");
    std::fs::rename(&chapter, &backup).unwrap();
    std::fs::write(&chapter, "# First chapter\n\nSaved by vim.\n").unwrap();
    std::fs::remove_file(&backup).unwrap();
    std::fs::remove_file(dir.join(".first.md.swp")).unwrap();
    events.expect("reload");
    events.assert_quiet(Duration::from_millis(700));
    assert!(wait_for_page(server.addr, "/part1/first.html", "Saved by vim.").status == 200);

    // Atomic save: write a temporary file, rename it over the chapter.
    let temp = dir.join(".first.md.tmp.1234");
    std::fs::write(&temp, "# First chapter\n\nSaved atomically.\n").unwrap();
    std::fs::rename(&temp, &chapter).unwrap();
    events.expect("reload");
    events.assert_quiet(Duration::from_millis(700));
    wait_for_page(server.addr, "/part1/first.html", "Saved atomically.");

    // "Save all": several files at once.
    book.edit("content/second.md", "Original body", "Saved-all body");
    book.edit(
        "content/part1/README.md",
        "The first part.",
        "Saved-all part.",
    );
    book.edit("content/README.md", "Start with", "Saved-all start with");
    events.expect("reload");
    events.assert_quiet(Duration::from_millis(700));
    assert!(
        get(server.addr, "/second.html")
            .text()
            .contains("Saved-all body")
    );
    assert!(
        get(server.addr, "/part1/")
            .text()
            .contains("Saved-all part.")
    );

    // Files editors and tools leave around are not changes.
    std::fs::write(dir.join("first.md~"), "backup").unwrap();
    std::fs::write(dir.join(".#first.md"), "lock").unwrap();
    std::fs::write(dir.join("#first.md#"), "autosave").unwrap();
    std::fs::write(book.path("public-notes.txt"), "outside the sources").unwrap();
    events.assert_quiet(Duration::from_millis(700));
}

#[test]
fn no_change_is_missed() {
    let book = TestBook::fixture("serve-book");
    let server = serve(&book);
    // Edits spaced so that some land while an earlier one is being rebuilt.
    for version in 1..=8 {
        book.write(
            "content/second.md",
            format!("# Second chapter\n\nVersion {version}.\n\n## More\n"),
        );
        std::thread::sleep(Duration::from_millis(35));
    }
    wait_for_page(server.addr, "/second.html", "Version 8.");
}

#[test]
fn a_stylesheet_change_swaps_styles_without_a_reload() {
    let book = TestBook::fixture("serve-book");
    book.write(
        "themes/default/static/style.css",
        "body { color: black; }\n",
    );
    let server = serve(&book);
    let events = EventStream::connect(server.addr);
    book.write("themes/default/static/style.css", "body { color: navy; }\n");
    events.expect("css");
    assert_eq!(
        get(server.addr, "/assets/style.css").text(),
        "body { color: navy; }\n"
    );
    // Templates rebuild everything and reload.
    book.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<p>gone</p>{% endblock %}",
    );
    events.expect("reload");
    assert!(
        get(server.addr, "/nope.html")
            .text()
            .contains("<p>gone</p>")
    );
}

#[test]
fn only_serve_injects_the_live_reload_script() {
    let book = TestBook::fixture("serve-book");
    book.build();
    for page in [
        "index.html",
        "second.html",
        "part1/first.html",
        "404.html",
        "print.html",
    ] {
        let html = book.output(page);
        assert!(
            !html.contains("__guidebook"),
            "{page} has the live-reload script"
        );
        assert!(
            !html.contains("EventSource"),
            "{page} has the live-reload script"
        );
    }
    let server = serve(&book);
    let served = get(server.addr, "/second.html").text();
    let script = served
        .find("new EventSource(\"/__guidebook/events\")")
        .expect("the script");
    assert!(
        script < served.rfind("</body>").unwrap(),
        "injected before </body>"
    );
    assert!(served.contains("role\", \"alertdialog\""));
    assert!(served.contains("pre.id = \"guidebook-live-error-text\""));
    assert!(
        !get(server.addr, "/assets/guidebook.js")
            .text()
            .contains("__guidebook")
    );
    // Serving writes nothing to the build folder.
    let before = std::fs::metadata(book.path("public/second.html"))
        .unwrap()
        .modified()
        .unwrap();
    let events = EventStream::connect(server.addr);
    book.edit("content/second.md", "Original body", "Served body");
    events.expect("reload");
    let after = std::fs::metadata(book.path("public/second.html"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before, after);
}

#[test]
fn watch_rebuilds_the_build_folder() {
    let book = TestBook::fixture("serve-book");
    let watch = guidebook::serve::start_watch(WatchOptions {
        root: book.root.clone(),
        dest: None,
        force: false,
        debounce: guidebook::serve::DEFAULT_DEBOUNCE,
    })
    .unwrap();
    assert!(book.output("second.html").contains("Original body"));
    book.edit("content/second.md", "Original body", "Watched body");
    let deadline = Instant::now() + WAIT;
    while !std::fs::read_to_string(book.path("public/second.html"))
        .unwrap_or_default()
        .contains("Watched body")
    {
        assert!(Instant::now() < deadline, "watch never rebuilt");
        std::thread::sleep(Duration::from_millis(20));
    }
    // A broken edit leaves the build folder as it was.
    book.edit("content/second.md", "Watched body", "[bad](nope.md)");
    std::thread::sleep(Duration::from_millis(600));
    assert!(book.output("second.html").contains("Watched body"));
    let html = book.output("second.html");
    assert!(!html.contains("__guidebook"));
    watch.shutdown();
    let leftovers: Vec<_> = std::fs::read_dir(&book.root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging") || n.contains(".old-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn book_toml_and_extra_watch_dirs_rebuild_everything() {
    let book = TestBook::fixture("serve-book");
    book.write("data/terms.csv", "a,b\n");
    let server = serve(&book);
    let events = EventStream::connect(server.addr);
    // Not watched yet: book.toml names no extra folder.
    book.write("data/terms.csv", "a,b,c\n");
    events.assert_quiet(Duration::from_millis(300));
    book.edit(
        "book.toml",
        "title = \"Serve fixture\"",
        "title = \"Renamed fixture\"\n\n[build]\nextra-watch-dirs = [\"data\"]",
    );
    events.expect("reload");
    assert!(
        get(server.addr, "/second.html")
            .text()
            .contains("Renamed fixture")
    );
    // The new layout is watched from then on.
    book.write("data/terms.csv", "a,b,c,d\n");
    events.expect("reload");
}

#[test]
fn incremental_rebuilds_serve_what_a_full_build_makes() {
    let book = TestBook::fixture("serve-book");
    let server = serve(&book);
    let events = EventStream::connect(server.addr);
    // Body edits (only the chapter's own page changes) between edits other pages show: a
    // title, a new heading and checklist, a file chapters copy, an embedded worksheet, a
    // checklist item's text.
    let edits: [(&str, &str, &str); 9] = [
        ("content/part1/first.md", "Original body", "Changed body"),
        (
            "content/second.md",
            "# Second chapter",
            "---\ntitle: Retitled\n---\n# Second chapter",
        ),
        (
            "content/second.md",
            "Nothing more.",
            "Nothing more, said twice.",
        ),
        (
            "content/part1/第一 章.md",
            "中文内容。",
            "中文内容。\n\n## 新的一节\n\n- [ ] 新任务",
        ),
        ("content/images/dot.svg", "r=\"2\"", "r=\"1\""),
        (
            "content/part1/first.md",
            "Changed body of the first chapter.",
            "Changed body of the first chapter.\n\n[Reflect](../worksheets/reflect.yaml)",
        ),
        (
            "content/part1/第一 章.md",
            "- [ ] 新任务",
            "- [ ] 改过的任务",
        ),
        ("content/part1/第一 章.md", "中文内容。", "中文内容，改过。"),
        ("content/README.md", "Start with", "Begin with"),
    ];
    for (file, from, to) in edits {
        book.edit(file, from, to);
        events.expect("reload");
        assert_serves_a_full_build(&book, server.addr, file);
    }
}

/// Every file a full build of `book` makes is served as it is (pages without the live-reload
/// script), after the edit of `edited`.
fn assert_serves_a_full_build(book: &TestBook, addr: std::net::SocketAddr, edited: &str) {
    let options = guidebook::render::RenderOptions {
        hash_assets: false,
        strict_links: false,
    };
    let full = MemorySite::default();
    guidebook::build::build_site(&book.root, options, &full).unwrap();
    let full = full.0.into_inner().unwrap();
    for (path, bytes) in &full {
        let target: String = path
            .bytes()
            .map(|b| match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'/' | b'.' | b'-' | b'_' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect();
        // The print page, search index and export data follow the reload event by a few
        // milliseconds (they are built after it): give them a moment.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
        loop {
            let served = get(addr, &format!("/{target}"));
            assert_eq!(served.status, 200, "{path}");
            let mut body = served.body;
            if path.ends_with(".html") {
                body = without_live_reload_script(&body);
            }
            if body[..] == bytes[..] {
                break;
            }
            let deferred = guidebook::serve::DEFERRED_PATHS.contains(&path.as_str())
                || guidebook::search::is_search_file(path);
            assert!(
                deferred && std::time::Instant::now() < deadline,
                "after editing {edited}, {path} differs from a full build"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
}

#[test]
fn renaming_a_heading_another_chapter_links_to_breaks_the_build() {
    let book = TestBook::fixture("serve-book");
    let server = serve(&book);
    let events = EventStream::connect(server.addr);
    // A body edit first (only its page is rebuilt), then one that other pages link to.
    book.edit("content/second.md", "Nothing more.", "Nothing more yet.");
    events.expect("reload");
    book.edit("content/second.md", "## More", "## Later");
    let error = events.expect("error");
    assert!(
        error.contains("broken link: `second.html` has no anchor `#more`"),
        "{error}"
    );
    assert!(error.contains("content/part1/first.md:7:"), "{error}");
    book.edit("content/second.md", "## Later", "## More");
    events.expect("reload");
    assert!(
        get(server.addr, "/second.html")
            .text()
            .contains("Nothing more yet.")
    );
}

/// A served page as `build` makes it: without the script `serve` injects, and its asset links
/// without the versions `serve` adds (`assets/style.css?v=0123456789abcdef`).
fn without_live_reload_script(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8(html.to_vec()).unwrap();
    let start = text
        .rfind("<script>(function (build) {")
        .expect("the script");
    let end = start + text[start..].find("</script>\n").unwrap() + "</script>\n".len();
    let text = format!("{}{}", &text[..start], &text[end..]);
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find("?v=") {
        let version = &rest[i + 3..];
        let hex = version.len() >= 16 && version[..16].bytes().all(|b| b.is_ascii_hexdigit());
        let quoted = version[16.min(version.len())..].starts_with('"');
        out.push_str(&rest[..i]);
        if hex && quoted {
            rest = &version[16..];
        } else {
            out.push_str("?v=");
            rest = version;
        }
    }
    out.push_str(rest);
    out.into_bytes()
}

#[test]
fn a_chapter_edit_runs_the_books_preprocessors_again_once() {
    let book = TestBook::fixture("mdbook-features");
    book.edit("src/usage.md", "## Details", "Usage TICK.\n\n## Details");
    book.edit("src/nested/deep.md", "# Nested", "# Nested\n\nDeep TICK.");
    let server = serve(&book);
    let events = EventStream::connect(server.addr);
    book.edit("src/usage.md", "Usage TICK.", "Edited TICK and SHOUT_HERE.");
    events.expect("reload");
    let usage = get(server.addr, "/usage.html").text();
    assert!(
        usage.contains("<p>Edited TICK+ and preprocessed by mdBook features.</p>"),
        "{usage}"
    );
    // An unchanged chapter is preprocessed from its file again, not from its last output.
    let deep = get(server.addr, "/nested/deep.html").text();
    assert!(deep.contains("<p>Deep TICK+.</p>"), "{deep}");
}

/// A whole build in memory, to compare with what the server serves.
#[derive(Default)]
struct MemorySite(std::sync::Mutex<std::collections::BTreeMap<String, Vec<u8>>>);

impl guidebook::output::OutputSink for MemorySite {
    fn write(&self, path: &str, bytes: Vec<u8>) -> Result<(), guidebook::error::Diagnostic> {
        self.0.lock().unwrap().insert(path.to_string(), bytes);
        Ok(())
    }

    fn read_back(&self, path: &str) -> Option<Vec<u8>> {
        self.0.lock().unwrap().get(path).cloned()
    }
}
