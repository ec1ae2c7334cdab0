"""Searches run in this process up to a soft deadline, then in a child under the hard limit."""

from __future__ import annotations

import os
import threading
import time

import pytest
import sympy as sp

from proofsheet.kernel import Prop
from proofsheet.kernel.errors import CheckTimeout
from proofsheet.kernel.notation import sigma
from proofsheet.search import alarm, timelimit
from proofsheet.search import decide as decide_module


@pytest.fixture
def short_soft_deadline(monkeypatch):
    monkeypatch.setattr(timelimit, "SOFT_SECONDS", 0.2)
    # the spinning below is this file's: let the alarm treat it as the package's own code
    monkeypatch.setattr(alarm, "OWN_CODE", (*alarm.OWN_CODE, os.path.dirname(__file__)))


def where() -> int:
    return os.getpid()


def spin(seconds: float) -> int:
    """Busy Python code for ``seconds``, swallowing every ``Exception`` as a search's
    catch-alls do; then the pid it ran in."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        try:
            sum(range(1000))
        except Exception:  # noqa: BLE001 - what the search's plans do
            pass
    return os.getpid()


def test_a_quick_search_runs_in_this_process():
    assert timelimit.run_soon(where, (), seconds=5) == os.getpid()
    unpicklable = timelimit.run_soon(lambda: lambda: 1, (), seconds=5)
    assert unpicklable() == 1  # nothing crossed a process boundary


def test_a_search_past_the_soft_deadline_moves_to_a_child(short_soft_deadline):
    pid = timelimit.run_soon(spin, (0.5,), seconds=10, retry=lambda s, _rest: spin(0.01))
    assert pid != os.getpid()


def test_a_catch_all_cannot_keep_a_search_in_this_process(short_soft_deadline):
    start = time.perf_counter()
    with pytest.raises(CheckTimeout):
        timelimit.run_soon(spin, (60,), seconds=1)
    assert time.perf_counter() - start < 5


def test_off_the_main_thread_everything_runs_in_a_child():
    found = []
    thread = threading.Thread(target=lambda: found.append(timelimit.run_soon(where, (), 5)))
    thread.start()
    thread.join()
    assert found and found[0] != os.getpid()


def test_an_error_in_this_process_is_one_line_as_from_a_child():
    with pytest.raises(RuntimeError, match="ZeroDivisionError: division by zero"):
        timelimit.run_soon(lambda: 1 / 0, (), seconds=5)


def test_the_alarm_is_off_after_a_run(short_soft_deadline):
    timelimit.run_soon(where, (), seconds=5)
    time.sleep(0.3)  # a stray SoftDeadline would be raised here


def test_each_certificate_is_checked_by_the_kernel_once(monkeypatch):
    checked = []
    real = decide_module.check_plan
    monkeypatch.setattr(decide_module, "check_plan", lambda *a: checked.append(a) or real(*a))
    x = sp.Symbol("x", real=True)
    assert decide_module.decide(Prop(1 - sigma(x), "=", sigma(-x))).status == "verified"
    assert len(checked) == 1
