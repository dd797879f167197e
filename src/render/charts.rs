//! Charts drawn with plotters, each as SVG (for slides and print) and PNG (for documents):
//! the trend of the headline nodes (the functions) across waves, and the latest wave's scorecard.
//! One colour-blind-safe palette (Okabe-Ito) and an embedded font (DejaVu Sans) for the PNGs.

use std::path::Path;
use std::sync::Once;

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Okabe & Ito (2008) palette, distinguishable with the common colour-vision deficiencies
/// (its yellow darkened to read on white), plus a neutral grey.
const PALETTE: [RGBColor; 9] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(0, 0, 0),
    RGBColor(190, 170, 0),
    RGBColor(140, 140, 140),
];
const GREY: RGBColor = RGBColor(110, 110, 110);
const FONT: &str = "sans-serif";

/// One node's score in one wave, as charted.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub mean: f64,
    pub ci: Option<(f64, f64)>,
    pub n: usize,
}

/// A charted node: its label and its point per wave (`None` where it was not scored).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub label: String,
    pub points: Vec<Option<Point>>,
    /// The verdict on the change from the first to the last wave, when there is one.
    pub verdict: Option<String>,
}

/// What every chart needs to say about itself.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartText {
    pub title: String,
    pub source: String,
    pub waves: Vec<String>,
    /// Scale range of the y (or x) axis, e.g. 1..5.
    pub range: (f64, f64),
    /// The confidence level of the intervals drawn, "90%".
    pub confidence: String,
}

type DrawResult<T> = Result<T, String>;

fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The font is compiled in: registration fails only if the file itself were corrupt.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular());
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold());
    });
}

/// One bar of the answer-distribution chart: shares (percent of valid answers) per point of
/// its scale (an index into the chart's scales), lowest point first, under a section heading.
#[derive(Debug, Clone, PartialEq)]
pub struct Distribution {
    pub section: String,
    pub label: String,
    pub scale: usize,
    pub shares: Vec<f64>,
    pub n: usize,
}

/// One respondent group in the breakdown chart: its means per headline node, or `None` when
/// the group is suppressed (too few respondents) and must not be drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub name: String,
    pub respondents: usize,
    pub means: Option<Vec<Option<f64>>>,
}

/// A chart and the data it shows.
#[derive(Debug, Clone, Copy)]
pub enum Chart<'a> {
    Trend(&'a ChartText, &'a [Series]),
    Scorecard(&'a ChartText, &'a [Series]),
    /// Diverging stacked bars, each row on its own scale.
    Distribution(&'a ChartText, &'a [Distribution], &'a [ScaleKey]),
    /// Group means per headline node (the node labels), with the suppression threshold.
    Groups(&'a ChartText, &'a [String], &'a [Group], usize),
    /// Shares of the options of a single-choice question per row (the option names).
    Shares(&'a ChartText, &'a [ShareRow], &'a [String]),
}

/// One row of a shares chart: percent per option (none when suppressed), n, and a note drawn
/// beside the bar (what the source document suggests).
#[derive(Debug, Clone, PartialEq)]
pub struct ShareRow {
    pub label: String,
    pub shares: Option<Vec<f64>>,
    pub n: usize,
    pub note: String,
}

impl Chart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> DrawResult<()> {
        match *self {
            Chart::Trend(text, series) => trend(root, text, series),
            Chart::Scorecard(text, series) => scorecard(root, text, series),
            Chart::Distribution(text, rows, scales) => distribution(root, text, rows, scales),
            Chart::Groups(text, nodes, groups, threshold) => {
                group_chart(root, text, nodes, groups, threshold)
            }
            Chart::Shares(text, rows, options) => shares_chart(root, text, rows, options),
        }
    }

    /// Draws the chart into an SVG string and a PNG file of the same size.
    pub fn render(&self, size: (u32, u32), png: &Path) -> DrawResult<String> {
        register_font();
        let mut svg = String::new();
        self.draw(SVGBackend::with_string(&mut svg, size).into_drawing_area())?;
        let root = BitMapBackend::new(png, size).into_drawing_area();
        self.draw(root.clone())?;
        root.present().map_err(err)?;
        Ok(svg)
    }
}

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

/// Splits text into lines of at most `width` characters, at spaces.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &ChartText,
) -> DrawResult<DrawingArea<DB, Shift>> {
    root.fill(&WHITE).map_err(err)?;
    let (_, h) = root.dim_in_pixel();
    root.draw(&Text::new(
        text.title.clone(),
        (24, 18),
        (FONT, 28).into_font().style(FontStyle::Bold).color(&BLACK),
    ))
    .map_err(err)?;
    // The source line wraps at about the width of the chart, from the bottom up.
    let (w, _) = root.dim_in_pixel();
    let lines = wrap(&text.source, (w as usize - 48) / 8);
    for (i, line) in lines.iter().enumerate() {
        let y = h as i32 - 24 - 19 * (lines.len() - 1 - i) as i32;
        root.draw(&Text::new(
            line.clone(),
            (24, y),
            (FONT, 15).into_font().color(&GREY),
        ))
        .map_err(err)?;
    }
    Ok(root.margin(56, 22 + 19 * lines.len() as u32, 16, 24))
}

/// Function scores across waves: one line per node, with its interval as error bars.
fn trend<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    text: &ChartText,
    series: &[Series],
) -> DrawResult<()> {
    let area = frame(&root, text)?;
    let (plot, legend) = area.split_horizontally(area.dim_in_pixel().0 as i32 - 330);
    let k = text.waves.len();
    let x_range = -0.5f64..(k as f64 - 0.5);
    let mut chart = ChartBuilder::on(&plot)
        .margin(8)
        .x_label_area_size(40)
        .y_label_area_size(56)
        .build_cartesian_2d(x_range, text.range.0..text.range.1)
        .map_err(err)?;
    let waves = text.waves.clone();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(k.max(2))
        .x_label_formatter(&|x| {
            let i = x.round();
            if (x - i).abs() < 1e-6 && i >= 0.0 {
                waves.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_labels(((text.range.1 - text.range.0) * 2.0) as usize + 1)
        .y_label_formatter(&|y| format!("{y:.1}"))
        .x_desc("Wave")
        .y_desc(format!("Mean score ({} CI)", text.confidence))
        .axis_desc_style((FONT, 18))
        .label_style((FONT, 17))
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(225, 225, 225))
        .draw()
        .map_err(err)?;

    let spread = 0.25 / series.len().max(1) as f64;
    for (s, serie) in series.iter().enumerate() {
        let colour = PALETTE[s % PALETTE.len()];
        let offset = (s as f64 - (series.len() as f64 - 1.0) / 2.0) * spread;
        let points: Vec<(f64, &Point)> = serie
            .points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.as_ref().map(|p| (i as f64 + offset, p)))
            .collect();
        chart
            .draw_series(LineSeries::new(
                points.iter().map(|(x, p)| (*x, p.mean)),
                colour.stroke_width(2),
            ))
            .map_err(err)?;
        chart
            .draw_series(points.iter().filter_map(|(x, p)| {
                p.ci.map(|(lo, hi)| ErrorBar::new_vertical(*x, lo, p.mean, hi, colour.stroke_width(1), 8))
            }))
            .map_err(err)?;
        chart
            .draw_series(
                points
                    .iter()
                    .map(|(x, p)| Circle::new((*x, p.mean), 4, colour.filled())),
            )
            .map_err(err)?;
    }
    draw_legend(&legend, series)
}

fn draw_legend<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, series: &[Series]) -> DrawResult<()> {
    let mut y = 24;
    for (s, serie) in series.iter().enumerate() {
        let colour = PALETTE[s % PALETTE.len()];
        area.draw(&Rectangle::new([(12, y + 2), (30, y + 14)], colour.filled()))
            .map_err(err)?;
        for line in wrap(&serie.label, 28) {
            area.draw(&Text::new(line, (40, y), (FONT, 17).into_font().color(&BLACK)))
                .map_err(err)?;
            y += 21;
        }
        if let Some(verdict) = &serie.verdict {
            let (mark, style) = if verdict.starts_with("improved") {
                ("▲ ", FontStyle::Bold)
            } else if verdict.starts_with("declined") {
                ("▼ ", FontStyle::Bold)
            } else {
                ("", FontStyle::Normal)
            };
            let font = (FONT, 15).into_font().style(style).color(&GREY);
            area.draw(&Text::new(format!("{mark}{verdict}"), (40, y), font))
                .map_err(err)?;
            y += 19;
        }
        y += 10;
    }
    Ok(())
}

/// Draws a wrapped label right-aligned at `x` (area pixels), centred on the absolute pixel row
/// `centre_y`.
fn right_aligned_label<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    x: i32,
    centre_y: i32,
    width: usize,
    font: FontDesc,
) -> DrawResult<()> {
    let lines = wrap(text, width);
    let line_height = font.get_size() as i32 + 3;
    let first_y = centre_y - area.get_base_pixel().1 - (lines.len() as i32 - 1) * line_height / 2;
    for (l, line) in lines.into_iter().enumerate() {
        let style = font
            .clone()
            .color(&BLACK)
            .pos(Pos::new(HPos::Right, VPos::Center));
        area.draw(&Text::new(line, (x, first_y + l as i32 * line_height), style))
            .map_err(err)?;
    }
    Ok(())
}

type RowsChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// A chart of `rows` horizontal rows (the top row spans rows − 1 .. rows) over the score scale, with its
/// x axis drawn and no row labels (callers draw wrapped ones).
fn score_rows_chart<'a, DB: DrawingBackend>(
    plot: &'a DrawingArea<DB, Shift>,
    text: &ChartText,
    rows: usize,
    right_margin: u32,
    x_desc: &str,
) -> DrawResult<RowsChart<'a, DB>> {
    let mut chart = ChartBuilder::on(plot)
        .margin(8)
        .margin_right(right_margin)
        .x_label_area_size(44)
        .build_cartesian_2d(text.range.0..text.range.1, 0f64..rows as f64)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(((text.range.1 - text.range.0) * 2.0) as usize + 1)
        .x_label_formatter(&|x| format!("{x:.1}"))
        .x_desc(x_desc)
        .axis_desc_style((FONT, 18))
        .label_style((FONT, 17))
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(225, 225, 225))
        .draw()
        .map_err(err)?;
    Ok(chart)
}

/// Latest wave per node: a bar to the mean with its interval, the previous wave as a hollow
/// marker, and n beside each bar.
fn scorecard<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    text: &ChartText,
    series: &[Series],
) -> DrawResult<()> {
    let area = frame(&root, text)?;
    let (labels, plot) = area.split_horizontally(300);
    let k = series.len();
    let latest = text.waves.len().saturating_sub(1);
    let x_desc = format!(
        "Mean score, {} (bar, {} CI)",
        text.waves.get(latest).cloned().unwrap_or_default(),
        text.confidence
    );
    let mut chart = score_rows_chart(&plot, text, k, 90, &x_desc)?;

    for (i, serie) in series.iter().enumerate() {
        let top = (k - i) as f64 - 0.2;
        let bottom = (k - i - 1) as f64 + 0.2;
        let middle = (top + bottom) / 2.0;
        let (_, label_y) = chart.backend_coord(&(text.range.0, middle));
        right_aligned_label(&labels, &serie.label, 290, label_y, 26, (FONT, 18).into_font())?;
        let Some(Some(p)) = serie.points.get(latest) else {
            continue;
        };
        let colour = PALETTE[0];
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(text.range.0, bottom), (p.mean, top)],
                colour.mix(0.85).filled(),
            )))
            .map_err(err)?;
        if let Some((lo, hi)) = p.ci {
            let whisker =
                |x: f64| PathElement::new([(x, middle - 0.12), (x, middle + 0.12)], BLACK.stroke_width(2));
            let span = PathElement::new([(lo, middle), (hi, middle)], BLACK.stroke_width(2));
            chart.draw_series([span, whisker(lo), whisker(hi)]).map_err(err)?;
        }
        if let Some(Some(prev)) = latest.checked_sub(1).and_then(|j| serie.points.get(j)) {
            chart
                .draw_series(std::iter::once(Circle::new(
                    (prev.mean, middle),
                    6,
                    PALETTE[1].stroke_width(3),
                )))
                .map_err(err)?;
        }
        let (right, y) = chart.backend_coord(&(text.range.1, middle));
        plot.draw(&Text::new(
            format!("{:.2}  n={}", p.mean, p.n),
            (right + 8 - plot.get_base_pixel().0, y - plot.get_base_pixel().1),
            (FONT, 17)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(err)?;
    }
    if latest > 0 {
        let (w, _) = plot.dim_in_pixel();
        plot.draw(&Circle::new((w as i32 - 250, 6), 6, PALETTE[1].stroke_width(3)))
            .map_err(err)?;
        plot.draw(&Text::new(
            format!("{} mean", text.waves[latest - 1]),
            (w as i32 - 238, 6),
            (FONT, 16)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(err)?;
    }
    Ok(())
}

/// Ends of the colour ramps: unfavourable answers in vermillion, favourable in blue, the
/// neutral middle (and unfavourable points above it) in grey; distinguishable with the common
/// colour-vision deficiencies.
const UNFAVOURABLE: (RGBColor, RGBColor) = (RGBColor(246, 190, 150), RGBColor(190, 70, 20));
const FAVOURABLE: (RGBColor, RGBColor) = (RGBColor(150, 195, 228), RGBColor(0, 80, 150));
const NEUTRAL: (RGBColor, RGBColor) = (RGBColor(215, 215, 215), RGBColor(165, 165, 165));

fn blend(ramp: (RGBColor, RGBColor), t: f64) -> RGBColor {
    let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * t).round() as u8;
    RGBColor(
        mix(ramp.0 .0, ramp.1 .0),
        mix(ramp.0 .1, ramp.1 .1),
        mix(ramp.0 .2, ramp.1 .2),
    )
}

/// One colour per point (lowest first), derived from the number of points and the favourable
/// set: favourable points darken towards the best end, points below the middle darken towards
/// the worst end, the rest are greys. Every point of a scale gets its own colour.
pub fn point_colours(points: &[ScalePoint]) -> Vec<RGBColor> {
    let middle = middle_of(points);
    let kind = |p: &ScalePoint| {
        if p.favourable {
            2
        } else if p.value < middle {
            0
        } else {
            1
        }
    };
    let members = |k: usize| points.iter().filter(|p| kind(p) == k).count();
    points
        .iter()
        .map(|p| {
            let k = kind(p);
            let count = members(k);
            let rank = points
                .iter()
                .filter(|q| kind(q) == k && q.value < p.value)
                .count();
            // Position along the ramp, 0 = light end; one point alone takes the dark end (the
            // light end for a lone neutral point).
            let t = if count <= 1 {
                if k == 1 {
                    0.0
                } else {
                    1.0
                }
            } else {
                rank as f64 / (count - 1) as f64
            };
            match k {
                0 => blend(UNFAVOURABLE, 1.0 - t),
                1 => blend(NEUTRAL, t),
                _ => blend(FAVOURABLE, t),
            }
        })
        .collect()
}

/// The value at the centre of a scale's range, where the diverging bars meet.
fn middle_of(points: &[ScalePoint]) -> f64 {
    let lo = points.first().map_or(0.0, |p| p.value);
    let hi = points.last().map_or(0.0, |p| p.value);
    (lo + hi) / 2.0
}

/// A scale point as the distribution chart draws it, lowest first.
#[derive(Debug, Clone, PartialEq)]
pub struct ScalePoint {
    pub value: f64,
    pub label: String,
    pub favourable: bool,
}

/// A scale as the distribution chart's legend names it.
#[derive(Debug, Clone, PartialEq)]
pub struct ScaleKey {
    pub label: String,
    pub points: Vec<ScalePoint>,
}

/// Legend lines: each scale used, its points wrapped to the width; (scale, first point, end).
fn legend_lines(scales: &[&ScaleKey], width: i32) -> Vec<(usize, usize, usize)> {
    let mut lines = Vec::new();
    for (s, scale) in scales.iter().enumerate() {
        let mut start = 0;
        let mut x = legend_label_width(scales.len(), &scale.label);
        for (p, point) in scale.points.iter().enumerate() {
            let w = legend_entry_width(&point.label);
            if x + w > width && p > start {
                lines.push((s, start, p));
                start = p;
                x = legend_label_width(scales.len(), &scale.label);
            }
            x += w;
        }
        lines.push((s, start, scale.points.len()));
    }
    lines
}

/// Approximate advance of DejaVu Sans at 15 px: 0.6 em per character.
fn legend_entry_width(label: &str) -> i32 {
    30 + 9 * label.chars().count() as i32
}

fn legend_label_width(scales: usize, label: &str) -> i32 {
    if scales > 1 {
        16 + 9 * label.chars().count() as i32
    } else {
        0
    }
}

/// The height the distribution chart needs for its rows, section headings and legend lines.
pub fn distribution_height(rows: &[Distribution], scales: &[ScaleKey], width: u32) -> u32 {
    let sections = rows
        .iter()
        .map(|r| &r.section)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let used = used_scales(rows, scales);
    let legend = legend_lines(&used, width as i32 - 48).len() as u32;
    170 + 26 * legend + 36 * (rows.len() + sections) as u32
}

fn used_scales<'a>(rows: &[Distribution], scales: &'a [ScaleKey]) -> Vec<&'a ScaleKey> {
    let mut used: Vec<usize> = rows.iter().map(|r| r.scale).collect();
    used.sort_unstable();
    used.dedup();
    used.into_iter().filter_map(|i| scales.get(i)).collect()
}

/// Answer distribution per row, each on its own scale: unfavourable answers left of 0,
/// favourable right, the middle of the scale centred on 0; rows grouped under their section.
fn distribution<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    text: &ChartText,
    rows: &[Distribution],
    scales: &[ScaleKey],
) -> DrawResult<()> {
    let area = frame(&root, text)?;
    let used = used_scales(rows, scales);
    let (width, _) = area.dim_in_pixel();
    let lines = legend_lines(&used, width as i32);
    let (legend_area, body) = area.split_vertically(12 + 26 * lines.len() as u32);
    let (labels, plot) = body.split_horizontally(510);
    // One slot per row plus one per section heading, top to bottom.
    let mut slots: Vec<(Option<&str>, Option<&Distribution>)> = Vec::new();
    for row in rows {
        if slots
            .iter()
            .rev()
            .find_map(|s| s.0)
            .is_none_or(|last| last != row.section)
        {
            slots.push((Some(&row.section), None));
        }
        slots.push((Some(&row.section), Some(row)));
    }
    let k = slots.len() as f64;
    let axis = match used.as_slice() {
        [one] => format!(
            "Share of valid answers (N/A excluded): {} ← | → {}",
            one.points.first().map_or("", |p| p.label.as_str()),
            one.points.last().map_or("", |p| p.label.as_str())
        ),
        _ => "Share of valid answers (N/A excluded): less favourable ← | → more favourable".into(),
    };
    let mut chart = ChartBuilder::on(&plot)
        .margin(4)
        .margin_right(100)
        .x_label_area_size(40)
        .build_cartesian_2d(-100f64..100f64, 0f64..k)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(9)
        .x_label_formatter(&|x| format!("{:.0}%", x.abs()))
        .x_desc(axis)
        .axis_desc_style((FONT, 18))
        .label_style((FONT, 16))
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(225, 225, 225))
        .draw()
        .map_err(err)?;
    for (i, slot) in slots.iter().enumerate() {
        let top = k - i as f64 - 0.15;
        let bottom = k - i as f64 - 0.85;
        let (_, y) = chart.backend_coord(&(0.0, (top + bottom) / 2.0));
        match slot {
            (Some(section), None) => {
                let style = (FONT, 17).into_font().style(FontStyle::Bold).color(&BLACK);
                let style = style.pos(Pos::new(HPos::Left, VPos::Center));
                labels
                    .draw(&Text::new(
                        section.to_string(),
                        (4, y - labels.get_base_pixel().1),
                        style,
                    ))
                    .map_err(err)?;
            }
            (_, Some(row)) => {
                right_aligned_label(&labels, &row.label, 500, y, 66, (FONT, 14).into_font())?;
                let Some(scale) = scales.get(row.scale) else {
                    continue;
                };
                let middle = middle_of(&scale.points);
                let colours = point_colours(&scale.points);
                let below: f64 = scale
                    .points
                    .iter()
                    .zip(&row.shares)
                    .map(|(p, share)| match p.value.partial_cmp(&middle) {
                        Some(std::cmp::Ordering::Less) => *share,
                        Some(std::cmp::Ordering::Equal) => share / 2.0,
                        _ => 0.0,
                    })
                    .sum();
                let mut x = -below;
                for (share, colour) in row.shares.iter().zip(&colours) {
                    chart
                        .draw_series(std::iter::once(Rectangle::new(
                            [(x, bottom), (x + share, top)],
                            colour.filled(),
                        )))
                        .map_err(err)?;
                    x += share;
                }
                let (right, _) = chart.backend_coord(&(100.0, 0.0));
                let style = (FONT, 14)
                    .into_font()
                    .color(&GREY)
                    .pos(Pos::new(HPos::Left, VPos::Center));
                plot.draw(&Text::new(
                    format!("{} answers", row.n),
                    (right + 6 - plot.get_base_pixel().0, y - plot.get_base_pixel().1),
                    style,
                ))
                .map_err(err)?;
            }
            _ => {}
        }
    }
    for (line, &(s, start, end)) in lines.iter().enumerate() {
        let scale = used[s];
        let y = 16 + 26 * line as i32;
        let mut x = 0;
        if used.len() > 1 && start == 0 {
            let bold = (FONT, 15).into_font().style(FontStyle::Bold);
            legend_area
                .draw(&Text::new(format!("{}:", scale.label), (x, y), centre(bold)))
                .map_err(err)?;
        }
        x += legend_label_width(used.len(), &scale.label);
        let colours = point_colours(&scale.points);
        for (point, colour) in scale.points[start..end].iter().zip(&colours[start..end]) {
            legend_area
                .draw(&Rectangle::new([(x, y - 8), (x + 16, y + 8)], colour.filled()))
                .map_err(err)?;
            legend_area
                .draw(&Text::new(
                    point.label.clone(),
                    (x + 22, y),
                    centre((FONT, 15).into_font()),
                ))
                .map_err(err)?;
            x += legend_entry_width(&point.label);
        }
    }
    Ok(())
}

fn centre(font: FontDesc<'_>) -> TextStyle<'_> {
    font.color(&BLACK).pos(Pos::new(HPos::Left, VPos::Center))
}

/// Headline means per respondent group for the latest wave; suppressed groups are listed in
/// the legend with their reason and never drawn.
fn group_chart<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    text: &ChartText,
    nodes: &[String],
    groups: &[Group],
    threshold: usize,
) -> DrawResult<()> {
    let area = frame(&root, text)?;
    let (body, legend) = area.split_horizontally(area.dim_in_pixel().0 as i32 - 300);
    let (labels, plot) = body.split_horizontally(300);
    let k = nodes.len() as f64;
    let x_desc = format!("Mean score, {}", text.waves.last().cloned().unwrap_or_default());
    let mut chart = score_rows_chart(&plot, text, nodes.len(), 8, &x_desc)?;
    let shown: Vec<(usize, &Group, &Vec<Option<f64>>)> = groups
        .iter()
        .filter_map(|g| g.means.as_ref().map(|m| (g, m)))
        .enumerate()
        .map(|(i, (g, m))| (i, g, m))
        .collect();
    for (i, node) in nodes.iter().enumerate() {
        let middle = k - i as f64 - 0.5;
        let (_, y) = chart.backend_coord(&(text.range.0, middle));
        right_aligned_label(&labels, node, 290, y, 26, (FONT, 18).into_font())?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                [(text.range.0, middle), (text.range.1, middle)],
                RGBColor(235, 235, 235).stroke_width(1),
            )))
            .map_err(err)?;
        for &(g, _, means) in &shown {
            let Some(Some(mean)) = means.get(i) else { continue };
            let offset = (g as f64 - (shown.len() as f64 - 1.0) / 2.0) * 0.08;
            let colour = PALETTE[g % PALETTE.len()];
            chart
                .draw_series(std::iter::once(Circle::new(
                    (*mean, middle + offset),
                    6,
                    colour.filled(),
                )))
                .map_err(err)?;
        }
    }
    let mut y = 24;
    for group in groups {
        let line = match &group.means {
            Some(_) => format!("{} (n={})", group.name, group.respondents),
            None => format!("{}: suppressed (n < {threshold})", group.name),
        };
        if group.means.is_some() {
            let index = shown.iter().find(|s| s.1.name == group.name).map_or(0, |s| s.0);
            legend
                .draw(&Circle::new(
                    (20, y + 7),
                    6,
                    PALETTE[index % PALETTE.len()].filled(),
                ))
                .map_err(err)?;
        }
        for part in wrap(&line, 26) {
            legend
                .draw(&Text::new(part, (34, y), (FONT, 17).into_font().color(&BLACK)))
                .map_err(err)?;
            y += 21;
        }
        y += 8;
    }
    Ok(())
}

/// Stacked 100% bars, one per row, one colour per option; suppressed rows say so.
fn shares_chart<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    text: &ChartText,
    rows: &[ShareRow],
    options: &[String],
) -> DrawResult<()> {
    let area = frame(&root, text)?;
    let (legend, body) = area.split_vertically(40);
    let (labels, rest) = body.split_horizontally(420);
    let (plot, notes) = rest.split_horizontally(rest.dim_in_pixel().0 as i32 - 330);
    let k = rows.len().max(1) as f64;
    let mut chart = ChartBuilder::on(&plot)
        .margin(4)
        .x_label_area_size(40)
        .build_cartesian_2d(0f64..100f64, 0f64..k)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(6)
        .x_label_formatter(&|x| format!("{x:.0}%"))
        .x_desc("Share of those who answered")
        .axis_desc_style((FONT, 18))
        .label_style((FONT, 16))
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(225, 225, 225))
        .draw()
        .map_err(err)?;
    for (i, row) in rows.iter().enumerate() {
        let (top, bottom) = (k - i as f64 - 0.15, k - i as f64 - 0.85);
        let (_, y) = chart.backend_coord(&(0.0, (top + bottom) / 2.0));
        right_aligned_label(&labels, &row.label, 410, y, 52, (FONT, 14).into_font())?;
        let grey = (FONT, 14)
            .into_font()
            .color(&GREY)
            .pos(Pos::new(HPos::Left, VPos::Center));
        let note = match &row.shares {
            Some(shares) => {
                let mut x = 0.0;
                for (o, share) in shares.iter().enumerate() {
                    let colour = PALETTE[o % PALETTE.len()];
                    chart
                        .draw_series(std::iter::once(Rectangle::new(
                            [(x, bottom), (x + share, top)],
                            colour.filled(),
                        )))
                        .map_err(err)?;
                    x += share;
                }
                format!("n={}  {}", row.n, row.note)
            }
            None => format!("suppressed (n={})  {}", row.n, row.note),
        };
        let lines = wrap(&note, 40);
        for (l, line) in lines.iter().enumerate() {
            let dy = (l as i32 * 2 - (lines.len() as i32 - 1)) * 8;
            notes
                .draw(&Text::new(
                    line.clone(),
                    (8, y + dy - notes.get_base_pixel().1),
                    grey.clone(),
                ))
                .map_err(err)?;
        }
    }
    let mut x = 420;
    for (o, option) in options.iter().enumerate() {
        legend
            .draw(&Rectangle::new(
                [(x, 8), (x + 16, 24)],
                PALETTE[o % PALETTE.len()].filled(),
            ))
            .map_err(err)?;
        legend
            .draw(&Text::new(
                option.clone(),
                (x + 22, 16),
                centre((FONT, 15).into_font()),
            ))
            .map_err(err)?;
        x += 40 + 9 * option.chars().count() as i32;
    }
    Ok(())
}
