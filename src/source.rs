//! Reads the files of a site folder into memory: UTF-8 checked, BOM and CRLF removed, front
//! matter split from the body with the line where each part starts.
//!
//! Nothing here knows what a case or a brand is; this is the raw, low-level form of the input.
//! Which files exist and may be read at all is [`crate::listing`]'s business.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostics, Place};
use crate::problem::Problem;

/// A text file of the site, decoded.
#[derive(Clone, Debug)]
pub struct TextFile {
    /// Path relative to the content folder, with `/` separators (`cases/a.md`).
    pub rel: String,
    /// Path as shown in diagnostics (`content/cases/a.md`).
    pub shown: PathBuf,
    pub text: String,
}

/// A Markdown file split into its YAML front matter and its body.
#[derive(Clone, Debug)]
pub struct Document<'a> {
    pub yaml: &'a str,
    /// 1-based line of the file on which the YAML text starts.
    pub yaml_line: usize,
    pub body: &'a str,
    /// 1-based line of the file on which the body starts.
    pub body_line: usize,
}

/// Decodes bytes as UTF-8 text, dropping a BOM and turning CRLF into LF. Text that needs
/// neither keeps the buffer it was read into (at 100,000 cases a copy of every file is a
/// gigabyte of fresh memory).
pub fn decode_text(mut bytes: Vec<u8>) -> Result<String, Problem> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    let text = String::from_utf8(bytes).map_err(|_| Problem::NotUtf8 {
        file: String::new(),
    })?;
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    })
}

/// Reads and decodes one file, reporting problems against its shown path.
pub fn read_text(
    root: &Path,
    rel: &str,
    shown_root: &Path,
    diags: &mut Diagnostics,
) -> Option<TextFile> {
    let shown = shown_root.join(rel);
    let bytes = match std::fs::read(root.join(rel)) {
        Ok(b) => b,
        Err(e) => {
            diags.report(Place::file(&shown), Problem::Io(e.to_string()));
            return None;
        }
    };
    match decode_text(bytes) {
        Ok(text) => Some(TextFile {
            rel: rel.to_owned(),
            shown,
            text,
        }),
        Err(p) => {
            // The hint names the file to give `xiezuo fix-encoding`, as the author's shell sees it.
            let p = match p {
                Problem::NotUtf8 { .. } => Problem::NotUtf8 {
                    file: shown.display().to_string(),
                },
                p => p,
            };
            diags.report(Place::file(&shown), p);
            None
        }
    }
}

/// Splits `---` front matter from the body.
pub fn split_front_matter(text: &str) -> Result<Document<'_>, Problem> {
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| (text.trim_end() == "---").then_some(""))
        .ok_or(Problem::NoFrontMatter)?;
    let mut offset = 0;
    for (line, l) in (2..).zip(rest.split_inclusive('\n')) {
        if l.trim_end() == "---" {
            let body_start = offset + l.len();
            return Ok(Document {
                yaml: &rest[..offset],
                yaml_line: 2,
                body: &rest[body_start..],
                body_line: line + 1,
            });
        }
        offset += l.len();
    }
    Err(Problem::UnclosedFrontMatter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_normalised() {
        let text = decode_text(b"\xEF\xBB\xBF---\r\ntitle: a\r\n---\r\nbody\r\n".to_vec()).unwrap();
        assert_eq!(text, "---\ntitle: a\n---\nbody\n");
    }

    #[test]
    fn a_bom_alone_is_dropped_and_plain_text_kept_as_it_is() {
        assert_eq!(
            decode_text(b"\xEF\xBB\xBF\xE5\xB1\xB1\n".to_vec()).unwrap(),
            "山\n"
        );
        assert_eq!(decode_text("海\n".as_bytes().to_vec()).unwrap(), "海\n");
        // A BOM in the middle is text, not a mark to drop.
        assert_eq!(decode_text(b"a\xEF\xBB\xBF".to_vec()).unwrap(), "a\u{FEFF}");
    }

    #[test]
    fn gbk_is_rejected() {
        // "贵州" in GBK
        assert!(matches!(
            decode_text(vec![0xB9, 0xF3, 0xD6, 0xDD]),
            Err(Problem::NotUtf8 { .. })
        ));
    }

    #[test]
    fn front_matter_lines() {
        let doc = split_front_matter("---\na: 1\nb: 2\n---\nbody\n").unwrap();
        assert_eq!(doc.yaml, "a: 1\nb: 2\n");
        assert_eq!(doc.yaml_line, 2);
        assert_eq!(doc.body, "body\n");
        assert_eq!(doc.body_line, 5);
        assert!(matches!(
            split_front_matter("no"),
            Err(Problem::NoFrontMatter)
        ));
        assert!(matches!(
            split_front_matter("---\na: 1\n"),
            Err(Problem::UnclosedFrontMatter)
        ));
    }
}
