//! The routes table: every output of a site, what kind it is, where it is written and the URL it
//! is reached at. This is the only module that spells out the URL scheme; pages, feeds, the
//! sitemap, search documents, statistics and templates all take paths and URLs from here.
//!
//! [`plan`] is a pure function of the validated site (and the theme's asset names). It also finds
//! outputs that would land on the same path, such as a file in `content/static/` shadowing a
//! generated page, and reports them as content errors naming both. Load time needs record URLs
//! before the site exists (Markdown links between files are resolved while bodies render), so the
//! per-record folder functions below are public and used by `resolve` too.
//!
//! What each route is made from is not listed by hand: the renderer fingerprints the context its
//! template receives, which is everything the output can depend on (see `render`).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::config::BaseUrl;
use crate::diagnostic::{Diagnostic, Diagnostics, Place};
use crate::model::Site;
use crate::pair::Pair;
use crate::problem::{Lang, Problem};
use crate::province::Province;

/// Cases per list page.
pub const PER_PAGE: usize = 20;

/// Folder of the search index's files (its page is `search/index.html`).
pub const SEARCH_DIR: &str = "search/";
/// Folder of the theme's static files.
pub const THEME_DIR: &str = "theme/";
/// Folder of the statistics page and its open data.
pub const STATS_DIR: &str = "stats/";
pub const STATS_CSV: &str = "stats/workshops.csv";
pub const STATS_JSON: &str = "stats/workshops.json";
pub const FEED: &str = "atom.xml";
pub const BULLETIN_FEED: &str = "bulletins/atom.xml";
pub const SITEMAP: &str = "sitemap.xml";
/// Pages listed per sitemap file. Search engines take at most 50,000 URLs and (Baidu) 10 MB
/// per file; 30,000 entries, each under 300 bytes with slugs of at most 100 characters, stay
/// under both, as Zola's split does. A site with more pages gets `sitemap-1.xml`, … and
/// `sitemap.xml` becomes their index.
pub const SITEMAP_URLS: usize = 30_000;
pub const ROBOTS: &str = "robots.txt";
pub const NOT_FOUND: &str = "404.html";

/// Site folder of a case (`cases/SLUG/`).
pub fn case_dir(slug: &str) -> String {
    format!("cases/{slug}/")
}

pub fn brand_dir(slug: &str) -> String {
    format!("brands/{slug}/")
}

/// Site folder of a bulletin; its slug is `YEAR-ISSUE`.
pub fn bulletin_dir(slug: &str) -> String {
    format!("bulletins/{slug}/")
}

/// Site folder of a content page: directly under the root.
pub fn page_dir(slug: &str) -> String {
    format!("{slug}/")
}

pub fn province_dir(p: Province) -> String {
    format!("provinces/{}/", p.slug())
}

pub fn pair_dir(p: Pair) -> String {
    format!("pairs/{}/", p.slug())
}

pub fn task_dir(slug: &str) -> String {
    format!("tasks/{slug}/")
}

pub fn tag_dir(slug: &str) -> String {
    format!("tags/{slug}/")
}

/// Output path of a photo's copy `width` pixels wide: the largest copy takes the photo's own
/// path (`cases/a/photo.jpg`), so a link to the photo still works; the others add their width
/// before the extension (`cases/a/photo-480w.jpg`).
pub fn image_copy_path(own: &str, width: u32, largest: bool) -> String {
    if largest {
        return own.to_owned();
    }
    let name_start = own.rfind('/').map_or(0, |i| i + 1);
    match own[name_start..].rfind('.') {
        Some(dot) => {
            let (stem, ext) = own.split_at(name_start + dot);
            format!("{stem}-{width}w{ext}")
        }
        None => format!("{own}-{width}w"),
    }
}

/// Top-level names the generator writes itself, which a content page's slug may not take.
pub const RESERVED_TOP: &[&str] = &[
    "cases",
    "brands",
    "bulletins",
    "provinces",
    "pairs",
    "tasks",
    "tags",
    "stats",
    "search",
    "theme",
    "index.html",
    NOT_FOUND,
    FEED,
    SITEMAP,
    ROBOTS,
];

/// One output of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Home,
    CaseList {
        page: usize,
    },
    Case(usize),
    BrandList,
    Brand(usize),
    BulletinList,
    Bulletin(usize),
    ProvinceList,
    Province {
        province: Province,
        page: usize,
    },
    PairList,
    Pair {
        index: usize,
        page: usize,
    },
    TaskList,
    Task {
        index: usize,
        page: usize,
    },
    TagList,
    Tag {
        index: usize,
        page: usize,
    },
    Page(usize),
    Stats,
    Search,
    NotFound,
    Feed,
    BulletinFeed,
    Sitemap,
    /// One of the files the sitemap is split into (from 1), when the site has more than
    /// [`SITEMAP_URLS`] pages; `sitemap.xml` is then their index.
    SitemapPart(usize),
    Robots,
    StatsCsv,
    StatsJson,
    /// The search index: every file under [`SEARCH_DIR`] but the search page.
    SearchIndex,
    /// A theme static file, by index into the theme's assets.
    ThemeAsset(usize),
    /// A file copied as it is, by index into `site.files`.
    Copied(usize),
    /// A copy of a processed photo: `site.images[index].copies[copy]`.
    Image {
        index: usize,
        copy: usize,
    },
}

/// Number of list pages for `n` items (at least one, so an empty list still has its page).
pub fn pages_for(n: usize) -> usize {
    n.div_ceil(PER_PAGE).max(1)
}

/// The folder of a list's page `page` (`cases/`, `cases/page/2/`).
pub fn paged(base: &str, page: usize) -> String {
    if page <= 1 {
        base.to_owned()
    } else {
        format!("{base}page/{page}/")
    }
}

impl Route {
    /// Whether the route is an HTML page rendered from a template.
    pub fn is_page(self) -> bool {
        !matches!(
            self,
            Route::Feed
                | Route::BulletinFeed
                | Route::Sitemap
                | Route::SitemapPart(_)
                | Route::Robots
                | Route::StatsCsv
                | Route::StatsJson
                | Route::SearchIndex
                | Route::ThemeAsset(_)
                | Route::Copied(_)
                | Route::Image { .. }
        )
    }

    /// The site path a page is reached at, as a folder (`cases/a/`), or the file's own path.
    pub fn site_path(self, site: &Site, assets: &[String]) -> String {
        let tax = &site.taxonomies;
        match self {
            Route::Home => String::new(),
            Route::CaseList { page } => paged("cases/", page),
            Route::Case(i) => case_dir(&site.cases[i].slug),
            Route::BrandList => "brands/".into(),
            Route::Brand(i) => brand_dir(&site.brands[i].slug),
            Route::BulletinList => "bulletins/".into(),
            Route::Bulletin(i) => bulletin_dir(&site.bulletins[i].slug()),
            Route::ProvinceList => "provinces/".into(),
            Route::Province { province, page } => paged(&province_dir(province), page),
            Route::PairList => "pairs/".into(),
            Route::Pair { index, page } => paged(&pair_dir(tax.pairs[index].pair), page),
            Route::TaskList => "tasks/".into(),
            Route::Task { index, page } => paged(&task_dir(&site.config.tasks[index].slug), page),
            Route::TagList => "tags/".into(),
            Route::Tag { index, page } => paged(&tag_dir(&tax.tags[index].slug), page),
            Route::Page(i) => page_dir(&site.pages[i].slug),
            Route::Stats => STATS_DIR.into(),
            Route::Search => SEARCH_DIR.into(),
            Route::NotFound => NOT_FOUND.into(),
            Route::Feed => FEED.into(),
            Route::BulletinFeed => BULLETIN_FEED.into(),
            Route::Sitemap => SITEMAP.into(),
            Route::SitemapPart(n) => format!("sitemap-{n}.xml"),
            Route::Robots => ROBOTS.into(),
            Route::StatsCsv => STATS_CSV.into(),
            Route::StatsJson => STATS_JSON.into(),
            Route::SearchIndex => SEARCH_DIR.into(),
            Route::ThemeAsset(i) => format!("{THEME_DIR}{}", assets[i]),
            Route::Copied(i) => site.files[i].output.clone(),
            Route::Image { index, copy } => site.images[index].copies[copy].output.clone(),
        }
    }

    /// The file a route writes (`cases/a/index.html`); for the search index, its folder.
    pub fn output_path(self, site: &Site, assets: &[String]) -> String {
        let p = self.site_path(site, assets);
        if self.is_page() && (p.is_empty() || p.ends_with('/')) {
            format!("{p}index.html")
        } else {
            p
        }
    }
}

/// The site path of the HTML page an output file holds (`cases/a/index.html` → `cases/a/`,
/// `404.html` → `404.html`), the inverse of [`Route::output_path`] for pages; None for files
/// that are not pages.
pub fn page_of_output(output: &str) -> Option<&str> {
    match output.strip_suffix("index.html") {
        Some(folder) if folder.is_empty() || folder.ends_with('/') => Some(folder),
        _ => output.ends_with(".html").then_some(output),
    }
}

/// The URLs of the site's fixed pages and files, for templates (`site.urls.cases` …).
#[derive(Debug, serde::Serialize)]
pub struct SiteUrls {
    pub home: String,
    pub cases: String,
    pub brands: String,
    pub bulletins: String,
    pub provinces: String,
    pub pairs: String,
    pub tasks: String,
    pub tags: String,
    pub stats: String,
    pub search: String,
    pub search_ui: String,
    pub feed: String,
    pub bulletin_feed: String,
    /// The feeds' absolute URLs, shown for copying into a feed reader.
    pub feed_absolute: String,
    pub bulletin_feed_absolute: String,
    pub stats_csv: String,
    pub stats_json: String,
    /// `theme/NAME` static files by name (`style.css`).
    pub theme: BTreeMap<String, String>,
}

impl SiteUrls {
    pub fn new(base: &BaseUrl, assets: &[String]) -> SiteUrls {
        let u = |p: &str| base.local(p);
        SiteUrls {
            home: u(""),
            cases: u("cases/"),
            brands: u("brands/"),
            bulletins: u("bulletins/"),
            provinces: u("provinces/"),
            pairs: u("pairs/"),
            tasks: u("tasks/"),
            tags: u("tags/"),
            stats: u(STATS_DIR),
            search: u(SEARCH_DIR),
            search_ui: u(&format!("{SEARCH_DIR}ui.js")),
            feed: u(FEED),
            bulletin_feed: u(BULLETIN_FEED),
            feed_absolute: base.absolute(FEED),
            bulletin_feed_absolute: base.absolute(BULLETIN_FEED),
            stats_csv: u(STATS_CSV),
            stats_json: u(STATS_JSON),
            theme: assets
                .iter()
                .map(|a| (a.clone(), u(&format!("{THEME_DIR}{a}"))))
                .collect(),
        }
    }
}

/// Every output of a site, in a fixed order.
#[derive(Debug)]
pub struct Routes {
    /// HTML pages, rendered from templates.
    pub pages: Vec<Route>,
    /// Everything else: feeds, sitemap, open data, the search index, theme and copied files,
    /// copies of photos.
    pub files: Vec<Route>,
    /// The theme's static file names, which [`Route::ThemeAsset`] indexes.
    pub assets: Vec<String>,
}

impl Routes {
    pub fn output_path(&self, site: &Site, route: Route) -> String {
        route.output_path(site, &self.assets)
    }

    /// Root-relative URL of a route (`/dxbrs/cases/a/`).
    pub fn url(&self, site: &Site, route: Route) -> String {
        site.config
            .base_url
            .local(&route.site_path(site, &self.assets))
    }

    /// Absolute URL of a route, for feeds, the sitemap and `<meta>`.
    pub fn absolute_url(&self, site: &Site, route: Route) -> String {
        site.config
            .base_url
            .absolute(&route.site_path(site, &self.assets))
    }
}

/// Lists every output of the site and checks that no two land on the same path.
pub fn plan(site: &Site, assets: &[String]) -> Result<Routes, Vec<Diagnostic>> {
    let tax = &site.taxonomies;
    let mut pages = vec![Route::Home];
    pages.extend((1..=pages_for(site.cases.len())).map(|page| Route::CaseList { page }));
    pages.extend((0..site.cases.len()).map(Route::Case));
    pages.push(Route::BrandList);
    pages.extend((0..site.brands.len()).map(Route::Brand));
    pages.push(Route::BulletinList);
    pages.extend((0..site.bulletins.len()).map(Route::Bulletin));
    pages.push(Route::ProvinceList);
    for (&province, index) in &tax.provinces {
        pages.extend(
            (1..=pages_for(index.cases.len())).map(|page| Route::Province { province, page }),
        );
    }
    pages.push(Route::PairList);
    for (index, p) in tax.pairs.iter().enumerate() {
        pages.extend((1..=pages_for(p.cases.len())).map(|page| Route::Pair { index, page }));
    }
    pages.push(Route::TaskList);
    for (index, cases) in tax.tasks.iter().enumerate() {
        pages.extend((1..=pages_for(cases.len())).map(|page| Route::Task { index, page }));
    }
    pages.push(Route::TagList);
    for (index, tag) in tax.tags.iter().enumerate() {
        pages.extend((1..=pages_for(tag.cases.len())).map(|page| Route::Tag { index, page }));
    }
    pages.extend((0..site.pages.len()).map(Route::Page));
    pages.extend([Route::Stats, Route::Search, Route::NotFound]);

    let mut files = vec![
        Route::Feed,
        Route::BulletinFeed,
        Route::Sitemap,
        Route::Robots,
        Route::StatsCsv,
        Route::StatsJson,
        Route::SearchIndex,
    ];
    let listed = pages.iter().filter(|&&r| in_sitemap(r)).count();
    files.extend((1..=sitemap_parts(listed)).map(Route::SitemapPart));
    files.extend((0..assets.len()).map(Route::ThemeAsset));
    for (index, image) in site.images.iter().enumerate() {
        files.extend((0..image.copies.len()).map(|copy| Route::Image { index, copy }));
    }
    files.extend((0..site.files.len()).map(Route::Copied));
    let routes = Routes {
        pages,
        files,
        assets: assets.to_vec(),
    };
    check_collisions(site, &routes)?;
    Ok(routes)
}

/// How many files a sitemap of `listed` pages is split into: none up to [`SITEMAP_URLS`].
fn sitemap_parts(listed: usize) -> usize {
    if listed > SITEMAP_URLS {
        listed.div_ceil(SITEMAP_URLS)
    } else {
        0
    }
}

/// Whether a page is listed in the sitemap: every page but the "not found" one.
pub fn in_sitemap(route: Route) -> bool {
    route.is_page() && route != Route::NotFound
}

/// Who makes an output, as an author reads it: a content file, or a built-in page.
fn owner(site: &Site, routes: &Routes, route: Route) -> String {
    match route {
        Route::Copied(i) => site.files[i].shown.display().to_string(),
        Route::Image { index, .. } => site.images[index].shown.display().to_string(),
        Route::Case(i) => format!("content/{}", site.cases[i].origin.rel),
        Route::Brand(i) => format!("content/{}", site.brands[i].origin.rel),
        Route::Bulletin(i) => format!("content/{}", site.bulletins[i].origin.rel),
        Route::Page(i) => format!("content/{}", site.pages[i].origin.rel),
        _ => {
            let url = site
                .config
                .base_url
                .local(&route.site_path(site, &routes.assets));
            match (site.config.language, route.is_page()) {
                (Lang::Zh, true) => format!("内置页面 {url}"),
                (Lang::Zh, false) => format!("生成的文件 {url}"),
                (Lang::En, true) => format!("the built-in page {url}"),
                (Lang::En, false) => format!("the generated file {url}"),
            }
        }
    }
}

fn check_collisions(site: &Site, routes: &Routes) -> Result<(), Vec<Diagnostic>> {
    let mut taken: HashMap<String, Route> = HashMap::new();
    let mut diags = Diagnostics::new(site.config.language);
    // Generated outputs first, so a copied file is the one reported against a built-in page.
    for &route in routes.pages.iter().chain(&routes.files) {
        let path = routes.output_path(site, route);
        let author_file = matches!(route, Route::Copied(_) | Route::Image { .. });
        let clash = if author_file {
            taken.get(&path).copied().or_else(|| {
                path.starts_with(SEARCH_DIR)
                    .then_some(Route::SearchIndex)
                    .filter(|_| path != "search/index.html")
            })
        } else {
            taken.get(&path).copied()
        };
        match clash {
            Some(other) => {
                let place = match route {
                    Route::Copied(i) => Place::file(&site.files[i].shown),
                    Route::Image { index, .. } => Place::file(&site.images[index].shown),
                    _ => Place::file(Path::new(&owner(site, routes, route))),
                };
                let url = site.config.base_url.local(&path);
                let other = owner(site, routes, other);
                let problem = if let Route::Image { .. } = route {
                    Problem::ImageCopyCollision { url, other }
                } else if author_file {
                    Problem::CopiedFileCollision { url, other }
                } else {
                    Problem::UrlCollision { url, other }
                };
                diags.report(place, problem);
            }
            None => {
                taken.insert(path, route);
            }
        }
    }
    if diags.has_errors() {
        Err(diags.into_sorted())
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_pages_are_folders() {
        assert_eq!(paged("cases/", 1), "cases/");
        assert_eq!(paged("cases/", 3), "cases/page/3/");
        assert_eq!(pages_for(0), 1);
        assert_eq!(pages_for(20), 1);
        assert_eq!(pages_for(21), 2);
    }

    #[test]
    fn a_sitemap_is_split_only_past_its_limit() {
        assert_eq!(sitemap_parts(0), 0);
        assert_eq!(sitemap_parts(SITEMAP_URLS), 0);
        assert_eq!(sitemap_parts(SITEMAP_URLS + 1), 2);
        assert_eq!(sitemap_parts(3 * SITEMAP_URLS), 3);
        assert_eq!(sitemap_parts(3 * SITEMAP_URLS + 1), 4);
    }

    #[test]
    fn image_copies_sit_beside_the_photo() {
        assert_eq!(
            image_copy_path("cases/a/p.jpg", 480, false),
            "cases/a/p-480w.jpg"
        );
        assert_eq!(
            image_copy_path("cases/a/p.jpg", 1600, true),
            "cases/a/p.jpg"
        );
        assert_eq!(
            image_copy_path("x.y/logo.PNG", 960, false),
            "x.y/logo-960w.PNG"
        );
        assert_eq!(image_copy_path("x.y/logo", 960, false), "x.y/logo-960w");
    }
}
