//! `content/stats/**/*.yaml`: 就业帮扶车间 records, validated one by one and against each other.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::date::Date;
use crate::diagnostic::{Diagnostics, Place};
use crate::frontmatter::{Field, Number, RawStatRecord, parse_mapping_list};
use crate::model::{Origin, StatsRegion, WorkshopRecord};
use crate::problem::Problem;
use crate::province;
use crate::source::read_text;
use crate::stats::{SumOverflow, checked_national_by_year};

use super::{SitePaths, parse_count, parse_year};

/// Reads and validates every statistics file; records sorted by date, then region.
pub(crate) fn load_stats(
    paths: &SitePaths,
    files: &[String],
    diags: &mut Diagnostics,
) -> Vec<WorkshopRecord> {
    let mut records = Vec::new();
    for rel in files {
        let Some(file) = read_text(&paths.content, rel, &paths.shown, diags) else {
            continue;
        };
        let Some(items) = parse_mapping_list(&file.text, &file.shown, diags) else {
            continue;
        };
        if items.is_empty() {
            diags.report(Place::file(&file.shown), Problem::EmptyStatsFile);
        }
        for (line, entries) in items {
            let raw = RawStatRecord::from_entries(entries, &file.shown, diags);
            if let Some(r) = resolve_record(raw, rel, &file.shown, line, diags) {
                records.push(r);
            }
        }
    }
    let mut seen: HashMap<(StatsRegion, Date), (PathBuf, usize)> = HashMap::new();
    for r in &records {
        let shown = paths.shown.join(&r.origin.rel);
        if let Some((other, other_line)) = seen.get(&(r.region, r.as_of)) {
            let region = region_name(r.region);
            diags.report(
                Place::line(&shown, r.line),
                Problem::DuplicateRecord {
                    province: region,
                    as_of: r.as_of.to_string(),
                    other: format!("{}:{other_line}", other.display()),
                },
            );
        } else {
            seen.insert((r.region, r.as_of), (shown, r.line));
        }
    }
    if let Err(overflow) = checked_national_by_year(&records) {
        report_overflow(paths, overflow, diags);
    }
    records.sort_by_key(|r| (r.as_of, r.region));
    records
}

/// A national sum that does not fit, reported at the first record summed and naming them all.
/// The bound on counts makes this unreachable today; the check stays so a later change to the
/// bound cannot bring back a wrapped headline.
fn report_overflow(paths: &SitePaths, overflow: SumOverflow, diags: &mut Diagnostics) {
    let SumOverflow {
        year,
        field,
        records,
    } = overflow;
    let shown: Vec<String> = records
        .iter()
        .map(|(rel, line)| format!("{}:{line}", paths.shown.join(rel).display()))
        .collect();
    let place = match records.first() {
        Some((rel, line)) => Place::field(&paths.shown.join(rel), *line, field),
        None => Place::file(&paths.shown),
    };
    diags.report(
        place,
        Problem::SumOverflow {
            year,
            records: shown,
        },
    );
}

/// The name shown for a region: 全国 or the province's full name.
pub fn region_name(region: StatsRegion) -> String {
    match region {
        StatsRegion::National => "全国".to_owned(),
        StatsRegion::Province(p) => p.name().to_owned(),
    }
}

fn resolve_record(
    raw: RawStatRecord,
    rel: &str,
    shown: &std::path::Path,
    line: usize,
    diags: &mut Diagnostics,
) -> Option<WorkshopRecord> {
    let RawStatRecord {
        year,
        province,
        as_of,
        scope,
        workshops,
        employed,
        poverty_alleviated,
        monitored,
        relocation_site,
        source,
        note,
        unreadable,
    } = raw;
    let mut report =
        |l: usize, field: &'static str, p: Problem| diags.report(Place::field(shown, l, field), p);
    let region = match province {
        None if unreadable.contains(&"province") => None,
        None => {
            report(line, "province", Problem::MissingField);
            None
        }
        Some(f) if matches!(f.value.as_str(), "全国" | "全國" | "national") => {
            Some(StatsRegion::National)
        }
        Some(f) => match province::parse(&f.value) {
            Ok(p) => Some(StatsRegion::Province(p)),
            Err(e) => {
                let suggestion = e.suggestion.map(|p| p.name().to_owned());
                report(
                    f.line,
                    "province",
                    Problem::UnknownProvince {
                        value: f.value,
                        suggestion,
                    },
                );
                None
            }
        },
    };
    let mut number = |f: Option<Field<Number>>,
                      field: &'static str,
                      parse: fn(&serde_json::Value) -> Result<u64, Problem>,
                      ok: &mut bool|
     -> Option<u64> {
        let f = f?;
        match parse(&f.value.0) {
            Ok(n) => Some(n),
            Err(p) => {
                *ok = false;
                report(f.line, field, p);
                None
            }
        }
    };
    let mut counts_ok = true;
    let year_line = year.as_ref().map(|f| f.line);
    // `parse_year` keeps years within 1900..=2200, so they fit an i32.
    let year = number(year, "year", parse_year, &mut counts_ok).and_then(|y| i32::try_from(y).ok());
    let workshops = number(workshops, "workshops", parse_count, &mut counts_ok);
    let employed_line = employed.as_ref().map_or(line, |f| f.line);
    let employed = number(employed, "employed", parse_count, &mut counts_ok);
    let poverty_alleviated = number(
        poverty_alleviated,
        "poverty_alleviated",
        parse_count,
        &mut counts_ok,
    );
    let monitored = number(monitored, "monitored", parse_count, &mut counts_ok);
    let relocation_site = number(
        relocation_site,
        "relocation_site",
        parse_count,
        &mut counts_ok,
    );
    let as_of = match as_of {
        Some(f) => match Date::parse(&f.value) {
            Ok(d) => Some(d),
            Err(e) => {
                report(
                    f.line,
                    "as_of",
                    Problem::BadDate {
                        value: f.value,
                        suggestion: e.suggestion,
                    },
                );
                None
            }
        },
        None => match year {
            Some(y) => Date::year_end(y),
            None => {
                if counts_ok && !unreadable.contains(&"year") {
                    report(line, "year", Problem::MissingField);
                }
                None
            }
        },
    };
    if let (Some(y), Some(d)) = (year, as_of)
        && y != d.year
    {
        report(
            year_line.unwrap_or(line),
            "year",
            Problem::YearMismatch {
                year: i64::from(y),
                as_of: d.to_string(),
            },
        );
    }
    if counts_ok
        && [
            workshops,
            employed,
            poverty_alleviated,
            monitored,
            relocation_site,
        ]
        .iter()
        .all(Option::is_none)
    {
        report(line, "workshops", Problem::NoCounts);
    }
    if let (Some(e), Some(a), Some(m)) = (employed, poverty_alleviated, monitored)
        && a.checked_add(m).is_none_or(|shares| shares > e)
    {
        report(
            employed_line,
            "employed",
            Problem::SharesExceedEmployed {
                alleviated: a,
                monitored: m,
                employed: e,
            },
        );
    }
    let (region, as_of) = (region?, as_of?);
    Some(WorkshopRecord {
        region,
        year: as_of.year,
        as_of,
        scope: scope.map(|f| f.value).filter(|s| !s.is_empty()),
        workshops,
        employed,
        poverty_alleviated,
        monitored,
        relocation_site,
        source: source.map(|f| f.value).filter(|s| !s.is_empty()),
        note: note.map(|f| f.value).filter(|s| !s.is_empty()),
        origin: Origin {
            rel: rel.to_owned(),
        },
        line,
    })
}
