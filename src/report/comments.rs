//! "What partners said": the report model's view of the open questions' themes (from the
//! counts of [`crate::comments::themes`]), per question the share of comments with each theme
//! per wave, the themes that grew or shrank reliably since the previous wave (BH q below
//! `compare.alpha`), and the sentences the brief and report.html print. Counts only: comment
//! text never reaches the model here.

use serde::Serialize;

use crate::comments::themes::ThemeRow;

/// One open question's themes.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeView {
    /// The open question's id.
    pub id: String,
    /// Its text, as asked.
    pub question: String,
    /// The waves that asked it, in order, with their non-empty comments.
    pub waves: Vec<(String, usize)>,
    /// Its themes, most frequent in the latest wave first.
    pub themes: Vec<ThemeLine>,
    /// The findings in plain words.
    pub sentences: Vec<String>,
    /// The themes chart's file name, without extension (`themes-<id>`).
    pub chart: String,
    /// The chart's caption: what its dots show.
    pub caption: String,
}

/// One theme of an open question.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeLine {
    /// The theme's label, from the codebook.
    pub label: String,
    /// Share of the non-empty comments with the theme, per wave of [`ThemeView::waves`] (0–1).
    pub shares: Vec<f64>,
    /// The same as text ("31%").
    pub percents: Vec<String>,
    /// "grew" or "shrank" since the previous wave, when reliably (q < alpha); else empty.
    pub change: String,
    /// Example comments, redacted, for report.html only; empty unless `report.quotes`.
    pub quotes: Vec<String>,
}

/// "31%" for a share of comments, whole percent.
fn whole(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// The view of each open question with comments, from the whole-wave rows of comments.csv.
pub fn views(
    rows: &[ThemeRow],
    quotes: &[crate::comments::quotes::Quotes],
    questions: &[crate::comments::CommentQuestion],
    alpha: f64,
    noun: &crate::instrument::Noun,
) -> Vec<ThemeView> {
    let mut out = Vec::new();
    for q in questions {
        let mine: Vec<&ThemeRow> = rows
            .iter()
            .filter(|r| r.question == q.id && r.attribute.is_empty() && !r.theme.is_empty())
            .collect();
        let mut waves: Vec<(String, usize)> = Vec::new();
        for r in &mine {
            if !waves.iter().any(|(w, _)| *w == r.wave) {
                waves.push((r.wave.clone(), r.nonempty));
            }
        }
        let Some((latest, n_latest)) = waves.last().cloned() else {
            continue;
        };
        let mut themes: Vec<(ThemeLine, Option<(f64, f64)>)> = Vec::new();
        for r in mine.iter().filter(|r| r.wave == latest) {
            let shares: Vec<f64> = waves
                .iter()
                .map(|(w, _)| {
                    mine.iter()
                        .find(|x| x.wave == *w && x.theme == r.theme)
                        .and_then(|x| x.share())
                        .unwrap_or(0.0)
                })
                .collect();
            let before = shares.len().checked_sub(2).map(|k| shares[k]);
            let reliable = r.q.is_some_and(|q| q < alpha);
            let change = match before {
                Some(b) if reliable && shares[shares.len() - 1] > b => "grew",
                Some(b) if reliable && shares[shares.len() - 1] < b => "shrank",
                _ => "",
            };
            let last = shares[shares.len() - 1];
            themes.push((
                ThemeLine {
                    label: r.label.clone(),
                    percents: shares.iter().map(|&s| whole(s)).collect(),
                    shares,
                    change: change.to_string(),
                    quotes: quotes
                        .iter()
                        .find(|x| x.question == q.id && x.theme == r.theme)
                        .map(|x| x.texts.clone())
                        .unwrap_or_default(),
                },
                before.map(|b| (b, last)),
            ));
        }
        themes.sort_by(|a, b| {
            b.0.shares
                .last()
                .partial_cmp(&a.0.shares.last())
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let previous = waves.len().checked_sub(2).map(|k| waves[k].0.clone());
        let sentences = sentences(q, &themes, (&latest, n_latest), previous.as_deref(), noun);
        out.push(ThemeView {
            id: q.id.clone(),
            question: q.question.clone(),
            chart: format!("themes-{}", q.id),
            caption: format!(
                "Share of the non-empty comments to \"{}\" that mention each theme, per wave (a comment may mention several).",
                q.question
            ),
            waves,
            themes: themes.into_iter().map(|(t, _)| t).collect(),
            sentences,
        });
    }
    out
}

/// What partners said, in words: how many answered, the most frequent themes, and those that
/// grew or shrank reliably since the previous wave.
fn sentences(
    q: &crate::comments::CommentQuestion,
    themes: &[(ThemeLine, Option<(f64, f64)>)],
    (latest, n): (&str, usize),
    previous: Option<&str>,
    noun: &crate::instrument::Noun,
) -> Vec<String> {
    let top: Vec<String> = themes
        .iter()
        .take(3)
        .filter(|(t, _)| t.shares.last().is_some_and(|&s| s > 0.0))
        .map(|(t, _)| format!("{} ({})", t.label, t.percents.last().cloned().unwrap_or_default()))
        .collect();
    let mut out = vec![format!(
        "In {latest}, {} answered \"{}\"; the themes they raised most: {}.",
        noun.count(n),
        q.question,
        super::text::and_list(&top.iter().map(String::as_str).collect::<Vec<_>>())
    )];
    if let Some(previous) = previous {
        for (word, change) in [("more", "grew"), ("less", "shrank")] {
            let moved: Vec<String> = themes
                .iter()
                .filter(|(t, _)| t.change == change)
                .filter_map(|(t, m)| m.map(|(b, a)| format!("{} ({} to {})", t.label, whole(b), whole(a))))
                .collect();
            if !moved.is_empty() {
                out.push(format!(
                    "Mentioned reliably {word} often than in {previous}: {}.",
                    super::text::and_list(&moved.iter().map(String::as_str).collect::<Vec<_>>())
                ));
            }
        }
        if themes.iter().all(|(t, _)| t.change.is_empty()) {
            out.push(format!(
                "No theme was mentioned reliably more or less often than in {previous}."
            ));
        }
    }
    out
}
