"""Independent counts for tests/suite/comments.rs: reads the held-out two-wave export with an
open question (tests/fixtures/comments/) and its codebook, matches keywords with its own
re/unicodedata folding, and prints per wave x (whole wave | team group) x theme the comments
with the theme, the non-empty and uncoded comments and the share; on 2025's whole-wave rows
scipy.stats.fisher_exact's two-sided p against 2024 and a hand-written Benjamini-Hochberg q.
Rows follow the engine's rule of use: every data row answers all four items, so all are used."""
import csv
import pathlib
import re
import tomllib
import unicodedata

from scipy.stats import fisher_exact

HERE = pathlib.Path(__file__).resolve().parent
FIX = HERE.parent / "fixtures" / "comments"
SPELT = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d"}


def fold(text):
    text = "".join(SPELT.get(c, c) for c in text.lower())
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", " ", text).split()


def pattern(keyword):
    prefix = keyword.endswith("*")
    words = fold(keyword.rstrip("*"))
    body = r"\s".join(re.escape(w) for w in words)
    return re.compile(r"(?:^|\s)" + body + (r"\w*" if prefix else "") + r"(?:\s|$)")


def themes_of(text, codebook):
    folded = " ".join(fold(text))
    return {t["id"] for t in codebook if any(pattern(k).search(folded) for k in t["keywords"])}


def bh(ps):
    m = len(ps)
    order = sorted(range(m), key=lambda i: ps[i])
    q = [0.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, ps[i] * m / rank)
        q[i] = running
    return q


def main():
    codebook = tomllib.loads((FIX / "comments.codebook.toml").read_text(encoding="utf-8"))["themes"]
    coded = {}
    for wave in ("2024", "2025"):
        with open(FIX / f"comments-{wave}.csv", encoding="utf-8") as f:
            rows = list(csv.reader(f))[1:]
        coded[wave] = [(r[0], themes_of(r[5], codebook) if fold(r[5]) else None) for r in rows]
    tests = []
    for t in codebook:
        def tally(wave):
            given = [c for _, c in coded[wave] if c is not None]
            with_t = sum(t["id"] in c for c in given)
            return with_t, len(given) - with_t
        a, b = tally("2025")
        c, d = tally("2024")
        tests.append(fisher_exact([[a, b], [c, d]]).pvalue)
    qs = bh(tests)
    print("# wave group theme comments nonempty uncoded share p q")
    for wave in ("2024", "2025"):
        for group in ("", "North", "South", "East"):
            given = [c for g, c in coded[wave] if (group == "" or g == group) and c is not None]
            uncoded = sum(1 for c in given if not c)
            for k, t in enumerate(codebook):
                n = sum(t["id"] in c for c in given)
                line = f'("{wave}", "{group}", "{t["id"]}", {n}, {len(given)}, {uncoded}, {n / len(given)!r}'
                if wave == "2025" and group == "":
                    line += f", {float(tests[k])!r}, {float(qs[k])!r}"
                print(line + "),")


if __name__ == "__main__":
    main()
