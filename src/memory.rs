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

/// Has freed memory returned to the system once 4 MiB are free at the top of a heap. glibc
/// raises its trim threshold each time a large block is freed (up to 64 MiB), so after the first
/// big buffers come and go, freed memory stays resident; at 50,000 chapters that kept the page
/// stage 40-60 MB higher (471-495 MB peak against 432-436 MB, no slower). Called once, at start.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        const M_TRIM_THRESHOLD: std::ffi::c_int = -1;
        unsafe extern "C" {
            fn mallopt(param: std::ffi::c_int, value: std::ffi::c_int) -> std::ffi::c_int;
        }
        // SAFETY: mallopt only changes the allocator's tuning; it takes no pointers.
        unsafe {
            mallopt(M_TRIM_THRESHOLD, 4 << 20);
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

/// CPU time the process has used so far, user and system (Linux only): read around a stage, it
/// shows how well the stage kept the cores busy.
pub(crate) fn cpu_time() -> Option<std::time::Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces), from the third: utime is the 14th.
    let after_name = &stat[stat.rfind(')')? + 2..];
    let mut fields = after_name.split(' ').skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    // Clock ticks; the kernel reports 100 a second to user space on every Linux platform.
    Some(std::time::Duration::from_millis((user + system) * 10))
}
