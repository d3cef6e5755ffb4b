//! Documents → inverted index: every token with the documents that contain it and an impact
//! level per document (a BM25-like score with field weights, quantised to 1..=31).
//!
//! Documents are tokenised in parallel in chunks; each chunk keeps only its postings, grouped by
//! key, so memory stays proportional to the postings rather than to the token stream. Once all
//! chunks are in, every key's runs across the chunks are listed; the postings stay where the
//! chunks left them until the encoder gathers each list. This module does not encode or shard:
//! see `shards`.

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

/// The inverted index before encoding.
pub struct Postings {
    /// Token text and where its postings are, sorted by token. Postings are
    /// `doc << LEVEL_BITS | level`, ascending by document.
    pub tokens: Vec<(String, Lists)>,
    pub store: Store,
    pub doc_count: usize,
}

/// Where a token's postings are.
#[derive(Clone, Debug)]
pub enum Lists {
    /// Runs in [`Store::runs`], one per chunk that has the token, in document order.
    Runs(std::ops::Range<usize>),
    /// A list made whole (synonym groups).
    Whole(Vec<u32>),
}

/// One chunk's postings of one token: `chunks[chunk][start..end]`.
#[derive(Clone, Copy, Default)]
struct Run {
    chunk: u32,
    start: u32,
    end: u32,
}

/// The chunks' postings, grouped by key within each chunk, and every token's runs.
pub struct Store {
    chunks: Vec<Vec<u32>>,
    runs: Vec<Run>,
}

impl Store {
    /// Appends the postings `lists` points to.
    pub fn gather(&self, lists: &Lists, out: &mut Vec<u32>) {
        match lists {
            Lists::Runs(r) => {
                for run in &self.runs[r.clone()] {
                    if let Some(chunk) = self.chunks.get(run.chunk as usize) {
                        out.extend_from_slice(&chunk[run.start as usize..run.end as usize]);
                    }
                }
            }
            Lists::Whole(list) => out.extend_from_slice(list),
        }
    }
}

impl Postings {
    /// The postings of the `i`-th token.
    pub fn list(&self, i: usize) -> Vec<u32> {
        let mut out = Vec::new();
        self.store.gather(&self.tokens[i].1, &mut out);
        out
    }
}

/// One counted key: its term frequency per group in the document `doc`, and its id in the
/// chunk (the index of its first sighting in `TermCounts::keys`).
#[derive(Clone, Copy, Default)]
struct Slot {
    key: Key,
    tf: [u16; GROUPS],
    doc: u32,
    id: u32,
}

/// Term frequencies of the documents of one chunk: an open-addressing table that keeps its
/// keys for the whole chunk, so each key gets one id per chunk and the chunk's postings can
/// be grouped by key before the merge (which then appends a run of postings per key and
/// chunk instead of hashing every posting). Counting costs one probe per occurrence and no
/// allocation; a key's frequencies are reset the first time a new document meets it.
struct TermCounts {
    /// Key 0 marks an empty slot (no key is 0: every key has a CJK character or a tag bit).
    slots: Vec<Slot>,
    /// Slots counted in the current document, in first-seen order.
    used: Vec<u32>,
    /// `64 - log2(capacity)`: the hash's top bits pick the slot.
    shift: u32,
    /// The current document's stamp (counted slots carry it).
    doc: u32,
    /// Keys of the chunk by id.
    keys: Vec<Key>,
    /// Word tokens new in the chunk, with their `w:` text as a range of `word_text` (one
    /// buffer, not a string per word).
    words: Vec<(Key, std::ops::Range<u32>)>,
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
            keys: Vec::new(),
            words: Vec::new(),
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
                let id = self.keys.len() as u32;
                *slot = Slot {
                    key: k,
                    tf: [0; GROUPS],
                    doc: self.doc,
                    id,
                };
                slot.tf[g] = 1;
                self.keys.push(k);
                self.used.push(i as u32);
                // Checked only when a key is added, so every probe sees a table at most half
                // full; hits, most of the calls, skip it.
                if self.keys.len() * 2 >= self.slots.len() {
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
        if self.slots.len() > 1 << Self::MIN_BITS && self.keys.len() * 8 < self.slots.len() {
            *self = TermCounts::new();
            return;
        }
        self.slots.fill(Slot::default());
        self.used.clear();
        self.keys.clear();
        self.words.clear();
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
            for c in field.chars() {
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

/// The postings `doc << LEVEL_BITS | level` of a chunk of consecutive documents, grouped by
/// key (each key's in document order), the keys split by partition.
#[derive(Default)]
struct ChunkPostings {
    /// `(key id, posting)` in the order documents were counted.
    raw: Vec<(u32, u32)>,
    /// The keys with their postings' range in `grouped`, partition by partition; partition
    /// `p`'s are `parts[part_at[p]..part_at[p + 1]]`.
    parts: Vec<(Key, std::ops::Range<u32>)>,
    part_at: [u32; PARTS + 1],
    grouped: Vec<u32>,
    /// Per key id: postings, then where the next one goes in `grouped`.
    cursor: Vec<u32>,
}

impl ChunkPostings {
    fn clear(&mut self) {
        self.raw.clear();
    }

    /// Appends the postings of the document counted in `counts`.
    fn push_doc(&mut self, counts: &TermCounts, id: u32, avg_body: f32) {
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
            self.raw.push((slot.id, (id << LEVEL_BITS) | lvl));
        }
    }

    /// Groups the chunk's postings by key (a counting sort on key ids, stable, so each key's
    /// postings stay in document order) and splits the keys by partition. Each partition's
    /// runs are laid out together, so the final merge reads them in one sweep.
    fn group(&mut self, keys: &[Key]) {
        self.cursor.clear();
        self.cursor.resize(keys.len(), 0);
        for &(id, _) in &self.raw {
            self.cursor[id as usize] += 1;
        }
        // Postings and keys per partition, turned into where each partition starts.
        let mut base = [0u32; PARTS];
        let mut key_at = [0u32; PARTS + 1];
        for (&key, &n) in keys.iter().zip(&self.cursor) {
            let p = part(key);
            base[p] += n;
            key_at[p + 1] += 1;
        }
        let mut at = 0;
        for b in &mut base {
            let n = *b;
            *b = at;
            at += n;
        }
        for p in 0..PARTS {
            key_at[p + 1] += key_at[p];
        }
        self.part_at = key_at;
        // One exact allocation per chunk (the buffer is handed on with the chunk).
        self.parts = vec![(0, 0..0); keys.len()];
        for (&key, n) in keys.iter().zip(&mut self.cursor) {
            let p = part(key);
            let start = base[p];
            self.parts[key_at[p] as usize] = (key, start..start + *n);
            key_at[p] += 1;
            base[p] += *n;
            *n = start;
        }
        self.grouped.clear();
        self.grouped.resize(self.raw.len(), 0);
        for &(id, posting) in &self.raw {
            let c = &mut self.cursor[id as usize];
            self.grouped[*c as usize] = posting;
            *c += 1;
        }
    }
}

/// What a finished chunk keeps for the final merge: its postings grouped by key, the keys of
/// each partition with their run in `grouped`, and the texts of its new words.
struct ChunkOut {
    grouped: Vec<u32>,
    parts: Vec<(Key, std::ops::Range<u32>)>,
    part_at: [u32; PARTS + 1],
    words: Vec<(Key, std::ops::Range<u32>)>,
    word_text: String,
}

impl ChunkOut {
    /// Partition `p`'s keys, each with its run in `grouped`.
    fn part(&self, p: usize) -> &[(Key, std::ops::Range<u32>)] {
        &self.parts[self.part_at[p] as usize..self.part_at[p + 1] as usize]
    }
}

/// The keys of one partition in first-seen order with where each one's runs start in the
/// partition's share of [`Store::runs`], and for every run of every chunk (chunk order) the
/// index of its key.
struct PartLayout {
    keys: Vec<Key>,
    starts: Vec<usize>,
    runs: Vec<u32>,
}

fn layout(done: &[ChunkOut], p: usize) -> PartLayout {
    let mut index: FastMap<Key, u32> = FastMap::default();
    let mut out = PartLayout {
        keys: Vec::new(),
        starts: Vec::new(),
        runs: Vec::with_capacity(done.iter().map(|c| c.part(p).len()).sum()),
    };
    // Run counts first, turned into starts below.
    for c in done {
        for (k, _) in c.part(p) {
            let i = *index.entry(*k).or_insert_with(|| {
                out.keys.push(*k);
                out.starts.push(0);
                (out.keys.len() - 1) as u32
            });
            out.starts[i as usize] += 1;
            out.runs.push(i);
        }
    }
    let mut total = 0;
    for s in &mut out.starts {
        let n = *s;
        *s = total;
        total += n;
    }
    out
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
    // Chunks run without a barrier between them; each rayon job keeps one counting table and
    // one scratch buffer for all the chunks it takes (fresh ones per chunk cost more in
    // allocation and page faults than the counting itself).
    let done: Vec<ChunkOut> = docs
        .par_chunks(CHUNK)
        .enumerate()
        .map_init(
            || (TermCounts::new(), ChunkPostings::default()),
            |(counts, out), (chunk_no, chunk)| {
                counts.clear();
                out.clear();
                let first = chunk_no * CHUNK;
                for (i, doc) in chunk.iter().enumerate() {
                    // Document ids fit easily: a site has far fewer than 2^27 pages.
                    let id = u32::try_from(first + i).unwrap_or(u32::MAX >> LEVEL_BITS);
                    tokenize(doc, folder, pinyin, counts);
                    out.push_doc(counts, id, avg_body);
                }
                out.group(&counts.keys);
                ChunkOut {
                    grouped: std::mem::take(&mut out.grouped),
                    parts: std::mem::take(&mut out.parts),
                    part_at: out.part_at,
                    words: std::mem::take(&mut counts.words),
                    word_text: std::mem::take(&mut counts.word_text),
                }
            },
        )
        .collect();
    // Every key's runs are known once all chunks are in: each partition lays out its keys,
    // then lists each key's runs, in chunk (= document) order, in its own share of one buffer.
    // The postings stay in the chunks: the encoder gathers each list from its runs, so the
    // lists are never copied into one large buffer (whose fresh pages alone cost more than
    // the copy).
    let layouts: Vec<PartLayout> = (0..PARTS)
        .into_par_iter()
        .map(|p| layout(&done, p))
        .collect();
    let mut runs = vec![Run::default(); layouts.iter().map(|l| l.runs.len()).sum()];
    let mut regions: Vec<(usize, &mut [Run])> = Vec::with_capacity(PARTS);
    let (mut base, mut rest) = (0, runs.as_mut_slice());
    for l in &layouts {
        let (region, tail) = rest.split_at_mut(l.runs.len());
        regions.push((base, region));
        base += l.runs.len();
        rest = tail;
    }
    let tokens: Vec<(String, Lists)> = regions
        .into_par_iter()
        .zip(&layouts)
        .enumerate()
        .flat_map_iter(|(p, ((base, region), l))| fill_part(&done, p, l, region, base, pinyin))
        .collect();
    // Byte order, compared on a 16-byte prefix held in the element first: most tokens differ
    // there, so the sort rarely follows the pointer to a token's text.
    let mut keyed: Vec<(u128, String, Lists)> = tokens
        .into_par_iter()
        .map(|(t, r)| (sort_prefix(&t), t, r))
        .collect();
    keyed.par_sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    let tokens: Vec<(String, Lists)> = keyed.into_par_iter().map(|(_, t, r)| (t, r)).collect();
    Postings {
        tokens,
        store: Store {
            chunks: done.into_iter().map(|c| c.grouped).collect(),
            runs,
        },
        doc_count: docs.len(),
    }
}

/// Lists partition `p`'s runs by key in `region` (which starts at `base` in the runs buffer)
/// and names its keys.
fn fill_part(
    done: &[ChunkOut],
    p: usize,
    l: &PartLayout,
    region: &mut [Run],
    base: usize,
    pinyin: &PinyinTable,
) -> Vec<(String, Lists)> {
    let mut fill = l.starts.clone();
    let mut runs = l.runs.iter();
    let mut words: FastMap<Key, String> = FastMap::default();
    for (chunk, c) in done.iter().enumerate() {
        for ((_, r), &i) in c.part(p).iter().zip(&mut runs) {
            let at = &mut fill[i as usize];
            region[*at] = Run {
                chunk: chunk as u32,
                start: r.start,
                end: r.end,
            };
            *at += 1;
        }
        for (k, r) in c.words.iter().filter(|w| part(w.0) == p) {
            words
                .entry(*k)
                .or_insert_with(|| c.word_text[r.start as usize..r.end as usize].to_owned());
        }
    }
    l.keys
        .iter()
        .zip(l.starts.iter().zip(&fill))
        .filter_map(|(&k, (&start, &end))| {
            Some((
                key_text(k, &mut words, pinyin)?,
                Lists::Runs(base + start..base + end),
            ))
        })
        .collect()
}

/// The first 16 bytes of `text`, big-endian and zero-padded: comparing these orders tokens as
/// their bytes do, up to ties between tokens that share 16 bytes or differ only in trailing NULs.
fn sort_prefix(text: &str) -> u128 {
    let mut b = [0u8; 16];
    let n = text.len().min(16);
    b[..n].copy_from_slice(&text.as_bytes()[..n]);
    u128::from_be_bytes(b)
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
        return Some(String::from(b));
    }
    let a = char::from_u32(u32::try_from((k >> 21) & mask).ok()?)?;
    // Pushed, not formatted: some 80,000 of these per build.
    let mut text = String::with_capacity(a.len_utf8() + b.len_utf8());
    text.push(a);
    text.push(b);
    Some(text)
}

/// Adds one token per synonym group (`g:N`, N its index in the manifest's groups) listing every
/// document that holds all bigrams of any member, at that member's weakest level. The client
/// then fetches one list for a group instead of the bigrams of all its members, which keeps
/// queries such as 就业帮扶车间 within the byte budget; matching stays bigram-based as elsewhere.
pub fn add_synonym_groups(postings: &mut Postings, groups: &[Vec<String>]) {
    let n = postings.doc_count;
    let find = |tokens: &[(String, Lists)], tok: &str| {
        tokens.binary_search_by(|(t, _)| t.as_str().cmp(tok)).ok()
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
                .map(|t| find(&postings.tokens, t).map(|i| postings.list(i)))
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
            .tokens
            .partition_point(|(t, _)| t.as_str() < token.as_str());
        postings.tokens.insert(at, (token, Lists::Whole(list)));
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;
    use crate::search::text::{Run, runs};

    fn doc(fields: [String; GROUPS]) -> SearchDoc<'static> {
        SearchDoc {
            kind: crate::search::DocKind::Case,
            url: String::new(),
            title: Cow::from(""),
            date: None,
            province: None,
            pair: None,
            task: None,
            year: None,
            fields: fields.map(Cow::from),
            summary: Cow::from(""),
            body_head: "",
        }
    }

    /// Chunk-level counting, grouping and the per-partition merge give every key the postings
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
        let merged = build_postings(&docs, &folder, &pinyin);

        let avg_body = docs
            .iter()
            .map(|d| d.fields[GROUPS - 1].chars().count())
            .sum::<usize>() as f32
            / docs.len() as f32;
        let mut want: std::collections::BTreeMap<Key, Vec<u32>> = Default::default();
        let mut texts: FastMap<Key, String> = FastMap::default();
        for (id, d) in docs.iter().enumerate() {
            let mut counts = TermCounts::new();
            let mut out = ChunkPostings::default();
            out.clear();
            tokenize(d, &folder, &pinyin, &mut counts);
            out.push_doc(&counts, id as u32, avg_body);
            for (k, r) in &counts.words {
                texts.insert(
                    *k,
                    counts.word_text[r.start as usize..r.end as usize].into(),
                );
            }
            for &(i, posting) in &out.raw {
                want.entry(counts.keys[i as usize])
                    .or_default()
                    .push(posting);
            }
        }
        let mut want: Vec<(String, Vec<u32>)> = want
            .into_iter()
            .map(|(k, list)| (key_text(k, &mut texts, &pinyin).unwrap(), list))
            .collect();
        want.sort();
        assert!(want.len() > 100, "{}", want.len());
        let got: Vec<(String, Vec<u32>)> = (0..merged.tokens.len())
            .map(|i| (merged.tokens[i].0.clone(), merged.list(i)))
            .collect();
        assert_eq!(got, want);
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
