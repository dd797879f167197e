//! Every statistic of `backbone::stats` against reference values printed by
//! tests/reference/stats_reference.py (scipy 1.17.1, numpy 2.4.6) on the same datasets:
//! ties, unequal n, small n, zero variance, a large shift, all-identical answers and n = 1.

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
    /// (t, df, p, 95% low, 95% high); `None` where scipy cannot compute it either.
    welch: Option<(f64, f64, f64, f64, f64)>,
    /// (U of b, p, exact)
    mann_whitney: Option<(f64, f64, bool)>,
    hedges_g: Option<f64>,
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
            welch: Some((
                1.996245135483915,
                18.902384863424565,
                0.060517334079880504,
                -0.04233412678814574,
                1.775667460121479,
            )),
            mann_whitney: Some((85.0, 0.09229982520875404, false)),
            hedges_g: Some(0.7901799181307401),
            cliffs_delta: 0.4166666666666667,
        },
        Case {
            name: "small_no_ties (exact Mann-Whitney)",
            a: floats(&[1.2, 3.4, 2.2, 5.1, 4.4]),
            b: floats(&[6.3, 2.9, 7.1, 5.5]),
            welch: Some((
                1.8969987893704419,
                6.071136550313141,
                0.10604215621733996,
                -0.6268459811549492,
                5.0068459811549495,
            )),
            mann_whitney: Some((17.0, 0.1111111111111111, true)),
            hedges_g: Some(1.1510306382567157),
            cliffs_delta: 0.7,
        },
        Case {
            name: "small_with_ties",
            a: floats(&[2., 3., 3.]),
            b: floats(&[4., 4., 5., 3.]),
            welch: Some((
                2.5298221281347035,
                5.000000000000001,
                0.052541363316286775,
                -0.021482252077890118,
                2.688148918744557,
            )),
            mann_whitney: Some((11.0, 0.0954832320975473, false)),
            hedges_g: Some(1.5374668280846768),
            cliffs_delta: 0.8333333333333334,
        },
        Case {
            name: "zero_variance_one_side",
            a: floats(&[3., 3., 3., 3.]),
            b: floats(&[2., 4., 5., 3., 4.]),
            welch: Some((
                1.1766968108291043,
                4.0,
                0.3045587846805349,
                -0.8157147769822721,
                2.0157147769822723,
            )),
            mann_whitney: Some((14.0, 0.34523107177184, false)),
            hedges_g: Some(0.6187939745230095),
            cliffs_delta: 0.4,
        },
        Case {
            name: "large_shift (tiny p)",
            a: large_a,
            b: large_b,
            welch: Some((
                18.64744468838868,
                115.37646988510977,
                1.295907198932985e-36,
                1.053170308582923,
                1.3034963580837418,
            )),
            mann_whitney: Some((3600.0, 3.285715539642653e-21, false)),
            hedges_g: Some(3.3828570507919706),
            cliffs_delta: 1.0,
        },
        Case {
            name: "exact_8_8 (largest exact Mann-Whitney)",
            a: floats(&[2.1, 3.3, 1.7, 4.2, 2.9, 3.8, 1.1, 2.4]),
            b: floats(&[3.5, 4.6, 2.2, 5.0, 4.1, 3.9, 4.4, 2.7]),
            welch: Some((
                2.2039466054125314,
                13.853217408341331,
                0.04495935045095615,
                0.028785352443172263,
                2.196214647556828,
            )),
            mann_whitney: Some((51.0, 0.04988344988344988, true)),
            hedges_g: Some(1.0418656680131966),
            cliffs_delta: 0.59375,
        },
        Case {
            // scipy's method="auto" would be exact here (p = 0.03652230122818358).
            name: "one_small_no_ties (asymptotic: only one sample is small)",
            a: floats(&[1.5, 2.25, 3.1, 2.8, 4.05]),
            b: floats(&[3.2, 4.1, 2.95, 3.75, 4.6, 3.35, 4.9, 2.6, 3.95, 4.3, 3.45, 4.75]),
            welch: Some((
                2.2798818458155585,
                6.101290187941899,
                0.06208975550468656,
                -0.07481972710388907,
                2.2448197271038888,
            )),
            mann_whitney: Some((50.0, 0.03983261924474144, false)),
            hedges_g: Some(1.2883286127000921),
            cliffs_delta: 0.6666666666666666,
        },
        Case {
            name: "constant_waves_differ",
            a: floats(&[3., 3., 3., 3., 3.]),
            b: floats(&[4., 4., 4., 4., 4., 4.]),
            welch: None,
            mann_whitney: Some((30.0, 0.0022366244452098707, false)),
            hedges_g: None,
            cliffs_delta: 1.0,
        },
        Case {
            name: "all_identical",
            a: floats(&[4., 4., 4., 4., 4.]),
            b: floats(&[4., 4., 4., 4., 4., 4.]),
            welch: None,
            mann_whitney: None,
            hedges_g: None,
            cliffs_delta: 0.0,
        },
        Case {
            name: "n_one",
            a: floats(&[3.]),
            b: floats(&[1., 2.]),
            welch: None,
            mann_whitney: Some((0.0, 0.6666666666666666, true)),
            hedges_g: None,
            cliffs_delta: -1.0,
        },
    ]
}

#[test]
fn welch_test_matches_scipy() {
    for c in cases() {
        let w = welch_test(&c.a, &c.b, 0.95);
        let Some((t, df, p, low, high)) = c.welch else {
            assert_eq!(w, None, "{}", c.name);
            continue;
        };
        let w = w.unwrap_or_else(|| panic!("{}", c.name));
        close(w.t, t, &format!("{} t", c.name));
        close(w.df, df, &format!("{} df", c.name));
        close(w.interval.low, low, &format!("{} low", c.name));
        close(w.interval.high, high, &format!("{} high", c.name));
        // p of a t-distribution far in the tail: statrs' regularized incomplete beta agrees
        // with scipy to about 1e-7 relative there, so the tail case is held to that.
        let tolerance = if p < 1e-20 { 1e-7 } else { 1e-9 };
        assert!((w.p - p).abs() <= tolerance * p, "{} p: {} != {p}", c.name, w.p,);
    }
}

#[test]
fn mann_whitney_matches_scipy() {
    for c in cases() {
        let m = mann_whitney(&c.a, &c.b);
        let Some((u, p, exact)) = c.mann_whitney else {
            assert_eq!(m, None, "{}", c.name);
            continue;
        };
        let m = m.unwrap_or_else(|| panic!("{}", c.name));
        close(m.u, u, &format!("{} U", c.name));
        close(m.p, p, &format!("{} p", c.name));
        assert_eq!(m.exact, exact, "{} exact", c.name);
    }
}

#[test]
fn effect_sizes_match_the_reference() {
    for c in cases() {
        let g = hedges_g(&c.a, &c.b);
        match c.hedges_g {
            Some(expected) => close(g.unwrap(), expected, &format!("{} g", c.name)),
            None => assert_eq!(g, None, "{} g", c.name),
        }
        close(
            cliffs_delta(&c.a, &c.b).unwrap(),
            c.cliffs_delta,
            &format!("{} delta", c.name),
        );
    }
    assert_eq!(Magnitude::of_hedges_g(-0.19), Magnitude::Negligible);
    assert_eq!(Magnitude::of_hedges_g(0.2), Magnitude::Small);
    assert_eq!(Magnitude::of_hedges_g(0.79), Magnitude::Medium);
    assert_eq!(Magnitude::of_hedges_g(-0.8), Magnitude::Large);
    assert_eq!(Magnitude::of_cliffs_delta(0.146), Magnitude::Negligible);
    assert_eq!(Magnitude::of_cliffs_delta(0.147), Magnitude::Small);
    assert_eq!(Magnitude::of_cliffs_delta(0.4166), Magnitude::Medium);
    assert_eq!(Magnitude::of_cliffs_delta(-0.5), Magnitude::Large);
}

#[test]
fn degenerate_samples_are_not_computable() {
    assert_eq!(welch_test(&[], &[1.0, 2.0], 0.95), None, "all N/A");
    assert_eq!(mann_whitney(&[], &[1.0]), None, "all N/A");
    assert_eq!(cliffs_delta(&[], &[1.0]), None);
    assert_eq!(hedges_g(&[], &[1.0, 2.0]), None);
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

    let two: Vec<Vec<f64>> = [[4., 5.], [3., 3.], [5., 4.], [2., 3.], [4., 4.], [1., 2.]]
        .iter()
        .map(|r| r.to_vec())
        .collect();
    close(
        cronbach_alpha(&two).unwrap(),
        0.8863636363636362,
        "alpha of two items",
    );
    assert_eq!(alpha_if_deleted(&two, 0), None, "one item left");
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

/// (t, df, p, diff, 95% low, 95% high)
type Overlap = (f64, f64, f64, f64, f64, f64);

struct OverlapCase {
    name: &'static str,
    paired_a: Vec<f64>,
    paired_b: Vec<f64>,
    only_a: Vec<f64>,
    only_b: Vec<f64>,
    /// T_new2 (separate variances)
    new2: Overlap,
    /// T_new1 (pooled variance)
    new1: Overlap,
}

/// Values printed by tests/reference/overlap_reference.py (scipy 1.17.1, numpy 2.4.6): the
/// formulas of Derrick, Toher & White (2017) written in numpy, checked there against the paper's
/// worked example (p = 0.026), scipy's Welch and Student tests (no pairs) and paired t-test (no
/// single observations).
fn overlap_cases() -> Vec<OverlapCase> {
    let many_a: Vec<f64> = (0..30)
        .map(|i| ((2.0 + ((i * 37) % 11) as f64 / 4.0) * 100.0).round() / 100.0)
        .collect();
    let many_b: Vec<f64> = (0..30)
        .map(|i| {
            ((1.8 + ((i * 37) % 11) as f64 / 5.0 + ((i * 13) % 7) as f64 / 10.0) * 100.0).round() / 100.0
        })
        .collect();
    vec![
        OverlapCase {
            name: "paper_example (Derrick, Toher & White 2017; Partover.test's example)",
            paired_a: floats(&[14., 15., 18., 20., 11., 19., 14., 15.]),
            paired_b: floats(&[15., 10., 15., 17., 13., 19., 12., 13.]),
            only_a: floats(&[20., 21., 16., 18., 14., 12., 14., 17.]),
            only_b: floats(&[10., 16., 18., 16., 15., 14., 13., 10.]),
            new2: (
                -2.419097628378315,
                18.422332269264114,
                0.026104444861957423,
                -2.0,
                -3.734097029472195,
                -0.26590297052780487,
            ),
            new1: (
                -2.420745451213593,
                18.5,
                0.02596796367564247,
                -2.0,
                -3.7324079575681997,
                -0.26759204243180035,
            ),
        },
        OverlapCase {
            name: "likert_unequal_n",
            paired_a: floats(&[3., 4., 2., 5., 3., 4., 3.]),
            paired_b: floats(&[4., 4., 3., 5., 4., 5., 3.]),
            only_a: floats(&[2., 3., 4., 1., 3., 2.]),
            only_b: floats(&[5., 4., 4.]),
            new2: (
                4.0887332308376445,
                11.78328102207443,
                0.0015587507261585767,
                1.0999999999999996,
                0.5126317330560086,
                1.6873682669439907,
            ),
            new1: (
                3.9351244218445145,
                11.869565217391305,
                0.002020954088801983,
                1.0999999999999996,
                0.49020519648745753,
                1.7097948035125419,
            ),
        },
        OverlapCase {
            name: "few_paired",
            paired_a: floats(&[3.2, 4.1]),
            paired_b: floats(&[3.9, 4.4]),
            only_a: floats(&[2.5, 3.1, 4.0, 3.3, 2.8, 3.6, 2.2, 4.4, 3.0]),
            only_b: floats(&[3.8, 4.2, 2.9, 4.7, 3.5, 4.0, 4.9, 3.1, 4.3, 3.7, 4.6, 3.4]),
            new2: (
                2.7766038572835474,
                17.06786657616333,
                0.012891178678586497,
                0.6662337662337658,
                0.16014618264038094,
                1.1723213498271507,
            ),
            new1: (
                2.8276459133024328,
                19.48,
                0.010579759968730484,
                0.6662337662337658,
                0.17390855933974836,
                1.1585589731277834,
            ),
        },
        OverlapCase {
            name: "many_paired",
            paired_a: many_a,
            paired_b: many_b,
            only_a: floats(&[3.5, 2.25, 4.0]),
            only_b: floats(&[2.1]),
            new2: (
                -2.8488419969736203,
                31.05081383489044,
                0.007720615901778714,
                -0.17663734115347074,
                -0.3030853293020742,
                -0.050189353004867265,
            ),
            new1: (
                -2.877443053311928,
                31.0625,
                0.007189188403419016,
                -0.17663734115347074,
                -0.30182656258680884,
                -0.05144811972013261,
            ),
        },
        OverlapCase {
            name: "no_paired",
            paired_a: vec![],
            paired_b: vec![],
            only_a: floats(&[3., 4., 4., 2., 5., 3., 4., 1.]),
            only_b: floats(&[4., 5., 4., 3., 5., 5., 4.]),
            new2: (
                1.9333333333333331,
                11.54328494337615,
                0.07809165284214192,
                1.0357142857142856,
                -0.1366494727075127,
                2.2080780441360837,
            ),
            new1: (
                1.8674582509334086,
                13.0,
                0.08454445138321674,
                1.0357142857142856,
                -0.1624515521509049,
                2.233880123579476,
            ),
        },
        OverlapCase {
            name: "all_paired",
            paired_a: floats(&[3.1, 2.4, 4.0, 3.3, 2.8, 3.9, 2.2]),
            paired_b: floats(&[3.6, 2.9, 4.2, 3.2, 3.9, 4.6, 3.5]),
            only_a: vec![],
            only_b: vec![],
            new2: (
                3.2631100692351245,
                6.0,
                0.017181754525876673,
                0.5999999999999996,
                0.15007735579354142,
                1.049922644206458,
            ),
            new1: (
                3.3247373515317182,
                6.0,
                0.015910386517120668,
                0.5999999999999996,
                0.15841711526156887,
                1.0415828847384305,
            ),
        },
        OverlapCase {
            name: "constant_paired_a (r taken as 0)",
            paired_a: floats(&[3., 3., 3., 3.]),
            paired_b: floats(&[2., 4., 5., 3.]),
            only_a: floats(&[1., 2., 4., 5., 3.]),
            only_b: floats(&[4., 3., 5.]),
            new2: (
                1.2711407958211074,
                8.03785488128039,
                0.2392284410437627,
                0.7142857142857144,
                -0.5804540349550997,
                2.0090254635265286,
            ),
            new1: (
                1.2703265360515468,
                8.5,
                0.23763596794966665,
                0.7142857142857144,
                -0.569189062031747,
                1.9977604906031758,
            ),
        },
    ]
}

fn close_overlap(actual: backbone::stats::OverlapTest, expected: Overlap, what: &str) {
    let (t, df, p, diff, low, high) = expected;
    close(actual.t, t, &format!("{what} t"));
    close(actual.df, df, &format!("{what} df"));
    close(actual.p, p, &format!("{what} p"));
    close(actual.diff, diff, &format!("{what} diff"));
    close(actual.low, low, &format!("{what} low"));
    close(actual.high, high, &format!("{what} high"));
}

#[test]
fn partially_overlapping_t_matches_the_reference() {
    use backbone::stats::{partially_overlapping_t, partially_overlapping_t_pooled};
    for c in overlap_cases() {
        let new2 = partially_overlapping_t(&c.paired_a, &c.paired_b, &c.only_a, &c.only_b, 0.95);
        close_overlap(
            new2.unwrap_or_else(|| panic!("{}", c.name)),
            c.new2,
            &format!("{} T_new2", c.name),
        );
        let new1 = partially_overlapping_t_pooled(&c.paired_a, &c.paired_b, &c.only_a, &c.only_b, 0.95);
        close_overlap(
            new1.unwrap_or_else(|| panic!("{}", c.name)),
            c.new1,
            &format!("{} T_new1", c.name),
        );
    }
}

#[test]
fn partially_overlapping_t_reduces_to_welch_and_paired_t() {
    use backbone::stats::{paired_t, partially_overlapping_t};
    // No pairs: the correlation term vanishes and ν is Welch's: Welch's test on the singles.
    let (a, b) = ([3., 4., 4., 2., 5., 3., 4., 1.], [4., 5., 4., 3., 5., 5., 4.]);
    let o = partially_overlapping_t(&[], &[], &a, &b, 0.9).unwrap();
    let w = welch_test(&a, &b, 0.9).unwrap();
    close(o.t, w.t, "t");
    close(o.df, w.df, "df");
    close(o.p, w.p, "p");
    close(o.diff, w.interval.diff, "diff");
    close(o.low, w.interval.low, "low");
    close(o.high, w.interval.high, "high");
    // Nobody seen once: se² = S_d²/n_c and ν = n_c − 1, the paired t-test.
    let (a, b) = (
        [3., 4., 2., 5., 3., 4., 3., 2., 4., 3.],
        [4., 4., 3., 5., 4., 5., 2., 4., 5., 4.],
    );
    let o = partially_overlapping_t(&a, &b, &[], &[], 0.95).unwrap();
    let (t, df, p) = paired_t(&a, &b).unwrap();
    close(o.t, t, "paired t");
    close(o.df, df, "paired df");
    close(o.p, p, "paired p");
}

#[test]
fn partially_overlapping_t_is_none_when_not_computable() {
    use backbone::stats::{partially_overlapping_t as new2, partially_overlapping_t_pooled as new1};
    let (a, b) = ([3., 4., 2.], [4., 4., 3.]);
    for test in [new2, new1] {
        assert_eq!(test(&[3.0], &[4.0], &a, &b, 0.95), None, "one pair: no r");
        assert_eq!(
            test(&a, &b[..2], &[], &[], 0.95),
            None,
            "pairs of different lengths"
        );
        assert_eq!(test(&[], &[], &[3.0], &b, 0.95), None, "one observation in a");
        assert_eq!(test(&[], &[], &a, &[], 0.95), None, "nothing in b");
        assert_eq!(test(&[], &[], &[], &[], 0.95), None, "nothing at all");
        assert_eq!(
            test(&[3., 3.], &[4., 4.], &[3.], &[4., 4.], 0.95),
            None,
            "no answer varies within a wave"
        );
        assert_eq!(test(&a, &b, &[1.], &[5.], 1.0), None, "confidence 1");
        assert_eq!(test(&a, &b, &[1.], &[5.], 0.0), None, "confidence 0");
        assert_eq!(test(&a, &b, &[1.], &[5.], f64::NAN), None, "confidence NaN");
    }
    // Every pair moves by the same amount and nobody else answered: no spread in the change.
    // With these decimals se² comes out 5.6e-17 rather than 0 in floating point; still None.
    assert_eq!(new2(&a, &[4., 5., 3.], &[], &[], 0.95), None);
    assert_eq!(new2(&[3.1, 2.4, 4.0], &[3.8, 3.1, 4.7], &[], &[], 0.95), None);
    // The pooled version also has se = 0 when all are paired and r = 1, even if the changes vary.
    assert_eq!(new1(&a, &[6., 8., 4.], &[], &[], 0.95), None);
    assert!(new2(&a, &[6., 8., 4.], &[], &[], 0.95).is_some());
}
