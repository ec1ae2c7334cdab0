"""Counterexample search: sample points that meet the symbols' facts, the assumptions and
the domain, most telling first (untrusted: the kernel's ``refute`` checks each one)."""

from __future__ import annotations

import itertools
import random
import time

import sympy as sp

from .. import kernel
from ..kernel import Prop, interval
from ..kernel.domain import Condition
from ..kernel.facts import meets_facts
from ..kernel.refute import HOLDS, MEETS, domain_of, point_symbols, presuppositions

# --- counterexamples --------------------------------------------------------------------

#: sample values, most telling first: 0 and ±1 (where σ'(0) = 1/4 and equalities sit), small
#: integers and fractions, then larger and less regular ones.
_REAL_SAMPLES = tuple(
    sp.Rational(v)
    for v in (
        "0",
        "1",
        "-1",
        "2",
        "-2",
        "1/2",
        "-1/2",
        "3",
        "-3",
        "1/3",
        "5/2",
        "-7/3",
        "-1/3",
        "3/2",
        "-3/2",
        "1/4",
        "-1/4",
        "4",
        "-4",
        "2/3",
        "-2/3",
        "5",
        "-5",
        "7/5",
        "-9/7",
        "1/10",
        "-1/10",
        "10",
        "-10",
        "3/10",
        "13/4",
        "-11/3",
        "1/100",
        "-1/100",
        "7",
        "-6",
        "20",
        "-25",
        "6/5",
        "4/5",
        "11/10",
        "9/10",
        "-6/5",
        "-5/2",
        "7/2",
        "-7/2",
        "1/5",
        "-1/5",
        "3/4",
        "-3/4",
        "9/2",
        "-9/2",
        "1/8",
        "-1/8",
    )
)
_INTEGER_SAMPLES = tuple(sp.Integer(v) for v in (1, 2, 3, 0, 4, -1, 5, 6, -2, 7, 8, -3, 10, 12))

QUICK_POINTS = 8  #: tried before the certificate search, so that it cannot starve them
FULL_POINTS = 400  #: tried after it
#: how far inside a domain's or an assumption's edge a sample goes (x > 2: 2 + 1/1000, ...)
EDGE_STEPS = tuple(sp.Rational(1, d) for d in (10, 1000, 100))
MAX_EDGE_DEGREE = 4  #: edges are the rational roots of a polynomial u of at most this degree
MAX_TRIES = 5  #: raw samples drawn per point wanted, when constraints reject many


def _samples_for(var: sp.Basic, edges: tuple = ()) -> list[sp.Rational]:
    """Sample values that meet the symbol's declared facts (:mod:`.kernel.facts`): the usual
    ones, with the values near ``var``'s edges after the first :data:`QUICK_POINTS`."""
    values = _INTEGER_SAMPLES if var.is_integer else _REAL_SAMPLES
    values = (*values[:QUICK_POINTS], *edges, *values[QUICK_POINTS:])
    return [v for v in dict.fromkeys(values) if meets_facts(var, v)]


def _edge_of(constraint) -> sp.Expr | None:
    """The u whose sign the constraint is about: u > 0, u ≥ 0, u ≠ 0 or a relation lhs − rhs."""
    if isinstance(constraint, Condition):
        return constraint.expr
    if isinstance(constraint.lhs, sp.MatrixBase):
        return None
    return constraint.lhs - constraint.rhs


def edge_values(var: sp.Basic, constraints: tuple) -> tuple[sp.Rational, ...]:
    """Values of ``var`` on and just beside each rational root of a polynomial u(var) that a
    constraint about ``var`` alone sets a sign for: where a false statement about
    ``sqrt(x - 2)`` or ``log(x - 2)`` often shows (untrusted: only chooses samples)."""
    roots: list = []
    for c in constraints:
        u = _edge_of(c) if _symbols_of(c) == {var} else None
        try:
            poly = sp.Poly(u, var, domain="QQ") if u is not None else None
        except Exception:  # noqa: BLE001 - not a polynomial in var with rational coefficients
            continue
        if poly is not None and 0 < poly.degree() <= MAX_EDGE_DEGREE:
            roots.extend(r for r in poly.ground_roots() if r.is_Rational)
    near = (r + sign * step for r in roots for step in EDGE_STEPS for sign in (1, -1))
    return tuple(dict.fromkeys((*near, *roots)))


def _holds_at(constraint, point: dict) -> bool:
    """Whether a relation or domain condition certainly holds at ``point`` (untrusted: only
    for choosing samples; the kernel checks the chosen point again)."""
    try:
        with interval.precision(64):
            if isinstance(constraint, Condition):
                return MEETS[constraint.kind](interval.value(constraint.expr, point))
            upper = constraint.as_upper()
            lhs, rhs = interval.value(upper.lhs, point), interval.value(upper.rhs, point)
    except Exception:  # noqa: BLE001 - undefined there
        return False
    return HOLDS[upper.rel](lhs, rhs)


def _constraints(prop: Prop, assumptions: tuple[Prop, ...]) -> tuple:
    """Everything a counterexample must meet: assumptions, upward ranges, domain conditions."""
    domains = (c for p in (prop, *assumptions) for c in domain_of(p))
    return (*assumptions, *presuppositions(prop), *domains)


def _symbols_of(constraint) -> set:
    if isinstance(constraint, Condition):
        return {s for s in constraint.expr.free_symbols if not isinstance(s, sp.Indexed)}
    return point_symbols((constraint,))


def _solved(assumptions: tuple[Prop, ...], symbols: list) -> dict:
    """Symbols fixed by a linear equation a·v + b = 0 among the assumptions: v -> (a, b)."""
    solved: dict = {}
    used: set = set()
    for c in assumptions:
        if c.rel != "=" or isinstance(c.lhs, sp.MatrixBase):
            continue
        for var in (v for v in symbols if v not in solved and v not in used):
            try:
                a, b = sp.Poly(c.lhs - c.rhs, var).all_coeffs()
            except Exception:  # noqa: BLE001 - not linear in var
                continue
            solved[var] = (a, b)
            used |= a.free_symbols | b.free_symbols
            break
    return solved


def _complete(values: dict, solved: dict) -> dict | None:
    """Add the value of each solved symbol, v = −b/a, when it is rational and meets v's facts."""
    point = dict(values)
    for var, (a, b) in solved.items():
        try:
            with interval.precision(64):
                a_value, b_value = interval.value(a, point), interval.value(b, point)
        except Exception:  # noqa: BLE001 - undefined there
            return None
        if not (interval.is_exact(a_value) and interval.is_exact(b_value) and a_value != 0):
            return None
        point[var] = -b_value / a_value
        if not meets_facts(var, point[var]):
            return None
    return point


def _pairs(first: list, second: list):
    """Every pair, by the sum of the two positions: both symbols reach their later values
    (−3/2, the edges) early, where a grid would hold the first at 0 for a whole row."""
    for total in range(len(first) + len(second) - 1):
        for i in range(max(0, total - len(second) + 1), min(total, len(first) - 1) + 1):
            yield first[i], second[total - i]


def _raw_points(pools: list[list], tries: int):
    """Deterministic value tuples: every value of one symbol, pairs by the sum of their
    positions for two, else diagonals then random."""
    if len(pools) < 2:
        yield from itertools.islice(itertools.product(*pools), tries)
        return
    if len(pools) == 2:
        yield from itertools.islice(_pairs(*pools), tries)
        return
    for i in range(max(map(len, pools))):  # every symbol at its i-th value (0, 1, −1, …)
        yield tuple(pool[min(i, len(pool) - 1)] for pool in pools)
    rng = random.Random(0)
    for _ in range(tries):
        yield tuple(rng.choice(pool) for pool in pools)


def candidate_points(prop: Prop, assumptions: tuple[Prop, ...] = (), limit: int = FULL_POINTS):
    """Up to ``limit`` deterministic sample points that meet the symbol facts, the assumptions
    (linear equations solved), the ranges and the domain conditions; the kernel checks again."""
    symbols = sorted(point_symbols((prop, *assumptions)), key=sp.default_sort_key)
    constraints = [(c, _symbols_of(c)) for c in _constraints(prop, assumptions)]
    solved = _solved(tuple(assumptions), symbols)
    free = [s for s in symbols if s not in solved]
    alone = {var: tuple(c for c, about in constraints if about == {var}) for var in free}
    pools = [
        [
            v
            for v in _samples_for(var, edge_values(var, alone[var]))
            if all(_holds_at(c, {var: v}) for c in alone[var])
        ]
        for var in free
    ]
    if not all(pools):
        return
    several = [c for c, about in constraints if len(about) != 1]
    seen: set = set()
    for values in _raw_points(pools, MAX_TRIES * limit):
        point = _complete(dict(zip(free, values)), solved)
        key = None if point is None else tuple(point[s] for s in symbols)
        if key is None or key in seen:
            continue
        seen.add(key)
        if all(_holds_at(c, point) for c in several):
            yield {s: point[s] for s in symbols}
            limit -= 1
            if limit <= 0:
                return


def search_counterexample(
    prop: Prop,
    assumptions: tuple[Prop, ...] = (),
    limit: int = FULL_POINTS,
    skip: int = 0,
    deadline: float | None = None,
) -> dict | None:
    """The first sampled point (after ``skip``) that the kernel accepts as a counterexample;
    None when there is none, or when ``deadline`` (of ``time.monotonic``) has passed."""
    if isinstance(prop.lhs, sp.MatrixBase) or prop.lhs.has(sp.Limit) or prop.rhs.has(sp.Limit):
        return None
    for point in itertools.islice(candidate_points(prop, assumptions, limit), skip, None):
        if deadline is not None and time.monotonic() > deadline:
            return None
        try:
            kernel.refute(prop, point, assumptions)
            return point
        except Exception:  # noqa: BLE001 - a point that cannot be evaluated is just skipped
            continue
    return None
