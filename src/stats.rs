//! Aggregation of 就业帮扶车间 records: national figures per year, per-province series with
//! year-on-year change, the latest year's provincial table, and progress against the targets.
//!
//! All figures are stocks at a date (截至), so they are only ever summed across provinces within
//! one year, never across years. Where a year has a published 全国 record it is used as is;
//! otherwise the provinces are summed, and the result says which basis it used.

use std::collections::BTreeMap;

use crate::config::Targets;
use crate::date::Date;
use crate::model::{StatsRegion, WorkshopRecord};
use crate::province::Province;

/// Where a national figure comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// A published 全国 record.
    National,
    /// The sum of this many provinces' records.
    ProvinceSum(usize),
}

/// The counts of one record or one aggregate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub workshops: Option<u64>,
    pub employed: Option<u64>,
    pub poverty_alleviated: Option<u64>,
    pub monitored: Option<u64>,
    pub relocation_site: Option<u64>,
}

impl Counts {
    /// The counts of a record.
    pub fn of(r: &WorkshopRecord) -> Counts {
        Counts {
            workshops: r.workshops,
            employed: r.employed,
            poverty_alleviated: r.poverty_alleviated,
            monitored: r.monitored,
            relocation_site: r.relocation_site,
        }
    }

    /// Field-wise sum; a field is present if any part has it. Err names a field whose sum
    /// does not fit in a `u64`: a wrapped sum would publish a wrong figure.
    pub fn checked_plus(self, other: Counts) -> Result<Counts, &'static str> {
        let add = |field: &'static str, a: Option<u64>, b: Option<u64>| match (a, b) {
            (None, None) => Ok(None),
            (a, b) => a
                .unwrap_or(0)
                .checked_add(b.unwrap_or(0))
                .map(Some)
                .ok_or(field),
        };
        Ok(Counts {
            workshops: add("workshops", self.workshops, other.workshops)?,
            employed: add("employed", self.employed, other.employed)?,
            poverty_alleviated: add(
                "poverty_alleviated",
                self.poverty_alleviated,
                other.poverty_alleviated,
            )?,
            monitored: add("monitored", self.monitored, other.monitored)?,
            relocation_site: add(
                "relocation_site",
                self.relocation_site,
                other.relocation_site,
            )?,
        })
    }

    /// 脱贫人口 plus 监测对象 employed: what the second national target counts. None when
    /// neither is given, or (for records `load_site` has not checked) when the sum does not fit.
    pub fn target_people(&self) -> Option<u64> {
        match (self.poverty_alleviated, self.monitored) {
            (None, None) => None,
            (a, m) => a.unwrap_or(0).checked_add(m.unwrap_or(0)),
        }
    }
}

/// National figures for one year.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct YearFigures {
    pub year: i32,
    pub as_of: Date,
    pub counts: Counts,
    pub basis: Basis,
    pub scope: Option<String>,
    pub source: Option<String>,
}

/// One province's figures for one year, with the change from the year before.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ProvinceYear {
    pub province: Province,
    pub year: i32,
    pub as_of: Date,
    pub counts: Counts,
    /// Change in workshops from the previous year's record, if both exist.
    pub workshops_change: Option<i64>,
    /// Change in employed from the previous year's record, if both exist.
    pub employed_change: Option<i64>,
    pub source: Option<String>,
}

/// Progress of one figure against its target.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Progress {
    pub value: u64,
    pub target: u64,
    /// Whole percent, rounded down, so 99.9% never shows as 100%.
    pub percent: u64,
    pub met: bool,
}

impl Progress {
    /// `value` against `target`; a zero target counts as met.
    pub fn new(value: u64, target: u64) -> Progress {
        let percent = value.saturating_mul(100).checked_div(target).unwrap_or(100);
        Progress {
            value,
            target,
            percent,
            met: value >= target,
        }
    }
}

/// The latest record of each (region, year): later snapshots in a year supersede earlier ones.
fn latest_per_year(records: &[WorkshopRecord]) -> BTreeMap<(StatsRegion, i32), &WorkshopRecord> {
    let mut latest: BTreeMap<(StatsRegion, i32), &WorkshopRecord> = BTreeMap::new();
    for r in records {
        let slot = latest.entry((r.region, r.year)).or_insert(r);
        if r.as_of > slot.as_of {
            *slot = r;
        }
    }
    latest
}

/// A national figure that does not fit: the year, the field, and the records summed for it.
#[derive(Clone, Debug, PartialEq)]
pub struct SumOverflow {
    pub year: i32,
    pub field: &'static str,
    /// (content-relative file, line) of each record in the sum.
    pub records: Vec<(String, usize)>,
}

/// National figures per year, oldest first; Err names the first year whose sum does not fit.
pub fn checked_national_by_year(
    records: &[WorkshopRecord],
) -> Result<Vec<YearFigures>, SumOverflow> {
    let latest = latest_per_year(records);
    let years: std::collections::BTreeSet<i32> = latest.keys().map(|(_, y)| *y).collect();
    years
        .into_iter()
        .map(|year| year_figures(&latest, year))
        .collect()
}

/// National figures per year of a loaded site's records, oldest first. `load_site` has checked
/// every sum with [`checked_national_by_year`]; were one not to fit, no series is shown rather
/// than a wrong one.
pub fn national_by_year(records: &[WorkshopRecord]) -> Vec<YearFigures> {
    checked_national_by_year(records).unwrap_or_default()
}

/// One year's national figures: its 全国 record, or the sum of its provinces' latest records.
fn year_figures(
    latest: &BTreeMap<(StatsRegion, i32), &WorkshopRecord>,
    year: i32,
) -> Result<YearFigures, SumOverflow> {
    if let Some(r) = latest.get(&(StatsRegion::National, year)) {
        return Ok(YearFigures {
            year,
            as_of: r.as_of,
            counts: Counts::of(r),
            basis: Basis::National,
            scope: r.scope.clone(),
            source: r.source.clone(),
        });
    }
    let parts: Vec<&WorkshopRecord> = latest
        .iter()
        .filter(|((region, y), _)| *y == year && *region != StatsRegion::National)
        .map(|(_, r)| *r)
        .collect();
    let overflow = |field| SumOverflow {
        year,
        field,
        records: parts
            .iter()
            .map(|r| (r.origin.rel.clone(), r.line))
            .collect(),
    };
    let counts = parts.iter().try_fold(Counts::default(), |acc, r| {
        acc.checked_plus(Counts::of(r)).map_err(overflow)
    })?;
    if counts.poverty_alleviated.is_some()
        && counts.monitored.is_some()
        && counts.target_people().is_none()
    {
        return Err(overflow("poverty_alleviated"));
    }
    let as_of = parts.iter().map(|r| r.as_of).max().unwrap_or(Date {
        year,
        month: 12,
        day: 31,
    });
    Ok(YearFigures {
        year,
        as_of,
        counts,
        basis: Basis::ProvinceSum(parts.len()),
        scope: None,
        source: None,
    })
}

/// One province's figures per year, oldest first, with year-on-year changes.
pub fn province_series(records: &[WorkshopRecord], province: Province) -> Vec<ProvinceYear> {
    let mut out: Vec<ProvinceYear> = Vec::new();
    for ((region, year), r) in latest_per_year(records) {
        if region != StatsRegion::Province(province) {
            continue;
        }
        let counts = Counts::of(r);
        let prev = out.last().filter(|p| p.year == year - 1);
        let change = |now: Option<u64>, before: Option<u64>| {
            i64::try_from(now?)
                .ok()?
                .checked_sub(i64::try_from(before?).ok()?)
        };
        out.push(ProvinceYear {
            province,
            year,
            as_of: r.as_of,
            counts,
            workshops_change: prev.and_then(|p| change(counts.workshops, p.counts.workshops)),
            employed_change: prev.and_then(|p| change(counts.employed, p.counts.employed)),
            source: r.source.clone(),
        });
    }
    out
}

/// The most recent year with provincial records, and every province's figures that year.
pub fn latest_provinces(records: &[WorkshopRecord]) -> Option<(i32, Vec<ProvinceYear>)> {
    let year = records
        .iter()
        .filter(|r| r.region != StatsRegion::National)
        .map(|r| r.year)
        .max()?;
    let mut rows: Vec<ProvinceYear> = Province::all()
        .filter_map(|p| {
            province_series(records, p)
                .into_iter()
                .find(|y| y.year == year)
        })
        .collect();
    rows.sort_by(|a, b| {
        b.counts
            .workshops
            .cmp(&a.counts.workshops)
            .then(a.province.cmp(&b.province))
    });
    Some((year, rows))
}

/// Progress of the latest national year against the targets: (workshops, people).
pub fn progress(latest: &YearFigures, targets: &Targets) -> (Option<Progress>, Option<Progress>) {
    (
        latest
            .counts
            .workshops
            .map(|v| Progress::new(v, targets.workshops)),
        latest
            .counts
            .target_people()
            .map(|v| Progress::new(v, targets.poverty_alleviated)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;
    use crate::province;

    fn record(
        region: StatsRegion,
        year: i32,
        month: u8,
        workshops: u64,
        employed: u64,
    ) -> WorkshopRecord {
        WorkshopRecord {
            region,
            year,
            as_of: Date::new(year, month, 28).unwrap(),
            scope: None,
            workshops: Some(workshops),
            employed: Some(employed),
            poverty_alleviated: Some(employed / 2),
            monitored: Some(employed / 10),
            relocation_site: None,
            source: None,
            note: None,
            origin: Origin {
                rel: "stats/a.yaml".into(),
            },
            line: 1,
        }
    }

    fn p(name: &str) -> StatsRegion {
        StatsRegion::Province(province::parse(name).unwrap())
    }

    #[test]
    fn national_records_win_over_province_sums() {
        let records = vec![
            record(p("贵州"), 2023, 12, 10, 100),
            record(p("云南"), 2023, 12, 20, 200),
            record(StatsRegion::National, 2023, 12, 999, 9999),
            record(p("贵州"), 2024, 12, 11, 110),
            record(p("云南"), 2024, 12, 21, 210),
        ];
        let n = national_by_year(&records);
        assert_eq!(n.len(), 2);
        assert_eq!(
            (n[0].basis, n[0].counts.workshops),
            (Basis::National, Some(999))
        );
        assert_eq!(
            (n[1].basis, n[1].counts.workshops),
            (Basis::ProvinceSum(2), Some(32))
        );
    }

    #[test]
    fn later_snapshot_in_a_year_supersedes_and_years_never_mix() {
        let records = vec![
            record(p("贵州"), 2023, 6, 5, 50),
            record(p("贵州"), 2023, 12, 10, 100),
            record(p("贵州"), 2022, 12, 8, 80),
        ];
        let n = national_by_year(&records);
        assert_eq!(
            n.iter().map(|y| y.counts.workshops).collect::<Vec<_>>(),
            vec![Some(8), Some(10)]
        );
        let s = province_series(&records, province::parse("贵州").unwrap());
        assert_eq!(s[1].workshops_change, Some(2));
        assert_eq!(s[0].workshops_change, None);
    }

    #[test]
    fn a_sum_that_does_not_fit_names_its_records() {
        let mut records: Vec<WorkshopRecord> = ["贵州", "云南", "四川", "甘肃"]
            .iter()
            .map(|name| record(p(name), 2023, 12, i64::MAX as u64, 1))
            .collect();
        for (i, r) in records.iter_mut().enumerate() {
            r.line = i + 1;
        }
        let err = checked_national_by_year(&records).unwrap_err();
        assert_eq!((err.year, err.field), (2023, "workshops"));
        assert_eq!(err.records.len(), 4);
        assert!(err.records.contains(&("stats/a.yaml".to_owned(), 3)));
        assert_eq!(national_by_year(&records), Vec::new(), "no wrapped figure");
        // Two records still fit: the sum is exact, not wrapped.
        let two = checked_national_by_year(&records[..2]).unwrap();
        assert_eq!(two[0].counts.workshops, Some(u64::MAX - 1));
    }

    #[test]
    fn target_people_does_not_wrap() {
        let counts = Counts {
            poverty_alleviated: Some(u64::MAX),
            monitored: Some(1),
            ..Counts::default()
        };
        assert_eq!(counts.target_people(), None);
    }

    #[test]
    fn progress_rounds_down() {
        assert_eq!(Progress::new(29_999, 30_000).percent, 99);
        assert!(!Progress::new(29_999, 30_000).met);
        assert!(Progress::new(38_074, 30_000).met);
    }

    /// Property: for random province records, each year's national sum equals the sum of that
    /// year's latest provincial records, and no figure of one year leaks into another.
    #[test]
    fn property_sums_equal_parts_per_year() {
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let provinces: Vec<Province> = Province::all().take(30).collect();
        for _ in 0..200 {
            let mut records = Vec::new();
            for &prov in &provinces {
                for year in 2020..2025 {
                    if next(3) == 0 {
                        continue;
                    }
                    for month in [6u8, 12] {
                        if next(2) == 0 {
                            records.push(record(
                                StatsRegion::Province(prov),
                                year,
                                month,
                                next(5000),
                                next(100_000),
                            ));
                        }
                    }
                }
            }
            let national = national_by_year(&records);
            for y in &national {
                let expected: u64 = provinces
                    .iter()
                    .filter_map(|&prov| {
                        records
                            .iter()
                            .filter(|r| r.region == StatsRegion::Province(prov) && r.year == y.year)
                            .max_by_key(|r| r.as_of)
                            .and_then(|r| r.workshops)
                    })
                    .sum();
                assert_eq!(y.counts.workshops, Some(expected));
                assert!(y.as_of.year == y.year, "as_of stays in its year");
            }
            let years: Vec<i32> = national.iter().map(|y| y.year).collect();
            let mut sorted = years.clone();
            sorted.dedup();
            assert_eq!(years, sorted, "one figure per year");
        }
    }
}
