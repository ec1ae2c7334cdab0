"""``python -m proofsheet.bench [PART ...]``: the parts named in :mod:`proofsheet.bench`."""

from __future__ import annotations

import json
import subprocess
import sys

from . import floor, grading, scaling, speed, steps

PARTS = ("speed", "floor", "scaling", "grade", "pairs", "steps")
#: parts run each in a fresh process, so that caches the others warmed flatter no baseline
FRESH = ("pairs", "steps")


def main(argv: list[str] | None = None) -> int:
    """The parts asked for (all by default); 1 if any found a wrong verdict, 2 on bad usage."""
    from ..soundness import peers

    parts = list(sys.argv[1:] if argv is None else argv) or list(PARTS)
    if not set(parts) <= set(PARTS):
        print(f"usage: python -m proofsheet.bench [{'] ['.join(PARTS)}]", file=sys.stderr)
        return 2
    if parts == ["pairs"]:
        return peers.main()
    if parts == ["steps"]:
        return steps.main()
    results, status = {}, 0
    if "speed" in parts:
        results["speed"], ok = speed.measure()
        status |= not ok
    if "scaling" in parts:
        results["scaling"] = scaling.measure()
        scaling.plot(results["scaling"], speed.ROOT / "build" / "figures" / "bench-scaling.svg")
        status |= any(r["status"] != "verified" for r in results["scaling"]["depths"])
    if "floor" in parts:
        results["floor"] = floor.measure()
    if "grade" in parts:
        results["grade"] = grading.measure()
        status |= not results["grade"]["identical"] or bool(results["grade"]["disagree"])
    out = speed.ROOT / "build"
    out.mkdir(exist_ok=True)
    (out / "bench.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    for part in (p for p in FRESH if p in parts):  # a fresh process (the package's docstring)
        command = [sys.executable, "-m", "proofsheet.bench", part]
        status |= subprocess.run(command, cwd=speed.ROOT, check=False).returncode
    return int(status)


if __name__ == "__main__":
    sys.exit(main())
