//! The outputs `serve` leaves for after the browsers reload (print page, search index, export
//! data: see `RebuildOptions::defer_whole_book`), built in the background. The job waits a
//! moment so that the reloading pages get the processor first, runs on one thread of its own so
//! that the next rebuild keeps the others, and is cancelled by that rebuild: a writer saving
//! again never waits for a search index nobody has asked for yet.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::files::{MemorySink, SiteFiles};
use crate::build::Built;
use crate::error::{Diagnostic, Diagnostics};
use crate::output::OutputSink;

/// How long the job waits before it starts: about what a browser takes to load the reloaded page.
pub(crate) const DEFER_DELAY: Duration = Duration::from_millis(150);

/// What a finished job hands back: the deferred files, or why they could not be made.
pub(crate) type DeferredFiles = Result<SiteFiles, Diagnostics>;

/// A running job; dropping it cancels it.
pub(crate) struct DeferredJob {
    cancelled: Arc<AtomicBool>,
}

impl DeferredJob {
    /// Builds `built`'s deferred outputs after `delay` on a thread of its own, then calls `done`
    /// with them, unless cancelled first.
    pub(crate) fn start(
        built: Arc<Built>,
        delay: Duration,
        done: impl FnOnce(DeferredFiles) + Send + 'static,
    ) -> DeferredJob {
        let cancelled = Arc::new(AtomicBool::new(false));
        let flag = cancelled.clone();
        let spawned = std::thread::Builder::new()
            .name("guidebook-deferred".into())
            .spawn(move || {
                std::thread::sleep(delay);
                if flag.load(Ordering::Relaxed) {
                    return;
                }
                let files = build_deferred(&built, &flag);
                if !flag.load(Ordering::Relaxed) {
                    done(files);
                }
            });
        if let Err(e) = spawned {
            eprintln!("warning: could not start building the search index and print page: {e}");
        }
        DeferredJob { cancelled }
    }
}

impl Drop for DeferredJob {
    fn drop(&mut self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }
}

/// The deferred outputs, built on this thread.
pub(crate) fn build_now(built: &Built) -> DeferredFiles {
    build_deferred(built, &AtomicBool::new(false))
}

/// The deferred outputs, on a one-thread pool (the stages' parallel loops then stay on it).
fn build_deferred(built: &Built, cancelled: &AtomicBool) -> DeferredFiles {
    let sink = MemorySink::default();
    let cancellable = Cancellable {
        inner: &sink,
        cancelled,
    };
    let render =
        || crate::render::render_whole_book(built.rendered_book(), &built.theme, &cancellable);
    let result = match rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .thread_name(|_| "guidebook-deferred-pool".into())
        .build()
    {
        Ok(pool) => pool.install(render),
        Err(_) => render(),
    };
    result.map(|()| sink.into_site())
}

/// Passes files on until the job is cancelled, then fails every write, which ends the job at
/// its next file.
struct Cancellable<'a> {
    inner: &'a MemorySink,
    cancelled: &'a AtomicBool,
}

impl Cancellable<'_> {
    fn check(&self) -> Result<(), Diagnostic> {
        if self.cancelled.load(Ordering::Relaxed) {
            Err(Diagnostic::error("cancelled by a newer build"))
        } else {
            Ok(())
        }
    }
}

impl OutputSink for Cancellable<'_> {
    fn write(&self, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        self.check()?;
        self.inner.write(path, bytes)
    }

    fn keep(&self, path: &str, bytes: Arc<[u8]>) -> Result<(), Diagnostic> {
        self.check()?;
        self.inner.keep(path, bytes)
    }

    fn write_with(&self, path: &str, fill: crate::output::Fill) -> Result<(), Diagnostic> {
        self.check()?;
        self.inner.write_with(path, fill)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    fn built_book() -> (tempfile::TempDir, Arc<Built>) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("book.toml"), "").unwrap();
        std::fs::write(dir.path().join("content/SUMMARY.md"), "- [One](one.md)\n").unwrap();
        std::fs::write(dir.path().join("content/one.md"), "# One\n\nfindable\n").unwrap();
        let options = crate::render::RenderOptions::default();
        let built = crate::build::build_site(dir.path(), options, &crate::output::Discard).unwrap();
        (dir, Arc::new(built))
    }

    #[test]
    fn a_job_hands_back_the_deferred_files() {
        let (_dir, built) = built_book();
        let (tx, rx) = mpsc::channel();
        let _job = DeferredJob::start(built, Duration::ZERO, move |files| tx.send(files).unwrap());
        let files = rx.recv_timeout(Duration::from_secs(10)).unwrap().unwrap();
        for path in super::super::DEFERRED_PATHS {
            assert!(files.get(path).is_some(), "{path}");
        }
    }

    #[test]
    fn a_cancelled_job_hands_back_nothing() {
        let (_dir, built) = built_book();
        let (tx, rx) = mpsc::channel();
        let job = DeferredJob::start(built, Duration::from_millis(200), move |files| {
            tx.send(files.is_ok()).unwrap()
        });
        drop(job);
        assert!(rx.recv_timeout(Duration::from_millis(600)).is_err());
    }
}
