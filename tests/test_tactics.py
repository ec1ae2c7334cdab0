"""The search finds certificates and counterexamples; the kernel decides."""

from __future__ import annotations

import time

import pytest
import sympy as sp
from run_cli import prove_prop

from proofsheet.kernel import Prop, refute
from proofsheet.kernel.domain import Condition
from proofsheet.kernel.errors import CheckTimeout
from proofsheet.kernel.notation import sigma, sigma_prime
from proofsheet.search import counterexamples, tactics
from proofsheet.search.decide import decide
from proofsheet.search.timelimit import run_with_limit

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
    (Prop(sigma_prime(x), "<", Q), (), "refuted"),  # equality at x = 0
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
    # e^y ≥ 1 + y + y³/6 holds but needs the cubic Taylor bound, which no lemma gives
    y = sp.Symbol("y", positive=True)
    verdict = decide(Prop(sp.exp(y), ">=", 1 + y + y**3 / 6))
    assert verdict.status == "undecided"


# --- one semantics: real analysis ---------------------------------------------------------


# true where defined: never refuted (the wrong counterexamples)
TRUE_STATEMENTS = [
    ("log(x)^2 >= 0", ""),
    ("sqrt(tanh(x))^2 >= 0", ""),
    ("abs(log(x)) = abs(log(abs(x)))", ""),
    ("sqrt(x)^2 >= 0", ""),
    ("exp(log(x)) > 0", ""),
    ("diff(abs(x), x)^2 = 1", ""),
    ("-(y*log(s) + (1-y)*log(1-s)) >= 0", "y = 0"),
    ("x < 0", "x < y, y < 0"),
    ("tanh(x) = (exp(x) - exp(-x))/(exp(x) + exp(-x))", ""),
    ("log(x*y) = log(x) + log(y)", ""),
    ("sqrt(x*y) = sqrt(x)*sqrt(y)", ""),
    ("x/x = 1", ""),
    ("0*log(x) = 0", ""),
]


@pytest.mark.parametrize("text, assume", TRUE_STATEMENTS)
def test_a_statement_true_wherever_defined_is_never_refuted(text, assume):
    prop, assumptions = prove_prop(text, assume)
    assert decide(prop, assumptions, seconds=10).status in ("verified", "undecided")


def test_a_reversed_range_is_no_counterexample():
    k = sp.Symbol("k", integer=True)
    assert decide(Prop(sp.Product(2, (k, 3, 1)), "=", 1), seconds=10).status != "refuted"


@pytest.mark.parametrize("text", ["log(-1)^2 < 0", "abs(log(-1)) > 3", "sqrt(-4)*sqrt(-9) = -6"])
def test_a_closed_statement_outside_the_reals_is_not_refuted_and_keeps_its_condition(text):
    prop, _ = prove_prop(text)
    assert decide(prop, seconds=10).status != "refuted"
    closed = [c for c in prop.domain if not c.expr.free_symbols]
    assert closed and all(c.kind in ("positive", "nonnegative") and c.expr < 0 for c in closed)


# false: refuted, at a point where everything is real and defined
FALSE_STATEMENTS = [
    ("x^2 >= 1", ""),
    ("log(x) >= 0", ""),
    ("sqrt(x) <= x", ""),
    ("tanh(x) = (exp(x) - exp(-x))/(exp(x) - exp(-x))", ""),  # false at x = 1, not at 0
    ("diff(abs(x), x) = 1", ""),
    ("log(x)^2 > 0", ""),
    ("sigma(x) < 1/2", ""),
    ("11/10*log(x) <= x - 1", "x > 0"),
    ("x + y = 3", "x + y = 2"),
    ("x*y <= 1", "x > 2, y > x"),
    ("x > -1", "x < y, y < 0"),
    ("-(y*log(s) + (1-y)*log(1-s)) <= 1/2", "y = 0"),
    ("abs(x) = x", ""),
    ("exp(x) >= 1 + x + x^2", ""),
    ("sigma(w*x + b) < 9/10", ""),
]


@pytest.mark.parametrize("text, assume", FALSE_STATEMENTS)
def test_a_false_statement_is_refuted_at_a_real_defined_point(text, assume):
    prop, assumptions = prove_prop(text, assume)
    verdict = decide(prop, assumptions, seconds=10)
    assert verdict.status == "refuted"
    point = dict(verdict.refutation.point)
    assert all(
        counterexamples._holds_at(c, point) for c in counterexamples._constraints(prop, assumptions)
    )


@pytest.mark.parametrize(
    "text, assume, holds",
    [
        ("log(x) + log(y - x) < 1", "", lambda p: p["x"] > 0 and p["y"] > p["x"]),
        ("x - 1 < 0", "x + y = 3", lambda p: p["x"] + p["y"] == 3),
        ("sqrt(x)^2 < 1", "", lambda p: p["x"] >= 0),
        ("x*n > 0", "n >= 2", lambda p: p["n"] >= 2),
    ],
)
def test_sample_points_meet_the_assumptions_and_domain(text, assume, holds):
    prop, assumptions = prove_prop(text, assume)
    points = list(counterexamples.candidate_points(prop, assumptions, limit=50))
    assert points and points == list(counterexamples.candidate_points(prop, assumptions, limit=50))
    constraints = counterexamples._constraints(prop, assumptions)
    assert all(counterexamples._holds_at(c, p) for p in points for c in constraints)
    assert all(holds({str(s): v for s, v in p.items()}) for p in points)


def test_sample_points_meet_the_symbol_facts():
    n, p = sp.Symbol("n", integer=True, positive=True), sp.Symbol("p", nonnegative=True)
    points = list(counterexamples.candidate_points(Prop(n * p, ">", 1), limit=100))
    assert points and all(pt[n].is_Integer and pt[n] > 0 and pt[p] >= 0 for pt in points)


def test_a_slow_certificate_search_cannot_starve_the_first_sample_points(monkeypatch):
    monkeypatch.setattr(tactics, "search_certificate", lambda *args: time.sleep(60))
    verdict = decide(Prop(x**2, ">=", 1), seconds=5)
    assert verdict.status == "refuted" and dict(verdict.refutation.point)[x] == 0


def test_the_point_the_search_names_is_one_the_kernel_accepts():
    prop, assumptions = prove_prop("x*y <= 1", "x > 2, y > x")
    point = counterexamples.search_counterexample(prop, assumptions)
    assert refute(prop, point, assumptions).prop == prop
    assert Condition  # the domain table is the kernel's, shared with the sampler


# --- statements that hold on their domain: fresh positive symbols, put back under 0 < term ---

DOMAIN_TRUE = [
    ("log(x)^2 >= 0", ""),
    ("log(x*y) = log(x) + log(y)", "x > 0, y > 0"),
    ("log(x*y) = log(x) + log(y)", ""),
    ("abs(log(x)) = abs(log(abs(x)))", ""),
    ("sqrt(x*y) = sqrt(x)*sqrt(y)", "x >= 0, y >= 0"),
    ("log(x^2) = 2*log(x)", ""),
    ("log(x)^2 >= 0", "x >= 1"),
    ("x*abs(x) >= 0", "x >= 0"),
    ("x*y >= 0", "x >= 1, y >= 1"),
    ("log(-x) = log(abs(x))", "x < 0"),  # x := −p
    ("x/abs(x) = -1", "x < 0"),
    ("abs(x) >= 0", ""),  # the cases x ≤ 0 and 0 ≤ x
    ("abs(x) >= -x", ""),
    ("abs(x*y) = abs(x)*abs(y)", ""),
    ("sqrt(x) >= 0", ""),  # √q = (q^(1/4))² for a non-negative q
    ("x^(3/2) >= 0", ""),
]


@pytest.mark.parametrize("text, assume", DOMAIN_TRUE)
def test_a_statement_true_on_its_domain_is_verified_through_fresh_positive_symbols(text, assume):
    prop, assumptions = prove_prop(text, assume)
    verdict = decide(prop, assumptions, seconds=10)
    assert verdict.status == "verified", verdict.reason
    assert verdict.theorem.prop == prop


# false somewhere on their domain, or true only where the statement does not say so
DOMAIN_FALSE = [
    ("log(x)^2 > 0", ""),
    ("x = abs(x)", ""),
    ("sqrt(x^2) = x", ""),
    ("log(x*y) = log(x) + log(y) + 1", "x > 0, y > 0"),
    ("sqrt(x)*sqrt(x) = abs(x)", ""),  # x = |x|: SymPy erased √x, so nothing says x ≥ 0
    ("abs(x*y) = x*abs(y)", ""),
    ("abs(x) > 0", ""),
    ("x/abs(x) = -1", "x <= 1"),
    ("sqrt(x) > 0", ""),
]


@pytest.mark.parametrize("text, assume", DOMAIN_FALSE)
def test_a_statement_not_true_on_its_domain_is_not_verified(text, assume):
    prop, assumptions = prove_prop(text, assume)
    assert decide(prop, assumptions, seconds=10).status != "verified"


def test_a_positivised_plan_proves_the_statement_as_written():
    prop, assumptions = prove_prop("sqrt(x*y) = sqrt(x)*sqrt(y)", "x >= 0, y >= 0")
    plans = list(tactics.positivised_plans(prop, assumptions))
    theorem = tactics.check_plan(prop, plans[0], assumptions)
    assert theorem.prop == prop and theorem.rule == "instantiate-under"


# --- witnesses: no step is verified from assumptions no point is known to satisfy ------------


@pytest.mark.parametrize(
    "assume, status", [("s > 1, s < 0", "undecided"), ("s > 1, s < 2", "verified")]
)
def test_decide_verifies_from_assumptions_only_with_a_witness_for_them(assume, status):
    prop, assumptions = prove_prop("s > 0", assume)
    verdict = decide(prop, assumptions, seconds=10)
    assert verdict.status == status
    if status == "verified":
        assert set(verdict.witness.assumptions) <= set(assumptions)
        assert all(1 < value < 2 for _s, value in verdict.witness.point)
    else:
        assert "contradictory" in verdict.reason


@pytest.mark.parametrize(
    "text, assume, why",
    [
        ("0*log(x) = 0", "x < 0", "defined nowhere"),
        ("log(x) = log(abs(x))", "x < 0", "defined nowhere"),
        ("0*sqrt(x - 1) = 0", "x < 1", "defined nowhere"),
        ("diff(log(-(1 + exp(-z))), z) = -sigma(-z)", "", "0 < -1 - exp(-z)"),
    ],
)
def test_a_statement_defined_nowhere_under_its_assumptions_is_not_verified(text, assume, why):
    prop, assumptions = prove_prop(text, assume)
    verdict = decide(prop, assumptions, seconds=10)
    assert verdict.status == "undecided" and why in verdict.reason


@pytest.mark.parametrize("text, assume", [("0*log(x) = 0", "x > 0"), ("log(x)^2 >= 0", "")])
def test_a_statement_defined_somewhere_is_verified_with_a_witness_of_its_domain(text, assume):
    prop, assumptions = prove_prop(text, assume)
    verdict = decide(prop, assumptions, seconds=10)
    assert verdict.status == "verified"
    assert dict(verdict.witness.point)[sp.Symbol("x", real=True)] > 0


@pytest.mark.parametrize(
    "point, status",
    [({s: sp.Rational(1, 2)}, "verified"), (None, "undecided"), ({s: sp.Integer(2)}, "undecided")],
    ids=["a point inside", "no point known", "a point outside"],
)
def test_decide_hands_a_given_witness_point_to_the_kernel(point, status):
    prop, assumptions = prove_prop("0 <= s*(1 - s)", "0 < s < 1")
    assert decide(prop, assumptions, seconds=10, point=point).status == status


def test_a_proof_that_uses_no_assumption_needs_no_witness():
    prop, assumptions = prove_prop("1 - sigma(x) = sigma(-x)", "s > 1, s < 0")
    verdict = decide(prop, assumptions, seconds=10, point=None)
    assert verdict.status == "verified" and verdict.witness is None


def test_a_sign_split_joins_both_cases_of_each_symbol_under_abs():
    prop, assumptions = prove_prop("abs(x*y) = abs(x)*abs(y)")
    plan = tactics.sign_split_plan(prop, assumptions)
    assert [signs for signs, _plan in plan.plans] == [(-1, -1), (-1, 1), (1, -1), (1, 1)]
    theorem = tactics.check_plan(prop, plan, assumptions)
    assert theorem.prop == prop and theorem.rule == "cases" and theorem.assumptions == ()


@pytest.mark.parametrize(
    "text, bits",
    [("sigma(1) > 1/2", 256), ("sigma(1000) < 1", 4096), ("exp(-800) > 0", 256)],
)
def test_a_closed_inequality_is_certified_at_the_least_precision_that_separates_it(text, bits):
    prop, _ = prove_prop(text)
    plan = tactics.interval_plan(prop)
    assert plan.bits == bits
    assert decide(prop, seconds=20).status == "verified"
