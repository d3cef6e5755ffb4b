//! The inverted index encoded as small binary files, so a query fetches only the shards of its
//! tokens: `search/s/N.bin` holds the tokens whose FNV-1a hash is N modulo the shard count, and a
//! token whose postings are large gets its own `search/p/M.bin`, referenced from its shard.
//!
//! Postings of a token are grouped by impact level, highest first; each group's documents are
//! written as delta varints or as a bitmap, whichever is smaller. For very common tokens the
//! low (body-only) levels are merged into one, which keeps them near one bit per document.
//! The format is read by `search.js` (`readPostings`); change both together.

use std::collections::BTreeMap;

use super::postings::{LEVEL_BITS, MAX_LEVEL, Postings};

/// Raw bytes aimed at per shard: every query token costs its shard, so shards stay small
/// (a few thousand files at 10,000 documents) and a query pays well under a kilobyte each.
const SHARD_TARGET: usize = 700;
/// Postings larger than this go to a file of their own.
const EXTERNAL_OVER: usize = 700;
/// Levels folded into the base group for common tokens: everything a body-only match reaches.
const LOW_LEVEL: u32 = 4;

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

/// Writes a sorted document list; `universe` (the document count) allows the complement form.
fn encode_docs(out: &mut Vec<u8>, docs: &[u32], universe: Option<u32>) {
    let (Some(&first), Some(&last)) = (docs.first(), docs.last()) else {
        out.push(0);
        varint(out, 0);
        return;
    };
    let mut deltas = Vec::with_capacity(docs.len() + 4);
    varint(&mut deltas, docs.len() as u64);
    let mut prev = 0;
    for (i, &d) in docs.iter().enumerate() {
        varint(&mut deltas, u64::from(if i == 0 { d } else { d - prev }));
        prev = d;
    }
    let start = first & !7;
    let nbytes = ((last - start) / 8 + 1) as usize;
    // A token in most documents (就业 in nearly all) is cheapest as the list of documents
    // that lack it: kind 2, the same delta varints over the complement.
    if let Some(n) = universe.filter(|&n| docs.len() * 2 > n as usize) {
        let mut missing = Vec::with_capacity(n as usize - docs.len() + 4);
        let mut at = docs.iter().peekable();
        for d in 0..n {
            if at.peek() == Some(&&d) {
                at.next();
            } else {
                missing.push(d);
            }
        }
        let mut complement = Vec::with_capacity(missing.len() + 4);
        varint(&mut complement, u64::from(n));
        varint(&mut complement, missing.len() as u64);
        let mut prev = 0;
        for (i, &d) in missing.iter().enumerate() {
            varint(
                &mut complement,
                u64::from(if i == 0 { d } else { d - prev }),
            );
            prev = d;
        }
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

/// Encodes one token's postings (`doc << LEVEL_BITS | level`, ascending by doc).
///
/// For common tokens the lowest group lists every document that has the token, higher groups
/// included: the client keeps the first (highest) level it reads, and a near-complete bitmap
/// compresses far better than one with holes where the title matches are.
pub fn encode_postings(list: &[u32], doc_count: usize) -> Vec<u8> {
    let common = list.len() * 16 > doc_count;
    let mut groups: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for &p in list {
        let level = p & MAX_LEVEL;
        let doc = p >> LEVEL_BITS;
        if common {
            groups.entry(1).or_default().push(doc);
            if level > LOW_LEVEL {
                groups.entry(coarse_level(level)).or_default().push(doc);
            }
        } else {
            groups.entry(level).or_default().push(doc);
        }
    }
    let mut out = Vec::new();
    varint(&mut out, groups.len() as u64);
    let universe = u32::try_from(doc_count).ok();
    for (level, docs) in groups.iter().rev() {
        out.push(*level as u8);
        encode_docs(&mut out, docs, universe);
    }
    out
}

/// Three levels above the base for common tokens: their low idf makes fine levels worth little
/// in ranking, while every extra group costs bytes in every query that uses the token.
fn coarse_level(level: u32) -> u32 {
    match level {
        0..10 => 8,
        10..20 => 16,
        _ => MAX_LEVEL,
    }
}

/// The encoded index: `(path, bytes)` files and the shard count the client needs.
pub struct EncodedIndex {
    pub files: Vec<(String, Vec<u8>)>,
    pub shard_count: u32,
}

/// Encodes and shards `postings`.
pub fn encode_index(postings: &Postings) -> EncodedIndex {
    use rayon::prelude::*;
    let encoded: Vec<(&str, usize, Vec<u8>)> = postings
        .lists
        .par_iter()
        .map(|(t, list)| {
            (
                t.as_str(),
                list.len(),
                encode_postings(list, postings.doc_count),
            )
        })
        .collect();
    let inline_bytes: usize = encoded
        .iter()
        .filter(|e| e.2.len() <= EXTERNAL_OVER)
        .map(|e| e.0.len() + e.2.len() + 4)
        .sum();
    let shard_count =
        u32::try_from(inline_bytes.div_ceil(SHARD_TARGET).clamp(1, 1 << 16)).unwrap_or(1 << 16);
    let mut shards: BTreeMap<u32, Vec<u8>> = BTreeMap::new();
    let mut counts: BTreeMap<u32, u64> = BTreeMap::new();
    let mut files = Vec::new();
    // `postings.lists` is sorted by token, so shard contents and external ids are deterministic.
    for (token, df, bytes) in encoded {
        let shard = token_hash(token) % shard_count;
        let buf = shards.entry(shard).or_default();
        *counts.entry(shard).or_default() += 1;
        varint(buf, token.len() as u64);
        buf.extend_from_slice(token.as_bytes());
        varint(buf, df as u64);
        if bytes.len() > EXTERNAL_OVER {
            let id = files.len();
            buf.push(1);
            varint(buf, id as u64);
            files.push((format!("search/p/{id}.bin"), bytes));
        } else {
            buf.push(0);
            varint(buf, bytes.len() as u64);
            buf.extend_from_slice(&bytes);
        }
    }
    for (shard, body) in shards {
        let mut out = Vec::with_capacity(body.len() + 4);
        varint(&mut out, counts.get(&shard).copied().unwrap_or(0));
        out.extend_from_slice(&body);
        files.push((format!("search/s/{shard}.bin"), out));
    }
    EncodedIndex { files, shard_count }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn dense_lists_use_bitmaps() {
        let list: Vec<u32> = (0..1000u32).map(|d| (d << LEVEL_BITS) | 2).collect();
        let bytes = encode_postings(&list, 1000);
        assert!(bytes.len() < 140, "{}", bytes.len());
    }
}
