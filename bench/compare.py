#!/usr/bin/env python3
"""Checks that backbone and the pandas reference give the same numbers.

    python3 bench/compare.py BACKBONE_DUMP_DIR REFERENCE_DIR [TOLERANCE]

BACKBONE_DUMP_DIR is what `stage-times --dump` writes, REFERENCE_DIR what bench/reference.py
writes; both hold scores.csv and comparison.csv at full precision. Every n, mean, SD and
t-interval of every item, indicator, outcome and function per wave, and every Welch
difference, interval, degrees of freedom, t, p and Benjamini-Hochberg q (levels tested by
Welch) must agree to TOLERANCE (default 1e-9, relative to max(1, |value|)). Prints one line
and exits 1 on any difference.
"""

import sys
from pathlib import Path

import numpy as np
import pandas as pd


def close(a, b, tol):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    both_nan = np.isnan(a) & np.isnan(b)
    ok = np.abs(a - b) <= tol * np.maximum(1.0, np.abs(b))
    return both_nan | ok


def main(ours: Path, theirs: Path, tol: float) -> int:
    problems = []
    checked = 0
    s1 = pd.read_csv(ours / "scores.csv", dtype={"wave": str})
    s2 = pd.read_csv(theirs / "scores.csv", dtype={"wave": str})
    m = s1.merge(s2, on=["wave", "level", "id"], suffixes=("", "_ref"), how="outer", indicator=True)
    missing = m[m["_merge"] != "both"]
    if len(missing):
        problems.append(f"{len(missing)} score rows in only one of the two")
    m = m[m["_merge"] == "both"]
    for col in ["n", "mean", "sd", "ci_low", "ci_high"]:
        bad = ~close(m[col], m[col + "_ref"], tol)
        checked += len(m)
        if bad.any():
            r = m[bad].iloc[0]
            problems.append(
                f"scores {col}: {bad.sum()} differ, e.g. {r['wave']} {r['id']}: {r[col]!r} vs {r[col + '_ref']!r}"
            )

    c1 = pd.read_csv(ours / "comparison.csv", dtype={"from_wave": str, "to_wave": str})
    c2 = pd.read_csv(theirs / "comparison.csv", dtype={"from_wave": str, "to_wave": str})
    keys = ["level", "id", "from_wave", "to_wave"]
    m = c1.merge(c2, on=keys, suffixes=("", "_ref"), how="outer", indicator=True)
    missing = m[m["_merge"] != "both"]
    if len(missing):
        problems.append(f"{len(missing)} comparison rows in only one of the two")
    m = m[m["_merge"] == "both"]
    welch = m["level"] != "item"
    pairs = [
        ("n_from", "n_from", None),
        ("n_to", "n_to", None),
        ("diff", "diff", None),
        ("df", "df", None),
        ("ci_low", "ci_low", None),
        ("ci_high", "ci_high", None),
        ("p_welch", "p_welch", None),
        ("statistic", "t", welch),
        ("q_value", "q_value", welch),
    ]
    for ours_col, ref_col, mask in pairs:
        sub = m if mask is None else m[mask]
        right = sub[ref_col + "_ref"] if ref_col + "_ref" in sub else sub[ref_col]
        bad = ~close(sub[ours_col], right, tol)
        checked += len(sub)
        if bad.any():
            r = sub[bad].iloc[0]
            problems.append(
                f"comparison {ours_col}: {bad.sum()} differ, e.g. {r['id']} {r['from_wave']}->{r['to_wave']}: "
                f"{r[ours_col]!r} vs {right[bad].iloc[0]!r}"
            )
    if problems:
        print("DIFFERENT: " + "; ".join(problems))
        return 1
    print(f"same numbers: {checked} values agree to {tol:g}")
    return 0


if __name__ == "__main__":
    tol = float(sys.argv[3]) if len(sys.argv) > 3 else 1e-9
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2]), tol))
