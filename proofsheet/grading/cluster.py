"""``proofsheet grade --cluster ADDRESS``: each file checked as a task on a Dask cluster.

A Dask task runs in a thread of a daemonic worker process, where forking the supervised
worker a check needs is unsafe. So the task (:func:`check_on_worker`) runs the real command,
``python -m proofsheet.cli check FILE --json --annotate F.md --annotate F.tex``, in a
subprocess: the same checker, memory cap, per-step time limit and supervision as
``proofsheet check``, with an overall timeout besides. FILE is a copy, in a temporary folder
on the worker, of the file's text as this client read it (``--source`` gives the report and
the sheets the client's own file name, so they are the local run's byte for byte); the task
returns plain data: the exit status, the JSON report, both sheets and the worker's checker.

This client reads every file (a file it cannot read as text is ``unreadable`` here, with the
message the local run gives) and writes each student's result atomically, as the tasks
complete (``distributed.as_completed``), with :mod:`.work`'s writers: resuming, skipping and
the gradebook are the local run's. A task whose worker runs another checker, or that fails,
makes that student ``stopped``; nothing from it is recorded as graded.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

import proofsheet

from ..kernel.errors import ProofsheetError
from ..search.limits import NESTED_TOO_DEEPLY, own_seconds, read_text_file
from .submissions import Submission
from .work import (
    STOPPED,
    UNREADABLE,
    Key,
    checker_version,
    content_hash,
    write_checked,
    write_unchecked,
)

#: seconds a task may take besides its steps' limits (starting Python, reading, writing)
TASK_SLACK = 60.0
CONNECT_SECONDS = 20


def task_timeout(text: str, seconds: float) -> float:
    """A net for a task that hangs: every line a step at the limit, and the slack."""
    return TASK_SLACK + own_seconds(seconds) * (text.count("\n") + 1)


def check_on_worker(source: str, text: str, seconds: float, timeout: float) -> dict:
    """On a Dask worker: ``proofsheet check`` on a copy of ``text``; plain data back."""
    root = str(Path(proofsheet.__file__).resolve().parent.parent)  # the proofsheet imported here
    path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)
    answer = {"checker": checker_version(), "code": None, "stdout": b"", "stderr": b""}
    with tempfile.TemporaryDirectory(prefix="proofsheet-grade-") as tmp:
        folder = Path(tmp)
        copy = folder / f"submission{Path(source).suffix}"
        copy.write_bytes(text.encode("utf-8"))
        md, tex = folder / "feedback.md", folder / "feedback.tex"
        command = [sys.executable, "-m", "proofsheet.cli", "check", str(copy), "--json"]
        command += [f"--seconds={seconds!r}", f"--source={source}"]
        command += [f"--annotate={md}", f"--annotate={tex}"]
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                cwd=tmp,
                env={**os.environ, "PYTHONPATH": path},
                stdin=subprocess.DEVNULL,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return answer
        answer.update(code=done.returncode, stdout=done.stdout, stderr=done.stderr)
        answer.update(md=_read(md), tex=_read(tex))
    return answer


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


def run_on_cluster(
    address: str, todo: list[Submission], out: Path, key: Key, finished: Callable[[str], None]
) -> None:
    """Check ``todo`` on the cluster; write each result as it completes, then ``finished``."""
    try:
        from distributed import Client, as_completed
    except ImportError as exc:
        raise ProofsheetError(
            f"grade --cluster needs {exc.name}: pip install 'proofsheet[cluster]'"
        ) from None
    try:
        client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, ValueError) as exc:
        raise ProofsheetError(f"{address}: cannot reach the Dask scheduler ({exc})") from None
    with client:
        pending = {}
        run_id = uuid.uuid4().hex[:8]
        for sub in todo:
            try:
                text = read_text_file(sub.path)
            except ProofsheetError as exc:
                write_unchecked(sub, out, key, content_hash(sub.path), UNREADABLE, str(exc))
                finished(sub.student)
                continue
            timeout = task_timeout(text, key.seconds)
            args = (str(sub.path), text, key.seconds, timeout)
            future = client.submit(
                check_on_worker, *args, key=f"proofsheet-{run_id}-{sub.student}", pure=False
            )
            pending[future] = (sub, hashlib.sha256(text.encode("utf-8")).hexdigest(), timeout)
        for future in as_completed(list(pending), loop=client.loop):
            sub, digest, timeout = pending.pop(future)
            _record(sub, out, key, digest, _answer(future), timeout)
            finished(sub.student)


def _answer(future) -> dict | BaseException:
    """The task's data, or why there is none (the task raised, its worker died)."""
    if future.status == "finished":
        return future.result()
    return future.exception()


def _record(
    sub: Submission, out: Path, key: Key, digest: str, answer: dict | BaseException, timeout
) -> None:
    """The student's result from the task's answer, as the local run would have written it."""
    if isinstance(answer, BaseException):
        why = f"the Dask task failed ({type(answer).__name__}: {answer})"
        write_unchecked(sub, out, key, digest, STOPPED, why)
        return
    if answer["checker"] != key.checker:
        why = f"the worker runs checker {answer['checker']}, not {key.checker}"
        write_unchecked(sub, out, key, digest, STOPPED, why)
        return
    if answer["code"] is None:
        write_unchecked(sub, out, key, digest, STOPPED, f"the task ran past {timeout:.0f} s")
        return
    report = _report(answer["stdout"])
    if report is not None and answer["md"] is not None and answer["tex"] is not None:
        write_checked(sub, out, key, digest, report, answer["md"], answer["tex"])
        return
    said = answer["stderr"].decode("utf-8", "replace").strip().removeprefix("proofsheet: ")
    if said.startswith("stopped: ") or not said:
        why = said.removeprefix("stopped: ") or f"the check ended with status {answer['code']}"
        write_unchecked(
            sub, out, key, digest, UNREADABLE if why == NESTED_TOO_DEEPLY else STOPPED, why
        )
    else:  # the command's one line for a file it cannot read
        write_unchecked(sub, out, key, digest, UNREADABLE, said)


def _report(stdout: bytes) -> dict | None:
    try:
        report = json.loads(stdout.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return report if isinstance(report, dict) and "steps" in report else None
