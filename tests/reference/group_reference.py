"""Writes the group-difference fixture (tests/fixtures/groups/) and prints what scipy makes of it:
for each area and each team, the team against everyone else in the wave by Welch's t-test
(scipy.stats.ttest_ind, equal_var=False), Hedges' g, and Benjamini-Hochberg q over the family of
one wave x attribute x level (here: 2 areas x 2 teams), and the difference team - rest with its
95% Welch interval. Not backbone's code.

Run: python3 tests/reference/group_reference.py   (needs scipy)
"""
import os
import random
from statistics import mean, stdev

from scipy import stats

FIX = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "groups")
ITEMS = {"a1": "Meetings start on time.", "a2": "Agendas arrive early.",
         "b1": "I hear back within a week.", "b2": "Emails get answered."}
AREAS = {"timeliness": ["a1", "a2"], "responsiveness": ["b1", "b2"]}
LABELS = ["Never", "Rarely", "Sometimes", "Often", "Always"]


def write():
    rng = random.Random(20261129)
    rows = []
    for i in range(46):
        team = "North" if i < 26 else "South"
        lift = {"North": 0.6, "South": -0.2}[team]
        answers = []
        for item in ITEMS:
            v = 3 + (lift if item.startswith("a") else 0.0) + rng.gauss(0, 0.9)
            answers.append(min(5, max(1, round(v))))
        rows.append((team, answers))
    with open(os.path.join(FIX, "groups-2025.csv"), "w", newline="") as f:
        f.write("Which team are you on?," + ",".join(ITEMS.values()) + "\n")
        for team, answers in rows:
            f.write(team + "," + ",".join(LABELS[a - 1] for a in answers) + "\n")
    return rows


def hedges_g(a, b):
    na, nb = len(a), len(b)
    sp = (((na - 1) * stdev(a) ** 2 + (nb - 1) * stdev(b) ** 2) / (na + nb - 2)) ** 0.5
    return (1 - 3 / (4 * (na + nb) - 9)) * (mean(b) - mean(a)) / sp


rows = write()
keys = list(ITEMS)
results = []
for area, items in AREAS.items():
    scores = [(team, mean(answers[keys.index(i)] for i in items)) for team, answers in rows]
    for team in ["North", "South"]:
        inside = [s for t, s in scores if t == team]
        rest = [s for t, s in scores if t != team]
        t = stats.ttest_ind(inside, rest, equal_var=False)
        ci = t.confidence_interval(0.95)
        diff = mean(inside) - mean(rest)
        results.append((area, team, t.statistic, t.df, t.pvalue, hedges_g(rest, inside), diff, ci))
q = stats.false_discovery_control([r[4] for r in results], method="bh")
for (area, team, t, df, p, g, diff, ci), q in zip(results, q):
    values = [t, df, p, g, q, diff, ci.low, ci.high]
    print(f'("{area}", "{team}", [{", ".join(repr(float(v)) for v in values)}]),')
