//! The HTML pages of a site: which exist (jobs) and the context each gets.

use std::collections::BTreeMap;

use crate::model::Site;
use crate::problem::Lang;
use crate::province::{Province, Region};

use super::context::*;
use super::texts::{Texts, texts};
use super::{PER_PAGE, RenderError};
use crate::theme::Theme;

/// One HTML page to render.
#[derive(Debug, Clone)]
pub enum Job {
    Home,
    CaseList { page: usize },
    Case(usize),
    BrandList,
    Brand(usize),
    BulletinList,
    Bulletin(usize),
    ProvinceList,
    Province { province: Province, page: usize },
    PairList,
    Pair { index: usize, page: usize },
    TaskList,
    Task { index: usize, page: usize },
    TagList,
    Tag { index: usize, page: usize },
    Page(usize),
    Stats,
    Search,
    NotFound,
}

fn pages_for(n: usize) -> usize {
    n.div_ceil(PER_PAGE).max(1)
}

/// Every page of the site, in a fixed order.
pub fn jobs(site: &Site) -> Vec<Job> {
    let tax = &site.taxonomies;
    let mut jobs = vec![Job::Home];
    jobs.extend((1..=pages_for(site.cases.len())).map(|page| Job::CaseList { page }));
    jobs.extend((0..site.cases.len()).map(Job::Case));
    jobs.push(Job::BrandList);
    jobs.extend((0..site.brands.len()).map(Job::Brand));
    jobs.push(Job::BulletinList);
    jobs.extend((0..site.bulletins.len()).map(Job::Bulletin));
    jobs.push(Job::ProvinceList);
    for (&province, index) in &tax.provinces {
        jobs.extend(
            (1..=pages_for(index.cases.len())).map(|page| Job::Province { province, page }),
        );
    }
    jobs.push(Job::PairList);
    for (index, p) in tax.pairs.iter().enumerate() {
        jobs.extend((1..=pages_for(p.cases.len())).map(|page| Job::Pair { index, page }));
    }
    jobs.push(Job::TaskList);
    for (index, cases) in tax.tasks.iter().enumerate() {
        jobs.extend((1..=pages_for(cases.len())).map(|page| Job::Task { index, page }));
    }
    jobs.push(Job::TagList);
    for (index, tag) in tax.tags.iter().enumerate() {
        jobs.extend((1..=pages_for(tag.cases.len())).map(|page| Job::Tag { index, page }));
    }
    jobs.extend((0..site.pages.len()).map(Job::Page));
    jobs.push(Job::Stats);
    jobs.push(Job::Search);
    jobs.push(Job::NotFound);
    jobs
}

/// The `site` value every template gets.
pub fn site_view(site: &Site) -> SiteView<'_> {
    let c = &site.config;
    let t = texts(c.language);
    let nav_item = |key, title, path: &str| NavItem {
        key,
        title,
        url: c.base_url.local(path),
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
        nav: vec![
            nav_item("home", t.home, ""),
            nav_item("cases", t.cases, "cases/"),
            nav_item("brands", t.brands, "brands/"),
            nav_item("bulletins", t.bulletins, "bulletins/"),
            nav_item("provinces", t.provinces, "provinces/"),
            nav_item("tasks", t.tasks, "tasks/"),
            nav_item("stats", t.stats, "stats/"),
        ],
        pages: site
            .pages
            .iter()
            .map(|p| Link {
                title: p.title.clone(),
                url: c.base_url.local(&format!("{}/", p.slug)),
            })
            .collect(),
    }
}

/// Site path of a job's output file.
pub fn output_path(site: &Site, job: &Job) -> String {
    let tax = &site.taxonomies;
    let paged = |base: String, page: usize| {
        if page <= 1 {
            format!("{base}index.html")
        } else {
            format!("{base}page/{page}/index.html")
        }
    };
    match job {
        Job::Home => "index.html".into(),
        Job::CaseList { page } => paged("cases/".into(), *page),
        Job::Case(i) => format!("cases/{}/index.html", site.cases[*i].slug),
        Job::BrandList => "brands/index.html".into(),
        Job::Brand(i) => format!("brands/{}/index.html", site.brands[*i].slug),
        Job::BulletinList => "bulletins/index.html".into(),
        Job::Bulletin(i) => format!("bulletins/{}/index.html", site.bulletins[*i].slug()),
        Job::ProvinceList => "provinces/index.html".into(),
        Job::Province { province, page } => paged(format!("provinces/{}/", province.slug()), *page),
        Job::PairList => "pairs/index.html".into(),
        Job::Pair { index, page } => {
            paged(format!("pairs/{}/", tax.pairs[*index].pair.slug()), *page)
        }
        Job::TaskList => "tasks/index.html".into(),
        Job::Task { index, page } => {
            paged(format!("tasks/{}/", site.config.tasks[*index].slug), *page)
        }
        Job::TagList => "tags/index.html".into(),
        Job::Tag { index, page } => paged(format!("tags/{}/", tax.tags[*index].slug), *page),
        Job::Page(i) => format!("{}/index.html", site.pages[*i].slug),
        Job::Stats => "stats/index.html".into(),
        Job::Search => "search/index.html".into(),
        Job::NotFound => "404.html".into(),
    }
}

/// The site path a job's page is reached at (`cases/a/`).
pub fn page_path(site: &Site, job: &Job) -> String {
    let p = output_path(site, job);
    p.strip_suffix("index.html")
        .map_or(p.clone(), str::to_owned)
}

/// Everything a job needs to render.
pub struct Renderer<'a> {
    pub site: &'a Site,
    pub views: &'a Views<'a>,
    pub site_view: &'a SiteView<'a>,
    pub theme: &'a Theme,
    pub globals: &'a crate::theme::Globals,
}

impl Renderer<'_> {
    fn page<T: serde::Serialize>(&self, template: &str, context: &T) -> Result<String, String> {
        self.theme.render(template, context, self.globals)
    }

    fn t(&self) -> &'static Texts {
        texts(self.site.config.language)
    }

    fn meta(
        &self,
        job: &Job,
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
            url: self
                .site
                .config
                .base_url
                .absolute(&page_path(self.site, job)),
            source: self.site.config.publisher.clone(),
            ..Meta::default()
        }
    }

    fn paginator(&self, base: &str, page: usize, total_items: usize) -> Paginator {
        let total = pages_for(total_items);
        let url = |n: usize| {
            if n == 1 {
                self.views.url(base)
            } else {
                self.views.url(&format!("{base}page/{n}/"))
            }
        };
        // First, last and two either side of the current page; gaps become "…".
        let mut pages = Vec::new();
        for n in 1..=total {
            if n == 1 || n == total || n.abs_diff(page) <= 2 {
                pages.push(PageNumber {
                    number: n,
                    url: Some(url(n)),
                    current: n == page,
                });
            } else if pages.last().is_some_and(|p: &PageNumber| p.url.is_some()) {
                pages.push(PageNumber {
                    number: n,
                    url: None,
                    current: false,
                });
            }
        }
        Paginator {
            current: page,
            total,
            prev: (page > 1).then(|| url(page - 1)),
            next: (page < total).then(|| url(page + 1)),
            pages,
            total_items,
        }
    }

    fn case_slice(&self, list: &[usize], page: usize) -> Vec<&CaseCard> {
        let start = (page - 1) * PER_PAGE;
        list.iter()
            .skip(start)
            .take(PER_PAGE)
            .map(|&i| &self.views.cases[i])
            .collect()
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
                }
            })
            .collect()
    }

    /// Renders a job into its output path and HTML.
    pub fn render(&self, job: &Job) -> Result<(String, String), RenderError> {
        let html = self.render_html(job).map_err(RenderError::Template)?;
        Ok((output_path(self.site, job), html))
    }

    fn list(
        &self,
        job: &Job,
        (kind, section): (&'static str, &'static str),
        heading: String,
        list: &[usize],
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
            meta: self.meta(job, title, section, "列表"),
            kind,
            heading,
            intro: None,
            cases: self.case_slice(list, page),
            paginator: self.paginator(base, page, list.len()),
            brands: Vec::new(),
            partners: Vec::new(),
            stats: Vec::new(),
            stats_chart: None,
            tasks: Vec::new(),
            province: None,
            pair: None,
        }
    }

    fn render_html(&self, job: &Job) -> Result<String, String> {
        let site = self.site;
        let tax = &site.taxonomies;
        let t = self.t();
        let v = self.views;
        match job {
            Job::Home => self.page(
                "index.html",
                &HomeContext {
                    meta: self.meta(job, site.config.title.clone(), "home", "首页"),
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
            ),
            Job::CaseList { page } => {
                let all: Vec<usize> = (0..site.cases.len()).collect();
                self.page(
                    "case_list.html",
                    &self.list(
                        job,
                        ("cases", "cases"),
                        t.cases.to_owned(),
                        &all,
                        "cases/",
                        *page,
                    ),
                )
            }
            Job::Case(i) => self.render_case(job, *i),
            Job::BrandList => {
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
                    "brands.html",
                    &BrandListContext {
                        meta: self.meta(job, t.brands.to_owned(), "brands", "列表"),
                        categories,
                        total: site.brands.len(),
                        tile_chart,
                        category_chart,
                    },
                )
            }
            Job::Brand(i) => self.render_brand(job, *i),
            Job::BulletinList => {
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
                    "bulletins.html",
                    &BulletinListContext {
                        meta: self.meta(job, t.bulletins.to_owned(), "bulletins", "列表"),
                        years,
                    },
                )
            }
            Job::Bulletin(i) => {
                let b = &site.bulletins[*i];
                let card = &v.bulletins[*i];
                let mut meta = self.meta(
                    job,
                    format!("{}（{}）", t.bulletins, card.issue_label),
                    "bulletins",
                    "文章",
                );
                meta.title = b.title.clone();
                meta.pub_date = format!("{} 00:00", b.date);
                meta.description = b.summary.clone();
                meta.source = b.publisher.clone();
                self.page(
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
            Job::ProvinceList => {
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
                            }
                        })
                        .collect();
                    if !terms.is_empty() {
                        groups.push(TermGroup {
                            name: region.name().to_owned(),
                            terms,
                        });
                    }
                }
                let pairs = tax.pairs.iter().zip(&v.pairs).map(|(p, l)| CountedLink {
                    title: format!("{}（{}）", l.name, l.short_name),
                    url: l.url.clone(),
                    count: p.cases.len(),
                });
                groups.push(TermGroup {
                    name: t.pairs.to_owned(),
                    terms: pairs.collect(),
                });
                self.page(
                    "terms.html",
                    &TermListContext {
                        meta: self.meta(job, t.provinces.to_owned(), "provinces", "列表"),
                        kind: "provinces",
                        heading: t.provinces.to_owned(),
                        groups,
                    },
                )
            }
            Job::Province { province, page } => {
                let idx = &tax.provinces[province];
                let base = format!("provinces/{}/", province.slug());
                let name = v.province_link(*province).title;
                let mut ctx = self.list(
                    job,
                    ("province", "provinces"),
                    name,
                    &idx.cases,
                    &base,
                    *page,
                );
                ctx.province = Some(ProvinceView {
                    name: province.name(),
                    short: province.short(),
                    name_en: province.name_en(),
                    slug: province.slug(),
                    region: province.region().name(),
                });
                if *page == 1 {
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
                    (ctx.stats_chart, ctx.stats) =
                        super::statsview::province_parts(site, *province);
                }
                self.page("case_list.html", &ctx)
            }
            Job::PairList => {
                let terms = tax.pairs.iter().zip(&v.pairs).map(|(p, l)| CountedLink {
                    title: format!("{}（{}）", l.name, l.short_name),
                    url: l.url.clone(),
                    count: p.cases.len(),
                });
                self.page(
                    "terms.html",
                    &TermListContext {
                        meta: self.meta(job, t.pairs.to_owned(), "provinces", "列表"),
                        kind: "pairs",
                        heading: t.pairs.to_owned(),
                        groups: vec![TermGroup {
                            name: t.pairs.to_owned(),
                            terms: terms.collect(),
                        }],
                    },
                )
            }
            Job::Pair { index, page } => {
                let p = &tax.pairs[*index];
                let link = &v.pairs[*index];
                let base = format!("pairs/{}/", p.pair.slug());
                let mut ctx = self.list(
                    job,
                    ("pair", "provinces"),
                    format!("{}（{}）", link.name, link.short_name),
                    &p.cases,
                    &base,
                    *page,
                );
                ctx.pair = Some(link);
                if *page == 1 {
                    ctx.brands = p.brands.iter().map(|&b| &v.brands[b]).collect();
                }
                self.page("case_list.html", &ctx)
            }
            Job::TaskList => self.page(
                "terms.html",
                &TermListContext {
                    meta: self.meta(job, t.tasks.to_owned(), "tasks", "列表"),
                    kind: "tasks",
                    heading: t.tasks.to_owned(),
                    groups: vec![TermGroup {
                        name: t.tasks.to_owned(),
                        terms: self.task_counts(),
                    }],
                },
            ),
            Job::Task { index, page } => {
                let task = &site.config.tasks[*index];
                let base = format!("tasks/{}/", task.slug);
                self.page(
                    "case_list.html",
                    &self.list(
                        job,
                        ("task", "tasks"),
                        task.name.clone(),
                        &tax.tasks[*index],
                        &base,
                        *page,
                    ),
                )
            }
            Job::TagList => {
                let terms = tax.tags.iter().map(|tag| CountedLink {
                    title: tag.name.clone(),
                    url: v.url(&format!("tags/{}/", tag.slug)),
                    count: tag.cases.len(),
                });
                self.page(
                    "terms.html",
                    &TermListContext {
                        meta: self.meta(job, t.tags.to_owned(), "cases", "列表"),
                        kind: "tags",
                        heading: t.tags.to_owned(),
                        groups: vec![TermGroup {
                            name: t.tags.to_owned(),
                            terms: terms.collect(),
                        }],
                    },
                )
            }
            Job::Tag { index, page } => {
                let tag = &tax.tags[*index];
                let base = format!("tags/{}/", tag.slug);
                self.page(
                    "case_list.html",
                    &self.list(
                        job,
                        ("tag", "cases"),
                        tag.name.clone(),
                        &tag.cases,
                        &base,
                        *page,
                    ),
                )
            }
            Job::Page(i) => {
                let p = &site.pages[*i];
                let mut meta = self.meta(job, p.title.clone(), "", "文章");
                meta.column = p.title.clone();
                meta.description = p.summary.clone();
                meta.pub_date = p.date.map(|d| format!("{d} 00:00")).unwrap_or_default();
                self.page(
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
            Job::Stats => self.page(
                "stats.html",
                &StatsContext {
                    meta: self.meta(job, t.stats.to_owned(), "stats", "专题"),
                    stats: super::statsview::stats_parts(site),
                    csv_url: v.url("stats/workshops.csv"),
                    json_url: v.url("stats/workshops.json"),
                },
            ),
            Job::Search => self.page(
                "search.html",
                &NotFoundContext {
                    meta: self.meta(job, t.search.to_owned(), "search", "其他"),
                },
            ),
            Job::NotFound => self.page(
                "404.html",
                &NotFoundContext {
                    meta: self.meta(job, t.not_found.to_owned(), "", "其他"),
                },
            ),
        }
    }

    fn render_case(&self, job: &Job, i: usize) -> Result<String, String> {
        let site = self.site;
        let v = self.views;
        let c = &site.cases[i];
        let card = &v.cases[i];
        let mut meta = self.meta(job, c.title.clone(), "cases", "文章");
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
                    url: v.url(&format!("tags/{}/", tag.slug)),
                }
            })
            .collect();
        let bulletins = site
            .bulletins
            .iter()
            .zip(&v.bulletins)
            .filter(|(b, _)| b.cases.contains(&i))
            .map(|(_, card)| Link {
                title: if card.title.contains(&card.issue_label) {
                    card.title.clone()
                } else {
                    format!("{}（{}）", card.title, card.issue_label)
                },
                url: card.url.clone(),
            })
            .collect();
        self.page(
            "case.html",
            &CaseContext {
                meta,
                case: card,
                tags,
                content: &c.body.html,
                toc: &c.body.toc,
                cover: c.cover.as_deref(),
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

    fn render_brand(&self, job: &Job, i: usize) -> Result<String, String> {
        let site = self.site;
        let v = self.views;
        let b = &site.brands[i];
        let mut meta = self.meta(job, b.name.clone(), "brands", "文章");
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
        // Cases of its province whose title or summary names the brand: cheap enough for any size
        // (scanning every body for every brand would be quadratic in practice).
        let names: Vec<&str> = std::iter::once(b.name.as_str())
            .chain(b.aliases.iter().map(String::as_str))
            .collect();
        let cases = idx
            .map(|idx| {
                idx.cases
                    .iter()
                    .filter(|&&c| {
                        names.iter().any(|n| {
                            site.cases[c].title.contains(n) || site.cases[c].summary.contains(n)
                        })
                    })
                    .take(6)
                    .map(|&c| &v.cases[c])
                    .collect()
            })
            .unwrap_or_default();
        self.page(
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
                cover: b.cover.as_deref(),
                same_province: idx
                    .map(|idx| {
                        idx.brands
                            .iter()
                            .filter(|&&k| k != i)
                            .map(|&k| &v.brands[k])
                            .collect()
                    })
                    .unwrap_or_default(),
                cases,
            },
        )
    }
}
