//! One document's raw front matter and Markdown into a finished record, and the rules that
//! need all records at once (sorting, bulletins citing cases).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::config::SiteConfig;
use crate::date::Date;
use crate::diagnostic::{Diagnostics, Place};
use crate::frontmatter::{Field, PairInput, RawBrand, RawBulletin, RawCase, RawPage};
use crate::markdown::{DocContext, Markdown, Rendered, normalise_path, truncate_chars};
use crate::model::{Body, Brand, Bulletin, CaseStudy, Origin, Page, Picture};
use crate::pair::Pair;
use crate::problem::{Lang, Problem};
use crate::province::{self, Province};

use super::{ParsedDoc, Raw, parse_count, parse_issue, parse_year};

/// What resolving needs besides the document.
pub(crate) struct ResolveContext<'a> {
    pub config: &'a SiteConfig,
    pub targets: &'a HashMap<String, String>,
    pub markdown: &'a Markdown,
    pub media: &'a crate::media::Media,
    pub lang: Lang,
}

/// A resolved document; None where errors left nothing usable.
#[derive(Clone)]
pub(crate) enum Record {
    Case(CaseStudy),
    /// A bulletin and its `cases` references, resolved once all cases are known.
    Bulletin(Bulletin, Option<Field<Vec<String>>>, std::path::PathBuf),
    Brand(Brand),
    Page(Page),
    None,
}

const SUMMARY_CHARS: usize = 120;

/// Per-document state shared by the field checks.
struct Doc<'a> {
    path: &'a Path,
    diags: &'a mut Diagnostics,
    /// Fields written but unreadable, already reported: not missing as well.
    unreadable: Vec<&'static str>,
}

impl Doc<'_> {
    fn report(&mut self, line: usize, field: &'static str, problem: Problem) {
        self.diags
            .report(Place::field(self.path, line, field), problem);
    }

    fn required<T>(&mut self, f: Option<Field<T>>, field: &'static str) -> Option<Field<T>> {
        if f.is_none() && !self.unreadable.contains(&field) {
            self.diags
                .report(Place::field(self.path, 1, field), Problem::MissingField);
        }
        f
    }

    fn text(&mut self, f: Option<Field<String>>, field: &'static str) -> Option<String> {
        let f = self.required(f, field)?;
        if f.value.is_empty() {
            self.report(f.line, field, Problem::EmptyValue);
            return None;
        }
        Some(f.value)
    }

    fn date(&mut self, f: Option<Field<String>>, field: &'static str) -> Option<Date> {
        let f = self.required(f, field)?;
        self.parse_date(f, field)
    }

    fn parse_date(&mut self, f: Field<String>, field: &'static str) -> Option<Date> {
        match Date::parse(&f.value) {
            Ok(d) => Some(d),
            Err(e) => {
                self.report(
                    f.line,
                    field,
                    Problem::BadDate {
                        value: f.value,
                        suggestion: e.suggestion,
                    },
                );
                None
            }
        }
    }

    fn province_at(&mut self, value: &str, line: usize, field: &'static str) -> Option<Province> {
        match province::parse(value) {
            Ok(p) => Some(p),
            Err(e) => {
                let suggestion = e.suggestion.map(|p| p.name().to_owned());
                self.report(
                    line,
                    field,
                    Problem::UnknownProvince {
                        value: value.to_owned(),
                        suggestion,
                    },
                );
                None
            }
        }
    }

    fn province(&mut self, f: Option<Field<String>>, field: &'static str) -> Option<Province> {
        let f = self.required(f, field)?;
        self.province_at(&f.value, f.line, field)
    }

    fn pair(
        &mut self,
        f: Option<Field<PairInput>>,
        reporting: Option<Province>,
        known: &[Pair],
        warn_unknown: bool,
    ) -> Option<Pair> {
        let f = f?;
        let pair = match f.value {
            PairInput::Partner(partner) => {
                if province::parse(&partner).is_err()
                    && let Some(fix) = short_name_fix(&partner, reporting, known)
                {
                    self.report(
                        f.line,
                        "pair",
                        Problem::PairShortName {
                            value: partner,
                            fix,
                        },
                    );
                    return None;
                }
                let partner = self.province_at(&partner, f.line, "pair")?;
                let reporting = reporting?;
                if partner == reporting {
                    self.report(
                        f.line,
                        "pair",
                        Problem::PairSameSide {
                            east: partner.name().into(),
                            west: reporting.name().into(),
                        },
                    );
                    return None;
                }
                Pair::with_partner(reporting, partner, known)
            }
            PairInput::Both { east, west } => {
                let east = self.province_at(&east, f.line, "pair");
                let west = self.province_at(&west, f.line, "pair");
                let (east, west) = (east?, west?);
                if east == west {
                    self.report(
                        f.line,
                        "pair",
                        Problem::PairSameSide {
                            east: east.name().into(),
                            west: west.name().into(),
                        },
                    );
                    return None;
                }
                let pair = Pair { east, west };
                if let Some(reporting) = reporting.filter(|p| !pair.contains(*p)) {
                    self.report(
                        f.line,
                        "pair",
                        Problem::PairNotWithProvince {
                            province: reporting.name().into(),
                            east: east.name().into(),
                            west: west.name().into(),
                        },
                    );
                }
                pair
            }
        };
        if warn_unknown && !known.contains(&pair) {
            self.report(
                f.line,
                "pair",
                Problem::UnknownPair {
                    province: pair.east.name().into(),
                    partner: pair.west.name().into(),
                },
            );
        }
        Some(pair)
    }

    fn count(
        &mut self,
        f: Option<Field<crate::frontmatter::Number>>,
        field: &'static str,
    ) -> Option<u64> {
        self.number(f, field, parse_count)
    }

    /// Reads a number with `parse` (a count, a year or an issue), reporting what is wrong.
    fn number(
        &mut self,
        f: Option<Field<crate::frontmatter::Number>>,
        field: &'static str,
        parse: fn(&serde_json::Value) -> Result<u64, Problem>,
    ) -> Option<u64> {
        let f = f?;
        match parse(&f.value.0) {
            Ok(n) => Some(n),
            Err(p) => {
                self.report(f.line, field, p);
                None
            }
        }
    }
}

fn opt_text(f: Option<Field<String>>) -> Option<String> {
    f.map(|f| f.value).filter(|s| !s.is_empty())
}

/// Drops empty and repeated items, keeping the first of each in order. A set remembers what was
/// kept, so a hostile list of 100,000 tags takes linear time, not quadratic.
fn dedup(items: Vec<String>) -> Vec<String> {
    let mut seen: HashSet<&str> = HashSet::with_capacity(items.len());
    let keep: Vec<bool> = items
        .iter()
        .map(|item| !item.is_empty() && seen.insert(item.as_str()))
        .collect();
    items
        .into_iter()
        .zip(keep)
        .filter_map(|(item, keep)| keep.then_some(item))
        .collect()
}

/// Resolves one parsed document into its record.
pub(crate) fn resolve_doc(
    doc: &ParsedDoc,
    slug: &Option<String>,
    ctx: &ResolveContext,
    diags: &mut Diagnostics,
) -> Record {
    let dir = match &doc.file.bundle {
        Some(b) => b.clone(),
        None => doc
            .file
            .rel
            .rsplit_once('/')
            .map_or(String::new(), |(d, _)| d.to_owned()),
    };
    let rendered = ctx.markdown.render(
        doc.body(),
        &DocContext {
            dir: &dir,
            first_line: doc.body_line,
            targets: ctx.targets,
            media: ctx.media,
            lang: ctx.lang,
        },
    );
    for (line, problem) in rendered.problems.iter().cloned() {
        diags.report(Place::line(&doc.shown, line), problem);
    }
    let mut d = Doc {
        path: &doc.shown,
        diags,
        unreadable: Vec::new(),
    };
    let Some(slug) = slug.clone() else {
        // A bulletin gets no slug when its year or issue is wrong: resolve it anyway so that
        // those fields are reported, rather than the issue vanishing without a word.
        if let Raw::Bulletin(raw) = &doc.raw {
            let origin = Origin {
                rel: doc.file.rel.clone(),
            };
            resolve_bulletin(raw.clone(), rendered, origin, ctx, &mut d);
        }
        return Record::None;
    };
    let origin = Origin {
        rel: doc.file.rel.clone(),
    };
    let cover = |d: &mut Doc, f: Option<Field<String>>| resolve_cover(d, f?, &dir, ctx);
    match &doc.raw {
        Raw::Case(raw) => resolve_case(raw.clone(), slug, rendered, origin, ctx, &mut d, cover),
        Raw::Brand(raw) => resolve_brand(raw.clone(), slug, rendered, origin, ctx, &mut d, cover),
        Raw::Bulletin(raw) => resolve_bulletin(raw.clone(), rendered, origin, ctx, &mut d),
        Raw::Page(raw) => resolve_page(raw.clone(), slug, rendered, origin, &mut d),
    }
}

/// The picture a `cover:` names: a processed photo with its copies, or an SVG, GIF or WebP
/// shown as it is; anything else is reported.
fn resolve_cover(
    d: &mut Doc,
    f: Field<String>,
    dir: &str,
    ctx: &ResolveContext,
) -> Option<Picture> {
    let rel = normalise_path(dir, &f.value);
    let target = rel
        .as_ref()
        .and_then(|rel| Some((rel, ctx.targets.get(rel)?)));
    let Some((rel, url)) = target else {
        d.report(f.line, "cover", Problem::MissingFile { file: f.value });
        return None;
    };
    if let Some(p) = ctx.media.picture(rel) {
        return Some(p.clone());
    }
    if crate::media::is_plain_image(rel) {
        return Some(Picture {
            src: url.clone(),
            srcset: None,
            width: None,
            height: None,
        });
    }
    let problem = if crate::media::is_unshowable_image(rel) {
        let ext = rel.rsplit_once('.').map_or("", |e| e.1).to_lowercase();
        Problem::UnshowableImage { ext }
    } else {
        Problem::CoverNotImage { file: f.value }
    };
    d.report(f.line, "cover", problem);
    None
}

fn summary_of(d: &mut Doc, given: Option<Field<String>>, rendered: &Rendered) -> String {
    if let Some(s) = opt_text(given) {
        return s;
    }
    match &rendered.first_paragraph {
        Some(p) => truncate_chars(p, SUMMARY_CHARS),
        None => {
            d.diags.report(Place::file(d.path), Problem::MissingSummary);
            String::new()
        }
    }
}

fn body_of(rendered: Rendered) -> Body {
    Body {
        html: rendered.html,
        toc: rendered.toc,
        chars: rendered.text.chars().count(),
        text: rendered.text,
    }
}

fn resolve_case(
    raw: RawCase,
    slug: String,
    rendered: Rendered,
    origin: Origin,
    ctx: &ResolveContext,
    d: &mut Doc,
    cover: impl Fn(&mut Doc, Option<Field<String>>) -> Option<Picture>,
) -> Record {
    let RawCase {
        title,
        subtitle,
        date,
        province,
        pair,
        task,
        tags,
        source,
        summary,
        cover: cover_field,
        draft,
        slug: _,
        unreadable,
    } = raw;
    d.unreadable = unreadable;
    let title = d.text(title, "title");
    let date = d.date(date, "date");
    let province = d.province(province, "province");
    let pair = d.pair(pair, province, &ctx.config.pairs, true);
    let task = d.required(task, "task").and_then(|f| {
        let found = ctx.config.find_task(&f.value);
        if found.is_none() {
            let vocabulary = ctx.config.tasks.iter().map(|t| t.name.clone()).collect();
            d.report(
                f.line,
                "task",
                Problem::UnknownTask {
                    value: f.value,
                    vocabulary,
                },
            );
        }
        found
    });
    let summary = summary_of(d, summary, &rendered);
    let cover = cover(d, cover_field);
    let (Some(title), Some(date), Some(province), Some(task)) = (title, date, province, task)
    else {
        return Record::None;
    };
    Record::Case(CaseStudy {
        slug,
        title,
        subtitle: opt_text(subtitle),
        date,
        province,
        pair,
        task,
        tags: dedup(tags.map(|f| f.value).unwrap_or_default()),
        source: opt_text(source),
        summary,
        cover,
        draft: draft.is_some_and(|f| f.value),
        body: body_of(rendered),
        origin,
    })
}

fn resolve_brand(
    raw: RawBrand,
    slug: String,
    rendered: Rendered,
    origin: Origin,
    ctx: &ResolveContext,
    d: &mut Doc,
    cover: impl Fn(&mut Doc, Option<Field<String>>) -> Option<Picture>,
) -> Record {
    let RawBrand {
        name,
        aliases,
        province,
        city,
        county,
        category,
        skills,
        workers,
        workers_note,
        honors,
        destinations,
        pair,
        summary,
        cover: cover_field,
        draft,
        slug: _,
        unreadable,
    } = raw;
    d.unreadable = unreadable;
    let name = d.text(name, "name");
    let province = d.province(province, "province");
    let category = d.text(category, "category");
    let workers = d.count(workers, "workers");
    let destinations: Vec<Province> = match destinations {
        Some(f) => f
            .value
            .iter()
            .filter_map(|p| d.province_at(p, f.line, "destinations"))
            .collect(),
        None => Vec::new(),
    };
    let pair = d.pair(pair, province, &ctx.config.pairs, false);
    let summary = summary_of(d, summary, &rendered);
    let cover = cover(d, cover_field);
    let (Some(name), Some(province), Some(category)) = (name, province, category) else {
        return Record::None;
    };
    Record::Brand(Brand {
        slug,
        name,
        aliases: dedup(aliases.map(|f| f.value).unwrap_or_default()),
        province,
        city: opt_text(city),
        county: opt_text(county),
        category,
        skills: dedup(skills.map(|f| f.value).unwrap_or_default()),
        workers,
        workers_note: opt_text(workers_note),
        honors: dedup(honors.map(|f| f.value).unwrap_or_default()),
        destinations,
        pair,
        summary,
        cover,
        draft: draft.is_some_and(|f| f.value),
        body: body_of(rendered),
        origin,
    })
}

fn resolve_bulletin(
    raw: RawBulletin,
    rendered: Rendered,
    origin: Origin,
    ctx: &ResolveContext,
    d: &mut Doc,
) -> Record {
    let RawBulletin {
        year,
        issue,
        total_issue,
        date,
        publisher,
        title,
        summary,
        cases,
        distribution,
        draft,
        unreadable,
    } = raw;
    d.unreadable = unreadable;
    let year_field = d.required(year, "year");
    let year = d.number(year_field, "year", parse_year);
    let issue_field = d.required(issue, "issue");
    let issue = d.number(issue_field, "issue", parse_issue);
    let total_issue = d.number(total_issue, "total_issue", parse_issue);
    let date = d.date(date, "date");
    let summary = summary_of(d, summary, &rendered);
    // The parsers bound years and issues far below u32::MAX, so these conversions keep them.
    let narrow = |n: Option<u64>| n.and_then(|n| u32::try_from(n).ok());
    let (Some(year), Some(issue), Some(date)) = (narrow(year), narrow(issue), date) else {
        return Record::None;
    };
    let title = opt_text(title).unwrap_or_else(|| match ctx.lang {
        Lang::Zh => format!("东西部人社协作工作简报（{year}年第{issue}期）"),
        Lang::En => format!("East–West HR Collaboration Bulletin {year} No. {issue}"),
    });
    let bulletin = Bulletin {
        year,
        issue,
        total_issue: narrow(total_issue),
        date,
        publisher: opt_text(publisher).unwrap_or_else(|| ctx.config.publisher.clone()),
        title,
        summary,
        cases: Vec::new(),
        distribution: distribution.map(|f| f.value).unwrap_or_default(),
        draft: draft.is_some_and(|f| f.value),
        body: body_of(rendered),
        origin,
    };
    Record::Bulletin(bulletin, cases, d.path.to_path_buf())
}

fn resolve_page(
    raw: RawPage,
    slug: String,
    rendered: Rendered,
    origin: Origin,
    d: &mut Doc,
) -> Record {
    let RawPage {
        title,
        slug: _,
        date,
        summary,
        draft,
        unreadable,
    } = raw;
    d.unreadable = unreadable;
    let title = d.text(title, "title");
    let date = date.and_then(|f| d.parse_date(f, "date"));
    let summary = opt_text(summary)
        .or_else(|| {
            rendered
                .first_paragraph
                .as_deref()
                .map(|p| truncate_chars(p, SUMMARY_CHARS))
        })
        .unwrap_or_default();
    let Some(title) = title else {
        return Record::None;
    };
    Record::Page(Page {
        slug,
        title,
        date,
        summary,
        draft: draft.is_some_and(|f| f.value),
        body: body_of(rendered),
        origin,
    })
}

/// A bulletin's index, its `cases` field and its shown path, resolved once all cases are known.
type PendingRefs = (usize, Option<Field<Vec<String>>>, std::path::PathBuf);

/// Records gathered from all documents, before the rules across files.
#[derive(Default)]
pub(crate) struct Records {
    pub cases: Vec<CaseStudy>,
    pub brands: Vec<Brand>,
    pub bulletins: Vec<Bulletin>,
    pub pages: Vec<Page>,
    pending: Vec<PendingRefs>,
}

impl Records {
    pub fn push(&mut self, record: Record) {
        match record {
            Record::Case(c) => self.cases.push(c),
            Record::Brand(b) => self.brands.push(b),
            Record::Page(p) => self.pages.push(p),
            Record::Bulletin(b, refs, path) => {
                self.pending.push((self.bulletins.len(), refs, path));
                self.bulletins.push(b);
            }
            Record::None => {}
        }
    }

    /// Sorts every list and resolves the cases each bulletin carries.
    /// `drafts` holds the slugs and paths of case drafts left out of this build, so a bulletin
    /// citing one is told why rather than that the case does not exist.
    pub fn finish(
        mut self,
        drafts: &std::collections::HashSet<String>,
        diags: &mut Diagnostics,
    ) -> Records {
        self.cases
            .sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
        self.brands.sort_by(|a, b| {
            a.province
                .cmp(&b.province)
                .then_with(|| a.slug.cmp(&b.slug))
        });
        self.pages.sort_by(|a, b| a.slug.cmp(&b.slug));
        let by_slug: HashMap<&str, usize> = self
            .cases
            .iter()
            .enumerate()
            .map(|(i, c)| (c.slug.as_str(), i))
            .collect();
        let by_path: HashMap<&str, usize> = self
            .cases
            .iter()
            .enumerate()
            .map(|(i, c)| (c.origin.rel.as_str(), i))
            .collect();
        let mut seen: HashMap<(u32, u32), std::path::PathBuf> = HashMap::new();
        for (index, refs, path) in std::mem::take(&mut self.pending) {
            let bulletin = &mut self.bulletins[index];
            if let Some(other) = seen.get(&(bulletin.year, bulletin.issue)) {
                let label = format!("{}-{}", bulletin.year, bulletin.issue);
                diags.report(
                    Place::file(&path),
                    Problem::DuplicateBulletin {
                        label,
                        other: other.display().to_string(),
                    },
                );
            }
            seen.insert((bulletin.year, bulletin.issue), path.clone());
            let Some(refs) = refs else { continue };
            let dir = bulletin.origin.rel.rsplit_once('/').map_or("", |(d, _)| d);
            for reference in &refs.value {
                let found = if reference.ends_with(".md") || reference.contains('/') {
                    normalise_path(dir, reference).and_then(|rel| {
                        by_path
                            .get(rel.as_str())
                            .or_else(|| by_path.get(format!("{rel}/index.md").as_str()))
                            .copied()
                    })
                } else {
                    by_slug.get(reference.as_str()).copied()
                };
                match found {
                    Some(i) if !bulletin.cases.contains(&i) => bulletin.cases.push(i),
                    Some(_) => {}
                    None => {
                        let resolved = normalise_path(dir, reference).unwrap_or_default();
                        let is_draft = drafts.contains(reference)
                            || drafts.contains(&resolved)
                            || drafts.contains(&format!("{resolved}/index.md"));
                        let reference = reference.clone();
                        let problem = if is_draft {
                            Problem::DraftCase { reference }
                        } else {
                            Problem::MissingCase { reference }
                        };
                        diags.report(Place::field(&path, refs.line, "cases"), problem);
                    }
                }
            }
        }
        self.bulletins
            .sort_by_key(|b| std::cmp::Reverse((b.year, b.issue)));
        self
    }
}

/// What to write instead of a pair's short name (`粤黔`, `黔粤`: two one-character province
/// abbreviations) in `pair`: the partner of the reporting province, or both sides.
fn short_name_fix(value: &str, reporting: Option<Province>, known: &[Pair]) -> Option<String> {
    let mut sides = value
        .trim()
        .chars()
        .map(|c| province::parse(c.encode_utf8(&mut [0; 4])));
    let (Some(Ok(a)), Some(Ok(b)), None) = (sides.next(), sides.next(), sides.next()) else {
        return None;
    };
    if a == b {
        return None;
    }
    match reporting {
        Some(r) if r == a => Some(b.name().to_owned()),
        Some(r) if r == b => Some(a.name().to_owned()),
        _ => {
            // East first, as the configured pairs have it; as written otherwise.
            let (east, west) = match known.iter().find(|p| p.contains(a) && p.contains(b)) {
                Some(p) => (p.east, p.west),
                None => (a, b),
            };
            Some(format!("{{east: {}, west: {}}}", east.name(), west.name()))
        }
    }
}
