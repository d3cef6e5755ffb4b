//! Which files of the content folder are what: documents of each section, page bundles and the
//! files beside them, static files, statistics files.

use std::path::Path;

use crate::source::list_files;

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

/// Lists and classifies everything under the content folder.
pub fn classify_files(content: &Path) -> ContentFiles {
    let mut files = ContentFiles::default();
    for section in Section::ALL {
        let all = list_files(content, section.dir());
        let bundles: Vec<String> = all
            .iter()
            .filter_map(|rel| rel.strip_suffix("/index.md"))
            .filter(|dir| dir.contains('/'))
            .map(str::to_owned)
            .collect();
        let bundle_of = |rel: &str| {
            bundles
                .iter()
                .filter(|b| rel.starts_with(&format!("{b}/")))
                .max_by_key(|b| b.len())
                .cloned()
        };
        for rel in all {
            if rel.ends_with(".md") {
                let bundle = rel
                    .strip_suffix("/index.md")
                    .filter(|d| bundles.iter().any(|b| b == d));
                let file_slug = match bundle {
                    Some(dir) => dir.rsplit('/').next().unwrap_or(dir).to_owned(),
                    None => rel
                        .rsplit('/')
                        .next()
                        .unwrap_or(&rel)
                        .trim_end_matches(".md")
                        .to_owned(),
                };
                files.docs.push(DocFile {
                    section,
                    bundle: bundle.map(str::to_owned),
                    rel: rel.clone(),
                    file_slug,
                });
            } else {
                let bundle = bundle_of(&rel);
                files.side_files.push(SideFile { rel, bundle });
            }
        }
    }
    files.static_files = list_files(content, "static");
    files.stats_files = list_files(content, "stats")
        .into_iter()
        .filter(|f| f.ends_with(".yaml") || f.ends_with(".yml"))
        .collect();
    files
}
