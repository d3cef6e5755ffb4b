//! URL segments from names: ASCII kept, Chinese turned into toneless pinyin
//! (`稳岗就业` → `wen-gang-jiu-ye`), everything else folded to single hyphens.

use pinyin::ToPinyin;

/// The longest slug, in characters. Far above any real one (`qiandongnan-foshan` is 18), and
/// low enough that a slug is always a legal file name on every file system.
pub const MAX_LEN: usize = 100;

/// A URL-safe slug for `text`.
pub fn slugify(text: &str) -> String {
    #[derive(PartialEq)]
    enum Last {
        Start,
        Ascii,
        Han,
        Separator,
    }
    let mut out = String::with_capacity(text.len());
    let mut last = Last::Start;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if matches!(last, Last::Han | Last::Separator) {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
            last = Last::Ascii;
        } else if let Some(py) = c.to_pinyin() {
            if last != Last::Start {
                out.push('-');
            }
            out.push_str(&py.plain().replace('ü', "v"));
            last = Last::Han;
        } else if last != Last::Start {
            last = Last::Separator;
        }
    }
    out
}

/// `slug` cut to at most [`MAX_LEN`] characters at a hyphen, for slugs the author never wrote
/// (tags): a 300-character tag keeps its name on the page and gets a URL that fits a file name.
pub fn shorten(slug: &str) -> &str {
    if slug.len() <= MAX_LEN {
        return slug;
    }
    // Slugs are ASCII, so a byte index is a character index.
    let head = &slug[..=MAX_LEN];
    match head.rfind('-') {
        Some(cut) if cut > 0 => &slug[..cut],
        _ => &slug[..MAX_LEN],
    }
}

/// True for slugs made of lowercase ASCII letters, digits and single inner hyphens.
pub fn is_valid(slug: &str) -> bool {
    !slug.is_empty()
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_becomes_pinyin() {
        assert_eq!(slugify("稳岗就业"), "wen-gang-jiu-ye");
        assert_eq!(slugify("5G 技术"), "5g-ji-shu");
        assert_eq!(slugify("Hello, World"), "hello-world");
        assert_eq!(slugify("吕梁山护工"), "lv-liang-shan-hu-gong");
    }

    #[test]
    fn long_slugs_are_shortened_at_a_hyphen() {
        assert_eq!(shorten("wen-gang"), "wen-gang");
        let long = slugify(&"长".repeat(300));
        let short = shorten(&long);
        assert!(short.len() <= MAX_LEN && is_valid(short), "{short}");
        assert_eq!(short, ["zhang"; 16].join("-"));
        assert_eq!(shorten(&"a".repeat(500)).len(), MAX_LEN);
    }

    #[test]
    fn validity() {
        assert!(is_valid("qiandongnan-foshan"));
        assert!(!is_valid("Qian"));
        assert!(!is_valid("a--b"));
        assert!(!is_valid("贵州"));
    }
}
