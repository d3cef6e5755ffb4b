//! Counts as authors write them: integers, or text such as "3.4万" that gets a precise hint.

use serde_json::Value;

use crate::problem::Problem;

/// A non-negative integer count, or the problem with what was written.
pub fn parse_count(value: &Value) -> Result<u64, Problem> {
    match value {
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                Ok(u)
            } else if n.as_i64().is_some_and(|i| i < 0) || n.as_f64().is_some_and(|f| f < 0.0) {
                Err(Problem::NegativeCount)
            } else {
                Err(Problem::NotANumber {
                    value: n.to_string(),
                    suggestion: None,
                })
            }
        }
        Value::String(s) => Err(Problem::NotANumber {
            value: s.clone(),
            suggestion: suggest_integer(s),
        }),
        other => Err(Problem::NotANumber {
            value: other.to_string(),
            suggestion: None,
        }),
    }
}

/// The integer meant by "3.4万", "34,000", "34000人" or "1.2亿", as digits.
fn suggest_integer(text: &str) -> Option<String> {
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
    (v >= 0.0 && (v - n * factor).abs() < 0.5 && v < 1e15).then(|| format!("{}", v as u64))
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
    fn text_numbers_get_hints() {
        let hint = |s: &str| match parse_count(&json!(s)) {
            Err(Problem::NotANumber { suggestion, .. }) => suggestion,
            _ => panic!("{s} accepted"),
        };
        assert_eq!(hint("3.4万").as_deref(), Some("34000"));
        assert_eq!(hint("34,000").as_deref(), Some("34000"));
        assert_eq!(hint("4.5万人").as_deref(), Some("45000"));
        assert_eq!(hint("很多"), None);
    }
}
