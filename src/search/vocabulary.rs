//! The index's vocabulary: the frequent words of the site, with the pinyin of their characters
//! and the look-alike groups that touch them (`search/vocab.json`), plus the pinyin of every
//! ideograph in blocks (`search/py/B.json`). The client fetches them only for a query that needs
//! them: to correct a term that finds nothing (same sound, look-alike character, one character
//! dropped or added), or to split a long question into words.
//!
//! There is no word segmenter. Words are of two kinds: the values authors write one per field
//! (brand names and aliases, tags, places, pairs, tasks, categories, skills, honours) and the
//! synonyms, all kept; and character n-grams (2 to 6) of titles, summaries and headings that
//! occur in two documents or more and are not just a part of a longer one (帮扶车 always comes
//! in 帮扶车间, so only the latter is kept). N-grams are counted on a sample of the documents at
//! most [`SAMPLE`] strong, which bounds their cost on large sites: a frequent word is frequent in
//! any sample. This module reads documents; it does not tokenise them for the index.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::documents::SearchDoc;
use super::lookalike;
use super::pinyin_tokens::PinyinTable;
use super::text::{CharClass, FastMap, Folder, char_class};

/// Documents whose titles, summaries and headings are cut into n-grams, at most.
const SAMPLE: usize = 1_000;
/// Longest n-gram counted: six characters pack into one `u128` key.
const MAX_GRAM: usize = 6;
/// Longest field value kept as a word.
const MAX_ENTITY: usize = 10;
/// Words kept, the most frequent first: bounds the file's size on large sites.
pub const MAX_WORDS: usize = 3_000;
/// Characters that never start or end a word: an n-gram such as 协作的 or 在东部 is a phrase.
const EDGE_STOP: &str = "的了和与及是在对把被从向等并也都还又将由之其着过为地得个";

/// The words of one document: field values, and (for sampled documents) its distinct n-grams.
#[derive(Default)]
pub struct DocWords {
    entities: Vec<String>,
    grams: Vec<u128>,
    /// N-grams one character longer than [`MAX_GRAM`] (its first six and its last character):
    /// never words, they only tell which six-character grams are fragments.
    longer: Vec<(u128, u32)>,
}

fn pack(chars: &[char]) -> u128 {
    chars
        .iter()
        .fold(0u128, |k, &c| (k << 21) | u128::from(u32::from(c)))
}

fn unpack(mut k: u128) -> String {
    let mut chars = Vec::with_capacity(MAX_GRAM);
    while k != 0 {
        chars.push(char::from_u32((k & 0x1f_ffff) as u32).unwrap_or('\u{fffd}'));
        k >>= 21;
    }
    chars.iter().rev().collect()
}

/// Calls `f` with each CJK run of the normalised `text`.
fn cjk_runs(text: &str, folder: &Folder, mut f: impl FnMut(&[char])) {
    let mut run: Vec<char> = Vec::new();
    for c in text.chars() {
        folder.fold_each(c, |x| {
            if char_class(x) == CharClass::Cjk {
                run.push(x);
            } else if !run.is_empty() {
                f(&run);
                run.clear();
            }
        });
    }
    if !run.is_empty() {
        f(&run);
    }
}

/// Whether the document at `url` is in the n-gram sample of a site of `docs` documents: a
/// hash of the URL, so the sample is the same from build to build.
fn sampled(url: &str, docs: usize) -> bool {
    let step = docs.div_ceil(SAMPLE).max(1) as u64;
    step == 1 || xxhash_rust::xxh3::xxh3_64(url.as_bytes()).is_multiple_of(step)
}

/// The words `doc` contributes, among `docs` documents.
pub fn doc_words(doc: &SearchDoc<'_>, folder: &Folder, docs: usize) -> DocWords {
    let mut out = DocWords::default();
    let brand = doc.facets.kind == super::DocKind::Brand;
    // Field values: names and aliases of a brand, and every tag, place, pair and task.
    let values = if brand {
        &doc.fields[..2]
    } else {
        &doc.fields[1..2]
    };
    for field in values {
        for value in field.lines() {
            cjk_runs(value, folder, |run| {
                if (2..=MAX_ENTITY).contains(&run.len()) {
                    out.entities.push(run.iter().collect());
                }
            });
        }
    }
    out.entities.sort_unstable();
    out.entities.dedup();
    if sampled(&doc.url, docs) {
        for field in [&doc.fields[0], &doc.fields[2]] {
            cjk_runs(field, folder, |run| {
                push_grams(run, &mut out);
            });
        }
        out.grams.sort_unstable();
        out.grams.dedup();
        out.longer.sort_unstable();
        out.longer.dedup();
    }
    out
}

/// Appends the n-grams of one CJK run that neither start nor end with a function word.
fn push_grams(run: &[char], out: &mut DocWords) {
    let edge = |c: &char| EDGE_STOP.contains(*c);
    for start in 0..run.len() {
        for len in 2..=(MAX_GRAM + 1).min(run.len() - start) {
            let gram = &run[start..start + len];
            if gram.first().is_some_and(edge) || gram.last().is_some_and(edge) {
                continue;
            }
            if len > MAX_GRAM {
                out.longer
                    .push((pack(&gram[..MAX_GRAM]), u32::from(gram[MAX_GRAM])));
            } else {
                out.grams.push(pack(gram));
            }
        }
    }
}

/// The vocabulary as `search/vocab.json` holds it.
#[derive(Serialize)]
struct VocabFile {
    /// Words, space-separated, the most frequent first.
    words: String,
    /// Documents holding each word (estimated from the sample for n-grams).
    df: Vec<u32>,
    /// Toneless pinyin of every character of the words: the character, then its readings
    /// separated by commas (`重zhong,chong协xie`).
    pinyin: String,
    /// The look-alike groups with a character in some word.
    lookalike: Vec<&'static str>,
}

/// Words with their document frequency, the most frequent first, at most [`MAX_WORDS`].
pub fn collect(per_doc: &[DocWords], docs: usize, extra: &[String]) -> Vec<(String, u32)> {
    let step = docs.div_ceil(SAMPLE).max(1) as u32;
    let mut grams: FastMap<u128, u32> = FastMap::default();
    let mut longer: FastMap<(u128, u32), u32> = FastMap::default();
    let mut entities: HashMap<&str, u32> = HashMap::new();
    for d in per_doc {
        for &g in &d.grams {
            *grams.entry(g).or_default() += 1;
        }
        for &g in &d.longer {
            *longer.entry(g).or_default() += 1;
        }
        for e in &d.entities {
            *entities.entry(e.as_str()).or_default() += 1;
        }
    }
    // A gram is a fragment when one character more, on either side, keeps nine tenths of
    // its documents: only the longer one is a word. Unless that character clings harder to
    // its other side: 闽宁镇 always comes before 帮扶 in two titles, but 帮 pairs with 扶 far
    // more often than with 镇, so 闽宁镇 is a word (and 就业帮扶车 is not: 车间 is a pair).
    let pair = |a: u32, b: u32| {
        grams
            .get(&((u128::from(a) << 21) | u128::from(b)))
            .copied()
            .unwrap_or(0)
    };
    let (mut pairs_from, mut pairs_to): (FastMap<u32, u32>, FastMap<u32, u32>) = Default::default();
    for (&g, &n) in &grams {
        if g >> 42 == 0 {
            let (a, b) = ((g >> 21) as u32, (g & 0x1f_ffff) as u32);
            let from = pairs_from.entry(a).or_default();
            *from = (*from).max(n);
            let to = pairs_to.entry(b).or_default();
            *to = (*to).max(n);
        }
    }
    let first = |g: u128| -> u32 {
        let len = (128 - g.leading_zeros()).div_ceil(21);
        ((g >> (21 * (len - 1))) & 0x1f_ffff) as u32
    };
    let last = |g: u128| (g & 0x1f_ffff) as u32;
    let mut fragment: BTreeSet<u128> = BTreeSet::new();
    // `part` extended by `extra` after it (or before it) is in `n` documents.
    let mut check = |part: u128, extra: u32, after: bool, n: u32| {
        let Some(&m) = grams.get(&part) else {
            return;
        };
        let (glue, elsewhere) = if after {
            (pair(last(part), extra), pairs_from.get(&extra))
        } else {
            (pair(extra, first(part)), pairs_to.get(&extra))
        };
        if n * 10 >= m * 9 && elsewhere.is_none_or(|&e| glue * 2 >= e) {
            fragment.insert(part);
        }
    };
    for (&g, &n) in &grams {
        let len = (128 - g.leading_zeros()).div_ceil(21);
        if len >= 3 {
            check(g >> 21, last(g), true, n);
            check(g & ((1u128 << (21 * (len - 1))) - 1), first(g), false, n);
        }
    }
    let six_mask = (1u128 << (21 * (MAX_GRAM as u32 - 1))) - 1;
    for (&(head, tail), &n) in &longer {
        check(head, tail, true, n);
        check(
            ((head & six_mask) << 21) | u128::from(tail),
            first(head),
            false,
            n,
        );
    }
    let mut words: BTreeMap<String, u32> = BTreeMap::new();
    for (&g, &n) in &grams {
        if n >= 2 && !fragment.contains(&g) {
            words.insert(unpack(g), n.saturating_mul(step));
        }
    }
    for (e, n) in entities {
        let w = words.entry(e.to_owned()).or_default();
        *w = (*w).max(n);
    }
    for e in extra {
        if (2..=MAX_ENTITY).contains(&e.chars().count()) && e.chars().all(is_cjk) {
            words.entry(e.clone()).or_insert(1);
        }
    }
    let mut list: Vec<(String, u32)> = words.into_iter().collect();
    list.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| b.0.chars().count().cmp(&a.0.chars().count()))
            .then_with(|| a.0.cmp(&b.0))
    });
    list.truncate(MAX_WORDS);
    list
}

fn is_cjk(c: char) -> bool {
    char_class(c) == CharClass::Cjk
}

/// `search/vocab.json` for `words`.
pub fn vocab_json(
    words: &[(String, u32)],
    pinyin: &PinyinTable,
) -> Result<Vec<u8>, serde_json::Error> {
    let chars: BTreeSet<char> = words.iter().flat_map(|(w, _)| w.chars()).collect();
    let mut py = String::new();
    for &c in &chars {
        let at = py.len();
        py.push(c);
        if !pinyin.push_readings(c, &mut py) {
            py.truncate(at);
        }
    }
    let file = VocabFile {
        words: words
            .iter()
            .map(|(w, _)| w.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        df: words.iter().map(|(_, n)| *n).collect(),
        pinyin: py,
        lookalike: lookalike::GROUPS
            .iter()
            .copied()
            .filter(|g| g.chars().any(|c| chars.contains(&c)))
            .collect(),
    };
    serde_json::to_vec(&file)
}

/// First code point of the pinyin blocks (as for the traditional → simplified table).
const PY_BASE: u32 = 0x3400;

/// The pinyin of every ideograph, in blocks of 256 code points (`search/py/B.json`, each one
/// string as in [`VocabFile::pinyin`]), so a query fetches only the blocks of its characters.
pub fn pinyin_blocks(pinyin: &PinyinTable) -> BTreeMap<u32, String> {
    let mut blocks: BTreeMap<u32, String> = BTreeMap::new();
    for cp in PY_BASE..0xA000 {
        let Some(c) = char::from_u32(cp) else {
            continue;
        };
        let block = blocks.entry((cp - PY_BASE) >> 8).or_default();
        let at = block.len();
        block.push(c);
        if !pinyin.push_readings(c, block) {
            block.truncate(at);
        }
    }
    blocks.retain(|_, b| !b.is_empty());
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words_of(texts: &[&str], docs: usize) -> Vec<(String, u32)> {
        let folder = Folder::new();
        let per_doc: Vec<DocWords> = texts
            .iter()
            .map(|t| {
                let mut d = DocWords::default();
                cjk_runs(t, &folder, |run| push_grams(run, &mut d));
                d.grams.sort_unstable();
                d.grams.dedup();
                d.longer.sort_unstable();
                d.longer.dedup();
                d
            })
            .collect();
        collect(&per_doc, docs, &[])
    }

    #[test]
    fn packs_and_unpacks_grams() {
        let chars: Vec<char> = "就业帮扶车间".chars().collect();
        assert_eq!(unpack(pack(&chars)), "就业帮扶车间");
        assert_eq!(unpack(pack(&chars[..2])), "就业");
    }

    #[test]
    fn keeps_whole_words_not_their_fragments() {
        let words = words_of(
            &[
                "就业帮扶车间提质增效",
                "新建就业帮扶车间",
                "就业帮扶车间吸纳就业",
                "稳岗就业",
            ],
            4,
        );
        let has = |w: &str| words.iter().any(|(x, _)| x == w);
        assert!(has("就业帮扶车间"), "{words:?}");
        assert!(!has("帮扶车间") && !has("就业帮扶车"), "{words:?}");
        // 就业 also stands alone (稳岗就业, 吸纳就业): a word of its own.
        assert!(has("就业"), "{words:?}");
        // Seen once: not a word.
        assert!(!has("提质增效"), "{words:?}");
    }

    #[test]
    fn a_long_set_phrase_leaves_no_six_character_fragments() {
        let words = words_of(
            &["甘肃省人力资源和社会保障厅", "江苏省人力资源和社会保障厅"],
            2,
        );
        assert!(
            words.iter().all(|(w, _)| w.chars().count() < 6),
            "{words:?}"
        );
    }

    #[test]
    fn edge_function_words_make_no_word() {
        let folder = Folder::new();
        let mut seen = Vec::new();
        cjk_runs("协作的做法 在东部就业", &folder, |r| {
            seen.push(r.iter().collect::<String>())
        });
        assert_eq!(seen, ["协作的做法", "在东部就业"]);
        assert!(EDGE_STOP.contains('的') && EDGE_STOP.contains('在'));
    }

    #[test]
    fn pinyin_blocks_cover_common_characters() {
        let table = PinyinTable::new();
        let blocks = pinyin_blocks(&table);
        let block = |c: char| &blocks[&((u32::from(c) - PY_BASE) >> 8)];
        assert!(block('协').contains("协xie"));
        assert!(block('写').contains("写xie"));
        assert!(block('重').contains("重zhong,chong") || block('重').contains("重chong,zhong"));
    }
}
