//! Atomic output: a run's report is written whole into a fresh hidden folder beside the output
//! folder, then swapped in with one rename, so the output folder holds either the complete
//! previous report or the complete new one, never a mix.
//!
//! For `--out reports`:
//! 1. `reports` must be missing, empty, or a report backbone wrote (it holds the manifest
//!    `.backbone-report` and nothing it does not list, or, for reports written before the
//!    manifest, only files named as backbone names its outputs). Anything else is refused, so a
//!    user's own files are never replaced.
//! 2. Everything is written into `.reports.backbone-staging-<pid>` beside it, created fresh (an
//!    existing folder of that name is never touched: another name is taken).
//! 3. The staging folder and `reports` are exchanged in one atomic step (`renameat2` with
//!    `RENAME_EXCHANGE` on Linux; elsewhere two renames, the previous report parked as
//!    `.reports.backbone-previous-<pid>` and put back if the second fails); then the previous
//!    report, now in the hidden folder, is removed.
//!
//! A failed run removes its staging folder and leaves `reports` as it was. An interrupted run
//! (SIGINT, SIGTERM, SIGHUP) does the same: once staging has begun, the signal is noted and
//! acted on at the next checkpoint; before that, the process ends at once with nothing written.
//! A run killed outright (SIGKILL, power loss) can leave its hidden staging folder; the next
//! run into the same folder removes it (only if its process is gone and it holds the manifest,
//! written first, or nothing but report files), and puts a parked previous report back if the
//! swap was cut in half.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, Result};

/// The manifest written into every report folder: the names of the files of that report.
pub const MANIFEST: &str = ".backbone-report";

const STAGING: &str = "backbone-staging-";
const PREVIOUS: &str = "backbone-previous-";

/// Set while no staging folder exists: a signal then ends the process at once.
static IDLE: AtomicBool = AtomicBool::new(true);
/// Set by SIGINT, SIGTERM or SIGHUP (acted on at the next [`checkpoint`]).
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Installs the signal handling described in the module documentation. Call once, first.
pub fn install_signal_handlers() {
    for signal in [
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
    ] {
        // The shutdown is registered first: while idle it ends the process before the flag is set.
        let _ = signal_hook::flag::register_conditional_shutdown(signal, 130, &IDLE);
        let _ = signal_hook::flag::register(signal, &INTERRUPTED);
    }
}

fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// A point where a run may stop cleanly: returns [`Error::Interrupted`] when a signal arrived.
///
/// For the tests only: when the environment variable `BACKBONE_TEST_PAUSE_AT` names this
/// `stage`, the run prints `backbone-test: paused at <stage>` on stderr and waits (up to a
/// minute) for a signal, so that a test can interrupt it exactly here.
pub fn checkpoint(stage: &str) -> Result<()> {
    if std::env::var("BACKBONE_TEST_PAUSE_AT").is_ok_and(|s| s == stage) {
        eprintln!("backbone-test: paused at {stage}");
        let start = std::time::Instant::now();
        while !interrupted() && start.elapsed() < std::time::Duration::from_secs(60) {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
    if interrupted() {
        return Err(Error::Interrupted);
    }
    Ok(())
}

/// The slides folder of a report written before the manifest existed.
const LEGACY_SLIDES: &str = "slides";

/// Whether a file name is one that backbone gave an output before the manifest existed. A
/// frozen list of that layout, not of what render writes today: every report since lists its
/// own files in the manifest, so output needs nothing from render.
fn is_output_name(name: &str) -> bool {
    const FIXED: [&str; 10] = [
        "brief.pdf",
        "groups.csv",
        "report.html",
        "report.md",
        "report.xlsx",
        "scores.csv",
        "comparison.csv",
        "panel.csv",
        "reliability.csv",
        MANIFEST,
    ];
    // Charts, and the numbered parts of a chart split over several slides.
    let chart = |stem: &str| {
        let whole = stem
            .trim_end_matches(|c: char| c.is_ascii_digit())
            .strip_suffix('-')
            .unwrap_or(stem);
        ["trend", "scorecard", "distribution", "node-questions"].contains(&whole)
            || stem.starts_with("groups-")
    };
    FIXED.contains(&name)
        || name
            .strip_suffix(".svg")
            .or_else(|| name.strip_suffix(".png"))
            .is_some_and(chart)
}

/// Whether a subfolder of a report holds only the report's files (the slide versions of the
/// charts): each listed in the manifest as `folder/file`, or named as an output.
fn known_folder(dir: &Path, name: &str, listed: Option<&[String]>) -> bool {
    let ours = match listed {
        Some(names) => names.iter().any(|n| n.starts_with(&format!("{name}/"))),
        None => name == LEGACY_SLIDES,
    };
    let Ok(entries) = std::fs::read_dir(dir.join(name)) else {
        return false;
    };
    ours && entries.into_iter().all(|entry| {
        entry.is_ok_and(|entry| {
            let file = entry.file_name().to_string_lossy().into_owned();
            entry.file_type().is_ok_and(|t| t.is_file())
                && match listed {
                    Some(names) => names.contains(&format!("{name}/{file}")),
                    None => is_output_name(&file),
                }
        })
    })
}

/// The entries of a folder that a report of backbone does not account for (empty: the folder
/// may be replaced).
fn foreign_entries(dir: &Path) -> Result<Vec<String>> {
    let listed: Option<Vec<String>> = std::fs::read_to_string(dir.join(MANIFEST)).ok().map(|text| {
        text.lines()
            .filter(|l| !l.starts_with('#'))
            .map(String::from)
            .collect()
    });
    let mut foreign = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        let known = match &listed {
            Some(names) => name == MANIFEST || names.contains(&name),
            None => is_output_name(&name),
        };
        let known_dir = is_dir && known_folder(dir, &name, listed.as_deref());
        if !(is_file && known || known_dir) {
            foreign.push(name);
        }
    }
    foreign.sort();
    Ok(foreign)
}

/// Checks, before anything is computed, that `out` can receive a report: it is missing, or a
/// folder that is empty or holds a report of backbone.
pub fn check_target(out: &Path) -> Result<()> {
    let Ok(meta) = std::fs::metadata(out) else {
        return Ok(());
    };
    if !meta.is_dir() {
        return Err(Error::usage(
            format!("--out {} names a file, not a folder", out.display()),
            "Give a folder for the reports (backbone creates it), e.g. --out reports.",
        ));
    }
    let foreign = foreign_entries(out)?;
    if !foreign.is_empty() {
        let shown: Vec<&str> = foreign.iter().take(5).map(String::as_str).collect();
        return Err(Error::usage(
            format!(
                "the output folder {} holds {} file(s) that are not part of a backbone report ({}{})",
                out.display(),
                foreign.len(),
                shown.join(", "),
                if foreign.len() > shown.len() { ", ..." } else { "" }
            ),
            "A run replaces the whole output folder: choose a new or empty folder with --out, or move those files away.",
        ));
    }
    Ok(())
}

/// The folder `out` resolved (symbolic links followed) and split into its parent and name.
fn split(out: &Path) -> Result<(PathBuf, String)> {
    let resolved = if out.exists() {
        std::fs::canonicalize(out).map_err(|e| Error::io(out, e))?
    } else {
        out.to_path_buf()
    };
    let name = resolved
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| n != "." && n != "..");
    let Some(name) = name else {
        return Err(Error::usage(
            format!(
                "--out {} does not name a folder backbone can replace",
                out.display()
            ),
            "Give a folder of its own for the reports, e.g. --out reports.",
        ));
    };
    let parent = match resolved.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((parent, name))
}

/// Writes a report with `fill` (which writes files into the folder it is given and returns
/// their names) and swaps it in as `out`, as described in the module documentation. Returns
/// the paths of the files, inside `out`.
pub fn write_atomically(out: &Path, fill: impl FnOnce(&Path) -> Result<Vec<String>>) -> Result<Vec<PathBuf>> {
    check_target(out)?;
    let (parent, name) = split(out)?;
    let target = parent.join(&name);
    let created = create_parent(&parent)?;
    sweep(&parent, &name, &target);
    let staging = fresh_dir(&parent, &format!(".{name}.{STAGING}{}", std::process::id()))?;
    // The manifest marks the folder as backbone's from the start, so that the next run can
    // recognise it as debris if this process is killed; it is rewritten with the file names.
    std::fs::write(staging.join(MANIFEST), "# A backbone report being written.\n")
        .map_err(|e| Error::io(&staging, e))?;
    IDLE.store(false, Ordering::SeqCst);
    // A full disk says how much the report needs, measured before the staging folder goes.
    let result = fill_and_swap(&staging, &target, fill).map_err(|e| match e {
        Error::Io { path, source } if crate::messages::is_full(&source) => {
            crate::messages::disk_full(path, &staging, &target)
        }
        e => e,
    });
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
        if let Some(dir) = created {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
    IDLE.store(true, Ordering::SeqCst);
    if result.is_ok() && interrupted() {
        // The new report is complete and in place; the run still says it was interrupted.
        return Err(Error::Interrupted);
    }
    let names = result?;
    Ok(names.iter().map(|n| out.join(n)).collect())
}

fn fill_and_swap(
    staging: &Path,
    target: &Path,
    fill: impl FnOnce(&Path) -> Result<Vec<String>>,
) -> Result<Vec<String>> {
    let mut names = fill(staging)?;
    names.sort();
    let manifest = format!(
        "# The files of this backbone report; a later run may replace this folder.\n{}\n",
        names.join("\n")
    );
    std::fs::write(staging.join(MANIFEST), manifest).map_err(|e| Error::io(staging, e))?;
    checkpoint("before-swap")?;
    // The folder may have changed while the report was computed.
    check_target(target)?;
    swap(staging, target)?;
    Ok(names)
}

/// Creates `parent` when missing; returns the outermost folder created, for removal on failure.
fn create_parent(parent: &Path) -> Result<Option<PathBuf>> {
    let mut first_missing = None;
    let mut dir = Some(parent);
    while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
        first_missing = Some(d.to_path_buf());
        dir = d.parent();
    }
    if first_missing.is_some() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    Ok(first_missing)
}

/// A new folder `base` (or `base-1`, `base-2`... when a folder of that name exists already).
fn fresh_dir(parent: &Path, base: &str) -> Result<PathBuf> {
    for attempt in 0..1000 {
        let name = if attempt == 0 {
            base.to_string()
        } else {
            format!("{base}-{attempt}")
        };
        let dir = parent.join(name);
        match std::fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::io(&dir, e)),
        }
    }
    Err(Error::usage(
        format!("no free name for a staging folder in {}", parent.display()),
        "Remove the folders named .<output>.backbone-staging-* there.",
    ))
}

/// Exchanges the staging folder with the target (or moves it there when there is no target),
/// then removes the previous report.
fn swap(staging: &Path, target: &Path) -> Result<()> {
    if !target.exists() {
        std::fs::rename(staging, target).map_err(|e| Error::io(target, e))?;
        return Ok(());
    }
    match exchange(staging, target) {
        Ok(()) => {
            // `staging` now holds the previous report.
            let _ = checkpoint("mid-swap");
            std::fs::remove_dir_all(staging).map_err(|e| Error::io(staging, e))?;
            Ok(())
        }
        Err(_) => swap_by_two_renames(staging, target),
    }
}

fn swap_by_two_renames(staging: &Path, target: &Path) -> Result<()> {
    let parent = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let previous = parent.join(format!(".{name}.{PREVIOUS}{}", std::process::id()));
    if previous.exists() {
        return Err(Error::usage(
            format!("{} is in the way", previous.display()),
            "Move that folder away: backbone parks the previous report there while swapping.",
        ));
    }
    std::fs::rename(target, &previous).map_err(|e| Error::io(target, e))?;
    let _ = checkpoint("mid-swap");
    if let Err(e) = std::fs::rename(staging, target) {
        let _ = std::fs::rename(&previous, target);
        return Err(Error::io(target, e));
    }
    std::fs::remove_dir_all(&previous).map_err(|e| Error::io(&previous, e))
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both paths are NUL-terminated C strings that live across the call.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// Whether the process `pid` is alive (a stale staging folder's owner is not).
fn alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: signal 0 only checks that the process exists.
        let rc = unsafe { libc::kill(pid, 0) };
        rc == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        true
    }
}

/// Removes what runs into `name` killed outright left beside it: staging folders whose process
/// is gone and which hold only report files; a previous report parked mid-swap is put back when
/// the output folder is missing, else removed.
fn sweep(parent: &Path, name: &str, target: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefix = format!(".{name}.");
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name.strip_prefix(&prefix) else {
            continue;
        };
        let (kind, pid) = if let Some(pid) = rest.strip_prefix(STAGING) {
            (STAGING, pid)
        } else if let Some(pid) = rest.strip_prefix(PREVIOUS) {
            (PREVIOUS, pid)
        } else {
            continue;
        };
        let pid = pid.split('-').next().and_then(|p| p.parse::<u32>().ok());
        let path = entry.path();
        let ours = entry.file_type().is_ok_and(|t| t.is_dir())
            && pid.is_some_and(|p| !alive(p))
            && (path.join(MANIFEST).is_file() || foreign_entries(&path).is_ok_and(|f| f.is_empty()));
        if !ours {
            continue;
        }
        if kind == PREVIOUS && !target.exists() {
            let _ = std::fs::rename(&path, target);
        } else {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn report(files: &'static [&'static str]) -> impl FnOnce(&Path) -> Result<Vec<String>> {
        move |dir: &Path| {
            for f in files {
                std::fs::write(dir.join(f), f.as_bytes()).unwrap();
            }
            Ok(files.iter().map(|f| f.to_string()).collect())
        }
    }

    #[test]
    fn a_second_run_replaces_the_whole_folder() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("reports");
        write_atomically(&out, report(&["scores.csv", "panel.csv"])).unwrap();
        assert_eq!(names(&out), [MANIFEST, "panel.csv", "scores.csv"]);
        write_atomically(&out, report(&["scores.csv"])).unwrap();
        assert_eq!(names(&out), [MANIFEST, "scores.csv"]);
        assert_eq!(names(root.path()), ["reports"]);
    }

    #[test]
    fn a_failed_run_leaves_the_previous_report_and_no_debris() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("reports");
        write_atomically(&out, report(&["scores.csv"])).unwrap();
        let err = write_atomically(&out, |dir: &Path| {
            std::fs::write(dir.join("scores.csv"), "half").unwrap();
            Err(Error::internal("render", "boom"))
        })
        .unwrap_err();
        assert!(err.to_string().contains("boom"));
        assert_eq!(
            std::fs::read_to_string(out.join("scores.csv")).unwrap(),
            "scores.csv"
        );
        assert_eq!(names(root.path()), ["reports"]);
        // A missing parent created for the run is removed again.
        let deep = root.path().join("a/b/reports");
        assert!(write_atomically(&deep, |_: &Path| Err(Error::internal("render", "x"))).is_err());
        assert_eq!(names(root.path()), ["reports"]);
    }

    #[test]
    fn user_files_and_folders_are_never_replaced() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("reports");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        let err = write_atomically(&out, report(&["scores.csv"])).unwrap_err();
        assert!(err.to_string().contains("notes.txt"), "{err}");
        assert_eq!(names(&out), ["notes.txt"]);
        // A user's folder with the staging name is left alone: another name is used.
        let mine = root
            .path()
            .join(format!(".other.{STAGING}{}", std::process::id()));
        std::fs::create_dir(&mine).unwrap();
        std::fs::write(mine.join("keep.txt"), "mine").unwrap();
        write_atomically(&root.path().join("other"), report(&["scores.csv"])).unwrap();
        assert_eq!(names(&mine), ["keep.txt"]);
        // A file as the output folder.
        let file = root.path().join("file");
        std::fs::write(&file, "x").unwrap();
        let err = write_atomically(&file, report(&["scores.csv"])).unwrap_err();
        assert!(err.to_string().contains("names a file"), "{err}");
    }

    #[test]
    fn debris_of_a_killed_run_is_swept_and_a_parked_report_restored() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("reports");
        // pid 0x7ffffffe is not a running process.
        let stale = root.path().join(format!(".reports.{STAGING}2147483646"));
        std::fs::create_dir(&stale).unwrap();
        std::fs::write(stale.join("scores.csv"), "old").unwrap();
        let parked = root.path().join(format!(".reports.{PREVIOUS}2147483646"));
        std::fs::create_dir(&parked).unwrap();
        std::fs::write(parked.join("scores.csv"), "parked").unwrap();
        // A staging folder holding an output of a newer kind, marked by its manifest.
        let marked = root.path().join(format!(".reports.{STAGING}2147483645"));
        std::fs::create_dir(&marked).unwrap();
        std::fs::write(marked.join(MANIFEST), "# being written").unwrap();
        std::fs::write(marked.join("new-output.csv"), "x").unwrap();
        // Not ours: a live process's, and one holding a file of the user's.
        let live = root
            .path()
            .join(format!(".reports.{STAGING}{}", std::process::id()));
        std::fs::create_dir(&live).unwrap();
        let users = root.path().join(format!(".reports.{STAGING}2147483644"));
        std::fs::create_dir(&users).unwrap();
        std::fs::write(users.join("notes.txt"), "mine").unwrap();
        sweep(root.path(), "reports", &out);
        std::fs::remove_dir(&live).unwrap();
        std::fs::remove_dir_all(&users).unwrap();
        assert_eq!(names(root.path()), ["reports"]);
        assert_eq!(std::fs::read_to_string(out.join("scores.csv")).unwrap(), "parked");
    }

    #[test]
    fn the_two_rename_swap_puts_the_new_report_in_place() {
        let root = tempfile::tempdir().unwrap();
        let (staging, target) = (root.path().join("s"), root.path().join("reports"));
        std::fs::create_dir(&staging).unwrap();
        std::fs::create_dir(&target).unwrap();
        std::fs::write(staging.join("scores.csv"), "new").unwrap();
        std::fs::write(target.join("scores.csv"), "old").unwrap();
        swap_by_two_renames(&staging, &target).unwrap();
        assert_eq!(std::fs::read_to_string(target.join("scores.csv")).unwrap(), "new");
        assert_eq!(names(root.path()), ["reports"]);
        // The exchange itself, where the platform has it.
        if cfg!(target_os = "linux") {
            std::fs::create_dir(&staging).unwrap();
            std::fs::write(staging.join("scores.csv"), "newer").unwrap();
            exchange(&staging, &target).unwrap();
            assert_eq!(
                std::fs::read_to_string(target.join("scores.csv")).unwrap(),
                "newer"
            );
            assert_eq!(
                std::fs::read_to_string(staging.join("scores.csv")).unwrap(),
                "new"
            );
        }
    }

    #[test]
    fn output_names_are_recognised() {
        assert!(is_output_name("groups-sector.svg") && is_output_name("brief.pdf"));
        assert!(is_output_name("distribution-2.png") && is_output_name("report.xlsx"));
        assert!(!is_output_name("export.csv") && !is_output_name("groups-x.txt"));
    }
}
