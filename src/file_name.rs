//! Which file and folder names may become output paths.
//!
//! Every name under `content/` (and under a theme) ends up in a URL or an output file name, and
//! the output may be copied to a Windows server or opened in a browser. So names that Windows
//! refuses (`con`, `NUL.txt`), names that hide or reverse text (U+202E turns `gpj.exe` into
//! `exe.jpg` on screen) and full-width look-alikes of `.` and `/` (`．．／`) are refused here, as
//! a pure function of the name. Walking the disk is [`crate::listing`]'s job.

use crate::problem::Problem;

/// The longest name of one file or folder, in bytes: the limit of ext4, XFS and NTFS alike.
pub const MAX_NAME_BYTES: usize = 255;

/// The longest output path of a copied file (relative to the output folder), in bytes: leaves
/// room under the 4,096 bytes of a Linux path for wherever the output folder is.
pub const MAX_PATH_BYTES: usize = 1024;

/// The problem with `name` as a file or folder name, if any.
pub fn name_problem(name: &str) -> Option<Problem> {
    if let Some(c) = name.chars().find(|&c| is_invisible(c)) {
        return Some(Problem::InvisibleCharInName {
            code: format!("U+{:04X}", u32::from(c)),
        });
    }
    if let Some(c) = lookalike_path_char(name) {
        return Some(Problem::LookalikePathChar { ch: c });
    }
    if is_windows_reserved(name) {
        return Some(Problem::ReservedName {
            name: name.to_owned(),
        });
    }
    if name.len() > MAX_NAME_BYTES {
        return Some(Problem::NameTooLong {
            len: name.len(),
            max: MAX_NAME_BYTES,
        });
    }
    None
}

/// C0 and C1 controls, DEL, and the marks that reorder or hide text (LRM, RLM, the bidi
/// embeddings, overrides and isolates).
pub fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Writes `text` with every invisible character as `\u{…}`, so a message can show it.
pub fn escape_invisible(text: &str) -> String {
    text.chars()
        .map(|c| {
            if is_invisible(c) {
                format!("\\u{{{:04X}}}", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A slash look-alike anywhere, or a dot look-alike beside another dot or standing alone:
/// `．．／` reads as (and NFKC-normalises to) `../`. A single full-width dot inside a name
/// (`一．概述.md`) is ordinary Chinese typesetting and stays allowed.
fn lookalike_path_char(name: &str) -> Option<char> {
    const SLASHES: &[char] = &['／', '＼', '∕', '⁄', '⧸', '⧹', '﹨'];
    const DOTS: &[char] = &['．', '﹒', '․', '‥'];
    if let Some(c) = name.chars().find(|c| SLASHES.contains(c)) {
        return Some(c);
    }
    let is_dot = |c: &char| *c == '.' || DOTS.contains(c);
    let chars: Vec<char> = name.chars().collect();
    if chars.iter().all(is_dot) {
        return chars.iter().copied().find(|c| DOTS.contains(c));
    }
    chars.iter().enumerate().find_map(|(i, c)| {
        let beside_dot = (i > 0 && is_dot(&chars[i - 1])) || chars.get(i + 1).is_some_and(is_dot);
        (DOTS.contains(c) && (beside_dot || *c == '‥')).then_some(*c)
    })
}

/// `con`, `PRN.txt`, `com1.tar.gz`, `nul ` …: the part before the first dot, case-insensitive
/// and with trailing spaces ignored, as Windows compares it.
fn is_windows_reserved(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).trim_end_matches(' ');
    let upper = stem.to_ascii_uppercase();
    match upper.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$" => true,
        _ => ["COM", "LPT"].iter().any(|prefix| {
            upper.strip_prefix(prefix).is_some_and(|n| {
                matches!(
                    n,
                    "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "¹" | "²" | "³"
                )
            })
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_names_pass() {
        for name in [
            "a.md",
            "稳岗就业.md",
            "一．概述.md",
            "console.md",
            "com10.md",
            "lpt.pdf",
            "2023年报告（终稿）.pdf",
            "index.md",
        ] {
            assert!(name_problem(name).is_none(), "{name}");
        }
    }

    #[test]
    fn windows_reserved_names() {
        for name in [
            "con", "CON.md", "nul", "Nul.txt", "aux.md", "prn", "com1", "COM9.pdf", "lpt3.md",
            "con .md", "com¹",
        ] {
            assert!(
                matches!(name_problem(name), Some(Problem::ReservedName { .. })),
                "{name}"
            );
        }
    }

    #[test]
    fn invisible_characters() {
        let cases = [
            ("a\u{202E}gpj.md", "U+202E"),
            ("\u{2066}x.md", "U+2066"),
            ("x\u{200F}.md", "U+200F"),
            ("tab\there.md", "U+0009"),
            ("esc\u{1b}.md", "U+001B"),
        ];
        for (name, code) in cases {
            match name_problem(name) {
                Some(Problem::InvisibleCharInName { code: c }) => assert_eq!(c, code, "{name}"),
                other => panic!("{name}: {other:?}"),
            }
        }
        assert_eq!(escape_invisible("a\u{202E}b"), "a\\u{202E}b");
    }

    #[test]
    fn full_width_path_tricks() {
        for name in [
            "．．／etc",
            "．．",
            "a／b.md",
            "..．md",
            "．",
            "x＼y",
            "a‥b",
            "﹒﹒",
        ] {
            assert!(
                matches!(name_problem(name), Some(Problem::LookalikePathChar { .. })),
                "{name}"
            );
        }
    }

    #[test]
    fn over_long_names() {
        let name = "长".repeat(86); // 258 bytes
        assert!(matches!(
            name_problem(&name),
            Some(Problem::NameTooLong { len: 258, max: 255 })
        ));
    }
}
