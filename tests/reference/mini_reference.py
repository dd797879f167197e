"""Independent reference for tests/scoring.rs: scores the mini fixture (tests/fixtures/mini)
with plain Python and scipy, without any of backbone's code, and prints the expected values.

Run: python3 tests/reference/mini_reference.py   (needs scipy)

Rules implemented here from the README's methods, not from the Rust code:
- labels are matched case-insensitively, a bare digit 1-5 is that scale point;
- "Don't know / Not applicable" is N/A (never scored); blank and unknown text are unanswered;
- a row is used if it answers (point or N/A) at least half of the 4 items;
- reverse item a2 is mirrored: 6 - value;
- a respondent's node score = mean of the node's items answered on the scale, kept if they
  answered at least half of the node's items; node mean = mean of kept respondent scores;
- SD with n-1; CI = mean +/- t(0.975, n-1) * sd / sqrt(n);
- % favourable = share of valid answers (after mirroring) that are 4 or 5, pooled over items.
"""
import csv
import math
import os
import sys
from statistics import mean, stdev

from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "..", "fixtures", "mini")
LABELS = {"strongly disagree": 1, "disagree": 2, "neither agree nor disagree": 3, "agree": 4, "strongly agree": 5}
NA = "don't know / not applicable"
ITEMS = {"Partners share one agenda.": "a1", "Partners pull in different directions.": "a2",
         "Meetings are useful.": "a3", "Data is shared.": "b1"}
REVERSE = {"a2"}
NODES = {"a1": ["a1", "alpha.one", "alpha"], "a2": ["a2", "alpha.one", "alpha"],
         "a3": ["a3", "alpha.two", "alpha"], "b1": ["b1", "beta.three", "beta"]}


def code(cell):
    t = cell.strip().lower()
    if t == "":
        return "blank"
    if t == NA:
        return "na"
    if t in LABELS:
        return LABELS[t]
    if t in {"1", "2", "3", "4", "5"}:
        return int(t)
    return "unknown"


def read(name):
    with open(os.path.join(FIX, name), newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    used, skipped = [], 0
    for row in body:
        answers = {}
        for h, cell in zip(header, row):
            if h in ITEMS:
                answers[ITEMS[h]] = code(cell)
        answered = sum(1 for v in answers.values() if v == "na" or isinstance(v, int))
        if answered * 2 < len(ITEMS):
            skipped += 1
            continue
        oriented = {k: (6 - v if k in REVERSE and isinstance(v, int) else v) for k, v in answers.items()}
        used.append(oriented)
    return used, len(body), skipped


def node_items(node):
    return [i for i, ns in NODES.items() if node in ns]


def score(used, node):
    items = node_items(node)
    scores = []
    for r in used:
        vals = [r[i] for i in items if isinstance(r[i], int)]
        if vals and len(vals) * 2 >= len(items):
            scores.append(mean(vals))
    valid = [r[i] for r in used for i in items if isinstance(r[i], int)]
    nas = sum(1 for r in used for i in items if r[i] == "na")
    fav = 100.0 * sum(1 for v in valid if v >= 4) / len(valid) if valid else None
    out = {"n": len(scores), "mean": mean(scores) if scores else None, "n_na": nas, "pct_favorable": fav}
    if len(scores) >= 2:
        s = stdev(scores)
        h = stats.t.ppf(0.975, len(scores) - 1) * s / math.sqrt(len(scores))
        out.update(sd=s, ci_low=out["mean"] - h, ci_high=out["mean"] + h)
    return out, scores


def welch(a, b):
    va, vb = stdev(a) ** 2 / len(a), stdev(b) ** 2 / len(b)
    se = math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    d = mean(b) - mean(a)
    h = stats.t.ppf(0.975, df) * se
    return d, df, d - h, d + h


if __name__ == "__main__":
    waves = {"2023": read("wave-2023.csv"), "2024": read("wave-2024.csv")}
    samples = {}
    for wave, (used, n_read, n_skipped) in waves.items():
        print(f"wave {wave}: read {n_read}, used {len(used)}, skipped {n_skipped}")
        for node in ["alpha", "alpha.one", "alpha.two", "beta", "beta.three", "a1", "a2", "a3", "b1"]:
            out, scores = score(used, node)
            samples[(wave, node)] = scores
            print(f"  {node}: " + ", ".join(f"{k}={v!r}" for k, v in out.items()))
    for node in ["alpha", "alpha.one", "beta"]:
        print(f"welch 2023->2024 {node}: diff, df, low, high =", welch(samples[("2023", node)], samples[("2024", node)]))
    # Reference values used by the unit tests in src/stats.rs.
    xs = [1, 2, 3, 4, 5]
    print("t.interval [1..5]:", stats.t.interval(0.95, 4, loc=mean(xs), scale=stdev(xs) / math.sqrt(5)))
    print("welch [1..5] vs [2,4,4,5,5,5]:", welch(xs, [2, 4, 4, 5, 5, 5]))

    # Cronbach's alpha of domain alpha (a1, a2 mirrored, a3) in 2023 over complete cases, numpy.
    import numpy as np

    def cronbach(x):
        x = np.asarray(x, float)
        total = x.sum(axis=1).var(ddof=1)
        if x.shape[1] < 2 or total == 0:
            return None
        return x.shape[1] / (x.shape[1] - 1) * (1 - x.var(axis=0, ddof=1).sum() / total)

    used, _, _ = waves["2023"]
    complete = [[r["a1"], r["a2"], r["a3"]] for r in used if all(isinstance(r[i], int) for i in ("a1", "a2", "a3"))]
    print("alpha 2023: n_complete", len(complete), "alpha", cronbach(complete),
          "if deleted", [cronbach(np.delete(np.asarray(complete), d, axis=1)) for d in range(3)])

    # Panel: 2023 respondents linked by email (case-insensitive) to tests/fixtures/mini/panel-2024.csv.
    def keyed(name):
        with open(os.path.join(FIX, name), newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        header = rows[0]
        out = {}
        for row in rows[1:]:
            answers = {ITEMS[h]: code(c) for h, c in zip(header, row) if h in ITEMS}
            answered = sum(1 for v in answers.values() if v == "na" or isinstance(v, int))
            if answered * 2 < len(ITEMS):
                continue
            email = row[header.index("Email")].strip().lower()
            out[email] = {k: (6 - v if k in REVERSE and isinstance(v, int) else v) for k, v in answers.items()}
        return out

    def node_score(r, node):
        vals = [r[i] for i in node_items(node) if isinstance(r[i], int)]
        return mean(vals) if vals and len(vals) * 2 >= len(node_items(node)) else None

    before, after = keyed("wave-2023.csv"), keyed("panel-2024.csv")
    for node in ["alpha", "beta", "a1"]:
        pairs = [(node_score(before[k], node), node_score(after[k], node)) for k in before if k in after]
        pairs = [(x, y) for x, y in pairs if x is not None and y is not None]
        a, b = [x for x, _ in pairs], [y for _, y in pairs]
        d = [y - x for x, y in pairs]
        t = stats.ttest_rel(b, a)
        w = stats.wilcoxon(b, a)
        print(f"panel {node}: n={len(pairs)} mean_diff={mean(d)!r} dz={mean(d) / stdev(d)!r} "
              f"t={t.statistic!r} p_t={t.pvalue!r} w={w.statistic!r} p_w={w.pvalue!r}")

    # Whole waves that share respondents: the partially overlapping samples t-test (T_new2) on
    # every scored respondent, pairs linked by email, with overlap() of overlap_reference.py.
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from overlap_reference import overlap

    for node in ["alpha", "beta"]:
        a = {k: node_score(r, node) for k, r in before.items()}
        b = {k: node_score(r, node) for k, r in after.items()}
        a = {k: v for k, v in a.items() if v is not None}
        b = {k: v for k, v in b.items() if v is not None}
        linked = sorted(set(a) & set(b))
        res = overlap([a[k] for k in linked], [b[k] for k in linked],
                      [v for k, v in a.items() if k not in linked],
                      [v for k, v in b.items() if k not in linked], equal_var=False)
        print(f"overlap {node}: linked={len(linked)} {res!r}")
