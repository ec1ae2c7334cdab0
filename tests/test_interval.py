"""Interval evaluation over the reals: the tree as it stands, at a point, or a refusal."""

from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from proofsheet.kernel import interval
from proofsheet.kernel.errors import UnsupportedError
from proofsheet.kernel.notation import sigma, sigma_prime

x = sp.Symbol("x", real=True)
y = sp.Symbol("y", real=True)
k = sp.Symbol("k", integer=True)
a, b = sp.symbols("a b", integer=True)
u = sp.IndexedBase("u", real=True)
f = sp.Function("f")
R = sp.Rational


def unevaluated_pow(base, exponent):
    return sp.Pow(base, exponent, evaluate=False)


# (expression, point, exact value): rational arithmetic stays exact
EXACT = [
    (sigma(x), {x: 0}, R(1, 2)),
    (sigma_prime(x), {x: 0}, R(1, 4)),
    (sp.tanh(x), {x: 0}, 0),
    (sp.log(x), {x: 1}, 0),
    (unevaluated_pow(4, R(1, 2)), {}, 2),
    (unevaluated_pow(8, R(-2, 3)), {}, R(1, 4)),
    (unevaluated_pow(x, R(1, 2)), {x: 0}, 0),  # 0 to a positive power is 0
    (x**3 - 2 * x, {x: R(1, 2)}, R(-7, 8)),
    (sp.Abs(x - 3), {x: 1}, 2),
    (sp.Product(sigma_prime(u[k]), (k, 1, 3)), {u.label: 0}, R(1, 64)),  # u[k] takes u's value
    (sp.Sum(k * x, (k, 1, 4)), {x: 2}, 20),
    (sp.Product(2, (k, 3, 2)), {}, 1),  # the empty range
    (sp.Sum(x, (k, a, b)), {x: 5, a: 2, b: 1}, 0),
    (sp.Derivative(x**3, x), {x: 2}, 12),
    (sp.Derivative(sp.Abs(x), x), {x: -2}, -1),
    (sp.Derivative(sp.Abs(x), x) ** 2, {x: R(1, 3)}, 1),
    (sp.UnevaluatedExpr(x) + 1, {x: 1}, 2),
]


@pytest.mark.parametrize("expr, point, expected", EXACT, ids=[str(row[0]) for row in EXACT])
def test_rational_arithmetic_at_a_point_is_exact(expr, point, expected):
    env = {s: sp.Rational(v) for s, v in point.items()}
    assert interval.exact_value(expr, env) == expected


# (expression, point, low, high): irrational values are enclosed
ENCLOSED = [
    (sp.exp(1) - R(27, 10), {}, 0.0182, 0.0183),
    (sp.pi, {}, 3.14159, 3.14160),
    (sigma(x), {x: 1}, 0.7310, 0.7311),
    (sp.tanh(x), {x: 1}, 0.7615, 0.7616),
    (sp.Derivative(sigma(x) ** 2, x), {x: 1}, 0.2874, 0.2875),
    (unevaluated_pow(2, R(1, 2)), {}, 1.41421, 1.41422),
    (x**y, {x: 2, y: R(1, 2)}, 1.41421, 1.41422),
]


@pytest.mark.parametrize("expr, point, low, high", ENCLOSED, ids=[str(row[0]) for row in ENCLOSED])
def test_irrational_values_are_enclosed_by_tight_bounds(expr, point, low, high):
    lo, hi = interval.bounds(expr, 128, {s: sp.Rational(v) for s, v in point.items()})
    assert low < lo <= hi < high


# (expression, point, words of the refusal): nothing that is not a defined real number
REFUSED = [
    (sp.log(x) ** 2, {x: -1}, "log of -1"),
    (sp.Abs(sp.log(x)), {x: -1}, "log of -1"),
    (sp.log(-1), {}, "I is not a real number"),  # SymPy made it i·π
    ((1 + sp.I) * (1 - sp.I), {}, "I is not a real number"),  # a complex intermediate
    (unevaluated_pow(unevaluated_pow(-4, R(1, 2)), 2), {}, "non-integer power of -4"),
    (unevaluated_pow(unevaluated_pow(x, R(1, 2)), 2), {x: -1}, "non-integer power of -1"),
    (unevaluated_pow(x, R(1, 3)), {x: -8}, "non-integer power of -8"),
    (unevaluated_pow(x, R(-1, 2)), {x: 0}, "0 to the power -1/2"),
    (1 / x, {x: 0}, "division by 0"),
    (x**-2, {x: 0}, "division by 0"),
    (sp.Mul(0, sp.log(x), evaluate=False), {x: R(-1, 2)}, "log of -1/2"),  # 0·undefined
    (y * sp.log(x) + (1 - y) * sp.log(1 - x), {x: R(-1, 2), y: 0}, "log of -1/2"),
    (sp.zoo, {}, "zoo"),
    (sp.nan, {}, "nan"),
    (sp.oo, {}, "oo"),
    (-sp.oo, {}, "-oo"),
    (f(x), {x: 1}, "function f"),
    (sp.sign(x), {x: 0}, "sign of 0"),
    (sp.Heaviside(x), {x: 1}, "Heaviside"),
    (sp.Product(2, (k, 3, 1)), {}, "reversed range"),
    (sp.Sum(x, (k, a, b)), {x: 1, a: 3, b: 1}, "reversed range"),
    (sp.Sum(x, (k, 1, x)), {x: R(1, 2)}, "integer ends"),
    (sp.Sum(k, (k, 1, 10**6)), {}, "terms"),
    (sp.Sum(k * x, (k, 1, 1000), (x, 1, 1000)), {}, "terms"),
    (sp.Derivative(sp.Abs(x), x), {x: 0}, "not differentiable"),
    (sp.Derivative(sp.Abs(x), x) ** 2, {x: 0}, "not differentiable"),
    (sp.Derivative(sp.sqrt(x), x), {x: 0}, "not differentiable"),
    (sp.Derivative(sp.log(x), x), {x: -1}, "log of -1"),  # f itself undefined
    (sp.Derivative(f(x), x), {x: 1}, "function f"),
    (sp.exp(sp.exp(sp.exp(x))), {x: 5}, "too large"),
    (x + y, {x: 1}, "y has no value"),
    (sp.Eq(x, 1), {x: 1}, "cannot evaluate"),
    (sp.Limit(x, x, 0), {}, "cannot evaluate"),
]


@pytest.mark.parametrize("expr, point, words", REFUSED, ids=[str(row[0]) for row in REFUSED])
def test_anything_not_a_defined_real_number_is_refused(expr, point, words):
    env = {s: sp.Rational(v) for s, v in point.items()}
    with pytest.raises(UnsupportedError, match=words.replace("(", r"\(")):
        interval.value(expr, env)


def test_bounds_of_a_closed_expression_keep_every_bit():
    lo, hi = interval.bounds(sp.pi - 3, bits=256)
    assert lo <= hi and hi - lo < mpmath.mpf(2) ** -240 and lo > 0


def test_bounds_refuse_a_free_symbol_without_a_value():
    with pytest.raises(UnsupportedError, match="not a closed expression"):
        interval.bounds(x + 1)


@pytest.mark.parametrize(
    "left, right, greater, equal",
    [
        (R(1, 2), R(1, 3), True, False),
        (R(1, 3), R(1, 3), False, True),
        (mpmath.iv.mpf([1, 2]), R(1, 2), True, False),
        (mpmath.iv.mpf([1, 2]), R(3, 2), False, False),  # overlapping: nothing is certain
        (mpmath.iv.mpf(1), R(1), False, False),  # an interval never proves equality
    ],
)
def test_comparisons_are_certain_or_false(left, right, greater, equal):
    assert interval.greater(left, right) == greater and interval.equal(left, right) == equal


@pytest.mark.parametrize(
    "node, handler",
    [
        (sp.Integer(3), "_value_Rational"),
        (sp.Symbol("y"), "_value_Symbol"),
        (sp.exp(x), "_value_Function"),
        (sp.Sum(x, (x, 1, 2)), "_value_Sum"),
        (sp.oo, "_value_Infinity"),
    ],
)
def test_each_node_is_evaluated_by_the_handler_named_for_its_type(node, handler):
    assert interval._HANDLER(node) is getattr(interval, handler)


def test_a_node_with_no_handler_on_its_mro_is_an_error_not_a_default():
    with pytest.raises(UnsupportedError, match="cannot evaluate Interval numerically"):
        interval.value(sp.Interval(0, 1))


@pytest.mark.parametrize("given, expected", [(1, 2), (sp.Rational(1, 2), R(3, 2))])
def test_a_point_gives_exact_rationals(given, expected):
    assert interval.exact_value(x + 1, {x: given}) == expected


@pytest.mark.parametrize("given", [sp.Float(0.5), sp.sqrt(2), 0.5])
def test_a_point_that_is_not_an_exact_rational_is_refused(given):
    with pytest.raises(UnsupportedError, match="exact rational"):
        interval.value(x + 1, {x: given})
