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

    /// Field-wise sum; a field is present if any part has it.
    pub fn plus(self, other: Counts) -> Counts {
        let add = |a: Option<u64>, b: Option<u64>| match (a, b) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
        };
        Counts {
            workshops: add(self.workshops, other.workshops),
            employed: add(self.employed, other.employed),
            poverty_alleviated: add(self.poverty_alleviated, other.poverty_alleviated),
            monitored: add(self.monitored, other.monitored),
            relocation_site: add(self.relocation_site, other.relocation_site),
        }
    }

    /// 脱贫人口 plus 监测对象 employed: what the second national target counts.
    pub fn target_people(&self) -> Option<u64> {
        match (self.poverty_alleviated, self.monitored) {
            (None, None) => None,
            (a, m) => Some(a.unwrap_or(0) + m.unwrap_or(0)),
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

/// National figures per year, oldest first.
pub fn national_by_year(records: &[WorkshopRecord]) -> Vec<YearFigures> {
    let latest = latest_per_year(records);
    let years: std::collections::BTreeSet<i32> = latest.keys().map(|(_, y)| *y).collect();
    years
        .into_iter()
        .map(|year| {
            if let Some(r) = latest.get(&(StatsRegion::National, year)) {
                return YearFigures {
                    year,
                    as_of: r.as_of,
                    counts: Counts::of(r),
                    basis: Basis::National,
                    scope: r.scope.clone(),
                    source: r.source.clone(),
                };
            }
            let parts: Vec<&&WorkshopRecord> = latest
                .iter()
                .filter(|((region, y), _)| *y == year && *region != StatsRegion::National)
                .map(|(_, r)| r)
                .collect();
            let counts = parts
                .iter()
                .fold(Counts::default(), |acc, r| acc.plus(Counts::of(r)));
            let as_of = parts.iter().map(|r| r.as_of).max().unwrap_or(Date {
                year,
                month: 12,
                day: 31,
            });
            YearFigures {
                year,
                as_of,
                counts,
                basis: Basis::ProvinceSum(parts.len()),
                scope: None,
                source: None,
            }
        })
        .collect()
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
        let change = |now: Option<u64>, before: Option<u64>| Some(now? as i64 - before? as i64);
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
