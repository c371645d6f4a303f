//! Putting a finished staging folder in place of the destination, so that at every moment the
//! destination is either the whole old site or the whole new one.

use std::path::Path;

use crate::error::{Diagnostic, io_error};

/// What is left at `staging` after the swap: the previous site, to be removed, or nothing.
pub(crate) enum Swapped {
    OldSiteAt,
    Nothing,
}

/// Moves `staging` to `dest`. With an existing destination, Linux exchanges the two in one step
/// (`renameat2` with `RENAME_EXCHANGE`); elsewhere, or where the file system lacks it, the old
/// site moves to `old` first, and back if the second rename fails.
pub(crate) fn swap_into_place(
    staging: &Path,
    dest: &Path,
    old: &Path,
) -> Result<Swapped, Diagnostic> {
    if !dest.exists() {
        std::fs::rename(staging, dest).map_err(|e| io_error("move into place", dest, &e))?;
        return Ok(Swapped::Nothing);
    }
    if exchange(staging, dest)? {
        return Ok(Swapped::OldSiteAt);
    }
    std::fs::rename(dest, old).map_err(|e| io_error("move aside", dest, &e))?;
    if let Err(e) = std::fs::rename(staging, dest) {
        let _ = std::fs::rename(old, dest);
        return Err(io_error("move into place", dest, &e));
    }
    std::fs::rename(old, staging).map_err(|e| io_error("move", old, &e))?;
    Ok(Swapped::OldSiteAt)
}

/// `Ok(false)` when this system cannot exchange two paths atomically.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> Result<bool, Diagnostic> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(e)
            if e == rustix::io::Errno::INVAL
                || e == rustix::io::Errno::NOSYS
                || e == rustix::io::Errno::NOTSUP =>
        {
            Ok(false)
        }
        Err(e) => Err(io_error("swap in", b, &std::io::Error::from(e))),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> Result<bool, Diagnostic> {
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exchanges_old_and_new() {
        let dir = tempfile::tempdir().unwrap();
        let (staging, dest, old) = (
            dir.path().join(".p.staging"),
            dir.path().join("p"),
            dir.path().join(".p.old"),
        );
        std::fs::create_dir(&staging).unwrap();
        std::fs::write(staging.join("new"), "").unwrap();
        std::fs::create_dir(&dest).unwrap();
        std::fs::write(dest.join("old"), "").unwrap();
        assert!(matches!(
            swap_into_place(&staging, &dest, &old).unwrap(),
            Swapped::OldSiteAt
        ));
        assert!(dest.join("new").exists());
        assert!(staging.join("old").exists());
        assert!(!old.exists());
    }
}
