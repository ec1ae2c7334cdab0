"""Monotonicity facts (proofsheet.search.comparisons): statements that follow from one
increasing function are verified through the kernel's rule ``increasing``; their false
neighbours are not; a forged fact or plan is refused by the kernel."""

from __future__ import annotations

import pickle

import pytest
import sympy as sp

from proofsheet import kernel
from proofsheet.kernel import INCREASING, Prop
from proofsheet.kernel.certificates import HYP, SignCertificate, SignTerm, Substitution
from proofsheet.kernel.errors import KernelError
from proofsheet.kernel.notation import sigma
from proofsheet.parsing.statement import parse_assumptions, parse_statement
from proofsheet.search import comparisons, counterexamples, tactics
from proofsheet.search.comparisons import Comparison, WithFacts, with_facts_theorem
from proofsheet.search.decide import decide

x, y = sp.Symbol("x", real=True), sp.Symbol("y", real=True)
SECONDS = 20.0  # generous: the suite shares the machine; the 2 s budget is measured apart


def statement(text: str, assume: tuple[str, ...] = ()) -> tuple[Prop, tuple[Prop, ...]]:
    """The Prop and assumptions that `proofsheet prove TEXT --assume …` decides."""
    parsed = parse_statement(text)
    assumptions = tuple(
        Prop(a.lhs, a.rel, a.rhs, domain=a.domain) for t in assume for a in parse_assumptions(t)
    )
    return Prop(parsed.lhs, parsed.rel, parsed.rhs, domain=parsed.domain), assumptions


def rules(theorem: kernel.Theorem) -> set[str]:
    return {theorem.rule}.union(*(rules(p) for p in theorem.premises))


MONOTONE = [
    ("sigma(x) > 1/2", ("x > 0",)),
    ("sigma(x) < 1/2", ("x < 0",)),
    ("sigma(x) <= sigma(y)", ("x <= y",)),
    ("sigma(x) < sigma(y)", ("x < y",)),
    ("exp(x) <= exp(y)", ("x <= y",)),
    ("exp(-x) >= exp(-y)", ("x <= y",)),
    ("log(x) <= log(y)", ("0 < x <= y",)),
    ("sqrt(x) <= sqrt(y)", ("0 <= x <= y",)),
    ("log(x) > 0", ("x > 1",)),
    ("log(x) < 0", ("0 < x < 1",)),
    ("log(x + 1) > 0", ("x > 1",)),
    ("exp(-x) < 1", ("0 < x",)),
    ("1 < exp(-x)", ("x < 0",)),
    ("tanh(x) > 0", ("x > 0",)),
    ("-log(p) > 0", ("0 < p < 1",)),
    ("-log(1 - p) > 0", ("0 < p < 1",)),
    # the premise proved, not assumed
    ("sigma(sigma(x)) > 1/2", ()),
    ("sigma(sigma(x)) < sigma(1)", ()),
    ("sigma(abs(x)) >= 1/2", ()),
    ("sigma(x^2) >= 1/2", ()),
    ("log(sigma(x)) < 0", ()),
    ("log(1 - sigma(x)) < 0", ()),
    ("log(1 + x^2) >= 0", ()),
    ("log(1 + exp(x)) > 0", ()),
    ("-log(sigma(z)) > 0", ()),
    ("log(tanh(x)) < 0", ()),
    ("sigma(x) < sigma(y) + 0.01", ("x < y",)),
    ("log(x) <= log(y) + 0.01", ("0 < x <= y",)),
    # the rest proved as a second fact: 0 < 1 − σ(1), 0 ≤ σ(x) − σ(x)²
    ("sigma(sigma(x)) < 1", ()),
    ("sigma(x)^2 <= sigma(x + 1)", ()),
    ("log(exp(x) + exp(y)) >= x", ()),
    ("log(sigma'(x)) <= -log(4)", ()),
    ("sigma(x) >= 1 - exp(x)", ("x >= 0",)),
    # a premise that rests on a fact itself: eˣ + eʸ <= 2eʸ on eˣ <= eʸ
    ("log(exp(x) + exp(y)) <= y + log(2)", ("x <= y",)),
    ("log(exp(x + 1) + exp(y)) >= x", ()),
]

FALSE_NEIGHBOURS = [
    ("sigma(x) > 1/2", ("x >= 0",)),
    ("log(x) < 0", ("x > 1",)),
    ("exp(x) <= exp(y)", ("y <= x",)),
    ("sigma(x) <= 1/2", ()),
    ("sigma(x) < sigma(y)", ("x <= y",)),
    ("log(x) > 0", ("x > 0",)),
    ("sigma(x)^2 <= sigma(x - 1)", ()),
    ("sigma(sigma(x)) < sigma(0)", ()),
    ("log(exp(x) + exp(y)) <= y + log(2)", ("y <= x",)),
    ("log(exp(x) + exp(y)) <= y", ()),
]


@pytest.mark.parametrize("text, assume", MONOTONE)
def test_a_statement_from_one_increasing_function_is_verified_through_it(text, assume):
    prop, assumptions = statement(text, assume)
    verdict = decide(prop, assumptions, seconds=SECONDS)
    assert verdict.ok, verdict.reason
    # the search may find another proof first (a lemma); the comparison plan proves it too
    plans = comparisons.comparison_plans(
        prop,
        assumptions,
        tactics._proved_plan,
        tactics.check_plan,
        lambda: tactics._fact_points(prop, assumptions),
    )
    theorem = next(tactics.check_plan(prop, plan, assumptions) for plan in plans if plan)
    assert theorem.prop == prop and "increasing" in rules(theorem)


@pytest.mark.parametrize("text, assume", FALSE_NEIGHBOURS)
def test_a_false_neighbour_is_not_verified(text, assume):
    assert decide(*statement(text, assume), seconds=SECONDS).status != "verified"


@pytest.mark.parametrize(
    "text, assume", [("sigma(x) > 1/2", ("x > 0",)), ("sigma(sigma(x)) < sigma(1)", ())]
)
def test_a_plan_is_plain_data_that_the_parent_turns_into_the_statements_theorem(text, assume):
    prop, assumptions = statement(text, assume)
    sample = lambda: tuple(counterexamples.candidate_points(prop, assumptions, 60))[::6]
    plan = next(
        comparisons.comparison_plans(
            prop, assumptions, tactics._proved_plan, tactics.check_plan, sample
        )
    )
    copy = pickle.loads(pickle.dumps(plan))
    assert tactics.check_plan(prop, copy, assumptions).prop == prop


@pytest.mark.parametrize("name", list(INCREASING))
def test_every_function_of_the_kernels_table_is_recognised_as_an_atom(name):
    assert comparisons.atom_of(INCREASING[name](x + y)) == (name, x + y)


@pytest.mark.parametrize(
    "u, c, values, found",
    [
        (x, sp.Integer(0), (1, 3, 5), [(sp.Integer(0), "<", x), (sp.Integer(0), "<=", x)]),
        (x, sp.Integer(0), (-1, -3), [(x, "<", sp.Integer(0)), (x, "<=", sp.Integer(0))]),
        (x**2, sp.Integer(0), (0, 1, 3), [(sp.Integer(0), "<=", x**2)]),  # = 0 at x = 0
        (x, sp.Integer(2), (0, 1, 3), []),  # the sign changes
        (sp.log(x), sp.Integer(0), (-1, 2), []),  # undefined at -1
    ],
)
def test_sample_points_choose_the_direction_of_a_comparison(u, c, values, found):
    points = [{x: sp.Integer(v)} for v in values]
    assert comparisons.directions(u, c, points) == found


def fact(premise: Prop, plan, claimed: Prop | None = None) -> Comparison:
    proved = kernel.increasing(kernel.assume(premise), "sigma").prop
    return Comparison("sigma", premise.lhs, premise.rel, premise.rhs, plan, (), claimed or proved)


def above(low: sp.Expr, high: sp.Expr = sigma(x)) -> SignCertificate:
    """high − low ≥ 0, as the hypothesis low < high says."""
    return SignCertificate(Substitution(), (SignTerm(sp.Integer(1), ((HYP, high - low),)),))


@pytest.mark.parametrize(
    "forged, goal, certificate",
    [
        # the premise 0 < x is not proved by "x is a square"
        (
            fact(
                Prop(0, "<", x),
                SignCertificate(Substitution(), (SignTerm(sp.Integer(1), (("square", x),)),)),
            ),
            Prop(sp.Rational(1, 2), "<", sigma(x)),
            above(sigma(0)),
        ),
        # the fact claims more than the kernel's rule concludes: σ(1) < σ(1 + x²) (false at x = 0)
        # from 0 < 1 + x²
        (
            fact(
                Prop(0, "<", 1 + x**2),
                SignCertificate(
                    Substitution(),
                    (SignTerm(sp.Integer(1), ()), SignTerm(sp.Integer(1), (("square", x),))),
                ),
                claimed=Prop(sigma(1), "<", sigma(1 + x**2)),
            ),
            Prop(sigma(1), "<", sigma(1 + x**2)),
            above(sigma(1), sigma(1 + x**2)),
        ),
    ],
)
def test_a_forged_fact_is_refused_by_the_kernel(forged, goal, certificate):
    plan = WithFacts((forged,), certificate)
    with pytest.raises(KernelError, match="strictly positive|not an assumption"):
        with_facts_theorem(goal, plan, (), tactics.check_plan)


@pytest.mark.parametrize(
    "goal, hypothesis, found",
    [
        (Prop(sp.Rational(1, 2), "<", sigma(x)), Prop(sigma(0), "<", sigma(x)), True),  # + 0
        (Prop(0, "<", x + 1), Prop(1, "<", x), True),  # + 2
        (Prop(0, "<", 2 * x), Prop(0, "<", x), True),  # λ = 2
        (
            Prop(sp.Rational(1, 2), "<", sigma(x)),
            Prop(sigma(0), "<=", sigma(x)),
            False,
        ),  # not strict
        (Prop(1, "<", x), Prop(0, "<", x), False),  # short by 1
        (Prop(0, "<", -x), Prop(0, "<", x), False),  # λ < 0
    ],
)
def test_the_linear_certificate_finds_only_a_true_combination(goal, hypothesis, found):
    cert = comparisons.linear_certificate(goal, (hypothesis,))
    assert (cert is not None) == found
    if found:
        assert kernel.check(goal, cert, (hypothesis,)).prop == goal


def test_the_search_module_does_not_import_the_tactics():
    import subprocess
    import sys

    code = (
        "import proofsheet.search.comparisons, sys; "
        "print('proofsheet.search.tactics' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize(
    "text, assume, verified",
    [
        ("0*log(x) <= 0", (), True),
        ("log(x)/log(x) <= 1", (), True),
        ("exp(0) <= 1", (), True),
        ("0*log(-x) <= 0", ("x < 0",), True),
        ("(x - x)^2 >= 0", (), True),
        ("0 < 0", (), False),
        ("0*log(-1) <= 0", (), False),  # strict; not a real number
    ],
)
def test_a_statement_that_sympy_reads_as_a_le_a_is_verified_where_defined(text, assume, verified):
    verdict = decide(*statement(text, assume), seconds=SECONDS)
    assert verdict.ok == verified, verdict.reason
