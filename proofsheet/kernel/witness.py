"""Witnesses: a point where a set of assumptions certainly holds, so they are not contradictory.

Contradictory assumptions prove anything. A verified verdict that uses stated
assumptions must carry a :class:`~.core.Witness` for them (:mod:`.verdict`):
an exact rational point that meets every symbol's declared facts, every domain
condition of every assumption, and every assumption, as :func:`.refute.holds`
checks them by interval arithmetic.

>>> import sympy as sp
>>> s = sp.Symbol("s", real=True)
>>> witness((Prop(0, "<", s), Prop(s, "<", 1)), {s: sp.Rational(1, 2)}).point
((s, 1/2),)
>>> witness((Prop(0, "<", s), Prop(s, "<", 1)), {s: sp.Integer(2)})  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
proofsheet.kernel.errors.KernelError: witness: the assumptions do not all ... hold at this point
"""

from __future__ import annotations

import sympy as sp

from .core import _KERNEL, Every, Prop, Witness, proved
from .errors import KernelError
from .refute import domain_of, holds, point_symbols
from .verdict import not_real


def witness(assumptions: tuple[Prop, ...], point: dict) -> Witness:
    """A kernel witness that every one of ``assumptions`` holds at the exact ``point``.

    An assumption the point cannot evaluate (an induction hypothesis about a defined
    function) holds there when its instance at the point is a theorem the kernel proved
    under no assumption, all of whose domain conditions are closed and certainly met.
    """
    assumptions = tuple(dict.fromkeys(assumptions))
    if any(type(a) is not Prop for a in assumptions):
        raise KernelError("witness: the assumptions must be propositions")
    if not isinstance(point, dict) or not all(isinstance(v, sp.Rational) for v in point.values()):
        raise KernelError("witness: a point gives each symbol an exact rational")
    numeric = tuple(a for a in assumptions if not _proved_instance(a, point))
    symbols = point_symbols(numeric)
    if not holds(numeric, {s: v for s, v in point.items() if s in symbols}):
        raise KernelError("witness: the assumptions do not all certainly hold at this point")
    return Witness(assumptions, tuple(point.items()), _KERNEL)


def _proved_instance(a: Prop, point: dict) -> bool:
    """Whether ``a`` at ``point`` is a proved theorem that is certainly defined."""
    values = {s: v for s, v in point.items() if s in point_symbols((a,))}
    if not values or a.lhs.has(Every) or a.rhs.has(Every):  # one instance is not ∀k
        return False
    instance = a.subs(values)
    return (
        proved(instance)
        and not_real(instance) is None
        and all(not c.expr.free_symbols for c in domain_of(instance))
    )
