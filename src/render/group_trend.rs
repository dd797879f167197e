//! Groups over time, as small multiples: per breakdown attribute one chart with a panel per
//! headline node and, in each panel, one line per group across the waves, over that node's band
//! zones. A panel per node (not per group) because the committee's question is "where did this
//! function move, and for whom": the groups then share one scale and sit side by side on the
//! same node, and one legend names each group's colour and mark for every panel. A group's
//! wave under the suppression threshold is not drawn. Drawn with the helpers of
//! [`super::charts`] (fonts, palette, marks, band zones, frame), as SVG and the PNG of it.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::charts::{
    bold, draw_mark, err, finish_svg, font, frame, rasterise, register_font, text_width, wrap, zone_colour,
    zones, ChartText, DrawResult, Look, NodeScale, GREY, LINE, PALETTE, TEXT,
};
use crate::report::Report;

/// A panel's plot height, and the room beside and below it for the axis labels.
const PLOT: i32 = 120;
const Y_LABELS: i32 = 34;
const X_LABELS: i32 = LINE + 8;
/// Space between panels and rows of panels.
const GAP: i32 = 14;
/// Panels per row at most.
const COLUMNS: usize = 3;

/// One group's line: its name and, per node (the panels) and wave, its mean (`None`: not
/// scored, or suppressed).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupLine {
    pub name: String,
    pub means: Vec<Vec<Option<f64>>>,
}

/// One attribute's small multiples: the panels' nodes (label, scale) and the groups' lines.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupTrend {
    pub text: ChartText,
    pub nodes: Vec<(String, Option<NodeScale>)>,
    pub groups: Vec<GroupLine>,
}

/// One chart per breakdown attribute (named `group-trend-<attribute>`), when there are at least
/// two waves.
pub fn from_report(report: &Report) -> Vec<(String, GroupTrend)> {
    if report.waves.len() < 2 {
        return Vec::new();
    }
    let plural = &report.headline_level.plural;
    let c = &report.captions;
    report
        .groups
        .iter()
        .map(|table| {
            let groups = table
                .columns
                .iter()
                .map(|col| GroupLine {
                    name: col.name.clone(),
                    means: col.trend.clone(),
                })
                .collect();
            let title = format!("{plural} by {} across waves", table.label.to_lowercase());
            let nodes = report
                .headline
                .iter()
                .map(|r| (r.label.clone(), super::node_scale(r)))
                .collect();
            let text = super::chart_text(report, title, &c.groups);
            (
                format!("group-trend-{}", table.attribute),
                GroupTrend { text, nodes, groups },
            )
        })
        .collect()
}

/// Where things go: the panels' width, each row's title lines, the wave labels (or their
/// numbers, keyed below) and the legend's lines.
struct Layout {
    columns: usize,
    panel: i32,
    titles: Vec<Vec<Vec<String>>>,
    wave_labels: Vec<String>,
    wave_key: Vec<String>,
    legend: Vec<Vec<String>>,
    legend_column: i32,
}

impl GroupTrend {
    fn layout(&self, look: &Look) -> Layout {
        let width = look.canvas.0 as i32 - 40;
        let columns = self.nodes.len().clamp(1, COLUMNS);
        let panel = (width - GAP * (columns as i32 - 1)) / columns as i32;
        let title_room = (panel - Y_LABELS) as f64;
        let titles = self
            .nodes
            .chunks(columns)
            .map(|row| row.iter().map(|(l, _)| wrap(l, title_room, TEXT, true)).collect())
            .collect();
        let waves = &self.text.waves;
        let slot = (panel - Y_LABELS - 8) as f64 / waves.len().max(1) as f64;
        let fits = waves.iter().all(|w| text_width(w, TEXT, false) + 6.0 <= slot);
        let (wave_labels, wave_key) = if fits {
            (waves.clone(), Vec::new())
        } else {
            let key: Vec<String> = waves
                .iter()
                .enumerate()
                .map(|(i, w)| format!("{} = {w}", i + 1))
                .collect();
            let labels = (1..=waves.len()).map(|i| i.to_string()).collect();
            (
                labels,
                wrap(&format!("Waves: {}", key.join("; ")), width as f64, TEXT, false),
            )
        };
        let legend_column = (width - GAP) / 2;
        let legend = self
            .groups
            .iter()
            .map(|g| g.name.as_str())
            .chain(self.band_names())
            .map(|name| wrap(name, (legend_column - 24) as f64, TEXT, false))
            .collect();
        Layout {
            columns,
            panel,
            titles,
            wave_labels,
            wave_key,
            legend,
            legend_column,
        }
    }

    /// The bands' names for the legend's key, highest first, when any panel shades them.
    fn band_names(&self) -> impl Iterator<Item = &str> {
        let shaded = self.text.bands.len() > 1 && self.nodes.iter().any(|(_, s)| s.is_some());
        self.text
            .bands
            .iter()
            .filter(move |_| shaded)
            .map(|b| b.0.as_str())
    }

    /// The legend's rows: two entries side by side, each row as tall as its taller entry.
    fn legend_rows(layout: &Layout) -> Vec<i32> {
        layout
            .legend
            .chunks(2)
            .map(|pair| pair.iter().map(|l| l.len() as i32).max().unwrap_or(1) * LINE + 6)
            .collect()
    }

    fn row_height(titles: &[Vec<String>]) -> i32 {
        let lines = titles.iter().map(Vec::len).max().unwrap_or(1) as i32;
        lines * LINE + 6 + PLOT + X_LABELS + GAP
    }

    /// The height the chart needs at the look's width (at least `least`).
    pub fn height(&self, look: &Look, least: u32) -> u32 {
        let layout = self.layout(look);
        let (top, bottom) = super::charts::frame_margins(&self.text, look);
        let rows: i32 = layout.titles.iter().map(|t| Self::row_height(t)).sum();
        let legend: i32 = Self::legend_rows(&layout).iter().sum();
        let key = layout.wave_key.len() as i32 * LINE;
        (top as i32 + bottom as i32 + rows + key + legend + 24).max(least as i32) as u32
    }

    /// Draws the chart as SVG and its PNG.
    pub fn render(&self, look: &Look) -> DrawResult<(String, Vec<u8>)> {
        register_font();
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, look.canvas).into_drawing_area();
            self.draw(&root, look)?;
            root.present().map_err(err)?;
        }
        let svg = finish_svg(svg, look, &[]);
        let png = rasterise(&svg)?;
        Ok((svg, png))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, look: &Look) -> DrawResult<()> {
        let area = frame(root, &self.text, look)?;
        let layout = self.layout(look);
        let mut y = 0;
        for (r, titles) in layout.titles.iter().enumerate() {
            let title_height = titles.iter().map(Vec::len).max().unwrap_or(1) as i32 * LINE + 6;
            for (c, lines) in titles.iter().enumerate() {
                let node = r * layout.columns + c;
                let x = c as i32 * (layout.panel + GAP);
                for (l, line) in lines.iter().enumerate() {
                    let at = (x + Y_LABELS, y + l as i32 * LINE);
                    area.draw(&Text::new(line.clone(), at, bold(TEXT).color(&BLACK)))
                        .map_err(err)?;
                }
                self.panel(&area, &layout, node, (x, y + title_height))?;
            }
            y += Self::row_height(titles);
        }
        for line in &layout.wave_key {
            area.draw(&Text::new(line.clone(), (0, y), font(TEXT).color(&GREY)))
                .map_err(err)?;
            y += LINE;
        }
        self.legend(&area, &layout, y + 8)
    }

    /// One node's panel with its top-left corner at `(x, y)`: band zones, frame, the scale's
    /// ends, the waves and each group's line and marks.
    fn panel<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        layout: &Layout,
        node: usize,
        (x, y): (i32, i32),
    ) -> DrawResult<()> {
        let (x0, x1, y1) = (x + Y_LABELS, x + layout.panel - 8, y + PLOT);
        let scale = self.nodes[node].1;
        let (lo, hi) = scale.map_or(self.text.range, |s| s.range);
        let y_of = |v: f64| y1 - ((v - lo) / (hi - lo).max(f64::EPSILON) * PLOT as f64).round() as i32;
        if let Some(scale) = scale {
            let count = self.text.bands.len();
            for (rank, from, to) in zones(&self.text.bands, scale) {
                let style = zone_colour(rank, count).filled();
                area.draw(&Rectangle::new([(x0, y_of(to)), (x1, y_of(from))], style))
                    .map_err(err)?;
            }
        }
        area.draw(&Rectangle::new(
            [(x0, y), (x1, y1)],
            RGBColor(200, 200, 200).stroke_width(1),
        ))
        .map_err(err)?;
        let right = font(TEXT).color(&BLACK).pos(Pos::new(HPos::Right, VPos::Center));
        for v in [lo, hi] {
            area.draw(&Text::new(number(v), (x0 - 6, y_of(v)), right.clone()))
                .map_err(err)?;
        }
        let k = self.text.waves.len();
        let slot = (x1 - x0) as f64 / k.max(1) as f64;
        let x_of = |i: usize| x0 + (slot * (i as f64 + 0.5)).round() as i32;
        let below = font(TEXT).color(&BLACK).pos(Pos::new(HPos::Center, VPos::Top));
        for (i, label) in layout.wave_labels.iter().enumerate() {
            area.draw(&Text::new(label.clone(), (x_of(i), y1 + 4), below.clone()))
                .map_err(err)?;
        }
        for (g, group) in self.groups.iter().enumerate() {
            let Some(means) = group.means.get(node) else {
                continue;
            };
            let colour = PALETTE[g % PALETTE.len()];
            // A line joins consecutive waves both drawn; a lone wave is its mark alone.
            for (i, pair) in means.windows(2).enumerate() {
                if let [Some(a), Some(b)] = pair {
                    let path = vec![(x_of(i), y_of(*a)), (x_of(i + 1), y_of(*b))];
                    area.draw(&PathElement::new(path, colour.stroke_width(2)))
                        .map_err(err)?;
                }
            }
            for (i, mean) in means.iter().enumerate() {
                if let Some(m) = mean {
                    draw_mark(area, (x_of(i), y_of(*m)), g)?;
                }
            }
        }
        Ok(())
    }

    /// Each group's mark and name, then each band's zone colour and name, two to a row.
    fn legend<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        layout: &Layout,
        top: i32,
    ) -> DrawResult<()> {
        let mut y = top;
        for (row, height) in Self::legend_rows(layout).into_iter().enumerate() {
            for c in 0..2 {
                let g = row * 2 + c;
                let Some(lines) = layout.legend.get(g) else {
                    continue;
                };
                let x = c as i32 * (layout.legend_column + GAP);
                match g.checked_sub(self.groups.len()) {
                    None => draw_mark(area, (x + 8, y + LINE / 2), g)?,
                    Some(band) => {
                        let swatch = [(x + 1, y + 2), (x + 15, y + LINE - 2)];
                        let colour = zone_colour(band, self.text.bands.len());
                        area.draw(&Rectangle::new(swatch, colour.filled())).map_err(err)?;
                    }
                }
                for (l, line) in lines.iter().enumerate() {
                    let at = (x + 24, y + l as i32 * LINE);
                    area.draw(&Text::new(line.clone(), at, font(TEXT).color(&BLACK)))
                        .map_err(err)?;
                }
            }
            y += height;
        }
        Ok(())
    }
}

/// A scale end as printed: whole numbers without decimals ("1", "10"), else one decimal.
fn number(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}
