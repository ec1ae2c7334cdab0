"""Hostile inputs end within their limits, in one line, with no traceback; names print, not run.

The table lives in :mod:`proofsheet.soundness.hostile` (``make soundness`` runs it too);
here its cases run a few at a time, each in a fresh process tree.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sympy as sp

from proofsheet.kernel.errors import CheckTimeout, ProofsheetError
from proofsheet.search import alarm, limits
from proofsheet.search.timelimit import run_with_limit
from proofsheet.sheet.escaping import MATH_NAME_COMMANDS, forbidden_tex, math_name, student_math
from proofsheet.soundness.hostile import HOSTILE, HostileCase, run_case, run_cases

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def results():
    return {result.name: result for result in run_cases()}


@pytest.mark.parametrize("case", HOSTILE, ids=lambda case: case.name)
def test_hostile_input_ends_within_its_limits_in_one_line(results, case: HostileCase):
    result = results[case.name]
    assert result.passed, f"{result.detail} ({result.seconds:.1f} s, {result.peak_mib:.0f} MiB)"


def test_a_case_that_hangs_fails_the_table():
    sleeper = HostileCase("sleeps", ("check", "/dev/zero"), None, 0.01, 1024)
    assert not run_case(sleeper).passed


# --- names in printed math -------------------------------------------------------------------

HOSTILE_NAMES = [
    r"x_{\input{/etc/passwd}}",
    r"\write18{touch pwned}",
    r"\csname input\endcsname{/etc/passwd}",
    r"a^^5cinput{/etc/passwd}",
    r"\catcode`\%=12",
    r"\def\x{\input{/etc/passwd}}",
    r"x_{\openin5=/etc/passwd \read5 to\x}",
    "x_{{\\input{/etc/passwd}}",
    "\\",
    r"\^^5c",
]
SAFE_NAMES = [r"\hat{y}", r"\sigma", "x_{1}", r"W^{(1)}", r"\mathbf{x}_{i}", r"\theta'", r"\Delta"]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_name_that_would_run_a_tex_command_is_printed_instead(name):
    safe = math_name(name)
    assert forbidden_tex(safe) is None
    assert not any(f"\\{word}" in safe for word in ("input", "write", "csname", "catcode", "def"))


@pytest.mark.parametrize("name", SAFE_NAMES)
def test_a_name_made_of_allowed_commands_is_kept(name):
    assert math_name(name) == name


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_student_step_prints_its_names_safely(name):
    step = student_math(sp.Symbol(name) + sp.Function(name)(sp.Symbol("y")), "=", sp.Integer(1))
    assert forbidden_tex(step) is None


def test_the_allow_list_holds_no_primitive_that_reads_or_writes():
    primitives = {"input", "write", "read", "csname", "def", "catcode", "openin", "special"}
    assert primitives & MATH_NAME_COMMANDS == set()


# --- the limits themselves ----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["nan", "inf", "-inf", "1e300", "-1", "0", "3601", "soon", ""])
def test_a_time_limit_that_is_not_one_is_refused(text):
    with pytest.raises(Exception, match="above 0 and at most 3600"):
        limits.seconds_arg(text)


@pytest.mark.parametrize("seconds", [float("nan"), float("inf"), 0.0, -1.0])
def test_a_search_refuses_a_time_limit_that_is_not_one(seconds):
    with pytest.raises(ValueError):
        run_with_limit(sum, ([1],), seconds)


def test_a_search_over_the_memory_cap_is_an_error_not_a_crash():
    with pytest.raises(RuntimeError, match="out of memory|killed"):
        run_with_limit(bytearray, ((limits.MEMORY_MIB + 64) << 20,), 20)


def test_a_search_forked_from_a_large_process_still_has_its_memory():
    # a long-lived parent (a test session, a server) may map more than the cap itself; its
    # children's searches must still get their memory (a fixed cap left them none: MemoryError
    # inside SymPy, or a segmentation fault when the stack grew)
    with mmap.mmap(-1, (limits.MEMORY_MIB + 256) << 20) as mapped_not_touched:
        assert len(mapped_not_touched) > limits.MEMORY_MIB << 20
        assert run_with_limit(lambda: len(bytearray(64 << 20)), (), 20) == 64 << 20


@pytest.mark.parametrize(
    "data, said",
    [(b"x" * 11 + b"rest", "over the limit of 10 bytes"), (b"ok \xff", "not UTF-8 text (byte 3)")],
)
def test_a_stream_is_read_only_up_to_its_limit(data, said):
    import io

    stream = io.BytesIO(data)
    with pytest.raises(ProofsheetError, match=re.escape(said)):
        limits.read_text_stream(stream, max_bytes=10)
    assert stream.tell() <= 11


def test_the_wall_clock_guard_interrupts_python_code(monkeypatch):
    monkeypatch.setattr(alarm, "OWN_CODE", (*alarm.OWN_CODE, os.path.dirname(__file__)))
    start = time.monotonic()
    with pytest.raises(CheckTimeout, match="spinning took longer than 0.2 s"):
        with limits.time_limit(0.2, "spinning"):
            while True:
                pass
    assert time.monotonic() - start < 5


def test_a_formula_whose_reading_runs_out_of_time_is_unreadable_and_the_rest_is_checked(
    monkeypatch,
):
    from proofsheet.check import checker

    real = checker.parse_math

    def slow_on_the_first(content, **options):
        while "2^" in content:
            pass
        return real(content, **options)

    monkeypatch.setattr(checker, "parse_math", slow_on_the_first)
    report = checker.check_text("$$2^x = 1$$\n\n$$1 - \\sigma(x) = \\sigma(-x)$$", seconds=0.3)
    assert [s.status for s in report.steps] == ["unreadable", "verified"], report.steps
    assert f"took longer than {limits.own_seconds(0.3):g} s" in report.steps[0].unreadable


def test_the_supervisor_stops_a_worker_stuck_in_one_c_call(capfd):
    start = time.monotonic()
    status = limits.supervise(lambda: (10 ** (10**9), 0)[1], seconds=0.1)
    assert status == 1 and time.monotonic() - start < limits.MIN_OWN_SECONDS + 10
    assert capfd.readouterr().err.startswith("proofsheet: stopped: ")


def test_a_nested_supervisor_keeps_its_own_supervisor_informed():
    """``prove --batch`` supervises each line inside the supervised CLI worker: lines that
    together run past the outer limit must not stop the batch (red team, issue 12)."""
    one_line = lambda: limits.supervise(lambda: (time.sleep(1.2), 0)[1], seconds=2)
    batch = lambda: max(one_line() for _ in range(3))  # 3.6 s > the outer 2 s + grace
    assert limits.supervise(batch, seconds=2) == 0


def test_the_supervisor_passes_on_the_workers_exit_status():
    assert limits.supervise(lambda: 2, seconds=5) == 2


def test_a_search_dies_with_the_process_that_started_it():
    code = (
        "import time; from proofsheet.search.timelimit import run_with_limit; "
        "run_with_limit(time.sleep, (60,), 60)"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        child = _first_child(parent.pid)
        parent.kill()
        parent.wait()
        assert _gone(child), "the search outlived its parent"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(parent.pid, signal.SIGKILL)


def _first_child(pid: int, seconds: float = 20) -> int:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = children.read_text().split() if children.exists() else []
        if found:
            return int(found[0])
        time.sleep(0.05)
    raise AssertionError("the search process never started")


def _gone(pid: int, seconds: float = 5) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status = Path(f"/proc/{pid}/status")
        if not status.exists() or "State:\tZ" in status.read_text():
            return True
        time.sleep(0.05)
    return False
