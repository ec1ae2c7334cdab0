"""Rigorous evaluation of SymPy expressions over the reals (part of the trusted base).

One semantics: real analysis. The tree is evaluated *as it stands*, at a point
(an environment symbol -> exact rational; an ``IndexedBase`` label gives every
``u[k]`` the value of ``u``), never by substituting into SymPy first, so SymPy's
complex-valued conventions (``log(-1) = iπ``) and automatic rewriting cannot
change what is evaluated. A value is an exact ``Rational`` while the arithmetic
stays rational, otherwise an mpmath interval that certainly contains it.

Anything that is not a defined real number raises :class:`UnsupportedError`:
``log`` of a number not certainly > 0, a non-integer power of a base not
certainly ≥ 0 (> 0 for a non-positive exponent; 0 to a positive power is 0), a
division by (or negative power of) a number that may be 0, ``I``, ``zoo``,
``nan``, ``oo``, unknown functions, a reversed range ``∏_{k=3}^{1}``, and a
derivative where the function is not differentiable. A product evaluates every
factor: 0 · undefined is undefined. Each node type has its ``_value_<Type>`` handler,
found along the type's MRO (:mod:`.dispatch`); an unknown node is an error.

>>> import sympy as sp
>>> lo, hi = bounds(sp.exp(1) - sp.Rational(27, 10), bits=64)
>>> 0 < lo <= hi < 0.02
True
>>> x = sp.Symbol("x", real=True)
>>> value(sp.log(x) ** 2, {x: sp.Integer(-1)})
Traceback (most recent call last):
...
proofsheet.kernel.errors.UnsupportedError: log of -1, which is not certainly > 0
"""

from __future__ import annotations

import operator
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Union

import mpmath
import sympy as sp

from .dispatch import Dispatch
from .errors import UnsupportedError
from .notation import DEFINITIONS

_iv = mpmath.iv
Value = Union[sp.Rational, "mpmath.ctx_iv.ivmpf"]  # exact, or an interval containing the value

MAX_TERMS = 10_000  #: most terms a ∑ or ∏ may have at a point
MAX_EXACT_BITS = 100_000  #: exact powers larger than this are bounded by intervals instead
MAX_EXP_ARG = 2**32  #: refuse exp of larger arguments (the result would not fit an exponent)


# --- values ---------------------------------------------------------------------------------


def is_exact(v: Value) -> bool:
    """Whether ``v`` is an exact rational (else an interval)."""
    return isinstance(v, sp.Rational)


def as_interval(v: Value):
    """``v`` as an mpmath interval (an exact rational is enclosed at the current precision)."""
    return _iv.mpf(v.p) / v.q if is_exact(v) else v


def _show(v: Value) -> str:
    return str(v) if is_exact(v) else mpmath.nstr(mpmath.mpf(v.mid), 8)


def positive(v: Value) -> bool:
    """``v`` is certainly > 0."""
    return bool(v > 0) if is_exact(v) else bool(v.a > 0)


def nonnegative(v: Value) -> bool:
    """``v`` is certainly ≥ 0."""
    return bool(v >= 0) if is_exact(v) else bool(v.a >= 0)


def nonzero(v: Value) -> bool:
    """``v`` is certainly ≠ 0."""
    return bool(v != 0) if is_exact(v) else bool(v.a > 0 or v.b < 0)


def greater(a: Value, b: Value) -> bool:
    """``a > b`` certainly."""
    if is_exact(a) and is_exact(b):
        return bool(a > b)
    return bool(as_interval(a).a > as_interval(b).b)


def equal(a: Value, b: Value) -> bool:
    """``a = b`` certainly: both exact and the same (an interval never proves equality)."""
    return is_exact(a) and is_exact(b) and a == b


def _integer(v: Value) -> int | None:
    return int(v) if is_exact(v) and v.q == 1 else None


# --- node handlers --------------------------------------------------------------------------

Env = dict


def _given(v) -> Value:
    """A value from the environment: an exact rational (an ``int`` is one) or an interval."""
    if isinstance(v, (int, sp.Rational)):
        return sp.Rational(v)
    if isinstance(v, _iv.mpf):
        return v
    raise UnsupportedError(f"a point's value must be an exact rational, not {v}")


def _value_Symbol(node: sp.Symbol, env: Env) -> Value:
    if node in env:
        return _given(env[node])
    raise UnsupportedError(f"{node} has no value at this point")


def _value_Indexed(node: sp.Indexed, env: Env) -> Value:
    return _given(env[node]) if node in env else _value_Symbol(node.base.label, env)


def _value_Add(node: sp.Add, env: Env) -> Value:
    return _combine([value(a, env) for a in node.args], sp.Add, operator.add, 0)


def _value_Mul(node: sp.Mul, env: Env) -> Value:
    values = [value(a, env) for a in node.args]  # every factor: 0 · undefined is undefined
    if any(is_exact(v) and v == 0 for v in values):
        return sp.Integer(0)
    return _combine(values, sp.Mul, operator.mul, 1)


def _integer_power(base: Value, n: int) -> Value:
    if n < 0 and not nonzero(base):
        raise UnsupportedError(f"division by {_show(base)}, which is not certainly ≠ 0")
    if is_exact(base) and abs(n) * max(base.p.bit_length(), base.q.bit_length()) <= MAX_EXACT_BITS:
        return base**n
    return as_interval(base) ** n if n >= 0 else 1 / as_interval(base) ** (-n)


def _exact_root(base: sp.Rational, exponent: sp.Rational) -> sp.Rational | None:
    """``base^exponent`` when it is rational (``4^(1/2) = 2``), else None."""
    p, q = exponent.p, exponent.q
    if abs(p) * max(base.p.bit_length(), base.q.bit_length()) > MAX_EXACT_BITS:
        return None
    num, num_exact = sp.integer_nthroot(int(base.p), q)
    den, den_exact = sp.integer_nthroot(int(base.q), q)
    return sp.Rational(num, den) ** p if num_exact and den_exact else None


def _real_power(base: Value, exponent: Value) -> Value:
    """A non-integer power: defined for a base > 0, and 0 to a positive power is 0."""
    if is_exact(base) and base == 0:
        if positive(exponent):
            return sp.Integer(0)
        raise UnsupportedError(f"0 to the power {_show(exponent)}")
    if not positive(base):
        raise UnsupportedError(f"a non-integer power of {_show(base)}, which is not certainly > 0")
    if is_exact(base) and is_exact(exponent) and (root := _exact_root(base, exponent)) is not None:
        return root
    return _exp_of(as_interval(exponent) * _iv.log(as_interval(base)))


def _value_Pow(node: sp.Pow, env: Env) -> Value:
    base, exponent = node.args
    e = value(exponent, env)
    if base is sp.E:
        return _exp_value(e)
    b = value(base, env)
    n = _integer(e)
    return _integer_power(b, n) if n is not None else _real_power(b, e)


def _exp_of(x):
    if not (x.b < MAX_EXP_ARG):
        raise UnsupportedError("a number too large to evaluate")
    return _iv.exp(x)


def _exp_value(x: Value) -> Value:
    return sp.Integer(1) if is_exact(x) and x == 0 else _exp_of(as_interval(x))


def _log_value(x: Value) -> Value:
    if not positive(x):
        raise UnsupportedError(f"log of {_show(x)}, which is not certainly > 0")
    return sp.Integer(0) if is_exact(x) and x == 1 else _iv.log(as_interval(x))


def _abs_value(x: Value) -> Value:
    return abs(x)


def _sign_value(x: Value) -> Value:
    """sign(u) only where u ≠ 0 (SymPy's sign(0) = 0 is a convention, not a derivative)."""
    if not nonzero(x):
        raise UnsupportedError(f"sign of {_show(x)}, which may be 0")
    return sp.Integer(1) if positive(x) else sp.Integer(-1)


#: function class -> its value as a function of its argument's value.
UNARY: dict[type, Callable[[Value], Value]] = {
    sp.exp: _exp_value,
    sp.log: _log_value,
    sp.Abs: _abs_value,
    sp.sign: _sign_value,
}


def _value_Function(node: sp.Function, env: Env) -> Value:
    kind = type(node)
    if len(node.args) != 1:
        raise UnsupportedError(f"cannot evaluate {kind.__name__} with {len(node.args)} arguments")
    x = value(node.args[0], env)
    if kind in UNARY:
        return UNARY[kind](x)
    if kind in DEFINITIONS:  # σ, σ′, tanh: their definition, at the argument's value
        definition = DEFINITIONS[kind]
        return value(definition.expr, {definition.variables[0]: x})
    raise UnsupportedError(f"cannot evaluate the function {kind.__name__}")


def _range(limit: tuple, env: Env, budget: int) -> tuple[sp.Symbol, range]:
    k, lower, upper = limit
    a, b = (_integer(value(end, env)) for end in (lower, upper))
    if a is None or b is None:
        raise UnsupportedError(f"the range of {k} does not have integer ends at this point")
    if b < a - 1:
        raise UnsupportedError(f"a reversed range {k} = {a}..{b}")
    if b - a + 1 > budget:
        raise UnsupportedError(f"more than {MAX_TERMS} terms")
    return k, range(a, b + 1)


def _terms(body: sp.Basic, limits: tuple, env: Env, budget: int = MAX_TERMS) -> Iterator[Value]:
    """The body's value for each index in the (nested) ranges; at most MAX_TERMS in all."""
    if not limits:
        yield value(body, env)
        return
    k, ks = _range(limits[0], env, budget)
    for i in ks:
        yield from _terms(body, limits[1:], {**env, k: sp.Integer(i)}, budget // max(len(ks), 1))


def _value_Sum(node: sp.Sum, env: Env) -> Value:
    return _combine(list(_terms(node.function, node.limits, env)), sp.Add, operator.add, 0)


def _value_Product(node: sp.Product, env: Env) -> Value:
    return _combine(list(_terms(node.function, node.limits, env)), sp.Mul, operator.mul, 1)


def _combine(values: list, exact_op, interval_op, unit: int) -> Value:
    if all(map(is_exact, values)):
        return exact_op(sp.Integer(unit), *values)
    out = _iv.mpf(unit)
    for v in values:
        out = interval_op(out, as_interval(v))
    return out


# --- derivatives ----------------------------------------------------------------------------


def _smooth_node(node: sp.Basic, variables: tuple, env: Env) -> None:
    """Refuse unless ``node`` (which contains a variable) is infinitely differentiable here."""
    if (
        isinstance(node, (sp.Add, sp.Mul, sp.exp, sp.Symbol, sp.Indexed, sp.Derivative))
        or type(node) in DEFINITIONS
    ):
        return
    if isinstance(node, sp.log):
        return  # defined means its argument is > 0, where log is smooth
    if isinstance(node, sp.Abs):
        if not nonzero(value(node.args[0], env)):
            raise UnsupportedError(f"|u| is not differentiable where u = {node.args[0]} is 0")
        return
    if isinstance(node, sp.Pow):
        base, exponent = node.args
        if exponent.has(*variables) or _integer(value(exponent, env)) is None:
            if not positive(value(base, env)):
                raise UnsupportedError(f"{node} is not differentiable where {base} is not > 0")
        return
    raise UnsupportedError(f"cannot tell whether {type(node).__name__} is differentiable")


def _check_smooth(expr: sp.Basic, variables: tuple, env: Env) -> None:
    if not expr.has(*variables):
        return
    _smooth_node(expr, variables, env)
    inner = expr.expr if isinstance(expr, sp.Derivative) else expr
    for arg in inner.args:
        _check_smooth(arg, variables, env)


@lru_cache(maxsize=512)
def _diff(expr: sp.Basic, variable_count: tuple) -> sp.Basic:
    return sp.diff(expr, *variable_count)


def _value_Derivative(node: sp.Derivative, env: Env) -> Value:
    """The derivative at the point, only where the function is defined and differentiable."""
    value(node.expr, env)
    variables = tuple(v for v, _n in node.variable_count)
    _check_smooth(node.expr, variables, env)
    derivative = _diff(node.expr, tuple(node.variable_count))
    if derivative.has(sp.Derivative):
        raise UnsupportedError(f"cannot differentiate {node.expr}")
    return value(derivative, env)


def _value_Subs(node: sp.Subs, env: Env) -> Value:
    """``f|_{x=a}``: f's value where its variables take the points' values."""
    points = {v: value(p, env) for v, p in zip(node.variables, node.point)}
    return value(node.expr, {**env, **points})


# --- constants, and the dispatch ------------------------------------------------------------


def _value_Rational(node: sp.Rational, _env: Env) -> Value:
    return node


def _value_Float(node: sp.Float, _env: Env) -> Value:
    return sp.Rational(node)


def _value_Pi(_node, _env: Env) -> Value:
    return _iv.pi


def _value_Exp1(_node, _env: Env) -> Value:
    return _iv.e


def _value_UnevaluatedExpr(node: sp.UnevaluatedExpr, env: Env) -> Value:
    return value(node.args[0], env)


def _not_real(node: sp.Basic, _env: Env) -> Value:
    raise UnsupportedError(f"{node} is not a real number")


_value_ImaginaryUnit = _value_ComplexInfinity = _value_NaN = _not_real
_value_Infinity = _value_NegativeInfinity = _not_real

#: node -> ``_value_<its type>``, looked up along the type's MRO; any other node is an error.
_HANDLER = Dispatch(
    "_value_", globals().get, UnsupportedError, "cannot evaluate {type} numerically"
)


_memo = threading.local()  #: the values found so far in the outermost call of this thread


def value(expr: sp.Basic, env: Env | None = None) -> Value:
    """The real value of ``expr`` at ``env``: exact if rational, else an enclosing interval.

    Uses the interval precision in force (see :func:`precision`). A sub-term that occurs many
    times (σ∘…∘σ and its derivative) is evaluated once per call: values are remembered, by
    term, environment and precision, until the outermost call returns. The environment is
    kept beside its value so that its ``id`` cannot be reused meanwhile; no handler changes
    an environment in place (a bound index gets a new one).
    """
    if not isinstance(expr, sp.Basic):
        raise UnsupportedError(f"cannot evaluate {type(expr).__name__} numerically")
    env = env or {}
    memo = getattr(_memo, "values", None)
    if memo is None:
        try:  # set inside the try: a deadline between the two must not leave it behind
            _memo.values = {}
            return value(expr, env)
        finally:
            _memo.values = None
    key = (expr, id(env), _iv.prec)
    if key not in memo:
        memo[key] = (env, _HANDLER(expr)(expr, env))
    return memo[key][1]


@contextmanager
def precision(bits: int) -> Iterator[None]:
    """Interval arithmetic at ``bits`` bits inside the block."""
    saved = _iv.prec
    _iv.prec = bits
    try:
        yield
    finally:
        _iv.prec = saved


def evaluate_interval(expr: sp.Basic, bits: int, env: Env | None = None):
    """An mpmath interval containing the real value of ``expr`` at ``env``."""
    with precision(bits):
        return as_interval(value(expr, env))


def exact_value(expr: sp.Basic, env: Env | None = None, bits: int = 256) -> sp.Rational | None:
    """The value at ``env`` when rational arithmetic gives it exactly, else None."""
    with precision(bits):
        v = value(expr, env)
    return v if is_exact(v) else None


def bounds(expr: sp.Basic, bits: int = 256, env: Env | None = None) -> tuple[mpmath.mpf, ...]:
    """Lower and upper bounds (mpmath numbers) of ``expr``: closed, or at the point ``env``."""
    missing = {s for s in expr.free_symbols if not isinstance(s, sp.Indexed)} - set(env or {})
    if missing:
        raise UnsupportedError(f"not a closed expression: {expr}")
    value_ = evaluate_interval(expr, bits, env)
    low, high = value_._mpi_
    with mpmath.workprec(bits):  # keep every bit of the endpoints
        return mpmath.mpf(low), mpmath.mpf(high)
