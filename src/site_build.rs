//! One build from start to finish: load, load the theme, plan the routes, render into the output
//! folder (only what changed), copy files (or write the sanitised bytes load made of them),
//! remove what is no longer produced.
//! This is what `xiezuo build` and `xiezuo serve` call; it returns data and never prints.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostic::{Diagnostic, Diagnostics, Place};
use crate::model::{Publish, Site};
use crate::output::{OutputDir, OutputError, Protected, Sink, WriteSummary};
use crate::problem::Problem;
use crate::render::{RenderSummary, render_site};
use crate::resolve::{
    BodyEdit, LoadCache, LoadOptions, Record, Section, SitePaths, load_site_reusing,
    reresolve_body_edit,
};
use crate::routes::{Route, Routes};
use crate::snapshot::{self, Snapshot, Stored};
use crate::theme::Theme;

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub summary: RenderSummary,
    pub copied: usize,
    /// Files written and removed in the output folder.
    pub written: WriteSummary,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
    /// Time spent loading and validating the content (parsing, Markdown, resolving).
    pub load_time: Duration,
    pub output: PathBuf,
    /// The site's language, for wording the summary.
    pub lang: crate::problem::Lang,
    /// Nothing had changed since the last build into this folder: nothing was loaded or
    /// written (the warnings are the last build's).
    pub unchanged: bool,
}

/// Why a build failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Content or theme problems: all of them, errors and warnings.
    #[error("the content has errors")]
    Content(Vec<Diagnostic>),
    /// The output folder was refused (it would overwrite the author's files) or not writable.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// The output could not be written.
    #[error("{0}")]
    Io(String),
}

/// The folders a build must never write into: the sources of the site in `paths`.
pub fn protected_sources(paths: &SitePaths) -> Protected {
    let mut sources = vec![paths.root.join("themes")];
    if paths.content == paths.root {
        // site.yaml beside the sections: the sections and site.yaml are the sources.
        sources.extend(
            Section::ALL
                .iter()
                .map(|s| paths.content.join(s.dir()))
                .chain(["static", "stats", "site.yaml"].map(|d| paths.content.join(d))),
        );
    } else {
        sources.push(paths.content.clone());
    }
    sources.push(paths.cache());
    Protected {
        sources,
        site: paths.root.clone(),
        previews: Some(previews_folder(paths)),
    }
}

/// Where `xiezuo serve` builds: a folder in the build cache, so a preview (with its local
/// `base_url` and perhaps drafts) never lands in `public/`, which is what gets uploaded.
pub fn previews_folder(paths: &SitePaths) -> PathBuf {
    paths.cache().join("serve")
}

/// What a process that builds the same site again and again (`serve`) keeps from one build to
/// the next: the documents it parsed and resolved, and the site it rendered last, from which an
/// edit to a page's body is shown before the whole site is brought up to date.
pub struct Warm {
    load: LoadCache,
    last: Option<LastBuild>,
}

/// The last successful build, as rendered.
struct LastBuild {
    site: Site,
    routes: Routes,
    theme: Theme,
    output: PathBuf,
}

impl Warm {
    pub fn new() -> Warm {
        Warm {
            load: LoadCache::new(),
            last: None,
        }
    }

    /// Documents kept for reuse (for tests and timings).
    pub fn documents(&self) -> usize {
        self.load.len()
    }
}

impl Default for Warm {
    fn default() -> Self {
        Warm::new()
    }
}

/// Builds the site in `site_dir` into `out` (default `site_dir/public`).
pub fn build_site(
    site_dir: &Path,
    out: Option<&Path>,
    options: &LoadOptions,
) -> Result<BuildReport, BuildError> {
    build(site_dir, out, options, &mut LoadCache::none(), true).map(|(report, _)| report)
}

/// [`build_site`] for a process that builds the same site again and again (`serve`): documents
/// whose inputs are unchanged since the last build through `warm` are not parsed or rendered
/// from Markdown again.
pub fn build_site_reusing(
    site_dir: &Path,
    out: Option<&Path>,
    options: &LoadOptions,
    warm: &mut Warm,
) -> Result<BuildReport, BuildError> {
    // The first build of a process loads the site even when the output is up to date: what it
    // keeps is what makes the edits after it fast.
    let may_skip = warm.last.is_some();
    // Dropped before the build, so that two sites are never in memory at once.
    let previous = warm.last.take();
    match build(site_dir, out, options, &mut warm.load, may_skip) {
        Ok((report, last)) => {
            warm.last = if report.unchanged { previous } else { last };
            Ok(report)
        }
        Err(e) => {
            // Nothing is shown early from a site that no longer builds.
            warm.last = None;
            Err(e)
        }
    }
}

/// What an early render of edited pages wrote.
#[derive(Debug)]
pub struct Preview {
    /// Output paths written (`cases/a/index.html`).
    pub written: Vec<String>,
    pub elapsed: Duration,
    /// The site's language, for wording the report.
    pub lang: crate::problem::Lang,
}

/// Shows edits at once where they changed only the Markdown body of cases, brands or pages
/// (the front matter byte for byte as it was): those documents are resolved again and their
/// own pages rendered from the last build's site into its output, in a few milliseconds, as
/// the full build would render them. Everything else the edit affects (excerpts on lists,
/// the search index, feeds) is the full build's, which must follow; it finds these pages
/// already up to date. None, with nothing written, when the edits are not of that kind.
/// `changed` are the paths that changed (absolute, as a file watcher reports them).
pub fn preview_body_edits(
    site_dir: &Path,
    warm: &mut Warm,
    changed: &[PathBuf],
) -> Option<Preview> {
    let start = Instant::now();
    let last = warm.last.as_mut()?;
    let paths = SitePaths::locate(site_dir);
    let content = std::path::absolute(&paths.content).ok()?;
    let mut edited = Vec::new();
    for path in changed {
        let rel = path.strip_prefix(&content).ok()?;
        let rel: Vec<&str> = rel.iter().map(|p| p.to_str()).collect::<Option<_>>()?;
        let rel = rel.join("/");
        if warm.load.is_document(&rel) {
            edited.push(rel);
        } else if path.is_file() {
            // A new file: more than a body changed.
            return None;
        }
        // Otherwise a folder, or an editor's temporary file already gone.
    }
    if edited.is_empty() {
        return None;
    }
    edited.sort_unstable();
    edited.dedup();
    let mut patches = Vec::with_capacity(edited.len());
    for rel in &edited {
        // A document saved again as it was ("save all") changes nothing.
        let BodyEdit::Edited(record) =
            reresolve_body_edit(site_dir, &last.site.config, &mut warm.load, rel)?
        else {
            continue;
        };
        let site = &last.site;
        let route = match record.as_ref() {
            Record::Case(_) => Route::Case(site.cases.iter().position(|c| c.origin.rel == *rel)?),
            Record::Brand(_) => {
                Route::Brand(site.brands.iter().position(|b| b.origin.rel == *rel)?)
            }
            Record::Page(_) => Route::Page(site.pages.iter().position(|p| p.origin.rel == *rel)?),
            _ => return None,
        };
        patches.push((route, *record));
    }
    let mut routes = Vec::with_capacity(patches.len());
    for (route, record) in patches {
        match (route, record) {
            (Route::Case(i), Record::Case(c)) => last.site.cases[i] = c,
            (Route::Brand(i), Record::Brand(b)) => last.site.brands[i] = b,
            (Route::Page(i), Record::Page(p)) => last.site.pages[i] = p,
            _ => return None,
        }
        routes.push(route);
    }
    let sink = PreviewSink {
        root: &last.output,
        written: Default::default(),
    };
    // On an error (which the full build will report) the pages already written are still
    // announced, so that open pages showing them reload.
    let _ = crate::render::render_pages(&last.site, &last.routes, &last.theme, &sink, &routes);
    Some(Preview {
        written: sink.written.into_inner().ok()?,
        elapsed: start.elapsed(),
        lang: last.site.config.language,
    })
}

/// Writes pages straight into an output folder, leaving its manifest to the full build that
/// follows (which compares such files with the disk before writing them again).
struct PreviewSink<'a> {
    root: &'a Path,
    written: std::sync::Mutex<Vec<String>>,
}

impl Sink for PreviewSink<'_> {
    fn emit(&self, path: &str, bytes: Vec<u8>) -> std::io::Result<()> {
        let target = crate::output::inside(self.root, path)?;
        if std::fs::read(&target).is_ok_and(|disk| disk == bytes) {
            return Ok(());
        }
        crate::output::replace_file(&target, &bytes)?;
        self.written
            .lock()
            .map_err(|_| std::io::Error::other("poisoned lock"))?
            .push(path.to_owned());
        Ok(())
    }
}

/// One build; the site as rendered, when `cache` keeps things for the next build.
fn build(
    site_dir: &Path,
    out: Option<&Path>,
    options: &LoadOptions,
    cache: &mut LoadCache,
    may_skip: bool,
) -> Result<(BuildReport, Option<LastBuild>), BuildError> {
    let start = Instant::now();
    let paths = SitePaths::locate(site_dir);
    let output = out.map_or_else(|| site_dir.join("public"), Path::to_path_buf);
    let snapshot = snapshot::take(&paths, &output, options);
    if let Some(report) = snapshot
        .as_ref()
        .filter(|_| may_skip)
        .and_then(|s| unchanged(s, &paths, &output, start))
    {
        return Ok((report, None));
    }
    let loaded = load_site_reusing(site_dir, options, cache).map_err(BuildError::Content)?;
    let load_time = start.elapsed();
    let site = loaded.site;
    let mut diags = Diagnostics::new(site.config.language);
    let Some(theme) = Theme::load(&paths.root, &site.config.theme, &mut diags) else {
        let mut all = diags.into_sorted();
        all.extend(loaded.warnings);
        return Err(BuildError::Content(all));
    };
    // The theme's own warnings (a hidden file in its folder) join the content's.
    let mut warnings = loaded.warnings;
    warnings.extend(diags.into_sorted());
    let asset_names: Vec<String> = theme.assets.iter().map(|(n, _)| n.clone()).collect();
    let routes = crate::routes::plan(&site, &asset_names).map_err(|mut errors| {
        errors.extend(warnings.iter().cloned());
        BuildError::Content(errors)
    })?;
    let protected = protected_sources(&paths);
    crate::output::check_output_folder(&output, &protected)?;
    if output.is_dir() {
        snapshot::forget(&paths.cache(), &output)
            .map_err(|e| BuildError::Io(format!("{}: {e}", paths.cache().display())))?;
    }
    let dir = OutputDir::open(&output, &protected, &paths.cache())?;
    let summary = match render_site(&site, &routes, &theme, &dir) {
        Ok(s) => s,
        Err(crate::render::RenderError::Template(m)) => {
            let mut d = Diagnostics::new(site.config.language);
            d.report(
                Place::file(&paths.root.join("themes").join(&site.config.theme)),
                Problem::Template(m),
            );
            return Err(BuildError::Content(d.into_sorted()));
        }
        Err(e) => return Err(BuildError::Io(e.to_string())),
    };
    for (i, f) in site.files.iter().enumerate() {
        let path = routes.output_path(&site, Route::Copied(i));
        let written = match &f.publish {
            Publish::AsIs => dir.copy(&f.source, &path),
            Publish::Bytes(bytes) => dir.emit(&path, bytes.clone()),
        };
        written.map_err(|e| BuildError::Io(format!("{}: {e}", f.source.display())))?;
    }
    let image_copies = write_image_copies(&site, &routes, &dir)?;
    let written = dir.finish()?;
    if let Some(snapshot) = &snapshot {
        let record = Stored::new(
            summary.pages,
            summary.other_files,
            site.files.len() + image_copies,
            site.config.language,
            warnings.clone(),
        );
        // Without the record the next build only does its full work: not worth failing for.
        let _ = snapshot::store(snapshot, &paths.cache(), &output, record);
    }
    let report = BuildReport {
        summary,
        copied: site.files.len() + image_copies,
        written,
        warnings,
        elapsed: start.elapsed(),
        load_time,
        output: output.clone(),
        lang: site.config.language,
        unchanged: false,
    };
    let last = cache.keeps().then(|| LastBuild {
        site,
        routes,
        theme,
        output,
    });
    Ok((report, last))
}

/// Puts the copies of every photo into the output, from the build cache where load left them:
/// a copy made from the same photo and settings as the one already there is not touched.
/// Returns how many copies the site has.
fn write_image_copies(
    site: &crate::model::Site,
    routes: &crate::routes::Routes,
    dir: &OutputDir,
) -> Result<usize, BuildError> {
    use rayon::prelude::*;
    let copies: Vec<(Route, &crate::model::ImageCopy)> = site
        .images
        .iter()
        .enumerate()
        .flat_map(|(index, image)| {
            image
                .copies
                .iter()
                .enumerate()
                .map(move |(copy, c)| (Route::Image { index, copy }, c))
        })
        .collect();
    copies.par_iter().try_for_each(|&(route, copy)| {
        let path = routes.output_path(site, route);
        let write = || -> std::io::Result<()> {
            if dir.reuse(&path, copy.made_from)? {
                return Ok(());
            }
            dir.emit_made_from(&path, copy.made_from, std::fs::read(&copy.cached)?)
        };
        write().map_err(|e| BuildError::Io(format!("{}: {e}", copy.cached.display())))
    })?;
    Ok(copies.len())
}

/// The report of a build that has nothing to do: the inputs are the last successful build's and
/// the output folder is untouched since. Its warnings are the last build's.
fn unchanged(
    snapshot: &Snapshot,
    paths: &SitePaths,
    output: &Path,
    start: Instant,
) -> Option<BuildReport> {
    crate::output::check_output_folder(output, &protected_sources(paths)).ok()?;
    let stored = snapshot::stored_for(snapshot, &paths.cache(), output)?;
    if !crate::output::unchanged_since_last_build(output, &paths.cache()) {
        return None;
    }
    Some(BuildReport {
        summary: RenderSummary {
            pages: stored.pages,
            other_files: stored.other_files,
            ..RenderSummary::default()
        },
        copied: stored.copied,
        written: WriteSummary::default(),
        warnings: stored.warnings,
        elapsed: start.elapsed(),
        load_time: std::time::Duration::ZERO,
        output: output.to_path_buf(),
        lang: stored.lang,
        unchanged: true,
    })
}
