"""`make bench`'s step comparison: `check` beside simplify on two parsers, read and scored."""

from __future__ import annotations

import json

import pytest
import sympy as sp

from proofsheet.bench import steps
from proofsheet.soundness.peers import NO_ANSWER

THREE = [
    steps.Step(r"\left(x + 1\right)^{2} = x^{2} + 2 x + 1", "verified", "test"),
    steps.Step(r"\left(x + y\right)^{2} = x^{2} + y^{2}", "refuted", "test"),
    steps.Step(r"1 - \sigma(x_{1}) = \sigma(-x_{1})", "verified", "test"),
]

# (a method's answer, the verdict it is scored as)
VERDICTS = [
    (steps.EQUAL, "verified"),
    (steps.NOT_SHOWN, NO_ANSWER),
    ("verified", "verified"),
    ("refuted", "refuted"),
    (NO_ANSWER, NO_ANSWER),
]


@pytest.mark.parametrize("answer, verdict", VERDICTS)
def test_only_equal_is_a_baselines_claim_and_not_shown_is_none(answer, verdict):
    assert steps.as_verdict(answer) == verdict


# (LaTeX, what simplify on proofsheet's parse says)
SYMPY = [
    (r"1 - \sigma(x) = \sigma(-x)", steps.EQUAL),  # σ unfolded as a SymPy user writes it
    (r"\sigma(x) = \sigma(-x)", steps.NOT_SHOWN),
    (r"x^{2} \ge 0", NO_ANSWER),  # not an equation: no question for simplify == 0
]


@pytest.mark.parametrize("latex, answer", SYMPY)
def test_simplify_on_proofsheets_parse_answers_equations_only(latex, answer):
    assert steps.sympy_claim(latex) == answer


def test_a_power_of_a_function_is_printed_in_parentheses_so_it_is_not_log_of_a_power():
    x = sp.Symbol("x")
    assert steps.step_latex(sp.log(x) ** 2) == r"\left(\log{\left(x \right)}\right)^{2}"
    assert steps.step_latex(x**2) == "x^{2}"


def test_the_step_set_holds_true_and_false_steps_with_their_source():
    loaded = steps.load_steps(generated=20)
    generated = [s for s in loaded if s.source == "generated"]
    assert [s.expect for s in generated].count("refuted") == 2 and len(generated) == 20
    assert {s.expect for s in loaded} == {"verified", "refuted"}


def test_the_part_runs_three_steps_and_reports_the_three_columns(tmp_path, monkeypatch, capsys):
    # a stand-in for the library (it is in the bench extra, not the dev one): the plumbing
    monkeypatch.setattr(steps, "load_steps", lambda: THREE)
    monkeypatch.setattr(steps, "latex2sympy_installed", lambda: True)
    monkeypatch.setattr(steps, "latex2sympy_claim", lambda latex: _STAND_IN.get(latex, steps.EQUAL))
    assert steps.main(tmp_path) == 0
    result = json.loads((tmp_path / "bench-steps.json").read_text(encoding="utf-8"))
    assert list(result["tools"]) == list(steps.TOOLS)
    check, simplify, l2s = (result["tools"][t] for t in steps.TOOLS)
    assert (check["correct"], check["wrong"], check["no_answer"]) == (3, 0, 0)
    assert (simplify["correct"], simplify["no_answer"]) == (2, 1)  # it cannot refute
    assert (l2s["correct"], l2s["wrong"], l2s["no_answer"]) == (1, 1, 1)
    assert [a["SymPy simplify"] for a in result["answers"]] == ["equal", "not shown", "equal"]
    out = capsys.readouterr().out
    assert "| proofsheet check | 3 | 0 | 0 |" in out and "| SymPy simplify | 2 | 0 | 1 |" in out
    assert "differ on 2 steps" in out and "where another shows wrong on 1" in out


_STAND_IN = dict(zip((s.latex for s in THREE), (steps.EQUAL, steps.EQUAL, NO_ANSWER)))


def test_latex2sympy_reads_sigma_as_a_letter_or_the_part_says_it_is_absent():
    if steps.latex2sympy_installed():
        assert steps.latex2sympy_claim(THREE[0].latex) == steps.EQUAL
        assert steps.latex2sympy_claim(THREE[2].latex) == steps.NOT_SHOWN
    else:
        assert "not installed" in steps.table(steps.compare(THREE[:1], seconds=10))


def test_without_latex2sympy_the_part_says_so_and_reports_two_columns(monkeypatch):
    monkeypatch.setattr(steps, "latex2sympy_installed", lambda: False)
    result = steps.compare(THREE[:1], seconds=10)
    assert list(result["tools"]) == list(steps.TOOLS[:2])
    assert "latex2sympy2_extended is not installed" in steps.table(result)
