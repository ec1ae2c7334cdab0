"""One check for the page: ``proofsheet check``'s checker and limits, in a supervised worker.

The server never checks in its own process. :func:`check_in_worker` forks a worker with
:func:`~proofsheet.search.limits.supervise` (the watchdog ``check`` has: a worker silent past
its time limit is killed), caps the worker's memory as ``check`` does, and reads the answer
back over a pipe, at most :data:`MAX_ANSWER_BYTES`. A hostile text (arithmetic that never
ends, a number too large to build) costs one worker; the server answers "stopped" and goes on.

The worker also renders each readable step as MathML (:mod:`.mathml`): the printer walks the
parsed expression, so it runs under the same watchdog and cap as the check.
"""

from __future__ import annotations

import json
import os
import threading

from ..check.checker import CheckedStep, check_text
from ..check.report import assumption_lines, evidence, report_json
from ..kernel.errors import ProofsheetError
from ..search.limits import (
    MEMORY_MIB,
    NESTED_TOO_DEEPLY,
    OUT_OF_MEMORY,
    REPORT_SECONDS,
    cap_memory,
    progress,
    supervise,
)
from .mathml import step_mathml

CHECKED, UNREADABLE, STOPPED = "checked", "unreadable", "stopped"
MAX_ANSWER_BYTES = 8 << 20  #: more than this from a worker is a broken worker, not an answer
SOURCE = "<the page>"  #: the source a report names: never a path on the server


def check_in_worker(text: str, seconds: float) -> dict:
    """``{"status": "checked", "report": …}`` (report_json, each step with ``mathml``), or
    ``{"status": "unreadable" | "stopped", "reason": …}``. Never raises for any text."""
    read_end, write_end = os.pipe()
    chunks: list[bytes] = []
    reader = threading.Thread(target=_drain, args=(read_end, chunks), daemon=True)
    reader.start()  # the worker may write more than a pipe holds before it exits
    try:  # supervise's own line (why it stopped a worker) goes to the server's log
        status = supervise(lambda: _work(text, seconds, write_end), seconds)
    finally:
        os.close(write_end)
        reader.join()
    answer = _answer(b"".join(chunks))
    if status == 0 and answer is not None:
        return answer
    return {"status": STOPPED, "reason": stopped_reason(seconds)}


def stopped_reason(seconds: float) -> str:
    """What a student reads when the worker was stopped (the server's log says which limit)."""
    return (
        f"the check was stopped: a step took longer than {seconds:g} s, or the text needed "
        f"more than {MEMORY_MIB} MiB; nothing was checked — shorten or split the text"
    )


def _drain(fd: int, chunks: list[bytes]) -> None:
    """Read the pipe to its end, keeping at most MAX_ANSWER_BYTES (+1, to see an overflow)."""
    kept = 0
    try:
        while data := os.read(fd, 1 << 16):
            if kept <= MAX_ANSWER_BYTES:
                chunks.append(data)
                kept += len(data)
    finally:
        os.close(fd)


def _answer(data: bytes) -> dict | None:
    if not data or len(data) > MAX_ANSWER_BYTES:
        return None
    try:
        answer = json.loads(data.decode("utf-8"))
    except ValueError:
        return None
    return answer if isinstance(answer, dict) else None


def _work(text: str, seconds: float, fd: int) -> int:
    """In the worker: the check under the memory cap, the answer written to ``fd``."""
    cap_memory()
    try:
        answer = {"status": CHECKED, "report": _report(text, seconds)}
    except ProofsheetError as exc:
        answer = {"status": UNREADABLE, "reason": str(exc)}
    except RecursionError:
        answer = {"status": UNREADABLE, "reason": NESTED_TOO_DEEPLY}
    except MemoryError:
        answer = {"status": STOPPED, "reason": OUT_OF_MEMORY}
    data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    return 0


def _report(text: str, seconds: float) -> dict:
    report = check_text(text, source=SOURCE, seconds=seconds)
    data = report_json(report)
    data["notes"] = assumption_lines(report)  # what `check` prints above the steps
    for step, shown in zip(report.steps, data["steps"]):
        shown["evidence"] = evidence(step)  # the lines `check` prints under a step
        shown["mathml"] = _mathml(step)
    return data


def _mathml(step: CheckedStep) -> str:
    progress(REPORT_SECONDS, f"rendering line {step.line}")
    return step_mathml(step.lhs, step.rel, step.rhs)
