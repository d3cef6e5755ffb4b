//! Writing a build into the output folder in place, touching only what changed.
//!
//! The folder stays a plain tree of files that any upload tool can copy. Each file is written to
//! a temporary name beside it and renamed over the old one, so a reader (or a build killed at
//! any moment) sees either the old file or the new one, never a truncated one. A manifest in the
//! build cache remembers, for every output, a fingerprint of the inputs it was made from and of
//! its bytes: an unchanged output is neither rendered nor written again, and outputs no longer
//! produced are removed. The manifest is taken away while a build writes and put back when it
//! has finished, so after a killed build the next one finds none and compares every file with
//! the disk instead of trusting a record of a folder that no longer matches it.
//!
//! This module also refuses output folders that could destroy an author's work: the site's own
//! sources, a folder that contains them, or a non-empty folder that no xiezuo build made.

use std::collections::HashMap;
use std::fs;
use std::hash::Hash;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::UNIX_EPOCH;

use rayon::prelude::*;

/// The file that marks a folder as a xiezuo output, which a build may therefore empty.
pub const MARKER: &str = ".xiezuo-output";

const MARKER_TEXT: &str = "This folder is written by `xiezuo build`: files the build does not produce are removed.\n本文件夹由 xiezuo 生成，构建时会删除不属于网站的文件。\n";

/// Suffix of the temporary files a write goes through before its rename.
const TMP_SUFFIX: &str = ".xiezuo-tmp";

const MANIFEST_HEADER: &str = concat!("xiezuo-manifest 2 ", env!("XIEZUO_BUILD_ID"));

/// A 128-bit fingerprint of bytes or of the inputs of an output (XXH3: a build fingerprints
/// every output it makes, some 400 MB at 10,000 cases, so the hash must be fast; 128 bits make
/// an accidental match between two different pages negligible).
pub type Fingerprint = u128;

/// Fingerprints bytes.
pub fn fingerprint(bytes: &[u8]) -> Fingerprint {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// A [`Write`] (and [`std::hash::Hasher`]) that fingerprints what goes into it, so a context
/// can be fingerprinted by serialising it without building the text.
#[derive(Default, Clone)]
pub struct FingerprintWriter(xxhash_rust::xxh3::Xxh3);

impl FingerprintWriter {
    /// Starts from a seed (the fingerprint of what every output of a kind shares).
    pub fn seeded(seed: Fingerprint) -> FingerprintWriter {
        let mut w = FingerprintWriter::default();
        w.0.update(&seed.to_le_bytes());
        w
    }

    pub fn finish(&self) -> Fingerprint {
        self.0.digest128()
    }
}

impl std::hash::Hasher for FingerprintWriter {
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    /// Only for the `Hasher` contract; use [`FingerprintWriter::finish`] for the full value.
    fn finish(&self) -> u64 {
        self.0.digest()
    }
}

impl Write for FingerprintWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Where rendered outputs go: a folder, or a Vec in tests.
pub trait Sink: Sync {
    /// Receives one output file; `path` is relative to the site root (`cases/a/index.html`).
    fn emit(&self, path: &str, bytes: Vec<u8>) -> std::io::Result<()>;

    /// Receives an output with a fingerprint of everything it was made from, so that a later
    /// build can [`Sink::reuse`] it.
    fn emit_made_from(
        &self,
        path: &str,
        inputs: Fingerprint,
        bytes: Vec<u8>,
    ) -> std::io::Result<()> {
        let _ = inputs;
        self.emit(path, bytes)
    }

    /// Keeps the output at `path` as it is if the last build made it from the same inputs;
    /// returns whether it did (then the output need not be made at all).
    fn reuse(&self, path: &str, inputs: Fingerprint) -> std::io::Result<bool> {
        let _ = (path, inputs);
        Ok(false)
    }

    /// Keeps every output under `folder` that the last build made from `inputs`, if there are
    /// any and all are intact; returns how many (then the group need not be made at all).
    fn reuse_group(&self, folder: &str, inputs: Fingerprint) -> std::io::Result<Option<usize>> {
        let _ = (folder, inputs);
        Ok(None)
    }
}

/// Why an output folder was refused or could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(
        "输出文件夹 {out} 与网站源文件 {sources} 重叠：构建会覆盖作者的文件。请用 -o 指定源文件以外的文件夹（默认 public/） / the output folder {out} overlaps the site's sources {sources}: choose a folder outside them with -o (default public/)"
    )]
    OverlapsSources { out: String, sources: String },
    #[error(
        "输出文件夹 {0} 已有文件，且不是 xiezuo 生成的网站（没有 .xiezuo-output 标记）；为免误删，构建不会清空它。请指定新的或空的文件夹 / the output folder {0} holds files and is not a xiezuo output (no .xiezuo-output marker); it is never emptied: choose a new or empty folder"
    )]
    NotAnOutput(String),
    #[error("{path}: {source}")]
    Io { path: String, source: io::Error },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// What the manifest remembers of one output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Entry {
    /// Fingerprint of the inputs it was made from; 0 when not tracked.
    inputs: Fingerprint,
    /// Fingerprint of its bytes.
    bytes: Fingerprint,
    /// Size and modification time on disk after the write: a file changed by hand since is
    /// written again.
    len: u64,
    mtime: u128,
}

/// Outputs of the previous build, by site path.
type Manifest = HashMap<String, Entry>;

/// The folders a build must never write into or empty.
#[derive(Clone, Debug)]
pub struct Protected {
    /// The author's sources: the content folder's sections, site.yaml, themes/.
    pub sources: Vec<PathBuf>,
    /// The site folder itself, which the output may lie in but never be or contain.
    pub site: PathBuf,
    /// A folder inside the sources where outputs may lie all the same: `serve`'s builds, kept in
    /// the build cache so that previewing never touches `public/`.
    pub previews: Option<PathBuf>,
}

/// The output folder during a build: a [`Sink`] that writes changed files in place.
pub struct OutputDir {
    root: PathBuf,
    manifest_path: PathBuf,
    previous: Manifest,
    /// True when the previous manifest was missing or unreadable: files are compared with the
    /// disk and every file not produced is removed.
    untrusted: bool,
    produced: Mutex<Manifest>,
    /// Folders already created, so 15,000 pages do not cost 15,000 `create_dir_all` walks.
    made: Mutex<std::collections::HashSet<PathBuf>>,
    written: std::sync::atomic::AtomicUsize,
    /// Paths written or removed, for telling open pages which of them changed.
    changed: Mutex<Vec<String>>,
}

/// The name under which the cache keeps what it knows of one output folder (given in canonical
/// form), so building into several folders keeps one record each.
pub fn cache_key(canonical_out: &Path) -> String {
    format!(
        "{:016x}",
        fingerprint(canonical_out.as_os_str().as_encoded_bytes()) as u64
    )
}

/// Whether the output folder is exactly what the last build into it wrote: its manifest is
/// there and complete, and every file in it is still the one it records. Never writes.
pub fn unchanged_since_last_build(out: &Path, cache: &Path) -> bool {
    let Ok(root) = out.canonicalize() else {
        return false;
    };
    let Some(manifest) = read_manifest(&cache.join(format!("manifest-{}", cache_key(&root))))
    else {
        return false;
    };
    // Some 30,000 stat calls at 10,000 cases: on both cores.
    root.join(MARKER).is_file()
        && manifest.par_iter().all(|(path, old)| {
            fs::symlink_metadata(root.join(path)).is_ok_and(|meta| {
                meta.is_file() && meta.len() == old.len && mtime(&meta) == old.mtime
            })
        })
}

/// Refuses an output folder that would overwrite the author's work (see [`OutputDir::open`]).
pub fn check_output_folder(out: &Path, protected: &Protected) -> Result<(), OutputError> {
    check_not_sources(out, protected)
}

/// What a finished build did to the output folder.
#[derive(Debug, Default, Clone)]
pub struct WriteSummary {
    /// Files written because they are new or their bytes changed.
    pub written: usize,
    /// Files removed because the build no longer produces them.
    pub removed: usize,
    /// The paths written or removed (`cases/a/index.html`), in no particular order.
    pub changed: Vec<String>,
}

impl OutputDir {
    /// Opens `out` for a build, refusing folders that hold or lie inside the author's sources
    /// and non-empty folders without the marker. `cache` holds the manifest.
    pub fn open(out: &Path, protected: &Protected, cache: &Path) -> Result<OutputDir, OutputError> {
        check_not_sources(out, protected)?;
        if out.is_file() || (out.is_dir() && !out.join(MARKER).is_file() && !is_empty_dir(out)?) {
            return Err(OutputError::NotAnOutput(out.display().to_string()));
        }
        fs::create_dir_all(out).map_err(io_error(out))?;
        if fs::read(out.join(MARKER)).ok().as_deref() != Some(MARKER_TEXT.as_bytes()) {
            fs::write(out.join(MARKER), MARKER_TEXT).map_err(io_error(out))?;
        }
        remove_old_staging_folders(out);
        fs::create_dir_all(cache).map_err(io_error(cache))?;
        let canonical = out.canonicalize().map_err(io_error(out))?;
        let manifest_path = cache.join(format!("manifest-{}", cache_key(&canonical)));
        let previous = read_manifest(&manifest_path);
        // Taken away before the first write: a build killed from here on leaves no manifest.
        match fs::remove_file(&manifest_path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_error(&manifest_path)(e)),
        }
        Ok(OutputDir {
            root: canonical,
            manifest_path,
            untrusted: previous.is_none(),
            previous: previous.unwrap_or_default(),
            produced: Mutex::new(HashMap::new()),
            made: Mutex::new(Default::default()),
            written: Default::default(),
            changed: Mutex::new(Vec::new()),
        })
    }

    /// Copies a file into the output, unless the last build copied the same file (same size
    /// and modification time of the source) and the copy is still there.
    pub fn copy(&self, source: &Path, path: &str) -> io::Result<()> {
        let meta = fs::metadata(source)?;
        let inputs = {
            let mut h = FingerprintWriter::default();
            (meta.len(), mtime(&meta)).hash(&mut h);
            h.finish()
        };
        if self.reuse(path, inputs)? {
            return Ok(());
        }
        let target = self.target(path)?;
        let tmp = tmp_name(&target);
        fs::copy(source, &tmp)?;
        fs::rename(&tmp, &target)?;
        self.wrote(path)?;
        self.record(path, inputs, inputs, &target)
    }

    /// Removes what the build did not produce and stores the new manifest.
    pub fn finish(self) -> Result<WriteSummary, OutputError> {
        let produced = self
            .produced
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        let mut changed = self.changed.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut removed = 0;
        if self.untrusted {
            let gone = remove_unproduced(&self.root, &produced).map_err(io_error(&self.root))?;
            removed += gone.len();
            changed.extend(gone);
        } else {
            for path in self.previous.keys().filter(|p| !produced.contains_key(*p)) {
                let file = self.root.join(path);
                match fs::remove_file(&file) {
                    Ok(()) => {
                        removed += 1;
                        changed.push(path.clone());
                    }
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                    Err(e) => return Err(io_error(&file)(e)),
                }
                remove_empty_parents(&self.root, &file);
            }
        }
        write_manifest(&self.manifest_path, &produced).map_err(io_error(&self.manifest_path))?;
        Ok(WriteSummary {
            written: self.written.into_inner(),
            removed,
            changed,
        })
    }

    fn target(&self, path: &str) -> io::Result<PathBuf> {
        let target = inside(&self.root, path)?;
        if let Some(parent) = target.parent() {
            let known = lock(&self.made)?.contains(parent);
            if !known {
                create_dirs(&self.root, parent)?;
                lock(&self.made)?.insert(parent.to_path_buf());
            }
        }
        Ok(target)
    }

    fn record(
        &self,
        path: &str,
        inputs: Fingerprint,
        bytes: Fingerprint,
        target: &Path,
    ) -> io::Result<()> {
        let meta = fs::metadata(target)?;
        let entry = Entry {
            inputs,
            bytes,
            len: meta.len(),
            mtime: mtime(&meta),
        };
        self.keep(path, entry)
    }

    /// Records `path` as produced, described by `entry`: for a file just found intact, whose
    /// size and modification time need not be read again.
    fn keep(&self, path: &str, entry: Entry) -> io::Result<()> {
        if lock(&self.produced)?
            .insert(path.to_owned(), entry)
            .is_some()
        {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{path} written twice"),
            ));
        }
        Ok(())
    }

    /// The previous entry of `path` if the file on disk is still the one it describes.
    fn intact(&self, path: &str) -> Option<Entry> {
        let old = *self.previous.get(path)?;
        let meta = fs::symlink_metadata(self.root.join(path)).ok()?;
        (meta.is_file() && meta.len() == old.len && mtime(&meta) == old.mtime).then_some(old)
    }

    fn write(&self, path: &str, inputs: Fingerprint, bytes: &[u8]) -> io::Result<()> {
        let hash = fingerprint(bytes);
        let kept = self.intact(path);
        let same = match kept {
            Some(old) => old.bytes == hash,
            // No record to trust (first build, after a killed one), or a file written since
            // the last build (a preview of an edit): compare with the disk.
            None if self.untrusted || self.previous.contains_key(path) => {
                let file = self.root.join(path);
                // A symbolic link is replaced by a file, whatever it points at.
                fs::symlink_metadata(&file).is_ok_and(|m| m.is_file())
                    && fs::read(&file).is_ok_and(|disk| disk == bytes)
            }
            None => false,
        };
        if same && let Some(old) = kept {
            return self.keep(path, Entry { inputs, ..old });
        }
        let target = self.target(path)?;
        if !same {
            replace_file(&target, bytes)?;
            self.wrote(path)?;
        }
        self.record(path, inputs, hash, &target)
    }

    fn wrote(&self, path: &str) -> io::Result<()> {
        self.written
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        lock(&self.changed)?.push(path.to_owned());
        Ok(())
    }
}

impl Sink for OutputDir {
    fn reuse_group(&self, folder: &str, inputs: Fingerprint) -> io::Result<Option<usize>> {
        let group: Vec<&String> = self
            .previous
            .iter()
            .filter(|(path, e)| e.inputs == inputs && path.starts_with(folder))
            .map(|(path, _)| path)
            .collect();
        if inputs == 0 || group.is_empty() || group.iter().any(|p| self.intact(p).is_none()) {
            return Ok(None);
        }
        for path in &group {
            self.keep(path, self.previous[*path])?;
        }
        Ok(Some(group.len()))
    }

    fn emit(&self, path: &str, bytes: Vec<u8>) -> io::Result<()> {
        self.write(path, 0, &bytes)
    }

    fn emit_made_from(&self, path: &str, inputs: Fingerprint, bytes: Vec<u8>) -> io::Result<()> {
        self.write(path, inputs, &bytes)
    }

    fn reuse(&self, path: &str, inputs: Fingerprint) -> io::Result<bool> {
        match self.intact(path) {
            Some(old) if inputs != 0 && old.inputs == inputs => {
                self.keep(path, old)?;
                Ok(true)
            }
            _ => Ok(false),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> io::Result<std::sync::MutexGuard<'_, T>> {
    m.lock().map_err(|_| io::Error::other("poisoned lock"))
}

fn mtime(meta: &fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

/// `root` joined with the output path `path`, refused unless it is a plain relative path that
/// stays inside (outputs come from validated slugs and routes; this is the last line of
/// defence) and is not the output marker.
pub fn inside(root: &Path, path: &str) -> io::Result<PathBuf> {
    if path.is_empty()
        || path.starts_with('/')
        || path.contains('\\')
        || path.contains('\0')
        || path
            .split('/')
            .any(|p| p == ".." || p == "." || p.is_empty())
        || path == MARKER
    {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("unsafe output path {path}"),
        ));
    }
    Ok(root.join(path))
}

/// Writes `bytes` to `target` through a temporary file beside it, so that a reader (a web server
/// during a rebuild, an upload) never sees a truncated file.
pub fn replace_file(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = tmp_name(target);
    let written = fs::write(&tmp, bytes).and_then(|()| fs::rename(&tmp, target));
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written
}

fn tmp_name(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(TMP_SUFFIX);
    target.with_file_name(name)
}

/// Creates `dir` under `root`, replacing a file that stands where a folder must be (an output
/// that used to be a file, e.g. a page slug that became a folder).
fn create_dirs(root: &Path, dir: &Path) -> io::Result<()> {
    match fs::create_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) => {
            let mut blocked = dir.to_path_buf();
            while blocked.starts_with(root) && blocked != root {
                if blocked.is_file() {
                    fs::remove_file(&blocked)?;
                    return fs::create_dir_all(dir);
                }
                blocked.pop();
            }
            Err(e)
        }
    }
}

fn is_empty_dir(dir: &Path) -> Result<bool, OutputError> {
    Ok(fs::read_dir(dir).map_err(io_error(dir))?.next().is_none())
}

/// Refuses an output that is, contains or lies inside the author's sources.
fn check_not_sources(out: &Path, protected: &Protected) -> Result<(), OutputError> {
    let out_abs = absolute(out);
    let site = absolute(&protected.site);
    let overlap = |source: &Path| OutputError::OverlapsSources {
        out: out.display().to_string(),
        sources: source.display().to_string(),
    };
    if site.starts_with(&out_abs) {
        return Err(overlap(&protected.site));
    }
    let previews = protected.previews.as_deref().map(absolute);
    let in_previews = previews
        .as_ref()
        .is_some_and(|p| out_abs.starts_with(p) && out_abs != *p);
    for source in &protected.sources {
        let s = absolute(source);
        if (out_abs.starts_with(&s) && !in_previews) || s.starts_with(&out_abs) {
            return Err(overlap(source));
        }
    }
    Ok(())
}

/// An absolute path with symlinks resolved as far as the path exists, so `-o content/../content`
/// or a symlink to the sources is recognised.
fn absolute(p: &Path) -> PathBuf {
    let p = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut existing = p.clone();
    let mut rest = Vec::new();
    loop {
        if let Ok(c) = existing.canonicalize() {
            return rest.iter().rev().fold(c, |acc, part| acc.join(part));
        }
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => return p,
        }
    }
}

/// Folders `.NAME.staging-PID` that builds before in-place writing left when they were killed.
fn remove_old_staging_folders(out: &Path) {
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
        return;
    };
    let prefix = format!(".{}.staging-", name.to_string_lossy());
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Walks the output folder and removes every file the build did not produce (leftover
/// temporary files of a killed build included), then the folders left empty. Links are removed,
/// never followed.
/// Removes every file under `root` the build did not produce; returns their paths.
fn remove_unproduced(root: &Path, produced: &Manifest) -> io::Result<Vec<String>> {
    fn walk(
        dir: &Path,
        rel: &str,
        produced: &Manifest,
        removed: &mut Vec<String>,
    ) -> io::Result<()> {
        for entry in fs::read_dir(dir)? {
            let entry = entry?;
            let name = entry.file_name();
            let path = format!("{rel}{}", name.to_string_lossy());
            if entry.file_type()?.is_dir() {
                walk(&entry.path(), &format!("{path}/"), produced, removed)?;
                // Fails, as it should, while anything produced is still inside.
                let _ = fs::remove_dir(entry.path());
            } else if path != MARKER && !produced.contains_key(&path) {
                fs::remove_file(entry.path())?;
                removed.push(path);
            }
        }
        Ok(())
    }
    let mut removed = Vec::new();
    walk(root, "", produced, &mut removed)?;
    Ok(removed)
}

fn remove_empty_parents(root: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

fn read_manifest(path: &Path) -> Option<Manifest> {
    let text = fs::read_to_string(path).ok()?;
    let mut lines = text.lines();
    if lines.next()? != MANIFEST_HEADER {
        return None;
    }
    let mut manifest = HashMap::new();
    let mut complete = false;
    for line in lines {
        if line == "end" {
            complete = true;
            break;
        }
        let mut parts = line.splitn(5, '\t');
        let mut hex = || u128::from_str_radix(parts.next()?, 16).ok();
        let (inputs, bytes, len) = (hex()?, hex()?, u64::try_from(hex()?).ok()?);
        let mtime = parts.next()?.parse().ok()?;
        let path = parts.next()?;
        let entry = Entry {
            inputs,
            bytes,
            len,
            mtime,
        };
        manifest.insert(path.to_owned(), entry);
    }
    complete.then_some(manifest)
}

fn write_manifest(path: &Path, manifest: &Manifest) -> io::Result<()> {
    let mut paths: Vec<&String> = manifest.keys().collect();
    paths.sort();
    let mut text = String::with_capacity(64 * paths.len() + 64);
    text.push_str(MANIFEST_HEADER);
    text.push('\n');
    for p in paths {
        let e = &manifest[p];
        use std::fmt::Write as _;
        let _ = writeln!(
            text,
            "{:x}\t{:x}\t{:x}\t{}\t{p}",
            e.inputs, e.bytes, e.len, e.mtime
        );
    }
    text.push_str("end\n");
    let tmp = tmp_name(path);
    fs::write(&tmp, text)?;
    fs::rename(tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("xiezuo-out-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    fn protected(site: &Path) -> Protected {
        Protected {
            sources: vec![site.join("content"), site.join("themes")],
            site: site.to_path_buf(),
            previews: None,
        }
    }

    #[test]
    fn sources_and_their_parents_are_refused() {
        let site = temp("guard");
        fs::create_dir_all(site.join("content/cases")).unwrap();
        let cache = site.join(".xiezuo-cache");
        for bad in [
            site.join("content"),
            site.join("content/cases"),
            site.join("content/../content/x"),
            site.clone(),
            site.parent().unwrap().to_path_buf(),
            site.join("themes/default"),
        ] {
            assert!(
                matches!(
                    OutputDir::open(&bad, &protected(&site), &cache),
                    Err(OutputError::OverlapsSources { .. })
                ),
                "{}",
                bad.display()
            );
        }
        assert!(site.join("content/cases").is_dir());
        assert!(OutputDir::open(&site.join("public"), &protected(&site), &cache).is_ok());
        fs::remove_dir_all(&site).unwrap();
    }

    #[test]
    fn outputs_may_lie_in_the_previews_folder_only() {
        let site = temp("previews");
        let cache = site.join(".xiezuo-cache");
        let guard = Protected {
            sources: vec![site.join("content"), cache.clone()],
            site: site.clone(),
            previews: Some(cache.join("serve")),
        };
        for bad in [cache.clone(), cache.join("serve"), cache.join("other")] {
            assert!(
                matches!(
                    check_output_folder(&bad, &guard),
                    Err(OutputError::OverlapsSources { .. })
                ),
                "{}",
                bad.display()
            );
        }
        assert!(check_output_folder(&cache.join("serve/1"), &guard).is_ok());
        fs::remove_dir_all(&site).unwrap();
    }

    #[test]
    fn a_folder_that_is_not_an_output_is_never_emptied() {
        let site = temp("foreign");
        let other = site.join("documents");
        fs::create_dir_all(&other).unwrap();
        fs::write(other.join("report.docx"), b"work").unwrap();
        let cache = site.join(".xiezuo-cache");
        assert!(matches!(
            OutputDir::open(&other, &protected(&site), &cache),
            Err(OutputError::NotAnOutput(_))
        ));
        assert_eq!(fs::read(other.join("report.docx")).unwrap(), b"work");
        fs::remove_dir_all(&site).unwrap();
    }

    #[test]
    fn unchanged_outputs_are_not_written_and_stale_ones_go() {
        let site = temp("incr");
        let out = site.join("public");
        let cache = site.join(".xiezuo-cache");
        let dir = OutputDir::open(&out, &protected(&site), &cache).unwrap();
        dir.emit("a/index.html", b"a".to_vec()).unwrap();
        dir.emit("b.txt", b"b".to_vec()).unwrap();
        let summary = dir.finish().unwrap();
        assert_eq!(summary.written, 2);
        let mut changed = summary.changed;
        changed.sort();
        assert_eq!(changed, ["a/index.html", "b.txt"]);

        let dir = OutputDir::open(&out, &protected(&site), &cache).unwrap();
        dir.emit("a/index.html", b"a".to_vec()).unwrap();
        let summary = dir.finish().unwrap();
        assert_eq!((summary.written, summary.removed), (0, 1));
        assert_eq!(summary.changed, ["b.txt"]);
        assert!(!out.join("b.txt").exists());

        // A file written since (an early render of an edit) is compared with the disk: the
        // same bytes are not written again.
        replace_file(&out.join("a/index.html"), b"a2").unwrap();
        let dir = OutputDir::open(&out, &protected(&site), &cache).unwrap();
        dir.emit("a/index.html", b"a2".to_vec()).unwrap();
        let summary = dir.finish().unwrap();
        assert_eq!((summary.written, summary.removed), (0, 0));

        // A killed build leaves no manifest and a temporary file: the next one cleans up.
        let dir = OutputDir::open(&out, &protected(&site), &cache).unwrap();
        fs::write(out.join("a/index.html.xiezuo-tmp"), b"half").unwrap();
        drop(dir);
        let dir = OutputDir::open(&out, &protected(&site), &cache).unwrap();
        dir.emit("a/index.html", b"a2".to_vec()).unwrap();
        let summary = dir.finish().unwrap();
        assert_eq!((summary.written, summary.removed), (0, 1));
        assert_eq!(summary.changed, ["a/index.html.xiezuo-tmp"]);
        assert!(!out.join("a/index.html.xiezuo-tmp").exists());
        fs::remove_dir_all(&site).unwrap();
    }
}
