"""Writes the survey-weights fixture (tests/fixtures/weights/wave-2024.csv, wave-2025.csv: staff
over-represented against a roster of 100) and prints what numpy/scipy make of it under the rules
of issue 24, for tests/weights.rs to paste. Not backbone's code.

- raking: start at 1; per attribute in turn, each category's weights times target share x (sum of
  weights of respondents who stated the attribute) / (sum of weights in the category); those who
  did not state it keep theirs; until no factor differs from 1 by more than 1e-12; then mean 1;
- weighted mean sum(w y) / sum(w) over respondents with a score; se by Taylor linearisation with
  the finite population correction sqrt((1 - n/N) n/(n-1) sum w^2 (y-m)^2 / (sum w)^2); interval
  m +- t(n-1) se (scipy.stats.t.ppf); n_eff (sum w)^2 / sum w^2; weighted % favourable;
- change: d = m2 - m1, se = sqrt(se1^2 + se2^2), Welch-Satterthwaite df, two-sided t p
  (scipy.stats.t.sf), Benjamini-Hochberg q per level (scipy.stats.false_discovery_control);
- groups: weighted mean per sector (not raked).

Run: python3 tests/reference/weights_reference.py   (needs numpy, scipy, pandas)
"""
import os
import random

import numpy as np
import pandas as pd
from scipy import stats

FIX = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "weights")
ITEMS = {"a1": "Meetings start on time.", "a2": "Agendas arrive early.",
         "b1": "I hear back within a week.", "b2": "Emails get answered.",
         "b3": "Requests are followed up."}
AREAS = {"timeliness": ["a1", "a2"], "responsiveness": ["b1", "b2", "b3"]}
LABELS = ["Never", "Rarely", "Sometimes", "Often", "Always"]
ROSTER = {"role": {"Staff": 10, "Partner": 60, "Funder": 30}, "team": {"North": 55, "South": 45}}
INVITED = 100
MIN_ANSWERED = 0.5
CONFIDENCE = 0.95
LIFT = {"Staff": 0.9, "Partner": 0.0, "Funder": -0.5, "": 0.0}
# Respondents per role in each wave ("" = role left blank): staff are 10% of the roster.
MIX = {"2024": {"Staff": 16, "Partner": 18, "Funder": 5, "": 1},
       "2025": {"Staff": 15, "Partner": 20, "Funder": 6, "": 1}}
BASE = {"2024": {"timeliness": 3.0, "responsiveness": 3.2}, "2025": {"timeliness": 3.3, "responsiveness": 3.1}}


def write(rng, wave):
    rows = []
    roles = [r for r, n in MIX[wave].items() for _ in range(n)]
    rng.shuffle(roles)
    for i, role in enumerate(roles):
        team = "" if i == 7 else ("North" if rng.random() < 0.4 else "South")
        sector = "Public" if rng.random() < 0.5 else "Private"
        answers = {}
        for area, items in AREAS.items():
            for item in items:
                v = BASE[wave][area] + LIFT[role] + rng.gauss(0, 0.9)
                answers[item] = min(5, max(1, round(v)))
        # Up to two blanks, so every row keeps three of its five answers.
        for item in rng.sample(list(ITEMS), rng.choice([0, 0, 0, 1, 2])):
            answers[item] = None
        rows.append({"role": role, "team": team, "sector": sector, **answers})
    header = ["What is your role?", "Which team are you on?", "Which sector are you in?"] + list(ITEMS.values())
    with open(os.path.join(FIX, f"wave-{wave}.csv"), "w", newline="") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            cells = [r["role"], r["team"], r["sector"]] + ["" if r[i] is None else LABELS[r[i] - 1] for i in ITEMS]
            f.write(",".join(cells) + "\n")
    return pd.DataFrame(rows)


def rake(df):
    w = np.ones(len(df))
    for _ in range(1000):
        worst = 0.0
        for attribute, roster in ROSTER.items():
            stated = df[attribute].isin(list(roster)).to_numpy()
            total = w[stated].sum()
            for category, count in roster.items():
                inside = (df[attribute] == category).to_numpy()
                factor = count / sum(roster.values()) * total / w[inside].sum()
                worst = max(worst, abs(factor - 1))
                w[inside] *= factor
        if worst <= 1e-12:
            return w * len(w) / w.sum()
    raise RuntimeError("raking did not converge")


def node_scores(df, items):
    values = df[items].astype(float)
    count = values.notna().sum(axis=1)
    keep = (count >= len(items) * MIN_ANSWERED) & (count > 0)
    return values.mean(axis=1).where(keep)


def estimate(df, w, items):
    y = node_scores(df, items)
    has = y.notna().to_numpy()
    yv, wv = y.to_numpy()[has], w[has]
    n, sw = len(yv), wv.sum()
    m = (wv * yv).sum() / sw
    se = np.sqrt((1 - n / INVITED) * n / (n - 1) * (wv ** 2 * (yv - m) ** 2).sum() / sw ** 2)
    half = stats.t.ppf(0.5 + CONFIDENCE / 2, n - 1) * se
    answers = df[items].to_numpy(dtype=float)
    valid = (~np.isnan(answers)).sum(axis=1)
    favourable = (answers >= 4).sum(axis=1)
    pct = 100 * (w * favourable).sum() / (w * valid).sum()
    return dict(n=n, mean=m, se=se, low=m - half, high=m + half, pct=pct, n_eff=sw ** 2 / (wv ** 2).sum())


def main():
    rng = random.Random(20261203)
    waves = {wave: write(rng, wave) for wave in MIX}
    weights = {wave: rake(df) for wave, df in waves.items()}
    targets = [("area", a, items) for a, items in AREAS.items()] + [("item", i, [i]) for i in ITEMS]
    est = {(wave, t): estimate(waves[wave], weights[wave], items) for wave in waves for _, t, items in targets}
    for wave, w in weights.items():
        print(f"// weights {wave}")
        print("[" + ", ".join(repr(float(x)) for x in w) + "],")
    print("// (wave, id, n, [mean, se, ci_low, ci_high, pct_favorable, n_eff])")
    for (wave, t), e in est.items():
        numbers = ", ".join(repr(float(e[k])) for k in ["mean", "se", "low", "high", "pct", "n_eff"])
        print(f'("{wave}", "{t}", {e["n"]}, [{numbers}]),')
    changes = []
    for level, t, _ in targets:
        a, b = est[("2024", t)], est[("2025", t)]
        se = np.sqrt(a["se"] ** 2 + b["se"] ** 2)
        df = se ** 4 / (a["se"] ** 4 / (a["n"] - 1) + b["se"] ** 4 / (b["n"] - 1))
        d = b["mean"] - a["mean"]
        changes.append((level, t, d, se, df, 2 * stats.t.sf(abs(d / se), df)))
    print("// (id, [diff, se, df, p, q])")
    for level in ["area", "item"]:
        family = [c for c in changes if c[0] == level]
        q = stats.false_discovery_control([c[5] for c in family], method="bh")
        for (_, t, d, se, df, p), q in zip(family, q):
            print(f'("{t}", [{float(d)!r}, {float(se)!r}, {float(df)!r}, {float(p)!r}, {float(q)!r}]),')
    print("// (wave, sector, id, weighted mean)")
    for wave, df in waves.items():
        for sector in ["Private", "Public"]:
            for area, items in AREAS.items():
                y = node_scores(df, items)
                inside = ((df["sector"] == sector) & y.notna()).to_numpy()
                m = (weights[wave][inside] * y.to_numpy()[inside]).sum() / weights[wave][inside].sum()
                print(f'("{wave}", "{sector}", "{area}", {float(m)!r}),')


main()
