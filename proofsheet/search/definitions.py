"""Equations under a defining assumption: ``… ybar …`` given ``1 − y = ybar`` (untrusted).

An assumption ``v = e`` (or ``e = v``) with a symbol ``v`` that ``e`` does not contain
defines ``v``. The plan replaces each defined symbol of the statement by its definition,
proves what is left by the rest of the search (a callback) without those assumptions, and
joins: ``v = e`` is the kernel's ``assume`` (so the theorem rests on the stated
assumption), ``congruence`` puts it in each side, and ``chain`` and ``symmetry`` link the
three. The verdict still needs a witness point where the stated assumptions hold.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from .. import kernel
from ..kernel import Prop
from .derivatives import put_in, rewritten_theorem

#: (statement, assumptions) -> a plan the kernel accepts for it, or None
Search = Callable[[Prop, tuple], object]


@dataclass(frozen=True)
class Defined:
    """``definitions``: (symbol, value, the stated assumption saying so), used in order;
    ``plan`` proves the statement with them put in, under the other assumptions."""

    definitions: tuple[tuple[sp.Symbol, sp.Expr, Prop], ...]
    plan: object


def _definition(a: Prop) -> tuple[sp.Symbol, sp.Expr] | None:
    """``(v, e)`` when the assumption is ``v = e`` or ``e = v`` and e does not contain v."""
    if a.rel != "=" or isinstance(a.lhs, sp.MatrixBase):
        return None
    for symbol, value in ((a.lhs, a.rhs), (a.rhs, a.lhs)):
        if isinstance(symbol, sp.Symbol) and symbol not in value.free_symbols:
            return symbol, value
    return None


def defined_plan(prop: Prop, assumptions: tuple, search: Search) -> Defined | None:
    """A plan when some stated equation defines a symbol of the statement."""
    if isinstance(prop.lhs, sp.MatrixBase):
        return None
    used, current = [], prop
    for a in assumptions:
        found = _definition(a)
        if found is not None and found[0] in current.free_symbols:
            used.append((*found, a))
            current = put_in(current, [found])
    if not used:
        return None
    rest = tuple(a for a in assumptions if all(a is not u[2] for u in used))
    plan = search(current, rest)
    return None if plan is None else Defined(tuple(used), plan)


def _equation(symbol: sp.Symbol, assumption: Prop) -> kernel.Theorem:
    """``symbol = value`` under the stated assumption."""
    theorem = kernel.assume(assumption)
    return theorem if assumption.lhs == symbol else kernel.symmetry(theorem)


def defined_theorem(
    prop: Prop,
    plan: Defined,
    assumptions: tuple,
    check: Callable[[Prop, object, tuple], kernel.Theorem],
) -> kernel.Theorem:
    """The kernel theorem of ``prop`` from the plan, under the definitions it used."""
    used = {a for _s, _v, a in plan.definitions}
    rest = tuple(a for a in assumptions if a not in used)
    equations = [
        (symbol, lambda symbol=symbol, a=a: _equation(symbol, a))
        for symbol, _value, a in plan.definitions
    ]
    return rewritten_theorem(prop, equations, lambda inner: check(inner, plan.plan, rest))
