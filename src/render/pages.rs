//! The HTML pages of a site: the context each route's template gets, and the rendering of one
//! route into the sink (or its reuse, when its context is the one of the last build).

use std::collections::BTreeMap;

use crate::model::Site;
use crate::output::Fingerprint;
use crate::problem::Lang;
use crate::province::{Province, Region};
use crate::routes::{self, PER_PAGE, Route, Routes, pages_for};

use super::context::*;
use super::{RenderError, Sink};
use crate::texts::{Texts, texts};
use crate::theme::Theme;

/// The `site` value every template gets.
pub fn site_view<'a>(site: &'a Site, routes: &Routes) -> SiteView<'a> {
    let c = &site.config;
    let t = texts(c.language);
    let urls = routes::SiteUrls::new(&c.base_url, &routes.assets);
    let nav_item = |key, title, url: &str| NavItem {
        key,
        title,
        url: url.to_owned(),
    };
    SiteView {
        title: &c.title,
        base: &c.base_url.path,
        url: c.base_url.absolute(""),
        language: t.lang,
        publisher: &c.publisher,
        site_id_code: &c.site_id_code,
        icp: &c.icp,
        contact: &c.contact,
        description: &c.description,
        logo: c.logo.as_ref().and_then(|logo| {
            if let Some(i) = site.files.iter().position(|f| f.output == logo.path) {
                return Some(routes.url(site, Route::Copied(i)));
            }
            // A PNG or JPEG logo: its largest copy, which takes its own name.
            site.images.iter().enumerate().find_map(|(index, image)| {
                let copy = image.copies.len().checked_sub(1)?;
                (image.copies[copy].output == logo.path)
                    .then(|| routes.url(site, Route::Image { index, copy }))
            })
        }),
        nav: vec![
            nav_item("home", t.home, &urls.home),
            nav_item("cases", t.cases, &urls.cases),
            nav_item("brands", t.brands, &urls.brands),
            nav_item("bulletins", t.bulletins, &urls.bulletins),
            nav_item("provinces", t.provinces, &urls.provinces),
            nav_item("tasks", t.tasks, &urls.tasks),
            nav_item("stats", t.stats, &urls.stats),
        ],
        pages: (0..site.pages.len())
            .map(|i| Link {
                title: site.pages[i].title.clone(),
                url: routes.url(site, Route::Page(i)),
            })
            .collect(),
        urls,
    }
}

/// The cases a list shows: every case in site order, or those of an index (a province's, a
/// task's). `All` is no list of every index: the case list has a page per 20 cases, and
/// building such a list for each of them made its pages cost grow with the square of the site.
#[derive(Clone, Copy)]
enum Cases<'a> {
    All,
    Only(&'a [usize]),
}

impl Cases<'_> {
    fn len(self, site: &Site) -> usize {
        match self {
            Cases::All => site.cases.len(),
            Cases::Only(list) => list.len(),
        }
    }
}

/// Everything a route needs to render.
pub struct Renderer<'a> {
    pub site: &'a Site,
    pub routes: &'a Routes,
    pub views: &'a Views<'a>,
    pub site_view: &'a SiteView<'a>,
    pub theme: &'a Theme,
    pub globals: &'a crate::theme::Globals,
    pub sink: &'a dyn Sink,
    /// Fingerprint of what every page shares: the binary, the theme's templates and the
    /// globals. A page's own inputs are its context.
    pub seed: Fingerprint,
    /// Pages rendered (not reused) so far.
    pub rendered: std::sync::atomic::AtomicUsize,
}

impl Renderer<'_> {
    /// Renders `template` with `context` into the route's output, unless the last build made
    /// that output from the same template set and context (then the file is kept as it is).
    fn page<T: serde::Serialize>(
        &self,
        route: Route,
        template: &str,
        context: &T,
    ) -> Result<(), RenderError> {
        let path = self.routes.output_path(self.site, route);
        let write_error = |source| RenderError::Write {
            path: path.clone(),
            source,
        };
        let inputs = crate::fingerprint::of_value(self.seed, &(template, context))
            .map_err(|e| RenderError::Template(format!("{template}: {e}")))?;
        if self.sink.reuse(&path, inputs).map_err(write_error)? {
            return Ok(());
        }
        let html = self
            .theme
            .render(template, context, self.globals)
            .map_err(RenderError::Template)?;
        self.rendered
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.sink
            .emit_made_from(&path, inputs, html.into_bytes())
            .map_err(write_error)
    }

    fn t(&self) -> &'static Texts {
        texts(self.site.config.language)
    }

    fn meta(
        &self,
        route: Route,
        title: String,
        section: &'static str,
        column_type: &'static str,
    ) -> Meta {
        let column = self
            .site_view
            .nav
            .iter()
            .find(|n| n.key == section)
            .map_or_else(|| self.site.config.title.clone(), |n| n.title.to_owned());
        Meta {
            title,
            section,
            column,
            column_type,
            description: self.site.config.description.clone(),
            url: self.routes.absolute_url(self.site, route),
            source: self.site.config.publisher.clone(),
            ..Meta::default()
        }
    }

    fn paginator(&self, base: &str, page: usize, total_items: usize) -> Paginator {
        let total = pages_for(total_items);
        let url = |n: usize| self.views.url(&routes::paged(base, n));
        let pages = page_numbers(page, total)
            .into_iter()
            .map(|(number, shown)| PageNumber {
                number,
                url: shown.then(|| url(number)),
                current: shown && number == page,
            })
            .collect();
        Paginator {
            current: page,
            total,
            prev: (page > 1).then(|| url(page - 1)),
            next: (page < total).then(|| url(page + 1)),
            pages,
            total_items,
        }
    }

    fn case_slice(&self, list: Cases<'_>, page: usize) -> Vec<&CaseCard> {
        let start = (page - 1) * PER_PAGE;
        let cards = &self.views.cases;
        match list {
            Cases::All => cards.iter().skip(start).take(PER_PAGE).collect(),
            Cases::Only(list) => list
                .iter()
                .skip(start)
                .take(PER_PAGE)
                .map(|&i| &cards[i])
                .collect(),
        }
    }

    fn task_counts(&self) -> Vec<CountedLink> {
        self.site
            .taxonomies
            .tasks
            .iter()
            .enumerate()
            .map(|(i, cases)| {
                let l = self.views.task_link(i);
                CountedLink {
                    title: l.title,
                    url: l.url,
                    count: cases.len(),
                    description: self.site.config.tasks[i].description.clone(),
                }
            })
            .collect()
    }

    /// Renders a route into the sink.
    pub fn render(&self, route: Route) -> Result<(), RenderError> {
        match route {
            Route::Case(i) => self.render_case(route, i),
            Route::Brand(i) => self.render_brand(route, i),
            Route::Home => self.render_home(route),
            Route::CaseList { page } => self.render_case_list(route, page),
            Route::BrandList => self.render_brand_list(route),
            Route::BulletinList => self.render_bulletin_list(route),
            Route::Bulletin(i) => self.render_bulletin(route, i),
            Route::ProvinceList => self.render_province_list(route),
            Route::Province { province, page } => self.render_province(route, province, page),
            Route::PairList => self.render_pair_list(route),
            Route::Pair { index, page } => self.render_pair(route, index, page),
            Route::TaskList => self.render_task_list(route),
            Route::Task { index, page } => self.render_task(route, index, page),
            Route::TagList => self.render_tag_list(route),
            Route::Tag { index, page } => self.render_tag(route, index, page),
            Route::Page(i) => self.render_content_page(route, i),
            Route::Stats => self.render_stats(route),
            Route::Search => self.render_search(route),
            Route::NotFound => self.render_not_found(route),
            // Not pages: written by feeds, statistics, search and the copier.
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
            | Route::Image { .. } => Ok(()),
        }
    }

    fn list(
        &self,
        route: Route,
        (kind, section): (&'static str, &'static str),
        heading: String,
        list: Cases<'_>,
        base: &str,
        page: usize,
    ) -> CaseListContext<'_> {
        let title = if page > 1 {
            format!(
                "{heading} · {}",
                self.t().page.replace("{n}", &page.to_string())
            )
        } else {
            heading.clone()
        };
        CaseListContext {
            meta: self.meta(route, title, section, "列表"),
            kind,
            heading,
            cases: self.case_slice(list, page),
            paginator: self.paginator(base, page, list.len(self.site)),
            brands: Vec::new(),
            partners: Vec::new(),
            stats: Vec::new(),
            stats_chart: None,
            province: None,
            pair: None,
            description: String::new(),
        }
    }

    fn render_home(&self, route: Route) -> Result<(), RenderError> {
        let site = self.site;
        let tax = &site.taxonomies;
        let v = self.views;
        self.page(
            route,
            "index.html",
            &HomeContext {
                meta: self.meta(route, site.config.title.clone(), "home", "首页"),
                latest_cases: v.cases.iter().take(8).collect(),
                bulletins: v.bulletins.iter().take(4).collect(),
                brands: v.brands.iter().take(8).collect(),
                tasks: self.task_counts(),
                pairs: v
                    .pairs
                    .iter()
                    // Configured pairs come first; pairs seen only in content stay off the home page.
                    .take(tax.pairs.iter().filter(|p| p.configured).count())
                    .collect(),
                counts: Counts {
                    cases: site.cases.len(),
                    brands: site.brands.len(),
                    bulletins: site.bulletins.len(),
                    provinces: tax.provinces.len(),
                },
                headline: super::statsview::headline(site),
            },
        )
    }

    fn render_case_list(&self, route: Route, page: usize) -> Result<(), RenderError> {
        let t = self.t();
        self.page(
            route,
            "case_list.html",
            &self.list(
                route,
                ("cases", "cases"),
                t.cases.to_owned(),
                Cases::All,
                "cases/",
                page,
            ),
        )
    }

    fn render_brand_list(&self, route: Route) -> Result<(), RenderError> {
        let site = self.site;
        let t = self.t();
        let v = self.views;
        let (tile_chart, category_chart) = super::statsview::brand_charts(site);
        let mut groups: BTreeMap<&str, Vec<&BrandCard>> = BTreeMap::new();
        for (b, card) in site.brands.iter().zip(&v.brands) {
            groups.entry(b.category.as_str()).or_default().push(card);
        }
        let mut categories: Vec<BrandGroup> = groups
            .into_iter()
            .map(|(name, brands)| BrandGroup {
                name: name.to_owned(),
                brands,
            })
            .collect();
        categories.sort_by(|a, b| {
            b.brands
                .len()
                .cmp(&a.brands.len())
                .then(a.name.cmp(&b.name))
        });
        self.page(
            route,
            "brands.html",
            &BrandListContext {
                meta: self.meta(route, t.brands.to_owned(), "brands", "列表"),
                categories,
                total: site.brands.len(),
                tile_chart,
                category_chart,
            },
        )
    }

    fn render_bulletin_list(&self, route: Route) -> Result<(), RenderError> {
        let site = self.site;
        let t = self.t();
        let v = self.views;
        let mut years: Vec<BulletinYear> = Vec::new();
        for (b, card) in site.bulletins.iter().zip(&v.bulletins) {
            match years.last_mut() {
                Some(y) if y.year == b.year => y.bulletins.push(card),
                _ => years.push(BulletinYear {
                    year: b.year,
                    bulletins: vec![card],
                }),
            }
        }
        self.page(
            route,
            "bulletins.html",
            &BulletinListContext {
                meta: self.meta(route, t.bulletins.to_owned(), "bulletins", "列表"),
                years,
            },
        )
    }

    fn render_bulletin(&self, route: Route, i: usize) -> Result<(), RenderError> {
        let site = self.site;
        let v = self.views;
        let b = &site.bulletins[i];
        let card = &v.bulletins[i];
        let mut meta = self.meta(route, b.title.clone(), "bulletins", "文章");
        meta.pub_date = format!("{} 00:00", b.date);
        meta.description = b.summary.clone();
        meta.source = b.publisher.clone();
        self.page(
            route,
            "bulletin.html",
            &BulletinContext {
                meta,
                bulletin: card,
                publisher: &b.publisher,
                date_cn: match site.config.language {
                    Lang::Zh => b.date.chinese(),
                    Lang::En => b.date.to_string(),
                },
                content: &b.body.html,
                cases: b.cases.iter().map(|&c| &v.cases[c]).collect(),
                distribution: b
                    .distribution
                    .iter()
                    .map(|(l, val)| LabelValue {
                        label: l,
                        value: val,
                    })
                    .collect(),
            },
        )
    }

    fn render_province_list(&self, route: Route) -> Result<(), RenderError> {
        let tax = &self.site.taxonomies;
        let t = self.t();
        let v = self.views;
        let mut groups: Vec<TermGroup> = Vec::new();
        for region in [
            Region::East,
            Region::Central,
            Region::West,
            Region::Northeast,
            Region::HongKongMacaoTaiwan,
        ] {
            let terms: Vec<CountedLink> = tax
                .provinces
                .iter()
                .filter(|(p, _)| p.region() == region)
                .map(|(p, idx)| {
                    let l = v.province_link(*p);
                    CountedLink {
                        title: l.title,
                        url: l.url,
                        count: idx.cases.len(),
                        description: String::new(),
                    }
                })
                .collect();
            if !terms.is_empty() {
                groups.push(TermGroup {
                    name: crate::texts::region_name(region, self.site.config.language).to_owned(),
                    terms,
                });
            }
        }
        let pairs = tax.pairs.iter().zip(&v.pairs).map(|(p, l)| CountedLink {
            title: format!("{}（{}）", l.name, l.short_name),
            url: l.url.clone(),
            count: p.cases.len(),
            description: String::new(),
        });
        groups.push(TermGroup {
            name: t.pairs.to_owned(),
            terms: pairs.collect(),
        });
        self.page(
            route,
            "terms.html",
            &TermListContext {
                meta: self.meta(route, t.provinces.to_owned(), "provinces", "列表"),
                kind: "provinces",
                heading: t.provinces.to_owned(),
                groups,
            },
        )
    }

    fn render_province(
        &self,
        route: Route,
        province: Province,
        page: usize,
    ) -> Result<(), RenderError> {
        let site = self.site;
        let tax = &site.taxonomies;
        let v = self.views;
        let idx = &tax.provinces[&province];
        let base = routes::province_dir(province);
        let name = v.province_link(province).title;
        let mut ctx = self.list(
            route,
            ("province", "provinces"),
            name,
            Cases::Only(&idx.cases),
            &base,
            page,
        );
        ctx.province = Some(ProvinceView {
            name: province.name(),
            short: province.short(),
            name_en: province.name_en(),
            slug: province.slug(),
            region: crate::texts::region_name(province.region(), self.site.config.language),
            abbr: province.abbr().map(String::from).unwrap_or_default(),
        });
        if page == 1 {
            ctx.brands = idx.brands.iter().map(|&b| &v.brands[b]).collect();
            ctx.partners = idx
                .pairs
                .iter()
                .filter_map(|pair| {
                    tax.pairs
                        .iter()
                        .position(|p| p.pair == *pair)
                        .map(|i| &v.pairs[i])
                })
                .collect();
            (ctx.stats_chart, ctx.stats) = super::statsview::province_parts(site, province);
        }
        self.page(route, "case_list.html", &ctx)
    }

    fn render_pair_list(&self, route: Route) -> Result<(), RenderError> {
        let tax = &self.site.taxonomies;
        let t = self.t();
        let v = self.views;
        let terms = tax.pairs.iter().zip(&v.pairs).map(|(p, l)| CountedLink {
            title: format!("{}（{}）", l.name, l.short_name),
            url: l.url.clone(),
            count: p.cases.len(),
            description: String::new(),
        });
        self.page(
            route,
            "terms.html",
            &TermListContext {
                meta: self.meta(route, t.pairs.to_owned(), "provinces", "列表"),
                kind: "pairs",
                heading: t.pairs.to_owned(),
                groups: vec![TermGroup {
                    name: t.pairs.to_owned(),
                    terms: terms.collect(),
                }],
            },
        )
    }

    fn render_pair(&self, route: Route, index: usize, page: usize) -> Result<(), RenderError> {
        let tax = &self.site.taxonomies;
        let v = self.views;
        let p = &tax.pairs[index];
        let link = &v.pairs[index];
        let base = routes::pair_dir(p.pair);
        let mut ctx = self.list(
            route,
            ("pair", "provinces"),
            format!("{}（{}）", link.name, link.short_name),
            Cases::Only(&p.cases),
            &base,
            page,
        );
        ctx.pair = Some(link);
        if page == 1 {
            ctx.brands = p.brands.iter().map(|&b| &v.brands[b]).collect();
        }
        self.page(route, "case_list.html", &ctx)
    }

    fn render_task_list(&self, route: Route) -> Result<(), RenderError> {
        let t = self.t();
        self.page(
            route,
            "terms.html",
            &TermListContext {
                meta: self.meta(route, t.tasks.to_owned(), "tasks", "列表"),
                kind: "tasks",
                heading: t.tasks.to_owned(),
                groups: vec![TermGroup {
                    name: t.tasks.to_owned(),
                    terms: self.task_counts(),
                }],
            },
        )
    }

    fn render_task(&self, route: Route, index: usize, page: usize) -> Result<(), RenderError> {
        let site = self.site;
        let tax = &site.taxonomies;
        let task = &site.config.tasks[index];
        let base = routes::task_dir(&task.slug);
        let mut ctx = self.list(
            route,
            ("task", "tasks"),
            task.name.clone(),
            Cases::Only(&tax.tasks[index]),
            &base,
            page,
        );
        ctx.description = task.description.clone();
        self.page(route, "case_list.html", &ctx)
    }

    fn render_tag_list(&self, route: Route) -> Result<(), RenderError> {
        let tax = &self.site.taxonomies;
        let t = self.t();
        let v = self.views;
        let terms = tax.tags.iter().map(|tag| CountedLink {
            title: tag.name.clone(),
            url: v.url(&routes::tag_dir(&tag.slug)),
            count: tag.cases.len(),
            description: String::new(),
        });
        self.page(
            route,
            "terms.html",
            &TermListContext {
                meta: self.meta(route, t.tags.to_owned(), "cases", "列表"),
                kind: "tags",
                heading: t.tags.to_owned(),
                groups: vec![TermGroup {
                    name: t.tags.to_owned(),
                    terms: terms.collect(),
                }],
            },
        )
    }

    fn render_tag(&self, route: Route, index: usize, page: usize) -> Result<(), RenderError> {
        let tax = &self.site.taxonomies;
        let tag = &tax.tags[index];
        let base = routes::tag_dir(&tag.slug);
        self.page(
            route,
            "case_list.html",
            &self.list(
                route,
                ("tag", "cases"),
                tag.name.clone(),
                Cases::Only(&tag.cases),
                &base,
                page,
            ),
        )
    }

    fn render_content_page(&self, route: Route, i: usize) -> Result<(), RenderError> {
        let site = self.site;
        let p = &site.pages[i];
        let mut meta = self.meta(route, p.title.clone(), "", "文章");
        meta.column = p.title.clone();
        meta.description = p.summary.clone();
        meta.pub_date = p.date.map(|d| format!("{d} 00:00")).unwrap_or_default();
        self.page(
            route,
            "page.html",
            &PageContext {
                meta,
                title: &p.title,
                date: p.date.map(|d| d.to_string()),
                content: &p.body.html,
                toc: &p.body.toc,
            },
        )
    }

    fn render_stats(&self, route: Route) -> Result<(), RenderError> {
        let site = self.site;
        let t = self.t();
        let v = self.views;
        self.page(
            route,
            "stats.html",
            &StatsContext {
                meta: self.meta(route, t.stats.to_owned(), "stats", "专题"),
                stats: super::statsview::stats_parts(site),
                csv_url: v.url(routes::STATS_CSV),
                json_url: v.url(routes::STATS_JSON),
            },
        )
    }

    fn render_search(&self, route: Route) -> Result<(), RenderError> {
        let t = self.t();
        self.page(
            route,
            "search.html",
            &NotFoundContext {
                meta: self.meta(route, t.search.to_owned(), "search", "其他"),
            },
        )
    }

    fn render_not_found(&self, route: Route) -> Result<(), RenderError> {
        let t = self.t();
        self.page(
            route,
            "404.html",
            &NotFoundContext {
                meta: self.meta(route, t.not_found.to_owned(), "", "其他"),
            },
        )
    }

    fn render_case(&self, route: Route, i: usize) -> Result<(), RenderError> {
        let site = self.site;
        let v = self.views;
        let c = &site.cases[i];
        let card = &v.cases[i];
        let mut meta = self.meta(route, c.title.clone(), "cases", "文章");
        meta.description = c.summary.clone();
        meta.pub_date = format!("{} 00:00", c.date);
        meta.keywords = c.tags.join(",");
        meta.source = c
            .source
            .clone()
            .unwrap_or_else(|| site.config.publisher.clone());
        let link = |j: usize| Link {
            title: site.cases[j].title.clone(),
            url: v.cases[j].url.clone(),
        };
        let tags = c
            .tags
            .iter()
            .filter_map(|name| site.taxonomies.tag_by_name.get(name))
            .map(|&t| {
                let tag = &site.taxonomies.tags[t];
                Link {
                    title: tag.name.clone(),
                    url: v.url(&routes::tag_dir(&tag.slug)),
                }
            })
            .collect();
        let bulletins = site.taxonomies.case_bulletins[i]
            .iter()
            .map(|&b| &v.bulletins[b])
            .map(|card| Link {
                title: if card.title.contains(&card.issue_label) {
                    card.title.clone()
                } else {
                    format!("{}（{}）", card.title, card.issue_label)
                },
                url: card.url.clone(),
            })
            .collect();
        self.page(
            route,
            "case.html",
            &CaseContext {
                meta,
                case: card,
                tags,
                content: &c.body.html,
                toc: &c.body.toc,
                toc_numbered: headings_numbered(&c.body.toc),
                cover: head_cover(c.cover.as_ref(), &c.body, &c.title),
                prev: i.checked_sub(1).map(link),
                next: (i + 1 < site.cases.len()).then(|| link(i + 1)),
                related: site.taxonomies.related[i]
                    .iter()
                    .map(|&j| &v.cases[j])
                    .collect(),
                bulletins,
            },
        )
    }

    fn render_brand(&self, route: Route, i: usize) -> Result<(), RenderError> {
        let site = self.site;
        let v = self.views;
        let b = &site.brands[i];
        let mut meta = self.meta(route, b.name.clone(), "brands", "文章");
        meta.description = b.summary.clone();
        meta.keywords = std::iter::once(b.name.as_str())
            .chain(b.aliases.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(",");
        let idx = site.taxonomies.provinces.get(&b.province);
        let pair = b
            .pair
            .and_then(|p| site.taxonomies.pairs.iter().position(|q| q.pair == p))
            .map(|k| &v.pairs[k]);
        let cases = site.taxonomies.brand_cases[i]
            .iter()
            .map(|&c| &v.cases[c])
            .collect();
        let same_province = idx.map_or_else(Vec::new, |idx| {
            nearby_brands(&idx.brands, i, |k| site.brands[k].category == b.category)
        });
        self.page(
            route,
            "brand.html",
            &BrandContext {
                meta,
                brand: &v.brands[i],
                skills: &b.skills,
                workers_note: b.workers_note.as_deref(),
                honors: &b.honors,
                destinations: b.destinations.iter().map(|p| v.province_link(*p)).collect(),
                pair,
                content: &b.body.html,
                cover: head_cover(b.cover.as_ref(), &b.body, &b.name),
                same_province: same_province.iter().map(|&k| &v.brands[k]).collect(),
                province_brands: idx
                    .map(|idx| idx.brands.len())
                    .filter(|&n| n > same_province.len() + 1),
                cases,
            },
        )
    }
}

/// How many other brands of its province a brand's page shows; the province's page lists all.
const NEARBY_BRANDS: usize = 8;

/// Up to [`NEARBY_BRANDS`] brands of `province` (the province's brands, `brand` among them) to
/// show on `brand`'s page: those of the same category first, each group in the province's
/// order starting after `brand` and wrapping round, so that neighbours link to one another
/// and every brand is shown from several pages. A fixed number keeps a brand's page the same
/// size however many brands its province has (listing them all made each page grow with the
/// site: 326 cards, 117 KB, at 10,000 brands).
fn nearby_brands(
    province: &[usize],
    brand: usize,
    same_category: impl Fn(usize) -> bool,
) -> Vec<usize> {
    let at = province.iter().position(|&k| k == brand).unwrap_or(0);
    let after = || {
        province[at..]
            .iter()
            .chain(&province[..at])
            .copied()
            .filter(|&k| k != brand)
    };
    after()
        .filter(|&k| same_category(k))
        .chain(after().filter(|&k| !same_category(k)))
        .take(NEARBY_BRANDS)
        .collect()
}

/// The numbers of a pagination bar on `page` of `total`: the first, the last and two either side
/// of the current one, each with `true`; a run of numbers left out becomes its first number
/// with `false` (shown as "…"). Only those numbers are visited, so each page of a 5,000-page
/// list costs what a page of a 5-page list does.
fn page_numbers(page: usize, total: usize) -> Vec<(usize, bool)> {
    let mut shown: Vec<usize> = [1, total]
        .into_iter()
        .chain(page.saturating_sub(2)..=page + 2)
        .filter(|n| (1..=total).contains(n))
        .collect();
    shown.sort_unstable();
    shown.dedup();
    let mut out = Vec::with_capacity(shown.len() * 2);
    let mut last = 0;
    for n in shown {
        if last + 1 < n && last > 0 {
            out.push((last + 1, false));
        }
        out.push((n, true));
        last = n;
    }
    out
}

/// The cover at the head of an article, unless the body shows the same photo: authors often pick
/// one of the article's photos as its cover, and a reader should not see it twice in a row.
fn head_cover(
    cover: Option<&crate::model::Picture>,
    body: &crate::model::Body,
    title: &str,
) -> Option<ImageView> {
    cover
        .filter(|p| !body.html.contains(&format!("src=\"{}\"", p.src)))
        .map(|p| article_image(p, title))
}

#[cfg(test)]
mod tests {
    use super::page_numbers;

    /// Every number from 1 to `total` considered in turn: what the bar showed before it
    /// visited only the numbers it shows.
    fn every_number(page: usize, total: usize) -> Vec<(usize, bool)> {
        let mut out: Vec<(usize, bool)> = Vec::new();
        for n in 1..=total {
            if n == 1 || n == total || n.abs_diff(page) <= 2 {
                out.push((n, true));
            } else if out.last().is_some_and(|&(_, shown)| shown) {
                out.push((n, false));
            }
        }
        out
    }

    #[test]
    fn page_numbers_are_those_of_considering_every_number() {
        for total in 0..40 {
            for page in 1..=total.max(1) {
                assert_eq!(
                    page_numbers(page, total),
                    every_number(page, total),
                    "page {page} of {total}"
                );
            }
        }
    }

    #[test]
    fn a_long_list_shows_its_ends_and_the_pages_around_the_current_one() {
        let bar = page_numbers(2_500, 5_000);
        let shown: Vec<usize> = bar.iter().filter(|p| p.1).map(|p| p.0).collect();
        assert_eq!(shown, [1, 2_498, 2_499, 2_500, 2_501, 2_502, 5_000]);
        assert_eq!(bar.iter().filter(|p| !p.1).count(), 2);
    }
}
