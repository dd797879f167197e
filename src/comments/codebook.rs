//! A codebook: the themes an evaluator codes an open question's comments into, a TOML list of
//! `[[themes]]` (`id`, `label`, `keywords`). A comment has a theme when it holds one of the
//! theme's keywords as whole words, ignoring case, accents and punctuation (which counts as a
//! space); a keyword ending in `*` matches any word starting with it. A comment may have
//! several themes.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

use crate::error::{Error, Location, Result};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CodebookFile {
    themes: Vec<ThemeFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ThemeFile {
    id: String,
    label: String,
    keywords: Vec<String>,
}

/// One keyword: its folded words; with `prefix`, the last word matches any word it begins.
#[derive(Debug, Clone, PartialEq)]
pub struct Keyword {
    pub words: Vec<String>,
    pub prefix: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub id: String,
    pub label: String,
    pub keywords: Vec<Keyword>,
}

/// A validated codebook.
#[derive(Debug, Clone, PartialEq)]
pub struct Codebook {
    pub path: PathBuf,
    pub themes: Vec<Theme>,
}

/// A text's words for matching: lower case, accents removed from Latin letters (and ß, æ, œ,
/// ø, ł, đ spelt out), every character that is not a letter or digit a space.
pub fn fold(text: &str) -> Vec<String> {
    let mut out = String::with_capacity(text.len());
    for c in text.to_lowercase().nfd() {
        match c {
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ø' => out.push('o'),
            'ł' => out.push('l'),
            'đ' => out.push('d'),
            c if unicode_normalization::char::is_combining_mark(c) => {}
            c if c.is_alphanumeric() => out.push(c),
            _ => out.push(' '),
        }
    }
    out.split_whitespace().map(String::from).collect()
}

impl Keyword {
    /// A keyword as written in a codebook; `Err` says what is wrong with it.
    pub fn parse(raw: &str) -> std::result::Result<Keyword, String> {
        let trimmed = raw.trim();
        let (body, prefix) = match trimmed.strip_suffix('*') {
            Some(body) => (body, true),
            None => (trimmed, false),
        };
        if body.contains('*') {
            return Err(format!(
                "keyword \"{raw}\" has a * before its end; only a final * (\"fund*\") is allowed"
            ));
        }
        if prefix && body.ends_with(|c: char| !c.is_alphanumeric()) {
            return Err(format!("keyword \"{raw}\" has a * after a space or punctuation; write it right after a word (\"fund*\")"));
        }
        let words = fold(body);
        if words.is_empty() {
            return Err(format!("keyword \"{raw}\" has no letters or digits"));
        }
        Ok(Keyword { words, prefix })
    }

    /// Whether the folded `words` of a comment hold this keyword as whole words, in order.
    pub fn found_in(&self, words: &[String]) -> bool {
        let n = self.words.len();
        words.windows(n).any(|w| {
            let last = n - 1;
            w[..last] == self.words[..last]
                && if self.prefix {
                    w[last].starts_with(&self.words[last])
                } else {
                    w[last] == self.words[last]
                }
        })
    }
}

impl Codebook {
    pub fn load(path: &Path) -> Result<Codebook> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Codebook::parse(&text, path)
    }

    /// Parses codebook TOML read from `path`; an error names the file, the line of the theme
    /// and the field at fault.
    pub fn parse(text: &str, path: &Path) -> Result<Codebook> {
        let file: CodebookFile =
            toml::from_str(text).map_err(|e| crate::schema::toml_error("codebook", path, text, &e))?;
        let mut themes: Vec<Theme> = Vec::new();
        for (k, theme) in file.themes.into_iter().enumerate() {
            let at = Location::file(path).row(theme_line(text, k));
            let bad = |what: String, fix: &str| Error::definition(at.clone(), what, fix);
            if theme.id.trim().is_empty() || themes.iter().any(|t| t.id == theme.id) {
                return Err(bad(
                    format!(
                        "theme {}: field `id` (\"{}\") is empty or used twice",
                        k + 1,
                        theme.id
                    ),
                    "Give every [[themes]] entry its own id (id = \"funding\").",
                ));
            }
            if theme.label.trim().is_empty() {
                return Err(bad(
                    format!("theme \"{}\": field `label` is empty", theme.id),
                    "Give the words the reports use for the theme (label = \"Funding\").",
                ));
            }
            if theme.keywords.is_empty() {
                return Err(bad(
                    format!("theme \"{}\": field `keywords` lists no keyword", theme.id),
                    "List the words or phrases that mark the theme (keywords = [\"fund*\", \"grant\"]).",
                ));
            }
            let keywords = theme
                .keywords
                .iter()
                .map(|k| Keyword::parse(k))
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(|what| {
                    bad(
                        format!("theme \"{}\": field `keywords`: {what}", theme.id),
                        "Correct the keyword.",
                    )
                })?;
            themes.push(Theme {
                id: theme.id,
                label: theme.label,
                keywords,
            });
        }
        if themes.is_empty() {
            return Err(Error::definition(
                Location::file(path),
                "the codebook has no themes",
                "Add [[themes]] entries, each with id, label and keywords.",
            ));
        }
        Ok(Codebook {
            path: path.to_path_buf(),
            themes,
        })
    }

    /// The indices of the themes a comment has (its keywords found in its folded words).
    pub fn themes_of(&self, words: &[String]) -> Vec<usize> {
        (0..self.themes.len())
            .filter(|&t| self.themes[t].keywords.iter().any(|k| k.found_in(words)))
            .collect()
    }
}

/// The bundled instrument's codebook, shipped inside the binary like the instrument itself.
const BUNDLED: (&str, &str) = (
    "fsg-partner-survey.codebook.toml",
    include_str!("../../indicators/fsg-partner-survey.codebook.toml"),
);

/// The codebook of each of the instrument's open questions (`None` without one), in order.
pub fn load_all(instrument: &crate::instrument::Instrument) -> Result<Vec<Option<Codebook>>> {
    let load = |path: &Path| match instrument.bundled_default && path.ends_with(BUNDLED.0) {
        true => Codebook::parse(BUNDLED.1, path),
        false => Codebook::load(path),
    };
    instrument
        .comments
        .iter()
        .map(|q| q.codebook.as_deref().map(load).transpose())
        .collect()
}

/// The 1-based line of the `k`-th `[[themes]]` header (the file's first line when not found).
fn theme_line(text: &str, k: usize) -> usize {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with("[[themes]]"))
        .nth(k)
        .map_or(1, |(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(keyword: &str, comment: &str) -> bool {
        Keyword::parse(keyword).unwrap().found_in(&fold(comment))
    }

    #[test]
    fn accents_case_and_punctuation_are_ignored() {
        assert!(has("réunion", "Les REUNIONS... non: la Réunion!"));
        assert!(has("cafe", "Le Café était froid"));
        assert!(has("strasse", "Die STRAẞE ist zu"));
        assert!(!has("strasse", "Hauptstraße 5"));
        assert!(has("data-driven", "we are data driven now"));
    }

    #[test]
    fn a_phrase_matches_across_punctuation_and_spacing() {
        assert!(has("shared data", "the shared—data platform"));
        assert!(has("shared data", "Shared,\n  data!"));
        assert!(!has("shared data", "data shared"));
    }

    #[test]
    fn a_final_star_matches_words_that_start_with_it() {
        assert!(has("fund*", "Funding was late"));
        assert!(has("fund*", "a fund"));
        assert!(!has("fund*", "refunds"));
        assert!(has("community voic*", "community voices heard"));
    }

    #[test]
    fn a_keyword_never_matches_part_of_a_word() {
        assert!(!has("meet", "meetings ran long"));
        assert!(!has("data", "metadata"));
        assert!(has("meet", "we meet monthly"));
    }

    #[test]
    fn bad_codebooks_name_the_line_and_field() {
        let path = Path::new("x.codebook.toml");
        let text = "[[themes]]\nid = \"a\"\nlabel = \"A\"\nkeywords = [\"x\"]\n\n[[themes]]\nid = \"b\"\nlabel = \"B\"\nkeywords = [\"fu*nd\"]\n";
        let e = Codebook::parse(text, path).unwrap_err().to_string();
        assert!(
            e.contains("row 6") && e.contains("`keywords`") && e.contains("fu*nd"),
            "{e}"
        );
        let dup = "[[themes]]\nid = \"a\"\nlabel = \"A\"\nkeywords = [\"x\"]\n[[themes]]\nid = \"a\"\nlabel = \"B\"\nkeywords = [\"y\"]\n";
        let e = Codebook::parse(dup, path).unwrap_err().to_string();
        assert!(e.contains("row 5") && e.contains("`id`"), "{e}");
        let unknown = "[[themes]]\nid = \"a\"\nlabel = \"A\"\nwords = [\"x\"]\n";
        let e = Codebook::parse(unknown, path).unwrap_err().to_string();
        assert!(e.contains("x.codebook.toml") && e.contains("words"), "{e}");
        let empty = "[[themes]]\nid = \"a\"\nlabel = \"A\"\nkeywords = [\"--\"]\n";
        assert!(Codebook::parse(empty, path)
            .unwrap_err()
            .to_string()
            .contains("no letters"));
    }
}
