//! The validated site: plain data, every record in its finished state.
//!
//! Built by [`crate::resolve::load_site`]; read by rendering and (later) search. Nothing here is
//! mutated after loading, and nothing here reads files or knows about templates.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;
use std::path::PathBuf;

use crate::config::SiteConfig;
use crate::date::Date;
use crate::markdown::TocEntry;
use crate::pair::Pair;
use crate::province::Province;

/// Everything a site says, validated.
#[derive(Debug)]
pub struct Site {
    pub config: SiteConfig,
    /// Newest first (date, then slug).
    pub cases: Vec<CaseStudy>,
    /// By province code, then slug.
    pub brands: Vec<Brand>,
    /// Newest first (year, then issue).
    pub bulletins: Vec<Bulletin>,
    /// By slug.
    pub pages: Vec<Page>,
    /// By date, then region.
    pub stats: Vec<WorkshopRecord>,
    /// Files copied as they are: `static/` and the files beside page bundles.
    pub files: Vec<CopiedFile>,
    /// JPEG and PNG photos of `static/` and the bundles, published as resized copies.
    pub images: Vec<Image>,
    /// Indexes derived from the records above.
    pub taxonomies: Taxonomies,
}

impl Site {
    /// Fingerprint of everything the site says (settings and records, not the copied files'
    /// bytes): equal fingerprints mean outputs computed from the whole site, such as the
    /// search index, are equal too. Derived indexes are functions of these records.
    pub fn content_fingerprint(&self) -> crate::output::Fingerprint {
        let mut h = crate::output::FingerprintWriter::default();
        (
            &self.config,
            &self.cases,
            &self.brands,
            &self.bulletins,
            &self.pages,
            &self.stats,
        )
            .hash(&mut h);
        h.finish()
    }
}

/// Rendered Markdown of a record.
#[derive(Clone, Debug, Default, Hash)]
pub struct Body {
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// Plain text of the Markdown (no markup), for search and excerpts.
    pub text: String,
    /// Characters in `text`, counted while it is fresh (the search index needs every body's
    /// length before it reads any).
    pub chars: usize,
}

/// Where a record came from, for messages and links.
#[derive(Clone, Debug, Hash)]
pub struct Origin {
    /// Content-relative path (`cases/a.md`).
    pub rel: String,
}

/// 典型经验: a case study.
#[derive(Clone, Debug, Hash)]
pub struct CaseStudy {
    pub slug: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub date: Date,
    pub province: Province,
    pub pair: Option<Pair>,
    /// Index into `config.tasks`.
    pub task: usize,
    pub tags: Vec<String>,
    pub source: Option<String>,
    pub summary: String,
    pub cover: Option<Picture>,
    pub draft: bool,
    pub body: Body,
    pub origin: Origin,
}

/// 劳务品牌: a labour brand profile.
#[derive(Clone, Debug, Hash)]
pub struct Brand {
    pub slug: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub province: Province,
    pub city: Option<String>,
    pub county: Option<String>,
    pub category: String,
    pub skills: Vec<String>,
    pub workers: Option<u64>,
    pub workers_note: Option<String>,
    pub honors: Vec<String>,
    pub destinations: Vec<Province>,
    pub pair: Option<Pair>,
    pub summary: String,
    pub cover: Option<Picture>,
    pub draft: bool,
    pub body: Body,
    pub origin: Origin,
}

/// 工作简报: one numbered issue of the ministry's bulletin.
#[derive(Clone, Debug, Hash)]
pub struct Bulletin {
    pub year: u32,
    pub issue: u32,
    pub total_issue: Option<u32>,
    pub date: Date,
    pub publisher: String,
    pub title: String,
    pub summary: String,
    /// Indices into `Site::cases`, in the order carried.
    pub cases: Vec<usize>,
    /// 报/送/发 and their recipients, in the order written.
    pub distribution: Vec<(String, String)>,
    pub draft: bool,
    pub body: Body,
    pub origin: Origin,
}

impl Bulletin {
    /// `2025-1`, the URL segment.
    pub fn slug(&self) -> String {
        format!("{}-{}", self.year, self.issue)
    }
}

/// A standalone page (关于本站, 政策文件 …).
#[derive(Clone, Debug, Hash)]
pub struct Page {
    pub slug: String,
    pub title: String,
    pub date: Option<Date>,
    pub summary: String,
    pub draft: bool,
    pub body: Body,
    pub origin: Origin,
}

/// Who a statistics record is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StatsRegion {
    /// A published national figure (`province: 全国`).
    National,
    Province(Province),
}

/// 就业帮扶车间 figures for one region at one date.
#[derive(Clone, Debug, Hash)]
pub struct WorkshopRecord {
    pub region: StatsRegion,
    pub year: i32,
    pub as_of: Date,
    pub scope: Option<String>,
    pub workshops: Option<u64>,
    pub employed: Option<u64>,
    pub poverty_alleviated: Option<u64>,
    pub monitored: Option<u64>,
    pub relocation_site: Option<u64>,
    pub source: Option<String>,
    pub note: Option<String>,
    pub origin: Origin,
    pub line: usize,
}

/// A file an author supplied that is published beside the pages (`static/`, bundle files).
#[derive(Clone, Debug)]
pub struct CopiedFile {
    /// Where it is on disk.
    pub source: PathBuf,
    /// Its path as the author knows it (`content/static/logo.svg`), for messages.
    pub shown: PathBuf,
    /// Output path relative to the site root (`cases/minning-zhen/map.svg`).
    pub output: String,
    /// What is written: the file itself, or bytes made from it at load time.
    pub publish: Publish,
}

/// How a [`CopiedFile`] reaches the output.
#[derive(Clone, Debug)]
pub enum Publish {
    /// Copied byte for byte (images, PDFs, trusted files).
    AsIs,
    /// These bytes instead of the file's own: an SVG reduced to what cannot run script.
    Bytes(Vec<u8>),
}

/// A photo or drawing (JPEG or PNG) of the content, published as copies made from its pixels:
/// upright, without any of the original's metadata, at a few widths.
#[derive(Clone, Debug)]
pub struct Image {
    /// Content-relative path (`cases/a/photo.jpg`), as Markdown and `cover:` name it.
    pub rel: String,
    /// Its path as the author knows it, for messages.
    pub shown: PathBuf,
    /// Narrowest first; the last is published under the photo's own name.
    pub copies: Vec<ImageCopy>,
}

/// One published copy of an [`Image`].
#[derive(Clone, Debug)]
pub struct ImageCopy {
    pub width: u32,
    pub height: u32,
    /// Output path (`cases/a/photo-480w.jpg`), from `routes::image_copy_path`.
    pub output: String,
    /// Where the build cache holds its bytes.
    pub cached: PathBuf,
    /// Fingerprint of what it is made from: the photo's content, the width and the settings.
    pub made_from: crate::output::Fingerprint,
}

/// An image as pages show it: its URL and, for a processed photo, the URLs of its copies by
/// width and its size (for `srcset` and the `width`/`height` that keep the layout still).
#[derive(Clone, Debug, Hash, PartialEq, Eq, serde::Serialize)]
pub struct Picture {
    /// Root-relative URL of the copy browsers without `srcset` load.
    pub src: String,
    /// `URL 480w, URL 960w, …`; None for files published as they are (SVG, GIF, WebP).
    pub srcset: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// Derived indexes; all `usize` values index `Site::cases` or `Site::brands`.
#[derive(Debug, Default)]
pub struct Taxonomies {
    /// By slug.
    pub tags: Vec<Tag>,
    /// Tag name → index into `tags`.
    pub tag_by_name: HashMap<String, usize>,
    /// Provinces with any content, by code.
    pub provinces: BTreeMap<Province, ProvinceIndex>,
    /// The configured pairs first, in their order, then pairs found only in content.
    pub pairs: Vec<PairIndex>,
    /// Per task (index of `config.tasks`), its cases.
    pub tasks: Vec<Vec<usize>>,
    /// Per case, up to `taxonomy::RELATED` related cases, best first.
    pub related: Vec<Vec<usize>>,
    /// Per case, the bulletins carrying it (indices into `Site::bulletins`).
    pub case_bulletins: Vec<Vec<usize>>,
    /// Per brand, cases of its province naming it in their title or summary, newest first.
    pub brand_cases: Vec<Vec<usize>>,
}

/// One tag and the cases carrying it.
#[derive(Debug, Clone)]
pub struct Tag {
    pub name: String,
    pub slug: String,
    pub cases: Vec<usize>,
}

/// What a province hub lists.
#[derive(Debug, Clone, Default)]
pub struct ProvinceIndex {
    /// Cases reported by the province or naming it as partner.
    pub cases: Vec<usize>,
    pub brands: Vec<usize>,
    /// Pairs the province belongs to (configured or seen in content).
    pub pairs: Vec<Pair>,
}

/// What a pair hub lists.
#[derive(Debug, Clone)]
pub struct PairIndex {
    pub pair: Pair,
    /// Whether the pair is in the configured list (else it came from a case or brand).
    pub configured: bool,
    pub cases: Vec<usize>,
    pub brands: Vec<usize>,
}
