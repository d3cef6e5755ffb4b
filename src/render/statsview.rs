//! Statistics as the theme shows them: headline progress, charts (as data for the theme's
//! chart templates), tables with year-on-year change, and the open-data downloads (CSV with BOM,
//! JSON).

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use crate::chart::{Chart, ChartText, TileMap, bar_chart, tile_map, time_chart};
use crate::model::{Site, StatsRegion};
use crate::province::Province;
use crate::stats::{
    Basis, Counts, Progress, ProvinceYear, YearFigures, latest_provinces, national_by_year,
    progress, province_series,
};

use crate::texts::{Texts, texts};

/// One target's progress, ready to show.
#[derive(Debug, Serialize)]
pub struct ProgressView {
    pub label: &'static str,
    pub value: u64,
    pub target: u64,
    pub percent: u64,
    /// Percent capped at 100, for drawing a bar.
    pub bar: u64,
    pub met: bool,
    pub status: &'static str,
}

/// The latest national year against the targets.
#[derive(Debug, Serialize)]
pub struct Headline {
    pub year: i32,
    pub as_of: String,
    /// 全国数据 or 各省合计（N个省份）.
    pub basis: String,
    pub scope: Option<String>,
    pub source: Option<String>,
    pub items: Vec<ProgressView>,
}

/// A year of national figures as a table row.
#[derive(Debug, Serialize)]
pub struct NationalRow {
    pub year: i32,
    pub as_of: String,
    /// `截至10月31日` when the figure is not a year-end one, for the row's header.
    pub as_of_note: Option<String>,
    /// The counts, flattened: templates read `row.workshops`, `row.employed` …
    #[serde(flatten)]
    pub counts: Counts,
    pub basis: String,
    pub scope: Option<String>,
    pub source: Option<String>,
}

/// A province-year as a table row.
#[derive(Debug, Serialize)]
pub struct ProvinceRow {
    pub province: String,
    pub url: Option<String>,
    pub year: i32,
    pub as_of: String,
    /// The counts, flattened: templates read `row.workshops`, `row.employed` …
    #[serde(flatten)]
    pub counts: Counts,
    /// Signed change from the previous year, as text (`+120`, `−35`).
    pub workshops_change: Option<String>,
    pub employed_change: Option<String>,
    pub source: Option<String>,
}

/// Everything `/stats/` shows.
#[derive(Debug, Serialize, Default)]
pub struct StatsParts {
    pub headline: Option<Headline>,
    pub workshops_chart: Option<Chart>,
    pub people_chart: Option<Chart>,
    pub national: Vec<NationalRow>,
    /// Basis, scope and source of the national rows, one line for each run of years that share
    /// them (`2021至2022年：全国数据；口径：中西部22省份；来源：…`), so the table stays narrow.
    pub national_notes: Vec<String>,
    pub latest_year: Option<i32>,
    pub province_chart: Option<Chart>,
    pub tile_chart: Option<TileMap>,
    pub provinces: Vec<ProvinceRow>,
    pub sources: Vec<String>,
}

fn basis_label(t: &Texts, basis: Basis) -> String {
    match basis {
        Basis::National => t.basis_national.to_owned(),
        Basis::ProvinceSum(n) => t.basis_sum.replace("{n}", &n.to_string()),
    }
}

fn signed(change: Option<i64>) -> Option<String> {
    change.map(|c| match c {
        c if c > 0 => format!("+{}", crate::theme::thousands(c)),
        0 => "0".to_owned(),
        c => format!("−{}", crate::theme::thousands(-c)),
    })
}

fn progress_view(t: &'static Texts, label: &'static str, p: Progress) -> ProgressView {
    ProgressView {
        label,
        value: p.value,
        target: p.target,
        percent: p.percent,
        bar: p.percent.min(100),
        met: p.met,
        status: if p.met { t.met } else { t.not_met },
    }
}

/// National headline progress, if there are any statistics.
pub fn headline(site: &Site) -> Option<Headline> {
    let t = texts(site.config.language);
    let national = national_by_year(&site.stats);
    let latest: &YearFigures = national.last()?;
    let (workshops, people) = progress(latest, &site.config.targets);
    let items = workshops
        .map(|p| progress_view(t, t.trend_workshops, p))
        .into_iter()
        .chain(people.map(|p| progress_view(t, t.people_target, p)))
        .collect();
    Some(Headline {
        year: latest.year,
        as_of: latest.as_of.to_string(),
        basis: basis_label(t, latest.basis),
        scope: latest.scope.clone(),
        source: latest.source.clone(),
        items,
    })
}

/// A province's name in the site's language: short (`贵州`) for chart labels, full otherwise.
fn province_label(site: &Site, p: Province, short: bool) -> String {
    match (site.config.language, short) {
        (crate::problem::Lang::Zh, true) => p.short().to_owned(),
        (crate::problem::Lang::Zh, false) => p.name().to_owned(),
        (crate::problem::Lang::En, _) => p.name_en().to_owned(),
    }
}

/// A province's hub page; only provinces with content have one, the others are named, not linked.
fn hub_url(site: &Site, p: Province) -> Option<String> {
    site.taxonomies
        .provinces
        .contains_key(&p)
        .then(|| site.config.base_url.local(&crate::routes::province_dir(p)))
}

/// `截至10月31日` for a figure that is not a year-end one; None for `YEAR-12-31`.
fn as_of_note(t: &Texts, year: i32, as_of: &str) -> Option<String> {
    if as_of == format!("{year}-12-31") {
        return None;
    }
    Some(format!("{} {as_of}", t.as_of))
}

/// One line per run of consecutive years sharing basis, scope and source.
fn national_notes(t: &Texts, national: &[YearFigures]) -> Vec<String> {
    let mut runs: Vec<(i32, i32, &YearFigures)> = Vec::new();
    for y in national {
        match runs.last_mut() {
            Some((_, last, first))
                if first.basis == y.basis && first.scope == y.scope && first.source == y.source =>
            {
                *last = y.year;
            }
            _ => runs.push((y.year, y.year, y)),
        }
    }
    runs.into_iter()
        .map(|(from, to, y)| {
            let years = if from == to {
                t.year_label.replace("{y}", &from.to_string())
            } else {
                t.years_label
                    .replace("{from}", &from.to_string())
                    .replace("{to}", &to.to_string())
            };
            let mut line = format!("{years}{}{}", t.colon, basis_label(t, y.basis));
            if let Some(scope) = &y.scope {
                line.push_str(&format!("{}{}{}{scope}", t.semicolon, t.scope, t.colon));
            }
            if let Some(source) = &y.source {
                line.push_str(&format!("{}{}{}{source}", t.semicolon, t.source, t.colon));
            }
            line
        })
        .collect()
}

fn province_row(site: &Site, y: &ProvinceYear) -> ProvinceRow {
    ProvinceRow {
        province: province_label(site, y.province, false),
        url: hub_url(site, y.province),
        year: y.year,
        as_of: y.as_of.to_string(),
        counts: y.counts,
        workshops_change: signed(y.workshops_change),
        employed_change: signed(y.employed_change),
        source: y.source.clone(),
    }
}

/// The parts of `/stats/`.
pub fn stats_parts(site: &Site) -> StatsParts {
    let t = texts(site.config.language);
    let national = national_by_year(&site.stats);
    if site.stats.is_empty() {
        return StatsParts::default();
    }
    let targets = &site.config.targets;
    let workshops: Vec<(String, u64)> = national
        .iter()
        .filter_map(|y| Some((y.year.to_string(), y.counts.workshops?)))
        .collect();
    let people: Vec<(String, u64)> = national
        .iter()
        .filter_map(|y| Some((y.year.to_string(), y.counts.target_people()?)))
        .collect();
    let workshops_chart = (!workshops.is_empty()).then(|| {
        time_chart(
            &ChartText {
                id: "chart-workshops",
                title: t.trend_workshops,
                note: t.trend_desc,
            },
            &workshops,
            Some((targets.workshops, t.target)),
        )
    });
    let people_chart = (!people.is_empty()).then(|| {
        time_chart(
            &ChartText {
                id: "chart-people",
                title: t.people_target,
                note: t.trend_desc,
            },
            &people,
            Some((targets.poverty_alleviated, t.target)),
        )
    });
    let latest = latest_provinces(&site.stats);
    let (latest_year, rows) = latest.map_or((None, Vec::new()), |(y, r)| (Some(y), r));
    let bars: Vec<(String, u64)> = rows
        .iter()
        .filter_map(|r| Some((province_label(site, r.province, true), r.counts.workshops?)))
        .collect();
    let province_chart = (!bars.is_empty()).then(|| {
        bar_chart(
            &ChartText {
                id: "chart-provinces",
                title: t.by_province,
                note: t.bars_desc,
            },
            &bars,
        )
    });
    let tiles: Vec<(Province, u64)> = rows
        .iter()
        .filter_map(|r| Some((r.province, r.counts.workshops?)))
        .collect();
    let tile_chart = (!tiles.is_empty()).then(|| {
        tile_map(
            &ChartText {
                id: "chart-tiles",
                title: t.by_province_tiles,
                note: t.schematic_note,
            },
            &tiles,
            site.config.language,
            |p| hub_url(site, p),
        )
    });
    let mut sources: Vec<String> = site.stats.iter().filter_map(|r| r.source.clone()).collect();
    sources.sort();
    sources.dedup();
    StatsParts {
        headline: headline(site),
        workshops_chart,
        people_chart,
        national_notes: national_notes(t, &national),
        national: national
            .iter()
            .map(|y| NationalRow {
                year: y.year,
                as_of: y.as_of.to_string(),
                as_of_note: as_of_note(t, y.year, &y.as_of.to_string()),
                counts: y.counts,
                basis: basis_label(t, y.basis),
                scope: y.scope.clone(),
                source: y.source.clone(),
            })
            .collect(),
        latest_year,
        province_chart,
        tile_chart,
        provinces: rows.iter().map(|r| province_row(site, r)).collect(),
        sources,
    }
}

/// A province hub's statistics: a small trend chart and rows with year-on-year change.
pub fn province_parts(site: &Site, province: Province) -> (Option<Chart>, Vec<ProvinceRow>) {
    let t = texts(site.config.language);
    let series = province_series(&site.stats, province);
    let points: Vec<(String, u64)> = series
        .iter()
        .filter_map(|y| Some((y.year.to_string(), y.counts.workshops?)))
        .collect();
    let title = format!(
        "{}{}{}",
        province_label(site, province, true),
        t.dot,
        t.trend_workshops
    );
    let chart = (points.len() > 1).then(|| {
        time_chart(
            &ChartText {
                id: "chart-province",
                title: &title,
                note: t.province_trend_desc,
            },
            &points,
            None,
        )
    });
    (
        chart,
        series.iter().map(|y| province_row(site, y)).collect(),
    )
}

/// Brand counts as a tile grid (by province) and a bar chart (by category).
pub fn brand_charts(site: &Site) -> (Option<TileMap>, Option<Chart>) {
    if site.brands.is_empty() {
        return (None, None);
    }
    let t = texts(site.config.language);
    let mut by_province: BTreeMap<Province, u64> = BTreeMap::new();
    let mut by_category: BTreeMap<&str, u64> = BTreeMap::new();
    for b in &site.brands {
        *by_province.entry(b.province).or_default() += 1;
        *by_category.entry(b.category.as_str()).or_default() += 1;
    }
    let tiles: Vec<(Province, u64)> = by_province.into_iter().collect();
    let mut categories: Vec<(String, u64)> = by_category
        .into_iter()
        .map(|(c, n)| (c.to_owned(), n))
        .collect();
    categories.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    (
        Some(tile_map(
            &ChartText {
                id: "chart-brand-tiles",
                title: t.brands_by_province,
                note: t.schematic_note,
            },
            &tiles,
            site.config.language,
            |p| hub_url(site, p),
        )),
        Some(bar_chart(
            &ChartText {
                id: "chart-brand-categories",
                title: t.brands_by_category,
                note: "",
            },
            &categories,
        )),
    )
}

fn csv_field(out: &mut String, value: &str) {
    let value = neutralise_csv_cell(value);
    if value.contains([',', '"', '\n', '\r', '\'']) {
        let _ = write!(out, "\"{}\"", value.replace('"', "\"\""));
    } else {
        out.push_str(&value);
    }
}

/// A cell Excel and LibreOffice will not run as a formula, as OWASP recommends: one starting
/// with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'` (and is then quoted).
/// The full-width forms count too, since spreadsheets in a Chinese locale accept them as
/// operators. Counts are never negative, so no number loses its sign.
fn neutralise_csv_cell(value: &str) -> std::borrow::Cow<'_, str> {
    let formula_start = |c: char| {
        matches!(
            c,
            '=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠'
        )
    };
    if value.starts_with(formula_start) {
        std::borrow::Cow::Owned(format!("'{value}"))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

/// Header of `workshops.csv`: Chinese and English in each cell.
pub const CSV_HEADER: [&str; 11] = [
    "地区 region",
    "年份 year",
    "截至 as_of",
    "口径 scope",
    "车间数 workshops",
    "吸纳就业 employed",
    "脱贫人口 poverty_alleviated",
    "监测对象 monitored",
    "安置区车间 relocation_site",
    "来源 source",
    "备注 note",
];

/// `stats/workshops.csv` (UTF-8 with BOM, so Excel on Chinese Windows opens it) and `stats/workshops.json`.
pub fn open_data(site: &Site) -> Result<Vec<(String, Vec<u8>)>, serde_json::Error> {
    let mut csv = String::from("\u{feff}");
    csv.push_str(&CSV_HEADER.join(","));
    csv.push_str("\r\n");
    let num = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
    #[derive(Serialize)]
    struct JsonRecord<'a> {
        region: String,
        region_code: Option<u32>,
        year: i32,
        as_of: String,
        scope: Option<&'a str>,
        workshops: Option<u64>,
        employed: Option<u64>,
        poverty_alleviated: Option<u64>,
        monitored: Option<u64>,
        relocation_site: Option<u64>,
        source: Option<&'a str>,
        note: Option<&'a str>,
    }
    let mut records = Vec::new();
    for r in &site.stats {
        let (region, code) = match r.region {
            StatsRegion::National => ("全国".to_owned(), None),
            StatsRegion::Province(p) => (p.name().to_owned(), Some(p.code())),
        };
        let fields = [
            region.clone(),
            r.year.to_string(),
            r.as_of.to_string(),
            r.scope.clone().unwrap_or_default(),
            num(r.workshops),
            num(r.employed),
            num(r.poverty_alleviated),
            num(r.monitored),
            num(r.relocation_site),
            r.source.clone().unwrap_or_default(),
            r.note.clone().unwrap_or_default(),
        ];
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                csv.push(',');
            }
            csv_field(&mut csv, f);
        }
        csv.push_str("\r\n");
        records.push(JsonRecord {
            region,
            region_code: code,
            year: r.year,
            as_of: r.as_of.to_string(),
            scope: r.scope.as_deref(),
            workshops: r.workshops,
            employed: r.employed,
            poverty_alleviated: r.poverty_alleviated,
            monitored: r.monitored,
            relocation_site: r.relocation_site,
            source: r.source.as_deref(),
            note: r.note.as_deref(),
        });
    }
    let json = serde_json::json!({
        "schema": "xiezuo/workshops/1",
        "targets": {
            "workshops": site.config.targets.workshops,
            "poverty_alleviated": site.config.targets.poverty_alleviated,
        },
        "national": national_by_year(&site.stats),
        "records": records,
    });
    let json = serde_json::to_vec_pretty(&json)?;
    Ok(vec![
        (crate::routes::STATS_CSV.to_owned(), csv.into_bytes()),
        (crate::routes::STATS_JSON.to_owned(), json),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(value: &str) -> String {
        let mut out = String::new();
        csv_field(&mut out, value);
        out
    }

    #[test]
    fn formula_cells_are_neutralised_and_quoted() {
        assert_eq!(
            cell("=HYPERLINK(\"http://x\",\"点击\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"点击\"\")\""
        );
        assert_eq!(cell("+1"), "\"'+1\"");
        assert_eq!(cell("-2+3"), "\"'-2+3\"");
        assert_eq!(cell("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(cell("\tx"), "\"'\tx\"");
        assert_eq!(cell("\rx"), "\"'\rx\"");
        assert_eq!(cell("＝1+1"), "\"'＝1+1\"");
    }

    #[test]
    fn ordinary_cells_are_unchanged() {
        assert_eq!(cell("贵州省人社厅"), "贵州省人社厅");
        assert_eq!(cell("2239"), "2239");
        assert_eq!(cell("a=b"), "a=b");
        assert_eq!(cell("甲,乙"), "\"甲,乙\"");
        assert_eq!(cell(""), "");
    }
}
