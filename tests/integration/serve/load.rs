//! Many clients at once: 200 open event streams while 10,000 requests complete.

use std::net::TcpStream;
use std::time::{Duration, Instant};

use super::client::{EventStream, KeepAlive, fetch_once, get, get_fails, serve};
use crate::common::TestBook;

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
