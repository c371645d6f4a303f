//! The only module that touches the destination: pages stream into a staging folder beside it as
//! they are rendered (`sink`), and the finished folder is swapped in. A failed build or a crash mid-write leaves the previous site exactly as it was.

mod destination;
mod lock;
mod sink;
mod swap;

use std::path::Path;

pub(crate) use destination::{Action, BUILD_MARKER, Destination, Existing, Setting, check_safe};
pub use sink::OutputSink;
pub(crate) use sink::{Discard, Fill, Recorder, StagingFolder, Written};

use crate::config::BookConfig;
use crate::error::{Diagnostic, Diagnostics, io_error};
use destination::{STAGING_MARKER, check_replaceable, resolve};
use swap::{Swapped, swap_into_place};

/// Runs `build` with a sink into a staging folder beside `dest`, then swaps the folder in: the
/// destination is the whole new site or, if anything fails, the previous one exactly as it was.
/// A destination that would replace the author's files is refused first (see `destination`).
pub(crate) fn write_atomically<T>(
    dest: &Destination,
    config: &BookConfig,
    build: impl FnOnce(&dyn OutputSink) -> Result<T, Diagnostics>,
) -> Result<T, Diagnostics> {
    check_safe(dest, config, Action::Write)?;
    let target = resolve(&dest.path);
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
        unreachable!("check_safe refuses `/`");
    };
    let name = name.to_string_lossy().into_owned();
    std::fs::create_dir_all(parent).map_err(|e| io_error("create", parent, &e))?;
    let _lock = lock::lock_parent(parent, &dest.path)?;
    check_replaceable(dest)?;
    remove_leftovers(parent, &name);
    let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let result = start_staging(&staging).and_then(|folder| {
        let value = build(&folder)?;
        finish_staging(&staging)?;
        match swap_into_place(&staging, &target, &old)? {
            // The old site is marked: if this removal fails, the next build removes it.
            Swapped::OldSiteAt => {
                let _ = std::fs::remove_dir_all(&staging);
            }
            Swapped::Nothing => {}
        }
        Ok(value)
    });
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

/// Every check `write_atomically` makes before it writes, for callers that want to refuse early.
#[cfg(feature = "serve")]
pub(crate) fn check_destination(
    dest: &Destination,
    config: &BookConfig,
) -> Result<(), Diagnostics> {
    check_safe(dest, config, Action::Write)?;
    check_replaceable(dest)?;
    Ok(())
}

/// Removes a destination for `clean`: only a folder a build made.
pub(crate) fn remove_build(dest: &Destination, config: &BookConfig) -> Result<bool, Diagnostics> {
    check_safe(dest, config, Action::Remove)?;
    match destination::inspect(&dest.path)? {
        Existing::Nothing => Ok(false),
        Existing::PreviousBuild | Existing::EmptyFolder => {
            std::fs::remove_dir_all(&dest.path)
                .map_err(|e| io_error("remove", &dest.path, &e))?;
            Ok(true)
        }
        Existing::ForeignFolder => Err(Diagnostic::error(format!(
            "refusing to remove `{}` (set by `{}`): it is not a guidebook build (it has no `{BUILD_MARKER}` file)",
            dest.path.display(),
            match dest.setting {
                Setting::DestFlag => "-d",
                Setting::BuildDir => "build-dir",
            }
        ))
        .hint("nothing was removed; delete the folder yourself if you are sure")
        .into()),
    }
}

/// Staging and old folders of this destination left by killed builds: recognisable by name and
/// by the marker they hold, and never in use, since this build holds the lock.
fn remove_leftovers(parent: &Path, name: &str) {
    let prefixes = [format!(".{name}.staging-"), format!(".{name}.old-")];
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let ours = prefixes.iter().any(|p| file_name.starts_with(p.as_str()))
            && (path.join(STAGING_MARKER).is_file() || path.join(BUILD_MARKER).is_file());
        if ours {
            let _ = std::fs::remove_dir_all(&path);
        } else if prefixes.iter().any(|p| file_name.starts_with(p.as_str())) {
            // Killed between making the folder and marking it: only an empty one is removed.
            let _ = std::fs::remove_dir(&path);
        }
    }
}

/// The staging folder is marked first, so a killed build's leftovers are known to be ours.
fn start_staging(staging: &Path) -> Result<StagingFolder, Diagnostics> {
    match std::fs::remove_dir_all(staging) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_error("remove", staging, &e).into()),
    }
    std::fs::create_dir(staging).map_err(|e| io_error("create", staging, &e))?;
    let marker = staging.join(STAGING_MARKER);
    std::fs::write(&marker, "").map_err(|e| io_error("write", &marker, &e))?;
    Ok(StagingFolder::new(staging.to_path_buf()))
}

/// The build marker goes in last, so only a complete site ever counts as a previous build.
fn finish_staging(staging: &Path) -> Result<(), Diagnostics> {
    let done = staging.join(BUILD_MARKER);
    std::fs::write(&done, "guidebook build\n").map_err(|e| io_error("write", &done, &e))?;
    let marker = staging.join(STAGING_MARKER);
    std::fs::remove_file(&marker).map_err(|e| io_error("remove", &marker, &e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_old_site_whole() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("public");
        std::fs::create_dir_all(dest.join("stale")).unwrap();
        std::fs::write(dest.join("stale/old.html"), "old").unwrap();
        let config = crate::config::load(dir.path()).unwrap().0;
        let dest = Destination::choose(Some(&dest), &config, false);
        std::fs::write(dest.path.join(BUILD_MARKER), "").unwrap();
        write_atomically(&dest, &config, |sink| {
            sink.write("a/b.html", b"new".to_vec())?;
            Ok(())
        })
        .unwrap();
        let dest = dest.path;
        assert_eq!(
            std::fs::read_to_string(dest.join("a/b.html")).unwrap(),
            "new"
        );
        assert!(!dest.join("stale").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }
}

#[cfg(test)]
mod failure_tests {
    use super::*;

    #[test]
    fn a_failed_build_leaves_the_old_site_and_no_staging() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("public");
        std::fs::create_dir_all(&dest).unwrap();
        std::fs::write(dest.join(BUILD_MARKER), "").unwrap();
        std::fs::write(dest.join("old.html"), "old").unwrap();
        let config = crate::config::load(dir.path()).unwrap().0;
        let dest = Destination::choose(Some(&dest), &config, false);
        let result: Result<(), Diagnostics> = write_atomically(&dest, &config, |sink| {
            sink.write("new.html", b"half a site".to_vec())?;
            Err(Diagnostic::error("a page failed").into())
        });
        assert!(result.is_err());
        assert_eq!(
            std::fs::read_to_string(dest.path.join("old.html")).unwrap(),
            "old"
        );
        assert!(!dest.path.join("new.html").exists());
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, ["public"], "no staging folder is left");
    }
}
