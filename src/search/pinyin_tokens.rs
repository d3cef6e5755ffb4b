//! Toneless pinyin tokens for title-like fields: syllable bigrams (`p:sha xian`) and initial
//! bigrams (`i:sx`), so 沙县小吃 is found by `shaxian`, `sha xian`, `sxxc` and `Shaxian小吃`.
//!
//! Every reading of a polyphonic character is indexed (重庆 is both chong and zhong), capped at
//! three. 陕 before 西 reads `shaan`, the official spelling, so `shaanxi` and `shanxi` stay apart.
//! `ü` is written `v` (lvliang); the client maps `lü`/`lyu` to it. This module does not parse
//! queries: `search.js` does, using the syllable list of [`PinyinTable`].

use std::borrow::Cow;

use pinyin::ToPinyinMulti;

use super::text::FastMap;

/// Readings kept per character.
const MAX_READINGS: usize = 3;

fn plain(s: &'static str) -> Cow<'static, str> {
    // Only the few syllables with ü need a copy.
    if s.contains('ü') {
        Cow::Owned(s.replace('ü', "v"))
    } else {
        Cow::Borrowed(s)
    }
}

/// Syllable ids of one character's readings: `ids[..len]`.
#[derive(Clone, Copy, Default)]
struct Readings {
    ids: [u16; MAX_READINGS],
    len: u8,
}

/// Readings of every ideograph as syllable ids, built once per index.
pub struct PinyinTable {
    /// Sorted toneless syllables; ids index this list.
    pub syllables: Vec<String>,
    /// Syllable ids of each code point from U+3400 to U+9FFF.
    readings: Vec<Readings>,
    shaan: u16,
}

const FIRST: u32 = 0x3400;
const END: u32 = 0xA000;

impl PinyinTable {
    /// Reads the pinyin crate's data for the ideograph ranges.
    pub fn new() -> PinyinTable {
        // Syllables are numbered as first met, then renumbered in sorted order. Looking the
        // data up takes half a millisecond; a vector per character and a sorted set of every
        // reading used to take thirty times that, on every build.
        let mut ids: FastMap<&'static str, u16> = FastMap::default();
        let mut names: Vec<Cow<'static, str>> = Vec::new();
        let mut intern = |s: &'static str, names: &mut Vec<Cow<'static, str>>| {
            *ids.entry(s).or_insert_with(|| {
                names.push(plain(s));
                u16::try_from(names.len() - 1).unwrap_or(u16::MAX)
            })
        };
        let shaan = intern("shaan", &mut names);
        let mut readings: Vec<Readings> = Vec::with_capacity((END - FIRST) as usize);
        for cp in FIRST..END {
            let mut r = Readings::default();
            let multi = char::from_u32(cp).and_then(|c| c.to_pinyin_multi());
            for p in multi.into_iter().flatten() {
                // Readings that differ only in tone are one toneless syllable.
                let id = intern(p.plain(), &mut names);
                let len = usize::from(r.len);
                if !r.ids[..len].contains(&id) {
                    r.ids[len] = id;
                    r.len += 1;
                }
                if usize::from(r.len) == MAX_READINGS {
                    break;
                }
            }
            readings.push(r);
        }
        let mut order: Vec<u16> = (0..names.len())
            .filter_map(|i| u16::try_from(i).ok())
            .collect();
        order.sort_unstable_by(|&a, &b| names[usize::from(a)].cmp(&names[usize::from(b)]));
        let mut new_id = vec![0u16; names.len()];
        for (rank, &old) in order.iter().enumerate() {
            new_id[usize::from(old)] = u16::try_from(rank).unwrap_or(u16::MAX);
        }
        for r in &mut readings {
            for id in &mut r.ids[..usize::from(r.len)] {
                *id = new_id[usize::from(*id)];
            }
        }
        PinyinTable {
            syllables: order
                .iter()
                .map(|&i| names[usize::from(i)].clone().into_owned())
                .collect(),
            readings,
            shaan: new_id[usize::from(shaan)],
        }
    }

    fn of(&self, c: char, next: Option<char>) -> &[u16] {
        if c == '陕' && next == Some('西') {
            return std::slice::from_ref(&self.shaan);
        }
        let cp = u32::from(c);
        if (FIRST..END).contains(&cp) {
            let r = &self.readings[(cp - FIRST) as usize];
            &r.ids[..usize::from(r.len)]
        } else {
            &[]
        }
    }

    /// Appends the toneless readings of `c` to `out`, comma-separated (`zhong,chong`); false,
    /// with nothing appended, for a character without pinyin.
    pub fn push_readings(&self, c: char, out: &mut String) -> bool {
        let ids = self.of(c, None);
        for (i, &id) in ids.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(
                self.syllables
                    .get(usize::from(id))
                    .map_or("", String::as_str),
            );
        }
        !ids.is_empty()
    }

    /// Syllable-bigram ids and initial bigrams of one normalised CJK run, appended to `out`.
    pub fn push_tokens(&self, chars: &[char], out: &mut Vec<PinyinToken>) {
        for (i, w) in chars.windows(2).enumerate() {
            let a = self.of(w[0], Some(w[1]));
            let b = self.of(w[1], chars.get(i + 2).copied());
            for &x in a {
                for &y in b {
                    out.push(PinyinToken::Syllables(x, y));
                }
            }
            let (ia, na) = self.initials(a);
            let (ib, nb) = self.initials(b);
            for &x in &ia[..na] {
                for &y in &ib[..nb] {
                    out.push(PinyinToken::Initials(x, y));
                }
            }
        }
    }

    /// The distinct first letters of the readings `ids` (at most [`MAX_READINGS`]); an array,
    /// not a set, because this runs for every character pair of every title.
    fn initials(&self, ids: &[u16]) -> ([u8; MAX_READINGS], usize) {
        let mut out = [0u8; MAX_READINGS];
        let mut n = 0;
        for &i in ids {
            let Some(b) = self
                .syllables
                .get(usize::from(i))
                .and_then(|s| s.bytes().next())
            else {
                continue;
            };
            if n < MAX_READINGS && !out[..n].contains(&b) {
                out[n] = b;
                n += 1;
            }
        }
        (out, n)
    }

    /// Appends the token text the client computes (`p:sha xian` or `i:sx`) to `out`; false,
    /// with nothing appended, for an unknown syllable.
    pub fn push_text(&self, t: PinyinToken, out: &mut String) -> bool {
        match t {
            PinyinToken::Syllables(a, b) => {
                let (Some(a), Some(b)) = (
                    self.syllables.get(usize::from(a)),
                    self.syllables.get(usize::from(b)),
                ) else {
                    return false;
                };
                out.push_str("p:");
                out.push_str(a);
                out.push(' ');
                out.push_str(b);
            }
            PinyinToken::Initials(a, b) => {
                out.push_str("i:");
                out.push(char::from(a));
                out.push(char::from(b));
            }
        }
        true
    }
}

impl Default for PinyinTable {
    fn default() -> Self {
        PinyinTable::new()
    }
}

/// A pinyin token without its text: two syllable ids, or two initial letters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PinyinToken {
    Syllables(u16, u16),
    Initials(u8, u8),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(table: &PinyinTable, run: &str) -> Vec<String> {
        let chars: Vec<char> = run.chars().collect();
        let mut out = Vec::new();
        table.push_tokens(&chars, &mut out);
        out.into_iter()
            .map(|t| {
                let mut text = String::new();
                assert!(table.push_text(t, &mut text));
                text
            })
            .collect()
    }

    #[test]
    fn tokens_of_shaxian() {
        let table = PinyinTable::new();
        let out = texts(&table, "沙县小吃");
        assert!(out.contains(&"p:sha xian".to_owned()));
        assert!(out.contains(&"i:sx".to_owned()));
        assert!(out.contains(&"i:xc".to_owned()));
    }

    #[test]
    fn shaanxi_is_distinct() {
        let table = PinyinTable::new();
        assert_eq!(texts(&table, "陕西")[0], "p:shaan xi");
        assert_eq!(texts(&table, "山西")[0], "p:shan xi");
        let lv: Vec<&str> = table
            .of('吕', None)
            .iter()
            .map(|&i| table.syllables[usize::from(i)].as_str())
            .collect();
        assert_eq!(lv, ["lv"]);
    }

    /// The table's readings are those of the pinyin crate, toneless, `v` for ü, in the crate's
    /// order, without repeats, at most three; its syllables are exactly those used, plus shaan.
    #[test]
    fn table_matches_the_crate() {
        let table = PinyinTable::new();
        let mut used = std::collections::BTreeSet::new();
        used.insert("shaan".to_owned());
        for cp in FIRST..END {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let mut want: Vec<String> = Vec::new();
            for p in c.to_pinyin_multi().into_iter().flatten() {
                let s = p.plain().replace('ü', "v");
                if !want.contains(&s) && want.len() < MAX_READINGS {
                    want.push(s);
                }
            }
            let got: Vec<String> = table
                .of(c, None)
                .iter()
                .map(|&i| table.syllables[usize::from(i)].clone())
                .collect();
            assert_eq!(got, want, "{c}");
            used.extend(want);
        }
        assert_eq!(table.syllables, used.into_iter().collect::<Vec<_>>());
    }
}
