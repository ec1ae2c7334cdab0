"""`make bench`'s peer comparison: how each tool's answer is read and scored."""

from __future__ import annotations

import json
import sys

import pytest
import sympy as sp

from proofsheet.bench.__main__ import main as bench_main
from proofsheet.soundness import peers
from proofsheet.soundness.pairs import Pair

x = sp.Symbol("x", real=True)

# (lhs, relation, rhs, SymPy's claim under the documented rule)
SIMPLIFY = [
    ((x + 1) ** 2, "=", x**2 + 2 * x + 1, "verified"),
    (sp.sqrt(3 + 2 * sp.sqrt(2)), "=", 1 + sp.sqrt(3), "refuted"),
    (sp.Integer(3), "<", sp.Integer(2), "refuted"),
    (sp.Integer(2), "<=", sp.Integer(2), "verified"),
    (sp.Integer(2), "<", sp.Integer(2), "refuted"),
    (1 / (x + 1), "=", 1 / x + 1, "no answer"),  # symbolic difference: no claim
    (x**2, ">=", sp.Integer(0), "no answer"),
]


@pytest.mark.parametrize("lhs, rel, rhs, claim", SIMPLIFY, ids=[str(r[:3]) for r in SIMPLIFY])
def test_simplify_claims_only_a_zero_or_a_known_nonzero_number(lhs, rel, rhs, claim):
    assert peers.simplify_claim(lhs, rel, rhs) == claim


PAIRS = [
    Pair("x = x", "verified", "polynomial"),
    Pair("x = x + 1", "refuted", "polynomial"),
    Pair("x^2 >= 0", "verified", "polynomial"),
    Pair("x^2 >= 1", "refuted", "polynomial"),
]


def test_a_score_counts_correct_wrong_and_no_answer_with_times():
    run = peers.ToolRun("t", ["verified", "verified", peers.NO_ANSWER, "refuted"])
    run.seconds, run.total = [0.1, 0.2, 0.3, 4.0], 5.0
    score = run.score(PAIRS)
    assert (score["correct"], score["wrong"], score["no_answer"]) == (2, 1, 1)
    assert (score["median_s"], score["p95_s"], score["total_s"]) == (0.25, 4.0, 5.0)


def test_a_baseline_that_fails_or_times_out_gives_no_answer():
    def claim(lhs, rel, rhs):
        if rel == ">=":
            raise ValueError("cannot")
        return "verified"

    run = peers.run_baseline("t", claim, PAIRS, seconds=5)
    assert run.answers == ["verified", "verified", peers.NO_ANSWER, peers.NO_ANSWER]
    assert len(run.seconds) == len(PAIRS) and run.total >= sum(run.seconds) * 0.99


def test_proofsheet_answers_every_pair_from_one_batch_subprocess():
    run = peers.run_proofsheet(PAIRS, seconds=10)
    assert run.answers == [p.expect for p in PAIRS]
    assert run.total >= max(run.seconds)


def test_the_bench_writes_the_json_and_prints_the_table(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(peers, "load_pairs", lambda: PAIRS[:2])
    assert peers.main(tmp_path) == 0
    result = json.loads((tmp_path / "bench-pairs.json").read_text(encoding="utf-8"))
    assert result["tools"]["proofsheet"]["correct"] == 2
    assert [a["statement"] for a in result["answers"]] == ["x = x", "x = x + 1"]
    assert "| proofsheet | 2 | 0 | 0 |" in capsys.readouterr().out


def test_the_bench_refuses_an_unknown_part(capsys):
    assert bench_main(["everything"]) == 2
    assert "usage" in capsys.readouterr().err


class _FakeMathVerify:
    """Math-Verify's two calls, for the claim's own logic (the package is an optional extra)."""

    @staticmethod
    def parse(latex, parsing_timeout=5):
        return [] if "unreadable" in latex else [latex]

    @staticmethod
    def verify(gold, answer, timeout_seconds=5, raise_on_error=False):
        assert timeout_seconds is None and raise_on_error  # our limit, not its alarms
        return gold == answer


# (lhs, relation, rhs, the claim read from Math-Verify)
MATH_VERIFY = [
    (x, "=", x, "verified"),
    (x, "=", x + 1, "refuted"),
    (x, "<=", x, "no answer"),  # only an equation is a question for it
    (sp.Symbol("unreadable"), "=", x, "no answer"),  # a side it cannot read
]


@pytest.mark.parametrize("lhs, rel, rhs, claim", MATH_VERIFY, ids=[str(r) for r in MATH_VERIFY])
def test_math_verify_claims_only_equations_it_can_read(monkeypatch, lhs, rel, rhs, claim):
    monkeypatch.setitem(sys.modules, "math_verify", _FakeMathVerify)
    assert peers.math_verify_claim(lhs, rel, rhs) == claim
