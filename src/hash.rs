//! A fast hash for the index's terms (text and numbers) and content hash. The standard hasher resists collision
//! attacks, which a book's own text does not mount, and hashing short terms is most of the
//! index's cost. (The multiply-rotate step of rustc's FxHash, eight bytes at a time.)

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

#[derive(Default, Clone, Copy)]
pub(crate) struct FastHasher(u64);

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        }
        let mut last = [0u8; 8];
        last[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
        self.add(u64::from_le_bytes(last));
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    /// Adds a string and its length, so that `"ab", "c"` and `"a", "bc"` differ.
    pub(crate) fn add_str(&mut self, text: &str) {
        self.write(text.as_bytes());
        self.add(text.len() as u64);
    }

    pub(crate) fn finish_u64(&self) -> u64 {
        self.0
    }
}

pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;
pub(crate) type FastSet<T> = std::collections::HashSet<T, BuildHasherDefault<FastHasher>>;

/// A file's content hash, for names that change with it (eight bytes at a time: the big data
/// files of a large book are tens of megabytes).
pub(crate) fn content_hash(bytes: &[u8]) -> u64 {
    let mut hasher = FastHasher::default();
    hasher.write(bytes);
    hasher.write_usize(bytes.len());
    hasher.finish_u64()
}

/// The hash of a few strings, each told from the next by its length.
pub(crate) fn hash_strs(parts: &[&str]) -> u64 {
    let mut hasher = FastHasher::default();
    for part in parts {
        hasher.add_str(part);
    }
    hasher.finish_u64()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash_of(parts: &[&str]) -> u64 {
        hash_strs(parts)
    }

    #[test]
    fn content_hashes_tell_where_parts_split() {
        assert_ne!(hash_of(&["ab", "c"]), hash_of(&["a", "bc"]));
        assert_ne!(hash_of(&["修复"]), hash_of(&["修复", ""]));
        assert_eq!(hash_of(&["同一", "内容"]), hash_of(&["同一", "内容"]));
    }
}
