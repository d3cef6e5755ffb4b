//! The input files of a build as the disk describes them (path, size, modification time), so a
//! build whose inputs are exactly those of the last successful build into the same folder, and
//! whose output is untouched since, has nothing to do and need not even load the site.
//!
//! This is the make/ninja rule, with git's guard against "racy" files: a file modified in the
//! two seconds before the snapshot could be modified again within the same timestamp tick on a
//! filesystem with coarse timestamps, so its content is fingerprinted too and checked again by
//! the next build. A site with symbolic links gets no
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
#[derive(Debug, Clone)]
pub struct Snapshot {
    fingerprint: Fingerprint,
    /// Files modified too recently to trust their timestamps, with their content's fingerprint.
    racy: Vec<(PathBuf, Fingerprint)>,
}

/// What the last successful build into a folder reported, kept with its snapshot.
#[derive(Debug, Serialize, Deserialize)]
pub struct Stored {
    /// The snapshot's fingerprint, in hex.
    inputs: String,
    /// Its racy files and their contents' fingerprints, in hex.
    racy: Vec<(PathBuf, String)>,
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
    (env!("XIEZUO_BUILD_ID"), options.drafts, &options.base_url).hash(&mut fp);
    let racy_after = SystemTime::now().checked_sub(RACY)?;
    let mut recent = Vec::new();
    for root in [&paths.content, &paths.root.join("themes")] {
        let root = std::path::absolute(root).ok()?;
        walk(&root, &skip, &mut fp, &mut |path, t| {
            if t > racy_after {
                recent.push(path.to_path_buf());
            }
        })?;
    }
    let racy = recent
        .into_iter()
        .map(|p| content_fingerprint(&p).map(|f| (p, f)))
        .collect::<Option<Vec<_>>>()?;
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
    saw: &mut dyn FnMut(&Path, SystemTime),
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
        if meta.is_file() {
            saw(&path, modified);
        }
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

fn content_fingerprint(path: &Path) -> Option<Fingerprint> {
    fs::read(path).ok().map(|b| crate::output::fingerprint(&b))
}

fn record_path(cache: &Path, out: &Path) -> Option<PathBuf> {
    let canonical = out.canonicalize().ok()?;
    Some(cache.join(format!("inputs-{}.json", cache_key(&canonical))))
}

/// The stored record of the last build into `out`, if its inputs were `snapshot`'s.
pub fn stored_for(snapshot: &Snapshot, cache: &Path, out: &Path) -> Option<Stored> {
    let text = fs::read(record_path(cache, out)?).ok()?;
    let stored: Stored = serde_json::from_slice(&text).ok()?;
    let same_racy = stored
        .racy
        .iter()
        .all(|(path, hex)| content_fingerprint(path).is_some_and(|f| format!("{f:032x}") == *hex));
    (same_racy && stored.inputs == format!("{:032x}", snapshot.fingerprint)).then_some(stored)
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

/// Stores the record of a finished build.
pub fn store(
    snapshot: &Snapshot,
    cache: &Path,
    out: &Path,
    mut stored: Stored,
) -> std::io::Result<()> {
    let Some(path) = record_path(cache, out) else {
        return Ok(());
    };
    stored.inputs = format!("{:032x}", snapshot.fingerprint);
    stored.racy = snapshot
        .racy
        .iter()
        .map(|(p, f)| (p.clone(), format!("{f:032x}")))
        .collect();
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
            racy: Vec::new(),
            pages,
            other_files,
            copied,
            lang,
            warnings,
        }
    }
}
