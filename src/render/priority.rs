//! The priority chart of a key-driver analysis, as customer-experience teams draw it: each
//! headline node (function) placed by its importance to the overall rating (its share of R²,
//! across, with its bootstrap interval) and its score (up). Dashed lines mark the average
//! share and the band thresholds; the quadrant right of the average share and below the mean
//! score, "matters most, scores lowest", is labelled as the priority. Drawn with the helpers of
//! [`super::charts`], so it looks like the other charts in SVG, PNG and on slides.

use plotters::coord::types::RangedCoordf64;
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

/// Design pixels of the chart's height in documents: room for six two-line labels.
pub(super) const HEIGHT: u32 = 600;

/// A rectangle in backend pixels: left, top, width, height.
type Rect = (i32, i32, i32, i32);

type Plot<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Pixels of `a` that `b` covers.
fn overlap(a: Rect, b: Rect) -> i64 {
    let w = (a.0 + a.2).min(b.0 + b.2) - a.0.max(b.0);
    let h = (a.1 + a.3).min(b.1 + b.3) - a.1.max(b.1);
    i64::from(w.max(0)) * i64::from(h.max(0))
}

/// The score axis: the points' scores with room for their labels, widened to a band line
/// that lies close by, within the scale's range (margins as shares of that range, so a 0-100
/// scale gets the same room as a 1-5 one).
fn score_axis(text: &ChartText, chart: &Priority) -> (f64, f64) {
    let span = text.range.1 - text.range.0;
    let scores = chart.points.iter().map(|p| p.score);
    let lo = scores.clone().fold(f64::INFINITY, f64::min) - 0.075 * span;
    let hi = scores.fold(f64::NEG_INFINITY, f64::max) + 0.075 * span;
    let near = |b: f64| b >= lo - 0.125 * span && b <= hi + 0.125 * span;
    let bands = chart.bands.iter().map(|b| b.1).filter(|&b| near(b));
    let pad = 0.025 * span;
    let (lo, hi) = bands.fold((lo, hi), |(lo, hi), b| (lo.min(b - pad), hi.max(b + pad)));
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
    let guides = guides(&mut plot, chart, (y_lo, y_hi), x_hi)?;
    // The points' rectangles first, two per point (interval, dot), then the guides' names.
    let mut taken = points(&mut plot, chart)?;
    taken.extend(guides);
    let anchors: Vec<(i32, i32)> = chart
        .points
        .iter()
        .map(|p| plot.backend_coord(&(p.share, p.score)))
        .collect();
    let (xs, ys) = plot.plotting_area().get_pixel_range();
    let bounds = (xs.start, ys.start, xs.end - xs.start, ys.end - ys.start);
    labels(&area, chart, &anchors, taken, bounds, cuts)
}

/// The dashed average share and mean score, the band lines with their names and the priority
/// quadrant's name; returns the rectangles the names take.
fn guides<DB: DrawingBackend>(
    plot: &mut Plot<DB>,
    chart: &Priority,
    (y_lo, y_hi): (f64, f64),
    x_hi: f64,
) -> DrawResult<Vec<Rect>> {
    let dashed =
        |from: (f64, f64), to: (f64, f64)| DashedPathElement::new([from, to], 6, 5, GREY.stroke_width(1));
    let average = 1.0 / chart.points.len().max(1) as f64;
    let mean = chart.points.iter().map(|p| p.score).sum::<f64>() / chart.points.len().max(1) as f64;
    plot.draw_series([
        dashed((average, y_lo), (average, y_hi)),
        dashed((0.0, mean), (x_hi, mean)),
    ])
    .map_err(err)?;
    let mut taken = Vec::new();
    // Every name ends at the right edge, clear of the points crowding the low shares.
    let mut name = |plot: &mut Plot<DB>, text: String, at: (f64, f64), style: TextStyle, strong: bool| {
        let (x, y) = plot.backend_coord(&at);
        let width = text_width(&text, TEXT, strong) as i32;
        taken.push((x - width, y - LINE, width, LINE));
        let pos = Pos::new(HPos::Right, VPos::Bottom);
        plot.draw_series([Text::new(text, at, style.pos(pos))])
            .map(|_| ())
            .map_err(err)
    };
    for (label, at) in chart.bands.iter().filter(|b| b.1 > y_lo && b.1 < y_hi) {
        let line = DashedPathElement::new([(0.0, *at), (x_hi, *at)], 3, 3, PALETTE[2].stroke_width(2));
        plot.draw_series([line]).map_err(err)?;
        let style = font(TEXT).color(&PALETTE[2]);
        name(
            plot,
            format!("{label} from {at:.2}"),
            (x_hi * 0.99, *at),
            style,
            false,
        )?;
    }
    let corner = (x_hi * 0.99, y_lo + (y_hi - y_lo) * 0.02);
    name(
        plot,
        chart.quadrant.clone(),
        corner,
        bold(TEXT).color(&PALETTE[5]),
        true,
    )?;
    Ok(taken)
}

/// Each node's interval and dot (the priority larger, in its colour); returns the rectangles
/// they take.
fn points<DB: DrawingBackend>(plot: &mut Plot<DB>, chart: &Priority) -> DrawResult<Vec<Rect>> {
    let mut taken = Vec::new();
    for p in &chart.points {
        let colour = if p.priority { PALETTE[5] } else { PALETTE[0] };
        let bar = ErrorBar::new_horizontal(p.score, p.ci.0, p.share, p.ci.1, colour.stroke_width(2), 8);
        let radius = if p.priority { 9 } else { 7 };
        plot.draw_series([bar]).map_err(err)?;
        plot.draw_series([Circle::new((p.share, p.score), radius, colour.filled())])
            .map_err(err)?;
        let (lo, y) = plot.backend_coord(&(p.ci.0, p.score));
        let (hi, _) = plot.backend_coord(&(p.ci.1, p.score));
        let (x, _) = plot.backend_coord(&(p.share, p.score));
        taken.push((x - radius, y - radius, 2 * radius + 1, 2 * radius + 1));
        taken.push((lo, y - 5, hi - lo + 1, 10));
    }
    Ok(taken)
}

/// Where a label of `size` may go around its dot at `(x, y)`, nearest first: above or below
/// it, beside it on the right or left, at its corners, then moved further up and down; each with whether it
/// needs a leader line back to its dot.
fn candidates((x, y): (i32, i32), (w, h): (i32, i32)) -> Vec<(Rect, bool)> {
    let (gap, up) = (14, 11);
    let mut out = vec![
        ((x - w / 2, y - up - h, w, h), false),
        ((x - w / 2, y + up, w, h), false),
        ((x + gap, y - h / 2, w, h), false),
        ((x - gap - w, y - h / 2, w, h), false),
        ((x + gap, y - up - h, w, h), false),
        ((x - gap - w, y - up - h, w, h), false),
        ((x + gap, y + up, w, h), false),
        ((x - gap - w, y + up, w, h), false),
    ];
    for step in 1..=12 {
        let dy = step * LINE / 2 + gap;
        for top in [y - dy - h, y + dy] {
            for left in [x + gap, x - gap - w, x - w / 2] {
                out.push(((left, top, w, h), true));
            }
        }
    }
    out
}

/// A label as placed: the point's index, its lines, its rectangle and, when it was moved away
/// from its dot, the leader line's end on the label's edge.
struct Placed {
    point: usize,
    lines: Vec<String>,
    rect: Rect,
    leader: Option<(i32, i32)>,
}

/// Each point's label in the nearest place inside the plot that covers no other label, dot,
/// interval, leader line or guide name (else the place covering least), the priority first.
/// `taken` holds two rectangles per point (dot, interval), then the guides' names.
fn place(
    chart: &Priority,
    anchors: &[(i32, i32)],
    mut taken: Vec<Rect>,
    bounds: Rect,
    cuts: &Cuts,
) -> Vec<Placed> {
    let mut order: Vec<usize> = (0..chart.points.len()).collect();
    order.sort_by_key(|&i| (!chart.points[i].priority, anchors[i].1));
    let mut out = Vec::new();
    for i in order {
        let (p, (x, y)) = (&chart.points[i], anchors[i]);
        let lines = cuts.fit(&p.label, 240.0, TEXT, p.priority, 2);
        let width = lines
            .iter()
            .map(|l| text_width(l, TEXT, p.priority))
            .fold(0.0, f64::max) as i32;
        let size = (width, LINE * lines.len() as i32);
        // Its own dot is no obstacle; its own interval is, so a label never sits on it.
        let own = 2 * i;
        let cost = |r: Rect| {
            let outside = i64::from(r.2) * i64::from(r.3) - overlap(r, bounds);
            let covered = taken.iter().enumerate().filter(|&(k, _)| k != own);
            outside + covered.map(|(_, &o)| overlap(r, o)).sum::<i64>()
        };
        // The first place of least cost: the nearest free one when there is one.
        let Some(&(rect, moved)) = candidates((x, y), size).iter().min_by_key(|(r, _)| cost(*r)) else {
            continue;
        };
        let leader = moved.then(|| {
            let edge = (
                x.clamp(rect.0, rect.0 + rect.2),
                if rect.1 > y { rect.1 } else { rect.1 + rect.3 },
            );
            // Later labels keep off the line too.
            taken.push((
                x.min(edge.0) - 1,
                y.min(edge.1),
                (x - edge.0).abs() + 3,
                (y - edge.1).abs(),
            ));
            edge
        });
        taken.push(rect);
        out.push(Placed {
            point: i,
            lines,
            rect,
            leader,
        });
    }
    out
}

/// Draws the labels as [`place`] put them, a moved one joined to its dot by a thin line.
fn labels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Priority,
    anchors: &[(i32, i32)],
    taken: Vec<Rect>,
    bounds: Rect,
    cuts: &Cuts,
) -> DrawResult<()> {
    let base = area.get_base_pixel();
    let local = |(x, y): (i32, i32)| (x - base.0, y - base.1);
    for label in place(chart, anchors, taken, bounds, cuts) {
        let p = &chart.points[label.point];
        if let Some(edge) = label.leader {
            let line = PathElement::new([local(anchors[label.point]), local(edge)], GREY.stroke_width(1));
            area.draw(&line).map_err(err)?;
        }
        let style = if p.priority { bold(TEXT) } else { font(TEXT) };
        for (k, line) in label.lines.iter().enumerate() {
            let at = local((label.rect.0, label.rect.1 + LINE * k as i32));
            let text = style.clone().color(&BLACK).pos(Pos::new(HPos::Left, VPos::Top));
            area.draw(&Text::new(line.clone(), at, text)).map_err(err)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn point(label: &str, priority: bool) -> PriorityPoint {
        let (share, ci, score) = (0.0, (0.0, 0.0), 0.0);
        PriorityPoint {
            label: label.into(),
            share,
            ci,
            score,
            priority,
        }
    }

    /// Six points as crowded as the sample's 2025 chart (its pixel positions, intervals and
    /// guide names), two pairs 20 pixels apart: no label covers another, a dot or an interval
    /// other than its own dot, and every label stays inside the plot.
    #[test]
    fn crowded_labels_cover_nothing() {
        let labels = [
            "Guide Vision and Strategy",
            "Support Aligned Activities",
            "Establish Shared Measurement Practices",
            "Cultivate Community Engagement and Ownership",
            "Advance Policy",
            "Mobilize Funding and Resources",
        ];
        let chart = Priority {
            points: labels.iter().enumerate().map(|(i, l)| point(l, i == 4)).collect(),
            bands: Vec::new(),
            quadrant: String::new(),
            x_desc: String::new(),
            y_desc: String::new(),
        };
        let anchors = [
            (438, 205),
            (249, 192),
            (278, 215),
            (215, 302),
            (383, 411),
            (201, 311),
        ];
        let intervals = [
            (263, 700),
            (128, 449),
            (169, 456),
            (140, 378),
            (236, 548),
            (132, 341),
        ];
        let mut taken = Vec::new();
        for (&(x, y), &(lo, hi)) in anchors.iter().zip(&intervals) {
            taken.push((x - 7, y - 7, 15, 15));
            taken.push((lo, y - 5, hi - lo + 1, 10));
        }
        let names = [(598, 100, 145, 19), (585, 329, 158, 19), (420, 450, 323, 19)];
        taken.extend(names);
        let bounds = (88, 92, 660, 390);
        let placed = place(&chart, &anchors, taken.clone(), bounds, &Cuts::default());
        assert_eq!(placed.len(), 6);
        for (a, label) in placed.iter().enumerate() {
            assert_eq!(
                overlap(label.rect, bounds),
                i64::from(label.rect.2 * label.rect.3)
            );
            for (k, &r) in taken.iter().enumerate().filter(|&(k, _)| k != 2 * label.point) {
                assert_eq!(overlap(label.rect, r), 0, "{:?} covers obstacle {k}", label.lines);
            }
            for other in &placed[a + 1..] {
                assert_eq!(
                    overlap(label.rect, other.rect),
                    0,
                    "{:?} {:?}",
                    label.lines,
                    other.lines
                );
            }
        }
    }
}
