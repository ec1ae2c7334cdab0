"""Rigorous interval evaluation of closed SymPy expressions (part of the trusted base).

Used by the kernel to decide numeric inequalities and to re-check
counterexamples.  Dispatch is by node type; an unknown node is an error.

>>> import sympy as sp
>>> lo, hi = bounds(sp.exp(1) - sp.Rational(27, 10), bits=64)
>>> 0 < lo <= hi < 0.02
True
"""

from __future__ import annotations

import mpmath
import sympy as sp

from .errors import UnsupportedError
from .notation import unfold

_iv = mpmath.iv


def _pow(base, exponent: sp.Expr, bits: int):
    if exponent.is_Integer:
        return base ** int(exponent)
    if base.a <= 0:
        raise UnsupportedError("a non-integer power of a number that may be ≤ 0")
    return _iv.exp(evaluate_interval(exponent, bits) * _iv.log(base))


def _log(x):
    if x.a <= 0:
        raise UnsupportedError("log of a number that may be ≤ 0")
    return _iv.log(x)


_FUNCTIONS = {
    sp.exp: _iv.exp,
    sp.log: _log,
    sp.Abs: abs,
}


def evaluate_interval(expr: sp.Expr, bits: int):
    """An mpmath interval containing the value of the closed expression ``expr``."""
    if expr.is_Rational:
        return _iv.mpf(expr.p) / expr.q
    if expr is sp.pi:
        return _iv.pi
    if expr is sp.E:
        return _iv.e
    if isinstance(expr, sp.Add):
        return sum((evaluate_interval(a, bits) for a in expr.args), _iv.mpf(0))
    if isinstance(expr, sp.Mul):
        value = _iv.mpf(1)
        for a in expr.args:
            value = value * evaluate_interval(a, bits)
        return value
    if isinstance(expr, sp.Pow):
        return _pow(evaluate_interval(expr.base, bits), expr.exp, bits)
    if type(expr) in _FUNCTIONS and len(expr.args) == 1:
        return _FUNCTIONS[type(expr)](evaluate_interval(expr.args[0], bits))
    raise UnsupportedError(f"cannot evaluate {type(expr).__name__} numerically")


def bounds(expr: sp.Expr, bits: int = 256) -> tuple[mpmath.mpf, mpmath.mpf]:
    """Lower and upper bounds (as mpmath numbers) of a closed expression."""
    if expr.free_symbols:
        raise UnsupportedError(f"not a closed expression: {expr}")
    saved = _iv.prec
    _iv.prec = bits
    try:
        value = evaluate_interval(unfold(expr), bits)
    finally:
        _iv.prec = saved
    low, high = value._mpi_
    with mpmath.workprec(bits):  # keep every bit of the endpoints
        return mpmath.mpf(low), mpmath.mpf(high)
