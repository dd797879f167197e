//! A starting codebook for an export's open questions, as `init --new` proposes it: the most
//! frequent content words and two-word phrases of the comments (stop words, from
//! `indicators/stopwords.txt`, words with a digit, email and web addresses, and words written
//! capitalised inside a sentence, which are mostly names, left out), each held by
//! at least [`AT_LEAST`] comments, written as commented `[[themes]]` for the evaluator to
//! group, name and uncomment. Words are folded as the codebook matches them.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::comments::codebook::fold;

/// The least number of comments a suggested word or phrase is found in.
pub const AT_LEAST: usize = 3;
/// Suggestions per open question.
const MOST: usize = 12;
const STOP_WORDS: &str = include_str!("../../indicators/stopwords.txt");

fn stop_words() -> HashSet<String> {
    STOP_WORDS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .flat_map(fold)
        .collect()
}

/// The suggested words and phrases of a column's distinct answers (with how many rows give
/// each), most frequent first (ties alphabetical): (term, comments holding it).
pub fn suggest(answers: &[(String, usize)]) -> Vec<(String, usize)> {
    let stop = stop_words();
    let content =
        |w: &String| w.chars().count() >= 3 && !stop.contains(w) && !w.chars().any(|c| c.is_ascii_digit());
    let names = name_like(answers);
    let content = |w: &String| content(w) && !names.contains(w);
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for (text, rows) in answers {
        let kept: Vec<&str> = text
            .split_whitespace()
            .filter(|t| !t.contains('@') && !crate::privacy::has_url(t))
            .collect();
        let words = fold(&kept.join(" "));
        let mut terms: BTreeSet<String> = words.iter().filter(|w| content(w)).cloned().collect();
        for pair in words.windows(2) {
            if content(&pair[0]) && content(&pair[1]) {
                terms.insert(format!("{} {}", pair[0], pair[1]));
            }
        }
        for term in terms {
            *counts.entry(term).or_default() += rows;
        }
    }
    let mut out: Vec<(String, usize)> = counts.into_iter().filter(|(_, n)| *n >= AT_LEAST).collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out.truncate(MOST);
    out
}

/// Folded words some comment writes capitalised after its first word ("ask Maria Okafor").
fn name_like(answers: &[(String, usize)]) -> HashSet<String> {
    let mut out = HashSet::new();
    for (text, _) in answers {
        let words: Vec<&str> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        for pair in words.windows(2) {
            if pair[1].chars().next().is_some_and(char::is_uppercase)
                && !pair[1].chars().all(char::is_uppercase)
            {
                out.extend(fold(pair[1]));
            }
        }
    }
    out
}

/// The suggestions as commented `[[themes]]` entries of a codebook file.
pub fn render(suggestions: &[(String, usize)]) -> String {
    let mut out = String::new();
    for (term, n) in suggestions {
        let id = super::stems::slug(term, 30, "theme");
        out.push_str(&format!(
            "#   [[themes]]    # \"{term}\": in {n} comments\n#   id = \"{id}\"\n#   label = \"{term}\"\n#   keywords = [\"{term}\"]\n"
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frequent_content_words_and_phrases_of_three_comments_or_more() {
        let answers: Vec<(String, usize)> = [
            ("The shared data is great", 2),
            ("Shared data, please!", 1),
            ("More meetings about the data", 1),
            ("Call 555-0142 or mail a@b.org about data", 5),
            ("ask Maria Okafor, see www.x.org", 3),
            ("fewer meetings", 1),
        ]
        .iter()
        .map(|(t, n)| (t.to_string(), *n))
        .collect();
        // data: 2 + 1 + 1 + 5 rows; call and mail 5, ask and see 3 (first words and verbs
        // count); shared and shared data 3; meetings 2 (too few); never the phone number, the
        // addresses or the capitalised name; "the", "please", "more" are stop words.
        let expected = [
            ("data", 9),
            ("call", 5),
            ("mail", 5),
            ("ask", 3),
            ("see", 3),
            ("shared", 3),
            ("shared data", 3),
        ];
        let expected: Vec<(String, usize)> = expected.iter().map(|(t, n)| (t.to_string(), *n)).collect();
        assert_eq!(suggest(&answers), expected);
        let text = render(&suggest(&answers)[6..]);
        assert!(text.contains("#   keywords = [\"shared data\"]"), "{text}");
    }
}
