"""Runs every reference script in this folder and checks that each number it prints (with at
least 6 significant digits) is pasted into a Rust test: some numeric literal in tests/ or src/
equals it to 1e-12 (relative). A script and the values copied from it cannot drift apart.

Run: python3 tests/reference/check_pasted.py   (needs numpy, scipy, pandas; CI runs it)
A script may list numbers it prints only for a reader in SKIP_MARK lines: a printed line
starting with '#' or '//' is commentary and is not checked. Scripts named make_*.py write
fixtures and are not run.
"""
import pathlib
import re
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
NUMBER = re.compile(r"-?\d+\.\d+(?:[eE][-+]?\d+)?|-?\d+[eE][-+]?\d+")


def significant(text):
    mantissa = re.split(r"[eE]", text)[0].lstrip("-").replace(".", "").lstrip("0")
    return len(mantissa)


def literals():
    values = []
    for path in list((ROOT / "tests").rglob("*.rs")) + list((ROOT / "src").rglob("*.rs")):
        for match in NUMBER.finditer(path.read_text(encoding="utf-8")):
            values.append(float(match.group(0)))
    return sorted(values)


def pasted(value, values):
    import bisect

    tolerance = 1e-12 * max(abs(value), 1e-300)
    i = bisect.bisect_left(values, value - tolerance)
    return i < len(values) and abs(values[i] - value) <= tolerance


def main():
    values = literals()
    missing = 0
    # make_*.py write fixtures (with the writer's timestamp) rather than print expected values.
    scripts = sorted(
        p for p in HERE.glob("*.py") if p.name != pathlib.Path(__file__).name and not p.name.startswith("make_")
    )
    for script in scripts:
        run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=ROOT)
        if run.returncode != 0:
            print(f"{script.name}: failed\n{run.stderr}")
            missing += 1
            continue
        checked = 0
        for line in run.stdout.splitlines():
            if line.lstrip().startswith(("#", "//")):
                continue
            for match in NUMBER.finditer(line):
                if significant(match.group(0)) < 6:
                    continue
                checked += 1
                if not pasted(float(match.group(0)), values):
                    missing += 1
                    print(f"{script.name}: {match.group(0)} printed but in no Rust test: {line.strip()}")
        print(f"{script.name}: {checked} numbers checked")
    if missing:
        print(f"{missing} printed values are not in the tests")
        sys.exit(1)


if __name__ == "__main__":
    main()
