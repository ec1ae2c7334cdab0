"""``proofsheet grade``: a class graded on two workers agrees with ``check`` file by file, a rerun
checks nothing again, a resumed run gives the same gradebook, and no file stops the class."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import time
from pathlib import Path

import pytest

from proofsheet.bench.grading import agreement
from proofsheet.check.checker import check_text
from proofsheet.cli import main
from proofsheet.grading import grade, lock, run, work
from proofsheet.kernel.errors import ProofsheetError
from proofsheet.search.limits import read_text_file

SECONDS = 5.0
RIGHT = "$$(x+1)^2 = x^2 + 2x + 1$$\n\n$$1 - \\sigma(x) = \\sigma(-x)$$\n"
#: (student, file name, contents): right, wrong, unreadable, and hostile files
CLASS = [
    ("ana", "ana.md", RIGHT),
    ("ben", "ben.md", "$$\\sigma(-x) = \\frac{1}{1+e^{-x}}$$\n"),
    ("cai", "cai.tex", "Let $a = 2$.\n\\[ (a+1)^2 = a^2 + 1 \\]\n\\[ a + a = 2a \\]\n"),
    ("dee", "dee.md", "$$\\frac{1}{x+y} = \\frac{1}{x} + \\frac{1}{y}$$\n$$x - x = 0$$\n"),
    ("eli", "eli.md", "$$\\sigma(x) = \\frac{1}{1+e^{-x}$$\n\n$$2 + 2 = 4$$\n"),
    (
        "fay",
        "fay.md",
        "$$\\sigma(-x) = \\frac{1}{1+e^{-x}}$$\n$$\\sigma(-y) = \\frac{1}{1+e^{-y}}$$",
    ),
    ("gus", "gus.md", "No formula at all, just prose.\n"),
    ("hal", "hal.md", "a\x00b $$x = x$$\n"),
    ("ivy", "ivy.md", "$$x = x$$\n" + "%" * (2 << 20)),
    ("jon", "jon.tex", b"\xff\xfe $$x = 1$$".decode("latin-1")),
    ("kim", "kim.md", RIGHT + "$$(x-1)^2 = x^2 - 1$$\n"),
    ("lea", "lea.md", "$$\\frac{\\partial L}{\\partial w} = 2w$$\n$$3 \\cdot 4 = 12$$\n"),
]
UNREADABLE_FILES = {"hal", "ivy", "jon"}


def _write(folder: Path, students=CLASS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for _student, name, text in students:
        encoding = "latin-1" if name == "jon.tex" else "utf-8"
        (folder / name).write_bytes(text.encode(encoding))
    return folder


def _book(out: Path) -> dict[str, dict]:
    with open(out / "gradebook.csv", newline="", encoding="utf-8") as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The class graded once on two workers: (submissions, out, run)."""
    base = tmp_path_factory.mktemp("class")
    folder = _write(base / "in")
    run = grade(str(folder), base / "out", jobs=2, seconds=SECONDS, show_progress=False)
    return folder, base / "out", run


def test_the_gradebook_agrees_with_check_text_file_by_file(graded):
    folder, out, run = graded
    book = _book(out)
    assert sorted(book) == sorted(s for s, _n, _t in CLASS)
    for student, name, _text in CLASS:
        row = book[student]
        if student in UNREADABLE_FILES:
            assert (row["status"], row["steps"], row["score"]) == ("unreadable", "0", "0.0")
            continue
        report = check_text(read_text_file(folder / name), seconds=SECONDS)
        first = report.first_wrong
        expected = {
            "steps": len(report.checked),
            "verified": report.count("verified"),
            "wrong": report.count("refuted"),
            "not checked": report.count("undecided"),
            "unreadable": report.count("unreadable"),
            "first wrong line": "" if first is None else first.line,
            "status": "graded",
        }
        assert {k: row[k] for k in expected} == {k: str(v) for k, v in expected.items()}, student
    assert run.status == 1  # three files could not be read


def test_the_bench_finds_the_gradebook_agrees_with_check_json_and_sees_a_changed_row(
    graded, tmp_path
):
    folder, out, _run = graded
    assert agreement(folder, out, jobs=2, seconds=SECONDS) == []
    changed = shutil.copytree(out, tmp_path / "out")
    book = (changed / "gradebook.csv").read_text()
    (changed / "gradebook.csv").write_text(book.replace("\nben,1,0,1,", "\nben,1,1,0,"))
    assert agreement(folder, changed, jobs=2, seconds=SECONDS) == ["ben"]


@pytest.mark.parametrize(
    "student, score",
    [("ana", "100.0"), ("ben", "0.0"), ("cai", "50.0"), ("gus", "0.0"), ("kim", "66.7")],
)
def test_the_score_is_the_verified_steps_as_a_percentage(graded, student, score):
    assert _book(graded[1])[student]["score"] == score


def test_each_student_gets_a_result_and_feedback_in_both_languages(graded):
    _folder, out, _run = graded
    result = json.loads((out / "results" / "ben.json").read_text())
    assert result["report"]["first_wrong_line"] == 1
    assert result["checker"] == work.checker_version() and len(result["sha256"]) == 64
    assert "✗" in (out / "feedback" / "ben.md").read_text()
    assert "\\documentclass" in (out / "feedback" / "hal.tex").read_text()
    assert not list(out.rglob(".*tmp*"))  # no temporary file is left behind


def test_the_summary_counts_each_known_mistake_once_per_student(graded):
    data = json.loads((graded[1] / "summary.json").read_text())
    assert data["mistakes"]["sigma-sign"] == 2  # ben once, fay twice: two students
    assert data["mistakes"]["split-reciprocal"] == 1
    assert data["unreadable"] == sorted(UNREADABLE_FILES)
    assert data["most_wrong_steps"][0] == {
        "step": "\\sigma(-x) = \\frac{1}{1+e^{-x}}",
        "students": 2,
    }
    for chart in ("summary.svg", "summary.png"):
        assert (graded[1] / chart).stat().st_size > 1000


def test_a_rerun_checks_nothing_and_a_deleted_result_is_checked_again(graded, tmp_path):
    folder, out, _run = graded
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    before = (copy / "gradebook.csv").read_bytes()
    again = grade(str(folder), copy, jobs=2, seconds=SECONDS, show_progress=False)
    assert (again.checked, len(again.skipped)) == ([], len(CLASS))
    (copy / "results" / "dee.json").unlink()
    again = grade(str(folder), copy, jobs=2, seconds=SECONDS, show_progress=False)
    assert again.checked == ["dee"]
    assert (copy / "gradebook.csv").read_bytes() == before


def test_a_changed_file_or_time_limit_is_checked_again(graded, tmp_path):
    folder, out, _run = graded
    shutil.copytree(out, tmp_path / "out")
    changed = shutil.copytree(folder, tmp_path / "in")
    (changed / "ana.md").write_text("$$x + 1 = x$$\n")
    again = grade(str(changed), tmp_path / "out", jobs=2, seconds=SECONDS, show_progress=False)
    assert again.checked == ["ana"]
    assert _book(tmp_path / "out")["ana"]["wrong"] == "1"
    again = grade(str(changed), tmp_path / "out", jobs=2, seconds=4.0, show_progress=False)
    assert len(again.checked) == len(CLASS)


def test_a_run_resumed_after_a_part_gives_the_same_gradebook(graded, tmp_path):
    folder, out, _run = graded
    part = grade(str(folder / "[a-e]*"), tmp_path, jobs=2, seconds=SECONDS, show_progress=False)
    assert part.checked == ["ana", "ben", "cai", "dee", "eli"]
    rest = grade(str(folder), tmp_path, jobs=2, seconds=SECONDS, show_progress=False)
    assert len(rest.checked) == len(CLASS) - 5
    for name in ("gradebook.csv", "summary.json", "summary.md"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


def _hostile(original):
    """check_file, except that kim's worker is killed and lea's hangs without a report."""

    def check_file(path, **options):
        if Path(path).stem == "kim":
            os.kill(os.getpid(), signal.SIGKILL)
        if Path(path).stem == "lea":
            time.sleep(60)
        return original(path, **options)

    return check_file


def test_a_killed_or_hanging_worker_is_a_stopped_row_and_the_class_goes_on(tmp_path, monkeypatch):
    folder = _write(tmp_path / "in", [c for c in CLASS if c[0] in {"ana", "kim", "lea"}])
    monkeypatch.setattr(work, "check_file", _hostile(work.check_file))
    started = time.monotonic()
    run = grade(str(folder), tmp_path / "out", jobs=2, seconds=1.0, show_progress=False)
    assert time.monotonic() - started < 30
    book = _book(tmp_path / "out")
    assert [book[s]["status"] for s in ("ana", "kim", "lea")] == ["graded", "stopped", "stopped"]
    reasons = {
        s: json.loads((tmp_path / "out/results" / f"{s}.json").read_text())["reason"]
        for s in ("kim", "lea")
    }
    assert "SIGKILL" in reasons["kim"] and "took longer than" in reasons["lea"]
    assert run.status == 1


def test_ctrl_c_keeps_the_finished_results_and_lists_the_missing(tmp_path, monkeypatch):
    folder = _write(tmp_path / "in", CLASS[:6])
    original = work.check_file

    def interrupted(path, **options):
        if Path(path).stem == "dee":
            raise KeyboardInterrupt
        return original(path, **options)

    monkeypatch.setattr(work, "check_file", interrupted)
    run = grade(str(folder), tmp_path / "out", jobs=1, seconds=SECONDS, show_progress=False)
    assert run.status == 130
    assert run.checked == ["ana", "ben", "cai"]
    assert sorted(p.stem for p in (tmp_path / "out/results").iterdir()) == run.checked
    summary = json.loads((tmp_path / "out/summary.json").read_text())
    assert summary["missing"] == ["dee", "eli", "fay"]
    assert _lock_is_free(tmp_path / "out")


def _lock_is_free(out: Path) -> bool:
    try:
        with lock.holding(out):
            return True
    except ProofsheetError:
        return False


def test_a_second_run_on_the_same_folder_is_one_line_and_exit_2_until_the_first_ends(
    tmp_path, monkeypatch, capsys
):
    folder, out = _write(tmp_path / "in", CLASS[:1]), tmp_path / "out"
    during = []
    write = run.book.write

    def second_run_then_write(*args):
        during.append(_status(["grade", str(folder), "--out", str(out)]))
        write(*args)

    monkeypatch.setattr(run.book, "write", second_run_then_write)
    assert grade(str(folder), out, jobs=1, seconds=SECONDS, show_progress=False).status == 0
    err = capsys.readouterr().err
    assert during == [2] and err.count("\n") == 1
    assert f"{out} is being written by another run (pid {os.getpid()})" in err
    assert _lock_is_free(out)


def test_the_lock_goes_with_a_killed_run(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the first run, stopped by kill -9 while it holds the folder
        with lock.holding(out):
            os.write(write_end, b"held")
            time.sleep(60)
        os._exit(0)
    try:
        assert os.read(read_end, 4) == b"held"
        folder = _write(tmp_path / "in", CLASS[:1])
        assert _status(["grade", str(folder), "--out", str(out)]) == 2
        assert f"(pid {pid})" in capsys.readouterr().err
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    assert _lock_is_free(out)


def test_a_roster_names_the_students(tmp_path):
    folder = _write(tmp_path / "in", CLASS[:2])
    roster = tmp_path / "roster.csv"
    roster.write_text("file,student\nana.md,s001\nben.md,s002\n")
    grade(str(folder), tmp_path / "out", roster=str(roster), jobs=2, show_progress=False)
    assert sorted(_book(tmp_path / "out")) == ["s001", "s002"]


def _status(argv: list[str]) -> int:
    """``main``'s exit status, whether it returns it or argparse exits with it."""
    try:
        return main(argv)
    except SystemExit as exc:
        return exc.code


@pytest.mark.parametrize(
    "args, roster, said",
    [
        (["--jobs", "0"], None, "--jobs must be at least 1"),
        ([], "file,student\nana.md,../../etc/x\n", "not a plain name"),
        ([], "name,id\n", "needs the columns file,student"),
        (["--seconds", "-1"], None, "a time limit in seconds"),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(tmp_path, capsys, args, roster, said):
    folder = _write(tmp_path / "in", CLASS[:1])
    if roster:
        (tmp_path / "r.csv").write_text(roster)
        args = [*args, "--roster", str(tmp_path / "r.csv")]
    assert _status(["grade", str(folder), "--out", str(tmp_path / "o"), *args]) == 2
    err = capsys.readouterr().err
    assert said in err and err.count("\n") == 1


def test_an_empty_folder_is_bad_usage(tmp_path, capsys):
    assert main(["grade", str(tmp_path), "--out", str(tmp_path / "o")]) == 2
    assert "no .md or .tex files" in capsys.readouterr().err
