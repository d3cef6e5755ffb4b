//! `content/site.yaml` resolved into the site's settings: title, base URL (with its sub-path),
//! language, publisher, the task vocabulary, national targets, search synonyms and pairs.

use std::path::Path;

use serde_json::Value;

use crate::diagnostic::{Diagnostics, Place};
use crate::frontmatter::{Entry, Field, RawSite};
use crate::pair::{Pair, default_pairs};
use crate::problem::{Lang, Problem};
use crate::province;

/// Validated site settings.
#[derive(Clone, Debug, Hash)]
pub struct SiteConfig {
    pub title: String,
    pub base_url: BaseUrl,
    pub language: Lang,
    pub publisher: String,
    pub site_id_code: String,
    pub icp: String,
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
}

/// National annual targets drawn against the workshop statistics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Targets {
    pub workshops: u64,
    pub poverty_alleviated: u64,
}

const DEFAULT_TASKS: &[(&str, &str)] = &[
    ("创新协作方式", "innovation"),
    ("劳务协作", "labor-cooperation"),
    ("劳务品牌", "labor-brands"),
    ("就业帮扶车间", "workshops"),
    ("以工代赈", "work-relief"),
    ("技工教育培训", "skills-training"),
    ("人才协作", "talent"),
    ("考核评价", "evaluation"),
];

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
        unreadable,
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
    SiteConfig {
        title,
        base_url: base,
        language: diags.lang(),
        publisher: text(publisher),
        site_id_code: text(site_id_code),
        icp: text(icp),
        contact: text(contact),
        description: text(description),
        theme: resolve_theme(theme, path, diags),
        tasks: resolve_tasks(tasks, path, diags),
        targets: resolve_targets(targets, path, diags),
        synonyms: resolve_synonyms(synonyms, path, diags),
        pairs: resolve_pairs(pairs, path, diags),
        trusted_files: resolve_trusted(trusted_files),
    }
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
            .map(|(name, slug)| Task {
                name: (*name).into(),
                slug: (*slug).into(),
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
        let (name, slug) = match item {
            Value::Object(m) => (
                m.get("name").or(m.get("名称")).and_then(Value::as_str),
                m.get("slug").or(m.get("网址名")).and_then(Value::as_str),
            ),
            Value::String(s) => (Some(s.as_str()), None),
            _ => (None, None),
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
        tasks.push(Task {
            name: name.to_owned(),
            slug,
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
