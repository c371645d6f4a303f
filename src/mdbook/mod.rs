//! mdBook compatibility: what an mdBook book relies on beyond SUMMARY.md and CommonMark.

pub mod assets;
pub mod config;
pub mod lines;
pub mod links;
