//! Problems found in a site's content, as data: file, line, field, message and hint.
//!
//! The library never prints: it returns every diagnostic of a build together and `main.rs`
//! decides how to show them. Message texts live in [`crate::problem`], one place per language.

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
    /// The front-matter key (canonical English name) the problem is about.
    pub field: Option<String>,
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

/// Where a problem is: a file, and optionally a line and a field within it.
#[derive(Clone, Debug)]
pub struct Place {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub field: Option<&'static str>,
}

impl Place {
    /// The whole file.
    pub fn file(path: &Path) -> Self {
        Place {
            path: path.to_path_buf(),
            line: None,
            field: None,
        }
    }

    /// A line of a file, with the field written there.
    pub fn field(path: &Path, line: usize, field: &'static str) -> Self {
        Place {
            path: path.to_path_buf(),
            line: Some(line),
            field: Some(field),
        }
    }

    /// A field of a file that has no line of its own (a slug made from the file name).
    pub fn file_field(path: &Path, field: &'static str) -> Self {
        Place {
            path: path.to_path_buf(),
            line: None,
            field: Some(field),
        }
    }

    /// A line of a file, not tied to one field.
    pub fn line(path: &Path, line: usize) -> Self {
        Place {
            path: path.to_path_buf(),
            line: Some(line),
            field: None,
        }
    }
}

/// Collects every diagnostic of a build so that all of them are reported together.
#[derive(Clone, Debug)]
pub struct Diagnostics {
    lang: Lang,
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty collection whose messages are worded in `lang`.
    pub fn new(lang: Lang) -> Self {
        Diagnostics {
            lang,
            items: Vec::new(),
        }
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
            field: place.field.map(str::to_owned),
            message,
            hint,
        });
    }

    /// Adds diagnostics gathered elsewhere (for example by a parallel stage).
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// True when at least one diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// All diagnostics, sorted by file, line and text so output is stable across runs.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (&a.path, a.line, a.severity, &a.field, &a.message)
                .cmp(&(&b.path, b.line, b.severity, &b.field, &b.message))
        });
        self.items.dedup();
        self.items
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
            field: Some("province".into()),
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
