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

mod repair;

use repair::{diagnose_chunk, error_line, report_error, syntax_of, tab_before_key};

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

/// The whole text's error, reported when reading it key by key found nothing wrong: a mistake
/// between keys, such as a second `---`. A key written twice is left to the caller, which
/// names both lines.
fn report_whole(err: &serde_saphyr::Error, first_line: usize, src: &mut Source) {
    if syntax_of(err) != YamlSyntax::DuplicateKey {
        report_error(err, first_line, src);
    }
}

/// An alias bomb: the parser's budget text ("budget breached: Nodes { … }") means nothing to an
/// author, and reading the text again key by key would only expand it again.
fn is_too_large(err: &serde_saphyr::Error) -> bool {
    err.without_snippet()
        .to_string()
        .starts_with("budget breached")
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
