//! YAML text into ordered `key: value` entries with the line of each key: the one module that
//! calls the YAML parser (serde-saphyr).
//!
//! When a mapping does not parse, it is read again one top-level key at a time, so a mistake on
//! one line hides nothing after it, and each mistake is named in the author's terms (a
//! full-width colon, a missing space, an unclosed quote) instead of the parser's. A line whose
//! mistake is certain (`标题：测试`) is repaired and its value still checked. What the keys mean
//! is [`crate::frontmatter`]'s business.

use std::fmt;
use std::path::Path;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::Value;
use serde_saphyr::Spanned;

use crate::diagnostic::{Diagnostics, Place};
use crate::problem::{Problem, YamlSyntax};

/// One `key: value` of a YAML mapping, in the order written.
#[derive(Clone, Debug)]
pub struct Entry {
    pub key: String,
    pub line: usize,
    pub value: Value,
    /// A number as the author spelt it on the key's line (`0123456789`, `1.10`): YAML reads
    /// these as numbers, which would show a text field as `123456789.0` or `1.1`.
    pub spelling: Option<String>,
    /// The key's lines could not be read (already reported): the value is null, and the field
    /// is not "missing" as well.
    pub unreadable: bool,
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

/// Where a YAML text sits in its file, and who hears about its mistakes.
struct Source<'a, 'd> {
    path: &'a Path,
    diags: &'d mut Diagnostics,
    /// Columns removed from the left of the text read (a list item's indentation), added back
    /// to every column reported.
    indent: usize,
    /// Reading an item of a list of records, where a line that is no `key: value` is a
    /// record that is no record.
    in_list: bool,
}

/// Parses a YAML mapping whose first line is line `first_line` of the file at `path`. Every
/// mistake is reported; the entries that could be read are returned, unless the text is an
/// alias bomb (then nothing is).
pub fn parse_mapping(
    yaml: &str,
    first_line: usize,
    path: &Path,
    diags: &mut Diagnostics,
) -> Option<Vec<Entry>> {
    match serde_saphyr::from_str::<OrderedMap>(yaml) {
        Ok(map) => Some(entries_of(map, first_line, yaml)),
        Err(e) if is_too_large(&e) => {
            let line = error_line(&e, first_line).unwrap_or(first_line);
            diags.report(Place::line(path, line), Problem::YamlTooLarge);
            None
        }
        Err(e) => {
            let mut src = Source {
                path,
                diags,
                indent: 0,
                in_list: false,
            };
            let mut entries = Vec::new();
            if !recover_mapping(yaml, first_line, &mut src, &mut entries) {
                report_whole(&e, first_line, &mut src);
            }
            Some(entries)
        }
    }
}

/// Parses a YAML list of mappings (a statistics file); each item comes with its line. A file
/// that holds one record instead of a list is said to, and its record is still read.
pub fn parse_mapping_list(
    yaml: &str,
    path: &Path,
    diags: &mut Diagnostics,
) -> Option<Vec<(usize, Vec<Entry>)>> {
    if yaml.trim().is_empty() {
        return Some(Vec::new());
    }
    let err = match serde_saphyr::from_str::<Vec<Spanned<OrderedMap>>>(yaml) {
        Ok(items) => {
            return Some(
                items
                    .into_iter()
                    .map(|item| {
                        let line = item.referenced.line() as usize;
                        (line, entries_of(item.value, 1, yaml))
                    })
                    .collect(),
            );
        }
        Err(e) if is_too_large(&e) => {
            let line = error_line(&e, 1);
            let place = Place::line(path, line.unwrap_or(1));
            diags.report(place, Problem::YamlTooLarge);
            return None;
        }
        Err(e) => e,
    };
    let mut src = Source {
        path,
        diags,
        indent: 0,
        in_list: false,
    };
    let starts: Vec<usize> = lines_of(yaml)
        .enumerate()
        .filter(|(_, l)| is_item_start(l))
        .map(|(i, _)| i)
        .collect();
    let first_content = lines_of(yaml)
        .position(|l| !is_blank_or_comment(l))
        .unwrap_or(0);
    if starts.first() != Some(&first_content) && looks_like_mapping(yaml) {
        // One record written without its `- `: say so, and still read the record.
        let line = first_content + 1;
        src.diags
            .report(Place::line(path, line), Problem::StatsSingleRecord);
        let mut entries = Vec::new();
        recover_mapping(yaml, 1, &mut src, &mut entries);
        return Some(vec![(line, entries)]);
    }
    if starts.is_empty() {
        src.diags
            .report(Place::line(path, first_content + 1), Problem::NotAList);
        return None;
    }
    let mut items = Vec::new();
    let mut reported = false;
    let ends = starts.iter().skip(1).copied().chain([usize::MAX]);
    for (start, end) in starts.iter().copied().zip(ends) {
        let text: String = lines_of(yaml)
            .enumerate()
            .skip(start)
            .take_while(|(i, _)| *i < end)
            .map(|(i, l)| {
                if i == start {
                    item_as_mapping(l)
                } else {
                    l.to_owned()
                }
            })
            .collect();
        let (text, indent) = dedent(&text);
        (src.indent, src.in_list) = (indent, true);
        let mut entries = Vec::new();
        match serde_saphyr::from_str::<OrderedMap>(&text) {
            Ok(map) => entries = entries_of(map, start + 1, &text),
            Err(_) => reported |= recover_mapping(&text, start + 1, &mut src, &mut entries),
        }
        // An item that gave nothing was reported as no record: it has no fields to miss.
        if !entries.is_empty() {
            items.push((start + 1, entries));
        }
    }
    if !reported {
        report_whole(&err, 1, &mut src);
    }
    Some(items)
}

/// `value` written as a YAML value that reads back as exactly that text: plain where YAML
/// would read it so (`山海同心`), double-quoted otherwise (`"2025"`, `"甲: 乙"`, `"yes"`).
pub fn scalar(value: &str) -> String {
    let plain = !value.contains(['\n', '\r', '\t'])
        && serde_saphyr::from_str::<Value>(value).ok() == Some(Value::String(value.to_owned()));
    if plain {
        value.to_owned()
    } else {
        // A JSON string is a valid YAML double-quoted scalar with the same meaning.
        Value::String(value.to_owned()).to_string()
    }
}

/// Lines of `text`, each with its line feed.
fn lines_of(text: &str) -> impl Iterator<Item = &str> {
    text.split_inclusive('\n')
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// A line starting a list item at the left margin (`- year: 2023`).
fn is_item_start(line: &str) -> bool {
    line.starts_with("- ") || line.trim_end() == "-"
}

/// The first line of a list item with its `- ` turned into spaces, keeping every column.
fn item_as_mapping(line: &str) -> String {
    format!(" {}", &line[1..])
}

/// `text` with the indentation its lines share removed, and how many columns that was.
fn dedent(text: &str) -> (String, usize) {
    let indent = lines_of(text)
        .filter(|l| !is_blank_or_comment(l))
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    let text = lines_of(text)
        .map(|l| {
            let spaces = l.len() - l.trim_start_matches(' ').len();
            &l[spaces.min(indent)..]
        })
        .collect();
    (text, indent)
}

/// Whether a text that is no list reads as one record: some line at the margin has a key.
fn looks_like_mapping(yaml: &str) -> bool {
    lines_of(yaml).any(|l| {
        !is_blank_or_comment(l)
            && !l.starts_with([' ', '\t', '-'])
            && (l.contains(": ") || l.trim_end().ends_with(':') || l.contains('：'))
    })
}

/// Reads `yaml` one top-level key at a time, adding what can be read to `entries` and
/// reporting each mistake. Returns whether any mistake was found.
fn recover_mapping(
    yaml: &str,
    first_line: usize,
    src: &mut Source,
    entries: &mut Vec<Entry>,
) -> bool {
    let mut found = false;
    for (start, text) in top_level_chunks(yaml) {
        let line = first_line + start;
        if text.starts_with("---") || text.starts_with("...") {
            found = true;
            let problem = Problem::Yaml {
                syntax: YamlSyntax::SecondDocument,
                detail: "a second document starts here".into(),
            };
            src.diags.report(Place::line(src.path, line), problem);
            continue;
        }
        // The parser forgives a tab before the first key of a text, but not of a file: the
        // line is the author's mistake even when it reads on its own.
        let tab = text.lines().next().and_then(tab_before_key).is_some();
        match serde_saphyr::from_str::<OrderedMap>(text) {
            Ok(map) if !tab => entries.extend(entries_of(map, line, text)),
            result => {
                found = true;
                diagnose_chunk(text, line, result.err().as_ref(), src, entries);
            }
        }
    }
    found
}

/// Splits YAML into its top-level keys: each piece starts at a line at the left margin and
/// holds the indented, blank and comment lines after it. Lines before the first key (comments)
/// are a piece of their own.
fn top_level_chunks(yaml: &str) -> Vec<(usize, &str)> {
    let mut chunks = Vec::new();
    let (mut start_line, mut start_byte, mut offset) = (0, 0, 0);
    for (i, l) in lines_of(yaml).enumerate() {
        let starts_key =
            !is_blank_or_comment(l) && !l.starts_with([' ', '\t', ']', '}']) && !is_item_start(l)
                || tab_before_key(l).is_some();
        if starts_key && offset > start_byte {
            chunks.push((start_line, &yaml[start_byte..offset]));
            (start_line, start_byte) = (i, offset);
        } else if starts_key {
            start_line = i;
        }
        offset += l.len();
    }
    if offset > start_byte {
        chunks.push((start_line, &yaml[start_byte..offset]));
    }
    chunks
}

/// Names the mistake of one top-level key's lines. A full-width colon, a missing space after
/// the colon or a tab before the key is certain enough to repair: the repaired value is read
/// and checked like any other (and repaired again if a second such mistake follows).
fn diagnose_chunk(
    text: &str,
    line: usize,
    err: Option<&serde_saphyr::Error>,
    src: &mut Source,
    entries: &mut Vec<Entry>,
) {
    let first = text.lines().next().unwrap_or("");
    let Some(repair) = repair_of(first, line) else {
        if let Some(err) = err {
            report_error(err, line, src);
        }
        if let Some(key) = key_of(first) {
            entries.push(unreadable(key, line));
        }
        return;
    };
    let place = Place::line(src.path, line).at_column(repair.column + src.indent);
    src.diags.report(place, repair.problem);
    let repaired = format!("{}{}", repair.fixed, &text[first.len()..]);
    match serde_saphyr::from_str::<OrderedMap>(&repaired) {
        Ok(map) => entries.extend(entries_of(map, line, &repaired)),
        // Each repair removes its mistake from the line, so this ends.
        Err(e) => diagnose_chunk(&repaired, line, Some(&e), src, entries),
    }
}

/// The certain mistake of a key's first line, and the line as it should be.
fn repair_of(first: &str, line: usize) -> Option<Repair> {
    if let Some(fixed) = tab_before_key(first) {
        return Some(Repair {
            column: 1,
            fixed: fixed.to_owned(),
            problem: Problem::Yaml {
                syntax: YamlSyntax::Tab,
                detail: "a tab before the key".into(),
            },
        });
    }
    let (full_width, (key, column, fixed)) = full_width_colon(first)
        .map(|r| (true, r))
        .or_else(|| missing_space(first).map(|r| (false, r)))?;
    let shown = shorten(&fixed);
    let problem = if full_width {
        Problem::FullWidthColon {
            key,
            line,
            fixed: shown,
        }
    } else {
        Problem::NoSpaceAfterColon {
            key,
            line,
            fixed: shown,
        }
    };
    Some(Repair {
        column,
        fixed,
        problem,
    })
}

/// `\tdate: …` → `date: …`: a key indented with tabs (YAML allows no tab there).
fn tab_before_key(line: &str) -> Option<&str> {
    let rest = line.trim_start_matches('\t');
    let key_line = rest.len() < line.len()
        && (key_of(rest).is_some()
            || full_width_colon(rest).is_some()
            || missing_space(rest).is_some());
    key_line.then_some(rest)
}

fn unreadable(key: &str, line: usize) -> Entry {
    Entry {
        key: key.to_owned(),
        line,
        value: Value::Null,
        spelling: None,
        unreadable: true,
    }
}

/// A line as it should be written, the mistake, and where it is.
struct Repair {
    /// 1-based character column of the mistake.
    column: usize,
    fixed: String,
    problem: Problem,
}

/// Whether `key` can be a key as written at the start of a line: a word, no spaces, quotes or
/// YAML indicators.
fn is_plain_key(key: &str) -> bool {
    !key.is_empty()
        && key.chars().count() <= 30
        && !key.starts_with(|c: char| c.is_ascii_digit() || "-?:,[]{}#&*!|>'\"%@`".contains(c))
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// `标题：测试` → (`标题`, its colon's column, `标题: 测试`).
fn full_width_colon(line: &str) -> Option<(String, usize, String)> {
    let at = line.find('：')?;
    let key = line[..at].trim_end();
    if !is_plain_key(key) {
        return None;
    }
    let rest = line[at + '：'.len_utf8()..].trim();
    let column = line[..at].chars().count() + 1;
    Some((key.to_owned(), column, join_key(key, rest)))
}

/// `title:测试` → (`title`, its colon's column, `title: 测试`).
fn missing_space(line: &str) -> Option<(String, usize, String)> {
    let at = line.find(':')?;
    let key = &line[..at];
    let rest = &line[at + 1..];
    if !is_plain_key(key) || rest.starts_with([' ', '\t', ':']) || rest.trim().is_empty() {
        return None;
    }
    let column = key.chars().count() + 1;
    Some((key.to_owned(), column, join_key(key, rest.trim())))
}

fn join_key(key: &str, rest: &str) -> String {
    if rest.is_empty() {
        format!("{key}:")
    } else {
        format!("{key}: {rest}")
    }
}

/// A repaired line as quoted in a hint: a long value is cut.
fn shorten(line: &str) -> String {
    crate::markdown::truncate_chars(line, 40)
}

/// The key a broken line starts with (`title` of `title: "abc`), if it has one.
fn key_of(line: &str) -> Option<&str> {
    let (key, _) = line.split_once(':')?;
    is_plain_key(key.trim_end()).then(|| key.trim_end())
}

/// The whole text's error, reported when reading it key by key found nothing wrong: a mistake
/// between keys, such as a second `---`. A key written twice is left to the caller, which
/// names both lines.
fn report_whole(err: &serde_saphyr::Error, first_line: usize, src: &mut Source) {
    if syntax_of(err) != YamlSyntax::DuplicateKey {
        report_error(err, first_line, src);
    }
}

/// Reports the parser's error of a text starting at file line `first_line`, in the author's terms.
fn report_error(err: &serde_saphyr::Error, first_line: usize, src: &mut Source) {
    let line = error_line(err, first_line).unwrap_or(first_line);
    let mut place = Place::line(src.path, line);
    if let Some(column) = err
        .location()
        .map(|l| l.column() as usize)
        .filter(|c| *c > 0)
    {
        place = place.at_column(column + src.indent);
    }
    let detail = parser_words(err);
    let syntax = match syntax_of(err) {
        YamlSyntax::NotKeyValue if src.in_list => YamlSyntax::NotARecord,
        syntax => syntax,
    };
    src.diags.report(place, Problem::Yaml { syntax, detail });
}

fn error_line(err: &serde_saphyr::Error, first_line: usize) -> Option<usize> {
    err.location()
        .map(|l| l.line() as usize)
        .filter(|l| *l > 0)
        .map(|l| l + first_line - 1)
}

/// The parser's message without its " at line N, column M" tail (the place is reported apart).
fn parser_words(err: &serde_saphyr::Error) -> String {
    let text = err.without_snippet().to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

/// An alias bomb: the parser's budget text ("budget breached: Nodes { … }") means nothing to an
/// author, and reading the text again key by key would only expand it again.
fn is_too_large(err: &serde_saphyr::Error) -> bool {
    err.without_snippet()
        .to_string()
        .starts_with("budget breached")
}

/// What kind of mistake the parser stopped at. serde-saphyr words most syntax errors as text
/// from its scanner, so the text is what there is to go by; anything unforeseen is `Other`.
fn syntax_of(err: &serde_saphyr::Error) -> YamlSyntax {
    let text = parser_words(err);
    let has = |s: &str| text.contains(s);
    if has("duplicate mapping key") {
        YamlSyntax::DuplicateKey
    } else if has("unclosed quote") || has("quoted scalar") && has("end of stream") {
        YamlSyntax::UnclosedQuote
    } else if has("trailing content after") {
        YamlSyntax::TextAfterQuote
    } else if has("escape") || has("surrogate") {
        YamlSyntax::BadEscape
    } else if has("bracket") || has("flow mapping") || has("flow sequence") || has("':' indicator")
    {
        YamlSyntax::UnclosedBracket
    } else if has("found a tab") || has("with a tab") || has("tab cannot") || has("tabs disallowed")
    {
        YamlSyntax::Tab
    } else if has("block sequence entries are not allowed") {
        YamlSyntax::ReservedStart('-')
    } else if let Some(c) = text
        .strip_prefix("unexpected character: `")
        .and_then(|rest| rest.chars().next())
    {
        YamlSyntax::ReservedStart(c)
    } else if has("unknown anchor") {
        YamlSyntax::UnknownAnchor
    } else if has("multiple YAML documents") {
        YamlSyntax::SecondDocument
    } else if has("comment intercepting") {
        YamlSyntax::CommentInText
    } else if has("expected mapping start") || has("invalid type") {
        YamlSyntax::NotKeyValue
    } else if has("mapping values are not allowed")
        || has("did not find expected")
        || has("simple key expected")
        || has("could not find expected ':'")
        || has("block mapping")
        || has("invalid indentation")
        || has("block collection")
    {
        YamlSyntax::Indentation
    } else {
        YamlSyntax::Other
    }
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
                unreadable: false,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_start_at_keys_on_the_margin() {
        let yaml = "# c\ntitle: a\n  more\ntags:\n- x\n- y\n\ndate: 1\n";
        let starts: Vec<usize> = top_level_chunks(yaml).iter().map(|c| c.0).collect();
        assert_eq!(starts, vec![0, 1, 3, 7]);
        let texts: Vec<&str> = top_level_chunks(yaml).iter().map(|c| c.1).collect();
        assert_eq!(texts[2], "tags:\n- x\n- y\n\n");
    }

    #[test]
    fn repairs() {
        let (key, column, fixed) = full_width_colon("标题：测试").unwrap();
        assert_eq!(
            (key.as_str(), column, fixed.as_str()),
            ("标题", 3, "标题: 测试")
        );
        assert_eq!(full_width_colon("标题 ： 测试").unwrap().2, "标题: 测试");
        assert!(full_width_colon("summary: 注意：本文").is_none());
        assert!(full_width_colon("这是 一段：文字").is_none());
        let (_, column, fixed) = missing_space("base_url:https://x.cn/").unwrap();
        assert_eq!((column, fixed.as_str()), (9, "base_url: https://x.cn/"));
        assert_eq!(tab_before_key("\t\tdate: 1"), Some("date: 1"));
        assert_eq!(tab_before_key("\t续行文字"), None);
        assert!(missing_space("title: a").is_none());
        assert!(missing_space("12:30").is_none());
    }

    #[test]
    fn scalars_read_back_as_written() {
        assert_eq!(
            scalar("山海同心稳就业 黔粤协作促振兴"),
            "山海同心稳就业 黔粤协作促振兴"
        );
        for tricky in [
            "2025",
            "yes",
            "null",
            "",
            " 前导空格",
            "甲: 乙",
            "#话题",
            "[a]",
            "- 列表",
            "a #b",
            "&x",
            "*y",
            "@z",
            "`q`",
            "\"引号\"",
            "'单引号'",
            "行1\n行2",
            "~",
            "1.10",
            "0x1F",
        ] {
            let yaml = format!("title: {}\n", scalar(tricky));
            let map = serde_saphyr::from_str::<OrderedMap>(&yaml).unwrap();
            assert_eq!(map.0[0].1, Value::String(tricky.to_owned()), "{yaml}");
        }
    }

    #[test]
    fn dedent_keeps_relative_indentation() {
        let (text, indent) = dedent("  a: 1\n  b:\n    - x\n");
        assert_eq!((text.as_str(), indent), ("a: 1\nb:\n  - x\n", 2));
    }
}
