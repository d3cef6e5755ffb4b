//! What pages need to know of the site's photos and attachments, by the content-relative path
//! an author links them with: a photo's copies as a [`Picture`] (URLs by width, size), an
//! attachment's kind and size. Markdown reads it to write `<img srcset …>` and the
//! `附件：名称.pdf（PDF，1.2 MB）` links; the contexts read it for covers.
//!
//! Built at load time from the processed images and the copied files; it reads no file itself
//! and makes no URL that `routes` did not (it only joins the base URL to their output paths).

use std::collections::HashMap;
use std::hash::Hash;

use crate::config::BaseUrl;
use crate::model::{Image, Picture};
use crate::output::{Fingerprint, FingerprintWriter};
use crate::problem::Lang;

/// `sizes` of a photo in an article's text: the article column is at most 48rem wide.
pub const ARTICLE_SIZES: &str = "(min-width: 50rem) 48rem, 100vw";

/// `sizes` of a cover on a card: a thumbnail beside the card's text.
pub const CARD_SIZES: &str = "(min-width: 48rem) 12rem, 7rem";

/// Originals larger than this are reported: they slow every first build and swell the
/// repository, though only the small copies are published.
pub const LARGE_ORIGINAL: u64 = 20 * 1024 * 1024;

/// Extensions (lowercase) of image formats no browser shows or this build cannot process: a
/// page cannot use them as images.
pub const UNSHOWABLE_IMAGES: &[&str] = &["heic", "heif", "tif", "tiff", "bmp", "raw", "dng"];

/// An attachment: a document linked from the content and published as it is.
#[derive(Clone, Debug, Hash, PartialEq, Eq)]
pub struct Attachment {
    /// `PDF`, `Word`, `Excel` … as the link shows it.
    pub kind: &'static str,
    pub mime: &'static str,
    pub bytes: u64,
}

/// The photos and attachments of a site, by content-relative path.
#[derive(Debug, Default)]
pub struct Media {
    pictures: HashMap<String, Picture>,
    attachments: HashMap<String, Attachment>,
}

impl Media {
    /// The lookup for `images` and the attachments among the copied files (content-relative
    /// path, output path, size in bytes).
    pub fn new(images: &[Image], documents: &[(String, String, u64)], base: &BaseUrl) -> Media {
        let pictures = images
            .iter()
            .map(|image| (image.rel.clone(), picture_of(image, base)))
            .collect();
        let attachments = documents
            .iter()
            .filter_map(|(rel, _, bytes)| {
                let (kind, mime) = attachment_kind(rel)?;
                Some((
                    rel.clone(),
                    Attachment {
                        kind,
                        mime,
                        bytes: *bytes,
                    },
                ))
            })
            .collect();
        Media {
            pictures,
            attachments,
        }
    }

    /// The processed photo at content-relative `rel`.
    pub fn picture(&self, rel: &str) -> Option<&Picture> {
        self.pictures.get(rel)
    }

    pub fn attachment(&self, rel: &str) -> Option<&Attachment> {
        self.attachments.get(rel)
    }

    /// Fingerprint of everything pages can take from here, so documents rendered against an
    /// older table are not reused (`serve`).
    pub fn fingerprint(&self) -> Fingerprint {
        let mut h = FingerprintWriter::default();
        let mut pictures: Vec<_> = self.pictures.iter().collect();
        pictures.sort_unstable_by(|a, b| a.0.cmp(b.0));
        pictures.hash(&mut h);
        let mut attachments: Vec<_> = self.attachments.iter().collect();
        attachments.sort_unstable_by(|a, b| a.0.cmp(b.0));
        attachments.hash(&mut h);
        h.finish()
    }
}

/// How pages show `image`: `src` is the copy nearest 960 pixels (what a browser without
/// `srcset` gets), `srcset` lists the copies up to the widest standard width (a full-size copy
/// published on request is for downloading, never for a page), `width` and `height` are the
/// widest listed copy's.
pub fn picture_of(image: &Image, base: &BaseUrl) -> Picture {
    let widest = crate::image_codec::WIDTHS[crate::image_codec::WIDTHS.len() - 1];
    let listed: Vec<_> = match image.copies.iter().filter(|c| c.width <= widest).count() {
        0 => image.copies.iter().take(1).collect(),
        _ => image.copies.iter().filter(|c| c.width <= widest).collect(),
    };
    let srcset = listed
        .iter()
        .map(|c| format!("{} {}w", srcset_url(&base.local(&c.output)), c.width))
        .collect::<Vec<_>>()
        .join(", ");
    let src = listed
        .iter()
        .rev()
        .find(|c| c.width <= 960)
        .or(listed.first())
        .map(|c| base.local(&c.output))
        .unwrap_or_default();
    let top = listed.last();
    Picture {
        src,
        srcset: Some(srcset),
        width: top.map(|c| c.width),
        height: top.map(|c| c.height),
    }
}

/// A URL as a `srcset` candidate: a space or a comma would end it there.
fn srcset_url(url: &str) -> String {
    url.replace(' ', "%20").replace(',', "%2C")
}

/// The kind and MIME type of an attachment, by its extension (any case); None for files that
/// are not documents (images, stylesheets, fonts …).
pub fn attachment_kind(path: &str) -> Option<(&'static str, &'static str)> {
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "pdf" => ("PDF", "application/pdf"),
        "doc" => ("Word", "application/msword"),
        "docx" => (
            "Word",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        "xls" => ("Excel", "application/vnd.ms-excel"),
        "xlsx" => (
            "Excel",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        "ppt" => ("PowerPoint", "application/vnd.ms-powerpoint"),
        "pptx" => (
            "PowerPoint",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        "wps" => ("WPS", "application/vnd.ms-works"),
        "et" => ("WPS 表格", "application/vnd.ms-excel"),
        "ofd" => ("OFD", "application/ofd"),
        "odt" => ("ODT", "application/vnd.oasis.opendocument.text"),
        "ods" => ("ODS", "application/vnd.oasis.opendocument.spreadsheet"),
        "csv" => ("CSV", "text/csv"),
        "txt" => ("TXT", "text/plain"),
        "zip" => ("ZIP", "application/zip"),
        "rar" => ("RAR", "application/vnd.rar"),
        "7z" => ("7z", "application/x-7z-compressed"),
        _ => return None,
    })
}

/// A file size as Windows Explorer shows it (1,024 bytes a KB), which is where authors see it:
/// `856 B`, `12 KB`, `1.2 MB`.
pub fn format_size(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * KB;
    if bytes < KB {
        format!("{bytes} B")
    } else if bytes < MB {
        format!("{} KB", bytes.div_ceil(KB))
    } else {
        // Tenths, rounded half up, without floating point.
        let tenths = (bytes * 10 + MB / 2) / MB;
        format!("{}.{} MB", tenths / 10, tenths % 10)
    }
}

/// What follows an attachment link's text: its kind unless the text already ends with the
/// file's extension, and its size: `（1.2 MB）`, `（PDF，1.2 MB）`; `(PDF, 1.2 MB)` in English.
pub fn attachment_note(text: &str, rel: &str, a: &Attachment, lang: Lang) -> String {
    let ext = rel.rsplit_once('.').map_or("", |(_, e)| e);
    let named = !ext.is_empty()
        && text
            .trim()
            .to_ascii_lowercase()
            .ends_with(&format!(".{}", ext.to_ascii_lowercase()));
    let size = format_size(a.bytes);
    match (lang, named) {
        (Lang::Zh, true) => format!("（{size}）"),
        (Lang::Zh, false) => format!("（{}，{size}）", a.kind),
        (Lang::En, true) => format!(" ({size})"),
        (Lang::En, false) => format!(" ({}, {size})", a.kind),
    }
}

/// The word before an attachment link's text.
pub fn attachment_label(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "附件：",
        Lang::En => "Attachment: ",
    }
}

/// Whether `rel` names an image format a page cannot show (`.heic`, `.tif` …).
pub fn is_unshowable_image(rel: &str) -> bool {
    rel.rsplit_once('.')
        .is_some_and(|(_, ext)| UNSHOWABLE_IMAGES.contains(&ext.to_ascii_lowercase().as_str()))
}

/// Whether `rel` names a file a page shows as an image as it is (SVG, GIF, WebP, AVIF).
pub fn is_plain_image(rel: &str) -> bool {
    rel.rsplit_once('.').is_some_and(|(_, ext)| {
        matches!(
            ext.to_ascii_lowercase().as_str(),
            "svg" | "gif" | "webp" | "avif"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_in_explorer() {
        assert_eq!(format_size(856), "856 B");
        assert_eq!(format_size(12 * 1024 + 1), "13 KB");
        assert_eq!(format_size(1_258_291), "1.2 MB");
        assert_eq!(format_size(20 * 1024 * 1024), "20.0 MB");
    }

    #[test]
    fn attachment_notes() {
        let a = Attachment {
            kind: "PDF",
            mime: "application/pdf",
            bytes: 1_258_291,
        };
        let rel = "static/files/2023年工作总结.pdf";
        assert_eq!(
            attachment_note("2023年工作总结.pdf", rel, &a, Lang::Zh),
            "（1.2 MB）"
        );
        assert_eq!(
            attachment_note("工作总结", rel, &a, Lang::Zh),
            "（PDF，1.2 MB）"
        );
        assert_eq!(
            attachment_note("summary", rel, &a, Lang::En),
            " (PDF, 1.2 MB)"
        );
        assert_eq!(attachment_kind("a/b.DOCX").map(|k| k.0), Some("Word"));
        assert_eq!(attachment_kind("a/b.jpg"), None);
    }
}
