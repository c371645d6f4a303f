//! `serve`'s site in memory: every output file by its path under the site root, answered from
//! and swapped whole after each build. While a build runs, a `MemorySink` is the stages' sink.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use crate::error::Diagnostic;
use crate::output::OutputSink;

#[derive(Debug, Clone, Default)]
pub(crate) struct SiteFiles {
    pub files: BTreeMap<String, Arc<[u8]>>,
}

impl SiteFiles {
    pub fn get(&self, path: &str) -> Option<&Arc<[u8]>> {
        self.files.get(path)
    }
}

/// Collects a build's files into a `SiteFiles`; a reused page is shared, not copied.
#[derive(Default)]
pub(crate) struct MemorySink(Mutex<SiteFiles>);

impl MemorySink {
    pub(crate) fn into_site(self) -> SiteFiles {
        self.0.into_inner().unwrap_or_else(PoisonError::into_inner)
    }

    fn insert(&self, path: &str, bytes: Arc<[u8]>) {
        let mut site = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        site.files.insert(path.to_string(), bytes);
    }
}

impl OutputSink for MemorySink {
    fn read_back(&self, path: &str) -> Option<Vec<u8>> {
        let site = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        site.files.get(path).map(|bytes| bytes.to_vec())
    }

    fn write(&self, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        self.insert(path, Arc::from(bytes));
        Ok(())
    }

    fn keep(&self, path: &str, bytes: Arc<[u8]>) -> Result<(), Diagnostic> {
        self.insert(path, bytes);
        Ok(())
    }
}
