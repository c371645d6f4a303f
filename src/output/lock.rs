//! One build at a time per destination: an advisory lock on the folder that holds it, so the
//! second build waits and the destination always ends up as one complete site.

use std::fs::File;
use std::path::Path;

use crate::error::{Diagnostic, io_error};

/// Held while a build writes and swaps; released when dropped.
pub(crate) struct WriteLock {
    _file: File,
}

/// Locks `parent` (the folder the destination and its staging folder live in), waiting, with a
/// message, while another build holds it.
pub(crate) fn lock_parent(parent: &Path, dest: &Path) -> Result<WriteLock, Diagnostic> {
    let file = open_lock_target(parent)?;
    match file.try_lock() {
        Ok(()) => return Ok(WriteLock { _file: file }),
        Err(std::fs::TryLockError::WouldBlock) => {
            eprintln!(
                "waiting for another guidebook build that is writing `{}` to finish...",
                dest.display()
            );
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(io_error("lock", parent, &e)),
    }
    file.lock().map_err(|e| io_error("lock", parent, &e))?;
    Ok(WriteLock { _file: file })
}

#[cfg(unix)]
fn open_lock_target(parent: &Path) -> Result<File, Diagnostic> {
    // Locking the folder itself leaves no lock file behind in the author's book.
    File::open(parent).map_err(|e| io_error("open", parent, &e))
}

#[cfg(not(unix))]
fn open_lock_target(parent: &Path) -> Result<File, Diagnostic> {
    let path = parent.join(".guidebook-build.lock");
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| io_error("open", &path, &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_folder_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let first = lock_parent(dir.path(), &dir.path().join("public")).unwrap();
        let other = open_lock_target(dir.path()).unwrap();
        assert!(matches!(
            other.try_lock(),
            Err(std::fs::TryLockError::WouldBlock)
        ));
        drop(first);
        assert!(other.try_lock().is_ok());
    }
}
