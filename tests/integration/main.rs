//! One integration test binary (it links once), a module per feature.

mod browser;
mod build;
mod common;
mod errors;
mod guide;
mod mdbook;
mod serve;
