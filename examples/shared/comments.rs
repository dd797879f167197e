//! Answers to the bundled instrument's open question ("What is one thing the backbone could
//! do better?"), drawn from their own seeded generator so the rest of the sample stays as it
//! was. The story matches the scores: shared measurement improving (more praise of the shared
//! data, fewer complaints about it), policy advocacy declining (more asks about policy), the
//! rest steady. A few comments carry an email, a phone number, a web address or a staff
//! name, so that redaction is exercised; about a quarter are blank.

/// Pieces by theme, and the chance per wave (2023, 2024, 2025) that a comment draws one.
const PIECES: [(&[&str], [f64; 3]); 7] = [
    (
        &[
            "the shared data dashboard is really useful now",
            "keep improving the shared measurement system",
            "more training on the data platform",
            "our data on kindergarten readiness is finally comparable",
        ],
        [0.12, 0.25, 0.42],
    ),
    (
        &[
            "clearer communication about decisions",
            "a shorter newsletter, please",
            "keep partners informed between meetings",
        ],
        [0.25, 0.25, 0.24],
    ),
    (
        &[
            "fewer meetings, more action",
            "send meeting agendas earlier",
            "working group meetings run too long",
        ],
        [0.22, 0.2, 0.2],
    ),
    (
        &[
            "help small organizations find funding",
            "be transparent about how grants are decided",
        ],
        [0.15, 0.15, 0.16],
    ),
    (
        &[
            "say what the policy group is working on",
            "advocate harder at the state level",
            "more visible policy advocacy",
        ],
        [0.08, 0.15, 0.28],
    ),
    (
        &[
            "bring parents' and residents' voices to the table",
            "listen more to community members",
        ],
        [0.12, 0.12, 0.12],
    ),
    (
        &[
            "nothing comes to mind, thank you",
            "Très bien, continuez !",
            "call me at 312-555-0186 to talk about it",
            "write to jordan.reyes@riverbend-partners.example.org",
            "see riverbend.example.org/plan and www.riverbend.example.org",
            "Maria Okafor has been wonderful",
            "ask Maria Okafor about the calendar",
        ],
        [0.18, 0.18, 0.18],
    ),
];

/// One partner's answer in wave `wave` (0 = 2023): blank a quarter of the time, else one to
/// three pieces joined, never empty.
pub fn open_answer(rng: &mut fastrand::Rng, wave: usize) -> String {
    if rng.f64() < 0.25 {
        return String::new();
    }
    let mut parts: Vec<&str> = Vec::new();
    for (pieces, chance) in PIECES {
        if rng.f64() < chance[wave] {
            parts.push(pieces[rng.usize(0..pieces.len())]);
        }
    }
    parts.truncate(3);
    if parts.is_empty() {
        let (pieces, _) = PIECES[rng.usize(0..PIECES.len())];
        parts.push(pieces[rng.usize(0..pieces.len())]);
    }
    let mut text = parts.join("; ");
    if let Some(first) = text.get(..1) {
        text = first.to_uppercase() + &text[1..];
    }
    text
}
