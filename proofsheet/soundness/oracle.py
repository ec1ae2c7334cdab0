"""An independent judge of statements: mpmath on the written tree, real-analysis semantics.

It never imports the kernel, the interval code or the tactics: the tree comes
from :mod:`.syntax` (every written subterm kept), each subterm is evaluated at
an exact rational point with mpmath, and a point where some subterm is not real
or not defined (``log`` of a non-positive number, a non-integer power of a
negative one, a division by zero, a derivative where it does not exist)
witnesses nothing. Quantities that look like zero are re-evaluated at 250, 1000
and 2000 digits before a sign is trusted.

>>> judge("log(x)^2 >= 0").truth, judge("sigma(-x) = 1/(1 + exp(-x))").truth
('true', 'false')
>>> judge("sqrt(-4)*sqrt(-9) = -6").truth
'undefined'
"""

from __future__ import annotations

import itertools
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache

import mpmath

from .syntax import (
    SyntaxProblem,
    children,
    parse_assumptions,
    parse_expr,
    parse_relation,
    variables,
)

#: working precisions, in decimal digits; a sign is trusted once it clears the noise
LADDER = (60, 250, 1000, 2000)
#: the sampling stops at this rung; a counterexample is judged up to the last
SAMPLE_TOP = 2
MIN_POINTS = 8  #: defined points needed before "true"
POINTS = 40  #: points sampled per statement


class Undefined(Exception):
    """Some subterm is not real or not defined at this point."""


class Unsure(Exception):
    """A sign could not be told from zero at this precision."""


@dataclass
class Ctx:
    """One evaluation: the point, the precision, whether near-zero is final."""

    env: dict[str, Fraction]
    dps: int
    final: bool

    def sign(self, v: mpmath.mpf) -> int:
        """-1, 0 or 1; raises :class:`Unsure` for a value lost in the noise."""
        if abs(v) > mpmath.mpf(10) ** (-self.dps // 2):
            return 1 if v > 0 else -1
        if self.final:
            return 0
        raise Unsure


# --- derivatives, on the written tree ----------------------------------------------------

ZERO, ONE = ("num", Fraction(0)), ("num", Fraction(1))


_ARITHMETIC: dict[str, Callable[[Fraction, Fraction], Fraction]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
}


def _exact(node: tuple, env: dict[str, Fraction] | None = None) -> Fraction | None:
    """The exact value of a rational subtree (+, -, *, /, integer powers), else ``None``."""
    kind = node[0]
    if kind == "num":
        return node[1]
    if kind == "name":
        return (env or {}).get(node[1])
    if kind == "neg":
        v = _exact(node[1], env)
        return None if v is None else -v
    if kind in ("add", "mul"):
        vals = [(op, _exact(t, env)) for op, t in node[1]]
        if any(v is None for _, v in vals) or any(op == "/" and v == 0 for op, v in vals):
            return None
        out = Fraction(0) if kind == "add" else Fraction(1)
        for op, v in vals:
            out = _ARITHMETIC[op](out, v)
        return out
    if kind == "pow":
        b, e = _exact(node[1], env), _exact(node[2])
        if b is None or e is None or e.denominator != 1 or abs(e) > 64 or (b == 0 and e < 0):
            return None
        return b ** int(e)
    return None


def _mul(*fs: tuple) -> tuple:
    return ("mul", tuple(("*", f) for f in fs))


def _div(a: tuple, b: tuple) -> tuple:
    return ("mul", (("*", a), ("/", b)))


def _call(name: str, *args: tuple) -> tuple:
    return ("call", name, args)


def _num(v) -> tuple:
    return ("num", Fraction(v))


#: function -> d f(u) / du, as a tree in u
_DERIVATIVES: dict[str, Callable[[tuple], tuple]] = {
    "sigma": lambda u: _call("sigma'", u),
    "sigma'": lambda u: _mul(
        _call("sigma'", u), ("add", (("+", ONE), ("-", _mul(_num(2), _call("sigma", u)))))
    ),
    "exp": lambda u: _call("exp", u),
    "log": lambda u: _div(ONE, u),
    "sqrt": lambda u: _div(ONE, _mul(_num(2), _call("sqrt", u))),
    "tanh": lambda u: ("add", (("+", ONE), ("-", ("pow", _call("tanh", u), _num(2))))),
}


@lru_cache(maxsize=4096)
def derivative(node: tuple, x: str) -> tuple:
    """d node / dx by the written rules, undefined wherever a rule breaks down.

    |u|' at u = 0 exists only when u' = 0; √u and other non-integer powers are
    taken as not differentiable where the base is 0 (stricter than analysis for
    √(x⁴) at 0), and a product rule needs each factor's derivative.
    """
    kind = node[0]
    if x not in variables(node):
        return ("guard", "defined", node, ZERO)
    if kind == "name":
        return ONE
    if kind == "neg":
        return ("neg", derivative(node[1], x))
    if kind == "add":
        return ("add", tuple((op, derivative(t, x)) for op, t in node[1]))
    if kind == "mul":
        return _product_rule(node[1], x)
    if kind == "pow":
        return _power_rule(node[1], node[2], x)
    if kind == "call" and node[1] == "diff":
        return derivative(derivative(node[2][0], node[2][1][1]), x)
    if kind == "call" and node[1] == "abs":
        return ("absd", node[2][0], derivative(node[2][0], x))
    if kind == "call":
        u = node[2][0]
        return _mul(_DERIVATIVES[node[1]](u), derivative(u, x))
    if kind == "guard":
        return ("guard", node[1], node[2], derivative(node[3], x))
    if kind == "absd":  # its own derivative only where u != 0
        return _mul(_div(node[1], _call("abs", node[1])), derivative(node[2], x))
    raise TypeError(f"unknown node kind {kind!r}")


def _product_rule(factors: tuple, x: str) -> tuple:
    acc = factors[0][1]
    d_acc = derivative(acc, x)
    for op, f in factors[1:]:
        d_f = derivative(f, x)
        if op == "*":
            d_acc = ("add", (("+", _mul(d_acc, f)), ("+", _mul(acc, d_f))))
        else:
            top = ("add", (("+", _mul(d_acc, f)), ("-", _mul(acc, d_f))))
            d_acc = _div(top, ("pow", f, _num(2)))
        acc = ("mul", (("*", acc), (op, f)))
    return d_acc


def _power_rule(base: tuple, exponent: tuple, x: str) -> tuple:
    whole = ("pow", base, exponent)
    n = _exact(exponent)
    if x not in variables(exponent) and n is not None and n.denominator == 1:
        if n == 0:
            return ("guard", "defined", whole, ZERO)
        return _mul(_num(n), ("pow", base, _num(n - 1)), derivative(base, x))
    if x not in variables(exponent):  # a non-integer power: differentiable where base > 0
        inner = _mul(
            exponent, ("pow", base, ("add", (("+", exponent), ("-", ONE)))), derivative(base, x)
        )
        return ("guard", "positive", base, inner)
    log_part = (
        "add",
        (
            ("+", _mul(derivative(exponent, x), _call("log", base))),
            ("+", _div(_mul(exponent, derivative(base, x)), base)),
        ),
    )
    return ("guard", "positive", base, _mul(whole, log_part))


# --- evaluation ---------------------------------------------------------------------------


def _integer_exponent(node: tuple) -> int | None:
    v = _exact(node)
    return int(v) if v is not None and v.denominator == 1 else None


@lru_cache(maxsize=65536)
def _rational_tree(node: tuple) -> bool:
    """Whether the tree is built from numbers and variables by +, -, *, / and integer powers."""
    kind = node[0]
    if kind == "pow":
        return _rational_tree(node[1]) and _integer_exponent(node[2]) is not None
    if kind in ("call", "guard", "absd") or node == ("name", "pi") or node == ("name", "E"):
        return False
    return all(_rational_tree(c) for c in children(node))


def _sign(node: tuple, v: mpmath.mpf, ctx: Ctx) -> int:
    """The sign of a subterm: exact when it is rational at this point, else from its value."""
    exact = _exact(node, ctx.env) if _rational_tree(node) else None
    if exact is not None:
        return (exact > 0) - (exact < 0)
    return ctx.sign(v)


def _power(node: tuple, ctx: Ctx) -> mpmath.mpf:
    base = value(node[1], ctx)
    n = _integer_exponent(node[2])
    if n is not None:
        if n < 0 and _sign(node[1], base, ctx) == 0:
            raise Undefined("division by zero")
        return base**n
    e = value(node[2], ctx)
    s = _sign(node[1], base, ctx)
    if s < 0:
        raise Undefined("non-integer power of a negative number")
    if s == 0:  # domain.py: a possibly negative exponent needs base > 0
        exact = _exact(node[2])
        if exact is None or exact <= 0:
            raise Undefined("zero to a non-positive or unknown power")
        return mpmath.mpf(0)
    return mpmath.power(base, e)


def _sigma(u):
    return 1 / (1 + mpmath.exp(-u))


def _sigma_prime(u):
    return mpmath.exp(-u) / (1 + mpmath.exp(-u)) ** 2


def _log(u, ctx, node):
    if _sign(node, u, ctx) <= 0:
        raise Undefined("log of a non-positive number")
    return mpmath.log(u)


def _sqrt(u, ctx, node):
    if _sign(node, u, ctx) < 0:
        raise Undefined("sqrt of a negative number")
    return mpmath.sqrt(u) if u > 0 else mpmath.mpf(0)


_FUNCTIONS: dict[str, Callable] = {
    "sigma": lambda u, ctx, node: _sigma(u),
    "sigma'": lambda u, ctx, node: _sigma_prime(u),
    "exp": lambda u, ctx, node: mpmath.exp(u),
    "log": _log,
    "sqrt": _sqrt,
    "tanh": lambda u, ctx, node: mpmath.tanh(u),
    "abs": lambda u, ctx, node: abs(u),
}


def _guard(node: tuple, ctx: Ctx) -> mpmath.mpf:
    _, kind, cond, body = node
    v = value(cond, ctx)
    if kind == "positive" and _sign(cond, v, ctx) <= 0:
        raise Undefined("not differentiable here")
    return value(body, ctx)


def value(node: tuple, ctx: Ctx) -> mpmath.mpf:
    """The node's real value at ``ctx.env``; :class:`Undefined` if some subterm is not."""
    kind = node[0]
    if kind == "num":
        return mpmath.mpf(node[1].numerator) / node[1].denominator
    if kind == "name":
        if node[1] == "pi":
            return +mpmath.pi
        if node[1] == "E":
            return +mpmath.e
        v = ctx.env[node[1]]
        return mpmath.mpf(v.numerator) / v.denominator
    if kind == "neg":
        return -value(node[1], ctx)
    if kind == "add":
        total = mpmath.mpf(0)
        for op, t in node[1]:
            total = total + value(t, ctx) if op == "+" else total - value(t, ctx)
        return total
    if kind == "mul":
        return _product(node[1], ctx)
    if kind == "pow":
        return _power(node, ctx)
    if kind == "call" and node[1] == "diff":
        value(node[2][0], ctx)  # f itself must be defined here
        return value(derivative(node[2][0], node[2][1][1]), ctx)
    if kind == "call":
        return _FUNCTIONS[node[1]](value(node[2][0], ctx), ctx, node[2][0])
    if kind == "guard":
        return _guard(node, ctx)
    if kind == "absd":
        return _abs_derivative(node, ctx)
    raise TypeError(f"unknown node kind {kind!r}")


def _abs_derivative(node: tuple, ctx: Ctx) -> mpmath.mpf:
    """|u|' = sign(u)·u'; where u = 0 it exists only if u' = 0, and is then 0."""
    _, u, du = node
    s = _sign(u, value(u, ctx), ctx)
    d = value(du, ctx)
    if s != 0:
        return s * d
    if _sign(du, d, ctx) != 0:
        raise Undefined("|u| has a corner here")
    return mpmath.mpf(0)


def _product(factors: tuple, ctx: Ctx) -> mpmath.mpf:
    out = mpmath.mpf(1)
    for op, f in factors:
        v = value(f, ctx)
        if op == "/":
            if _sign(f, v, ctx) == 0:
                raise Undefined("division by zero")
            out = out / v
        else:
            out = out * v
    return out


# --- one statement at one point ----------------------------------------------------------

#: relation -> whether it holds, given the sign of lhs - rhs
HOLDS: dict[str, Callable[[int], bool]] = {
    "=": lambda s: s == 0,
    "<=": lambda s: s <= 0,
    "<": lambda s: s < 0,
    ">=": lambda s: s >= 0,
    ">": lambda s: s > 0,
}


@dataclass(frozen=True)
class Statement:
    """A relation and its assumptions, as written trees."""

    text: str
    lhs: tuple
    rel: str
    rhs: tuple
    assumptions: tuple = ()

    @property
    def names(self) -> list[str]:
        found = variables(self.lhs) | variables(self.rhs)
        for a, _, b in self.assumptions:
            found |= variables(a) | variables(b)
        return sorted(found)


def read(text: str, assume: tuple[str, ...] = ()) -> Statement:
    lhs, rel, rhs = parse_relation(text)
    assumptions = tuple(r for a in assume for r in parse_assumptions(a))
    return Statement(text, lhs, rel, rhs, assumptions)


def _relation_sign(lhs: tuple, rhs: tuple, ctx: Ctx, zero_ok: bool = False) -> int:
    """The sign of lhs - rhs (relative); ``zero_ok`` takes a near-zero for a zero at once."""
    a, b = value(lhs, ctx), value(rhs, ctx)
    both = ("add", (("+", lhs), ("-", rhs)))
    exact = _exact(both, ctx.env) if _rational_tree(both) else None
    if exact is not None:
        return (exact > 0) - (exact < 0)
    d = (a - b) / (1 + abs(a) + abs(b))
    return Ctx(ctx.env, ctx.dps, True).sign(d) if zero_ok else ctx.sign(d)


def _sign_at(
    st: Statement, env: dict[str, Fraction], dps: int, final: bool, zero_ok: bool = False
) -> int | None:
    """The sign of lhs - rhs, ``None`` outside the domain; raises :class:`Unsure`."""
    ctx = Ctx(env, dps, final)
    try:
        with mpmath.workdps(dps):
            for a, rel, b in st.assumptions:
                if not HOLDS[rel](_relation_sign(a, b, ctx)):
                    return None
            return _relation_sign(st.lhs, st.rhs, ctx, zero_ok)
    except Undefined:
        return None


def at_point(
    st: Statement, env: dict[str, Fraction], top: int = len(LADDER) - 1, lenient: bool = False
) -> str:
    """``holds``, ``fails``, ``outside`` (undefined, or an assumption fails) or ``unsure``.

    A near-zero quantity is re-evaluated one rung higher, and is a zero only at
    ``top``; when ``lenient`` (for sampling) a near-zero lhs - rhs of an =, <= or >=
    counts as a zero at once. A clear failure must be seen again, with the same
    sign, one rung higher.
    """
    zero_ok = lenient and st.rel in ("=", "<=", ">=")
    for rung in range(top + 1):
        try:
            s = _sign_at(st, env, LADDER[rung], rung == top, zero_ok)
        except Unsure:
            continue
        except (ZeroDivisionError, OverflowError, ValueError):
            return "unsure"
        if s is None:
            return "outside"
        if HOLDS[st.rel](s):
            return "holds"
        if s == 0 or rung == top:
            return "fails"
        try:
            again = _sign_at(st, env, LADDER[rung + 1], True)
        except (ZeroDivisionError, OverflowError, ValueError):
            return "unsure"
        return "fails" if again == s else "unsure"
    return "unsure"


# --- sampling ----------------------------------------------------------------------------

_SPECIAL = [
    Fraction(n, d)
    for n, d in [
        (0, 1),
        (1, 1),
        (-1, 1),
        (1, 2),
        (-1, 2),
        (2, 1),
        (-2, 1),
        (3, 1),
        (-3, 1),
        (1, 3),
        (-2, 3),
        (1, 10),
        (-1, 10),
        (10, 1),
        (-10, 1),
        (1, 1000),
        (-1, 1000),
        (7, 2),
        (-7, 2),
        (25, 1),
        (-25, 1),
        (9, 10),
        (-5, 3),
    ]
]


def _bounds(st: Statement) -> dict[str, list]:
    """Interval [lo, hi] per variable from assumptions ``var rel number``."""
    out: dict[str, list] = {}
    flip = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "="}
    for a, rel, b in st.assumptions:
        if a[0] != "name" and b[0] == "name":
            a, rel, b = b, flip[rel], a
        num = _exact(b)
        if a[0] != "name" or num is None:
            continue
        lo_hi = out.setdefault(a[1], [None, None])
        if rel in (">", ">=", "="):
            lo_hi[0] = num if lo_hi[0] is None else max(lo_hi[0], num)
        if rel in ("<", "<=", "="):
            lo_hi[1] = num if lo_hi[1] is None else min(lo_hi[1], num)
    return out


def candidates(
    name: str, lo: Fraction | None, hi: Fraction | None, rng: random.Random, effort: int = 1
) -> list[Fraction]:
    """Rationals at several scales, many inside [lo, hi] when the assumptions give one."""
    pool = list(_SPECIAL)
    for scale in (Fraction(1, 100), Fraction(1), Fraction(5), Fraction(40)):
        pool += [scale * Fraction(rng.randint(-1000, 1000), 997) for _ in range(6 * effort)]
    if lo is not None or hi is not None:
        a = lo if lo is not None else (hi - 20)
        b = hi if hi is not None else a + 20
        width = b - a
        pool += [a + width * Fraction(k, 17) for k in range(18)]
        pool += [a + width * Fraction(1, 10**k) for k in (3, 6)]
        pool += [b - width * Fraction(1, 10**k) for k in (3, 6)]
        pool += [a + width * Fraction(rng.randint(1, 996), 997) for _ in range(12 * effort)]
        pool = [v for v in pool if (lo is None or v >= lo) and (hi is None or v <= hi)]
    return list(dict.fromkeys(pool))


def _definitions(st: Statement) -> dict[str, tuple]:
    """Assumptions ``v = expr`` (or ``expr = v``) with ``v`` not in ``expr``: v is computed."""
    out: dict[str, tuple] = {}
    for a, rel, b in st.assumptions:
        for name, expr in ((a, b), (b, a)):
            if (
                rel == "="
                and name[0] == "name"
                and name[1] not in variables(expr)
                and name[1] not in out
                and name[1] not in ("pi", "E")
            ):
                out[name[1]] = expr
                break
    return out


def _define(env: dict[str, Fraction], definitions: dict[str, tuple]) -> dict[str, Fraction]:
    for _ in range(len(definitions)):  # in dependency order, however they were written
        for name, expr in definitions.items():
            v = _exact(expr, env)
            if v is not None:
                env[name] = v
    return env


def _small(lo: Fraction | None, hi: Fraction | None) -> list[Fraction]:
    """Rationals k/97 in (-1, 1), within [lo, hi]: for variables boxed in by other ones."""
    pool = [Fraction(k, 97) for k in range(-96, 97)]
    return [v for v in pool if (lo is None or v >= lo) and (hi is None or v <= hi)] or pool


def points(
    st: Statement, n: int = POINTS, small: bool = False, effort: int = 1
) -> list[dict[str, Fraction]]:
    """Sample points; ``small`` draws every variable from (-1, 1) instead."""
    definitions = _definitions(st)
    names = [v for v in st.names if v not in definitions]
    rng = random.Random(zlib.crc32(st.text.encode()))
    bounds = _bounds(st)
    pools = {
        v: _small(*bounds.get(v, (None, None)))
        if small
        else candidates(v, *bounds.get(v, (None, None)), rng, effort)
        for v in names
    }
    if not names:
        out = [{}]
    elif len(names) == 1:
        out = [{names[0]: v} for v in pools[names[0]]]
    else:
        out = [{v: pools[v][k % len(pools[v])] for v in names} for k in range(8)]
        out += [{v: rng.choice(pools[v]) for v in names} for _ in range(n * effort)]
    out = [_define(env, definitions) for env in out]
    return [env for env in out if all(v in env for v in st.names)]


# --- the verdict on a statement -----------------------------------------------------------


@dataclass
class Judgement:
    """true / false / undefined (no sampled point is in the domain) / unknown."""

    truth: str
    witness: dict[str, Fraction] | None = None
    defined: int = 0
    unsure: int = 0
    notes: list[str] = field(default_factory=list)


def judge(text: str, assume: tuple[str, ...] = (), effort: int = 1) -> Judgement:
    """Sample the statement; ``effort`` multiplies the number of random points."""
    try:
        st = read(text, assume)
    except SyntaxProblem as exc:
        return Judgement("unknown", notes=[f"unreadable: {exc}"])
    return judge_statement(st, effort)


def judge_statement(st: Statement, effort: int = 1) -> Judgement:
    first = _sample(st, points(st, effort=effort))
    if first.truth in ("false", "true"):
        return first
    again = points(st, 3 * POINTS, small=True, effort=effort)
    second = _sample(st, again, first.defined, first.unsure)
    return second if second.truth != "undefined" else first


def _sample(st: Statement, envs: list, defined: int = 0, unsure: int = 0) -> Judgement:
    for env in envs:
        outcome = at_point(st, env, top=SAMPLE_TOP, lenient=True)
        if outcome == "fails":
            if at_point(st, env) == "fails":  # confirmed to the last rung
                return Judgement("false", env, defined + 1, unsure)
            unsure += 1
        defined += outcome == "holds"
        unsure += outcome == "unsure"
    free = [v for v in st.names if v not in _definitions(st)]
    if defined >= (MIN_POINTS if free else 1) and unsure == 0:
        return Judgement("true", None, defined, unsure)
    if defined == 0 and unsure == 0:
        return Judgement("undefined", None, 0, 0)
    return Judgement("unknown", None, defined, unsure)


def parse_point(point: dict[str, str]) -> dict[str, Fraction] | None:
    """A counterexample's point as exact rationals, or ``None`` if some value is not one."""
    out = {}
    for name, text in point.items():
        try:
            v = _exact(parse_expr(text))
        except SyntaxProblem:
            return None
        if v is None:
            return None
        out[name] = v
    return out


def check_counterexample(st: Statement, point: dict[str, str]) -> str:
    """``ok`` if the point is in the domain and the statement fails there, else why not."""
    env = parse_point(point)
    if env is None:
        return "not a rational point"
    missing = [v for v in st.names if v not in env]
    if not missing:
        return _JUDGEMENT[at_point(st, env)]
    # a point that leaves a written variable out claims the statement fails for every value of it
    # (SymPy had erased the variable, as in exp(x)*exp(-x)): it must fail at each value tried
    outcomes = {
        at_point(st, {**env, **dict(zip(missing, values))})
        for values in itertools.product(_ANY_VALUE, repeat=len(missing))
    }
    if "fails" in outcomes and outcomes <= {"fails", "outside"}:
        return "ok"
    return f"no value for {', '.join(missing)}, and it does not fail for every value"


_JUDGEMENT = {
    "fails": "ok",
    "outside": "outside the domain",
    "holds": "the statement holds there",
    "unsure": "the oracle cannot tell",
}
#: values tried for a variable that a counterexample's point leaves out
_ANY_VALUE = tuple(Fraction(v) for v in ("0", "1", "-1", "1/2", "-3/2", "2", "7/3"))
