"""``proofsheet grade``: every submission checked on every core, then the gradebook.

Each file is checked in a process forked for it (at most ``jobs`` at a time), which runs the
check in a supervised worker of its own (:mod:`.work`). Plain ``os.fork``/``os.waitpid``
rather than a ``multiprocessing.Pool``: a pool loses a task whose worker is killed and then
waits for it forever, and its daemonic workers may not start the forked children in which
the checker runs each search. Here a worker that dies is reaped like any other and its
student's result says ``stopped``. A run holds its output folder (:mod:`.lock`): a second
run on the same folder stops at once with one line, exit status 2.

Exit status: 0 when every file was graded (whatever the students' steps), 1 when some file
could not be (unreadable, or stopped at a limit), 130 on Ctrl-C — every result finished by
then stays, and the summary lists the students still missing.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..search.decide import DEFAULT_SECONDS
from ..search.limits import die_with_parent
from . import book
from .lock import holding
from .submissions import Submission, find
from .work import (
    GRADED,
    INTERRUPTED,
    STOPPED,
    Key,
    checker_version,
    content_hash,
    grade_one,
    load,
    warm_up,
    write_unchecked,
)

_POLL_SECONDS = 0.02


@dataclass
class Run:
    """What one ``grade`` did, students in order: who was checked, who was done already."""

    checked: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    status: int = 0


def grade(
    submissions: str,
    out: str | Path,
    *,
    roster: str | None = None,
    jobs: int | None = None,
    seconds: float = DEFAULT_SECONDS,
    show_progress: bool | None = None,
    cluster: str | None = None,
) -> Run:
    """Grade every submission not already graded by this checker; write the gradebook.

    With ``cluster`` (a Dask scheduler's address) the files are checked there
    (:mod:`.cluster`) and ``jobs`` is the cluster's business; the results are the same.
    """
    subs = find(submissions, roster)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with holding(out):
        return _grade(subs, out, Key(checker_version(), seconds), jobs, show_progress, cluster)


def _grade(
    subs: list[Submission],
    out: Path,
    key: Key,
    jobs: int | None,
    show_progress: bool | None,
    cluster: str | None,
) -> Run:
    """:func:`grade`, once it holds the output folder."""
    for folder in ("results", "feedback"):
        (out / folder).mkdir(exist_ok=True)
    run = Run()
    todo = []
    for sub in subs:
        (run.skipped if load(out, sub, key) is not None else todo).append(sub)
    run.skipped = [s.student for s in run.skipped]
    shown = sys.stderr.isatty() if show_progress is None else show_progress
    meter = _Meter(len(todo), out, shown)
    interrupted = False

    def finished(student: str) -> None:
        run.checked.append(student)
        meter.done(student)

    try:
        if cluster:
            from .cluster import run_on_cluster

            run_on_cluster(cluster, todo, out, key, finished)
        else:
            warm_up()
            _run_all(todo, out, key, max(1, jobs or _cores()), finished)
    except KeyboardInterrupt:
        interrupted = True
    meter.close()
    run.checked.sort()
    results = {s.student: load(out, s, key) for s in subs}
    run.missing = sorted(s for s, r in results.items() if r is None)
    book.write(out, subs, results)
    failed = any(r is None or r["status"] != GRADED for r in results.values())
    run.status = INTERRUPTED if interrupted else int(failed)
    return run


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def _run_all(
    todo: list[Submission], out: Path, key: Key, jobs: int, finished: Callable[[str], None]
) -> None:
    """Fork a worker a file, ``jobs`` at a time; reap each as it ends (Ctrl-C: stop them all)."""
    running: dict[int, Submission] = {}
    queue = list(reversed(todo))
    try:
        while queue or running:
            while queue and len(running) < jobs:
                sub = queue.pop()
                running[_start(sub, out, key)] = sub
            pid, code = _next_ended(running)
            sub = running.pop(pid)
            if code == INTERRUPTED:
                raise KeyboardInterrupt
            if code != 0:  # the worker died outside its supervised check
                why = f"the worker process ended with status {code}"
                write_unchecked(sub, out, key, content_hash(sub.path), STOPPED, why)
            finished(sub.student)
    finally:
        for pid in running:
            _kill(pid)


def _next_ended(running: dict[int, Submission]) -> tuple[int, int]:
    """The next of our workers to end, and its exit code (never a child the caller started)."""
    while True:
        for pid in running:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return pid, os.waitstatus_to_exitcode(status)
        time.sleep(_POLL_SECONDS)


def _start(sub: Submission, out: Path, key: Key) -> int:
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            die_with_parent()
            code = grade_one(sub, out, key)
        except KeyboardInterrupt:
            code = INTERRUPTED
        except BaseException:  # noqa: BLE001 - a forked worker must end here, whatever happened
            code = 1
        finally:
            os._exit(code)
    return pid


def _kill(pid: int) -> None:
    """Stop a worker; its supervised child dies with it (it asked Linux for that)."""
    try:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


class _Meter:
    """The progress line on a terminal: files done, steps per second, time left."""

    def __init__(self, total: int, out: Path, shown: bool) -> None:
        self.total, self.out, self.shown = total, out, shown
        self.files = self.steps = 0
        self.start = time.monotonic()

    def done(self, student: str) -> None:
        self.files += 1
        if not self.shown:
            return
        self.steps += book.steps_in(self.out, student)
        elapsed = max(time.monotonic() - self.start, 1e-9)
        left = elapsed / self.files * (self.total - self.files)
        sys.stderr.write(
            f"\rgraded {self.files}/{self.total} files, {self.steps / elapsed:.1f} steps/s, "
            f"about {left:.0f} s left   "
        )
        sys.stderr.flush()

    def close(self) -> None:
        if self.shown and self.files:
            sys.stderr.write("\n")
