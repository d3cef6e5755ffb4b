//! Which files of the content folder are what: documents of each section, page bundles and the
//! files beside them, static files, statistics files, and files that are not published at all
//! (each of which gets a warning, so nothing an author put there vanishes without a word).

use crate::diagnostic::{Diagnostics, Place};
use crate::listing::{Tree, list_files};
use crate::problem::Problem;

/// The content sections that hold Markdown documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Cases,
    Brands,
    Bulletins,
    Pages,
}

impl Section {
    pub const ALL: [Section; 4] = [
        Section::Cases,
        Section::Brands,
        Section::Bulletins,
        Section::Pages,
    ];

    /// The folder under `content/`.
    pub fn dir(self) -> &'static str {
        match self {
            Section::Cases => "cases",
            Section::Brands => "brands",
            Section::Bulletins => "bulletins",
            Section::Pages => "pages",
        }
    }
}

/// A Markdown document found in a section.
#[derive(Clone, Debug)]
pub struct DocFile {
    pub section: Section,
    /// Content-relative path (`cases/a.md`, `cases/b/index.md`).
    pub rel: String,
    /// Folder of a page bundle (`cases/b`), whose other files are copied beside the page.
    pub bundle: Option<String>,
    /// Slug from the file or bundle name, before front matter can override it.
    pub file_slug: String,
}

/// A non-Markdown file inside a section folder.
#[derive(Clone, Debug)]
pub struct SideFile {
    pub rel: String,
    /// The bundle folder it belongs to, if any.
    pub bundle: Option<String>,
}

/// All input files, classified.
#[derive(Debug, Default)]
pub struct ContentFiles {
    pub docs: Vec<DocFile>,
    pub side_files: Vec<SideFile>,
    /// `static/...` files, copied to the site root without the `static/` prefix.
    pub static_files: Vec<String>,
    pub stats_files: Vec<String>,
}

/// Lists and classifies everything under the content folder; a file that is neither built,
/// copied nor read as statistics gets a warning saying it is not published.
pub fn classify_files(tree: &Tree, diags: &mut Diagnostics) -> ContentFiles {
    let mut files = ContentFiles::default();
    let mut sections: [Vec<String>; 4] = Default::default();
    let mut unknown_folders: Vec<&str> = Vec::new();
    let all = list_files(tree, diags);
    for rel in &all {
        // The original of a file converted by `xiezuo fix-encoding`: publishing it would put
        // the old bytes on the site, so it is skipped, and said so.
        if is_backup(rel) {
            let place = Place::file(&tree.shown.join(rel));
            diags.report(place, Problem::BackupFile);
            continue;
        }
        let Some((top, _)) = rel.split_once('/') else {
            if rel != "site.yaml" {
                let place = Place::file(&tree.shown.join(rel));
                diags.report(place, Problem::NotPublished { folder: false });
            }
            continue;
        };
        if let Some(i) = Section::ALL.iter().position(|s| s.dir() == top) {
            sections[i].push(rel.clone());
        } else if top == "static" {
            files.static_files.push(rel.clone());
        } else if top != "stats" {
            // One warning per folder: the folder is what the author put there.
            if !unknown_folders.contains(&top) {
                unknown_folders.push(top);
                let place = Place::file(&tree.shown.join(top));
                diags.report(place, Problem::NotPublished { folder: true });
            }
        } else if is_yaml(rel) {
            files.stats_files.push(rel.clone());
        } else {
            diags.report(Place::file(&tree.shown.join(rel)), Problem::NotStatsFile);
        }
    }
    for (section, all) in Section::ALL.into_iter().zip(sections) {
        classify_section(section, all, &mut files);
    }
    files
}

fn classify_section(section: Section, all: Vec<String>, files: &mut ContentFiles) {
    // A bundle is a folder below the section holding index.md; its other files go with it.
    let bundles: Vec<String> = all
        .iter()
        .filter_map(|rel| markdown_stem(rel))
        .filter_map(|stem| stem.rsplit_once('/'))
        .filter(|(dir, name)| dir.contains('/') && name.eq_ignore_ascii_case("index"))
        .map(|(dir, _)| dir.to_owned())
        .collect();
    let bundle_of = |rel: &str| {
        bundles
            .iter()
            .filter(|b| rel.starts_with(&format!("{b}/")))
            .max_by_key(|b| b.len())
            .cloned()
    };
    for rel in all {
        let Some(stem) = markdown_stem(&rel) else {
            let bundle = bundle_of(&rel);
            files.side_files.push(SideFile { rel, bundle });
            continue;
        };
        let bundle = stem.rsplit_once('/').and_then(|(dir, name)| {
            (name.eq_ignore_ascii_case("index") && bundles.iter().any(|b| b == dir))
                .then(|| dir.to_owned())
        });
        let file_slug = match &bundle {
            Some(dir) => dir.rsplit('/').next().unwrap_or(dir),
            None => stem.rsplit('/').next().unwrap_or(stem),
        }
        .to_owned();
        files.docs.push(DocFile {
            section,
            bundle,
            rel,
            file_slug,
        });
    }
}

/// `cases/a.md` → `cases/a`: the path without its Markdown extension (`.md`, `.markdown`, in
/// any case: `t.MD` is a document, not a file to copy raw with its front matter).
pub fn markdown_stem(rel: &str) -> Option<&str> {
    let (stem, ext) = rel.rsplit_once('.')?;
    let is_markdown = ext.eq_ignore_ascii_case("md") || ext.eq_ignore_ascii_case("markdown");
    (is_markdown && !stem.ends_with('/')).then_some(stem)
}

/// `.bak`, in any case.
fn is_backup(rel: &str) -> bool {
    rel.rsplit_once('.')
        .is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("bak"))
}

/// `.yaml` or `.yml`, in any case.
fn is_yaml(rel: &str) -> bool {
    rel.rsplit_once('.')
        .is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_extensions_in_any_case() {
        assert_eq!(markdown_stem("cases/a.md"), Some("cases/a"));
        assert_eq!(markdown_stem("cases/t.MD"), Some("cases/t"));
        assert_eq!(markdown_stem("cases/t.markdown"), Some("cases/t"));
        assert_eq!(
            markdown_stem("cases/b/index.Markdown"),
            Some("cases/b/index")
        );
        assert_eq!(markdown_stem("cases/a.mdx"), None);
        assert_eq!(markdown_stem("cases/photo.jpg"), None);
        assert!(is_yaml("stats/2023.YML") && is_yaml("stats/a.yaml") && !is_yaml("stats/x.txt"));
    }

    #[test]
    fn bundles_and_slugs() {
        let mut files = ContentFiles::default();
        let all = [
            "cases/a.MD",
            "cases/b/INDEX.md",
            "cases/b/map.png",
            "cases/c.txt",
        ];
        classify_section(Section::Cases, all.map(str::to_owned).to_vec(), &mut files);
        let docs: Vec<_> = files
            .docs
            .iter()
            .map(|d| (d.rel.as_str(), d.bundle.as_deref(), d.file_slug.as_str()))
            .collect();
        assert_eq!(
            docs,
            [
                ("cases/a.MD", None, "a"),
                ("cases/b/INDEX.md", Some("cases/b"), "b")
            ]
        );
        let sides: Vec<_> = files
            .side_files
            .iter()
            .map(|f| (f.rel.as_str(), f.bundle.as_deref()))
            .collect();
        assert_eq!(
            sides,
            [("cases/b/map.png", Some("cases/b")), ("cases/c.txt", None)]
        );
    }
}
