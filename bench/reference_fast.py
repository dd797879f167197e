#!/usr/bin/env python3
"""The same job as bench/reference.py, written as an analyst who knows pandas would write it:
the faster yardstick of the benchmark (bench/run.sh prints backbone's ratio to the faster of
the two scripts).

Item columns are read as categoricals, so each distinct answer text is mapped to its code once
(a few labels per column) instead of once per cell; scoring and the tests are numpy arrays
(sums and counts per node over the item matrix, Welch's t and its interval vectorised over every
node of a pair of waves). Same rules and the same outputs as bench/reference.py:

    python3 bench/reference_fast.py CONFIG_DIR OUT_DIR

writes OUT_DIR/scores.csv and OUT_DIR/comparison.csv (17 significant digits) for
bench/compare.py to check against backbone's to 1e-9.
"""

import sys
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

CONFIDENCE = 0.95
MIN_ANSWERED = 0.5
MIN_N = 5


def load(config_dir: Path):
    config = tomllib.loads((config_dir / "backbone.toml").read_text())
    instrument_path = (config_dir / config["instrument"]).resolve()
    instrument = tomllib.loads(instrument_path.read_text())
    framework = tomllib.loads((instrument_path.parent / instrument["framework"]).read_text())
    return config, instrument, framework


def node_members(framework, items):
    """Each node's items (its own and every descendant's), in framework order."""
    parent = {n["id"]: n.get("parent") for n in framework["nodes"]}
    members = {n["id"]: [] for n in framework["nodes"]}
    for item in items:
        node = item.get("indicator")
        while node is not None:
            members[node].append(item["id"])
            node = parent[node]
    return [(n["level"], n["id"], members[n["id"]]) for n in framework["nodes"] if members[n["id"]]]


def coded(df, items, scales):
    """The item matrix as floats (NaN where not on the scale) and how many cells were answered
    (on the scale or "not applicable"), mapping each column's categories once through its
    item's scale."""
    values = np.empty((len(df), len(items)))
    answered = np.zeros(len(df), dtype=np.int64)
    for j, item in enumerate(items):
        codes, missing = scales[item["scale"]]
        column = df[item["id"]]
        labels = column.cat.categories.str.strip().str.lower()
        lookup = np.array([codes.get(label, np.nan) for label in labels] + [np.nan])
        on_scale = np.array([label in codes or label in missing for label in labels] + [False])
        index = column.cat.codes.to_numpy()  # -1 for an empty cell: the appended NaN / False
        values[:, j] = lookup[index]
        answered += on_scale[index]
    return values, answered


def wave_scores(path, items, nodes, scales):
    """Every respondent's score per node (NaN where the min-answered rule drops it)."""
    ids = [i["id"] for i in items]
    by_text = {i["text"]: i["id"] for i in items}
    header = pd.read_csv(path, nrows=0).columns
    dtypes = {c: "category" for c in header if c in by_text}
    df = pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""])
    df = df.rename(columns=by_text)
    values, answered = coded(df, items, scales)
    keep = answered >= MIN_ANSWERED * len(ids)
    last = ~df["Respondent ID"][keep].duplicated(keep="last").to_numpy()
    values = values[keep][last]
    for j, item in enumerate(items):
        if item.get("reverse"):
            codes = scales[item["scale"]][0].values()
            values[:, j] = min(codes) + max(codes) - values[:, j]
    column = {item: j for j, item in enumerate(ids)}
    on = ~np.isnan(values)
    filled = np.where(on, values, 0.0)
    scores = {}
    for level, node, cols in nodes:
        js = [column[c] for c in cols]
        count = on[:, js].sum(axis=1)
        kept = (count >= MIN_ANSWERED * len(js)) & (count > 0)
        scores[(level, node)] = filled[kept][:, js].sum(axis=1) / count[kept]
    for j, item in enumerate(ids):
        scores[("item", item)] = values[on[:, j], j]
    return scores


def describe(wave, samples):
    rows = []
    for (level, node), s in samples.items():
        n = len(s)
        mean = s.mean() if n else None
        sd = s.std(ddof=1) if n > 1 else None
        ci = (None, None)
        if n > 1:
            half = stats.t.ppf(0.5 + CONFIDENCE / 2, n - 1) * sd / np.sqrt(n)
            ci = (mean - half, mean + half)
        rows.append((wave, level, node, n, mean, sd, *ci))
    return rows


def welch(a_wave, b_wave, a, b):
    """Welch's difference, interval, df, t and p for every node of one pair of waves at once."""
    keys = list(a)
    na = np.array([len(a[k]) for k in keys], dtype=float)
    nb = np.array([len(b[k]) for k in keys], dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        ma = np.array([a[k].mean() if len(a[k]) else np.nan for k in keys])
        mb = np.array([b[k].mean() if len(b[k]) else np.nan for k in keys])
        va = np.array([a[k].var(ddof=1) if len(a[k]) > 1 else np.nan for k in keys]) / na
        vb = np.array([b[k].var(ddof=1) if len(b[k]) > 1 else np.nan for k in keys]) / nb
        se2 = va + vb
        df_ = se2**2 / (va**2 / (na - 1) + vb**2 / (nb - 1))
        diff = mb - ma
        half = stats.t.ppf(0.5 + CONFIDENCE / 2, df_) * np.sqrt(se2)
        t = diff / np.sqrt(se2)
        p = 2 * stats.t.sf(np.abs(t), df_)
    computable = (na >= 2) & (nb >= 2) & (se2 > 0)
    tested = computable & (na >= MIN_N) & (nb >= MIN_N)
    frame = pd.DataFrame({
        "level": [k[0] for k in keys], "id": [k[1] for k in keys],
        "from_wave": a_wave, "to_wave": b_wave, "n_from": na.astype(int), "n_to": nb.astype(int),
        "diff": np.where(computable, diff, np.nan), "df": np.where(computable, df_, np.nan),
        "ci_low": np.where(computable, diff - half, np.nan),
        "ci_high": np.where(computable, diff + half, np.nan),
        "t": np.where(tested, t, np.nan), "p_welch": np.where(tested, p, np.nan),
    })
    return frame


def main(config_dir: Path, out: Path):
    config, instrument, framework = load(config_dir)
    scales = {
        name: (
            {p["label"].strip().lower(): float(p["value"]) for p in sc["points"]},
            {m.strip().lower() for m in sc.get("missing", [])},
        )
        for name, sc in instrument["scales"].items()
    }
    items = instrument["items"]
    nodes = node_members(framework, items)

    waves, samples, score_rows = [], {}, []
    for w in config["waves"]:
        waves.append(w["label"])
        samples[w["label"]] = wave_scores(config_dir / w["file"], items, nodes, scales)
        score_rows += describe(w["label"], samples[w["label"]])
    scores = pd.DataFrame(
        score_rows, columns=["wave", "level", "id", "n", "mean", "sd", "ci_low", "ci_high"]
    )

    pairs = list(zip(waves, waves[1:]))
    if len(waves) > 2:
        pairs.append((waves[0], waves[-1]))
    comparison = pd.concat([welch(a, b, samples[a], samples[b]) for a, b in pairs], ignore_index=True)
    comparison["q_value"] = np.nan
    tested = comparison["p_welch"].notna() & (comparison["level"] != "item")
    for _, group in comparison[tested].groupby(["from_wave", "to_wave", "level"]):
        comparison.loc[group.index, "q_value"] = stats.false_discovery_control(group["p_welch"])

    out.mkdir(parents=True, exist_ok=True)
    scores.to_csv(out / "scores.csv", index=False, float_format="%.17g")
    comparison.to_csv(out / "comparison.csv", index=False, float_format="%.17g")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
