//! Test helpers: fixture books copied into temp folders, built through the library or the CLI.

use std::path::{Path, PathBuf};
use std::process::Output;

pub struct TestBook {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

impl TestBook {
    /// A copy of `tests/fixtures/<name>` in a fresh temp folder.
    pub fn fixture(name: &str) -> TestBook {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("book");
        copy_dir(&fixtures_dir().join(name), &root);
        TestBook { _dir: dir, root }
    }

    /// An empty book folder, to be filled with `write`.
    pub fn empty() -> TestBook {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("book");
        std::fs::create_dir_all(&root).unwrap();
        TestBook { _dir: dir, root }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
    }

    /// Replaces `from` with `to` in a file of the book, asserting it was there.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, text.replacen(from, to, 1));
    }

    pub fn build(&self) -> guidebook::build::BuildReport {
        guidebook::build::build(&self.root, None).unwrap_or_else(|e| panic!("build failed:\n{e}"))
    }

    pub fn build_err(&self) -> String {
        match guidebook::build::build(&self.root, None) {
            Ok(_) => panic!("the build was expected to fail"),
            Err(e) => e.to_string(),
        }
    }

    /// A page of the last build (in `public/`).
    pub fn output(&self, rel: &str) -> String {
        self.read(&format!("public/{rel}"))
    }

    /// Runs the real binary in the book's folder.
    pub fn cli(&self, args: &[&str]) -> Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_guidebook"))
            .args(args)
            .current_dir(&self.root)
            .output()
            .expect("run guidebook")
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The `<main>` element of a page, where the chapter lives.
pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main>");
    let end = html.find("</main>").expect("a </main>");
    &html[start..end]
}

/// The text up to the next `"` after the `n`th (1-based) `marker` in `html`: an attribute's value
/// when `marker` ends in `name="`.
pub fn quoted_after<'a>(html: &'a str, marker: &str, n: usize) -> Option<&'a str> {
    html.split(marker).nth(n)?.split('"').next()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
