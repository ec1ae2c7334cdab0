"""The search finds certificates and counterexamples; the kernel decides."""

from __future__ import annotations

import time

import pytest
import sympy as sp

from proofsheet.kernel import Prop
from proofsheet.notation import sigma, sigma_prime
from proofsheet.tactics import decide
from proofsheet.timelimit import run_with_limit
from proofsheet.errors import CheckTimeout

x = sp.Symbol("x", real=True)
s = sp.Symbol("s", real=True)
Q = sp.Rational(1, 4)

CASES = [
    (Prop(1 - sigma(x), "=", sigma(-x)), (), "verified"),
    (Prop(sp.Derivative(sigma(x), x), "=", sigma(x) * (1 - sigma(x))), (), "verified"),
    (Prop(sigma(x) * (1 - sigma(x)), "<=", Q), (), "verified"),
    (Prop(0, "<", sigma_prime(x)), (), "verified"),
    (Prop(0, "<=", s * (1 - s)), (Prop(0, "<", s), Prop(s, "<", 1)), "verified"),
    (Prop(sigma(-x), "=", 1 / (1 + sp.exp(-x))), (), "refuted"),
    (Prop(sigma_prime(x), "<=", sp.Rational(1, 5)), (), "refuted"),
    (Prop(sp.Derivative(sigma(x), x), "=", sigma(x) * (1 + sigma(x))), (), "refuted"),
    (Prop(sigma_prime(x), "<", Q), (), "refuted"),   # equality at x = 0
]


@pytest.mark.parametrize("prop, assumptions, status", CASES)
def test_decide_reaches_the_expected_verdict(prop, assumptions, status):
    verdict = decide(prop, assumptions)
    assert verdict.status == status
    if status == "refuted":
        assert verdict.refutation.lhs_value != verdict.refutation.rhs_value or prop.rel != "="


def test_a_search_that_runs_out_of_time_is_undecided_not_passed():
    true_but_slow = Prop((x + 1) ** 300, "=", sp.expand((x + 1) ** 300))
    verdict = decide(true_but_slow, seconds=0.01)
    assert verdict.status == "undecided" and verdict.theorem is None


def test_the_time_limit_stops_a_runaway_call_from_another_thread():
    import threading

    outcome = {}

    def worker():
        start = time.perf_counter()
        try:
            run_with_limit(time.sleep, (30,), 0.3)
        except CheckTimeout:
            outcome["seconds"] = time.perf_counter() - start

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(20)
    assert 0.2 < outcome["seconds"] < 10


def test_an_unknowable_statement_is_undecided():
    # log(x) ≤ x − 1 holds but needs a lemma the plain search does not have
    verdict = decide(Prop(sp.log(sp.Symbol("y", positive=True)), "<=", sp.Symbol("y", positive=True) - 1))
    assert verdict.status == "undecided"
