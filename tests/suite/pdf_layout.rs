//! No two words of a PDF collide and none leaves its page: the briefs of both bundled samples
//! (the shared runs), read back with poppler's `pdftotext -bbox-layout`, which gives each
//! word's box as the PDF places it (charts included: their labels stay text). The check is
//! shown to catch a collision on a PDF written here with two words drawn over each other.
//! Needs poppler-utils (installed by .ci/run).

use std::path::Path;
use std::process::Command;

/// A word of a page and its box in PDF points, y growing down.
pub struct Word {
    pub text: String,
    pub x_min: f64,
    pub y_min: f64,
    pub x_max: f64,
    pub y_max: f64,
}

/// A page's size and its words.
pub struct Page {
    pub width: f64,
    pub height: f64,
    pub words: Vec<Word>,
}

/// The value of `key="…"` in an element's opening tag.
fn attribute(tag: &str, key: &str) -> f64 {
    let start = tag.find(&format!("{key}=\"")).unwrap() + key.len() + 2;
    tag[start..start + tag[start..].find('"').unwrap()]
        .parse()
        .unwrap()
}

/// Every page of `pdf` with its words, as `pdftotext -bbox-layout` reads them.
pub fn pages(pdf: &Path) -> Vec<Page> {
    let output = Command::new("pdftotext")
        .arg("-bbox-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed; .ci/run installs it");
    assert!(
        output.status.success(),
        "{pdf:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let xml = String::from_utf8_lossy(&output.stdout);
    xml.split("<page ")
        .skip(1)
        .map(|page| {
            let words = page
                .split("<word ")
                .skip(1)
                .map(|w| {
                    let (tag, rest) = w.split_once('>').unwrap();
                    let text = rest.split("</word>").next().unwrap();
                    Word {
                        text: text
                            .replace("&lt;", "<")
                            .replace("&gt;", ">")
                            .replace("&amp;", "&"),
                        x_min: attribute(tag, "xMin"),
                        y_min: attribute(tag, "yMin"),
                        x_max: attribute(tag, "xMax"),
                        y_max: attribute(tag, "yMax"),
                    }
                })
                .collect();
            Page {
                width: attribute(page, "width"),
                height: attribute(page, "height"),
                words,
            }
        })
        .collect()
}

/// The words of `pdf` whose boxes overlap another's by more than half a point each way, and
/// the words reaching past their page's edges, as "page N: …".
pub fn collisions(pdf: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for (n, page) in pages(pdf).iter().enumerate() {
        let at = |w: &Word| format!("{:?} at ({:.0}, {:.0})", w.text, w.x_min, w.y_min);
        for (i, a) in page.words.iter().enumerate() {
            if a.x_min < -0.5 || a.y_min < -0.5 || a.x_max > page.width + 0.5 || a.y_max > page.height + 0.5 {
                found.push(format!("page {}: {} leaves the page", n + 1, at(a)));
            }
            for b in &page.words[i + 1..] {
                let x = a.x_max.min(b.x_max) - a.x_min.max(b.x_min);
                let y = a.y_max.min(b.y_max) - a.y_min.max(b.y_min);
                if x > 0.5 && y > 0.5 {
                    found.push(format!("page {}: {} overlaps {}", n + 1, at(a), at(b)));
                }
            }
        }
    }
    found
}

/// Asserts that `pdf` has at least `least` words and no collision.
pub fn assert_no_collisions(pdf: &Path, least: usize) {
    let words: usize = pages(pdf).iter().map(|p| p.words.len()).sum();
    assert!(words >= least, "{pdf:?}: {words} words");
    let found = collisions(pdf);
    assert!(found.is_empty(), "{pdf:?}:\n{}", found.join("\n"));
}

#[test]
fn no_word_of_either_samples_brief_collides_or_leaves_its_page() {
    assert_no_collisions(&crate::common::sample().out.join("brief.pdf"), 1000);
    assert_no_collisions(&crate::common::leadership().out.join("brief.pdf"), 1000);
}

/// The brief of an export with 30-character wave labels: its tables' headers do not run into
/// each other ("DemocratsRepublicans"): the functions table heads its wave columns by number,
/// keyed above it.
#[test]
fn no_word_of_a_brief_with_30_character_wave_labels_collides() {
    let pdf = crate::common::long_wave_labels().out.join("brief.pdf");
    assert_no_collisions(&pdf, 1000);
    let text: Vec<String> = pages(&pdf)
        .into_iter()
        .flat_map(|p| p.words)
        .map(|w| w.text)
        .collect();
    // A line may break after the dash of "Democrats–Republicans".
    let flowing = text.join(" ").replace("– ", "–");
    assert!(
        flowing.contains("Waves: 1 = Democrats–Republicans pre 2023; 2 = Democrats–Republicans mid 2024; 3 = Democrats–Republicans end 2025."),
        "{flowing}"
    );
}

/// A one-page PDF (200 × 100 pt, Helvetica) drawing each `(x, y, text)` with y from the
/// bottom, as PDF places it.
fn pdf_with(texts: &[(u32, u32, &str)]) -> Vec<u8> {
    let content: String = texts
        .iter()
        .map(|(x, y, t)| format!("BT /F1 12 Tf {x} {y} Td ({t}) Tj ET\n"))
        .collect();
    let objects = [
        "<</Type/Catalog/Pages 2 0 R>>".to_string(),
        "<</Type/Pages/Kids[3 0 R]/Count 1>>".into(),
        "<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]/Resources<</Font<</F1 4 0 R>>>>/Contents 5 0 R>>"
            .into(),
        "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>".into(),
        format!("<</Length {}>>stream\n{content}endstream", content.len()),
    ];
    let mut pdf = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.push_str(&format!("{} 0 obj\n{object}\nendobj\n", i + 1));
    }
    let xref = pdf.len();
    pdf.push_str(&format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1));
    for offset in offsets {
        pdf.push_str(&format!("{offset:010} 00000 n \n"));
    }
    pdf.push_str(&format!(
        "trailer\n<</Size {}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    pdf.into_bytes()
}

/// The check finds what it must: two words drawn over each other (the brief's
/// "DemocratsRepublicans" header), one running off the page's right edge, and nothing on a
/// page whose words stand apart.
#[test]
fn the_collision_check_catches_words_drawn_over_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.pdf");
    // Helvetica 12 pt: "Democrats" is 58 pt wide, so from x = 10 it reaches x = 68, past 40;
    // "Edge" is 28 pt wide, from 175 past the page's 200 (pdftotext drops the characters
    // that start past the edge, so a word wholly outside is not seen: the page's edges are
    // checked by what does show).
    std::fs::write(
        &bad,
        pdf_with(&[(10, 50, "Democrats"), (40, 54, "Republicans"), (175, 20, "Edge")]),
    )
    .unwrap();
    assert_eq!(
        collisions(&bad),
        [
            "page 1: \"Republicans\" at (40, 37) overlaps \"Democrats\" at (10, 41)",
            "page 1: \"Edge\" at (175, 71) leaves the page",
        ]
    );
    let good = dir.path().join("good.pdf");
    std::fs::write(
        &good,
        pdf_with(&[(10, 50, "Democrats"), (80, 50, "Republicans"), (10, 20, "Edge")]),
    )
    .unwrap();
    assert_eq!(collisions(&good), Vec::<String>::new());
    assert_eq!(pages(&good)[0].words.len(), 3);
}

/// HTML text with its tags dropped (a tag stands for a space) and its entities read.
fn html_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    [
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#x27;", "'"),
        ("&#x2f;", "/"),
        ("&amp;", "&"),
    ]
    .iter()
    .fold(text, |t, (entity, c)| t.replace(entity, c))
}

/// The printed pieces of a header word split inside itself: printed words that are no word of
/// the page but part of a header word. A break after a hyphen ("community-" / "based") is a
/// break between the word's parts, and allowed.
fn split_header_words(html: &str, pdf: &Path) -> Vec<String> {
    let headers: Vec<String> = html
        .split("<th")
        .skip(1)
        .flat_map(|th| {
            let cell = th.split_once('>').unwrap().1.split("</th>").next().unwrap();
            html_text(cell)
                .split_whitespace()
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .collect();
    let text = html_text(html);
    let words: std::collections::HashSet<&str> = text.split_whitespace().collect();
    let printed: Vec<String> = pages(pdf)
        .into_iter()
        .flat_map(|p| p.words)
        .map(|w| w.text)
        .collect();
    let mut pieces: Vec<String> = printed
        .iter()
        .filter(|w| !words.contains(w.as_str()) && !w.ends_with('-'))
        .filter(|w| headers.iter().any(|h| h != *w && h.contains(w.as_str())))
        .cloned()
        .collect();
    pieces.extend(
        headers
            .iter()
            .filter(|h| !printed.contains(h))
            .map(|h| format!("{h:?} is not printed whole")),
    );
    pieces.sort();
    pieces.dedup();
    pieces
}

/// Prints `html` with headless Chromium into `dir` and returns the PDF's path.
fn print_html(html: &Path, dir: &Path) -> std::path::PathBuf {
    let pdf = dir.join("report-print.pdf");
    crate::reports::chromium(&[
        "--no-pdf-header-footer",
        &format!("--print-to-pdf={}", pdf.display()),
        &format!("file://{}", html.display()),
    ]);
    pdf
}

/// Printed from Chromium, report.html of both samples keeps every header word whole ("%
/// favourable", not "% favour" / "able"; "Linked", not "Link" / "ed") and no printed word
/// collides with another or leaves its page (a chart taller than a page is scaled to fit it).
#[test]
fn printed_report_wraps_headers_between_words_and_no_word_collides() {
    let dir = tempfile::tempdir().unwrap();
    for (name, run) in [
        ("sample", crate::common::sample()),
        ("leadership", crate::common::leadership()),
    ] {
        let html = run.out.join("report.html");
        let printed = dir.path().join(name);
        std::fs::create_dir(&printed).unwrap();
        let pdf = print_html(&html, &printed);
        let source = std::fs::read_to_string(&html).unwrap();
        assert!(
            source.matches("<th").count() > 50,
            "{name}: the report's tables have headers"
        );
        let split = split_header_words(&source, &pdf);
        assert!(split.is_empty(), "{name}: header words split in print: {split:?}");
        assert_no_collisions(&pdf, 5000);
    }
}

/// The header check finds a header broken inside its words, as Chromium prints it when a
/// header cell may break anywhere, and passes the one beside it that wraps between words.
#[test]
fn the_header_check_catches_a_header_broken_inside_a_word() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("narrow.html");
    let page = "<!DOCTYPE html><html><body><table style=\"width: 40px\"><thead><tr><th style=\"overflow-wrap: anywhere\">Wilcoxon p</th><th>% favourable</th></tr></thead></table></body></html>";
    std::fs::write(&html, page).unwrap();
    let pdf = print_html(&html, dir.path());
    let split = split_header_words(page, &pdf);
    assert!(
        split.contains(&"\"Wilcoxon\" is not printed whole".to_string()),
        "{split:?}"
    );
    // The rest are Wilcoxon's pieces, at least two of them.
    let pieces: Vec<&String> = split.iter().filter(|s| !s.contains("whole")).collect();
    assert!(
        pieces.len() >= 2 && pieces.iter().all(|p| "Wilcoxon".contains(p.as_str())),
        "{split:?}"
    );
}
