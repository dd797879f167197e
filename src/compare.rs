//! Compare: differences between waves for every item and node, on the respondent scores kept
//! by the score stage. Waves are treated as independent samples (partner surveys are anonymous
//! and the respondent mix changes from year to year).

use crate::score::Scores;
use crate::stats;

/// One compared pair of waves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WavePair {
    pub from: String,
    pub to: String,
}

/// The pairs compared: each wave with the next, and the first with the last when there are
/// more than two waves.
pub fn wave_pairs(waves: &[String]) -> Vec<WavePair> {
    let mut pairs: Vec<WavePair> = waves
        .windows(2)
        .map(|w| WavePair {
            from: w[0].clone(),
            to: w[1].clone(),
        })
        .collect();
    if waves.len() > 2 {
        pairs.push(WavePair {
            from: waves[0].clone(),
            to: waves[waves.len() - 1].clone(),
        });
    }
    pairs
}

/// The change of one node between two waves.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub level: String,
    pub id: String,
    pub label: String,
    pub pair: WavePair,
    pub n_from: usize,
    pub n_to: usize,
    pub mean_from: Option<f64>,
    pub mean_to: Option<f64>,
    /// mean_to − mean_from.
    pub diff: Option<f64>,
    /// Welch interval of the difference; `None` when it cannot be computed.
    pub interval: Option<stats::WelchInterval>,
}

/// Every node present in both waves of every pair, in the order of the scores.
pub fn compare(scores: &Scores, confidence: f64) -> Vec<Comparison> {
    let mut out = Vec::new();
    for pair in wave_pairs(&scores.waves) {
        for from in scores.rows.iter().filter(|r| r.wave == pair.from) {
            let Some(to) = scores.row(&pair.to, &from.id) else {
                continue;
            };
            let sample = |wave: &str| {
                scores
                    .samples
                    .get(&(wave.to_string(), from.id.clone()))
                    .map(Vec::as_slice)
                    .unwrap_or_default()
            };
            out.push(Comparison {
                level: from.level.clone(),
                id: from.id.clone(),
                label: from.label.clone(),
                pair: pair.clone(),
                n_from: from.n,
                n_to: to.n,
                mean_from: from.mean,
                mean_to: to.mean,
                diff: from.mean.zip(to.mean).map(|(a, b)| b - a),
                interval: stats::welch_interval(sample(&pair.from), sample(&pair.to), confidence),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_consecutive_then_first_to_last() {
        let waves: Vec<String> = ["2023", "2024", "2025"].map(String::from).to_vec();
        let pairs: Vec<(String, String)> = wave_pairs(&waves).into_iter().map(|p| (p.from, p.to)).collect();
        let expected = [("2023", "2024"), ("2024", "2025"), ("2023", "2025")]
            .map(|(a, b)| (a.to_string(), b.to_string()));
        assert_eq!(pairs, expected);
        assert_eq!(wave_pairs(&waves[..2]).len(), 1);
        assert!(wave_pairs(&waves[..1]).is_empty());
    }
}
