//! Chapter HTML between the Markdown stage and the page stage. A build writing to disk does not
//! hold it: each chapter's HTML goes into one unlinked scratch file in the staging folder as soon
//! as it is rendered, and is read back when its page and its print.html section are made. (At
//! 50,000 chapters it is about 250 MB.) `serve`, which keeps rendered Markdown between
//! rebuilds, keeps it in memory.

use std::borrow::Cow;
use std::fs::File;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

/// The scratch file, shared by every chapter spilled into it.
pub struct HtmlSpill {
    file: File,
    /// Where the next chapter goes.
    end: Mutex<u64>,
}

impl std::fmt::Debug for HtmlSpill {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HtmlSpill")
    }
}

/// One chapter's HTML in the scratch file.
#[derive(Debug, Clone)]
pub struct SpilledHtml {
    spill: Arc<HtmlSpill>,
    offset: u64,
    len: usize,
}

impl HtmlSpill {
    /// A scratch file in `dir`, removed from the folder at once (the open file lives on until
    /// the build drops it); `None` where that is not possible, and the HTML stays in memory.
    #[cfg(unix)]
    pub fn create(dir: &Path) -> Option<Arc<HtmlSpill>> {
        let path = dir.join(format!(".guidebook-html-{}", std::process::id()));
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
            .ok()?;
        std::fs::remove_file(&path).ok()?;
        Some(Arc::new(HtmlSpill {
            file,
            end: Mutex::new(0),
        }))
    }

    #[cfg(not(unix))]
    pub fn create(_dir: &Path) -> Option<Arc<HtmlSpill>> {
        None
    }

    /// Appends `html`; `None` if the write failed (the caller keeps the HTML).
    #[cfg(unix)]
    pub fn put(self: &Arc<Self>, html: &str) -> Option<SpilledHtml> {
        use std::os::unix::fs::FileExt;
        let offset = {
            let mut end = self.end.lock().unwrap_or_else(PoisonError::into_inner);
            let offset = *end;
            *end += html.len() as u64;
            offset
        };
        self.file.write_all_at(html.as_bytes(), offset).ok()?;
        Some(SpilledHtml {
            spill: self.clone(),
            offset,
            len: html.len(),
        })
    }

    #[cfg(not(unix))]
    pub fn put(self: &Arc<Self>, _html: &str) -> Option<SpilledHtml> {
        None
    }
}

impl SpilledHtml {
    /// The chapter's HTML, read back; empty if the scratch file cannot be read (it was
    /// written by this build a moment ago, so only a failing disk loses it).
    #[cfg(unix)]
    pub fn read(&self) -> String {
        let Some(bytes) = read_uninit_at(&self.spill.file, self.offset, self.len) else {
            return String::new();
        };
        // Checked with SIMD: every chapter's HTML is read back twice, and std's check of it
        // was a tenth of the page stage.
        if simdutf8::basic::from_utf8(&bytes).is_err() {
            return String::new();
        }
        // SAFETY: `bytes` was just checked to be UTF-8.
        unsafe { String::from_utf8_unchecked(bytes) }
    }

    #[cfg(not(unix))]
    pub fn read(&self) -> String {
        String::new()
    }
}

/// `len` bytes of `file` from `offset`, read into a buffer that was never zeroed: `read_exact_at`
/// needs an initialised one, and zeroing every chapter's buffer before each of its reads was a
/// fifth of reading it back.
#[cfg(unix)]
fn read_uninit_at(file: &File, offset: u64, len: usize) -> Option<Vec<u8>> {
    use std::os::fd::AsRawFd;
    unsafe extern "C" {
        fn pread(fd: std::ffi::c_int, buf: *mut u8, count: usize, offset: i64) -> isize;
    }
    let mut bytes: Vec<u8> = Vec::with_capacity(len);
    let mut done = 0;
    while done < len {
        let at = i64::try_from(offset + done as u64).ok()?;
        // SAFETY: the buffer has room for `len` bytes from its start; `pread` writes at most
        // `len - done` of them after the `done` already read, and nothing reads the rest.
        let n = unsafe {
            pread(
                file.as_raw_fd(),
                bytes.as_mut_ptr().add(done),
                len - done,
                at,
            )
        };
        match n {
            n if n > 0 => done += n as usize,
            0 => return None,
            _ if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted => {}
            _ => return None,
        }
    }
    // SAFETY: all `len` bytes were written by `pread`.
    unsafe { bytes.set_len(len) };
    Some(bytes)
}

/// A chapter's HTML, in memory or spilled.
pub fn chapter_html<'a>(html: &'a str, spilled: Option<&SpilledHtml>) -> Cow<'a, str> {
    match spilled {
        Some(s) => Cow::Owned(s.read()),
        None => Cow::Borrowed(html),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spilled_html_reads_back_and_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let spill = HtmlSpill::create(dir.path()).unwrap();
        let a = spill.put("<p>一</p>").unwrap();
        let b = spill.put("<h2 id=\"x\">二</h2>").unwrap();
        assert_eq!(b.read(), "<h2 id=\"x\">二</h2>");
        assert_eq!(a.read(), "<p>一</p>");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
