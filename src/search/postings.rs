//! Documents → inverted index: every token with the documents that contain it and an impact
//! level per document (a BM25-like score with field weights, quantised to 1..=31).
//!
//! Documents are tokenised in parallel in batches, and each batch is merged before the next
//! starts, so memory stays proportional to the postings rather than to the token stream. This
//! module does not encode or shard: see `shards`.

use rayon::prelude::*;

use super::documents::{GROUPS, SearchDoc};
use super::pinyin_tokens::{PinyinTable, PinyinToken};
use super::text::{CharClass, FX, FastMap, Folder, MAX_WORD, char_class};

/// Field weights of the groups (title, tags and places, summary, body).
const WEIGHTS: [f32; GROUPS] = [5.0, 3.0, 1.5, 1.0];
/// BM25 term-frequency saturation.
const K1: f32 = 1.2;
/// BM25 length normalisation, applied to the body only (other fields are short).
const B: f32 = 0.75;
/// Documents tokenised per parallel batch.
const BATCH: usize = 1024;
/// Documents per parallel task within a batch (they share one counting table).
const CHUNK: usize = 64;
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

/// The key of the token `w:{word}`.
fn word_key(word: &str) -> Key {
    // FNV-1a, 64-bit, of the token text; a collision would merge two rare words, which is
    // harmless.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in b"w:".iter().chain(word.as_bytes()) {
        h ^= u64::from(*b);
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

/// Term frequencies of one document's tokens: an open-addressing table reused for every
/// document a thread tokenises, so counting costs one probe per occurrence and no allocation
/// (sorting each document's ~2,500 occurrences took most of the index build).
struct TermCounts {
    /// `(key, frequency per group)`; key 0 marks an empty slot (no key is 0: every key has a
    /// CJK character or a tag bit). Key and counts share a slot so a probe touches one line.
    slots: Vec<(Key, [u16; GROUPS])>,
    /// Occupied slots in insertion order, so clearing and reading skip the empty ones.
    used: Vec<u32>,
    /// `64 - log2(capacity)`: the hash's top bits pick the slot.
    shift: u32,
    /// New word tokens of the current document, with their `w:` text as a range of
    /// `word_text` (one buffer, not a string per word).
    words: Vec<(Key, std::ops::Range<u32>)>,
    word_text: String,
    /// CJK characters and words of the body, for length normalisation.
    body_len: usize,
}

impl TermCounts {
    fn new() -> TermCounts {
        let bits = 13;
        TermCounts {
            slots: vec![(0, [0; GROUPS]); 1 << bits],
            used: Vec::with_capacity(1 << (bits - 1)),
            shift: 64 - bits,
            words: Vec::new(),
            word_text: String::new(),
            body_len: 0,
        }
    }

    fn slot(&self, k: Key) -> usize {
        (k.wrapping_mul(FX) >> self.shift) as usize
    }

    /// Counts one occurrence of `k` in group `g`; true if `k` is new in this document.
    #[inline]
    fn add(&mut self, k: Key, g: usize) -> bool {
        if self.used.len() * 2 >= self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut i = self.slot(k);
        loop {
            let slot = &mut self.slots[i];
            if slot.0 == k {
                slot.1[g] = slot.1[g].saturating_add(1);
                return false;
            }
            if slot.0 == 0 {
                slot.0 = k;
                slot.1 = [0; GROUPS];
                slot.1[g] = 1;
                self.used.push(i as u32);
                return true;
            }
            i = (i + 1) & mask;
        }
    }

    #[cold]
    fn grow(&mut self) {
        let entries: Vec<(Key, [u16; GROUPS])> = self.entries().map(|(k, tf)| (k, *tf)).collect();
        let cap = self.slots.len() * 2;
        self.slots = vec![(0, [0; GROUPS]); cap];
        self.shift -= 1;
        self.used.clear();
        let mask = cap - 1;
        for entry in entries {
            let mut i = self.slot(entry.0);
            while self.slots[i].0 != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = entry;
            self.used.push(i as u32);
        }
    }

    /// The counted keys with their term frequencies, in first-seen order.
    fn entries(&self) -> impl Iterator<Item = (Key, &[u16; GROUPS])> + '_ {
        self.used.iter().map(|&i| {
            let slot = &self.slots[i as usize];
            (slot.0, &slot.1)
        })
    }

    fn clear(&mut self) {
        for &i in &self.used {
            self.slots[i as usize].0 = 0;
        }
        self.used.clear();
        self.words.clear();
        self.word_text.clear();
        self.body_len = 0;
    }
}

/// Counts the tokens of `doc` into `counts` (cleared first).
fn tokenize(doc: &SearchDoc<'_>, folder: &Folder, pinyin: &PinyinTable, counts: &mut TermCounts) {
    counts.clear();
    let mut t = Tokenizer {
        counts,
        py: Vec::new(),
        run: Vec::new(),
        prev: None,
        word: String::new(),
    };
    for (g, field) in doc.fields.iter().enumerate() {
        // One pass per field: fold, classify and emit tokens without building the normalised
        // text or its runs (the same tokens as `runs(folder.normalize(field))`).
        // The body is most of the text and has no single characters or pinyin: its own loop.
        let body = g == GROUPS - 1;
        for c in field.chars() {
            match folder.fold_one(c) {
                Some((f, class)) if body => t.feed_body(f, class),
                Some((f, class)) => t.feed(f, class, g, pinyin),
                None => folder.fold_each(c, |f| t.feed(f, char_class(f), g, pinyin)),
            }
        }
        t.end_run(g, pinyin);
        t.end_word(g);
    }
}

/// State of the one-pass tokenizer: the CJK run and the word being read.
struct Tokenizer<'c> {
    counts: &'c mut TermCounts,
    py: Vec<PinyinToken>,
    /// Characters of the current CJK run, kept only for title-like fields.
    run: Vec<char>,
    prev: Option<char>,
    word: String,
}

impl Tokenizer<'_> {
    /// Takes one normalised character of group `g`.
    #[inline]
    fn feed(&mut self, f: char, class: CharClass, g: usize, pinyin: &PinyinTable) {
        match class {
            CharClass::Cjk => {
                self.end_word(g);
                if let Some(p) = self.prev {
                    self.counts.add(cjk_key(p, Some(f)), g);
                }
                self.prev = Some(f);
                if g <= 1 {
                    self.run.push(f);
                }
                if g == GROUPS - 1 {
                    self.counts.body_len += 1;
                }
            }
            CharClass::Word => {
                self.end_run(g, pinyin);
                self.word.push(f);
            }
            CharClass::Separator => {
                self.end_run(g, pinyin);
                self.end_word(g);
            }
        }
    }

    /// [`Tokenizer::feed`] for the body group, where no CJK run is kept.
    #[inline]
    fn feed_body(&mut self, f: char, class: CharClass) {
        const G: usize = GROUPS - 1;
        match class {
            CharClass::Cjk => {
                self.end_word(G);
                if let Some(p) = self.prev {
                    self.counts.add(cjk_key(p, Some(f)), G);
                }
                self.prev = Some(f);
                self.counts.body_len += 1;
            }
            CharClass::Word => {
                self.prev = None;
                self.word.push(f);
            }
            CharClass::Separator => {
                self.prev = None;
                self.end_word(G);
            }
        }
    }

    /// Ends a CJK run: title-like fields also get single characters and pinyin tokens.
    #[inline]
    fn end_run(&mut self, g: usize, pinyin: &PinyinTable) {
        self.prev = None;
        if !self.run.is_empty() {
            self.flush_run(g, pinyin);
        }
    }

    #[inline(never)]
    fn flush_run(&mut self, g: usize, pinyin: &PinyinTable) {
        for &c in &self.run {
            self.counts.add(cjk_key(c, None), g);
        }
        pinyin.push_tokens(&self.run, &mut self.py);
        for t in self.py.drain(..) {
            self.counts.add(pinyin_key(t), g);
        }
        self.run.clear();
    }

    /// Ends a word of letters and digits (`w:` tokens; overlong words are not indexed).
    #[inline]
    fn end_word(&mut self, g: usize) {
        if !self.word.is_empty() {
            self.flush_word(g);
        }
    }

    #[inline(never)]
    fn flush_word(&mut self, g: usize) {
        if self.word.chars().count() <= MAX_WORD {
            let k = word_key(&self.word);
            if self.counts.add(k, g) {
                let text = &mut self.counts.word_text;
                let start = text.len() as u32;
                text.push_str("w:");
                text.push_str(&self.word);
                self.counts.words.push((k, start..text.len() as u32));
            }
            if g == GROUPS - 1 {
                self.counts.body_len += 1;
            }
        }
        self.word.clear();
    }
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
    // Rounded half up by hand: `f32::round` is a library call on baseline x86-64, and this runs
    // for millions of postings (the score is positive, so truncation is the floor).
    let x = (score * 2.0).min(MAX_LEVEL as f32);
    let floor = x as u32;
    let q = if x - floor as f32 >= 0.5 {
        floor + 1
    } else {
        floor
    };
    q.clamp(1, MAX_LEVEL)
}

/// Partitions of the key space merged in parallel.
const PARTS: usize = 16;

fn part(k: Key) -> usize {
    (k.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 60) as usize % PARTS
}

/// The postings `(key, doc << LEVEL_BITS | level)` of a run of consecutive documents, split by
/// key partition, each partition in document order; and the documents' word texts.
struct ChunkPostings {
    /// Keys and postings of each partition, side by side (12 bytes an entry, not a padded 16).
    parts: Vec<(Vec<Key>, Vec<u32>)>,
    /// Word tokens with their text as a range of `word_text`.
    words: Vec<(Key, std::ops::Range<u32>)>,
    word_text: String,
}

impl ChunkPostings {
    fn new(docs: usize) -> ChunkPostings {
        // About 900 distinct tokens per case study, spread evenly over the partitions.
        let per_part = docs * 1024 / PARTS;
        ChunkPostings {
            parts: (0..PARTS)
                .map(|_| (Vec::with_capacity(per_part), Vec::with_capacity(per_part)))
                .collect(),
            words: Vec::new(),
            word_text: String::new(),
        }
    }

    /// Appends the postings of the document counted in `counts`.
    fn push_doc(&mut self, counts: &TermCounts, id: u32, avg_body: f32) {
        let norm = 1.0 - B + B * (counts.body_len as f32 / avg_body);
        // Most tokens occur in the body only, a few times: their levels repeat within a
        // document, so they are computed once per frequency.
        let mut body_levels = [0u32; 32];
        for (k, tf) in counts.entries() {
            let lvl = match tf {
                [0, 0, 0, n] if usize::from(*n) < body_levels.len() => {
                    let slot = &mut body_levels[usize::from(*n)];
                    if *slot == 0 {
                        *slot = level(tf, norm);
                    }
                    *slot
                }
                _ => level(tf, norm),
            };
            let (keys, postings) = &mut self.parts[part(k)];
            keys.push(k);
            postings.push((id << LEVEL_BITS) | lvl);
        }
        let base = self.word_text.len() as u32;
        self.word_text.push_str(&counts.word_text);
        self.words.extend(
            counts
                .words
                .iter()
                .map(|(k, r)| (*k, r.start + base..r.end + base)),
        );
    }
}

/// Tokenises every document and merges the postings.
pub fn build_postings(docs: &[SearchDoc<'_>], folder: &Folder, pinyin: &PinyinTable) -> Postings {
    let avg_body = {
        let total: usize = docs
            .par_iter()
            .map(|d| d.fields[GROUPS - 1].chars().count())
            .sum();
        (total as f32 / docs.len().max(1) as f32).max(1.0)
    };
    // Per partition: postings and word texts of its keys.
    type Part = (FastMap<Key, Vec<u32>>, FastMap<Key, String>);
    let mut parts: Vec<Part> = (0..PARTS).map(|_| Part::default()).collect();
    let batches = docs.len().div_ceil(BATCH);
    for (batch_no, batch) in docs.chunks(BATCH).enumerate() {
        // One counting table per chunk of documents, reused within it.
        let tokenized: Vec<ChunkPostings> = batch
            .par_chunks(CHUNK)
            .enumerate()
            .map(|(chunk_no, chunk)| {
                let mut counts = TermCounts::new();
                let mut out = ChunkPostings::new(chunk.len());
                let first = batch_no * BATCH + chunk_no * CHUNK;
                for (i, doc) in chunk.iter().enumerate() {
                    // Document ids fit easily: a site has far fewer than 2^27 pages.
                    let id = u32::try_from(first + i).unwrap_or(u32::MAX >> LEVEL_BITS);
                    tokenize(doc, folder, pinyin, &mut counts);
                    out.push_doc(&counts, id, avg_body);
                }
                out
            })
            .collect();
        // Each partition appends its keys' postings in document order, in parallel.
        parts
            .par_iter_mut()
            .enumerate()
            .for_each(|(p, (map, words))| {
                for chunk in &tokenized {
                    let (keys, postings) = &chunk.parts[p];
                    for (&k, &posting) in keys.iter().zip(postings) {
                        map.entry(k).or_default().push(posting);
                    }
                    for (k, r) in chunk.words.iter().filter(|w| part(w.0) == p) {
                        words.entry(*k).or_insert_with(|| {
                            chunk.word_text[r.start as usize..r.end as usize].to_owned()
                        });
                    }
                }
                if batch_no == 0 && batches > 1 {
                    // The first batch predicts each list's final length well (documents are
                    // many, tokens spread through them): reserving it now replaces a dozen
                    // doublings and copies of the long lists.
                    for list in map.values_mut() {
                        list.reserve(list.len() * (batches - 1));
                    }
                }
            });
    }
    let mut lists: Vec<(String, Vec<u32>)> = parts
        .into_par_iter()
        .flat_map_iter(|(map, mut words)| {
            map.into_iter()
                .filter_map(|(k, list)| Some((key_text(k, &mut words, pinyin)?, list)))
                .collect::<Vec<_>>()
        })
        .collect();
    lists.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Postings {
        lists,
        doc_count: docs.len(),
    }
}

fn key_text(k: Key, words: &mut FastMap<Key, String>, pinyin: &PinyinTable) -> Option<String> {
    if k & TEXT_BIT != 0 {
        return words.remove(&k);
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
    // A handful of tokens: inserting each in place beats re-sorting every list.
    for (token, list) in extra {
        let at = postings
            .lists
            .partition_point(|(t, _)| t.as_str() < token.as_str());
        postings.lists.insert(at, (token, list));
    }
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
        let short = "勞務協作 2023年，ＡＢＣ稳岗就业！abc-12 沙县小吃Shaxian 吕梁";
        // More distinct bigrams than the counting table first holds (it must grow), repeats,
        // and words between them; then the short text again, in the same reused table.
        let long: String = (0..6000u32)
            .filter_map(|i| char::from_u32(0x4E00 + i))
            .collect::<String>()
            + &"就业帮扶 x1 ".repeat(300);
        let mut counts = TermCounts::new();
        for text in [short, long.as_str(), short] {
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
            tokenize(&doc, &folder, &pinyin, &mut counts);
            let mut got: Vec<(Key, u16)> = counts.entries().map(|(k, tf)| (k, tf[3])).collect();
            got.sort_unstable();
            let mut want: Vec<Key> = Vec::new();
            for run in runs(&folder.normalize(text)) {
                match run {
                    Run::Cjk(s) => {
                        let chars: Vec<char> = s.chars().collect();
                        want.extend(chars.windows(2).map(|w| cjk_key(w[0], Some(w[1]))));
                    }
                    Run::Word(w) => want.push(word_key(w)),
                }
            }
            want.sort_unstable();
            let mut counted: Vec<(Key, u16)> = Vec::new();
            for k in want {
                match counted.last_mut() {
                    Some((last, n)) if *last == k => *n += 1,
                    _ => counted.push((k, 1)),
                }
            }
            assert_eq!(got, counted, "{}", text.chars().count());
        }
    }
}
