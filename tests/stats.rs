//! Every statistic of `backbone::stats` against reference values printed by
//! tests/reference/stats_reference.py (scipy 1.17.1, numpy 2.4.6) on the same datasets:
//! ties, unequal n, small n, zero variance, a large shift, and all-identical answers.

use backbone::stats::{
    alpha_if_deleted, benjamini_hochberg, cliffs_delta, cronbach_alpha, hedges_g, mann_whitney, welch_test,
    Magnitude,
};

fn close(actual: f64, expected: f64, what: &str) {
    let scale = expected.abs().max(f64::MIN_POSITIVE);
    assert!(
        (actual - expected).abs() <= 1e-9 * scale,
        "{what}: {actual} != {expected}"
    );
}

struct Case {
    name: &'static str,
    a: Vec<f64>,
    b: Vec<f64>,
    /// (t, df, p)
    welch: (f64, f64, f64),
    /// (U of b, p)
    mann_whitney: (f64, f64),
    hedges_g: f64,
    cliffs_delta: f64,
}

fn floats(xs: &[f64]) -> Vec<f64> {
    xs.to_vec()
}

fn cases() -> Vec<Case> {
    let large_a: Vec<f64> = (0..60)
        .map(|i| ((2.5 + ((i * 37) % 11) as f64 / 10.0) * 10.0).round() / 10.0)
        .collect();
    let large_b: Vec<f64> = (0..60)
        .map(|i| ((3.6 + ((i * 53) % 13) as f64 / 10.0) * 10.0).round() / 10.0)
        .collect();
    vec![
        Case {
            name: "ties_unequal_n",
            a: floats(&[3., 4., 4., 2., 5., 3., 4., 1., 3., 4., 5., 2.]),
            b: floats(&[4., 5., 4., 3., 5., 5., 4., 4., 3., 5.]),
            welch: (1.996245135483915, 18.902384863424565, 0.060517334079880504),
            mann_whitney: (85.0, 0.09229982520875404),
            hedges_g: 0.7901799181307401,
            cliffs_delta: 0.4166666666666667,
        },
        Case {
            name: "small_no_ties (exact Mann-Whitney)",
            a: floats(&[1.2, 3.4, 2.2, 5.1, 4.4]),
            b: floats(&[6.3, 2.9, 7.1, 5.5]),
            welch: (1.8969987893704419, 6.071136550313141, 0.10604215621733996),
            mann_whitney: (17.0, 0.1111111111111111),
            hedges_g: 1.1510306382567157,
            cliffs_delta: 0.7,
        },
        Case {
            name: "small_with_ties",
            a: floats(&[2., 3., 3.]),
            b: floats(&[4., 4., 5., 3.]),
            welch: (2.5298221281347035, 5.000000000000001, 0.052541363316286775),
            mann_whitney: (11.0, 0.0954832320975473),
            hedges_g: 1.5374668280846768,
            cliffs_delta: 0.8333333333333334,
        },
        Case {
            name: "zero_variance_one_side",
            a: floats(&[3., 3., 3., 3.]),
            b: floats(&[2., 4., 5., 3., 4.]),
            welch: (1.1766968108291043, 4.0, 0.3045587846805349),
            mann_whitney: (14.0, 0.34523107177184),
            hedges_g: 0.6187939745230095,
            cliffs_delta: 0.4,
        },
        Case {
            name: "large_shift (tiny p)",
            a: large_a,
            b: large_b,
            welch: (18.64744468838868, 115.37646988510977, 1.295907198932985e-36),
            mann_whitney: (3600.0, 3.285715539642653e-21),
            hedges_g: 3.3828570507919706,
            cliffs_delta: 1.0,
        },
    ]
}

#[test]
fn welch_test_matches_scipy() {
    for c in cases() {
        let w = welch_test(&c.a, &c.b, 0.95).unwrap_or_else(|| panic!("{}", c.name));
        close(w.t, c.welch.0, &format!("{} t", c.name));
        close(w.df, c.welch.1, &format!("{} df", c.name));
        // p of a t-distribution far in the tail: statrs' regularized incomplete beta agrees
        // with scipy to about 1e-7 relative there, so the tail case is held to that.
        let tolerance = if c.welch.2 < 1e-20 { 1e-7 } else { 1e-9 };
        assert!(
            (w.p - c.welch.2).abs() <= tolerance * c.welch.2,
            "{} p: {} != {}",
            c.name,
            w.p,
            c.welch.2
        );
    }
}

#[test]
fn mann_whitney_matches_scipy() {
    for c in cases() {
        let m = mann_whitney(&c.a, &c.b).unwrap_or_else(|| panic!("{}", c.name));
        close(m.u, c.mann_whitney.0, &format!("{} U", c.name));
        close(m.p, c.mann_whitney.1, &format!("{} p", c.name));
    }
    assert!(
        mann_whitney(&[1.2, 3.4, 2.2, 5.1, 4.4], &[6.3, 2.9, 7.1, 5.5])
            .unwrap()
            .exact
    );
    assert!(!mann_whitney(&[2., 3., 3.], &[4., 4., 5., 3.]).unwrap().exact);
}

#[test]
fn effect_sizes_match_the_reference() {
    for c in cases() {
        close(
            hedges_g(&c.a, &c.b).unwrap(),
            c.hedges_g,
            &format!("{} g", c.name),
        );
        close(
            cliffs_delta(&c.a, &c.b).unwrap(),
            c.cliffs_delta,
            &format!("{} delta", c.name),
        );
    }
    assert_eq!(Magnitude::of_hedges_g(-0.19), Magnitude::Negligible);
    assert_eq!(Magnitude::of_hedges_g(0.79), Magnitude::Medium);
    assert_eq!(Magnitude::of_cliffs_delta(0.4166), Magnitude::Medium);
    assert_eq!(Magnitude::of_cliffs_delta(-0.5), Magnitude::Large);
    assert_eq!(Magnitude::of_cliffs_delta(0.147), Magnitude::Small);
}

#[test]
fn degenerate_samples_are_not_computable() {
    let same = [4.0, 4.0, 4.0];
    let also_same = [4.0, 4.0, 4.0, 4.0];
    assert_eq!(
        welch_test(&same, &also_same, 0.95),
        None,
        "zero variance on both sides"
    );
    assert_eq!(mann_whitney(&same, &also_same), None, "all answers identical");
    assert_eq!(hedges_g(&same, &also_same), None);
    assert_eq!(cliffs_delta(&same, &also_same), Some(0.0));
    assert_eq!(welch_test(&[3.0], &[1.0, 2.0], 0.95), None, "n = 1");
    assert_eq!(hedges_g(&[3.0], &[1.0, 2.0]), None);
    assert_eq!(mann_whitney(&[], &[1.0]), None, "all N/A");
    assert_eq!(cliffs_delta(&[], &[1.0]), None);
}

#[test]
fn benjamini_hochberg_matches_scipy() {
    let q = benjamini_hochberg(&[0.001, 0.04, 0.03, 0.2, 0.04, 0.5, 0.012]);
    let expected = [
        0.007,
        0.055999999999999994,
        0.055999999999999994,
        0.23333333333333336,
        0.055999999999999994,
        0.5,
        0.042,
    ];
    for (i, (x, e)) in q.iter().zip(expected).enumerate() {
        close(*x, e, &format!("q[{i}]"));
    }
    assert!(benjamini_hochberg(&[]).is_empty());
}

#[test]
fn cronbach_alpha_matches_numpy() {
    let rows: Vec<Vec<f64>> = [
        [4, 5, 4, 3],
        [3, 3, 4, 3],
        [5, 5, 5, 4],
        [2, 3, 2, 2],
        [4, 4, 3, 4],
        [3, 4, 4, 5],
        [1, 2, 2, 1],
    ]
    .iter()
    .map(|r| r.iter().map(|&v| v as f64).collect())
    .collect();
    close(cronbach_alpha(&rows).unwrap(), 0.9295774647887323, "alpha");
    let deleted = [
        0.8851351351351351,
        0.8988326848249029,
        0.9092664092664094,
        0.9382716049382717,
    ];
    for (i, e) in deleted.into_iter().enumerate() {
        close(
            alpha_if_deleted(&rows, i).unwrap(),
            e,
            &format!("alpha without item {i}"),
        );
    }
    assert_eq!(
        cronbach_alpha(&[vec![3.0, 3.0], vec![3.0, 3.0]]),
        None,
        "totals do not vary"
    );
    assert_eq!(cronbach_alpha(&[vec![3.0, 4.0]]), None, "one respondent");
}

#[test]
fn paired_tests_match_scipy() {
    use backbone::stats::{paired_t, wilcoxon_signed_rank};
    let a = [3.1, 2.4, 4.0, 3.3, 2.8, 3.9, 2.2];
    let b = [3.6, 2.9, 4.2, 3.2, 3.9, 4.6, 3.5];
    let (t, df, p) = paired_t(&a, &b).unwrap();
    close(t, 3.263110069235126, "paired t");
    assert_eq!(df, 6.0);
    close(p, 0.017181754525876634, "paired p");
    let (w, p) = wilcoxon_signed_rank(&a, &b).unwrap();
    close(w, 1.0, "W");
    close(p, 0.03125, "Wilcoxon p");

    // Ties and zero differences (dropped): scipy's exact distribution over the tied ranks.
    let a = [3., 4., 2., 5., 3., 4., 3., 2., 4., 3.];
    let b = [4., 4., 3., 5., 4., 5., 2., 4., 5., 4.];
    let (t, df, p) = paired_t(&a, &b).unwrap();
    close(t, 2.688774478590815, "paired t with ties");
    assert_eq!(df, 9.0);
    close(p, 0.02484634444065558, "paired p with ties");
    let (w, p) = wilcoxon_signed_rank(&a, &b).unwrap();
    close(w, 4.0, "W with ties");
    close(p, 0.0625, "Wilcoxon p with ties");

    assert_eq!(
        paired_t(&[3.0, 4.0], &[4.0, 5.0]),
        None,
        "every difference the same"
    );
    assert_eq!(
        wilcoxon_signed_rank(&[3.0, 4.0], &[3.0, 4.0]),
        None,
        "no non-zero difference"
    );
    assert_eq!(paired_t(&[3.0], &[4.0]), None, "one pair");
}

#[test]
fn wilcoxon_uses_the_tie_corrected_normal_approximation_past_50_differences() {
    // 58 non-zero differences of 70 pairs.
    let a: Vec<f64> = (0..70).map(|i| (2 + (i * 7) % 4) as f64).collect();
    let b: Vec<f64> = (0..70)
        .map(|i| (2 + (i * 5 + 1) % 4 + usize::from(i % 3 == 0)) as f64)
        .collect();
    let (w, p) = backbone::stats::wilcoxon_signed_rank(&a, &b).unwrap();
    close(w, 540.5, "W");
    close(p, 0.009181844542081716, "p");
}

#[test]
fn wilcoxon_with_ties_past_13_pairs_is_approximated() {
    // 50 non-zero, tied differences of 60 pairs; scipy 1.17: W = 410, p = 0.01881286877037242
    // (its exact method would give 0.0275, wrong with ties; its automatic choice is the normal
    // approximation).
    let a: Vec<f64> = (0..60).map(|i| (2 + (i * 7) % 4) as f64).collect();
    let b: Vec<f64> = (0..60)
        .map(|i| (2 + (i * 5 + 1) % 4 + usize::from(i % 3 == 0)) as f64)
        .collect();
    let (w, p) = backbone::stats::wilcoxon_signed_rank(&a, &b).unwrap();
    close(w, 410.0, "W");
    close(p, 0.01881286877037242, "p");
}
