//! The command line: parse arguments, call the library, print results, pick the exit code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::error::{Diagnostic, Diagnostics};

#[derive(Parser)]
#[command(
    name = "guidebook",
    version,
    about = "Build interactive books (checklists, worksheets, case studies) from Markdown and YAML"
)]
struct Cli {
    /// Print more detail (every warning in full, timings)
    #[arg(short, long, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the book into its build folder (default: public/)
    Build {
        /// The book's folder (with book.toml); default: the current folder
        dir: Option<PathBuf>,
        /// Write the site here instead of the build-dir from book.toml
        #[arg(short = 'd', long = "dest-dir")]
        dest: Option<PathBuf>,
        /// Broken links are errors, even in a book laid out for mdBook
        #[arg(long)]
        strict: bool,
    },
    /// Check everything a build would check, writing nothing
    Check {
        /// The book's folder; default: the current folder
        dir: Option<PathBuf>,
        /// Broken links are errors, even in a book laid out for mdBook
        #[arg(long)]
        strict: bool,
    },
    /// Create a new book that builds as it is
    Init {
        /// Folder to create the book in
        dir: PathBuf,
        /// The book's title
        #[arg(long)]
        title: Option<String>,
    },
    /// Remove the build folder
    Clean {
        /// The book's folder; default: the current folder
        dir: Option<PathBuf>,
    },
    /// Serve the book on a local web server, rebuilding and reloading the open page on every save
    Serve {
        /// The book's folder; default: the current folder
        dir: Option<PathBuf>,
        /// Port to listen on (0: any free port)
        #[arg(short, long, default_value_t = 3000)]
        port: u16,
        /// Address to listen on; anything but loopback lets other machines read the book
        #[arg(short, long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the book in the default web browser
        #[arg(short, long)]
        open: bool,
    },
    /// Rebuild the book into its build folder on every change, without serving it
    Watch {
        /// The book's folder; default: the current folder
        dir: Option<PathBuf>,
        /// Write the site here instead of the build-dir from book.toml
        #[arg(short = 'd', long = "dest-dir")]
        dest: Option<PathBuf>,
    },
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { dir, dest, strict } => {
            let root = book_root(dir);
            match crate::build::build_with(&root, dest.as_deref(), strict) {
                Ok(report) => {
                    print_warnings(&report.warnings, cli.verbose);
                    let dest = dest.unwrap_or_else(|| relative_build_dir(&root));
                    println!(
                        "built {} pages ({} files, {} KB) into {} in {} ms",
                        report.pages,
                        report.files,
                        report.bytes / 1024,
                        dest.display(),
                        report.elapsed.as_millis()
                    );
                    ExitCode::SUCCESS
                }
                Err(errors) => fail(&errors),
            }
        }
        Command::Check { dir, strict } => {
            let root = book_root(dir);
            match crate::build::check_with(&root, strict) {
                Ok(warnings) => {
                    print_warnings(&warnings, true);
                    println!("no errors ({} warnings)", warnings.0.len());
                    ExitCode::SUCCESS
                }
                Err(errors) => fail(&errors),
            }
        }
        Command::Init { dir, title } => match crate::init::init(&dir, title.as_deref()) {
            Ok(()) => {
                println!(
                    "created a new book in {}; build it with `guidebook build {}`",
                    dir.display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(errors) => fail(&errors),
        },
        Command::Clean { dir } => {
            let root = book_root(dir);
            match crate::config::load(&root) {
                Ok((config, _)) => match std::fs::remove_dir_all(&config.build_dir) {
                    Ok(()) => {
                        println!("removed {}", config.build_dir.display());
                        ExitCode::SUCCESS
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        println!("nothing to clean");
                        ExitCode::SUCCESS
                    }
                    Err(e) => fail(&crate::error::io_error("remove", &config.build_dir, &e).into()),
                },
                Err(errors) => fail(&errors),
            }
        }
        Command::Serve {
            dir,
            port,
            bind,
            open,
        } => serve(book_root(dir), &bind, port, open),
        Command::Watch { dir, dest } => {
            let options = crate::serve::WatchOptions {
                root: book_root(dir),
                dest,
                debounce: crate::serve::DEFAULT_DEBOUNCE,
            };
            match crate::serve::start_watch(options) {
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
    }
}

/// A `serve` or `watch` that could not start (no build has run, so no "build failed").
fn not_started(errors: &Diagnostics) -> ExitCode {
    eprintln!("{errors}");
    ExitCode::FAILURE
}

fn serve(root: PathBuf, bind: &str, port: u16, open: bool) -> ExitCode {
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
    let options = crate::serve::ServeOptions {
        root,
        bind: ip,
        port,
        ..Default::default()
    };
    let server = match crate::serve::start(options) {
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
fn stop_on_ctrl_c(stop: crate::serve::StopSignal) {
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

fn book_root(dir: Option<PathBuf>) -> PathBuf {
    dir.unwrap_or_else(|| PathBuf::from("."))
}

fn relative_build_dir(root: &Path) -> PathBuf {
    crate::config::load(root)
        .map(|(c, _)| c.build_dir)
        .unwrap_or_else(|_| root.join("public"))
}

fn print_warnings(warnings: &Diagnostics, verbose: bool) {
    if warnings.is_empty() {
        return;
    }
    if verbose || warnings.0.len() <= 5 {
        eprintln!("{warnings}");
    } else {
        for w in &warnings.0[..5] {
            eprintln!("{w}");
        }
        eprintln!(
            "... and {} more warnings (run with -v to see all)",
            warnings.0.len() - 5
        );
    }
}

fn fail(errors: &Diagnostics) -> ExitCode {
    eprintln!("{errors}");
    let count = errors.error_count();
    eprintln!(
        "build failed: {count} error{}",
        if count == 1 { "" } else { "s" }
    );
    ExitCode::FAILURE
}
