"""A wall-clock deadline that interrupts Python code only where that is safe: between SymPy calls.

An exception raised from a signal handler lands wherever the interpreter happens to be. Inside
SymPy that can be halfway through recording what it has deduced about an expression: the
expression is cached and shared by everything the process does after it, so a half-recorded
fact (``positive`` known, ``nonnegative`` not) leaves later questions about it unanswered for
the rest of the process. It can also land in a ``finally`` that was about to switch the alarm
off, and then the alarm goes on firing into whatever runs next.

So an :class:`Alarm` raises only when every frame between the code it guards and the
interrupted one is proofsheet's own (and none is this module's); otherwise it tries again every
:data:`RETRY_SECONDS`. A single SymPy call that is still running :data:`FORCE_SECONDS` after
the deadline is interrupted all the same, and then :func:`forget_deductions` wipes SymPy's
cache and every expression's recorded facts, so that nothing half-deduced outlives it.

Only the main thread receives signals: elsewhere, and inside another alarm's block, an
``Alarm`` does nothing (:attr:`Alarm.armed` is False) and the caller must bound the work in
another way.

>>> with Alarm(5, lambda: TimeoutError("late")) as alarm:
...     alarm.armed
True
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType

import sympy as sp
from sympy.core.cache import clear_cache
from sympy.core.parameters import global_parameters

RETRY_SECONDS = 0.01  #: how often a deadline that found no safe point tries again
FORCE_SECONDS = 0.5  #: how long past its deadline one call may run before it is interrupted anyway

#: where the code is that may be interrupted: this package's (spelled as the import system
#: spelled it, the same way for every module of the package)
OWN_CODE: tuple[str, ...] = (os.path.dirname(os.path.dirname(__file__)) + os.sep,)
_HERE = __file__
_PARAMETERS = ("evaluate", "distribute", "exp_is_pow")

_state = threading.local()


def active() -> bool:
    """Whether an alarm is armed in this thread now."""
    return getattr(_state, "alarm", None) is not None


class Alarm:
    """Raise ``error()`` in the block once ``seconds`` have passed, at the first safe point."""

    def __init__(self, seconds: float, error: Callable[[], BaseException]) -> None:
        self.seconds, self.error = seconds, error
        self.armed = threading.current_thread() is threading.main_thread() and not active()
        self.forced = False  #: whether it had to interrupt SymPy (and so wiped its deductions)
        self._live = self._tracing = False

    def __enter__(self) -> Alarm:
        if not self.armed:
            return self
        self._base = sys._getframe(1)
        self._force_at = time.monotonic() + self.seconds + FORCE_SECONDS
        self._parameters = {p: getattr(global_parameters, p) for p in _PARAMETERS}
        self._previous = signal.signal(signal.SIGALRM, self._expire)
        _state.alarm = self
        self._live = True
        signal.setitimer(signal.ITIMER_REAL, self.seconds, RETRY_SECONDS)
        return self

    def __exit__(self, *_exc) -> None:
        if not self.armed:
            return
        self._live = False  # first: a signal already on its way is ignored from here on
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self._previous)
        if self._tracing:
            sys.settrace(None)
        _state.alarm = None
        del self._base
        if self.forced:
            forget_deductions(self._parameters)

    def _expire(self, _signum: int, frame: FrameType | None) -> None:
        if not self._live:
            return
        where, caller = _where(frame, self._base)
        if where == "outside":
            return
        if where == "library" and time.monotonic() < self._force_at:
            if caller is not None:
                self._trap(caller)
            return
        self._interrupt(forced=where == "library")

    def _interrupt(self, forced: bool) -> None:
        self._live = False  # one interruption a block: a second could land in a cleanup
        self.forced = forced
        raise self.error()

    def _trap(self, frame: FrameType) -> None:
        """Interrupt at ``frame``'s next line, once the library call it made has returned."""
        if frame.f_trace is self._step:
            return
        if sys.gettrace() is None:  # a frame's own trace function runs only while tracing is on
            sys.settrace(_no_new_frames)
            self._tracing = True
        frame.f_trace_lines, frame.f_trace = True, self._step

    def _step(self, frame: FrameType, event: str, _arg: object):
        if not self._live:
            return None
        if event == "line":
            self._interrupt(forced=False)
        if event == "return" and frame is not self._base and frame.f_back is not None:
            self._trap(frame.f_back)  # a caller of ours, since the library's frames are above
        return self._step


def _no_new_frames(_frame: FrameType, _event: str, _arg: object) -> None:
    """A global trace function that traces no frame it is told about."""
    return None


def _where(frame: FrameType | None, base: FrameType) -> tuple[str, FrameType | None]:
    """Where ``frame`` is: ``"outside"`` the guarded block (or in this module), in ``"ours"``
    only (the package's code, from ``base``, the block's own frame, up), or in a
    ``"library"`` (SymPy, mpmath, contextlib restoring a setting); then also the frame of ours
    that called the library, if there is one."""
    caller = None
    while frame is not None:
        name = frame.f_code.co_filename
        if name == _HERE:
            return "outside", None
        if not name.startswith(OWN_CODE):
            caller = frame.f_back
        if frame is base:
            break
        frame = frame.f_back
    if frame is None:
        return "outside", None
    if caller is None:
        return "ours", None
    return "library", (None if caller is base.f_back else caller)


def forget_deductions(parameters: dict[str, object]) -> None:
    """Forget every fact SymPy has deduced and cached, and restore its global settings: after
    an interruption inside SymPy, whatever it was recording may be half-written."""
    clear_cache()
    for obj in gc.get_objects():
        if isinstance(obj, sp.Basic):
            default = type(obj).default_assumptions
            facts = getattr(obj, "_assumptions", default)  # one interrupted while it was made
            # facts given when it was made (a symbol's, u[k]'s from u) are kept as they are
            if facts is not default and getattr(facts, "_generator", None) == default._generator:
                obj._assumptions = default
    for name, value in parameters.items():
        setattr(global_parameters, name, value)
