//! Typed template contexts, one per page kind, and the small views they are made of.
//!
//! Views borrow from the site and are built once per record (cards) so that list pages only
//! pick slices of them. This is the theme contract: README.md lists these fields.

use serde::Serialize;

use crate::markdown::TocEntry;
use crate::media::{ARTICLE_SIZES, CARD_SIZES};
use crate::model::{Brand, Bulletin, CaseStudy, Picture, Site};
use crate::pair::Pair;
use crate::problem::Lang;
use crate::province::Province;
use crate::routes;

/// Site-wide values every template gets as `site`.
#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    /// Root-relative base path, always ending in `/` (`/dxbrs/`).
    pub base: &'a str,
    /// Absolute URL of the home page.
    pub url: String,
    pub language: &'static str,
    pub publisher: &'a str,
    pub site_id_code: &'a str,
    pub icp: &'a str,
    pub contact: &'a str,
    pub description: &'a str,
    /// URL of the header logo (site.yaml `logo`); the site's title is its text alternative.
    pub logo: Option<String>,
    pub nav: Vec<NavItem>,
    /// Pages from content/pages, for the footer.
    pub pages: Vec<Link>,
    /// URLs of the fixed pages and files (`site.urls.cases`, `site.urls.theme["style.css"]`).
    pub urls: routes::SiteUrls,
}

/// A top navigation entry; `key` matches `meta.section` on the active page.
#[derive(Debug, Serialize)]
pub struct NavItem {
    pub key: &'static str,
    pub title: &'static str,
    pub url: String,
}

/// Per-page head data: government `<meta>` names, canonical URL, section.
#[derive(Debug, Serialize, Default)]
pub struct Meta {
    pub title: String,
    /// The nav key of the section the page belongs to (`cases`, `brands` …).
    pub section: &'static str,
    /// 栏目名称 for `<meta name="ColumnName">`.
    pub column: String,
    /// 栏目类型: 首页, 列表, 文章 …
    pub column_type: &'static str,
    pub description: String,
    pub keywords: String,
    /// `YYYY-MM-DD HH:MM`, for `<meta name="PubDate">`.
    pub pub_date: String,
    pub source: String,
    /// Absolute URL of the page.
    pub url: String,
}

/// A titled link.
#[derive(Debug, Serialize, Clone)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// A titled link with a count of what it leads to.
#[derive(Debug, Serialize, Clone)]
pub struct CountedLink {
    pub title: String,
    pub url: String,
    pub count: usize,
    /// What the term is (a task's description); empty for most terms.
    pub description: String,
}

/// An image as a template writes it: `<img src srcset sizes width height alt>`.
#[derive(Debug, Serialize, Clone)]
pub struct ImageView {
    pub src: String,
    /// None for an image published as it is (SVG, GIF, WebP): it has one size.
    pub srcset: Option<String>,
    pub sizes: Option<&'static str>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub alt: String,
}

impl ImageView {
    /// `picture` shown `sizes` wide (a `sizes` attribute), described by `alt`.
    pub fn new(picture: &Picture, sizes: &'static str, alt: String) -> ImageView {
        ImageView {
            src: picture.src.clone(),
            sizes: picture.srcset.as_ref().map(|_| sizes),
            srcset: picture.srcset.clone(),
            width: picture.width,
            height: picture.height,
            alt,
        }
    }
}

/// The top of a card: the record's cover photo, or the words of a typographic card when it has
/// none (never an empty frame or a broken image).
#[derive(Debug, Serialize)]
pub struct CardCover {
    /// The cover, with an empty `alt`: the card's title beside it says what it is about, and a
    /// screen reader would read that twice.
    pub image: Option<ImageView>,
    /// Large words of the typographic card: the case's task, the brand's category.
    pub title: String,
    /// Small words under them: the province, the brand's place.
    pub note: String,
}

/// A case study as a list item.
#[derive(Debug, Serialize)]
pub struct CaseCard {
    pub url: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub date: String,
    pub province: Link,
    pub pair: Option<PairLink>,
    pub task: Link,
    pub summary: String,
    pub source: Option<String>,
    pub draft: bool,
    pub cover: CardCover,
}

/// A pair as a link, with its names.
#[derive(Debug, Serialize, Clone)]
pub struct PairLink {
    pub name: String,
    pub short_name: String,
    pub url: String,
    pub east: Link,
    pub west: Link,
}

/// A brand as a list item.
#[derive(Debug, Serialize)]
pub struct BrandCard {
    pub url: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub province: Link,
    pub place: String,
    pub category: String,
    pub workers: Option<u64>,
    pub summary: String,
    pub cover: CardCover,
}

/// A bulletin as a list item.
#[derive(Debug, Serialize)]
pub struct BulletinCard {
    pub url: String,
    pub title: String,
    /// `2025年第1期`.
    pub issue_label: String,
    /// `总第37期`, if numbered overall.
    pub total_label: Option<String>,
    pub date: String,
    pub summary: String,
}

/// Pagination state of a list page.
#[derive(Debug, Serialize)]
pub struct Paginator {
    pub current: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PageNumber>,
    pub total_items: usize,
}

/// One page number in a pagination bar; `url` is None for gaps (…).
#[derive(Debug, Serialize)]
pub struct PageNumber {
    pub number: usize,
    pub url: Option<String>,
    pub current: bool,
}

/// `/` home page.
#[derive(Debug, Serialize)]
pub struct HomeContext<'a> {
    pub meta: Meta,
    pub latest_cases: Vec<&'a CaseCard>,
    pub bulletins: Vec<&'a BulletinCard>,
    pub brands: Vec<&'a BrandCard>,
    pub tasks: Vec<CountedLink>,
    pub pairs: Vec<&'a PairLink>,
    pub counts: Counts,
    pub headline: Option<super::statsview::Headline>,
}

/// Totals shown on the home page.
#[derive(Debug, Serialize)]
pub struct Counts {
    pub cases: usize,
    pub brands: usize,
    pub bulletins: usize,
    pub provinces: usize,
}

/// A paginated list of cases: `/cases/`, a task, a tag, a province or a pair hub.
#[derive(Debug, Serialize)]
pub struct CaseListContext<'a> {
    pub meta: Meta,
    /// What the list is of: `cases`, `task`, `tag`, `province` or `pair`.
    pub kind: &'static str,
    pub heading: String,
    pub cases: Vec<&'a CaseCard>,
    pub paginator: Paginator,
    /// Hub extras, filled on the first page of province and pair hubs only.
    pub brands: Vec<&'a BrandCard>,
    pub partners: Vec<&'a PairLink>,
    pub stats: Vec<super::statsview::ProvinceRow>,
    /// The province's workshops by year.
    pub stats_chart: Option<crate::chart::Chart>,
    pub province: Option<ProvinceView>,
    pub pair: Option<&'a PairLink>,
    /// What the listed term is: a task's description from site.yaml; empty otherwise.
    pub description: String,
}

/// A province's names.
#[derive(Debug, Serialize)]
pub struct ProvinceView {
    pub name: &'static str,
    pub short: &'static str,
    pub name_en: &'static str,
    pub slug: &'static str,
    pub region: &'static str,
    /// One-character abbreviation (黔), empty for 兵团.
    pub abbr: String,
}

/// `/cases/SLUG/`.
#[derive(Debug, Serialize)]
pub struct CaseContext<'a> {
    pub meta: Meta,
    pub case: &'a CaseCard,
    pub tags: Vec<Link>,
    pub content: &'a str,
    pub toc: &'a [TocEntry],
    /// Whether the headings number themselves (`一、`, `1.`, `（一）`), so the table of contents
    /// must not number them again.
    pub toc_numbered: bool,
    /// The cover photo at the head of the article; its `alt` is the case's title.
    pub cover: Option<ImageView>,
    pub prev: Option<Link>,
    pub next: Option<Link>,
    pub related: Vec<&'a CaseCard>,
    pub bulletins: Vec<Link>,
}

/// `/brands/`.
#[derive(Debug, Serialize)]
pub struct BrandListContext<'a> {
    pub meta: Meta,
    pub categories: Vec<BrandGroup<'a>>,
    pub total: usize,
    /// Brands per province on the tile grid.
    pub tile_chart: Option<crate::chart::TileMap>,
    /// Brands per category.
    pub category_chart: Option<crate::chart::Chart>,
}

/// Brands of one category.
#[derive(Debug, Serialize)]
pub struct BrandGroup<'a> {
    pub name: String,
    pub brands: Vec<&'a BrandCard>,
}

/// `/brands/SLUG/`.
#[derive(Debug, Serialize)]
pub struct BrandContext<'a> {
    pub meta: Meta,
    pub brand: &'a BrandCard,
    pub skills: &'a [String],
    pub workers_note: Option<&'a str>,
    pub honors: &'a [String],
    pub destinations: Vec<Link>,
    pub pair: Option<&'a PairLink>,
    pub content: &'a str,
    /// The cover photo at the head of the profile; its `alt` is the brand's name.
    pub cover: Option<ImageView>,
    /// A few brands of the same province (see `pages::nearby_brands`).
    pub same_province: Vec<&'a BrandCard>,
    /// How many brands the province has, when more than the page shows: a link leads to them.
    pub province_brands: Option<usize>,
    pub cases: Vec<&'a CaseCard>,
}

/// `/bulletins/`.
#[derive(Debug, Serialize)]
pub struct BulletinListContext<'a> {
    pub meta: Meta,
    pub years: Vec<BulletinYear<'a>>,
}

/// Bulletins of one year.
#[derive(Debug, Serialize)]
pub struct BulletinYear<'a> {
    pub year: u32,
    pub bulletins: Vec<&'a BulletinCard>,
}

/// `/bulletins/YEAR-ISSUE/`.
#[derive(Debug, Serialize)]
pub struct BulletinContext<'a> {
    pub meta: Meta,
    pub bulletin: &'a BulletinCard,
    pub publisher: &'a str,
    pub date_cn: String,
    pub content: &'a str,
    pub cases: Vec<&'a CaseCard>,
    pub distribution: Vec<LabelValue<'a>>,
}

/// A label and its text.
#[derive(Debug, Serialize)]
pub struct LabelValue<'a> {
    pub label: &'a str,
    pub value: &'a str,
}

/// An index of terms: `/provinces/`, `/pairs/`, `/tasks/`, `/tags/`.
#[derive(Debug, Serialize)]
pub struct TermListContext {
    pub meta: Meta,
    pub kind: &'static str,
    pub heading: String,
    pub groups: Vec<TermGroup>,
}

/// Terms under one heading (e.g. the provinces of one region).
#[derive(Debug, Serialize)]
pub struct TermGroup {
    pub name: String,
    pub terms: Vec<CountedLink>,
}

/// A content page (`/about/`).
#[derive(Debug, Serialize)]
pub struct PageContext<'a> {
    pub meta: Meta,
    pub title: &'a str,
    pub date: Option<String>,
    pub content: &'a str,
    pub toc: &'a [TocEntry],
}

/// `/stats/`.
#[derive(Debug, Serialize)]
pub struct StatsContext {
    pub meta: Meta,
    pub stats: super::statsview::StatsParts,
    pub csv_url: String,
    pub json_url: String,
}

/// `/404.html` and `/search/`: nothing beyond `site`, `t` and `meta`.
#[derive(Debug, Serialize)]
pub struct NotFoundContext {
    pub meta: Meta,
}

/// A pair's name as pages show it: `北京–内蒙古`. The pair's own name joins the provinces with an
/// em dash, which Chinese fonts draw as a short stroke that reads as 一 (`北京一内蒙古`); an en
/// dash cannot be taken for a character.
pub fn pair_display_name(pair: Pair, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{}–{}", pair.east.short(), pair.west.short()),
        Lang::En => pair.name_en(),
    }
}

/// Whether headings number themselves: every top-level heading of the contents starts with a
/// Chinese or Arabic ordinal (`一、`, `（二）`, `3.`, `第四章`), as Chinese official texts do.
pub fn headings_numbered(toc: &[TocEntry]) -> bool {
    fn numbered(title: &str) -> bool {
        let t = title.trim_start();
        let t = t
            .strip_prefix('（')
            .or_else(|| t.strip_prefix('('))
            .or_else(|| t.strip_prefix('第'))
            .unwrap_or(t);
        let digits: String = t
            .chars()
            .take_while(|c| c.is_ascii_digit() || "一二三四五六七八九十百零".contains(*c))
            .collect();
        let rest = &t[digits.len()..];
        !digits.is_empty()
            && rest.starts_with([
                '、', '.', '．', '）', ')', '是', '章', '节', '部', ' ', '　',
            ])
    }
    let Some(top) = toc.iter().map(|h| h.level).min() else {
        return false;
    };
    toc.iter()
        .filter(|h| h.level == top)
        .all(|h| numbered(&h.title))
}

/// Builds views from model records with the site's URLs.
pub struct Views<'a> {
    pub site: &'a Site,
    pub cases: Vec<CaseCard>,
    pub brands: Vec<BrandCard>,
    pub bulletins: Vec<BulletinCard>,
    pub pairs: Vec<PairLink>,
}

impl<'a> Views<'a> {
    /// Builds every card once.
    pub fn new(site: &'a Site) -> Views<'a> {
        let mut v = Views {
            site,
            cases: Vec::new(),
            brands: Vec::new(),
            bulletins: Vec::new(),
            pairs: Vec::new(),
        };
        v.pairs = site
            .taxonomies
            .pairs
            .iter()
            .map(|p| v.pair_link(p.pair))
            .collect();
        v.cases = site.cases.iter().map(|c| v.case_card(c)).collect();
        v.brands = site.brands.iter().map(|b| v.brand_card(b)).collect();
        v.bulletins = site.bulletins.iter().map(|b| v.bulletin_card(b)).collect();
        v
    }

    /// Root-relative URL of a site path.
    pub fn url(&self, path: &str) -> String {
        self.site.config.base_url.local(path)
    }

    pub fn lang(&self) -> Lang {
        self.site.config.language
    }

    pub fn province_link(&self, p: Province) -> Link {
        let title = match self.lang() {
            Lang::Zh => p.name().to_owned(),
            Lang::En => p.name_en().to_owned(),
        };
        Link {
            title,
            url: self.url(&routes::province_dir(p)),
        }
    }

    pub fn pair_link(&self, pair: Pair) -> PairLink {
        PairLink {
            name: pair_display_name(pair, self.lang()),
            short_name: pair.short_name(),
            url: self.url(&routes::pair_dir(pair)),
            east: self.province_link(pair.east),
            west: self.province_link(pair.west),
        }
    }

    pub fn task_link(&self, task: usize) -> Link {
        let t = &self.site.config.tasks[task];
        Link {
            title: t.name.clone(),
            url: self.url(&routes::task_dir(&t.slug)),
        }
    }

    fn case_card(&self, c: &CaseStudy) -> CaseCard {
        let province = self.province_link(c.province);
        let task = self.task_link(c.task);
        let cover = CardCover {
            image: c.cover.as_ref().map(card_image),
            title: task.title.clone(),
            note: province.title.clone(),
        };
        CaseCard {
            url: self.url(&routes::case_dir(&c.slug)),
            title: c.title.clone(),
            subtitle: c.subtitle.clone(),
            date: c.date.to_string(),
            province,
            pair: c.pair.map(|p| self.pair_link(p)),
            task,
            summary: c.summary.clone(),
            source: c.source.clone(),
            draft: c.draft,
            cover,
        }
    }

    fn brand_card(&self, b: &Brand) -> BrandCard {
        let mut place = String::new();
        for part in [
            Some(b.province.short()),
            b.city.as_deref(),
            b.county.as_deref(),
        ]
        .into_iter()
        .flatten()
        {
            if !place.is_empty() && self.lang() == Lang::En {
                place.push_str(", ");
            }
            place.push_str(part);
        }
        BrandCard {
            cover: CardCover {
                image: b.cover.as_ref().map(card_image),
                title: b.category.clone(),
                note: place.clone(),
            },
            url: self.url(&routes::brand_dir(&b.slug)),
            name: b.name.clone(),
            aliases: b.aliases.clone(),
            province: self.province_link(b.province),
            place,
            category: b.category.clone(),
            workers: b.workers,
            summary: b.summary.clone(),
        }
    }

    fn bulletin_card(&self, b: &Bulletin) -> BulletinCard {
        let (issue_label, total_label) = match self.lang() {
            Lang::Zh => (
                format!("{}年第{}期", b.year, b.issue),
                b.total_issue.map(|n| format!("总第{n}期")),
            ),
            Lang::En => (
                format!("{} No. {}", b.year, b.issue),
                b.total_issue.map(|n| format!("No. {n} overall")),
            ),
        };
        BulletinCard {
            url: self.url(&routes::bulletin_dir(&b.slug())),
            title: b.title.clone(),
            issue_label,
            total_label,
            date: b.date.to_string(),
            summary: b.summary.clone(),
        }
    }
}

/// A cover as a card shows it.
fn card_image(picture: &Picture) -> ImageView {
    ImageView::new(picture, CARD_SIZES, String::new())
}

/// A cover as the head of its article shows it, described by the article's title.
pub fn article_image(picture: &Picture, title: &str) -> ImageView {
    ImageView::new(picture, ARTICLE_SIZES, title.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toc(titles: &[(u8, &str)]) -> Vec<TocEntry> {
        titles
            .iter()
            .map(|(level, title)| TocEntry {
                level: *level,
                id: String::new(),
                title: (*title).to_owned(),
            })
            .collect()
    }

    #[test]
    fn headings_that_number_themselves() {
        for numbered in [
            &[
                (2, "一、“一站”：务工服务站"),
                (3, "服务内容"),
                (2, "二、成效"),
            ][..],
            &[(2, "（一）摸清底数"), (2, "（二）精准对接")],
            &[(2, "1. 背景"), (2, "2．做法")],
            &[(2, "第一章 总则"), (2, "第二章 分则")],
            &[(2, "一是建机制"), (2, "二是强服务")],
        ] {
            assert!(headings_numbered(&toc(numbered)), "{numbered:?}");
        }
        for plain in [
            &[(2, "主要做法"), (2, "一、成效")][..],
            &[(2, "一站式服务"), (2, "二手车市场")],
            &[(2, "2024年成效"), (2, "经验")],
            &[],
        ] {
            assert!(!headings_numbered(&toc(plain)), "{plain:?}");
        }
    }

    #[test]
    fn pair_names_join_with_a_dash_that_is_not_a_character() {
        let pair = Pair {
            east: crate::province::parse("北京").unwrap(),
            west: crate::province::parse("内蒙古").unwrap(),
        };
        assert_eq!(pair_display_name(pair, Lang::Zh), "北京–内蒙古");
        assert!(!pair_display_name(pair, Lang::Zh).contains('—'));
    }
}
