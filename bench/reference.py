#!/usr/bin/env python3
"""What an analyst would write instead of backbone, with pandas and scipy: the yardstick of
the benchmark (bench/run.sh), on the plain exports that `examples/bench-exports.rs` writes.

Reads each wave's CSV, maps answer labels to codes (reverse-worded items mirrored), drops the
rows backbone skips (fewer than half the items answered, counting "not applicable"; a repeated
respondent id keeps the later row), scores every respondent on every indicator, outcome and
function by the min-answered rule (>= 50% of the node's items answered on the scale), then per
wave and node: n, mean, SD and t-interval; between waves (each with the next, first with last):
Welch's t with its interval, Benjamini-Hochberg within each pair and level.

    python3 bench/reference.py CONFIG_DIR OUT_DIR

writes OUT_DIR/scores.csv and OUT_DIR/comparison.csv with every float at full precision
(17 significant digits), for bench/compare.py to check against backbone's to 1e-9.
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


def main(config_dir: Path, out: Path):
    config, instrument, framework = load(config_dir)
    # Each item read through its own scale (the overall item is on a 5-point effectiveness one).
    scales = {
        name: (
            {p["label"].strip().lower(): p["value"] for p in sc["points"]},
            {m.strip().lower() for m in sc.get("missing", [])},
        )
        for name, sc in instrument["scales"].items()
    }
    items = instrument["items"]
    by_text = {i["text"]: i["id"] for i in items}
    reverse = [i["id"] for i in items if i.get("reverse")]

    # Node -> its items (an indicator's own, and every descendant's for outcomes and functions).
    parent = {n["id"]: n.get("parent") for n in framework["nodes"]}
    members = {n["id"]: [] for n in framework["nodes"]}
    for item in items:
        node = item.get("indicator")  # an overall item has none: scored as an item only
        while node is not None:
            members[node].append(item["id"])
            node = parent[node]
    levels = {n["id"]: n["level"] for n in framework["nodes"]}
    order = [n["id"] for n in framework["nodes"]]

    samples = {}  # (wave, id) -> respondent scores
    score_rows = []
    waves = []
    for w in config["waves"]:
        wave = w["label"]
        waves.append(wave)
        df = pd.read_csv(config_dir / w["file"], dtype=str, keep_default_na=False)
        df = df.rename(columns=by_text)
        ids = [i["id"] for i in items]
        text = df[ids].apply(lambda s: s.str.strip().str.lower())
        scale_of = {i["id"]: scales[i["scale"]] for i in items}
        answered = text.apply(lambda s: s.isin(scale_of[s.name][0].keys()) | s.isin(scale_of[s.name][1]))
        keep = answered.sum(axis=1) >= MIN_ANSWERED * len(ids)
        df, text = df[keep], text[keep]
        last = ~df["Respondent ID"].duplicated(keep="last")
        text = text[last]
        values = text.apply(lambda s: s.map(scale_of[s.name][0])).astype(float)
        for item in reverse:
            codes = scale_of[item][0]
            values[item] = min(codes.values()) + max(codes.values()) - values[item]

        def add(level, node, scores):
            scores = scores.to_numpy()
            samples[(wave, node)] = scores
            n = len(scores)
            mean = scores.mean() if n else None
            sd = scores.std(ddof=1) if n > 1 else None
            ci = (None, None)
            if n > 1:
                half = stats.t.ppf(0.5 + CONFIDENCE / 2, n - 1) * sd / np.sqrt(n)
                ci = (mean - half, mean + half)
            score_rows.append((wave, level, node, n, mean, sd, *ci))

        for node in order:
            cols = members[node]
            if not cols:
                continue
            block = values[cols]
            count = block.count(axis=1)
            kept = (count >= MIN_ANSWERED * len(cols)) & (count > 0)
            add(levels[node], node, block[kept].mean(axis=1))
        for item in ids:
            add("item", item, values[item].dropna())

    scores = pd.DataFrame(
        score_rows, columns=["wave", "level", "id", "n", "mean", "sd", "ci_low", "ci_high"]
    )

    pairs = list(zip(waves, waves[1:]))
    if len(waves) > 2:
        pairs.append((waves[0], waves[-1]))
    comparisons = []
    for a_wave, b_wave in pairs:
        for (wave, level, node, *_rest) in score_rows:
            if wave != a_wave:
                continue
            a, b = samples[(a_wave, node)], samples[(b_wave, node)]
            row = dict(level=level, id=node, from_wave=a_wave, to_wave=b_wave,
                       n_from=len(a), n_to=len(b))
            if len(a) >= 2 and len(b) >= 2:
                va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
                se2 = va + vb
                if se2 > 0:
                    df_ = se2**2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
                    diff = b.mean() - a.mean()
                    half = stats.t.ppf(0.5 + CONFIDENCE / 2, df_) * np.sqrt(se2)
                    row.update(diff=diff, df=df_, ci_low=diff - half, ci_high=diff + half)
                    if len(a) >= MIN_N and len(b) >= MIN_N:
                        t, p = stats.ttest_ind(b, a, equal_var=False)
                        row.update(t=t, p_welch=p)
            comparisons.append(row)
    comparison = pd.DataFrame(comparisons)
    # Benjamini-Hochberg within each pair of waves and level (items are tested by backbone
    # with Mann-Whitney, so only the means of items are adjusted here).
    comparison["q_value"] = np.nan
    tested = comparison["p_welch"].notna() & (comparison["level"] != "item")
    for _, group in comparison[tested].groupby(["from_wave", "to_wave", "level"]):
        comparison.loc[group.index, "q_value"] = stats.false_discovery_control(group["p_welch"])

    out.mkdir(parents=True, exist_ok=True)
    scores.to_csv(out / "scores.csv", index=False, float_format="%.17g")
    comparison.to_csv(out / "comparison.csv", index=False, float_format="%.17g")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
