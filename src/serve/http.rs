//! The HTTP side of `serve`: a fixed pool of worker threads pulling requests from tiny_http,
//! answering GET and HEAD from the last good site in memory, and handing event-stream requests
//! to a thread of their own.

use std::io::Cursor;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::thread::JoinHandle;

use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

use super::files::SiteFiles;
use super::reload::{self, Broadcaster, EVENTS_PATH};
use super::route::{self, Resolved};
use super::versions;

/// What the server answers from: the last good build, swapped whole after each rebuild.
pub(crate) struct Snapshot {
    /// `None` until a build succeeds; requests then get the error page.
    pub site: Option<SiteFiles>,
    /// Identifies the build; pages carry it so an open page from an older build reloads.
    pub token: String,
    /// The site's base path (`/` or `/guide/`).
    pub site_path: String,
}

/// The state the rebuild loop updates and the workers read.
pub(crate) struct Live {
    pub snapshot: RwLock<Arc<Snapshot>>,
    pub events: Broadcaster,
}

impl Live {
    pub(crate) fn current(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub fn replace(&self, snapshot: Snapshot) {
        *self
            .snapshot
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Arc::new(snapshot);
    }
}

pub(crate) struct HttpServer {
    server: Arc<Server>,
    stopping: Arc<AtomicBool>,
    workers: Vec<JoinHandle<()>>,
}

impl HttpServer {
    /// Listens on `addr` (port 0 picks a free one) with `workers` threads answering requests.
    pub fn start(addr: SocketAddr, live: Arc<Live>, workers: usize) -> std::io::Result<HttpServer> {
        let server = Server::from_listener(listener(addr)?, None).map_err(std::io::Error::other)?;
        let server = Arc::new(server);
        let stopping = Arc::new(AtomicBool::new(false));
        let mut handles = Vec::with_capacity(workers);
        for n in 0..workers.max(1) {
            let (server, live, stopping) = (server.clone(), live.clone(), stopping.clone());
            let handle = std::thread::Builder::new()
                .name(format!("guidebook-http-{n}"))
                .spawn(move || {
                    while !stopping.load(Ordering::Acquire) {
                        // An error here is tiny_http's own (a failed accept, or `unblock`).
                        if let Ok(request) = server.recv() {
                            handle(request, &live);
                        }
                    }
                })?;
            handles.push(handle);
        }
        Ok(HttpServer {
            server,
            stopping,
            workers: handles,
        })
    }

    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.server.server_addr().to_ip()
    }

    /// Stops the workers (each finishes the request it is answering) and closes the listener.
    pub(crate) fn stop(self) {
        self.stopping.store(true, Ordering::Release);
        for _ in &self.workers {
            self.server.unblock();
        }
        for worker in self.workers {
            let _ = worker.join();
        }
    }
}

/// A listening socket whose connections send without delay: tiny_http writes a response in
/// 1 KiB pieces, and Nagle's algorithm would hold each piece for the client's delayed ACK (40 ms
/// a response). Accepted connections inherit TCP_NODELAY from the listener.
fn listener(addr: SocketAddr) -> std::io::Result<std::net::TcpListener> {
    use socket2::{Domain, Protocol, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    socket.set_tcp_nodelay(true)?;
    #[cfg(unix)]
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    socket.listen(1024)?;
    Ok(socket.into())
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("header names and values are ASCII")
}

fn handle(request: Request, live: &Live) {
    let method = request.method().clone();
    if !matches!(method, Method::Get | Method::Head) {
        let response = Response::from_string("405 Method Not Allowed: use GET or HEAD\n")
            .with_status_code(405)
            .with_header(header("Allow", "GET, HEAD"))
            .with_header(header("Content-Type", "text/plain; charset=utf-8"));
        let _ = request.respond(response);
        return;
    }
    let path = match route::parse_target(request.url()) {
        Ok(path) => path,
        Err(bad) => {
            let text = format!("400 Bad Request: {}\n", bad.0);
            let response = Response::from_string(text)
                .with_status_code(400)
                .with_header(header("Content-Type", "text/plain; charset=utf-8"));
            let _ = request.respond(response);
            return;
        }
    };
    if format!("/{}", path.segments.join("/")) == EVENTS_PATH {
        return events(request, method, live);
    }
    let snapshot = live.current();
    let Some(site) = &snapshot.site else {
        let error = live.events.error().unwrap_or_default();
        let page = error_page(&error);
        let body = reload::inject(page.as_bytes(), &snapshot.token);
        return respond(
            request,
            503,
            "text/html; charset=utf-8",
            Arc::from(body),
            None,
        );
    };
    match route::resolve(&path, &snapshot.site_path, |key| {
        site.files.contains_key(key)
    }) {
        Resolved::File(key) => {
            let bytes = site
                .get(&key)
                .cloned()
                .unwrap_or_else(|| Arc::from(Vec::new()));
            serve_file(request, (&key, bytes, 200), &snapshot.token, site);
        }
        Resolved::Redirect(location) => {
            let response = Response::empty(301)
                .with_header(header("Location", &location))
                .with_header(header("Cache-Control", "no-cache"));
            let _ = request.respond(response);
        }
        Resolved::NotFound => match site.get("404.html") {
            Some(page) => serve_file(
                request,
                ("404.html", page.clone(), 404),
                &snapshot.token,
                site,
            ),
            None => {
                let body: Arc<[u8]> = Arc::from(b"404 Not Found\n".to_vec());
                respond(request, 404, "text/plain; charset=utf-8", body, None);
            }
        },
    }
}

/// A file of the site, HTML with the live-reload script and versioned asset links (see
/// `versions`); 304 when the client has this version; cacheable for good when asked for by
/// its current version.
fn serve_file(
    request: Request,
    (key, bytes, status): (&str, Arc<[u8]>, u16),
    token: &str,
    site: &SiteFiles,
) {
    let content_type = route::content_type(key);
    let is_html = content_type.starts_with("text/html");
    let query = request.url().find('?').map_or("", |i| &request.url()[i..]);
    if !is_html && status == 200 && versions::is_version(query, &versions::version_of(&bytes)) {
        let response = Response::new(
            StatusCode(200),
            vec![
                header("Content-Type", content_type),
                header("Cache-Control", "max-age=31536000, immutable"),
                header("X-Content-Type-Options", "nosniff"),
            ],
            Cursor::new(bytes.clone()),
            Some(bytes.len()),
            None,
        );
        let _ = request.respond(response);
        return;
    }
    let hash = crate::slug::fnv1a(&bytes);
    // A page's script names its build, so its ETag does too.
    let etag = if is_html {
        format!("\"{hash:016x}-{token}\"")
    } else {
        format!("\"{hash:016x}\"")
    };
    let cached = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("If-None-Match"))
        .is_some_and(|h| route::etag_matches(h.value.as_str(), &etag));
    if cached && status == 200 {
        let response = Response::empty(304)
            .with_header(header("ETag", &etag))
            .with_header(header("Cache-Control", "no-cache"));
        let _ = request.respond(response);
        return;
    }
    let body = if is_html {
        let versioned = versions::with_versions(&bytes, key, |asset| {
            site.get(asset).map(|b| versions::version_of(b))
        });
        Arc::from(reload::inject(&versioned, token))
    } else {
        bytes
    };
    respond(request, status, content_type, body, Some(&etag));
}

fn respond(request: Request, status: u16, content_type: &str, body: Arc<[u8]>, etag: Option<&str>) {
    let len = body.len();
    let mut headers = vec![
        header("Content-Type", content_type),
        header("Cache-Control", "no-cache"),
        header("X-Content-Type-Options", "nosniff"),
    ];
    if let Some(etag) = etag {
        headers.push(header("ETag", etag));
    }
    let response = Response::new(
        StatusCode(status),
        headers,
        Cursor::new(body),
        Some(len),
        None,
    );
    let _ = request.respond(response);
}

/// The event stream: headers written by hand, then events from a thread of its own.
fn events(request: Request, method: Method, live: &Live) {
    if method == Method::Head {
        let response = Response::empty(200)
            .with_header(header("Content-Type", "text/event-stream; charset=utf-8"))
            .with_header(header("Cache-Control", "no-cache"));
        let _ = request.respond(response);
        return;
    }
    let Some(subscription) = live.events.subscribe() else {
        let response = Response::from_string("503 Service Unavailable: too many event streams\n")
            .with_status_code(503)
            .with_header(header("Retry-After", "5"));
        let _ = request.respond(response);
        return;
    };
    let writer = request.into_writer();
    let spawned = std::thread::Builder::new()
        .name("guidebook-sse".into())
        .stack_size(64 * 1024)
        .spawn(move || reload::stream(writer, subscription));
    if let Err(e) = spawned {
        eprintln!("warning: could not start an event stream: {e}");
    }
}

/// What a browser sees while no build has succeeded yet; the overlay shows the error too.
fn error_page(error: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Build failed</title>\n</head>\n<body>\n<h1>Build failed</h1>\n<p>Fix the file and save: this page reloads by itself.</p>\n<pre>{}</pre>\n</body>\n</html>\n",
        crate::html::escape(error)
    )
}
