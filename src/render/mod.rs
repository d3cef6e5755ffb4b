//! Site + theme → output files, handed to a [`Sink`] as they are made. Never touches the disk.
//!
//! Every output is a job; jobs render in parallel and independently, so a 100,000-page site
//! streams pages to the writer instead of holding them all. Lists are paginated by slicing
//! cards built once, never by re-processing the whole list for each page.

mod context;
mod feeds;
mod pages;
pub mod statsview;

use rayon::prelude::*;

pub use context::*;

use std::io::Write as _;

use crate::model::Site;
use crate::output::FingerprintWriter;
use crate::routes::{Route, Routes, SEARCH_DIR};
use crate::theme::Theme;

pub use crate::output::Sink;

/// Why rendering stopped.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("template error: {0}")]
    Template(String),
    #[error("cannot serialise {path}: {message}")]
    Serialize { path: String, message: String },
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// What was rendered.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderSummary {
    pub pages: usize,
    /// Pages rendered because their inputs changed; the others were kept from the last build.
    pub rendered: usize,
    pub other_files: usize,
    /// Time spent rendering HTML pages (and writing them to the sink).
    pub pages_time: std::time::Duration,
    /// Time spent building and emitting the search index, alongside the pages.
    pub search_time: std::time::Duration,
}

/// Renders every route of the site into `sink`: the pages, then the feeds, open data, search
/// index and theme files. Copied files are the caller's (they are not rendered).
pub fn render_site(
    site: &Site,
    routes: &Routes,
    theme: &Theme,
    sink: &dyn Sink,
) -> Result<RenderSummary, RenderError> {
    with_renderer(site, routes, theme, sink, |r| {
        render_all(site, routes, theme, sink, r)
    })
}

/// Renders only the HTML pages `only` into `sink`, exactly as [`render_site`] would: for showing
/// an edited page at once, before the whole site is brought up to date. Returns how many of
/// them were made (the others were already there, made from the same inputs).
pub fn render_pages(
    site: &Site,
    routes: &Routes,
    theme: &Theme,
    sink: &dyn Sink,
    only: &[Route],
) -> Result<usize, RenderError> {
    with_renderer(site, routes, theme, sink, |r| {
        only.par_iter().try_for_each(|&route| r.render(route))?;
        Ok(r.rendered.load(std::sync::atomic::Ordering::Relaxed))
    })
}

fn with_renderer<T>(
    site: &Site,
    routes: &Routes,
    theme: &Theme,
    sink: &dyn Sink,
    f: impl FnOnce(&pages::Renderer<'_>) -> Result<T, RenderError>,
) -> Result<T, RenderError> {
    let views = Views::new(site);
    let site_view = pages::site_view(site, routes);
    let globals = crate::theme::Globals::new(&site_view, crate::texts::texts(site.config.language));
    let seed =
        crate::fingerprint::of_value(theme.fingerprint, &(env!("XIEZUO_BUILD_ID"), &site_view))
            .map_err(|e| RenderError::Template(e.to_string()))?;
    let r = pages::Renderer {
        site,
        routes,
        views: &views,
        site_view: &site_view,
        theme,
        globals: &globals,
        sink,
        seed,
        rendered: Default::default(),
    };
    f(&r)
}

fn render_all(
    site: &Site,
    routes: &Routes,
    theme: &Theme,
    sink: &dyn Sink,
    r: &pages::Renderer<'_>,
) -> Result<RenderSummary, RenderError> {
    let views = r.views;
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
            routes
                .pages
                .par_iter()
                .try_for_each(|&route| r.render(route))?;
            Ok::<_, RenderError>(started.elapsed())
        },
        || {
            let started = std::time::Instant::now();
            // The index is a function of the whole site: unchanged content, unchanged index.
            let inputs = {
                let mut fp = FingerprintWriter::seeded(site.content_fingerprint());
                let _ = fp.write_all(env!("XIEZUO_BUILD_ID").as_bytes());
                fp.finish()
            };
            let write_error = |source| RenderError::Write {
                path: SEARCH_DIR.to_owned(),
                source,
            };
            if let Some(kept) = sink.reuse_group(SEARCH_DIR, inputs).map_err(write_error)? {
                return Ok((kept, started.elapsed()));
            }
            let search_files =
                crate::search::build_search_index(site).map_err(|e| RenderError::Serialize {
                    path: SEARCH_DIR.to_owned(),
                    message: e.to_string(),
                })?;
            let count = search_files.len();
            // Some 17,000 small files at 10,000 cases: written in parallel like the pages.
            search_files.into_par_iter().try_for_each(|(path, bytes)| {
                sink.emit_made_from(&path, inputs, bytes)
                    .map_err(|source| RenderError::Write { path, source })
            })?;
            Ok::<_, RenderError>((count, started.elapsed()))
        },
    );
    let pages_time = pages?;
    let (search_count, search_time) = search?;
    let mut other = search_count;
    for (path, bytes) in feeds::feeds(site, routes, views) {
        emit(&path, bytes)?;
        other += 1;
    }
    let open_data = statsview::open_data(site).map_err(|e| RenderError::Serialize {
        path: crate::routes::STATS_JSON.to_owned(),
        message: e.to_string(),
    })?;
    for (path, bytes) in open_data {
        emit(&path, bytes)?;
        other += 1;
    }
    for (i, (_, bytes)) in theme.assets.iter().enumerate() {
        emit(
            &routes.output_path(site, Route::ThemeAsset(i)),
            bytes.clone(),
        )?;
        other += 1;
    }
    Ok(RenderSummary {
        pages: routes.pages.len(),
        rendered: r.rendered.load(std::sync::atomic::Ordering::Relaxed),
        other_files: other,
        pages_time,
        search_time,
    })
}
