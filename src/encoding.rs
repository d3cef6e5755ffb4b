//! `xiezuo fix-encoding`: text files saved by older office tools in GBK/GB18030 (or as UTF-16,
//! Notepad's "Unicode"), converted to UTF-8 in place with the original kept as `NAME.bak`.
//!
//! Only text that decodes without a single error is converted: a file that is neither UTF-8 nor
//! clean GB18030 is left untouched and said so, never "converted" into mojibake. The build skips
//! `.bak` files (they are not published), so a backup cannot leak the old file onto the site.

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// What was done to one file.
#[derive(Debug, PartialEq, Eq)]
pub enum Fixed {
    /// Converted from `from`; the original is at `backup`.
    Converted { from: &'static str, backup: PathBuf },
    /// Already UTF-8: nothing to do, nothing written.
    AlreadyUtf8,
}

/// Why a file was left as it was.
#[derive(Debug, thiserror::Error)]
pub enum EncodingError {
    /// Neither UTF-8, UTF-16 with a byte-order mark, nor clean GB18030 text (or binary).
    #[error("not GBK/GB18030 text")]
    NotText,
    /// The backup name is taken: overwriting it could destroy an earlier original.
    #[error("{} already exists", .0.display())]
    BackupExists(PathBuf),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Converts the file at `path` to UTF-8 if it is GBK/GB18030 or UTF-16 text.
pub fn fix_encoding(path: &Path) -> Result<Fixed, EncodingError> {
    let io = |p: &Path| {
        let path = p.to_path_buf();
        move |source| EncodingError::Io { path, source }
    };
    let bytes = std::fs::read(path).map_err(io(path))?;
    let Some((text, from)) = decode(&bytes)? else {
        return Ok(Fixed::AlreadyUtf8);
    };
    let text = declare_utf8(path, text);
    let backup = backup_path(path);
    // The backup is written first and never over an existing file: whatever happens next, the
    // original bytes survive.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&backup)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => EncodingError::BackupExists(backup.clone()),
            _ => EncodingError::Io {
                path: backup.clone(),
                source: e,
            },
        })?;
    file.write_all(&bytes)
        .and_then(|()| file.sync_all())
        .map_err(io(&backup))?;
    // Written under a temporary name and renamed, so the file is never half converted.
    let temp = path.with_file_name(format!(
        ".{}.xiezuo-utf8",
        path.file_name().unwrap_or_default().to_string_lossy()
    ));
    std::fs::write(&temp, text.as_bytes()).map_err(io(&temp))?;
    std::fs::rename(&temp, path).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        EncodingError::Io {
            path: path.to_path_buf(),
            source: e,
        }
    })?;
    Ok(Fixed::Converted { from, backup })
}

/// `a.md` → `a.md.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    path.with_file_name(name)
}

/// The text of `bytes` and the encoding it was in; None if it is UTF-8 already.
fn decode(bytes: &[u8]) -> Result<Option<(String, &'static str)>, EncodingError> {
    if std::str::from_utf8(bytes).is_ok() {
        return Ok(None);
    }
    let (encoding, body, name) = match bytes {
        [0xFF, 0xFE, rest @ ..] => (encoding_rs::UTF_16LE, rest, "UTF-16"),
        [0xFE, 0xFF, rest @ ..] => (encoding_rs::UTF_16BE, rest, "UTF-16"),
        // A NUL byte is no GBK text: it is a binary file.
        _ if bytes.contains(&0) => return Err(EncodingError::NotText),
        _ => (encoding_rs::GB18030, bytes, "GBK/GB18030"),
    };
    let text = encoding
        .decode_without_bom_handling_and_without_replacement(body)
        .ok_or(EncodingError::NotText)?;
    Ok(Some((text.into_owned(), name)))
}

/// An SVG or XML file declaring its old encoding (`<?xml … encoding="GBK"?>`) declares UTF-8
/// instead, or readers would decode the converted bytes as GBK again.
fn declare_utf8(path: &Path, text: String) -> String {
    let is_xml = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("svg") || e.eq_ignore_ascii_case("xml"));
    let Some(end) = text
        .find("?>")
        .filter(|_| is_xml && text.starts_with("<?xml"))
    else {
        return text;
    };
    let declaration = &text[..end];
    let Some(at) = declaration.find("encoding=") else {
        return text;
    };
    let quote_at = at + "encoding=".len();
    let Some(quote) = declaration[quote_at..]
        .chars()
        .next()
        .filter(|q| *q == '"' || *q == '\'')
    else {
        return text;
    };
    let Some(len) = declaration[quote_at + 1..].find(quote) else {
        return text;
    };
    format!(
        "{}UTF-8{}",
        &text[..quote_at + 1],
        &text[quote_at + 1 + len..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str, bytes: &[u8]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xiezuo-enc-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    #[test]
    fn gbk_is_converted_and_the_original_kept() {
        let (gbk, _, _) = encoding_rs::GBK.encode("---\ntitle: 贵州省劳务协作\n---\n正文。\n");
        let path = temp("a.md", &gbk);
        let fixed = fix_encoding(&path).unwrap();
        assert_eq!(
            fixed,
            Fixed::Converted {
                from: "GBK/GB18030",
                backup: path.with_file_name("a.md.bak")
            }
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "---\ntitle: 贵州省劳务协作\n---\n正文。\n"
        );
        assert_eq!(std::fs::read(backup_path(&path)).unwrap(), gbk.to_vec());
        // A second run finds UTF-8 and leaves everything alone, the backup included.
        assert_eq!(fix_encoding(&path).unwrap(), Fixed::AlreadyUtf8);
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }

    #[test]
    fn an_existing_backup_is_never_overwritten() {
        let (gbk, _, _) = encoding_rs::GBK.encode("标题");
        let path = temp("b.md", &gbk);
        std::fs::write(backup_path(&path), b"earlier original").unwrap();
        assert!(matches!(
            fix_encoding(&path),
            Err(EncodingError::BackupExists(_))
        ));
        assert_eq!(std::fs::read(&path).unwrap(), gbk.to_vec());
        assert_eq!(
            std::fs::read(backup_path(&path)).unwrap(),
            b"earlier original"
        );
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }

    #[test]
    fn binary_and_broken_files_are_left_alone() {
        let png = temp("x.png", &[0x89, b'P', b'N', b'G', 0, 0, 0xFF]);
        assert!(matches!(fix_encoding(&png), Err(EncodingError::NotText)));
        // 0x81 0x20 is no GB18030 sequence.
        let broken = temp("c.md", &[b'a', 0x81, 0x20]);
        assert!(matches!(fix_encoding(&broken), Err(EncodingError::NotText)));
        assert!(!backup_path(&broken).exists());
        for p in [png, broken] {
            std::fs::remove_dir_all(p.parent().unwrap()).unwrap();
        }
    }

    #[test]
    fn utf16_and_xml_declarations() {
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "<?xml version=\"1.0\" encoding=\"UTF-16\"?><svg/>".encode_utf16() {
            utf16.extend(unit.to_le_bytes());
        }
        let path = temp("d.svg", &utf16);
        assert!(matches!(
            fix_encoding(&path).unwrap(),
            Fixed::Converted { from: "UTF-16", .. }
        ));
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><svg/>"
        );
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }
}
