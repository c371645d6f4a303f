//! Postings as compact text: each posting is the gap from the previous document id and the
//! impact, both as variable-length numbers in a 64-letter alphabet (5 bits a letter; the upper
//! half of the alphabet marks a letter that more letters follow). Decoded by `decodePostings` in
//! guidebook-search.js. About three letters a posting, against eight or more as JSON numbers.

/// A document holding a term, and the term's impact there. Packed to six bytes (a `(u32, u16)`
/// pads to eight): a large book's index holds millions of them while it is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(C, packed(2))]
pub(crate) struct Posting {
    pub doc: u32,
    pub impact: u16,
}

impl Posting {
    pub(crate) fn new(doc: u32, impact: u16) -> Posting {
        Posting { doc, impact }
    }
}

const ALPHABET: &[u8; 64] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-";

fn push_number(out: &mut String, mut n: u32) {
    let mut groups = [0u8; 7];
    let mut len = 0;
    loop {
        groups[len] = (n & 31) as u8;
        len += 1;
        n >>= 5;
        if n == 0 {
            break;
        }
    }
    for (i, g) in groups[..len].iter().rev().enumerate() {
        let more = if i + 1 < len { 32 } else { 0 };
        out.push(ALPHABET[usize::from(g + more)] as char);
    }
}

/// Appends postings sorted by document id.
pub(crate) fn encode_into(out: &mut String, postings: &[Posting]) {
    let mut previous = 0;
    for &Posting { doc, impact } in postings {
        push_number(out, doc - previous);
        push_number(out, u32::from(impact));
        previous = doc;
    }
}

#[cfg(test)]
pub(crate) fn decode(text: &str) -> Vec<(u32, u16)> {
    let mut numbers = Vec::new();
    let mut value = 0u32;
    for b in text.bytes() {
        let digit = ALPHABET
            .iter()
            .position(|&a| a == b)
            .expect("a postings letter") as u32;
        if digit >= 32 {
            value = value * 32 + (digit - 32);
        } else {
            numbers.push(value * 32 + digit);
            value = 0;
        }
    }
    let mut doc = 0;
    numbers
        .chunks(2)
        .map(|pair| {
            doc += pair[0];
            (doc, pair[1] as u16)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_round_trip() {
        let pairs = vec![(0, 1), (31, 32), (32, 1000), (70_000, 7), (70_001, 31)];
        let postings: Vec<Posting> = pairs.iter().map(|&(d, i)| Posting::new(d, i)).collect();
        let mut text = String::new();
        encode_into(&mut text, &postings);
        assert_eq!(decode(&text), pairs);
        assert_eq!(
            &text[..5],
            "01vx0",
            "gap 0, impact 1, gap 31, then impact 32 in two letters"
        );
    }

    #[test]
    fn a_posting_takes_six_bytes() {
        assert_eq!(std::mem::size_of::<Posting>(), 6);
    }
}
