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
