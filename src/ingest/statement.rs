//! The statement of a matrix header: "stem - statement", "stem: - statement", "stem: statement"
//! and "stem [statement]" are how platforms and hand-made tables join a question's stem to one
//! of its statements. Matching (every format) and `init --new` (stems) read headers this way.

/// The joins tried, longest first, so "stem: - statement" is not read as "stem" + "- statement".
const JOINS: [&str; 3] = [": - ", " - ", ": "];

/// A header split into its stem and its statement, when it has one of the joins (the last one
/// in the header, as Qualtrics joins the statement last); `None` for a plain question.
pub fn split_statement(header: &str) -> Option<(String, String)> {
    let header = header.trim();
    if let Some((stem, inner)) = header.strip_suffix(']').and_then(|h| h.rsplit_once(" [")) {
        let (stem, inner) = (clean_stem(stem), inner.trim());
        if !stem.is_empty() && !inner.is_empty() {
            return Some((stem, inner.to_string()));
        }
    }
    JOINS.iter().find_map(|join| {
        let (stem, statement) = header.rsplit_once(join)?;
        let (stem, statement) = (clean_stem(stem), statement.trim());
        (!stem.is_empty() && !statement.is_empty()).then(|| (stem, statement.to_string()))
    })
}

/// A stem without the colon or dash that joined it to its statement.
fn clean_stem(stem: &str) -> String {
    stem.trim().trim_end_matches([':', '-']).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(h: &str) -> Option<(String, String)> {
        split_statement(h)
    }

    #[test]
    fn the_four_joins_give_the_statement() {
        let stem = "Are we spending too much, too little, or about the right amount on";
        for header in [
            format!("{stem} - Welfare"),
            format!("{stem}: - Welfare"),
            format!("{stem}: Welfare"),
            format!("{stem} [Welfare]"),
        ] {
            assert_eq!(
                split(&header),
                Some((stem.to_string(), "Welfare".to_string())),
                "{header}"
            );
        }
    }

    #[test]
    fn a_plain_question_has_no_statement() {
        assert_eq!(split("How satisfied are you with the backbone?"), None);
        assert_eq!(split("Well-run meetings"), None);
        assert_eq!(split(": Welfare"), None);
        assert_eq!(split("Spending [ ]"), None);
    }

    #[test]
    fn the_last_join_holds_the_statement() {
        assert_eq!(
            split("Part 2: Rate the backbone - Shares data"),
            Some(("Part 2: Rate the backbone".into(), "Shares data".into()))
        );
    }
}
