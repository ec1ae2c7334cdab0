"""One ``grade`` at a time on an output folder: ``DIR/.lock``, held with ``fcntl.flock``.

Two runs writing the same folder at once would check the same files twice and write each
other's gradebook over a half-finished one. So a run holds an exclusive ``flock`` on
``DIR/.lock`` from before it reads the results there until its gradebook is written, and a
second run that cannot take it at once stops with one line naming the first run's pid
(which the holder writes into the file). The lock is the kernel's, not the file's
existence: it goes when the run's process ends however it ends (Ctrl-C, ``kill -9``: the
kernel closes its files, and the workers it forked, which share the open file, die with
it), so no stale lock is ever left to remove by hand.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from ..kernel.errors import ProofsheetError

LOCK_NAME = ".lock"


@contextlib.contextmanager
def holding(out: Path) -> Iterator[None]:
    """Hold ``out``'s lock for the block; a ProofsheetError at once when another run has it."""
    fd = os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ProofsheetError(
                f"{out} is being written by another run ({_holder(fd)}); wait for it to end"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)


def _holder(fd: int) -> str:
    """``pid N`` of the run holding the lock (it may not have written it yet)."""
    written = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    return f"pid {written}" if written.isdigit() else "pid not yet written"
