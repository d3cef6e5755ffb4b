//! SVG charts written at build time: a column chart over years with a target line, a bar chart
//! by province, and a schematic tile grid of provinces. No chart library reaches the browser.
//!
//! Charts are styled by the theme's CSS classes (`chart-*`), carry `<title>` and `<desc>`, show
//! every value as text beside its mark so colour is never the only signal, and stay legible in
//! black and white. A tile grid is a schematic, not a map (a real map of China needs 审图号).

use std::fmt::Write;

use crate::province::Province;
use crate::xml::escape;

/// Labels of a chart, in the site's language.
pub struct ChartText<'a> {
    /// Unique within the page; used for `aria-labelledby` ids.
    pub id: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
}

fn open_svg(out: &mut String, text: &ChartText, width: u32, height: u32, class: &str) {
    let id = escape(text.id);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart {class}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" preserveAspectRatio=\"xMinYMin meet\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        escape(text.title),
        escape(text.desc)
    );
}

/// `45524` → `45,524`.
pub fn group_digits(n: u64) -> String {
    crate::theme::thousands(n as i64)
}

/// A round upper bound for an axis so bars do not touch the top.
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

/// Columns per year (or any label) with an optional dashed target line.
pub fn column_chart(
    text: &ChartText,
    points: &[(String, u64)],
    target: Option<(u64, &str)>,
) -> String {
    let (width, height) = (420u32, 240u32);
    let (left, right, top, bottom) = (8.0, 8.0, 34.0, 30.0);
    let max = points
        .iter()
        .map(|p| p.1)
        .chain(target.map(|t| t.0))
        .max()
        .unwrap_or(0);
    let axis_max = nice_max(max + max / 20) as f64;
    let plot_w = width as f64 - left - right;
    let plot_h = height as f64 - top - bottom;
    let y = |v: u64| top + plot_h - (v as f64 / axis_max) * plot_h;
    let mut out = String::new();
    open_svg(&mut out, text, width, height, "chart-columns");
    let _ = write!(
        out,
        "<line class=\"chart-axis\" x1=\"{left}\" y1=\"{0:.1}\" x2=\"{1:.1}\" y2=\"{0:.1}\"/>",
        top + plot_h,
        left + plot_w
    );
    let n = points.len().max(1) as f64;
    let slot = plot_w / n;
    let bar_w = (slot * 0.55).min(90.0);
    for (i, (label, value)) in points.iter().enumerate() {
        let x = left + slot * i as f64 + (slot - bar_w) / 2.0;
        let top_y = y(*value);
        let cx = x + bar_w / 2.0;
        let _ = write!(
            out,
            "<rect class=\"chart-bar\" x=\"{x:.1}\" y=\"{top_y:.1}\" width=\"{bar_w:.1}\" height=\"{:.1}\"/><text class=\"chart-value\" x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text><text class=\"chart-label\" x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            top + plot_h - top_y,
            top_y - 6.0,
            group_digits(*value),
            top + plot_h + 20.0,
            escape(label)
        );
    }
    if let Some((t, label)) = target {
        let ty = y(t);
        let _ = write!(
            out,
            "<line class=\"chart-target\" x1=\"{left}\" y1=\"{ty:.1}\" x2=\"{:.1}\" y2=\"{ty:.1}\"/><line class=\"chart-target\" x1=\"{:.1}\" y1=\"10\" x2=\"{:.1}\" y2=\"10\"/><text class=\"chart-target-label\" x=\"{:.1}\" y=\"14\" text-anchor=\"end\">{} {}</text>",
            left + plot_w,
            left + plot_w - 112.0,
            left + plot_w - 88.0,
            left + plot_w,
            escape(label),
            group_digits(t)
        );
    }
    out.push_str("</svg>");
    out
}

/// Horizontal bars, one row per label, largest first as given.
pub fn bar_chart(text: &ChartText, rows: &[(String, u64)]) -> String {
    let row_h = 24.0;
    let (width, label_w, value_w, top) = (420.0, 64.0, 64.0, 6.0);
    let height = top * 2.0 + row_h * rows.len().max(1) as f64;
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1) as f64;
    let plot_w = width - label_w - value_w;
    let mut out = String::new();
    open_svg(
        &mut out,
        text,
        width as u32,
        height.ceil() as u32,
        "chart-bars",
    );
    for (i, (label, value)) in rows.iter().enumerate() {
        let y = top + row_h * i as f64;
        let w = (*value as f64 / max) * plot_w;
        let _ = write!(
            out,
            "<text class=\"chart-label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text><rect class=\"chart-bar\" x=\"{label_w}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\"/><text class=\"chart-value\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            label_w - 8.0,
            y + row_h * 0.68,
            escape(label),
            y + 4.0,
            row_h - 8.0,
            label_w + w + 6.0,
            y + row_h * 0.68,
            group_digits(*value)
        );
    }
    out.push_str("</svg>");
    out
}

/// Shading class (`q0`…`q4`) of `value` among values up to `max`.
fn shade(value: u64, max: u64) -> usize {
    if max == 0 {
        return 0;
    }
    ((value as f64 / max as f64) * 4.0).ceil().clamp(0.0, 4.0) as usize
}

/// The schematic tile grid of the 34 provincial divisions, shaded and labelled by value.
pub fn tile_grid(
    text: &ChartText,
    values: &[(Province, u64)],
    legend: &str,
    schematic_note: &str,
) -> String {
    let tile = 58.0;
    let gap = 4.0;
    let (cols, rows) = (10.0, 11.0);
    let width = cols * (tile + gap) + gap;
    let height = rows * (tile + gap) + gap + 30.0;
    let max = values.iter().map(|v| v.1).max().unwrap_or(0);
    let mut out = String::new();
    open_svg(&mut out, text, width as u32, height as u32, "chart-tiles");
    for p in Province::all() {
        let Some((row, col)) = p.tile() else { continue };
        let x = gap + (col as f64 - 1.0) * (tile + gap);
        let y = gap + (row as f64 - 1.0) * (tile + gap);
        let value = values.iter().find(|v| v.0 == p).map(|v| v.1);
        let class = match value {
            Some(v) => format!("tile q{}", shade(v, max)),
            None => "tile nodata".to_owned(),
        };
        let value_text = value.map_or_else(|| "—".to_owned(), group_digits);
        let _ = write!(
            out,
            "<g class=\"{class}\"><title>{}：{}</title><rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{tile}\" height=\"{tile}\" rx=\"4\"/><text class=\"tile-name\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text><text class=\"tile-value\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text></g>",
            escape(p.name()),
            value_text,
            x + tile / 2.0,
            y + tile * 0.42,
            escape(p.short()),
            x + tile / 2.0,
            y + tile * 0.78,
            value_text
        );
    }
    let _ = write!(
        out,
        "<text class=\"chart-note\" x=\"{gap}\" y=\"{:.1}\">{} · {}</text>",
        height - 10.0,
        escape(legend),
        escape(schematic_note)
    );
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_max_rounds_up() {
        assert_eq!(nice_max(34_000), 40_000);
        assert_eq!(nice_max(37_880 + 1_894), 40_000);
        assert_eq!(nice_max(9), 10);
        assert_eq!(nice_max(0), 1);
    }

    #[test]
    fn labels_are_escaped() {
        let text = ChartText {
            id: "c",
            title: "a<b",
            desc: "\"x\"",
        };
        let svg = column_chart(&text, &[("<2023>".into(), 5)], Some((10, "目标")));
        assert!(svg.contains("a&lt;b") && svg.contains("&lt;2023&gt;") && !svg.contains("<2023>"));
    }
}
