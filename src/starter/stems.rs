//! How `init --new` lays out the instrument: columns sharing a stem ("stem: - statement")
//! form a matrix, one item per statement on one scale and one framework node per stem; loose
//! questions on a known scale are items too, one node per run of columns sharing a scale; the
//! rest are ids, attributes or free text. Ids are made from the texts.

use std::collections::{BTreeMap, HashSet};

use crate::normalize::{normalize_label, normalize_question};
use crate::starter::attributes::{classify, Other};
use crate::starter::columns::Profile;
use crate::starter::vocabulary::{Detected, Vocabulary};

/// The most points a scale found in order of first appearance may have (the schema's limit).
const MOST_POINTS: usize = 11;

/// A scale the instrument will declare, with the missing answers its columns hold.
#[derive(Debug, Clone)]
pub struct PlannedScale {
    pub scale: Detected,
    pub missing: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct PlannedItem {
    pub id: String,
    pub text: String,
    pub header: String,
    pub scale: usize,
    pub node: usize,
    /// The header as the item's code, when another item has the same text.
    pub code: Option<String>,
    /// With `--framework`: the share of words the item and its node have in common.
    pub placed: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct PlannedNode {
    pub id: String,
    pub label: String,
    /// The matrix's question, for a node made from a stem.
    pub stem: Option<String>,
}

#[derive(Debug, Clone)]
pub struct PlannedAttribute {
    pub id: String,
    pub question: String,
    pub options: Vec<String>,
}

/// Everything `init --new` proposes, before it is written as TOML.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub scales: Vec<PlannedScale>,
    pub items: Vec<PlannedItem>,
    pub nodes: Vec<PlannedNode>,
    pub attributes: Vec<PlannedAttribute>,
    /// Headers of free-text and empty columns: never scored, dropped as the files are read.
    pub open: Vec<String>,
    /// Per open column (as `open`), the words and phrases suggested for its codebook.
    pub open_terms: Vec<Vec<(String, usize)>>,
    pub empty: Vec<String>,
    pub id_column: Option<String>,
    pub panel_key: Option<String>,
    /// Further unique-per-row columns, dropped as identifying.
    pub other_ids: Vec<String>,
}

/// The plan for the question columns of the exports.
pub fn plan(profiles: &[Profile], vocabulary: &Vocabulary) -> Plan {
    let mut plan = Plan::default();
    let matrices = matrices(profiles, vocabulary);
    let mut ids = Ids::default();
    let mut run: Option<(usize, usize)> = None; // (scale, node) of the loose items just before
    for (k, profile) in profiles.iter().enumerate() {
        if let Some((stem, scale)) = matrices.get(&k) {
            let scale = plan.add_scale(scale.clone(), &matrix_missing(profiles, stem, vocabulary));
            let node = plan.node_for(stem, &mut ids);
            let statement = profile.stem.as_ref().map_or(&profile.header, |(_, s)| s);
            plan.add_item(profile, statement, scale, node, &mut ids);
            run = None;
            continue;
        }
        let (answers, missing) = split_missing(&[profile], vocabulary);
        let on_scale = answers.len() >= 2 || (answers.len() == 1 && profile.filled >= 2);
        if let Some(scale) = on_scale
            .then(|| detect_allowing_strays(vocabulary, &[profile], &answers))
            .flatten()
        {
            let scale = plan.add_scale(scale, &missing);
            let node = match run {
                Some((s, node)) if s == scale => node,
                _ => plan.loose_node(&profile.header, &mut ids),
            };
            plan.add_item(profile, &profile.header, scale, node, &mut ids);
            run = Some((scale, node));
            continue;
        }
        run = None;
        plan.add_other(profile, &mut ids);
    }
    plan.code_shared_texts();
    plan
}

/// The profiles that form matrices: every column of a stem shared by two or more columns whose
/// answers together fit a known scale or have few enough distinct answers to be one.
fn matrices(profiles: &[Profile], vocabulary: &Vocabulary) -> BTreeMap<usize, (String, Detected)> {
    let mut stems: Vec<(String, Vec<usize>)> = Vec::new();
    for (k, p) in profiles.iter().enumerate() {
        if let Some((stem, _)) = &p.stem {
            let key = normalize_question(stem);
            match stems.iter_mut().find(|(s, _)| normalize_question(s) == key) {
                Some((_, members)) => members.push(k),
                None => stems.push((stem.clone(), vec![k])),
            }
        }
    }
    let mut out = BTreeMap::new();
    for (stem, members) in stems.into_iter().filter(|(_, m)| m.len() >= 2) {
        let of: Vec<&Profile> = members.iter().map(|&k| &profiles[k]).collect();
        let (answers, _) = split_missing(&of, vocabulary);
        let scale = detect_allowing_strays(vocabulary, &of, &answers)
            .or_else(|| in_order_of_appearance(&stem, &answers));
        if let Some(scale) = scale {
            for k in members {
                out.insert(k, (stem.clone(), scale.clone()));
            }
        }
    }
    out
}

/// At most this share of a column's answers may be strays (typos, other wordings: "Agree
/// strongly" once in 140) for a known scale that fits the rest to be taken; the run then lists
/// the strays as answers to alias, rather than the column becoming an attribute.
const STRAY_SHARE: f64 = 0.02;

/// The known scale of `answers`, or of all but their rarest few: the least given answers are
/// set aside one at a time, while together they stay within [`STRAY_SHARE`], until a scale fits.
fn detect_allowing_strays(
    vocabulary: &Vocabulary,
    profiles: &[&Profile],
    answers: &[&str],
) -> Option<Detected> {
    if let Some(found) = vocabulary.detect(answers) {
        return Some(found);
    }
    let filled: usize = profiles.iter().map(|p| p.filled).sum();
    let count = |a: &str| -> usize {
        let key = normalize_label(a);
        profiles
            .iter()
            .flat_map(|p| &p.answers)
            .filter(|(x, _)| normalize_label(x) == key)
            .map(|(_, n)| n)
            .sum()
    };
    let mut rest: Vec<&str> = answers.to_vec();
    rest.sort_by_key(|a| count(a)); // stable: first appearance among equals
    let mut set_aside = 0;
    while rest.len() > 2 {
        set_aside += count(rest[0]);
        if set_aside as f64 > STRAY_SHARE * filled as f64 {
            return None;
        }
        rest.remove(0);
        let kept: Vec<&str> = answers.iter().copied().filter(|a| rest.contains(a)).collect();
        if let Some(found) = vocabulary.detect(&kept) {
            return Some(found);
        }
    }
    None
}

/// The missing answers of every column of a stem.
fn matrix_missing(profiles: &[Profile], stem: &str, vocabulary: &Vocabulary) -> Vec<String> {
    let key = normalize_question(stem);
    let of: Vec<&Profile> = profiles
        .iter()
        .filter(|p| p.stem.as_ref().is_some_and(|(s, _)| normalize_question(s) == key))
        .collect();
    split_missing(&of, vocabulary).1
}

/// The distinct answers of some columns, in order of first appearance: those on a scale and
/// those that mean "no answer" ("Don't know").
fn split_missing<'a>(profiles: &[&'a Profile], vocabulary: &Vocabulary) -> (Vec<&'a str>, Vec<String>) {
    let (mut answers, mut missing): (Vec<&str>, Vec<String>) = (Vec::new(), Vec::new());
    for p in profiles {
        for (a, _) in &p.answers {
            if vocabulary.is_missing(a) {
                if !missing.iter().any(|m| normalize_label(m) == normalize_label(a)) {
                    missing.push(a.clone());
                }
            } else if !answers.iter().any(|x| normalize_label(x) == normalize_label(a)) {
                answers.push(a);
            }
        }
    }
    (answers, missing)
}

/// A scale of the answers as they first appear, for a matrix no vocabulary fits: its order,
/// and its favourable last point, are guesses the evaluator must check.
fn in_order_of_appearance(stem: &str, answers: &[&str]) -> Option<Detected> {
    if answers.len() < 2 || answers.len() > MOST_POINTS {
        return None;
    }
    Some(Detected {
        id: format!("{}-scale", slug(stem, 30, "matrix")),
        label: format!("Answers to \"{}\"", shorten(stem, 50)),
        points: answers
            .iter()
            .enumerate()
            .map(|(k, a)| (k as i64 + 1, a.to_string(), Vec::new()))
            .collect(),
        favourable: vec![answers.len() as i64],
        known: false,
    })
}

impl Plan {
    fn add_scale(&mut self, scale: Detected, missing: &[String]) -> usize {
        let k = match self.scales.iter().position(|s| s.scale.id == scale.id) {
            Some(k) => k,
            None => {
                self.scales.push(PlannedScale {
                    scale: Detected {
                        points: scale
                            .points
                            .iter()
                            .map(|(c, l, _)| (*c, l.clone(), Vec::new()))
                            .collect(),
                        ..scale.clone()
                    },
                    missing: Vec::new(),
                });
                self.scales.len() - 1
            }
        };
        let planned = &mut self.scales[k];
        for (point, (_, _, wordings)) in planned.scale.points.iter_mut().zip(&scale.points) {
            for w in wordings {
                if !point.2.iter().any(|x| normalize_label(x) == normalize_label(w)) {
                    point.2.push(w.clone());
                }
            }
        }
        for m in missing {
            if !planned
                .missing
                .iter()
                .any(|x| normalize_label(x) == normalize_label(m))
            {
                planned.missing.push(m.clone());
            }
        }
        k
    }

    fn node_for(&mut self, stem: &str, ids: &mut Ids) -> usize {
        let key = normalize_question(stem);
        if let Some(k) = self
            .nodes
            .iter()
            .position(|n| n.stem.as_ref().is_some_and(|s| normalize_question(s) == key))
        {
            return k;
        }
        self.nodes.push(PlannedNode {
            id: ids.take(&slug(stem, 40, "topic")),
            label: shorten(stem, 80),
            stem: Some(stem.to_string()),
        });
        self.nodes.len() - 1
    }

    fn loose_node(&mut self, header: &str, ids: &mut Ids) -> usize {
        self.nodes.push(PlannedNode {
            id: ids.take(&format!("{}-topic", slug(header, 34, "loose"))),
            label: shorten(header, 80),
            stem: None,
        });
        self.nodes.len() - 1
    }

    fn add_item(&mut self, profile: &Profile, text: &str, scale: usize, node: usize, ids: &mut Ids) {
        self.items.push(PlannedItem {
            id: ids.take(&slug(text, 40, "item")),
            text: text.to_string(),
            header: profile.header.clone(),
            scale,
            node,
            code: None,
            placed: None,
        });
    }

    fn add_other(&mut self, profile: &Profile, ids: &mut Ids) {
        match classify(profile) {
            Other::Id if self.id_column.is_none() && self.panel_key.is_none() => {
                self.id_column = Some(profile.header.clone())
            }
            Other::Panel if self.panel_key.is_none() => {
                // A panel key is hashed and removed as it is read: it cannot be the id too.
                if let Some(id) = self.id_column.take() {
                    self.other_ids.push(id);
                }
                self.panel_key = Some(profile.header.clone());
            }
            Other::Id | Other::Panel => self.other_ids.push(profile.header.clone()),
            Other::Attribute(options) => self.attributes.push(PlannedAttribute {
                id: ids.take(&slug(&profile.header, 30, "attribute")),
                question: profile.header.clone(),
                options,
            }),
            Other::Open => {
                self.open.push(profile.header.clone());
                self.open_terms.push(super::codebook::suggest(&profile.answers));
            }
            Other::Empty => self.empty.push(profile.header.clone()),
        }
    }

    /// Items whose texts read the same (one statement under two stems) are told apart by
    /// their headers as codes.
    fn code_shared_texts(&mut self) {
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for item in &self.items {
            *seen.entry(normalize_label(&item.text)).or_default() += 1;
        }
        for item in &mut self.items {
            if seen[&normalize_label(&item.text)] > 1 {
                item.code = Some(item.header.clone());
            }
        }
    }
}

/// Ids already given (items, nodes and attributes share one namespace, for readable files).
#[derive(Debug, Default)]
struct Ids(HashSet<String>);

impl Ids {
    fn take(&mut self, base: &str) -> String {
        let mut id = base.to_string();
        let mut n = 2;
        while !self.0.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }
}

/// An id from a text: its first words in lower-case ASCII letters and digits joined by "-",
/// at most `most` characters; `fallback` when no such word is left.
pub fn slug(text: &str, most: usize, fallback: &str) -> String {
    let mut out = String::new();
    // "Respondent's sex" gives respondents-sex, not respondent-s-sex.
    let text = text.replace(['\'', '\u{2019}'], "");
    for word in normalize_question(&text).split(' ') {
        let word: String = word.chars().filter(char::is_ascii_alphanumeric).collect();
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() && out.len() + 1 + word.len() > most {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&word.chars().take(most).collect::<String>());
    }
    if out.is_empty() {
        fallback.to_string()
    } else {
        out
    }
}

/// A text cut at a word to at most `most` characters, with "…" when cut.
pub fn shorten(text: &str, most: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= most {
        return text;
    }
    let mut out = String::new();
    for word in text.split(' ') {
        if out.chars().count() + word.chars().count() + 1 > most.saturating_sub(1) {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.push('…');
    out
}
