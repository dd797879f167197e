"""Reference values for the partially overlapping samples t-tests in tests/stats.rs, computed with
numpy and scipy (not with backbone).

Run: python3 tests/reference/overlap_reference.py   (needs numpy, scipy >= 1.11)
Prints Rust tuples to paste into tests/stats.rs.

The tests are those of Derrick, Toher & White (2017), "How to compare the means of two samples
that include paired observations and independent observations: A companion to Derrick, Russ,
Toher and White (2017)", The Quantitative Methods for Psychology 13(2), 120-126, as implemented by
the R package Partiallyoverlapping (function Partover.test, versions 1.0 and 2.0 read; same
formulas). Notation: sample 1 = wave a, sample 2 = wave b; n_a, n_b observations seen in one wave
only, n_c pairs; n1 = n_a + n_c and n2 = n_b + n_c all observations of each wave; x1bar, x2bar,
S1, S2 the means and SDs (ddof=1) of all of each wave; r the Pearson correlation of the pairs,
taken as 0 when either paired sample is constant (as Partover.test does).

  T_new2 (separate variances):
    se^2 = S1^2/n1 + S2^2/n2 - 2 r S1 S2 n_c / (n1 n2)
    nu2  = (n_c - 1) + (gamma - n_c + 1) / (n_a + n_b + 2 n_c) * (n_a + n_b),
           gamma the Welch-Satterthwaite df of the two whole waves
  T_new1 (equal variances):
    se^2 = Sp^2 (1/n1 + 1/n2 - 2 r n_c / (n1 n2)),
           Sp^2 = ((n1 - 1) S1^2 + (n2 - 1) S2^2) / (n1 + n2 - 2)
    nu1  = (n_c - 1) + (n_a + n_b + n_c - 1) / (n_a + n_b + 2 n_c) * (n_a + n_b)

  t = (x2bar - x1bar) / se: backbone reports wave b minus wave a, so t, the estimate and the
  interval have the opposite sign to Partover.test's x1bar - x2bar; p = 2 P(T_nu > |t|);
  interval (x2bar - x1bar) -/+ t_{nu}(0.975) se.

Checks made here before printing (assertions):
  - the R package's example (the paper's worked example) with var.equal=TRUE gives p = 0.026
    (the value its documentation states);
  - with no pairs, T_new2 is scipy's Welch test and T_new1 scipy's Student test on the waves
    (the correlation term vanishes, nu2 = gamma and nu1 = n_a + n_b - 2);
  - with every observation paired, T_new2 is scipy's paired t-test (se^2 = S_d^2 / n_c,
    nu2 = n_c - 1).
"""
import numpy as np
import scipy
from scipy import stats


def overlap(paired_a, paired_b, only_a, only_b, equal_var, confidence=0.95):
    pa, pb = np.asarray(paired_a, float), np.asarray(paired_b, float)
    ua, ub = np.asarray(only_a, float), np.asarray(only_b, float)
    wave_a, wave_b = np.concatenate([ua, pa]), np.concatenate([ub, pb])
    n_a, n_b, n_c = len(ua), len(ub), len(pa)
    n1, n2 = len(wave_a), len(wave_b)
    s1, s2 = wave_a.std(ddof=1), wave_b.std(ddof=1)
    if n_c >= 2 and pa.std(ddof=1) > 0 and pb.std(ddof=1) > 0:
        r = np.corrcoef(pa, pb)[0, 1]
    else:
        r = 0.0
    if equal_var:
        sp2 = ((n1 - 1) * s1**2 + (n2 - 1) * s2**2) / (n1 + n2 - 2)
        se = np.sqrt(sp2 * (1 / n1 + 1 / n2 - 2 * r * n_c / (n1 * n2)))
        df = (n_c - 1) + (n_a + n_b + n_c - 1) / (n_a + n_b + 2 * n_c) * (n_a + n_b)
    else:
        v1, v2 = s1**2 / n1, s2**2 / n2
        se = np.sqrt(v1 + v2 - 2 * r * s1 * s2 * n_c / (n1 * n2))
        gamma = (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))
        df = (n_c - 1) + (gamma - n_c + 1) / (n_a + n_b + 2 * n_c) * (n_a + n_b)
    diff = wave_b.mean() - wave_a.mean()
    t = diff / se
    p = 2 * stats.t.sf(abs(t), df)
    half = stats.t.ppf(0.5 + confidence / 2, df) * se
    return t, df, p, diff, diff - half, diff + half


def num(x):
    """A float as Rust and Python both read it back exactly."""
    return repr(float(x))


# name: (paired_a, paired_b, only_a, only_b)
FIXTURES = {
    # The worked example of Derrick, Toher & White (2017), as given in Partover.test's help:
    # a.paired, b.paired, a.unpaired, b.unpaired. Many ties, 8 pairs, 8 + 8 unpaired.
    "paper_example": (
        [14, 15, 18, 20, 11, 19, 14, 15],
        [15, 10, 15, 17, 13, 19, 12, 13],
        [20, 21, 16, 18, 14, 12, 14, 17],
        [10, 16, 18, 16, 15, 14, 13, 10],
    ),
    # Five-point answers (ties everywhere), unequal numbers seen once: 7 pairs, 6 + 3 unpaired.
    "likert_unequal_n": (
        [3, 4, 2, 5, 3, 4, 3],
        [4, 4, 3, 5, 4, 5, 3],
        [2, 3, 4, 1, 3, 2],
        [5, 4, 4],
    ),
    # Few pairs (2, the fewest Partover.test accepts), 9 + 12 unpaired.
    "few_paired": (
        [3.2, 4.1],
        [3.9, 4.4],
        [2.5, 3.1, 4.0, 3.3, 2.8, 3.6, 2.2, 4.4, 3.0],
        [3.8, 4.2, 2.9, 4.7, 3.5, 4.0, 4.9, 3.1, 4.3, 3.7, 4.6, 3.4],
    ),
    # Many pairs (30), 3 + 1 unpaired; a negatively signed change.
    "many_paired": (
        [round(2.0 + ((i * 37) % 11) / 4, 2) for i in range(30)],
        [round(1.8 + ((i * 37) % 11) / 5 + ((i * 13) % 7) / 10, 2) for i in range(30)],
        [3.5, 2.25, 4.0],
        [2.1],
    ),
    # Degenerate: no pairs (the correlation term vanishes) ...
    "no_paired": (
        [],
        [],
        [3, 4, 4, 2, 5, 3, 4, 1],
        [4, 5, 4, 3, 5, 5, 4],
    ),
    # ... and nobody seen once (T_new2 becomes the paired t-test).
    "all_paired": (
        [3.1, 2.4, 4.0, 3.3, 2.8, 3.9, 2.2],
        [3.6, 2.9, 4.2, 3.2, 3.9, 4.6, 3.5],
        [],
        [],
    ),
    # A constant paired wave: r is taken as 0 (Partover.test's convention).
    "constant_paired_a": (
        [3, 3, 3, 3],
        [2, 4, 5, 3],
        [1, 2, 4, 5, 3],
        [4, 3, 5],
    ),
}

# The paper's example: Partover.test(..., var.equal=TRUE) documents p = 0.026.
paper = FIXTURES["paper_example"]
assert round(overlap(*paper, equal_var=True)[2], 3) == 0.026

# No pairs: Welch's and Student's tests on the two waves.
_, _, ua, ub = FIXTURES["no_paired"]
for equal_var in (False, True):
    got = overlap([], [], ua, ub, equal_var)
    ref = stats.ttest_ind(ub, ua, equal_var=equal_var)
    ci = ref.confidence_interval(0.95)
    expected = (ref.statistic, ref.df, ref.pvalue, np.mean(ub) - np.mean(ua), ci.low, ci.high)
    assert np.allclose(got, expected, rtol=1e-12, atol=0), (equal_var, got, expected)

# All paired: T_new2 is the paired t-test.
pa, pb, _, _ = FIXTURES["all_paired"]
got = overlap(pa, pb, [], [], equal_var=False)
ref = stats.ttest_rel(pb, pa)
ci = ref.confidence_interval(0.95)
expected = (ref.statistic, ref.df, ref.pvalue, np.mean(pb) - np.mean(pa), ci.low, ci.high)
assert np.allclose(got, expected, rtol=1e-12, atol=0), (got, expected)

print(f"// scipy {scipy.__version__}, numpy {np.__version__}")
print("// (t, df, p, diff, 95% low, 95% high) for T_new2 (separate variances), then T_new1 (pooled)")
for name, fixture in FIXTURES.items():
    print(f"// {name}: n_c={len(fixture[0])} n_a={len(fixture[2])} n_b={len(fixture[3])}")
    for label, equal_var in (("new2", False), ("new1", True)):
        values = overlap(*fixture, equal_var=equal_var)
        print(f"{label}: ({', '.join(num(v) for v in values)}),")
