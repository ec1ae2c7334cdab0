"""A hard time and memory limit for a search, in a forked child process.

It works from any thread (no signals) and really stops runaway SymPy
calls: the child is killed when the limit passes. The child also runs
under the memory cap and a CPU limit of :mod:`.limits`, and dies with its
parent, so no search outlives the command that started it.

>>> run_with_limit(sum, ([1, 2, 3],), seconds=5)
6
"""

from __future__ import annotations

import math
import multiprocessing
import signal
from collections.abc import Callable
from typing import Any

from ..kernel.errors import CheckTimeout
from . import limits

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
    if not (math.isfinite(seconds) and seconds > 0):
        raise ValueError(f"a time limit must be a positive number of seconds, not {seconds!r}")
    receiver, sender = _FORK.Pipe(duplex=False)
    # not a daemon: a child may start searches of its own (feedback runs decide())
    child = _FORK.Process(target=_child, args=(sender, fn, args, seconds))
    limits.progress(seconds + limits.GRACE_SECONDS, "a search")
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise CheckTimeout(f"no answer within {seconds:g} s")
        status, value = _receive(receiver)
    finally:
        child.kill()
        child.join()
        receiver.close()
        limits.progress()
    if status == "died":
        raise RuntimeError(_death(child.exitcode))
    if status == "error":
        raise RuntimeError(value)
    return value
