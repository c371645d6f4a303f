//! guidebook: a static site generator for interactive books.
//!
//! The build is a pipeline of plain values (see `build`): `config` reads book.toml, `load` reads
//! SUMMARY.md, chapters and collections into a `Book`, `markdown` renders chapters, `check` checks
//! links, `render` applies the theme, and `output` swaps the finished site into place.

// Diagnostics are large on purpose (location, snippet, hint) and only travel on the cold path.
#![allow(clippy::result_large_err)]

mod book;
pub mod build;
mod check;
pub mod cli;
pub mod collections;
mod commonmark;
mod compact;
mod config;
pub mod error;
pub mod frontmatter;
mod fs_util;
mod hash;
mod html;
pub mod i18n;
mod init;
mod languages;
mod load;
mod manifest;
pub mod markdown;
mod mdbook;
mod memory;
pub mod output;
mod output_paths;
mod pages;
pub mod partials;
mod plan;
mod print_ids;
pub mod render;
mod rendered;
mod script_words;
pub mod search;
#[cfg(feature = "serve")]
pub mod serve;
mod sidebar;
mod sitemap;
mod slug;
mod spill;
pub mod summary;
pub mod theme;
mod toc;
mod url;
mod yaml;
