"""``proofsheet grade --cluster ADDRESS``: each file checked as a task on a Dask cluster.

The task (:func:`check_on_worker`) runs in a thread of a Dask worker process that has
imported proofsheet and built its grammars once (:func:`.work.warm_up`), and checks the file
as the local run does: :func:`.work.check_supervised` forks a supervised worker from that
thread, under the memory cap and time limit of ``proofsheet check`` — no new Python a file.
(``os.fork`` from a thread is allowed: the child has that one thread, which Python makes its
main thread, so the checker's deadlines work there as in ``check``; the child touches no
stream, logging handler or lock another thread of the Dask worker may hold.) The worker
writes the result into a temporary folder of its own and returns plain data: the status,
the reason, the ``check --json`` report, both sheets and the worker's checker version.

This client reads every file (a file it cannot read as text is ``unreadable`` here, with the
message the local run gives), ships its text, and the task checks it under the client's own
file name, so the report and the sheets are the local run's byte for byte. The client writes
each student's result atomically as the tasks complete (``distributed.as_completed``), with
:mod:`.work`'s writers: resuming, skipping and the gradebook are the local run's. A task
whose worker runs another checker, or that fails, makes that student ``stopped``; nothing
from it is recorded as graded.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import threading
import uuid
from collections.abc import Callable
from pathlib import Path

from ..check.checker import check_text
from ..kernel.errors import ProofsheetError
from ..search.limits import read_text_file
from .submissions import Submission
from .work import (
    GRADED,
    STOPPED,
    UNREADABLE,
    Key,
    check_supervised,
    checker_version,
    content_hash,
    feedback_paths,
    result_path,
    warm_up,
    write_checked,
    write_unchecked,
)

CONNECT_SECONDS = 20
#: the worker's threads build the grammars one at a time, and none forks while one does
_WARMING = threading.Lock()


def check_on_worker(student: str, source: str, text: str, seconds: float) -> dict:
    """On a Dask worker: ``text`` checked as the local run checks ``source``; plain data back."""
    with _WARMING:
        warm_up()
    key = Key(checker_version(), seconds)
    sub = Submission(student, Path(source))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    answer: dict = {"checker": key.checker, "result": None, "md": None, "tex": None}
    with tempfile.TemporaryDirectory(prefix="proofsheet-grade-") as tmp:
        out = Path(tmp)
        for folder in ("results", "feedback"):
            (out / folder).mkdir()
        check_supervised(
            sub, out, key, digest, lambda: check_text(text, source=source, seconds=seconds)
        )
        try:
            answer["result"] = json.loads(result_path(out, student).read_text("utf-8"))
        except (OSError, ValueError):
            return answer
        answer["md"], answer["tex"] = (_read(path) for path in feedback_paths(out, student))
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
            args = (sub.student, str(sub.path), text, key.seconds)
            future = client.submit(
                check_on_worker, *args, key=f"proofsheet-{run_id}-{sub.student}", pure=False
            )
            pending[future] = (sub, hashlib.sha256(text.encode("utf-8")).hexdigest())
        for future in as_completed(list(pending), loop=client.loop):
            sub, digest = pending.pop(future)
            _record(sub, out, key, digest, _answer(future))
            finished(sub.student)


def _answer(future) -> dict | BaseException:
    """The task's data, or why there is none (the task raised, its worker died)."""
    if future.status == "finished":
        return future.result()
    return future.exception()


def _record(
    sub: Submission, out: Path, key: Key, digest: str, answer: dict | BaseException
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
    result = answer["result"] if isinstance(answer["result"], dict) else {}
    status, report = result.get("status"), result.get("report")
    sheets = (answer["md"], answer["tex"])
    if status == GRADED and isinstance(report, dict) and None not in sheets:
        write_checked(sub, out, key, digest, report, *sheets)
    elif status in (UNREADABLE, STOPPED) and isinstance(result.get("reason"), str):
        write_unchecked(sub, out, key, digest, status, result["reason"])
    else:
        write_unchecked(sub, out, key, digest, STOPPED, "the task wrote no result")
