"""Analytic rules: limits, monotonicity from the sign of a derivative, increasing functions.

Their trusted base, beyond the algebra: SymPy's ``limit`` (the Gruntz
algorithm) and ``continuous_domain``, and the fact that each function of
:data:`INCREASING` is strictly increasing where it is defined.  Each rule is
stated for real variables.
"""

from __future__ import annotations

import sympy as sp
from sympy.calculus.util import continuous_domain

from .core import Prop, Theorem, _theorem
from .domain import CONDITION_RELATIONS, conditions
from .errors import KernelError
from .notation import sigma, unfold


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


def _sqrt(u: sp.Expr, evaluate: bool = True) -> sp.Expr:
    return sp.Pow(u, sp.Rational(1, 2), evaluate=evaluate)


#: The one table of strictly increasing real functions: name -> f(u, evaluate=…). exp, σ, tanh
#: and atan on all of ℝ, log on (0, ∞), √ on [0, ∞).
INCREASING = {
    "exp": sp.exp,
    "log": sp.log,
    "sigma": sigma,
    "tanh": sp.tanh,
    "atan": sp.atan,
    "sqrt": _sqrt,
}

#: Nodes whose real value, at a real point, is fully described by their domain conditions
#: (:mod:`.domain`): an argument made only of these may let SymPy evaluate f(argument).
_PLAIN = (
    sp.Symbol,
    sp.Rational,
    sp.NumberSymbol,
    sp.Add,
    sp.Mul,
    sp.Pow,
    sp.exp,
    sp.log,
    sp.Abs,
    sp.tanh,
    sp.atan,
    sigma,
)


def _applied(f, u: sp.Basic, name: str) -> tuple[sp.Expr, sp.Expr]:
    """f(u) as written and as SymPy evaluates it; refused when that evaluation could erase a
    subterm of u whose reality no domain condition records (tanh(atanh(x)) → x)."""
    if not isinstance(u, sp.Expr) or isinstance(u, sp.MatrixBase):
        raise KernelError(f"increasing: {name} applies to a real expression, not {u}")
    raw, value = f(u, evaluate=False), f(u)
    if value != raw and not all(
        isinstance(n, _PLAIN) and (not n.is_Symbol or n.is_real) for n in sp.preorder_traversal(u)
    ):
        raise KernelError(f"increasing: SymPy rewrites {raw} as {value}, and {u} is not plain")
    return raw, value


def _lost_conditions(raw: tuple, value: tuple) -> tuple[Prop, ...]:
    """``0 < u`` (``0 <= u``) for each condition of f(a), f(b) as written that the evaluated
    sides no longer carry (exp(log(x)) → x loses x > 0); refused if one cannot be stated."""
    kept = set(conditions(value[0]) + conditions(value[1]))
    lost = []
    for c in dict.fromkeys(conditions(raw[0]) + conditions(raw[1])):
        if c in kept or c.known() is True:
            continue
        if c.kind not in CONDITION_RELATIONS or c.known() is False:
            raise KernelError(f"increasing: {c.node} needs {c}, which the result would not say")
        lost.append(Prop(sp.Integer(0), CONDITION_RELATIONS[c.kind], c.expr))
    return tuple(lost)


def increasing(thm: Theorem, function: str) -> Theorem:
    """a < b gives f(a) < f(b) (and ≤, = likewise) for f in :data:`INCREASING`.

    The result holds wherever f(a) and f(b) as written are defined: a condition that SymPy's
    evaluation of f(a) erases (exp(log(x)) → x) becomes an assumption of the theorem.
    """
    f = INCREASING.get(function) if isinstance(function, str) else None
    if f is None:
        raise KernelError(f"increasing: {function!r} is not one of {', '.join(INCREASING)}")
    if type(thm) is not Theorem or type(thm.prop) is not Prop:
        raise KernelError("increasing: the premise must be a kernel theorem")
    upper = thm.prop.as_upper()
    (raw_a, a), (raw_b, b) = (_applied(f, side, function) for side in (upper.lhs, upper.rhs))
    lost = _lost_conditions((raw_a, raw_b), (a, b))
    prop = Prop(a, upper.rel, b, domain=conditions(raw_a) + conditions(raw_b))
    return _theorem(prop, "increasing", {"function": function}, (thm,), assumptions=lost)
