"""Independent reference for tests/drivers.rs: the key-driver analysis of a held-out two-wave
export (tests/fixtures/drivers/partners-2024.csv and partners-2025.csv, plain tables on the
bundled Backbone Partner Survey), computed with numpy and without any of backbone's code, and
the LMG values of R's `attitude` and `mtcars` data sets.

Run: python3 tests/reference/drivers_reference.py            (needs numpy)
     python3 tests/reference/drivers_reference.py --write    (rewrites the fixture, seeded)

Rules implemented here from the README's methods, not from the Rust code:
- the instrument and framework are read from indicators/ (TOML); an answer is a point by its
  label; the scale's missing answers are N/A; blank is unanswered;
- a row is used if it answers (point or N/A) at least half of the instrument's items;
- a reverse-worded item is mirrored (min + max - value);
- a respondent's score on a function = mean of the answered items under it, kept if they
  answered at least half of them; the overall item's score is its own answer;
- complete cases over the six functions and the overall item; R² of ordinary least squares
  with intercept for every subset of the functions (numpy lstsq on the raw scores); LMG
  importance = sum over subsets S not holding j of |S|!(p-|S|-1)!/p! (R²(S+j) - R²(S)).
"""
import csv
import itertools
import math
import os
import sys
import tomllib

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
FIX = os.path.join(ROOT, "tests", "fixtures", "drivers")
WAVES = {"2024": "partners-2024.csv", "2025": "partners-2025.csv"}


def load():
    with open(os.path.join(ROOT, "indicators", "fsg-partner-survey.instrument.toml"), "rb") as f:
        ins = tomllib.load(f)
    with open(os.path.join(ROOT, "indicators", "fsg-backbone.framework.toml"), "rb") as f:
        fw = tomllib.load(f)
    return ins, fw


def function_of(fw):
    """Node id -> the id of its headline-level ancestor (itself for a function)."""
    parent = {n["id"]: n.get("parent") for n in fw["nodes"]}
    level = {n["id"]: n["level"] for n in fw["nodes"]}
    out = {}
    for node in parent:
        n = node
        while n is not None and level[n] != fw["headline_level"]:
            n = parent[n]
        out[node] = n
    return out


def r2_of(X, y, subset):
    if not subset:
        return 0.0
    A = np.column_stack([np.ones(len(y))] + [X[:, j] for j in subset])
    beta, *_ = np.linalg.lstsq(A, y, rcond=None)
    resid = y - A @ beta
    centred = y - y.mean()
    return 1.0 - resid @ resid / (centred @ centred)


def lmg(X, y):
    p = X.shape[1]
    r2 = {S: r2_of(X, y, list(S)) for k in range(p + 1) for S in itertools.combinations(range(p), k)}
    imp = np.zeros(p)
    for j in range(p):
        others = [i for i in range(p) if i != j]
        for k in range(p):
            w = math.factorial(k) * math.factorial(p - k - 1) / math.factorial(p)
            for S in itertools.combinations(others, k):
                imp[j] += w * (r2[tuple(sorted(S + (j,)))] - r2[S])
    return r2[tuple(range(p))], imp


def scores(ins, fw, name):
    scales = ins["scales"]
    functions = [n["id"] for n in fw["nodes"] if n["level"] == fw["headline_level"]]
    top = function_of(fw)
    items = ins["items"]
    with open(os.path.join(FIX, name), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    cases = []
    for row in rows:
        values, answered = {}, 0
        for item in items:
            scale = scales[item["scale"]]
            cell = row[item["text"]].strip()
            labels = {p["label"].lower(): p["value"] for p in scale["points"]}
            missing = {m.lower() for m in scale.get("missing", [])}
            if cell.lower() in labels:
                v = labels[cell.lower()]
                lo = min(labels.values())
                hi = max(labels.values())
                values[item["id"]] = lo + hi - v if item.get("reverse") else v
                answered += 1
            elif cell.lower() in missing:
                answered += 1
        if answered * 2 < len(items):
            continue
        case = []
        for fn in functions:
            under = [i for i in items if not i.get("overall") and top[i["indicator"]] == fn]
            got = [values[i["id"]] for i in under if i["id"] in values]
            case.append(sum(got) / len(got) if got and len(got) * 2 >= len(under) else None)
        overall = [i for i in items if i.get("overall")][0]
        case.append(values.get(overall["id"]))
        if all(v is not None for v in case):
            cases.append(case)
    data = np.array(cases, dtype=float)
    return functions, data[:, :-1], data[:, -1]


def write_fixture():
    """Two waves of partners on the bundled instrument: answers driven by a disposition and a
    view per function; the overall rating leans on three functions; some blanks and N/As."""
    ins, fw = load()
    top = function_of(fw)
    rng = np.random.default_rng(20240623)
    weights = {"guide-vision": 0.2, "aligned-activities": 0.1, "shared-measurement": 0.5,
               "community-engagement": 0.0, "advance-policy": 0.3, "mobilize-funding": 0.1}
    roles = ins["attributes"][0]["options"]
    sectors = ins["attributes"][1]["options"]
    for wave, (name, n) in enumerate([("partners-2024.csv", 96), ("partners-2025.csv", 84)]):
        header = ["Respondent ID"] + [a["question"] for a in ins["attributes"]]
        header += [i["text"] for i in ins["items"]]
        out = [header]
        for r in range(n):
            disposition = rng.normal(0, 0.4)
            view = {fn: rng.normal(0, 0.5) for fn in weights}
            row = [f"p{wave}-{r:03d}", roles[rng.integers(len(roles))], sectors[rng.integers(len(sectors))]]
            for item in ins["items"]:
                scale = ins["scales"][item["scale"]]
                labels = {p["value"]: p["label"] for p in scale["points"]}
                if item.get("overall"):
                    latent = 3.2 + disposition + sum(w * view[f] for f, w in weights.items()) * 1.5
                else:
                    fn = top[item["indicator"]]
                    latent = 3.4 + disposition + view.get(fn, 0.0) + rng.normal(0, 0.6)
                latent += rng.normal(0, 0.4)
                v = int(min(5, max(1, round(latent))))
                if item.get("reverse"):
                    v = 6 - v
                u = rng.random()
                cell = "" if u < 0.04 else scale["missing"][0] if u < 0.09 else labels[v]
                row.append(cell)
            out.append(row)
        with open(os.path.join(FIX, name), "w", newline="", encoding="utf-8") as f:
            csv.writer(f, lineterminator="\n").writerows(out)


def main():
    if "--write" in sys.argv:
        write_fixture()
    ins, fw = load()
    print("// (wave, n, r2, [importance per function in framework order]) from drivers_reference.py")
    for wave, name in WAVES.items():
        functions, X, y = scores(ins, fw, name)
        r2, imp = lmg(X, y)
        print(f'("{wave}", {len(y)}, {float(r2)!r}, [{", ".join(repr(float(v)) for v in imp)}]),')
    print("// functions:", ", ".join(functions))
    attitude = np.loadtxt(os.path.join(FIX, "attitude.csv"), delimiter=",", skiprows=1)
    r2, imp = lmg(attitude[:, 1:], attitude[:, 0])
    print("// attitude: rating ~ complaints privileges learning raises critical advance")
    print(f"// r2 {float(r2)!r}, lmg {[round(float(v), 6) for v in imp]}")
    with open(os.path.join(FIX, "mtcars.csv"), newline="") as f:
        cars = np.array([[float(r[k]) for k in ("mpg", "am", "cyl", "carb")] for r in csv.DictReader(f)])
    r2, imp = lmg(cars[:, 1:], cars[:, 0])
    print(f"// mtcars: mpg ~ am cyl carb: r2 {float(r2)!r}, lmg {[round(float(v), 7) for v in imp]}")


if __name__ == "__main__":
    main()
