"""``proofsheet check`` never crashes and never loses a file: fuzzed, damaged and real sheets.

Every formula of a mangled file gets a status; an error inside one step is that step's
reason; exit 2 only for a file that cannot be read at all.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from mangle import mangled
from run_cli import proofsheet

from proofsheet.check.checker import check_text
from proofsheet.check.report import STATUSES, report_json, report_text
from proofsheet.check.robust import read_leniently
from proofsheet.cli import main
from proofsheet.kernel.notation import sigma
from proofsheet.sheet.annotate import annotate

STUDENTS = Path(__file__).parent / "fixtures" / "students"
_RELATION = re.compile(r"=|<|>|\\le|\\ge|\\ne")
FUZZ_BATCHES, FUZZ_BATCH = 10, 30  # 300 mangled files in all


def _formulas_without_a_step(text: str, report) -> list[str]:
    """The formulas of ``text`` that state a relation but got no step at all."""
    document, _ = read_leniently(text)
    lines = {s.line for s in report.steps}
    return [
        b.content
        for b in document.blocks
        if _RELATION.search(b.content)
        and not any(b.line <= n <= b.line + b.content.count("\n") for n in lines)
    ]


@pytest.mark.parametrize("batch", range(FUZZ_BATCHES))
def test_a_mangled_file_gets_a_status_for_every_formula_and_no_traceback(batch, tmp_path):
    for seed in range(batch * FUZZ_BATCH, (batch + 1) * FUZZ_BATCH):
        name, text = mangled(seed)
        report = check_text(text, source=name, seconds=0.5)
        assert {s.status for s in report.steps} <= set(STATUSES), name
        assert not _formulas_without_a_step(text, report), name
        assert report_text(report) and report_json(report)["source"] == name
        if seed % 10 == 0:
            for suffix in (".md", ".tex"):
                annotate(report, tmp_path / f"{seed}{suffix}")


@pytest.mark.parametrize("seed", [3, 42, 299])
def test_a_mangled_file_through_the_command_exits_0_or_1_with_no_traceback(seed, tmp_path):
    _name, text = mangled(seed)
    student = tmp_path / "student.md"
    student.write_text(text, encoding="utf-8")
    out = tmp_path / "o.md"
    result = proofsheet("check", str(student), "--seconds", "5", "--annotate", str(out))
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "steps" in result.stdout.splitlines()[0]


UNREADABLE_FILES = [
    ("missing", None),
    ("a directory", "dir"),
    ("not UTF-8", b"caf\xe9 $$x = x$$\n"),
    ("over the size limit", "$$x = x$$\n" * 200_000),
]


@pytest.mark.parametrize("what, content", UNREADABLE_FILES, ids=[w for w, _ in UNREADABLE_FILES])
def test_only_a_file_that_cannot_be_read_exits_2_with_one_line(what, content, tmp_path, capsys):
    path = tmp_path / "student.md"
    if content == "dir":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    code = main(["check", str(path)])
    assert code == 2 and len(capsys.readouterr().err.strip().splitlines()) == 1


#: (what, the file, the status of each step in order, the exit status)
WHOLE_FILES = [
    (
        "every formula verified, a definition and a hypothesis in prose",
        "设 $0<s<1$，则 $s^2 < s$。\n\nLet $u = 1 - \\sigma(x)$. Then $u = \\sigma(-x)$.\n",
        ["assumption", "assumption", "verified", "definition", "verified"],
        0,
    ),
    (
        "Suppose and 假设 are hypotheses too",
        "Suppose $x > 1$. Then $x^2 > 1$.\n\n假设 $0 < t$，则 $t + 1 > 1$。\n",
        ["assumption", "verified", "assumption", "verified"],
        0,
    ),
    (
        "an unclosed $ in a LaTeX file is one unreadable place, the rest is checked",
        "\\documentclass{article}\\begin{document}\n漏了 $\\sigma(0) = \\frac12\n\n"
        "$1-\\sigma(x) = \\sigma(-x)$\n\\end{document}\n",
        ["unreadable", "verified"],
        1,
    ),
    (
        "a name made a matrix, then used as a number: that step is not checked, the next is",
        "输入 $x=[x_1,x_2]$。\n\n$$\\sigma(x) = \\frac{1}{1+e^{-x}}$$\n\n"
        "$$1 - \\sigma(y) = \\sigma(-y)$$\n",
        ["definition", "undecided", "verified"],
        1,
    ),
    (
        "an unreadable formula does not continue into the next '= …'",
        "$$\\frac{6'(x)}{6(x)} = 1$$\n\n$$= 2$$\n\n$$1 = 1$$\n",
        ["unreadable", "unreadable", "verified"],
        1,
    ),
    (
        "an OCR's lost \\f of \\frac is unreadable, not a wrong step",
        "$$\\sigma'(x) \\le rac{1}{4}$$\n\n$$\\sigma(0) = \\frac{1}{2}$$\n",
        ["unreadable", "verified"],
        1,
    ),
]


@pytest.mark.parametrize("what, text, statuses, code", WHOLE_FILES, ids=[w[0] for w in WHOLE_FILES])
def test_a_whole_file_is_checked_step_by_step_with_its_exit_status(
    what, text, statuses, code, tmp_path, capsys
):
    student = tmp_path / ("student.tex" if "documentclass" in text else "student.md")
    student.write_text(text, encoding="utf-8")
    assert main(["check", str(student), "--json", "--seconds", "2"]) == code
    assert [s["status"] for s in json.loads(capsys.readouterr().out)["steps"]] == statuses


def test_an_error_inside_one_step_is_that_steps_reason(monkeypatch):
    from proofsheet.check import checker

    real = checker.decide

    def broken(prop, *args, **kwargs):
        if prop.lhs.has(sigma):
            raise ZeroDivisionError("a bug in a tactic")
        return real(prop, *args, **kwargs)

    monkeypatch.setattr(checker, "decide", broken)
    report = check_text("$$1 - \\sigma(x) = \\sigma(-x)$$\n\n$$x + x = 2x$$\n", seconds=2)
    first, second = report.steps
    assert first.status == "undecided" and "ZeroDivisionError: a bug" in first.verdict.reason
    assert second.status == "verified"


#: the assignment's own answer sheet, OCR text saved as is: line -> the statuses of its steps.
#: Every readable formula has a verdict; the OCR damage (``rac{`` for \frac, ``heta`` for
#: \theta, ``6'(x)`` for σ'(x), ``id:``) is unreadable; ``6(-X)`` reads as 6·(−X) and is judged
#: as written (false), and no step true as written is refuted.
A2_QA = {
    9: ["definition", "definition", "definition"],  # x = [x_1, x_2], Z_1, A_1
    13: ["definition", "definition"],  # Z_2, A_2
    19: ["definition"],  # L = −(y log ŷ + (1 − y) log(1 − ŷ))
    40: ["unreadable"],  # "id: 1-6(K) = …"
    42: ["refuted", "refuted"],  # 6·(−X) = 1/(1+e^{−X}) = e^{−X}/(1+e^{−X}): false as written
    44: ["refuted"],  # 1 − 6K = 6·(−K): false as written
    48: ["unreadable"],  # 6'(x)
    51: ["unreadable"],  # "= …" continuing the unreadable line 48
    53: ["refuted"],  # Q3 is a new section: x is a number again, and 6x(1 − 6x) is false
    56: ["unreadable"],  # 6'(x)
    73: ["definition"],
    74: ["definition"],
    76: ["unreadable", "unreadable"],  # heta
    80: ["unreadable"],  # rac{
    88: ["unreadable"],
    92: ["unreadable"],
    96: ["definition"],
    98: ["unreadable"],  # 0 < σ'(u) ≤ rac{1}{4}
    102: ["unreadable"],
}


def test_the_assignments_own_answer_sheet_gets_a_status_per_line():
    text = (STUDENTS / "a2_qa.md").read_text(encoding="utf-8")
    report = check_text(text, source="a2_qa.md", seconds=2)
    found: dict[int, list[str]] = {}
    for step in report.steps:
        found.setdefault(step.line, []).append(step.status)
    assert found == A2_QA
    assert not _formulas_without_a_step(text, report)


def test_the_assignments_own_answer_sheet_exits_1():
    result = proofsheet("check", str(STUDENTS / "a2_qa.md"), "--seconds", "5")
    assert result.returncode == 1 and "stopped" not in result.stderr
