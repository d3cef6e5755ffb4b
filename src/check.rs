//! `xiezuo check`: everything a build validates, plus what only the finished pages can tell —
//! links to pages and files the site does not produce, anchors (`#…`) no element of the target
//! page has, links to the local preview, and root-relative links that miss the site's sub-path.
//!
//! It runs the build's own stages (load, theme, routes, render) with a sink that keeps only
//! each output's path and the ids of each page, so it writes nothing, not even the build cache.
//! Links are resolved through the routes table, the only URL scheme there is. Relative links to
//! missing files are already reported by loading; this module does not report them again.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Mutex;

use rayon::prelude::*;

use crate::config::BaseUrl;
use crate::diagnostic::{Diagnostic, Diagnostics, Place, sort_diagnostics};
use crate::markdown::{LinkRef, Markdown, is_relative, resolve_link};
use crate::model::Site;
use crate::output::Sink;
use crate::problem::{Lang, Problem};
use crate::resolve::{LoadCache, LoadOptions, SitePaths, load_site_reusing};
use crate::routes::{Route, Routes};
use crate::source::{read_text, split_front_matter};
use crate::theme::Theme;

/// What a check found.
#[derive(Debug)]
pub struct CheckReport {
    /// Every error and warning, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// The site's language (Chinese when site.yaml cannot be read).
    pub lang: Lang,
    /// Pages rendered, 0 when loading failed.
    pub pages: usize,
    /// Links followed from the content's Markdown.
    pub links: usize,
}

impl CheckReport {
    pub fn errors(&self) -> usize {
        self.count(crate::diagnostic::Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.count(crate::diagnostic::Severity::Warning)
    }

    fn count(&self, severity: crate::diagnostic::Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// Checks the site in `site_dir`. Content problems are diagnostics in the report; `Err` is a
/// failure of the check itself.
pub fn check_site(site_dir: &Path, options: &LoadOptions) -> Result<CheckReport, String> {
    let paths = SitePaths::locate(site_dir);
    let loaded = match load_site_reusing(site_dir, options, &mut LoadCache::read_only()) {
        Ok(loaded) => loaded,
        Err(diagnostics) => {
            return Ok(CheckReport {
                diagnostics,
                lang: site_language(&paths),
                pages: 0,
                links: 0,
            });
        }
    };
    let site = loaded.site;
    let lang = site.config.language;
    let mut all = loaded.warnings;
    let mut diags = Diagnostics::new(lang);
    let finish = |mut all: Vec<Diagnostic>, diags: Diagnostics, pages, links| {
        all.extend(diags.into_sorted());
        sort_diagnostics(&mut all);
        Ok(CheckReport {
            diagnostics: all,
            lang,
            pages,
            links,
        })
    };
    let Some(theme) = Theme::load(&paths.root, &site.config.theme, &mut diags) else {
        return finish(all, diags, 0, 0);
    };
    let assets: Vec<String> = theme.assets.iter().map(|(n, _)| n.clone()).collect();
    let routes = match crate::routes::plan(&site, &assets) {
        Ok(routes) => routes,
        Err(errors) => {
            all.extend(errors);
            return finish(all, diags, 0, 0);
        }
    };
    let outputs = Outputs::default();
    match crate::render::render_site(&site, &routes, &theme, &outputs) {
        Ok(_) => {}
        Err(crate::render::RenderError::Template(m)) => {
            let place = Place::file(&paths.root.join("themes").join(&site.config.theme));
            diags.report(place, Problem::Template(m));
            return finish(all, diags, 0, 0);
        }
        Err(e) => return Err(e.to_string()),
    }
    let ids = outputs.ids.into_inner().unwrap_or_else(|e| e.into_inner());
    let table = LinkTable::new(&site, &routes, &paths, ids);
    let markdown = Markdown::new();
    let docs: Vec<(Route, &str)> = documents(&site).collect();
    let checked: Vec<(usize, Diagnostics)> = docs
        .par_iter()
        .map(|&(route, rel)| {
            let mut d = Diagnostics::new(lang);
            let doc = Doc { route, rel };
            let n = check_document(&site, &routes, &table, &paths, &markdown, doc, &mut d);
            (n, d)
        })
        .collect();
    let mut followed = 0;
    for (n, d) in checked {
        followed += n;
        diags.extend(d);
    }
    finish(all, diags, routes.pages.len(), followed)
}

/// The language site.yaml asks for, read on its own when the site as a whole did not load, so
/// the summary speaks the same language as the diagnostics.
fn site_language(paths: &SitePaths) -> Lang {
    let mut quiet = Diagnostics::new(Lang::Zh);
    let shown = paths.shown.join("site.yaml");
    read_text(&paths.content, "site.yaml", &paths.shown, &mut quiet)
        .and_then(|file| crate::yaml::parse_mapping(&file.text, 1, &shown, &mut quiet))
        .map_or(Lang::Zh, |entries| {
            crate::config::language_of(&entries, &shown, &mut quiet)
        })
}

/// The ids of every HTML page rendered, by output path; the sink of a check.
#[derive(Default)]
struct Outputs {
    ids: Mutex<HashMap<String, HashSet<String>>>,
}

impl Sink for Outputs {
    fn emit(&self, path: &str, bytes: Vec<u8>) -> std::io::Result<()> {
        if path.ends_with(".html") {
            let ids = html_ids(&String::from_utf8_lossy(&bytes));
            let mut all = self.ids.lock().unwrap_or_else(|e| e.into_inner());
            all.insert(path.to_owned(), ids);
        }
        Ok(())
    }
}

/// The values of the `id` attributes of an HTML page, entities decoded.
fn html_ids(html: &str) -> HashSet<String> {
    let mut ids = HashSet::new();
    let mut rest = html;
    while let Some(at) = rest.find("id=\"") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + 4..];
        let Some(end) = rest.find('"') else { break };
        if before.is_some_and(char::is_whitespace) {
            ids.insert(decode_entities(&rest[..end]));
        }
        rest = &rest[end + 1..];
    }
    ids
}

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Every URL the site produces, and how relative links between content files resolve.
struct LinkTable {
    base: BaseUrl,
    /// Root-relative URL (`/dxbrs/cases/a/`) → output path (`cases/a/index.html`).
    urls: HashMap<String, String>,
    /// Content-relative path (`cases/a.md`) → root-relative URL, as loading resolved them.
    targets: HashMap<String, String>,
    /// Output path → ids of the page.
    ids: HashMap<String, HashSet<String>>,
}

impl LinkTable {
    fn new(
        site: &Site,
        routes: &Routes,
        paths: &SitePaths,
        ids: HashMap<String, HashSet<String>>,
    ) -> LinkTable {
        let urls = routes
            .pages
            .iter()
            .chain(&routes.files)
            .filter(|r| !matches!(r, Route::SearchIndex))
            .map(|&r| (routes.url(site, r), routes.output_path(site, r)))
            .collect();
        let mut targets: HashMap<String, String> = documents(site)
            .map(|(route, rel)| (rel.to_owned(), routes.url(site, route)))
            .collect();
        for (i, file) in site.files.iter().enumerate() {
            if let Ok(rel) = file.source.strip_prefix(&paths.content) {
                let rel = rel.to_string_lossy().replace('\\', "/");
                targets.insert(rel, routes.url(site, Route::Copied(i)));
            }
        }
        // A photo is reached at its largest copy, which takes the photo's own name.
        for (index, image) in site.images.iter().enumerate() {
            let copy = image.copies.len().saturating_sub(1);
            targets.insert(
                image.rel.clone(),
                routes.url(site, Route::Image { index, copy }),
            );
        }
        LinkTable {
            base: site.config.base_url.clone(),
            urls,
            targets,
            ids,
        }
    }

    /// The output a root-relative URL path reaches, as a web server would serve it.
    fn output_of(&self, url_path: &str) -> Option<&String> {
        let path = percent_decode(url_path);
        let folder = path.strip_suffix("index.html").unwrap_or(&path);
        self.urls
            .get(folder)
            .or_else(|| self.urls.get(&format!("{folder}/")))
    }
}

/// Every Markdown document of the site: its route and content-relative path.
fn documents(site: &Site) -> impl Iterator<Item = (Route, &str)> {
    let cases = site.cases.iter().enumerate();
    let brands = site.brands.iter().enumerate();
    let bulletins = site.bulletins.iter().enumerate();
    let pages = site.pages.iter().enumerate();
    cases
        .map(|(i, r)| (Route::Case(i), r.origin.rel.as_str()))
        .chain(brands.map(|(i, r)| (Route::Brand(i), r.origin.rel.as_str())))
        .chain(bulletins.map(|(i, r)| (Route::Bulletin(i), r.origin.rel.as_str())))
        .chain(pages.map(|(i, r)| (Route::Page(i), r.origin.rel.as_str())))
}

/// A Markdown document: its route and content-relative path.
struct Doc<'a> {
    route: Route,
    rel: &'a str,
}

/// Follows every link of one document; returns how many it followed.
fn check_document(
    site: &Site,
    routes: &Routes,
    table: &LinkTable,
    paths: &SitePaths,
    markdown: &Markdown,
    Doc { route, rel }: Doc,
    diags: &mut Diagnostics,
) -> usize {
    // Loading read and reported this file already; a second read only needs the text.
    let mut quiet = Diagnostics::new(diags.lang());
    let Some(file) = read_text(&paths.content, rel, &paths.shown, &mut quiet) else {
        return 0;
    };
    let Ok(doc) = split_front_matter(&file.text) else {
        return 0;
    };
    let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
    let own = routes.output_path(site, route);
    let links = markdown.links(doc.body, doc.body_line);
    for link in &links {
        let place = Place::line(&file.shown, link.line).at_column(link.column);
        if let Some(problem) = follow(link, dir, &own, table) {
            diags.report(place, problem);
        }
    }
    links.len()
}

/// What is wrong with one link, if anything.
fn follow(link: &LinkRef, dir: &str, own: &str, table: &LinkTable) -> Option<Problem> {
    let url = link.url.trim();
    let target = url.to_owned();
    if let Some(fragment) = url.strip_prefix('#') {
        return missing_anchor(&target, own, fragment, table);
    }
    if is_relative(url) {
        let media = crate::media::Media::default();
        let context = crate::markdown::DocContext {
            dir,
            first_line: 1,
            targets: &table.targets,
            media: &media,
            lang: crate::problem::Lang::Zh,
        };
        // Unresolved relative links were reported by loading (a missing file).
        let resolved = resolve_link(url, &context)?;
        let (path, fragment) = split_url(&resolved);
        let output = table.output_of(path)?;
        return fragment.and_then(|f| missing_anchor(&target, output, f, table));
    }
    let local = match url.split_once("://") {
        Some((_, rest)) if is_preview(rest) => return Some(Problem::PreviewLink { target }),
        Some(_) => url.strip_prefix(&table.base.origin)?,
        None if url.starts_with("//") => return None,
        None if url.starts_with('/') => url,
        None => return None,
    };
    if !local.starts_with('/') && !local.is_empty() {
        // `https://host.gov.cn.evil/…`: another origin that begins like ours.
        return None;
    }
    let local = if local.is_empty() { "/" } else { local };
    let (path, fragment) = split_url(local);
    let Some(in_site) = path
        .strip_prefix(&table.base.path)
        .map(|_| path)
        .or_else(|| {
            (path.len() + 1 == table.base.path.len() && table.base.path.starts_with(path))
                .then_some(path)
        })
    else {
        // Outside the sub-path: the portal's own pages are fine, but a path that is one of
        // ours with the sub-path left out is a mistake that breaks once published.
        // The home page is left out: `/` and `/index.html` are the portal's home, a fair link.
        let ours = format!("{}{}", table.base.path, path.trim_start_matches('/'));
        let output = table
            .output_of(&ours)
            .filter(|o| o.as_str() != "index.html");
        return output.map(|_| Problem::OutsideBase {
            target,
            base: table.base.path.clone(),
        });
    };
    let Some(output) = table.output_of(in_site) else {
        return Some(Problem::MissingPage { target });
    };
    fragment.and_then(|f| missing_anchor(&target, output, f, table))
}

/// `http://localhost:1111/…` and `http://127.0.0.1:…`: the preview server's address.
fn is_preview(after_scheme: &str) -> bool {
    let host = after_scheme.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once(':').map_or(host, |(h, port)| {
        if port.bytes().all(|b| b.is_ascii_digit()) {
            h
        } else {
            host
        }
    });
    matches!(host, "localhost" | "127.0.0.1" | "[::1]" | "0.0.0.0")
}

/// `/a/b/?q=1#x` → (`/a/b/`, Some(`x`)).
fn split_url(url: &str) -> (&str, Option<&str>) {
    let (rest, fragment) = match url.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (url, None),
    };
    (rest.split('?').next().unwrap_or(rest), fragment)
}

/// The problem of `#fragment` on the page at `output`, if that page has no such id.
fn missing_anchor(
    target: &str,
    output: &str,
    fragment: &str,
    table: &LinkTable,
) -> Option<Problem> {
    let fragment = percent_decode(fragment);
    // An empty fragment and `#top` go to the top of any page (HTML's rule).
    if fragment.is_empty() || fragment.eq_ignore_ascii_case("top") {
        return None;
    }
    let ids = table.ids.get(output)?;
    if ids.contains(&fragment) {
        return None;
    }
    let suggestion = ids
        .iter()
        .map(|id| (strsim::levenshtein(&fragment, id), id))
        .filter(|(d, id)| *d <= (id.chars().count() / 2).max(1))
        .min()
        .map(|(_, id)| id.clone());
    let page = table
        .urls
        .iter()
        .find(|(_, path)| path.as_str() == output)
        .map_or_else(|| output.to_owned(), |(url, _)| url.clone());
    Some(Problem::BrokenAnchor {
        target: target.to_owned(),
        page,
        suggestion,
    })
}

/// `%E4%B8%80` → `一`; anything that is not valid percent-encoded UTF-8 is kept as written.
fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_read_from_attributes_only() {
        let ids = html_ids(
            "<h2 id=\"一主要做法\">x</h2><a href=\"#x\" data-id=\"no\"><p\tid=\"a&amp;b\">",
        );
        let mut ids: Vec<_> = ids.into_iter().collect();
        ids.sort();
        assert_eq!(ids, vec!["a&b", "一主要做法"]);
    }

    #[test]
    fn urls_split_and_decode() {
        assert_eq!(split_url("/a/b/?q=1#x"), ("/a/b/", Some("x")));
        assert_eq!(split_url("/a/"), ("/a/", None));
        assert_eq!(percent_decode("%E4%B8%80%E4%B8%BB"), "一主");
        assert_eq!(percent_decode("100%"), "100%");
        assert!(is_preview("127.0.0.1:1111/cases/a/"));
        assert!(is_preview("localhost/x"));
        assert!(!is_preview("www.example.gov.cn/dxbrs/"));
    }
}
