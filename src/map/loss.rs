//! Loud about loss: what a wave's mapping could not use, said so the evaluator can fix it.
//! Answers that match no scale point, per column, as distinct values with counts; and an item
//! the export does not ask paired with an unused column that resembles it ("did you mean").

use std::collections::BTreeSet;

use super::answers::{Meaning, Source};
use crate::ingest::{column_letter, Export};
use crate::instrument::Instrument;
use crate::normalize::normalize_question;

/// The most distinct unknown answers listed per column.
pub const VALUES_LISTED: usize = 10;

/// The least resemblance (0 to 1) at which an unasked item and an unused column are paired.
const RESEMBLES_FROM: f64 = 0.6;

/// One column's answers that are no point of its item's scale.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownAnswers {
    /// The column's header and how a mapping names it (id, place).
    pub column: String,
    /// The item the column holds.
    pub item: String,
    /// Its scale.
    pub scale: String,
    /// Distinct answers (as the console may show them) with how many cells hold each, most
    /// frequent first, at most [`VALUES_LISTED`].
    pub values: Vec<(String, usize)>,
    /// Further distinct answers not listed.
    pub more: usize,
}

/// An item the export does not ask and an unused column that resembles it.
#[derive(Debug, Clone, PartialEq)]
pub struct DidYouMean {
    pub item: String,
    pub text: String,
    /// The column's spreadsheet letters ("M"), or its address where it has no place.
    pub column: String,
    pub header: String,
}

/// What to do about answers that match no point, for the console.
pub const UNKNOWN_FIX: &str = "add each to a point's `aliases` on its scale in the instrument, or to `missing` in backbone.toml if it means no answer";

impl UnknownAnswers {
    /// `column 9 (I) "Welfare" (item natfare, scale amount3): "Far too little" × 30, "?" × 2`.
    pub fn describe(&self) -> String {
        let values: Vec<String> = self
            .values
            .iter()
            .map(|(t, n)| format!("\"{t}\" × {n}"))
            .collect();
        let more = match self.more {
            0 => String::new(),
            n => format!(", and {n} more distinct answer(s)"),
        };
        format!(
            "{} (item {}, scale {}): {}{more}",
            self.column,
            self.item,
            self.scale,
            values.join(", ")
        )
    }
}

impl DidYouMean {
    /// `item natfare ("Welfare") is not in this export; did you mean column J "...: - Welfere"?`
    pub fn describe(&self) -> String {
        format!(
            "item {} (\"{}\") is not in this export; did you mean column {} \"{}\"? Correct the item's text in the instrument, or name the column in a mapping file",
            self.item, self.text, self.column, self.header
        )
    }
}

/// Per item column holding answers that match no point, its distinct unknown answers.
pub(super) fn unknown_by_column(
    instrument: &Instrument,
    export: &Export,
    sources: &[(usize, Source)],
) -> Vec<UnknownAnswers> {
    let mut out = Vec::new();
    for (i, source) in sources {
        let Source::Column { col, meaning } = source else {
            continue;
        };
        let cells = &export.cells[*col];
        let mut counts: Vec<(String, usize)> = Vec::new();
        let mut rows_of = vec![0usize; cells.values()];
        for &code in cells.codes() {
            rows_of[code as usize] += 1;
        }
        for (code, &rows) in rows_of.iter().enumerate() {
            if rows == 0 || meaning[code] != Meaning::Unknown {
                continue;
            }
            let text = crate::privacy::example(cells.value(code as u32).trim());
            match counts.iter_mut().find(|(t, _)| *t == text) {
                Some((_, n)) => *n += rows,
                None => counts.push((text, rows)),
            }
        }
        if counts.is_empty() {
            continue;
        }
        counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let more = counts.len().saturating_sub(VALUES_LISTED);
        counts.truncate(VALUES_LISTED);
        let column = &export.columns[*col];
        let item = &instrument.items[*i];
        out.push(UnknownAnswers {
            column: format!("{} \"{}\"", column.address(), column.header),
            item: item.id.clone(),
            scale: item.scale.clone(),
            values: counts,
            more,
        });
    }
    out
}

/// Pairs each unasked item with the unused question column that resembles it most, best
/// pairs first, each item and column at most once.
pub(super) fn did_you_mean(
    instrument: &Instrument,
    export: &Export,
    unasked: &[usize],
    unused: &[usize],
) -> Vec<DidYouMean> {
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for &i in unasked {
        let text = normalize_question(&instrument.items[i].text);
        for &col in unused {
            let score = export.columns[col]
                .keys
                .iter()
                .map(|k| resemblance(&text, &normalize_question(k)))
                .fold(0.0, f64::max);
            if score >= RESEMBLES_FROM {
                pairs.push((score, i, col));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let (mut items, mut columns) = (BTreeSet::new(), BTreeSet::new());
    let mut out = Vec::new();
    for (_, i, col) in pairs {
        if items.insert(i) && columns.insert(col) {
            let column = &export.columns[col];
            out.push(DidYouMean {
                item: instrument.items[i].id.clone(),
                text: instrument.items[i].text.clone(),
                column: column.position.map_or_else(|| column.address(), column_letter),
                header: column.header.clone(),
            });
        }
    }
    out.sort_by(|a, b| a.item.cmp(&b.item));
    out
}

/// How alike two normalised texts are: the better of their shared words (Dice) and their
/// letters (1 - edits / longer length), so a misspelt word and a reworded phrase both count.
fn resemblance(a: &str, b: &str) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let words = |t: &str| t.split(' ').map(str::to_string).collect::<BTreeSet<String>>();
    let (wa, wb) = (words(a), words(b));
    let dice = 2.0 * wa.intersection(&wb).count() as f64 / (wa.len() + wb.len()) as f64;
    let (la, lb) = (a.chars().count(), b.chars().count());
    // Texts of very different lengths cannot be a typo of each other; skip the edit count.
    if la.max(lb) > 2 * la.min(lb) || la.max(lb) > 400 {
        return dice;
    }
    let letters = 1.0 - edits(a, b) as f64 / la.max(lb) as f64;
    dice.max(letters)
}

/// Levenshtein distance in characters.
fn edits(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            current[j + 1] = (previous[j] + usize::from(ca != *cb))
                .min(previous[j + 1] + 1)
                .min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

/// What `run --strict` refuses in one wave's file: every answer, item or column the mapping
/// could not use, in words ("3 answers match no scale point"); empty when nothing was lost.
pub fn unaccounted(a: &super::FileAccount) -> Vec<String> {
    let counted = [
        (a.unknown_answers, "answer(s) match no point of their scale"),
        (
            a.unknown_attributes,
            "attribute answer(s) match none of its options",
        ),
        (
            a.several_choices,
            "answer(s) tick several options of a single-choice question",
        ),
        (a.missing_items.len(), "instrument item(s) are not in the export"),
        (a.unmapped_columns.len(), "column(s) are not used"),
    ];
    counted
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_statement_resembles_its_item_and_another_does_not() {
        assert!(resemblance("welfare", "welfere") >= RESEMBLES_FROM);
        assert!(
            resemblance(
                "improving the conditions of blacks",
                "improving the condition of blacks"
            ) > 0.9
        );
        assert!(resemblance("welfare", "foreign aid") < RESEMBLES_FROM);
        assert_eq!(edits("kitten", "sitting"), 3);
    }
}
