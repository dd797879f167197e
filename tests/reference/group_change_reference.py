"""Prints what scipy makes of some groups' changes in the bundled sample: role x function
between the first and the last wave (2023 -> 2025), each group's scores as two independent
samples by Welch's t-test (scipy.stats.ttest_ind, equal_var=False) with its 95% interval, Hedges'
g, and Benjamini-Hochberg q (scipy.stats.false_discovery_control) over the family of one
attribute x pair of waves x level: every role group x every function. The answers are read from
tests/fixtures/plain/ (the bundled exports' answers without the platforms' layouts or emails);
rows are kept as backbone keeps them (at least half the statements answered,
a repeated respondent id once); a function's score is the mean of a respondent's valid answers to its items (reverse-worded
ones mirrored) when at least half of them are answered. Not backbone's code.

Run: python3 tests/reference/group_change_reference.py   (needs scipy)
"""
import csv
import os
import tomllib
from statistics import mean, stdev

from scipy import stats

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
ROLE = "Which best describes your main role in the initiative?"
SHOWN = [("Steering committee member", "advance-policy"), ("Funder", "advance-policy"),
         ("Backbone staff", "advance-policy"), ("Community partner", "shared-measurement")]

with open(os.path.join(ROOT, "indicators", "fsg-partner-survey.instrument.toml"), "rb") as f:
    instrument = tomllib.load(f)
with open(os.path.join(ROOT, "indicators", "fsg-backbone.framework.toml"), "rb") as f:
    framework = tomllib.load(f)
parent = {n["id"]: n.get("parent") for n in framework["nodes"]}
functions = [n["id"] for n in framework["nodes"] if n["level"] == "function"]
scale = instrument["scales"]["agree5"]
value = {p["label"].lower(): p["value"] for p in scale["points"]}
roles = next(a for a in instrument["attributes"] if a["id"] == "role")["options"]


def function_of(node):
    while parent.get(node):
        node = parent[node]
    return node


def used(rows, column):
    """The rows kept: at least half the statements answered (a scale point or N/A), and of a
    repeated respondent id the last row only."""
    asked = [column[i["text"]] for i in instrument["items"] if i["text"] in column]
    answers = set(value) | {m.lower() for m in scale["missing"]}
    kept = [r for r in rows if sum(r[c].strip().lower() in answers for c in asked) >= 0.5 * len(asked)]
    if "Respondent ID" not in column:
        return kept
    last = {r[column["Respondent ID"]]: i for i, r in enumerate(kept)}
    return [r for i, r in enumerate(kept) if last[r[column["Respondent ID"]]] == i]


def scores(year):
    """(role, function) -> the respondents' function scores, in file order."""
    path = os.path.join(ROOT, "tests", "fixtures", "plain", f"riverbend-{year}.csv")
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    column = {text: c for c, text in enumerate(rows[0])}
    rows = used(rows[1:], column)
    out = {}
    for fn in functions:
        items = [i for i in instrument["items"]
                 if "indicator" in i and function_of(i["indicator"]) == fn and i["text"] in column]
        for row in rows:
            answers = []
            for i in items:
                text = row[column[i["text"]]].strip().lower()
                if text in value:
                    answers.append(6 - value[text] if i.get("reverse") else value[text])
            if answers and len(answers) >= 0.5 * len(items):
                out.setdefault((row[column[ROLE]], fn), []).append(mean(answers))
    return out


def hedges_g(a, b):
    na, nb = len(a), len(b)
    sp = (((na - 1) * stdev(a) ** 2 + (nb - 1) * stdev(b) ** 2) / (na + nb - 2)) ** 0.5
    return (1 - 3 / (4 * (na + nb) - 9)) * (mean(b) - mean(a)) / sp


first, last = scores(2023), scores(2025)
family = []
for fn in functions:
    for role in roles:
        a, b = first.get((role, fn), []), last.get((role, fn), [])
        if len(a) >= 5 and len(b) >= 5:
            t = stats.ttest_ind(b, a, equal_var=False)
            ci = t.confidence_interval(0.95)
            family.append((role, fn, mean(a), mean(b), t.statistic, t.df, t.pvalue, ci.low, ci.high, hedges_g(a, b)))
q = stats.false_discovery_control([r[6] for r in family], method="bh")
print(f"# family of {len(family)} tests")
for row, q in zip(family, q):
    if (row[0], row[1]) in SHOWN:
        values = ", ".join(repr(float(v)) for v in row[2:] + (q,))
        print(f'("{row[0]}", "{row[1]}", [{values}]),')
