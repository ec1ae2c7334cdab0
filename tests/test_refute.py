"""The kernel's refute: a counterexample only where the statement means something."""

from __future__ import annotations

import pytest
import sympy as sp

from proofsheet.kernel import Prop, refute
from proofsheet.kernel.domain import Condition
from proofsheet.kernel.errors import KernelError
from proofsheet.kernel.notation import sigma, sigma_prime
from proofsheet.kernel.refute import domain_of, point_symbols

x = sp.Symbol("x", real=True)
y = sp.Symbol("y", real=True)
s = sp.Symbol("s", real=True)
p = sp.Symbol("p", positive=True)
n = sp.Symbol("n", integer=True)
k = sp.Symbol("k", integer=True)
a, b = sp.symbols("a b", integer=True)
R = sp.Rational
BCE = -(y * sp.log(s) + (1 - y) * sp.log(1 - s))


def at(**values) -> dict:
    names = {"x": x, "y": y, "s": s, "p": p, "n": n, "a": a, "b": b}
    return {names[name]: sp.Rational(v) for name, v in values.items()}


# (statement, assumptions, a point that must be rejected, words of the reason)
FALSE_POINTS = [
    (Prop(x, "<", 0), (), {}, "every free symbol"),
    (Prop(x, "<", 0), (), at(x=1, y=1), "every free symbol"),
    (Prop(x, "<", 0), (), {x: sp.sqrt(2)}, "not an exact rational"),
    (Prop(x, "<", 0), (), {x: sp.Float(1.5)}, "not an exact rational"),
    (Prop(p, "<", 0), (), at(p=-1), "breaks the assumptions on p"),
    (Prop(n, "<", 0), (), at(n=R(1, 2)), "breaks the assumptions on n"),
    # an assumption that shares no symbol with the step still binds the point
    (Prop(x, "<", 0), (Prop(x, "<", y), Prop(y, "<", 0)), at(x=R(1, 2), y=1), "assumptions"),
    (Prop(sp.log(x) ** 2, ">=", 0), (), at(x=-1), "x > 0"),
    (Prop(sp.Abs(sp.log(x)), "=", sp.Abs(sp.log(sp.Abs(x)))), (), at(x=-1), "x > 0"),
    (Prop(sp.Derivative(sp.Abs(x), x) ** 2, "=", 1), (), at(x=0), "x ≠ 0"),
    (Prop(BCE, ">=", 0), (Prop(y, "=", 0),), at(s=R(-1, 2), y=0), "s > 0"),
    (Prop(sp.Mul(0, sp.log(s), evaluate=False), "=", 1), (), at(s=R(-1, 2)), "s > 0"),
    # conditions a parser recorded before SymPy erased them: sqrt(x)^2 -> x, exp(log x) -> x
    (Prop(x, ">=", 0, domain=(Condition("nonnegative", x),)), (), at(x=-1), "x ≥ 0"),
    (Prop(x, ">", 0, domain=(Condition("positive", x),)), (), at(x=-1), "x > 0"),
    (
        Prop(sp.tanh(x), ">=", 0, domain=(Condition("nonnegative", sp.tanh(x)),)),
        (),
        at(x=-1),
        "tanh(x) ≥ 0",
    ),
    (
        Prop(sp.tanh(x), "=", 1, domain=(Condition("nonzero", sp.exp(x) - sp.exp(-x)),)),
        (),
        at(x=0),
        "≠ 0",
    ),
    (Prop(0, "=", 1, domain=(Condition("positive", y),)), (), at(y=-1), "y > 0"),
    (Prop(0, "=", 1, domain=("y > 0",)), (), {}, "domain Conditions"),
    # the domain of an assumption binds the point too
    (Prop(x, "<", 0), (Prop(sp.log(y), "<", x),), at(x=1, y=-1), "y > 0"),
    # reversed ranges are no counterexamples (SymPy's Karr convention gives 1/2 here)
    (Prop(sp.Product(2, (k, 3, 1)), "=", 1), (), {}, "reversed range"),
    (Prop(sp.Product(2, (k, a, b)), "=", 2 ** (b - a + 1)), (), at(a=3, b=0), "assumptions"),
    # the relation holds, or is not certainly false, at the point
    (Prop(x**2, ">=", 0), (), at(x=3), "not certainly false"),
    (Prop(sigma_prime(x), "<=", R(1, 4)), (), at(x=0), "not certainly false"),
    (Prop(sp.log(2), "<", sp.log(2)), (), {}, "not certainly false"),  # no exact equality
    (Prop(sp.tanh(x), "=", 2 * sigma(x) - 1), (), at(x=0), "not certainly false"),
    (
        Prop(sp.ImmutableMatrix([x]), "=", sp.ImmutableMatrix([1])),
        (),
        at(x=0),
        "not a defined real number",
    ),
]


@pytest.mark.parametrize(
    "prop, assumptions, point, words",
    FALSE_POINTS,
    ids=[f"{row[0].lhs} {row[0].rel} {row[0].rhs}" for row in FALSE_POINTS],
)
def test_each_check_rejects_a_false_point(prop, assumptions, point, words):
    with pytest.raises(KernelError, match=words.replace("(", r"\(").replace(")", r"\)")):
        refute(prop, point, assumptions)


# (statement, assumptions, a good counterexample, lhs, rhs)
TRUE_POINTS = [
    (Prop(x**2, "<", 1), (), at(x=1), "1.0", "1.0"),
    (Prop(sigma_prime(x), "<", R(1, 4)), (), at(x=0), "0.25", "0.25"),
    (Prop(sp.Derivative(sp.Abs(x), x) ** 2, "=", 2), (), at(x=-3), "1.0", "2.0"),
    (
        Prop(sp.tanh(x), "=", 2 * sigma(x) - 1),
        (),
        at(x=1),
        "0.761594155955764888119458282605",
        "0.462117157260009758502318483644",
    ),
    (Prop(0, "=", 1, domain=(Condition("positive", y),)), (), at(y=2), "0.0", "1.0"),
    (Prop(x, ">", 0), (Prop(x, "<", y), Prop(y, "<", 0)), at(x=-2, y=-1), "-2.0", "0.0"),
    (Prop(sp.Product(2, (k, a, b)), "=", 2 ** (b - a)), (), at(a=1, b=2), "4.0", "2.0"),
]


@pytest.mark.parametrize(
    "prop, assumptions, point, lhs, rhs",
    TRUE_POINTS,
    ids=[f"{row[0].lhs} {row[0].rel} {row[0].rhs}" for row in TRUE_POINTS],
)
def test_a_real_counterexample_is_accepted_with_both_values(prop, assumptions, point, lhs, rhs):
    refutation = refute(prop, point, assumptions)
    assert (refutation.lhs_value, refutation.rhs_value) == (lhs, rhs)
    assert dict(refutation.point) == point


def test_symbols_only_a_recorded_condition_mentions_need_values():
    prop = Prop(0, "=", 0, domain=(Condition("positive", y),))
    assert point_symbols((prop,)) == {y}
    with pytest.raises(KernelError, match="every free symbol"):
        refute(Prop(0, "=", 1, domain=(Condition("positive", y),)), {})


def test_domain_of_joins_recorded_and_visible_conditions_once():
    prop = Prop(sp.log(x), "<", 1 / y, domain=(Condition("positive", x), Condition("nonzero", s)))
    assert set(map(str, domain_of(prop))) == {"x > 0", "y ≠ 0", "s ≠ 0"}
    assert len(domain_of(prop)) == 3
