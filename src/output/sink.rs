//! Where the page stage puts each output file as soon as it is made: a build's staging folder
//! (`StagingFolder`), serve's in-memory site (`serve::files`), or nowhere (`check`). No stage
//! holds the whole site.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use crate::error::{Diagnostic, io_error};

/// Fills a file piece by piece (print.html), so that it never sits whole in memory.
pub(crate) type Fill<'a> = &'a mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>;

/// Takes the site's files one at a time, from any thread, by their path under the site root.
/// A later file with the same path replaces the earlier one.
pub trait OutputSink: Sync {
    fn write(&self, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic>;

    /// A page the last build made, reused as it is (serve's memory site shares it).
    fn keep(&self, path: &str, bytes: Arc<[u8]>) -> Result<(), Diagnostic> {
        self.write(path, bytes.to_vec())
    }

    /// A folder on the output's disk for scratch files the build removes itself (see
    /// `crate::spill`); `None` keeps everything in memory.
    fn scratch_dir(&self) -> Option<&Path> {
        None
    }

    /// A file already written, for the few that are amended afterwards (a page that mdBook's
    /// redirects give a fragment script); `None` when the sink keeps nothing.
    fn read_back(&self, _path: &str) -> Option<Vec<u8>> {
        None
    }

    /// A large file written as `fill` produces it.
    fn write_with(&self, path: &str, fill: Fill) -> Result<(), Diagnostic> {
        let mut bytes = Vec::new();
        fill(&mut bytes).map_err(|e| io_error("write", Path::new(path), &e))?;
        self.write(path, bytes)
    }
}

/// Takes every file and keeps none: `check` renders every page to find every error.
pub(crate) struct Discard;

impl OutputSink for Discard {
    fn write(&self, _: &str, _: Vec<u8>) -> Result<(), Diagnostic> {
        Ok(())
    }

    fn write_with(&self, _: &str, fill: Fill) -> Result<(), Diagnostic> {
        fill(&mut std::io::sink()).map_err(|e| Diagnostic::error(e.to_string()))
    }
}

/// What a build wrote, counted as it passes through to another sink; the paths let later files
/// (redirects) check what exists.
pub(crate) struct Recorder<'a> {
    inner: &'a dyn OutputSink,
    sizes: Mutex<HashMap<String, usize>>,
}

impl<'a> Recorder<'a> {
    pub fn new(inner: &'a dyn OutputSink) -> Recorder<'a> {
        Recorder {
            inner,
            sizes: Mutex::new(HashMap::new()),
        }
    }

    fn record(&self, path: &str, len: usize) {
        self.sizes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(path.to_string(), len);
    }

    pub(crate) fn paths(&self) -> HashSet<String> {
        let sizes = self.sizes.lock().unwrap_or_else(PoisonError::into_inner);
        sizes.keys().cloned().collect()
    }

    pub(crate) fn totals(&self) -> Written {
        let sizes = self.sizes.lock().unwrap_or_else(PoisonError::into_inner);
        Written {
            files: sizes.len(),
            pages: sizes.keys().filter(|p| p.ends_with(".html")).count(),
            bytes: sizes.values().sum(),
        }
    }
}

/// How much a build wrote, for its one-line report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    pub files: usize,
    pub pages: usize,
    pub bytes: usize,
}

impl OutputSink for Recorder<'_> {
    fn read_back(&self, path: &str) -> Option<Vec<u8>> {
        self.inner.read_back(path)
    }

    fn scratch_dir(&self) -> Option<&Path> {
        self.inner.scratch_dir()
    }

    fn write(&self, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        self.record(path, bytes.len());
        self.inner.write(path, bytes)
    }

    fn keep(&self, path: &str, bytes: Arc<[u8]>) -> Result<(), Diagnostic> {
        self.record(path, bytes.len());
        self.inner.keep(path, bytes)
    }

    fn write_with(&self, path: &str, fill: Fill) -> Result<(), Diagnostic> {
        let mut len = 0;
        let mut counted = |out: &mut dyn Write| {
            let mut counter = Counting { inner: out, len: 0 };
            let result = fill(&mut counter);
            len = counter.len;
            result
        };
        self.inner.write_with(path, &mut counted)?;
        self.record(path, len);
        Ok(())
    }
}

struct Counting<'a> {
    inner: &'a mut dyn Write,
    len: usize,
}

impl Write for Counting<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.len += n;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A build's staging folder: each file is written as it comes, its folders made on first use.
pub(crate) struct StagingFolder {
    root: PathBuf,
    made: Mutex<HashSet<PathBuf>>,
}

impl StagingFolder {
    pub(super) fn new(root: PathBuf) -> StagingFolder {
        StagingFolder {
            root,
            made: Mutex::new(HashSet::new()),
        }
    }

    /// The file's place in the staging folder, its folder made.
    fn place(&self, path: &str) -> Result<PathBuf, Diagnostic> {
        let target = self.root.join(path);
        if let Some(dir) = target.parent() {
            let mut made = self.made.lock().unwrap_or_else(PoisonError::into_inner);
            if !made.contains(dir) {
                std::fs::create_dir_all(dir).map_err(|e| failed("create", dir, &e))?;
                made.insert(dir.to_path_buf());
            }
        }
        Ok(target)
    }
}

/// A write that failed: one full disk fails every file alike, and the old site stays.
fn failed(action: &str, path: &Path, e: &std::io::Error) -> Diagnostic {
    io_error(action, path, e).hint(
        "the previous site was left as it was; free some space or fix the folder's permissions, then build again",
    )
}

impl OutputSink for StagingFolder {
    fn read_back(&self, path: &str) -> Option<Vec<u8>> {
        std::fs::read(self.root.join(path)).ok()
    }

    fn scratch_dir(&self) -> Option<&Path> {
        Some(&self.root)
    }

    fn write(&self, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        let target = self.place(path)?;
        std::fs::write(&target, bytes).map_err(|e| failed("write", &target, &e))
    }

    fn write_with(&self, path: &str, fill: Fill) -> Result<(), Diagnostic> {
        let target = self.place(path)?;
        let file = std::fs::File::create(&target).map_err(|e| failed("write", &target, &e))?;
        let mut out = std::io::BufWriter::with_capacity(256 * 1024, file);
        fill(&mut out)
            .and_then(|()| out.flush())
            .map_err(|e| failed("write", &target, &e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recorder_counts_what_passes_through() {
        let dir = tempfile::tempdir().unwrap();
        let staging = StagingFolder::new(dir.path().to_path_buf());
        let recorder = Recorder::new(&staging);
        recorder.write("a/b.html", b"12345".to_vec()).unwrap();
        recorder.keep("c.js", Arc::from(&b"123"[..])).unwrap();
        recorder
            .write_with("print.html", &mut |out| {
                out.write_all(b"<p>")?;
                out.write_all(b"</p>")
            })
            .unwrap();
        assert_eq!(
            recorder.totals(),
            Written {
                files: 3,
                pages: 2,
                bytes: 15
            }
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("print.html")).unwrap(),
            "<p></p>"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a/b.html")).unwrap(),
            "12345"
        );
    }
}
