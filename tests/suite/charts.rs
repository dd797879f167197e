//! Charts as they land: every PNG is its SVG's text laid out the same way (the ink of the widest
//! text of each chart spans the width the SVG lays it out at, within 5%), the slide versions
//! are 1920 × 1080, their smallest text at least 14 px high (8 pt in the brief for the others),
//! Chromium draws the same text as wide, every SVG embeds the glyphs of its text, and cut
//! labels keep their full text in the SVG.

use std::path::{Path, PathBuf};
use std::process::Command;

use resvg::tiny_skia::Pixmap;
use resvg::usvg;

fn charts(dir: &Path) -> Vec<PathBuf> {
    let mut svgs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .collect();
    svgs.sort();
    svgs
}

/// Every text element of the tree with its box in image pixels and its font size in pixels.
fn texts(group: &usvg::Group, out: &mut Vec<(String, usvg::Rect, f32)>) {
    for node in group.children() {
        match node {
            usvg::Node::Group(g) => texts(g, out),
            usvg::Node::Text(t) => {
                let ts = t.abs_transform();
                let scale = (ts.sy * ts.sy + ts.kx * ts.kx).sqrt();
                let size = t.chunks()[0].spans()[0].font_size().get() * scale;
                out.push((t.chunks()[0].text().to_string(), t.abs_bounding_box(), size));
            }
            _ => {}
        }
    }
}

/// Horizontal extent of non-white pixels in the rows of `rect`, within it widened by 24 px.
fn ink_width(png: &Pixmap, rect: usvg::Rect) -> f32 {
    let (top, bottom) = (rect.top() as u32 + 2, rect.bottom() as u32 - 2);
    let left = (rect.left() - 24.0).max(0.0) as u32;
    let right = ((rect.right() + 24.0) as u32).min(png.width() - 1);
    let (mut first, mut last) = (u32::MAX, 0);
    for y in top..=bottom {
        for x in left..=right {
            let p = png.pixel(x, y).unwrap();
            if p.red() < 200 || p.green() < 200 || p.blue() < 200 {
                first = first.min(x);
                last = last.max(x);
            }
        }
    }
    last.saturating_sub(first) as f32 + 1.0
}

fn check_chart(svg: &Path) -> (u32, u32, f32) {
    let text = std::fs::read_to_string(svg).unwrap();
    let tree = usvg::Tree::from_str(&text, &crate::common::usvg_options()).unwrap();
    let png = Pixmap::load_png(svg.with_extension("png")).unwrap();
    let size = tree.size().to_int_size();
    assert_eq!(
        (png.width(), png.height()),
        (size.width(), size.height()),
        "{svg:?}"
    );
    let mut all = Vec::new();
    texts(tree.root(), &mut all);
    // The widest horizontal text: the title, the source line or a long label.
    let (label, rect, _) = all
        .iter()
        .filter(|(_, r, _)| r.width() > r.height())
        .max_by(|a, b| a.1.width().total_cmp(&b.1.width()))
        .unwrap();
    let ink = ink_width(&png, *rect);
    let ratio = ink / rect.width();
    assert!(
        (0.95..=1.05).contains(&ratio),
        "{svg:?}: \"{label}\" is {} px wide in the SVG and {ink} px in the PNG",
        rect.width()
    );
    fonts_are_embedded(svg);
    let smallest = all.iter().map(|t| t.2).fold(f32::MAX, f32::min);
    (png.width(), png.height(), smallest)
}

#[test]
fn pngs_lay_text_out_as_their_svgs_and_slides_are_1920_by_1080() {
    let out = &crate::common::sample().out;
    let distribution = std::fs::read_to_string(out.join("distribution.svg")).unwrap();
    assert!(
        cut_labels_keep_their_full_text(&distribution) > 0,
        "long statements are cut"
    );
    same_ink_in_chromium(out);
    let documents = charts(out);
    assert_eq!(
        documents.len(),
        10,
        "the gap chart is the eighth, groups over time (role, sector) the last two"
    );
    for svg in &documents {
        let (width, _, smallest) = check_chart(svg);
        assert_eq!(width, 1200, "{svg:?}");
        // 8 pt in the brief, where 1200 image pixels print 149 mm wide.
        let points = smallest / 1200.0 * 149.0 / 25.4 * 72.0;
        assert!(
            points >= 8.0,
            "{svg:?}: smallest text {points:.1} pt in the brief"
        );
    }
    let slides = charts(&out.join("slides"));
    // The distribution takes five slides with their titles.
    assert_eq!(slides.len(), 12, "{slides:?}");
    for svg in &slides {
        let (width, height, smallest) = check_chart(svg);
        assert_eq!((width, height), (1920, 1080), "{svg:?}");
        assert!(smallest >= 14.0, "{svg:?}: smallest text {smallest} px");
        let text = std::fs::read_to_string(svg).unwrap();
        assert!(!text.contains("Source:"), "{svg:?} carries no source line");
    }
}

/// Another renderer (Chromium) lays the SVG's text out the same: the trend's source line has
/// the same ink width in its screenshot as in the PNG.
fn same_ink_in_chromium(sample: &Path) {
    // The page and the screenshot go to a folder of their own, since the sample run is shared
    // (the determinism test lists its files). It sits in the target's temp folder: Chromium
    // could not write its screenshot into a folder under /tmp.
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("chromium-shot");
    std::fs::create_dir_all(&out).unwrap();
    let svg = out.join("trend.svg");
    std::fs::copy(sample.join("trend.svg"), &svg).unwrap();
    let tree = usvg::Tree::from_str(
        &std::fs::read_to_string(&svg).unwrap(),
        &crate::common::usvg_options(),
    )
    .unwrap();
    let size = tree.size().to_int_size();
    let mut all = Vec::new();
    texts(tree.root(), &mut all);
    let (label, rect, _) = all.iter().find(|(t, _, _)| t.starts_with("Source:")).unwrap();
    let html = out.join("trend.html");
    std::fs::write(
        &html,
        format!(
            "<html><body style=\"margin:0\"><img src=\"trend.svg\" width=\"{}\" height=\"{}\"></body></html>",
            size.width(),
            size.height()
        ),
    )
    .unwrap();
    let shot = out.join("shot.png");
    let profile = tempfile::tempdir().unwrap();
    let status = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("--window-size={},{}", size.width(), size.height()))
        .arg(format!("file://{}", html.display()))
        .output()
        .expect("chromium is needed");
    assert!(status.status.success());
    let chromium = ink_width(&Pixmap::load_png(&shot).unwrap(), *rect);
    let png = ink_width(&Pixmap::load_png(sample.join("trend.png")).unwrap(), *rect);
    let ratio = chromium / png;
    assert!(
        (0.95..=1.05).contains(&ratio),
        "\"{label}\": {chromium} px in Chromium, {png} px in the PNG"
    );
}

fn unbase64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let digits: Vec<u8> = text.bytes().filter(|&c| c != b'=').map(value).collect();
    let mut out = Vec::new();
    for chunk in digits.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &d)| n | (d as u32) << (18 - 6 * i));
        out.extend(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

/// The SVG embeds its fonts (a regular and, when used, a bold subset of DejaVu Sans), names
/// them first, and they hold a glyph for every character of the text of that weight.
fn fonts_are_embedded(svg: &Path) {
    let text = std::fs::read_to_string(svg).unwrap();
    let faces: Vec<&str> = text.split("@font-face{").skip(1).collect();
    assert!(!faces.is_empty(), "{svg:?} embeds no font");
    let family = faces[0]
        .split("font-family:")
        .nth(1)
        .unwrap()
        .split(';')
        .next()
        .unwrap();
    assert!(text.contains(&format!("font-family=\"{family}, DejaVu Sans, sans-serif\"")));
    for face in faces {
        let bold = face.contains("font-weight:bold");
        let data = unbase64(face.split("base64,").nth(1).unwrap().split(')').next().unwrap());
        let font = ttf_parser::Face::parse(&data, 0).unwrap();
        for element in text.split("<text ").skip(1) {
            let (tag, rest) = element.split_once('>').unwrap();
            if tag.contains("font-weight=\"bold\"") != bold {
                continue;
            }
            let content = rest.split('<').next().unwrap();
            let content = ["&lt;", "&gt;", "&quot;", "&apos;", "&amp;"]
                .iter()
                .fold(content.to_string(), |text, entity| text.replace(entity, "'"));
            for c in content.chars().filter(|c| !c.is_whitespace()) {
                let glyph = font.glyph_index(c);
                assert!(glyph.is_some_and(|g| g.0 > 0), "{svg:?}: no glyph for {c:?}");
                assert!(font.glyph_hor_advance(glyph.unwrap()).unwrap() > 0);
            }
        }
    }
}

/// Every label cut to fit ends in "…" and its text element carries the full text.
fn cut_labels_keep_their_full_text(svg: &str) -> usize {
    let parts: Vec<&str> = svg.split("<title>").collect();
    for pair in parts.windows(2) {
        let shown = pair[0].trim_end().rsplit('\n').next().unwrap();
        let (full, _) = pair[1].split_once("</title>").unwrap();
        assert!(shown.ends_with('…'), "{shown}");
        assert!(full.contains(shown.trim_end_matches('…')), "{shown} / {full}");
    }
    parts.len() - 1
}

/// Every gap the gap charts print as "+0.49 [+0.03, +0.96]": its interval excludes zero
/// exactly when the row is bold (a reliable gap), on both samples.
#[test]
fn a_gap_interval_that_excludes_zero_is_a_reliable_gap() {
    for run in [crate::common::sample(), crate::common::leadership()] {
        let svg = std::fs::read_to_string(run.out.join("gap-1.svg")).unwrap();
        let mut seen = 0;
        for text in svg.split("<text").skip(1) {
            let (attributes, rest) = text.split_once('>').unwrap();
            let content = rest.split("</text>").next().unwrap().trim();
            let Some((_, interval)) = content.split_once(" [") else {
                continue;
            };
            let Some(interval) = interval.strip_suffix(']') else {
                continue;
            };
            let (low, high) = interval.split_once(", ").unwrap();
            let (low, high): (f64, f64) = (low.parse().unwrap(), high.parse().unwrap());
            let bold = attributes.contains("font-weight=\"bold\"");
            // Printed to two decimals, a bound just off zero reads 0.00: on either side.
            match bold {
                true => assert!(low >= 0.0 || high <= 0.0, "{content} is bold"),
                false => assert!(low <= 0.0 && high >= 0.0, "{content} is not bold"),
            }
            assert!(low < high, "{content}");
            seen += 1;
        }
        assert!(seen >= 9, "{seen} gaps read from {}", run.out.display());
    }
}

/// The texts an SVG draws (not its `<title>` or its embedded font).
fn drawn_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .map(|t| {
            t.split_once('>')
                .unwrap()
                .1
                .split("</text>")
                .next()
                .unwrap()
                .to_string()
        })
        .collect()
}

/// Every slide names its wave (issue 22: slides were untitled, the distribution slides named
/// no year): in its title, or in the waves its axis or legend shows. On both samples, waves
/// from their configs.
#[test]
fn every_slide_names_a_wave() {
    for (run, waves) in [
        (crate::common::sample(), &["2023", "2024", "2025"][..]),
        (crate::common::leadership(), &["2025"][..]),
    ] {
        let slides = charts(&run.out.join("slides"));
        assert!(slides.len() >= 10, "{} slides", slides.len());
        for slide in slides {
            let texts = drawn_texts(&std::fs::read_to_string(&slide).unwrap());
            assert!(
                texts.iter().any(|t| waves.iter().any(|w| t.contains(w))),
                "{slide:?} names no wave: {texts:?}"
            );
        }
    }
    // The distribution slides carry the latest wave in their title.
    let first = crate::common::sample().out.join("slides/distribution-1.svg");
    let texts = drawn_texts(&std::fs::read_to_string(first).unwrap());
    assert!(
        texts
            .iter()
            .any(|t| t.trim().starts_with("How partners answered, 2025")),
        "{texts:?}"
    );
}

/// The marks a chart draws in the palette's colours: each element's shape (circle, square,
/// triangle, diamond) and fill.
fn marks(svg: &str) -> Vec<(&'static str, String)> {
    const PALETTE: [&str; 9] = [
        "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#BEAA00", "#8C8C8C",
    ];
    let mut found = Vec::new();
    for (tag, shape) in [
        ("<circle ", "circle"),
        ("<rect ", "square"),
        ("<polygon ", "polygon"),
    ] {
        for element in svg.split(tag).skip(1) {
            let element = element.split('>').next().unwrap();
            let Some(fill) = element
                .split("fill=\"")
                .nth(1)
                .map(|f| f.split('"').next().unwrap())
            else {
                continue;
            };
            if !PALETTE.contains(&fill) {
                continue;
            }
            let shape = match shape {
                "polygon" => {
                    let points = element
                        .split("points=\"")
                        .nth(1)
                        .unwrap()
                        .split('"')
                        .next()
                        .unwrap();
                    if points.split_whitespace().count() == 3 {
                        "triangle"
                    } else {
                        "diamond"
                    }
                }
                other => other,
            };
            found.push((shape, fill.to_string()));
        }
    }
    found
}

/// Each group of a group chart has its colour and its shape, as the trend's series do (issue
/// 22: nine colours and no shapes): the FSG sample's eight sectors are eight (shape, colour)
/// pairs over all four shapes.
#[test]
fn group_chart_marks_each_group_by_colour_and_shape() {
    let svg = std::fs::read_to_string(crate::common::sample().out.join("groups-sector.svg")).unwrap();
    let mut pairs = marks(&svg);
    pairs.sort();
    pairs.dedup();
    assert_eq!(pairs.len(), 8, "{pairs:?}");
    let mut shapes: Vec<&str> = pairs.iter().map(|p| p.0).collect();
    shapes.dedup();
    assert_eq!(shapes, ["circle", "diamond", "square", "triangle"]);
}
