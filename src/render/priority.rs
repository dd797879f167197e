//! The priority chart of a key-driver analysis, as customer-experience teams draw it: each
//! headline node (function) placed by its importance to the overall rating (its share of R²,
//! across, with its bootstrap interval) and its score (up). Dashed lines mark the average
//! share and the band thresholds; the quadrant right of the average share and below the mean
//! score, "matters most, scores lowest", is labelled as the priority. Drawn with the helpers of
//! [`super::charts`], so it looks like the other charts in SVG, PNG and on slides.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::report::Report;

use super::charts::{
    bold, err, font, frame, text_width, ChartText, Cuts, DrawResult, Look, AXIS, GREY, LINE, PALETTE, TEXT,
};

/// One node on the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct PriorityPoint {
    pub label: String,
    /// Share of R² (0–1) and its interval.
    pub share: f64,
    pub ci: (f64, f64),
    pub score: f64,
    /// The node marked as the priority.
    pub priority: bool,
}

/// What the chart shows besides its points: the band thresholds on the score axis (label,
/// score), and the label of the priority quadrant.
#[derive(Debug, Clone, PartialEq)]
pub struct Priority {
    pub points: Vec<PriorityPoint>,
    pub bands: Vec<(String, f64)>,
    pub quadrant: String,
    pub x_desc: String,
    pub y_desc: String,
}

/// The score axis: the points' scores with room for their labels, widened to a band line
/// that lies close by, within the scale's range.
fn score_axis(text: &ChartText, chart: &Priority) -> (f64, f64) {
    let scores = chart.points.iter().map(|p| p.score);
    let lo = scores.clone().fold(f64::INFINITY, f64::min) - 0.3;
    let hi = scores.fold(f64::NEG_INFINITY, f64::max) + 0.3;
    let near = |b: f64| b >= lo - 0.5 && b <= hi + 0.5;
    let bands = chart.bands.iter().map(|b| b.1).filter(|&b| near(b));
    let (lo, hi) = bands.fold((lo, hi), |(lo, hi), b| (lo.min(b - 0.1), hi.max(b + 0.1)));
    (lo.max(text.range.0), hi.min(text.range.1))
}

/// Draws the chart into `root`.
pub(super) fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    text: &ChartText,
    look: &Look,
    chart: &Priority,
    cuts: &Cuts,
) -> DrawResult<()> {
    let area = frame(&root, text, look)?;
    let (y_lo, y_hi) = score_axis(text, chart);
    let x_hi = chart.points.iter().map(|p| p.ci.1).fold(0.0, f64::max).max(0.05) * 1.08;
    let mut plot = ChartBuilder::on(&area)
        .margin(8)
        .margin_right(24)
        .x_label_area_size(56)
        .y_label_area_size(64)
        .build_cartesian_2d(0f64..x_hi, y_lo..y_hi)
        .map_err(err)?;
    plot.configure_mesh()
        .x_labels(6)
        .x_label_formatter(&|x| format!("{:.0}%", x * 100.0))
        .y_labels(6)
        .y_label_formatter(&|y| format!("{y:.1}"))
        .x_desc(&chart.x_desc)
        .y_desc(&chart.y_desc)
        .axis_desc_style(font(AXIS))
        .label_style(font(TEXT))
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(232, 232, 232))
        .draw()
        .map_err(err)?;
    let dashed =
        |from: (f64, f64), to: (f64, f64)| DashedPathElement::new([from, to], 6, 5, GREY.stroke_width(1));
    let average = 1.0 / chart.points.len().max(1) as f64;
    let mean = chart.points.iter().map(|p| p.score).sum::<f64>() / chart.points.len().max(1) as f64;
    plot.draw_series([
        dashed((average, y_lo), (average, y_hi)),
        dashed((0.0, mean), (x_hi, mean)),
    ])
    .map_err(err)?;
    for (label, at) in chart.bands.iter().filter(|b| b.1 > y_lo && b.1 < y_hi) {
        plot.draw_series([DashedPathElement::new(
            [(0.0, *at), (x_hi, *at)],
            3,
            3,
            PALETTE[2].stroke_width(2),
        )])
        .map_err(err)?;
        plot.draw_series([Text::new(
            format!("{label} from {at:.2}"),
            (x_hi * 0.01, *at),
            font(TEXT)
                .color(&PALETTE[2])
                .pos(Pos::new(HPos::Left, VPos::Bottom)),
        )])
        .map_err(err)?;
    }
    plot.draw_series([Text::new(
        chart.quadrant.clone(),
        (x_hi * 0.99, y_lo + (y_hi - y_lo) * 0.02),
        bold(TEXT)
            .color(&PALETTE[5])
            .pos(Pos::new(HPos::Right, VPos::Bottom)),
    )])
    .map_err(err)?;
    for p in &chart.points {
        let colour = if p.priority { PALETTE[5] } else { PALETTE[0] };
        plot.draw_series([ErrorBar::new_horizontal(
            p.score,
            p.ci.0,
            p.share,
            p.ci.1,
            colour.stroke_width(2),
            8,
        )])
        .map_err(err)?;
        plot.draw_series([Circle::new(
            (p.share, p.score),
            if p.priority { 9 } else { 7 },
            colour.filled(),
        )])
        .map_err(err)?;
    }
    let anchors: Vec<(i32, i32)> = chart
        .points
        .iter()
        .map(|p| plot.backend_coord(&(p.share, p.score)))
        .collect();
    labels(&area, chart, &anchors, cuts)
}

/// Each point's label beside it (left of it where the right edge is too close), moved up or
/// down to the nearest place where it overlaps no label placed before it.
fn labels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Priority,
    anchors: &[(i32, i32)],
    cuts: &Cuts,
) -> DrawResult<()> {
    let base = area.get_base_pixel();
    let right = base.0 + area.dim_in_pixel().0 as i32 - 8;
    let mut placed: Vec<(i32, i32, i32, i32)> = Vec::new();
    let mut order: Vec<usize> = (0..chart.points.len()).collect();
    order.sort_by_key(|&i| anchors[i].1);
    for i in order {
        let (p, (x, y)) = (&chart.points[i], anchors[i]);
        let lines = cuts.fit(&p.label, 240.0, TEXT, p.priority, 2);
        let width = lines
            .iter()
            .map(|l| text_width(l, TEXT, p.priority))
            .fold(0.0, f64::max) as i32;
        let height = LINE * lines.len() as i32;
        let left = if x + 14 + width > right {
            x - 14 - width
        } else {
            x + 14
        };
        let overlaps = |top: i32, placed: &[(i32, i32, i32, i32)]| {
            placed
                .iter()
                .any(|&(l, t, w, h)| left < l + w && l < left + width && top < t + h && t < top + height)
        };
        // The nearest free place, trying above and below in turn.
        let centred = y - height / 2;
        let top = (0..120)
            .map(|k| centred + if k % 2 == 0 { 2 * k } else { -2 * (k + 1) })
            .find(|&t| !overlaps(t, &placed))
            .unwrap_or(centred);
        placed.push((left, top, width, height));
        let style = if p.priority { bold(TEXT) } else { font(TEXT) };
        for (k, line) in lines.iter().enumerate() {
            area.draw(&Text::new(
                line.clone(),
                (left - base.0, top - base.1 + LINE * k as i32),
                style.clone().color(&BLACK).pos(Pos::new(HPos::Left, VPos::Top)),
            ))
            .map_err(err)?;
        }
    }
    Ok(())
}

/// One chart per overall item analysed: its name ("priority-<item id>"), title and data.
pub(super) fn from_report(report: &Report) -> Vec<(String, String, Priority)> {
    let (lo, hi) = report.score_bounds;
    let level = &report.headline_level;
    let bands: Vec<(String, f64)> = report
        .bands
        .iter()
        .filter(|b| b.at_least > 0.0)
        .map(|b| (b.label.clone(), lo + b.at_least * (hi - lo)))
        .collect();
    report
        .key_drivers
        .iter()
        .filter(|k| k.analysed)
        .map(|k| {
            let points = k
                .rows
                .iter()
                .filter_map(|r| {
                    let (share, ci, score) = r.values;
                    Some(PriorityPoint {
                        label: r.label.clone(),
                        share,
                        ci,
                        score: score?,
                        priority: r.priority,
                    })
                })
                .collect();
            let chart = Priority {
                points,
                bands: bands.clone(),
                quadrant: "Matters most, scores lowest: the priority".to_string(),
                x_desc: format!(
                    "Importance to the overall rating (share of R², {} interval)",
                    report.confidence.text.as_string()
                ),
                y_desc: format!("Mean score, {}", k.wave),
            };
            let title = format!(
                "What the overall rating tracks: {} by importance and score, {}",
                level.plural.to_lowercase(),
                k.wave
            );
            (format!("priority-{}", k.rating.id), title, chart)
        })
        .collect()
}
