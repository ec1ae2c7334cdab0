"""Refutation: a counterexample at an exact point, re-checked by interval arithmetic."""

from __future__ import annotations

import mpmath
import sympy as sp

from .. import interval
from ..certificates import Substitution
from ..errors import KernelError
from .algebra import normal_form
from .core import _KERNEL, Prop, Refutation

_SYMBOL_FACTS = {"integer": lambda v: v.is_Integer, "positive": lambda v: v > 0,
                 "nonnegative": lambda v: v >= 0}


def point_symbols(props) -> set:
    """The symbols a point must give values: an indexed family u[k] takes one value, u's."""
    found = set().union(*(p.free_symbols for p in props))
    return {s for s in found if not isinstance(s, sp.Indexed)}


def _closed(expr: sp.Basic, point: dict) -> sp.Expr:
    """The value at ``point``: differentiate, give every u[k] the value of u, substitute, expand ∏ Σ."""
    expr = expr.replace(lambda e: isinstance(e, sp.Derivative), lambda e: e.doit())
    expr = expr.replace(lambda e: isinstance(e, sp.Indexed) and e.base.label in point,
                        lambda e: point[e.base.label])
    expr = expr.xreplace(point).replace(lambda e: isinstance(e, (sp.Product, sp.Sum)), lambda e: e.doit())
    return expr.replace(lambda e: isinstance(e, sp.Indexed) and e.base.label in point,
                        lambda e: point[e.base.label])


def _value_bounds(expr: sp.Basic, point: dict) -> tuple:
    return interval.bounds(_closed(expr, point), bits=256)


def _holds_strictly_or_exactly(prop: Prop, point: dict) -> bool:
    upper = prop.as_upper()
    difference = _closed(upper.rhs - upper.lhs, point)
    if upper.rel in ("=", "<=") and normal_form(difference, Substitution()) == 0:
        return True
    return upper.rel != "=" and interval.bounds(difference)[0] > 0


def _decimal(low, high) -> str:
    with mpmath.workdps(40):
        return mpmath.nstr((low + high) / 2, 30)


def presuppositions(prop: Prop) -> tuple[Prop, ...]:
    """What a statement takes for granted: every ∏/Σ range runs upwards (a ≤ b + 1; b = a − 1 is empty).

    A point with a reversed range is no counterexample: there SymPy's (Karr's)
    convention gives ∏_{k=a}^{b} = 1/∏_{k=b+1}^{a−1}, which no reader means.
    """
    ranges = (prop.lhs.atoms(sp.Product, sp.Sum) | prop.rhs.atoms(sp.Product, sp.Sum))
    return tuple(Prop(0, "<=", b - a + 1) for r in ranges for _k, a, b in r.limits if (b + 1 - a).free_symbols)


def refute(prop: Prop, point: dict, assumptions: tuple[Prop, ...] = ()) -> Refutation:
    """A counterexample: every symbol gets an exact rational meeting its assumptions."""
    if set(point) != point_symbols((prop, *assumptions)):
        raise KernelError("refute: the point must give every free symbol a value")
    for var, value in point.items():
        if not value.is_Rational:
            raise KernelError(f"refute: {var} = {value} is not an exact rational")
        if any(getattr(var, f"is_{f}") and not ok(value) for f, ok in _SYMBOL_FACTS.items()):
            raise KernelError(f"refute: {var} = {value} breaks the assumptions on {var}")
    if not all(_holds_strictly_or_exactly(a, point) for a in (*assumptions, *presuppositions(prop))):
        raise KernelError("refute: the point does not satisfy the assumptions")
    (l_lo, l_hi), (r_lo, r_hi) = _value_bounds(prop.lhs, point), _value_bounds(prop.rhs, point)
    upper = prop.as_upper()
    if upper is not prop:
        (l_lo, l_hi), (r_lo, r_hi) = (r_lo, r_hi), (l_lo, l_hi)
    fails = {"=": l_hi < r_lo or r_hi < l_lo,
             "<=": l_lo > r_hi,
             "<": l_lo > r_hi or normal_form(_closed(upper.lhs - upper.rhs, point), Substitution()) == 0}
    if not fails[upper.rel]:
        raise KernelError("refute: the relation is not certainly false at this point")
    lhs_value, rhs_value = (_decimal(*_value_bounds(side, point)) for side in (prop.lhs, prop.rhs))
    return Refutation(prop, tuple(point.items()), lhs_value, rhs_value, _KERNEL)

