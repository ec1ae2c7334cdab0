"""Radicals and absolute values: equal powers, and the sign of a root.

Rule *equal powers*: from ``a^n = b^n`` (any rule) conclude ``a = b``; for an even ``n`` also
from ``0 ≤ a`` and ``0 ≤ b``. Sound because t ↦ t^n is injective on [0, ∞) for every n ≥ 1
and on all of ℝ for an odd n. This is how a radical is denested (square both sides of
``√(11 + 6√2) = 3 + √2``) and how ``|u| = u`` follows from ``0 ≤ u`` (``|u|² = u²``).

Where it holds: the conclusion claims ``a = b`` at every real point where ``a`` and ``b``
are defined and the premises' assumptions hold. The premise is about ``a**n`` and ``b**n``
*as SymPy evaluates them* (``√u² → u``, ``|u|² → u²``, ``(1/u)² → u⁻²``), which may drop a
partial subterm but never adds one: the rule checks that every domain condition of the
evaluated powers is one of ``a``'s or ``b``'s, so wherever ``a`` and ``b`` are defined so
are the premise's sides, the premise holds there, and its value is ``a^n = b^n`` (SymPy's
automatic evaluation, trusted). The sign premises ``0 ≤ a``, ``0 ≤ b`` hold wherever ``a``,
``b`` are defined. Anything whose powers need more is refused.

>>> import sympy as sp
>>> from proofsheet.kernel.certificates import IntervalCertificate, RationalIdentity
>>> from proofsheet.kernel.algebra import interval_order, rational_identity
>>> a, b = sp.sqrt(11 + 6 * sp.sqrt(2)), 3 + sp.sqrt(2)
>>> squared = rational_identity(Prop(a**2, "=", b**2), RationalIdentity())
>>> signs = [interval_order(Prop(0, "<", e), IntervalCertificate()) for e in (a, b)]
>>> equal_powers(Prop(a, "=", b), 2, squared, *signs).rule
'equal-powers'
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from .core import UPWARD, Prop, Theorem, _theorem
from .domain import Condition, conditions
from .errors import KernelError

#: the largest power the rule takes (larger ones only cost time)
MAX_POWER = 64


def _power(n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, sp.Integer)) or not 1 <= n <= MAX_POWER:
        raise KernelError(f"equal powers: the power must be an integer from 1 to {MAX_POWER}")
    return int(n)


def _no_wider_domain(a: sp.Expr, b: sp.Expr, n: int) -> None:
    """Refuse powers whose evaluation needs a condition that ``a`` and ``b`` do not state."""
    allowed = set(conditions(a)) | set(conditions(b))
    needed = set(conditions(sp.Pow(a, n))) | set(conditions(sp.Pow(b, n)))
    extra = [c for c in needed if not _implied(c, allowed)]
    if extra:
        raise KernelError(f"equal powers: the {n}th powers need {extra[0]}, which a = b does not")


def _implied(c: Condition, allowed: set) -> bool:
    """``c`` is one of ``allowed``, or follows from ``u > 0`` there (u ≥ 0 and u ≠ 0 do)."""
    return c in allowed or Condition("positive", c.expr) in allowed or c.known() is True


def _is_nonnegative(thm: Theorem, side: sp.Expr) -> bool:
    """Whether ``thm`` states ``0 ≤ side`` or ``0 < side``."""
    if type(thm) is not Theorem:
        return False
    upper = thm.prop.as_upper()
    return upper.rel in UPWARD and upper.lhs == 0 and upper.rhs == side


def equal_powers(prop: Prop, n: int, powered: Theorem, *signs: Theorem) -> Theorem:
    """``a = b`` from ``a**n = b**n``, and for an even n from ``0 ≤ a`` and ``0 ≤ b``."""
    n = _power(n)
    if type(prop) is not Prop or prop.rel != "=":
        raise KernelError("equal powers: the conclusion must be an equation")
    a, b = prop.lhs, prop.rhs
    if not all(isinstance(e, sp.Expr) and not isinstance(e, sp.MatrixBase) for e in (a, b)):
        raise KernelError("equal powers: the sides must be real expressions")
    if type(powered) is not Theorem or powered.prop != Prop(sp.Pow(a, n), "=", sp.Pow(b, n)):
        raise KernelError(f"equal powers: the premise is not ({a})**{n} = ({b})**{n}")
    _no_wider_domain(a, b, n)
    if n % 2 == 0:
        if len(signs) != 2 or not all(_is_nonnegative(t, e) for t, e in zip(signs, (a, b))):
            raise KernelError("equal powers: an even power needs 0 ≤ a and 0 ≤ b")
    elif signs:
        raise KernelError("equal powers: an odd power takes no sign premises")
    return _theorem(prop, "equal-powers", {"power": n}, (powered, *signs))


# --- the sign factor "root": |u| ≥ 0 and u**(p/q) ≥ 0 for an even q -----------------------


def is_root(e: sp.Basic) -> bool:
    """``|u|``, or ``u**(p/q)`` with q even: a real value that is never negative."""
    if isinstance(e, sp.Abs):
        return True
    return isinstance(e, sp.Pow) and e.exp.is_Rational and e.exp.q % 2 == 0


def root_factor(e: sp.Expr, holds: Callable[[Condition], bool]) -> tuple[sp.Expr, bool] | None:
    """``(e, False)`` when ``e`` is a root (:func:`is_root`) and ``holds`` vouches for every
    domain condition of ``e`` (its own and its subterms'); else None.

    Why it is sound: where the conditions hold (the certificate's assumptions say so, and an
    assumption holds only where it is real), every partial subterm of ``e`` is defined and
    real, so ``u**(p/q)`` is the real root of ``u ≥ 0``, never negative, and ``|u| ≥ 0``. A
    ``u ≠ 0`` condition is not vouched for by an assumption, so it is refused.
    """
    if not is_root(e):
        return None
    for c in conditions(e):
        if c.known() is not True and (c.kind == "nonzero" or not holds(c)):
            return None
    return e, False
