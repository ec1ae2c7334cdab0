"""Limits on everything untrusted: memory, time, file size and the seconds a user asks for.

Three layers, so that what slips through one is caught by the next:

- every process that handles a student's text runs under :func:`cap_memory`
  (an address-space limit: a number too large to build is a ``MemoryError``);
- each search and each piece of feedback runs in a forked child
  (:mod:`.timelimit`) that is killed at its time limit, has a CPU limit of
  its own and dies with its parent;
- the CLI runs its whole command in a worker process that it watches
  (:func:`supervise`): the worker reports before each bounded piece of work
  (:func:`progress`), and is stopped, with one line, when it goes longer than
  the time limit without reporting — a formula whose arithmetic never ends
  inside one C call cannot be interrupted any other way.

>>> seconds_arg("2.5")
2.5
>>> seconds_arg("nan")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: a time limit in seconds must be above 0 and at most 3600, not 'nan'
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import math
import os
import resource
import select
import signal
import stat
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from ..kernel.errors import CheckTimeout, ProofsheetError
from .alarm import Alarm

MEMORY_MIB = 1024  #: address space a process that handles untrusted input may add to its own
#: what a worker says when a file or statement runs out of memory, or nests past Python's stack
OUT_OF_MEMORY = f"out of memory ({MEMORY_MIB} MiB)"
NESTED_TOO_DEEPLY = "the input is nested too deeply"
MAX_FILE_BYTES = 1 << 20  #: the largest file ``check`` reads (a derivation is a few KiB)
MAX_STATEMENT_CHARS = 10_000  #: the longest statement ``prove`` accepts
MAX_SECONDS = 3600.0  #: the largest time limit a user may ask for
MIN_OWN_SECONDS = 2.0  #: the least time a supervised worker gets between two reports
REPORT_SECONDS = 10.0  #: the least time a worker gets to write its report
GRACE_SECONDS = 1.0  #: added to a limit before a process is stopped from outside
CPU_GRACE_SECONDS = 2  #: CPU seconds a search child may use beyond its wall-clock limit
_POLL_SECONDS = 0.05


# --- values a user gives ------------------------------------------------------------------


def seconds_arg(text: str) -> float:
    """``--seconds``: a finite number above 0 and at most :data:`MAX_SECONDS` (argparse type)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 < value <= MAX_SECONDS):
        raise argparse.ArgumentTypeError(
            f"a time limit in seconds must be above 0 and at most {MAX_SECONDS:g}, not {text!r}"
        )
    return value


def statement_arg(text: str) -> str:
    """A statement for ``prove``: at most :data:`MAX_STATEMENT_CHARS` characters (argparse type)."""
    if len(text) > MAX_STATEMENT_CHARS:
        raise argparse.ArgumentTypeError(
            f"the statement has {len(text)} characters; the limit is {MAX_STATEMENT_CHARS}"
        )
    return text


def read_text_file(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The UTF-8 text of a regular file of at most ``max_bytes``; else one-line ProofsheetError.

    FIFOs, devices (``/dev/zero``) and directories are refused before anything is read,
    and never more than ``max_bytes + 1`` bytes are read.
    """
    name = str(path)
    try:
        _refuse_unless_regular(name, os.stat(name), max_bytes)
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as exc:
        raise ProofsheetError(f"{name}: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        _refuse_unless_regular(name, os.fstat(fd), max_bytes)  # the file may have been swapped
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ProofsheetError(f"{name}: over the limit of {_size(max_bytes)}")
    return _decode(name, data)


def read_text_stream(
    stream: BinaryIO, name: str = "<stdin>", max_bytes: int = MAX_FILE_BYTES
) -> str:
    """The UTF-8 text of a binary stream (``sys.stdin.buffer``); reads ``max_bytes + 1`` at most."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ProofsheetError(f"{name}: over the limit of {_size(max_bytes)}")
    return _decode(name, data)


def _refuse_unless_regular(name: str, mode: os.stat_result, max_bytes: int) -> None:
    if stat.S_ISDIR(mode.st_mode):
        raise ProofsheetError(f"{name}: is a directory, not a file")
    if not stat.S_ISREG(mode.st_mode):
        raise ProofsheetError(f"{name}: not a regular file (a FIFO, device or socket)")
    if mode.st_size > max_bytes:
        raise ProofsheetError(f"{name}: {_size(mode.st_size)}; the limit is {_size(max_bytes)}")


def _decode(name: str, data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProofsheetError(f"{name}: not UTF-8 text (byte {exc.start})") from None
    if "\x00" in text:
        raise ProofsheetError(f"{name}: not text (a NUL byte at {text.index(chr(0))})")
    return text


def _size(n: int) -> str:
    return f"{n:,} bytes"


# --- memory and CPU -------------------------------------------------------------------------


def cap_memory(mib: int = MEMORY_MIB) -> None:
    """Let this process (and the children it forks later) map at most ``mib`` MiB of address
    space beyond what it maps now; a larger allocation raises ``MemoryError``.

    Relative, not absolute: a process forked from a large one (a test session, a server, a
    grader with its figures loaded) already maps most of a fixed cap, and its next allocation
    or the growth of its stack would fail at once, as a ``MemoryError`` inside SymPy or a
    segmentation fault. Sets the soft limit, within the hard one.
    """
    wanted = _mapped_bytes() + (mib << 20)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _mapped_bytes() -> int:
    """The address space this process maps now (0 where Linux's ``/proc`` cannot say)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def cap_cpu(seconds: float) -> None:
    """A CPU-time limit for this process: SIGXCPU, then SIGKILL, a little after ``seconds``."""
    soft = math.ceil(seconds) + CPU_GRACE_SECONDS
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard == resource.RLIM_INFINITY or hard > soft:
        resource.setrlimit(resource.RLIMIT_CPU, (soft, soft + 1))


def die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (so no search outlives the CLI)."""
    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


def enter_child(seconds: float) -> None:
    """Everything a freshly forked child that handles untrusted input must do first."""
    die_with_parent()
    cap_memory()
    cap_cpu(seconds)


# --- wall-clock guard inside one process ----------------------------------------------------


def time_limit(seconds: float, what: str) -> Alarm:
    """Raise :class:`CheckTimeout` in the main thread when the block runs over ``seconds``.

    Interrupts Python code only, and only where that is safe (:class:`.alarm.Alarm`: a SymPy
    call, or one long C call such as a huge power of an integer, finishes first);
    :func:`supervise` is the backstop. Elsewhere than the main thread, or inside another
    alarm's block, it does nothing.
    """
    return Alarm(seconds, lambda: CheckTimeout(f"{what} took longer than {seconds:g} s"))


# --- a supervised worker ----------------------------------------------------------------------

_WATCHDOG: dict = {}  # in a supervised worker: {"fd", "pid", "own"}


def progress(seconds: float | None = None, doing: str = "reading or evaluating a formula") -> None:
    """Tell the supervisor the next report comes within ``seconds`` (default: the worker's own).

    A no-op outside a supervised worker, and in the worker's children.
    """
    if _WATCHDOG.get("pid") != os.getpid():
        return
    budget = _WATCHDOG["own"] if seconds is None else seconds
    with contextlib.suppress(OSError):
        os.write(_WATCHDOG["fd"], f"{budget!r} {doing}\n".encode()[:500])


def own_seconds(seconds: float) -> float:
    """The time a piece of a worker's own work (reading a formula) gets: the limit, and at
    least :data:`MIN_OWN_SECONDS` (the first formula also builds the grammar)."""
    return max(seconds, MIN_OWN_SECONDS)


def supervise(
    work: Callable[[], int], seconds: float, say: Callable[[str], None] | None = None
) -> int:
    """Run ``work()`` in a forked worker and return its exit status.

    The worker is stopped when it goes :func:`own_seconds` (or the time it announced with
    :func:`progress`) without a report; then one line says so (``say(line)``, by default on
    ``sys.stderr``: a caller in a thread of a larger process passes its own) and the
    status is 1.

    Inside a supervised worker (``prove --batch`` watches its line worker), every budget is
    passed on to this process's own supervisor, one grace longer: the inner watchdog
    always fires first, and a batch whose lines together run past the limit goes on.
    """
    own = own_seconds(seconds)
    progress(own + 2 * GRACE_SECONDS, "a supervised worker")
    read_end, write_end = os.pipe()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        become_watched(write_end, own)
        os._exit(_worker_status(work))
    os.close(write_end)
    try:
        return _watch(pid, read_end, own, say or _to_stderr)
    except KeyboardInterrupt:
        stop(pid)
        return 130
    finally:
        os.close(read_end)


def _worker_status(work: Callable[[], int]) -> int:
    try:
        status = work()
    except KeyboardInterrupt:
        status = 130
    with contextlib.suppress(Exception):
        sys.stdout.flush()
        sys.stderr.flush()
    return status


class Watch:
    """The deadline of a watched worker: ``own`` seconds (and a grace) at first, then moved on
    by each report the worker writes with :func:`progress` (``"<seconds> <doing>"`` lines)."""

    def __init__(self, own: float) -> None:
        self.budget, self.doing = own, "reading or evaluating a formula"
        self.deadline = time.monotonic() + own + GRACE_SECONDS
        self._pending = b""

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def read(self, data: bytes) -> None:
        """Take the worker's reports in ``data``, and pass each on to this process's own
        supervisor, one grace longer."""
        *records, self._pending = (self._pending + data).split(b"\n")
        for record in records:
            seconds, _, self.doing = record.decode(errors="replace").partition(" ")
            self.budget = float(seconds)
            self.deadline = time.monotonic() + self.budget + GRACE_SECONDS
            progress(self.budget + 2 * GRACE_SECONDS, self.doing)

    def overran(self) -> str:
        return f"{self.doing} took longer than {self.budget:g} s"


def become_watched(fd: int, own: float) -> None:
    """In a freshly forked worker: report to the watcher on ``fd``; ``own`` seconds by default."""
    die_with_parent()
    _WATCHDOG.update(fd=fd, pid=os.getpid(), own=own)


def set_own_seconds(own: float) -> None:
    """In a watched worker: the budget of its next piece of work when it reports none."""
    if _WATCHDOG.get("pid") == os.getpid():
        _WATCHDOG["own"] = own


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr)


def _watch(pid: int, fd: int, own: float, say: Callable[[str], None]) -> int:
    watch, fds = Watch(own), [fd]
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return _report_exit(os.waitstatus_to_exitcode(status), say)
        left = watch.left()
        if left <= 0:
            stop(pid)
            say(f"proofsheet: stopped: {watch.overran()} (nothing after it was checked)")
            return 1
        ready, _, _ = select.select(fds, [], [], min(left, _POLL_SECONDS))
        if not ready:
            continue
        data = os.read(fd, 4096)
        if not data:
            fds = []  # every writer has gone; the worker is about to be reaped
            continue
        watch.read(data)


def stop(pid: int) -> None:
    """Kill the worker ``pid`` and reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def died(code: int) -> str:
    """Why a worker that ended with exit code ``code`` (negative: a signal) gave no answer."""
    if code >= 0:
        return f"the worker process ended (exit status {code})"
    name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
    return f"the worker process died ({name})"


def _report_exit(code: int, say: Callable[[str], None]) -> int:
    if code >= 0:
        return code
    say(f"proofsheet: stopped: {died(code)}")
    return 1
