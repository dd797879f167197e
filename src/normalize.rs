//! Text normalisation shared by ingest (header keys), map (question and answer matching) and
//! the instrument (answer labels): one leaf module, so that how text is matched is decided in
//! one place and no stage reaches into another for it.

/// Lower-case, single-spaced, straight-quoted text, for matching answer labels.
pub fn normalize_label(raw: &str) -> String {
    raw.replace(['\u{2018}', '\u{2019}'], "'")
        .replace(['\u{201C}', '\u{201D}'], "\"")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Lower-case words only: punctuation, quotes and spacing are ignored when matching questions.
pub fn normalize_question(text: &str) -> String {
    normalize_label(text)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
