//! The funder brief and the HTML report as a reader gets them: the PDF's pages and headline
//! numbers (read back with poppler's pdftotext), the HTML page in headless Chromium, and
//! suppression of small groups wherever a group appears. Needs poppler-utils and chromium
//! (installed by .ci/run).

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the bundled sample into a fresh folder, with an optional extra config line.
fn sample_run(extra: &str) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let samples = root().join("sample_surveys");
    let config = std::fs::read_to_string(samples.join("backbone.toml"))
        .unwrap()
        .replace("file = \"", &format!("file = \"{}/", samples.display()))
        .replace(
            "\"../indicators",
            &format!("\"{}/../indicators", samples.display()),
        )
        .replace(
            "out = \"../reports/riverbend\"",
            &format!("out = \"{}\"", out.path().display()),
        );
    // The config lives elsewhere: a run replaces its whole output folder, and refuses one that
    // holds other files.
    let config_dir = tempfile::tempdir().unwrap();
    let path = config_dir.path().join("backbone.toml");
    std::fs::write(&path, format!("{config}\n{extra}")).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_backbone"))
        .args(["run", "--config", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    out
}

fn tool(name: &str, args: &[&str]) -> String {
    let output = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} is needed for this test ({e}); .ci/run installs it"));
    assert!(
        output.status.success(),
        "{name} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Latest-wave function means from scores.csv, read with the csv crate.
fn function_means(dir: &Path) -> Vec<(String, f64)> {
    let mut reader = csv::Reader::from_path(dir.join("scores.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (wave, level, label, mean) = (at("wave"), at("level"), at("label"), at("mean"));
    reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[wave] == "2025" && &r[level] == "function")
        .map(|r| (r[label].to_string(), r[mean].parse().unwrap()))
        .collect()
}

#[test]
fn brief_has_two_to_four_pages_and_the_scores_csv_numbers() {
    let out = sample_run("");
    let pdf = out.path().join("brief.pdf");
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|n| n.trim().parse().unwrap())
        .unwrap();
    assert!((2..=4).contains(&pages), "{pages} pages");
    assert!(
        !info.contains("CreationDate"),
        "the PDF carries no timestamp:\n{info}"
    );
    let text = tool("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
    let means = function_means(out.path());
    assert_eq!(means.len(), 6);
    for (label, mean) in means {
        let printed = format!("{mean:.2}");
        let line = text
            .lines()
            .find(|l| l.contains(label.split_whitespace().next().unwrap()) && l.contains(&printed));
        assert!(line.is_some(), "{label} {printed} not in the brief:\n{text}");
    }
    assert!(text.contains("Functions by wave") && text.contains("Method note"));
    // What a funder reads: a response rate, the band of every function, the governance
    // outcomes, and words instead of statistics.
    // 138 used, all of them answering at least 80% of the questions
    // (tests/reference/response_rates.py).
    let flowing = text.split_whitespace().collect::<Vec<_>>().join(" ");
    // Cells holding "Agree strongly", "N.A" or "Somewhat agree" (labels the scale lacks),
    // counted in the three exports with Python's csv module: 3, 3 and 5.
    assert!(
        flowing.contains(
            "Answers that matched no point of their scale were left out: 3 in 2023, 3 in 2024, 5 in 2025."
        ),
        "{text}"
    );
    assert!(
        flowing.contains("138 of 240 invited answered in 2023 (response rate 57.5%; 100.0% answered at least 80% of the questions)"),
        "{text}"
    );
    // Page one ranks every function with its score and band.
    let bands = ["Strength", "Borderline", "Concern"];
    for (label, mean) in function_means(out.path()) {
        let first = label.split_whitespace().next().unwrap();
        let printed = format!("{mean:.2}");
        let line = text
            .lines()
            .find(|l| l.contains(first) && l.contains(&printed) && bands.iter().any(|b| l.contains(b)));
        assert!(line.is_some(), "no score line with a band for {label}:\n{text}");
    }
    let raw = page_text(&pdf, None)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(raw.contains("Governance outcomes"));
    assert!(raw.contains("The backbone infrastructure (BBI) effectively guides"));
    for statistic in ["q =", "Hedges", "e-0", "e-1"] {
        assert!(!text.contains(statistic), "the brief says {statistic:?}:\n{text}");
    }
    // The charts are vectors: no raster image in the PDF.
    let images = tool("pdfimages", &["-list", pdf.to_str().unwrap()]);
    assert_eq!(images.lines().count(), 2, "{images}");
    // Page images a reader sees.
    let prefix = out.path().join("page");
    tool(
        "pdftoppm",
        &[
            "-r",
            "50",
            "-png",
            pdf.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    let pngs = std::fs::read_dir(out.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("page")
        })
        .count();
    assert_eq!(pngs, pages);
}

/// The brief's text in reading order (no layout), of one page or all of them.
fn page_text(pdf: &Path, page: Option<usize>) -> String {
    let pdf = pdf.to_str().unwrap();
    match page {
        Some(p) => tool(
            "pdftotext",
            &["-f", &p.to_string(), "-l", &p.to_string(), pdf, "-"],
        ),
        None => tool("pdftotext", &[pdf, "-"]),
    }
}

/// Each headline node's label (from scores.csv, level as the framework names it).
fn headline_labels(dir: &Path) -> Vec<String> {
    let framework: toml::Table = toml::from_str(
        &std::fs::read_to_string(root().join("indicators/fsg-backbone.framework.toml")).unwrap(),
    )
    .unwrap();
    let headline = framework["headline_level"].as_str().unwrap().to_string();
    let mut reader = csv::Reader::from_path(dir.join("scores.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (level, label) = (at("level"), at("label"));
    let mut labels: Vec<String> = reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| r[level] == headline)
        .map(|r| r[label].to_string())
        .collect();
    labels.sort();
    labels.dedup();
    labels
}

/// The headline node with the largest reliable change of `direction` into the latest wave,
/// by |effect_size| in comparison.csv (both comparisons page one shows end there).
fn largest_change(dir: &Path, labels: &[String], direction: &str) -> String {
    let mut reader = csv::Reader::from_path(dir.join("comparison.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (label, to, verdict, effect) = (at("label"), at("to_wave"), at("direction"), at("effect_size"));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let latest = rows.iter().map(|r| r[to].to_string()).max().unwrap();
    rows.iter()
        .filter(|r| r[to] == latest && &r[verdict] == direction && labels.iter().any(|l| *l == r[label]))
        .max_by(|a, b| {
            let size = |r: &csv::StringRecord| r[effect].parse::<f64>().unwrap().abs();
            size(a).total_cmp(&size(b))
        })
        .map(|r| r[label].to_string())
        .unwrap_or_else(|| panic!("no reliable {direction} at the headline level"))
}

#[test]
fn page_one_names_the_largest_win_and_loss_and_each_function_at_most_twice() {
    let out = sample_run("");
    let pdf = out.path().join("brief.pdf");
    let page = page_text(&pdf, Some(1))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let labels = headline_labels(out.path());
    assert_eq!(labels.len(), 6, "{labels:?}");
    let win = largest_change(out.path(), &labels, "improved");
    let loss = largest_change(out.path(), &labels, "declined");
    let (at_win, at_loss) = (page.find(&win), page.find(&loss));
    assert!(
        at_win.is_some() && at_loss.is_some(),
        "{win} / {loss} not on page 1:\n{page}"
    );
    assert!(at_win < at_loss, "wins come first:\n{page}");
    // Its score line and the one point about it, no more (and every function is there).
    for label in &labels {
        let named = page.matches(label.as_str()).count();
        assert!(
            (1..=2).contains(&named),
            "{label} named {named} times on page 1:\n{page}"
        );
    }
    // Both comparisons, kept apart and named.
    assert!(
        page.contains("This year: 2024 → 2025; since the first wave: 2023 → 2025."),
        "{page}"
    );
    // Without report.date the brief is dated by its latest wave.
    assert!(page.contains("as of the 2025 wave"), "{page}");
    // The item addressed to funders, with its latest mean from scores.csv.
    let mut reader = csv::Reader::from_path(out.path().join("scores.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (wave, id, mean) = (at("wave"), at("id"), at("mean"));
    let funders: f64 = reader
        .records()
        .map(|r| r.unwrap())
        .find(|r| &r[wave] == "2025" && &r[id] == "mf-funders-redirect")
        .map(|r| r[mean].parse().unwrap())
        .unwrap();
    let line = format!(
        "For funders “Funders are redirecting funds to support the initiative's goals.” {funders:.2},"
    );
    assert!(page.contains(&line), "{line} not on page 1:\n{page}");
    // No half-empty page before the last: on each, text reaches below the middle of the page
    // (the charts' labels are text too); the footer is left out.
    let bbox = tool("pdftotext", &["-bbox", pdf.to_str().unwrap(), "-"]);
    let pages: Vec<&str> = bbox.split("<page ").skip(1).collect();
    let number = |text: &str, key: &str| -> Vec<f64> {
        text.split(key)
            .skip(1)
            .map(|rest| rest[..rest.find('"').unwrap()].parse().unwrap())
            .collect()
    };
    for (n, page) in pages.iter().enumerate().take(pages.len() - 1) {
        let height = number(page, "height=\"")[0];
        let mut bottoms = number(page, "yMax=\"");
        bottoms.sort_by(f64::total_cmp);
        let footer = *bottoms.last().unwrap();
        let body = bottoms
            .iter()
            .rev()
            .find(|y| **y < footer - 5.0)
            .copied()
            .unwrap_or(0.0);
        assert!(
            body > height / 2.0,
            "page {} ends at {body:.0} of {height:.0}",
            n + 1
        );
    }
}

#[test]
fn what_to_discuss_says_each_topic_once_and_names_what_it_counts() {
    let out = sample_run("");
    let md = std::fs::read_to_string(out.path().join("report.md")).unwrap();
    let start = md.find("### What to discuss").unwrap();
    let section = &md[start..start + md[start..].find("\n###").unwrap()];
    let bullets: Vec<&str> = section.lines().filter_map(|l| l.strip_prefix("- ")).collect();
    // A decline or a low score names its node before " (level)": each node once.
    let mut topics: Vec<&str> = bullets
        .iter()
        .filter_map(|b| b.split_once(": ")?.1.split(" (").next())
        .filter(|t| !t.starts_with("In "))
        .collect();
    assert!(topics.len() >= 3, "{section}");
    let all = topics.len();
    topics.sort();
    topics.dedup();
    assert_eq!(topics.len(), all, "a topic is said twice:\n{section}");
    // The community partners' reliable differences of 2025 at the headline level, from
    // groups.csv: the bullet that counts them names them all.
    let functions: Vec<String> = {
        let mut reader = csv::Reader::from_path(out.path().join("scores.csv")).unwrap();
        let headers = reader.headers().unwrap().clone();
        let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
        let (level, id) = (at("level"), at("id"));
        reader
            .records()
            .map(|r| r.unwrap())
            .filter(|r| &r[level] == "function")
            .map(|r| r[id].to_string())
            .collect()
    };
    let mut reader = csv::Reader::from_path(out.path().join("groups.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (wave, group, id, direction) = (at("wave"), at("group"), at("id"), at("direction"));
    let worse: Vec<String> = reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[wave] == "2025" && &r[group] == "Community partner" && &r[direction] == "worse")
        .filter(|r| functions.iter().any(|f| *f == r[id]))
        .map(|r| r[id].to_string())
        .collect();
    assert_eq!(worse.len(), 2, "{worse:?}");
    let bullet = bullets
        .iter()
        .find(|b| b.contains("Community partner (role)") && b.contains("less favourably"))
        .unwrap_or_else(|| panic!("no bullet on community partners:\n{section}"));
    assert!(bullet.contains("reliably so on 2: "), "{bullet}");
    let config = root().join("indicators/fsg-backbone.framework.toml");
    let framework: toml::Table = toml::from_str(&std::fs::read_to_string(config).unwrap()).unwrap();
    for id in worse {
        let node = framework["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["id"].as_str() == Some(id.as_str()))
            .unwrap();
        let label = node["label"].as_str().unwrap();
        assert!(bullet.contains(label), "{label} not named: {bullet}");
    }
}

#[test]
fn the_evaluators_summary_actions_and_date_open_the_brief_as_text() {
    let summary = "Policy <work> slipped: #1 for the *retreat*.";
    let out = sample_run(&format!(
        "[report]\ndate = \"4 December 2026\"\nsummary = \"{summary}\"\n\
         [[report.actions]]\ntext = \"Bring policy partners to the retreat\"\nwho = \"Steering committee\"\nby = \"April 2026\"\n\
         [[report.actions]]\ntext = \"Share the data dashboard monthly\"\n"
    ));
    let pdf = out.path().join("brief.pdf");
    let page = page_text(&pdf, Some(1))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for expected in [
        summary,
        "Bring policy partners to the retreat — Steering committee, by April 2026",
        "Share the data dashboard monthly",
        "4 December 2026",
    ] {
        assert!(page.contains(expected), "{expected:?} not on page 1:\n{page}");
    }
    assert!(
        page.find(summary) < page.find("What changed"),
        "the summary comes first"
    );
    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    assert!(html.contains("Policy &lt;work&gt; slipped: #1 for the *retreat*."));
    assert!(!html.contains("<work>"));
    assert!(html.contains("Bring policy partners to the retreat — Steering committee, by April 2026"));
    let md = std::fs::read_to_string(out.path().join("report.md")).unwrap();
    assert!(
        md.contains(r"> Policy \<work\> slipped: \#1 for the \*retreat\*."),
        "{md}"
    );
    assert!(md.contains("- Share the data dashboard monthly"));
}

pub(crate) fn chromium(args: &[&str]) -> String {
    let profile = tempfile::tempdir().unwrap();
    let dir = format!("--user-data-dir={}", profile.path().display());
    let mut all = vec![
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        dir.as_str(),
    ];
    all.extend_from_slice(args);
    tool("chromium", &all)
}

#[test]
fn html_report_opens_in_chromium_and_shows_the_summary_chart() {
    let out = sample_run("");
    let page = out.path().join("report.html");
    let html = std::fs::read_to_string(&page).unwrap();
    for link in ["src=\"http", "href=\"http", "url(http", "@import"] {
        assert!(
            !html.contains(link),
            "the report loads nothing from the network: {link}"
        );
    }
    let url = format!("file://{}", page.display());
    let dom = chromium(&["--dump-dom", &url]);
    let summary = dom
        .find("id=\"summary-chart\"")
        .expect("the summary figure is in the page");
    assert!(
        dom[summary..].trim_start().contains("<svg"),
        "the summary figure holds the chart"
    );
    assert!(
        dom.contains("Functions in 2025"),
        "the chart's title is rendered text"
    );
    let shot: PathBuf = out.path().join("report.png");
    chromium(&[
        "--window-size=1280,1600",
        &format!("--screenshot={}", shot.display()),
        &url,
    ]);
    let png = std::fs::read(&shot).unwrap();
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 50_000,
        "screenshot of {} bytes",
        png.len()
    );
}

#[test]
fn small_groups_are_suppressed_in_tables_charts_and_text() {
    // Funders (8 respondents in 2025) and backbone staff (22) fall under a threshold of 25.
    let out = sample_run("[report]\nsuppress_below = 25\n");
    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    let groups = &html[html.find("id=\"groups\"").unwrap()..html.find("id=\"data\"").unwrap()];
    let table = &groups[groups.find("<table>").unwrap()..groups.find("</table>").unwrap()];
    let header: Vec<&str> = table
        .split("<th class=\"num\">")
        .skip(1)
        .map(|h| h.split("<br>").next().unwrap())
        .collect();
    let funder = header
        .iter()
        .position(|h| *h == "Funder")
        .expect("the funder column is named");
    for row in table.split("<tr><td>").skip(1) {
        let cells: Vec<&str> = row.split("<td class=\"num").skip(1).collect();
        assert!(cells[funder].starts_with(" suppressed\">suppressed"), "{row}");
    }
    let svg = std::fs::read_to_string(out.path().join("groups-role.svg")).unwrap();
    assert!(
        svg.contains("Funder: suppressed"),
        "the legend names the suppressed group"
    );
    assert!(!svg.contains("Funder (n="), "no funder marker is drawn");
    let brief = tool(
        "pdftotext",
        &[out.path().join("brief.pdf").to_str().unwrap(), "-"],
    );
    // The brief names the group in its respondent mix, with no count under the threshold.
    // (The statement about funders on page one is an item's score, not the group's.)
    for line in brief
        .lines()
        .filter(|l| l.contains("Funder") && !l.contains("Funders are redirecting"))
    {
        assert!(!line.contains(char::is_numeric) || line.contains("<25"), "{line}");
    }
}

#[test]
fn a_single_wave_workbook_gets_every_report_without_change_columns() {
    // The Microsoft Forms pulse survey: one wave, so nothing to compare.
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_backbone"))
        .args([
            "run",
            "--config",
            "sample_surveys/pulse/backbone.toml",
            "--out",
            out.path().to_str().unwrap(),
        ])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    assert!(
        !html.contains("Change 2025-10"),
        "no change column for a single wave"
    );
    let text = tool(
        "pdftotext",
        &[out.path().join("brief.pdf").to_str().unwrap(), "-"],
    );
    assert!(text.contains("48 partners answered in 2025-10"), "{text}");
    let comparisons = std::fs::read_to_string(out.path().join("comparison.csv")).unwrap();
    assert_eq!(
        comparisons.lines().count(),
        1,
        "only the header: one wave has no pairs"
    );
}

/// Text of an HTML fragment without its tags.
fn strip_tags(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&amp;", "&").trim().to_string()
}

/// The header cells of the table with the most columns in the page, as text.
fn widest_table(html: &str) -> Vec<String> {
    let mut widest: Option<Vec<String>> = None;
    for (i, _) in html.match_indices("<thead>") {
        let head = html[i..].split("</thead>").next().unwrap();
        let headers: Vec<String> = head
            .split("<th")
            .skip(1)
            .map(|th| strip_tags(th.split_once('>').unwrap().1.split("<br").next().unwrap()))
            .collect();
        if widest.as_ref().is_none_or(|w| headers.len() > w.len()) {
            widest = Some(headers);
        }
    }
    widest.unwrap()
}

#[test]
fn printed_report_keeps_every_column_of_the_widest_table() {
    let out = sample_run("");
    let page = out.path().join("report.html");
    let headers = widest_table(&std::fs::read_to_string(&page).unwrap());
    assert!(headers.len() >= 9, "{headers:?}");
    let last = headers.last().unwrap();
    let pdf = out.path().join("report-print.pdf");
    chromium(&[
        "--no-pdf-header-footer",
        &format!("--print-to-pdf={}", pdf.display()),
        &format!("file://{}", page.display()),
    ]);
    // Each printed page's width and words (with their right edge).
    let bbox = tool("pdftotext", &["-bbox", pdf.to_str().unwrap(), "-"]);
    let pages: Vec<(f64, Vec<(f64, String)>)> = bbox
        .split("<page width=\"")
        .skip(1)
        .map(|page| {
            let width = page.split('"').next().unwrap().parse().unwrap();
            let words = page
                .split("<word ")
                .skip(1)
                .map(|w| {
                    let x_max = w.split("xMax=\"").nth(1).unwrap().split('"').next().unwrap();
                    let text = w.split_once('>').unwrap().1.split("</word>").next().unwrap();
                    (x_max.parse().unwrap(), text.replace("&amp;", "&"))
                })
                .collect();
            (width, words)
        })
        .collect();
    // The page where the table starts: its first three header cells' words in a row (some
    // tables have no heading of their own, and a printed header row repeats on later pages).
    let heading: Vec<&str> = headers[..3].iter().flat_map(|h| h.split_whitespace()).collect();
    let at = pages
        .iter()
        .position(|(_, words)| {
            words
                .windows(heading.len())
                .any(|w| w.iter().zip(&heading).all(|(a, b)| a.1 == *b))
        })
        .expect("the table's header row is printed");
    // Every word of the last column's header is printed there, whole and inside the page.
    for word in last.split_whitespace() {
        let (width, words) = &pages[at];
        let printed: Vec<f64> = words.iter().filter(|w| w.1 == word).map(|w| w.0).collect();
        assert!(
            !printed.is_empty(),
            "\"{word}\" of \"{last}\" is not printed with its table"
        );
        assert!(printed.iter().all(|x| x <= width), "\"{word}\" runs off the page");
    }
}

#[test]
fn charts_leave_out_title_and_source_when_the_config_says_so() {
    let out = sample_run("[report]\nchart_titles = false\n");
    for name in ["trend.svg", "scorecard.svg", "slides/trend.svg"] {
        let svg = std::fs::read_to_string(out.path().join(name)).unwrap();
        assert!(!svg.contains("Source:"), "{name} has a source line");
        assert!(!svg.contains("Riverbend"), "{name} has a title");
    }
    let with = sample_run("");
    let svg = std::fs::read_to_string(with.path().join("trend.svg")).unwrap();
    assert!(svg.contains("Source:") && svg.contains("Riverbend"));
}

#[test]
fn the_alpha_flag_follows_the_configured_minimum() {
    let out = sample_run("[report]\nmin_alpha = 0.8\n");
    let mut reader = csv::Reader::from_path(out.path().join("reliability.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (item, alpha, flag) = (column("item"), column("alpha"), column("flag"));
    let (mut low, mut flagged) = (0, 0);
    for record in reader.records() {
        let record = record.unwrap();
        // Node rows (item empty) with an alpha under 0.8 are the ones to flag.
        if record[item].is_empty() {
            low += usize::from(record[alpha].parse::<f64>().is_ok_and(|a| a < 0.8));
            flagged += usize::from(&record[flag] == "below 0.8");
        }
    }
    assert!(low > 0, "the sample has no alpha below 0.8");
    assert_eq!(flagged, low);
    let md = std::fs::read_to_string(out.path().join("report.md")).unwrap();
    assert!(md.contains("marks alpha below 0.8.") && md.contains("alpha below 0.8 is flagged"));
    assert!(!md.contains("below 0.7"));
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(out.path().join("report.xlsx")).unwrap();
    let sheet = book.worksheet_range("Reliability").unwrap();
    let header: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert!(header.contains(&"Below 0.8".to_string()), "{header:?}");
}

#[test]
fn the_main_text_says_changes_in_plain_words_that_add_up_as_printed() {
    let out = &crate::common::sample().out;
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    let main = &md[..md.find("## Changes between waves").unwrap()];
    for statistic in ["q = ", "Hedges", "RR1", "RR2", "p = "] {
        assert!(!main.contains(statistic), "{statistic} in the main text:\n{main}");
    }
    // "Advance Policy declined from 3.34 in 2023 to 2.72 in 2025 (−0.62: a large, clear decline; …)".
    let means = function_means_by_wave(out);
    let mut checked = 0;
    for line in main
        .lines()
        .filter(|l| l.contains(" from ") && l.contains(": a "))
    {
        let (label, rest) = line
            .trim_start_matches("- ")
            .split_once(" improved from ")
            .or_else(|| line.trim_start_matches("- ").split_once(" declined from "))
            .unwrap();
        let words: Vec<&str> = rest.split_whitespace().collect();
        let (a, from, b, to) = (words[0], words[2], words[4], words[6]);
        assert_eq!(
            a,
            format!("{:.2}", means[&(label.to_string(), from.to_string())]),
            "{line}"
        );
        assert_eq!(
            b,
            format!("{:.2}", means[&(label.to_string(), to.to_string())]),
            "{line}"
        );
        let printed: f64 = b.parse::<f64>().unwrap() - a.parse::<f64>().unwrap();
        let diff = words[7]
            .trim_start_matches('(')
            .trim_end_matches(':')
            .replace('−', "-");
        assert_eq!(diff, format!("{printed:+.2}"), "{line}");
        checked += 1;
    }
    // Shared Measurement rose, Advance Policy fell, Support Aligned Activities rose (2023 → 2025).
    assert_eq!(checked, 3, "{main}");
    // A low alpha says what it means for the result it flags. reliability.csv: "Partners make
    // decisions based on data" has alpha 0.69 in 2025, under the sample's 0.7.
    let flagged = md
        .lines()
        .find(|l| l.starts_with("- Indicator: Partners make decisions based on data:"))
        .unwrap();
    assert!(
        flagged.ends_with("(⚠ its items agree only loosely (alpha 0.69, below 0.7): read them one by one)"),
        "{flagged}"
    );
}

/// Each function's mean per wave from scores.csv, keyed by (label, wave).
fn function_means_by_wave(dir: &Path) -> std::collections::HashMap<(String, String), f64> {
    let mut reader = csv::Reader::from_path(dir.join("scores.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (level, label, wave, mean) = (at("level"), at("label"), at("wave"), at("mean"));
    reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[level] == "function")
        .map(|r| {
            (
                (r[label].to_string(), r[wave].to_string()),
                r[mean].parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_change_tested_once_is_listed_once() {
    let out = &crate::common::sample().out;
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    let start = md.find("Other reliable changes").unwrap();
    let section = &md[start..start + md[start..].find("\n## ").unwrap()];
    // comparison.csv: items whose answers were tested once, with the node they alone measure.
    let mut reader = csv::Reader::from_path(out.join("comparison.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let echoes: Vec<csv::StringRecord> = reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[at("level")] == "item" && r[at("note")].contains("tested once with"))
        .filter(|r| matches!(&r[at("direction")], "improved" | "declined"))
        .collect();
    assert!(echoes.len() >= 5, "{}", echoes.len());
    for r in &echoes {
        let line = format!("- item {}", &r[at("label")]);
        assert!(
            !section.contains(&line),
            "{line} listed beside its node:\n{section}"
        );
    }
    // Each node line is there once per pair of waves.
    let lines: Vec<&str> = section.lines().filter(|l| l.starts_with("- ")).collect();
    let mut unique = lines.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), lines.len());
}

/// Pages of a PDF, from pdfinfo.
fn page_count(pdf: &Path) -> usize {
    tool("pdfinfo", &[pdf.to_str().unwrap()])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|n| n.trim().parse().unwrap())
        .unwrap()
}

/// The brief shows the self-rating group against everyone else on each headline node where
/// its last page has room, and stays within four pages: the leadership brief draws the
/// 14 competencies' gaps as groups.csv has them (self − everyone else, adjusted interval) and
/// no other level's; the FSG brief has no room left and says where the chart is.
#[test]
fn the_brief_shows_the_self_rating_gap_of_the_headline_nodes_where_it_has_room() {
    let out = &crate::common::leadership().out;
    let pdf = out.join("brief.pdf");
    assert_eq!(page_count(&pdf), 4);
    let heading = "Backbone staff against everyone else";
    let page = (1..=4)
        .find(|&p| page_text(&pdf, Some(p)).lines().any(|l| l.trim() == heading))
        .expect("a page headed by the gap chart");
    let p = page.to_string();
    let text = tool(
        "pdftotext",
        &["-layout", "-f", &p, "-l", &p, pdf.to_str().unwrap(), "-"],
    );
    let mut labels = std::collections::HashMap::new();
    let mut reader = csv::Reader::from_path(out.join("scores.csv")).unwrap();
    for row in reader.deserialize::<std::collections::HashMap<String, String>>() {
        let row = row.unwrap();
        if row["level"] == "competency" {
            labels.insert(row["id"].clone(), row["label"].clone());
        }
    }
    assert_eq!(labels.len(), 14);
    let mut reader = csv::Reader::from_path(out.join("groups.csv")).unwrap();
    let mut drawn = 0;
    for row in reader.deserialize::<std::collections::HashMap<String, String>>() {
        let row = row.unwrap();
        let Some(label) = labels.get(&row["id"]) else {
            continue;
        };
        if row["group"] != "Backbone staff" {
            continue;
        }
        let number = |k: &str| row[k].parse::<f64>().unwrap();
        let gap = format!(
            "{:+.2} [{:+.2}, {:+.2}]",
            number("diff_vs_rest"),
            number("ci_low_vs_rest_fcr"),
            number("ci_high_vs_rest_fcr")
        );
        let line = text.lines().find(|l| l.trim_start().starts_with(label.as_str()));
        let line = line.unwrap_or_else(|| panic!("{label} not on page {page}:\n{text}"));
        assert!(line.trim_end().ends_with(&gap), "{label}: {line} (wanted {gap})");
        drawn += 1;
    }
    assert_eq!(drawn, 14);
    // Every gap on the page is a competency's: 14 intervals, none of another level.
    let intervals = text.lines().filter(|l| l.trim_end().ends_with(']')).count();
    assert_eq!(intervals, 14, "{text}");

    let pdf = crate::common::sample().out.join("brief.pdf");
    assert!(page_count(&pdf) <= 4);
    let flowing = page_text(&pdf, None)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        flowing.contains(
            "The chart of Backbone staff against everyone else is in the full report (report.html)."
        ),
        "{flowing}"
    );
}
