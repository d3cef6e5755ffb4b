//! Text normalisation and tokens, defined once and mirrored exactly by `search.js`.
//!
//! Normalisation works character by character (so highlights can map back to the original text):
//! NFKC (which also turns full-width forms into half-width), lower case, then traditional →
//! simplified folding from a char-level table generated from OpenCC's data. Tokens are character
//! bigrams of CJK runs, single characters of title-like fields, and `w:` words of other letters
//! and digits. No word segmenter is involved. This module knows nothing about documents or files.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;

mod generated {
    include!(concat!(env!("OUT_DIR"), "/t2s.rs"));
}

/// The traditional → simplified character table, as `(traditional, simplified)` pairs sorted by
/// code point.
///
/// Generated at compile time from OpenCC's T2S conversion (ferrous-opencc, see build.rs) rather
/// than typed by hand or rebuilt on every run.
pub fn t2s_pairs() -> &'static [(char, char)] {
    generated::T2S_PAIRS
}

/// Marks a table entry whose character needs the general path (it folds to several characters
/// or to none).
const GENERAL: u32 = u32::MAX;
/// Bits of a table entry holding the folded character; the class sits above them.
const CHAR_BITS: u32 = 21;

/// Character folding and classification, with one precomputed entry per BMP code point (the
/// tokenizer's hot path is one lookup per character; the general rule only runs for the rare
/// characters that fold to several, and outside the BMP).
pub struct Folder {
    /// `folded | class << CHAR_BITS` for every BMP code point, or [`GENERAL`].
    bmp: &'static [u32],
    /// One bit per code point of [`IDEOGRAPHS`]: set if folding changes it, or if it is one of
    /// the hexagrams between the blocks. Ideographs are most of the text and only traditional
    /// ones change, so the hot path reads this 3 KB bitmap instead of the 256 KB table, and stays
    /// in the L1 cache.
    changed: &'static [u64],
}

/// CJK Extension A and the URO, where every code point is an ideograph (class `Cjk`) whose NFKC
/// and lower-case forms are itself; U+4DC0..U+4E00 (hexagram symbols) are outside both.
const IDEOGRAPHS: std::ops::Range<u32> = 0x3400..0xA000;
const HEXAGRAMS: std::ops::Range<u32> = 0x4DC0..0x4E00;

fn is_ideograph(cp: u32) -> bool {
    IDEOGRAPHS.contains(&cp) && !HEXAGRAMS.contains(&cp)
}

fn changed_bitmap() -> &'static [u64] {
    static BITS: OnceLock<Vec<u64>> = OnceLock::new();
    BITS.get_or_init(|| {
        let mut bits = vec![0u64; (IDEOGRAPHS.len()).div_ceil(64)];
        // The hexagrams between the two blocks are not ideographs: marked, they take the
        // table like changed characters, and the hot path needs one range test, not two.
        for cp in HEXAGRAMS {
            let i = (cp - IDEOGRAPHS.start) as usize;
            bits[i / 64] |= 1 << (i % 64);
        }
        for &(t, _) in t2s_pairs() {
            let cp = u32::from(t);
            if IDEOGRAPHS.contains(&cp) {
                let i = (cp - IDEOGRAPHS.start) as usize;
                bits[i / 64] |= 1 << (i % 64);
            }
        }
        bits
    })
}

fn bmp_table() -> &'static [u32] {
    static TABLE: OnceLock<Vec<u32>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let t2s = t2s_map();
        (0..0x1_0000u32)
            .into_par_iter()
            .map(|cp| {
                let Some(c) = char::from_u32(cp) else {
                    return GENERAL;
                };
                // Ideographs are their own NFKC and lower-case forms: only T2S applies, and
                // the rule's walk would cost as much as the rest of the table.
                if is_ideograph(cp) {
                    let f = t2s.get(&c).copied().unwrap_or(c);
                    return u32::from(f) | ((char_class(f) as u32) << CHAR_BITS);
                }
                let (mut first, mut n) = (None, 0);
                general_fold(c, t2s, |f| {
                    first = Some(f);
                    n += 1;
                });
                match (first, n) {
                    (Some(f), 1) => u32::from(f) | ((char_class(f) as u32) << CHAR_BITS),
                    _ => GENERAL,
                }
            })
            .collect()
    })
}

/// The folding rule itself: NFKC, lower case, traditional → simplified.
fn general_fold(c: char, t2s: &HashMap<char, char>, mut f: impl FnMut(char)) {
    for n in std::iter::once(c).nfkc() {
        for l in n.to_lowercase() {
            f(t2s.get(&l).copied().unwrap_or(l));
        }
    }
}

impl Folder {
    /// A folder using the generated T2S table.
    pub fn new() -> Folder {
        Folder {
            bmp: bmp_table(),
            changed: changed_bitmap(),
        }
    }

    /// The folded form and class of `c` when it folds to exactly one character.
    #[inline]
    pub fn fold_one(&self, c: char) -> Option<(char, CharClass)> {
        let cp = u32::from(c);
        if IDEOGRAPHS.contains(&cp) {
            let i = (cp - IDEOGRAPHS.start) as usize;
            if self.changed[i / 64] & (1 << (i % 64)) == 0 {
                return Some((c, CharClass::Cjk));
            }
        }
        let e = *self.bmp.get(c as usize)?;
        if e == GENERAL {
            return None;
        }
        let class = match e >> CHAR_BITS {
            0 => CharClass::Cjk,
            1 => CharClass::Word,
            _ => CharClass::Separator,
        };
        Some((char::from_u32(e & ((1 << CHAR_BITS) - 1))?, class))
    }

    /// Calls `f` with each normalised character of `c` (usually one; NFKC may give several).
    pub fn fold_each(&self, c: char, mut f: impl FnMut(char)) {
        match self.fold_one(c) {
            Some((one, _)) => f(one),
            None => {
                let t2s: &HashMap<char, char> = t2s_map();
                general_fold(c, t2s, f);
            }
        }
    }

    /// Appends the normalised form of `c` to `out`.
    pub fn push_char(&self, c: char, out: &mut String) {
        self.fold_each(c, |f| out.push(f));
    }

    /// The normalised form of `text`.
    pub fn normalize(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            self.push_char(c, &mut out);
        }
        out
    }
}

fn t2s_map() -> &'static HashMap<char, char> {
    static MAP: OnceLock<HashMap<char, char>> = OnceLock::new();
    MAP.get_or_init(|| t2s_pairs().iter().copied().collect())
}

impl Default for Folder {
    fn default() -> Self {
        Folder::new()
    }
}

/// How a normalised character takes part in tokens (the discriminants are stored in the
/// folding table).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CharClass {
    /// Ideographs and other letters from U+2E80 up: indexed as bigrams.
    Cjk = 0,
    /// Latin and other letters and digits: indexed as words.
    Word = 1,
    /// Everything else separates tokens.
    Separator = 2,
}

/// The class of a normalised character (JS: `\p{Alphabetic}` or `\p{N}`, split at U+2E80).
pub fn char_class(c: char) -> CharClass {
    let cp = u32::from(c);
    // Fast paths, same answer as the general rule: ASCII, and the ideograph blocks (all letters;
    // U+4DC0..U+4DFF between them are hexagram symbols and take the general path).
    if c.is_ascii() {
        return if c.is_ascii_alphanumeric() {
            CharClass::Word
        } else {
            CharClass::Separator
        };
    }
    if is_ideograph(cp) {
        return CharClass::Cjk;
    }
    if !c.is_alphanumeric() {
        CharClass::Separator
    } else if cp >= 0x2E80 {
        CharClass::Cjk
    } else {
        CharClass::Word
    }
}

/// A maximal run of one class in normalised text (the reference the one-pass tokenizer in
/// `postings` must agree with; see its test).
#[cfg(test)]
#[derive(Debug, PartialEq, Eq)]
pub enum Run<'a> {
    Cjk(&'a str),
    Word(&'a str),
}

/// Splits normalised text into CJK runs and word runs.
#[cfg(test)]
pub fn runs(text: &str) -> Vec<Run<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut class = CharClass::Separator;
    for (i, c) in text.char_indices() {
        let k = char_class(c);
        if k != class {
            push_run(&mut out, &text[start..i], class);
            start = i;
            class = k;
        }
    }
    push_run(&mut out, &text[start..], class);
    out
}

#[cfg(test)]
fn push_run<'a>(out: &mut Vec<Run<'a>>, s: &'a str, class: CharClass) {
    match class {
        CharClass::Cjk if !s.is_empty() => out.push(Run::Cjk(s)),
        CharClass::Word if !s.is_empty() => out.push(Run::Word(s)),
        _ => {}
    }
}

/// A fast hasher for the index's integer keys (FxHash's multiply-rotate); the keys are not
/// attacker-chosen at build time, so SipHash's DoS resistance buys nothing here.
#[derive(Clone, Copy, Default)]
pub struct KeyHasher(u64);

/// FxHash's multiplier, also used by the index's own hash tables.
pub const FX: u64 = 0x517c_c1b7_2722_0a95;

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(FX);
    }
}

/// A `HashMap` with [`KeyHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<KeyHasher>>;

/// Words longer than this are not indexed (hashes, long numbers).
pub const MAX_WORD: usize = 32;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_width_case_and_traditional() {
        let f = Folder::new();
        assert_eq!(f.normalize("勞務協作"), "劳务协作");
        assert_eq!(f.normalize("ＡＢＣ１２"), "abc12");
        assert_eq!(f.normalize("吕梁山護工"), "吕梁山护工");
        assert_eq!(f.normalize("貴州省"), "贵州省");
        assert_eq!(f.normalize("陝西"), "陕西");
    }

    #[test]
    fn generated_table_covers_the_ideograph_blocks_in_order() {
        let pairs = t2s_pairs();
        assert!(pairs.len() > 2000, "{}", pairs.len());
        assert!(
            pairs.windows(2).all(|w| w[0].0 < w[1].0),
            "sorted, one entry a character"
        );
        assert!(pairs.iter().all(|&(t, _)| is_ideograph(t as u32)));
        assert!(pairs.contains(&('勞', '劳')) && pairs.contains(&('貴', '贵')));
    }

    #[test]
    fn table_is_idempotent() {
        let f = Folder::new();
        for (t, s) in t2s_pairs() {
            let once = f.normalize(&t.to_string());
            assert_eq!(f.normalize(&once), once, "{t} -> {s}");
        }
    }

    #[test]
    fn table_agrees_with_the_rule() {
        let f = Folder::new();
        let t2s = t2s_map();
        for cp in 0..0x1_0000u32 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let mut want = Vec::new();
            general_fold(c, t2s, |x| want.push(x));
            let mut got = Vec::new();
            f.fold_each(c, |x| got.push(x));
            assert_eq!(got, want, "U+{cp:04X}");
            if let Some((one, class)) = f.fold_one(c) {
                assert_eq!(class, char_class(one), "U+{cp:04X}");
            }
        }
    }

    #[test]
    fn fast_paths_agree_with_the_rule() {
        for cp in (0..0x500).chain(0x3400..0xA000) {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let general = if !c.is_alphanumeric() {
                CharClass::Separator
            } else if cp >= 0x2E80 {
                CharClass::Cjk
            } else {
                CharClass::Word
            };
            assert_eq!(char_class(c), general, "U+{cp:04X}");
        }
    }

    #[test]
    fn splits_runs() {
        assert_eq!(
            runs("2022年 沙县小吃abc"),
            vec![
                Run::Word("2022"),
                Run::Cjk("年"),
                Run::Cjk("沙县小吃"),
                Run::Word("abc")
            ]
        );
    }
}
