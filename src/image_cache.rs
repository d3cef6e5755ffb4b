//! The copies of processed photos, kept in the build cache (`.xiezuo-cache/images/`) so that a
//! photo is decoded and encoded once, not at every build.
//!
//! An entry is a folder named by a fingerprint of the photo's bytes and every setting the copies
//! depend on (widths, quality, output format, full size or not, the codec's version), holding
//! one file per copy and a `meta` file listing them. Entries are written under a temporary name
//! and renamed whole, so a killed build leaves none half made. A table of sources (path, size,
//! modification time → content fingerprint) spares reading an unchanged photo at all; as in
//! `snapshot`, a photo modified within two seconds of the table's writing is read again, since
//! a second save in the same timestamp tick would look unchanged.
//!
//! Entries no build has used for a week are removed after a build. Deleting the whole folder is
//! always safe: the next build makes the copies again.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::hash::Hash;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::image_codec::{Encoded, OutputFormat};
use crate::output::{Fingerprint, FingerprintWriter};

const SOURCES_HEADER: &str = "xiezuo-image-sources 1";
const META_HEADER: &str = "xiezuo-image 1";
/// A source modified less than this long before the table was written is read again.
const RACY: Duration = Duration::from_secs(2);
/// Entries unused for this long are removed.
const KEEP_UNUSED: Duration = Duration::from_secs(7 * 24 * 3600);

/// A copy held in the cache.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CachedCopy {
    pub width: u32,
    pub height: u32,
    pub path: PathBuf,
}

/// What the table of sources knows of one photo.
#[derive(Clone, Copy, Debug)]
struct Source {
    content: Fingerprint,
    len: u64,
    mtime: u128,
}

/// The photo cache of one site, for one build.
pub struct ImageCache {
    dir: PathBuf,
    /// From the last build: content-relative path → what the file was.
    known: HashMap<String, Source>,
    /// When the table of sources was written (ns since the epoch).
    known_at: u128,
    seen: Mutex<HashMap<String, Source>>,
    used: Mutex<HashSet<String>>,
    /// False when the build must write nothing (`check`): copies are made and dropped.
    writable: bool,
}

/// The key of a photo's entry: its content and everything the copies depend on.
pub fn entry_key(content: Fingerprint, format: OutputFormat, full_size: bool) -> Fingerprint {
    let mut h = FingerprintWriter::default();
    (
        content,
        format,
        full_size,
        crate::image_codec::VERSION,
        crate::image_codec::WIDTHS,
        crate::image_codec::JPEG_QUALITY,
    )
        .hash(&mut h);
    h.finish()
}

impl ImageCache {
    /// The cache under the build cache folder `cache`; nothing is created until an entry is,
    /// and nothing ever when not `writable`.
    pub fn open(cache: &Path, writable: bool) -> ImageCache {
        let dir = cache.join("images");
        let (known, known_at) = read_sources(&dir.join("sources")).unwrap_or_default();
        ImageCache {
            dir,
            known,
            known_at,
            seen: Mutex::default(),
            used: Mutex::default(),
            writable,
        }
    }

    /// The fingerprint of the photo at `source` (content-relative `rel`), from the table when
    /// its size and time are those recorded and not racy; else from its bytes, which are
    /// returned so that they need not be read twice.
    pub fn content_of(
        &self,
        rel: &str,
        source: &Path,
        meta: &fs::Metadata,
    ) -> io::Result<(Fingerprint, Option<Vec<u8>>)> {
        let len = meta.len();
        let mtime = mtime(meta);
        let racy_after = self.known_at.saturating_sub(RACY.as_nanos());
        let (content, bytes) = match self.known.get(rel) {
            Some(s) if s.len == len && s.mtime == mtime && mtime < racy_after => (s.content, None),
            _ => {
                let bytes = fs::read(source)?;
                (crate::output::fingerprint(&bytes), Some(bytes))
            }
        };
        let seen = Source {
            content,
            len,
            mtime,
        };
        lock(&self.seen).insert(rel.to_owned(), seen);
        Ok((content, bytes))
    }

    /// The copies of entry `key`, if the cache holds it whole.
    pub fn get(&self, key: Fingerprint) -> Option<Vec<CachedCopy>> {
        let entry = self.dir.join(format!("{key:032x}"));
        let copies = read_meta(&entry)?;
        lock(&self.used).insert(format!("{key:032x}"));
        Some(copies)
    }

    /// Stores the copies of entry `key` and returns where they are.
    pub fn put(&self, key: Fingerprint, copies: &[Encoded]) -> io::Result<Vec<CachedCopy>> {
        let name = format!("{key:032x}");
        let entry = self.dir.join(&name);
        if !self.writable {
            // Where the copies would be: nothing reads them in a build that writes nothing.
            let at = |i: usize, c: &Encoded| CachedCopy {
                width: c.width,
                height: c.height,
                path: entry.join(i.to_string()),
            };
            return Ok(copies.iter().enumerate().map(|(i, c)| at(i, c)).collect());
        }
        let tmp = self
            .dir
            .join(format!("{name}.tmp-{}-{:x}", std::process::id(), now_ns()));
        fs::create_dir_all(&tmp)?;
        let mut meta = format!("{META_HEADER}\n");
        for (i, c) in copies.iter().enumerate() {
            fs::write(tmp.join(i.to_string()), &c.bytes)?;
            meta.push_str(&format!("{} {}\n", c.width, c.height));
        }
        meta.push_str("end\n");
        fs::write(tmp.join("meta"), meta)?;
        if let Err(e) = fs::rename(&tmp, &entry) {
            // Another build made the same entry meanwhile: theirs is as good as ours.
            let _ = fs::remove_dir_all(&tmp);
            if read_meta(&entry).is_none() {
                return Err(e);
            }
        }
        lock(&self.used).insert(name);
        read_meta(&entry).ok_or_else(|| io::Error::other("cache entry vanished"))
    }

    /// Records the sources seen by this build and removes entries unused for a week. When the
    /// build failed, `complete` is false and nothing is removed (its photos may be fixed next).
    pub fn finish(self, complete: bool) -> io::Result<()> {
        if !self.writable {
            return Ok(());
        }
        let seen = self.seen.into_inner().unwrap_or_else(|e| e.into_inner());
        let used = self.used.into_inner().unwrap_or_else(|e| e.into_inner());
        if seen.is_empty() && !self.dir.exists() {
            return Ok(());
        }
        fs::create_dir_all(&self.dir)?;
        write_sources(&self.dir.join("sources"), &seen)?;
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return Ok(());
        };
        let now = SystemTime::now();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            if !path.is_dir() {
                continue;
            }
            if used.contains(&name) {
                // Marks the entry as used without a write per build: only once a day.
                let meta = path.join("meta");
                let stale = fs::metadata(&meta)
                    .and_then(|m| m.modified())
                    .is_ok_and(|t| now.duration_since(t).unwrap_or_default() > KEEP_UNUSED / 7);
                if stale && let Ok(f) = fs::File::options().append(true).open(&meta) {
                    let _ = f.set_modified(now);
                }
                continue;
            }
            let unused_for = fs::metadata(path.join("meta"))
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| now.duration_since(t).ok());
            // Leftovers of a killed build have no meta and an old temporary name.
            let leftover = name.contains(".tmp-")
                && fs::metadata(&path)
                    .and_then(|m| m.modified())
                    .is_ok_and(|t| now.duration_since(t).unwrap_or_default() > RACY * 30);
            if complete && (unused_for.is_none_or(|d| d > KEEP_UNUSED) || leftover) {
                let _ = fs::remove_dir_all(&path);
            }
        }
        Ok(())
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn mtime(meta: &fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

fn now_ns() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

fn read_meta(entry: &Path) -> Option<Vec<CachedCopy>> {
    let text = fs::read_to_string(entry.join("meta")).ok()?;
    let mut lines = text.lines();
    if lines.next()? != META_HEADER {
        return None;
    }
    let mut copies = Vec::new();
    for line in lines {
        if line == "end" {
            return (!copies.is_empty()).then_some(copies);
        }
        let (w, h) = line.split_once(' ')?;
        let path = entry.join(copies.len().to_string());
        if !path.is_file() {
            return None;
        }
        copies.push(CachedCopy {
            width: w.parse().ok()?,
            height: h.parse().ok()?,
            path,
        });
    }
    None
}

fn read_sources(path: &Path) -> Option<(HashMap<String, Source>, u128)> {
    let text = fs::read_to_string(path).ok()?;
    let mut lines = text.lines();
    let written: u128 = lines
        .next()?
        .strip_prefix(SOURCES_HEADER)?
        .trim()
        .parse()
        .ok()?;
    let mut known = HashMap::new();
    for line in lines {
        if line == "end" {
            return Some((known, written));
        }
        let mut parts = line.splitn(4, '\t');
        let content = u128::from_str_radix(parts.next()?, 16).ok()?;
        let len = parts.next()?.parse().ok()?;
        let mtime = parts.next()?.parse().ok()?;
        let rel = parts.next()?;
        known.insert(
            rel.to_owned(),
            Source {
                content,
                len,
                mtime,
            },
        );
    }
    None
}

fn write_sources(path: &Path, seen: &HashMap<String, Source>) -> io::Result<()> {
    let mut rels: Vec<&String> = seen.keys().collect();
    rels.sort();
    let mut text = format!("{SOURCES_HEADER} {}\n", now_ns());
    for rel in rels {
        let s = seen[rel];
        text.push_str(&format!("{:x}\t{}\t{}\t{rel}\n", s.content, s.len, s.mtime));
    }
    text.push_str("end\n");
    let tmp = path.with_extension("tmp");
    fs::write(&tmp, text)?;
    fs::rename(tmp, path)
}
