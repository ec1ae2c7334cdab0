"""`make bench`: speed and memory figures, kept out of the unit tests.

Measures each derivation's proof time, the check of the transcribed A2
sheet, and a 1 000-step student file (time and peak memory), and writes
``build/bench.json``.
"""

from __future__ import annotations

import importlib
import json
import resource
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


def main() -> int:
    from derivations import ORDER
    from proofsheet.check.checker import check_text

    results: dict = {"derivations": {}}
    for name in ORDER:
        module = importlib.import_module(f"derivations.{name}")
        d, seconds = timed(module.derive)
        results["derivations"][d.id] = {"seconds": round(seconds, 2), "steps": len(d.steps)}
        print(f"{d.id:28} {len(d.steps):4} steps {seconds:7.2f} s")
    sheet = (ROOT / "tests" / "fixtures" / "a2_student.md").read_text(encoding="utf-8")
    report, seconds = timed(lambda: check_text(sheet))
    results["a2_sheet"] = {"seconds": round(seconds, 2), "steps": len(report.steps)}
    print(f"{'check A2 sheet':28} {len(report.steps):4} steps {seconds:7.2f} s")
    results["students"] = {}
    for path in sorted((ROOT / "tests" / "fixtures" / "students").glob("*.*")):
        text = path.read_text(encoding="utf-8")
        report, seconds = timed(lambda text=text: check_text(text))
        per_step = 1000 * seconds / max(len(report.steps), 1)
        results["students"][path.name] = {"seconds": round(seconds, 2), "steps": len(report.steps)}
        print(
            f"{'check ' + path.name:28} {len(report.steps):4} steps {seconds:7.2f} s, "
            f"{per_step:.0f} ms per step"
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
