"""A class of 500 generated students graded locally and on a two-worker Dask ``LocalCluster``.

The files mix right and wrong steps (the course's identities and its common mistakes), some
cannot be read (a NUL byte, Latin-1 bytes) and one is hostile (a tower of powers and TeX
primitives in its names). Both runs use the same time limit; the throughput is files per
second of wall time, the cluster's start excluded (a course starts its cluster once). The
two gradebooks and summaries must agree byte for byte, and every row of the gradebook with
``proofsheet check FILE --json`` (:func:`agreement`: the command itself, ``cli.main``, in a
forked copy of this process a file, so no Python start a file and a hostile file stops
that copy only).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import random
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
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
        start = time.perf_counter()
        differ = agreement(base / "class", base / "local", cores)
        agree_seconds = time.perf_counter() - start
    finally:
        shutil.rmtree(base, ignore_errors=True)
    result = {
        **made,
        "seconds_per_step": SECONDS,
        "local": {"jobs": cores, **local},
        "cluster": {"workers": WORKERS, "start_seconds": round(started, 1), **dask},
        "identical": same,
        "agree_with_check_json": files - len(differ),
        "disagree": differ,
    }
    for name, run in (("local, --jobs %d" % cores, local), ("LocalCluster, 2 workers", dask)):
        print(
            f"{'grade ' + name:32} {run['seconds']:7.1f} s  {run['files_per_second']:6.2f} files/s"
        )
    print(f"{'gradebooks byte-identical':32} {same}")
    print(
        f"{'rows against check --json':32} agree: {files - len(differ)}/{files}"
        f" ({agree_seconds:.1f} s){'; disagree: ' + ', '.join(differ) if differ else ''}"
    )
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


#: the gradebook's columns and the step statuses of ``check --json`` they count
_COUNTS = {
    "verified": "verified",
    "wrong": "refuted",
    "not checked": "undecided",
    "unreadable": "unreadable",
}


def agreement(folder: Path, out: Path, jobs: int, seconds: float = SECONDS) -> list[str]:
    """The students whose gradebook row disagrees with ``check FILE --json`` (``jobs`` at once;
    the student is the file's stem, as ``grade`` names them without a roster)."""
    with open(out / "gradebook.csv", newline="", encoding="utf-8") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    files = sorted(folder.iterdir())
    with ThreadPoolExecutor(jobs) as pool:
        expected = pool.map(lambda path: _expected_row(path, seconds), files)
        return [
            path.stem
            for path, row in zip(files, expected)
            if {k: rows.get(path.stem, {}).get(k) for k in row} != row
        ]


def _expected_row(path: Path, seconds: float) -> dict[str, str]:
    """The gradebook row ``check PATH --json`` implies: counted from its steps, one by one."""
    code, stdout, said = check_json(path, seconds)
    if code == 2:  # the file itself cannot be read: one line, no report
        return {"status": "unreadable", "steps": "0"}
    try:
        report = json.loads(stdout)
    except ValueError:
        stopped = "nested too deeply" not in said
        return {"status": "stopped" if stopped else "unreadable", "steps": "0"}
    row = {
        col: sum(s["status"] == status for s in report["steps"]) for col, status in _COUNTS.items()
    }
    first = report["first_wrong_line"]
    row.update(steps=sum(row.values()), status="graded")
    row["first wrong line"] = "" if first is None else first
    return {k: str(v) for k, v in row.items()}


def check_json(path: Path, seconds: float) -> tuple[int, str, str]:
    """``proofsheet check PATH --json``: exit status, stdout and stderr (and why it was stopped).

    The command (``cli.main``) runs in a supervised fork of this process, under the memory
    cap and the time limit it has on the command line.
    """
    from ..cli import main
    from ..search.limits import cap_memory, supervise

    said: list[str] = []
    with tempfile.TemporaryFile() as buffer:

        def work() -> int:
            cap_memory()
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    code = main(["check", str(path), "--json", f"--seconds={seconds!r}"])
                except SystemExit as exc:
                    code = exc.code if isinstance(exc.code, int) else 1
            shown = json.dumps({"out": out.getvalue(), "err": err.getvalue()})
            os.write(buffer.fileno(), shown.encode("utf-8"))
            return code

        code = supervise(work, seconds, said.append)
        buffer.seek(0)
        try:
            shown = json.loads(buffer.read().decode("utf-8"))
        except ValueError:
            shown = {"out": "", "err": ""}
    return code, shown["out"], shown["err"] + "\n".join(said)
