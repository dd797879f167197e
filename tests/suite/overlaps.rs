//! No two texts of any chart overlap: every SVG (document and slide) of the two bundled samples
//! and of studies written here on 2-, 4-, 6-, 7- and 11-point scales with 3 to 20 nodes, one
//! and two waves, and a self-rating group; no label of a score chart is cut. Each text's box
//! is laid out by usvg with the one font the charts embed and measure (DejaVu Sans, compiled
//! in), and its width must agree with the charts' own measure
//! ([`backbone::render::charts::text_width`]) within 3%, so the boxes compared are the ones
//! the charts planned for.

use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use resvg::usvg;

/// Node labels of the generated frameworks, short and long, one with an ampersand.
const LABELS: [&str; 20] = [
    "Advocate for Policy Change",
    "Coalition Building",
    "Fund Development & Management",
    "Cultivate Community Engagement and Ownership of the Shared Agenda",
    "Data",
    "Equity Driven",
    "Humility",
    "Learning Orientation",
    "Project Management",
    "Relational Intelligence",
    "Resilience",
    "Strategic Thinking",
    "Systems Thinker",
    "Visionary",
    "Establish Shared Measurement Practices",
    "Mobilize Funding and Resources",
    "Guide Vision and Strategy",
    "Support Aligned Activities",
    "Advance Policy",
    "Build Public Will",
];

/// A scale of `points` points: 0–10 when it has eleven, else 1–points; its ends named.
fn scale(points: usize) -> (i64, String) {
    let first = if points == 11 { 0 } else { 1 };
    let mut toml = format!("[scales.s]\nlabel = \"{points}-point scale\"\npoints = [\n");
    for p in 0..points as i64 {
        let v = first + p;
        let label = match p {
            0 => "Not at all".to_string(),
            p if p == points as i64 - 1 => "Completely".to_string(),
            _ => format!("Point {v}"),
        };
        let _ = writeln!(toml, "  {{ value = {v}, label = \"{label}\" }},");
    }
    let top: Vec<String> = (first + (2 * points as i64) / 3..first + points as i64)
        .map(|v| v.to_string())
        .collect();
    let _ = writeln!(toml, "]\nfavourable = [{}]", top.join(", "));
    (first, toml)
}

/// Writes a one-level framework of `nodes` nodes (two items each) on a `points`-point scale,
/// `waves` waves of 60 respondents answering by code, a role attribute with a self-rating
/// group, and its config, into `dir`.
fn write_study(dir: &Path, points: usize, nodes: usize, waves: usize, seed: u64) {
    let mut framework = String::from(
        "id = \"gen\"\nname = \"Generated framework\"\ntitle = \"Generated\"\nsource = \"Written for this test\"\nheadline_level = \"trait\"\n\n[[levels]]\nid = \"trait\"\nlabel = \"Trait\"\nplural = \"Traits\"\n",
    );
    let (first, scale) = scale(points);
    let mut instrument = format!(
        "id = \"gen-check\"\nname = \"Generated check\"\nframework = \"gen.framework.toml\"\n\n{scale}\n[[attributes]]\nid = \"role\"\nlabel = \"Role\"\nself_rating = \"Staff\"\nquestion = \"Your role\"\noptions = [\"Funder\", \"Partner\", \"Staff\"]\n"
    );
    let mut headers = Vec::new();
    for (n, label) in LABELS.iter().enumerate().take(nodes) {
        let _ = write!(
            framework,
            "\n[[nodes]]\nid = \"n{n}\"\nlevel = \"trait\"\nlabel = \"{}\"\n",
            label
        );
        for j in 0..2 {
            let text = format!("Statement {j} about {label}.");
            let _ = write!(
                instrument,
                "\n[[items]]\nid = \"n{n}i{j}\"\nindicator = \"n{n}\"\ntext = \"{text}\"\nscale = \"s\"\n"
            );
            headers.push(format!("\"{text}\""));
        }
    }
    headers.push("Your role".into());
    std::fs::write(dir.join("gen.framework.toml"), framework).unwrap();
    std::fs::write(dir.join("gen.instrument.toml"), instrument).unwrap();
    let mut config = String::from(
        "initiative = \"Generated study\"\ninstrument = \"gen.instrument.toml\"\nout = \"out\"\n",
    );
    let mut rng = fastrand::Rng::with_seed(seed);
    for w in 0..waves {
        let mut csv = headers.join(",");
        csv.push('\n');
        for _ in 0..60 {
            let mood = rng.f64();
            let answers: Vec<String> = (0..2 * nodes)
                .map(|i| {
                    let lean = (i / 2) as f64 / nodes as f64;
                    let at = (mood * 0.5 + lean * 0.4 + rng.f64() * 0.3 + 0.1 * w as f64).min(1.0);
                    (first + (at * (points - 1) as f64).round() as i64).to_string()
                })
                .collect();
            let role = ["Funder", "Partner", "Staff"][rng.usize(0..3)];
            let _ = writeln!(csv, "{},{role}", answers.join(","));
        }
        let file = format!("wave-{}.csv", 2024 + w);
        std::fs::write(dir.join(&file), csv).unwrap();
        let _ = write!(
            config,
            "\n[[waves]]\nlabel = \"{}\"\nfile = \"{file}\"\n",
            2024 + w
        );
    }
    std::fs::write(dir.join("backbone.toml"), config).unwrap();
}

/// Runs `backbone run --config` and returns the output folder.
fn run(config: &Path, out: &Path) -> PathBuf {
    let output = Command::new(env!("CARGO_BIN_EXE_backbone"))
        .args(["run", "--config"])
        .arg(config)
        .arg("--out")
        .arg(out)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{config:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    out.to_path_buf()
}

/// A generated study's report, written under the target's temp folder (kept for a look).
pub fn study(points: usize, nodes: usize, waves: usize) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("scale-{points}p-{nodes}n-{waves}w"));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    std::fs::create_dir_all(&dir).unwrap();
    write_study(&dir, points, nodes, waves, (points * 100 + nodes) as u64);
    run(&dir.join("backbone.toml"), &dir.join("out"))
}

/// A text of a chart: what it says and its box in the SVG's image pixels.
struct Placed {
    text: String,
    rect: usvg::Rect,
}

/// Every text element, with its box, after checking its width against the charts' measure.
fn texts(group: &usvg::Group, scale: f32, svg: &Path, out: &mut Vec<Placed>) {
    for node in group.children() {
        match node {
            usvg::Node::Group(g) => texts(g, scale, svg, out),
            usvg::Node::Text(t) => {
                let chunk = &t.chunks()[0];
                let span = &chunk.spans()[0];
                let bold = span.font().weight() >= 600;
                let size = span.font_size().get() * 1.24;
                let planned = backbone::render::charts::text_width(chunk.text(), size.round() as u32, bold);
                let rect = t.abs_bounding_box();
                let ts = t.abs_transform();
                let along = if ts.kx.abs() > 0.5 || ts.ky.abs() > 0.5 {
                    rect.height()
                } else {
                    rect.width()
                } / scale;
                // Ink is narrower than the advances by the side bearings: a few pixels.
                assert!(
                    along <= planned as f32 * 1.03 + 1.0 && along >= planned as f32 * 0.85 - 4.0,
                    "{svg:?}: {:?} is {along} px wide, the charts measure {planned}",
                    chunk.text()
                );
                out.push(Placed {
                    text: chunk.text().to_string(),
                    rect,
                });
            }
            _ => {}
        }
    }
}

/// The pairs of texts of one SVG whose boxes overlap by more than a pixel each way, and the
/// texts reaching past the image's edges.
fn overlaps(svg: &Path) -> Vec<String> {
    let source = std::fs::read_to_string(svg).unwrap();
    let tree = usvg::Tree::from_str(&source, &crate::common::usvg_options()).unwrap();
    // The drawing is laid out in design pixels, its viewBox; the image is larger.
    let design: f32 = source
        .split("viewBox=\"0 0 ")
        .nth(1)
        .and_then(|v| v.split(' ').next())
        .and_then(|w| w.parse().ok())
        .unwrap_or(tree.size().width());
    let scale = tree.size().width() / design;
    let mut all = Vec::new();
    texts(tree.root(), scale, svg, &mut all);
    let (w, h) = (tree.size().width(), tree.size().height());
    let mut found = Vec::new();
    for (i, a) in all.iter().enumerate() {
        let r = a.rect;
        if r.left() < -0.5 || r.top() < -0.5 || r.right() > w + 0.5 || r.bottom() > h + 0.5 {
            found.push(format!("{:?} leaves the image", a.text));
        }
        for b in &all[i + 1..] {
            let x = r.right().min(b.rect.right()) - r.left().max(b.rect.left());
            let y = r.bottom().min(b.rect.bottom()) - r.top().max(b.rect.top());
            if x > 1.0 && y > 1.0 {
                found.push(format!("{:?} overlaps {:?}", a.text, b.text));
            }
        }
    }
    found
}

/// The SVGs of a report: its own and its slides'.
fn svgs(out: &Path) -> Vec<PathBuf> {
    let mut all = Vec::new();
    for dir in [out.to_path_buf(), out.join("slides")] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "svg") {
                all.push(path);
            }
        }
    }
    all.sort();
    all
}

pub(crate) fn assert_no_overlaps(out: &Path, least: usize) {
    let svgs = svgs(out);
    assert!(svgs.len() >= least, "{out:?}: {} charts", svgs.len());
    let problems: Vec<String> = svgs
        .iter()
        .flat_map(|svg| {
            let name = svg.strip_prefix(out).unwrap().display().to_string();
            let mut found = overlaps(svg);
            // The score charts grow with their labels: none is cut (a cut one keeps its text
            // in a <title>).
            let text = std::fs::read_to_string(svg).unwrap();
            let score_chart = ["scorecard", "trend", "gap"].iter().any(|c| name.contains(c));
            if score_chart && text.contains("<title>") {
                found.push("a label is cut".into());
            }
            found.into_iter().map(move |p| format!("{name}: {p}"))
        })
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_text_of_the_bundled_samples_charts_overlaps_another() {
    assert_no_overlaps(&crate::common::sample().out, 17);
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("overlaps-leadership");
    run(Path::new("sample_surveys/leadership/backbone.toml"), &out);
    assert_no_overlaps(&out, 10);
}

/// Wave labels of 30 characters: the trend's axis wraps them and its legend keeps every verdict
/// whole (issue 22: "declined Democrats–Rep…").
#[test]
fn no_text_overlaps_with_30_character_wave_labels() {
    assert_no_overlaps(&crate::common::long_wave_labels().out, 17);
}

#[test]
fn no_text_overlaps_on_any_scale_with_3_to_20_nodes() {
    for (points, nodes, waves) in [
        (2, 3, 2),
        (4, 20, 2),
        (6, 8, 1),
        (7, 14, 2),
        (11, 3, 2),
        (11, 20, 1),
    ] {
        assert_no_overlaps(&study(points, nodes, waves), 8);
    }
}

/// The detector finds what it must: two texts drawn on one spot, and one past the edge.
#[test]
fn the_overlap_check_catches_texts_on_one_spot() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("t.svg");
    std::fs::write(
        &svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100"><text x="10" y="50" font-family="DejaVu Sans" font-size="15.32258064516129">3.06 n=170</text><text x="40" y="55" font-family="DejaVu Sans" font-size="15.32258064516129">2.72 n=168</text><text x="150" y="90" font-family="DejaVu Sans" font-size="15.32258064516129">Visionary</text></svg>"#,
    )
    .unwrap();
    assert_eq!(
        overlaps(&svg),
        [
            "\"3.06 n=170\" overlaps \"2.72 n=168\"",
            "\"Visionary\" leaves the image"
        ]
    );
}
