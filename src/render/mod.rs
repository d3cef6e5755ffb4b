//! Site + theme → output files, handed to a [`Sink`] as they are made. Never touches the disk.
//!
//! Every output is a job; jobs render in parallel and independently, so a 100,000-page site
//! streams pages to the writer instead of holding them all. Lists are paginated by slicing
//! cards built once, never by re-processing the whole list for each page.

mod context;
mod feeds;
mod pages;
pub mod statsview;
pub mod texts;

use rayon::prelude::*;

pub use context::*;

use crate::model::Site;
use crate::theme::Theme;

/// Where rendered outputs go: a folder, or a Vec in tests.
pub trait Sink: Sync {
    /// Receives one output file; `path` is relative to the site root (`cases/a/index.html`).
    fn emit(&self, path: &str, bytes: Vec<u8>) -> std::io::Result<()>;
}

/// Why rendering stopped.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("template error: {0}")]
    Template(String),
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// Cases per list page.
pub const PER_PAGE: usize = 20;

/// What was rendered.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderSummary {
    pub pages: usize,
    pub other_files: usize,
    /// Time spent rendering HTML pages (and writing them to the sink).
    pub pages_time: std::time::Duration,
    /// Time spent building and emitting the search index, alongside the pages.
    pub search_time: std::time::Duration,
}

/// Renders the whole site into `sink`.
pub fn render_site(
    site: &Site,
    theme: &Theme,
    sink: &dyn Sink,
) -> Result<RenderSummary, RenderError> {
    let views = Views::new(site);
    let site_view = pages::site_view(site);
    let jobs = pages::jobs(site);
    let globals = crate::theme::Globals::new(&site_view, texts::texts(site.config.language));
    let r = pages::Renderer {
        site,
        views: &views,
        site_view: &site_view,
        theme,
        globals: &globals,
    };
    let emit = |path: &str, bytes: Vec<u8>| {
        sink.emit(path, bytes).map_err(|source| RenderError::Write {
            path: path.to_owned(),
            source,
        })
    };
    // The search index needs only the site: it is built while the pages render, so the cores
    // stay busy through the pages' uneven tail and the writing of ~30,000 small files.
    let (pages, search) = rayon::join(
        || {
            let started = std::time::Instant::now();
            jobs.par_iter().try_for_each(|job| {
                let (path, html) = r.render(job)?;
                emit(&path, html.into_bytes())
            })?;
            Ok::<_, RenderError>(started.elapsed())
        },
        || {
            let started = std::time::Instant::now();
            let search_files = crate::search::build_search_index(site);
            let count = search_files.len();
            // Some 17,000 small files at 10,000 cases: written in parallel like the pages.
            search_files
                .into_par_iter()
                .try_for_each(|(path, bytes)| emit(&path, bytes))?;
            Ok::<_, RenderError>((count, started.elapsed()))
        },
    );
    let pages_time = pages?;
    let (search_count, search_time) = search?;
    let mut other = search_count;
    for (path, bytes) in feeds::feeds(site, &views, &jobs) {
        emit(&path, bytes)?;
        other += 1;
    }
    for (path, bytes) in statsview::open_data(site) {
        emit(&path, bytes)?;
        other += 1;
    }
    for (name, bytes) in &theme.assets {
        emit(&format!("theme/{name}"), bytes.clone())?;
        other += 1;
    }
    Ok(RenderSummary {
        pages: jobs.len(),
        other_files: other,
        pages_time,
        search_time,
    })
}
