//! Example comments, only when the config asks (`report.quotes = true`): per open question
//! and theme, up to three short comments of the latest wave that asked it, chosen
//! deterministically (shortest first, then alphabetically), with email addresses, phone
//! numbers, web addresses and every string of `report.redact` replaced by "[redacted]", and
//! never from a respondent in a group under `report.suppress_below`.

use super::codebook::{fold, Codebook};
use crate::instrument::Instrument;
use crate::map::WaveResponses;
use crate::privacy::{has_email, has_url, identifying_kind, phone_run};

/// What replaces identifying text in a quote.
pub const REDACTED: &str = "[redacted]";
/// The longest comment quoted, in characters.
const SHORT: usize = 160;
/// Quotes per theme.
const PER_THEME: usize = 3;

/// The quotes of one theme of one open question (ids), from wave `wave`.
#[derive(Debug, Clone, PartialEq)]
pub struct Quotes {
    pub question: String,
    pub theme: String,
    pub wave: String,
    pub texts: Vec<String>,
}

/// `text` with emails, web addresses, phone numbers and each of `names` (ignoring case)
/// replaced by [`REDACTED`].
pub fn redact(text: &str, names: &[String]) -> String {
    let mut out = text.to_string();
    for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        out = replace_ignoring_case(&out, name);
    }
    let words: Vec<String> = out
        .split(' ')
        .map(|w| {
            let core = w.trim_matches(|c: char| !c.is_alphanumeric());
            if !core.is_empty() && (has_email(core) || has_url(core)) {
                w.replace(core, REDACTED)
            } else {
                w.to_string()
            }
        })
        .collect();
    redact_phones(&words.join(" "))
}

fn replace_ignoring_case(text: &str, name: &str) -> String {
    let (lower, wanted) = (text.to_lowercase(), name.to_lowercase());
    // Lower-casing can change byte lengths outside ASCII; then match on the text as it is.
    if lower.len() != text.len() || wanted.len() != name.len() {
        return text.replace(name, REDACTED);
    }
    let mut out = String::new();
    let mut at = 0;
    while let Some(i) = lower[at..].find(&wanted) {
        out.push_str(&text[at..at + i]);
        out.push_str(REDACTED);
        at += i + wanted.len();
    }
    out.push_str(&text[at..]);
    out
}

/// Each run of digits and `+-(). ` shaped like a phone number replaced.
fn redact_phones(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() || chars[i] == '+' || chars[i] == '(' {
            let mut j = i;
            while j < chars.len() && (chars[j].is_ascii_digit() || "+-(). ".contains(chars[j])) {
                j += 1;
            }
            // Trim the run back to its last digit.
            let mut end = j;
            while end > i && !chars[end - 1].is_ascii_digit() {
                end -= 1;
            }
            let run: String = chars[i..end].iter().collect();
            if end > i && phone_run(run.trim_start_matches(|c: char| !c.is_ascii_digit())) {
                out.push_str(REDACTED);
                i = end;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// The quotes of every theme of every open question with a codebook (see the module doc).
pub fn quotes(
    instrument: &Instrument,
    codebooks: &[Option<Codebook>],
    waves: &[WaveResponses],
    breakdowns: &[String],
    (suppress_below, names): (usize, &[String]),
) -> Vec<Quotes> {
    let mut out = Vec::new();
    for (k, question) in instrument.comments.iter().enumerate() {
        let Some(codebook) = codebooks.get(k).and_then(Option::as_ref) else {
            continue;
        };
        let Some((w, texts)) = waves
            .iter()
            .rev()
            .find_map(|w| Some((w, w.comments.get(k)?.as_ref()?)))
        else {
            continue;
        };
        let large = large_enough(instrument, w, breakdowns, suppress_below);
        for (t, theme) in codebook.themes.iter().enumerate() {
            let mut picked: Vec<String> = texts
                .iter()
                .enumerate()
                .filter(|(r, text)| large[*r] && text.chars().count() <= SHORT)
                .filter(|(_, text)| codebook.themes_of(&fold(text)).contains(&t))
                .map(|(_, text)| redact(text, names))
                .filter(|q| identifying_kind(q).is_none())
                .collect();
            picked.sort_by(|a, b| (a.chars().count(), a).cmp(&(b.chars().count(), b)));
            picked.dedup();
            picked.truncate(PER_THEME);
            out.push(Quotes {
                question: question.id.clone(),
                theme: theme.id.clone(),
                wave: w.wave.clone(),
                texts: picked,
            });
        }
    }
    out
}

/// Per respondent of `w`, whether every breakdown group they belong to has at least
/// `threshold` respondents in the wave.
fn large_enough(
    instrument: &Instrument,
    w: &WaveResponses,
    breakdowns: &[String],
    threshold: usize,
) -> Vec<bool> {
    let mut ok = vec![true; w.respondents];
    for attribute in breakdowns {
        let Some(a) = instrument.attributes.iter().position(|x| x.id == *attribute) else {
            continue;
        };
        let mut sizes = vec![0usize; w.groups[a].len()];
        for &g in &w.attributes[a] {
            sizes[g as usize] += 1;
        }
        for (r, &g) in w.attributes[a].iter().enumerate() {
            ok[r] &= sizes[g as usize] >= threshold;
        }
    }
    ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_details_and_listed_names_are_redacted() {
        let names = ["Maria Okafor".to_string()];
        assert_eq!(
            redact(
                "ask maria okafor or write to j.r@x.example.org, or see www.x.org/plan.",
                &names
            ),
            "ask [redacted] or write to [redacted], or see [redacted]."
        );
        assert_eq!(
            redact("call me at 312-555-0186 today", &[]),
            "call me at [redacted] today"
        );
        assert_eq!(redact("call +1 (555) 123-4567.", &[]), "call [redacted].");
        assert_eq!(redact("we met 3 times in 2024", &[]), "we met 3 times in 2024");
        assert_eq!(redact("https://a.io/x?y=1 is down", &[]), "[redacted] is down");
    }
}
