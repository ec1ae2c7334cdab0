"""Time limits for a search: first in this process up to a soft deadline, then a forked child.

Most searches end in milliseconds, so :func:`run_soon` runs them here, where SymPy's
cache is warm and a theorem found is the one the caller keeps (checked by the kernel
once), interrupted at a soft deadline where that is safe (:mod:`.alarm`). Only a search
that passes it is run again in a child (:func:`run_with_limit`), which works from any
thread (no signals) and really stops runaway SymPy calls: it is killed at the limit. The
child also runs under the memory cap and a CPU limit of :mod:`.limits`, and dies with
its parent, so no search outlives the command that started it. One C call that never
returns in this process is the supervisor's to stop (:func:`.limits.supervise`).

>>> run_with_limit(sum, ([1, 2, 3],), seconds=5)
6
>>> run_soon(sum, ([1, 2, 3],), seconds=5)
6
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from typing import Any

from ..kernel.errors import CheckTimeout
from . import limits
from .alarm import FORCE_SECONDS, Alarm

_FORK = multiprocessing.get_context("fork")
_MESSAGE_CHARS = 300


def _describe(exc: BaseException) -> str:
    """``Type: message``, short, even when the message itself cannot be made."""
    if isinstance(exc, MemoryError):
        return f"out of memory (the limit is {limits.MEMORY_MIB} MiB)"
    try:
        text = f"{type(exc).__name__}: {exc}"
    except Exception:  # noqa: BLE001 - e.g. a message holding an integer too long to print
        text = type(exc).__name__
    return text[:_MESSAGE_CHARS]


def _child(conn, fn: Callable, args: tuple, seconds: float) -> None:
    try:
        limits.enter_child(seconds)
        conn.send(("ok", fn(*args)))
    except BaseException as exc:  # noqa: BLE001 - report anything, never hang the parent
        try:
            conn.send(("error", _describe(exc)))
        except BaseException:  # noqa: BLE001 - the parent sees EOF and says the child died
            pass
    finally:
        conn.close()


def _death(exitcode: int | None) -> str:
    """Why a child ended without an answer, from its exit code."""
    reasons = {
        -signal.SIGXCPU: "used more CPU time than its limit",
        -signal.SIGKILL: "was killed (over its CPU or memory limit)",
        -signal.SIGSEGV: "crashed (too deeply nested?)",
    }
    return f"the search process {reasons.get(exitcode, f'died (exit code {exitcode})')}"


def _receive(receiver) -> tuple[str, Any]:
    """The child's ``(status, value)``; ``("died", None)`` when it ended without one."""
    try:
        return receiver.recv()
    except (EOFError, OSError):
        return "died", None
    except MemoryError:
        return "error", "the search's answer was too large to receive"
    except Exception as exc:  # noqa: BLE001 - e.g. an answer that does not unpickle
        return "error", f"the search's answer could not be received ({_describe(exc)})"


def run_with_limit(fn: Callable, args: tuple, seconds: float) -> Any:
    """``fn(*args)`` in a child process; :class:`CheckTimeout` after ``seconds``.

    The result must be picklable (certificates and points are; theorems are not).
    A failure in the child, or a child that dies, is a ``RuntimeError``.
    """
    limits.progress(seconds + limits.GRACE_SECONDS, "a search")
    try:
        with Child(fn, args, seconds) as child:
            if not child.wait(seconds):
                raise CheckTimeout(f"no answer within {seconds:g} s")
            return child.result()
    finally:
        limits.progress()


class Child:
    """``fn(*args)`` started in a forked child under the limits of :mod:`.limits` (a CPU limit
    of ``seconds``), that can be paused and resumed while its parent does other work, and is
    killed when the ``with`` block ends.

    >>> with Child(sum, ([1, 2],), 5) as child:
    ...     child.wait(5), child.result()
    (True, 3)
    """

    def __init__(self, fn: Callable, args: tuple, seconds: float) -> None:
        if not (math.isfinite(seconds) and seconds > 0):
            raise ValueError(f"a time limit must be a positive number of seconds, not {seconds!r}")
        self._receiver, sender = _FORK.Pipe(duplex=False)
        # not a daemon: a child may start searches of its own (feedback runs decide())
        self._process = _FORK.Process(target=_child, args=(sender, fn, args, seconds))
        self._process.start()
        sender.close()

    def __enter__(self) -> Child:
        return self

    def __exit__(self, *_exc) -> None:
        self._process.kill()
        self._process.join()
        self._receiver.close()

    def wait(self, seconds: float) -> bool:
        """Whether the child has answered (or ended) within ``seconds``."""
        return self._receiver.poll(max(seconds, 0))

    def pause(self) -> None:
        """Stop the child (SIGSTOP): it uses no CPU until :meth:`resume`."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self._process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self._process.pid, signal.SIGCONT)

    def result(self) -> Any:
        """The answer, once :meth:`wait` said there is one; a failure is a ``RuntimeError``."""
        status, value = _receive(self._receiver)
        if status == "died":
            self._process.join()
            raise RuntimeError(_death(self._process.exitcode))
        if status == "error":
            raise RuntimeError(value)
        return value


# --- in this process, up to a soft deadline ------------------------------------------------

SOFT_SECONDS = 1.0  #: how long a search may run in this process before it moves to a child


class SoftDeadline(BaseException):
    """The in-process attempt passed its soft deadline. Not an ``Exception``, so that the
    search's catch-alls ("any failure means: try the next plan") let it through."""


def _in_process(fn: Callable, args: tuple, seconds: float) -> Any:
    """``fn(*args)`` here; :class:`SoftDeadline` at the first safe point once ``seconds``
    pass (:class:`.alarm.Alarm`: never inside SymPy, unless one call runs far past it)."""
    with Alarm(seconds, SoftDeadline):
        return fn(*args)


def run_soon(fn: Callable, args: tuple, seconds: float, retry: Callable | None = None) -> Any:
    """``fn(*args)`` in this process for up to :data:`SOFT_SECONDS`, then, if it has not
    finished, ``retry(*args, rest)`` (by default ``fn(*args)``) in a child for the ``rest``
    of ``seconds``
    (:func:`run_with_limit`; :class:`CheckTimeout` when that passes too).

    Elsewhere than the main thread, or inside another in-process run (whose alarm this one
    must not take over), everything runs in the child."""
    if not (math.isfinite(seconds) and seconds > 0):
        raise ValueError(f"a time limit must be a positive number of seconds, not {seconds!r}")
    start = time.perf_counter()
    soft = min(seconds / 4, SOFT_SECONDS)  # the rest, but for what one call overruns: a child
    if Alarm(soft, SoftDeadline).armed:
        limits.progress(soft + FORCE_SECONDS + limits.GRACE_SECONDS, "a search")
        try:
            return _in_process(fn, args, soft)
        except SoftDeadline:
            pass
        except Exception as exc:  # noqa: BLE001 - as from a child: one line, the step undecided
            raise RuntimeError(_describe(exc)) from None
        finally:
            limits.progress()
    rest = seconds - (time.perf_counter() - start)
    if rest <= 0:
        raise CheckTimeout(f"no answer within {seconds:g} s")
    if retry is not None:
        return run_with_limit(retry, (*args, rest), rest)
    return run_with_limit(fn, args, rest)
