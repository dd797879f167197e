"""Independent scores of the civic spending survey (tests/fixtures/own_survey), for
tests/starter.rs: what `backbone init --new` then `backbone run` must give, computed with pandas
from the exports alone and the scales' natural order, with no backbone code.

Rules applied, as the README states them: an answer is a point of its scale (too little 1,
about right 2, too much 3; very dissatisfied 1 ... very satisfied 5; never 1 ... always 5), a
missing answer ("Don't know": answered, never scored) or blank; a row is used when it answers
(point or missing) at least half of the 20 items (rules.min_answered = 0.5). Per wave and item:
n = the used rows answering with a point, mean = their mean code.

    pip install pandas && python3 tests/reference/init_new_reference.py
"""

import os

import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "fixtures", "own_survey")
SCALES = {
    "amount": ["Too little", "About right", "Too much"],
    "satisfied": ["Very dissatisfied", "Dissatisfied", "Neither satisfied nor dissatisfied", "Satisfied", "Very satisfied"],
    "often": ["Never", "Rarely", "Sometimes", "Often", "Always"],
}
MISSING = {"Don't know"}
SATISFIED = "How satisfied are you with your local government?"
OFTEN = "How often do you follow news about local government?"
JOIN = ": - "


def items(frame):
    """(column, statement, scale) of every item column."""
    out = []
    for column in frame.columns:
        if JOIN in column:
            out.append((column, column.split(JOIN)[-1], "amount"))
    out.append((SATISFIED, SATISFIED, "satisfied"))
    out.append((OFTEN, OFTEN, "often"))
    return out


def main():
    for year in (2022, 2024):
        frame = pd.read_csv(os.path.join(FIXTURES, f"civic-spending-{year}.csv"), dtype=str, keep_default_na=False)
        columns = items(frame)
        answered = sum(
            frame[c].str.strip().isin(SCALES[s] + list(MISSING)).astype(int) for c, _, s in columns
        )
        used = frame[answered >= 0.5 * len(columns)]
        print(f"// wave {year}: {len(frame)} rows, {len(used)} used")
        for column, text, scale in columns:
            codes = used[column].str.strip().map({label: k + 1 for k, label in enumerate(SCALES[scale])}).dropna()
            print(f'    ("{year}", "{text}", {len(codes)}, {float(codes.mean())!r}),')


if __name__ == "__main__":
    main()
