//! Naming a YAML mistake in the author's terms, and repairing the ones that are certain.
//!
//! A full-width colon after a key (`标题：测试`), a missing space after the colon
//! (`title:测试`) and a tab before a key are what people typing Chinese do most; each is
//! reported with the line as it should be written, and the repaired line is read so its value is
//! still checked. Anything else the parser stopped at is classified into a [`YamlSyntax`], whose
//! wording lives in `problem`.

use serde_json::Value;

use crate::diagnostic::Place;
use crate::problem::{Problem, YamlSyntax};

use super::{Entry, OrderedMap, Source, entries_of};

/// Names the mistake of one top-level key's lines. A full-width colon, a missing space after
/// the colon or a tab before the key is certain enough to repair: the repaired value is read
/// and checked like any other (and repaired again if a second such mistake follows).
pub(super) fn diagnose_chunk(
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
pub(super) fn tab_before_key(line: &str) -> Option<&str> {
    let rest = line.trim_start_matches('\t');
    let key_line = rest.len() < line.len()
        && (key_of(rest).is_some()
            || full_width_colon(rest).is_some()
            || missing_space(rest).is_some());
    key_line.then_some(rest)
}

pub(super) fn unreadable(key: &str, line: usize) -> Entry {
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

/// Reports the parser's error of a text starting at file line `first_line`, in the author's terms.
pub(super) fn report_error(err: &serde_saphyr::Error, first_line: usize, src: &mut Source) {
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

pub(super) fn error_line(err: &serde_saphyr::Error, first_line: usize) -> Option<usize> {
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

/// What kind of mistake the parser stopped at. serde-saphyr words most syntax errors as text
/// from its scanner, so the text is what there is to go by; anything unforeseen is `Other`.
pub(super) fn syntax_of(err: &serde_saphyr::Error) -> YamlSyntax {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
