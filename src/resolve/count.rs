//! Numbers as authors write them: counts, years and issue numbers, each checked against a
//! documented range, and text such as "3.4万" or "二〇二五" that gets a precise hint.
//!
//! The upper bounds are far above any real figure; they exist so that a typo or a hostile value
//! (9223372036854775807) is named as a content error instead of wrapping a sum or failing later
//! in a template.

use serde_json::Value;

use crate::problem::Problem;

pub use crate::limits::{MAX_COUNT, MAX_ISSUE, YEARS};

/// A YAML number, as far as the range checks need to know.
enum Written {
    /// An integer from 0 to `u64::MAX`.
    Whole(u64),
    /// A float with no fraction: `1e30`, or an integer too large for `u64` that YAML read as one.
    WholeFloat(f64),
    Negative,
    /// Text, a fraction or anything else that is not an integer.
    Other,
}

fn written(value: &Value) -> Written {
    let Value::Number(n) = value else {
        return Written::Other;
    };
    if let Some(u) = n.as_u64() {
        return Written::Whole(u);
    }
    match n.as_f64() {
        _ if n.as_i64().is_some() => Written::Negative,
        Some(f) if f < 0.0 => Written::Negative,
        Some(f) if f.is_finite() && f.fract() == 0.0 => Written::WholeFloat(f),
        _ => Written::Other,
    }
}

/// The value as the author can recognise it in a message.
fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A non-negative integer count up to [`MAX_COUNT`], or the problem with what was written.
pub fn parse_count(value: &Value) -> Result<u64, Problem> {
    let too_large = || Problem::CountTooLarge {
        value: shown(value),
        max: MAX_COUNT,
    };
    match written(value) {
        Written::Whole(n) if n <= MAX_COUNT => Ok(n),
        Written::Whole(_) => Err(too_large()),
        Written::WholeFloat(f) if f > MAX_COUNT as f64 => Err(too_large()),
        Written::WholeFloat(f) => Err(Problem::NotANumber {
            value: shown(value),
            suggestion: Some(format!("{f:.0}")),
        }),
        Written::Negative => Err(Problem::NegativeCount),
        Written::Other => Err(Problem::NotANumber {
            value: shown(value),
            suggestion: match value {
                Value::String(s) => suggest_integer(s).filter(|n| *n <= MAX_COUNT),
                _ => None,
            }
            .map(|n| n.to_string()),
        }),
    }
}

/// A year in [`YEARS`]; `二〇二五`, `２０２５` and `2025年` get the hint `year: 2025`.
pub fn parse_year(value: &Value) -> Result<u64, Problem> {
    match written(value) {
        Written::Whole(n) if YEARS.contains(&n) => Ok(n),
        _ => Err(Problem::BadYear {
            value: shown(value),
            suggestion: match value {
                Value::String(s) => suggest_year(s),
                _ => None,
            },
        }),
    }
}

/// An issue number from 1 to [`MAX_ISSUE`] (`issue`, `total_issue`).
pub fn parse_issue(value: &Value) -> Result<u64, Problem> {
    let out_of_range = || Problem::IssueOutOfRange {
        value: shown(value),
        max: MAX_ISSUE,
    };
    match written(value) {
        Written::Whole(n) if (1..=MAX_ISSUE).contains(&n) => Ok(n),
        Written::Whole(_) | Written::WholeFloat(_) | Written::Negative => Err(out_of_range()),
        Written::Other => Err(Problem::NotANumber {
            value: shown(value),
            suggestion: match value {
                Value::String(s) => {
                    let inner = s.trim().trim_start_matches('第').trim_end_matches('期');
                    suggest_integer(inner).filter(|n| (1..=MAX_ISSUE).contains(n))
                }
                _ => None,
            }
            .map(|n| n.to_string()),
        }),
    }
}

/// The integer meant by "3.4万", "34,000", "34000人" or "1.2亿".
fn suggest_integer(text: &str) -> Option<u64> {
    let t: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | ' '))
        .collect();
    let t = t.trim_end_matches(['人', '个', '次', '家', '名', '余', '多']);
    let t = t.trim_end_matches(['人', '个', '次']);
    let (digits, factor) = if let Some(d) = t.strip_suffix('万') {
        (d, 10_000.0)
    } else if let Some(d) = t.strip_suffix('亿') {
        (d, 100_000_000.0)
    } else {
        (t, 1.0)
    };
    let n: f64 = digits.parse().ok()?;
    let v = (n * factor).round();
    (v >= 0.0 && (v - n * factor).abs() < 0.5 && v < 1e15).then_some(v as u64)
}

/// The year meant by `二〇二五`, `二零二五年`, `２０２５` or `2025年`, if it is in [`YEARS`].
fn suggest_year(text: &str) -> Option<String> {
    let digits: Option<String> = text
        .trim()
        .trim_end_matches('年')
        .chars()
        .map(|c| match c {
            '〇' | '○' | '零' | '０' => Some('0'),
            '一' => Some('1'),
            '二' => Some('2'),
            '三' => Some('3'),
            '四' => Some('4'),
            '五' => Some('5'),
            '六' => Some('6'),
            '七' => Some('7'),
            '八' => Some('8'),
            '九' => Some('9'),
            '１'..='９' => char::from_u32(c as u32 - '１' as u32 + '1' as u32),
            '0'..='9' => Some(c),
            _ => None,
        })
        .collect();
    let digits = digits.filter(|d| d.len() == 4)?;
    let year: u64 = digits.parse().ok()?;
    YEARS.contains(&year).then(|| year.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn counts() {
        assert!(matches!(parse_count(&json!(34000)), Ok(34000)));
        assert!(matches!(
            parse_count(&json!(-1)),
            Err(Problem::NegativeCount)
        ));
        assert!(matches!(
            parse_count(&json!(1.5)),
            Err(Problem::NotANumber {
                suggestion: None,
                ..
            })
        ));
    }

    #[test]
    fn counts_have_an_upper_bound() {
        assert!(matches!(parse_count(&json!(MAX_COUNT)), Ok(MAX_COUNT)));
        let too_large = |v: Value| match parse_count(&v) {
            Err(Problem::CountTooLarge { value, max }) => (value, max),
            other => panic!("{v} gave {other:?}"),
        };
        assert_eq!(too_large(json!(MAX_COUNT + 1)).0, "1000000001");
        assert_eq!(too_large(json!(i64::MAX)).0, "9223372036854775807");
        assert_eq!(too_large(json!(1u64 << 63)).0, "9223372036854775808");
        assert_eq!(too_large(json!(u64::MAX)).1, MAX_COUNT);
        assert_eq!(too_large(json!(1e30)).0, "1e+30");
        assert!(matches!(
            parse_count(&json!(-1e30)),
            Err(Problem::NegativeCount)
        ));
        assert!(matches!(
            parse_count(&json!(f64::NAN)),
            Err(Problem::NotANumber { .. })
        ));
    }

    #[test]
    fn text_numbers_get_hints() {
        let hint = |s: &str| match parse_count(&json!(s)) {
            Err(Problem::NotANumber { suggestion, .. }) => suggestion,
            _ => panic!("{s} accepted"),
        };
        assert_eq!(hint("3.4万").as_deref(), Some("34000"));
        assert_eq!(hint("34,000").as_deref(), Some("34000"));
        assert_eq!(hint("4.5万人").as_deref(), Some("45000"));
        assert_eq!(hint("很多"), None);
        assert_eq!(hint("20亿"), None, "no hint beyond the bound");
    }

    #[test]
    fn years_are_in_range_and_chinese_numerals_get_hints() {
        assert!(matches!(parse_year(&json!(2025)), Ok(2025)));
        let hint = |v: Value| match parse_year(&v) {
            Err(Problem::BadYear { suggestion, .. }) => suggestion,
            other => panic!("{v} gave {other:?}"),
        };
        assert_eq!(hint(json!("二〇二五")).as_deref(), Some("2025"));
        assert_eq!(hint(json!("二零二五年")).as_deref(), Some("2025"));
        assert_eq!(hint(json!("２０２５")).as_deref(), Some("2025"));
        assert_eq!(hint(json!("2025年")).as_deref(), Some("2025"));
        assert_eq!(hint(json!("二〇二")), None);
        assert_eq!(hint(json!(-1)), None);
        assert_eq!(hint(json!(1899)), None);
        assert_eq!(hint(json!(2201)), None);
        assert_eq!(hint(json!(u64::MAX)), None);
    }

    #[test]
    fn issues_start_at_one_and_have_an_upper_bound() {
        assert!(matches!(parse_issue(&json!(1)), Ok(1)));
        assert!(matches!(parse_issue(&json!(MAX_ISSUE)), Ok(MAX_ISSUE)));
        for v in [json!(0), json!(-1), json!(MAX_ISSUE + 1), json!(1e30)] {
            assert!(
                matches!(parse_issue(&v), Err(Problem::IssueOutOfRange { .. })),
                "{v}"
            );
        }
        assert!(matches!(
            parse_issue(&json!("第3期")),
            Err(Problem::NotANumber { suggestion: Some(s), .. }) if s == "3"
        ));
    }
}
