"""The deadline of an in-process search interrupts only between SymPy calls: an interruption
inside SymPy could leave a half-recorded fact in its cache for the rest of the process."""

from __future__ import annotations

import importlib.util
import os
import time

import pytest
import sympy as sp
from sympy.core.parameters import global_parameters

from proofsheet.search import alarm

TESTS = os.path.dirname(__file__)


class Late(BaseException):
    pass


@pytest.fixture
def own_tests(monkeypatch):
    """This file's functions count as the package's own code (the alarm may stop them)."""
    monkeypatch.setattr(alarm, "OWN_CODE", (*alarm.OWN_CODE, TESTS))


def sympy_work_forever() -> None:
    """Our loop around many short SymPy calls, as a search is."""
    x = sp.Symbol("x", real=True)
    n = 0
    while True:
        n += 1
        e = sp.expand((x + n) ** 6 - (x - n) ** 6)
        assert sp.factor(e).is_polynomial(x)
        assert (sp.exp(x) + n).is_positive


def frames_of(exc: BaseException) -> list[str]:
    tb, names = exc.__traceback__, []
    while tb is not None:
        names.append(tb.tb_frame.f_code.co_filename)
        tb = tb.tb_next
    return names


@pytest.mark.parametrize("seconds", [0.01, 0.03, 0.07, 0.15])
def test_the_alarm_interrupts_our_code_never_sympy(own_tests, seconds):
    sympy_dir = os.path.dirname(sp.__file__)
    with pytest.raises(Late) as caught:
        with alarm.Alarm(seconds, Late) as guard:
            sympy_work_forever()
    assert not guard.forced
    assert not [f for f in frames_of(caught.value) if f.startswith(sympy_dir)]


#: a library of the test's own, loaded from outside the package (as SymPy is)
LIBRARY = """
import time
from sympy.core.parameters import global_parameters


def spin_inside_a_library(seconds):
    global_parameters.evaluate = False
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass
    global_parameters.evaluate = True
"""


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    path = tmp_path_factory.mktemp("elsewhere") / "library.py"
    path.write_text(LIBRARY, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("a_library_elsewhere", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_library_call_past_the_deadline_finishes_and_the_next_line_of_ours_stops(
    own_tests, monkeypatch, library
):
    monkeypatch.setattr(alarm, "FORCE_SECONDS", 5.0)
    finished = []
    with pytest.raises(Late):
        with alarm.Alarm(0.05, Late) as guard:
            library.spin_inside_a_library(0.3)  # past the deadline, but not interrupted
            finished.append(global_parameters.evaluate)
            finished.append("and on")  # never reached
    assert finished == [] or finished == [True]
    assert not guard.forced and global_parameters.evaluate is True


def test_a_library_call_far_past_the_deadline_is_interrupted_and_its_deductions_forgotten(
    monkeypatch, library
):
    monkeypatch.setattr(alarm, "FORCE_SECONDS", 0.2)
    x = sp.Symbol("x", positive=True)
    u_k = sp.IndexedBase("u", real=True)[sp.Symbol("k", integer=True)]
    e = x + 7
    assert e.is_nonnegative  # a deduced fact, recorded on the cached expression
    assert e._assumptions is not type(e).default_assumptions
    start = time.monotonic()
    with pytest.raises(Late):
        with alarm.Alarm(0.05, Late) as guard:
            library.spin_inside_a_library(30)
    assert time.monotonic() - start < 5
    assert guard.forced
    assert global_parameters.evaluate is True  # the library's half-done setting is undone
    assert e._assumptions is type(e).default_assumptions  # forgotten ...
    assert x.is_positive and e.is_nonnegative  # ... and deduced again when asked
    assert u_k.is_real and u_k._assumptions is not type(u_k).default_assumptions  # given: kept


def test_an_alarm_never_fires_after_its_block(own_tests):
    with alarm.Alarm(0.01, Late):
        pass
    time.sleep(0.1)  # a late interruption would be raised here
    with pytest.raises(Late):
        with alarm.Alarm(0.01, Late):
            time.sleep(0.05)
    time.sleep(0.1)  # nor after a block it interrupted


def test_an_alarm_inside_another_is_not_armed_and_leaves_the_outer_one_working(own_tests):
    with pytest.raises(Late):
        with alarm.Alarm(0.05, Late) as outer:
            with alarm.Alarm(0.01, KeyboardInterrupt) as inner:
                assert outer.armed and not inner.armed
            while True:
                pass
