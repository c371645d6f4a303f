//! Heading ids and stable item ids.

use std::collections::HashMap;

/// GitHub's heading-id rule: lower-case, keep letters (Chinese included), digits, `-` and `_`,
/// turn spaces into `-`, drop everything else.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            slug.extend(c.to_lowercase());
        } else if c == ' ' {
            slug.push('-');
        }
    }
    slug
}

/// Hands out unique ids within one page, the way GitHub does: `a`, `a-1`, `a-2`.
#[derive(Default)]
pub struct UniqueIds {
    seen: HashMap<String, usize>,
}

impl UniqueIds {
    pub fn claim(&mut self, wanted: &str) -> String {
        let base = if wanted.is_empty() { "section" } else { wanted };
        let mut candidate = base.to_string();
        while let Some(count) = self.seen.get_mut(&candidate) {
            *count += 1;
            candidate = format!("{base}-{count}");
        }
        self.seen.insert(candidate.clone(), 0);
        candidate
    }
}

/// A short id derived from text alone, so that reordering a list keeps every item's id.
pub fn text_id(text: &str) -> String {
    let normalized: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let hash = fnv1a(normalized.as_bytes());
    to_base36(hash & 0xff_ffff_ffff)
}

/// FNV-1a: item ids are made with it, so readers' saved answers depend on it never changing.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

pub fn to_base36(mut n: u64) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    if n == 0 {
        return "0".to_string();
    }
    let mut out = Vec::new();
    while n > 0 {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
    }
    out.reverse();
    String::from_utf8(out).expect("ascii digits")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_chinese_and_drops_punctuation() {
        assert_eq!(slugify("反思窗口"), "反思窗口");
        assert_eq!(
            slugify("二、选择时机：避开情绪高峰"),
            "二选择时机避开情绪高峰"
        );
        assert_eq!(slugify("Hello, World! 2.0"), "hello-world-20");
        assert_eq!(slugify("  a_b-c  "), "a_b-c");
    }

    #[test]
    fn unique_ids_follow_github() {
        let mut ids = UniqueIds::default();
        assert_eq!(ids.claim("a"), "a");
        assert_eq!(ids.claim("a"), "a-1");
        assert_eq!(ids.claim("a"), "a-2");
        assert_eq!(ids.claim("a-1"), "a-1-1");
        assert_eq!(ids.claim(""), "section");
    }

    #[test]
    fn text_ids_ignore_spacing_only() {
        assert_eq!(text_id("给老同事  发消息"), text_id(" 给老同事 发消息 "));
        assert_ne!(text_id("甲"), text_id("乙"));
    }
}
