//! What `init --new` sees of each question column across every export: its header, the stem
//! and statement it joins, its distinct answers with counts, and whether it is unique per row.

use std::collections::HashSet;

use crate::ingest::{split_statement, Export, Role};
use crate::normalize::normalize_question;

/// One question column, over every export that has it (matched by header).
#[derive(Debug, Clone)]
pub struct Profile {
    pub header: String,
    /// The stem and statement the header joins ("stem: - statement"), if it does.
    pub stem: Option<(String, String)>,
    /// The distinct non-blank answers (trimmed), in order of first appearance, with how many
    /// rows give each.
    pub answers: Vec<(String, usize)>,
    /// Rows holding an answer, and rows read, over every export.
    pub filled: usize,
    pub rows: usize,
    /// In every export that has the column, each row holds a value no other row holds.
    pub unique: bool,
    /// The values of a unique column, per export that has it (to link respondents across
    /// waves); empty for other columns.
    pub values: Vec<HashSet<String>>,
}

impl Profile {
    /// A column whose answers repeat: at most `most` distinct answers, each given on two rows
    /// on average.
    pub fn few_answers(&self, most: usize) -> bool {
        !self.answers.is_empty() && self.answers.len() <= most && self.answers.len() * 2 <= self.filled
    }
}

/// The question columns of the exports, in the first export's order, then any new ones.
pub fn profiles(exports: &[Export]) -> Vec<Profile> {
    let mut out: Vec<Profile> = Vec::new();
    for export in exports {
        for (c, column) in export.columns.iter().enumerate() {
            if column.role != Role::Question || column.header.trim().is_empty() {
                continue;
            }
            let key = normalize_question(&column.header);
            let k = match out.iter().position(|p| normalize_question(&p.header) == key) {
                Some(k) => k,
                None => {
                    out.push(Profile {
                        header: column.header.clone(),
                        stem: split_statement(&column.header),
                        answers: Vec::new(),
                        filled: 0,
                        rows: 0,
                        unique: true,
                        values: Vec::new(),
                    });
                    out.len() - 1
                }
            };
            add_cells(&mut out[k], export, c);
        }
    }
    for p in &mut out {
        if !p.unique {
            p.values.clear();
        }
    }
    out
}

fn add_cells(profile: &mut Profile, export: &Export, c: usize) {
    let cells = &export.cells[c];
    let mut rows_of = vec![0usize; cells.values()];
    for &code in cells.codes() {
        rows_of[code as usize] += 1;
    }
    // Codes number distinct texts in order of first appearance; texts differing only in
    // surrounding spaces are one answer.
    let mut here: Vec<(String, usize)> = Vec::new();
    let mut blank = 0;
    for (code, &rows) in rows_of.iter().enumerate().filter(|(_, &rows)| rows > 0) {
        let text = cells.value(code as u32).trim();
        if text.is_empty() {
            blank += rows;
            continue;
        }
        match here.iter_mut().find(|(a, _)| a == text) {
            Some((_, n)) => *n += rows,
            None => here.push((text.to_string(), rows)),
        }
    }
    for (text, rows) in &here {
        profile.filled += rows;
        match profile.answers.iter_mut().find(|(a, _)| a == text) {
            Some((_, n)) => *n += rows,
            None => profile.answers.push((text.clone(), *rows)),
        }
    }
    profile.rows += export.len();
    profile.unique &= blank == 0 && export.len() >= 5 && here.iter().all(|(_, n)| *n == 1);
    profile.values.push(here.into_iter().map(|(t, _)| t).collect());
}
