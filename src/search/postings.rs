//! Documents → inverted index: every token with the documents that contain it and an impact
//! level per document (a BM25-like score with field weights, quantised to 1..=31).
//!
//! Documents are tokenised in parallel in batches, and each batch is merged before the next
//! starts, so memory stays proportional to the postings rather than to the token stream. This
//! module does not encode or shard: see `shards`.

use rayon::prelude::*;

use super::documents::{GROUPS, SearchDoc};
use super::pinyin_tokens::{PinyinTable, PinyinToken};
use super::text::{CharClass, FastMap, Folder, MAX_WORD, char_class};

/// Field weights of the groups (title, tags and places, summary, body).
const WEIGHTS: [f32; GROUPS] = [5.0, 3.0, 1.5, 1.0];
/// BM25 term-frequency saturation.
const K1: f32 = 1.2;
/// BM25 length normalisation, applied to the body only (other fields are short).
const B: f32 = 0.75;
/// Documents tokenised per parallel batch.
const BATCH: usize = 1024;
/// Bits of a posting used by the impact level.
pub const LEVEL_BITS: u32 = 5;
/// The highest impact level.
pub const MAX_LEVEL: u32 = (1 << LEVEL_BITS) - 1;

/// A token key: CJK characters, syllable ids or initials packed into the number; words by a
/// 64-bit hash whose text is kept aside.
type Key = u64;

const TEXT_BIT: u64 = 1 << 63;
const PINYIN_BIT: u64 = 1 << 62;
const INITIALS_BIT: u64 = 1 << 61;
const BIGRAM_BIT: u64 = 1 << 42;

fn cjk_key(a: char, b: Option<char>) -> Key {
    match b {
        Some(b) => BIGRAM_BIT | (u64::from(a) << 21) | u64::from(b),
        None => u64::from(a),
    }
}

fn pinyin_key(t: PinyinToken) -> Key {
    match t {
        PinyinToken::Syllables(a, b) => PINYIN_BIT | (u64::from(a) << 16) | u64::from(b),
        PinyinToken::Initials(a, b) => INITIALS_BIT | (u64::from(a) << 8) | u64::from(b),
    }
}

fn text_key(s: &str) -> Key {
    // FNV-1a, 64-bit; a collision would merge two rare words, which is harmless.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h | TEXT_BIT
}

/// The inverted index before encoding.
pub struct Postings {
    /// Token text → postings, each `doc << LEVEL_BITS | level`, ascending by document.
    pub lists: Vec<(String, Vec<u32>)>,
    pub doc_count: usize,
}

/// The tokens of one document: each occurrence as `(key, field group)`, sorted, so equal keys
/// are adjacent (sorting a few thousand integers beats a hash map per document).
struct DocTokens {
    occurrences: Vec<(Key, u8)>,
    words: Vec<(Key, String)>,
    body_len: usize,
}

fn tokenize(doc: &SearchDoc<'_>, folder: &Folder, pinyin: &PinyinTable) -> DocTokens {
    let mut t = Tokenizer {
        occ: Vec::with_capacity(4096),
        words: Vec::new(),
        body_len: 0,
        py: Vec::new(),
        run: Vec::new(),
        prev: None,
        word: String::new(),
    };
    for (g, field) in doc.fields.iter().enumerate() {
        // One pass per field: fold, classify and emit tokens without building the normalised
        // text or its runs (the same tokens as `runs(folder.normalize(field))`).
        let g8 = g as u8;
        for c in field.chars() {
            folder.fold_each(c, |f| match char_class(f) {
                CharClass::Cjk => {
                    t.end_word(g8);
                    if let Some(p) = t.prev {
                        t.occ.push((cjk_key(p, Some(f)), g8));
                    }
                    t.prev = Some(f);
                    if g <= 1 {
                        t.run.push(f);
                    }
                    if g == GROUPS - 1 {
                        t.body_len += 1;
                    }
                }
                CharClass::Word => {
                    t.end_run(g8, pinyin);
                    t.word.push(f);
                }
                CharClass::Separator => {
                    t.end_run(g8, pinyin);
                    t.end_word(g8);
                }
            });
        }
        t.end_run(g8, pinyin);
        t.end_word(g8);
    }
    let Tokenizer {
        mut occ,
        mut words,
        body_len,
        ..
    } = t;
    occ.sort_unstable();
    words.sort_unstable();
    words.dedup_by_key(|w| w.0);
    DocTokens {
        occurrences: occ,
        words,
        body_len,
    }
}

/// State of the one-pass tokenizer: the CJK run and the word being read.
struct Tokenizer {
    occ: Vec<(Key, u8)>,
    words: Vec<(Key, String)>,
    body_len: usize,
    py: Vec<PinyinToken>,
    /// Characters of the current CJK run, kept only for title-like fields.
    run: Vec<char>,
    prev: Option<char>,
    word: String,
}

impl Tokenizer {
    /// Ends a CJK run: title-like fields also get single characters and pinyin tokens.
    fn end_run(&mut self, g8: u8, pinyin: &PinyinTable) {
        self.prev = None;
        if self.run.is_empty() {
            return;
        }
        self.occ
            .extend(self.run.iter().map(|&c| (cjk_key(c, None), g8)));
        pinyin.push_tokens(&self.run, &mut self.py);
        self.occ
            .extend(self.py.drain(..).map(|t| (pinyin_key(t), g8)));
        self.run.clear();
    }

    /// Ends a word of letters and digits (`w:` tokens; overlong words are not indexed).
    fn end_word(&mut self, g8: u8) {
        if self.word.is_empty() {
            return;
        }
        if self.word.chars().count() <= MAX_WORD {
            let text = format!("w:{}", self.word);
            let k = text_key(&text);
            self.words.push((k, text));
            self.occ.push((k, g8));
            if usize::from(g8) == GROUPS - 1 {
                self.body_len += 1;
            }
        }
        self.word.clear();
    }
}

/// Term frequencies per field group of each distinct key in sorted occurrences.
fn term_frequencies(occ: &[(Key, u8)]) -> impl Iterator<Item = (Key, [u16; GROUPS])> + '_ {
    occ.chunk_by(|a, b| a.0 == b.0).map(|run| {
        let mut tf = [0u16; GROUPS];
        for &(_, g) in run {
            let slot = &mut tf[usize::from(g)];
            *slot = slot.saturating_add(1);
        }
        (run[0].0, tf)
    })
}

fn saturate(tf: u16, k: f32) -> f32 {
    let tf = f32::from(tf);
    tf * (k + 1.0) / (tf + k)
}

/// Quantised impact of one token in one document.
fn level(tf: &[u16; GROUPS], body_norm: f32) -> u32 {
    let mut score = 0.0;
    for (g, &n) in tf.iter().enumerate() {
        if n > 0 {
            let k = if g == GROUPS - 1 { K1 * body_norm } else { K1 };
            score += WEIGHTS[g] * saturate(n, k);
        }
    }
    // Two levels per unit of score: body-only matches land on 1..=4, title matches on 10 and up.
    let q = (score * 2.0).round();
    if q < 1.0 {
        1
    } else if q >= MAX_LEVEL as f32 {
        MAX_LEVEL
    } else {
        q as u32
    }
}

/// Partitions of the key space merged in parallel.
const PARTS: usize = 16;

fn part(k: Key) -> usize {
    (k.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 60) as usize % PARTS
}

/// One tokenised document: its postings split by key partition, and its word texts.
type DocPostings = (Vec<Vec<(Key, u32)>>, Vec<(Key, String)>);

/// Tokenises every document and merges the postings.
pub fn build_postings(docs: &[SearchDoc<'_>], folder: &Folder, pinyin: &PinyinTable) -> Postings {
    let avg_body = {
        let total: usize = docs
            .par_iter()
            .map(|d| d.fields[GROUPS - 1].chars().count())
            .sum();
        (total as f32 / docs.len().max(1) as f32).max(1.0)
    };
    let mut parts: Vec<FastMap<Key, Vec<u32>>> = (0..PARTS).map(|_| FastMap::default()).collect();
    let mut words: FastMap<Key, String> = FastMap::default();
    for (batch_no, batch) in docs.chunks(BATCH).enumerate() {
        let tokenized: Vec<DocPostings> = batch
            .par_iter()
            .enumerate()
            .map(|(i, doc)| {
                // Document ids fit easily: a site has far fewer than 2^27 pages.
                let id = u32::try_from(batch_no * BATCH + i).unwrap_or(u32::MAX >> LEVEL_BITS);
                let t = tokenize(doc, folder, pinyin);
                let norm = 1.0 - B + B * (t.body_len as f32 / avg_body);
                let mut out: Vec<Vec<(Key, u32)>> = vec![Vec::new(); PARTS];
                for (k, tf) in term_frequencies(&t.occurrences) {
                    out[part(k)].push((k, (id << LEVEL_BITS) | level(&tf, norm)));
                }
                (out, t.words)
            })
            .collect();
        // Each partition appends its keys' postings in document order, in parallel.
        parts.par_iter_mut().enumerate().for_each(|(p, map)| {
            for (doc, _) in &tokenized {
                for &(k, posting) in &doc[p] {
                    map.entry(k).or_default().push(posting);
                }
            }
        });
        for (_, doc_words) in tokenized {
            for (k, s) in doc_words {
                words.entry(k).or_insert(s);
            }
        }
    }
    let mut lists: Vec<(String, Vec<u32>)> = parts
        .into_par_iter()
        .flat_map_iter(|map| {
            map.into_iter()
                .filter_map(|(k, list)| Some((key_text(k, &words, pinyin)?, list)))
                .collect::<Vec<_>>()
        })
        .collect();
    lists.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Postings {
        lists,
        doc_count: docs.len(),
    }
}

fn key_text(k: Key, words: &FastMap<Key, String>, pinyin: &PinyinTable) -> Option<String> {
    if k & TEXT_BIT != 0 {
        return words.get(&k).cloned();
    }
    if k & PINYIN_BIT != 0 {
        let (a, b) = ((k >> 16) & 0xffff, k & 0xffff);
        return pinyin.text(PinyinToken::Syllables(a as u16, b as u16));
    }
    if k & INITIALS_BIT != 0 {
        return pinyin.text(PinyinToken::Initials((k >> 8) as u8, k as u8));
    }
    let mask = (1u64 << 21) - 1;
    let b = char::from_u32(u32::try_from(k & mask).ok()?)?;
    if k & BIGRAM_BIT == 0 {
        return Some(b.to_string());
    }
    let a = char::from_u32(u32::try_from((k >> 21) & mask).ok()?)?;
    Some(format!("{a}{b}"))
}

/// Adds one token per synonym group (`g:N`, N its index in the manifest's groups) listing every
/// document that holds all bigrams of any member, at that member's weakest level. The client
/// then fetches one list for a group instead of the bigrams of all its members, which keeps
/// queries such as 就业帮扶车间 within the byte budget; matching stays bigram-based as elsewhere.
pub fn add_synonym_groups(postings: &mut Postings, groups: &[Vec<String>]) {
    let n = postings.doc_count;
    let find = |lists: &[(String, Vec<u32>)], tok: &str| {
        lists.binary_search_by(|(t, _)| t.as_str().cmp(tok)).ok()
    };
    let mut extra = Vec::new();
    for (gi, group) in groups.iter().enumerate() {
        let mut best = vec![0u32; n];
        for member in group {
            let chars: Vec<char> = member.chars().collect();
            let tokens: Vec<String> = if chars.len() < 2 {
                vec![member.clone()]
            } else {
                chars.windows(2).map(|w| w.iter().collect()).collect()
            };
            let Some(lists) = tokens
                .iter()
                .map(|t| find(&postings.lists, t).map(|i| &postings.lists[i].1))
                .collect::<Option<Vec<_>>>()
            else {
                continue;
            };
            let mut count = vec![0u16; n];
            let mut weakest = vec![MAX_LEVEL; n];
            for list in &lists {
                for &p in list.iter() {
                    let d = (p >> LEVEL_BITS) as usize;
                    count[d] += 1;
                    weakest[d] = weakest[d].min(p & MAX_LEVEL);
                }
            }
            for d in 0..n {
                if usize::from(count[d]) == lists.len() {
                    best[d] = best[d].max(weakest[d]);
                }
            }
        }
        let list: Vec<u32> = (0..n)
            .filter(|&d| best[d] > 0)
            .map(|d| ((d as u32) << LEVEL_BITS) | best[d])
            .collect();
        if !list.is_empty() {
            extra.push((format!("g:{gi}"), list));
        }
    }
    postings.lists.extend(extra);
    postings.lists.sort_unstable_by(|a, b| a.0.cmp(&b.0));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::text::{Run, runs};

    /// The one-pass tokenizer emits exactly the bigrams and words of the reference
    /// `runs(normalize(text))`, which `search.js` mirrors.
    #[test]
    fn one_pass_tokens_match_the_reference() {
        let folder = Folder::new();
        let pinyin = PinyinTable::new();
        let text = "勞務協作 2023年，ＡＢＣ稳岗就业！abc-12 沙县小吃Shaxian 吕梁";
        let doc = SearchDoc {
            kind: crate::search::DocKind::Case,
            url: String::new(),
            title: String::new(),
            date: None,
            province: None,
            pair: None,
            task: None,
            year: None,
            fields: [
                Default::default(),
                Default::default(),
                Default::default(),
                text.into(),
            ],
            summary: String::new(),
            body_head: String::new(),
        };
        let got: Vec<Key> = tokenize(&doc, &folder, &pinyin)
            .occurrences
            .iter()
            .map(|o| o.0)
            .collect();
        let mut want: Vec<Key> = Vec::new();
        for run in runs(&folder.normalize(text)) {
            match run {
                Run::Cjk(s) => {
                    let chars: Vec<char> = s.chars().collect();
                    want.extend(chars.windows(2).map(|w| cjk_key(w[0], Some(w[1]))));
                }
                Run::Word(w) => want.push(text_key(&format!("w:{w}"))),
            }
        }
        want.sort_unstable();
        assert_eq!(got, want);
    }
}
