//! guidebook: a static site generator for interactive books.
//!
//! The build is a pipeline of plain values (see `build`): `config` reads book.toml, `load` reads
//! SUMMARY.md, chapters and collections into a `Book`, `markdown` renders chapters, `check` checks
//! links, `render` applies the theme, and `output` swaps the finished site into place.

// Diagnostics are large on purpose (location, snippet, hint) and only travel on the cold path.
#![allow(clippy::result_large_err)]

pub mod book;
pub mod build;
pub mod check;
pub mod cli;
pub mod collections;
pub mod config;
pub mod error;
pub mod frontmatter;
pub mod fs_util;
pub mod i18n;
pub mod init;
pub mod load;
pub mod manifest;
pub mod markdown;
pub mod output;
pub mod output_paths;
pub mod pages;
pub mod plan;
pub mod print_ids;
pub mod render;
pub mod search;
pub mod serve;
pub mod site;
pub mod sitemap;
pub mod slug;
pub mod summary;
pub mod theme;
pub mod toc;
pub mod url;
pub mod yaml;
