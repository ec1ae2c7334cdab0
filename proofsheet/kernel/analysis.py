"""Analytic rules: limits, monotonicity from the sign of a derivative, monotonicity of exp.

Their trusted base, beyond the algebra: SymPy's ``limit`` (the Gruntz
algorithm) and ``continuous_domain``, and the fact that exp is strictly
increasing.  Each rule is stated for real variables.
"""

from __future__ import annotations

import sympy as sp
from sympy.calculus.util import continuous_domain

from ..errors import KernelError
from ..notation import unfold
from .core import Prop, Theorem, _theorem


def limit(prop: Prop) -> Theorem:
    """``Limit(f, x, a, dir) = L`` when SymPy's limit of the unfolded f is exactly L."""
    if prop.rel != "=" or not isinstance(prop.lhs, sp.Limit):
        raise KernelError("limit: the statement must be Limit(f, x, a) = L")
    f, x, a, direction = prop.lhs.args
    if sp.limit(unfold(f), x, a, str(direction)) != prop.rhs:
        raise KernelError(f"limit: the limit is not {prop.rhs}")
    return _theorem(prop, "limit")


def _interval_of(assumptions: tuple[Prop, ...], x: sp.Symbol) -> tuple[sp.Set, list[Prop]]:
    """The interval the assumptions put x in, and the assumptions that do not mention x."""
    interval, others = sp.Interval(-sp.oo, sp.oo), []
    for a in assumptions:
        upper = a.as_upper()
        strict = upper.rel == "<"
        if x not in upper.free_symbols:
            others.append(a)
        elif upper.rhs == x and not upper.lhs.free_symbols and upper.rel != "=":
            interval &= sp.Interval(upper.lhs, sp.oo, left_open=strict)
        elif upper.lhs == x and not upper.rhs.free_symbols and upper.rel != "=":
            interval &= sp.Interval(-sp.oo, upper.rhs, right_open=strict)
        else:
            raise KernelError(f"monotone: assumption {a} is not a bound on {x}")
    return interval, others


def monotone(premise: Theorem, f: sp.Expr, x: sp.Symbol, anchor: sp.Expr) -> Theorem:
    """f' ≥ 0 (or ≤ 0) on an interval I where f is continuous bounds f by f(anchor).

    ``anchor`` is a closed end of I: with f' ≥ 0, f(lo) ≤ f(x) and f(x) ≤ f(hi);
    with f' ≤ 0 the other way round.  f must depend on x alone.
    """
    upper = premise.prop.as_upper()
    slope = sp.Derivative(f, x)
    if upper.lhs == 0 and upper.rhs == slope:
        increasing = True
    elif upper.lhs == slope and upper.rhs == 0:
        increasing = False
    else:
        raise KernelError("monotone: the premise must be 0 ≤ f' or f' ≤ 0")
    if f.free_symbols != {x} or not x.is_real:
        raise KernelError("monotone: f must be a function of one real variable")
    interval, _others = _interval_of(premise.assumptions, x)
    if _others:
        raise KernelError("monotone: the premise may assume only bounds on the variable")
    if not continuous_domain(unfold(f), x, interval) == interval:
        raise KernelError(f"monotone: {f} is not continuous on {interval}")
    if not isinstance(interval, sp.Interval):
        raise KernelError(f"monotone: the assumptions do not describe an interval ({interval})")
    if anchor == interval.start and not interval.left_open:
        at_left = True
    elif anchor == interval.end and not interval.right_open:
        at_left = False
    else:
        raise KernelError(f"monotone: {anchor} is not a closed end of {interval}")
    value = f.subs(x, anchor)
    prop = Prop(value, "<=", f) if increasing == at_left else Prop(f, "<=", value)
    return _theorem(prop, "monotone", {"function": f, "variable": x, "anchor": anchor}, (premise,))


def exp_monotone(thm: Theorem) -> Theorem:
    """a < b gives e^a < e^b (and ≤, = likewise): exp is strictly increasing."""
    upper = thm.prop.as_upper()
    return _theorem(Prop(sp.exp(upper.lhs), upper.rel, sp.exp(upper.rhs)), "exp-monotone",
                    premises=(thm,))
