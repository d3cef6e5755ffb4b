//! The input files of a build as the disk describes them (path, size, modification time), so a
//! build whose inputs are exactly those of the last successful build into the same folder, and
//! whose output is untouched since, has nothing to do and need not even load the site.
//!
//! This is the make/ninja rule, with git's guard against "racy" files: a snapshot that holds a
//! file modified in the last two seconds is not stored, since a filesystem with coarse
//! timestamps could hide a second edit within the same tick. A site with symbolic links gets no
//! snapshot (a link's target can change without the link changing). The stored record also
//! keeps the last build's warnings and counts, so an unchanged build reports the same.

use std::fs;
use std::hash::Hash;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::output::{Fingerprint, FingerprintWriter, cache_key};
use crate::problem::Lang;
use crate::resolve::{LoadOptions, SitePaths};

/// A file modified less than this long before the snapshot makes it racy.
const RACY: Duration = Duration::from_secs(2);

/// The fingerprint of a build's inputs, taken before the build reads them.
#[derive(Debug, Clone, Copy)]
pub struct Snapshot {
    fingerprint: Fingerprint,
    /// Some input was modified too recently to trust its timestamp: do not store.
    racy: bool,
}

/// What the last successful build into a folder reported, kept with its snapshot.
#[derive(Debug, Serialize, Deserialize)]
pub struct Stored {
    /// The snapshot's fingerprint, in hex.
    inputs: String,
    pub pages: usize,
    pub other_files: usize,
    pub copied: usize,
    pub lang: Lang,
    pub warnings: Vec<Diagnostic>,
}

/// Takes the snapshot of everything a build of `paths` into `out` with `options` reads: the
/// content folder, `themes/`, the options and the binary's version. None when a snapshot cannot
/// be trusted (a symbolic link, an unreadable entry).
pub fn take(paths: &SitePaths, out: &Path, options: &LoadOptions) -> Option<Snapshot> {
    let out = std::path::absolute(out).ok()?;
    let skip = [out, std::path::absolute(paths.cache()).ok()?];
    let mut fp = FingerprintWriter::default();
    (env!("CARGO_PKG_VERSION"), options.drafts, &options.base_url).hash(&mut fp);
    let racy_after = SystemTime::now().checked_sub(RACY)?;
    let mut racy = false;
    for root in [&paths.content, &paths.root.join("themes")] {
        let root = std::path::absolute(root).ok()?;
        walk(&root, &skip, &mut fp, &mut |t| racy |= t > racy_after)?;
    }
    Some(Snapshot {
        fingerprint: fp.finish(),
        racy,
    })
}

/// Hashes every entry under `dir` (name, kind, size, modification time) in name order.
fn walk(
    dir: &Path,
    skip: &[PathBuf],
    fp: &mut FingerprintWriter,
    saw: &mut dyn FnMut(SystemTime),
) -> Option<()> {
    let mut entries: Vec<fs::DirEntry> = match fs::read_dir(dir) {
        Ok(e) => e.collect::<Result<_, _>>().ok()?,
        // No themes folder is an input too: it hashes as nothing.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Some(()),
        Err(_) => return None,
    };
    entries.sort_by_key(fs::DirEntry::file_name);
    for entry in entries {
        let path = entry.path();
        if skip.contains(&path) {
            continue;
        }
        let meta = entry.metadata().ok()?;
        let modified = meta.modified().ok()?;
        saw(modified);
        let since = modified.duration_since(UNIX_EPOCH).ok()?.as_nanos();
        (entry.file_name().as_encoded_bytes(), since).hash(fp);
        if meta.is_symlink() {
            return None;
        } else if meta.is_dir() {
            0u8.hash(fp);
            walk(&path, skip, fp, saw)?;
            1u8.hash(fp);
        } else {
            meta.len().hash(fp);
        }
    }
    Some(())
}

fn record_path(cache: &Path, out: &Path) -> Option<PathBuf> {
    let canonical = out.canonicalize().ok()?;
    Some(cache.join(format!("inputs-{}.json", cache_key(&canonical))))
}

/// The stored record of the last build into `out`, if its inputs were `snapshot`'s.
pub fn stored_for(snapshot: &Snapshot, cache: &Path, out: &Path) -> Option<Stored> {
    let text = fs::read(record_path(cache, out)?).ok()?;
    let stored: Stored = serde_json::from_slice(&text).ok()?;
    (stored.inputs == format!("{:032x}", snapshot.fingerprint)).then_some(stored)
}

/// Removes the record before a build changes the output, so a build killed half-way can never
/// leave a record that vouches for a folder it did not finish.
pub fn forget(cache: &Path, out: &Path) -> std::io::Result<()> {
    let Some(path) = record_path(cache, out) else {
        return Ok(());
    };
    match fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Stores the record of a finished build (not for a racy snapshot).
pub fn store(
    snapshot: &Snapshot,
    cache: &Path,
    out: &Path,
    mut stored: Stored,
) -> std::io::Result<()> {
    if snapshot.racy {
        return Ok(());
    }
    let Some(path) = record_path(cache, out) else {
        return Ok(());
    };
    stored.inputs = format!("{:032x}", snapshot.fingerprint);
    let tmp = path.with_extension("json.tmp");
    fs::write(
        &tmp,
        serde_json::to_vec(&stored).map_err(std::io::Error::other)?,
    )?;
    fs::rename(tmp, path)
}

impl Stored {
    /// A record of a build's counts and warnings (its inputs are set by [`store`]).
    pub fn new(
        pages: usize,
        other_files: usize,
        copied: usize,
        lang: Lang,
        warnings: Vec<Diagnostic>,
    ) -> Stored {
        Stored {
            inputs: String::new(),
            pages,
            other_files,
            copied,
            lang,
            warnings,
        }
    }
}
