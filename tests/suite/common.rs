//! Runs that several tests only read, each made once per test process (in the target's temp
//! folder, which cargo keeps for integration tests), so a read-only check costs no extra run.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// A finished successful run: its output folder and what it printed.
pub struct Run {
    pub out: PathBuf,
    pub output: Output,
}

impl Run {
    pub fn stdout(&self) -> String {
        String::from_utf8(self.output.stdout.clone()).unwrap()
    }
}

/// `backbone run --config sample_surveys/backbone.toml`, the bundled sample.
pub fn sample() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| run_once("sample", &["run", "--config", "sample_surveys/backbone.toml"]))
}

/// `backbone run --config sample_surveys/leadership/backbone.toml`, the leadership sample.
pub fn leadership() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| {
        run_once(
            "leadership",
            &["run", "--config", "sample_surveys/leadership/backbone.toml"],
        )
    })
}

/// The bundled sample with 30-character wave labels ("Democrats–Republicans pre 2023", "… mid
/// 2024", "… end 2025"): its config copied beside the target's temp folder with the waves
/// relabelled and the paths made absolute.
pub fn long_wave_labels() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| {
        let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_surveys");
        let mut config = std::fs::read_to_string(samples.join("backbone.toml"))
            .unwrap()
            .replace("file = \"", &format!("file = \"{}/", samples.display()))
            .replace(
                "\"../indicators",
                &format!("\"{}/../indicators", samples.display()),
            );
        for (year, when) in [("2023", "pre"), ("2024", "mid"), ("2025", "end")] {
            let label = format!("Democrats–Republicans {when} {year}");
            assert_eq!(label.chars().count(), 30);
            config = config.replace(&format!("label = \"{year}\""), &format!("label = \"{label}\""));
        }
        let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("long-wave-labels.toml");
        std::fs::write(&path, config).unwrap();
        run_once("long-wave-labels", &["run", "--config", path.to_str().unwrap()])
    })
}

/// Every CSV a run wrote, by file name, as header and rows.
pub fn csvs(out: &Path) -> Vec<(String, Vec<String>, Vec<Vec<String>>)> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|path| {
            let mut reader = csv::Reader::from_path(&path).unwrap();
            let header = reader.headers().unwrap().iter().map(String::from).collect();
            let rows = reader
                .records()
                .map(|r| r.unwrap().iter().map(String::from).collect())
                .collect();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, header, rows)
        })
        .collect()
}

/// `backbone run` on the plain 2023 and 2024 fixtures: the previous report of the hostile cases.
pub fn plain_pair() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| {
        let plain = |name: &str| format!("{}/tests/fixtures/plain/{name}", env!("CARGO_MANIFEST_DIR"));
        let (a, b) = (plain("riverbend-2023.csv"), plain("riverbend-2024.csv"));
        run_once("plain-pair", &["run", &a, &b])
    })
}

fn run_once(name: &str, args: &[&str]) -> Run {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    if out.exists() {
        std::fs::remove_dir_all(&out).unwrap();
    }
    let output = Command::new(env!("CARGO_BIN_EXE_backbone"))
        .args(args)
        .arg("--out")
        .arg(&out)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Run { out, output }
}

/// Copies the folder `from` (recursively) to `to`, which must not exist yet.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// usvg laying text out with the compiled-in DejaVu Sans the charts embed.
pub fn usvg_options() -> resvg::usvg::Options<'static> {
    let mut db = resvg::usvg::fontdb::Database::new();
    db.load_font_data(dejavu::sans::regular().to_vec());
    db.load_font_data(dejavu::sans::bold().to_vec());
    resvg::usvg::Options {
        fontdb: std::sync::Arc::new(db),
        ..Default::default()
    }
}
