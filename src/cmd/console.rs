//! What a command prints about the files it read: rows read, used and skipped with why, the
//! columns dropped or unused, and the answers lost, with examples that never show identifying
//! text.

use std::path::Path;

use backbone::messages::naming_config;
use backbone::privacy::example;

use backbone::map::FileAccount;

/// Prints each file's accounting; fixes name `config`, the config file read (if any).
pub fn print_accounts(accounts: &[FileAccount], config: Option<&Path>) {
    for a in accounts {
        print_rows(a);
        print_answers(a, config);
        print_columns(a);
    }
}

/// Rows read, used and skipped, each reason with its first examples.
fn print_rows(a: &FileAccount) {
    say!(
        "{} (wave {}, {}{}, {}): {} rows read, {} used, {} skipped",
        a.path.display(),
        a.wave,
        a.platform,
        if a.detected { ", detected" } else { "" },
        a.encoding,
        a.rows_read,
        a.rows_used,
        a.rows_skipped()
    );
    for (reason, count) in &a.skipped {
        say!("  skipped {count}: {}", reason.describe());
        for (_, line, detail) in a.skip_examples.iter().filter(|e| e.0 == *reason) {
            say!("    row {line}: {detail}");
        }
    }
}

/// Answers that could not be read as given: damaged bytes, unknown labels, several choices.
fn print_answers(a: &FileAccount, config: Option<&Path>) {
    if a.damaged_cells > 0 {
        say!(
            "  {} held bytes that are not valid {} (shown as \u{FFFD}; check these answers), e.g.:",
            counted(a.damaged_cells, "cell", "cells"),
            a.encoding.split(' ').next().unwrap_or("text")
        );
        for at in &a.damaged_examples {
            say!("    {at}");
        }
    }
    if a.unknown_answers > 0 {
        say!(
            "  {} matched no scale label (treated as unanswered), e.g.:",
            counted(a.unknown_answers, "answer", "answers")
        );
        for (at, text) in &a.unknown_examples {
            say!("    {at}: \"{}\"", example(text));
        }
        say!(
            "  per column, most frequent first ({}):",
            naming_config(backbone::map::UNKNOWN_FIX, config)
        );
        for unknown in &a.unknown_by_column {
            say!("    {}", unknown.describe());
        }
    }
    for pair in &a.did_you_mean {
        say!("  {}", pair.describe());
    }
    if a.unknown_attributes > 0 {
        say!(
            "  {} matched none of the instrument's options (counted as not stated), e.g.:",
            counted(a.unknown_attributes, "attribute answer", "attribute answers")
        );
        for (at, text) in &a.unknown_attribute_examples {
            say!("    {at}: \"{text}\"");
        }
    }
    if a.several_choices > 0 {
        say!(
                "  {} more than one option of a single-choice question (an item counts as unanswered, an attribute as not stated; correct them in the export to use them), e.g.:",
                counted(a.several_choices, "answer ticks", "answers tick")
            );
        for (at, options) in &a.several_choice_examples {
            say!("    {at}: {options}");
        }
    }
}

/// Columns dropped, missing, read as comments or not used.
fn print_columns(a: &FileAccount) {
    if !a.dropped_columns.is_empty() {
        say!(
            "  {} dropped: {}",
            counted(
                a.dropped_columns.len(),
                "identifying column",
                "identifying columns"
            ),
            backbone::messages::first_few(&a.dropped_columns, " | ")
        );
    }
    if !a.missing_items.is_empty() {
        say!(
            "  {} not in this export: {}",
            counted(a.missing_items.len(), "instrument item", "instrument items"),
            backbone::messages::first_few(&a.missing_items, ", ")
        );
    }
    if !a.comment_columns.is_empty() {
        say!(
            "  {} read as comments (never shown): {}",
            counted(
                a.comment_columns.len(),
                "open-question column",
                "open-question columns"
            ),
            backbone::messages::first_few(&a.comment_columns, " | ")
        );
    }
    if !a.unmapped_columns.is_empty() {
        say!(
            "  {} not used: {}",
            counted(a.unmapped_columns.len(), "column", "columns"),
            backbone::messages::first_few(&a.unmapped_columns, " | ")
        );
    }
}

/// "1 column", "3 columns": a count with the noun it counts.
fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_of_a_thing_is_singular() {
        assert_eq!(super::counted(1, "column", "columns"), "1 column");
        assert_eq!(super::counted(0, "column", "columns"), "0 columns");
        assert_eq!(super::counted(12, "column", "columns"), "12 columns");
    }
}
