"""Statements with a derivative: replace it by its value, prove the rest, join (untrusted).

For ``diff(tanh(x), x) <= 1`` the plan proves ``d/dx tanh(x) = 1 − tanh(x)²`` by the
kernel's ``derivative`` rule (SymPy's ``diff``, with ``sign(u)`` read as ``u/|u|`` where
the derivative needs ``u ≠ 0``: :func:`~proofsheet.kernel.algebra.differentiated`), proves
``1 − tanh(x)² <= 1`` by the rest of the search (a callback: this module does not import
the tactics), and joins the two with ``congruence``, ``chain`` and ``symmetry``.

``chain`` says nothing where its middle term is undefined. Here the middle statement is
the statement with ``d`` for ``D``, and ``d`` is defined wherever ``D`` exists: SymPy's
rules for the course's functions bring in only ``1/u`` for ``log u``, ``u^(r−1)`` for
``u^r`` and ``u/|u|`` for ``|u|``, whose conditions (u > 0, u ≠ 0) the derivative already
needs (:mod:`~proofsheet.kernel.domain`). So the joined theorem claims nothing at a point
where the derivative does not exist, and loses no condition there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from .. import kernel
from ..kernel import Prop
from ..kernel.algebra import differentiated

#: (statement, assumptions) -> a plan the kernel accepts for it, or None
Search = Callable[[Prop, tuple], object]
#: plan checker: (statement, plan, assumptions) -> kernel theorem
Check = Callable[[Prop, object, tuple], kernel.Theorem]


@dataclass(frozen=True)
class Differentiated:
    """Each derivative with its value and the certificate of ``D = value``; ``plan`` proves
    the statement with the values in place of the derivatives."""

    values: tuple[tuple[sp.Derivative, sp.Expr, object], ...]
    plan: object


def outermost_derivatives(prop: Prop) -> list[sp.Derivative]:
    """The derivatives of the statement that sit inside no other one, in a fixed order."""
    found = [d for side in (prop.lhs, prop.rhs) for d in side.atoms(sp.Derivative)]
    outer = {d for d in found if not any(d != o and o.has(d) for o in found)}
    return sorted(outer, key=sp.default_sort_key)


def put_in(prop: Prop, pairs) -> Prop:
    """The statement with each ``(term, value)`` put in, one at a time through a hole, as
    :func:`rewritten_theorem`'s congruences build it."""
    hole, sides = _hole(prop), [prop.lhs, prop.rhs]
    for term, value in pairs:
        sides = [side.xreplace({term: hole}).xreplace({hole: value}) for side in sides]
    return Prop(sides[0], prop.rel, sides[1])


def derivative_plan(
    prop: Prop, assumptions: tuple, search: Search, certify: Callable[[Prop], object]
) -> Differentiated | None:
    """A plan when the statement has derivatives whose values have none left."""
    if isinstance(prop.lhs, sp.MatrixBase) or isinstance(prop.rhs, sp.MatrixBase):
        return None
    derivatives = outermost_derivatives(prop)
    if not derivatives:
        return None
    values = []
    for d in derivatives:
        value = differentiated(d)
        if value.has(sp.Derivative, sp.Subs, sp.DiracDelta):
            return None
        values.append((d, value, certify(Prop(d, "=", value))))
    inner = put_in(prop, [(d, value) for d, value, _cert in values])
    plan = search(inner, tuple(assumptions))
    return None if plan is None else Differentiated(tuple(values), plan)


def _hole(prop: Prop) -> sp.Symbol:
    taken = {s.name for s in prop.free_symbols}
    return sp.Symbol(
        next(n for n in (f"h_{i}" for i in range(len(taken) + 1)) if n not in taken), real=True
    )


def _side_equation(side: sp.Expr, equations, hole: sp.Symbol) -> kernel.Theorem | None:
    """``side = side'`` with each ``term = value`` of ``equations`` (pairs of a term and a
    function making that theorem) used in turn, by congruence and chain (None if none)."""
    theorem = None
    for term, equation in equations:
        if not side.has(term):
            continue
        step = kernel.congruence(equation(), side.xreplace({term: hole}), hole)
        theorem = step if theorem is None else kernel.chain(theorem, step)
        side = step.prop.rhs
    return theorem


def rewritten_theorem(prop: Prop, equations, prove: Callable[[Prop], kernel.Theorem]):
    """``prop`` from ``lhs = lhs'``, ``lhs' rel rhs'`` (``prove``) and ``rhs' = rhs``, where
    the primed sides have each term replaced by its value (``equations``, in order)."""
    hole = _hole(prop)
    left = _side_equation(prop.lhs, equations, hole)
    right = _side_equation(prop.rhs, equations, hole)
    theorem = prove(
        Prop(left.prop.rhs if left else prop.lhs, prop.rel, right.prop.rhs if right else prop.rhs)
    )
    if left is not None:
        theorem = kernel.chain(left, theorem)
    if right is not None:
        theorem = kernel.chain(theorem, kernel.symmetry(right))
    return theorem


def derivative_theorem(
    prop: Prop, plan: Differentiated, assumptions: tuple, check: Check
) -> kernel.Theorem:
    """The kernel theorem of ``prop`` from the plan: lhs = lhs', lhs' rel rhs', rhs' = rhs."""
    equations = [
        (d, lambda d=d, value=value, cert=cert: kernel.derivative(Prop(d, "=", value), cert))
        for d, value, cert in plan.values
    ]
    return rewritten_theorem(
        prop, equations, lambda inner: check(inner, plan.plan, tuple(assumptions))
    )
