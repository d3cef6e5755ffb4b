//! Static search index, built from the validated site (never from rendered HTML), plus the
//! dependency-free client that reads it.
//!
//! `build_search_index` is a pure function of the `Site`: documents (`documents`) are
//! normalised and tokenised (`text`, `pinyin_tokens`) into weighted postings (`postings`),
//! encoded into hash shards (`shards`), and written beside a small manifest, one fragment per
//! document for result display, the traditional → simplified table and the two scripts. The
//! browser fetches the manifest, then only the shards of the query's tokens and the fragments of
//! the results it shows. Nothing here touches the disk.

mod documents;
mod lookalike;
mod pinyin_tokens;
mod postings;
mod shards;
mod vocabulary;
// Public for the property tests in tests/fuzz.rs (normalising is idempotent, never panics).
pub mod text;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::Site;
use crate::province::Province;
use crate::routes::SEARCH_DIR;

pub use documents::{DocKind, DocSource, Docs, SearchDoc};
pub use text::{Folder, t2s_pairs};

/// The smallest value at least `n` on a fixed ladder (1, 2, 3, …, then steps of about
/// 1/`div` of the value). A quantity that drifts a little with every edit (the index's size,
/// the average body length) keeps the same value on the ladder, so what is made from it, every
/// shard's contents or every document's impact levels, stays the same and is not written
/// again. Integer steps give every platform the same ladder.
fn ladder(n: usize, div: usize) -> usize {
    let mut v = 1;
    while v < n {
        v += (v / div).max(1);
    }
    v
}

/// The client module: `search(query, {limit, filters})`.
pub const SEARCH_JS: &str = include_str!("search.js");
/// The client's query words (questions, vocabulary, typos), imported by `search.js`.
pub const WORDS_JS: &str = include_str!("words.js");
/// The search page's script, loaded as a module by `search.html`.
pub const UI_JS: &str = include_str!("ui.js");

/// Per-document facet values as run-length columns `[value, count, value, count …]`; values are
/// 1-based indices into the manifest's tables (0 = none), years are written as they are.
#[derive(Serialize)]
struct Facets {
    #[serde(rename = "type")]
    kind: Vec<u32>,
    province: Vec<u32>,
    pair: Vec<u32>,
    task: Vec<u32>,
    year: Vec<u32>,
}

#[derive(Serialize)]
struct PairInfo {
    short: String,
    name: String,
    east: usize,
    west: usize,
}

/// `search/index.json`: everything the client needs before it fetches shards.
#[derive(Serialize)]
struct Manifest {
    version: u32,
    docs: usize,
    shards: u32,
    types: Vec<&'static str>,
    /// `[name, short, abbreviations, slug]` of every province, in code order.
    provinces: Vec<[String; 4]>,
    pairs: Vec<PairInfo>,
    tasks: Vec<String>,
    facets: Facets,
    /// Normalised synonym groups: site.yaml's first, then built-ins.
    synonyms: Vec<Vec<String>>,
    /// Toneless pinyin syllables, space-separated, for splitting `shaxian` into `sha xian`.
    syllables: String,
    /// Blocks of 256 code points from U+3400 that hold traditional characters: a query fetches
    /// `t2s/B.json` only for blocks its characters fall in.
    t2s_blocks: Vec<u32>,
    /// Terms offered when a query finds nothing.
    suggest: Vec<String>,
}

/// Built-in synonym groups, in addition to site.yaml's.
const BUILTIN_SYNONYMS: &[&[&str]] = &[
    &[
        "就业帮扶车间",
        "扶贫车间",
        "帮扶车间",
        "社区工厂",
        "扶贫工厂",
    ],
    &["东西部协作", "东西部扶贫协作", "东西协作"],
    &["劳务输出", "外出务工", "转移就业"],
    &["技能培训", "职业技能培训", "技工教育培训"],
    // 技校 is how people say it; content says 技工院校 or 技工学校.
    &["技工院校", "技工学校", "技校"],
    // What people type for what content calls 务工 and 欠薪.
    &["务工", "打工"],
    &["欠薪", "拖欠工资", "工资拖欠"],
];

fn rle(values: impl Iterator<Item = u32>) -> Vec<u32> {
    let mut out: Vec<u32> = Vec::new();
    for v in values {
        match out.len() {
            n if n >= 2 && out[n - 2] == v => out[n - 1] += 1,
            _ => out.extend([v, 1]),
        }
    }
    out
}

fn one_based(v: Option<usize>) -> u32 {
    v.and_then(|i| u32::try_from(i + 1).ok()).unwrap_or(0)
}

/// Normalised synonym groups: site.yaml's first, then the built-ins. Their order numbers the
/// `g:N` tokens, so the index and the manifest must both take it from here.
fn synonym_groups(site: &Site, folder: &Folder) -> Vec<Vec<String>> {
    site.config
        .synonyms
        .iter()
        .map(|g| g.iter().map(|s| folder.normalize(s)).collect())
        .chain(
            BUILTIN_SYNONYMS
                .iter()
                .map(|g| g.iter().map(|s| folder.normalize(s)).collect()),
        )
        .collect()
}

fn manifest(
    site: &Site,
    docs: &Docs<'_>,
    shard_count: u32,
    folder: &Folder,
    syllables: &[String],
    t2s: &BTreeMap<u32, String>,
) -> Manifest {
    let provinces: Vec<Province> = Province::all().collect();
    let pindex = |p: Province| provinces.iter().position(|q| *q == p).unwrap_or(0);
    let pairs = documents::pair_table(site);
    let facets = Facets {
        kind: rle(docs.all_facets().map(|d| d.kind as u32)),
        province: rle(docs.all_facets().map(|d| one_based(d.province.map(pindex)))),
        pair: rle(docs.all_facets().map(|d| one_based(d.pair))),
        task: rle(docs.all_facets().map(|d| one_based(d.task))),
        year: rle(docs
            .all_facets()
            .map(|d| d.year.and_then(|y| u32::try_from(y).ok()).unwrap_or(0))),
    };
    let synonyms = synonym_groups(site, folder);
    Manifest {
        version: 1,
        docs: docs.len(),
        shards: shard_count,
        types: documents::kind_labels(site),
        provinces: provinces
            .iter()
            .map(|p| {
                let abbrs = p.abbr().map(String::from).unwrap_or_default();
                [p.name().into(), p.short().into(), abbrs, p.slug().into()]
            })
            .collect(),
        pairs: pairs
            .iter()
            .map(|p| PairInfo {
                short: p.short_name(),
                name: p.name(),
                east: pindex(p.east),
                west: pindex(p.west),
            })
            .collect(),
        tasks: site.config.tasks.iter().map(|t| t.name.clone()).collect(),
        facets,
        synonyms,
        syllables: syllables.join(" "),
        t2s_blocks: t2s.keys().copied().collect(),
        suggest: site.config.tasks.iter().map(|t| t.name.clone()).collect(),
    }
}

#[derive(Serialize)]
struct Fragment<'a> {
    u: &'a str,
    t: &'a str,
    k: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    d: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    p: Option<&'static str>,
    s: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    b: &'a str,
}

fn fragment(doc: &SearchDoc<'_>) -> Result<Vec<u8>, serde_json::Error> {
    let f = Fragment {
        u: &doc.url,
        t: &doc.title,
        k: doc.facets.kind as u32,
        d: doc.date.as_deref(),
        p: doc.facets.province.map(Province::name),
        s: &doc.summary,
        b: doc.body_head(),
    };
    // Sized for the texts plus keys, quotes and escapes: one allocation, not a doubling series.
    let texts = f.u.len() + f.t.len() + f.s.len() + f.b.len() + f.d.map_or(0, str::len);
    let mut out = Vec::with_capacity(texts + texts / 8 + 64);
    serde_json::to_writer(&mut out, &f)?;
    Ok(out)
}

/// Words the vocabulary keeps whatever their frequency: synonyms, tasks, provinces and pairs,
/// which a query names even where few documents do.
fn vocabulary_extra(site: &Site, folder: &Folder) -> Vec<String> {
    let mut out: Vec<String> = synonym_groups(site, folder).into_iter().flatten().collect();
    out.extend(site.config.tasks.iter().map(|t| folder.normalize(&t.name)));
    for p in Province::all() {
        out.push(p.name().to_owned());
        out.push(p.short().to_owned());
    }
    out.extend(documents::pair_table(site).iter().map(|p| p.short_name()));
    out
}

/// First code point of the traditional → simplified table's blocks.
const T2S_BASE: u32 = 0x3400;

/// The traditional → simplified table in blocks of 256 code points, each one string of
/// character pairs (`search/t2s/B.json`), so a query fetches only the blocks of its characters.
fn t2s_blocks() -> BTreeMap<u32, String> {
    let mut blocks: BTreeMap<u32, String> = BTreeMap::new();
    for &(t, s) in t2s_pairs() {
        let b = (u32::from(t) - T2S_BASE) >> 8;
        let e = blocks.entry(b).or_default();
        e.push(t);
        e.push(s);
    }
    blocks
}

/// Per document: its fragment (or why it cannot be written) and the words it gives the
/// vocabulary.
type DocOutput = (serde_json::Result<Vec<u8>>, vocabulary::DocWords);

/// One key partition's encoded lists, and the lists of synonym group members among them.
type PartOut = (shards::Table, Vec<(String, Vec<u32>)>);

/// The documents' postings, with one list per synonym group, encoded and sharded; each
/// document's fragment; and the words each document gives the vocabulary.
fn encode_index(
    docs: &Docs<'_>,
    folder: &Folder,
    pinyin: &pinyin_tokens::PinyinTable,
    groups: &[Vec<String>],
) -> (shards::EncodedIndex, Vec<DocOutput>) {
    // Fragments and words are taken as the documents are tokenised, while their texts are in
    // the cache.
    let n = docs.len();
    let (counted, fragments) = postings::count(docs, folder, pinyin, |doc| {
        (fragment(doc), vocabulary::doc_words(doc, folder, n))
    });
    let n = counted.doc_count;
    // The group members' lists are kept aside as they go by (a few dozen tokens).
    let members = postings::member_tokens(groups);
    let mut tables: Vec<PartOut> = counted.lists(
        pinyin,
        Default::default,
        |(table, kept): &mut PartOut, token, list| {
            table.push(token, list, n);
            if members.contains(token) {
                kept.push((token.to_owned(), list.to_vec()));
            }
        },
    );
    drop(counted);
    let kept: std::collections::HashMap<&str, &[u32]> = tables
        .iter()
        .flat_map(|(_, kept)| kept.iter().map(|(t, l)| (t.as_str(), l.as_slice())))
        .collect();
    let mut synonyms = shards::Table::default();
    for (token, list) in postings::synonym_lists(groups, |t| kept.get(t).copied(), n) {
        synonyms.push(&token, &list, n);
    }
    tables.push((synonyms, Vec::new()));
    let tables: Vec<shards::Table> = tables.into_iter().map(|(t, _)| t).collect();
    (shards::shard(&tables), fragments)
}

/// Search files (paths under `search/`) for `site`. Fails only if a JSON file cannot be
/// serialised, which is reported rather than written as an empty file.
pub fn build_search_index(site: &Site) -> Result<Vec<(String, Vec<u8>)>, serde_json::Error> {
    // The character tables and the documents do not depend on each other.
    let ((folder, pinyin), docs) = rayon::join(
        || (Folder::new(), pinyin_tokens::PinyinTable::new()),
        || Docs::new(site),
    );
    let ((encoded, fragments), t2s) = rayon::join(
        || encode_index(&docs, &folder, &pinyin, &synonym_groups(site, &folder)),
        t2s_blocks,
    );
    let manifest = manifest(
        site,
        &docs,
        encoded.shard_count,
        &folder,
        &pinyin.syllables,
        &t2s,
    );
    let mut files = encoded.files;
    let mut words = Vec::with_capacity(fragments.len());
    for (i, (fragment, doc_words)) in fragments.into_iter().enumerate() {
        files.push((format!("{SEARCH_DIR}d/{i}.json"), fragment?));
        words.push(doc_words);
    }
    let vocab = vocabulary::collect(&words, docs.len(), &vocabulary_extra(site, &folder));
    files.push((
        format!("{SEARCH_DIR}vocab.json"),
        vocabulary::vocab_json(&vocab, &pinyin)?,
    ));
    for (b, block) in vocabulary::pinyin_blocks(&pinyin) {
        files.push((
            format!("{SEARCH_DIR}py/{b}.json"),
            serde_json::to_vec(&block)?,
        ));
    }
    files.push((
        format!("{SEARCH_DIR}index.json"),
        serde_json::to_vec(&manifest)?,
    ));
    for (b, pairs) in t2s {
        let json = serde_json::to_vec(&pairs)?;
        files.push((format!("{SEARCH_DIR}t2s/{b}.json"), json));
    }
    files.push((
        format!("{SEARCH_DIR}search.js"),
        SEARCH_JS.as_bytes().to_vec(),
    ));
    files.push((
        format!("{SEARCH_DIR}words.js"),
        WORDS_JS.as_bytes().to_vec(),
    ));
    files.push((format!("{SEARCH_DIR}ui.js"), UI_JS.as_bytes().to_vec()));
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::ladder;

    #[test]
    fn the_ladder_is_close_above_and_has_few_rungs() {
        for div in [5, 16] {
            let mut rungs = std::collections::BTreeSet::new();
            for n in 0..200_000 {
                let v = ladder(n, div);
                assert!(v >= n.max(1), "{n} → {v}");
                assert!(v <= n + n / div + 1, "{n} → {v} (div {div})");
                rungs.insert(v);
            }
            // 200,000 values, a few dozen (or hundred) rungs: most drifts stay on one.
            let most = if div == 5 { 80 } else { 230 };
            assert!(rungs.len() < most, "{} rungs for div {div}", rungs.len());
        }
    }
}
