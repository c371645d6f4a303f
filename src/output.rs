//! The only stage that touches the destination: write the site into a staging folder beside it,
//! then swap it in. A failed build or a crash mid-write leaves the previous site exactly as it was.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Diagnostic, Diagnostics, io_error};
use crate::site::Site;

pub fn write_site(site: &Site, dest: &Path) -> Result<(), Diagnostics> {
    let parent = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| io_error("create", parent, &e))?;
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    remove_if_exists(&staging)?;
    let result = write_all(site, &staging).and_then(|()| swap(&staging, dest, &old));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn write_all(site: &Site, staging: &Path) -> Result<(), Diagnostics> {
    std::fs::create_dir_all(staging).map_err(|e| io_error("create", staging, &e))?;
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
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Diagnostics::from(errors))
    }
}

fn swap(staging: &Path, dest: &Path, old: &Path) -> Result<(), Diagnostics> {
    remove_if_exists(old)?;
    let had_old = dest.exists();
    if had_old {
        std::fs::rename(dest, old).map_err(|e| io_error("move aside", dest, &e))?;
    }
    if let Err(e) = std::fs::rename(staging, dest) {
        if had_old {
            let _ = std::fs::rename(old, dest);
        }
        return Err(io_error("move into place", dest, &e).into());
    }
    if had_old {
        std::fs::remove_dir_all(old).map_err(|e| io_error("remove", old, &e))?;
    }
    Ok(())
}

fn remove_if_exists(path: &Path) -> Result<(), Diagnostics> {
    match std::fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error("remove", path, &e).into()),
    }
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
        write_site(&site, &dest).unwrap();
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
