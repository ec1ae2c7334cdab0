"""`make bench`: speed and memory figures, kept out of the unit tests.

Measures each derivation's proof time, the check of every student file among the test
fixtures (time per step), and a 1 000-step student file (time and peak memory), and writes
``build/bench.json``; then compares proofsheet with SymPy's ``simplify`` and Math-Verify on
the pair set (:mod:`proofsheet.soundness.peers`, ``build/bench-pairs.json``).
``python -m proofsheet.bench pairs`` runs the comparison alone.
"""

from __future__ import annotations

import importlib
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def peak_mib() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest child, in MiB."""
    self_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return self_kib / 1024, child_kib / 1024


def long_file(steps: int) -> str:
    """A student file of ``steps`` steps: σ identities, one wrong step in ten."""
    lines = []
    for n in range(steps):
        rhs = r"\sigma(-x_{%d})" % n if n % 10 else r"\sigma(x_{%d})" % n
        lines.append(r"$$1 - \sigma(x_{%d}) = %s$$" % (n, rhs))
    return "\n\n".join(lines) + "\n"


def student_files() -> list[Path]:
    """The student files among the test fixtures (Markdown and LaTeX, both languages)."""
    fixtures = ROOT / "tests" / "fixtures"
    return sorted(p for pattern in ("*.md", "*.tex") for p in fixtures.rglob(pattern))


def main(argv: list[str] | None = None) -> int:
    """Both parts (or ``pairs`` alone); 1 if either found a wrong verdict."""
    from .soundness import peers

    parts = sys.argv[1:] if argv is None else argv
    if parts not in ([], ["pairs"]):
        print("usage: python -m proofsheet.bench [pairs]", file=sys.stderr)
        return 2
    if parts == ["pairs"]:
        return peers.main()
    speed_status = speed()
    # a fresh process: SymPy's caches, warmed by the derivations, would flatter simplify's times
    command = [sys.executable, "-m", "proofsheet.bench", "pairs"]
    comparison = subprocess.run(command, cwd=ROOT, check=False)
    return comparison.returncode or speed_status


def speed() -> int:
    """The derivations, the student files and the 1 000-step file: ``build/bench.json``."""
    from derivations import ORDER
    from proofsheet.check.checker import check_text

    results: dict = {"derivations": {}}
    for name in ORDER:
        module = importlib.import_module(f"derivations.{name}")
        d, seconds = timed(module.derive)
        results["derivations"][d.id] = {"seconds": round(seconds, 2), "steps": len(d.steps)}
        print(f"{d.id:28} {len(d.steps):4} steps {seconds:7.2f} s")
    results["student_files"] = {}
    for path in student_files():
        report, seconds = timed(lambda p=path: check_text(p.read_text(encoding="utf-8")))
        steps = max(len(report.steps), 1)
        results["student_files"][path.name] = {
            "seconds": round(seconds, 2),
            "steps": len(report.steps),
            "ms_per_step": round(1000 * seconds / steps, 1),
        }
        print(
            f"{'check ' + path.name:28} {len(report.steps):4} steps {seconds:7.2f} s "
            f"({1000 * seconds / steps:.0f} ms a step)"
        )
    report, seconds = timed(lambda: check_text(long_file(1000)))
    own, child = peak_mib()
    results["thousand_steps"] = {
        "seconds": round(seconds, 1),
        "steps": len(report.steps),
        "refuted": report.count("refuted"),
        "peak_mib": round(own, 1),
        "peak_child_mib": round(child, 1),
    }
    print(
        f"{'check 1000-step file':28} {len(report.steps):4} steps {seconds:7.2f} s, "
        f"peak {own:.0f} MiB (largest search process {child:.0f} MiB)"
    )
    out = ROOT / "build"
    out.mkdir(exist_ok=True)
    (out / "bench.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0 if report.count("refuted") == 100 and report.count("verified") == 900 else 1


if __name__ == "__main__":
    sys.exit(main())
