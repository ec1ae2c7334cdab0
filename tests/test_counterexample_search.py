"""A counterexample search that cannot starve (issue 12, item 2): the certificate search is
paused at half the time limit while the full counterexample search runs, and the sample points
reach half-integers, small fractions and the edges of the domain and of the assumptions."""

from __future__ import annotations

import time

import pytest
import sympy as sp
from run_cli import prove_prop

from proofsheet.kernel import Prop
from proofsheet.kernel.domain import Condition
from proofsheet.search import counterexamples, decide, tactics, timelimit
from proofsheet.search.decide import decide as decide_prop
from proofsheet.search.timelimit import Child

x = sp.Symbol("x", real=True)


# (statement, assumptions, where the counterexample must lie): false statements that only the
# new points refute (undecided before: the grid held the first symbol at 0, and no sample came
# closer to an edge than 1/2)
ONLY_NEW_POINTS = [
    ("log(x - 2) >= -5", "", lambda p: 2 < p["x"] < 2 + sp.exp(-5)),
    ("1/(x - 2) <= 100", "", lambda p: 2 < p["x"] < sp.Rational(201, 100)),
    ("sqrt(x - 2) >= 1/10", "x > 2", lambda p: 2 < p["x"] < sp.Rational(201, 100)),
    ("log(3 - x) >= -5", "", lambda p: 3 - sp.exp(-5) < p["x"] < 3),
    (
        "(2*m + 3)^2 + (2*n - 1)^2 > 0",
        "",
        lambda p: (p["m"], p["n"]) == (sp.Rational(-3, 2), sp.Rational(1, 2)),
    ),
    ("1/(x^2 - 1/4) >= -3", "", lambda p: abs(p["x"]) < sp.Rational(1, 2)),
]


@pytest.mark.parametrize("text, assume, where", ONLY_NEW_POINTS)
def test_a_counterexample_near_an_edge_or_at_a_half_integer_is_found(text, assume, where):
    prop, assumptions = prove_prop(text, assume)
    verdict = decide_prop(prop, assumptions, seconds=20)
    assert verdict.status == "refuted"
    assert where({str(s): v for s, v in verdict.refutation.point})


# (statement, assumptions): true on their whole domain, with samples near its edges; never
# refuted (verified or undecided)
TRUE_NEAR_EDGES = [
    ("log(x - 2) <= x", ""),
    ("x*log(x) >= -1/2", ""),
    ("sqrt(x - 2) >= 0", "x > 2"),
    ("1/(x - 2) > 0", "x > 2"),
    ("log(x - 2) >= -5", "x >= 3"),
]


@pytest.mark.parametrize("text, assume", TRUE_NEAR_EDGES)
def test_a_true_statement_is_not_refuted_at_its_edges(text, assume):
    prop, assumptions = prove_prop(text, assume)
    assert decide_prop(prop, assumptions, seconds=20).status != "refuted"


# (constraint, values that must be among the edge samples of x)
EDGES = [
    (Condition("positive", x - 2), {2, sp.Rational(2001, 1000), sp.Rational(21, 10)}),
    (
        Condition("nonnegative", 3 * x + 1),
        {sp.Rational(-1, 3), sp.Rational(-1, 3) + sp.Rational(1, 1000)},
    ),
    (Condition("nonzero", x**2 - 1), {1, -1, sp.Rational(999, 1000), sp.Rational(-999, 1000)}),
    (Prop(x, ">", 5), {5, sp.Rational(5001, 1000)}),
]


@pytest.mark.parametrize("constraint, wanted", EDGES)
def test_the_edges_of_a_constraint_are_sampled_on_both_sides(constraint, wanted):
    assert wanted <= set(counterexamples.edge_values(x, (constraint,)))


@pytest.mark.parametrize(
    "constraint", [Condition("positive", sp.exp(x) - 2), Condition("positive", x**2 + 1)]
)
def test_a_constraint_without_a_rational_root_gives_no_edge(constraint):
    assert counterexamples.edge_values(x, (constraint,)) == ()


@pytest.mark.parametrize("sizes", [(3, 5), (5, 3), (1, 4), (4, 4)])
def test_pairs_by_position_give_every_pair_once_nearest_first(sizes):
    first, second = (list(range(n)) for n in sizes)
    pairs = list(counterexamples._pairs(first, second))
    assert sorted(pairs) == [(i, j) for i in first for j in second]
    assert [i + j for i, j in pairs] == sorted(i + j for i, j in pairs)


# --- the time budget: a certificate search that hangs is paused, the points still run ---

# (statement, assumptions): refuted only beyond the first sample points
BEYOND_QUICK_POINTS = [
    ("(x - 5)^2 > 0", ""),
    ("log(x - 2) >= -5", ""),
    ("x*y <= 5", "x > 0"),
]


@pytest.mark.parametrize("text, assume", BEYOND_QUICK_POINTS)
def test_a_hung_certificate_search_leaves_the_counterexample_search_its_turn(
    monkeypatch, text, assume
):
    monkeypatch.setattr(tactics, "search_certificate", lambda *args: time.sleep(60))
    prop, assumptions = prove_prop(text, assume)
    started = time.monotonic()
    verdict = decide_prop(prop, assumptions, seconds=3)
    assert verdict.status == "refuted" and time.monotonic() - started < 4


def test_a_certificate_found_after_the_pause_still_proves(monkeypatch):
    slow = tactics.search_certificate
    monkeypatch.setattr(timelimit, "SOFT_SECONDS", 0.05)  # straight to the child
    monkeypatch.setattr(decide, "CERTIFICATE_SHARE", 0.01)
    monkeypatch.setattr(
        tactics, "search_certificate", lambda *args: (time.sleep(0.3), slow(*args))[1]
    )
    assert decide_prop(Prop(x**2 + 1, ">", 0), seconds=10).status == "verified"


def test_a_hung_search_of_a_true_statement_says_why_it_is_undecided(monkeypatch):
    monkeypatch.setattr(tactics, "search_certificate", lambda *args: time.sleep(60))
    verdict = decide_prop(Prop(x**2 + 1, ">", 0), seconds=2)
    assert verdict.status == "undecided" and "no counterexample" in verdict.reason


@pytest.mark.parametrize(
    "text",
    [
        "(x - a)^6000 + (2*x - 3)^2 > 0",  # before: no answer within 20 s
        "(x - a)^6000 = (x - a)^5999",  # issue 12: refuted only with 120 s
    ],
)
def test_a_power_too_large_to_expand_is_refuted_within_a_few_seconds(text):
    prop, _ = prove_prop(text, "")
    assert decide_prop(prop, seconds=6).status == "refuted"


def test_a_paused_child_uses_no_time_and_answers_after_it_resumes():
    with Child(time.sleep, (0.5,), 5) as child:
        child.pause()
        assert not child.wait(1)
        child.resume()
        assert child.wait(2) and child.result() is None
