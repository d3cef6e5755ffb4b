//! The searchable documents of a site: one per case, brand, bulletin and page, plus the
//! statistics page, each with its text split into weighted fields and its facet values.
//!
//! Documents are ordered by their facet values (type, province, pair, year, task) so the client
//! can keep per-document facets as a few run-length columns. This module only reads the `Site`;
//! it neither tokenises nor encodes.

use std::borrow::Cow;
use std::collections::BTreeSet;

use rayon::prelude::*;

use crate::model::{Site, StatsRegion};
use crate::pair::Pair;
use crate::province::Province;
use crate::render::texts::texts;

/// Field groups, strongest first: title/name/aliases, tags and places, summary, body.
pub const GROUPS: usize = 4;

/// What kind of page a document is; the order of the `types` facet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DocKind {
    Case,
    Brand,
    Bulletin,
    Page,
    Stats,
}

/// One searchable page.
#[derive(Debug)]
pub struct SearchDoc<'a> {
    pub kind: DocKind,
    /// Root-relative URL (`/dxbrs/cases/a/`).
    pub url: String,
    pub title: Cow<'a, str>,
    /// `YYYY-MM-DD`, if the page has a date.
    pub date: Option<String>,
    pub province: Option<Province>,
    /// Index into [`pair_table`].
    pub pair: Option<usize>,
    /// Index into `config.tasks`.
    pub task: Option<usize>,
    pub year: Option<i32>,
    /// Text of each field group; parts are separated by newlines so no bigram spans two parts.
    pub fields: [Cow<'a, str>; GROUPS],
    /// Short text shown as the excerpt when the query words are not in it.
    pub summary: Cow<'a, str>,
}

impl SearchDoc<'_> {
    /// The beginning of the body, where the excerpt looks for query words. Taken when the
    /// fragment is written, while the tokenizer has just read the body: collecting the
    /// documents would be the first to touch every body, and pay for its cache misses.
    pub fn body_head(&self) -> &str {
        prefix(&self.fields[GROUPS - 1], BODY_HEAD_CHARS)
    }
}

/// Characters of body text kept in a result's fragment for the excerpt.
const BODY_HEAD_CHARS: usize = 160;
/// Body characters indexed per document: bounds memory on pathological inputs.
const BODY_INDEX_CHARS: usize = 60_000;

/// Facet labels of each [`DocKind`], in the site language.
pub fn kind_labels(site: &Site) -> Vec<&'static str> {
    let t = texts(site.config.language);
    vec![t.cases, t.brands, t.bulletins, "页面", t.stats]
}

/// Every pair the facet can show: the configured pairs, then others that content uses.
pub fn pair_table(site: &Site) -> Vec<Pair> {
    let mut table = site.config.pairs.clone();
    let used: BTreeSet<Pair> = site
        .cases
        .iter()
        .filter_map(|c| c.pair)
        .chain(site.brands.iter().filter_map(|b| b.pair))
        .collect();
    for p in used {
        if !table.contains(&p) {
            table.push(p);
        }
    }
    table
}

fn join(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first `n` characters of `text`, borrowed.
fn prefix(text: &str, n: usize) -> &str {
    // A text of at most `n` bytes has at most `n` characters: skip the walk for almost all.
    if text.len() <= n {
        return text;
    }
    // Counting the bytes that start a character, not decoding them: this runs on every
    // document's body, for the excerpt.
    let mut count = 0;
    for (i, &b) in text.as_bytes().iter().enumerate() {
        // Continuation bytes are 0b10xx_xxxx, i.e. below -0x40 as signed bytes.
        if (b as i8) >= -0x40 {
            if count == n {
                return &text[..i];
            }
            count += 1;
        }
    }
    text
}

fn place_text(p: Province) -> String {
    format!("{}\n{}", p.name(), p.short())
}

fn pair_text(p: &Pair) -> String {
    format!("{}\n{}\n{}", p.short_name(), p.name(), p.name_en())
}

/// All documents of `site`, in facet order.
pub fn collect_docs(site: &Site) -> Vec<SearchDoc<'_>> {
    let cfg = &site.config;
    let pairs = pair_table(site);
    let pair_index = |p: &Option<Pair>| p.and_then(|p| pairs.iter().position(|q| *q == p));
    // Every document names its province and pair: their texts are made once, not per document.
    let places: std::collections::HashMap<Province, String> =
        Province::all().map(|p| (p, place_text(p))).collect();
    let place = |p: Province| places.get(&p).map_or("", String::as_str);
    let pair_texts: Vec<String> = pairs.iter().map(pair_text).collect();
    let pair_of = |i: Option<usize>| i.and_then(|i| pair_texts.get(i)).map_or("", String::as_str);
    let mut docs = Vec::new();
    docs.par_extend(site.cases.par_iter().map(|c| {
        let task = cfg.tasks.get(c.task).map_or("", |t| t.name.as_str());
        let pair = pair_index(&c.pair);
        let tags = c.tags.join("\n");
        let meta = join(&[&tags, place(c.province), pair_of(pair), task]);
        // Subtitle and source weigh like the summary: long, and not worth pinyin tokens.
        let summary = join(&[
            &c.summary,
            c.subtitle.as_deref().unwrap_or(""),
            c.source.as_deref().unwrap_or(""),
        ]);
        SearchDoc {
            kind: DocKind::Case,
            url: cfg.base_url.local(&format!("cases/{}/", c.slug)),
            title: Cow::from(c.title.as_str()),
            date: Some(c.date.to_string()),
            province: Some(c.province),
            pair,
            task: Some(c.task),
            year: Some(c.date.year),
            fields: [
                Cow::from(c.title.as_str()),
                Cow::from(meta),
                Cow::from(summary),
                Cow::from(prefix(&c.body.text, BODY_INDEX_CHARS)),
            ],
            summary: Cow::from(c.summary.as_str()),
        }
    }));
    docs.par_extend(site.brands.par_iter().map(|b| {
        let names = std::iter::once(b.name.as_str())
            .chain(b.aliases.iter().map(String::as_str))
            .collect::<Vec<_>>();
        let pair = pair_index(&b.pair);
        let dest: Vec<&str> = b.destinations.iter().map(|p| p.short()).collect();
        let meta = join(&[
            place(b.province),
            b.city.as_deref().unwrap_or(""),
            b.county.as_deref().unwrap_or(""),
            &b.category,
            &b.skills.join("\n"),
            &b.honors.join("\n"),
            &dest.join("\n"),
            pair_of(pair),
        ]);
        SearchDoc {
            kind: DocKind::Brand,
            url: cfg.base_url.local(&format!("brands/{}/", b.slug)),
            title: Cow::from(b.name.as_str()),
            date: None,
            province: Some(b.province),
            pair,
            task: None,
            year: None,
            fields: [
                Cow::from(names.join("\n")),
                Cow::from(meta),
                Cow::from(b.summary.as_str()),
                Cow::from(prefix(&b.body.text, BODY_INDEX_CHARS)),
            ],
            summary: Cow::from(b.summary.as_str()),
        }
    }));
    for b in &site.bulletins {
        let label = format!("{}年第{}期", b.year, b.issue);
        let carried: Vec<&str> = b
            .cases
            .iter()
            .filter_map(|&i| site.cases.get(i))
            .map(|c| c.title.as_str())
            .collect();
        docs.push(SearchDoc {
            kind: DocKind::Bulletin,
            url: cfg.base_url.local(&format!("bulletins/{}/", b.slug())),
            title: Cow::from(b.title.as_str()),
            date: Some(b.date.to_string()),
            province: None,
            pair: None,
            task: None,
            year: Some(b.date.year),
            fields: [
                Cow::from(b.title.as_str()),
                Cow::from(join(&[&label, "工作简报", &b.publisher])),
                Cow::from(join(&[&b.summary, &carried.join("\n")])),
                Cow::from(prefix(&b.body.text, BODY_INDEX_CHARS)),
            ],
            summary: Cow::from(b.summary.as_str()),
        });
    }
    for p in &site.pages {
        docs.push(SearchDoc {
            kind: DocKind::Page,
            url: cfg.base_url.local(&format!("{}/", p.slug)),
            title: Cow::from(p.title.as_str()),
            date: p.date.map(|d| d.to_string()),
            province: None,
            pair: None,
            task: None,
            year: p.date.map(|d| d.year),
            fields: [
                Cow::from(p.title.as_str()),
                Cow::from(""),
                Cow::from(p.summary.as_str()),
                Cow::from(prefix(&p.body.text, BODY_INDEX_CHARS)),
            ],
            summary: Cow::from(p.summary.as_str()),
        });
    }
    if !site.stats.is_empty() {
        docs.push(stats_doc(site));
    }
    // Sorting the order, not the documents: each is a few hundred bytes, moved at every level
    // of a merge sort.
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.par_sort_by(|&a, &b| {
        let (a, b) = (&docs[a], &docs[b]);
        (a.kind, a.province, a.pair, a.year, a.task, &a.url)
            .cmp(&(b.kind, b.province, b.pair, b.year, b.task, &b.url))
    });
    let mut slots: Vec<Option<SearchDoc<'_>>> = docs.into_iter().map(Some).collect();
    order.iter().filter_map(|&i| slots[i].take()).collect()
}

/// The /stats/ page: findable by 帮扶车间, 车间, 统计 and the name of every province with figures.
fn stats_doc(site: &Site) -> SearchDoc<'static> {
    let t = texts(site.config.language);
    let regions: BTreeSet<Province> = site
        .stats
        .iter()
        .filter_map(|r| match r.region {
            StatsRegion::Province(p) => Some(p),
            StatsRegion::National => None,
        })
        .collect();
    let places: Vec<String> = regions.iter().map(|p| place_text(*p)).collect();
    let years: BTreeSet<i32> = site.stats.iter().map(|r| r.year).collect();
    let years: Vec<String> = years.iter().map(|y| format!("{y}年")).collect();
    let latest = site.stats.iter().map(|r| r.year).max();
    let summary = "就业帮扶车间数量、吸纳就业人数和脱贫人口就业情况统计（全国及各省份）".to_owned();
    SearchDoc {
        kind: DocKind::Stats,
        url: site.config.base_url.local("stats/"),
        title: Cow::from(format!("{}统计", t.stats)),
        date: None,
        province: None,
        pair: None,
        task: None,
        year: latest,
        fields: [
            Cow::from(format!("{}统计\n就业帮扶车间统计数据", t.stats)),
            Cow::from(join(&[
                "就业帮扶车间\n帮扶车间\n车间\n统计\n数据\n全国",
                &places.join("\n"),
                &years.join("\n"),
            ])),
            Cow::from(summary.clone()),
            Cow::from(String::new()),
        ],
        summary: Cow::from(summary),
    }
}

#[cfg(test)]
mod tests {
    use super::prefix;

    #[test]
    fn prefix_counts_characters() {
        let text = "东西部协作 ab\u{1F600}é劳务品牌\n沙县小吃";
        for n in 0..text.chars().count() + 3 {
            let want = text.char_indices().nth(n).map_or(text, |(i, _)| &text[..i]);
            assert_eq!(prefix(text, n), want, "{n}");
        }
    }
}
