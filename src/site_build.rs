//! One build from start to finish: load, load the theme, plan the routes, render into the output
//! folder (only what changed), copy files (or write the sanitised bytes load made of them),
//! remove what is no longer produced.
//! This is what `xiezuo build` and `xiezuo serve` call; it returns data and never prints.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostic::{Diagnostic, Diagnostics, Place};
use crate::model::Publish;
use crate::output::{OutputDir, OutputError, Protected, Sink, WriteSummary};
use crate::problem::Problem;
use crate::render::{RenderSummary, render_site};
use crate::resolve::{LoadCache, LoadOptions, Section, SitePaths, load_site_reusing};
use crate::routes::Route;
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

/// Builds the site in `site_dir` into `out` (default `site_dir/public`).
pub fn build_site(
    site_dir: &Path,
    out: Option<&Path>,
    options: &LoadOptions,
) -> Result<BuildReport, BuildError> {
    build_site_reusing(site_dir, out, options, &mut LoadCache::none())
}

/// [`build_site`] for a process that builds the same site again and again (`serve`): documents
/// whose inputs are unchanged since the last build through `cache` are not parsed or rendered
/// from Markdown again.
pub fn build_site_reusing(
    site_dir: &Path,
    out: Option<&Path>,
    options: &LoadOptions,
    cache: &mut LoadCache,
) -> Result<BuildReport, BuildError> {
    let start = Instant::now();
    let paths = SitePaths::locate(site_dir);
    let output = out.map_or_else(|| site_dir.join("public"), Path::to_path_buf);
    let snapshot = snapshot::take(&paths, &output, options);
    if let Some(report) = snapshot
        .as_ref()
        .and_then(|s| unchanged(s, &paths, &output, start))
    {
        return Ok(report);
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
    Ok(BuildReport {
        summary,
        copied: site.files.len() + image_copies,
        written,
        warnings,
        elapsed: start.elapsed(),
        load_time,
        output,
        lang: site.config.language,
        unchanged: false,
    })
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
