"""One student's file: checked as ``proofsheet check`` checks it, its result written at once.

The check runs in a worker watched by :func:`~proofsheet.search.limits.supervise`, under the
memory cap and with the time limit ``check`` has, so a hostile file (a formula whose arithmetic
never ends, a number too large to build) stops that worker only: the student's result says
``stopped`` and why, and the class goes on. Every file is written to a temporary name and
renamed (``os.replace``), the result last, so a result on disk always comes with its feedback
and an interrupted run leaves no half-written file under a student's name.

The result records the SHA-256 of the file's bytes, the checker's version (the package
version and a digest of its sources and libraries) and the time limit: a rerun with the same
three has nothing new to say about the file and skips it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import multiprocessing
import os
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import proofsheet

from ..check.checker import Report, check_file, check_text
from ..check.report import report_json
from ..kernel.errors import ProofsheetError
from ..search.limits import (
    NESTED_TOO_DEEPLY,
    OUT_OF_MEMORY,
    REPORT_SECONDS,
    cap_memory,
    progress,
    supervise,
)
from ..sheet.annotate import annotate
from ..sheet.escaping import md_escape, tex_escape
from .submissions import Submission

GRADED, UNREADABLE, STOPPED = "graded", "unreadable", "stopped"
INTERRUPTED = 130  #: a worker's status when Ctrl-C stopped it: it wrote nothing


@dataclass(frozen=True)
class Key:
    """What a result depends on besides the file: the checker and its time limit."""

    checker: str
    seconds: float


@functools.cache
def checker_version() -> str:
    """``0.1.0+<digest>``: the package version and a digest of its sources and libraries."""
    from ..sheet.stamp import input_digest

    package = Path(proofsheet.__file__).parent
    return f"{proofsheet.__version__}+{input_digest({'grade': 1}, (package,))[:16]}"


@functools.cache
def warm_up() -> None:
    """Build the grammars once in this process, so that no worker forked from it pays again."""
    check_text("$$x = x$$\n\\(y = y\\)")


def content_hash(path: Path) -> str:
    """SHA-256 of a regular file's bytes (read in pieces); a FIFO or device is never opened."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return "not a regular file"
        h = hashlib.sha256()
        with open(path, "rb") as handle:
            for piece in iter(lambda: handle.read(1 << 16), b""):
                h.update(piece)
    except OSError as exc:
        return f"unreadable ({exc.strerror})"
    return h.hexdigest()


def result_path(out: Path, student: str) -> Path:
    return out / "results" / f"{student}.json"


def feedback_paths(out: Path, student: str) -> tuple[Path, Path]:
    return out / "feedback" / f"{student}.md", out / "feedback" / f"{student}.tex"


def load(out: Path, sub: Submission, key: Key, digest: str | None = None) -> dict | None:
    """The student's result if it is still valid for this file and checker, else None."""
    try:
        result = json.loads(result_path(out, sub.student).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    digest = digest or content_hash(sub.path)
    valid = (
        isinstance(result, dict)
        and result.get("sha256") == digest
        and result.get("checker") == key.checker
        and result.get("seconds") == key.seconds
        and all(p.is_file() for p in feedback_paths(out, sub.student))
    )
    return result if valid else None


def grade_one(sub: Submission, out: Path, key: Key) -> int:
    """Check one file in a supervised worker; 0 when a result was written, else why not."""
    digest = content_hash(sub.path)
    return check_supervised(
        sub, out, key, digest, lambda: check_file(sub.path, seconds=key.seconds)
    )


def check_supervised(
    sub: Submission, out: Path, key: Key, digest: str, check: Callable[[], Report]
) -> int:
    """``check()`` in a supervised worker and the student's result written from it: 0 when a
    result was written (a worker stopped at a limit, or killed, is a ``stopped`` one), else
    :data:`INTERRUPTED`.

    Safe from a thread of a larger process (a Dask worker): why the worker was stopped comes
    back through ``supervise``'s ``say``, not a redirected ``sys.stderr`` another thread
    shares, and the forked worker touches no stream or lock it inherited (:func:`_detach`).
    """
    said: list[str] = []
    work = functools.partial(_check_and_write, sub, out, key, digest, check)
    status = supervise(work, key.seconds, said.append)
    if status == INTERRUPTED:
        return status
    if status != 0:
        why = "\n".join(said).strip().removeprefix("proofsheet: ") or "the worker failed"
        write_unchecked(sub, out, key, digest, STOPPED, why.removeprefix("stopped: "))
    return 0


def _detach() -> None:
    """In a forked worker: its own quiet streams, no logging, and a process of its own.

    The worker may be forked from one thread of a process with others (a Dask worker's event
    loop, its profiler, its logging), which may hold a stream's or a handler's lock at the
    moment of the fork; nothing in the worker would ever release it. So it writes nothing to
    the streams or logging handlers it inherited (its results are files; nothing is lost).
    ``multiprocessing`` refuses children to a process it started as a daemon, as Dask's
    nanny starts its workers; this worker is a process of its own, its search children die
    with it (:func:`~proofsheet.search.limits.die_with_parent`), so it is not a daemon.
    """
    quiet = open(os.devnull, "w", encoding="utf-8")  # the worker's until it ends
    sys.stdout = sys.stderr = quiet
    logging.disable(logging.CRITICAL)
    process = multiprocessing.current_process()
    if process.daemon:
        process._config["daemon"] = False  # the property refuses a process already started


def _check_and_write(
    sub: Submission, out: Path, key: Key, digest: str, check: Callable[[], Report]
) -> int:
    """In the supervised worker: the check and every file of the student's result."""
    _detach()
    cap_memory()
    try:
        report = check()
    except ProofsheetError as exc:
        write_unchecked(sub, out, key, digest, UNREADABLE, str(exc))
        return 0
    except RecursionError:
        write_unchecked(sub, out, key, digest, UNREADABLE, NESTED_TOO_DEEPLY)
        return 0
    except MemoryError:
        write_unchecked(sub, out, key, digest, STOPPED, OUT_OF_MEMORY)
        return 0
    progress(REPORT_SECONDS, "writing the feedback")
    for path in feedback_paths(out, sub.student):
        _atomic(path, lambda tmp: annotate(report, tmp))
    _write_result(sub, out, key, digest, GRADED, "", report_json(report))
    return 0


def write_checked(
    sub: Submission, out: Path, key: Key, digest: str, report: dict, md: bytes, tex: bytes
) -> None:
    """A result checked elsewhere (``grade --cluster``): its sheets, then its report."""
    for path, data in zip(feedback_paths(out, sub.student), (md, tex)):
        _atomic(path, lambda tmp, data=data: tmp.write_bytes(data))
    _write_result(sub, out, key, digest, GRADED, "", report)


def write_unchecked(
    sub: Submission, out: Path, key: Key, digest: str, status: str, reason: str
) -> None:
    """The result and feedback of a file that could not be checked: the reason, no steps."""
    md, tex = feedback_paths(out, sub.student)
    said = f"{sub.path.name}: not checked ({status}): {reason}"
    _atomic(md, lambda tmp: tmp.write_text(f"# Feedback\n\n{md_escape(said)}\n", "utf-8"))
    tex_text = (
        f"\\documentclass{{article}}\n\\begin{{document}}\n{tex_escape(said)}\n\\end{{document}}\n"
    )
    _atomic(tex, lambda tmp: tmp.write_text(tex_text, "utf-8"))
    _write_result(sub, out, key, digest, status, reason, None)


def _write_result(
    sub: Submission, out: Path, key: Key, digest: str, status: str, reason: str, report
) -> None:
    result = {
        "student": sub.student,
        "file": str(sub.path),
        "sha256": digest,
        "checker": key.checker,
        "seconds": key.seconds,
        "status": status,
        "reason": reason,
        "report": report,
    }
    text = json.dumps(result, ensure_ascii=False, indent=1) + "\n"
    _atomic(result_path(out, sub.student), lambda tmp: tmp.write_text(text, "utf-8"))


def _atomic(path: Path, write) -> None:
    """``write(tmp)`` to a temporary file beside ``path`` (same suffix), then rename it."""
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp{path.suffix}")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
