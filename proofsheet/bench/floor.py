"""Cold-run figures as ratios to the floor of any cold run, ``python -c "import sympy"``,
measured in the same run (medians of three, the builds and the suite once each)."""

from __future__ import annotations

import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .speed import ROOT, long_file

RUNS = 3


def wall(command: list[str], runs: int = RUNS) -> float:
    """The median wall time of ``command`` over ``runs`` runs (its output discarded)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def up_to_date_or(build: list[str]) -> str:
    """The shell command ``make proofs`` runs: the stamp's check, and the build if it fails."""
    check = [build[0], "-m", "proofsheet.sheet.stamp", *build[3:]]
    return f"{shlex.join(check)} || {shlex.join(build)}"


def measure(suite: bool = True) -> dict:
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        out, student = Path(tmp) / "build", Path(tmp) / "thousand.md"
        student.write_text(long_file(1000), encoding="utf-8")
        build = [python, "-m", "proofsheet.sheet.build", "--no-pdf", "--out", str(out)]
        rows = {
            "import sympy (the floor)": wall([python, "-c", "import sympy"]),
            "prove 1 - sigma(x) = sigma(-x)": wall(
                [python, "-m", "proofsheet.cli", "prove", "1 - sigma(x) = sigma(-x)"]
            ),
            "make proofs --no-pdf, cold": wall([*build, "--force"], runs=1),
            "make proofs --no-pdf, nothing changed": wall(["sh", "-c", up_to_date_or(build)]),
            "check, 1 000-step file": wall(
                [python, "-m", "proofsheet.cli", "check", str(student)], runs=1
            ),
        }
        if suite:
            suite = [python, "-m", "pytest", "-p", "no:cacheprovider", "-n", "auto"]
            rows["make test (pytest, the whole suite)"] = wall(
                [*suite, "--dist", "loadfile"], runs=1
            )
    floor = rows["import sympy (the floor)"]
    table = {
        name: {"seconds": round(s, 2), "ratio": round(s / floor, 1)} for name, s in rows.items()
    }
    thousand = rows["check, 1 000-step file"]
    table["check, 1 000-step file"]["ms_per_step"] = round(thousand, 1)  # s per 1 000 steps
    for name, row in table.items():
        print(f"{name:40} {row['seconds']:8.2f} s {row['ratio']:7.1f}x the floor")
    return table
