"""In-process speed: each derivation's proof time, the check of every student file among the
test fixtures (time per step), and a 1 000-step student file (time and peak memory)."""

from __future__ import annotations

import importlib
import resource
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


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


def measure() -> tuple[dict, bool]:
    """The derivations, the student files and the 1 000-step file; and whether the 1 000-step
    file got its 900 verified and 100 refuted steps."""
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
    return results, report.count("refuted") == 100 and report.count("verified") == 900
