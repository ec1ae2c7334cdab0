"""`proofsheet check`: verdicts per step, definitions, known mistakes, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sympy as sp

from proofsheet.buggy import diagnose
from proofsheet.checker import check_text
from proofsheet.errors import ParseError
from proofsheet.kernel import Prop
from proofsheet.parsing.latex import parse_math

FIXTURES = Path(__file__).parent / "fixtures"

#: The transcribed A2 sheet: (line, status) of every step, in order.
A2_EXPECTED = [
    (9, "verified"), (9, "verified"),                       # Q3.1: 1 − σ(x) = … = e^(−x)/(1 + e^(−x))
    (11, "refuted"), (11, "refuted"),                       # σ(−x) = 1/(1 + e^(−x)) — the sign slip
    (13, "verified"),                                       # ∴ 1 − σ(x) = σ(−x) (true, badly argued)
    (17, "verified"), (17, "verified"), (17, "verified"),   # Q3.2 chain rule
    (19, "verified"), (21, "verified"),
    (25, "definition"), (25, "definition"),                 # u⁽ⁱ⁾ and y⁽ⁱ⁾
    (29, "verified"), (29, "verified"),                     # 0 < σ'(u) ≤ 1/4
    (33, "refuted"),                                        # ∏ ≤ (1/4)^(L−i+1): the wrong letter
]


@pytest.fixture(scope="module")
def a2_report():
    text = (FIXTURES / "a2_student.md").read_text(encoding="utf-8")
    return check_text(text, source="a2_student.md")


def test_a2_sheet_gets_the_expected_verdict_for_every_step(a2_report):
    assert [(s.line, s.status) for s in a2_report.steps] == A2_EXPECTED


def test_a2_first_wrong_step_is_the_sigma_of_minus_x_line(a2_report):
    first = a2_report.first_wrong
    assert first.line == 11 and first.text.startswith(r"\sigma(-x)")
    assert dict(first.verdict.refutation.point) == {sp.Symbol("x", real=True): 1}


def test_a2_mistakes_are_named(a2_report):
    mistakes = {s.line: s.mistake for s in a2_report.steps if s.mistake}
    assert "flips the sign" in mistakes[11]
    assert "b − a + 1" in mistakes[33]


def step(latex: str) -> Prop:
    chain = parse_math(latex)[0]
    return Prop(chain.terms[0], chain.rels[0], chain.terms[1])


BUGGY = [
    (r"\sigma(-x) = \frac{1}{1+e^{-x}}", "sigma-sign"),
    (r"\frac{1}{1+e^{-x}} = 1 + e^{x}", "split-reciprocal"),
    (r"\frac{d}{dx}\log(1+e^{-x}) = \frac{1}{1+e^{-x}}", "chain-rule-factor"),
    (r"\frac{d}{dx}\log(x) = \frac{1}{x \ln(10)}", "log-base"),
    (r"\frac{d}{dx}\sigma(x) = -\sigma(x)(1-\sigma(x))", "sign"),
    (r"\prod_{k=i}^{D}\sigma'(u^{(k)}) \le \left(\frac{1}{4}\right)^{D-i}", "factor-count"),
]


@pytest.mark.parametrize("latex, rule", BUGGY)
def test_known_mistake_is_recognised(latex, rule):
    found = diagnose(step(latex))
    assert found is not None and found.name == rule


@pytest.mark.parametrize("latex", [r"1 - \sigma(x) = \sigma(-x)", r"\frac{d}{dx}\sigma(x) = \sigma(x)(1-\sigma(x))"])
def test_a_right_step_is_not_blamed_on_a_mistake(latex):
    assert diagnose(step(latex)) is None


def test_definitions_are_substituted_into_later_steps():
    text = ("Let $\\hat{y} = \\sigma(z)$ and $L := -(y\\log\\hat{y} + (1-y)\\log(1-\\hat{y}))$.\n\n"
            "$$\\frac{\\partial L}{\\partial z} = \\hat{y} - y$$\n\n"
            "$$\\frac{\\partial L}{\\partial z} = y - \\hat{y}$$\n")
    report = check_text(text)
    assert [s.status for s in report.steps] == ["definition", "definition", "verified", "refuted"]


def test_a_name_already_used_is_checked_not_defined():
    report = check_text("$$x + 1 = 1 + x$$\n\n$$x = 2$$")
    assert [s.status for s in report.steps] == ["verified", "refuted"]


def test_assumption_comments_are_used():
    with_assumption = check_text("<!-- assume: 0 < s < 1 -->\n$$0 \\le s(1-s)$$")
    without = check_text("$$0 \\le s(1-s)$$")
    assert with_assumption.ok and not without.ok


def test_a_step_that_runs_out_of_time_is_undecided_and_the_rest_is_still_checked():
    text = "$$(a^2+2ab+b^2+c)^{40} = ((a+b)^2+c)^{40}$$\n\n$$1 - \\sigma(x) = \\sigma(-x)$$"
    report = check_text(text, seconds=1.0)
    assert [s.status for s in report.steps] == ["undecided", "verified"]
    assert not report.ok


def proofsheet(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "proofsheet.cli", *args], capture_output=True,
                          text=True, timeout=300)


def test_check_exit_codes(tmp_path):
    right = tmp_path / "right.md"
    right.write_text("$$1 - \\sigma(x) = \\sigma(-x)$$\n", encoding="utf-8")
    assert proofsheet("check", str(right)).returncode == 0
    assert proofsheet("check", str(FIXTURES / "a2_student.md")).returncode == 1


@pytest.mark.parametrize("content, where", [
    ("prose\n\n$$\\frac{1}{2 = x$$\n", ":3:"),
    ("$$x = \\foo{y}$$\n", ":1:"),
    ("text $$ x = $$", ":1:"),
])
def test_malformed_latex_exits_2_with_line_and_column(tmp_path, content, where):
    bad = tmp_path / "bad.md"
    bad.write_text(content, encoding="utf-8")
    result = proofsheet("check", str(bad))
    assert result.returncode == 2
    assert where in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("make", [lambda p: None, lambda p: p.write_bytes(b"\xff\xfe\x00 binary")])
def test_unreadable_file_exits_2_in_one_line(tmp_path, make):
    path = tmp_path / "answer.md"
    make(path)
    result = proofsheet("check", str(path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_json_lists_every_step_with_its_evidence():
    result = proofsheet("check", str(FIXTURES / "a2_student.md"), "--json")
    data = json.loads(result.stdout)
    assert data["first_wrong_line"] == 11 and len(data["steps"]) == len(A2_EXPECTED)
    refuted = [s for s in data["steps"] if s["status"] == "refuted"]
    assert all(s["counterexample"]["point"] for s in refuted)


@pytest.mark.parametrize("suffix, marker", [(".md", "✗ line 11"), (".tex", "\\begin{document}")])
def test_annotate_writes_a_marked_sheet(tmp_path, suffix, marker):
    out = tmp_path / f"checked{suffix}"
    proofsheet("check", str(FIXTURES / "a2_student.md"), "--annotate", str(out))
    text = out.read_text(encoding="utf-8")
    assert marker in text and "counterexample" in text


def test_nothing_in_the_file_is_executed(tmp_path):
    marker = tmp_path / "pwned"
    evil = tmp_path / "evil.md"
    evil.write_text(f"$$__import__('os').system('touch {marker}') = 1$$\n", encoding="utf-8")
    result = proofsheet("check", str(evil))
    assert result.returncode == 2 and not marker.exists()


def test_an_align_step_is_reported_on_the_line_of_its_new_right_side():
    text = ("\\begin{align*}\n"
            "1 - \\sigma(x) &= 1 - \\frac{1}{1+e^{-x}} \\\\\n"
            "  &= \\sigma(x)\n"
            "\\end{align*}\n")
    report = check_text(text)
    assert [(s.line, s.status) for s in report.steps] == [(2, "verified"), (3, "refuted")]
    assert report.first_wrong.line == 3
