//! Nothing the author wrote is ever replaced: dangerous destinations are refused before anything
//! is touched (checked by hashing the book before and after), only folders a build made are
//! replaced or cleaned, the swap never leaves the destination missing, and collisions are errors.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::common::{TestBook, stderr};

/// Every file under `dir` with its bytes, for "nothing changed" checks.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn refused(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(1),
        "expected exit 1:\n{}",
        stderr(out)
    );
    stderr(out)
}

/// The whole book folder is unchanged by `args`, which fail with a message containing `expect`.
fn assert_refused_untouched(book: &TestBook, args: &[&str], expect: &[&str]) {
    let parent = book.root.parent().unwrap();
    let before = snapshot(parent);
    let err = refused(&book.cli(args));
    for part in expect {
        assert!(err.contains(part), "{args:?}: {part:?} not in\n{err}");
    }
    assert!(err.contains("nothing was changed"), "{err}");
    assert_eq!(snapshot(parent), before, "{args:?} changed files");
}

#[test]
fn the_source_folder_the_book_root_and_their_ancestors_are_refused() {
    let book = TestBook::fixture("basic");
    assert_refused_untouched(
        &book,
        &["build", ".", "-d", "content"],
        &["refusing to write the site to `content` (set by `-d`): it is the book's source folder"],
    );
    assert_refused_untouched(
        &book,
        &["build", "-d", "."],
        &["`.` (set by `-d`): it is the book's root folder"],
    );
    assert_refused_untouched(
        &book,
        &["build", "-d", ".."],
        &["`..` (set by `-d`): it contains the book's root folder"],
    );
    assert_refused_untouched(
        &book,
        &["build", "-d", "content/site"],
        &[
            "it is inside the book's source folder `content`: its files would be copied into every later build",
        ],
    );
    assert_refused_untouched(
        &book,
        &["build", "-d", "themes/mine"],
        &["it is inside the book's theme folder `themes`"],
    );
    assert_refused_untouched(
        &book,
        &["build", "-d", "/"],
        &["it is the file system's root"],
    );
}

#[test]
fn the_home_folder_is_refused() {
    let book = TestBook::fixture("basic");
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join("notes.txt"), "mine").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_guidebook"))
        .args(["build", "-d"])
        .arg(home.path())
        .current_dir(&book.root)
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert!(refused(&out).contains("it is your home folder"));
    assert_eq!(
        std::fs::read_to_string(home.path().join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn build_dir_settings_that_point_at_the_book_are_refused_by_build_watch_and_clean() {
    let book = TestBook::fixture("basic");
    let toml = book.read("book.toml");
    for (build_dir, why) in [
        ("content", "it is the book's source folder"),
        (".", "it is the book's root folder"),
        (
            "extra",
            "it is the book's watched folder (extra-watch-dirs)",
        ),
    ] {
        book.write("extra/notes.md", "watched");
        book.write(
            "book.toml",
            format!(
                "{toml}\n[build]\nbuild-dir = \"{build_dir}\"\nextra-watch-dirs = [\"extra\"]\n"
            ),
        );
        let expect = format!("(set by `build-dir`): {why}");
        for command in ["build", "clean", "watch"] {
            assert_refused_untouched(
                &book,
                &[command],
                &[&expect, "set `build-dir` under `[build]`"],
            );
        }
    }
}

#[test]
fn a_folder_of_the_authors_own_files_is_replaced_only_with_force() {
    let book = TestBook::fixture("basic");
    book.write("mysite/my-notes.txt", "do not lose me");
    assert_refused_untouched(
        &book,
        &["build", "-d", "mysite"],
        &[
            "refusing to replace `mysite` (set by `-d`): it holds files and is not a guidebook build (it has no `.guidebook-build` file)",
            "or pass `--force`",
        ],
    );
    let out = book.cli(&["build", "-d", "mysite", "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!book.path("mysite/my-notes.txt").exists());
    assert!(book.path("mysite/.guidebook-build").is_file());
    // Now it is a build: the next one replaces it without --force.
    assert!(book.cli(&["build", "-d", "mysite"]).status.success());
}

#[test]
fn clean_removes_only_a_marked_build() {
    let book = TestBook::fixture("basic");
    assert!(book.cli(&["build"]).status.success());
    assert!(book.path("public/.guidebook-build").is_file());
    let out = book.cli(&["clean"]);
    assert!(out.status.success());
    assert!(!book.path("public").exists());
    book.write("public/keep.txt", "mine");
    let err = refused(&book.cli(&["clean"]));
    assert!(
        err.contains("refusing to remove `") && err.contains("it is not a guidebook build"),
        "{err}"
    );
    assert_eq!(book.read("public/keep.txt"), "mine");
    assert_eq!(String::from_utf8_lossy(&book.cli(&["clean"]).stdout), "");
}

#[test]
fn leftovers_of_killed_builds_are_removed_by_the_next_build() {
    let book = TestBook::fixture("basic");
    assert!(book.cli(&["build"]).status.success());
    // What a build killed while writing, and one killed between the two renames, leave behind.
    book.write(".public.staging-4242/.guidebook-staging", "");
    book.write(".public.staging-4242/half.html", "half");
    book.write(".public.old-4243/.guidebook-build", "");
    // Killed between making its staging folder and marking it: empty, so removable.
    std::fs::create_dir_all(book.path(".public.staging-77")).unwrap();
    // Not ours: no marker.
    book.write(".public.staging-9/mine.txt", "mine");
    assert!(book.cli(&["build"]).status.success());
    assert!(!book.path(".public.staging-77").exists());
    assert!(!book.path(".public.staging-4242").exists());
    assert!(!book.path(".public.old-4243").exists());
    assert_eq!(book.read(".public.staging-9/mine.txt"), "mine");
    let leftovers: Vec<String> = std::fs::read_dir(&book.root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public."))
        .collect();
    assert_eq!(leftovers, [".public.staging-9"]);
}

/// A book big enough that a build takes a while, for kill and concurrency tests.
fn big_book(chapters: usize) -> TestBook {
    let book = TestBook::empty();
    let mut summary = String::from("# Big\n\n");
    for i in 0..chapters {
        summary.push_str(&format!("- [Chapter {i}](c{i}.md)\n"));
        book.write(
            &format!("content/c{i}.md"),
            format!(
                "# Chapter {i}\n\n{}\n",
                "Some words in a paragraph. ".repeat(200)
            ),
        );
    }
    book.write("content/SUMMARY.md", summary);
    book
}

fn assert_complete_site(dest: &Path, chapters: usize) {
    assert!(
        dest.join(".guidebook-build").is_file(),
        "no marker in {}",
        dest.display()
    );
    for i in [0, chapters - 1] {
        assert!(
            dest.join(format!("c{i}.html")).is_file(),
            "c{i}.html missing"
        );
    }
}

#[test]
fn a_killed_build_leaves_the_old_site_and_the_next_build_cleans_up() {
    let book = big_book(600);
    assert!(book.cli(&["build"]).status.success());
    let before = snapshot(&book.path("public"));
    for delay_ms in [5, 40, 120] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_guidebook"))
            .arg("build")
            .current_dir(&book.root)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        // Whenever the kill landed, the destination is one whole site, old or new (the same).
        assert_eq!(snapshot(&book.path("public")), before);
    }
    assert!(book.cli(&["build"]).status.success());
    let leftovers: Vec<_> = std::fs::read_dir(&book.root)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".public."))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn the_destination_is_never_missing_during_a_swap() {
    let book = big_book(50);
    assert!(book.cli(&["build"]).status.success());
    let index = book.path("public/index.html");
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut checks = 0u64;
            while !stop.load(Ordering::Relaxed) {
                assert!(
                    index.exists(),
                    "public/index.html was missing after {checks} checks"
                );
                checks += 1;
            }
            checks
        })
    };
    for _ in 0..15 {
        assert!(book.cli(&["build"]).status.success());
    }
    stop.store(true, Ordering::Relaxed);
    assert!(watcher.join().unwrap() > 0);
}

#[test]
fn two_builds_at_once_give_one_complete_site() {
    let book = big_book(300);
    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_guidebook"))
            .arg("build")
            .current_dir(&book.root)
            .output()
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(spawn);
        let b = s.spawn(spawn);
        (a.join().unwrap().unwrap(), b.join().unwrap().unwrap())
    });
    assert!(a.status.success(), "{}", stderr(&a));
    assert!(b.status.success(), "{}", stderr(&b));
    assert_complete_site(&book.path("public"), 300);
    let names: Vec<String> = std::fs::read_dir(&book.root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.starts_with(".public.")),
        "{names:?}"
    );
}

#[test]
fn an_unwritable_destination_fails_with_its_path_and_keeps_the_old_site() {
    let book = TestBook::fixture("basic");
    book.write("blocker", "a file where a folder should be");
    let err = refused(&book.cli(&["build", "-d", "blocker/site"]));
    assert!(
        err.contains("could not create `") && err.contains("blocker"),
        "{err}"
    );
    assert_eq!(book.read("blocker"), "a file where a folder should be");
}

/// A tiny tmpfs, so a build runs out of space for real. Needs root (as CI runs).
struct SmallDisk {
    path: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(kib: usize) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("disk");
        std::fs::create_dir(&path).unwrap();
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs"])
            .arg(&path)
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(SmallDisk { path, _dir: dir })
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg(&self.path)
            .status();
    }
}

#[test]
fn a_full_disk_fails_with_the_cause_keeps_the_old_site_and_leaves_no_staging_folder() {
    let Some(disk) = SmallDisk::mount(600) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI runs as root and must be able to mount a tmpfs"
        );
        eprintln!("SKIPPED: cannot mount a tmpfs here (not root); the full-disk test did not run");
        return;
    };
    let book = TestBook::fixture("basic");
    let dest = disk.path.join("site");
    let dest_arg = dest.to_str().unwrap();
    let out = book.cli(&["build", "-d", dest_arg]);
    assert!(out.status.success(), "{}", stderr(&out));
    let before = snapshot(&dest);
    // A picture bigger than what is left on the disk.
    book.write("content/images/big.bin", vec![7u8; 400 * 1024]);
    let err = refused(&book.cli(&["build", "-d", dest_arg]));
    assert!(err.contains("No space left on device"), "{err}");
    assert!(
        err.contains("the previous site was left as it was"),
        "{err}"
    );
    assert_eq!(snapshot(&dest), before);
    let names: Vec<String> = std::fs::read_dir(&disk.path)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["site"]);
}

#[test]
fn two_sources_for_one_output_file_are_an_error_naming_both() {
    let book = TestBook::fixture("basic");
    book.write("content/three.html", "<p>a static page</p>");
    book.write("content/print.html", "<p>my own print page</p>");
    book.write("content/worksheets/review.html", "<p>static</p>");
    let err = book.build_err();
    for expected in [
        "error: `content/three.md` and `content/three.html` would both write `three.html` in the site",
        "error: guidebook's print page and `content/print.html` would both write `print.html` in the site",
        "error: the page of worksheet `content/worksheets/review.yaml` and `content/worksheets/review.html` would both write `worksheets/review.html` in the site",
        "= help: rename or move one of the two, so that each output file has one source",
    ] {
        assert!(err.contains(expected), "{expected:?} not in\n{err}");
    }
}

#[test]
fn readme_and_index_are_one_page() {
    let book = TestBook::fixture("basic");
    book.write("content/index.md", "# Index\n");
    book.edit("content/SUMMARY.md", "[", "[Index](index.md)\n\n[");
    let err = book.build_err();
    assert!(
        err.contains("`index.md` and `README.md` would both become `index.html`")
            || err.contains("`README.md` and `index.md` would both become `index.html`"),
        "{err}"
    );
}

/// Every `attr="value"` in `html`.
fn attribute_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let start = i + needle.len();
            &html[start..start + html[start..].find('"').unwrap()]
        })
        .collect()
}

#[test]
fn print_page_ids_are_unique_and_its_links_stay_inside_it() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    guidebook::build::build(Path::new(env!("CARGO_MANIFEST_DIR")), Some(&site)).unwrap();
    let print = std::fs::read_to_string(site.join("print.html")).unwrap();
    let main = crate::common::main_of(&print);
    let ids = attribute_values(main, "id");
    let mut seen = std::collections::HashSet::new();
    let repeated: Vec<_> = ids.iter().filter(|id| !seen.insert(**id)).collect();
    assert!(
        repeated.is_empty(),
        "ids repeated in print.html: {repeated:?}"
    );
    assert!(ids.len() > 200, "only {} ids", ids.len());
    for target in attribute_values(main, "for") {
        assert!(seen.contains(target), "label for `{target}` has no control");
    }
    let mut internal = 0;
    for href in attribute_values(main, "href") {
        if let Some(fragment) = href.strip_prefix('#') {
            let fragment = percent_encoding::percent_decode_str(fragment)
                .decode_utf8()
                .unwrap();
            assert!(
                seen.contains(fragment.as_ref()),
                "`{href}` points nowhere in print.html"
            );
            internal += 1;
        } else {
            assert!(
                !href.ends_with(".html")
                    || href.contains("worksheets/")
                    || href.contains("checklists/")
                    || href.contains("cases/")
                    || href.ends_with("plan.html"),
                "`{href}` leaves print.html for a chapter"
            );
        }
    }
    assert!(internal > 100, "only {internal} links inside print.html");
}

#[test]
fn init_never_overwrites_a_file() {
    let book = TestBook::empty();
    book.write("content/README.md", "my own landing page");
    let out = book.cli(&["init", "."]);
    let err = refused(&out);
    assert!(err.contains("content/README.md` already exists"), "{err}");
    assert_eq!(book.read("content/README.md"), "my own landing page");
    assert!(
        !book.path("book.toml").exists(),
        "init wrote some files and not others"
    );
}
