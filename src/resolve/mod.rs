//! From a site folder to a validated [`Site`]: read, parse, claim URLs, render Markdown and
//! resolve every field, collecting all diagnostics of the build before deciding success.
//!
//! Stages run in parallel per file where they are independent (parsing, Markdown); rules that
//! span files (slugs, URLs, bulletins citing cases, duplicate records) run once over all records.

mod copied;
mod count;
mod files;
mod images;
mod records;
mod reuse;
mod stats;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

pub use copied::SCRIPT_EXTENSIONS;
pub use count::{MAX_COUNT, MAX_ISSUE, YEARS, parse_count, parse_issue, parse_year};
pub use files::Section;
pub use reuse::LoadCache;

use crate::config::{SiteConfig, language_of, resolve_config};
use crate::diagnostic::{Diagnostic, Diagnostics, Place};
use crate::file_name::MAX_PATH_BYTES;
use crate::frontmatter::{Field, RawBrand, RawBulletin, RawCase, RawPage, RawSite, parse_mapping};
use crate::image_cache::ImageCache;
use crate::listing::{Tree, check_inside, site_folder};
use crate::media::Media;
use crate::model::Site;
use crate::output::Fingerprint;
use crate::problem::{Lang, Problem};
use crate::routes::{self, RESERVED_TOP};
use crate::source::{read_text, split_front_matter};
use crate::taxonomy::build_taxonomies;
use copied::{ClaimedFile, publish_files};
use files::{ContentFiles, DocFile, classify_files};
pub(crate) use records::Record;

/// Choices of one build that are not content.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// Include records marked `draft: true`.
    pub drafts: bool,
    /// Replaces site.yaml's `base_url` (for `serve`, or a staging host).
    pub base_url: Option<String>,
}

/// A successful load: the site and the warnings found on the way.
#[derive(Debug)]
pub struct Loaded {
    pub site: Site,
    pub warnings: Vec<Diagnostic>,
}

/// Name of the build cache folder in the site folder.
pub const CACHE_DIR: &str = ".xiezuo-cache";

/// Where a site's content lives, and how its paths are shown to authors.
#[derive(Clone, Debug)]
pub struct SitePaths {
    /// The folder holding `site.yaml`.
    pub content: PathBuf,
    /// The same folder as the author would write it (`content`), for messages.
    pub shown: PathBuf,
    /// The site folder (holding `themes/`).
    pub root: PathBuf,
}

impl SitePaths {
    /// Finds the content folder: `DIR/content/`, or DIR itself if it holds `site.yaml`.
    pub fn locate(site_dir: &Path) -> SitePaths {
        let tidy = |p: PathBuf| p.strip_prefix(".").map(Path::to_path_buf).unwrap_or(p);
        let nested = site_dir.join("content");
        if !nested.join("site.yaml").is_file() && site_dir.join("site.yaml").is_file() {
            SitePaths {
                content: site_dir.to_path_buf(),
                shown: tidy(site_dir.to_path_buf()),
                root: site_dir.to_path_buf(),
            }
        } else {
            SitePaths {
                shown: tidy(nested.clone()),
                content: nested,
                root: site_dir.to_path_buf(),
            }
        }
    }

    /// The build cache folder, beside `content/` (the manifest of the last build).
    pub fn cache(&self) -> PathBuf {
        self.root.join(CACHE_DIR)
    }

    /// The content folder as a tree to list. When the content folder is the site folder itself,
    /// its `public/` (the default output) and `themes/` are not content.
    fn content_tree<'a>(&'a self, site: &'a Path) -> Tree<'a> {
        Tree {
            root: &self.content,
            shown: &self.shown,
            site,
            skip: if self.content == self.root {
                &["public", "themes", CACHE_DIR]
            } else {
                &[]
            },
        }
    }
}

/// A front matter as written, of whichever kind its section holds.
#[derive(Debug)]
pub(crate) enum Raw {
    Case(RawCase),
    Brand(RawBrand),
    Bulletin(RawBulletin),
    Page(RawPage),
}

/// A document after parsing: its raw front matter and where its body starts.
#[derive(Debug)]
pub(crate) struct ParsedDoc {
    pub file: DocFile,
    pub shown: PathBuf,
    pub text: String,
    pub body_start: usize,
    pub body_line: usize,
    pub raw: Raw,
}

impl ParsedDoc {
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    fn slug_field(&self) -> Option<&Field<String>> {
        match &self.raw {
            Raw::Case(r) => r.slug.as_ref(),
            Raw::Brand(r) => r.slug.as_ref(),
            Raw::Page(r) => r.slug.as_ref(),
            Raw::Bulletin(_) => None,
        }
    }

    fn is_draft(&self) -> bool {
        let d = match &self.raw {
            Raw::Case(r) => &r.draft,
            Raw::Brand(r) => &r.draft,
            Raw::Bulletin(r) => &r.draft,
            Raw::Page(r) => &r.draft,
        };
        d.as_ref().is_some_and(|f| f.value)
    }
}

/// Loads, validates and resolves the site in `site_dir`.
///
/// Returns every error and warning together when any error is found.
pub fn load_site(site_dir: &Path, options: &LoadOptions) -> Result<Loaded, Vec<Diagnostic>> {
    load_site_reusing(site_dir, options, &mut LoadCache::none())
}

/// [`load_site`], reusing what `cache` kept of the last load of the same site in this process
/// and keeping this load's documents in it for the next.
pub fn load_site_reusing(
    site_dir: &Path,
    options: &LoadOptions,
    cache: &mut LoadCache,
) -> Result<Loaded, Vec<Diagnostic>> {
    let paths = SitePaths::locate(site_dir);
    let site = site_folder(&paths.root);
    let mut diags = Diagnostics::new(Lang::Zh);
    let Some(mut config) = load_config(&paths, &paths.content_tree(&site), &mut diags) else {
        return Err(diags.into_sorted());
    };
    if let Some(url) = &options.base_url {
        match crate::config::BaseUrl::parse(url) {
            Some(b) => config.base_url = b,
            None => diags.report(
                Place::file(Path::new("--base-url")),
                Problem::BadBaseUrl { value: url.clone() },
            ),
        }
    }
    let files = classify_files(&paths.content_tree(&site), &mut diags);
    let lang = diags.lang();

    let parsed: Vec<(Option<Arc<ParsedDoc>>, Diagnostics, Option<Fingerprint>)> = files
        .docs
        .par_iter()
        .map(|file| {
            let mut d = Diagnostics::new(lang);
            let Some(text) = read_text(&paths.content, &file.rel, &paths.shown, &mut d) else {
                return (None, d, None);
            };
            let key = reuse::parse_key(&text.text, &text.shown, lang);
            if let Some(kept) = cache.parsed(&file.rel, key) {
                return (kept.doc.clone(), kept.diags.clone(), Some(key));
            }
            let doc = parse_doc(file.clone(), text, &mut d).map(Arc::new);
            (doc, d, Some(key))
        })
        .collect();
    let mut docs = Vec::with_capacity(parsed.len());
    let mut draft_cases = std::collections::HashSet::new();
    let mut parse_keys = HashMap::with_capacity(parsed.len());
    let mut kept_parsed = HashMap::with_capacity(parsed.len());
    for (file, (doc, d, key)) in files.docs.iter().zip(parsed) {
        if let Some(key) = key
            && cache.keeps()
        {
            parse_keys.insert(file.rel.clone(), key);
            let entry = reuse::Parsed {
                key,
                doc: doc.clone(),
                diags: d.clone(),
            };
            kept_parsed.insert(file.rel.clone(), entry);
        }
        diags.extend(d);
        let Some(doc) = doc else { continue };
        if options.drafts || !doc.is_draft() {
            docs.push(doc);
        } else if doc.file.section == Section::Cases {
            // Remembered so a bulletin citing it hears "draft", not "does not exist".
            let slug = doc
                .slug_field()
                .map_or_else(|| doc.file.file_slug.clone(), |f| f.value.clone());
            draft_cases.insert(slug);
            draft_cases.insert(doc.file.rel.clone());
        }
    }

    let mut claims = claim_urls(&docs, &files, &config, &paths, &mut diags);
    let site_yaml = paths.shown.join("site.yaml");
    let (photos, copied): (Vec<ClaimedFile>, Vec<ClaimedFile>) = std::mem::take(&mut claims.copied)
        .into_iter()
        .partition(|c| images::is_photo(c) && !config.trusted_files.contains(&c.rel));
    let image_cache = ImageCache::open(&paths.cache(), cache.writes_photos());
    let images = images::process_images(photos, &image_cache, config.publish_originals, &mut diags);
    let documents = attachment_sizes(&copied);
    let copied = publish_files(copied, &config.trusted_files, &site_yaml, &mut diags);
    let static_dir = paths.shown.join("static");
    let static_outputs = copied.iter().filter(|f| f.shown.starts_with(&static_dir));
    let static_outputs = static_outputs.map(|f| f.output.as_str());
    // A PNG or JPEG logo is published as its largest copy, under its own name.
    let static_photos = images.iter().filter(|i| i.shown.starts_with(&static_dir));
    let static_photos = static_photos.filter_map(|i| i.copies.last().map(|c| c.output.as_str()));
    let static_outputs = static_outputs.chain(static_photos);
    crate::config::check_logo(&mut config, static_outputs, &site_yaml, &mut diags);
    let media = Media::new(&images, &documents, &config.base_url);
    let markdown = cache.markdown();
    let ctx = records::ResolveContext {
        config: &config,
        targets: &claims.targets,
        markdown: &markdown,
        media: &media,
        lang,
    };
    let context_key = reuse::context_key(&config, &claims.targets, media.fingerprint(), lang);
    let slugs = &claims.slugs;
    let rels: Vec<String> = docs.iter().map(|d| d.file.rel.clone()).collect();
    // Each document is dropped as soon as it is resolved: unless the cache keeps it, its text
    // is freed while the records are made, and they reuse its memory (at 100,000 cases the
    // texts are most of a gigabyte).
    let resolved: Vec<(records::Record, Diagnostics, Fingerprint)> = docs
        .into_par_iter()
        .zip(slugs.par_iter())
        .map(|(doc, slug)| {
            let parse_key = parse_keys.get(&doc.file.rel).copied().unwrap_or_default();
            let key = reuse::resolve_key(context_key, parse_key, slug);
            if let Some(kept) = cache.resolved(&doc.file.rel, key) {
                return (kept.record.clone(), kept.diags.clone(), key);
            }
            let mut d = Diagnostics::new(lang);
            let record = records::resolve_doc(&doc, slug, &ctx, &mut d);
            (record, d, key)
        })
        .collect();

    let mut site_records = records::Records::default();
    let mut kept_resolved = HashMap::with_capacity(resolved.len());
    for (rel, (record, d, key)) in rels.iter().zip(resolved) {
        if cache.keeps() {
            let entry = reuse::Resolved {
                key,
                record: record.clone(),
                diags: d.clone(),
            };
            kept_resolved.insert(rel.clone(), entry);
        }
        diags.extend(d);
        site_records.push(record);
    }
    cache.keep_parsed(kept_parsed);
    cache.keep_resolved(kept_resolved);
    let site_records = site_records.finish(&draft_cases, &mut diags);
    let stats = stats::load_stats(&paths, &files.stats_files, &mut diags);
    let last = (cache.keeps() && !diags.has_errors()).then(|| reuse::LastContext {
        slugs: rels.into_iter().zip(claims.slugs).collect(),
        targets: claims.targets,
        media,
        lang,
    });
    cache.keep_context(last);

    // The cache only speeds builds up: a cache that cannot be written costs the next build time.
    let _ = image_cache.finish(!diags.has_errors());
    if diags.has_errors() {
        return Err(diags.into_sorted());
    }
    let taxonomies = build_taxonomies(
        &site_records.cases,
        &site_records.brands,
        &site_records.bulletins,
        &config,
    );
    let site = Site {
        config,
        cases: site_records.cases,
        brands: site_records.brands,
        bulletins: site_records.bulletins,
        pages: site_records.pages,
        stats,
        files: copied,
        images,
        taxonomies,
    };
    Ok(Loaded {
        site,
        warnings: diags.into_sorted(),
    })
}

/// What a saved document became, for [`reresolve_body_edit`].
pub(crate) enum BodyEdit {
    /// The text is the last load's.
    Unchanged,
    /// Only the body changed: the document's new record.
    Edited(Box<Record>),
}

/// The document at content-relative `rel` resolved again after an edit, if the edit changed
/// only its body: the front matter is byte for byte the last load's, so its slug, its place in
/// every list and every other document are as they were. None when that is not so, when the
/// document is a bulletin (whose record is finished against all cases), or when resolving it
/// finds an error: the full build then reports it.
pub(crate) fn reresolve_body_edit(
    site_dir: &Path,
    config: &SiteConfig,
    cache: &mut LoadCache,
    rel: &str,
) -> Option<BodyEdit> {
    let paths = SitePaths::locate(site_dir);
    let markdown = cache.markdown();
    let last = cache.last_context()?;
    let kept = cache.parsed_doc(rel)?;
    if kept.file.section == Section::Bulletins {
        return None;
    }
    let slug = last.slugs.get(rel)?;
    let mut diags = Diagnostics::new(last.lang);
    let text = read_text(&paths.content, rel, &paths.shown, &mut diags)?;
    if text.text == kept.text {
        return Some(BodyEdit::Unchanged);
    }
    let front = split_front_matter(&text.text).ok()?;
    let front_len = text.text.len() - front.body.len();
    if text.text[..front_len] != kept.text[..kept.body_start] {
        return None;
    }
    let doc = parse_doc(kept.file.clone(), text, &mut diags)?;
    let ctx = records::ResolveContext {
        config,
        targets: &last.targets,
        markdown: &markdown,
        media: &last.media,
        lang: last.lang,
    };
    let record = records::resolve_doc(&doc, slug, &ctx, &mut diags);
    (!diags.has_errors()).then(|| BodyEdit::Edited(Box::new(record)))
}

/// Content-relative path, output path and size of each attachment among `files` (documents
/// linked from the content, whose links show their size).
fn attachment_sizes(files: &[ClaimedFile]) -> Vec<(String, String, u64)> {
    files
        .par_iter()
        .filter(|f| crate::media::attachment_kind(&f.rel).is_some())
        .filter_map(|f| {
            let bytes = std::fs::metadata(&f.source).ok()?.len();
            Some((f.rel.clone(), f.output.clone(), bytes))
        })
        .collect()
}

fn load_config(paths: &SitePaths, tree: &Tree, diags: &mut Diagnostics) -> Option<SiteConfig> {
    let shown = paths.shown.join("site.yaml");
    if !paths.content.join("site.yaml").is_file() {
        diags.report(Place::file(&shown), Problem::MissingSiteFile);
        return None;
    }
    if !check_inside(tree, "site.yaml", diags) {
        return None;
    }
    let file = read_text(&paths.content, "site.yaml", &paths.shown, diags)?;
    let entries = parse_mapping(&file.text, 1, &shown, diags)?;
    // The language decides how every later message is worded, so read it before the rest;
    // what was reported so far keeps its (Chinese) wording.
    let lang = language_of(&entries, &shown, diags);
    let earlier = std::mem::replace(diags, Diagnostics::new(lang));
    diags.extend(earlier);
    let raw = RawSite::from_entries(entries, &shown, diags);
    // A misspelt theme would otherwise build with the built-in one without a word.
    if let Some(theme) = &raw.theme
        && theme.value != "default"
        && crate::config::is_theme_name(&theme.value)
        && !paths.root.join("themes").join(&theme.value).is_dir()
    {
        diags.report(
            Place::field(&shown, theme.line, "theme"),
            Problem::ThemeNotFound {
                value: crate::file_name::escape_invisible(&theme.value),
            },
        );
    }
    Some(resolve_config(raw, &shown, diags))
}

fn parse_doc(
    file: DocFile,
    text: crate::source::TextFile,
    diags: &mut Diagnostics,
) -> Option<ParsedDoc> {
    let shown = text.shown.clone();
    let doc = match split_front_matter(&text.text) {
        Ok(doc) => doc,
        Err(p) => {
            diags.report(Place::line(&shown, 1), p);
            return None;
        }
    };
    let entries = parse_mapping(doc.yaml, doc.yaml_line, &shown, diags)?;
    let raw = match file.section {
        Section::Cases => Raw::Case(RawCase::from_entries(entries, &shown, diags)),
        Section::Brands => Raw::Brand(RawBrand::from_entries(entries, &shown, diags)),
        Section::Bulletins => Raw::Bulletin(RawBulletin::from_entries(entries, &shown, diags)),
        Section::Pages => Raw::Page(RawPage::from_entries(entries, &shown, diags)),
    };
    let body_start = text.text.len() - doc.body.len();
    let body_line = doc.body_line;
    Some(ParsedDoc {
        file,
        shown,
        text: text.text,
        body_start,
        body_line,
        raw,
    })
}

/// Slugs and URLs given out to documents, and the link targets they make.
struct Claims {
    /// Per document (same order as the docs), its slug; None if it could not get one.
    slugs: Vec<Option<String>>,
    /// Content-relative path → root-relative URL.
    targets: HashMap<String, String>,
    copied: Vec<ClaimedFile>,
}

fn claim_urls(
    docs: &[Arc<ParsedDoc>],
    files: &ContentFiles,
    config: &SiteConfig,
    paths: &SitePaths,
    diags: &mut Diagnostics,
) -> Claims {
    let shown_root = &paths.shown;
    let mut owners: HashMap<String, (PathBuf, Section)> = HashMap::new();
    let mut slugs = Vec::with_capacity(docs.len());
    let mut targets = HashMap::new();
    let mut bundle_urls: HashMap<&str, String> = HashMap::new();
    for doc in docs {
        let slug = doc_slug(doc, diags);
        let Some(slug) = slug else {
            slugs.push(None);
            continue;
        };
        let site_path = match doc.file.section {
            Section::Cases => routes::case_dir(&slug),
            Section::Brands => routes::brand_dir(&slug),
            Section::Bulletins => routes::bulletin_dir(&slug),
            Section::Pages => routes::page_dir(&slug),
        };
        if doc.file.section == Section::Pages && RESERVED_TOP.contains(&slug.as_str()) {
            let url = config.base_url.local(&site_path);
            let other = match config.language {
                Lang::Zh => format!("内置页面 {url}"),
                Lang::En => format!("the built-in page {url}"),
            };
            diags.report(slug_place(doc), Problem::UrlCollision { url, other });
            slugs.push(None);
            continue;
        }
        if let Some((other, section)) = owners.get(&site_path) {
            let (problem_here, problem_there) = if *section == doc.file.section {
                (
                    Problem::DuplicateSlug {
                        slug: slug.clone(),
                        other: other.display().to_string(),
                    },
                    Problem::DuplicateSlug {
                        slug: slug.clone(),
                        other: doc.shown.display().to_string(),
                    },
                )
            } else {
                let url = config.base_url.local(&site_path);
                (
                    Problem::UrlCollision {
                        url: url.clone(),
                        other: other.display().to_string(),
                    },
                    Problem::UrlCollision {
                        url,
                        other: doc.shown.display().to_string(),
                    },
                )
            };
            diags.report(slug_place(doc), problem_here);
            diags.report(Place::file(other), problem_there);
            slugs.push(None);
            continue;
        }
        owners.insert(site_path.clone(), (doc.shown.clone(), doc.file.section));
        let url = config.base_url.local(&site_path);
        targets.insert(doc.file.rel.clone(), url.clone());
        if let Some(bundle) = &doc.file.bundle {
            bundle_urls.insert(bundle.as_str(), site_path.clone());
        }
        slugs.push(Some(slug));
    }

    let mut copied = Vec::new();
    let mut claim_file = |rel: &str, output: String, diags: &mut Diagnostics| {
        let shown = shown_root.join(rel);
        if output.len() > MAX_PATH_BYTES {
            let (len, max) = (output.len(), MAX_PATH_BYTES);
            diags.report(Place::file(&shown), Problem::PathTooLong { len, max });
            return;
        }
        if let Some((other, _)) = owners.get(&output) {
            let url = config.base_url.local(&output);
            diags.report(
                Place::file(&shown),
                Problem::UrlCollision {
                    url,
                    other: other.display().to_string(),
                },
            );
            return;
        }
        let top = output.split('/').next().unwrap_or("");
        if output == "index.html" || (!output.contains('/') && RESERVED_TOP.contains(&top)) {
            let url = config.base_url.local(&output);
            let other = match config.language {
                Lang::Zh => format!("内置页面 {url}"),
                Lang::En => format!("the built-in page {url}"),
            };
            diags.report(Place::file(&shown), Problem::UrlCollision { url, other });
            return;
        }
        owners.insert(output.clone(), (shown.clone(), Section::Pages));
        targets.insert(rel.to_owned(), config.base_url.local(&output));
        copied.push(ClaimedFile {
            rel: rel.to_owned(),
            source: paths.content.join(rel),
            shown,
            output,
        });
    };
    for side in &files.side_files {
        let output = match &side.bundle {
            Some(bundle) => match bundle_urls.get(bundle.as_str()) {
                Some(page) => format!("{page}{}", &side.rel[bundle.len() + 1..]),
                // The bundle's page is a draft or failed: its files go with it.
                None => continue,
            },
            None => side.rel.clone(),
        };
        claim_file(&side.rel, output, diags);
    }
    for rel in &files.static_files {
        let output = rel.strip_prefix("static/").unwrap_or(rel).to_owned();
        claim_file(rel, output, diags);
    }
    Claims {
        slugs,
        targets,
        copied,
    }
}

/// The `slug` line if the author wrote one, else the whole file (the slug came from its name).
fn slug_place(doc: &ParsedDoc) -> Place {
    match doc.slug_field() {
        Some(f) => Place::field(&doc.shown, f.line, "slug"),
        None => Place::file(&doc.shown),
    }
}

fn doc_slug(doc: &ParsedDoc, diags: &mut Diagnostics) -> Option<String> {
    if let Raw::Bulletin(raw) = &doc.raw {
        // Wrong values get no URL; `records::resolve_doc` reports them.
        let year = raw
            .year
            .as_ref()
            .and_then(|f| parse_year(&f.value.0).ok())?;
        let issue = raw
            .issue
            .as_ref()
            .and_then(|f| parse_issue(&f.value.0).ok())?;
        return Some(format!("{year}-{issue}"));
    }
    let written = doc.slug_field();
    let slug = match written {
        Some(f) => f.value.clone(),
        None if crate::slug::is_valid(&doc.file.file_slug) => doc.file.file_slug.clone(),
        None => crate::slug::slugify(&doc.file.file_slug),
    };
    if !crate::slug::is_valid(&slug) {
        // A name that gives no slug at all is blamed on the name as written.
        let (place, value) = match written {
            Some(f) => (Place::field(&doc.shown, f.line, "slug"), slug),
            None => (Place::file(&doc.shown), doc.file.file_slug.clone()),
        };
        diags.report(place, Problem::BadSlug { value });
        return None;
    }
    let len = slug.chars().count();
    if len > crate::slug::MAX_LEN {
        let place = match written {
            Some(f) => Place::field(&doc.shown, f.line, "slug"),
            None => Place::file_field(&doc.shown, "slug"),
        };
        let max = crate::slug::MAX_LEN;
        diags.report(place, Problem::SlugTooLong { len, max });
        return None;
    }
    Some(slug)
}

/// A document already in the site, as `xiezuo new` needs to know it.
#[derive(Clone, Debug)]
pub struct ExistingDoc {
    /// Path as shown to authors (`content/cases/a.md`).
    pub shown: PathBuf,
    /// The slug a build gives it (for a bulletin `2025-1`), if it gets one.
    pub slug: Option<String>,
    /// A bulletin's year and issue, when both are valid.
    pub issue: Option<(u64, u64)>,
}

/// site.yaml resolved on its own, with defaults where it is wrong; None when it is missing or
/// cannot be read. Its problems are not reported: this is no build.
pub fn read_config(site_dir: &Path) -> Option<SiteConfig> {
    let paths = SitePaths::locate(site_dir);
    let site = site_folder(&paths.root);
    let mut quiet = Diagnostics::new(Lang::Zh);
    load_config(&paths, &paths.content_tree(&site), &mut quiet)
}

/// Every document of `section` (drafts included), read and named as a build would; problems
/// are not reported.
pub fn existing_documents(site_dir: &Path, section: Section) -> Vec<ExistingDoc> {
    let paths = SitePaths::locate(site_dir);
    let site = site_folder(&paths.root);
    let mut quiet = Diagnostics::new(Lang::Zh);
    let files = classify_files(&paths.content_tree(&site), &mut quiet);
    files
        .docs
        .into_iter()
        .filter(|f| f.section == section)
        .filter_map(|file| {
            let mut quiet = Diagnostics::new(Lang::Zh);
            let text = read_text(&paths.content, &file.rel, &paths.shown, &mut quiet)?;
            parse_doc(file, text, &mut quiet)
        })
        .map(|doc| {
            let issue = match &doc.raw {
                Raw::Bulletin(raw) => {
                    let year = raw.year.as_ref().and_then(|f| parse_year(&f.value.0).ok());
                    let issue = raw
                        .issue
                        .as_ref()
                        .and_then(|f| parse_issue(&f.value.0).ok());
                    year.zip(issue)
                }
                _ => None,
            };
            ExistingDoc {
                slug: doc_slug(&doc, &mut quiet),
                shown: doc.shown,
                issue,
            }
        })
        .collect()
}
