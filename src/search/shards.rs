//! The inverted index encoded as small binary files, so a query fetches only the shards of its
//! tokens: `search/s/N.bin` holds the tokens whose FNV-1a hash is N modulo the shard count, and a
//! token whose postings are large gets its own `search/p/H.bin` (H its hash), named in its shard.
//!
//! Postings of a token are grouped by impact level, highest first; each group's documents are
//! written as delta varints or as a bitmap, whichever is smaller. For very common tokens the
//! low (body-only) levels are merged into one, which keeps them near one bit per document.
//! The format is read by `search.js` (`readPostings`); change both together.

use super::postings::{BODY_ONLY_MAX, LEVEL_BITS, MAX_LEVEL};
use crate::routes::SEARCH_DIR;

/// Raw bytes aimed at per shard: every query token costs its shard, so shards stay small
/// (a few thousand files at 10,000 documents) and a query pays well under a kilobyte each.
const SHARD_TARGET: usize = 700;
/// Postings larger than this go to a file of their own.
const EXTERNAL_OVER: usize = 700;
/// Levels folded into the base group for common tokens: everything a body-only match reaches
/// (the coarse bands above it keep every title, summary or heading match above it too).
const LOW_LEVEL: u32 = BODY_ONLY_MAX;

/// FNV-1a (32-bit) of the token's UTF-8, as `search.js` computes it.
pub fn token_hash(token: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in token.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn varint_len(v: u64) -> usize {
    // Almost every delta is below 128: the first test is nearly always the answer.
    if v < 1 << 7 {
        1
    } else if v < 1 << 14 {
        2
    } else if v < 1 << 21 {
        3
    } else {
        (64 - v.leading_zeros() as usize).div_ceil(7)
    }
}

/// Writes the sorted list `docs` as delta varints after its length.
fn write_deltas(out: &mut Vec<u8>, docs: &[u32]) {
    varint(out, docs.len() as u64);
    let mut prev = 0;
    for (i, &d) in docs.iter().enumerate() {
        varint(out, u64::from(if i == 0 { d } else { d - prev }));
        prev = d;
    }
}

/// Calls `f` with each run `start..end` of documents below `n` that are not in `docs`.
fn missing_runs(docs: &[u32], n: u32, mut f: impl FnMut(u32, u32)) {
    let mut next = 0;
    for &d in docs.iter().chain(std::iter::once(&n)) {
        if d > next {
            f(next, d);
        }
        next = d + 1;
    }
}

/// Bytes of [`write_deltas`] for `docs`.
fn deltas_len(docs: &[u32]) -> usize {
    let mut len = varint_len(docs.len() as u64);
    let mut prev = 0;
    for (i, &d) in docs.iter().enumerate() {
        len += varint_len(u64::from(if i == 0 { d } else { d - prev }));
        prev = d;
    }
    len
}

/// Bytes of the complement form's body: `n`, then the delta varints of the documents below `n`
/// missing from `docs`, computed from the gaps without listing them.
fn complement_len(docs: &[u32], n: u32) -> usize {
    let mut len = varint_len(u64::from(n)) + varint_len((n as usize - docs.len()) as u64);
    let mut last_missing: Option<u32> = None;
    missing_runs(docs, n, |from, to| {
        // The run's first document is a real delta, the rest are 1 (one byte each).
        len += varint_len(u64::from(from - last_missing.unwrap_or(0)));
        len += (to - from - 1) as usize;
        last_missing = Some(to - 1);
    });
    len
}

/// Writes a sorted document list; `universe` (the document count) allows the complement form.
/// The three forms are sized first and only the smallest is written.
fn encode_docs(out: &mut Vec<u8>, docs: &[u32], universe: Option<u32>) {
    let (Some(&first), Some(&last)) = (docs.first(), docs.last()) else {
        out.push(0);
        varint(out, 0);
        return;
    };
    let start = first & !7;
    let nbytes = ((last - start) / 8 + 1) as usize;
    // Every delta takes a byte at least: when that alone loses to the bitmap, the exact size
    // is not needed (nor walked for) to make the same choice.
    let deltas_floor = varint_len(docs.len() as u64) + docs.len();
    let deltas = if deltas_floor > nbytes + 6 {
        deltas_floor
    } else {
        deltas_len(docs)
    };
    // A token in most documents (就业 in nearly all) is cheapest as the list of documents
    // that lack it: kind 2, the same delta varints over the complement.
    if let Some(n) = universe.filter(|&n| docs.len() * 2 > n as usize) {
        let missing = n as usize - docs.len();
        // The same floor for the complement: a byte per missing document.
        let floor = varint_len(u64::from(n)) + varint_len(missing as u64) + missing;
        let complement = if floor >= deltas.min(nbytes + 6) {
            floor
        } else {
            complement_len(docs, n)
        };
        if complement < deltas.min(nbytes + 6) {
            out.push(2);
            varint(out, u64::from(n));
            varint(out, missing as u64);
            let mut prev: Option<u32> = None;
            missing_runs(docs, n, |from, to| {
                for d in from..to {
                    varint(out, u64::from(d - prev.unwrap_or(0)));
                    prev = Some(d);
                }
            });
            return;
        }
    }
    if nbytes + 6 < deltas {
        out.push(1);
        varint(out, u64::from(start));
        varint(out, nbytes as u64);
        let at = out.len();
        out.resize(at + nbytes, 0);
        let bits = &mut out[at..];
        for &d in docs {
            let off = (d - start) as usize;
            bits[off / 8] |= 1 << (off % 8);
        }
    } else {
        out.push(0);
        write_deltas(out, docs);
    }
}

/// [`encode_postings_with`] with fresh buffers.
#[cfg(test)]
fn encode_postings(list: &[u32], doc_count: usize) -> Vec<u8> {
    let mut out = Vec::new();
    encode_postings_with(list, doc_count, &mut Scratch::default(), &mut out);
    out
}

/// Buffers [`encode_postings_with`] reuses from one list to the next.
#[derive(Default)]
struct Scratch {
    docs: Vec<u32>,
    groups: Vec<(u32, std::ops::Range<usize>)>,
    bands: [Vec<u32>; 3],
}

/// Appends the encoding of one token's postings (`doc << LEVEL_BITS | level`, ascending by doc)
/// to `out`, with buffers kept across calls: some 80,000 lists are encoded per build, most of
/// them a few postings long, where allocation costs more than encoding.
///
/// For common tokens the lowest group lists every document that has the token, higher groups
/// included: the client keeps the first (highest) level it reads, and a near-complete bitmap
/// compresses far better than one with holes where the title matches are.
fn encode_postings_with(list: &[u32], doc_count: usize, scratch: &mut Scratch, out: &mut Vec<u8>) {
    // Documents of every group in one buffer; groups `(level, range)`, highest level first.
    let Scratch {
        docs,
        groups,
        bands,
    } = scratch;
    docs.clear();
    groups.clear();
    if list.len() * 16 > doc_count {
        // One pass: the few documents above the body-only levels go to their coarse band, and
        // every document to the base group.
        for band in bands.iter_mut() {
            band.clear();
        }
        docs.reserve(list.len() + list.len() / 4);
        for &p in list {
            let level = p & MAX_LEVEL;
            if level > LOW_LEVEL {
                bands[coarse_band(level)].push(p >> LEVEL_BITS);
            }
            docs.push(p >> LEVEL_BITS);
        }
        let base = 0..docs.len();
        for (band, level) in bands.iter().zip(BANDS) {
            if !band.is_empty() {
                let from = docs.len();
                docs.extend_from_slice(band);
                groups.push((level, from..docs.len()));
            }
        }
        groups.push((1, base));
    } else {
        // Highest level first, then ascending documents: one sort of packed keys, then the
        // level bits are stripped in place.
        let doc_bits = 32 - LEVEL_BITS;
        let mask = (1 << doc_bits) - 1;
        docs.extend(
            list.iter()
                .map(|&p| ((MAX_LEVEL - (p & MAX_LEVEL)) << doc_bits) | (p >> LEVEL_BITS)),
        );
        docs.sort_unstable();
        let mut from = 0;
        while from < docs.len() {
            let band = docs[from] >> doc_bits;
            let to = docs[from..]
                .iter()
                .position(|k| k >> doc_bits != band)
                .map_or(docs.len(), |n| from + n);
            groups.push((MAX_LEVEL - band, from..to));
            from = to;
        }
        for k in docs.iter_mut() {
            *k &= mask;
        }
    }
    varint(out, groups.len() as u64);
    let universe = u32::try_from(doc_count).ok();
    for (level, range) in groups.iter() {
        out.push(*level as u8);
        encode_docs(out, &docs[range.clone()], universe);
    }
}

/// Three levels above the base for common tokens, highest first: their low idf makes fine levels
/// worth little in ranking, while every extra group costs bytes in every query that uses the token.
const BANDS: [u32; 3] = [MAX_LEVEL, 16, 8];

/// The index in [`BANDS`] of a common token's level.
fn coarse_band(level: u32) -> usize {
    match level {
        0..10 => 2,
        10..20 => 1,
        _ => 0,
    }
}

/// One token's row in a [`Table`].
struct Row {
    text: std::ops::Range<u32>,
    bytes: std::ops::Range<u32>,
    /// Documents in the list.
    df: u32,
    /// [`token_hash`] of the token.
    hash: u32,
}

/// Encoded lists of some tokens, their texts and bytes each in one buffer: some 80,000 tokens
/// per build, which as a string and a vector each cost more to allocate and free than to encode.
#[derive(Default)]
pub struct Table {
    text: String,
    bytes: Vec<u8>,
    rows: Vec<Row>,
    scratch: Scratch,
}

impl Table {
    /// Encodes the postings `list` (`doc << LEVEL_BITS | level`, ascending by document) of
    /// `token` into the table.
    pub fn push(&mut self, token: &str, list: &[u32], doc_count: usize) {
        let (t0, b0) = (self.text.len(), self.bytes.len());
        self.text.push_str(token);
        encode_postings_with(list, doc_count, &mut self.scratch, &mut self.bytes);
        // A table is a fraction of one index, far below 4 GB.
        self.rows.push(Row {
            text: t0 as u32..self.text.len() as u32,
            bytes: b0 as u32..self.bytes.len() as u32,
            df: u32::try_from(list.len()).unwrap_or(u32::MAX),
            hash: token_hash(token),
        });
    }

    fn text(&self, r: &Row) -> &str {
        &self.text[r.text.start as usize..r.text.end as usize]
    }

    fn bytes(&self, r: &Row) -> &[u8] {
        &self.bytes[r.bytes.start as usize..r.bytes.end as usize]
    }
}

/// The encoded index: `(path, bytes)` files and the shard count the client needs.
pub struct EncodedIndex {
    pub files: Vec<(String, Vec<u8>)>,
    pub shard_count: u32,
}

/// Shards the tokens of `tables`. Shard contents and the ids of lists in files of their own
/// follow the tokens' byte order, so the output does not depend on how tokens were split
/// between tables.
pub fn shard(tables: &[Table]) -> EncodedIndex {
    use rayon::prelude::*;
    // Byte order, compared on a 16-byte prefix held beside the row first: most tokens differ
    // there, so the sort rarely follows the pointer to a token's text.
    let mut order: Vec<(u128, u32, u32)> = tables
        .iter()
        .enumerate()
        .flat_map(|(t, table)| {
            table.rows.iter().enumerate().map(move |(r, row)| {
                (
                    super::postings::sort_prefix(table.text(row)),
                    t as u32,
                    r as u32,
                )
            })
        })
        .collect();
    let row =
        |&(_, t, r): &(u128, u32, u32)| (&tables[t as usize], &tables[t as usize].rows[r as usize]);
    order.par_sort_unstable_by(|a, b| {
        a.0.cmp(&b.0).then_with(|| {
            let ((ta, ra), (tb, rb)) = (row(a), row(b));
            ta.text(ra).cmp(tb.text(rb))
        })
    });
    let rows: Vec<(&Table, &Row)> = order.iter().map(row).collect();
    let inline_bytes: usize = rows
        .iter()
        .filter(|(_, r)| r.bytes.len() <= EXTERNAL_OVER)
        .map(|(_, r)| r.text.len() + r.bytes.len() + 4)
        .sum();
    // On a ladder, not the exact quotient: one shard more would move nearly every token to
    // another shard, so an edit that happened to grow the index past a multiple of 700 bytes
    // rewrote every shard (some 4,000 at 10,000 cases). The index must grow by a fifth first.
    let shard_count =
        u32::try_from(super::ladder(inline_bytes.div_ceil(SHARD_TARGET), 5).clamp(1, 1 << 16))
            .unwrap_or(1 << 16);
    // Large postings go to their own files, named by the token's hash (on the rare clash, the
    // next free number, in token order). Numbered in sequence, they were all renumbered after
    // any token that grew past the limit, and every shard naming them rewritten.
    let mut files = Vec::new();
    let mut external: Vec<Option<u32>> = vec![None; rows.len()];
    let mut taken = std::collections::HashSet::new();
    for ((table, r), ext) in rows.iter().zip(&mut external) {
        if r.bytes.len() > EXTERNAL_OVER {
            let mut id = r.hash;
            while !taken.insert(id) {
                id = id.wrapping_add(1);
            }
            *ext = Some(id);
            files.push((format!("{SEARCH_DIR}p/{id}.bin"), table.bytes(r).to_vec()));
        }
    }
    // Entries of each shard, in token order; then every shard is written in parallel.
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); shard_count as usize];
    for (i, (_, r)) in rows.iter().enumerate() {
        members[(r.hash % shard_count) as usize].push(i);
    }
    let shard_files: Vec<(String, Vec<u8>)> = members
        .par_iter()
        .enumerate()
        .filter(|(_, m)| !m.is_empty())
        .map(|(shard, m)| {
            let size: usize = m
                .iter()
                .map(|&i| rows[i].1.text.len() + rows[i].1.bytes.len() + 16)
                .sum();
            let mut out = Vec::with_capacity(size + 4);
            varint(&mut out, m.len() as u64);
            for &i in m {
                let (table, r) = rows[i];
                let token = table.text(r);
                varint(&mut out, token.len() as u64);
                out.extend_from_slice(token.as_bytes());
                varint(&mut out, u64::from(r.df));
                match external[i] {
                    Some(id) => {
                        out.push(1);
                        varint(&mut out, u64::from(id));
                    }
                    None => {
                        let bytes = table.bytes(r);
                        out.push(0);
                        varint(&mut out, bytes.len() as u64);
                        out.extend_from_slice(bytes);
                    }
                }
            }
            (format!("{SEARCH_DIR}s/{shard}.bin"), out)
        })
        .collect();
    files.extend(shard_files);
    EncodedIndex { files, shard_count }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `encode_docs` as first written: every form materialised, the same choice rule. The sized
    /// version must write exactly these bytes.
    fn encode_docs_reference(out: &mut Vec<u8>, docs: &[u32], universe: Option<u32>) {
        let (Some(&first), Some(&last)) = (docs.first(), docs.last()) else {
            out.push(0);
            varint(out, 0);
            return;
        };
        let mut deltas = Vec::new();
        write_deltas(&mut deltas, docs);
        let start = first & !7;
        let nbytes = ((last - start) / 8 + 1) as usize;
        if let Some(n) = universe.filter(|&n| docs.len() * 2 > n as usize) {
            let missing: Vec<u32> = (0..n).filter(|d| docs.binary_search(d).is_err()).collect();
            let mut complement = Vec::new();
            varint(&mut complement, u64::from(n));
            write_deltas(&mut complement, &missing);
            if complement.len() < deltas.len().min(nbytes + 6) {
                out.push(2);
                out.extend_from_slice(&complement);
                return;
            }
        }
        if nbytes + 6 < deltas.len() {
            out.push(1);
            varint(out, u64::from(start));
            varint(out, nbytes as u64);
            let mut bits = vec![0u8; nbytes];
            for &d in docs {
                let off = (d - start) as usize;
                bits[off / 8] |= 1 << (off % 8);
            }
            out.extend_from_slice(&bits);
        } else {
            out.push(0);
            out.extend_from_slice(&deltas);
        }
    }

    struct Reader<'a>(&'a [u8], usize);

    impl Reader<'_> {
        fn v(&mut self) -> u32 {
            let (mut v, mut shift) = (0u32, 0);
            loop {
                let b = self.0[self.1];
                self.1 += 1;
                v |= u32::from(b & 0x7f) << shift;
                if b < 0x80 {
                    return v;
                }
                shift += 7;
            }
        }
        fn byte(&mut self) -> u8 {
            self.1 += 1;
            self.0[self.1 - 1]
        }
    }

    /// The level of each document as `search.js` (`postings`) reads it: the first group wins.
    fn decode(bytes: &[u8], docs: usize) -> Vec<u32> {
        let mut r = Reader(bytes, 0);
        let mut lv = vec![0u32; docs];
        for _ in 0..r.v() {
            let level = u32::from(r.byte());
            let mut set = |d: usize| {
                if lv[d] == 0 {
                    lv[d] = level;
                }
            };
            match r.byte() {
                1 => {
                    let (start, n) = (r.v() as usize, r.v() as usize);
                    for i in 0..n {
                        let byte = r.byte();
                        (0..8)
                            .filter(|k| byte & (1 << k) != 0)
                            .for_each(|k| set(start + i * 8 + k));
                    }
                }
                2 => {
                    let total = r.v() as usize;
                    let mut skip = vec![false; total];
                    let mut d = 0;
                    for _ in 0..r.v() {
                        d += r.v() as usize;
                        skip[d] = true;
                    }
                    (0..total).filter(|&d| !skip[d]).for_each(&mut set);
                }
                _ => {
                    let mut d = 0;
                    for _ in 0..r.v() {
                        d += r.v() as usize;
                        set(d);
                    }
                }
            }
        }
        assert_eq!(r.1, bytes.len(), "trailing bytes");
        lv
    }

    #[test]
    fn postings_round_trip_in_the_smallest_form() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for case in 0..400 {
            let n = 1 + (next() % 3000) as u32;
            // Densities from a handful of documents to nearly all, clustered or spread.
            let density = [0.001, 0.02, 0.1, 0.4, 0.7, 0.87, 0.9, 0.97, 0.999][case % 9];
            let mut list: Vec<u32> = Vec::new();
            for d in 0..n {
                if (next() % 10_000) as f64 / 10_000.0 < density {
                    list.push((d << LEVEL_BITS) | (1 + (next() % u64::from(MAX_LEVEL)) as u32));
                }
            }
            let bytes = encode_postings(&list, n as usize);
            let common = list.len() * 16 > n as usize;
            let mut want = vec![0u32; n as usize];
            for &p in &list {
                let level = p & MAX_LEVEL;
                want[(p >> LEVEL_BITS) as usize] = match (common, level > LOW_LEVEL) {
                    (false, _) => level,
                    (true, true) => BANDS[coarse_band(level)],
                    (true, false) => 1,
                };
            }
            assert_eq!(decode(&bytes, n as usize), want, "case {case}, n {n}");
            let docs: Vec<u32> = list.iter().map(|p| p >> LEVEL_BITS).collect();
            let mut deltas = Vec::new();
            write_deltas(&mut deltas, &docs);
            assert_eq!(deltas_len(&docs), deltas.len());
            let missing: Vec<u32> = (0..n).filter(|d| docs.binary_search(d).is_err()).collect();
            let mut complement = Vec::new();
            varint(&mut complement, u64::from(n));
            write_deltas(&mut complement, &missing);
            assert_eq!(complement_len(&docs, n), complement.len(), "case {case}");
            for docs in [
                list.iter().map(|p| p >> LEVEL_BITS).collect::<Vec<_>>(),
                Vec::new(),
            ] {
                let (mut sized, mut reference) = (Vec::new(), Vec::new());
                encode_docs(&mut sized, &docs, Some(n));
                encode_docs_reference(&mut reference, &docs, Some(n));
                assert_eq!(sized, reference, "case {case}, n {n}");
            }
        }
    }

    #[test]
    fn fnv_matches_reference() {
        // Reference values of FNV-1a 32 ("a" is the published test vector).
        assert_eq!(token_hash(""), 0x811c_9dc5);
        assert_eq!(token_hash("a"), 0xe40c_292c);
    }

    #[test]
    fn near_complete_lists_store_the_complement() {
        let list: Vec<u32> = (0..10_000u32)
            .filter(|d| d % 1000 != 7)
            .map(|d| (d << LEVEL_BITS) | 2)
            .collect();
        let bytes = encode_postings(&list, 10_000);
        // 1,250 bytes as a bitmap; the ten missing documents take a few bytes each.
        assert!(bytes.len() < 40, "{}", bytes.len());
        assert_eq!(bytes[2], 2, "complement kind");
    }

    #[test]
    fn a_token_growing_large_leaves_the_other_large_lists_as_they_were() {
        // Sparse lists with varied levels: far over EXTERNAL_OVER bytes each.
        let big = |k: u32| -> Vec<u32> {
            (0..400u32)
                .map(|d| ((d * 97 + k) << LEVEL_BITS) | (d % 7 + 1))
                .collect()
        };
        let small: Vec<u32> = vec![(3 << LEVEL_BITS) | 2];
        let index = |grown: bool| {
            let mut t = Table::default();
            t.push("甲", &big(1), 40_000);
            t.push("乙", &if grown { big(2) } else { small.clone() }, 40_000);
            t.push("丙", &big(3), 40_000);
            let files = shard(&[t]).files;
            files
                .into_iter()
                .filter(|(p, _)| p.starts_with("search/p/"))
                .collect::<std::collections::BTreeMap<_, _>>()
        };
        let (before, after) = (index(false), index(true));
        assert_eq!((before.len(), after.len()), (2, 3));
        for (path, bytes) in &before {
            assert_eq!(after.get(path), Some(bytes), "{path} renamed or changed");
        }
        let name = format!("search/p/{}.bin", token_hash("丙"));
        assert!(after.contains_key(&name), "{:?}", after.keys());
    }

    #[test]
    fn dense_lists_use_bitmaps() {
        let list: Vec<u32> = (0..1000u32).map(|d| (d << LEVEL_BITS) | 2).collect();
        let bytes = encode_postings(&list, 1000);
        assert!(bytes.len() < 140, "{}", bytes.len());
    }
}
