//! The one module that knows the image codecs: the `image` crate decodes JPEG and PNG and reads
//! the EXIF orientation, `jpeg-encoder` writes the JPEG copies. Given the bytes of an author's
//! photo it returns the upright copies at each published width, re-encoded from pixels, so that
//! no metadata of the original (EXIF with GPS position and camera, XMP, IPTC, comments, ICC
//! profiles, thumbnails) can reach the site: the encoders write none.
//!
//! jpeg-encoder rather than `image`'s own JPEG encoder: it writes 4:2:0 chroma, optimised
//! Huffman tables and progressive scans (a phone on a slow network shows the whole photo early
//! and sharpens it); the copies come out 8–13 % smaller at the same quality (measured on the
//! demo's and the bench's 1600-pixel copies).
//!
//! Dropping an ICC profile would change how the colours look (an iPhone's Display P3 photo
//! would come out dull), so the pixels are first converted to sRGB, which browsers assume for
//! an image without a profile, by `moxcms` (pure Rust, already what `image` converts colours
//! with).
//!
//! Pure functions of bytes: this module never reads files, caches or reports; `resolve::images`
//! does, and words the [`CodecError`]s for authors.

use std::io::Cursor;

use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits};

/// Widths published for every photo wider than them (CSS pixels: 480 for phones, 960 for
/// phones at 2× and tablets, 1600 for wide screens).
pub const WIDTHS: [u32; 3] = [480, 960, 1600];

/// JPEG quality of the copies: 80 keeps photos free of visible artefacts at a third of the
/// bytes of quality 95.
pub const JPEG_QUALITY: u8 = 80;

/// Photos of more pixels than this are refused before decoding (a 108-megapixel phone photo
/// passes; a decompression bomb of 65,535 × 65,535 does not).
pub const MAX_PIXELS: u64 = 120_000_000;

/// Bumped whenever the pixels this module produces change, so cached copies are made again.
pub const VERSION: u32 = 1;

/// What a published copy is encoded as; decided by the file's extension, so the copy's name
/// and its bytes always agree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OutputFormat {
    Jpeg,
    Png,
}

impl OutputFormat {
    /// The format processed for a file extension (any case), if it is one.
    pub fn for_extension(ext: &str) -> Option<OutputFormat> {
        match ext.to_ascii_lowercase().as_str() {
            "jpg" | "jpeg" => Some(OutputFormat::Jpeg),
            "png" => Some(OutputFormat::Png),
            _ => None,
        }
    }
}

/// One published copy.
#[derive(Clone, Debug)]
pub struct Encoded {
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

/// The copies made of one photo, narrowest first; the last is the one published under the
/// photo's own name.
#[derive(Clone, Debug)]
pub struct Processed {
    pub copies: Vec<Encoded>,
}

/// Why a file could not be made into copies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodecError {
    /// The bytes are another format than the extension says, one browsers or this build do not
    /// handle (`HEIC` from an iPhone renamed `.jpg`); `found` names it when it is recognised.
    Unsupported {
        found: Option<&'static str>,
    },
    /// The JPEG stops before its end (copied or downloaded only in part).
    Truncated,
    /// The decoder gave up; `detail` is its message.
    Corrupt {
        detail: String,
    },
    TooManyPixels {
        width: u32,
        height: u32,
    },
}

/// The widths to publish a photo `width` pixels wide at: every standard width below it and the
/// largest copy, which is the photo's own width capped at the largest standard width (or
/// uncapped when the site publishes full-size photos).
pub fn widths_for(width: u32, full_size: bool) -> Vec<u32> {
    let largest = WIDTHS[WIDTHS.len() - 1];
    let top = if full_size { width } else { width.min(largest) };
    let mut out: Vec<u32> = WIDTHS.iter().copied().filter(|&w| w < top).collect();
    out.push(top);
    out
}

/// The height of a copy `width` wide of a `w` × `h` photo, at least one pixel.
pub fn scaled_height(w: u32, h: u32, width: u32) -> u32 {
    let scaled = (u64::from(h) * u64::from(width) + u64::from(w) / 2) / u64::from(w.max(1));
    u32::try_from(scaled).unwrap_or(u32::MAX).max(1)
}

/// Decodes `bytes`, turns the pixels upright as the EXIF orientation says, and encodes a copy
/// at each of [`widths_for`] in `format`.
pub fn process(
    bytes: &[u8],
    format: OutputFormat,
    full_size: bool,
) -> Result<Processed, CodecError> {
    let image = decode_upright(bytes)?;
    let (w, h) = (image.width(), image.height());
    let widths = widths_for(w, full_size);
    let mut copies = Vec::with_capacity(widths.len());
    // Widest first, each copy scaled from the one before: a 4000-pixel photo is read once at
    // full size, and the small copies are made from a 1600-pixel one at a fraction of the cost.
    let mut source = image;
    for &width in widths.iter().rev() {
        let height = scaled_height(w, h, width);
        if width != source.width() {
            source = source.resize_exact(width, height, FilterType::CatmullRom);
        }
        let bytes = encode(&source, format)?;
        copies.push(Encoded {
            width,
            height,
            bytes,
        });
    }
    copies.reverse();
    Ok(Processed { copies })
}

/// The photo's pixels, turned as its EXIF orientation says.
fn decode_upright(bytes: &[u8]) -> Result<DynamicImage, CodecError> {
    let found = sniff(bytes);
    if !matches!(found, Some("JPEG" | "PNG")) {
        return Err(CodecError::Unsupported { found });
    }
    if found == Some("JPEG") && !jpeg_is_complete(bytes) {
        return Err(CodecError::Truncated);
    }
    let corrupt = |e: image::ImageError| CodecError::Corrupt {
        detail: e.to_string(),
    };
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| CodecError::Corrupt {
            detail: e.to_string(),
        })?;
    let mut decoder = reader.into_decoder().map_err(corrupt)?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(CodecError::TooManyPixels { width, height });
    }
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 8);
    decoder.set_limits(limits).map_err(corrupt)?;
    // A damaged EXIF block or colour profile only loses the turn or the colour correction,
    // never the photo.
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let icc = decoder.icc_profile().ok().flatten();
    let mut image = DynamicImage::from_decoder(decoder).map_err(corrupt)?;
    if let Some(icc) = icc {
        image = into_srgb(image, &icc);
    }
    image.apply_orientation(orientation);
    Ok(image)
}

/// The pixels of `image`, described by the ICC profile `icc`, converted to sRGB; unchanged
/// when the profile cannot be read or is not an RGB one (a grey or CMYK profile).
fn into_srgb(image: DynamicImage, icc: &[u8]) -> DynamicImage {
    use moxcms::{ColorProfile, Layout, TransformOptions};
    let Ok(source) = ColorProfile::new_from_slice(icc) else {
        return image;
    };
    let srgb = ColorProfile::new_srgb();
    let alpha = image.color().has_alpha();
    let layout = if alpha { Layout::Rgba } else { Layout::Rgb };
    let Ok(transform) =
        source.create_transform_8bit(layout, &srgb, layout, TransformOptions::default())
    else {
        return image;
    };
    if alpha {
        let from = image.to_rgba8();
        let mut to = from.clone();
        match transform.transform(from.as_raw(), &mut to) {
            Ok(()) => DynamicImage::ImageRgba8(to),
            Err(_) => image,
        }
    } else {
        let from = image.to_rgb8();
        let mut to = from.clone();
        match transform.transform(from.as_raw(), &mut to) {
            Ok(()) => DynamicImage::ImageRgb8(to),
            Err(_) => image,
        }
    }
}

fn encode(image: &DynamicImage, format: OutputFormat) -> Result<Vec<u8>, CodecError> {
    let failed = |detail: String| CodecError::Corrupt { detail };
    let mut out = Vec::new();
    match format {
        OutputFormat::Jpeg => {
            let rgb = flatten_on_white(image);
            let (Ok(w), Ok(h)) = (u16::try_from(rgb.width()), u16::try_from(rgb.height())) else {
                return Err(failed("JPEG copies are at most 65,535 pixels wide".into()));
            };
            let mut encoder = jpeg_encoder::Encoder::new(&mut out, JPEG_QUALITY);
            encoder.set_progressive(true);
            encoder.set_optimized_huffman_tables(true);
            encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::R_4_2_0);
            encoder
                .encode(rgb.as_raw(), w, h, jpeg_encoder::ColorType::Rgb)
                .map_err(|e| failed(e.to_string()))?;
        }
        OutputFormat::Png => {
            // 8 bits a channel, alpha kept only where the photo has it.
            let eight_bit = if image.color().has_alpha() {
                DynamicImage::ImageRgba8(image.to_rgba8())
            } else {
                DynamicImage::ImageRgb8(image.to_rgb8())
            };
            let encoder = image::codecs::png::PngEncoder::new_with_quality(
                &mut out,
                image::codecs::png::CompressionType::Best,
                image::codecs::png::FilterType::Adaptive,
            );
            eight_bit
                .write_with_encoder(encoder)
                .map_err(|e| failed(e.to_string()))?;
        }
    }
    Ok(out)
}

/// RGB pixels of `image`, transparent parts laid on white (a JPEG has no transparency, and a
/// logo's transparent background is meant to be the page's, which is white).
fn flatten_on_white(image: &DynamicImage) -> image::RgbImage {
    if !image.color().has_alpha() {
        return image.to_rgb8();
    }
    let rgba = image.to_rgba8();
    let mut rgb = image::RgbImage::new(rgba.width(), rgba.height());
    for (out, px) in rgb.pixels_mut().zip(rgba.pixels()) {
        let a = u16::from(px[3]);
        for c in 0..3 {
            let v = (u16::from(px[c]) * a + 255 * (255 - a) + 127) / 255;
            out[c] = u8::try_from(v).unwrap_or(255);
        }
    }
    rgb
}

/// The format the bytes are in, by their signature, for the formats an author is likely to
/// have (so a `.jpg` that is really an iPhone's HEIC is named as such).
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    let starts = |sig: &[u8]| bytes.starts_with(sig);
    if starts(&[0xFF, 0xD8, 0xFF]) {
        Some("JPEG")
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Some("PNG")
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Some("GIF")
    } else if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        Some("WebP")
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        Some("TIFF")
    } else if starts(b"BM") {
        Some("BMP")
    } else if bytes.get(4..8) == Some(b"ftyp") {
        match bytes.get(8..12) {
            Some(b"avif" | b"avis") => Some("AVIF"),
            Some(b"heic" | b"heix" | b"hevc" | b"heim" | b"heis" | b"mif1" | b"msf1") => {
                Some("HEIC")
            }
            _ => None,
        }
    } else if starts(b"%PDF") {
        Some("PDF")
    } else {
        None
    }
}

/// Whether a JPEG's first image runs to its end-of-image marker. The decoder fills what is
/// missing with grey, as browsers do; a photo cut off in copying would then be published half
/// grey without a word.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    // Segments up to the first scan have lengths; an EXIF thumbnail inside APP1 holds markers
    // of its own, so the header is walked, not searched.
    let mut i = 2;
    loop {
        let (Some(&0xFF), Some(&marker)) = (bytes.get(i), bytes.get(i + 1)) else {
            return false;
        };
        if marker == 0xFF {
            i += 1;
            continue;
        }
        let Some(len) = bytes
            .get(i + 2..i + 4)
            .map(|l| usize::from(u16::from_be_bytes([l[0], l[1]])))
        else {
            return false;
        };
        i += 2 + len;
        if marker == 0xDA {
            break;
        }
    }
    // Entropy-coded data escapes 0xFF as FF 00 and marks restarts with FF D0–D7; further scans
    // (progressive JPEGs) bring their own headers, which hold no FF D9.
    bytes
        .get(i..)
        .is_some_and(|rest| rest.windows(2).any(|w| w == [0xFF, 0xD9]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Jpeg)
            .unwrap();
        out
    }

    #[test]
    fn widths_never_upscale() {
        assert_eq!(widths_for(4000, false), [480, 960, 1600]);
        assert_eq!(widths_for(4000, true), [480, 960, 1600, 4000]);
        assert_eq!(widths_for(1200, false), [480, 960, 1200]);
        assert_eq!(widths_for(300, false), [300]);
        assert_eq!(widths_for(480, false), [480]);
        assert_eq!(scaled_height(4000, 3000, 480), 360);
        assert_eq!(scaled_height(5000, 1, 480), 1);
    }

    #[test]
    fn copies_at_each_width() {
        let p = process(&jpeg(1000, 500), OutputFormat::Jpeg, false).unwrap();
        let sizes: Vec<(u32, u32)> = p.copies.iter().map(|c| (c.width, c.height)).collect();
        assert_eq!(sizes, [(480, 240), (960, 480), (1000, 500)]);
        for c in &p.copies {
            let back = image::load_from_memory(&c.bytes).unwrap();
            assert_eq!((back.width(), back.height()), (c.width, c.height));
        }
    }

    #[test]
    fn wide_gamut_colours_are_converted_to_srgb() {
        // Display P3 (170, 90, 60) is a stronger red than sRGB (170, 90, 60); as sRGB it has
        // more red and less green.
        let p3 = moxcms::ColorProfile::new_display_p3().encode().unwrap();
        let mut bytes = Vec::new();
        let mut encoder = jpeg_encoder::Encoder::new(&mut bytes, 100);
        encoder.add_icc_profile(&p3).unwrap();
        let px: Vec<u8> = [170u8, 90, 60].repeat(16 * 16);
        encoder
            .encode(&px, 16, 16, jpeg_encoder::ColorType::Rgb)
            .unwrap();
        let copy = &process(&bytes, OutputFormat::Jpeg, false).unwrap().copies[0];
        let out = image::load_from_memory(&copy.bytes).unwrap().to_rgb8();
        let p = out.get_pixel(8, 8);
        assert!(p[0] > 178 && p[1] < 86, "{p:?}");
    }

    #[test]
    fn truncated_and_foreign_files_are_named() {
        let whole = jpeg(64, 64);
        assert!(jpeg_is_complete(&whole));
        let cut = &whole[..whole.len() - 40];
        assert_eq!(
            process(cut, OutputFormat::Jpeg, false).unwrap_err(),
            CodecError::Truncated
        );
        let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";
        assert_eq!(
            process(heic, OutputFormat::Jpeg, false).unwrap_err(),
            CodecError::Unsupported {
                found: Some("HEIC")
            }
        );
        assert!(matches!(
            process(b"not an image", OutputFormat::Png, false),
            Err(CodecError::Unsupported { found: None })
        ));
    }
}

/// A WebP file without its EXIF and XMP chunks (where a phone or an editor puts the position,
/// the camera and the time), its VP8X flags saying so; the picture and its colour profile are
/// kept as they are. Err names what is wrong with a file that is not a well-formed WebP.
pub fn webp_without_metadata(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let header = bytes.get(..12).ok_or("文件太短，不是 WebP 图片")?;
    if &header[..4] != b"RIFF" || &header[8..12] != b"WEBP" {
        return Err("不是 WebP 图片".into());
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(header);
    let mut at = 12;
    while at < bytes.len() {
        let head = bytes.get(at..at + 8).ok_or("WebP 文件在块头处中断")?;
        let size = u32::from_le_bytes([head[4], head[5], head[6], head[7]]) as usize;
        let end = at
            .checked_add(8 + size + size % 2)
            .filter(|&e| e <= bytes.len() || (e == bytes.len() + 1 && size % 2 == 1))
            .ok_or("WebP 文件的块超出文件末尾")?;
        let end = end.min(bytes.len());
        match &head[..4] {
            b"EXIF" | b"XMP " => {}
            b"VP8X" => {
                let start = out.len();
                out.extend_from_slice(&bytes[at..end]);
                // Flags: 0x08 EXIF, 0x04 XMP.
                if let Some(flags) = out.get_mut(start + 8) {
                    *flags &= !0x0c;
                }
            }
            _ => out.extend_from_slice(&bytes[at..end]),
        }
        at = end;
    }
    let riff = u32::try_from(out.len() - 8).map_err(|_| "WebP 文件过大")?;
    out[4..8].copy_from_slice(&riff.to_le_bytes());
    Ok(out)
}

#[cfg(test)]
mod webp_tests {
    use super::webp_without_metadata;

    fn chunk(fourcc: &[u8; 4], payload: &[u8]) -> Vec<u8> {
        let mut c = fourcc.to_vec();
        c.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        c.extend_from_slice(payload);
        if payload.len() % 2 == 1 {
            c.push(0);
        }
        c
    }

    fn riff(chunks: &[Vec<u8>]) -> Vec<u8> {
        let body: Vec<u8> = chunks.concat();
        let mut out = b"RIFF".to_vec();
        out.extend_from_slice(&((body.len() + 4) as u32).to_le_bytes());
        out.extend_from_slice(b"WEBP");
        out.extend_from_slice(&body);
        out
    }

    #[test]
    fn exif_and_xmp_chunks_go_and_the_flags_say_so() {
        let vp8x = chunk(b"VP8X", &[0x2c, 0, 0, 0, 9, 0, 0, 9, 0, 0]);
        let iccp = chunk(b"ICCP", b"profile");
        let image = chunk(b"VP8 ", b"pixels!");
        let exif = chunk(b"EXIF", b"GPS 26.5N 106.7E");
        let xmp = chunk(b"XMP ", b"<x:xmpmeta>");
        let with = riff(&[vp8x.clone(), iccp.clone(), image.clone(), exif, xmp]);
        let without = webp_without_metadata(&with).unwrap();
        let mut flags_cleared = vp8x.clone();
        flags_cleared[8] = 0x20;
        assert_eq!(without, riff(&[flags_cleared, iccp, image]));
        assert!(!without.windows(3).any(|w| w == b"GPS"));
    }

    #[test]
    fn a_simple_webp_is_unchanged_and_a_broken_one_is_an_error() {
        let simple = riff(&[chunk(b"VP8L", b"lossless")]);
        assert_eq!(webp_without_metadata(&simple).unwrap(), simple);
        let mut cut = simple.clone();
        cut.truncate(cut.len() - 3);
        assert!(webp_without_metadata(&cut).is_err());
        assert!(webp_without_metadata(b"RIFF\0\0\0\0WAVE").is_err());
    }
}

/// Whether a GIF or an AVIF, which are published as they are, carries EXIF or XMP metadata:
/// an AVIF's `Exif` item or XMP (`application/rdf+xml`) item, a GIF's XMP application block.
pub fn carries_metadata(format: &str, bytes: &[u8]) -> bool {
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    match format {
        "AVIF" => has(b"Exif") || has(b"application/rdf+xml"),
        "GIF" => has(b"XMP DataXMP"),
        _ => false,
    }
}

#[cfg(test)]
mod metadata_tests {
    use super::carries_metadata;

    #[test]
    fn exif_and_xmp_are_found_in_avif_and_gif() {
        let avif = b"\0\0\0\x1cftypavif....meta....iinf..infe..Exif..";
        assert!(carries_metadata("AVIF", avif));
        assert!(!carries_metadata(
            "AVIF",
            b"\0\0\0\x1cftypavif....meta....iinf..infe..av01"
        ));
        assert!(carries_metadata(
            "GIF",
            b"GIF89a....!\xff\x0bXMP DataXMP<x:xmpmeta"
        ));
        assert!(!carries_metadata("GIF", b"GIF89a....!\xff\x0bNETSCAPE2.0"));
    }
}
