"""A class of 500 generated students graded locally and on a two-worker Dask ``LocalCluster``.

The files mix right and wrong steps (the course's identities and its common mistakes), some
cannot be read (a NUL byte, Latin-1 bytes) and one is hostile (a tower of powers and TeX
primitives in its names). Both runs use the same time limit; the throughput is files per
second of wall time, the cluster's start excluded (a course starts its cluster once). The
two gradebooks and summaries must agree byte for byte.
"""

from __future__ import annotations

import os
import random
import shutil
import tempfile
import time
from pathlib import Path

FILES = 500
SECONDS = 5.0
WORKERS = 2
RIGHT = (
    r"(x+1)^2 = x^2 + 2x + 1",
    r"1 - \sigma(x) = \sigma(-x)",
    r"x + x = 2x",
    r"(a+b)(a-b) = a^2 - b^2",
    r"\frac{x^2 - 1}{x - 1} = x + 1",
    r"2 \cdot 3 + 4 = 10",
)
WRONG = (
    r"\sigma(-x) = \frac{1}{1+e^{-x}}",
    r"(a+1)^2 = a^2 + 1",
    r"\frac{1}{x+y} = \frac{1}{x} + \frac{1}{y}",
    r"(x-1)^2 = x^2 - 1",
    r"\sqrt{a + b} = \sqrt{a} + \sqrt{b}",
)
UNREADABLE = (b"a\x00b $$x = x$$\n", b"caf\xe9: $$x = x$$\n")


def hostile_sheet() -> str:
    """A number too large to build, then the sheet of TeX primitives the soundness suite uses."""
    from ..soundness.hostile import HOSTILE_SHEET

    return "$$9^{9^{9^{9}}} = 1$$\n\n" + HOSTILE_SHEET


def write_class(folder: Path, files: int = FILES, seed: int = 14) -> dict:
    """``files`` students in ``folder``: 3–6 steps each, one in 25 unreadable, one hostile."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    unreadable = 0
    for n in range(files):
        path = folder / f"s{n:04d}{'.tex' if n % 7 == 3 else '.md'}"
        if n == files // 2:
            path.write_text(hostile_sheet(), encoding="utf-8")
        elif n % 25 == 11:
            path.write_bytes(UNREADABLE[n % 2])
            unreadable += 1
        else:
            steps = [rng.choice(WRONG if rng.random() < 0.25 else RIGHT) for _ in range(3 + n % 4)]
            display = "\\[ {} \\]" if path.suffix == ".tex" else "$${}$$"
            path.write_text("\n\n".join(display.format(s) for s in steps) + "\n", "utf-8")
    return {"files": files, "unreadable": unreadable, "hostile": 1}


def measure(files: int = FILES) -> dict:
    """Grade the class on this machine's cores, then on the cluster; the throughput of each."""
    from distributed import LocalCluster

    from ..grading import grade

    cores = len(os.sched_getaffinity(0))
    base = Path(tempfile.mkdtemp(prefix="proofsheet-bench-grade-"))
    try:
        made = write_class(base / "class", files)
        local = _timed(lambda: grade(str(base / "class"), base / "local", jobs=cores, **_QUIET))
        start = time.perf_counter()
        with LocalCluster(
            n_workers=WORKERS, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster:
            started = time.perf_counter() - start
            address = cluster.scheduler_address
            dask = _timed(
                lambda: grade(str(base / "class"), base / "dask", cluster=address, **_QUIET)
            )
        same = all(
            (base / "local" / name).read_bytes() == (base / "dask" / name).read_bytes()
            for name in ("gradebook.csv", "summary.json")
        )
    finally:
        shutil.rmtree(base, ignore_errors=True)
    result = {
        **made,
        "seconds_per_step": SECONDS,
        "local": {"jobs": cores, **local},
        "cluster": {"workers": WORKERS, "start_seconds": round(started, 1), **dask},
        "identical": same,
    }
    for name, run in (("local, --jobs %d" % cores, local), ("LocalCluster, 2 workers", dask)):
        print(
            f"{'grade ' + name:32} {run['seconds']:7.1f} s  {run['files_per_second']:6.2f} files/s"
        )
    print(f"{'gradebooks byte-identical':32} {same}")
    return result


_QUIET = {"seconds": SECONDS, "show_progress": False}


def _timed(grade_class) -> dict:
    start = time.perf_counter()
    run = grade_class()
    seconds = time.perf_counter() - start
    return {
        "seconds": round(seconds, 1),
        "files_per_second": round(len(run.checked) / seconds, 2),
        "checked": len(run.checked),
    }
