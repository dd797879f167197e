"""Prints what scipy makes of the function family of tests/suite/compare.rs's hand-made scores:
Welch's t-test of each function (scipy.stats.ttest_ind, equal_var=False), Benjamini-Hochberg q
(scipy.stats.false_discovery_control), and each difference's false-coverage-rate interval
(Benjamini & Yekutieli 2005): with R of the m tests below alpha = 0.05, the Welch interval at
confidence 1 - R * alpha / m. Not backbone's code.

Run: python3 tests/reference/fcr_reference.py   (needs numpy, scipy)
"""
import numpy as np
from scipy import stats

ALPHA = 0.05


def likert(n, step):
    return np.array([(i * step) % 5 + 1 for i in range(n)], dtype=float)


base, large = likert(30, 7), likert(2000, 7)
family = {"up": (base, base + 1.0), "flat": (base, base.copy()), "tiny": (large, large + 0.25)}
tests = {k: stats.ttest_ind(b, a, equal_var=False) for k, (a, b) in family.items()}
q = dict(zip(family, stats.false_discovery_control([t.pvalue for t in tests.values()], method="bh")))
selected = sum(1 for v in q.values() if v < ALPHA)
level = 1 - max(selected, 1) * ALPHA / len(family)
print(f"# selected {selected} of {len(family)}")
print(f"level {level!r}")
for k, (a, b) in family.items():
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    d = b.mean() - a.mean()
    half = stats.t.ppf(0.5 + level / 2, df) * np.sqrt(va + vb)
    print(f"{k}: q {float(q[k])!r} low {float(d - half)!r} high {float(d + half)!r}")
