"""Feedback a student understands: marks with words, a counterexample to 6 digits, a hint only
when it is right, assumptions that name nothing reported, and the student's own text annotated.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import sympy as sp

from proofsheet.check.buggy import diagnose
from proofsheet.check.checker import check_text
from proofsheet.check.report import report_json, report_text
from proofsheet.kernel import Prop
from proofsheet.kernel.errors import ParseError
from proofsheet.parsing.latex import parse_math
from proofsheet.sheet import pdf
from proofsheet.sheet.annotate import annotate

STUDENTS = Path(__file__).parent / "fixtures" / "students"

#: (a step, the words that start its line in the report)
LABELS = [
    ("$$1 - \\sigma(x) = \\sigma(-x)$$", "✓ verified — line 1"),
    ("$$\\sigma(-x) = \\frac{1}{1+e^{-x}}$$", "✗ wrong — line 1"),
    ("$$\\frac{\\partial L}{\\partial w} = 2w$$", "? not checked — line 1"),
    ("$$\\sigma(x) = \\frac{1}{1+e^{-x}$$", "! unreadable — line 1"),
    ("Let $0 < s < 1$.", "≔ assumption — line 1"),
]


@pytest.mark.parametrize("text, head", LABELS, ids=[h for _t, h in LABELS])
def test_each_step_is_marked_with_a_word_a_student_reads(text, head):
    lines = report_text(check_text(text, seconds=2)).splitlines()
    assert any(line.startswith(head) for line in lines), lines


def test_the_first_wrong_step_is_the_first_refuted_never_an_unchecked_one():
    text = (
        "$$\\frac{\\partial L}{\\partial w} = 2w$$\n\n"  # not checked: L is not defined
        "$$\\sigma(-x) = \\frac{1}{1+e^{-x}}$$\n\n"  # wrong
        "$$\\sigma(0) = 1$$\n"  # wrong too, but not the first
    )
    lines = report_text(check_text(text, seconds=2)).splitlines()
    marked = [line for line in lines if "first wrong step" in line]
    assert len(marked) == 1 and marked[0].startswith("✗ wrong — line 3")
    assert report_json(check_text(text, seconds=2))["first_wrong_line"] == 3


def test_a_counterexample_is_shown_to_6_digits_and_kept_whole_in_json():
    report = check_text("$$\\sigma(-x) = \\frac{1}{1+e^{-x}}$$", seconds=2)
    text = report_text(report)
    assert "left side = 0.268941, right side = 0.731059" in text
    full = report_json(report)["steps"][0]["counterexample"]
    assert len(full["lhs"]) > 20 and full["lhs"].startswith("0.2689414213")


#: (a product bound, whether the factor-count hint belongs to it)
PRODUCT_HINTS = [
    ("\\prod_{k=i}^{D}\\sigma'(u^{(k)}) \\le \\left(\\frac{1}{4}\\right)^{D-i+1}", False),  # right
    ("\\prod_{k=1}^{n}\\sigma'(u_k) \\le 4^{-n}", False),  # right: 4^{-n} is (1/4)^n
    ("\\prod_{k=i}^{D}\\sigma'(u^{(k)}) \\le \\left(\\frac{1}{4}\\right)^{D-i}", False),  # true
    ("\\prod_{k=i}^{D}\\sigma'(u^{(k)}) \\le \\left(\\frac{1}{4}\\right)^{L-i+1}", True),
    ("\\prod_{k=1}^{n}\\sigma'(u_k) \\le \\left(\\frac{1}{4}\\right)^{n+1}", True),
]


@pytest.mark.parametrize("latex, hinted", PRODUCT_HINTS, ids=[h[0] for h in PRODUCT_HINTS])
def test_the_factor_count_hint_is_given_only_when_its_corrected_step_verifies(latex, hinted):
    chain = parse_math(latex)[0]
    rule = diagnose(Prop(chain.terms[0], chain.rels[0], chain.terms[1]), seconds=5)
    assert (rule is not None and rule.name == "factor-count") is hinted


#: (a file with an assumption comment, the warning expected or None)
ASSUMPTION_NAMES = [
    ("% assume: 0<yhat<1\n\n$$\\sigma(\\hat{y}) > 0$$\n", "names a, h, t, y, which no formula"),
    ("% assume: 0<q<1\n\n$$\\sigma(z) > 0$$\n", "names q, which no formula uses"),
    ("% assume: 0<s<1\n\n$$s(1-s) \\le \\frac14$$\n", None),
]


@pytest.mark.parametrize("text, warning", ASSUMPTION_NAMES, ids=["yhat", "unused", "used"])
def test_an_assumption_that_names_no_symbol_of_the_file_is_reported(text, warning):
    report = check_text(text, seconds=2)
    shown = [line for line in report_text(report).splitlines() if line.startswith("warning:")]
    if warning is None:
        assert shown == [] and report.warnings == ()
    else:
        assert len(shown) == 1 and warning in shown[0] and "line 1" in shown[0]


#: (assumptions given as strings, the same as Props, the step) — strings are parsed, not eval'd
x = sp.Symbol("x", real=True)
STRING_ASSUMPTIONS = [
    (["0 < x"], (Prop(sp.Integer(0), "<", x),), "$$\\log(x^2) = 2\\log(x)$$"),
    ("x > 1 and x < 3", (Prop(x, ">", 1), Prop(x, "<", 3)), "$$\\log(x) > 0$$"),
]


@pytest.mark.parametrize("strings, props, text", STRING_ASSUMPTIONS, ids=["list", "one string"])
def test_check_text_takes_assumptions_as_strings(strings, props, text):
    from_strings = check_text(text, assumptions=strings, seconds=2)
    from_props = check_text(text, assumptions=props, seconds=2)
    assert from_strings.assumptions == from_props.assumptions == props
    assert [s.status for s in from_strings.steps] == [s.status for s in from_props.steps]


def test_an_assumption_string_that_is_not_a_relation_is_one_clear_error():
    with pytest.raises(ParseError, match="assumption"):
        check_text("$$x = x$$", assumptions=["__import__('os')"])


#: the hurried students' files: line -> the statuses of its steps, and the exit status
STUDENT_FILES = {
    "en_sigmoid.md": {
        3: ["verified"],
        5: ["verified", "verified"],
        9: ["verified", "verified"],
        11: ["verified", "refuted"],  # σ'(x) = σ(x)^2 is wrong
        13: ["assumption", "assumption", "verified", "verified"],  # Let 0 < s < 1. …
        15: ["unreadable"],  # a brace never closed
        17: ["verified", "verified"],
    },
    "zh_bound.md": {
        3: ["assumption", "assumption", "undecided"],  # 设 0<s<1，令 s=σ(x): s is taken
        5: ["verified"],
        7: ["undecided", "verified"],  # σ'(x) = s(1−s): never refuted with s's definition refused
        9: ["verified", "verified", "verified"],
        11: ["verified", "verified"],
    },
    "zh_mixed.tex": {
        5: ["verified"],
        7: ["verified"],
        8: ["verified"],
        10: ["unreadable"],  # a $ never closed
        13: ["refuted"],  # σ(−x) = 1/(1+e^{−x})
        14: ["verified"],
    },
}


@pytest.mark.parametrize("name", sorted(STUDENT_FILES))
def test_a_hurried_students_file_gets_the_expected_status_per_line(name):
    text = (STUDENTS / name).read_text(encoding="utf-8")
    found: dict[int, list[str]] = {}
    for step in check_text(text, source=name, seconds=2).steps:
        found.setdefault(step.line, []).append(step.status)
    assert found == STUDENT_FILES[name]


def _annotated(name: str, suffix: str, tmp_path: Path) -> tuple[str, str, Path]:
    text = (STUDENTS / name).read_text(encoding="utf-8")
    out = tmp_path / f"annotated{suffix}"
    annotate(check_text(text, source=name, seconds=2), out)
    return text, out.read_text(encoding="utf-8"), out


@pytest.mark.parametrize("name", ["en_sigmoid.md", "zh_bound.md", "a2_qa.md"])
def test_the_annotated_markdown_is_the_students_text_line_for_line_with_a_note(name, tmp_path):
    text, shown, _ = _annotated(name, ".md", tmp_path)
    rows = iter(shown.split("\n"))
    assert all(line in rows for line in text.split("\n"))  # every line, in order, as written
    notes = [line for line in shown.split("\n") if line.startswith("> **")]
    report = check_text(text, seconds=2)
    assert len(notes) == len(report.steps)
    assert sum("✗ wrong" in n for n in notes) == report.count("refuted")


@pytest.fixture(scope="module")
def tex() -> None:
    missing = [tool for tool in ("latexmk", "xelatex", "pdftotext") if shutil.which(tool) is None]
    if missing:
        reason = f"{', '.join(missing)} not on the PATH; install with: {pdf.INSTALL_HINT}"
        if os.environ.get("CI"):
            pytest.fail(f"CI must compile the PDFs, but {reason}")
        pytest.skip(reason)


@pytest.mark.parametrize("name", ["zh_mixed.tex", "a2_qa.md"])
def test_the_annotated_latex_compiles_with_the_chinese_text_and_every_mark(name, tmp_path, tex):
    import subprocess

    text, shown, out = _annotated(name, ".tex", tmp_path)
    assert "\\input{" not in shown and "\\write18" not in shown
    compiled = pdf.compile_pdf(out, timeout=300)
    assert not pdf.missing_characters(pdf.log_path(out).read_text(errors="replace"))
    words = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(compiled), "-"], capture_output=True, text=True
    ).stdout
    chinese = re.findall(r"[\u4e00-\u9fff]{4,}", text)
    assert chinese and all(c in words.replace("\n", "") for c in chinese[:3])
    assert "wrong" in words and "unreadable" in words


@pytest.mark.parametrize(
    "line, latex",
    [
        ("# 作业二", r"\section*{作业二}"),
        ("## Q3 sigmoid", r"\subsection*{Q3 sigmoid}"),
        ("### (b) 证明", r"\subsubsection*{(b) 证明}"),
        ("#hashtag, not a heading", r"\#hashtag, not a heading"),
    ],
)
def test_a_markdown_heading_is_a_heading_in_the_annotated_latex(line, latex, tmp_path):
    report = check_text(f"{line}\n\n$x + x = 2x$\n", seconds=2)
    out = tmp_path / "sheet.tex"
    annotate(report, out)
    assert latex in out.read_text(encoding="utf-8")
