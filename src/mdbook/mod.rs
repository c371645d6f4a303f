//! mdBook compatibility: what an mdBook book relies on beyond SUMMARY.md and CommonMark.

pub mod anchors;
pub mod assets;
pub mod config;
pub mod lines;
pub mod links;
pub mod not_found;
pub mod order;
pub mod preprocessor;
pub mod protocol;
pub mod redirect;
pub mod repository;
