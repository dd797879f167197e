//! What of a respondent's own text may be shown: examples of problem cells are cut short and
//! withheld when they look like contact details.

/// How many characters of a cell an example shows.
pub const EXAMPLE_CHARS: usize = 60;

/// A cell's text as an example in a message: line breaks and control characters as spaces, cut
/// to [`EXAMPLE_CHARS`] characters, and withheld entirely when it holds something shaped like
/// an email address, a phone number or a web address.
pub fn example(text: &str) -> String {
    if let Some(kind) = identifying_kind(text) {
        return format!("(withheld: looks like {kind})");
    }
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut short: String = clean.chars().take(EXAMPLE_CHARS).collect();
    if clean.chars().count() > EXAMPLE_CHARS {
        short.push('…');
    }
    short
}

/// "an email address", "a phone number" or "a web address" when the text holds one.
pub fn identifying_kind(text: &str) -> Option<&'static str> {
    if has_email(text) {
        Some("an email address")
    } else if has_url(text) {
        Some("a web address")
    } else if has_phone(text) {
        Some("a phone number")
    } else {
        None
    }
}

pub(crate) fn has_email(text: &str) -> bool {
    text.match_indices('@').any(|(i, _)| {
        let before = text[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || "._-+".contains(c));
        let domain: String = text[i + 1..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || ".-".contains(*c))
            .collect();
        before && domain.trim_end_matches('.').contains('.') && !domain.starts_with('.')
    })
}

pub(crate) fn has_url(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("://")
        || lower.contains("www.")
        || lower.split_whitespace().any(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            [".com", ".org", ".net", ".edu", ".gov", ".io"]
                .iter()
                .any(|tld| w.len() > tld.len() + 1 && (w.ends_with(tld) || w.contains(&format!("{tld}/"))))
        })
}

/// A run of digits, spaces and `+-().` holding 7 to 15 digits, with a separator or at least 9
/// digits (a plain number of up to 8 digits can be an answer code or a count), and not an ISO
/// date (`2024-03-14 09`).
fn has_phone(text: &str) -> bool {
    let mut runs: Vec<String> = vec![String::new()];
    for c in text.chars() {
        if c.is_ascii_digit() || "+-(). ".contains(c) {
            runs.last_mut().expect("never empty").push(c);
        } else {
            runs.push(String::new());
        }
    }
    runs.iter()
        .any(|run| phone_run(run.trim_matches(|c: char| !c.is_ascii_digit())))
}

/// Whether a run of digits and `+-(). ` (trimmed to digits at both ends) is shaped like a
/// phone number (see [`has_phone`]).
pub(crate) fn phone_run(run: &str) -> bool {
    let digits = run.chars().filter(char::is_ascii_digit).count();
    let separated = run.contains(|c: char| "-().".contains(c)) || run.contains(' ');
    let groups: Vec<usize> = run
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .map(str::len)
        .collect();
    let iso_date = groups.len() >= 3 && groups[0] == 4 && groups[1] <= 2 && groups[2] <= 2;
    (7..=15).contains(&digits) && (separated || digits >= 9) && !iso_date
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_details_are_withheld_and_long_text_cut() {
        assert_eq!(
            example("ann.lee@example.org"),
            "(withheld: looks like an email address)"
        );
        assert_eq!(
            example("see https://x.io/a"),
            "(withheld: looks like a web address)"
        );
        assert_eq!(
            example("www.riverbend.org"),
            "(withheld: looks like a web address)"
        );
        assert_eq!(example("riverbend.org"), "(withheld: looks like a web address)");
        assert_eq!(
            example("call +1 (555) 123-4567"),
            "(withheld: looks like a phone number)"
        );
        assert_eq!(example("555-123-4567"), "(withheld: looks like a phone number)");
        assert_eq!(example("Strongly agreee"), "Strongly agreee");
        assert_eq!(example("-99"), "-99");
        assert_eq!(example("2024-03-14 09:02:11"), "2024-03-14 09:02:11");
        assert_eq!(example("line\nbreak"), "line break");
        let long = "x".repeat(5_000_000);
        assert_eq!(example(&long).chars().count(), EXAMPLE_CHARS + 1);
        assert_eq!(example("@media print"), "@media print");
    }
}
