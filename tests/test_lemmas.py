"""The lemma table: each row proved by kernel rules as stated, true at sample points, and its
instances at a statement's atoms decide classical one-variable inequalities."""

from __future__ import annotations

import pickle

import mpmath
import pytest
import sympy as sp

from proofsheet.kernel import Prop
from proofsheet.kernel.errors import KernelError
from proofsheet.kernel.notation import sigma, sigma_prime
from proofsheet.kernel.verdict import domain_assumptions
from proofsheet.parsing.statement import parse_assumptions, parse_statement
from proofsheet.search import lemmas, tactics
from proofsheet.search.decide import decide
from proofsheet.search.lemmas import LEMMAS, U

x = sp.Symbol("x", real=True)
SAMPLES = ("-7", "-2", "-1", "-1/3", "0", "1/5", "1", "3/2", "4", "9")

# independent of the notation module's definitions: the textbook formulas, in mpmath
_MPMATH = {
    "sigma": lambda v: 1 / (1 + mpmath.exp(-v)),
    "sigma_prime": lambda v: mpmath.exp(-v) / (1 + mpmath.exp(-v)) ** 2,
}
_HOLDS = {"<=": lambda a, b: a <= b, "<": lambda a, b: a < b}


def _value(expr: sp.Expr, at: str) -> mpmath.mpf:
    with mpmath.workdps(50):
        f = sp.lambdify(U, expr, modules=[_MPMATH, "mpmath"])
        return f(mpmath.mpf(sp.Rational(at).p) / sp.Rational(at).q)


def _holds(prop: Prop, at: str) -> bool:
    upper = prop.as_upper()
    return _HOLDS[upper.rel](_value(upper.lhs, at), _value(upper.rhs, at))


@pytest.mark.parametrize("row", LEMMAS, ids=lambda r: r.name)
def test_lemma_theorem_states_exactly_its_row(row):
    theorem = lemmas.lemma_theorem(row.name)
    assert (theorem.prop, theorem.assumptions) == (row.prop, row.conditions)


@pytest.mark.parametrize("row", LEMMAS, ids=lambda r: r.name)
def test_lemma_holds_numerically_wherever_its_conditions_do(row):
    points = [at for at in SAMPLES if all(_holds(c, at) for c in row.conditions)]
    assert len(points) >= 4
    assert [at for at in points if not _holds(row.prop, at)] == []


def test_a_proof_that_proves_something_else_is_refused(monkeypatch):
    monkeypatch.setitem(lemmas._PROOFS, "tanh_lt_1", lemmas._tanh_gt_minus_1)
    lemmas.lemma_theorem.cache_clear()
    try:
        with pytest.raises(KernelError, match="tanh_lt_1"):
            lemmas.lemma_theorem("tanh_lt_1")
    finally:
        lemmas.lemma_theorem.cache_clear()


INSTANCES = [
    ("log_le_sub_1", 1 + x, Prop(sp.log(1 + x), "<=", x), (Prop(0, "<", 1 + x),)),
    ("exp_ge_1_plus", -x, Prop(1 - x, "<=", sp.exp(-x)), ()),
    ("tanh_le_id", x + 1, Prop(sp.tanh(x + 1), "<=", x + 1), (Prop(0, "<=", x + 1),)),
]


@pytest.mark.parametrize("name, arg, prop, conditions", INSTANCES)
def test_instance_puts_the_argument_for_u_in_the_statement_and_conditions(
    name, arg, prop, conditions
):
    theorem = lemmas.instance(name, arg)
    assert (theorem.prop, theorem.assumptions) == (prop, conditions)


def test_instance_at_a_value_not_known_real_is_refused():
    with pytest.raises(KernelError, match="real"):
        lemmas.instance("exp_ge_1_plus", sp.Symbol("z"))


HEADS = [
    (sp.exp(x), sp.exp),
    (sp.log(x + 2), sp.log),
    (sp.tanh(x), sp.tanh),
    (sigma(x), sigma),
    (sigma_prime(2 * x), sigma_prime),
    (sp.sqrt(x), lemmas.SQRT),
]


@pytest.mark.parametrize("atom, head", HEADS)
def test_lemmas_for_an_atom_are_the_rows_with_its_head(atom, head):
    assert lemmas.lemmas_for(atom) == tuple(r.name for r in LEMMAS if r.head == head)
    assert lemmas.lemmas_for(atom)


@pytest.mark.parametrize("atom", [x**2, x ** sp.Rational(1, 3), sp.sin(x), x])
def test_lemmas_for_an_atom_no_row_is_about_is_empty(atom):
    assert lemmas.lemmas_for(atom) == ()


def _parsed(text: str, assume: tuple[str, ...]) -> tuple[Prop, tuple[Prop, ...]]:
    p = parse_statement(text)
    assumptions = tuple(
        Prop(a.lhs, a.rel, a.rhs, domain=a.domain) for t in assume for a in parse_assumptions(t)
    )
    return Prop(p.lhs, p.rel, p.rhs, domain=p.domain), assumptions


def test_facts_survive_a_pickle_and_rebuild_their_theorem_under_allowed_assumptions():
    prop, assumptions = _parsed("tanh(x) <= x", ("x >= 0",))
    facts = pickle.loads(pickle.dumps(lemmas.facts_for(prop, assumptions, tactics.checked_plan)))
    assert "tanh_le_id" in [f.name for f in facts]
    allowed = set(assumptions) | set(domain_assumptions(prop))
    for fact in facts:
        theorem = fact.theorem(tactics.check_plan)
        assert theorem.prop == fact.prop
        assert set(theorem.assumptions) <= allowed


def test_a_fact_whose_condition_cannot_be_discharged_is_left_out():
    prop, _ = _parsed("tanh(x) <= x", ())
    names = [f.name for f in lemmas.facts_for(prop, (), tactics.checked_plan)]
    assert "tanh_le_id" not in names and "tanh_lt_1" in names


TRUE = [
    ("exp(x) >= 1 + x", ()),
    ("exp(-x) >= 1 - x", ()),
    ("exp(x) > x", ()),
    ("exp(x) >= x", ()),
    ("exp(-x) >= 0.5 - x", ()),
    ("exp(x) >= x + 1 + x^2/2", ("x >= 0",)),
    ("log(x) <= x - 1", ()),
    ("log(x) < x", ()),
    ("log(x) <= x", ()),
    ("log(x) >= 1 - 1/x", ()),
    ("log(1 + x) <= x", ()),
    ("t - log(t) - 1 >= 0", ("t > 0",)),
    ("log(1 + exp(x)) > x", ()),
    ("sqrt(x) <= (1 + x)/2", ()),
    ("sqrt(x) <= 1 + x", ()),
    ("tanh(x) <= x", ("x >= 0",)),
    ("tanh(x) >= x", ("x <= 0",)),
    ("abs(tanh(x)) <= abs(x)", ()),
    ("tanh(x + 1) < 1", ()),
    ("sigma(x) <= x/4 + 1/2", ("x >= 0",)),
    ("sigma(x) >= x/4 + 1/2", ("x <= 0",)),
    ("sigma'(x) < 1/4", ("x > 0",)),
    ("sigma'(x) < 1/4", ("x < 0",)),
    ("log(sigma'(x)) <= -log(4)", ()),
    ("log(4*sigma'(x)) <= 0", ()),
]


@pytest.mark.parametrize("text, assume", TRUE)
def test_a_classical_inequality_is_verified_from_one_lemma(text, assume):
    verdict = decide(*_parsed(text, assume), seconds=20)
    assert verdict.status == "verified", verdict.reason


FALSE = [
    ("exp(x) >= 1 + 2*x", ()),
    ("log(x) >= x - 1", ()),
    ("tanh(x) <= x", ()),
    ("sigma(x) <= x/4 + 1/2", ()),
    ("sigma'(x) < 1/4", ()),
    ("sqrt(x) <= x/2", ()),
    ("log(1 + exp(x)) > x + 1", ()),
]


@pytest.mark.parametrize("text, assume", FALSE)
def test_a_false_neighbour_is_not_verified(text, assume):
    assert decide(*_parsed(text, assume), seconds=20).status != "verified"


@pytest.mark.parametrize("text, assume", FALSE)
def test_no_one_fact_plan_is_found_for_a_false_neighbour(text, assume):
    prop, assumptions = _parsed(text, assume)
    assert (
        list(
            lemmas.one_fact_plans(
                prop,
                assumptions,
                tactics.checked_plan,
                tactics.sign_certificate,
                tactics.find_substitution,
            )
        )
        == []
    )
