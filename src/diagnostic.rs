//! Problems found in a site's content, as data: file, line, field, message and hint.
//!
//! The library never prints: it returns every diagnostic of a build together and `main.rs`
//! decides how to show them. Message texts live in [`crate::problem`], one place per language.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

pub use crate::problem::Severity;
use crate::problem::{Lang, Problem};

/// One problem in one place, already worded in the site's language.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path as the author knows it (site folder joined with the file's relative path).
    pub path: PathBuf,
    /// 1-based line in the file, when the problem has one.
    pub line: Option<usize>,
    /// 1-based column (in characters) on that line, when the problem has a precise one.
    #[serde(default)]
    pub column: Option<usize>,
    /// The front-matter key the problem is about, spelt as the author wrote it (`日期` where
    /// the file says `日期:`, else the English name).
    pub field: Option<String>,
    /// The problem's kind, stable across languages (`unknown-key`): see [`Problem::code`].
    #[serde(default)]
    pub code: String,
    pub message: String,
    pub hint: Option<String>,
}

impl fmt::Display for Diagnostic {
    /// `content/cases/a.md:4: province: 未知省份“河北” (hint)`, with control characters shown
    /// as `\u{1b}` (see [`TerminalSafe`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Composed first and written once: stderr is unbuffered, and 100,000 warnings written
        // piece by piece would cost seconds of system calls.
        let mut line = TerminalSafe(&self.path.display().to_string()).to_string();
        if let Some(n) = self.line {
            line.push_str(&format!(":{n}"));
        }
        line.push_str(": ");
        if let Some(field) = &self.field {
            line.push_str(&format!("{}: ", TerminalSafe(field)));
        }
        line.push_str(&TerminalSafe(&self.message).to_string());
        if let Some(hint) = &self.hint {
            line.push_str(&format!(" ({})", TerminalSafe(hint)));
        }
        f.write_str(&line)
    }
}

/// Text that quotes what an author wrote (a value, a file name), made safe to print: control
/// characters, noncharacters and bidirectional overrides are written as `\u{1b}`. Otherwise an
/// ESC sequence in a province value would recolour or clear the author's terminal, a line feed
/// could forge a diagnostic line, and U+202E could reverse what a line appears to say.
pub struct TerminalSafe<'a>(pub &'a str);

impl fmt::Display for TerminalSafe<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unsafe_char = |c: char| {
            let bidi = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
            c.is_control() || bidi || crate::xml::is_forbidden_char(c)
        };
        // Safe runs are written whole; only the characters between them are escaped.
        let mut rest = self.0;
        while let Some(i) = rest.find(unsafe_char) {
            f.write_str(&rest[..i])?;
            let c = rest[i..].chars().next().unwrap_or_default();
            write!(f, "\\u{{{:x}}}", c as u32)?;
            rest = &rest[i + c.len_utf8()..];
        }
        f.write_str(rest)
    }
}

/// Where a problem is: a file, and optionally a line, a column and a field within it.
#[derive(Clone, Debug)]
pub struct Place {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub field: Option<&'static str>,
}

impl Place {
    /// The same place, at 1-based character column `column` of its line.
    pub fn at_column(mut self, column: usize) -> Self {
        self.column = Some(column);
        self
    }

    /// The whole file.
    pub fn file(path: &Path) -> Self {
        Place {
            path: path.to_path_buf(),
            line: None,
            column: None,
            field: None,
        }
    }

    /// A line of a file, with the field written there.
    pub fn field(path: &Path, line: usize, field: &'static str) -> Self {
        Place {
            path: path.to_path_buf(),
            line: Some(line),
            column: None,
            field: Some(field),
        }
    }

    /// A field of a file that has no line of its own (a slug made from the file name).
    pub fn file_field(path: &Path, field: &'static str) -> Self {
        Place {
            path: path.to_path_buf(),
            line: None,
            column: None,
            field: Some(field),
        }
    }

    /// A line of a file, not tied to one field.
    pub fn line(path: &Path, line: usize) -> Self {
        Place {
            path: path.to_path_buf(),
            line: Some(line),
            column: None,
            field: None,
        }
    }
}

/// How one file spells its keys, so diagnostics name a field the way its author wrote it.
#[derive(Clone, Debug)]
struct KeyNames {
    /// (English key, Chinese alias) of every key of the file's kind.
    keys: &'static [(&'static str, &'static str)],
    /// English keys the author wrote as their Chinese alias.
    written_zh: Vec<&'static str>,
    /// English keys the author wrote in English.
    written_en: Vec<&'static str>,
}

impl KeyNames {
    /// `field` as the author wrote it; a field never written is named in the file's usual
    /// script (a file of Chinese keys hears “缺少 标题”, not “title”).
    fn name(&self, field: &str) -> Option<&'static str> {
        let (en, zh) = self.keys.iter().find(|(en, _)| *en == field)?;
        let chinese = if self.written_zh.contains(en) {
            true
        } else if self.written_en.contains(en) {
            false
        } else {
            self.written_zh.len() > self.written_en.len()
        };
        Some(if chinese { zh } else { en })
    }
}

/// Collects every diagnostic of a build so that all of them are reported together.
#[derive(Clone, Debug)]
pub struct Diagnostics {
    lang: Lang,
    items: Vec<Diagnostic>,
    /// Files whose author wrote Chinese keys, by shown path.
    key_names: HashMap<PathBuf, KeyNames>,
}

impl Diagnostics {
    /// An empty collection whose messages are worded in `lang`.
    pub fn new(lang: Lang) -> Self {
        Diagnostics {
            lang,
            items: Vec::new(),
            key_names: HashMap::new(),
        }
    }

    /// Remembers how the file at `path` spells the keys in `written` (English key, whether
    /// written as the Chinese alias), among the `keys` of its kind. Diagnostics about its fields
    /// then name them the same way, whichever stage reports them.
    pub fn note_key_names(
        &mut self,
        path: &Path,
        keys: &'static [(&'static str, &'static str)],
        written: impl IntoIterator<Item = (&'static str, bool)>,
    ) {
        let (zh, en): (Vec<_>, Vec<_>) = written.into_iter().partition(|(_, zh)| *zh);
        // Files of English keys need nothing: English is how fields are named anyway.
        if zh.is_empty() {
            return;
        }
        let names = self
            .key_names
            .entry(path.to_path_buf())
            .or_insert_with(|| KeyNames {
                keys,
                written_zh: Vec::new(),
                written_en: Vec::new(),
            });
        names.written_zh.extend(zh.into_iter().map(|(k, _)| k));
        names.written_en.extend(en.into_iter().map(|(k, _)| k));
    }

    /// The language messages are worded in.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Records `problem` at `place` as an error or a warning, as the problem kind decides.
    pub fn report(&mut self, place: Place, problem: Problem) {
        let (message, hint) = problem.text(self.lang);
        self.items.push(Diagnostic {
            severity: problem.severity(),
            path: place.path,
            line: place.line,
            column: place.column,
            field: place.field.map(str::to_owned),
            code: problem.code().to_owned(),
            message,
            hint,
        });
    }

    /// Adds diagnostics gathered elsewhere (for example by a parallel stage).
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
        for (path, names) in other.key_names {
            match self.key_names.entry(path) {
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(names);
                }
                std::collections::hash_map::Entry::Occupied(mut o) => {
                    let mine = o.get_mut();
                    mine.written_zh.extend(names.written_zh);
                    mine.written_en.extend(names.written_en);
                }
            }
        }
    }

    /// True when at least one diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// All diagnostics, sorted by file, line and text so output is stable across runs, with
    /// fields named as their files spell them.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        for d in &mut self.items {
            let names = self.key_names.get(&d.path);
            if let (Some(names), Some(field)) = (names, &mut d.field)
                && let Some(name) = names.name(field)
            {
                *field = name.to_owned();
            }
        }
        sort_diagnostics(&mut self.items);
        self.items
    }
}

/// Sorts diagnostics by file, line, column and text, so output is stable across runs, and drops
/// repeats.
pub fn sort_diagnostics(items: &mut Vec<Diagnostic>) {
    items.sort_by(|a, b| {
        (&a.path, a.line, a.column, a.severity, &a.field, &a.message)
            .cmp(&(&b.path, b.line, b.column, b.severity, &b.field, &b.message))
    });
    items.dedup();
}

impl Diagnostic {
    /// The diagnostic as one line of JSON, for editors and CI (`check --format json`): path,
    /// line, column, field, severity (`error` or `warning`), code, message, hint. Absent
    /// values are `null`; texts are as the author would read them, control characters escaped
    /// by JSON itself.
    pub fn to_json(&self) -> String {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        serde_json::json!({
            "path": self.path.to_string_lossy(),
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "severity": severity,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        })
        .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_control_characters_are_escaped_for_the_terminal() {
        let d = Diagnostic {
            severity: Severity::Error,
            path: PathBuf::from("content/cases/\u{1b}[2Ja.md"),
            line: Some(4),
            column: None,
            field: Some("province".into()),
            code: "unknown-province".into(),
            message: "未知省份“\u{1b}[31m贵州\u{7}”".into(),
            hint: Some("第一行\n错误 伪造\u{202e}".into()),
        };
        assert_eq!(
            d.to_string(),
            "content/cases/\\u{1b}[2Ja.md:4: province: 未知省份“\\u{1b}[31m贵州\\u{7}” (第一行\\u{a}错误 伪造\\u{202e})"
        );
    }

    #[test]
    fn tabs_are_escaped_too() {
        assert_eq!(
            TerminalSafe("贵州省 \t「x」").to_string(),
            "贵州省 \\u{9}「x」"
        );
    }
}
