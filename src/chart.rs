//! Charts as data for the theme: a chart over years with a target line, bars by province or
//! category, and a schematic tile grid of provinces. No chart library reaches the browser.
//!
//! The theme draws them in HTML and CSS (`chart.html`, `tile_map.html`), not as scaled SVG
//! pictures: every label and value is page text, so it is never smaller on a phone than the text
//! around it, grows with 大字 and the browser's own zoom, and is read by screen readers as the
//! list it is. This module decides what the theme cannot: each value's share of a round axis,
//! the width the labels need, the shading class of each tile and where tiles sit on the grid.
//! Colour is never the only signal: every value is printed beside its mark. A tile grid is a
//! schematic, not a map (a real map of China needs 审图号), and keeps 台湾, 香港 and 澳门.

use serde::Serialize;

use crate::problem::Lang;
use crate::province::{Province, Region};

/// Points a chart over time may have and still be drawn as columns on wide screens; more
/// points are drawn as rows, which fit any width.
const MAX_COLUMNS: usize = 6;

/// A column or bar chart, ready for `chart.html`.
#[derive(Debug, Serialize)]
pub struct Chart {
    /// Unique within the page; the template makes element ids from it.
    pub id: String,
    /// `columns`: a few points over time, drawn as columns where the chart has room and as
    /// rows where it has not; `bars`: rows at every width.
    pub kind: &'static str,
    /// What is measured, with its unit: `就业帮扶车间数量（个）`.
    pub title: String,
    /// A sentence under the title (what the values are, where they come from).
    pub note: String,
    pub bars: Vec<Bar>,
    pub target: Option<TargetLine>,
    /// Width of the label column in em, enough for the longest label, so rows line up.
    pub label_em: String,
    /// Width of the value column in em, enough for the longest value.
    pub value_em: String,
}

/// One value of a chart.
#[derive(Debug, Serialize)]
pub struct Bar {
    pub label: String,
    pub value: u64,
    /// The value as printed: `45,524`.
    pub text: String,
    /// Share of the axis in percent, one decimal (`82.4`).
    pub percent: String,
}

/// A target drawn across a chart as a dashed line.
#[derive(Debug, Serialize)]
pub struct TargetLine {
    pub label: String,
    pub value: u64,
    pub text: String,
    pub percent: String,
}

/// What a chart is called and says, in the site's language.
pub struct ChartText<'a> {
    /// Unique within the page.
    pub id: &'a str,
    pub title: &'a str,
    pub note: &'a str,
}

/// `45524` → `45,524`.
pub fn group_digits(n: u64) -> String {
    crate::theme::thousands(i64::try_from(n).unwrap_or(i64::MAX))
}

/// A round upper bound for an axis so columns do not touch the top.
fn nice_max(max: u64) -> u64 {
    if max == 0 {
        return 1;
    }
    let magnitude = 10u64.pow((max as f64).log10().floor() as u32);
    // Quarter steps keep bars tall: 37,880 gets an axis of 40,000, not 50,000.
    let steps = [10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100];
    for s in steps {
        let candidate = s * magnitude / 10;
        if candidate >= max {
            return candidate;
        }
    }
    10 * magnitude
}

fn percent(value: u64, axis: u64) -> String {
    format!("{:.1}", value as f64 * 100.0 / axis.max(1) as f64)
}

/// Width of `text` in em in a CJK font: Han characters and full-width punctuation take one em,
/// digits and Latin letters a little over half.
fn width_em(text: &str) -> f64 {
    text.chars()
        .map(|c| if c.is_ascii() { 0.62 } else { 1.0 })
        .sum()
}

/// The widest of `texts` in em, rounded up to a quarter em, with room for padding.
fn column_em<'a>(texts: impl Iterator<Item = &'a str>, min: f64) -> String {
    let widest = texts.map(width_em).fold(min, f64::max);
    format!("{:.2}", (widest * 4.0).ceil() / 4.0 + 0.5)
}

fn chart(
    text: &ChartText,
    kind: &'static str,
    points: &[(String, u64)],
    target: Option<(u64, &str)>,
    axis: u64,
) -> Chart {
    let bars: Vec<Bar> = points
        .iter()
        .map(|(label, value)| Bar {
            label: label.clone(),
            value: *value,
            text: group_digits(*value),
            percent: percent(*value, axis),
        })
        .collect();
    let label_em = column_em(bars.iter().map(|b| b.label.as_str()), 2.0);
    let value_em = column_em(bars.iter().map(|b| b.text.as_str()), 2.0);
    Chart {
        id: text.id.to_owned(),
        kind,
        title: text.title.to_owned(),
        note: text.note.to_owned(),
        target: target.map(|(value, label)| TargetLine {
            label: label.to_owned(),
            value,
            text: group_digits(value),
            percent: percent(value, axis),
        }),
        bars,
        label_em,
        value_em,
    }
}

/// Values over time (years) with an optional target: columns while there are few points.
pub fn time_chart(
    text: &ChartText,
    points: &[(String, u64)],
    target: Option<(u64, &str)>,
) -> Chart {
    let max = points
        .iter()
        .map(|p| p.1)
        .chain(target.map(|t| t.0))
        .max()
        .unwrap_or(0);
    // Headroom above the tallest column for its value label.
    let axis = nice_max(max + max / 20);
    let kind = if points.len() <= MAX_COLUMNS {
        "columns"
    } else {
        "bars"
    };
    chart(text, kind, points, target, axis)
}

/// One row per label, in the order given; the largest value spans the whole row.
pub fn bar_chart(text: &ChartText, rows: &[(String, u64)]) -> Chart {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0);
    chart(text, "bars", rows, None, max)
}

/// A schematic tile grid of the provincial divisions, ready for `tile_map.html`.
#[derive(Debug, Serialize)]
pub struct TileMap {
    pub id: String,
    pub title: String,
    pub note: String,
    /// Tiles grouped by region (东部, 中部, 西部, 东北, 港澳台): the order narrow screens show
    /// them in, where the grid does not fit.
    pub groups: Vec<TileGroup>,
}

/// The tiles of one region.
#[derive(Debug, Serialize)]
pub struct TileGroup {
    pub name: &'static str,
    pub tiles: Vec<Tile>,
}

/// One province on the tile grid.
#[derive(Debug, Serialize)]
pub struct Tile {
    /// Short name (`贵州`), as printed on the tile.
    pub name: &'static str,
    /// Full name (`贵州省`), for the tile's accessible name.
    pub full_name: &'static str,
    /// Grid position, 1-based (geofacet's `china_prov_grid1`).
    pub row: u8,
    pub col: u8,
    pub value: Option<u64>,
    /// The value as printed, `—` when there is none.
    pub text: String,
    /// Shading class: `q0` (least) … `q4` (most), or `nodata`.
    pub shade: &'static str,
    /// The province's hub page, when it has one.
    pub url: Option<String>,
}

/// Shading class (`q0`…`q4`) of `value` among values up to `max`.
fn shade(value: u64, max: u64) -> &'static str {
    const SHADES: [&str; 5] = ["q0", "q1", "q2", "q3", "q4"];
    if max == 0 {
        return SHADES[0];
    }
    let step = ((value as f64 / max as f64) * 4.0).ceil().clamp(0.0, 4.0) as usize;
    SHADES[step]
}

/// The tile grid of the 34 provincial divisions, each shaded and labelled by its value;
/// `url` gives a province's hub page where it has one.
pub fn tile_map(
    text: &ChartText,
    values: &[(Province, u64)],
    lang: Lang,
    url: impl Fn(Province) -> Option<String>,
) -> TileMap {
    let max = values.iter().map(|v| v.1).max().unwrap_or(0);
    let regions = [
        Region::East,
        Region::Central,
        Region::West,
        Region::Northeast,
        Region::HongKongMacaoTaiwan,
    ];
    let groups = regions
        .into_iter()
        .map(|region| TileGroup {
            name: crate::texts::region_name(region, lang),
            tiles: Province::all()
                .filter(|p| p.region() == region)
                .filter_map(|p| {
                    let (row, col) = p.tile()?;
                    let value = values.iter().find(|v| v.0 == p).map(|v| v.1);
                    Some(Tile {
                        name: match lang {
                            Lang::Zh => p.short(),
                            Lang::En => p.name_en(),
                        },
                        full_name: match lang {
                            Lang::Zh => p.name(),
                            Lang::En => p.name_en(),
                        },
                        row,
                        col,
                        value,
                        text: value.map_or_else(|| "—".to_owned(), group_digits),
                        shade: value.map_or("nodata", |v| shade(v, max)),
                        url: url(p),
                    })
                })
                .collect(),
        })
        .filter(|g: &TileGroup| !g.tiles.is_empty())
        .collect();
    TileMap {
        id: text.id.to_owned(),
        title: text.title.to_owned(),
        note: text.note.to_owned(),
        groups,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: ChartText = ChartText {
        id: "c",
        title: "车间数量（个）",
        note: "",
    };

    #[test]
    fn nice_max_rounds_up() {
        assert_eq!(nice_max(34_000), 40_000);
        assert_eq!(nice_max(37_880 + 1_894), 40_000);
        assert_eq!(nice_max(9), 10);
        assert_eq!(nice_max(0), 1);
    }

    #[test]
    fn shares_of_a_round_axis_and_the_target() {
        let points = [("2023".to_owned(), 37_880), ("2024".to_owned(), 36_950)];
        let c = time_chart(&TEXT, &points, Some((30_000, "目标")));
        assert_eq!(c.kind, "columns");
        assert_eq!(c.bars[0].percent, "94.7", "37,880 of an axis of 40,000");
        assert_eq!(c.bars[1].text, "36,950");
        let target = c.target.unwrap();
        assert_eq!(
            (target.percent.as_str(), target.text.as_str()),
            ("75.0", "30,000")
        );
    }

    #[test]
    fn many_points_are_rows_and_bars_fill_the_row() {
        let points: Vec<(String, u64)> = (2015..2025).map(|y| (y.to_string(), 10)).collect();
        assert_eq!(time_chart(&TEXT, &points, None).kind, "bars");
        let c = bar_chart(&TEXT, &[("河南".into(), 4_484), ("西藏".into(), 190)]);
        assert_eq!(
            (c.bars[0].percent.as_str(), c.bars[1].percent.as_str()),
            ("100.0", "4.2")
        );
    }

    #[test]
    fn label_and_value_columns_fit_the_longest_text() {
        let c = bar_chart(&TEXT, &[("黑龙江".into(), 1_126_300), ("京".into(), 5)]);
        // Three Han characters: 3 em, plus padding.
        assert_eq!(c.label_em, "3.50");
        // `1,126,300`: nine narrow characters.
        assert_eq!(c.value_em, "6.25");
    }

    #[test]
    fn every_division_has_a_tile_with_taiwan_hong_kong_and_macao() {
        let gz = crate::province::parse("贵州").unwrap();
        let map = tile_map(&TEXT, &[(gz, 5)], Lang::Zh, |p| {
            (p == gz).then(|| "/provinces/guizhou/".to_owned())
        });
        let tiles: Vec<&Tile> = map.groups.iter().flat_map(|g| &g.tiles).collect();
        assert_eq!(tiles.len(), 34);
        for name in ["台湾", "香港", "澳门"] {
            assert!(tiles.iter().any(|t| t.name == name), "{name}");
        }
        let guizhou = tiles.iter().find(|t| t.name == "贵州").unwrap();
        assert_eq!((guizhou.shade, guizhou.text.as_str()), ("q4", "5"));
        assert_eq!(guizhou.url.as_deref(), Some("/provinces/guizhou/"));
        let other = tiles.iter().find(|t| t.name == "河南").unwrap();
        assert_eq!(
            (other.shade, other.text.as_str(), other.url.as_deref()),
            ("nodata", "—", None)
        );
        let names: Vec<&str> = map.groups.iter().map(|g| g.name).collect();
        assert_eq!(names, ["东部", "中部", "西部", "东北", "港澳台"]);
    }
}
