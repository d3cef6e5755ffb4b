//! The JPEG and PNG files of the content (`static/` and the page bundles) made into the copies
//! the site publishes, in parallel and through the photo cache: a photo seen before costs a
//! look at its size and time. Runs at load time, so that a photo that cannot be read is an
//! error reported with all the others before anything is written.

use std::path::Path;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostics, Place};
use crate::image_cache::{ImageCache, entry_key};
use crate::image_codec::{CodecError, OutputFormat, process};
use crate::media::LARGE_ORIGINAL;
use crate::model::{Image, ImageCopy};
use crate::output::{Fingerprint, FingerprintWriter};
use crate::problem::Problem;

use super::copied::ClaimedFile;

/// Whether a claimed file is a photo this stage processes (by its extension).
pub(super) fn is_photo(file: &ClaimedFile) -> bool {
    output_format(&file.rel).is_some()
}

fn output_format(rel: &str) -> Option<OutputFormat> {
    OutputFormat::for_extension(rel.rsplit_once('.')?.1)
}

/// Processes every photo (or takes its copies from `cache`); each that cannot be read is
/// reported and left out.
pub(super) fn process_images(
    photos: Vec<ClaimedFile>,
    cache: &ImageCache,
    full_size: bool,
    diags: &mut Diagnostics,
) -> Vec<Image> {
    let lang = diags.lang();
    let done: Vec<(Option<Image>, Diagnostics)> = photos
        .into_par_iter()
        .map(|file| {
            let mut d = Diagnostics::new(lang);
            (process_image(file, cache, full_size, &mut d), d)
        })
        .collect();
    let mut images = Vec::with_capacity(done.len());
    for (image, d) in done {
        diags.extend(d);
        images.extend(image);
    }
    images
}

fn process_image(
    file: ClaimedFile,
    cache: &ImageCache,
    full_size: bool,
    diags: &mut Diagnostics,
) -> Option<Image> {
    let place = Place::file(&file.shown);
    let format = output_format(&file.rel)?;
    let io_error = |diags: &mut Diagnostics, e: std::io::Error| {
        diags.report(place.clone(), Problem::Io(e.to_string()));
    };
    let meta = match std::fs::metadata(&file.source) {
        Ok(m) => m,
        Err(e) => {
            io_error(diags, e);
            return None;
        }
    };
    if meta.len() > LARGE_ORIGINAL {
        let bytes = meta.len();
        diags.report(place.clone(), Problem::LargeOriginal { bytes });
    }
    let (content, bytes) = match cache.content_of(&file.rel, &file.source, &meta) {
        Ok(c) => c,
        Err(e) => {
            io_error(diags, e);
            return None;
        }
    };
    let key = entry_key(content, format, full_size);
    let copies = match cache.get(key) {
        Some(copies) => copies,
        None => {
            let bytes = match bytes.map_or_else(|| std::fs::read(&file.source), Ok) {
                Ok(b) => b,
                Err(e) => {
                    io_error(diags, e);
                    return None;
                }
            };
            let processed = match process(&bytes, format, full_size) {
                Ok(p) => p,
                Err(e) => {
                    diags.report(place, codec_problem(e, &file.rel));
                    return None;
                }
            };
            match cache.put(key, &processed.copies) {
                Ok(c) => c,
                Err(e) => {
                    let shown = Path::new(".xiezuo-cache/images");
                    diags.report(Place::file(shown), Problem::Io(e.to_string()));
                    return None;
                }
            }
        }
    };
    let last = copies.len() - 1;
    let copies = copies
        .into_iter()
        .enumerate()
        .map(|(i, c)| ImageCopy {
            width: c.width,
            height: c.height,
            output: crate::routes::image_copy_path(&file.output, c.width, i == last),
            cached: c.path,
            made_from: made_from(key, c.width),
        })
        .collect();
    Some(Image {
        rel: file.rel,
        shown: file.shown,
        copies,
    })
}

/// The inputs of one copy: its entry (the photo and the settings) and its width.
fn made_from(key: Fingerprint, width: u32) -> Fingerprint {
    let mut h = FingerprintWriter::seeded(key);
    std::hash::Hash::hash(&width, &mut h);
    h.finish()
}

fn codec_problem(e: CodecError, rel: &str) -> Problem {
    let ext = rel
        .rsplit_once('.')
        .map_or(String::new(), |(_, e)| e.to_ascii_uppercase());
    match e {
        CodecError::Unsupported { found } => Problem::ImageNotWhatItSays {
            ext,
            found: found.map(str::to_owned),
        },
        CodecError::Truncated => Problem::ImageTruncated,
        CodecError::Corrupt { detail } => Problem::ImageCorrupt { detail },
        CodecError::TooManyPixels { width, height } => Problem::ImageTooManyPixels {
            width,
            height,
            max: crate::image_codec::MAX_PIXELS,
        },
    }
}
