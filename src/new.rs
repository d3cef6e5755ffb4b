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

/// One front-matter line: key, value as YAML, and its comment (per language).
type Line = (&'static str, String, &'static str, String);

/// The text of the new file: front matter with a comment on every field, and a body to
/// replace.
fn front_matter(kind: Kind, v: &Values, config: &SiteConfig) -> String {
    let zh = config.language == Lang::Zh;
    let text = |s: &Option<String>| s.as_deref().map(crate::yaml::scalar).unwrap_or_default();
    let name = |s: Option<&str>| s.map(crate::yaml::scalar).unwrap_or_default();
    let tasks = config
        .tasks
        .iter()
        .map(|t| t.name.as_str())
        .collect::<Vec<_>>()
        .join(if zh { "、" } else { ", " });
    let date = v.date.to_string();
    let lines: Vec<Line> = match kind {
        Kind::Case => vec![
            (
                "title",
                text(&v.title),
                "标题（必填）",
                "title (required)".into(),
            ),
            (
                "subtitle",
                String::new(),
                "副标题，可不填",
                "subtitle, optional".into(),
            ),
            (
                "date",
                date,
                "日期（必填），写成 YYYY-MM-DD",
                "date (required), YYYY-MM-DD".into(),
            ),
            (
                "province",
                name(v.province),
                "报送省份（必填）",
                "reporting province (required)".into(),
            ),
            (
                "pair",
                name(v.pair),
                "结对省份，可不填，如 广东省",
                "partner province, optional, e.g. 广东省".into(),
            ),
            (
                "task",
                text(&v.task),
                "",
                format!("task (required): {tasks}"),
            ),
            (
                "tags",
                "[]".into(),
                "标签，如 [稳岗就业, 务工服务站]",
                "tags, e.g. [稳岗就业, 务工服务站]".into(),
            ),
            (
                "source",
                String::new(),
                "来源：报送单位，如 贵州省人力资源和社会保障厅",
                "source: the reporting office".into(),
            ),
            (
                "summary",
                String::new(),
                "摘要：一句话概括；不填则取正文第一段",
                "summary: one sentence; default: the first paragraph".into(),
            ),
            (
                "cover",
                String::new(),
                "封面图片，相对于本文件，如 cover.jpg；可不填",
                "cover image relative to this file, e.g. cover.jpg; optional".into(),
            ),
            (
                "draft",
                "false".into(),
                "草稿：改为 true 则暂不发布",
                "draft: true keeps it unpublished".into(),
            ),
        ],
        Kind::Brand => vec![
            (
                "name",
                text(&v.title),
                "名称（必填）",
                "name (required)".into(),
            ),
            (
                "aliases",
                "[]".into(),
                "别称，可用于搜索，如 [吕梁护工]",
                "other names, searchable".into(),
            ),
            (
                "province",
                name(v.province),
                "省份（必填）",
                "province (required)".into(),
            ),
            ("city", String::new(), "城市，如 吕梁市", "city".into()),
            ("county", String::new(), "区县", "county".into()),
            (
                "category",
                text(&v.category),
                "类别（必填），如 餐饮、家政服务、养老护理、建筑、制造",
                "category (required), e.g. 家政服务".into(),
            ),
            (
                "skills",
                "[]".into(),
                "工种，如 [养老护理员, 育婴员]",
                "trades, e.g. [养老护理员, 育婴员]".into(),
            ),
            (
                "workers",
                String::new(),
                "从业人数，写阿拉伯数字，如 45524",
                "workers, digits, e.g. 45524".into(),
            ),
            (
                "workers_note",
                String::new(),
                "人数说明：人还是人次、当前还是累计",
                "what the number counts".into(),
            ),
            ("honors", "[]".into(), "荣誉", "honours".into()),
            (
                "destinations",
                "[]".into(),
                "输入地，如 [北京市, 天津市]",
                "destination provinces".into(),
            ),
            (
                "pair",
                name(v.pair),
                "结对省份（协作品牌可填），如 天津市",
                "partner province of a co-brand".into(),
            ),
            (
                "summary",
                String::new(),
                "摘要：一句话介绍；不填则取正文第一段",
                "summary; default: the first paragraph".into(),
            ),
            (
                "cover",
                String::new(),
                "封面图片，相对于本文件；可不填",
                "cover image relative to this file; optional".into(),
            ),
            (
                "draft",
                "false".into(),
                "草稿：改为 true 则暂不发布",
                "draft: true keeps it unpublished".into(),
            ),
        ],
        Kind::Bulletin => vec![
            (
                "year",
                v.year.to_string(),
                "年份（必填）",
                "year (required)".into(),
            ),
            (
                "issue",
                v.issue.map(|i| i.to_string()).unwrap_or_default(),
                "期号（必填）：本年第几期，同一年不能重复",
                "issue (required), unique within the year".into(),
            ),
            (
                "total_issue",
                String::new(),
                "总期号，可不填",
                "running number, optional".into(),
            ),
            (
                "date",
                date,
                "日期（必填）：印发日期，写成 YYYY-MM-DD",
                "date of issue (required), YYYY-MM-DD".into(),
            ),
            (
                "publisher",
                String::new(),
                "编印单位，不填则用网站主办单位",
                "publisher; default: the site's".into(),
            ),
            (
                "title",
                text(&v.title),
                "标题，不填则为“东西部人社协作工作简报（某年第某期）”",
                "title; default: the bulletin's name and number".into(),
            ),
            (
                "summary",
                String::new(),
                "摘要；不填则取正文第一段",
                "summary; default: the first paragraph".into(),
            ),
            (
                "cases",
                "[]".into(),
                "收录的典型经验：网址名或文件路径，如 [qiandongnan-foshan]",
                "cases carried: slugs or paths".into(),
            ),
            (
                "distribution",
                "{}".into(),
                "报送范围，如 {报: 部领导, 送: 各省级人力资源社会保障部门}",
                "distribution, e.g. {报: …, 送: …}".into(),
            ),
            (
                "draft",
                "false".into(),
                "草稿：改为 true 则暂不发布",
                "draft: true keeps it unpublished".into(),
            ),
        ],
        Kind::Page => vec![
            (
                "title",
                text(&v.title),
                "标题（必填）",
                "title (required)".into(),
            ),
            (
                "date",
                String::new(),
                "日期，可不填，写成 YYYY-MM-DD",
                "date, optional, YYYY-MM-DD".into(),
            ),
            (
                "summary",
                String::new(),
                "摘要；不填则取正文第一段",
                "summary; default: the first paragraph".into(),
            ),
            (
                "draft",
                "false".into(),
                "草稿：改为 true 则暂不发布",
                "draft: true keeps it unpublished".into(),
            ),
        ],
    };
    let task_zh = format!("任务（必填），可选：{tasks}");
    let mut out = String::from("---\n");
    let written: Vec<(String, String)> = lines
        .into_iter()
        .map(|(key, value, comment_zh, comment_en)| {
            let line = if value.is_empty() {
                format!("{key}:")
            } else {
                format!("{key}: {value}")
            };
            let comment = match (zh, key) {
                (true, "task") => task_zh.clone(),
                (true, _) => comment_zh.to_owned(),
                (false, _) => comment_en,
            };
            (line, comment)
        })
        .collect();
    let column = written
        .iter()
        .map(|(l, _)| width(l))
        .max()
        .unwrap_or(0)
        .min(40)
        + 2;
    for (line, comment) in written {
        let pad = column.saturating_sub(width(&line)).max(1);
        out.push_str(&format!("{line}{}# {comment}\n", " ".repeat(pad)));
    }
    out.push_str("---\n");
    out.push_str(body(kind, zh));
    out
}

/// Columns a line takes in a terminal or an editor: CJK characters take two.
fn width(text: &str) -> usize {
    text.chars()
        .map(|c| if crate::markdown::is_cjk(c) { 2 } else { 1 })
        .sum()
}

fn body(kind: Kind, zh: bool) -> &'static str {
    match (kind, zh) {
        (Kind::Case, true) => {
            "（请在此写正文第一段：用一两句话概括主要做法和成效。）\n\n## 一、主要做法\n\n## 二、取得成效\n"
        }
        (Kind::Brand, true) => "（请在此写品牌简介。）\n\n## 品牌简介\n\n## 培训和就业\n",
        (Kind::Bulletin, true) => "**编者按：**（请在此写编者按。）\n",
        (Kind::Page, true) => "（请在此写正文。）\n",
        (Kind::Case, false) => {
            "(Write the first paragraph here: what was done and what it achieved.)\n\n## What was done\n\n## Results\n"
        }
        (Kind::Brand, false) => "(Describe the brand here.)\n",
        (Kind::Bulletin, false) => "**Editor's note:** (write it here.)\n",
        (Kind::Page, false) => "(Write the page here.)\n",
    }
}
