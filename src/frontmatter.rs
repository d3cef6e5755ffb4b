//! YAML front matter and data files into typed raw records: what the author wrote, with the
//! line of every key, Chinese key aliases mapped to their English names.
//!
//! Each key is converted on its own so that one wrong value does not hide the next: all unknown
//! keys and wrong types of a file are reported together. Validation of values (provinces, dates,
//! tasks) and rules across fields happen later, in `resolve`.

use std::path::Path;

use serde_json::Value;

use crate::diagnostic::{Diagnostics, Place};
use crate::problem::Problem;

/// A value the author wrote, with the line of its key.
#[derive(Clone, Debug, PartialEq)]
pub struct Field<T> {
    pub value: T,
    pub line: usize,
}

pub use crate::yaml::{Entry, parse_mapping, parse_mapping_list};

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

/// Words authors use for a field, beside its own names: each maps to the English keys it may
/// mean, in order of likelihood. Only keys of the file's kind are suggested.
const KEY_WORDS: &[(&str, &[&str])] = &[
    ("时间", &["date"]),
    ("发布时间", &["date"]),
    ("发布日期", &["date"]),
    ("印发日期", &["date"]),
    ("成文日期", &["date"]),
    ("报送单位", &["source"]),
    ("供稿单位", &["source"]),
    ("稿件来源", &["source"]),
    ("出处", &["source"]),
    ("关键词", &["tags"]),
    ("关键字", &["tags"]),
    ("简介", &["summary", "description"]),
    ("提要", &["summary"]),
    ("内容摘要", &["summary"]),
    ("导语", &["summary"]),
    ("图片", &["cover"]),
    ("题图", &["cover"]),
    ("配图", &["cover"]),
    ("封面图片", &["cover"]),
    ("省", &["province"]),
    ("省区", &["province"]),
    ("地区", &["province"]),
    ("所在省份", &["province"]),
    ("协作省份", &["pair"]),
    ("结对省份", &["pair"]),
    ("帮扶省份", &["pair"]),
    ("重点任务", &["task"]),
    ("任务类别", &["task"]),
    ("小标题", &["subtitle"]),
    ("题目", &["title", "name"]),
    ("别名", &["aliases"]),
    ("网址", &["slug"]),
    ("期数", &["issue"]),
    ("第几期", &["issue"]),
    ("总期数", &["total_issue"]),
    ("年", &["year"]),
    ("年度", &["year"]),
    ("案例", &["cases"]),
    ("收录案例", &["cases"]),
    ("报送", &["distribution"]),
    ("分送", &["distribution"]),
    ("发送范围", &["distribution"]),
    ("印发单位", &["publisher"]),
    ("主办", &["publisher"]),
    ("人数", &["workers", "employed"]),
    ("就业人数", &["workers", "employed"]),
    ("车间数量", &["workshops"]),
    ("截止", &["as_of"]),
    ("截止日期", &["as_of"]),
    ("截至日期", &["as_of"]),
    ("市", &["city"]),
    ("地市", &["city"]),
    ("县", &["county"]),
    ("职业", &["skills"]),
    ("务工地", &["destinations"]),
    ("目的地", &["destinations"]),
    ("获奖", &["honors"]),
    ("奖项", &["honors"]),
    ("类型", &["category"]),
    ("行业", &["category"]),
];

/// Whether `key` is written in Chinese (it has a Han character).
fn is_chinese(key: &str) -> bool {
    key.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
}

/// The known key closest to an unknown one, if any is close enough to be a likely typo, in the
/// script the unknown key is written in: `标提` gets `标题`, `titel` gets `title`.
pub fn nearest_key(keys: &[(&'static str, &'static str)], unknown: &str) -> Option<String> {
    let chinese = is_chinese(unknown);
    let name = |(en, zh): &(&'static str, &'static str)| if chinese { *zh } else { *en };
    let meant = KEY_WORDS
        .iter()
        .find(|(word, _)| *word == unknown)
        .and_then(|(_, meant)| {
            meant
                .iter()
                .find_map(|m| keys.iter().find(|(en, _)| en == m))
        });
    if let Some(key) = meant {
        return Some(name(key).to_owned());
    }
    let lower = unknown.to_lowercase();
    // Pinyin input methods make homophones the usual Chinese typo (`标提` for `标题`): a key
    // that sounds the same comes first.
    let sound = crate::slug::slugify(&lower);
    keys.iter()
        .map(name)
        .map(|k| {
            let homophone = chinese && !sound.is_empty() && crate::slug::slugify(k) == sound;
            (!homophone, strsim::levenshtein(&lower, k), k)
        })
        .filter(|(not_homophone, d, k)| {
            !not_homophone
                || *d <= (k.chars().count() / 2).max(1)
                || k.contains(lower.as_str()) && !lower.is_empty()
        })
        .min()
        .map(|(_, _, k)| k.to_owned())
}

/// The problem of an unknown key: the nearest key, or when none is near, every key of the
/// kind in the script the author wrote the key in.
pub fn unknown_key(keys: &[(&'static str, &'static str)], key: String) -> Problem {
    let suggestion = nearest_key(keys, &key);
    let chinese = is_chinese(&key);
    let known = keys
        .iter()
        .map(|(en, zh)| if chinese { *zh } else { *en })
        .collect();
    Problem::UnknownKey {
        key,
        suggestion,
        known,
    }
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
            /// Keys written but unreadable (a YAML mistake or a wrong type, already reported):
            /// not "missing" as well.
            pub unreadable: Vec<&'static str>,
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
                            let written = entry.unreadable || !entry.value.is_null();
                            if !entry.unreadable {
                                raw.$field = $crate::frontmatter::convert(entry, stringify!($field), path, diags);
                            }
                            if written && raw.$field.is_none() {
                                raw.unreadable.push(stringify!($field));
                            }
                        })*
                        _ => {
                            let place = $crate::diagnostic::Place::line(path, entry.line);
                            diags.report(place, $crate::frontmatter::unknown_key(Self::KEYS, entry.key));
                        }
                    }
                }
                diags.note_key_names(
                    path,
                    Self::KEYS,
                    seen.iter().map(|(key, written, _)| (*key, written != key)),
                );
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
        logo ["徽标"]: String,
        publish_originals ["发布原图"]: bool,
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
        let (raw, diags) = case("title: a\n  b: c\ndate: 2023-06-12\n");
        assert_eq!(
            diags,
            vec![
                "content/cases/a.md:3: 这一行的缩进或冒号位置不对 (每个字段顶格写成“字段: 值”；取值中含有“: ”时请给取值加引号)"
            ]
        );
        // The key of the broken lines is unreadable, not missing; the next key is still read.
        assert_eq!(raw.unreadable, vec!["title"]);
        assert_eq!(raw.date.unwrap().value, "2023-06-12");
    }

    #[test]
    fn a_full_width_colon_is_named_and_the_rest_still_read() {
        let (raw, diags) = case("标题：测试\n日期: 2023/6/12\n");
        assert_eq!(
            diags,
            vec![
                "content/cases/a.md:2: 第 2 行：“标题”后是全角冒号“：”，请改为半角冒号加空格 (应写成 标题: 测试)"
            ]
        );
        assert_eq!(raw.title.unwrap().value, "测试");
        assert_eq!(raw.date.unwrap().value, "2023/6/12");
    }

    #[test]
    fn unknown_chinese_keys_get_a_chinese_suggestion_or_the_list() {
        let (_, diags) = case("标提: a\n发布日期: b\n作者: c\n");
        assert_eq!(
            diags,
            vec![
                "content/cases/a.md:2: 未知字段“标提” (是否为“标题”？)",
                "content/cases/a.md:3: 未知字段“发布日期” (是否为“日期”？)",
                "content/cases/a.md:4: 未知字段“作者” (可用的字段：标题、副标题、日期、省份、结对、任务、标签、来源、摘要、封面、草稿、网址名)",
            ]
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
        assert_eq!(
            diags,
            vec![
                "content/cases/a.md:3: title: 字段“title”与第 2 行的“title”重复 (同一字段只能写一次，请删去其中一行)"
            ]
        );
    }
}
