//! Documents → inverted index: every token with the documents that contain it and an impact
//! level per document (a BM25-like score with field weights, quantised to 1..=31).
//!
//! Documents are tokenised in parallel in chunks; each chunk keeps only its postings, split by
//! key partition, so memory stays proportional to the postings rather than to the token stream.
//! Once all chunks are in, each partition's lists are assembled in one buffer and handed to the
//! caller, partition by partition. This module does not encode or shard: see `shards`.

use rayon::prelude::*;

use super::documents::{DocSource, GROUPS, SearchDoc};
use super::pinyin_tokens::{PinyinTable, PinyinToken};
use super::text::{CharClass, FX, FastMap, Folder, MAX_WORD, char_class};

/// Field weights of the groups (title, tags and places, summary, body).
const WEIGHTS: [f32; GROUPS] = [5.0, 3.0, 1.5, 1.0];
/// BM25 term-frequency saturation.
const K1: f32 = 1.2;
/// BM25 length normalisation, applied to the body only (other fields are short).
const B: f32 = 0.75;
/// Documents per parallel task (they share one counting table).
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

/// Bits of a slot's id that hold the key's index within its partition; the partition sits
/// above them.
const LOCAL_BITS: u32 = 28;
const LOCAL_MASK: u32 = (1 << LOCAL_BITS) - 1;

/// Every document counted, chunk by chunk: the inverted index before its lists are assembled.
/// [`Counted::lists`] assembles and hands out every token's list, one key partition at a time.
pub struct Counted {
    chunks: Vec<ChunkOut>,
    pub doc_count: usize,
}

/// One counted key: its term frequency per group in the document `doc`, and its id in the
/// chunk (its partition, and its index in that partition's `TermCounts::keys`).
#[derive(Clone, Copy, Default)]
struct Slot {
    key: Key,
    tf: [u16; GROUPS],
    doc: u32,
    id: u32,
}

/// Term frequencies of the documents of one chunk: an open-addressing table that keeps its
/// keys for the whole chunk, so each key gets one id per chunk and the assembly hashes each
/// key once per chunk rather than once per posting. Counting costs one probe per occurrence
/// and no allocation; a key's frequencies are reset the first time a new document meets it.
struct TermCounts {
    /// Key 0 marks an empty slot (no key is 0: every key has a CJK character or a tag bit).
    slots: Vec<Slot>,
    /// Slots counted in the current document, in first-seen order.
    used: Vec<u32>,
    /// `64 - log2(capacity)`: the hash's top bits pick the slot.
    shift: u32,
    /// The current document's stamp (counted slots carry it).
    doc: u32,
    /// Keys of the chunk, partition by partition, by their index in the partition (the low
    /// [`LOCAL_BITS`] of a slot's id).
    keys: [Vec<Key>; PARTS],
    /// Keys in `keys`.
    key_count: usize,
    /// Word tokens new in the chunk by key partition, with their `w:` text as a range of
    /// `word_text` (one buffer, not a string per word).
    words: [Vec<(Key, std::ops::Range<u32>)>; PARTS],
    word_text: String,
    /// CJK characters and words of the body, for length normalisation.
    body_len: usize,
    /// The tokenizer's buffers (pinyin tokens, CJK run, word), empty between documents.
    scratch: (Vec<PinyinToken>, Vec<char>, String),
}

impl TermCounts {
    const MIN_BITS: u32 = 13;

    fn new() -> TermCounts {
        TermCounts {
            slots: vec![Slot::default(); 1 << Self::MIN_BITS],
            used: Vec::with_capacity(1 << (Self::MIN_BITS - 1)),
            shift: 64 - Self::MIN_BITS,
            doc: 0,
            keys: Default::default(),
            key_count: 0,
            words: Default::default(),
            word_text: String::new(),
            body_len: 0,
            scratch: Default::default(),
        }
    }

    fn slot(&self, k: Key) -> usize {
        (k.wrapping_mul(FX) >> self.shift) as usize
    }

    /// Counts one occurrence of `k` in group `g`; true if `k` is new in this chunk.
    #[inline]
    fn add(&mut self, k: Key, g: usize) -> bool {
        let mask = self.slots.len() - 1;
        let mut i = self.slot(k);
        loop {
            let slot = &mut self.slots[i];
            if slot.key == k {
                if slot.doc != self.doc {
                    slot.doc = self.doc;
                    slot.tf = [0; GROUPS];
                    self.used.push(i as u32);
                }
                slot.tf[g] = slot.tf[g].saturating_add(1);
                return false;
            }
            if slot.key == 0 {
                let p = part(k);
                // A partition of one chunk holds far fewer than 2^28 keys: a chunk indexes at
                // most a few million characters.
                let id = ((p as u32) << LOCAL_BITS) | (self.keys[p].len() as u32 & LOCAL_MASK);
                *slot = Slot {
                    key: k,
                    tf: [0; GROUPS],
                    doc: self.doc,
                    id,
                };
                slot.tf[g] = 1;
                self.keys[p].push(k);
                self.key_count += 1;
                self.used.push(i as u32);
                // Checked only when a key is added, so every probe sees a table at most half
                // full; hits, most of the calls, skip it.
                if self.key_count * 2 >= self.slots.len() {
                    self.grow();
                }
                return true;
            }
            i = (i + 1) & mask;
        }
    }

    #[cold]
    fn grow(&mut self) {
        let old = std::mem::take(&mut self.slots);
        let cap = old.len() * 2;
        self.slots = vec![Slot::default(); cap];
        self.shift -= 1;
        self.used.clear();
        let mask = cap - 1;
        for slot in old.into_iter().filter(|s| s.key != 0) {
            let mut i = self.slot(slot.key);
            while self.slots[i].key != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = slot;
            if slot.doc == self.doc {
                self.used.push(i as u32);
            }
        }
    }

    /// The keys counted in the current document with their term frequencies.
    fn entries(&self) -> impl Iterator<Item = &Slot> + '_ {
        self.used.iter().map(|&i| &self.slots[i as usize])
    }

    /// Starts counting the next document of the chunk.
    fn next_doc(&mut self) {
        self.used.clear();
        self.body_len = 0;
        self.doc = self.doc.wrapping_add(1);
    }

    /// Forgets every key, for a new chunk.
    fn clear(&mut self) {
        if self.slots.len() > 1 << Self::MIN_BITS && self.key_count * 8 < self.slots.len() {
            *self = TermCounts::new();
            return;
        }
        self.slots.fill(Slot::default());
        self.used.clear();
        for keys in &mut self.keys {
            keys.clear();
        }
        self.key_count = 0;
        for words in &mut self.words {
            words.clear();
        }
        self.word_text.clear();
        self.body_len = 0;
        self.doc = 0;
    }
}

/// Counts the tokens of `doc` into `counts`, as the chunk's next document.
fn tokenize(doc: &SearchDoc<'_>, folder: &Folder, pinyin: &PinyinTable, counts: &mut TermCounts) {
    counts.next_doc();
    // The scratch buffers live in `counts`, so documents reuse them instead of growing new ones.
    let (py, run, word) = std::mem::take(&mut counts.scratch);
    let mut t = Tokenizer {
        counts,
        py,
        run,
        prev: None,
        word,
    };
    for (g, field) in doc.fields.iter().enumerate() {
        // One pass per field: fold, classify and emit tokens without building the normalised
        // text or its runs (the same tokens as `runs(folder.normalize(field))`).
        if g == GROUPS - 1 {
            t.body(field, folder, pinyin);
        } else {
            for c in field.chars().take(FIELD_INDEX_CHARS[g]) {
                match folder.fold_one(c) {
                    Some((f, class)) => t.feed(f, class, g, pinyin),
                    None => folder.fold_each(c, |f| t.feed(f, char_class(f), g, pinyin)),
                }
            }
        }
        t.end_run(g, pinyin);
        t.end_word(g);
    }
    t.counts.scratch = (t.py, t.run, t.word);
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

    /// [`Tokenizer::feed`] over the body, most of the text: no CJK run is kept (no single
    /// characters or pinyin), and the previous character and the length live in locals.
    fn body(&mut self, text: &str, folder: &Folder, pinyin: &PinyinTable) {
        const G: usize = GROUPS - 1;
        let mut prev = self.prev;
        let mut len = 0;
        for c in text.chars() {
            match folder.fold_one(c) {
                Some((f, CharClass::Cjk)) => {
                    self.end_word(G);
                    if let Some(p) = prev {
                        self.counts.add(cjk_key(p, Some(f)), G);
                    }
                    prev = Some(f);
                    len += 1;
                }
                Some((f, CharClass::Word)) => {
                    prev = None;
                    self.word.push(f);
                }
                Some((_, CharClass::Separator)) => {
                    prev = None;
                    self.end_word(G);
                }
                None => {
                    // Rare characters that fold to several: the general path, which keeps its
                    // state (and counts the length) in `self`.
                    self.prev = prev;
                    folder.fold_each(c, |f| self.feed(f, char_class(f), G, pinyin));
                    prev = self.prev;
                }
            }
        }
        self.prev = prev;
        self.counts.body_len += len;
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
                self.counts.words[part(k)].push((k, start..text.len() as u32));
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

/// Levels up to this one mean the token occurs in the body only; a token in the title, names,
/// tags and places, summary or headings is always above it, so the client can tell a page
/// *about* a term (it ranks those first) from one that mentions it in passing.
pub const BODY_ONLY_MAX: u32 = 4;

/// Quantised impact of one token in one document.
fn level(tf: &[u16; GROUPS], body_norm: f32) -> u32 {
    let mut score = 0.0;
    for (g, &n) in tf.iter().enumerate() {
        if n > 0 {
            let k = if g == GROUPS - 1 { K1 * body_norm } else { K1 };
            score += WEIGHTS[g] * saturate(n, k);
        }
    }
    let prominent = tf[..GROUPS - 1].iter().any(|&n| n > 0);
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
    // A body-only score stays below 4.5 (weight 1, saturation below 2.2): only a summary or
    // heading match alone (weight 1.5) lands as low, and it is lifted above the body band.
    if prominent {
        q.clamp(BODY_ONLY_MAX + 1, MAX_LEVEL)
    } else {
        q.clamp(1, BODY_ONLY_MAX)
    }
}

/// Partitions of the key space merged in parallel.
const PARTS: usize = 16;

fn part(k: Key) -> usize {
    (k.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 60) as usize % PARTS
}

/// Bits of a packed chunk posting that hold the document's offset in its chunk.
const OFFSET_BITS: u32 = 6;
const _: () = assert!(CHUNK <= 1 << OFFSET_BITS);
/// Where a packed chunk posting keeps the key's index in its partition (above the offset and
/// the level): 21 bits are left for it.
const PACKED_LOCAL_SHIFT: u32 = OFFSET_BITS + LEVEL_BITS;
/// A chunk is cut before a document when one of its partitions holds this many keys: a
/// document adds fewer keys than this again (fields are capped, see [`FIELD_INDEX_CHARS`]), so
/// every key's index fits its 21 bits.
const PART_KEYS_CUT: usize = 1 << 20;
/// Characters of each field group tokenised per document (the body is capped where documents
/// are collected). Title-like fields yield up to 20 tokens a character with their pinyin; the
/// caps keep a document's tokens under [`PART_KEYS_CUT`] whatever the input, and are far above
/// any real title, tag list or summary.
const FIELD_INDEX_CHARS: [usize; GROUPS - 1] = [10_000, 10_000, 60_000];

/// The postings of a chunk of consecutive documents, split by key partition, in the order the
/// documents were counted. Each is packed into 32 bits: the key's index in its partition, the
/// document's offset in the chunk and the impact level, so the chunks, which are all kept until
/// the lists are assembled, take half the memory (and half the fresh pages) of a pair.
#[derive(Default)]
struct ChunkPostings {
    raw: [Vec<u32>; PARTS],
}

impl ChunkPostings {
    /// Appends the postings of the document counted in `counts`, the chunk's `offset`-th.
    fn push_doc(&mut self, counts: &TermCounts, offset: u32, avg_body: f32) {
        let norm = 1.0 - B + B * (counts.body_len as f32 / avg_body);
        // Most tokens occur in the body only, a few times: their levels repeat within a
        // document, so they are computed once per frequency.
        let mut body_levels = [0u32; 32];
        for slot in counts.entries() {
            let tf = &slot.tf;
            let lvl = match tf {
                [0, 0, 0, n] if usize::from(*n) < body_levels.len() => {
                    let cached = &mut body_levels[usize::from(*n)];
                    if *cached == 0 {
                        *cached = level(tf, norm);
                    }
                    *cached
                }
                _ => level(tf, norm),
            };
            let p = (slot.id >> LOCAL_BITS) as usize % PARTS;
            let local = slot.id & LOCAL_MASK;
            self.raw[p].push((local << PACKED_LOCAL_SHIFT) | (offset << LEVEL_BITS) | lvl);
        }
    }

    /// Hands the postings over, leaving buffers of the same sizes for the next chunk.
    fn take(&mut self) -> [Vec<u32>; PARTS] {
        std::array::from_fn(|p| {
            let n = self.raw[p].len();
            std::mem::replace(&mut self.raw[p], Vec::with_capacity(n))
        })
    }
}

/// Decodes a packed chunk posting of a chunk whose first document is `first`: the key's index
/// in its partition, and the posting `doc << LEVEL_BITS | level`.
fn unpack(packed: u32, first: u32) -> (usize, u32) {
    let local = (packed >> PACKED_LOCAL_SHIFT) as usize;
    let posting = (first << LEVEL_BITS) + (packed & ((1 << PACKED_LOCAL_SHIFT) - 1));
    (local, posting)
}

/// What a finished chunk keeps: its first document, its postings and keys by partition, and
/// the texts of its new words.
struct ChunkOut {
    first: u32,
    raw: [Vec<u32>; PARTS],
    keys: [Vec<Key>; PARTS],
    words: [Vec<(Key, std::ops::Range<u32>)>; PARTS],
    word_text: String,
}

impl ChunkOut {
    /// Takes what `counts` and `out` hold for the chunk starting at document `first`.
    fn take(first: usize, counts: &mut TermCounts, out: &mut ChunkPostings) -> ChunkOut {
        ChunkOut {
            // Document ids fit easily: a site has far fewer than 2^27 pages.
            first: u32::try_from(first).unwrap_or(u32::MAX >> LEVEL_BITS),
            raw: out.take(),
            keys: std::array::from_fn(|p| std::mem::take(&mut counts.keys[p])),
            words: std::array::from_fn(|p| std::mem::take(&mut counts.words[p])),
            word_text: std::mem::take(&mut counts.word_text),
        }
    }
}

/// The average body length every document's length is weighed against, on a ladder of steps
/// of about 6 %: the exact average moves with every edit to any body, and with it the impact
/// levels of documents everywhere, so each edit rewrote shards all over the index. Off by at
/// most 6 %, it moves a document's weight by under 5 % (B = 0.75), and only when it moves.
fn body_average(total_chars: usize, docs: usize) -> f32 {
    super::ladder(total_chars / docs.max(1), 16) as f32
}

/// Tokenises every document into per-chunk postings, and calls `visit` with each document just
/// after it is tokenised, while its text is still in the cache; `visit`'s results come back in
/// document order.
pub fn count<F: Send>(
    docs: &(impl DocSource + ?Sized),
    folder: &Folder,
    pinyin: &PinyinTable,
    visit: impl Fn(&SearchDoc<'_>) -> F + Sync + Send,
) -> (Counted, Vec<F>) {
    count_with_cut(docs, folder, pinyin, PART_KEYS_CUT, visit)
}

fn count_with_cut<F: Send>(
    docs: &(impl DocSource + ?Sized),
    folder: &Folder,
    pinyin: &PinyinTable,
    cut: usize,
    visit: impl Fn(&SearchDoc<'_>) -> F + Sync + Send,
) -> (Counted, Vec<F>) {
    let n = docs.len();
    let avg_body = body_average((0..n).into_par_iter().map(|i| docs.body_chars(i)).sum(), n);
    // Chunks run without a barrier between them; each rayon job keeps one counting table for
    // all the chunks it takes (a fresh one per chunk costs more in allocation and page faults
    // than the counting itself).
    let chunks: Vec<(Vec<ChunkOut>, Vec<F>)> = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map_init(
            || (TermCounts::new(), ChunkPostings::default()),
            |(counts, out), chunk_no| {
                let ids = chunk_no * CHUNK..n.min((chunk_no + 1) * CHUNK);
                let mut done = Vec::with_capacity(1);
                let mut visited = Vec::with_capacity(ids.len());
                counts.clear();
                let mut first = ids.start;
                for id in ids {
                    if counts.keys.iter().any(|k| k.len() >= cut) {
                        done.push(ChunkOut::take(first, counts, out));
                        counts.clear();
                        first = id;
                    }
                    let doc = docs.doc(id);
                    tokenize(&doc, folder, pinyin, counts);
                    visited.push(visit(&doc));
                    out.push_doc(counts, (id - first) as u32, avg_body);
                }
                done.push(ChunkOut::take(first, counts, out));
                (done, visited)
            },
        )
        .collect();
    let mut all = Vec::with_capacity(n);
    let mut counted = Counted {
        chunks: Vec::with_capacity(chunks.len()),
        doc_count: n,
    };
    for (done, visited) in chunks {
        counted.chunks.extend(done);
        all.extend(visited);
    }
    (counted, all)
}

/// Buffers of one partition's assembly, reused from one partition to the next.
#[derive(Default)]
struct PartScratch {
    index: FastMap<Key, u32>,
    /// The partition's keys, in first-seen order.
    keys: Vec<Key>,
    /// The word keys among them: index in `keys`, chunk and range of its text in the chunk.
    words: Vec<(u32, u32, std::ops::Range<u32>)>,
    /// For every chunk's keys of the partition (chunk after chunk), the key's index in `keys`.
    global: Vec<u32>,
    /// Where each key's list starts in `lists`, and where the whole ends.
    starts: Vec<u32>,
    fill: Vec<u32>,
    lists: Vec<u32>,
}

impl Counted {
    /// Calls `f` with every token and its postings (`doc << LEVEL_BITS | level`, ascending by
    /// document), one key partition at a time, in parallel: `init` makes each partition's state
    /// and the states are returned in partition order. Tokens come in no particular order.
    ///
    /// Each partition is assembled in one buffer, by a counting sort of the chunks' postings:
    /// the chunks are read front to back and the writes stay within a buffer of a sixteenth of
    /// the postings, where gathering each list from its chunks would jump across all of them for
    /// every list.
    pub fn lists<S: Send>(
        &self,
        pinyin: &PinyinTable,
        init: impl Fn() -> S + Sync + Send,
        f: impl Fn(&mut S, &str, &[u32]) + Sync + Send,
    ) -> Vec<S> {
        (0..PARTS)
            .into_par_iter()
            .map_init(PartScratch::default, |scratch, p| {
                let mut state = init();
                self.part_lists(p, scratch, pinyin, |t, l| f(&mut state, t, l));
                state
            })
            .collect()
    }

    /// Assembles partition `p`'s lists and calls `f` with each, in the partition's key order.
    fn part_lists(
        &self,
        p: usize,
        s: &mut PartScratch,
        pinyin: &PinyinTable,
        mut f: impl FnMut(&str, &[u32]),
    ) {
        s.index.clear();
        s.keys.clear();
        s.global.clear();
        s.words.clear();
        for (ci, c) in self.chunks.iter().enumerate() {
            // A chunk's new words are listed in the order their keys were added.
            let mut words = c.words[p].iter();
            for &k in &c.keys[p] {
                let next = s.keys.len() as u32;
                let i = *s.index.entry(k).or_insert(next);
                let word = if k & TEXT_BIT != 0 {
                    words.next()
                } else {
                    None
                };
                if i == next {
                    s.keys.push(k);
                    if let Some((_, r)) = word {
                        s.words.push((i, ci as u32, r.clone()));
                    }
                }
                s.global.push(i);
            }
        }
        // A counting sort: postings per key, where each key's list starts, then every posting
        // in its place. Chunks come in document order and keep their postings in it, so each
        // list comes out ascending by document.
        s.fill.clear();
        s.fill.resize(s.keys.len(), 0);
        let mut at = 0;
        for c in &self.chunks {
            let global = &s.global[at..at + c.keys[p].len()];
            for &x in &c.raw[p] {
                s.fill[global[unpack(x, c.first).0] as usize] += 1;
            }
            at += c.keys[p].len();
        }
        s.starts.clear();
        let mut total = 0u32;
        for n in &mut s.fill {
            s.starts.push(total);
            let count = *n;
            *n = total;
            total += count;
        }
        s.starts.push(total);
        s.lists.clear();
        s.lists.resize(total as usize, 0);
        let mut at = 0;
        for c in &self.chunks {
            let global = &s.global[at..at + c.keys[p].len()];
            for &x in &c.raw[p] {
                let (local, posting) = unpack(x, c.first);
                let next = &mut s.fill[global[local] as usize];
                s.lists[*next as usize] = posting;
                *next += 1;
            }
            at += c.keys[p].len();
        }
        let mut words = s.words.iter().peekable();
        let mut text = String::new();
        for (i, &k) in s.keys.iter().enumerate() {
            let word = match words.peek() {
                Some((w, c, r)) if *w as usize == i => {
                    words.next();
                    let c = &self.chunks[*c as usize];
                    c.word_text.get(r.start as usize..r.end as usize)
                }
                _ => None,
            };
            text.clear();
            if push_key_text(k, word, pinyin, &mut text) {
                f(
                    &text,
                    &s.lists[s.starts[i] as usize..s.starts[i + 1] as usize],
                );
            }
        }
    }
}

/// The first 16 bytes of `text`, big-endian and zero-padded: comparing these orders tokens as
/// their bytes do, up to ties between tokens that share 16 bytes or differ only in trailing NULs.
pub fn sort_prefix(text: &str) -> u128 {
    let mut b = [0u8; 16];
    let n = text.len().min(16);
    b[..n].copy_from_slice(&text.as_bytes()[..n]);
    u128::from_be_bytes(b)
}

/// Appends the text of `k` to `out` (`word` is the text of a word key); false if it has none.
fn push_key_text(k: Key, word: Option<&str>, pinyin: &PinyinTable, out: &mut String) -> bool {
    if k & TEXT_BIT != 0 {
        let Some(w) = word else {
            return false;
        };
        out.push_str(w);
        return true;
    }
    if k & PINYIN_BIT != 0 {
        let (a, b) = ((k >> 16) & 0xffff, k & 0xffff);
        return pinyin.push_text(PinyinToken::Syllables(a as u16, b as u16), out);
    }
    if k & INITIALS_BIT != 0 {
        return pinyin.push_text(PinyinToken::Initials((k >> 8) as u8, k as u8), out);
    }
    let mask = (1u64 << 21) - 1;
    let char_at = |shift: u32| char::from_u32(((k >> shift) & mask) as u32);
    match (k & BIGRAM_BIT != 0, char_at(21), char_at(0)) {
        (false, _, Some(b)) => out.push(b),
        (true, Some(a), Some(b)) => {
            out.push(a);
            out.push(b);
        }
        _ => return false,
    }
    true
}

/// The tokens whose lists [`synonym_lists`] needs: the bigrams of every group member (or the
/// member itself, if it is one character).
pub fn member_tokens(groups: &[Vec<String>]) -> std::collections::HashSet<String> {
    groups
        .iter()
        .flatten()
        .flat_map(|member| member_token_list(member))
        .collect()
}

fn member_token_list(member: &str) -> Vec<String> {
    let chars: Vec<char> = member.chars().collect();
    if chars.len() < 2 {
        vec![member.to_owned()]
    } else {
        chars.windows(2).map(|w| w.iter().collect()).collect()
    }
}

/// One token per synonym group (`g:N`, N its index in the manifest's groups) listing every
/// document that holds all bigrams of any member, at that member's weakest level; `list` gives
/// the postings of a member token. The client then fetches one list for a group instead of the
/// bigrams of all its members, which keeps queries such as 就业帮扶车间 within the byte budget;
/// matching stays bigram-based as elsewhere.
pub fn synonym_lists<'a>(
    groups: &[Vec<String>],
    list: impl Fn(&str) -> Option<&'a [u32]>,
    doc_count: usize,
) -> Vec<(String, Vec<u32>)> {
    let n = doc_count;
    let mut extra = Vec::new();
    for (gi, group) in groups.iter().enumerate() {
        let mut best = vec![0u32; n];
        for member in group {
            let Some(lists) = member_token_list(member)
                .iter()
                .map(|t| list(t))
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
    extra
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;
    use crate::search::text::{Run, runs};

    fn doc(fields: [String; GROUPS]) -> SearchDoc<'static> {
        SearchDoc {
            facets: crate::search::documents::DocFacets {
                kind: crate::search::DocKind::Case,
                province: None,
                pair: None,
                task: None,
                year: None,
            },
            url: String::new(),
            title: Cow::from(""),
            date: None,
            fields: fields.map(Cow::from),
            summary: Cow::from(""),
        }
    }

    /// Chunk-level counting and the per-partition assembly give every key the postings
    /// a document counted alone gives it, in document order, across chunks.
    #[test]
    fn merged_postings_match_documents_counted_alone() {
        let folder = Folder::new();
        let pinyin = PinyinTable::new();
        // A small alphabet, so keys recur within and across chunks; words and a title too.
        let alphabet: Vec<char> = "就业帮扶车间劳务协作沙县小吃吕梁护工培训稳岗"
            .chars()
            .collect();
        let mut seed = 7u64;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) as usize % n
        };
        let docs: Vec<SearchDoc<'static>> = (0..16 * CHUNK + 3 * CHUNK + 5)
            .map(|i| {
                if i == CHUNK + 3 {
                    // Enough new keys mid-chunk to make the chunk's table grow.
                    let body = (0..9000u32)
                        .filter_map(|c| char::from_u32(0x4E00 + c))
                        .collect();
                    return doc([String::new(), String::new(), String::new(), body]);
                }
                let body: String = (0..20 + next(40))
                    .map(|_| match next(12) {
                        0 => ' ',
                        1 => 'x',
                        _ => alphabet[next(alphabet.len())],
                    })
                    .collect();
                let title: String = (0..2 + next(4))
                    .map(|_| alphabet[next(alphabet.len())])
                    .collect();
                doc([title, format!("tag{}", i % 7), String::new(), body])
            })
            .collect();
        // With the real cut, and with one that cuts chunks every few documents.
        let merged = |cut: usize| {
            let mut merged: Vec<(String, Vec<u32>)> =
                count_with_cut(docs.as_slice(), &folder, &pinyin, cut, |_| ())
                    .0
                    .lists(&pinyin, Vec::new, |v, t, l| {
                        v.push((t.to_owned(), l.to_vec()))
                    })
                    .into_iter()
                    .flatten()
                    .collect();
            merged.sort();
            merged
        };

        let avg_body = body_average(
            docs.iter()
                .map(|d| d.fields[GROUPS - 1].chars().count())
                .sum(),
            docs.len(),
        );
        let mut want: std::collections::BTreeMap<Key, Vec<u32>> = Default::default();
        let mut texts: FastMap<Key, String> = FastMap::default();
        let text_of = |k: Key, texts: &FastMap<Key, String>| {
            let mut out = String::new();
            let word = texts.get(&k).map(String::as_str);
            assert!(push_key_text(k, word, &pinyin, &mut out));
            out
        };
        for (id, d) in docs.iter().enumerate() {
            let mut counts = TermCounts::new();
            let mut out = ChunkPostings::default();
            tokenize(d, &folder, &pinyin, &mut counts);
            out.push_doc(&counts, 0, avg_body);
            for (k, r) in counts.words.iter().flatten() {
                texts.insert(
                    *k,
                    counts.word_text[r.start as usize..r.end as usize].into(),
                );
            }
            for (p, raw) in out.raw.iter().enumerate() {
                for &x in raw {
                    let (i, posting) = unpack(x, id as u32);
                    want.entry(counts.keys[p][i]).or_default().push(posting);
                }
            }
        }
        let mut want: Vec<(String, Vec<u32>)> = want
            .into_iter()
            .map(|(k, list)| (text_of(k, &texts), list))
            .collect();
        want.sort();
        assert!(want.len() > 100, "{}", want.len());
        assert_eq!(merged(PART_KEYS_CUT), want);
        assert_eq!(merged(40), want);
        let chunks = |cut| {
            count_with_cut(docs.as_slice(), &folder, &pinyin, cut, |_| ())
                .0
                .chunks
                .len()
        };
        assert!(chunks(40) > chunks(PART_KEYS_CUT) + 5);
    }

    /// A title is tokenised up to FIELD_INDEX_CHARS characters: a bigram just inside the limit
    /// is counted, one just past it is not.
    #[test]
    fn overlong_titles_are_cut_where_the_cap_says() {
        let folder = Folder::new();
        let pinyin = PinyinTable::new();
        let cap = FIELD_INDEX_CHARS[0];
        let title: Vec<char> = (0..cap as u32 + 50)
            .filter_map(|i| char::from_u32(0x4E00 + i))
            .collect();
        let text: String = title.iter().collect();
        let mut counts = TermCounts::new();
        tokenize(
            &doc([text, String::new(), String::new(), String::new()]),
            &folder,
            &pinyin,
            &mut counts,
        );
        let has = |a: char, b: char| counts.entries().any(|s| s.key == cjk_key(a, Some(b)));
        assert!(has(title[cap - 2], title[cap - 1]));
        assert!(!has(title[cap - 1], title[cap]));
        assert!(!has(title[cap + 10], title[cap + 11]));
    }

    /// A body-only token never reaches the levels of a title, tag, summary or heading match,
    /// however often it occurs or however long the body; any of those is above the body band.
    #[test]
    fn body_only_levels_stay_below_every_other_field() {
        for norm in [0.25, 1.0, 4.0, 40.0] {
            for n in [1u16, 3, 50, u16::MAX] {
                assert!(level(&[0, 0, 0, n], norm) <= BODY_ONLY_MAX, "{norm} {n}");
                for g in 0..GROUPS - 1 {
                    let mut tf = [0u16; GROUPS];
                    tf[g] = 1;
                    assert!(level(&tf, norm) > BODY_ONLY_MAX, "{g} {norm}");
                    tf[GROUPS - 1] = n;
                    assert!(level(&tf, norm) > BODY_ONLY_MAX, "{g} {norm} {n}");
                }
            }
        }
    }

    /// The one-pass tokenizer emits exactly the bigrams and words of the reference
    /// `runs(normalize(text))`, which `search.js` mirrors.
    #[test]
    fn one_pass_tokens_match_the_reference() {
        let folder = Folder::new();
        let pinyin = PinyinTable::new();
        // ㍿ and ㎡ fold to several characters (株式会社, m2): the body loop's general path.
        let short =
            "勞務協作 2023年，ＡＢＣ稳岗就业！abc-12 沙县小吃Shaxian 吕梁 就业㍿帮扶 面积㎡数";
        // More distinct bigrams than the counting table first holds (it must grow), repeats,
        // and words between them; then the short text again, in the same reused table.
        let long: String = (0..6000u32)
            .filter_map(|i| char::from_u32(0x4E00 + i))
            .collect::<String>()
            + &"就业帮扶 x1 ".repeat(300);
        let mut counts = TermCounts::new();
        for text in [short, long.as_str(), short] {
            let doc = doc([String::new(), String::new(), String::new(), text.into()]);
            tokenize(&doc, &folder, &pinyin, &mut counts);
            let mut got: Vec<(Key, u16)> = counts.entries().map(|s| (s.key, s.tf[3])).collect();
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
