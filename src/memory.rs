//! Giving freed memory back between stages. glibc's allocator keeps what a stage freed (the
//! index's term maps, the export data's JSON) resident in its arenas, so each stage's temporary
//! peak would add to the next one's; `malloc_trim` returns those pages to the system.

/// Returns free heap pages to the system (glibc on Linux; elsewhere nothing to do).
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn malloc_trim(pad: usize) -> std::ffi::c_int;
        }
        // SAFETY: malloc_trim only releases free memory; it takes no pointers and is thread-safe.
        unsafe {
            malloc_trim(0);
        }
    }
}

/// The process's peak resident memory so far, in KiB (`VmHWM`; Linux only). Read after each
/// stage, it shows which stage set the build's peak.
pub(crate) fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
