"""Independent reference for tests/matching.rs: reads the real exports in tests/fixtures/real
with Python's csv module, without any of backbone's code, and prints the expected values.

Run: python3 tests/reference/real_exports_reference.py

Rules implemented here from the README and the fixtures' instruments, not from the Rust code:
- No_Basis_for_Evaluation (Qualtrics): Q3_k and Q4_k are separate items (the columns named by
  their first header row); codes 1..3 run best-first (1 = Like), so a score is 4 - code; -1 and
  -2 are "not applicable"; blank is unanswered. A question's score per respondent is the mean
  of its items answered on the scale, kept when at least half of its items are; every row
  answers, so all 15 are used.
- MIDWEST (SurveyMonkey, one column per option): the identify question is columns 3-6 (1-based),
  an answer is the one option whose cell is filled; "A lot" = 4 ... "Not at all" = 1. Gender is
  columns 28-29. A row with two options of one question filled is not used for that question
  (item: unanswered, so the row, whose only item it is, is skipped; attribute: not stated).
- The "ticked twice" variant: on data rows r (0-based) with r % 100 == 7 the "A lot" cell is
  filled too; on rows with r % 250 == 3 both gender cells are filled.
"""
import csv
import os
from statistics import mean

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "..", "fixtures", "real")


def rows(name, header_rows):
    with open(os.path.join(FIX, name), newline="", encoding="utf-8-sig") as f:
        data = list(csv.reader(f))
    return data[0], data[header_rows:]


def vegetables(name, header_rows):
    ids, body = rows(name, header_rows)
    print(f"{name}: {len(body)} rows")
    for q in ("Q3", "Q4"):
        per_row = []
        for k in range(1, 5):
            col = ids.index(f"{q}_{k}")
            cells = [r[col].strip() for r in body]
            valid = [4 - int(c) for c in cells if c in ("1", "2", "3")]
            na = sum(1 for c in cells if c in ("-1", "-2"))
            print(f"  item {q}_{k}: n={len(valid)} mean={mean(valid)!r} n_na={na}")
            per_row.append(cells)
        scores = []
        for cells in zip(*per_row):
            valid = [4 - int(c) for c in cells if c in ("1", "2", "3")]
            if valid and len(valid) * 2 >= len(cells):
                scores.append(mean(valid))
        print(f"  node {q}: n={len(scores)} mean={mean(scores)!r}")


POINTS = {"A lot": 4, "Some": 3, "Not much": 2, "Not at all": 1}


def midwest(body, sub):
    answers, several, used = [], 0, 0
    gender = {"Male": 0, "Female": 0, "Not stated": 0}
    for r in body:
        ticked = [sub[c] for c in range(2, 6) if r[c].strip()]
        g = [sub[c] for c in (27, 28) if r[c].strip()]
        if len(ticked) > 1:
            several += 1
        if len(g) > 1:
            several += 1
        if len(ticked) != 1:
            continue  # its only item unanswered: the row is not used
        used += 1
        answers.append(POINTS[ticked[0]])
        gender[g[0] if len(g) == 1 else "Not stated"] += 1
    counts = [answers.count(v) for v in (1, 2, 3, 4)]
    print(f"  used={used} several={several} n={len(answers)} mean={mean(answers)!r} counts(1..4)={counts} gender={gender}")


if __name__ == "__main__":
    vegetables("No_Basis_for_Evaluation_Insights.csv", 3)
    vegetables("No_Basis_for_Evaluation_Legacy.csv", 2)
    with open(os.path.join(FIX, "MIDWEST.csv"), newline="", encoding="utf-8") as f:
        data = list(csv.reader(f))
    sub, body = data[1], data[2:]
    print("MIDWEST.csv as exported:")
    midwest(body, sub)
    for i, r in enumerate(body):
        if i % 100 == 7:
            r[2] = "A lot"
        if i % 250 == 3:
            r[27], r[28] = "Male", "Female"
    print("MIDWEST.csv ticked twice:")
    midwest(body, sub)
