//! One integration test binary (it links once), a module per feature.

mod browser;
mod build;
mod charts;
mod common;
mod english;
mod errors;
mod languages;
mod mdbook;
mod safety;
mod search;
#[cfg(feature = "serve")]
mod serve;
mod sidebar;
mod snapshots;
mod templates;
