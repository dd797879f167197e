#!/usr/bin/env python3
"""Counts and cross-checks for the framework and instrument TOML files in indicators/.

For each *.framework.toml: nodes per level and per tag, checked against the counts the source
documents give (EXPECTED below). For each *.instrument.toml: every item's indicator is a node of
its framework, every item's scale is defined, item ids and texts are unique (texts compared as the
engine does: case, spacing and curly quotes ignored), favourable values are points of their scale,
and which leaf nodes have no item (reported; an error only for instruments in FULL_COVERAGE).
Also checks field names against the schema (with the notes / tags / properties extensions).

Run from anywhere: python3 tests/reference/framework_counts.py [indicators-dir]
Exit status 1 if any check fails.
"""

import re
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Counts per level (and per tag) as the source documents give them.
EXPECTED = {
    "fsg-backbone": {"levels": {"function": 6, "outcome": 3, "indicator": 39}},
    "influence": {"levels": {"source": 6, "dimension": 14}},
    "leader-competencies": {"levels": {"competency": 14}, "tags": {"trait": 4, "trainable": 10}},
    "skill-sets": {"levels": {"skill-set": 6}},
    "mindset-shifts": {"levels": {"shift": 3}},
    "function-categories": {"levels": {"category": 4, "capacity": 23}},
}

# Instruments that must have at least one item on every leaf node of their framework.
FULL_COVERAGE = {
    "fsg-partner-survey",
    "influence-survey",
    "leader-competencies-survey",
    "skill-sets-survey",
    "mindset-shifts-survey",
    "function-categories-survey",
}

FRAMEWORK_KEYS = {"id", "name", "title", "source", "headline_level", "levels", "nodes", "notes", "bands"}
LEVEL_KEYS = {"id", "label", "plural"}
NODE_KEYS = {
    "id", "level", "label", "parent", "description", "activities", "tags", "properties", "direction",
}
INSTRUMENT_KEYS = {"id", "name", "framework", "frameworks", "intro", "respondents", "scales", "attributes", "items", "comments"}
SCALE_KEYS = {"label", "points", "favourable", "missing", "best_first"}
POINT_KEYS = {"value", "label", "aliases"}
ITEM_KEYS = {"id", "indicator", "framework", "text", "scale", "reverse", "code", "overall", "audience"}
ATTRIBUTE_KEYS = {"id", "question", "options", "label", "self_rating", "about", "beside"}
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
TAG = re.compile(r"^[a-z][a-z0-9-]*$")

errors = []


def fail(where, message):
    errors.append(f"{where}: {message}")


def unknown_keys(where, table, allowed):
    extra = set(table) - allowed
    if extra:
        fail(where, f"unknown field(s) {sorted(extra)}")


def normalize(text):
    text = text.replace("\u2018", "'").replace("\u2019", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.split()).lower()


def load(path):
    with open(path, "rb") as f:
        return tomllib.load(f)


def check_framework(path):
    fw = load(path)
    name = path.name
    unknown_keys(name, fw, FRAMEWORK_KEYS)
    level_ids = [l["id"] for l in fw["levels"]]
    for level in fw["levels"]:
        unknown_keys(f"{name} level {level.get('id')}", level, LEVEL_KEYS)
    if fw["headline_level"] not in level_ids:
        fail(name, f"headline_level {fw['headline_level']!r} is not a declared level")
    ids = Counter(n["id"] for n in fw["nodes"])
    for node_id, count in ids.items():
        if count > 1:
            fail(name, f"node id {node_id!r} used {count} times")
    nodes = {n["id"]: n for n in fw["nodes"]}
    for n in fw["nodes"]:
        where = f"{name} node {n['id']}"
        unknown_keys(where, n, NODE_KEYS)
        if n["level"] not in level_ids:
            fail(where, f"undeclared level {n['level']!r}")
        parent = n.get("parent")
        if parent is not None:
            if parent not in nodes:
                fail(where, f"parent {parent!r} does not exist")
            elif not n["id"].startswith(parent + "."):
                fail(where, f"id does not start with its parent's id {parent!r}")
        for tag in n.get("tags", []):
            if not TAG.match(tag):
                fail(where, f"tag {tag!r} is not short lowercase")
        for key, value in n.get("properties", {}).items():
            if not SNAKE.match(key):
                fail(where, f"property key {key!r} is not snake_case")
            ok = isinstance(value, str) or (
                isinstance(value, list) and all(isinstance(v, str) for v in value)
            )
            if not ok:
                fail(where, f"property {key!r} is neither text nor a list of text")
    used_levels = {n["level"] for n in fw["nodes"]}
    for level in level_ids:
        if level not in used_levels:
            fail(name, f"level {level!r} has no nodes")
    for n in fw["nodes"]:
        if n.get("direction") not in (None, "higher_is_better", "lower_is_better"):
            fail(f"{name} node {n['id']}", f"direction {n['direction']!r} is not higher_is_better or lower_is_better")
    parents = {n.get("parent") for n in fw["nodes"]}
    leaves = [n["id"] for n in fw["nodes"] if n["id"] not in parents]
    return fw, nodes, leaves


def report_framework(fw, leaves):
    per_level = Counter(n["level"] for n in fw["nodes"])
    per_tag = Counter(t for n in fw["nodes"] for t in n.get("tags", []))
    levels = ", ".join(f"{per_level[l['id']]} {l['plural'].lower()}" for l in fw["levels"])
    print(f"framework {fw['id']}: {levels}; {len(leaves)} leaves")
    if per_tag:
        print("  tags: " + ", ".join(f"{t} {c}" for t, c in sorted(per_tag.items())))
    expected = EXPECTED.get(fw["id"])
    if expected is None:
        print("  (no expected counts recorded)")
        return
    for level, count in expected.get("levels", {}).items():
        if per_level[level] != count:
            fail(fw["id"], f"{per_level[level]} nodes at level {level!r}, expected {count}")
    for tag, count in expected.get("tags", {}).items():
        if per_tag[tag] != count:
            fail(fw["id"], f"{per_tag[tag]} nodes tagged {tag!r}, expected {count}")


def check_instrument(path, frameworks):
    ins = load(path)
    name = path.name
    unknown_keys(name, ins, INSTRUMENT_KEYS)
    # One framework, or several combined (node ids must then differ across them).
    files = ([ins["framework"]] if "framework" in ins else []) + ins.get("frameworks", [])
    nodes, leaves, ids = {}, [], []
    for file in files:
        fw_path = (path.parent / file).resolve()
        if fw_path not in frameworks:
            fail(name, f"framework file {file!r} not found or not loaded")
            return
        one, its_nodes, its_leaves = frameworks[fw_path]
        for node_id in its_nodes:
            if node_id in nodes:
                fail(name, f"node {node_id!r} is defined by two of its frameworks")
        nodes.update(its_nodes)
        leaves += its_leaves
        ids.append(one["id"])
    fw = {"id": "+".join(ids)}
    scales = ins["scales"]
    for sid, scale in scales.items():
        where = f"{name} scale {sid}"
        unknown_keys(where, scale, SCALE_KEYS)
        for point in scale["points"]:
            unknown_keys(f"{where} point {point.get('value')}", point, POINT_KEYS)
        if len(scale["points"]) > 11:
            fail(where, "has more than 11 points")
        if not scale["favourable"]:
            fail(where, "has no favourable points")
        values = [p["value"] for p in scale["points"]]
        if len(values) < 2 or len(set(values)) != len(values):
            fail(where, "needs at least two points with distinct values")
        labels = [normalize(p["label"]) for p in scale["points"]]
        if len(set(labels)) != len(labels):
            fail(where, "point labels repeat")
        for v in scale["favourable"]:
            if v not in values:
                fail(where, f"favourable value {v} is not a point")
    for attr in ins.get("attributes", []):
        unknown_keys(f"{name} attribute {attr.get('id')}", attr, ATTRIBUTE_KEYS)
        if "about" in attr and attr["about"] not in nodes:
            fail(f"{name} attribute {attr['id']}", f"is about {attr['about']!r}, which is not a node")
    items = ins["items"]
    for key, label in (("id", "item id"), ("text", "item text")):
        seen = Counter(normalize(i[key]) if key == "text" else i[key] for i in items)
        for value, count in seen.items():
            if count > 1:
                fail(name, f"{label} {value!r} used {count} times")
    covered = set()
    for item in items:
        where = f"{name} item {item['id']}"
        unknown_keys(where, item, ITEM_KEYS)
        if item.get("overall"):
            # The overall rating is tied to no node (the outcome of the key-driver analysis).
            if "indicator" in item:
                fail(where, "an overall item names an indicator")
        elif item["indicator"] not in nodes:
            fail(where, f"indicator {item['indicator']!r} is not a node of {fw['id']}")
        else:
            covered.add(item["indicator"])
        if item["scale"] not in scales:
            fail(where, f"scale {item['scale']!r} is not defined")
    def ancestry(node_id):
        chain = []
        while node_id in nodes and node_id not in chain:
            chain.append(node_id)
            node_id = nodes[node_id].get("parent")
        return chain

    def span(scale_id):
        values = [p["value"] for p in scales[scale_id]["points"]]
        return (min(values), max(values))

    ranges = {}
    for item in items:
        if item.get("indicator") in nodes and item["scale"] in scales:
            for node_id in ancestry(item["indicator"]):
                ranges.setdefault(node_id, set()).add(span(item["scale"]))
    for node_id, spans in ranges.items():
        if len(spans) > 1:
            fail(name, f"node {node_id!r} would average items on scales of different ranges {sorted(spans)}")
    uncovered = [l for l in leaves if l not in covered]
    reverse = sum(1 for i in items if i.get("reverse"))
    by_level = Counter(nodes[i["indicator"]]["level"] for i in items if i.get("indicator") in nodes)
    levels = ", ".join(f"{c} on {l}" for l, c in by_level.items())
    print(f"instrument {ins['id']} ({fw['id']}): {len(items)} items ({levels}), {reverse} reverse, "
          f"{len(leaves) - len(uncovered)}/{len(leaves)} leaves covered")
    if uncovered:
        if ins["id"] in FULL_COVERAGE:
            fail(name, f"leaves without an item: {uncovered}")
        else:
            print(f"  leaves without an item: {len(uncovered)}")


def main():
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "indicators"
    frameworks = {}
    for path in sorted(folder.glob("*.framework.toml")):
        try:
            fw, nodes, leaves = check_framework(path)
        except (tomllib.TOMLDecodeError, KeyError) as e:
            fail(path.name, f"cannot load: {e!r}")
            continue
        frameworks[path.resolve()] = (fw, nodes, leaves)
        report_framework(fw, leaves)
    for path in sorted(folder.glob("*.instrument.toml")):
        try:
            check_instrument(path, frameworks)
        except (tomllib.TOMLDecodeError, KeyError) as e:
            fail(path.name, f"cannot load: {e!r}")
    if errors:
        print(f"\n{len(errors)} problem(s):")
        for e in errors:
            print("  " + e)
        sys.exit(1)
    print("\nall checks passed")


if __name__ == "__main__":
    main()
