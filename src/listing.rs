//! Lists the files of a site folder: the one place that walks the disk.
//!
//! Content, statistics and themes are all listed here, so one set of rules holds for each.
//! Nothing that resolves outside the site folder is listed: a symbolic link out of it (to
//! `/etc/passwd`, to a folder, to `/proc/self/environ`) is an error naming the link and its
//! target, and is never opened. Nothing is passed over in silence: a hidden entry is a warning
//! (one per hidden folder, not per file in it); a dangling link, a pipe, socket or device, an
//! unreadable file or folder are errors. Names that would make unsafe output paths are errors
//! ([`crate::file_name`]). Links that stay inside the site are followed.
//!
//! What a listed file means (a case, a statistics file, a stray file) is the caller's business.

use std::fs::{self, FileType};
use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostics, Place};
use crate::file_name::name_problem;
use crate::problem::Problem;

/// A folder to list, how authors see it, and the site folder nothing may leave.
#[derive(Clone, Copy, Debug)]
pub struct Tree<'a> {
    /// The folder listed paths are relative to (`content/` or `themes/NAME/`).
    pub root: &'a Path,
    /// `root` as shown in diagnostics (`content`, `themes/NAME`).
    pub shown: &'a Path,
    /// The site folder in canonical form (see [`site_folder`]).
    pub site: &'a Path,
    /// Names directly in `root` passed over without a word: the output and the themes of a
    /// site whose content folder is the site folder itself.
    pub skip: &'a [&'a str],
}

/// The canonical form of the site folder, against which every link's target is checked.
pub fn site_folder(root: &Path) -> PathBuf {
    // A folder that cannot be resolved does not exist, so nothing will be listed in it anyway.
    fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf())
}

/// Every readable regular file under `tree.root` (`/`-separated, relative, sorted), with a
/// diagnostic for everything under it that is not listed.
pub fn list_files(tree: &Tree, diags: &mut Diagnostics) -> Vec<String> {
    let mut walk = Walk::new(tree, diags);
    let root = Path::new("");
    match fs::symlink_metadata(tree.root) {
        Ok(meta) => {
            if let Some(Found::Folder(real)) = walk.resolve(root, meta.file_type()) {
                walk.folder(root, real);
            }
        }
        // No theme folder, no content folder: nothing to list, and the caller says what is
        // missing if it matters.
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => walk.report(root, Problem::UnreadableFolder(e.to_string())),
    }
    let mut files = walk.files;
    files.sort();
    files
}

/// True when the file at `rel` (under `tree.root`) resolves inside the site; otherwise the
/// problem is reported. For files read by name rather than found by listing (site.yaml).
pub fn check_inside(tree: &Tree, rel: &str, diags: &mut Diagnostics) -> bool {
    let rel = Path::new(rel);
    let mut walk = Walk::new(tree, diags);
    match fs::symlink_metadata(below(tree.root, rel)) {
        Ok(meta) => walk.resolve(rel, meta.file_type()).is_some(),
        Err(e) => {
            walk.report(rel, Problem::Io(e.to_string()));
            false
        }
    }
}

/// What an entry turned out to be, once links are followed.
enum Found {
    File,
    /// A folder, with its canonical path (to notice a link back to a folder being walked).
    Folder(PathBuf),
}

struct Walk<'t, 'd> {
    tree: &'t Tree<'t>,
    diags: &'d mut Diagnostics,
    files: Vec<String>,
    /// Canonical paths of the folders being walked, outermost first.
    open: Vec<PathBuf>,
}

impl<'t, 'd> Walk<'t, 'd> {
    fn new(tree: &'t Tree<'t>, diags: &'d mut Diagnostics) -> Self {
        Walk {
            tree,
            diags,
            files: Vec::new(),
            open: Vec::new(),
        }
    }

    fn report(&mut self, rel: &Path, problem: Problem) {
        let shown = below(self.tree.shown, rel);
        self.diags.report(Place::file(&shown), problem);
    }

    fn folder(&mut self, rel: &Path, real: PathBuf) {
        let entries = match fs::read_dir(below(self.tree.root, rel)) {
            Ok(entries) => entries,
            Err(e) => return self.report(rel, Problem::UnreadableFolder(e.to_string())),
        };
        let mut found = Vec::new();
        for entry in entries {
            match entry {
                Ok(e) => found.push((e.file_name(), e.file_type())),
                Err(e) => self.report(rel, Problem::UnreadableFolder(e.to_string())),
            }
        }
        found.sort_by(|a, b| a.0.cmp(&b.0));
        self.open.push(real);
        for (name, file_type) in found {
            self.entry(&rel.join(name), file_type);
        }
        self.open.pop();
    }

    fn entry(&mut self, rel: &Path, file_type: io::Result<FileType>) {
        let name = rel.file_name().unwrap_or_default();
        let Some(name) = name.to_str() else {
            return self.report(rel, Problem::NameNotUtf8);
        };
        let top_level = rel.parent() == Some(Path::new(""));
        if top_level && self.tree.skip.contains(&name) {
            return;
        }
        let file_type = match file_type {
            Ok(t) => t,
            Err(e) => return self.report(rel, Problem::Io(e.to_string())),
        };
        if name.starts_with('.') {
            let folder = file_type.is_dir();
            return self.report(rel, Problem::Hidden { folder });
        }
        if let Some(problem) = name_problem(name) {
            return self.report(rel, problem);
        }
        match self.resolve(rel, file_type) {
            Some(Found::Folder(real)) => self.folder(rel, real),
            Some(Found::File) => self.files.push(slash_path(rel)),
            None => {}
        }
    }

    /// Follows a link (only if it stays inside the site) and checks what is at the end.
    fn resolve(&mut self, rel: &Path, file_type: FileType) -> Option<Found> {
        let path = below(self.tree.root, rel);
        let (real, file_type) = match self.open.last() {
            // An entry that is no link lies where its folder does: no need to resolve it.
            Some(parent) if !file_type.is_symlink() => {
                (parent.join(rel.file_name().unwrap_or_default()), file_type)
            }
            _ => {
                let real = self.canonical_inside(rel, &path, file_type)?;
                match fs::metadata(&real) {
                    Ok(meta) => (real, meta.file_type()),
                    Err(e) => {
                        self.report(rel, Problem::Io(e.to_string()));
                        return None;
                    }
                }
            }
        };
        if file_type.is_dir() {
            if self.open.contains(&real) {
                let target = link_target(&path);
                self.report(rel, Problem::LinkLoop { target });
                return None;
            }
            return Some(Found::Folder(real));
        }
        if !file_type.is_file() {
            self.report(rel, Problem::SpecialFile);
            return None;
        }
        // Opened now, so an unreadable file is named here rather than failing the copy later.
        if let Err(e) = fs::File::open(&real) {
            self.report(rel, Problem::Io(e.to_string()));
            return None;
        }
        Some(Found::File)
    }

    /// The canonical path of `path`, if it exists and lies inside the site.
    fn canonical_inside(
        &mut self,
        rel: &Path,
        path: &Path,
        file_type: FileType,
    ) -> Option<PathBuf> {
        let real = match fs::canonicalize(path) {
            Ok(real) => real,
            Err(e) if e.kind() == io::ErrorKind::NotFound && file_type.is_symlink() => {
                let target = link_target(path);
                self.report(rel, Problem::DanglingLink { target });
                return None;
            }
            Err(e) => {
                self.report(rel, Problem::Io(e.to_string()));
                return None;
            }
        };
        if real.starts_with(self.tree.site) {
            return Some(real);
        }
        // The root may sit behind a link higher up, not be one; then say where it leads.
        let target = if file_type.is_symlink() {
            link_target(path)
        } else {
            real.display().to_string()
        };
        self.report(rel, Problem::LinkOutsideSite { target });
        None
    }
}

/// `folder/rel`, or `folder` itself for the empty path: `join("")` would add a trailing slash,
/// and a link with a trailing slash is read as the folder it points to, not as a link.
fn below(folder: &Path, rel: &Path) -> PathBuf {
    if rel.as_os_str().is_empty() {
        folder.to_path_buf()
    } else {
        folder.join(rel)
    }
}

/// The link's target as written in it (`../../secret`, `/etc/passwd`).
fn link_target(path: &Path) -> String {
    fs::read_link(path)
        .map(|t| t.display().to_string())
        .unwrap_or_default()
}

/// Turns a relative path into the `/`-separated form used as a key.
fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
