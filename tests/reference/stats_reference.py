"""Reference values for tests/stats.rs, computed with scipy.stats and numpy (not with backbone).

Run: python3 tests/reference/stats_reference.py   (needs scipy >= 1.11, numpy)
Prints Rust constants to paste into tests/stats.rs.

Welch: scipy.stats.ttest_ind(b, a, equal_var=False); df by Welch-Satterthwaite.
Mann-Whitney: scipy.stats.mannwhitneyu(b, a, alternative='two-sided', method='auto'),
  which is exact without ties when both samples are small (<= 8) and otherwise the normal
  approximation with tie correction and continuity correction.
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


print(f"// scipy {scipy.__version__}, numpy {np.__version__}")
for name, (a, b) in DATASETS.items():
    print(f"// {name}")
    if np.var(a) + np.var(b) > 0 and len(a) > 1 and len(b) > 1:
        t = stats.ttest_ind(b, a, equal_var=False)
        print(f"welch t={t.statistic!r} df={welch_df(a, b)!r} p={t.pvalue!r}")
    mw = stats.mannwhitneyu(b, a, alternative="two-sided")
    print(f"mann_whitney u={mw.statistic!r} p={mw.pvalue!r}")
    if np.var(a, ddof=1) + np.var(b, ddof=1) > 0:
        print(f"hedges_g={hedges_g(a, b)!r}")
    print(f"cliffs_delta={cliffs_delta(a, b)!r}")

P = [0.001, 0.04, 0.03, 0.2, 0.04, 0.5, 0.012]
print("bh", list(stats.false_discovery_control(P, method="bh")))

ITEMS = [[4, 5, 4, 3], [3, 3, 4, 3], [5, 5, 5, 4], [2, 3, 2, 2], [4, 4, 3, 4], [3, 4, 4, 5], [1, 2, 2, 1]]
print("alpha", cronbach(ITEMS))
for drop in range(4):
    print(f"alpha without item {drop}", cronbach([[v for i, v in enumerate(r) if i != drop] for r in ITEMS]))

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
