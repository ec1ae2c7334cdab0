"""A hard time limit for a search, in a forked child process.

It works from any thread (no signals) and really stops runaway SymPy
calls: the child is killed when the limit passes.

>>> run_with_limit(sum, ([1, 2, 3],), seconds=5)
6
"""

from __future__ import annotations

import multiprocessing
from typing import Any, Callable

from .errors import CheckTimeout

_FORK = multiprocessing.get_context("fork")


def _child(conn, fn: Callable, args: tuple) -> None:
    try:
        conn.send(("ok", fn(*args)))
    except BaseException as exc:  # report, never hang the parent
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def run_with_limit(fn: Callable, args: tuple, seconds: float) -> Any:
    """``fn(*args)`` in a child process; :class:`CheckTimeout` after ``seconds``.

    The result must be picklable (certificates and points are; theorems are not).
    """
    receiver, sender = _FORK.Pipe(duplex=False)
    child = _FORK.Process(target=_child, args=(sender, fn, args), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise CheckTimeout(f"no answer within {seconds:g} s")
        status, value = receiver.recv()
    except EOFError:
        status, value = "error", "the search process died"
    finally:
        child.kill()
        child.join()
        receiver.close()
    if status == "error":
        raise RuntimeError(value)
    return value
