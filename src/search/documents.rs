//! The searchable documents of a site: one per case, brand, bulletin and page, plus the
//! statistics page, each with its text split into weighted fields and its facet values.
//!
//! Documents are ordered by their facet values (type, province, pair, year, task) so the client
//! can keep per-document facets as a few run-length columns. Only that order is made up front;
//! each document's texts are gathered when the tokenizer asks for it, so every record's texts
//! are read from memory once per build. This module only reads the `Site`; it neither tokenises
//! nor encodes.

use std::borrow::Cow;
use std::collections::BTreeSet;

use rayon::prelude::*;

use crate::model::{Site, StatsRegion};
use crate::pair::Pair;
use crate::province::Province;
use crate::routes;
use crate::texts::texts;

/// Field groups, strongest first: title/name/aliases, tags and places, summary and headings
/// (a bulletin's also carries its items: the titles and summaries of the cases it prints), body.
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
    pub facets: DocFacets,
    /// Root-relative URL (`/dxbrs/cases/a/`).
    pub url: String,
    pub title: Cow<'a, str>,
    /// `YYYY-MM-DD`, if the page has a date.
    pub date: Option<String>,
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

/// The headings of a body, one a line: they weigh like the summary, since a heading says what
/// its section is about.
fn headings(body: &crate::model::Body) -> String {
    body.toc
        .iter()
        .map(|t| t.title.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

fn place_text(p: Province) -> String {
    format!("{}\n{}", p.name(), p.short())
}

fn pair_text(p: &Pair) -> String {
    format!("{}\n{}\n{}", p.short_name(), p.name(), p.name_en())
}

/// Where a document comes from.
#[derive(Clone, Copy, Debug)]
enum Source {
    Case(usize),
    Brand(usize),
    Bulletin(usize),
    Page(usize),
    Stats,
}

/// A document's facet values: all the index keeps of it besides its texts.
#[derive(Clone, Copy, Debug)]
pub struct DocFacets {
    pub kind: DocKind,
    pub province: Option<Province>,
    /// Index into [`pair_table`].
    pub pair: Option<usize>,
    /// Index into `config.tasks`.
    pub task: Option<usize>,
    pub year: Option<i32>,
}

/// Documents by position, each built when asked for.
pub trait DocSource: Sync {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn doc(&self, i: usize) -> SearchDoc<'_>;
    /// Characters of the document's body field.
    fn body_chars(&self, i: usize) -> usize;
}

impl DocSource for [SearchDoc<'_>] {
    fn len(&self) -> usize {
        <[SearchDoc<'_>]>::len(self)
    }
    fn doc(&self, i: usize) -> SearchDoc<'_> {
        let d = &self[i];
        SearchDoc {
            facets: d.facets,
            url: d.url.clone(),
            title: Cow::from(&*d.title),
            date: d.date.clone(),
            fields: std::array::from_fn(|g| Cow::from(&*d.fields[g])),
            summary: Cow::from(&*d.summary),
        }
    }
    fn body_chars(&self, i: usize) -> usize {
        self[i].fields[GROUPS - 1].chars().count()
    }
}

/// Every searchable document of a site in facet order, built one at a time on demand: the
/// tokenizer builds each just before reading it, so its texts are read from memory once.
pub struct Docs<'a> {
    site: &'a Site,
    /// Every document names its province and pair: their texts are made once.
    places: std::collections::HashMap<Province, String>,
    pair_texts: Vec<String>,
    order: Vec<(Source, DocFacets)>,
}

impl<'a> Docs<'a> {
    /// The documents of `site`, in facet order (type, province, pair, year, task, URL).
    pub fn new(site: &'a Site) -> Docs<'a> {
        let pairs = pair_table(site);
        let pair_index = |p: &Option<Pair>| p.and_then(|p| pairs.iter().position(|q| *q == p));
        let facets = |kind, province, pair, task, year| DocFacets {
            kind,
            province,
            pair,
            task,
            year,
        };
        let mut order: Vec<(Source, DocFacets)> = Vec::new();
        order.par_extend(site.cases.par_iter().enumerate().map(|(i, c)| {
            let f = facets(
                DocKind::Case,
                Some(c.province),
                pair_index(&c.pair),
                Some(c.task),
                Some(c.date.year),
            );
            (Source::Case(i), f)
        }));
        order.par_extend(site.brands.par_iter().enumerate().map(|(i, b)| {
            let f = facets(
                DocKind::Brand,
                Some(b.province),
                pair_index(&b.pair),
                None,
                None,
            );
            (Source::Brand(i), f)
        }));
        for (i, b) in site.bulletins.iter().enumerate() {
            let f = facets(DocKind::Bulletin, None, None, None, Some(b.date.year));
            order.push((Source::Bulletin(i), f));
        }
        for (i, p) in site.pages.iter().enumerate() {
            let f = facets(DocKind::Page, None, None, None, p.date.map(|d| d.year));
            order.push((Source::Page(i), f));
        }
        if !site.stats.is_empty() {
            let latest = site.stats.iter().map(|r| r.year).max();
            order.push((
                Source::Stats,
                facets(DocKind::Stats, None, None, None, latest),
            ));
        }
        // Ties on the facets go by URL; within one type URLs differ only in the slug before
        // their closing slash (bulletin slugs are made once, not at every comparison).
        let bulletin_slugs: Vec<String> = site.bulletins.iter().map(|b| b.slug()).collect();
        let slug = |s: Source| match s {
            Source::Case(i) => site.cases[i].slug.as_str(),
            Source::Brand(i) => site.brands[i].slug.as_str(),
            Source::Bulletin(i) => bulletin_slugs[i].as_str(),
            Source::Page(i) => site.pages[i].slug.as_str(),
            Source::Stats => "",
        };
        let key = |f: &DocFacets| (f.kind, f.province, f.pair, f.year, f.task);
        order.par_sort_by(|(sa, a), (sb, b)| {
            key(a).cmp(&key(b)).then_with(|| {
                let url = |s: Source| slug(s).bytes().chain(std::iter::once(b'/'));
                url(*sa).cmp(url(*sb))
            })
        });
        Docs {
            site,
            places: Province::all().map(|p| (p, place_text(p))).collect(),
            pair_texts: pairs.iter().map(pair_text).collect(),
            order,
        }
    }

    /// The facet values of the `i`-th document.
    pub fn facets(&self, i: usize) -> &DocFacets {
        &self.order[i].1
    }

    /// Every document's facet values, in order.
    pub fn all_facets(&self) -> impl Iterator<Item = &DocFacets> {
        self.order.iter().map(|(_, f)| f)
    }

    fn place(&self, p: Province) -> &str {
        self.places.get(&p).map_or("", String::as_str)
    }

    fn pair_text(&self, i: Option<usize>) -> &str {
        i.and_then(|i| self.pair_texts.get(i))
            .map_or("", String::as_str)
    }

    fn build(&self, source: Source, f: &DocFacets) -> SearchDoc<'a> {
        let site = self.site;
        let cfg = &site.config;
        match source {
            Source::Case(i) => {
                let c = &site.cases[i];
                let task = cfg.tasks.get(c.task).map_or("", |t| t.name.as_str());
                let tags = c.tags.join("\n");
                let meta = join(&[&tags, self.place(c.province), self.pair_text(f.pair), task]);
                // Subtitle and source weigh like the summary: long, and not worth pinyin tokens.
                let summary = join(&[
                    &c.summary,
                    c.subtitle.as_deref().unwrap_or(""),
                    c.source.as_deref().unwrap_or(""),
                    &headings(&c.body),
                ]);
                SearchDoc {
                    facets: *f,
                    url: cfg.base_url.local(&routes::case_dir(&c.slug)),
                    title: Cow::from(c.title.as_str()),
                    date: Some(c.date.to_string()),
                    fields: [
                        Cow::from(c.title.as_str()),
                        Cow::from(meta),
                        Cow::from(summary),
                        Cow::from(prefix(&c.body.text, BODY_INDEX_CHARS)),
                    ],
                    summary: Cow::from(c.summary.as_str()),
                }
            }
            Source::Brand(i) => {
                let b = &site.brands[i];
                let names = std::iter::once(b.name.as_str())
                    .chain(b.aliases.iter().map(String::as_str))
                    .collect::<Vec<_>>();
                let dest: Vec<&str> = b.destinations.iter().map(|p| p.short()).collect();
                let meta = join(&[
                    self.place(b.province),
                    b.city.as_deref().unwrap_or(""),
                    b.county.as_deref().unwrap_or(""),
                    &b.category,
                    &b.skills.join("\n"),
                    &b.honors.join("\n"),
                    &dest.join("\n"),
                    self.pair_text(f.pair),
                ]);
                SearchDoc {
                    facets: *f,
                    url: cfg.base_url.local(&routes::brand_dir(&b.slug)),
                    title: Cow::from(b.name.as_str()),
                    date: None,
                    fields: [
                        Cow::from(names.join("\n")),
                        Cow::from(meta),
                        Cow::from(join(&[&b.summary, &headings(&b.body)])),
                        Cow::from(prefix(&b.body.text, BODY_INDEX_CHARS)),
                    ],
                    summary: Cow::from(b.summary.as_str()),
                }
            }
            Source::Bulletin(i) => {
                let b = &site.bulletins[i];
                let label = format!("{}年第{}期", b.year, b.issue);
                // Each carried case is an item of the issue, printed with its title, subtitle
                // and summary: the issue is about what its items are about.
                let carried: Vec<&str> = b
                    .cases
                    .iter()
                    .filter_map(|&i| site.cases.get(i))
                    .flat_map(|c| {
                        [
                            c.title.as_str(),
                            c.subtitle.as_deref().unwrap_or(""),
                            c.summary.as_str(),
                        ]
                    })
                    .filter(|t| !t.is_empty())
                    .collect();
                SearchDoc {
                    facets: *f,
                    url: cfg.base_url.local(&routes::bulletin_dir(&b.slug())),
                    title: Cow::from(b.title.as_str()),
                    date: Some(b.date.to_string()),
                    fields: [
                        Cow::from(b.title.as_str()),
                        Cow::from(join(&[&label, "工作简报", &b.publisher])),
                        Cow::from(join(&[&b.summary, &carried.join("\n"), &headings(&b.body)])),
                        Cow::from(prefix(&b.body.text, BODY_INDEX_CHARS)),
                    ],
                    summary: Cow::from(b.summary.as_str()),
                }
            }
            Source::Page(i) => {
                let p = &site.pages[i];
                SearchDoc {
                    facets: *f,
                    url: cfg.base_url.local(&routes::page_dir(&p.slug)),
                    title: Cow::from(p.title.as_str()),
                    date: p.date.map(|d| d.to_string()),
                    fields: [
                        Cow::from(p.title.as_str()),
                        Cow::from(""),
                        Cow::from(join(&[&p.summary, &headings(&p.body)])),
                        Cow::from(prefix(&p.body.text, BODY_INDEX_CHARS)),
                    ],
                    summary: Cow::from(p.summary.as_str()),
                }
            }
            Source::Stats => stats_doc(site, *f),
        }
    }
}

impl DocSource for Docs<'_> {
    fn len(&self) -> usize {
        self.order.len()
    }

    fn doc(&self, i: usize) -> SearchDoc<'_> {
        let (source, f) = &self.order[i];
        self.build(*source, f)
    }

    fn body_chars(&self, i: usize) -> usize {
        let site = self.site;
        let body = match self.order[i].0 {
            Source::Case(i) => &site.cases[i].body,
            Source::Brand(i) => &site.brands[i].body,
            Source::Bulletin(i) => &site.bulletins[i].body,
            Source::Page(i) => &site.pages[i].body,
            Source::Stats => return 0,
        };
        body.chars.min(BODY_INDEX_CHARS)
    }
}

/// The /stats/ page: findable by 帮扶车间, 车间, 统计 and the name of every province with figures.
fn stats_doc(site: &Site, facets: DocFacets) -> SearchDoc<'static> {
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
    let summary = "就业帮扶车间数量、吸纳就业人数和脱贫人口就业情况统计（全国及各省份）".to_owned();
    SearchDoc {
        facets,
        url: site.config.base_url.local(routes::STATS_DIR),
        title: Cow::from(format!("{}统计", t.stats)),
        date: None,
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
