//! Calendar dates as authors write them (`2023-06-12`), validated, with a suggested fix for
//! the forms office software produces (`2023年6月12日`, `2023/6/12`).

use std::fmt;

/// A valid calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// Why a date was rejected, with the ISO form when the input was a recognisable date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadDate {
    pub suggestion: Option<String>,
}

impl Date {
    /// Builds a date if it exists in the calendar.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
            2 => 28,
            _ => return None,
        };
        ((1..=days).contains(&day) && (1900..=2200).contains(&year)).then_some(Date {
            year,
            month,
            day,
        })
    }

    /// Parses strict `YYYY-MM-DD`; anything else is an error that suggests the strict form.
    pub fn parse(input: &str) -> Result<Date, BadDate> {
        let input = input.trim();
        let strict =
            input.len() == 10 && input.as_bytes()[4] == b'-' && input.as_bytes()[7] == b'-';
        let parts = split_numbers(input);
        let date = match parts.as_slice() {
            // Converted without wrapping, so `2023/262/12` is not taken for June.
            [y, m, d] => match (i32::try_from(*y), u8::try_from(*m), u8::try_from(*d)) {
                (Ok(y), Ok(m), Ok(d)) => Date::new(y, m, d),
                _ => None,
            },
            _ => None,
        };
        match date {
            Some(date) if strict => Ok(date),
            Some(date) => Err(BadDate {
                suggestion: Some(date.to_string()),
            }),
            None => Err(BadDate { suggestion: None }),
        }
    }

    /// Today in Beijing time (UTC+8, China's one time zone all year): the date an author in
    /// China would write, whatever zone the machine is set to.
    pub fn today_in_beijing() -> Option<Date> {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_secs();
        let days = i64::try_from((secs + 8 * 3600) / 86_400).ok()?;
        Date::from_unix_days(days)
    }

    /// The date `days` days after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    pub fn from_unix_days(days: i64) -> Option<Date> {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::new(
            i32::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )
    }

    /// 31 December of `year`, the default `as_of` of a statistics record.
    pub fn year_end(year: i32) -> Option<Date> {
        Date::new(year, 12, 31)
    }

    /// `2023年6月12日`.
    pub fn chinese(&self) -> String {
        format!("{}年{}月{}日", self.year, self.month, self.day)
    }

    /// RFC 3339 at midnight Beijing time, for Atom feeds.
    pub fn rfc3339(&self) -> String {
        format!("{self}T00:00:00+08:00")
    }
}

fn split_numbers(input: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let mut current: Option<u32> = None;
    for c in input.chars() {
        match c.to_digit(10) {
            Some(d) => current = Some(current.unwrap_or(0).saturating_mul(10).saturating_add(d)),
            None if matches!(c, '-' | '/' | '.' | '年' | '月' | '日' | ' ') => {
                out.extend(current.take());
            }
            None => return Vec::new(),
        }
    }
    out.extend(current);
    out
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod calendar_tests {
    use super::*;

    #[test]
    fn days_since_the_epoch() {
        assert_eq!(Date::from_unix_days(0), Date::new(1970, 1, 1));
        assert_eq!(Date::from_unix_days(11_016), Date::new(2000, 2, 29));
        assert_eq!(Date::from_unix_days(19_520), Date::new(2023, 6, 12));
        assert_eq!(Date::from_unix_days(20_088), Date::new(2024, 12, 31));
        assert!(Date::today_in_beijing().is_some());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_iso_dates_parse() {
        assert_eq!(Date::parse("2024-02-29").unwrap().to_string(), "2024-02-29");
        assert!(Date::parse("2023-02-29").is_err());
        assert!(Date::parse("2023-13-01").is_err());
    }

    #[test]
    fn office_forms_get_a_suggestion() {
        for input in ["2023年6月12日", "2023/6/12", "2023.06.12", "2023-6-12"] {
            assert_eq!(
                Date::parse(input),
                Err(BadDate {
                    suggestion: Some("2023-06-12".into())
                }),
                "{input}"
            );
        }
        assert_eq!(Date::parse("六月"), Err(BadDate { suggestion: None }));
        assert_eq!(
            Date::parse("2023/262/12"),
            Err(BadDate { suggestion: None })
        );
    }
}
