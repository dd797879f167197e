"""Reference values for tests/stats.rs, computed with scipy.stats and numpy (not with backbone).

Run: python3 tests/reference/stats_reference.py   (needs scipy >= 1.11, numpy)
Prints Rust constants to paste into tests/stats.rs.

Welch: scipy.stats.ttest_ind(b, a, equal_var=False), its 95% confidence_interval; df by
  Welch-Satterthwaite.
Mann-Whitney: scipy.stats.mannwhitneyu(b, a, alternative='two-sided') with the method backbone
  uses: method='exact' when both samples have at most 8 values and there are no ties, otherwise
  method='asymptotic', use_continuity=True (tie-corrected normal approximation). scipy's
  method='auto' differs only when one sample is small and the other is not (it picks exact);
  the one_small_no_ties dataset prints both.
Hedges' g: numpy, pooled SD (ddof=1) times J = 1 - 3/(4(na+nb)-9).
Cliff's delta: brute force over all pairs.
Benjamini-Hochberg: scipy.stats.false_discovery_control(p, method='bh').
Cronbach's alpha: numpy, k/(k-1) * (1 - sum(item var) / var(total)), ddof=1.
"""
import itertools

import numpy as np
import scipy
from scipy import stats

DATASETS = {
    # name: (a = earlier wave, b = later wave)
    "ties_unequal_n": ([3, 4, 4, 2, 5, 3, 4, 1, 3, 4, 5, 2], [4, 5, 4, 3, 5, 5, 4, 4, 3, 5]),
    "small_no_ties": ([1.2, 3.4, 2.2, 5.1, 4.4], [6.3, 2.9, 7.1, 5.5]),
    "small_with_ties": ([2, 3, 3], [4, 4, 5, 3]),
    "zero_variance_one_side": ([3, 3, 3, 3], [2, 4, 5, 3, 4]),
    "large_shift": (
        [round(2.5 + ((i * 37) % 11) / 10, 1) for i in range(60)],
        [round(3.6 + ((i * 53) % 13) / 10, 1) for i in range(60)],
    ),
    "exact_8_8": ([2.1, 3.3, 1.7, 4.2, 2.9, 3.8, 1.1, 2.4], [3.5, 4.6, 2.2, 5.0, 4.1, 3.9, 4.4, 2.7]),
    "one_small_no_ties": (
        [1.5, 2.25, 3.1, 2.8, 4.05],
        [3.2, 4.1, 2.95, 3.75, 4.6, 3.35, 4.9, 2.6, 3.95, 4.3, 3.45, 4.75],
    ),
    # Degenerate: each wave constant but different; everyone the same; one score in a wave.
    "constant_waves_differ": ([3, 3, 3, 3, 3], [4, 4, 4, 4, 4, 4]),
    "all_identical": ([4, 4, 4, 4, 4], [4, 4, 4, 4, 4, 4]),
    "n_one": ([3], [1, 2]),
}


def hedges_g(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    na, nb = len(a), len(b)
    sp = np.sqrt(((na - 1) * a.var(ddof=1) + (nb - 1) * b.var(ddof=1)) / (na + nb - 2))
    return (1 - 3 / (4 * (na + nb) - 9)) * (b.mean() - a.mean()) / sp


def cliffs_delta(a, b):
    pairs = list(itertools.product(a, b))
    return (sum(y > x for x, y in pairs) - sum(y < x for x, y in pairs)) / len(pairs)


def welch_df(a, b):
    va, vb = np.var(a, ddof=1) / len(a), np.var(b, ddof=1) / len(b)
    return (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))


def cronbach(rows):
    x = np.asarray(rows, float)
    k = x.shape[1]
    return k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))


def num(x):
    """A float as Rust and Python both read it back exactly."""
    return repr(float(x))


def mw_method(a, b):
    ties = len(set(a) | set(b)) < len(a) + len(b)
    return "exact" if len(a) <= 8 and len(b) <= 8 and not ties else "asymptotic"


print(f"// scipy {scipy.__version__}, numpy {np.__version__}")
for name, (a, b) in DATASETS.items():
    print(f"// {name}")
    if len(a) > 1 and len(b) > 1 and np.var(a) + np.var(b) > 0:
        t = stats.ttest_ind(b, a, equal_var=False)
        ci = t.confidence_interval(0.95)
        print(f"welch t={num(t.statistic)} df={num(welch_df(a, b))} p={num(t.pvalue)} ci=({num(ci.low)}, {num(ci.high)})")
    else:
        print("welch: not computable (n < 2 or no variance in either wave)")
    if len(set(a) | set(b)) > 1:
        method = mw_method(a, b)
        mw = stats.mannwhitneyu(b, a, alternative="two-sided", method=method, use_continuity=True)
        print(f"mann_whitney ({method}) u={num(mw.statistic)} p={num(mw.pvalue)}")
        auto = stats.mannwhitneyu(b, a, alternative="two-sided")
        if auto.pvalue != mw.pvalue:
            print(f"  scipy method='auto' (not used): p={num(auto.pvalue)}")
    else:
        print("mann_whitney: not computable (every value the same)")
    if len(a) > 1 and len(b) > 1 and np.var(a, ddof=1) + np.var(b, ddof=1) > 0:
        print(f"hedges_g={num(hedges_g(a, b))}")
    else:
        print("hedges_g: not computable")
    print(f"cliffs_delta={num(cliffs_delta(a, b))}")

P = [0.001, 0.04, 0.03, 0.2, 0.04, 0.5, 0.012]
print("bh", ", ".join(num(q) for q in stats.false_discovery_control(P, method="bh")))

ITEMS = [[4, 5, 4, 3], [3, 3, 4, 3], [5, 5, 5, 4], [2, 3, 2, 2], [4, 4, 3, 4], [3, 4, 4, 5], [1, 2, 2, 1]]
print("alpha", cronbach(ITEMS))
for drop in range(4):
    print(f"alpha without item {drop}", cronbach([[v for i, v in enumerate(row) if i != drop] for row in ITEMS]))
# Two items (an indicator asked twice): alpha exists, alpha if deleted does not (one item left).
PAIR_ITEMS = [[4, 5], [3, 3], [5, 4], [2, 3], [4, 4], [1, 2]]
print("alpha of two items", cronbach(PAIR_ITEMS))

# Paired tests (panels): scipy.stats.ttest_rel(b, a) and scipy.stats.wilcoxon(b, a) with the
# defaults (zero_method='wilcox', correction=False, method='auto').
PAIRED = {
    "paired_no_ties": ([3.1, 2.4, 4.0, 3.3, 2.8, 3.9, 2.2], [3.6, 2.9, 4.2, 3.2, 3.9, 4.6, 3.5]),
    "paired_ties_and_zero": ([3, 4, 2, 5, 3, 4, 3, 2, 4, 3], [4, 4, 3, 5, 4, 5, 2, 4, 5, 4]),
}
for name, (a, b) in PAIRED.items():
    t = stats.ttest_rel(b, a)
    w = stats.wilcoxon(b, a)
    print(f"// {name}\npaired_t t={t.statistic!r} df={len(a) - 1} p={t.pvalue!r}\nwilcoxon w={w.statistic!r} p={w.pvalue!r}")

# More than 50 non-zero differences (58 of 70 pairs): scipy's normal approximation with the tie correction.
A60 = [2 + (i * 7) % 4 for i in range(70)]
B60 = [2 + (i * 5 + 1) % 4 + (1 if i % 3 == 0 else 0) for i in range(70)]
w = stats.wilcoxon(B60, A60)
print(f"// paired_70: nonzero={sum(1 for x, y in zip(A60, B60) if x != y)}\nwilcoxon w={w.statistic!r} p={w.pvalue!r}")
# 50 non-zero, tied differences of 60 pairs: also the normal approximation.
w = stats.wilcoxon(B60[:60], A60[:60])
print(f"// paired_60\nwilcoxon w={w.statistic!r} p={w.pvalue!r}")
