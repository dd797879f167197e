//! Charts: the trend of the headline nodes (the functions) across waves, the latest wave's
//! scorecard, the answer distributions and the group breakdowns. Each is drawn once, as SVG, by
//! plotters, and the PNG is that SVG rasterised by resvg with the same compiled-in font (DejaVu
//! Sans, and no system font), so the PNG's text is shaped and kerned exactly as in the SVG and the
//! PDF. Each SVG embeds the subset of DejaVu Sans its text uses, so it looks the same in any
//! viewer. A [`Look`] sets the drawing's size and the image's: document charts (report, brief)
//! and 16:9 slide versions; every text is at least 15.3 design pixels high (8 pt in the brief,
//! 23 px on a 1920-wide slide). Labels are wrapped to their room and cut with "…" when they
//! would not fit, the full text then in the SVG's `<title>`.
//! One colour-blind-safe palette (Okabe-Ito).

use std::cell::RefCell;
use std::sync::{Arc, OnceLock};

use base64::Engine;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use resvg::{tiny_skia, usvg};
use sha2::Digest;

use super::subset;

/// Okabe & Ito (2008) palette, distinguishable with the common colour-vision deficiencies
/// (its yellow darkened to read on white), plus a neutral grey.
pub(super) const PALETTE: [RGBColor; 9] = [
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
pub(super) const GREY: RGBColor = RGBColor(110, 110, 110);
/// The font family every text names; the SVG names its embedded subset first and any
/// sans-serif after it.
pub const FONT: &str = "DejaVu Sans";
/// Text sizes in plotters' units (the SVG's font-size is the size / 1.24): the title, axis
/// descriptions and section headings, and everything else.
const TITLE: u32 = 28;
pub(super) const AXIS: u32 = 20;
pub(super) const TEXT: u32 = 19;
/// The trend's plot takes this percentage of the width, its legend the rest.
const TREND_PLOT: i32 = 62;
/// Line height of `TEXT`, in design pixels.
pub(super) const LINE: i32 = 19;

/// One node's score in one wave, as charted.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub mean: f64,
    pub ci: Option<(f64, f64)>,
    pub n: usize,
}

/// Where a node's scores sit, for its band zones: its scale's range and whether lower scores
/// are better (its bands then mirrored).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NodeScale {
    pub range: (f64, f64),
    pub lower_is_better: bool,
}

/// A charted node: its label and its point per wave (`None` where it was not scored).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub label: String,
    pub scale: Option<NodeScale>,
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
    /// What a group chart's axis measures, when not the latest wave's mean score.
    pub axis: Option<String>,
    /// The interpretive bands shaded behind the means (name, lower bound as a share of the
    /// scale's range), highest first; none on a chart of shares.
    pub bands: Vec<(String, f64)>,
}

/// A row of a group chart: its label and, where it plots a mean score, its node's scale.
#[derive(Debug, Clone, PartialEq)]
pub struct RowLabel {
    pub label: String,
    pub scale: Option<NodeScale>,
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

/// How a chart is laid out: the drawing's size in design pixels (text sizes are fixed in
/// those), the scale to the pixels of the image written, and whether the chart carries its
/// title and its source line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Look {
    pub canvas: (u32, u32),
    pub scale: f64,
    pub titles: bool,
    pub source: bool,
}

impl Look {
    /// For report.html and the brief: 800 design pixels wide (the brief prints them 149 mm
    /// wide, so 15.3 px text is 8 pt), written as a 1200-pixel-wide PNG.
    pub fn document(titles: bool, height: u32) -> Look {
        Look {
            canvas: (800, height),
            scale: 1.5,
            titles,
            source: titles,
        }
    }

    /// A 16:9 slide image, 1920 × 1080, with its title (which names the wave) unless the
    /// config leaves titles out, and no source line (the deck says where its data come from).
    pub fn slide(titles: bool) -> Look {
        Look {
            canvas: (1280, 720),
            scale: 1.5,
            titles,
            source: false,
        }
    }

    /// The size of the image written, in pixels.
    pub fn image(&self) -> (u32, u32) {
        let px = |v: u32| (v as f64 * self.scale).round() as u32;
        (px(self.canvas.0), px(self.canvas.1))
    }
}

pub(super) type DrawResult<T> = Result<T, String>;

pub(super) fn register_font() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // The font is compiled in: registration fails only if the file itself were corrupt.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular());
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold());
    });
}

/// The fonts resvg may use: DejaVu Sans and Sans Bold, nothing from the system.
fn font_database() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(dejavu::sans::regular().to_vec());
        db.load_font_data(dejavu::sans::bold().to_vec());
        db.set_sans_serif_family(FONT);
        Arc::new(db)
    })
    .clone()
}

/// The width of `text` in the SVG, in design pixels, from the font's advances.
pub fn text_width(text: &str, size: u32, bold: bool) -> f64 {
    static FACES: OnceLock<[ttf_parser::Face<'static>; 2]> = OnceLock::new();
    let faces = FACES.get_or_init(|| {
        let face = |data| ttf_parser::Face::parse(data, 0).expect("DejaVu Sans is a valid font");
        [face(dejavu::sans::regular()), face(dejavu::sans::bold())]
    });
    let face = &faces[bold as usize];
    let units: u32 = text
        .chars()
        .map(|c| {
            let glyph = face.glyph_index(c).unwrap_or_default();
            face.glyph_hor_advance(glyph).unwrap_or_default() as u32
        })
        .sum();
    units as f64 * svg_size(size) / face.units_per_em() as f64
}

/// The font size the SVG is given for a plotters text size.
pub fn svg_size(size: u32) -> f64 {
    size as f64 / 1.24
}

/// Splits text into lines at most `width` design pixels wide, at spaces (a word wider than that
/// stands on its own line).
pub fn wrap(text: &str, width: f64, size: u32, bold: bool) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if text_width(&format!("{line} {word}"), size, bold) <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// Full texts of labels cut to fit, by the last line drawn: they go into the SVG's `<title>`.
#[derive(Default)]
pub(super) struct Cuts(RefCell<Vec<(String, String)>>);

impl Cuts {
    /// `text` wrapped to `width` in at most `max_lines` lines; a text that does not fit has its
    /// last line cut and ended with "…", and is remembered.
    pub(super) fn fit(&self, text: &str, width: f64, size: u32, bold: bool, max_lines: usize) -> Vec<String> {
        let mut lines = wrap(text, width, size, bold);
        let max_lines = max_lines.max(1);
        let too_wide = lines.iter().any(|l| text_width(l, size, bold) > width);
        if lines.len() <= max_lines && !too_wide {
            return lines;
        }
        let rest = lines.split_off(max_lines.min(lines.len()) - 1).join(" ");
        let mut last = String::new();
        for c in rest.chars() {
            if text_width(&format!("{last}{c}…"), size, bold) > width {
                break;
            }
            last.push(c);
        }
        let last = format!("{}…", last.trim_end());
        self.0.borrow_mut().push((last.clone(), text.to_string()));
        lines.push(last);
        lines
    }
}

/// A chart and the data it shows.
#[derive(Debug, Clone, Copy)]
pub enum Chart<'a> {
    Trend(&'a ChartText, &'a [Series]),
    Scorecard(&'a ChartText, &'a [Series]),
    /// Diverging stacked bars, each row on its own scale.
    Distribution(&'a ChartText, &'a [Distribution], &'a [ScaleKey]),
    /// Group means per headline node (the rows), with the suppression threshold.
    Groups(&'a ChartText, &'a [RowLabel], &'a [Group], usize),
    /// Shares of the options of a single-choice question per row (the option names).
    Shares(&'a ChartText, &'a [ShareRow], &'a [String]),
    /// Importance against score of the headline nodes (see [`super::priority`]).
    Priority(&'a ChartText, &'a super::priority::Priority),
    /// A self-rating group against everyone else per node (the group's name).
    Gap(&'a ChartText, &'a [GapRow], &'a str),
}

/// One node of the gap chart: the self-rating group's mean, everyone else's, the gap
/// (self − everyone else) with its interval, and whether the gap is reliable.
#[derive(Debug, Clone, PartialEq)]
pub struct GapRow {
    pub label: String,
    pub scale: Option<NodeScale>,
    pub self_mean: f64,
    pub others_mean: f64,
    pub gap: (f64, f64, f64),
    pub reliable: bool,
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

impl<'a> Chart<'a> {
    fn draw<DB: DrawingBackend>(
        &self,
        root: DrawingArea<DB, Shift>,
        look: &Look,
        cuts: &Cuts,
    ) -> DrawResult<()> {
        match *self {
            Chart::Trend(text, series) => trend(root, text, look, series, cuts),
            Chart::Scorecard(text, series) => score_rows(root, text, look, series, cuts, true),
            Chart::Distribution(text, rows, scales) => distribution(root, text, look, rows, scales, cuts),
            Chart::Groups(text, nodes, groups, threshold) => {
                group_chart(root, text, look, nodes, groups, threshold, cuts)
            }
            Chart::Shares(text, rows, options) => shares_chart(root, text, look, rows, options, cuts),
            Chart::Priority(text, chart) => super::priority::draw(root, text, look, chart, cuts),
            Chart::Gap(text, rows, group) => gap_chart(root, text, look, rows, group, cuts),
        }
    }

    /// The height the chart needs at the look's width (at least `least`): long legends,
    /// labels and lists of rows make it taller.
    pub fn height(&self, look: &Look, least: u32) -> u32 {
        let needed = match *self {
            Chart::Trend(text, series) => trend_height(text, look, series),
            Chart::Scorecard(text, series) => scorecard_height(text, look, series),
            Chart::Priority(..) => super::priority::HEIGHT,
            Chart::Distribution(text, rows, scales) => distribution_height(text, look, rows, scales),
            Chart::Groups(text, nodes, groups, threshold) => {
                groups_height(text, look, nodes, groups, threshold)
            }
            Chart::Shares(text, rows, options) => shares_height(text, look, rows, options),
            Chart::Gap(text, rows, _) => {
                let labels = rows.iter().map(|r| r.label.as_str());
                rows_height(text, look, labels) + ZONE_NAMES
            }
        };
        needed.max(least)
    }

    /// The chart split into parts that each fit the look's height: the rows of the
    /// distribution (whole sections together as far as they fit), the shares, the scorecard
    /// and a one-wave trend; other charts are one part.
    pub fn parts(&self, look: &Look) -> Vec<Chart<'a>> {
        match *self {
            Chart::Distribution(text, rows, scales) => {
                let fits =
                    |part: &[Distribution]| distribution_height(text, look, part, scales) <= look.canvas.1;
                split_rows(rows, |a, b| a.section == b.section, fits)
                    .into_iter()
                    .map(|part| Chart::Distribution(text, part, scales))
                    .collect()
            }
            Chart::Shares(text, rows, options) => {
                let fits = |part: &[ShareRow]| shares_height(text, look, part, options) <= look.canvas.1;
                split_rows(rows, |_, _| false, fits)
                    .into_iter()
                    .map(|part| Chart::Shares(text, part, options))
                    .collect()
            }
            Chart::Scorecard(text, series) => {
                let fits = |part: &[Series]| scorecard_height(text, look, part) <= look.canvas.1;
                split_rows(series, |_, _| false, fits)
                    .into_iter()
                    .map(|part| Chart::Scorecard(text, part))
                    .collect()
            }
            Chart::Gap(text, rows, group) => {
                let fits = |part: &[GapRow]| {
                    let labels = part.iter().map(|r| r.label.as_str());
                    rows_height(text, look, labels) + ZONE_NAMES <= look.canvas.1
                };
                split_rows(rows, |_, _| false, fits)
                    .into_iter()
                    .map(|part| Chart::Gap(text, part, group))
                    .collect()
            }
            // One wave draws the trend as rows, split like the scorecard's.
            Chart::Trend(text, series) if text.waves.len() < 2 => {
                let fits = |part: &[Series]| scorecard_height(text, look, part) <= look.canvas.1;
                split_rows(series, |_, _| false, fits)
                    .into_iter()
                    .map(|part| Chart::Trend(text, part))
                    .collect()
            }
            _ => vec![*self],
        }
    }

    /// Draws the chart as SVG.
    pub fn svg(&self, look: &Look) -> DrawResult<String> {
        register_font();
        let cuts = Cuts::default();
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, look.canvas).into_drawing_area();
            self.draw(root.clone(), look, &cuts)?;
            root.present().map_err(err)?;
        }
        Ok(finish_svg(svg, look, &cuts.0.into_inner()))
    }

    /// Draws the chart as SVG and rasterises that SVG to PNG: (SVG text, PNG bytes).
    pub fn render(&self, look: &Look) -> DrawResult<(String, Vec<u8>)> {
        let svg = self.svg(look)?;
        let png = rasterise(&svg)?;
        Ok((svg, png))
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// Sizes the SVG to the image (the drawing becomes its viewBox), embeds the subset of DejaVu
/// Sans (and Bold) its text uses and names it first, DejaVu Sans then any sans-serif after
/// it, and gives every cut label its full text as a `<title>`.
pub(super) fn finish_svg(svg: String, look: &Look, cuts: &[(String, String)]) -> String {
    let (w, h) = look.canvas;
    let (iw, ih) = look.image();
    let opening = format!("<svg width=\"{w}\" height=\"{h}\"");
    let (regular, bold) = text_of(&svg);
    let mut faces = String::new();
    let mut digest = sha2::Sha256::new();
    let mut fonts = Vec::new();
    for (text, data, weight) in [
        (regular, dejavu::sans::regular(), "normal"),
        (bold, dejavu::sans::bold(), "bold"),
    ] {
        if let Some(font) = (!text.is_empty()).then(|| subset::subset(data, &text)).flatten() {
            digest.update(&font);
            fonts.push((font, weight));
        }
    }
    let family = format!("bb-{}", &format!("{:x}", digest.finalize())[..12]);
    for (font, weight) in fonts {
        faces.push_str(&format!(
            "@font-face{{font-family:{family};font-weight:{weight};src:url(data:font/ttf;base64,{})}}",
            base64::engine::general_purpose::STANDARD.encode(&font)
        ));
    }
    let mut svg = svg.replacen(&opening, &format!("<svg width=\"{iw}\" height=\"{ih}\""), 1);
    if let Some(end) = svg.find('>') {
        svg.insert_str(end + 1, &format!("\n<defs><style>{faces}</style></defs>"));
    }
    svg = svg.replace(
        &format!("font-family=\"{FONT}\""),
        &format!("font-family=\"{family}, {FONT}, sans-serif\""),
    );
    for (shown, full) in cuts {
        let line = format!("\n{}\n</text>", escape(shown));
        let titled = format!("\n{}\n<title>{}</title></text>", escape(shown), escape(full));
        svg = svg.replacen(&line, &titled, 1);
    }
    svg
}

/// The characters of the SVG's regular and its bold text (entities decoded).
fn text_of(svg: &str) -> (String, String) {
    let (mut regular, mut bold) = (String::new(), String::new());
    for element in svg.split("<text ").skip(1) {
        let Some((tag, rest)) = element.split_once('>') else {
            continue;
        };
        let content = rest.split('<').next().unwrap_or_default();
        let decoded = content
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&");
        let target = if tag.contains("font-weight=\"bold\"") {
            &mut bold
        } else {
            &mut regular
        };
        target.push_str(&decoded);
    }
    (regular, bold)
}

/// The SVG drawn to PNG pixels at its own size, on white.
pub fn rasterise(svg: &str) -> DrawResult<Vec<u8>> {
    let options = usvg::Options {
        fontdb: font_database(),
        ..Default::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(err)?;
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("empty chart")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(err)
}

pub(super) fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

pub(super) fn font(size: u32) -> FontDesc<'static> {
    (FONT, size).into_font()
}

pub(super) fn bold(size: u32) -> FontDesc<'static> {
    (FONT, size).into_font().style(FontStyle::Bold)
}

/// Title and source line wrapped to the chart's width, each when the look carries it.
fn frame_text(text: &ChartText, look: &Look) -> (Vec<String>, Vec<String>) {
    let width = look.canvas.0 as f64 - 48.0;
    let title = if look.titles {
        wrap(&text.title, width, TITLE, true)
    } else {
        Vec::new()
    };
    let source = if look.source {
        wrap(&text.source, width, TEXT, false)
    } else {
        Vec::new()
    };
    (title, source)
}

/// Design pixels above and below the chart body taken by the title and the source line.
pub(super) fn frame_margins(text: &ChartText, look: &Look) -> (u32, u32) {
    let (title, source) = frame_text(text, look);
    (
        16 + 30 * title.len() as u32 + 8 * (!title.is_empty()) as u32,
        16 + LINE as u32 * source.len() as u32,
    )
}

pub(super) fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &ChartText,
    look: &Look,
) -> DrawResult<DrawingArea<DB, Shift>> {
    root.fill(&WHITE).map_err(err)?;
    let (_, h) = root.dim_in_pixel();
    let (title, source) = frame_text(text, look);
    for (i, line) in title.into_iter().enumerate() {
        let style = bold(TITLE).color(&BLACK);
        root.draw(&Text::new(line, (24, 16 + 30 * i as i32), style))
            .map_err(err)?;
    }
    let lines = source.len() as i32;
    for (i, line) in source.into_iter().enumerate() {
        let y = h as i32 - 10 - LINE * (lines - i as i32);
        root.draw(&Text::new(line, (24, y), font(TEXT).color(&GREY)))
            .map_err(err)?;
    }
    let (top, bottom) = frame_margins(text, look);
    Ok(root.margin(top, bottom, 16, 24))
}

/// Function scores across waves: one line per node, with its interval as error bars, over the
/// band zones; with one wave, each node's mean as a dot on its row (no trend yet to draw).
fn trend<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    text: &ChartText,
    look: &Look,
    series: &[Series],
    cuts: &Cuts,
) -> DrawResult<()> {
    if text.waves.len() < 2 {
        return score_rows(root, text, look, series, cuts, false);
    }
    let area = frame(&root, text, look)?;
    let (w, _) = area.dim_in_pixel();
    let (plot, legend) = area.split_horizontally(w as i32 * TREND_PLOT / 100);
    let k = text.waves.len();
    let x_range = -0.5f64..(k as f64 - 0.5);
    let waves = wave_labels(text, plot.dim_in_pixel().0, cuts);
    let lines = waves.iter().map(Vec::len).max().unwrap_or(1) as u32;
    let mut chart = ChartBuilder::on(&plot)
        .margin(8)
        .x_label_area_size(56 + LINE as u32 * (lines - 1))
        .y_label_area_size(64)
        .build_cartesian_2d(x_range.clone(), text.range.0..text.range.1)
        .map_err(err)?;
    let ticks = super::axis::score_ticks(text.range, plot.dim_in_pixel().1, false);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(k.max(2))
        .x_label_formatter(&|_| String::new())
        .y_labels(ticks.count)
        .y_label_formatter(&|y| super::axis::label(*y, ticks))
        .x_desc("Wave")
        .y_desc(format!("Mean score ({} CI)", text.confidence))
        .axis_desc_style(font(AXIS))
        .label_style(font(TEXT))
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(225, 225, 225))
        .draw()
        .map_err(err)?;
    if let Some(scale) = shared_scale(series.iter().map(|s| s.scale)) {
        let count = text.bands.len();
        let (x0, x1) = (x_range.start, x_range.end);
        chart
            .draw_series(zones(&text.bands, scale).into_iter().map(|(rank, from, to)| {
                Rectangle::new([(x0, from), (x1, to)], zone_colour(rank, count).filled())
            }))
            .map_err(err)?;
    }
    trend_lines(&mut chart, &plot, series)?;
    draw_wave_labels(&chart, &plot, &waves)?;
    draw_legend(&legend, series, &band_key(text, series), cuts)
}

/// Each wave's label wrapped to its share of the plot's width (`plot_width` less the y axis),
/// in three lines at most: long labels stack instead of running into each other.
fn wave_labels(text: &ChartText, plot_width: u32, cuts: &Cuts) -> Vec<Vec<String>> {
    let room = (plot_width as f64 - 80.0) / text.waves.len().max(1) as f64 - 12.0;
    text.waves
        .iter()
        .map(|w| fit_after_dashes(cuts, w, room, false, 3))
        .collect()
}

/// [`Cuts::fit`] that may also break a word after a hyphen or dash ("Democrats–" /
/// "Republicans"), so a long compound of a wave label is wrapped rather than cut.
fn fit_after_dashes(cuts: &Cuts, text: &str, width: f64, bold: bool, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        let mut glued = false;
        for piece in word.split_inclusive(['-', '–', '—']) {
            let joined = match lines.last() {
                Some(line) if glued => format!("{line}{piece}"),
                Some(line) => format!("{line} {piece}"),
                None => piece.to_string(),
            };
            match lines.last_mut() {
                Some(line) if text_width(&joined, TEXT, bold) <= width => *line = joined,
                _ => lines.push(piece.to_string()),
            }
            glued = true;
        }
    }
    if lines.len() <= max_lines && lines.iter().all(|l| text_width(l, TEXT, bold) <= width) {
        return lines;
    }
    cuts.fit(text, width, TEXT, bold, max_lines)
}

/// The wrapped wave labels under the trend's x axis, centred on their waves.
fn draw_wave_labels<DB: DrawingBackend>(
    chart: &ScoreChart<DB>,
    plot: &DrawingArea<DB, Shift>,
    waves: &[Vec<String>],
) -> DrawResult<()> {
    let base = plot.get_base_pixel();
    for (i, lines) in waves.iter().enumerate() {
        let (x, y) = chart.backend_coord(&(i as f64, chart.y_range().start));
        for (l, line) in lines.iter().enumerate() {
            let style = font(TEXT).color(&BLACK).pos(Pos::new(HPos::Center, VPos::Top));
            let at = (x - base.0, y - base.1 + 10 + l as i32 * LINE);
            plot.draw(&Text::new(line.clone(), at, style)).map_err(err)?;
        }
    }
    Ok(())
}

/// Each series' line, intervals and marks, side by side around each wave.
fn trend_lines<DB: DrawingBackend>(
    chart: &mut ScoreChart<DB>,
    plot: &DrawingArea<DB, Shift>,
    series: &[Series],
) -> DrawResult<()> {
    let spread = 0.25 / series.len().max(1) as f64;
    let base = plot.get_base_pixel();
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
        for (x, p) in &points {
            let (px, py) = chart.backend_coord(&(*x, p.mean));
            draw_mark(plot, (px - base.0, py - base.1), s)?;
        }
    }
    Ok(())
}

/// Shapes the series' marks cycle through (circle, square, triangle, diamond) beside the
/// palette's colours, so no two of the first 36 series share both.
const MARKS: usize = 4;

/// Series `s`'s mark (its colour and shape) centred at `at`, in the area's pixels.
pub(super) fn draw_mark<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    s: usize,
) -> DrawResult<()> {
    let style = PALETTE[s % PALETTE.len()].filled();
    match s % MARKS {
        0 => area.draw(&Circle::new((x, y), 5, style)),
        1 => area.draw(&Rectangle::new([(x - 4, y - 4), (x + 4, y + 4)], style)),
        2 => area.draw(&Polygon::new(
            vec![(x, y - 6), (x + 6, y + 4), (x - 6, y + 4)],
            style,
        )),
        _ => area.draw(&Polygon::new(
            vec![(x, y - 6), (x + 6, y), (x, y + 6), (x - 6, y)],
            style,
        )),
    }
    .map_err(err)
}

/// What the trend's legend says of the bands: each band's zone colour and name, highest
/// first; or, when the nodes' scales (or directions) differ, why no zone is shaded.
fn band_key(text: &ChartText, series: &[Series]) -> Vec<(Option<usize>, String)> {
    if text.bands.len() < 2 || series.iter().all(|s| s.scale.is_none()) {
        return Vec::new();
    }
    match shared_scale(series.iter().map(|s| s.scale)) {
        Some(_) => text
            .bands
            .iter()
            .enumerate()
            .map(|(rank, band)| (Some(rank), band.0.clone()))
            .collect(),
        None => vec![(
            None,
            "Bands not shaded: the nodes' scales or directions differ".into(),
        )],
    }
}

/// Design pixels the trend's legend takes in `width` with labels in `label_lines` at most.
fn legend_height(
    series: &[Series],
    key: &[(Option<usize>, String)],
    width: f64,
    label_lines: usize,
    verdicts: bool,
) -> i32 {
    let entries: i32 = series
        .iter()
        .map(|s| {
            let lines = wrap(&s.label, width, TEXT, false).len().min(label_lines);
            let verdict = match s.verdict.as_ref().filter(|_| verdicts) {
                Some(v) => {
                    let (line, is_bold) = verdict_line(v);
                    fit_after_dashes(&Cuts::default(), &line, width, is_bold, label_lines + 1).len()
                }
                None => 0,
            };
            LINE * (lines + verdict) as i32 + 6
        })
        .sum();
    entries + key_height(key, width) + 8
}

/// The height a trend chart needs at the look's width for its whole legend, verdicts included
/// (with one wave, its rows).
fn trend_height(text: &ChartText, look: &Look, series: &[Series]) -> u32 {
    if text.waves.len() < 2 {
        return scorecard_height(text, look, series);
    }
    let (top, bottom) = frame_margins(text, look);
    let width = look.canvas.0 as i32 - 40;
    let room = (width - width * TREND_PLOT / 100) as f64 - 44.0;
    top + bottom + legend_height(series, &band_key(text, series), room, 3, true) as u32
}

/// The trend's legend: each node's mark, label (three lines at most) and verdict (a line
/// more), then the bands' key. When the legend is taller than its room, verdicts are left out, then labels
/// kept to two lines, then to one.
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &[Series],
    key: &[(Option<usize>, String)],
    cuts: &Cuts,
) -> DrawResult<()> {
    let (w, h) = area.dim_in_pixel();
    let width = w as f64 - 44.0;
    let height = |label_lines, verdicts| legend_height(series, key, width, label_lines, verdicts);
    let (label_lines, verdicts) = [(3, true), (3, false), (2, false), (1, false)]
        .into_iter()
        .find(|&(lines, verdicts)| height(lines, verdicts) <= h as i32)
        .unwrap_or((1, false));
    let mut y = 8;
    for (s, serie) in series.iter().enumerate() {
        draw_mark(area, (21, y + 9), s)?;
        for line in cuts.fit(&serie.label, width, TEXT, false, label_lines) {
            area.draw(&Text::new(line, (40, y), font(TEXT).color(&BLACK)))
                .map_err(err)?;
            y += LINE;
        }
        if let Some(verdict) = serie.verdict.as_ref().filter(|_| verdicts) {
            let (line, is_bold) = verdict_line(verdict);
            // A line more than the label: two long wave labels take three lines.
            for part in fit_after_dashes(cuts, &line, width, is_bold, label_lines + 1) {
                let face = if is_bold { bold(TEXT) } else { font(TEXT) };
                let style = face.color(&GREY);
                area.draw(&Text::new(part, (40, y), style)).map_err(err)?;
                y += LINE;
            }
        }
        y += 6;
    }
    draw_band_key(area, key, y, width, cuts)
}

/// A series' verdict as the trend's legend writes it: a change marked ▲ or ▼ and bold.
fn verdict_line(verdict: &str) -> (String, bool) {
    if verdict.starts_with("improved") {
        (format!("▲ {verdict}"), true)
    } else if verdict.starts_with("declined") {
        (format!("▼ {verdict}"), true)
    } else {
        (verdict.to_string(), false)
    }
}

/// The bands' key in lines of `width` from x = 12: swatches and names side by side, or the
/// note why no zone is shaded.
fn key_lines(key: &[(Option<usize>, String)], width: f64) -> Vec<(usize, usize)> {
    let names: Vec<String> = key.iter().map(|k| k.1.clone()).collect();
    match key.first() {
        Some((Some(_), _)) => option_lines(&names, width + 28.0),
        _ => Vec::new(),
    }
}

/// Design pixels the bands' key takes in the trend's legend.
fn key_height(key: &[(Option<usize>, String)], width: f64) -> i32 {
    match key.first() {
        Some((Some(_), _)) => 26 * key_lines(key, width).len() as i32,
        Some((None, note)) => LINE * wrap(note, width, TEXT, false).len().min(2) as i32 + 6,
        None => 0,
    }
}

fn draw_band_key<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    key: &[(Option<usize>, String)],
    mut y: i32,
    width: f64,
    cuts: &Cuts,
) -> DrawResult<()> {
    if let Some((None, note)) = key.first() {
        for line in cuts.fit(note, width, TEXT, false, 2) {
            area.draw(&Text::new(line, (40, y), font(TEXT).color(&GREY)))
                .map_err(err)?;
            y += LINE;
        }
        return Ok(());
    }
    for (start, end) in key_lines(key, width) {
        let mut x = 12.0;
        for (rank, name) in key[start..end].iter() {
            let left = x as i32;
            let fill = zone_colour(rank.unwrap_or_default(), key.len()).filled();
            area.draw(&Rectangle::new([(left, y + 1), (left + 16, y + 17)], fill))
                .map_err(err)?;
            let style = font(TEXT).color(&GREY);
            area.draw(&Text::new(name.clone(), (left + 22, y), style))
                .map_err(err)?;
            x += legend_entry_width(name);
        }
        y += 26;
    }
    Ok(())
}

/// Draws a label right-aligned at `x` (area pixels) in at most `max_lines` lines of `width`,
/// centred on the absolute pixel row `centre_y`.
#[allow(clippy::too_many_arguments)]
fn right_aligned_label<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    cuts: &Cuts,
    text: &str,
    x: i32,
    centre_y: i32,
    width: f64,
    max_lines: usize,
) -> DrawResult<()> {
    let lines = cuts.fit(text, width, TEXT, false, max_lines);
    let first_y = centre_y - area.get_base_pixel().1 - (lines.len() as i32 - 1) * LINE / 2;
    for (l, line) in lines.into_iter().enumerate() {
        let style = font(TEXT).color(&BLACK).pos(Pos::new(HPos::Right, VPos::Center));
        area.draw(&Text::new(line, (x, first_y + l as i32 * LINE), style))
            .map_err(err)?;
    }
    Ok(())
}

/// How many label lines fit in a row of `rows` spread over `height` pixels (three at most).
fn lines_per_row(height: u32, rows: usize) -> usize {
    ((height as i32 - 60) / rows.max(1) as i32 / LINE).clamp(1, 3) as usize
}

/// A chart on f64 axes: scores or percentages against rows or waves.
type ScoreChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// A chart of `rows` horizontal rows (the top row spans rows − 1 .. rows) over the score scale, with its
/// x axis drawn and no row labels (callers draw wrapped ones).
fn score_rows_chart<'a, DB: DrawingBackend>(
    plot: &'a DrawingArea<DB, Shift>,
    text: &ChartText,
    rows: usize,
    margins: (u32, u32),
    x_desc: &str,
) -> DrawResult<ScoreChart<'a, DB>> {
    let mut chart = ChartBuilder::on(plot)
        .margin(8)
        .margin_top(margins.0)
        .margin_right(margins.1)
        .x_label_area_size(56)
        .build_cartesian_2d(text.range.0..text.range.1, 0f64..rows as f64)
        .map_err(err)?;
    let ticks = super::axis::score_ticks(text.range, plot.dim_in_pixel().0, true);
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(ticks.count)
        .x_label_formatter(&|x| super::axis::label(*x, ticks))
        .x_desc(x_desc)
        .axis_desc_style(font(AXIS))
        .label_style(font(TEXT))
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(225, 225, 225))
        .draw()
        .map_err(err)?;
    Ok(chart)
}

/// Design pixels of the line naming the band zones above a rows chart.
const ZONE_NAMES: u32 = LINE as u32 + 6;

/// Room a rows chart keeps above its rows for the band zones' names.
fn zone_head(text: &ChartText) -> u32 {
    if text.bands.len() > 1 {
        ZONE_NAMES
    } else {
        0
    }
}

/// The band zones of a node's scale, lowest score first: (band rank, from, to) in scores, rank
/// 0 the highest band; mirrored where lower is better. Fewer than two bands shade nothing.
pub(super) fn zones(bands: &[(String, f64)], scale: NodeScale) -> Vec<(usize, f64, f64)> {
    if bands.len() < 2 {
        return Vec::new();
    }
    let (lo, hi) = scale.range;
    let span = hi - lo;
    let mut zones: Vec<(usize, f64, f64)> = bands
        .iter()
        .enumerate()
        .map(|(rank, band)| {
            let upper = rank.checked_sub(1).map_or(1.0, |r| bands[r].1);
            if scale.lower_is_better {
                (rank, hi - upper * span, hi - band.1 * span)
            } else {
                (rank, lo + band.1 * span, lo + upper * span)
            }
        })
        .collect();
    zones.sort_by(|a, b| a.1.total_cmp(&b.1));
    zones
}

/// A band zone's light fill: the highest band in the favourable blue, the lowest in the
/// unfavourable vermillion, any between in grey; see-through, so the grid shows.
pub(super) fn zone_colour(rank: usize, count: usize) -> RGBAColor {
    let colour = if rank == 0 {
        FAVOURABLE.0
    } else if rank + 1 == count {
        UNFAVOURABLE.0
    } else {
        NEUTRAL.0
    };
    colour.mix(0.35)
}

/// The one scale every row is on (same range and direction), if they share one.
fn shared_scale(mut scales: impl Iterator<Item = Option<NodeScale>>) -> Option<NodeScale> {
    let first = scales.next().flatten()?;
    scales.all(|s| s == Some(first)).then_some(first)
}

/// Shades the band zones of one row of a rows chart, from `bottom` to `top` (in rows).
fn shade_row<DB: DrawingBackend>(
    chart: &mut ScoreChart<DB>,
    bands: &[(String, f64)],
    scale: Option<NodeScale>,
    (bottom, top): (f64, f64),
) -> DrawResult<()> {
    let Some(scale) = scale else { return Ok(()) };
    let count = bands.len();
    let zones = zones(bands, scale);
    chart
        .draw_series(zones.into_iter().map(|(rank, from, to)| {
            Rectangle::new([(from, bottom), (to, top)], zone_colour(rank, count).filled())
        }))
        .map_err(err)?;
    Ok(())
}

/// Names the band zones of `scale` once, above the top row (`rows`) of a rows chart: each
/// centred on its zone, moved aside (within the plot) where a neighbour's name would meet it,
/// and cut to its zone's width only when the names together are wider than the plot.
fn name_zones<DB: DrawingBackend>(
    chart: &ScoreChart<DB>,
    area: &DrawingArea<DB, Shift>,
    bands: &[(String, f64)],
    scale: Option<NodeScale>,
    rows: f64,
    cuts: &Cuts,
) -> DrawResult<()> {
    let Some(scale) = scale else { return Ok(()) };
    let base = area.get_base_pixel();
    let zones = zones(bands, scale);
    let (_, y) = chart.backend_coord(&(scale.range.0, rows));
    let (xs, _) = chart.plotting_area().get_pixel_range();
    let (left, right) = (xs.start, xs.end);
    let spans: Vec<(f64, f64, &str)> = zones
        .iter()
        .map(|&(rank, from, to)| {
            let (x0, _) = chart.backend_coord(&(from, rows));
            let (x1, _) = chart.backend_coord(&(to, rows));
            (x0 as f64, x1 as f64, bands[rank].0.as_str())
        })
        .collect();
    let wanted: Vec<(f64, f64)> = spans
        .iter()
        .map(|&(x0, x1, name)| ((x0 + x1) / 2.0, text_width(name, TEXT, false)))
        .collect();
    let placed = place_names(&wanted, (left as f64, right as f64), 10.0);
    let style = font(TEXT).color(&GREY).pos(Pos::new(HPos::Left, VPos::Bottom));
    for (i, &(x0, x1, name)) in spans.iter().enumerate() {
        let (at, lines) = match &placed {
            Some(lefts) => (lefts[i], vec![name.to_string()]),
            None => {
                let lines = cuts.fit(name, x1 - x0 - 6.0, TEXT, false, 1);
                let width = lines
                    .iter()
                    .map(|l| text_width(l, TEXT, false))
                    .fold(0.0, f64::max);
                ((x0 + x1 - width) / 2.0, lines)
            }
        };
        for line in lines {
            let at = (at.round() as i32 - base.0, y - 4 - base.1);
            area.draw(&Text::new(line, at, style.clone())).map_err(err)?;
        }
    }
    Ok(())
}

/// Left edges for names of (centre, width), left to right, within `bounds` and `gap` apart:
/// each as near its centre as its neighbours allow; `None` when they do not fit side by side.
fn place_names(wanted: &[(f64, f64)], bounds: (f64, f64), gap: f64) -> Option<Vec<f64>> {
    let total: f64 = wanted.iter().map(|w| w.1 + gap).sum::<f64>() - gap;
    if total > bounds.1 - bounds.0 {
        return None;
    }
    let mut lefts: Vec<f64> = wanted.iter().map(|&(c, w)| c - w / 2.0).collect();
    // Push right past each left neighbour, then back left from the right edge.
    let mut floor = bounds.0;
    for (left, &(_, w)) in lefts.iter_mut().zip(wanted) {
        *left = left.max(floor);
        floor = *left + w + gap;
    }
    let mut ceiling = bounds.1;
    for (left, &(_, w)) in lefts.iter_mut().zip(wanted).rev() {
        *left = left.min(ceiling - w);
        ceiling = *left - gap;
    }
    Some(lefts)
}

/// Tallest a scorecard bar is drawn, in design pixels, however much room its row has.
const BAR: f64 = 26.0;
/// Label lines a row of the scorecard gives its label at most.
const ROW_LINES: usize = 4;
/// Design pixels above the scorecard's rows (the previous wave's key) and below them (the x
/// axis with its labels and description, and the plot's margin).
const CARD_HEAD: u32 = 8 + LINE as u32;
const CARD_FOOT: u32 = 56 + 8;

/// Width of the scorecard's label column in an area `width` wide.
fn card_labels(width: u32) -> i32 {
    width as i32 * 32 / 100
}

/// Design pixels of one scorecard row whose label takes `lines` lines: the lines and a gap,
/// never less than a bar and its gap.
fn card_pitch(lines: usize) -> u32 {
    (lines as u32 * LINE as u32 + 8).max(BAR as u32 + 8)
}

/// The height the scorecard needs at the look's width: one row per node, each as tall as the
/// longest label's lines, so no label is cut and no two rows' texts meet.
fn scorecard_height(text: &ChartText, look: &Look, series: &[Series]) -> u32 {
    rows_height(text, look, series.iter().map(|s| s.label.as_str()))
}

/// The height of a chart of one row per label laid out as the scorecard's.
fn rows_height<'a>(text: &ChartText, look: &Look, labels: impl ExactSizeIterator<Item = &'a str>) -> u32 {
    let (top, bottom) = frame_margins(text, look);
    let room = card_labels(look.canvas.0 - 40) as f64 - 16.0;
    let count = labels.len() as u32;
    let lines = labels
        .map(|l| wrap(l, room, TEXT, false).len().clamp(1, ROW_LINES))
        .max()
        .unwrap_or(1);
    top + bottom + CARD_HEAD + CARD_FOOT + card_pitch(lines) * count
}

/// Latest wave per node over its band zones: a bar to the mean (no taller than [`BAR`]), or
/// a dot at it, with its interval, the previous wave as a hollow marker, and the mean and n
/// beside each row.
fn score_rows<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    text: &ChartText,
    look: &Look,
    series: &[Series],
    cuts: &Cuts,
    bars: bool,
) -> DrawResult<()> {
    let area = frame(&root, text, look)?;
    let (w, _) = area.dim_in_pixel();
    let label_width = card_labels(w);
    let (labels, plot) = area.split_horizontally(label_width);
    let k = series.len();
    let latest = text.waves.len().saturating_sub(1);
    let x_desc = format!(
        "Mean score, {} ({}, {} CI)",
        text.waves.get(latest).cloned().unwrap_or_default(),
        if bars { "bar" } else { "dot" },
        text.confidence
    );
    let value_width = text_width("10.00  n=0000", TEXT, false) as u32 + 16;
    // The band names share the head's line with the previous wave's key, over the labels.
    let mut chart = score_rows_chart(&plot, text, k, (CARD_HEAD, value_width), &x_desc)?;
    let row_px = row_pixels(&chart, text);
    // Rows are planned as lines plus 8 pixels; a pixel or two lost to rounding still fits.
    let max_lines = ((row_px - 4.0) / LINE as f64).clamp(1.0, ROW_LINES as f64) as usize;
    // Half a bar's and a whisker's height, in rows.
    let half = (BAR / 2.0 / row_px).min(0.3);
    let tick = half * 0.5;
    for (i, serie) in series.iter().enumerate() {
        let middle = (k - i) as f64 - 0.5;
        shade_row(&mut chart, &text.bands, serie.scale, (middle - 0.5, middle + 0.5))?;
        let (_, label_y) = chart.backend_coord(&(text.range.0, middle));
        let room = label_width as f64 - 16.0;
        right_aligned_label(
            &labels,
            cuts,
            &serie.label,
            label_width - 10,
            label_y,
            room,
            max_lines,
        )?;
        let current = serie.points.get(latest).and_then(Option::as_ref);
        let previous = latest.checked_sub(1).and_then(|j| serie.points.get(j));
        let marks = (middle, half, tick);
        score_marks(
            &mut chart,
            text.range.0,
            current,
            previous.and_then(Option::as_ref),
            marks,
            bars,
        )?;
        let (right, y) = chart.backend_coord(&(text.range.1, middle));
        plot.draw(&Text::new(
            current.map_or_else(|| "–".to_string(), |p| format!("{:.2}  n={}", p.mean, p.n)),
            (right + 8 - plot.get_base_pixel().0, y - plot.get_base_pixel().1),
            font(TEXT).color(&BLACK).pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(err)?;
    }
    let first = series.first().and_then(|s| s.scale);
    name_zones(&chart, &plot, &text.bands, first, k as f64, cuts)?;
    if latest > 0 {
        previous_wave_key(&labels, &text.waves[latest - 1], label_width - 10)?;
    }
    Ok(())
}

/// One node's marks on its row of a scores chart, centred on `middle` with a bar `half` and a
/// whisker `tick` rows high: a bar from `origin` to the latest mean (when `bars`) or a dot at
/// it, its interval, and the previous wave's mean as a hollow marker.
fn score_marks<DB: DrawingBackend>(
    chart: &mut ScoreChart<DB>,
    origin: f64,
    current: Option<&Point>,
    previous: Option<&Point>,
    (middle, half, tick): (f64, f64, f64),
    bars: bool,
) -> DrawResult<()> {
    // A wave too small to show (or not asked) gets no bar, but the previous wave's marker
    // still stands, so the row is not silently empty.
    if let Some(p) = current.filter(|_| bars) {
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(origin, middle - half), (p.mean, middle + half)],
                PALETTE[0].mix(0.85).filled(),
            )))
            .map_err(err)?;
    }
    if let Some(p) = current {
        if let Some((lo, hi)) = p.ci {
            let whisker =
                |x: f64| PathElement::new([(x, middle - tick), (x, middle + tick)], BLACK.stroke_width(2));
            let span = PathElement::new([(lo, middle), (hi, middle)], BLACK.stroke_width(2));
            chart.draw_series([span, whisker(lo), whisker(hi)]).map_err(err)?;
        }
        if !bars {
            let dot = Circle::new((p.mean, middle), 6, PALETTE[0].filled());
            chart.draw_series(std::iter::once(dot)).map_err(err)?;
        }
    }
    if let Some(prev) = previous {
        chart
            .draw_series(std::iter::once(Circle::new(
                (prev.mean, middle),
                6,
                PALETTE[1].stroke_width(3),
            )))
            .map_err(err)?;
    }
    Ok(())
}

/// The key to the previous wave's hollow marker, `wave` named beside it, ending at `right`
/// on the head's line over the labels.
fn previous_wave_key<DB: DrawingBackend>(
    labels: &DrawingArea<DB, Shift>,
    wave: &str,
    right: i32,
) -> DrawResult<()> {
    let key = format!("{wave} mean");
    let x = right - text_width(&key, TEXT, false) as i32 - 12;
    labels
        .draw(&Circle::new((x, 12), 6, PALETTE[1].stroke_width(3)))
        .map_err(err)?;
    labels
        .draw(&Text::new(
            key,
            (x + 12, 12),
            font(TEXT).color(&BLACK).pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(err)?;
    Ok(())
}

/// The self-rating gap as a dumbbell per node over its band zones: everyone else's mean and
/// the group's joined by a line, the interval of the group's mean that the gap's interval
/// implies (everyone else's mean + the gap's bounds) as whiskers, and the gap beside each
/// row, in bold where it is reliable.
fn gap_chart<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    text: &ChartText,
    look: &Look,
    rows: &[GapRow],
    group: &str,
    cuts: &Cuts,
) -> DrawResult<()> {
    let area = frame(&root, text, look)?;
    let (w, _) = area.dim_in_pixel();
    let label_width = card_labels(w);
    let (labels, plot) = area.split_horizontally(label_width);
    let k = rows.len();
    let x_desc = format!(
        "Mean score, {} (gap intervals adjusted for the gaps tested)",
        text.waves.last().cloned().unwrap_or_default(),
    );
    let value_width = text_width("+10.00 [+10.00, +10.00]", TEXT, true) as u32 + 16;
    let head = CARD_HEAD + ZONE_NAMES;
    let mut chart = score_rows_chart(&plot, text, k, (head, value_width), &x_desc)?;
    let row_px = row_pixels(&chart, text);
    let max_lines = ((row_px - 4.0) / LINE as f64).clamp(1.0, ROW_LINES as f64) as usize;
    let tick = (8.0 / row_px).min(0.15);
    let (others, mine) = (PALETTE[0], PALETTE[5]);
    for (i, row) in rows.iter().enumerate() {
        let middle = (k - i) as f64 - 0.5;
        shade_row(&mut chart, &text.bands, row.scale, (middle - 0.5, middle + 0.5))?;
        let (_, y) = chart.backend_coord(&(text.range.0, middle));
        let room = label_width as f64 - 16.0;
        right_aligned_label(&labels, cuts, &row.label, label_width - 10, y, room, max_lines)?;
        gap_dumbbell(&mut chart, row, (middle, tick), (others, mine))?;
        let (right, y) = chart.backend_coord(&(text.range.1, middle));
        let value = format!("{:+.2} [{:+.2}, {:+.2}]", row.gap.0, row.gap.1, row.gap.2);
        let face = if row.reliable { bold(TEXT) } else { font(TEXT) };
        let at = (right + 8 - plot.get_base_pixel().0, y - plot.get_base_pixel().1);
        plot.draw(&Text::new(
            value,
            at,
            face.color(&BLACK).pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(err)?;
    }
    name_zones(
        &chart,
        &plot,
        &text.bands,
        rows.first().and_then(|r| r.scale),
        k as f64,
        cuts,
    )?;
    gap_key(&plot, group, (others, mine))
}

/// One node's dumbbell on its row of the gap chart, centred on `middle` with whiskers `tick`
/// rows high: a grey bar from everyone else's mean to the group's, the implied interval of
/// the group's mean, and the two means as dots in the `(others, mine)` colours.
fn gap_dumbbell<DB: DrawingBackend>(
    chart: &mut ScoreChart<DB>,
    row: &GapRow,
    (middle, tick): (f64, f64),
    (others, mine): (RGBColor, RGBColor),
) -> DrawResult<()> {
    let (lo, hi) = (row.others_mean + row.gap.1, row.others_mean + row.gap.2);
    let whisker = |x: f64| PathElement::new([(x, middle - tick), (x, middle + tick)], BLACK.stroke_width(2));
    let span = PathElement::new([(lo, middle), (hi, middle)], BLACK.stroke_width(1));
    let bar = PathElement::new(
        [(row.others_mean, middle), (row.self_mean, middle)],
        GREY.stroke_width(4),
    );
    chart
        .draw_series([bar, span, whisker(lo), whisker(hi)])
        .map_err(err)?;
    chart
        .draw_series([
            Circle::new((row.others_mean, middle), 6, others.filled()),
            Circle::new((row.self_mean, middle), 6, mine.filled()),
        ])
        .map_err(err)?;
    Ok(())
}

/// The gap chart's key over its plot: the group's and everyone else's dots, named, and what
/// bold means at the right.
fn gap_key<DB: DrawingBackend>(
    plot: &DrawingArea<DB, Shift>,
    group: &str,
    (others, mine): (RGBColor, RGBColor),
) -> DrawResult<()> {
    let mut x = 4;
    for (colour, name) in [(mine, group), (others, "everyone else")] {
        plot.draw(&Circle::new((x + 6, 12), 6, colour.filled()))
            .map_err(err)?;
        let style = font(TEXT).color(&BLACK).pos(Pos::new(HPos::Left, VPos::Center));
        plot.draw(&Text::new(name.to_string(), (x + 16, 12), style))
            .map_err(err)?;
        x += 16 + text_width(name, TEXT, false) as i32 + 18;
    }
    let style = bold(TEXT).color(&BLACK).pos(Pos::new(HPos::Right, VPos::Center));
    let (pw, _) = plot.dim_in_pixel();
    plot.draw(&Text::new("bold: reliable gap", (pw as i32 - 4, 12), style))
        .map_err(err)?;
    Ok(())
}

/// Pixels one row of a rows chart takes.
fn row_pixels<DB: DrawingBackend>(chart: &ScoreChart<DB>, text: &ChartText) -> f64 {
    let (_, y0) = chart.backend_coord(&(text.range.0, 0.0));
    let (_, y1) = chart.backend_coord(&(text.range.0, 1.0));
    (y0 - y1).abs().max(1) as f64
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

/// Legend lines: each scale used, its points in lines of `width`; (scale, first point, end).
/// A scale whose name leaves no room for its widest point beside it gets its name on a line
/// of its own (no points: first = end = 0), its points then unindented.
fn legend_lines(scales: &[&ScaleKey], width: f64) -> Vec<(usize, usize, usize)> {
    let mut lines = Vec::new();
    for (s, scale) in scales.iter().enumerate() {
        let indent = legend_indent(scales.len(), scale, width);
        if scales.len() > 1 && indent == 0.0 {
            lines.push((s, 0, 0));
        }
        let mut start = 0;
        let mut x = indent;
        for (p, point) in scale.points.iter().enumerate() {
            let w = legend_entry_width(&point.label);
            if x + w > width && p > start {
                lines.push((s, start, p));
                start = p;
                x = indent;
            }
            x += w;
        }
        lines.push((s, start, scale.points.len()));
    }
    lines
}

/// Where a scale's points start on its legend lines: after its name, when its widest point
/// fits beside it.
fn legend_indent(scales: usize, scale: &ScaleKey, width: f64) -> f64 {
    let name = legend_label_width(scales, &scale.label);
    let widest = scale
        .points
        .iter()
        .map(|p| legend_entry_width(&p.label))
        .fold(0.0, f64::max);
    if name + widest <= width {
        name
    } else {
        0.0
    }
}

/// A swatch, its label and the gap after it.
fn legend_entry_width(label: &str) -> f64 {
    22.0 + text_width(label, TEXT, false) + 16.0
}

fn legend_label_width(scales: usize, label: &str) -> f64 {
    if scales > 1 {
        text_width(&format!("{label}:"), TEXT, true) + 10.0
    } else {
        0.0
    }
}

/// Design pixels of one row (or section heading) of the distribution chart.
const SLOT: u32 = 40;

/// The axis description of the distribution chart, naming the ends of its one scale.
fn distribution_axis(used: &[&ScaleKey]) -> String {
    match used {
        [one] => format!(
            "Share of valid answers (N/A excluded): {} ← | → {}",
            one.points.first().map_or("", |p| p.label.as_str()),
            one.points.last().map_or("", |p| p.label.as_str())
        ),
        _ => "Share of valid answers (N/A excluded): less favourable ← | → more favourable".into(),
    }
}

/// The distribution chart's head: the axis description's lines and the legend's lines.
fn distribution_head(
    rows: &[Distribution],
    scales: &[ScaleKey],
    width: f64,
) -> (Vec<String>, Vec<(usize, usize, usize)>) {
    let used = used_scales(rows, scales);
    let axis = wrap(&distribution_axis(&used), width, TEXT, false);
    (axis, legend_lines(&used, width))
}

fn head_height(axis: usize, legend: usize) -> u32 {
    8 + LINE as u32 * axis as u32 + 6 + 26 * legend as u32
}

/// The height the distribution chart needs at the look's width for its rows, section headings,
/// axis description and legend lines.
fn distribution_height(text: &ChartText, look: &Look, rows: &[Distribution], scales: &[ScaleKey]) -> u32 {
    let (top, bottom) = frame_margins(text, look);
    let width = look.canvas.0 as f64 - 40.0;
    let (axis, legend) = distribution_head(rows, scales, width);
    let mut sections = 0;
    for (i, row) in rows.iter().enumerate() {
        if i == 0 || rows[i - 1].section != row.section {
            sections += 1;
        }
    }
    top + bottom + head_height(axis.len(), legend.len()) + 48 + SLOT * (rows.len() + sections) as u32
}

/// Rows split into parts that `fit`: runs of rows that belong together (`together`) stay in
/// one part as far as they fit, a run too long for one part is split between rows.
fn split_rows<T>(rows: &[T], together: impl Fn(&T, &T) -> bool, fits: impl Fn(&[T]) -> bool) -> Vec<&[T]> {
    let mut parts = Vec::new();
    let mut start = 0;
    for i in 0..rows.len() {
        let run_start = i == 0 || !together(&rows[i - 1], &rows[i]);
        let end = if run_start {
            rows[i..]
                .iter()
                .position(|r| !together(&rows[i], r))
                .map_or(rows.len(), |n| i + n)
        } else {
            i + 1
        };
        if i > start && !fits(&rows[start..end]) {
            parts.push(&rows[start..i]);
            start = i;
        }
    }
    if start < rows.len() {
        parts.push(&rows[start..]);
    }
    parts
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
    look: &Look,
    rows: &[Distribution],
    scales: &[ScaleKey],
    cuts: &Cuts,
) -> DrawResult<()> {
    let area = frame(&root, text, look)?;
    let used = used_scales(rows, scales);
    let (width, _) = area.dim_in_pixel();
    let (axis, lines) = distribution_head(rows, scales, width as f64);
    let (head, body) = area.split_vertically(head_height(axis.len(), lines.len()));
    let label_width = width as i32 * 40 / 100;
    let (labels, plot) = body.split_horizontally(label_width);
    let slots = distribution_slots(rows);
    let k = slots.len() as f64;
    let count_width = rows
        .iter()
        .map(|r| text_width(&format!("{} answers", r.n), TEXT, false))
        .fold(0.0, f64::max) as u32
        + 16;
    // Shares left of 0 are unfavourable answers, still labelled as positive percentages.
    let label = |x: &f64| format!("{:.0}%", x.abs());
    let mut chart = percent_chart(&plot, -100f64..100f64, k, count_width, (9, &label))?;
    for (i, slot) in slots.iter().enumerate() {
        let top = k - i as f64 - 0.15;
        let bottom = k - i as f64 - 0.85;
        let (_, y) = chart.backend_coord(&(0.0, (top + bottom) / 2.0));
        match slot {
            (section, None) => section_heading(&body, cuts, section, width as f64 - 8.0, y)?,
            (_, Some(row)) => {
                let room = label_width as f64 - 16.0;
                right_aligned_label(&labels, cuts, &row.label, label_width - 8, y, room, 2)?;
                let Some(scale) = scales.get(row.scale) else {
                    continue;
                };
                diverging_bar(&mut chart, scale, &row.shares, (bottom, top))?;
                let (right, _) = chart.backend_coord(&(100.0, 0.0));
                let style = font(TEXT).color(&GREY).pos(Pos::new(HPos::Left, VPos::Center));
                plot.draw(&Text::new(
                    format!("{} answers", row.n),
                    (right + 6 - plot.get_base_pixel().0, y - plot.get_base_pixel().1),
                    style,
                ))
                .map_err(err)?;
            }
        }
    }
    distribution_legend(&head, &axis, &lines, &used, width as f64)
}

/// The distribution chart's slots, top to bottom: one per row, and one per section heading
/// (`None`) before the first row of each run of rows in that section.
fn distribution_slots(rows: &[Distribution]) -> Vec<(&str, Option<&Distribution>)> {
    let mut slots: Vec<(&str, Option<&Distribution>)> = Vec::new();
    for row in rows {
        if slots.last().is_none_or(|last| last.0 != row.section) {
            slots.push((&row.section, None));
        }
        slots.push((&row.section, Some(row)));
    }
    slots
}

/// A chart of `rows` horizontal bars over the percentages `x`, its x axis drawn with `ticks`
/// labels written by `label`, and `right` pixels kept right of the plot for the rows' notes.
fn percent_chart<'a, DB: DrawingBackend>(
    plot: &'a DrawingArea<DB, Shift>,
    x: std::ops::Range<f64>,
    rows: f64,
    right: u32,
    (ticks, label): (usize, &dyn Fn(&f64) -> String),
) -> DrawResult<ScoreChart<'a, DB>> {
    let mut chart = ChartBuilder::on(plot)
        .margin(4)
        .margin_right(right)
        .x_label_area_size(40)
        .build_cartesian_2d(x, 0f64..rows)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(ticks)
        .x_label_formatter(label)
        .label_style(font(TEXT))
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(225, 225, 225))
        .draw()
        .map_err(err)?;
    Ok(chart)
}

/// A section's heading in its slot of the distribution chart: bold, at the body's left edge,
/// centred on the backend pixel row `y`, cut to one line of `room`.
fn section_heading<DB: DrawingBackend>(
    body: &DrawingArea<DB, Shift>,
    cuts: &Cuts,
    section: &str,
    room: f64,
    y: i32,
) -> DrawResult<()> {
    for line in cuts.fit(section, room, AXIS, true, 1) {
        let style = bold(AXIS).color(&BLACK);
        let style = style.pos(Pos::new(HPos::Left, VPos::Center));
        body.draw(&Text::new(line, (4, y - body.get_base_pixel().1), style))
            .map_err(err)?;
    }
    Ok(())
}

/// One row's answer `shares` as a bar of `scale`'s colours from `bottom` to `top` (in rows),
/// shifted so the middle of the scale sits on 0: unfavourable answers left, favourable right.
fn diverging_bar<DB: DrawingBackend>(
    chart: &mut ScoreChart<DB>,
    scale: &ScaleKey,
    shares: &[f64],
    rows: (f64, f64),
) -> DrawResult<()> {
    let middle = middle_of(&scale.points);
    let colours = point_colours(&scale.points);
    // A middle point's answers straddle 0, half on each side.
    let below: f64 = scale
        .points
        .iter()
        .zip(shares)
        .map(|(p, share)| match p.value.partial_cmp(&middle) {
            Some(std::cmp::Ordering::Less) => *share,
            Some(std::cmp::Ordering::Equal) => share / 2.0,
            _ => 0.0,
        })
        .sum();
    stacked_bar(chart, -below, shares.iter().copied().zip(colours), rows)
}

/// Segments (share, colour) laid end to end from `start` along a bar from `bottom` to `top`
/// (in rows).
fn stacked_bar<DB: DrawingBackend>(
    chart: &mut ScoreChart<DB>,
    start: f64,
    segments: impl Iterator<Item = (f64, RGBColor)>,
    (bottom, top): (f64, f64),
) -> DrawResult<()> {
    let mut x = start;
    for (share, colour) in segments {
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(x, bottom), (x + share, top)],
                colour.filled(),
            )))
            .map_err(err)?;
        x += share;
    }
    Ok(())
}

/// The distribution chart's head in an area `width` wide: the axis note's lines, then the
/// `lines` of the used scales' points as swatches, each scale named before its first line
/// when there are several.
fn distribution_legend<DB: DrawingBackend>(
    head: &DrawingArea<DB, Shift>,
    axis: &[String],
    lines: &[(usize, usize, usize)],
    used: &[&ScaleKey],
    width: f64,
) -> DrawResult<()> {
    for (i, line) in axis.iter().enumerate() {
        head.draw(&Text::new(
            line.clone(),
            (0, 8 + LINE * i as i32),
            font(TEXT).color(&BLACK),
        ))
        .map_err(err)?;
    }
    let legend_top = 8 + LINE * axis.len() as i32 + 6 + 13;
    for (line, &(s, start, end)) in lines.iter().enumerate() {
        let scale = used[s];
        let y = legend_top + 26 * line as i32;
        let mut x = legend_indent(used.len(), scale, width);
        // The name starts the scale's first line, or stands on it alone.
        if used.len() > 1 && start == 0 && (end == 0 || x > 0.0) {
            head.draw(&Text::new(
                format!("{}:", scale.label),
                (0, y),
                centre(bold(TEXT)),
            ))
            .map_err(err)?;
        }
        let colours = point_colours(&scale.points);
        for (point, colour) in scale.points[start..end].iter().zip(&colours[start..end]) {
            legend_entry(head, x as i32, y, *colour, &point.label)?;
            x += legend_entry_width(&point.label);
        }
    }
    Ok(())
}

/// A legend entry: a swatch of `colour` with its left edge at `left`, centred on `y`, and
/// `label` beside it.
fn legend_entry<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    left: i32,
    y: i32,
    colour: RGBColor,
    label: &str,
) -> DrawResult<()> {
    area.draw(&Rectangle::new(
        [(left, y - 8), (left + 16, y + 8)],
        colour.filled(),
    ))
    .map_err(err)?;
    area.draw(&Text::new(label.to_string(), (left + 22, y), centre(font(TEXT))))
        .map_err(err)?;
    Ok(())
}

fn centre(font: FontDesc<'_>) -> TextStyle<'_> {
    font.color(&BLACK).pos(Pos::new(HPos::Left, VPos::Center))
}

/// The height a group chart needs at the look's width for its legend and node labels to keep
/// every text whole.
fn groups_height(
    text: &ChartText,
    look: &Look,
    nodes: &[RowLabel],
    groups: &[Group],
    threshold: usize,
) -> u32 {
    let (top, bottom) = frame_margins(text, look);
    let width = look.canvas.0 - 40;
    let room = (width - width * 74 / 100) as f64 - 40.0;
    let legend = group_legend_height(&group_entries(groups, threshold), room);
    let label_room = (width * 27 / 100) as f64 - 16.0;
    let label_lines = nodes
        .iter()
        .map(|n| wrap(&n.label, label_room, TEXT, false).len().min(3))
        .max()
        .unwrap_or(1);
    let rows = 60 + zone_head(text) + (LINE as usize * label_lines * nodes.len()) as u32 + 8;
    top + bottom + legend.max(rows)
}

/// The group chart's legend entries: name and respondents, or why the group is not drawn.
fn group_entries(groups: &[Group], threshold: usize) -> Vec<String> {
    groups
        .iter()
        .map(|group| match &group.means {
            Some(_) => format!("{} (n={})", group.name, group.respondents),
            None => format!("{}: suppressed (n < {threshold})", group.name),
        })
        .collect()
}

/// The legend's height with each entry in three lines at most of `room` pixels.
fn group_legend_height(entries: &[String], room: f64) -> u32 {
    let lines = |e: &String| wrap(e, room, TEXT, false).len().min(3) as u32;
    16 + entries.iter().map(|e| LINE as u32 * lines(e) + 8).sum::<u32>()
}

/// Headline means per respondent group for the latest wave; suppressed groups are listed in
/// the legend with their reason and never drawn.
fn group_chart<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    text: &ChartText,
    look: &Look,
    nodes: &[RowLabel],
    groups: &[Group],
    threshold: usize,
    cuts: &Cuts,
) -> DrawResult<()> {
    let area = frame(&root, text, look)?;
    let (w, h) = area.dim_in_pixel();
    let (body, legend) = area.split_horizontally(w as i32 * 74 / 100);
    let label_width = w as i32 * 27 / 100;
    let (labels, plot) = body.split_horizontally(label_width);
    let k = nodes.len() as f64;
    let x_desc = text
        .axis
        .clone()
        .unwrap_or_else(|| format!("Mean score, {}", text.waves.last().cloned().unwrap_or_default()));
    let head = 8 + zone_head(text);
    let mut chart = score_rows_chart(&plot, text, nodes.len(), (head, 8), &x_desc)?;
    let shown: Vec<(usize, &Group, &Vec<Option<f64>>)> = groups
        .iter()
        .filter_map(|g| g.means.as_ref().map(|m| (g, m)))
        .enumerate()
        .map(|(i, (g, m))| (i, g, m))
        .collect();
    let max_lines = lines_per_row(h + 8 - zone_head(text), nodes.len());
    let first = nodes.first().and_then(|n| n.scale);
    name_zones(&chart, &plot, &text.bands, first, k, cuts)?;
    for (i, node) in nodes.iter().enumerate() {
        let middle = k - i as f64 - 0.5;
        shade_row(&mut chart, &text.bands, node.scale, (middle - 0.5, middle + 0.5))?;
        let (_, y) = chart.backend_coord(&(text.range.0, middle));
        let room = label_width as f64 - 16.0;
        right_aligned_label(&labels, cuts, &node.label, label_width - 8, y, room, max_lines)?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                [(text.range.0, middle), (text.range.1, middle)],
                RGBColor(235, 235, 235).stroke_width(1),
            )))
            .map_err(err)?;
        // Each group's colour and shape, as the trend marks its series: nine groups would
        // otherwise share the palette's colours alone.
        let base = plot.get_base_pixel();
        for &(g, _, means) in &shown {
            let Some(Some(mean)) = means.get(i) else { continue };
            let offset = (g as f64 - (shown.len() as f64 - 1.0) / 2.0) * 0.08;
            let (px, py) = chart.backend_coord(&(*mean, middle + offset));
            draw_mark(&plot, (px - base.0, py - base.1), g)?;
        }
    }
    let entries = group_entries(groups, threshold);
    let (lw, lh) = legend.dim_in_pixel();
    let room = lw as f64 - 40.0;
    let needed = group_legend_height(&entries, room);
    let max_lines = if needed <= lh { 3 } else { 1 };
    let mut y = 16;
    for (group, entry) in groups.iter().zip(&entries) {
        if group.means.is_some() {
            let index = shown.iter().find(|s| s.1.name == group.name).map_or(0, |s| s.0);
            draw_mark(&legend, (20, y + 9), index)?;
        }
        for part in cuts.fit(entry, room, TEXT, false, max_lines) {
            legend
                .draw(&Text::new(part, (34, y), font(TEXT).color(&BLACK)))
                .map_err(err)?;
            y += LINE;
        }
        y += 8;
    }
    Ok(())
}

/// Design pixels of one row of a shares chart: three lines of label or note.
const SHARE_ROW: u32 = 3 * LINE as u32 + 10;

/// The shares chart's legend: options in lines of `width`, as (first, end) indices.
fn option_lines(options: &[String], width: f64) -> Vec<(usize, usize)> {
    let mut lines = Vec::new();
    let (mut start, mut x) = (0, 0.0);
    for (o, option) in options.iter().enumerate() {
        let w = legend_entry_width(option);
        if x + w > width && o > start {
            lines.push((start, o));
            (start, x) = (o, 0.0);
        }
        x += w;
    }
    lines.push((start, options.len()));
    lines
}

/// The height a shares chart needs at the look's width for its legend and rows.
fn shares_height(text: &ChartText, look: &Look, rows: &[ShareRow], options: &[String]) -> u32 {
    let (top, bottom) = frame_margins(text, look);
    let legend = option_lines(options, look.canvas.0 as f64 - 40.0).len() as u32;
    top + bottom + 8 + 26 * legend + 48 + SHARE_ROW * rows.len() as u32
}

/// Widths of a shares chart's label and note columns in an area `width` wide.
fn share_columns(width: u32) -> (i32, i32) {
    (width as i32 * 30 / 100, width as i32 * 26 / 100)
}

/// Stacked 100% bars, one per row, one colour per option; suppressed rows say so; beside each
/// bar its n and what the source document suggests.
fn shares_chart<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    text: &ChartText,
    look: &Look,
    rows: &[ShareRow],
    options: &[String],
    cuts: &Cuts,
) -> DrawResult<()> {
    let area = frame(&root, text, look)?;
    let (width, _) = area.dim_in_pixel();
    let lines = option_lines(options, width as f64);
    let (legend, body) = area.split_vertically(8 + 26 * lines.len() as u32);
    let (label_width, note_width) = share_columns(width);
    let (labels, rest) = body.split_horizontally(label_width);
    let (plot, notes) = rest.split_horizontally(rest.dim_in_pixel().0 as i32 - note_width);
    let k = rows.len().max(1) as f64;
    let label = |x: &f64| format!("{x:.0}%");
    let mut chart = percent_chart(&plot, 0f64..100f64, k, 12, (6, &label))?;
    for (i, row) in rows.iter().enumerate() {
        let (top, bottom) = (k - i as f64 - 0.15, k - i as f64 - 0.85);
        let (_, y) = chart.backend_coord(&(0.0, (top + bottom) / 2.0));
        let room = label_width as f64 - 16.0;
        right_aligned_label(&labels, cuts, &row.label, label_width - 8, y, room, 3)?;
        let note = match &row.shares {
            Some(shares) => {
                let colours = (0..).map(|o| PALETTE[o % PALETTE.len()]);
                stacked_bar(
                    &mut chart,
                    0.0,
                    shares.iter().copied().zip(colours),
                    (bottom, top),
                )?;
                format!("n={}  {}", row.n, row.note)
            }
            None => format!("suppressed (n={})  {}", row.n, row.note),
        };
        share_note(&notes, cuts, &note, note_width as f64 - 12.0, y)?;
    }
    for (l, &(start, end)) in lines.iter().enumerate() {
        let y = 16 + 26 * l as i32;
        let mut x = 0.0;
        for (o, option) in options.iter().enumerate().take(end).skip(start) {
            legend_entry(&legend, x as i32, y, PALETTE[o % PALETTE.len()], option)?;
            x += legend_entry_width(option);
        }
    }
    Ok(())
}

/// A shares row's note in the notes column: grey, wrapped to `room` in three lines at most,
/// the lines centred together on the backend pixel row `y`.
fn share_note<DB: DrawingBackend>(
    notes: &DrawingArea<DB, Shift>,
    cuts: &Cuts,
    note: &str,
    room: f64,
    y: i32,
) -> DrawResult<()> {
    let lines = cuts.fit(note, room, TEXT, false, 3);
    let first = y - notes.get_base_pixel().1 - (lines.len() as i32 - 1) * LINE / 2;
    for (l, line) in lines.into_iter().enumerate() {
        let style = font(TEXT).color(&GREY).pos(Pos::new(HPos::Left, VPos::Center));
        notes
            .draw(&Text::new(line, (8, first + l as i32 * LINE), style))
            .map_err(err)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bands() -> Vec<(String, f64)> {
        [("Strength", 0.75), ("Borderline", 0.5), ("Concern", 0.0)]
            .map(|(name, at)| (name.to_string(), at))
            .to_vec()
    }

    #[test]
    fn band_zones_are_shares_of_each_scale_mirrored_where_lower_is_better() {
        let scale = |range, lower_is_better| NodeScale {
            range,
            lower_is_better,
        };
        // 1–5: Concern below 3 (50% of the range), Borderline 3–4, Strength from 4 (75%).
        assert_eq!(
            zones(&bands(), scale((1.0, 5.0), false)),
            [(2, 1.0, 3.0), (1, 3.0, 4.0), (0, 4.0, 5.0)]
        );
        assert_eq!(
            zones(&bands(), scale((0.0, 10.0), false)),
            [(2, 0.0, 5.0), (1, 5.0, 7.5), (0, 7.5, 10.0)]
        );
        // Lower is better: Strength is 1–2, Concern above 3.
        assert_eq!(
            zones(&bands(), scale((1.0, 5.0), true)),
            [(0, 1.0, 2.0), (1, 2.0, 3.0), (2, 3.0, 5.0)]
        );
        assert!(zones(&bands()[2..], scale((1.0, 5.0), false)).is_empty());
    }

    #[test]
    fn zone_names_move_aside_to_stay_whole_and_inside() {
        // Two 40-pixel names centred 20 apart: the second moves right to keep a 10-pixel gap.
        assert_eq!(
            place_names(&[(50.0, 40.0), (70.0, 40.0)], (0.0, 200.0), 10.0),
            Some(vec![30.0, 80.0])
        );
        // A name centred near the right edge moves left to end at it.
        assert_eq!(
            place_names(&[(190.0, 40.0)], (0.0, 200.0), 10.0),
            Some(vec![160.0])
        );
        assert_eq!(
            place_names(&[(50.0, 150.0), (100.0, 150.0)], (0.0, 200.0), 10.0),
            None
        );
    }
}
