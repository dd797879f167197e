//! Messages that stay readable whatever the size of the run: a long list of names is cut to
//! its first few and a count, and a full disk is said as such, with how much the report needs.

use std::path::{Path, PathBuf};

use crate::error::Error;

/// How fix messages name the run's config; [`naming_config`] puts the file actually read in
/// its place.
pub const CONFIG_FILE: &str = "backbone.toml";

/// `text` with each mention of [`CONFIG_FILE`] replaced by the config file read (its path as
/// given), so that a fix points at the file to edit; unchanged when the run read none.
pub fn naming_config(text: &str, source: Option<&Path>) -> String {
    match source {
        Some(path) => text.replace(CONFIG_FILE, &path.display().to_string()),
        None => text.to_string(),
    }
}

/// How many names a console line lists before it counts the rest.
pub const LISTED: usize = 5;
/// The longest name a list shows whole (longer ones end in "…").
const NAME_CHARS: usize = 60;

/// The first [`LISTED`] names joined by `separator`, each cut to 60 characters, then
/// "and N more" for the rest.
pub fn first_few(names: &[String], separator: &str) -> String {
    let shown: Vec<String> = names
        .iter()
        .take(LISTED)
        .map(|n| match n.char_indices().nth(NAME_CHARS) {
            Some((end, _)) => format!("{}…", &n[..end]),
            None => n.clone(),
        })
        .collect();
    let mut text = shown.join(separator);
    if names.len() > LISTED {
        text.push_str(&format!(" and {} more", names.len() - LISTED));
    }
    text
}

/// Whether a write failed because the disk is full (ENOSPC, EDQUOT).
pub fn is_full(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
    )
}

/// A full-disk error said as such: how much of the report was written before the disk filled
/// (in `staging`), how much the previous report in `target` takes (the same inputs make about
/// the same report), and how much is free where the report goes.
pub fn disk_full(path: PathBuf, staging: &Path, target: &Path) -> Error {
    let written = folder_bytes(staging);
    let previous = target.is_dir().then(|| folder_bytes(target));
    let needs = match previous {
        Some(previous) if previous > written => format!(
            "the report needs about {} (the size of the previous report in {}); {} of it was written before the disk filled",
            size(previous),
            target.display(),
            size(written)
        ),
        _ => format!(
            "the report needs more than the {} written before the disk filled",
            size(written)
        ),
    };
    let free = free_bytes(staging.parent().unwrap_or(Path::new(".")))
        .map_or_else(String::new, |free| format!(", and {} is free", size(free)));
    let what = format!("the disk is full: {needs}{free}");
    Error::io(path, std::io::Error::new(std::io::ErrorKind::StorageFull, what))
}

/// What to do about a failed read or write.
pub fn io_fix(error: &std::io::Error) -> &'static str {
    if is_full(error) {
        "Free that much space on the disk, or write the report to another disk with --out; the output folder was left as it was."
    } else {
        "Check that the file exists and that you may read (or write) it."
    }
}

/// The bytes of every file under a folder.
fn folder_bytes(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => folder_bytes(&e.path()),
            Ok(t) if t.is_file() => e.metadata().map_or(0, |m| m.len()),
            _ => 0,
        })
        .sum()
}

/// Bytes free for an unprivileged writer on the file system holding `dir`.
fn free_bytes(dir: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    let mut stats: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `path` is a NUL-terminated string and `stats` a valid statvfs to fill.
    if unsafe { libc::statvfs(path.as_ptr(), &mut stats) } != 0 {
        return None;
    }
    Some(stats.f_bavail as u64 * stats.f_frsize as u64)
}

/// A size in bytes as people read it: "820 bytes", "14.2 kB", "6.1 MB", "1.4 GB".
pub fn size(bytes: u64) -> String {
    let b = bytes as f64;
    match bytes {
        0..1_000 => format!("{bytes} bytes"),
        1_000..1_000_000 => format!("{:.1} kB", b / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", b / 1e6),
        _ => format!("{:.1} GB", b / 1e9),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lists_show_their_first_names_and_a_count() {
        let names: Vec<String> = (1..=100_000).map(|i| format!("Column {i}")).collect();
        assert_eq!(
            first_few(&names, " | "),
            "Column 1 | Column 2 | Column 3 | Column 4 | Column 5 and 99995 more"
        );
        assert_eq!(first_few(&names[..2], ", "), "Column 1, Column 2");
        let long = vec!["é".repeat(70)];
        assert_eq!(first_few(&long, ", "), format!("{}…", "é".repeat(60)));
    }

    #[test]
    fn a_full_disk_says_so_with_the_sizes_involved() {
        let dir = tempfile::tempdir().unwrap();
        let (staging, target) = (dir.path().join(".r.staging"), dir.path().join("r"));
        std::fs::create_dir_all(staging.join("slides")).unwrap();
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(staging.join("scores.csv"), vec![b'x'; 1_500]).unwrap();
        std::fs::write(staging.join("slides/a.png"), vec![b'x'; 500]).unwrap();
        std::fs::write(target.join("brief.pdf"), vec![b'x'; 2_500_000]).unwrap();
        assert!(is_full(&std::io::Error::from_raw_os_error(libc::ENOSPC)));
        assert!(!is_full(&std::io::Error::from_raw_os_error(libc::EACCES)));
        let text = disk_full("r/brief.pdf".into(), &staging, &target).to_string();
        assert!(text.starts_with("r/brief.pdf: the disk is full: the report needs about 2.5 MB (the size of the previous report in "), "{text}");
        assert!(
            text.contains("; 2.0 kB of it was written before the disk filled, and "),
            "{text}"
        );
        assert!(text.contains(" is free. Free that much space"), "{text}");
        assert!(!text.contains("Check that the file exists"), "{text}");
        std::fs::remove_dir_all(&target).unwrap();
        let text = disk_full("r/brief.pdf".into(), &staging, &target).to_string();
        assert!(
            text.contains("the report needs more than the 2.0 kB written before the disk filled"),
            "{text}"
        );
        assert_eq!(size(999), "999 bytes");
        assert_eq!(size(6_140_000), "6.1 MB");
    }
}
