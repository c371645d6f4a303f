//! The browser: a real headless Chromium driven through chromedriver (fantoccini), one fresh profile
//! per test, at most two at a time; tests reach the site, the browser and sessions from here.

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use fantoccini::ClientBuilder;
use serde_json::{Value, json};

pub use super::reader::{
    BookExport, export_book, follow_sidebar_link, open_search, read_json, search,
};
pub use super::server::Site;
pub use super::session::Session;

/// How long to wait for anything the page does on its own (saving, searching, loading).
pub const PATIENCE: Duration = Duration::from_secs(10);

/// Chromium instances allowed at once: the machine has two cores.
const BROWSER_SLOTS: usize = 2;

/// Whether CI asked for every test to really run.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Skips the calling test loudly on a developer machine, fails it in CI.
pub fn skip_or_fail(missing: &str, remedy: &str) {
    if in_ci() {
        panic!("CI=true, so the browser tests must run, but {missing}");
    }
    eprintln!(
        "\n==================== BROWSER TEST SKIPPED ====================\n\
         {missing}.\n{remedy}\nWith CI=true this is a failure.\n\
         ==============================================================\n"
    );
}

fn find_program(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(env) {
        return Some(PathBuf::from(path)).filter(|p| p.is_file());
    }
    let dirs = std::env::var_os("PATH").unwrap_or_default();
    names.iter().find_map(|name| {
        std::env::split_paths(&dirs)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

/// One test's Chromium: its own chromedriver, profile folder and downloads folder.
pub struct Browser {
    chrome: PathBuf,
    driver: ChromeDriver,
    dir: tempfile::TempDir,
    _slot: Slot,
}

impl Browser {
    /// `None` (after a loud message) when there is no browser and CI is not set.
    pub fn start() -> Option<Browser> {
        let chrome = find_program("CHROME", &["chromium", "chromium-browser", "google-chrome"]);
        let driver = find_program("CHROMEDRIVER", &["chromedriver"]);
        let (Some(chrome), Some(driver)) = (chrome, driver) else {
            skip_or_fail(
                "Chromium or chromedriver was not found",
                "Install Debian's `chromium` and `chromium-driver`, or set CHROME and CHROMEDRIVER.",
            );
            return None;
        };
        let slot = Slot::take();
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("downloads")).expect("downloads folder");
        Some(Browser {
            chrome,
            driver: ChromeDriver::start(&driver),
            dir,
            _slot: slot,
        })
    }

    /// The folder the browser saves downloads into.
    pub fn downloads(&self) -> PathBuf {
        self.dir.path().join("downloads")
    }

    /// Opens Chromium on this test's profile: a later session sees what an earlier one stored.
    pub async fn open(&self, site: &Site) -> Session {
        self.open_with_prefs(site, json!({})).await
    }

    /// Like `open`, with more Chromium preferences (e.g. content settings that block storage).
    pub async fn open_with_prefs(&self, site: &Site, extra_prefs: Value) -> Session {
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            // The theme scrolls smoothly otherwise, and chromedriver clicks where an element was
            // before the scroll ended.
            "--force-prefers-reduced-motion",
        ]
        .map(String::from)
        .into_iter()
        .chain([format!(
            "--user-data-dir={}",
            self.dir.path().join("profile").display()
        )])
        .collect::<Vec<_>>();
        let caps = json!({
            "goog:chromeOptions": {
                "binary": self.chrome,
                "args": args,
                "prefs": {
                    "download.default_directory": self.downloads(),
                    "download.prompt_for_download": false,
                },
            }
        });
        let mut caps = caps;
        if let (Some(prefs), Value::Object(extra)) = (
            caps["goog:chromeOptions"]["prefs"].as_object_mut(),
            extra_prefs,
        ) {
            prefs.extend(extra);
        }
        let Value::Object(caps) = caps else {
            unreachable!()
        };
        let client = ClientBuilder::native()
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.driver.port))
            .await
            .expect("start a Chromium session through chromedriver");
        client
            .set_window_size(1280, 900)
            .await
            .expect("set the window size");
        Session::new(client, site.url(""))
    }

    /// Deletes every file downloaded so far.
    pub fn clear_downloads(&self) {
        let downloads = self.downloads();
        for old in std::fs::read_dir(&downloads)
            .expect("the downloads folder")
            .flatten()
        {
            std::fs::remove_file(old.path())
                .unwrap_or_else(|e| panic!("removing {}: {e}", old.path().display()));
        }
    }

    /// Waits for a download to finish and returns its path.
    pub async fn downloaded(&self, name: &str) -> PathBuf {
        let path = self.downloads().join(name);
        let partial = self.downloads().join(format!("{name}.crdownload"));
        let start = Instant::now();
        while !path.is_file() || partial.exists() {
            if start.elapsed() > PATIENCE {
                let found: Vec<_> = std::fs::read_dir(self.downloads())
                    .map(|d| d.flatten().map(|e| e.file_name()).collect())
                    .unwrap_or_default();
                panic!("no download {name} after {PATIENCE:?}; the folder has {found:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        path
    }

    /// Waits for a finished download whose name has this start and end (e.g. a dated export).
    pub async fn download_like(&self, prefix: &str, suffix: &str) -> PathBuf {
        let start = Instant::now();
        loop {
            let names: Vec<String> = std::fs::read_dir(self.downloads())
                .map(|d| {
                    d.flatten()
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .collect()
                })
                .unwrap_or_default();
            if let Some(name) = names
                .iter()
                .find(|n| n.starts_with(prefix) && n.ends_with(suffix))
            {
                return self.downloaded(name).await;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "no download {prefix}…{suffix} among {names:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Deletes the profile, as if the reader moved to another browser. Close sessions first.
    pub fn forget_profile(&self) {
        let profile = self.dir.path().join("profile");
        if profile.exists() {
            std::fs::remove_dir_all(&profile).expect("removing the browser profile");
        }
    }
}

/// A running chromedriver on a free port, killed when dropped.
struct ChromeDriver {
    child: Child,
    port: u16,
}

impl ChromeDriver {
    fn start(program: &Path) -> ChromeDriver {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(program)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", program.display()));
        let driver = ChromeDriver { child, port };
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "chromedriver did not listen on port {port} within 20 s"
            );
            std::thread::sleep(Duration::from_millis(25));
        }
        driver
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        // Ask chromedriver to quit its browsers first (a test that panicked never closed its
        // session), then make sure it is gone.
        if let Ok(mut s) = TcpStream::connect(("127.0.0.1", self.port)) {
            let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
            let _ = s.write_all(
                b"GET /shutdown HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
            );
            let _ = std::io::Read::read_to_end(&mut s, &mut Vec::new());
        }
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A place among the `BROWSER_SLOTS` browsers allowed at once.
struct Slot;

static SLOTS: Mutex<usize> = Mutex::new(0);
static SLOT_FREED: Condvar = Condvar::new();

impl Slot {
    fn take() -> Slot {
        let mut used = SLOTS.lock().unwrap_or_else(|e| e.into_inner());
        while *used >= BROWSER_SLOTS {
            used = SLOT_FREED.wait(used).unwrap_or_else(|e| e.into_inner());
        }
        *used += 1;
        Slot
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        *SLOTS.lock().unwrap_or_else(|e| e.into_inner()) -= 1;
        SLOT_FREED.notify_one();
    }
}
