//! The file watcher: notify's events on the book's sources, classified and debounced into one
//! batch per burst of changes.
//!
//! The debounce is global, not per path: a batch goes out once no relevant event has arrived for
//! a quiet period, so an editor's save (probe file, backup by rename, write, delete the backup)
//! or a "save all" of several files is one batch and so one rebuild. (notify-debouncer-mini times
//! each path on its own and splits such a burst into several batches.) The quiet period is short
//! once every changed file is complete (closed after writing, or renamed into place) and longer
//! while one may still be being written.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, ModifyKind, RenameMode};
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

use super::change::{ChangeKind, Layout, classify};
use crate::error::Diagnostic;

/// Changed paths of one burst, each with its kind; never empty, never `Ignore`.
pub(crate) type Batch = Vec<(PathBuf, ChangeKind)>;

/// A batch never waits longer than this, however long a stream of changes goes on.
const MAX_WAIT: Duration = Duration::from_secs(1);

/// Watches a book's sources until dropped.
pub(crate) struct Watcher {
    notify: Option<RecommendedWatcher>,
    stop: Sender<Raw>,
    debounce: Option<JoinHandle<()>>,
}

/// What the debounce thread receives.
#[derive(Debug)]
enum Raw {
    Change(Change),
    Stop,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Change {
    path: PathBuf,
    kind: ChangeKind,
    /// The file was closed after writing or renamed into place: its writer is done with it.
    complete: bool,
}

impl Watcher {
    /// Watches the source folder, the theme folders and extra folders (recursively) and the
    /// book's root (for book.toml only), never the build folder. Each batch goes to `out`, until
    /// it returns false. `quiet` is the longest quiet period.
    pub fn start(
        layout: &Layout,
        quiet: Duration,
        out: impl FnMut(Batch) -> bool + Send + 'static,
    ) -> Result<Watcher, Diagnostic> {
        let (raw_tx, raw_rx) = mpsc::channel::<Raw>();
        let stop = raw_tx.clone();
        let filter_layout = layout.clone();
        let mut notify =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                let event = match event {
                    Ok(event) => event,
                    Err(err) => {
                        eprintln!("warning: file watcher: {err}");
                        return;
                    }
                };
                for change in changes(event, &filter_layout) {
                    let _ = raw_tx.send(Raw::Change(change));
                }
            })
            .map_err(|e| Diagnostic::error(format!("could not start the file watcher: {e}")))?;

        let mut folders: Vec<&PathBuf> = vec![&layout.src_dir, &layout.themes_dir];
        folders.extend(&layout.theme_dir);
        folders.extend(&layout.extra_watch_dirs);
        folders.sort();
        folders.dedup();
        for dir in folders {
            // The theme folder usually sits inside themes/, already watched.
            let covered = dir != &layout.themes_dir
                && dir.starts_with(&layout.themes_dir)
                && layout.themes_dir.is_dir();
            if dir.is_dir() && !covered {
                notify
                    .watch(dir, RecursiveMode::Recursive)
                    .map_err(|e| watch_error(dir, &e))?;
            }
        }
        // The root itself only for book.toml: watching the file would lose it on an atomic save.
        notify
            .watch(&layout.root, RecursiveMode::NonRecursive)
            .map_err(|e| watch_error(&layout.root, &e))?;

        let debounce = std::thread::Builder::new()
            .name("guidebook-debounce".into())
            .spawn(move || debounce(raw_rx, quiet, out))
            .map_err(|e| Diagnostic::error(format!("could not start the file watcher: {e}")))?;
        Ok(Watcher {
            notify: Some(notify),
            stop,
            debounce: Some(debounce),
        })
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.notify.take();
        let _ = self.stop.send(Raw::Stop);
        if let Some(handle) = self.debounce.take() {
            let _ = handle.join();
        }
    }
}

fn watch_error(dir: &std::path::Path, err: &notify::Error) -> Diagnostic {
    Diagnostic::error(format!("could not watch `{}`: {err}", dir.display()))
        .hint("on Linux, raise fs.inotify.max_user_watches if the limit is reached")
}

/// The relevant changes in one notify event.
fn changes(event: notify::Event, layout: &Layout) -> Vec<Change> {
    if event.need_rescan() {
        // The kernel's queue overflowed: anything may have changed.
        return vec![Change {
            path: layout.root.clone(),
            kind: ChangeKind::Unknown,
            complete: true,
        }];
    }
    let completes = |i: usize| match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Modify(ModifyKind::Name(RenameMode::To)) => true,
        // A paired rename lists the old path, then the new one.
        EventKind::Modify(ModifyKind::Name(RenameMode::Both)) => i == 1,
        _ => false,
    };
    if !changes_content(&event.kind) {
        return Vec::new();
    }
    event
        .paths
        .iter()
        .enumerate()
        .filter_map(|(i, path)| {
            let kind = classify(path, layout);
            (kind != ChangeKind::Ignore).then(|| Change {
                path: path.clone(),
                kind,
                complete: completes(i),
            })
        })
        .collect()
}

/// Opening or reading a file (our own build does both) changes nothing.
fn changes_content(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Collects changes into batches: a batch closes after a quiet period (short when every file is
/// complete, `quiet` while one may still be being written), or after `MAX_WAIT`.
fn debounce(raw: Receiver<Raw>, quiet: Duration, mut out: impl FnMut(Batch) -> bool) {
    // Once every changed file is complete, the rest of a save (the next files of a "save all")
    // comes right away: a shorter wait is enough.
    let settle = quiet * 2 / 5;
    while let Ok(Raw::Change(first)) = raw.recv() {
        let started = Instant::now();
        let mut batch: Batch = Vec::new();
        let mut unfinished: HashSet<PathBuf> = HashSet::new();
        let mut next = Some(first);
        loop {
            if let Some(change) = next.take() {
                if change.complete {
                    unfinished.remove(&change.path);
                } else {
                    unfinished.insert(change.path.clone());
                }
                if !batch
                    .iter()
                    .any(|(p, k)| *p == change.path && *k == change.kind)
                {
                    batch.push((change.path, change.kind));
                }
            }
            let wait = if unfinished.is_empty() { settle } else { quiet };
            let deadline = (Instant::now() + wait).min(started + MAX_WAIT);
            match raw.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(Raw::Change(change)) => next = Some(change),
                Err(RecvTimeoutError::Timeout) => break,
                Ok(Raw::Stop) | Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        if !out(batch) {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(path: &str, complete: bool) -> Raw {
        Raw::Change(Change {
            path: PathBuf::from(path),
            kind: ChangeKind::Content,
            complete,
        })
    }

    /// Runs the debounce over `script` (a change, then a pause before the next), returning each
    /// batch's paths and when it came out.
    fn run(quiet: Duration, script: Vec<(Raw, u64)>) -> Vec<(Vec<PathBuf>, Duration)> {
        let (raw_tx, raw_rx) = mpsc::channel();
        let (out_tx, out_rx) = mpsc::channel();
        let thread = std::thread::spawn(move || {
            debounce(raw_rx, quiet, move |b| {
                out_tx.send((b, Instant::now())).is_ok()
            })
        });
        let started = Instant::now();
        for (raw, pause) in script {
            raw_tx.send(raw).unwrap();
            std::thread::sleep(Duration::from_millis(pause));
        }
        raw_tx.send(Raw::Stop).unwrap();
        thread.join().unwrap();
        out_rx
            .try_iter()
            .map(|(b, at)| (b.into_iter().map(|(p, _)| p).collect(), at - started))
            .collect()
    }

    #[test]
    fn a_burst_is_one_batch_and_a_pause_starts_another() {
        let batches = run(
            Duration::from_millis(80),
            vec![
                (change("/a.md", false), 10),
                (change("/b.md", false), 10),
                (change("/a.md", true), 10),
                (change("/c.md", true), 300),
                (change("/d.md", true), 300),
            ],
        );
        let paths: Vec<_> = batches.iter().map(|(p, _)| p.clone()).collect();
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(
            paths,
            vec![vec![p("/a.md"), p("/b.md"), p("/c.md")], vec![p("/d.md")]]
        );
    }

    #[test]
    fn a_file_still_being_written_holds_the_batch() {
        let quiet = Duration::from_millis(300);
        // b.md was modified but not closed: the batch waits the whole quiet period.
        let open = run(
            quiet,
            vec![(change("/a.md", true), 0), (change("/b.md", false), 700)],
        );
        assert_eq!(open.len(), 1);
        assert!(open[0].1 >= quiet, "{:?}", open[0].1);
        // Closed after writing: the shorter settle period (2/5 of it) is enough.
        let closed = run(
            quiet,
            vec![(change("/a.md", false), 0), (change("/a.md", true), 700)],
        );
        assert_eq!(closed.len(), 1);
        assert!(closed[0].1 < quiet, "{:?}", closed[0].1);
    }

    #[test]
    fn opening_and_reading_are_not_changes() {
        use notify::event::CreateKind;
        assert!(!changes_content(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!changes_content(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(changes_content(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(changes_content(&EventKind::Modify(ModifyKind::Any)));
        assert!(changes_content(&EventKind::Create(CreateKind::File)));
    }

    #[test]
    fn a_rename_into_place_completes_the_new_path_only() {
        let layout = Layout::fallback(std::path::Path::new("/book"));
        let event = notify::Event::new(EventKind::Modify(ModifyKind::Name(RenameMode::Both)))
            .add_path(PathBuf::from("/book/content/a.md"))
            .add_path(PathBuf::from("/book/content/b.md"));
        let found = changes(event, &layout);
        assert_eq!(found.len(), 2);
        assert!(!found[0].complete && found[1].complete);
        let temp = notify::Event::new(EventKind::Modify(ModifyKind::Name(RenameMode::Both)))
            .add_path(PathBuf::from("/book/content/a.md"))
            .add_path(PathBuf::from("/book/content/a.md~"));
        let found = changes(temp, &layout);
        assert_eq!(found.len(), 1);
        assert!(!found[0].complete, "moved away to a backup");
        let read = notify::Event::new(EventKind::Access(AccessKind::Open(AccessMode::Any)))
            .add_path(PathBuf::from("/book/content/a.md"));
        assert!(changes(read, &layout).is_empty());
    }
}
