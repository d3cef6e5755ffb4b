//! `xiezuo new case|brand|bulletin|page [TITLE]`: a new content file whose front matter is
//! filled in from the command line and commented field by field, ready to build.
//!
//! Values are checked with the build's own rules before anything is written (a province as
//! `province::parse` reads it, a task from site.yaml's vocabulary, a date as `Date::parse`),
//! and written in their normal form (`贵州` → `贵州省`). The file name is the slug the build
//! would take, pinyin of the title (`slug::slugify`); a bulletin gets the next free issue
//! number of its year. An existing file is never overwritten, and a slug or issue another file
//! has is refused, so the new file builds without a diagnostic.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::config::SiteConfig;
use crate::date::Date;
use crate::diagnostic::{Diagnostic, Diagnostics, Place};
use crate::problem::{Lang, Problem};
use crate::resolve::{SitePaths, existing_documents, read_config};

mod template;

use template::front_matter;

/// The kind of content to create.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Case,
    Brand,
    Bulletin,
    Page,
}

impl Kind {
    fn section(self) -> crate::resolve::Section {
        use crate::resolve::Section;
        match self {
            Kind::Case => Section::Cases,
            Kind::Brand => Section::Brands,
            Kind::Bulletin => Section::Bulletins,
            Kind::Page => Section::Pages,
        }
    }

    /// The command's word for the kind (`case`), for examples in messages.
    fn word(self) -> &'static str {
        match self {
            Kind::Case => "case",
            Kind::Brand => "brand",
            Kind::Bulletin => "bulletin",
            Kind::Page => "page",
        }
    }
}

/// What the author gave on the command line.
#[derive(Clone, Debug, Default)]
pub struct NewOptions {
    pub title: Option<String>,
    pub province: Option<String>,
    pub task: Option<String>,
    pub pair: Option<String>,
    pub category: Option<String>,
    pub date: Option<String>,
    pub year: Option<u64>,
    pub issue: Option<u64>,
    pub slug: Option<String>,
}

/// The file written.
#[derive(Clone, Debug)]
pub struct Created {
    /// Its path, under the site folder as given (`content/cases/wen-gang.md`).
    pub path: PathBuf,
    /// The URL it will be published at (`/dxbrs/cases/wen-gang/`).
    pub url: String,
    /// The site's language, for wording what is printed.
    pub lang: Lang,
}

/// Why nothing was written.
#[derive(Debug)]
pub enum NewError {
    /// The options, site.yaml or the files there: every problem, worded like the build's.
    Invalid(Vec<Diagnostic>),
    Io(String),
}

/// Writes a new file of `kind` into the site in `site_dir`.
pub fn create(site_dir: &Path, kind: Kind, options: &NewOptions) -> Result<Created, NewError> {
    let paths = SitePaths::locate(site_dir);
    let Some(config) = read_config(site_dir) else {
        let mut d = Diagnostics::new(Lang::Zh);
        d.report(
            Place::file(&paths.shown.join("site.yaml")),
            Problem::MissingSiteFile,
        );
        return Err(NewError::Invalid(d.into_sorted()));
    };
    let mut diags = Diagnostics::new(config.language);
    let values = validate(kind, options, &config, &mut diags);
    let Some(mut values) = values.filter(|_| !diags.has_errors()) else {
        return Err(NewError::Invalid(diags.into_sorted()));
    };
    let existing = existing_documents(site_dir, kind.section());
    let dir = paths.content.join(kind.section().dir());
    let shown_dir = paths.shown.join(kind.section().dir());
    let taken = Taken {
        existing: &existing,
        shown_dir: &shown_dir,
    };
    let name = file_name(kind, options, &mut values, &config, taken, &mut diags);
    let Some(name) = name else {
        return Err(NewError::Invalid(diags.into_sorted()));
    };
    let path = dir.join(format!("{name}.md"));
    let shown = shown_dir.join(format!("{name}.md"));
    let text = front_matter(kind, &values, &config);
    std::fs::create_dir_all(&dir).map_err(|e| NewError::Io(format!("{}: {e}", dir.display())))?;
    // `create_new`: the check above and the write cannot race another writer into an overwrite.
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            diags.report(Place::file(&shown), Problem::FileExists);
            return Err(NewError::Invalid(diags.into_sorted()));
        }
        Err(e) => return Err(NewError::Io(format!("{}: {e}", path.display()))),
    };
    file.write_all(text.as_bytes())
        .map_err(|e| NewError::Io(format!("{}: {e}", path.display())))?;
    let site_path = match kind {
        Kind::Case => crate::routes::case_dir(&name),
        Kind::Brand => crate::routes::brand_dir(&name),
        Kind::Bulletin => crate::routes::bulletin_dir(&name),
        Kind::Page => crate::routes::page_dir(&name),
    };
    Ok(Created {
        path: shown,
        url: config.base_url.local(&site_path),
        lang: config.language,
    })
}

/// The values of the new file, each in the form the build shows it.
struct Values {
    title: Option<String>,
    date: Date,
    province: Option<&'static str>,
    pair: Option<&'static str>,
    task: Option<String>,
    category: Option<String>,
    year: u64,
    /// A bulletin's issue number, once the issues taken are known.
    issue: Option<u64>,
}

/// Checks every option with the build's rules, reporting all problems against the option.
fn validate(
    kind: Kind,
    options: &NewOptions,
    config: &SiteConfig,
    diags: &mut Diagnostics,
) -> Option<Values> {
    let at = |option: &str| Place::file(Path::new(option));
    let missing = |diags: &mut Diagnostics, option: &str| {
        let problem = Problem::MissingOption {
            option: option.to_owned(),
            example: example(kind, config),
        };
        diags.report(at(option), problem);
    };
    let title = options
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    if title.is_none() && kind != Kind::Bulletin {
        missing(diags, "TITLE");
    }
    let date = match &options.date {
        Some(d) => match Date::parse(d) {
            Ok(date) => Some(date),
            Err(e) => {
                let problem = Problem::BadDate {
                    value: d.clone(),
                    suggestion: e.suggestion,
                };
                diags.report(at("--date"), problem);
                None
            }
        },
        None => Date::today_in_beijing(),
    };
    let province = |option: &str, value: &Option<String>, diags: &mut Diagnostics| {
        let value = value.as_deref()?;
        match crate::province::parse(value) {
            Ok(p) => Some(p),
            Err(e) => {
                let problem = Problem::UnknownProvince {
                    value: value.to_owned(),
                    suggestion: e.suggestion.map(|p| p.name().to_owned()),
                };
                diags.report(at(option), problem);
                None
            }
        }
    };
    let needs_province = matches!(kind, Kind::Case | Kind::Brand);
    if needs_province && options.province.is_none() {
        missing(diags, "--province");
    }
    let reporting = province("--province", &options.province, diags);
    let pair = province("--pair", &options.pair, diags);
    if let (Some(p), Some(r)) = (pair, reporting)
        && p == r
    {
        let problem = Problem::PairSameSide {
            east: p.name().into(),
            west: r.name().into(),
        };
        diags.report(at("--pair"), problem);
    }
    let task = match (&options.task, kind) {
        (Some(t), _) => match config.find_task(t) {
            Some(i) => Some(config.tasks[i].name.clone()),
            None => {
                let vocabulary = config.tasks.iter().map(|t| t.name.clone()).collect();
                let problem = Problem::UnknownTask {
                    value: t.clone(),
                    vocabulary,
                };
                diags.report(at("--task"), problem);
                None
            }
        },
        (None, Kind::Case) => {
            missing(diags, "--task");
            None
        }
        (None, _) => None,
    };
    let category = options
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    if kind == Kind::Brand && category.is_none() {
        missing(diags, "--category");
    }
    let year = match options.year {
        Some(y) => crate::resolve::parse_year(&serde_json::Value::from(y))
            .map_err(|p| diags.report(at("--year"), p))
            .ok(),
        None => date.map(|d| d.year.unsigned_abs().into()),
    };
    Some(Values {
        title: title.map(str::to_owned),
        date: date?,
        province: reporting.map(|p| p.name()),
        pair: pair.map(|p| p.name()),
        task,
        category: category.map(str::to_owned),
        year: year?,
        issue: None,
    })
}

/// A whole command that works, for the hint of a missing option.
fn example(kind: Kind, config: &SiteConfig) -> String {
    let task = config
        .tasks
        .iter()
        .find(|t| t.name == "劳务协作")
        .or(config.tasks.first())
        .map_or("劳务协作", |t| t.name.as_str());
    match kind {
        Kind::Case => format!("xiezuo new case 山海同心稳就业 --province 贵州 --task {task}"),
        Kind::Brand => "xiezuo new brand 吕梁山护工 --province 山西 --category 家政服务".into(),
        Kind::Bulletin => "xiezuo new bulletin --year 2025".into(),
        Kind::Page => "xiezuo new page 联系我们".into(),
    }
}

/// The documents already in the new file's section, and the section's folder as shown.
#[derive(Clone, Copy)]
struct Taken<'a> {
    existing: &'a [crate::resolve::ExistingDoc],
    shown_dir: &'a Path,
}

/// The file's name without `.md` (its slug, or `YEAR-ISSUE` for a bulletin, whose issue it
/// sets), refused when another file of the section already has it.
fn file_name(
    kind: Kind,
    options: &NewOptions,
    values: &mut Values,
    config: &SiteConfig,
    Taken {
        existing,
        shown_dir,
    }: Taken,
    diags: &mut Diagnostics,
) -> Option<String> {
    if kind == Kind::Bulletin {
        let issue = options.issue.unwrap_or_else(|| {
            let last = existing
                .iter()
                .filter_map(|d| d.issue)
                .filter(|(y, _)| *y == values.year)
                .map(|(_, i)| i)
                .max();
            last.map_or(1, |i| i + 1)
        });
        if let Err(p) = crate::resolve::parse_issue(&serde_json::Value::from(issue)) {
            diags.report(Place::file(Path::new("--issue")), p);
            return None;
        }
        let taken = existing
            .iter()
            .find(|d| d.issue == Some((values.year, issue)));
        if let Some(other) = taken {
            let problem = Problem::DuplicateBulletin {
                label: format!("{}-{issue}", values.year),
                other: other.shown.display().to_string(),
            };
            diags.report(Place::file(Path::new("--issue")), problem);
            return None;
        }
        values.issue = Some(issue);
        return Some(format!("{}-{issue}", values.year));
    }
    let slug = match &options.slug {
        Some(s) if crate::slug::is_valid(s) => s.clone(),
        Some(s) => {
            let problem = Problem::BadSlug { value: s.clone() };
            diags.report(Place::file(Path::new("--slug")), problem);
            return None;
        }
        None => {
            let title = values.title.as_deref().unwrap_or_default();
            let slug = crate::slug::shorten(&crate::slug::slugify(title)).to_owned();
            // A title of punctuation or emoji only has no pinyin: the date names the file.
            if slug.is_empty() {
                format!("{}-{}", kind.word(), values.date)
            } else {
                slug
            }
        }
    };
    let option = if options.slug.is_some() {
        "--slug"
    } else {
        "TITLE"
    };
    if kind == Kind::Page && crate::routes::RESERVED_TOP.contains(&slug.as_str()) {
        let url = config.base_url.local(&crate::routes::page_dir(&slug));
        let other = match config.language {
            Lang::Zh => format!("内置页面 {url}"),
            Lang::En => format!("the built-in page {url}"),
        };
        let problem = Problem::UrlCollision { url, other };
        diags.report(Place::file(Path::new("--slug")), problem);
        return None;
    }
    // The file of that name itself is refused as existing when written, with the clearer message.
    let own_file = shown_dir.join(format!("{slug}.md"));
    let other = existing
        .iter()
        .find(|d| d.slug.as_deref() == Some(&slug) && d.shown != own_file);
    if let Some(other) = other {
        let problem = Problem::DuplicateSlug {
            slug,
            other: other.shown.display().to_string(),
        };
        diags.report(Place::file(Path::new(option)), problem);
        return None;
    }
    Some(slug)
}
