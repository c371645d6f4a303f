//! The tests' HTTP/1.1 clients over std's TcpStream: one request a connection, keep-alive, and a
//! live-reload event-stream subscriber.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use guidebook::serve::{ServeOptions, ServerHandle};

use crate::common::TestBook;

/// Every wait in these tests is bounded by this.
pub const WAIT: Duration = Duration::from_secs(10);

pub fn serve(book: &TestBook) -> ServerHandle {
    guidebook::serve::start(ServeOptions {
        root: book.root.clone(),
        port: 0,
        ..ServeOptions::default()
    })
    .unwrap_or_else(|e| panic!("serve failed to start:\n{e}"))
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One request on its own connection (`Connection: close`).
pub fn request(addr: SocketAddr, method: &str, target: &str, headers: &[(&str, &str)]) -> Reply {
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

pub fn get(addr: SocketAddr, target: &str) -> Reply {
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
pub struct EventStream {
    events: Receiver<(String, String)>,
    socket: TcpStream,
}

impl EventStream {
    pub fn connect(addr: SocketAddr) -> EventStream {
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
    pub fn expect(&self, name: &str) -> String {
        let (got, data) = self.next();
        assert_eq!(got, name, "expected `{name}`, got `{got}`: {data}");
        data
    }

    pub fn assert_quiet(&self, for_how_long: Duration) {
        match self.events.recv_timeout(for_how_long) {
            Err(RecvTimeoutError::Timeout) => {}
            Ok(event) => panic!("unexpected event {event:?}"),
            Err(RecvTimeoutError::Disconnected) => panic!("the stream closed"),
        }
    }

    /// Whether the server ended the stream within the time limit.
    pub fn closed_within(&self, limit: Duration) -> bool {
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
pub fn wait_for_page(addr: SocketAddr, page: &str, text: &str) -> Reply {
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

/// A browser-like client: one keep-alive connection, many requests.
pub struct KeepAlive {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl KeepAlive {
    pub fn connect(addr: SocketAddr) -> KeepAlive {
        let writer = TcpStream::connect(addr).expect("connect");
        writer.set_read_timeout(Some(WAIT)).unwrap();
        KeepAlive {
            reader: BufReader::new(writer.try_clone().unwrap()),
            writer,
        }
    }

    /// Status and body length of one GET, or the error.
    pub fn get(&mut self, target: &str) -> Result<(u16, usize), String> {
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

pub fn fetch_once(addr: SocketAddr, target: &str) -> Result<(u16, usize), String> {
    let reply = request(addr, "GET", target, &[]);
    Ok((reply.status, reply.body.len()))
}

/// After shutdown nothing answers: a connection may still be accepted by the OS, but no reply.
pub fn get_fails(addr: SocketAddr) -> bool {
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
