"""A student's assumptions (``% assume: …``): can they all hold at once?

Contradictory assumptions prove anything, so before a step is passed *from*
them the checker looks for a **witness**: an exact rational point where every
assumption holds, checked exactly (or by the kernel's interval evaluation).
Linear assumptions are solved exactly (a linear program maximising the slack
of the strict ones); others are sampled. Not finding a point does not prove a
contradiction; the report then says the assumptions *may* be contradictory and
no step that uses them is passed.

>>> import sympy as sp
>>> from proofsheet.kernel import Prop
>>> s = sp.Symbol("s", real=True)
>>> witness((Prop(s, ">", 1), Prop(s, "<", 3))) is not None
True
>>> witness((Prop(s, ">", 1), Prop(s, "<", 0))) is None
True
>>> a, b, c = sp.symbols("a b c", real=True)
>>> witness((Prop(0, "<", a), Prop(a, "<", b), Prop(b, "<", c), Prop(c, "<", sp.Rational(1, 9))))
{a: 1/36, b: 1/18, c: 1/12}
"""

from __future__ import annotations

import itertools
import random
from functools import lru_cache

import sympy as sp
from sympy.solvers.simplex import lpmax

from ..kernel import Prop
from ..kernel.facts import meets_facts
from ..kernel.refute import holds, point_symbols

#: values tried for every symbol, besides those read off the assumptions' constants
_BASE = [
    sp.Rational(v)
    for v in (
        "0",
        "1",
        "-1",
        "1/2",
        "-1/2",
        "2",
        "-2",
        "3",
        "-3",
        "1/3",
        "10",
        "-10",
        "1/10",
        "-1/10",
        "100",
        "-100",
    )
]
_TRIES = 3000  #: points tried at most
_QUICK_TRIES = 12  #: the first candidates, tried before the linear program
_LP_TRIES = 6  #: orders of the linear program's constraints tried


def _pool(var: sp.Basic, assumptions: tuple[Prop, ...]) -> list[sp.Rational]:
    """Candidate values: the base set, the constants of the assumptions and their neighbours."""
    consts = sorted(
        {r for a in assumptions for side in (a.lhs, a.rhs) for r in side.atoms(sp.Rational)}
        | {sp.Integer(0)}
    )
    near = [c + d for c in consts for d in (0, 1, -1, sp.Rational(1, 2), sp.Rational(-1, 2))]
    mids = [(p + q) / 2 for p, q in zip(consts, consts[1:])]
    values = list(dict.fromkeys(near + mids + _BASE))
    return [v for v in values if meets_facts(var, v)] or [sp.Integer(1)]


def _is_linear(a: Prop, symbols: list) -> bool:
    """Whether ``a`` is a linear relation with rational coefficients in ``symbols``."""
    gap = sp.expand(a.lhs - a.rhs)
    return (
        gap.is_polynomial(*symbols)
        and sp.Poly(gap, *symbols).total_degree() <= 1
        and all(c.is_Rational for c in sp.Poly(gap, *symbols).coeffs())
    )


def _linear(assumptions: tuple[Prop, ...], symbols: list) -> dict | None | bool:
    """For linear assumptions in real symbols: the point of a linear program that maximises
    the slack t of the strict ones; None if t cannot be positive (no point exists), {} if the
    solver's points were wrong, False if the assumptions are not linear."""
    if any(not isinstance(v, sp.Symbol) or v.is_integer for v in symbols):
        return False
    t = sp.Dummy("slack")
    constraints = [t <= 1]
    plain = {v: sp.Dummy(v.name, real=True) for v in symbols}  # lpmax misreads signed symbols
    for a in assumptions:
        if not _is_linear(a, symbols):
            return False
        upper = a.as_upper()
        gap = sp.expand(upper.lhs - upper.rhs).xreplace(plain)
        constraints += (
            [gap <= 0, -gap <= 0]
            if upper.rel == "="
            else [(gap + t <= 0) if upper.rel == "<" else (gap <= 0)]
        )  # lpmax's Eq is unreliable
    constraints += [
        (-plain[v] + t <= 0) if v.is_positive else (-plain[v] <= 0)
        for v in symbols
        if v.is_nonnegative
    ]
    infeasible = True
    for turn in range(_LP_TRIES):  # lpmax sometimes answers wrongly, depending on the order
        order = constraints[turn:] + constraints[:turn]
        try:
            best, solution = lpmax(t, order[::-1] if turn % 2 else order)
        except Exception:  # noqa: BLE001 - infeasible or unsupported
            continue
        if best > 0:
            infeasible = False
            point = {v: sp.Rational(solution.get(plain[v], 0)) for v in symbols}
            if all(
                c.xreplace({**{plain[v]: point[v] for v in symbols}, t: best}) == sp.true
                for c in constraints
            ):
                return point
    return None if infeasible else {}


def witness(assumptions: tuple[Prop, ...]) -> dict | None:
    """An exact rational point where every assumption holds, or None if none was found.
    Remembered per set of assumptions (a derivation asks for the same ones step after step;
    the point is untrusted either way: the kernel checks it)."""
    point = _witness(tuple(assumptions))
    return None if point is None else dict(point)


@lru_cache(maxsize=256)
def _witness(assumptions: tuple[Prop, ...]) -> dict | None:
    if not assumptions:
        return {}
    symbols = sorted(point_symbols(assumptions), key=sp.default_sort_key)
    pools = [_pool(var, assumptions) for var in symbols]
    for values in itertools.islice(itertools.product(*pools), _QUICK_TRIES):
        point = dict(zip(symbols, values))  # the obvious points first: 1/2 for 0 < s < 1
        if holds(assumptions, point):
            return point
    point = _linear(assumptions, symbols)
    if point is None or (point and holds(assumptions, point)):
        return point  # infeasible, or solved
    if point is False:  # the linear ones' most interior point often meets the others too
        linear = tuple(a for a in assumptions if _is_linear(a, symbols))
        point = _linear(linear, symbols) if linear else None
        if point and holds(assumptions, point):
            return point
    if len(symbols) <= 2:
        points = itertools.product(*pools)
    else:
        rng = random.Random(0)
        points = (tuple(rng.choice(pool) for pool in pools) for _ in range(_TRIES))
    for values in itertools.islice(points, _TRIES):
        point = dict(zip(symbols, values))
        if holds(assumptions, point):
            return point
    return None
