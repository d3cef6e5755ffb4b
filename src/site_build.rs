//! One build from start to finish: load, load the theme, render into a staging folder, swap.
//! This is what `xiezuo build` and `xiezuo serve` call; it returns data and never prints.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostic::{Diagnostic, Diagnostics, Place};
use crate::output::StagingDir;
use crate::problem::Problem;
use crate::render::{RenderSummary, render_site};
use crate::resolve::{LoadOptions, SitePaths, load_site};
use crate::theme::Theme;

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub summary: RenderSummary,
    pub copied: usize,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
    /// Time spent loading and validating the content (parsing, Markdown, resolving).
    pub load_time: Duration,
    pub output: PathBuf,
    /// The site's language, for wording the summary.
    pub lang: crate::problem::Lang,
}

/// Why a build failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Content or theme problems: all of them, errors and warnings.
    #[error("the content has errors")]
    Content(Vec<Diagnostic>),
    /// The output could not be written.
    #[error("{0}")]
    Io(String),
}

/// Builds the site in `site_dir` into `out` (default `site_dir/public`).
pub fn build_site(
    site_dir: &Path,
    out: Option<&Path>,
    options: &LoadOptions,
) -> Result<BuildReport, BuildError> {
    let start = Instant::now();
    let loaded = load_site(site_dir, options).map_err(BuildError::Content)?;
    let load_time = start.elapsed();
    let site = loaded.site;
    let paths = SitePaths::locate(site_dir);
    let mut diags = Diagnostics::new(site.config.language);
    let Some(theme) = Theme::load(&paths.root, &site.config.theme, &mut diags) else {
        let mut all = diags.into_sorted();
        all.extend(loaded.warnings);
        return Err(BuildError::Content(all));
    };
    let output = out.map_or_else(|| site_dir.join("public"), Path::to_path_buf);
    let staging = StagingDir::create(&output)
        .map_err(|e| BuildError::Io(format!("{}: {e}", output.display())))?;
    let rendered = render_site(&site, &theme, &staging);
    let summary = match rendered {
        Ok(s) => s,
        Err(crate::render::RenderError::Template(m)) => {
            staging.discard();
            let mut d = Diagnostics::new(site.config.language);
            d.report(
                Place::file(&paths.root.join("themes").join(&site.config.theme)),
                Problem::Template(m),
            );
            return Err(BuildError::Content(d.into_sorted()));
        }
        Err(e) => {
            staging.discard();
            return Err(BuildError::Io(e.to_string()));
        }
    };
    let copy_result = site.files.iter().try_for_each(|f| {
        staging
            .copy(&f.source, &f.output)
            .map_err(|e| format!("{}: {e}", f.source.display()))
    });
    if let Err(e) = copy_result {
        staging.discard();
        return Err(BuildError::Io(e));
    }
    staging
        .commit(&output)
        .map_err(|e| BuildError::Io(format!("{}: {e}", output.display())))?;
    Ok(BuildReport {
        summary,
        copied: site.files.len(),
        warnings: loaded.warnings,
        elapsed: start.elapsed(),
        load_time,
        output,
        lang: site.config.language,
    })
}
