//! One integration test binary (it links once), a module per feature.

mod build;
mod common;
mod errors;
