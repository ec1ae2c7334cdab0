"""One forked worker that answers question after question, watched as a command's worker is.

``prove --batch`` asks many short questions. A fresh fork for each would start every one from
the parent's cold SymPy cache (the batch took 15 s for 190 pairs that one warm process
answers in 3 s); a :class:`PersistentWorker` keeps one warm worker instead. Each question gets
its own time budget, moved on by the worker's :func:`.limits.progress` reports exactly as
:func:`.limits.supervise` does; a worker that overruns it or dies is stopped, and so is one
that says its state may be damaged (it ran out of memory, say). The next question starts a new
worker, so one question can cost only its own answer.

>>> with PersistentWorker(lambda n: (n * n, True)) as worker:
...     worker.ask(3, 5), worker.ask(4, 5)
(('answer', 9), ('answer', 16))
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import select
import sys
from collections.abc import Callable
from typing import Any

from . import limits

_FORK = multiprocessing.get_context("fork")
_POLL_SECONDS = 0.05


class PersistentWorker:
    """``answer(question) -> (reply, healthy)`` run in a forked worker kept between questions."""

    def __init__(self, answer: Callable[[Any], tuple[Any, bool]]) -> None:
        self._answer = answer
        self._pid: int | None = None

    def __enter__(self) -> PersistentWorker:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def ask(self, question: Any, seconds: float) -> tuple[str, Any]:
        """``("answer", reply)``, or ``("stopped", why)`` when the worker overran ``seconds``
        (:func:`.limits.own_seconds`, moved on by its reports) or died."""
        if self._pid is None:
            self._start()
        own = limits.own_seconds(seconds)
        try:
            self._questions.send((own, question))
        except OSError:
            return "stopped", self._reap()
        return self._wait(limits.Watch(own))

    def close(self) -> None:
        if self._pid is not None:
            limits.stop(self._pid)
            self._forget()

    def _start(self) -> None:
        questions_in, self._questions = _FORK.Pipe(duplex=False)
        self._answers, answers_out = _FORK.Pipe(duplex=False)
        self._reports, reports_out = os.pipe()
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        pid = os.fork()
        if pid == 0:  # the worker: never returns into the caller's code
            status = 1
            try:
                self._questions.close()
                self._answers.close()
                os.close(self._reports)
                limits.become_watched(reports_out, limits.MIN_OWN_SECONDS)
                limits.cap_memory()
                status = self._serve(questions_in, answers_out)
            finally:
                os._exit(status)
        questions_in.close()
        answers_out.close()
        os.close(reports_out)
        self._pid = pid

    def _serve(self, questions, answers) -> int:
        while True:
            try:
                own, question = questions.recv()
            except EOFError:
                return 0
            limits.set_own_seconds(own)
            reply, healthy = self._answer(question)
            answers.send((reply, healthy))
            if not healthy:
                return 0

    def _wait(self, watch: limits.Watch) -> tuple[str, Any]:
        fds = [self._answers.fileno(), self._reports]
        while True:
            left = watch.left()
            if left <= 0:
                self.close()
                return "stopped", watch.overran()
            ready, _, _ = select.select(fds, [], [], min(left, _POLL_SECONDS))
            if self._reports in ready:
                data = os.read(self._reports, 4096)
                if data:
                    watch.read(data)
                else:
                    fds.remove(self._reports)
            if self._answers.fileno() in ready:
                try:
                    reply, healthy = self._answers.recv()
                except (EOFError, OSError):
                    return "stopped", self._reap()
                if not healthy:
                    self.close()  # it is ending: the next question starts a new worker
                return "answer", reply

    def _reap(self) -> str:
        """Why the worker, which has gone, gave no answer."""
        _, status = os.waitpid(self._pid, 0)
        self._forget()
        return limits.died(os.waitstatus_to_exitcode(status))

    def _forget(self) -> None:
        self._pid = None
        self._questions.close()
        self._answers.close()
        with contextlib.suppress(OSError):
            os.close(self._reports)
