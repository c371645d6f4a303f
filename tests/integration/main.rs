//! One integration test binary (it links once), a module per feature.

mod browser;
mod build;
mod common;
mod english;
mod errors;
mod guide;
mod safety;
mod serve;
