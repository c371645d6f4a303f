//! The only stage that touches the destination: write the site into a staging folder beside it,
//! then swap it in. A failed build or a crash mid-write leaves the previous site exactly as it was.

mod destination;
mod lock;
mod swap;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use destination::{Action, BUILD_MARKER, Destination, Existing, Setting, check_safe};

use crate::config::BookConfig;
use crate::error::{Diagnostic, Diagnostics, io_error};
use crate::site::Site;
use destination::{STAGING_MARKER, check_replaceable, resolve};
use swap::{Swapped, swap_into_place};

/// Writes `site` to `dest` whole or not at all, after refusing any destination that would
/// replace the author's files (see `destination`).
pub fn write_site(site: &Site, dest: &Destination, config: &BookConfig) -> Result<(), Diagnostics> {
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
    let result = write_staging(site, &staging).and_then(|()| {
        match swap_into_place(&staging, &target, &old)? {
            // The old site is marked: if this removal fails, the next build removes it.
            Swapped::OldSiteAt => {
                let _ = std::fs::remove_dir_all(&staging);
            }
            Swapped::Nothing => {}
        }
        Ok(())
    });
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

/// Every check `write_site` makes before it writes, for callers that want to refuse early.
pub fn check_destination(dest: &Destination, config: &BookConfig) -> Result<(), Diagnostics> {
    check_safe(dest, config, Action::Write)?;
    check_replaceable(dest)?;
    Ok(())
}

/// Removes a destination for `clean`: only a folder a build made.
pub fn remove_build(dest: &Destination, config: &BookConfig) -> Result<bool, Diagnostics> {
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
        }
    }
}

/// The staging folder is marked first, so a killed build's leftovers are known to be ours, and
/// gets the build marker last, so only a complete site ever counts as a previous build.
fn write_staging(site: &Site, staging: &Path) -> Result<(), Diagnostics> {
    match std::fs::remove_dir_all(staging) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_error("remove", staging, &e).into()),
    }
    std::fs::create_dir(staging).map_err(|e| io_error("create", staging, &e))?;
    let marker = staging.join(STAGING_MARKER);
    std::fs::write(&marker, "").map_err(|e| io_error("write", &marker, &e))?;
    let mut dirs: Vec<PathBuf> = site
        .files
        .keys()
        .filter_map(|p| Path::new(p).parent().map(|d| staging.join(d)))
        .collect();
    dirs.sort();
    dirs.dedup();
    for dir in dirs {
        std::fs::create_dir_all(&dir).map_err(|e| io_error("create", &dir, &e))?;
    }
    let errors: Vec<Diagnostic> = site
        .files
        .par_iter()
        .filter_map(|(path, bytes)| {
            let target = staging.join(path);
            std::fs::write(&target, bytes)
                .err()
                .map(|e| io_error("write", &target, &e))
        })
        .collect();
    if !errors.is_empty() {
        // One full disk fails every file alike: the first says it all.
        let mut first = errors.into_iter().next().unwrap();
        first.hint = Some("the previous site was left as it was; free some space or fix the folder's permissions, then build again".into());
        return Err(first.into());
    }
    let done = staging.join(BUILD_MARKER);
    std::fs::write(&done, "guidebook build\n").map_err(|e| io_error("write", &done, &e))?;
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
        let mut site = Site::default();
        site.insert("a/b.html".into(), b"new".to_vec());
        let config = crate::config::load(dir.path()).unwrap().0;
        let dest = Destination::choose(Some(&dest), &config, false);
        std::fs::write(dest.path.join(BUILD_MARKER), "").unwrap();
        write_site(&site, &dest, &config).unwrap();
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
