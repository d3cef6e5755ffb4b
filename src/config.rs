//! `content/site.yaml` resolved into the site's settings: title, base URL (with its sub-path),
//! language, publisher and the trust marks of a government site (网站标识码, ICP备案号, logo),
//! the task vocabulary with each task's description, national targets, search synonyms and pairs.

use std::path::Path;

use serde_json::Value;

use crate::diagnostic::{Diagnostics, Place};
use crate::frontmatter::{Entry, Field, RawSite};
use crate::pair::{Pair, default_pairs};
use crate::problem::{Lang, Problem, TrustMark};
use crate::province;

/// Validated site settings.
#[derive(Clone, Debug, Hash)]
pub struct SiteConfig {
    pub title: String,
    pub base_url: BaseUrl,
    pub language: Lang,
    pub publisher: String,
    /// 网站标识码; empty when the site has none (`site_id_code: 无`).
    pub site_id_code: String,
    /// ICP备案号; empty when the site has none (`icp: 无`).
    pub icp: String,
    /// The header logo: a file under `content/static/`, which load checks is published.
    pub logo: Option<Logo>,
    pub contact: String,
    pub description: String,
    /// Name of the folder under `themes/` whose files override the built-in theme.
    pub theme: String,
    pub tasks: Vec<Task>,
    pub targets: Targets,
    pub synonyms: Vec<Vec<String>>,
    pub pairs: Vec<Pair>,
    /// Files published as they are although they could run script (`static/embed/map.html`).
    pub trusted_files: TrustedFiles,
    /// Publish each photo at full size under its own name as well (still upright and without
    /// metadata); by default the largest copy is 1600 pixels wide.
    pub publish_originals: bool,
}

/// site.yaml `logo`: the output path of a file from `content/static/` (`logo.svg`) and the
/// line it is named on.
#[derive(Clone, Debug, Hash)]
pub struct Logo {
    pub path: String,
    pub line: usize,
}

/// site.yaml `trusted_files`: content-relative paths of HTML, SVG and other script-capable
/// files that the site's editors vouch for, and the line they are listed on.
#[derive(Clone, Debug, Default, Hash)]
pub struct TrustedFiles {
    pub paths: Vec<String>,
    pub line: usize,
}

impl TrustedFiles {
    /// Whether the file at content-relative `rel` is listed.
    pub fn contains(&self, rel: &str) -> bool {
        self.paths.iter().any(|p| p == rel)
    }
}

/// The site's address, split so pages can link by path and feeds by full URL.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BaseUrl {
    /// `https://www.example.gov.cn` (no trailing slash).
    pub origin: String,
    /// `/dxbrs/` (always starts and ends with `/`).
    pub path: String,
}

impl BaseUrl {
    /// Parses `https://host/sub/path/`; the path part may be empty.
    pub fn parse(input: &str) -> Option<BaseUrl> {
        let input = input.trim();
        let rest = input
            .strip_prefix("https://")
            .or_else(|| input.strip_prefix("http://"))?;
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        if host.is_empty() || host.contains(char::is_whitespace) || path.contains(['?', '#', ' ']) {
            return None;
        }
        let scheme_len = input.len() - rest.len();
        let path = path.trim_matches('/');
        Some(BaseUrl {
            origin: input[..scheme_len + host.len()].to_owned(),
            path: if path.is_empty() {
                "/".into()
            } else {
                format!("/{path}/")
            },
        })
    }

    /// Root-relative URL of a site path such as `cases/a/` (`/dxbrs/cases/a/`).
    pub fn local(&self, site_path: &str) -> String {
        format!("{}{}", self.path, site_path.trim_start_matches('/'))
    }

    /// Absolute URL of a site path, for feeds, sitemaps and meta tags.
    pub fn absolute(&self, site_path: &str) -> String {
        format!("{}{}", self.origin, self.local(site_path))
    }
}

/// One task of the vocabulary (by default the notice's eight).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Task {
    pub name: String,
    pub slug: String,
    /// What the task is, shown on its page; empty when neither site.yaml nor the notice says.
    pub description: String,
}

/// National annual targets drawn against the workshop statistics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Targets {
    pub workshops: u64,
    pub poverty_alleviated: u64,
}

/// The notice's eight tasks (人社厅函〔2022〕173号): name, slug and what each asks for. A task of
/// site.yaml with one of these names and no description of its own gets this one.
const DEFAULT_TASKS: &[(&str, &str, &str)] = &[
    (
        "创新协作方式",
        "innovation",
        "打破原有结对范围，在更大区域内统筹协作资源，推动原结对双方以市场化方式继续合作，拓展协作领域。",
    ),
    (
        "劳务协作",
        "labor-cooperation",
        "西部摸清有外出务工意愿的人员，东部梳理适合的岗位，依托用工信息对接平台精准匹配；受疫情灾情影响时开展专项帮扶，帮助已在东部就业的务工人员稳岗，协助易地扶贫搬迁群众就业，开展家政服务“村社对接”。",
    ),
    (
        "劳务品牌",
        "labor-brands",
        "培育具有鲜明地域标识、行业特色和过硬技能、在用工市场享有良好口碑的劳务品牌，办好劳务品牌发展大会。",
    ),
    (
        "就业帮扶车间",
        "workshops",
        "就业帮扶车间数量稳定在3万个以上，每年吸纳脱贫人口和防止返贫监测对象就业40万人以上；推动易地搬迁安置区配套车间向综合性工厂发展。",
    ),
    (
        "以工代赈",
        "work-relief",
        "在农村公共基础设施等项目中组织当地群众务工，提高劳务报酬在以工代赈资金中的比例（2023年起中央资金中劳务报酬占比不低于30%）。",
    ),
    (
        "技工教育培训",
        "skills-training",
        "支持西部地区发展技工教育和职业技能培训，推进东西部技工院校之间的校校合作和校企合作，共同培养技能人才。",
    ),
    (
        "人才协作",
        "talent",
        "开展干部双向挂职，组团式选派教师、医生等专业技术人才，组织专家到西部地区服务。",
    ),
    (
        "考核评价",
        "evaluation",
        "对照协作协议确定的目标任务开展考核评价，对考核发现的问题及时整改。",
    ),
];

/// The notice's description of the task called `name`, if it is one of the eight.
fn default_description(name: &str) -> String {
    DEFAULT_TASKS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map_or_else(String::new, |(_, _, d)| (*d).to_owned())
}

impl SiteConfig {
    /// Index of the task named or slugged `input`.
    pub fn find_task(&self, input: &str) -> Option<usize> {
        let input = input.trim();
        self.tasks
            .iter()
            .position(|t| t.name == input || t.slug == input)
    }
}

/// Resolves site.yaml's raw fields; every problem is reported, defaults fill the gaps.
pub fn resolve_config(raw: RawSite, path: &Path, diags: &mut Diagnostics) -> SiteConfig {
    let RawSite {
        title,
        base_url,
        language: _,
        publisher,
        site_id_code,
        icp,
        contact,
        description,
        theme,
        tasks,
        targets,
        synonyms,
        pairs,
        trusted_files,
        logo,
        unreadable,
        publish_originals,
    } = raw;
    let title = required_text(title, "title", path, diags, &unreadable);
    let base = match base_url {
        Some(f) => BaseUrl::parse(&f.value).unwrap_or_else(|| {
            diags.report(
                Place::field(path, f.line, "base_url"),
                Problem::BadBaseUrl { value: f.value },
            );
            fallback_base()
        }),
        None => {
            if !unreadable.contains(&"base_url") {
                diags.report(Place::field(path, 1, "base_url"), Problem::MissingField);
            }
            fallback_base()
        }
    };
    let text = |f: Option<Field<String>>| f.map(|f| f.value).unwrap_or_default();
    let (site_id_code, no_site_id_code) = trust_mark(site_id_code, "site_id_code", &unreadable);
    let (icp, no_icp) = trust_mark(icp, "icp", &unreadable);
    let config = SiteConfig {
        title,
        base_url: base,
        language: diags.lang(),
        publisher: text(publisher),
        site_id_code,
        icp,
        logo: resolve_logo(logo, path, diags),
        contact: text(contact),
        description: text(description),
        theme: resolve_theme(theme, path, diags),
        tasks: resolve_tasks(tasks, path, diags),
        targets: resolve_targets(targets, path, diags),
        synonyms: resolve_synonyms(synonyms, path, diags),
        pairs: resolve_pairs(pairs, path, diags),
        trusted_files: resolve_trusted(trusted_files),
        publish_originals: publish_originals.is_some_and(|f| f.value),
    };
    // A site.yaml with errors is put right first; a missing 标识码 beside a broken file is noise.
    if !diags.has_errors() {
        for (line, field, which) in [
            no_site_id_code.map(|l| (l, "site_id_code", TrustMark::SiteIdCode)),
            no_icp.map(|l| (l, "icp", TrustMark::Icp)),
        ]
        .into_iter()
        .flatten()
        {
            diags.report(
                Place::field(path, line, field),
                Problem::MissingTrustMark { which },
            );
        }
    }
    config
}

/// What an author writes to say the site has no 网站标识码 or ICP备案号 (a 专栏 inside a portal
/// shows the portal's, a site that is not a government site has no 标识码).
const NONE_WORDS: &[&str] = &["无", "没有", "none", "None", "NONE"];

/// A government site's footer must show its 网站标识码 and ICP备案号: the value, and the line to
/// warn on when it is empty or missing (once per build, not per page). `无` says the site has
/// none and silences the warning; so does a value that could not be read, which has its error.
fn trust_mark(
    f: Option<Field<String>>,
    field: &'static str,
    unreadable: &[&str],
) -> (String, Option<usize>) {
    let (value, line) = match f {
        Some(f) => (f.value.trim().to_owned(), f.line),
        None if unreadable.contains(&field) => return (String::new(), None),
        None => (String::new(), 1),
    };
    if NONE_WORDS.contains(&value.as_str()) {
        return (String::new(), None);
    }
    let missing = value.is_empty().then_some(line);
    (value, missing)
}

/// `logo:` names a file under `content/static/` (`logo.svg`, `static/logo.svg` and
/// `content/static/logo.svg` all name it); whether it is published is checked once the files
/// are listed ([`check_logo`]).
fn resolve_logo(f: Option<Field<String>>, path: &Path, diags: &mut Diagnostics) -> Option<Logo> {
    let f = f?;
    let value = f.value.trim();
    let value = value.strip_prefix("./").unwrap_or(value);
    let value = value.strip_prefix("content/").unwrap_or(value);
    let value = value.strip_prefix("static/").unwrap_or(value);
    if value.is_empty() {
        diags.report(Place::field(path, f.line, "logo"), Problem::EmptyValue);
        return None;
    }
    Some(Logo {
        path: value.to_owned(),
        line: f.line,
    })
}

/// Drops a `logo` that names no file published from `content/static/`, with a warning: the
/// header then shows the site's title as text, as it does without a logo.
pub fn check_logo<'a>(
    config: &mut SiteConfig,
    static_outputs: impl IntoIterator<Item = &'a str>,
    path: &Path,
    diags: &mut Diagnostics,
) {
    let Some(logo) = &config.logo else { return };
    if static_outputs.into_iter().any(|o| o == logo.path) {
        return;
    }
    diags.report(
        Place::field(path, logo.line, "logo"),
        Problem::LogoNotFound {
            value: logo.path.clone(),
        },
    );
    config.logo = None;
}

/// Paths as the author may write them: `static/x.html`, `./static/x.html` or
/// `content/static/x.html` all name `static/x.html`. Whether each names a published file is
/// checked once the files are listed.
fn resolve_trusted(f: Option<Field<Vec<String>>>) -> TrustedFiles {
    let Some(f) = f else {
        return TrustedFiles::default();
    };
    let paths = f.value.iter().map(|p| {
        let p = p.trim();
        let p = p.strip_prefix("./").unwrap_or(p);
        p.strip_prefix("content/").unwrap_or(p).to_owned()
    });
    TrustedFiles {
        paths: paths.collect(),
        line: f.line,
    }
}

/// Reads `language` first, so every other message of the build can be worded in it.
pub fn language_of(entries: &[Entry], path: &Path, diags: &mut Diagnostics) -> Lang {
    let language = entries
        .iter()
        .find(|e| e.key == "language" || e.key == "语言")
        .map(|e| (e.value.as_str().unwrap_or_default(), e.line));
    match language {
        None | Some(("zh-CN" | "zh" | "zh-Hans" | "中文", _)) => Lang::Zh,
        Some(("en" | "en-US" | "en-GB", _)) => Lang::En,
        Some((other, line)) => {
            diags.report(
                Place::field(path, line, "language"),
                Problem::BadLanguage {
                    value: other.to_owned(),
                },
            );
            Lang::Zh
        }
    }
}

/// `theme:` names a folder under `themes/`; a path (`/abs`, `../x`, `a/b`) would load templates
/// from anywhere on the build machine, so it is refused and the built-in theme named instead.
fn resolve_theme(theme: Option<Field<String>>, path: &Path, diags: &mut Diagnostics) -> String {
    let Some(f) = theme else {
        return "default".to_owned();
    };
    if is_theme_name(&f.value) {
        return f.value;
    }
    diags.report(
        Place::field(path, f.line, "theme"),
        Problem::BadTheme {
            value: crate::file_name::escape_invisible(&f.value),
        },
    );
    "default".to_owned()
}

/// A plain folder name: not empty, no separator, not `.` or `..`, not hidden, and a name the
/// content folder would accept too.
pub fn is_theme_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\', ':', '\0'])
        && crate::file_name::name_problem(name).is_none()
}

fn fallback_base() -> BaseUrl {
    BaseUrl {
        origin: "http://localhost".into(),
        path: "/".into(),
    }
}

fn required_text(
    f: Option<Field<String>>,
    field: &'static str,
    path: &Path,
    diags: &mut Diagnostics,
    unreadable: &[&str],
) -> String {
    match f {
        Some(f) if !f.value.is_empty() => f.value,
        Some(f) => {
            diags.report(Place::field(path, f.line, field), Problem::EmptyValue);
            String::new()
        }
        None => {
            if !unreadable.contains(&field) {
                diags.report(Place::field(path, 1, field), Problem::MissingField);
            }
            String::new()
        }
    }
}

fn resolve_tasks(f: Option<Field<Value>>, path: &Path, diags: &mut Diagnostics) -> Vec<Task> {
    let default = || {
        DEFAULT_TASKS
            .iter()
            .map(|(name, slug, description)| Task {
                name: (*name).into(),
                slug: (*slug).into(),
                description: (*description).into(),
            })
            .collect()
    };
    let Some(f) = f else { return default() };
    let place = || Place::field(path, f.line, "tasks");
    let Value::Array(items) = &f.value else {
        diags.report(
            place(),
            Problem::WrongType {
                expected: "list",
                detail: f.value.to_string(),
            },
        );
        return default();
    };
    let mut tasks: Vec<Task> = Vec::new();
    for item in items {
        let (name, slug, description) = match item {
            Value::Object(m) => (
                m.get("name").or(m.get("名称")).and_then(Value::as_str),
                m.get("slug").or(m.get("网址名")).and_then(Value::as_str),
                m.get("description")
                    .or(m.get("说明"))
                    .and_then(Value::as_str),
            ),
            Value::String(s) => (Some(s.as_str()), None, None),
            _ => (None, None, None),
        };
        let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else {
            diags.report(
                place(),
                Problem::WrongType {
                    expected: "{name, slug}",
                    detail: item.to_string(),
                },
            );
            continue;
        };
        let slug = slug.map_or_else(|| crate::slug::slugify(name), str::to_owned);
        if !crate::slug::is_valid(&slug) {
            diags.report(place(), Problem::BadSlug { value: slug });
            continue;
        }
        if tasks.iter().any(|t| t.name == name || t.slug == slug) {
            diags.report(
                place(),
                Problem::DuplicateTask {
                    value: name.to_owned(),
                },
            );
            continue;
        }
        let description = description
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map_or_else(|| default_description(name), str::to_owned);
        tasks.push(Task {
            name: name.to_owned(),
            slug,
            description,
        });
    }
    if tasks.is_empty() { default() } else { tasks }
}

fn resolve_targets(f: Option<Field<Value>>, path: &Path, diags: &mut Diagnostics) -> Targets {
    let mut targets = Targets {
        workshops: 30_000,
        poverty_alleviated: 400_000,
    };
    let Some(f) = f else { return targets };
    let Value::Object(map) = &f.value else {
        diags.report(Place::field(path, f.line, "targets"), Problem::BadTarget);
        return targets;
    };
    // The nested keys have no line of their own: a key beside its alias is reported on the
    // `targets` line, naming both.
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for (key, value) in map {
        let canonical = match key.as_str() {
            "workshops" | "车间数" => "workshops",
            "poverty_alleviated" | "脱贫人口" => "poverty_alleviated",
            _ => "",
        };
        if let Some((_, first)) = seen.iter().find(|(c, _)| !c.is_empty() && *c == canonical) {
            diags.report(
                Place::field(path, f.line, "targets"),
                Problem::DuplicateKey {
                    key: key.clone(),
                    other: (*first).to_owned(),
                    other_line: f.line,
                },
            );
            continue;
        }
        seen.push((canonical, key.as_str()));
        let slot = match key.as_str() {
            "workshops" | "车间数" => &mut targets.workshops,
            "poverty_alleviated" | "脱贫人口" => &mut targets.poverty_alleviated,
            other => {
                let known = &[("workshops", "车间数"), ("poverty_alleviated", "脱贫人口")];
                diags.report(
                    Place::field(path, f.line, "targets"),
                    crate::frontmatter::unknown_key(known, other.to_owned()),
                );
                continue;
            }
        };
        match value
            .as_u64()
            .filter(|n| (1..=crate::limits::MAX_COUNT).contains(n))
        {
            Some(n) => *slot = n,
            None => diags.report(Place::field(path, f.line, "targets"), Problem::BadTarget),
        }
    }
    targets
}

fn resolve_synonyms(
    f: Option<Field<Value>>,
    path: &Path,
    diags: &mut Diagnostics,
) -> Vec<Vec<String>> {
    let Some(f) = f else { return Vec::new() };
    let groups: Option<Vec<Vec<String>>> = f.value.as_array().and_then(|items| {
        items
            .iter()
            .map(|g| {
                g.as_array()?
                    .iter()
                    .map(|w| w.as_str().map(|s| s.trim().to_owned()))
                    .collect::<Option<Vec<_>>>()
            })
            .collect()
    });
    groups.unwrap_or_else(|| {
        diags.report(
            Place::field(path, f.line, "synonyms"),
            Problem::WrongType {
                expected: "list",
                detail: "[[就业帮扶车间, 扶贫车间], …]".into(),
            },
        );
        Vec::new()
    })
}

fn resolve_pairs(f: Option<Field<Value>>, path: &Path, diags: &mut Diagnostics) -> Vec<Pair> {
    let Some(f) = f else { return default_pairs() };
    let Some(items) = f.value.as_array() else {
        diags.report(
            Place::field(path, f.line, "pairs"),
            Problem::WrongType {
                expected: "list",
                detail: f.value.to_string(),
            },
        );
        return default_pairs();
    };
    if items.is_empty() {
        return default_pairs();
    }
    let mut pairs = Vec::new();
    for item in items {
        let sides = match item {
            Value::Object(m) => m
                .get("east")
                .and_then(Value::as_str)
                .zip(m.get("west").and_then(Value::as_str))
                .map(|(e, w)| (e.to_owned(), w.to_owned())),
            Value::String(s) => s.split_once(['-', '–', '—']).map(|(e, w)| {
                (
                    e.trim_matches('—').to_owned(),
                    w.trim_matches('—').to_owned(),
                )
            }),
            _ => None,
        };
        let Some((east, west)) = sides else {
            diags.report(
                Place::field(path, f.line, "pairs"),
                Problem::WrongType {
                    expected: "pair",
                    detail: item.to_string(),
                },
            );
            continue;
        };
        let mut side = |name: &str| match province::parse(name) {
            Ok(p) => Some(p),
            Err(e) => {
                diags.report(
                    Place::field(path, f.line, "pairs"),
                    Problem::UnknownProvince {
                        value: name.to_owned(),
                        suggestion: e.suggestion.map(|p| p.name().to_owned()),
                    },
                );
                None
            }
        };
        if let (Some(east), Some(west)) = (side(&east), side(&west)) {
            pairs.push(Pair { east, west });
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_with_sub_path() {
        let b = BaseUrl::parse("https://www.example.gov.cn/dxbrs").unwrap();
        assert_eq!(b.origin, "https://www.example.gov.cn");
        assert_eq!(b.path, "/dxbrs/");
        assert_eq!(b.local("cases/a/"), "/dxbrs/cases/a/");
        assert_eq!(b.absolute("/"), "https://www.example.gov.cn/dxbrs/");
        assert_eq!(BaseUrl::parse("http://127.0.0.1:1111").unwrap().path, "/");
        assert!(BaseUrl::parse("www.example.gov.cn").is_none());
    }

    #[test]
    fn theme_is_a_folder_name() {
        for ok in ["default", "my-theme", "红色主题", "v2.0"] {
            assert!(is_theme_name(ok), "{ok}");
        }
        for bad in [
            "",
            "/abs",
            "../x",
            "a/b",
            "..",
            ".",
            "a\\b",
            "C:x",
            "a\0b",
            "con",
            ".hidden",
            "．．／x",
        ] {
            assert!(!is_theme_name(bad), "{bad:?}");
        }
    }
}
