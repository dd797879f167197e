"""Regenerates templates/README.md from the doc comments of the report model (src/report/model.rs and
the types it borrows). Run after changing the model: python3 templates/fields.py
tests/templates_doc.rs fails when a field of the model is missing from the README."""
import os
import re

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SOURCES = ["src/report/model.rs", "src/report/headline.rs", "src/report/comments.rs", "src/framework.rs", "src/instrument.rs", "src/weights/report.rs"]
ORDER = ["Report", "PageOne", "Action", "Point", "Move", "Part", "GroupGap", "GroupMove", "Ranked", "RankedLine", "Addressed",
         "Named", "FrameworkInfo", "Level", "Noun", "Share", "Band", "ScaleInfo", "OrientedPoint",
         "VerdictGroup", "VerdictLine", "NodeRow", "Cell", "Change", "ChangeLine", "OtherChange", "Driver",
         "DriverPart", "KeyDriverView", "KeyDriverRow", "ThemeView", "ThemeLine", "Section", "Account", "MixTable", "MixRow", "GroupTable", "GroupColumn", "GroupRow",
         "GroupDifference", "SelfGap", "SelfGapRow", "NodeQuestion", "OptionShare", "ReliabilityRow", "PanelRow", "Captions",
         "WeightsReport", "WeightedHeadline", "WeightedCell", "WeightedWave", "WeightedMix", "WeightedMixRow"]
HEADER = """# Templates

The reports are filled from one report model (`src/report/model.rs`), built once per run by
`src/report/mod.rs`. Three templates read it; each is plain text a non-programmer can edit:

- `report.html.j2` (minijinja, the model as `r`, the charts' SVG as `charts`): every value is
  HTML-escaped.
- `report.md.j2` (minijinja, the model as `r`): every value is escaped for Markdown (and line
  breaks folded), so survey text cannot break a table; `join` escapes like any value.
- `brief.typ` (typst; the model as JSON in `inputs.report`, the charts as SVG in
  `inputs.scorecard`, `inputs.trend`, `inputs.distribution`, `inputs.groups-<attribute>`, `inputs.gap-<n>` for the n-th of `self_gaps` and `inputs.gap-<n>-headline`, its headline nodes only):
  strings from JSON are set as text, never as markup. A config can replace it
  (`report.brief_template`).

Nothing a framework, instrument or config decides is written in a template: titles, level names,
scale ranges and labels, confidence level, thresholds, bands and who answered are fields below.
Verdicts (`verdict`) are one of `improved`, `declined`, `no_reliable_change`, `too_small` (q below alpha, effect below the
configured size), `not_tested`;
`word` says the same in words. An *optional* field is `none` (minijinja) or `none`/`null`
(typst) when absent.

Every field the templates can read, type by type. This file is generated from the model's doc
comments by `python3 templates/fields.py`; tests/templates_doc.rs checks that every field of the
sample's model is listed here.
"""


def structs():
    found = {}
    for path in SOURCES:
        text = open(os.path.join(ROOT, path)).read()
        pattern = r"((?:[ \t]*///[^\n]*\n)*)(?:#\[[^\n]*\]\n)*pub struct (\w+)[^{;(]*\{(.*?)\n\}"
        for m in re.finditer(pattern, text, re.S):
            doc = " ".join(l.strip()[3:].strip() for l in m.group(1).splitlines())
            fields, pending, skip = [], [], False
            for line in m.group(3).splitlines():
                t = line.strip()
                if t.startswith("///"):
                    pending.append(t[3:].strip())
                elif t.startswith("#[serde(skip)]"):
                    skip = True
                elif t.startswith("#["):
                    pass
                else:
                    f = re.match(r"pub (\w+): (.*),$", t)
                    if f and not skip:
                        fields.append((f.group(1), f.group(2), " ".join(pending)))
                    if f:
                        pending, skip = [], False
            found.setdefault(m.group(2), (doc, fields))
    return found


def kind(rust):
    return rust.replace("Option<", "optional ").replace("Vec<", "list of ").replace(">", "").replace("<", "")


def main():
    found = structs()
    out = [HEADER]
    for name in ORDER:
        doc, fields = found[name]
        out += [f"## `{name}`", ""]
        if doc:
            out += [doc, ""]
        out += ["| field | type | what it is |", "|---|---|---|"]
        out += [f"| `{f}` | {kind(t)} | {d.replace('|', '/')} |" for f, t, d in fields]
        out.append("")
    with open(os.path.join(ROOT, "templates", "README.md"), "w") as f:
        f.write("\n".join(out))


main()
