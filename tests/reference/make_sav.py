"""Writes the SPSS fixture (tests/fixtures/sav/): for two waves of the Riverbend partner survey
(from tests/fixtures/plain/), a plain CSV export and an SPSS file holding the same answers the
way SurveyMonkey's and Qualtrics' SPSS downloads do: numeric codes with value labels (the
scale's labels, the attributes' options), the question texts as variable labels, an
identifying variable (an e-mail address), and "Don't know / Not applicable" as the code -99,
declared user-missing and labelled "No basis to judge" (a label the instrument does not list,
so only the declaration makes it N/A). The 2023 wave is a .sav whose variable Q5 has no label
(matched by its name through riverbend-2023.mapping.toml); the 2024 wave is a .zsav whose
file label names SurveyMonkey. The source's few answers that match no scale label are left
blank in both files: a numeric SPSS variable cannot hold them.

Run: python3 tests/reference/make_sav.py   (needs pyreadstat and pandas)
"""
import csv
import os
import tomllib

import pandas as pd
import pyreadstat

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
OUT = os.path.join(ROOT, "tests", "fixtures", "sav")
NA_CODE = -99.0

with open(os.path.join(ROOT, "indicators", "fsg-partner-survey.instrument.toml"), "rb") as f:
    INSTRUMENT = tomllib.load(f)
ITEMS = {i["text"]: INSTRUMENT["scales"][i["scale"]] for i in INSTRUMENT["items"]}
ATTRIBUTES = {a["question"]: a["options"] for a in INSTRUMENT["attributes"]}


def write(wave, unlabelled=None, file_label=None):
    with open(os.path.join(ROOT, "tests", "fixtures", "plain", f"riverbend-{wave}.csv"), newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    header, data = rows[0], rows[1:]
    header = header + ["Email Address"]
    data = [r + [f"partner{i + 1}@example.org"] for i, r in enumerate(data)]
    columns, names, labels, value_labels, missing = {}, [], {}, {}, {}
    csv_rows = [list(r) for r in data]
    question = 0
    for c, text in enumerate(header):
        cells = [r[c] for r in data]
        if text in ITEMS:
            question += 1
            name = f"Q{question}"
            scale = ITEMS[text]  # the item's own scale (the overall rating has another)
            points = {p["label"]: float(p["value"]) for p in scale["points"]}
            na = (scale.get("missing") or [None])[0]
            codes = []
            for r, cell in enumerate(cells):
                if cell in points:
                    codes.append(points[cell])
                elif cell == na:
                    codes.append(NA_CODE)
                else:  # blank, or an answer no scale label matches: blank in both files
                    codes.append(float("nan"))
                    csv_rows[r][c] = ""
            columns[name] = codes
            value_labels[name] = {**{v: k for k, v in points.items()}, NA_CODE: "No basis to judge"}
            missing[name] = [NA_CODE]
        elif text in ATTRIBUTES:
            name = "role" if "role" in text else "sector"
            options = ATTRIBUTES[text]
            columns[name] = [float(options.index(cell) + 1) if cell else float("nan") for cell in cells]
            value_labels[name] = {float(k + 1): o for k, o in enumerate(options)}
        elif text == "Respondent ID":
            name = "respondent_id"
            columns[name] = cells
        else:
            name = "email"
            columns[name] = cells
        names.append(name)
        if name != unlabelled:
            labels[name] = text
    frame = pd.DataFrame(columns)[names]
    with open(os.path.join(OUT, f"riverbend-{wave}.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(csv_rows)
    zsav = file_label is not None
    pyreadstat.write_sav(
        frame,
        os.path.join(OUT, f"riverbend-{wave}.{'zsav' if zsav else 'sav'}"),
        column_labels=[labels.get(n) for n in names],
        variable_value_labels=value_labels,
        missing_ranges=missing,
        file_label=file_label,
        compress=zsav,
    )
    print(wave, len(data), "rows,", question, "items,", sum(c == NA_CODE for n in columns if n.startswith("Q") for c in columns[n]), "user-missing codes")


write("2023", unlabelled="Q5")
write("2024", file_label="Riverbend partner survey 2024 (SurveyMonkey)")
