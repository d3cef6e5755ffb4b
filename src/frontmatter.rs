//! YAML front matter and data files into typed raw records: what the author wrote, with the
//! line of every key, Chinese key aliases mapped to their English names.
//!
//! Each key is converted on its own so that one wrong value does not hide the next: all unknown
//! keys and wrong types of a file are reported together. Validation of values (provinces, dates,
//! tasks) and rules across fields happen later, in `resolve`.

use std::fmt;
use std::path::Path;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::Value;
use serde_saphyr::Spanned;

use crate::diagnostic::{Diagnostics, Place};
use crate::problem::Problem;

/// A value the author wrote, with the line of its key.
#[derive(Clone, Debug, PartialEq)]
pub struct Field<T> {
    pub value: T,
    pub line: usize,
}

/// One `key: value` of a YAML mapping, in the order written.
#[derive(Clone, Debug)]
pub struct Entry {
    pub key: String,
    pub line: usize,
    pub value: Value,
    /// A number as the author spelt it on the key's line (`0123456789`, `1.10`): YAML reads
    /// these as numbers, which would show a text field as `123456789.0` or `1.1`.
    pub spelling: Option<String>,
}

/// A YAML mapping that keeps key order and each key's line (serde maps keep neither).
struct OrderedMap(Vec<(Spanned<String>, Value)>);

impl<'de> Deserialize<'de> for OrderedMap {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct MapVisitor;
        impl<'de> Visitor<'de> for MapVisitor {
            type Value = OrderedMap;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping of keys to values")
            }
            fn visit_unit<E>(self) -> Result<OrderedMap, E> {
                Ok(OrderedMap(Vec::new()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<OrderedMap, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<Spanned<String>, Value>()? {
                    entries.push(entry);
                }
                Ok(OrderedMap(entries))
            }
        }
        d.deserialize_map(MapVisitor)
    }
}

fn yaml_problem(err: &serde_saphyr::Error, first_line: usize) -> (Option<usize>, Problem) {
    let line = err.location().map(|l| l.line() as usize + first_line - 1);
    let text = err.without_snippet().to_string();
    // An alias bomb: saphyr's own text ("budget breached: Nodes { nodes: 250001 } …") means
    // nothing to an author.
    if text.starts_with("budget breached") {
        return (line, Problem::YamlTooLarge);
    }
    // The location is reported separately, so drop saphyr's own " at line N, column M" tail.
    let text = match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    };
    (line, Problem::Yaml(text))
}

fn entries_of(map: OrderedMap, first_line: usize, yaml: &str) -> Vec<Entry> {
    map.0
        .into_iter()
        .map(|(k, value)| {
            let spelling = match &value {
                Value::Number(_) => number_spelling(yaml, k.referenced.line() as usize, &value),
                _ => None,
            };
            Entry {
                key: clean_text(k.value),
                line: k.referenced.line() as usize + first_line - 1,
                value: clean_value(value),
                spelling,
            }
        })
        .collect()
}

/// The text after `key:` on line `line` (1-based) of `yaml`, if it is a plain scalar that
/// YAML reads as `number`: how the author wrote the number.
fn number_spelling(yaml: &str, line: usize, number: &Value) -> Option<String> {
    let text = yaml.lines().nth(line.checked_sub(1)?)?;
    let (_, after) = text.split_once(": ").or_else(|| text.split_once(":\t"))?;
    let after = after.split(" #").next()?.trim();
    if after.is_empty() || after.starts_with(['"', '\'', '&', '!', '*', '[', '{']) {
        return None;
    }
    // Only a spelling that reads back as the very same number: never a neighbouring value.
    let same = serde_saphyr::from_str::<Value>(after).ok().as_ref() == Some(number);
    same.then(|| after.to_owned())
}

/// `text` without control characters and noncharacters. YAML escapes (`"\v"`, `"\e"`,
/// `"\uFFFE"`) let authors write them; removed here, at the one place front matter enters,
/// no page, feed or data file can carry them.
fn clean_text(text: String) -> String {
    match crate::xml::remove_forbidden_chars(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(cleaned) => cleaned,
    }
}

/// [`clean_text`] applied to every string and key in `value`.
fn clean_value(value: Value) -> Value {
    match value {
        Value::String(s) => Value::String(clean_text(s)),
        Value::Array(items) => Value::Array(items.into_iter().map(clean_value).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (clean_text(k), clean_value(v)))
                .collect(),
        ),
        other => other,
    }
}

/// Parses a YAML mapping whose first line is line `first_line` of the file at `path`.
pub fn parse_mapping(
    yaml: &str,
    first_line: usize,
    path: &Path,
    diags: &mut Diagnostics,
) -> Option<Vec<Entry>> {
    match serde_saphyr::from_str::<OrderedMap>(yaml) {
        Ok(map) => Some(entries_of(map, first_line, yaml)),
        Err(e) => {
            let (line, problem) = yaml_problem(&e, first_line);
            let problem = match problem {
                Problem::Yaml(m) if m.contains("invalid type") => Problem::NotAMapping,
                p => p,
            };
            let place = Place {
                path: path.to_path_buf(),
                line: line.or(Some(first_line)),
                field: None,
            };
            diags.report(place, problem);
            None
        }
    }
}

/// Parses a YAML list of mappings (a statistics file); each item comes with its line.
pub fn parse_mapping_list(
    yaml: &str,
    path: &Path,
    diags: &mut Diagnostics,
) -> Option<Vec<(usize, Vec<Entry>)>> {
    if yaml.trim().is_empty() {
        return Some(Vec::new());
    }
    match serde_saphyr::from_str::<Vec<Spanned<OrderedMap>>>(yaml) {
        Ok(items) => Some(
            items
                .into_iter()
                .map(|item| {
                    (
                        item.referenced.line() as usize,
                        entries_of(item.value, 1, yaml),
                    )
                })
                .collect(),
        ),
        Err(e) => {
            let (line, problem) = yaml_problem(&e, 1);
            let problem = match problem {
                Problem::Yaml(m) if m.contains("invalid type") => Problem::NotAList,
                p => p,
            };
            diags.report(
                Place {
                    path: path.to_path_buf(),
                    line,
                    field: None,
                },
                problem,
            );
            None
        }
    }
}

/// A front-matter value type: how it is read from YAML and how it is described when wrong.
pub trait FromYaml: Sized {
    /// What the author should have written, as a key of `problem::zh_type`.
    const EXPECTED: &'static str;
    /// Whether a number is taken as the author spelt it (`0123`), not as YAML reads it (`123`).
    const KEEPS_SPELLING: bool = false;
    /// Converts the YAML value, or says what was wrong with it.
    fn from_yaml(value: Value) -> Result<Self, String>;
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn describe(value: &Value) -> String {
    let s = value.to_string();
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}

impl FromYaml for String {
    const EXPECTED: &'static str = "text";
    const KEEPS_SPELLING: bool = true;
    fn from_yaml(value: Value) -> Result<Self, String> {
        scalar_text(&value).ok_or_else(|| describe(&value))
    }
}

impl FromYaml for bool {
    const EXPECTED: &'static str = "boolean";
    fn from_yaml(value: Value) -> Result<Self, String> {
        match &value {
            Value::Bool(b) => Ok(*b),
            Value::String(s) if matches!(s.as_str(), "是" | "yes") => Ok(true),
            Value::String(s) if matches!(s.as_str(), "否" | "no") => Ok(false),
            _ => Err(describe(&value)),
        }
    }
}

/// A list of short texts; a single text is split at commas and 顿号 so `标签: 甲，乙` works.
impl FromYaml for Vec<String> {
    const EXPECTED: &'static str = "list";
    fn from_yaml(value: Value) -> Result<Self, String> {
        match value {
            Value::Array(items) => items
                .iter()
                .map(|v| scalar_text(v).ok_or_else(|| describe(v)))
                .filter(|r| r.as_ref().map_or(true, |s| !s.is_empty()))
                .collect(),
            Value::String(s) => Ok(s
                .split([',', '，', '、', ';', '；'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()),
            Value::Number(n) => Ok(vec![n.to_string()]),
            other => Err(describe(&other)),
        }
    }
}

/// A number as written: validated later so that "3.4万" gets a hint instead of a type error.
#[derive(Clone, Debug, PartialEq)]
pub struct Number(pub Value);

impl FromYaml for Number {
    const EXPECTED: &'static str = "integer";
    fn from_yaml(value: Value) -> Result<Self, String> {
        match value {
            Value::Number(_) | Value::String(_) => Ok(Number(value)),
            other => Err(describe(&other)),
        }
    }
}

/// `pair: 广东省` (the partner) or `pair: {east: 广东省, west: 贵州省}`.
#[derive(Clone, Debug, PartialEq)]
pub enum PairInput {
    Partner(String),
    Both { east: String, west: String },
}

impl FromYaml for PairInput {
    const EXPECTED: &'static str = "pair";
    fn from_yaml(value: Value) -> Result<Self, String> {
        match &value {
            Value::String(s) => Ok(PairInput::Partner(s.trim().to_owned())),
            Value::Object(map) => {
                let get =
                    |keys: &[&str]| keys.iter().find_map(|k| map.get(*k)).and_then(scalar_text);
                let known = |k: &str| matches!(k, "east" | "west" | "东部" | "西部");
                match (get(&["east", "东部"]), get(&["west", "西部"])) {
                    // Exactly two keys: `east` beside `东部` would otherwise keep one silently.
                    (Some(east), Some(west)) if map.len() == 2 && map.keys().all(|k| known(k)) => {
                        Ok(PairInput::Both { east, west })
                    }
                    _ => Err(describe(&value)),
                }
            }
            _ => Err(describe(&value)),
        }
    }
}

/// An ordered list of `label: text` pairs, such as a bulletin's 报/送/发.
impl FromYaml for Vec<(String, String)> {
    const EXPECTED: &'static str = "mapping";
    fn from_yaml(value: Value) -> Result<Self, String> {
        match value {
            Value::Object(map) => map
                .into_iter()
                .map(|(k, v)| match v {
                    Value::Array(items) => {
                        let parts: Option<Vec<String>> = items.iter().map(scalar_text).collect();
                        parts
                            .map(|p| (k, p.join("，")))
                            .ok_or_else(|| describe(&Value::Array(items)))
                    }
                    v => scalar_text(&v).map(|s| (k, s)).ok_or_else(|| describe(&v)),
                })
                .collect(),
            other => Err(describe(&other)),
        }
    }
}

/// Converts one entry's value, reporting a wrong type against its key and line.
pub fn convert<T: FromYaml>(
    entry: Entry,
    field: &'static str,
    path: &Path,
    diags: &mut Diagnostics,
) -> Option<Field<T>> {
    if entry.value.is_null() {
        return None;
    }
    let value = match entry.spelling {
        Some(spelt) if T::KEEPS_SPELLING => Value::String(spelt),
        _ => entry.value,
    };
    match T::from_yaml(value) {
        Ok(value) => Some(Field {
            value,
            line: entry.line,
        }),
        Err(detail) => {
            let detail = match diags.lang() {
                crate::problem::Lang::Zh => format!("实际写的是 {detail}"),
                crate::problem::Lang::En => format!("found {detail}"),
            };
            diags.report(
                Place::field(path, entry.line, field),
                Problem::WrongType {
                    expected: T::EXPECTED,
                    detail,
                },
            );
            None
        }
    }
}

/// The known key closest to an unknown one, if any is close enough to be a likely typo.
pub fn nearest_key(keys: &[(&'static str, &'static str)], unknown: &str) -> Option<String> {
    let lower = unknown.to_lowercase();
    keys.iter()
        .flat_map(|(en, zh)| [*en, *zh])
        .map(|k| (strsim::levenshtein(&lower, k), k))
        .filter(|(d, k)| {
            *d <= (k.chars().count() / 2).max(1) || k.contains(lower.as_str()) && !lower.is_empty()
        })
        .min_by_key(|(d, k)| (*d, *k))
        .map(|(_, k)| k.to_owned())
}

/// Looks `key` up among (English, Chinese alias) pairs.
pub fn canonical_key(keys: &[(&'static str, &'static str)], key: &str) -> Option<&'static str> {
    keys.iter()
        .find(|(en, zh)| *en == key || *zh == key)
        .map(|(en, _)| *en)
}

/// The keys of one mapping converted so far: canonical name, key as written, line.
pub type SeenKeys = Vec<(&'static str, String, usize)>;

/// True when `entry` repeats a key already seen under its other name (`title:` and `标题:`);
/// reported as an error naming both, and the first one written is kept. YAML itself rejects
/// the same spelling twice, but it cannot know that the two names are one field.
pub fn is_repeated(
    seen: &mut SeenKeys,
    canonical: &'static str,
    entry: &Entry,
    path: &Path,
    diags: &mut Diagnostics,
) -> bool {
    if let Some((_, other, other_line)) = seen.iter().find(|(c, _, _)| *c == canonical) {
        diags.report(
            Place::field(path, entry.line, canonical),
            Problem::DuplicateKey {
                key: entry.key.clone(),
                other: other.clone(),
                other_line: *other_line,
            },
        );
        return true;
    }
    seen.push((canonical, entry.key.clone(), entry.line));
    false
}

/// Declares a raw front-matter record: every field optional and typed, with its Chinese alias.
macro_rules! front_matter {
    ($(#[$meta:meta])* pub struct $name:ident { $($field:ident [$alias:literal]: $ty:ty),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default)]
        pub struct $name {
            $(pub $field: Option<$crate::frontmatter::Field<$ty>>,)*
        }

        impl $name {
            /// (English key, Chinese alias) for every accepted key.
            pub const KEYS: &'static [(&'static str, &'static str)] =
                &[$((stringify!($field), $alias)),*];

            /// Converts parsed entries, reporting unknown keys and wrong types.
            pub fn from_entries(
                entries: Vec<$crate::frontmatter::Entry>,
                path: &std::path::Path,
                diags: &mut $crate::diagnostic::Diagnostics,
            ) -> Self {
                let mut raw = Self::default();
                let mut seen = $crate::frontmatter::SeenKeys::new();
                for entry in entries {
                    match $crate::frontmatter::canonical_key(Self::KEYS, &entry.key) {
                        Some(key) if $crate::frontmatter::is_repeated(&mut seen, key, &entry, path, diags) => {}
                        $(Some(stringify!($field)) => {
                            raw.$field = $crate::frontmatter::convert(entry, stringify!($field), path, diags);
                        })*
                        _ => {
                            let suggestion = $crate::frontmatter::nearest_key(Self::KEYS, &entry.key);
                            diags.report(
                                $crate::diagnostic::Place::line(path, entry.line),
                                $crate::problem::Problem::UnknownKey { key: entry.key, suggestion },
                            );
                        }
                    }
                }
                raw
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use front_matter;

front_matter! {
    /// `content/site.yaml` as written.
    pub struct RawSite {
        title ["标题"]: String,
        base_url ["网址"]: String,
        language ["语言"]: String,
        publisher ["主办单位"]: String,
        site_id_code ["网站标识码"]: String,
        icp ["备案号"]: String,
        contact ["联系方式"]: String,
        description ["简介"]: String,
        theme ["主题"]: String,
        tasks ["任务"]: Value,
        targets ["目标"]: Value,
        synonyms ["同义词"]: Value,
        pairs ["结对"]: Value,
        trusted_files ["可信文件"]: Vec<String>,
    }
}

front_matter! {
    /// A case study's front matter as written.
    pub struct RawCase {
        title ["标题"]: String,
        subtitle ["副标题"]: String,
        date ["日期"]: String,
        province ["省份"]: String,
        pair ["结对"]: PairInput,
        task ["任务"]: String,
        tags ["标签"]: Vec<String>,
        source ["来源"]: String,
        summary ["摘要"]: String,
        cover ["封面"]: String,
        draft ["草稿"]: bool,
        slug ["网址名"]: String,
    }
}

front_matter! {
    /// A labour brand's front matter as written.
    pub struct RawBrand {
        name ["名称"]: String,
        aliases ["别称"]: Vec<String>,
        province ["省份"]: String,
        city ["城市"]: String,
        county ["区县"]: String,
        category ["类别"]: String,
        skills ["工种"]: Vec<String>,
        workers ["从业人数"]: Number,
        workers_note ["人数说明"]: String,
        honors ["荣誉"]: Vec<String>,
        destinations ["输入地"]: Vec<String>,
        pair ["结对"]: PairInput,
        summary ["摘要"]: String,
        cover ["封面"]: String,
        draft ["草稿"]: bool,
        slug ["网址名"]: String,
    }
}

front_matter! {
    /// A bulletin's front matter as written.
    pub struct RawBulletin {
        year ["年份"]: Number,
        issue ["期号"]: Number,
        total_issue ["总期号"]: Number,
        date ["日期"]: String,
        publisher ["编印单位"]: String,
        title ["标题"]: String,
        summary ["摘要"]: String,
        cases ["收录"]: Vec<String>,
        distribution ["报送范围"]: Vec<(String, String)>,
        draft ["草稿"]: bool,
    }
}

front_matter! {
    /// A standalone page's front matter as written.
    pub struct RawPage {
        title ["标题"]: String,
        slug ["网址名"]: String,
        date ["日期"]: String,
        summary ["摘要"]: String,
        draft ["草稿"]: bool,
    }
}

front_matter! {
    /// One workshop statistics record as written.
    pub struct RawStatRecord {
        year ["年份"]: Number,
        province ["省份"]: String,
        as_of ["截至"]: String,
        scope ["口径"]: String,
        workshops ["车间数"]: Number,
        employed ["吸纳就业"]: Number,
        poverty_alleviated ["脱贫人口"]: Number,
        monitored ["监测对象"]: Number,
        relocation_site ["安置区车间"]: Number,
        source ["来源"]: String,
        note ["备注"]: String,
    }
}

impl FromYaml for Value {
    const EXPECTED: &'static str = "mapping";
    fn from_yaml(value: Value) -> Result<Self, String> {
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::Lang;

    fn case(yaml: &str) -> (RawCase, Vec<String>) {
        let mut d = Diagnostics::new(Lang::Zh);
        let path = Path::new("content/cases/a.md");
        let raw = parse_mapping(yaml, 2, path, &mut d)
            .map(|e| RawCase::from_entries(e, path, &mut d))
            .unwrap_or_default();
        (
            raw,
            d.into_sorted().iter().map(ToString::to_string).collect(),
        )
    }

    #[test]
    fn an_alias_bomb_is_named_as_such() {
        // Found by the malformed-input corpus: the message was saphyr's budget internals.
        let mut bomb = String::from("title: [&a [x, x, x, x, x, x, x, x, x]");
        for (name, prev) in ('b'..='i').zip('a'..='h') {
            bomb.push_str(&format!(
                ", &{name} [{}]",
                vec![format!("*{prev}"); 9].join(", ")
            ));
        }
        bomb.push_str("]\n");
        let (_, errors) = case(&bomb);
        assert_eq!(
            errors,
            vec![
                "content/cases/a.md:2: YAML 展开后过大：锚点（&）和别名（*）层层引用，超出了解析上限 (请直接写出取值，不要用 & 和 * 重复引用)"
            ]
        );
    }

    #[test]
    fn numbers_in_text_fields_keep_their_spelling() {
        // Found by the malformed-input corpus: `0123456789` was shown as `123456789.0`.
        let (raw, errors) = case(
            "title: 0123456789\nsubtitle: 1.10\nsource: 98765432109876543210 # comment\nsummary: 7\n",
        );
        assert_eq!(errors, Vec::<String>::new());
        let text = |f: Option<Field<String>>| f.map(|f| f.value);
        assert_eq!(text(raw.title).as_deref(), Some("0123456789"));
        assert_eq!(text(raw.subtitle).as_deref(), Some("1.10"));
        assert_eq!(text(raw.source).as_deref(), Some("98765432109876543210"));
        assert_eq!(text(raw.summary).as_deref(), Some("7"));
    }

    #[test]
    fn aliases_and_lines() {
        let (raw, diags) = case(
            "标题: 山海同心\ndate: 2023-06-12\n标签: 甲，乙\npair: {east: 广东省, west: 贵州省}\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            raw.title.unwrap(),
            Field {
                value: "山海同心".into(),
                line: 2
            }
        );
        assert_eq!(raw.tags.unwrap().value, vec!["甲", "乙"]);
        assert_eq!(raw.pair.unwrap().line, 5);
    }

    #[test]
    fn every_unknown_key_and_wrong_type_is_reported() {
        let (_, diags) = case("titel: a\nprovnce: b\ntags: {a: 1}\ndraft: maybe\n");
        assert_eq!(
            diags,
            vec![
                "content/cases/a.md:2: 未知字段“titel” (是否为“title”？)",
                "content/cases/a.md:3: 未知字段“provnce” (是否为“province”？)",
                "content/cases/a.md:4: tags: 取值类型不对：应为列表（如 [甲, 乙]） (实际写的是 {\"a\":1})",
                "content/cases/a.md:5: draft: 取值类型不对：应为true 或 false (实际写的是 \"maybe\")",
            ]
        );
    }

    #[test]
    fn yaml_errors_carry_the_file_line() {
        let (_, diags) = case("title: a\n  b: c\n");
        assert_eq!(diags.len(), 1);
        assert!(
            diags[0].starts_with("content/cases/a.md:3: YAML 格式错误"),
            "{diags:?}"
        );
    }

    #[test]
    fn a_key_and_its_alias_together_are_an_error_naming_both() {
        let (raw, diags) = case("title: 甲\n标题: 乙\ndate: 2023-06-12\n日期: 2023-06-13\n");
        assert_eq!(
            diags,
            vec![
                "content/cases/a.md:3: title: 字段“标题”与第 2 行的“title”重复 (英文字段名和中文别名是同一字段，只保留一个)",
                "content/cases/a.md:5: date: 字段“日期”与第 4 行的“date”重复 (英文字段名和中文别名是同一字段，只保留一个)",
            ]
        );
        assert_eq!(raw.title.unwrap().value, "甲");
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let (_, diags) = case("title: a\ntitle: b\n");
        assert!(
            diags[0].starts_with("content/cases/a.md:3: YAML 格式错误"),
            "{diags:?}"
        );
    }
}
