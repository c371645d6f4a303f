//! `serve` and `watch` end to end: a real server on an ephemeral loopback port, real files, the
//! real watcher, and plain HTTP/1.1 clients over std's TcpStream.

mod client;
mod http;
mod live;
mod load;
