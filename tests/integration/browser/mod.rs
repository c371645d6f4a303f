//! Real-browser tests: each test builds a book, serves it on 127.0.0.1 and drives headless Chromium
//! through chromedriver with a fresh profile, checking what a reader sees and what the theme stores.
//! Without Chromium the tests skip loudly; with `CI=true` they fail instead.

mod accessibility;
mod backup;
mod cases;
mod charts;
mod checklists;
mod harness;
mod keyboard;
mod languages;
mod mobile;
mod navigation;
mod plan;
mod print;
mod progress;
mod reader;
mod safekeeping;
mod screenshots;
mod search;
mod server;
mod session;
mod sidebar;
mod weight;
mod worksheets;
mod xss;
