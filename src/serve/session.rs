//! The rebuild loop shared by `serve` and `watch`: wait for a batch of changes, plan, rebuild
//! what the plan says, hand the outcome on. A failed build keeps the last good one, and the loop
//! never stops on a build error.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::change::{Layout, Plan};
use super::deferred::{DEFER_DELAY, DeferredFiles, DeferredJob};

use super::files::SiteFiles;
use super::incremental::RebuildOptions;
use super::incremental::{self, Previous, Redone};
use super::watch::{Batch, Watcher};
use crate::build::Built;
use crate::error::{Diagnostic, Diagnostics};

/// One build's result, as the loop hands it on.
pub(crate) enum Outcome<'a> {
    Built {
        built: &'a Built,
        site: &'a SiteFiles,
        plan: Plan,
        /// `None` for a full build.
        redone: Option<Redone>,
        elapsed: Duration,
    },
    Failed {
        errors: &'a Diagnostics,
    },
    /// The outputs the last `Built` deferred (print page, search index, export data) are in its
    /// site now; nothing a browser shows has changed.
    Completed {
        built: &'a Built,
        site: &'a SiteFiles,
    },
}

/// Where outcomes go: the server's state and browsers, or the build folder.
pub(crate) type Publish = Box<dyn FnMut(Outcome) + Send>;

enum Message {
    Changes(Batch),
    /// The deferred outputs of the build with this number.
    Deferred(u64, DeferredFiles),
    Stop,
}

/// A running rebuild loop; `stop` ends it after the build under way.
pub struct Session {
    messages: Sender<Message>,
    thread: Option<JoinHandle<()>>,
}

struct Loop {
    root: PathBuf,
    options: RebuildOptions,
    quiet: Duration,
    layout: Layout,
    watcher: Watcher,
    messages: Sender<Message>,
    /// The last good build, and its number.
    last: Option<Previous>,
    builds: u64,
    /// Building the last good build's deferred outputs; the next build cancels it.
    deferred: Option<DeferredJob>,
    /// Everything changed since the last good build: a failed build does not use up its
    /// changes, so the next build after a fix still sees them.
    pending: Plan,
    pending_paths: Vec<PathBuf>,
    publish: Publish,
}

impl Session {
    /// Watches the book at `root`, builds it once (publishing the outcome before returning), then
    /// rebuilds on every batch of changes in a thread of its own.
    pub fn start(
        root: &Path,
        options: RebuildOptions,
        quiet: Duration,
        publish: Publish,
    ) -> Result<Session, Diagnostics> {
        // The watcher reports absolute paths; the layout must use the same spelling.
        let root = std::fs::canonicalize(root)
            .map_err(|e| crate::error::io_error("open the book folder", root, &e))?;
        let layout = layout_of(&root);
        let (tx, rx) = mpsc::channel();
        // Watch first, so a change during the first build is not missed.
        let watcher = watch(&layout, quiet, &tx)?;
        let mut state = Loop {
            root,
            options,
            quiet,
            layout,
            watcher,
            messages: tx.clone(),
            last: None,
            builds: 0,
            deferred: None,
            pending: Plan::Nothing,
            pending_paths: Vec::new(),
            publish,
        };
        state.run(Plan::Full, Vec::new());
        let thread = std::thread::Builder::new()
            .name("guidebook-rebuild".into())
            .spawn(move || state.serve(rx))
            .map_err(|e| Diagnostic::error(format!("could not start the rebuild loop: {e}")))?;
        Ok(Session {
            messages: tx,
            thread: Some(thread),
        })
    }

    pub(crate) fn stop(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        let _ = self.messages.send(Message::Stop);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.stop_now();
    }
}

fn layout_of(root: &Path) -> Layout {
    crate::config::load(root)
        .map(|(config, _)| Layout::of(&config))
        .unwrap_or_else(|_| Layout::fallback(root))
}

fn watch(layout: &Layout, quiet: Duration, tx: &Sender<Message>) -> Result<Watcher, Diagnostic> {
    let tx = tx.clone();
    Watcher::start(layout, quiet, move |batch| {
        tx.send(Message::Changes(batch)).is_ok()
    })
}

impl Loop {
    fn serve(mut self, messages: Receiver<Message>) {
        while let Ok(message) = messages.recv() {
            let mut batch = match message {
                Message::Changes(batch) => batch,
                Message::Deferred(build, files) => {
                    self.complete_deferred(build, files);
                    continue;
                }
                Message::Stop => return,
            };
            // Changes that arrived during the last build join this one: one rebuild for all.
            let mut stop = false;
            while let Ok(message) = messages.try_recv() {
                match message {
                    Message::Changes(more) => batch.extend(more),
                    Message::Deferred(build, files) => self.complete_deferred(build, files),
                    Message::Stop => stop = true,
                }
            }
            if stop {
                return;
            }
            let plan = Plan::for_changes(batch.iter().map(|(_, kind)| *kind));
            self.run(plan, batch.into_iter().map(|(path, _)| path).collect());
        }
    }

    fn run(&mut self, plan: Plan, paths: Vec<PathBuf>) {
        if plan == Plan::Nothing {
            return;
        }
        self.pending = self.pending.max(plan);
        for path in paths {
            if !self.pending_paths.contains(&path) {
                self.pending_paths.push(path);
            }
        }
        let plan = self.pending;
        if plan == Plan::Full {
            self.follow_layout();
        }
        let changed =
            (plan != Plan::Full && self.last.is_some()).then_some(&self.pending_paths[..]);
        // The last build's deferred outputs would be out of date: this build makes its own.
        self.deferred = None;
        let started = Instant::now();
        let result = incremental::build(&self.root, self.last.as_ref(), changed, self.options);
        let elapsed = started.elapsed();
        match result {
            Ok((next, redone)) => {
                let redone = changed.map(|_| redone);
                let previous = self.last.replace(next);
                self.builds += 1;
                self.pending = Plan::Nothing;
                self.pending_paths.clear();
                let last = self.last.as_ref().expect("just stored");
                (self.publish)(Outcome::Built {
                    built: &last.built,
                    site: &last.site,
                    plan,
                    redone,
                    elapsed,
                });
                // The old build goes only now: freeing a big book takes a few milliseconds.
                drop(previous);
                self.start_deferred();
            }
            Err(errors) => (self.publish)(Outcome::Failed { errors: &errors }),
        }
    }

    /// Starts building what the last build left for after the browsers' reload (see
    /// `RebuildOptions::defer_whole_book`) in the background.
    fn start_deferred(&mut self) {
        let Some(last) = self.last.as_ref().filter(|_| self.options.defers()) else {
            return;
        };
        // Until a build has them, there are no earlier ones to serve meanwhile (see
        // `incremental::keep_deferred`): the first are built before serving starts.
        if !last.site.files.contains_key(super::DEFERRED_PATHS[1]) {
            let files = super::deferred::build_now(&last.built);
            self.complete_deferred(self.builds, files);
            return;
        }
        let (build, messages) = (self.builds, self.messages.clone());
        self.deferred = Some(DeferredJob::start(
            last.built.clone(),
            DEFER_DELAY,
            move |files| {
                let _ = messages.send(Message::Deferred(build, files));
            },
        ));
    }

    /// Adds the deferred outputs of build number `build` to its site, if it is still the last
    /// one, and publishes the completed site.
    fn complete_deferred(&mut self, build: u64, files: DeferredFiles) {
        let Some(last) = self.last.as_mut().filter(|_| build == self.builds) else {
            return;
        };
        self.deferred = None;
        match files {
            Ok(files) => {
                last.site.files.extend(files.files);
                (self.publish)(Outcome::Completed {
                    built: &last.built,
                    site: &last.site,
                });
            }
            Err(errors) => (self.publish)(Outcome::Failed { errors: &errors }),
        }
    }

    /// book.toml may have moved the source, theme or watched folders: watch the new ones, before
    /// the build reads them, so that no change in them goes unseen.
    fn follow_layout(&mut self) {
        // A book.toml that does not load moves nothing; its build reports the error.
        let Ok((config, _)) = crate::config::load(&self.root) else {
            return;
        };
        let layout = Layout::of(&config);
        if layout == self.layout {
            return;
        }
        match watch(&layout, self.quiet, &self.messages) {
            Ok(watcher) => {
                self.watcher = watcher;
                self.layout = layout;
            }
            Err(e) => eprintln!("{e}"),
        }
    }
}
