//! The `serve` and `watch` commands: start the server or the watcher, stop on Ctrl-C.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::error::{Diagnostic, Diagnostics};

/// A `serve` or `watch` that could not start (no build has run, so no "build failed").
fn not_started(errors: &Diagnostics) -> ExitCode {
    eprintln!("{errors}");
    ExitCode::FAILURE
}

pub fn serve(root: PathBuf, bind: &str, port: u16, open: bool, verbose: bool) -> ExitCode {
    use std::net::ToSocketAddrs;
    let Some(ip) = (bind, port)
        .to_socket_addrs()
        .ok()
        .and_then(|mut addrs| addrs.next())
        .map(|a| a.ip())
    else {
        return not_started(
            &Diagnostic::error(format!("`{bind}` is not an address to listen on"))
                .hint("use an IP address such as 127.0.0.1 or 0.0.0.0, or `localhost`")
                .into(),
        );
    };
    if !ip.is_loopback() {
        eprintln!(
            "warning: listening on {ip}: other machines that can reach it can read the book and its build errors"
        );
    }
    let options = super::ServeOptions {
        root,
        bind: ip,
        port,
        verbose,
        ..Default::default()
    };
    let server = match super::start(options) {
        Ok(server) => server,
        Err(errors) => return not_started(&errors),
    };
    let url = browsable(&server.url());
    println!("serving the book at {url} (Ctrl-C to stop)");
    if open {
        open_browser(&url);
    }
    stop_on_ctrl_c(server.stop_signal());
    server.wait();
    server.shutdown();
    ExitCode::SUCCESS
}

/// A URL for "any address" is no place to browse to; loopback is.
fn browsable(url: &str) -> String {
    url.replacen("//0.0.0.0:", "//127.0.0.1:", 1)
        .replacen("//[::]:", "//[::1]:", 1)
}

/// The first Ctrl-C stops cleanly (a `watch` finishes writing); a second one exits at once.
fn stop_on_ctrl_c(stop: super::StopSignal) {
    let result = ctrlc::set_handler(move || {
        if stop.is_triggered() {
            std::process::exit(130);
        }
        eprintln!("stopping");
        stop.trigger();
    });
    if let Err(e) = result {
        eprintln!("warning: Ctrl-C will end the process without cleaning up: {e}");
    }
}

fn open_browser(url: &str) {
    let (program, args): (&str, &[&str]) = if cfg!(target_os = "macos") {
        ("open", &[])
    } else if cfg!(windows) {
        ("cmd", &["/C", "start", ""])
    } else {
        ("xdg-open", &[])
    };
    let spawned = std::process::Command::new(program)
        .args(args)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match spawned {
        Ok(mut child) => {
            let url = url.to_string();
            std::thread::spawn(move || {
                if let Ok(status) = child.wait()
                    && !status.success()
                {
                    eprintln!(
                        "warning: `{program}` could not open a browser ({status}); open {url} yourself"
                    );
                }
            });
        }
        Err(e) => {
            eprintln!(
                "warning: could not run `{program}` to open a browser: {e}; open {url} yourself"
            )
        }
    }
}

/// `guidebook watch`: rebuilds into the build folder on every change until Ctrl-C.
pub(crate) fn watch(root: PathBuf, dest: Option<PathBuf>, force: bool) -> ExitCode {
    let options = super::WatchOptions {
        root,
        dest,
        force,
        debounce: super::DEFAULT_DEBOUNCE,
    };
    match super::start_watch(options) {
        Ok(watch) => {
            eprintln!("watching for changes (Ctrl-C to stop)");
            stop_on_ctrl_c(watch.stop_signal());
            watch.wait();
            watch.shutdown();
            ExitCode::SUCCESS
        }
        Err(errors) => not_started(&errors),
    }
}
