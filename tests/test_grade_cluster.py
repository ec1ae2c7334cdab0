"""``proofsheet grade --cluster``: a class graded on a two-worker Dask ``LocalCluster`` gives the
local run's gradebook and summary byte for byte, the same sheets and the same results (but for
the steps' timings), a rerun checks nothing again, and a task that fails stops one student."""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path

import pytest
from distributed import LocalCluster

from proofsheet.cli import main
from proofsheet.grading import cluster, grade, work
from proofsheet.grading.submissions import Submission
from proofsheet.kernel.errors import ProofsheetError

SECONDS = 5.0
#: (file name, contents): right, wrong, mixed, prose only, unreadable (NUL, not UTF-8, unparsed)
CLASS = [
    ("ana.md", "$$(x+1)^2 = x^2 + 2x + 1$$\n\n$$1 - \\sigma(x) = \\sigma(-x)$$\n"),
    ("ben.md", "$$\\sigma(-x) = \\frac{1}{1+e^{-x}}$$\n"),
    ("cai.tex", "Let $a = 2$.\n\\[ (a+1)^2 = a^2 + 1 \\]\n\\[ a + a = 2a \\]\n"),
    ("dee.md", "$$\\frac{1}{x+y} = \\frac{1}{x} + \\frac{1}{y}$$\n$$x - x = 0$$\n"),
    ("eli.md", "$$\\sigma(x) = \\frac{1}{1+e^{-x}$$\n\n$$2 + 2 = 4$$\n"),
    ("gus.md", "No formula at all, just prose.\n"),
    ("hal.md", "a\x00b $$x = x$$\n"),
    ("jon.tex", "\xff\xfe $$x = 1$$"),
]
SHARED = ("gradebook.csv", "summary.json", "summary.md")


def _write(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name, text in CLASS:
        (folder / name).write_bytes(text.encode("latin-1" if name == "jon.tex" else "utf-8"))
    return folder


def _without_timings(result: dict) -> dict:
    for step in (result.get("report") or {}).get("steps", []):
        step.pop("ms", None)
    return result


@pytest.fixture(scope="module")
def address():
    with LocalCluster(  # two threads a worker: two checks forked from one process at once
        n_workers=2, threads_per_worker=2, processes=True, dashboard_address=None
    ) as local:
        yield local.scheduler_address


@pytest.fixture(scope="module")
def both(tmp_path_factory, address):
    """The class graded locally and on the cluster: (folder, local out, cluster out, run)."""
    base = tmp_path_factory.mktemp("class")
    folder = _write(base / "in")
    grade(str(folder), base / "local", jobs=2, seconds=SECONDS, show_progress=False)
    run = grade(str(folder), base / "dask", seconds=SECONDS, show_progress=False, cluster=address)
    return folder, base / "local", base / "dask", run


@pytest.mark.parametrize("name", SHARED)
def test_the_cluster_gives_the_local_gradebook_and_summary_byte_for_byte(both, name):
    _folder, local, dask, _run = both
    assert (dask / name).read_bytes() == (local / name).read_bytes()


@pytest.mark.parametrize("name", [Path(n).stem for n, _t in CLASS])
def test_each_student_gets_the_local_sheets_and_result_but_for_timings(both, name):
    _folder, local, dask, _run = both
    for sheet in work.feedback_paths(Path(), name):
        assert (dask / sheet).read_bytes() == (local / sheet).read_bytes()
    results = [json.loads(work.result_path(out, name).read_text()) for out in (local, dask)]
    assert _without_timings(results[1]) == _without_timings(results[0])


def test_the_cluster_run_grades_every_file_and_says_which_could_not_be_read(both):
    _folder, _local, dask, run = both
    assert run.checked == sorted(Path(n).stem for n, _t in CLASS) and run.status == 1
    assert json.loads((dask / "summary.json").read_text())["unreadable"] == ["hal", "jon"]


def test_a_rerun_on_the_cluster_checks_nothing_again(both, address):
    folder, _local, dask, _run = both
    again = grade(str(folder), dask, seconds=SECONDS, show_progress=False, cluster=address)
    assert again.checked == [] and len(again.skipped) == len(CLASS)


def _in_a_thread(task, *args):
    """``task(*args)`` in a thread other than the main one, as Dask runs a task."""
    answers = []
    thread = threading.Thread(target=lambda: answers.append(task(*args)))
    thread.start()
    thread.join(60)
    return answers[0]


def test_a_task_checks_in_a_fork_of_its_thread_as_the_local_run_does(both):
    folder, local, _dask, _run = both
    source = str(folder / "cai.tex")
    text = (folder / "cai.tex").read_text()
    answer = _in_a_thread(cluster.check_on_worker, "cai", source, text, SECONDS)
    expected = json.loads(work.result_path(local, "cai").read_text())
    assert _without_timings(answer["result"]) == _without_timings(expected)
    md, tex = work.feedback_paths(local, "cai")
    assert (answer["md"], answer["tex"]) == (md.read_bytes(), tex.read_bytes())


def test_a_task_whose_check_hangs_is_stopped_and_leaves_the_threads_stderr_alone(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(cluster, "check_text", lambda *_a, **_k: time.sleep(60))
    stderr = sys.stderr
    started = time.monotonic()
    answer = _in_a_thread(cluster.check_on_worker, "sam", str(tmp_path / "sam.md"), "", 0.1)
    assert time.monotonic() - started < 20 and sys.stderr is stderr
    assert answer["result"]["status"] == "stopped" and answer["result"]["report"] is None
    assert "took longer than" in answer["result"]["reason"]


def test_the_command_line_takes_the_cluster_address(tmp_path, address, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "zoe.md").write_text("$$2 + 2 = 4$$\n")
    out = tmp_path / "out"
    args = ["grade", str(folder), "--out", str(out), "--cluster", address, "--seconds", "5"]
    assert main(args) == 0
    assert "1 checked" in capsys.readouterr().out
    assert "zoe,1,1,0,0,0,,100.0,graded" in (out / "gradebook.csv").read_text()


def test_an_address_with_no_scheduler_is_one_error_not_a_hang(tmp_path, monkeypatch):
    monkeypatch.setattr(cluster, "CONNECT_SECONDS", 2)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "zoe.md").write_text("$$x = x$$\n")
    with pytest.raises(ProofsheetError, match="cannot reach the Dask scheduler"):
        grade(str(tmp_path / "in"), tmp_path / "out", cluster="tcp://127.0.0.1:9", seconds=1.0)


_KEY = work.Key(work.checker_version(), SECONDS)
_OK = {"checker": _KEY.checker, "result": None, "md": b"# sheet\n", "tex": b"\\relax\n"}


def _result(status, reason="", report=None) -> dict:
    return {"status": status, "reason": reason, "report": report}


@pytest.mark.parametrize(
    "answer, status, reason",
    [
        (
            {**_OK, "result": _result("stopped", "no report for 7 s (reading a formula)")},
            "stopped",
            "no report for 7 s (reading a formula)",
        ),
        (
            {**_OK, "result": _result("unreadable", "the input is nested too deeply")},
            "unreadable",
            "the input is nested too deeply",
        ),
        ({**_OK, "result": _result("unreadable", None)}, "stopped", "the task wrote no result"),
        ({**_OK, "result": _result("graded", "", None)}, "stopped", "the task wrote no result"),
        (
            {**_OK, "result": _result("graded", "", {"steps": []}), "tex": None},
            "stopped",
            "the task wrote no result",
        ),
        ({**_OK, "result": _result("verified")}, "stopped", "the task wrote no result"),
        (_OK, "stopped", "the task wrote no result"),
        (
            {**_OK, "checker": "0.0.1+other", "result": _result("graded", "", {"steps": []})},
            "stopped",
            "the worker runs checker 0.0.1+other",
        ),
        (RuntimeError("worker lost"), "stopped", "the Dask task failed (RuntimeError"),
    ],
)
def test_a_task_that_did_not_check_the_file_records_no_steps(tmp_path, answer, status, reason):
    sub = Submission("sam", tmp_path / "sam.md")
    for folder in ("results", "feedback"):
        (tmp_path / folder).mkdir()
    cluster._record(sub, tmp_path, _KEY, "0" * 64, answer)
    result = json.loads(work.result_path(tmp_path, "sam").read_text())
    assert (result["status"], result["report"]) == (status, None)
    assert result["reason"].startswith(reason)


def test_a_checked_answer_is_recorded_with_its_sheets(tmp_path):
    sub = Submission("sam", tmp_path / "sam.md")
    for folder in ("results", "feedback"):
        (tmp_path / folder).mkdir()
    answer = {**_OK, "result": _result("graded", "", {"steps": [], "summary": {}})}
    cluster._record(sub, tmp_path, _KEY, "0" * 64, answer)
    result = json.loads(work.result_path(tmp_path, "sam").read_text())
    assert (result["status"], result["report"]) == ("graded", {"steps": [], "summary": {}})
    md, tex = work.feedback_paths(tmp_path, "sam")
    assert (md.read_bytes(), tex.read_bytes()) == (_OK["md"], _OK["tex"])
