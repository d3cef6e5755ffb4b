//! Characters that may appear in the site's outputs, and escaping for XML and HTML text and
//! attribute values (feeds, sitemaps, SVG charts).
//!
//! XML 1.0 forbids most control characters even as character references, so one vertical tab
//! in a case study would make `atom.xml` unreadable to every feed reader. Such characters are
//! removed, not escaped: they carry nothing a reader could see.

use std::borrow::Cow;

/// True for characters no output may contain: C0 controls other than tab, line feed and
/// carriage return (forbidden in XML 1.0), DEL and C1 controls (HTML parse errors), and
/// Unicode noncharacters such as U+FFFE and U+FFFF (forbidden in XML 1.0, errors in HTML).
pub fn is_forbidden_char(c: char) -> bool {
    let code = c as u32;
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || (0xFDD0..=0xFDEF).contains(&code)
        || code & 0xFFFE == 0xFFFE
}

/// `text` without the characters of [`is_forbidden_char`]; borrowed when there were none.
pub fn remove_forbidden_chars(text: &str) -> Cow<'_, str> {
    if text.chars().any(is_forbidden_char) {
        Cow::Owned(text.chars().filter(|&c| !is_forbidden_char(c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// Escapes `&`, `<`, `>`, `"` and `'`, and removes the characters of [`is_forbidden_char`],
/// so that whatever text reaches a feed or sitemap, the file stays well-formed XML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if is_forbidden_char(c) => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;"
        );
    }

    #[test]
    fn removes_characters_xml_forbids() {
        let hostile =
            "甲\u{b}乙\u{c}丙\u{1b}[31m丁\u{0}\u{7f}\u{85}\u{fffe}\u{ffff}\u{fdd0}\u{1fffe}戊";
        assert_eq!(escape(hostile), "甲乙丙[31m丁戊");
        assert_eq!(remove_forbidden_chars(hostile), "甲乙丙[31m丁戊");
    }

    #[test]
    fn keeps_whitespace_and_ordinary_text() {
        let text = "一\t二\n三\r\n四 \u{fffd}\u{feff}\u{10000}";
        assert_eq!(escape(text), text);
        assert!(matches!(remove_forbidden_chars(text), Cow::Borrowed(_)));
    }
}
