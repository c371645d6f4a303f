//! `serve` and `watch` end to end: a real server on an ephemeral loopback port, real files, the
//! real watcher, and plain HTTP/1.1 clients over std's TcpStream.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::path::Path;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use guidebook::serve::{ServeOptions, ServerHandle, WatchOptions};

use crate::common::{TestBook, main_of};

/// Every wait in these tests is bounded by this.
const WAIT: Duration = Duration::from_secs(10);

fn serve(book: &TestBook) -> ServerHandle {
    guidebook::serve::start(ServeOptions {
        root: book.root.clone(),
        port: 0,
        ..ServeOptions::default()
    })
    .unwrap_or_else(|e| panic!("serve failed to start:\n{e}"))
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One request on its own connection (`Connection: close`).
fn request(addr: SocketAddr, method: &str, target: &str, headers: &[(&str, &str)]) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(WAIT)).unwrap();
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if method != "GET" && method != "HEAD" {
        head.push_str("Content-Length: 0\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    let mut reader = BufReader::new(stream);
    let (status, headers) = read_head(&mut reader);
    let mut body = Vec::new();
    reader.read_to_end(&mut body).unwrap();
    Reply {
        status,
        headers,
        body,
    }
}

fn get(addr: SocketAddr, target: &str) -> Reply {
    request(addr, "GET", target, &[])
}

fn read_head(reader: &mut impl BufRead) -> (u16, Vec<(String, String)>) {
    let mut line = String::new();
    reader.read_line(&mut line).expect("status line");
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {line:?}"));
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).expect("header line");
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').expect("a header");
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    (status, headers)
}

/// A live-reload subscriber: parses the event stream on a thread of its own.
struct EventStream {
    events: Receiver<(String, String)>,
    socket: TcpStream,
}

impl EventStream {
    fn connect(addr: SocketAddr) -> EventStream {
        let mut socket = TcpStream::connect(addr).expect("connect");
        socket
            .write_all(
                b"GET /__guidebook/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n",
            )
            .unwrap();
        let mut reader = BufReader::new(socket.try_clone().unwrap());
        let (status, headers) = read_head(&mut reader);
        assert_eq!(status, 200);
        assert!(
            headers
                .iter()
                .any(|(k, v)| k == "Content-Type" && v.starts_with("text/event-stream")),
            "{headers:?}"
        );
        assert!(
            headers
                .iter()
                .any(|(k, v)| k == "Transfer-Encoding" && v == "chunked"),
            "{headers:?}"
        );
        let (tx, events) = mpsc::channel();
        std::thread::spawn(move || {
            let mut text = String::new();
            // Chunks until the last one (size 0), which ends the stream.
            while let Some(chunk) = read_chunk(&mut reader) {
                text.push_str(&chunk);
                while let Some(end) = text.find("\n\n") {
                    let block: String = text.drain(..end + 2).collect();
                    let mut name = None;
                    let mut data = Vec::new();
                    for line in block.lines() {
                        if let Some(v) = line.strip_prefix("event: ") {
                            name = Some(v.to_string());
                        } else if let Some(v) = line.strip_prefix("data: ") {
                            data.push(v);
                        }
                    }
                    if let Some(name) = name
                        && tx.send((name, data.join("\n"))).is_err()
                    {
                        return;
                    }
                }
            }
        });
        let stream = EventStream { events, socket };
        assert_eq!(stream.next().0, "hello");
        stream
    }

    fn next(&self) -> (String, String) {
        self.events
            .recv_timeout(WAIT)
            .expect("an event within the time limit")
    }

    /// The next event, which must be `name`; returns its data.
    fn expect(&self, name: &str) -> String {
        let (got, data) = self.next();
        assert_eq!(got, name, "expected `{name}`, got `{got}`: {data}");
        data
    }

    fn assert_quiet(&self, for_how_long: Duration) {
        match self.events.recv_timeout(for_how_long) {
            Err(RecvTimeoutError::Timeout) => {}
            Ok(event) => panic!("unexpected event {event:?}"),
            Err(RecvTimeoutError::Disconnected) => panic!("the stream closed"),
        }
    }

    /// Whether the server ended the stream within the time limit.
    fn closed_within(&self, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            match self.events.recv_timeout(Duration::from_millis(50)) {
                Err(RecvTimeoutError::Disconnected) => return true,
                _ => continue,
            }
        }
        false
    }
}

fn read_chunk(reader: &mut impl BufRead) -> Option<String> {
    let mut size = String::new();
    reader.read_line(&mut size).ok()?;
    let size = usize::from_str_radix(size.trim(), 16).ok()?;
    if size == 0 {
        return None;
    }
    let mut chunk = vec![0; size + 2];
    reader.read_exact(&mut chunk).ok()?;
    chunk.truncate(size);
    String::from_utf8(chunk).ok()
}

impl Drop for EventStream {
    fn drop(&mut self) {
        let _ = self.socket.shutdown(Shutdown::Both);
    }
}

/// Waits until `page` contains `text`, or panics after the time limit.
fn wait_for_page(addr: SocketAddr, page: &str, text: &str) -> Reply {
    let deadline = Instant::now() + WAIT;
    loop {
        let reply = get(addr, page);
        if reply.text().contains(text) {
            return reply;
        }
        assert!(Instant::now() < deadline, "{page} never contained {text:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn pages_and_assets_have_the_right_headers() {
    let book = TestBook::fixture("serve-book");
    let server = serve(&book);
    let addr = server.addr;
    let page = get(addr, "/part1/first.html");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(page.header("Cache-Control"), Some("no-cache"));
    assert!(page.text().contains("Original body of the first chapter."));
    for (path, content_type) in [
        ("/assets/style.css", "text/css; charset=utf-8"),
        ("/assets/guidebook.js", "text/javascript; charset=utf-8"),
        ("/images/dot.svg", "image/svg+xml; charset=utf-8"),
        ("/images/pixel.png", "image/png"),
        ("/notes.txt", "text/plain; charset=utf-8"),
        ("/data.json", "application/json; charset=utf-8"),
        ("/feed.xml", "application/xml; charset=utf-8"),
    ] {
        let reply = get(addr, path);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("Content-Type"), Some(content_type), "{path}");
        assert_eq!(reply.header("Cache-Control"), Some("no-cache"), "{path}");
        assert!(reply.header("ETag").is_some(), "{path}");
    }
    assert_eq!(
        get(addr, "/images/pixel.png").body,
        std::fs::read(book.path("content/images/pixel.png")).unwrap()
    );
    // The site root and folders serve their index.html; a folder without its slash redirects.
    assert!(get(addr, "/").text().contains("Start with"));
    assert!(get(addr, "/part1/").text().contains("The first part."));
    let redirect = get(addr, "/part1");
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("Location"), Some("/part1/"));
    // Non-ASCII file names, percent-encoded as browsers send them.
    let chinese = get(addr, "/part1/%E7%AC%AC%E4%B8%80%20%E7%AB%A0.html");
    assert_eq!(chinese.status, 200);
    assert!(chinese.text().contains("中文内容。"));
    // The query string is not part of the path.
    assert_eq!(get(addr, "/assets/style.css?v=2").status, 200);
}

#[test]
fn etags_give_304_and_head_gives_no_body() {
    let book = TestBook::fixture("serve-book");
    let server = serve(&book);
    let addr = server.addr;
    for path in ["/second.html", "/assets/style.css"] {
        let first = get(addr, path);
        let etag = first.header("ETag").expect("an ETag").to_string();
        let again = request(addr, "GET", path, &[("If-None-Match", &etag)]);
        assert_eq!(again.status, 304, "{path}");
        assert!(again.body.is_empty());
        assert_eq!(again.header("ETag"), Some(etag.as_str()));
        let other = request(
            addr,
            "GET",
            path,
            &[("If-None-Match", "\"something-else\"")],
        );
        assert_eq!(other.status, 200);

        let head = request(addr, "HEAD", path, &[]);
        assert_eq!(head.status, 200);
        assert!(head.body.is_empty(), "HEAD has no body");
        assert_eq!(
            head.header("Content-Length"),
            Some(first.body.len().to_string().as_str())
        );
        assert_eq!(head.header("Content-Type"), first.header("Content-Type"));
    }
    // A new build changes the page, and so its ETag.
    let etag = get(addr, "/second.html")
        .header("ETag")
        .unwrap()
        .to_string();
    let events = EventStream::connect(addr);
    book.edit("content/second.md", "Original body", "Changed body");
    events.expect("reload");
    let changed = request(addr, "GET", "/second.html", &[("If-None-Match", &etag)]);
    assert_eq!(changed.status, 200);
    assert!(changed.text().contains("Changed body"));
}

#[test]
fn only_get_and_head_are_allowed() {
    let book = TestBook::fixture("serve-book");
    let server = serve(&book);
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
        let reply = request(server.addr, method, "/second.html", &[]);
        assert_eq!(reply.status, 405, "{method}");
        assert_eq!(reply.header("Allow"), Some("GET, HEAD"), "{method}");
    }
}

#[test]
fn missing_pages_get_the_books_404_page() {
    let book = TestBook::fixture("serve-book");
    let server = serve(&book);
    for path in [
        "/nope.html",
        "/part1/deeper/nope.html",
        "/etc/passwd",
        "/assets/nope.css",
    ] {
        let reply = get(server.addr, path);
        assert_eq!(reply.status, 404, "{path}");
        assert_eq!(
            reply.header("Content-Type"),
            Some("text/html; charset=utf-8")
        );
        assert!(
            reply.text().contains("not-found"),
            "{path}: the theme's 404 page"
        );
    }
    assert_eq!(request(server.addr, "HEAD", "/nope.html", &[]).status, 404);
}

#[test]
fn nothing_outside_the_site_root_is_served() {
    let book = TestBook::fixture("serve-book");
    // A file beside the book, and one beside the source folder.
    let secret = "SECRET-CONTENT-4f2a";
    std::fs::write(book.root.parent().unwrap().join("secret.txt"), secret).unwrap();
    book.write("secret.txt", secret);
    book.write("book.toml.bak", secret);
    let server = serve(&book);
    for target in [
        "/../secret.txt",
        "/../../secret.txt",
        "/../book/secret.txt",
        "/%2e%2e/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/%2E%2E%2F%2E%2E%2Fsecret.txt",
        "/..%2fsecret.txt",
        "/..%2f..%2fsecret.txt",
        "/%252e%252e/secret.txt",
        "/%252e%252e%252fsecret.txt",
        "/..\\secret.txt",
        "/..%5csecret.txt",
        "/%5c..%5csecret.txt",
        "/secret.txt%00.html",
        "/%00",
        "/%c0%ae%c0%ae/secret.txt",
        "/%c0%ae%c0%ae%c0%afsecret.txt",
        "/%e0%80%ae%e0%80%ae/secret.txt",
        "/./secret.txt",
        "//../secret.txt",
        "/part1/../../secret.txt",
        "/secret.txt",
        "/book.toml",
        "/book.toml.bak",
        "/content/SUMMARY.md",
        "/SUMMARY.md",
        "/etc/passwd",
        "/../../../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "//etc/passwd",
        "/C:/Windows/win.ini",
        "http://localhost/../secret.txt",
    ] {
        let reply = get(server.addr, target);
        assert!(
            reply.status == 400 || reply.status == 404,
            "{target}: status {}",
            reply.status
        );
        let text = reply.text();
        assert!(!text.contains(secret), "{target} leaked the secret");
        assert!(!text.contains("root:"), "{target} leaked /etc/passwd");
    }
}

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
    let server = serve(&book);
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
    events.assert_quiet(Duration::from_millis(400));
    assert!(wait_for_page(server.addr, "/part1/first.html", "Saved by vim.").status == 200);

    // Atomic save: write a temporary file, rename it over the chapter.
    let temp = dir.join(".first.md.tmp.1234");
    std::fs::write(&temp, "# First chapter\n\nSaved atomically.\n").unwrap();
    std::fs::rename(&temp, &chapter).unwrap();
    events.expect("reload");
    events.assert_quiet(Duration::from_millis(400));
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
    events.assert_quiet(Duration::from_millis(400));
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
    events.assert_quiet(Duration::from_millis(400));
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

/// A browser-like client: one keep-alive connection, many requests.
struct KeepAlive {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl KeepAlive {
    fn connect(addr: SocketAddr) -> KeepAlive {
        let writer = TcpStream::connect(addr).expect("connect");
        writer.set_read_timeout(Some(WAIT)).unwrap();
        KeepAlive {
            reader: BufReader::new(writer.try_clone().unwrap()),
            writer,
        }
    }

    /// Status and body length of one GET, or the error.
    fn get(&mut self, target: &str) -> Result<(u16, usize), String> {
        let head = format!("GET {target} HTTP/1.1\r\nHost: x\r\n\r\n");
        self.writer
            .write_all(head.as_bytes())
            .map_err(|e| e.to_string())?;
        let (status, headers) = read_head(&mut self.reader);
        let len: usize = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("Content-Length"))
            .and_then(|(_, v)| v.parse().ok())
            .ok_or("no Content-Length")?;
        let mut body = vec![0; len];
        self.reader
            .read_exact(&mut body)
            .map_err(|e| e.to_string())?;
        Ok((status, len))
    }
}

fn fetch_once(addr: SocketAddr, target: &str) -> Result<(u16, usize), String> {
    let reply = request(addr, "GET", target, &[]);
    Ok((reply.status, reply.body.len()))
}

#[test]
fn holds_200_event_streams_under_10000_requests() {
    let book = TestBook::fixture("serve-book");
    let server = serve(&book);
    let addr = server.addr;
    let streams: Vec<EventStream> = (0..200).map(|_| EventStream::connect(addr)).collect();
    assert_eq!(server.stream_count(), 200);
    let pages = [
        "/",
        "/part1/first.html",
        "/second.html",
        "/part1/%E7%AC%AC%E4%B8%80%20%E7%AB%A0.html",
        "/assets/style.css",
        "/assets/guidebook.js",
        "/assets/book.js",
        "/images/dot.svg",
        "/print.html",
    ];
    let expected: Vec<usize> = pages.iter().map(|p| get(addr, p).body.len()).collect();

    // 16 browser-like clients on keep-alive connections, 4 opening a connection per request.
    let (keep_alive_clients, one_shot_clients, per_client) = (16, 4, 500);
    let started = Instant::now();
    let clients: Vec<_> = (0..keep_alive_clients + one_shot_clients)
        .map(|n| {
            let expected = expected.clone();
            std::thread::spawn(move || {
                let mut conn = (n < keep_alive_clients).then(|| KeepAlive::connect(addr));
                let mut failures = Vec::new();
                for i in 0..per_client {
                    let k = (n + i) % pages.len();
                    let result = match &mut conn {
                        Some(conn) => conn.get(pages[k]),
                        None => fetch_once(addr, pages[k]),
                    };
                    match result {
                        Ok((200, len)) if len == expected[k] => {}
                        other => failures.push(format!("{}: {other:?}", pages[k])),
                    }
                }
                failures
            })
        })
        .collect();
    let failures: Vec<String> = clients
        .into_iter()
        .flat_map(|c| c.join().expect("a client thread"))
        .collect();
    let elapsed = started.elapsed();
    let total = (keep_alive_clients + one_shot_clients) * per_client;
    eprintln!(
        "load: {total} requests from {} clients with 200 event streams open in {:.2} s ({:.0} requests/s)",
        keep_alive_clients + one_shot_clients,
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "{} failed: {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    assert!(elapsed < Duration::from_secs(60), "took {elapsed:?}");

    // Every stream is still live and hears the next build.
    assert_eq!(server.stream_count(), 200);
    book.edit("content/second.md", "Original body", "After the load");
    for stream in &streams {
        stream.expect("reload");
    }
    // Shutting down ends every stream, promptly.
    let stopping = Instant::now();
    server.shutdown();
    assert!(
        stopping.elapsed() < Duration::from_secs(3),
        "{:?}",
        stopping.elapsed()
    );
    for stream in &streams {
        assert!(stream.closed_within(Duration::from_secs(3)));
    }
    assert!(TcpStream::connect(addr).is_err() || get_fails(addr));
}

/// After shutdown nothing answers: a connection may still be accepted by the OS, but no reply.
fn get_fails(addr: SocketAddr) -> bool {
    let Ok(mut stream) = TcpStream::connect(addr) else {
        return true;
    };
    stream
        .set_read_timeout(Some(Duration::from_secs(1)))
        .unwrap();
    let _ = stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    let mut buf = [0u8; 16];
    !matches!(stream.read(&mut buf), Ok(n) if n > 0)
}

#[test]
fn the_default_address_is_loopback_port_3000() {
    let options = ServeOptions::default();
    assert!(options.bind.is_loopback());
    assert_eq!(options.port, 3000);
    assert!(Path::new(&options.root).is_relative());
}
