"""Prints the AAPOR counts of the bundled 2023 wave (the same answers as the plain fixture
tests/fixtures/plain/riverbend-2023.csv): rows used (at least rules.min_answered = 50% of the
items answered, a repeated respondent id counted once), complete responses (at least
report.complete_at = 80% answered, a scale point or N/A) and the complete share of the used
rows. Not backbone's code.

Run: python3 tests/reference/response_rates.py
"""
import csv
import os
import tomllib

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
with open(os.path.join(ROOT, "indicators", "fsg-partner-survey.instrument.toml"), "rb") as f:
    instrument = tomllib.load(f)
scale = instrument["scales"]["agree5"]
answers = {p["label"].lower() for p in scale["points"]} | {m.lower() for m in scale["missing"]}
items = {i["text"] for i in instrument["items"]}
with open(os.path.join(ROOT, "tests", "fixtures", "plain", "riverbend-2023.csv"), newline="", encoding="utf-8-sig") as f:
    rows = list(csv.reader(f))
columns = [c for c, h in enumerate(rows[0]) if h in items]
latest = {}  # respondent id -> share answered of its last row
for row in rows[1:]:
    share = sum(row[c].strip().lower() in answers for c in columns) / len(columns)
    if share >= 0.5:
        latest[row[0]] = share
used = len(latest)
complete = sum(share >= 0.8 for share in latest.values())
print(f"used {used}, complete {complete}, complete share {100 * complete / used:.1f}%, RR1 {100 * complete / 240:.1f}% of 240 invited")
