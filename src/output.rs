//! Writing a build to disk atomically: everything goes to a staging folder beside the output
//! folder, which replaces the old one only when the whole build succeeded. A failed build
//! leaves the previous site untouched; files no longer produced simply do not exist in the new one.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::render::Sink;

/// A sink that writes into a staging folder.
pub struct StagingDir {
    dir: PathBuf,
    written: Mutex<HashSet<String>>,
    /// Folders already created, so 15,000 pages do not cost 15,000 `create_dir_all` walks.
    made: Mutex<HashSet<PathBuf>>,
}

impl StagingDir {
    /// Creates an empty staging folder next to `out`.
    pub fn create(out: &Path) -> io::Result<StagingDir> {
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent)?;
        let name = out
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir_all(&dir)?;
        Ok(StagingDir {
            dir,
            written: Mutex::new(HashSet::new()),
            made: Mutex::new(HashSet::new()),
        })
    }

    /// Copies a file into the staging folder.
    pub fn copy(&self, source: &Path, path: &str) -> io::Result<()> {
        let target = self.target(path)?;
        fs::copy(source, target).map(|_| ())
    }

    fn target(&self, path: &str) -> io::Result<PathBuf> {
        // Outputs come from slugs that were validated, but a theme could name anything.
        if path.split('/').any(|p| p == ".." || p.is_empty()) || path.starts_with('/') {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("unsafe output path {path}"),
            ));
        }
        let newly = self
            .written
            .lock()
            .map_err(|_| io::Error::other("poisoned lock"))?
            .insert(path.to_owned());
        if !newly {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{path} written twice"),
            ));
        }
        let target = self.dir.join(path);
        if let Some(parent) = target.parent() {
            let known = self
                .made
                .lock()
                .map_err(|_| io::Error::other("poisoned lock"))?
                .contains(parent);
            if !known {
                fs::create_dir_all(parent)?;
                self.made
                    .lock()
                    .map_err(|_| io::Error::other("poisoned lock"))?
                    .insert(parent.to_path_buf());
            }
        }
        Ok(target)
    }

    /// Replaces `out` with the staging folder.
    pub fn commit(self, out: &Path) -> io::Result<()> {
        let old = self.dir.with_file_name(format!(
            "{}.old",
            self.dir
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        ));
        let had_old = out.exists();
        if had_old {
            fs::rename(out, &old)?;
        }
        if let Err(e) = fs::rename(&self.dir, out) {
            if had_old {
                let _ = fs::rename(&old, out);
            }
            return Err(e);
        }
        if had_old {
            fs::remove_dir_all(&old)?;
        }
        Ok(())
    }

    /// Removes the staging folder after a failed build.
    pub fn discard(self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

impl Sink for StagingDir {
    fn emit(&self, path: &str, bytes: Vec<u8>) -> io::Result<()> {
        fs::write(self.target(path)?, bytes)
    }
}

/// A sink that keeps outputs in memory, for tests and tools.
#[derive(Default)]
pub struct MemorySink {
    files: Mutex<Vec<(String, Vec<u8>)>>,
}

impl MemorySink {
    /// The outputs, sorted by path.
    pub fn into_files(self) -> Vec<(String, Vec<u8>)> {
        let mut files = self.files.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.0.cmp(&b.0));
        files
    }
}

impl Sink for MemorySink {
    fn emit(&self, path: &str, bytes: Vec<u8>) -> io::Result<()> {
        let mut files = self
            .files
            .lock()
            .map_err(|_| io::Error::other("poisoned lock"))?;
        if files.iter().any(|(p, _)| p == path) {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{path} written twice"),
            ));
        }
        files.push((path.to_owned(), bytes));
        Ok(())
    }
}
