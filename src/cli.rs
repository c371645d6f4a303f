//! The command line: parse arguments, call the library, print results, pick the exit code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::error::Diagnostics;

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
        /// Replace the destination even if it holds files that are not a guidebook build
        #[arg(long)]
        force: bool,
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
    /// Remove the build folder (only a folder that a build made)
    Clean {
        /// The book's folder; default: the current folder
        dir: Option<PathBuf>,
    },
    /// Serve the book on a local web server, rebuilding and reloading the open page on every save
    #[cfg(feature = "serve")]
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
    #[cfg(feature = "serve")]
    Watch {
        /// The book's folder; default: the current folder
        dir: Option<PathBuf>,
        /// Write the site here instead of the build-dir from book.toml
        #[arg(short = 'd', long = "dest-dir")]
        dest: Option<PathBuf>,
        /// Replace the destination even if it holds files that are not a guidebook build
        #[arg(long)]
        force: bool,
    },
}

pub fn run() -> ExitCode {
    crate::memory::tune_allocator();
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            dir,
            dest,
            force,
            strict,
        } => run_build(book_root(dir), dest, force, strict, cli.verbose),
        Command::Check { dir, strict } => run_check(book_root(dir), strict),
        Command::Init { dir, title } => run_init(&dir, title.as_deref()),
        Command::Clean { dir } => run_clean(book_root(dir)),
        #[cfg(feature = "serve")]
        Command::Serve {
            dir,
            port,
            bind,
            open,
        } => crate::serve::cli::serve(book_root(dir), &bind, port, open, cli.verbose),
        #[cfg(feature = "serve")]
        Command::Watch { dir, dest, force } => {
            crate::serve::cli::watch(book_root(dir), dest, force)
        }
    }
}

fn run_build(
    root: PathBuf,
    dest: Option<PathBuf>,
    force: bool,
    strict: bool,
    verbose: bool,
) -> ExitCode {
    let options = crate::build::BuildOptions { force, strict };
    match crate::build::build_with(&root, dest.as_deref(), options) {
        Ok(report) => {
            print_warnings(&report.warnings, verbose);
            if verbose {
                for line in stage_lines(&report.stage_times) {
                    eprintln!("{line}");
                }
            }
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

fn run_check(root: PathBuf, strict: bool) -> ExitCode {
    match crate::build::check_with(&root, strict) {
        Ok(warnings) => {
            print_warnings(&warnings, true);
            println!("no errors ({} warnings)", warnings.len());
            ExitCode::SUCCESS
        }
        Err(errors) => fail(&errors),
    }
}

fn run_init(dir: &Path, title: Option<&str>) -> ExitCode {
    match crate::init::init(dir, title) {
        Ok(()) => {
            println!(
                "created a new book in {}; build it with `guidebook build {}`",
                dir.display(),
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(errors) => fail(&errors),
    }
}

fn run_clean(root: PathBuf) -> ExitCode {
    let removed = crate::config::load(&root).and_then(|(config, _)| {
        let dest = crate::output::Destination::choose(None, &config, false);
        crate::output::remove_build(&dest, &config).map(|removed| (removed, dest.path))
    });
    match removed {
        Ok((true, path)) => {
            println!("removed {}", path.display());
            ExitCode::SUCCESS
        }
        Ok((false, _)) => {
            println!("nothing to clean");
            ExitCode::SUCCESS
        }
        Err(errors) => fail(&errors),
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
    if verbose || warnings.len() <= 5 {
        eprintln!("{warnings}");
    } else {
        for w in warnings.iter().take(5) {
            eprintln!("{w}");
        }
        eprintln!(
            "... and {} more warnings (run with -v to see all)",
            warnings.len() - 5
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

/// `-v`'s report: each stage's time, and the peak memory once it was done where the system says.
fn stage_lines(stages: &[crate::build::StageTime]) -> Vec<String> {
    stages
        .iter()
        .map(|t| {
            let ms = t.elapsed.as_secs_f64() * 1000.0;
            let mut line = format!("{:>12}: {ms:>8.1} ms", t.stage);
            if let Some(cpu) = t.cpu {
                line.push_str(&format!(" (cpu {:.1} s)", cpu.as_secs_f64()));
            }
            if let Some(kib) = t.peak_rss_kib {
                line.push_str(&format!(
                    ", peak memory so far {:.1} MB",
                    kib as f64 / 1024.0
                ));
            }
            line
        })
        .collect()
}
