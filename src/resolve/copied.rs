//! What each file an author supplies beside the documents (`static/`, page bundles) becomes on
//! the site: copied as it is, rewritten as a sanitised SVG, or refused because a browser would
//! run script in it on the site's origin. Files listed in site.yaml `trusted_files` are copied
//! as they are, whatever they hold.
//!
//! Runs at load time, in parallel, so its diagnostics join every other of the build and an
//! SVG that cannot be read fails the build before anything is written. Output paths are
//! decided before (`claim_urls`); writing is the caller's.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::TrustedFiles;
use crate::diagnostic::{Diagnostics, Place};
use crate::model::{CopiedFile, Publish};
use crate::problem::Problem;
use crate::svg::{SvgError, sanitize_svg};

/// Extensions (any case) of files that run script when a browser opens them from the site:
/// HTML and XML documents (an XML file can hold XHTML script or name an XSLT stylesheet),
/// stylesheets that transform, scripts, compressed SVG (which cannot be checked here), Flash,
/// web archives, and pages a server would execute (PHP, ASP, JSP, server-side includes).
pub const SCRIPT_EXTENSIONS: &[&str] = &[
    "html", "htm", "xhtml", "xht", "shtml", "xml", "xsl", "xslt", "js", "mjs", "svgz", "swf",
    "mht", "mhtml", "php", "phtml", "asp", "aspx", "jsp",
];

/// A file given an output path, before its content is looked at.
#[derive(Debug)]
pub(super) struct ClaimedFile {
    /// Content-relative path (`static/logo.svg`), as `trusted_files` names it.
    pub rel: String,
    pub source: PathBuf,
    pub shown: PathBuf,
    pub output: String,
}

/// Decides how each claimed file is published; refused and unreadable files are reported and
/// left out, and so is each `trusted_files` entry that names no claimed file.
pub(super) fn publish_files(
    claimed: Vec<ClaimedFile>,
    trusted: &TrustedFiles,
    site_yaml: &Path,
    diags: &mut Diagnostics,
) -> Vec<CopiedFile> {
    for value in &trusted.paths {
        if !claimed.iter().any(|c| c.rel == *value) {
            let place = Place::field(site_yaml, trusted.line, "trusted_files");
            let value = value.clone();
            diags.report(place, Problem::UnknownTrustedFile { value });
        }
    }
    let lang = diags.lang();
    let published: Vec<(Option<CopiedFile>, Diagnostics)> = claimed
        .into_par_iter()
        .map(|file| {
            let mut d = Diagnostics::new(lang);
            (publish_file(file, trusted, &mut d), d)
        })
        .collect();
    let mut files = Vec::with_capacity(published.len());
    for (file, d) in published {
        diags.extend(d);
        files.extend(file);
    }
    files
}

fn publish_file(
    file: ClaimedFile,
    trusted: &TrustedFiles,
    diags: &mut Diagnostics,
) -> Option<CopiedFile> {
    let ext = file
        .rel
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    let publish = if trusted.contains(&file.rel) {
        Publish::AsIs
    } else if ext == "svg" {
        Publish::Bytes(sanitized_svg(&file, diags)?)
    } else if ext == "webp" {
        Publish::Bytes(webp_without_metadata(&file, diags)?)
    } else if let Some(format) = match ext.as_str() {
        "gif" => Some("GIF"),
        "avif" => Some("AVIF"),
        _ => None,
    } {
        // Published as it is (no pure-Rust encoder is worth it): say when that publishes more
        // than the picture.
        if std::fs::read(&file.source)
            .is_ok_and(|b| crate::image_codec::carries_metadata(format, &b))
        {
            diags.report(Place::file(&file.shown), Problem::MetadataKept { format });
        }
        Publish::AsIs
    } else if SCRIPT_EXTENSIONS.contains(&ext.as_str()) {
        let rel = file.rel.clone();
        diags.report(Place::file(&file.shown), Problem::ScriptFile { ext, rel });
        return None;
    } else {
        Publish::AsIs
    };
    Some(CopiedFile {
        source: file.source,
        shown: file.shown,
        output: file.output,
        publish,
    })
}

/// A WebP's bytes without the metadata phones and editors put in it (the position above all);
/// a file that cannot be read or is not a well-formed WebP is an error.
fn webp_without_metadata(file: &ClaimedFile, diags: &mut Diagnostics) -> Option<Vec<u8>> {
    let bytes = match std::fs::read(&file.source) {
        Ok(b) => b,
        Err(e) => {
            diags.report(Place::file(&file.shown), Problem::Io(e.to_string()));
            return None;
        }
    };
    match crate::image_codec::webp_without_metadata(&bytes) {
        Ok(clean) => Some(clean),
        Err(detail) => {
            diags.report(Place::file(&file.shown), Problem::ImageCorrupt { detail });
            None
        }
    }
}

/// The SVG's sanitised bytes; each removal is a warning with its line, a file that cannot be
/// read or parsed an error.
fn sanitized_svg(file: &ClaimedFile, diags: &mut Diagnostics) -> Option<Vec<u8>> {
    let bytes = match std::fs::read(&file.source) {
        Ok(b) => b,
        Err(e) => {
            diags.report(Place::file(&file.shown), Problem::Io(e.to_string()));
            return None;
        }
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        let file_name = file.shown.display().to_string();
        diags.report(
            Place::file(&file.shown),
            Problem::NotUtf8 { file: file_name },
        );
        return None;
    };
    match sanitize_svg(text) {
        Ok(clean) => {
            for r in clean.removals {
                let place = Place::line(&file.shown, r.line);
                diags.report(place, Problem::SvgRemoved(r.removed));
            }
            Some(clean.svg.into_bytes())
        }
        Err(SvgError::Parse {
            line,
            detail,
            fault,
        }) => {
            let place = Place::line(&file.shown, line);
            diags.report(place, Problem::SvgUnparsable { detail, fault });
            None
        }
        Err(SvgError::NotSvg { line, root }) => {
            diags.report(Place::line(&file.shown, line), Problem::SvgNotSvg { root });
            None
        }
    }
}
