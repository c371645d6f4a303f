//! `guidebook serve` and `guidebook watch`: watch the sources, classify each change, rebuild what
//! it touched, and broadcast the result.
//!
//! ```text
//! notify ─▶ watch (classify, debounce) ─▶ session (plan, rebuild) ─▶ serve: swap the in-memory
//!                                                                    site, tell browsers (SSE)
//!                                                                  ─▶ watch: write the build dir
//! ```
//!
//! `serve` answers from the last good build in memory, so a failed build never replaces good
//! pages, and it writes nothing to the build folder. The build core knows nothing of this module.

mod change;
pub(crate) mod cli;
mod deferred;
mod files;
mod http;
mod incremental;
mod outline;
mod reload;
mod reread;
mod route;
mod session;
mod versions;
mod watch;

pub(crate) use change::Plan;
pub(crate) use reload::LiveEvent;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, PoisonError, RwLock};
use std::time::Duration;

use crate::error::{Diagnostic, Diagnostics};
use crate::output::Destination;
use crate::render::RenderOptions;
use http::{HttpServer, Live, Snapshot};
use incremental::RebuildOptions;
use reload::Broadcaster;
use session::{Outcome, Session};

/// What `RebuildOptions::defer_whole_book` leaves for after the browsers reload, by their stable
/// paths: the print page, the search index and the export data.
pub const DEFERRED_PATHS: [&str; 3] = ["print.html", "assets/search.js", "assets/data.js"];

/// How long the watcher waits for a burst of changes to end while a changed file may still be
/// being written; once every changed file is closed or renamed into place it waits 2/5 of it
/// (20 ms). An editor's save (probe file, backup by rename, write, backup removal) or a "save
/// all" takes a few milliseconds.
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(50);

#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The book's folder (with book.toml).
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub debounce: Duration,
    /// Threads answering page requests (event streams have a thread each).
    pub workers: usize,
    /// Print each rebuild's stage times (`-v`).
    pub verbose: bool,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            root: PathBuf::from("."),
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 3000,
            debounce: DEFAULT_DEBOUNCE,
            workers: 8,
            verbose: false,
        }
    }
}

/// A running server. Dropping it shuts it down too.
pub struct ServerHandle {
    pub addr: SocketAddr,
    site_path: String,
    http: Option<HttpServer>,
    session: Option<Session>,
    live: Arc<Live>,
    stop: StopSignal,
}

/// Builds the book, serves it, and rebuilds on every change until shut down. A failed first
/// build still serves (every page shows the error until a fix builds).
pub fn start(options: ServeOptions) -> Result<ServerHandle, Diagnostics> {
    let instance = instance_id();
    let live = Arc::new(Live {
        snapshot: RwLock::new(Arc::new(Snapshot {
            site: None,
            token: format!("{instance}.0"),
            site_path: "/".into(),
        })),
        events: Broadcaster::new(format!("{instance}.0"), None),
    });
    let addr = SocketAddr::new(options.bind, options.port);
    let http = HttpServer::start(addr, live.clone(), options.workers).map_err(|e| {
        Diagnostic::error(format!("could not listen on {addr}: {e}")).hint(
            "another program may use the port: pick another with `--port`, or `--port 0` for any free one",
        )
    })?;
    let addr = http.local_addr().unwrap_or(addr);
    let publish_to = live.clone();
    let verbose = options.verbose;
    let mut builds = 0u64;
    let publish = Box::new(move |outcome: Outcome| {
        match &outcome {
            Outcome::Built {
                built, site, plan, ..
            } => {
                builds += 1;
                let token = format!("{instance}.{builds}");
                publish_to.replace(Snapshot {
                    site: Some((*site).clone()),
                    token: token.clone(),
                    site_path: built.book.config.site_path.clone(),
                });
                publish_to.events.publish(if *plan == Plan::Stylesheets {
                    LiveEvent::Css(token)
                } else {
                    LiveEvent::Reload(token)
                });
            }
            Outcome::Failed { errors } => {
                publish_to
                    .events
                    .publish(LiveEvent::Error(errors.to_string()));
            }
            // Same build, same token: pages already showing it need not reload.
            Outcome::Completed { built, site } => {
                publish_to.replace(Snapshot {
                    site: Some((*site).clone()),
                    token: format!("{instance}.{builds}"),
                    site_path: built.book.config.site_path.clone(),
                });
            }
        }
        // After the browsers: printing a long error takes a moment.
        print_outcome(&outcome, "still serving the last good build");
        if verbose {
            print_stage_times(&outcome);
        }
    });
    let options_for_serve = RebuildOptions {
        render: RenderOptions {
            hash_assets: false,
            strict_links: false,
        },
        defer_whole_book: true,
    };
    let session = Session::start(&options.root, options_for_serve, options.debounce, publish)?;
    let site_path = live.current().site_path.clone();
    Ok(ServerHandle {
        addr,
        site_path,
        http: Some(http),
        session: Some(session),
        live,
        stop: StopSignal::default(),
    })
}

impl ServerHandle {
    /// The book's address, with its site path (`http://127.0.0.1:3000/`).
    pub fn url(&self) -> String {
        format!("http://{}{}", self.addr, self.site_path)
    }

    /// Triggering it makes `wait` return (from a Ctrl-C handler, say).
    pub(crate) fn stop_signal(&self) -> StopSignal {
        self.stop.clone()
    }

    /// Blocks until the stop signal is triggered.
    pub fn wait(&self) {
        self.stop.wait();
    }

    /// How many live-reload streams are open.
    pub fn stream_count(&self) -> usize {
        self.live.events.stream_count()
    }

    /// Stops watching, ends the event streams and stops answering requests.
    pub fn shutdown(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        self.stop.trigger();
        if let Some(session) = self.session.take() {
            session.stop();
        }
        self.live.events.close();
        if let Some(http) = self.http.take() {
            http.stop();
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.shut_down();
    }
}

#[derive(Debug, Clone)]
pub struct WatchOptions {
    pub root: PathBuf,
    /// Where to write the site; default: the book's build-dir.
    pub dest: Option<PathBuf>,
    /// Replace a destination that is not a previous build (`--force`).
    pub force: bool,
    pub debounce: Duration,
}

/// A running `watch`. Dropping it stops it too.
pub struct WatchHandle {
    session: Option<Session>,
    stop: StopSignal,
}

/// Builds the book into its build folder (atomically, as `build` does), then again on every
/// change. A failed build leaves the folder as it was.
pub fn start_watch(options: WatchOptions) -> Result<WatchHandle, Diagnostics> {
    // Refuse a dangerous destination before the first build, not after it.
    let (config, _) = crate::config::load(&options.root)?;
    let first = Destination::choose(options.dest.as_deref(), &config, options.force);
    crate::output::check_destination(&first, &config)?;
    let (dest, force) = (options.dest.clone(), options.force);
    let publish = Box::new(move |outcome: Outcome| {
        print_outcome(&outcome, "the build folder is unchanged");
        if let Outcome::Built { built, site, .. } = outcome {
            let config = &built.book.config;
            let dest = Destination::choose(dest.as_deref(), config, force);
            match write_files(site, &dest, config) {
                Ok(()) => eprintln!(
                    "wrote {} files into {}",
                    site.files.len(),
                    shown(&dest.path, &config.root)
                ),
                Err(errors) => eprintln!("{errors}"),
            }
        }
    });
    let session = Session::start(
        &options.root,
        RebuildOptions {
            render: RenderOptions {
                hash_assets: true,
                strict_links: false,
            },
            defer_whole_book: false,
        },
        options.debounce,
        publish,
    )?;
    Ok(WatchHandle {
        session: Some(session),
        stop: StopSignal::default(),
    })
}

impl WatchHandle {
    pub(crate) fn stop_signal(&self) -> StopSignal {
        self.stop.clone()
    }

    pub fn wait(&self) {
        self.stop.wait();
    }

    /// Stops watching once the build under way (and its write) is done.
    pub fn shutdown(mut self) {
        if let Some(session) = self.session.take() {
            session.stop();
        }
    }
}

impl Drop for WatchHandle {
    fn drop(&mut self) {
        if let Some(session) = self.session.take() {
            session.stop();
        }
    }
}

/// Writes `watch`'s build, kept in memory for its next rebuild, to the build folder atomically.
fn write_files(
    site: &files::SiteFiles,
    dest: &Destination,
    config: &crate::config::BookConfig,
) -> Result<(), Diagnostics> {
    use rayon::prelude::*;
    crate::output::write_atomically(dest, config, |sink| {
        site.files
            .par_iter()
            .try_for_each(|(path, bytes)| sink.keep(path, bytes.clone()))
            .map_err(Diagnostics::from)
    })
}

/// A flag one thread sets and others wait for.
#[derive(Debug, Clone, Default)]
pub(crate) struct StopSignal(Arc<(Mutex<bool>, Condvar)>);

impl StopSignal {
    pub(crate) fn trigger(&self) {
        let (flag, condvar) = &*self.0;
        *flag.lock().unwrap_or_else(PoisonError::into_inner) = true;
        condvar.notify_all();
    }

    pub(crate) fn is_triggered(&self) -> bool {
        *self.0.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn wait(&self) {
        let (flag, condvar) = &*self.0;
        let mut stopped = flag.lock().unwrap_or_else(PoisonError::into_inner);
        while !*stopped {
            stopped = condvar
                .wait(stopped)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// Tells this server's builds from an earlier server's, for pages open across a restart.
fn instance_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{:x}", nanos ^ u128::from(std::process::id()))
}

fn shown(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// One line per good build, the full diagnostics (as `build` prints them) per failed one.
fn print_outcome(outcome: &Outcome, after_failure: &str) {
    match outcome {
        Outcome::Built {
            built,
            redone,
            elapsed,
            ..
        } => {
            let ms = elapsed.as_secs_f64() * 1000.0;
            match redone {
                Some(r) => eprintln!(
                    "rebuilt in {ms:.0} ms ({} chapter{} and {} page{} re-rendered)",
                    r.chapters,
                    plural(r.chapters),
                    r.pages,
                    plural(r.pages)
                ),
                None => eprintln!("built {} pages in {ms:.0} ms", built.written.pages),
            }
            let warnings = &built.warnings;
            if !warnings.is_empty() && redone.is_none() {
                for w in warnings.iter().take(5) {
                    eprintln!("{w}");
                }
                if warnings.len() > 5 {
                    eprintln!("... and {} more warnings", warnings.len() - 5);
                }
            }
        }
        Outcome::Completed { .. } => {}
        Outcome::Failed { errors } => {
            let count = errors.error_count();
            eprintln!("{errors}");
            eprintln!(
                "build failed: {count} error{}; {after_failure}",
                plural(count)
            );
        }
    }
}

/// `-v`: one line with each stage's time of a good build.
fn print_stage_times(outcome: &Outcome) {
    let Outcome::Built { built, .. } = outcome else {
        return;
    };
    let shown: Vec<String> = built
        .stage_times
        .iter()
        .map(|t| format!("{} {:.1} ms", t.stage, t.elapsed.as_secs_f64() * 1000.0))
        .collect();
    eprintln!("  stages: {}", shown.join(", "));
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
