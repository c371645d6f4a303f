//! The site under test: a book built into a temp folder and served on 127.0.0.1 by a small static
//! file server (GET only, one thread a connection), so the browser loads it as a reader would.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::common::{copy_dir, fixtures_dir};

/// A book built into a temp folder and served over HTTP on 127.0.0.1.
pub struct Site {
    _dir: tempfile::TempDir,
    /// The book's source folder (a copy for fixtures, the repository for the bundled guide).
    pub root: PathBuf,
    /// The built site, the folder the server serves.
    pub out: PathBuf,
    server: StaticServer,
}

impl Site {
    /// A copy of `tests/fixtures/<name>`, built and served.
    pub fn fixture(name: &str) -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("book");
        copy_dir(&fixtures_dir().join(name), &root);
        Site::build_and_serve(dir, root)
    }

    /// The bundled guide (the repository root), built into a temp folder and served.
    pub fn guide() -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        Site::build_and_serve(dir, PathBuf::from(env!("CARGO_MANIFEST_DIR")))
    }

    /// The book in `root` (inside `dir`, which the site keeps), built and served.
    pub fn build_and_serve(dir: tempfile::TempDir, root: PathBuf) -> Site {
        let out = dir.path().join("site");
        build(&root, &out);
        let server = StaticServer::start(out.clone());
        Site {
            _dir: dir,
            root,
            out,
            server,
        }
    }

    /// Builds the book again into the folder being served.
    pub fn rebuild(&self) {
        build(&self.root, &self.out);
    }

    /// Replaces `from` with `to` in a source file of the book, asserting it was there.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        assert!(
            self.root.starts_with(self._dir.path()),
            "only a copied fixture may be edited, not {}",
            self.root.display()
        );
        let path = self.root.join(rel);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {rel}: {e}"));
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).expect("writing the edited file");
    }

    /// The absolute URL of a page, e.g. `part1/one.html`.
    pub fn url(&self, page: &str) -> String {
        format!("http://{}/{}", self.server.addr, page)
    }
}

fn build(root: &Path, out: &Path) {
    if let Err(e) = guidebook::build::build(root, Some(out)) {
        panic!("building {} failed:\n{e}", root.display());
    }
}

/// A static file server for tests: GET only, one thread a connection, `Connection: close`.
struct StaticServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl StaticServer {
    fn start(root: PathBuf) -> StaticServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the test server");
        let addr = listener.local_addr().expect("the test server's address");
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    let root = root.clone();
                    std::thread::spawn(move || serve_request(stream, &root));
                }
            }
        });
        StaticServer {
            addr,
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve_request(stream: TcpStream, root: &Path) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(&stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    // The headers are not needed; read them so the client is not cut off mid-request.
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
        header.clear();
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let (status, content_type, body) = if method != "GET" {
        ("405 Method Not Allowed", "text/plain", b"GET only".to_vec())
    } else {
        match resolve(root, target).and_then(|p| std::fs::read(&p).ok().map(|b| (p, b))) {
            Some((path, body)) => ("200 OK", content_type(&path), body),
            None => match std::fs::read(root.join("404.html")) {
                Ok(body) => ("404 Not Found", "text/html; charset=utf-8", body),
                Err(_) => ("404 Not Found", "text/plain", b"not found".to_vec()),
            },
        }
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let mut stream = &stream;
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
    let _ = stream.flush();
}

/// The file a request path names, percent-decoded; `None` for anything outside the root.
fn resolve(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let mut file = root.to_path_buf();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        if segment == ".." || segment.contains('\\') {
            return None;
        }
        file.push(segment);
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}
