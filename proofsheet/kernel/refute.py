"""Refutation: a counterexample at an exact point, re-checked by real interval arithmetic.

A point witnesses that a statement is false only where the statement means
something: every symbol gets an exact rational meeting its declared facts
(:mod:`.facts`), every assumption holds, every ∏/Σ range runs upwards, every
domain condition (:mod:`.domain`) of both sides, of each assumption and those
a parser recorded in ``Prop.domain`` holds, and both sides are real and
defined there, with every subterm, as :mod:`proofsheet.kernel.interval` evaluates
the trees as they stand (a derivative only where it exists).

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> refute(Prop(sp.log(x) ** 2, ">=", 0), {x: sp.Integer(-1)})
Traceback (most recent call last):
...
proofsheet.kernel.errors.KernelError: refute: a domain condition fails at this point: x > 0
>>> refute(Prop(x ** 2, "<", 1), {x: sp.Integer(1)}).lhs_value
'1.0'
"""

from __future__ import annotations

from functools import lru_cache

import mpmath
import sympy as sp

from . import interval
from .core import _KERNEL, Every, Prop, Refutation
from .domain import Condition, conditions
from .errors import KernelError, UnsupportedError
from .facts import meets_facts

BITS = 256  #: interval precision of every check


@lru_cache(maxsize=1024)
def _conditions(expr: sp.Basic) -> tuple[Condition, ...]:
    return conditions(expr)


def domain_of(prop: Prop) -> tuple[Condition, ...]:
    """Where ``prop`` as written is defined: its sides' conditions and those its parser recorded."""
    if not all(isinstance(c, Condition) for c in prop.domain):
        raise KernelError("refute: a statement's domain must hold domain Conditions")
    return tuple(dict.fromkeys((*prop.domain, *_conditions(prop.lhs), *_conditions(prop.rhs))))


def point_symbols(props) -> set:
    """The symbols a point must give values: an indexed family u[k] takes one value, u's.

    Symbols that only a recorded domain condition mentions count too (``0·log y`` is 0 to
    SymPy, but the statement still needs ``y > 0``).
    """
    props = tuple(props)
    found = set().union(
        *(p.free_symbols for p in props),
        *(c.expr.free_symbols for p in props for c in domain_of(p)),
    )
    return {s for s in found if not isinstance(s, sp.Indexed)}


def presuppositions(prop: Prop) -> tuple[Prop, ...]:
    """What a statement takes for granted: every ∏/Σ range runs upwards (b = a − 1 is empty).

    A point with a reversed range is no counterexample: there SymPy's (Karr's)
    convention gives ∏_{k=a}^{b} = 1/∏_{k=b+1}^{a−1}, which no reader means.
    """
    ranges = prop.lhs.atoms(sp.Product, sp.Sum) | prop.rhs.atoms(sp.Product, sp.Sum)
    return tuple(
        Prop(0, "<=", b - a + 1)
        for r in ranges
        for _k, a, b in r.limits
        if (b + 1 - a).free_symbols
    )


# --- comparisons of values at a point -------------------------------------------------------


def _value(expr: sp.Basic, point: dict, what: str, whose: object = "") -> interval.Value:
    """The value of ``expr``; ``what`` and ``whose`` name it in the error (formatted only then)."""
    try:
        return interval.value(expr, point)
    except UnsupportedError as exc:
        raise KernelError(
            f"refute: {what}{whose} is not a defined real number at this point: {exc}"
        ) from None


#: relation (``=``, ``<=``, ``<``) -> whether it certainly holds between two values.
HOLDS = {
    "=": interval.equal,
    "<=": lambda lhs, rhs: interval.equal(lhs, rhs) or interval.greater(rhs, lhs),
    "<": lambda lhs, rhs: interval.greater(rhs, lhs),
}
#: relation -> whether it certainly fails between two values.
FAILS = {
    "=": lambda lhs, rhs: interval.greater(lhs, rhs) or interval.greater(rhs, lhs),
    "<=": interval.greater,
    "<": lambda lhs, rhs: interval.greater(lhs, rhs) or interval.equal(lhs, rhs),
}


def _holds(prop: Prop, point: dict) -> bool:
    upper = prop.as_upper()
    lhs = _value(upper.lhs, point, "a side of the assumption ", prop)
    rhs = _value(upper.rhs, point, "a side of the assumption ", prop)
    return HOLDS[upper.rel](lhs, rhs)


def _fails(prop: Prop, point: dict) -> bool:
    upper = prop.as_upper()
    lhs = _value(upper.lhs, point, "the side ", upper.lhs)
    rhs = _value(upper.rhs, point, "the side ", upper.rhs)
    return FAILS[upper.rel](lhs, rhs)


#: condition kind -> whether a value certainly meets it.
MEETS = {
    "positive": interval.positive,
    "nonnegative": interval.nonnegative,
    "nonzero": interval.nonzero,
}


def _meets(condition: Condition, point: dict) -> bool:
    return MEETS[condition.kind](_value(condition.expr, point, "the condition ", condition))


# --- the rule -------------------------------------------------------------------------------


def _outside_members(expr: sp.Basic) -> bool:
    """Whether a ∀k index stands outside a family's subscripts (``a_k ≤ k``)."""
    return expr.replace(lambda e: isinstance(e, sp.Indexed), lambda e: sp.Integer(0)).has(Every)


def _check_point(point: dict, props: tuple[Prop, ...]) -> None:
    if set(point) != point_symbols(props):
        raise KernelError("refute: the point must give every free symbol a value")
    # a point gives every member a_k the family's value (no a_k is a point symbol), so an
    # assumption about every member holds there when it holds for one k
    if any(_outside_members(side) for p in props for side in (p.lhs, p.rhs)):
        raise KernelError("refute: ∀k stands outside a family's subscripts")
    for var, value in point.items():
        if not isinstance(value, sp.Rational):
            raise KernelError(f"refute: {var} = {value} is not an exact rational")
        if not meets_facts(var, value):
            raise KernelError(f"refute: {var} = {value} breaks the assumptions on {var}")


def _decimal(v: interval.Value) -> str:
    low, high = interval.as_interval(v)._mpi_
    with mpmath.workdps(40):
        return mpmath.nstr((mpmath.mpf(low) + mpmath.mpf(high)) / 2, 30)


def refute(prop: Prop, point: dict, assumptions: tuple[Prop, ...] = ()) -> Refutation:
    """A counterexample: an exact point inside every assumption and domain where ``prop`` fails."""
    assumptions = tuple(assumptions)
    _check_point(point, (prop, *assumptions))
    with interval.precision(BITS):
        for condition in (c for p in (prop, *assumptions) for c in domain_of(p)):
            if not _meets(condition, point):
                raise KernelError(f"refute: a domain condition fails at this point: {condition}")
        if not all(_holds(a, point) for a in (*assumptions, *presuppositions(prop))):
            raise KernelError("refute: the point does not satisfy the assumptions")
        if not _fails(prop, point):
            raise KernelError("refute: the relation is not certainly false at this point")
        lhs_value = _decimal(_value(prop.lhs, point, "a side"))
        rhs_value = _decimal(_value(prop.rhs, point, "a side"))
    return Refutation(prop, tuple(point.items()), lhs_value, rhs_value, assumptions, _KERNEL)


def holds(props: tuple[Prop, ...], point: dict) -> bool:
    """Whether every one of ``props`` certainly holds at the exact ``point``, each defined there.

    The same checks a counterexample's point must pass; used to show that assumptions can be
    met together (a witness), so that no step is verified from a contradiction.
    """
    props = tuple(props)
    try:
        _check_point(point, props)
        with interval.precision(BITS):
            return all(_meets(c, point) for p in props for c in domain_of(p)) and all(
                _holds(p, point) for p in props
            )
    except KernelError:
        return False
