r"""Stage 3 of :mod:`proofsheet.parsing.latex`: the parse tree to SymPy objects.

:class:`_Build` is a Lark transformer with one method a grammar rule; it
turns names into real symbols (``e`` into Euler's number), subscripts into
longer names, ``^{(k)}`` into ``Indexed``, ``\prod``/``\sum``/``\frac{d}{dx}``
into operators applied to the rest of the product, and records the names that
must be integers (bound variables, limits and indices). The small value types
it passes between rules live here too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sympy as sp
from lark import Token
from lark.visitors import Transformer_NonRecursive, v_args

from proofsheet.kernel.notation import sigma, sigma_prime

from .latex_segments import segment_kinds
from .latex_tables import (
    ACCENTS,
    BIG_OPERATORS,
    CONSTANTS,
    FUNCTIONS,
    MAX_BITS,
    MAX_EXPONENT,
    MAX_ORDER,
    MULTIPLY,
    RELATIONS,
)
from .latex_tokens import _Err


@dataclass(frozen=True)
class _Name:
    """A name not yet turned into a symbol (subscripts and indices may still change it)."""

    text: str


@dataclass(frozen=True)
class _Script:
    kind: str  # "sub" | "sup" | "idx"
    value: Any  # the subscript text, or the exponent / index expression


@dataclass(frozen=True)
class _Term:
    expr: sp.Expr
    start: int
    end: int
    #: its partial subterms (log, roots, powers, divisions), unevaluated, as they were built:
    #: their domain conditions (kernel.domain) survive SymPy erasing them (``\sqrt{x}^2`` → x)
    partials: tuple[sp.Basic, ...] = ()
    #: the names written in it (SymPy may have dropped some: ``0 \cdot u`` is 0)
    names: frozenset[str] = frozenset()


@dataclass(frozen=True)
class _Factors:
    """Juxtaposed factors, multiplied once (see _Build.implicit)."""

    items: tuple[sp.Expr, ...]


def _product(x: Any) -> sp.Expr:
    if not isinstance(x, _Factors):
        return x
    if not any(isinstance(f, sp.MatrixBase) for f in x.items):
        return sp.Mul(*x.items)
    result = x.items[0]
    for f in x.items[1:]:
        result = _times(result, f)
    return result


def _cmd(tok: Token) -> str:
    return tok.value[1:] if tok.value.startswith("\\") else tok.value


def _value(x: Any) -> sp.Expr:
    if isinstance(x, _Name):
        return sp.E if x.text == "e" else sp.Symbol(x.text, real=True)
    return x


def _char(tok: Token) -> sp.Expr:
    """The argument of ``x^2``, ``e^x``, ``\\sum^n``: one digit or letter."""
    c = tok.value[-1]
    return sp.Integer(c) if c.isdigit() else _value(_Name(c))


def _bits(number: sp.Expr) -> int:
    """A bound on the bits of an exact number: those of every rational in it."""
    return 1 + sum(max(abs(r.p).bit_length(), r.q.bit_length()) for r in number.atoms(sp.Rational))


def too_many_bits(bits: int | sp.Expr) -> str:
    """The one limit on the numbers that arise, in both readers: why ``bits`` is too many,
    or "" (a power, a product or a sum of numbers, a literal such as 1e99999)."""
    return f"number too large (more than {MAX_BITS} bits)" if bits > MAX_BITS else ""


def numbers_too_large(*terms: sp.Expr) -> str:
    """Why combining ``terms`` (their product or sum) could give a number over the limit:
    the bits of all their numbers together bound the bits of any number SymPy computes."""
    return too_many_bits(sum(map(_bits, terms)))


def power_too_large(base: sp.Expr, exponent: sp.Expr) -> str:
    """Why SymPy would expand ``base^exponent`` into a huge exact number, now or once a number
    is put for a variable (``2^{10^{12}/3}``, ``x^{10^{12}}``); "" if it would not.
    ``e^{…}`` stays symbolic."""
    if base is sp.E or not isinstance(exponent, sp.Basic):
        return ""
    if any(abs(r) > MAX_EXPONENT for r in exponent.atoms(sp.Rational)):
        return f"exponent too large (more than {MAX_EXPONENT})"
    numbers = [f for f in sp.Mul.make_args(base) if f.is_number]  # (2x)^n is 2^n x^n
    return too_many_bits(sum(map(_bits, numbers)) * abs(exponent)) if exponent.is_Rational else ""


def _index_letters(name: str) -> set[str]:
    """The index names in a symbol's subscript: ``w_ij`` → {i, j}, ``x_{k+1}`` → {k}."""
    sub = name.partition("_")[2]
    if not sub:
        return set()
    letters = len(sub) <= 2 or set(sub) <= set("ijklmn")  # w_ij, w_ijk; not W_out
    return set(re.findall(r"[a-zA-Z]+", sub)) | (set(sub) if sub.isalpha() and letters else set())


def mentions(expr: sp.Expr, k: sp.Symbol) -> sp.Symbol | None:
    """A free name of ``expr`` that is ``k`` or carries it in its subscript (``w_{ik}``)."""
    return next(
        (
            s
            for s in expr.free_symbols
            if isinstance(s, sp.Symbol) and (s.name == k.name or k.name in _index_letters(s.name))
        ),
        None,
    )


def _subscripts_to_index(body: sp.Expr, k: sp.Symbol, pos: int) -> sp.Expr:
    """In the body of ``\\sum_{k=…}``, ``x_k`` means the k-th x: ``x[k]``; any other
    subscript holding k (``w_{ik}``, ``x_{k+1}``) is refused, never read as a constant."""
    suffix = "_" + k.name
    other = next(
        (
            s
            for s in body.free_symbols
            if isinstance(s, sp.Symbol)
            and not s.name.endswith(suffix)
            and k.name in _index_letters(s.name)
        ),
        None,
    )
    if other is not None:
        raise _Err(
            f"{other} inside a sum or product over {k}: proofsheet reads only "
            f"one-letter indices such as x_{k} there",
            pos,
        )
    return body.xreplace(
        {
            s: sp.Indexed(sp.IndexedBase(s.name[: -len(suffix)], real=True), k)
            for s in body.atoms(sp.Symbol)
            if s.name.endswith(suffix) and len(s.name) > len(suffix)
        }
    )


def _transposes(script: _Script, base: Any) -> bool:
    """``^\\top``, ``^{\\intercal}``; ``^T`` and ``^{\\mathsf T}`` on a name or a matrix (on a
    number or e, ``^T`` stays a power)."""
    if script.kind == "T":
        return True
    on = isinstance(base, sp.MatrixBase) or (isinstance(base, _Name) and base.text != "e")
    return script.kind == "sup" and script.value == sp.Symbol("T", real=True) and on


def _times(a: sp.Expr, b: sp.Expr) -> sp.Expr:
    """a·b; matrices must have matching shapes (a per-step message, never SymPy's); a 1×1
    product (``w^\\top x``) is its entry."""
    if isinstance(a, sp.MatrixBase) and isinstance(b, sp.MatrixBase) and a.cols != b.rows:
        raise sp.ShapeError(
            f"cannot multiply a {a.rows}×{a.cols} matrix by a {b.rows}×{b.cols} one"
        )
    product = a * b
    if isinstance(product, sp.MatrixBase) and product.shape == (1, 1):  # w^T x: a number
        return product[0, 0]
    return product


def _elementwise(a: sp.Expr, b: sp.Expr, op: Token) -> sp.Expr:
    """``A \\odot B``: entry by entry for matrices of one shape; a scalar scales."""
    if isinstance(a, sp.MatrixBase) and isinstance(b, sp.MatrixBase):
        if a.shape != b.shape:
            raise _Err(
                f"{op.value} needs matrices of one shape, not {a.shape[0]}×{a.shape[1]} "
                f"and {b.shape[0]}×{b.shape[1]}",
                op.start_pos,
            )
        return sp.ImmutableMatrix(a.shape[0], a.shape[1], lambda i, j: a[i, j] * b[i, j])
    return a * b


def _body_ends_here(left: sp.Expr, right: sp.Expr, op: Token, whole: set) -> None:
    """``\\sum_i x_i \\cdot y_i``, ``\\frac{d}{dx} x^2 \\cdot x``: the operator's body ends at
    ``\\cdot``, yet its variable is used after it; the writer meant a longer body. Refused.
    A fraction in ``whole`` (``\\frac{\\partial L}{\\partial z} \\cdot z``) has its body
    inside it: nothing is cut off."""
    bound = [k for node in left.atoms(sp.Sum, sp.Product) for k in node.variables]
    bound += [v for node in left.atoms(sp.Derivative) if node not in whole for v in node.variables]
    for k in bound:
        if mentions(right, k) is not None:
            raise _Err(
                f"{k} is used after {op.value}, outside the sum, product or derivative "
                "over it: put the whole body in parentheses",
                op.start_pos,
            )


@v_args(inline=True)
class _Build(Transformer_NonRecursive):
    """Dispatch by rule name; records the names that must be integers."""

    def __init__(self) -> None:
        super().__init__()
        self.integer_names: set[str] = set()
        self.partials: list[tuple[int, sp.Basic]] = []  # (offset, unevaluated node)
        self.written: list[tuple[int, str]] = []  # (offset, name), as written
        self.fractions: set[sp.Basic] = set()  # \frac{dL}{dz}: a derivative with its body

    def _partial(self, unevaluated: sp.Basic, pos: int) -> None:
        """Keep a partial node before SymPy can evaluate it away (``\\sqrt{-4}`` → 2i,
        ``\\ln(-1)`` → iπ), for its domain conditions."""
        self.partials.append((pos, unevaluated))

    def _integers(self, *exprs: sp.Expr) -> None:
        for e in exprs:
            self.integer_names |= {s.name for s in e.atoms(sp.Symbol)}

    # chains
    def start(self, *rows: Any) -> list:
        return [r for r in rows if isinstance(r, list)]

    def row(self, *items: Any) -> list:
        """The segments, each with its kind (see :func:`.latex_segments.segment_kinds`)."""
        return segment_kinds(items)

    def segment(self, left: _Term | None, *parts: tuple) -> tuple:
        return (left, list(parts))

    def membership(self, name: _Term, tok: Token, *interval: Any) -> tuple:
        """``x \\in (0, 1]``: the chain 0 < x ≤ 1, a hypothesis ("assume"); ``x \\in
        \\mathbb{R}`` says nothing (every name is real); ``\\sigma(x) \\in (0, 1)``: a claim."""
        kind = "assume" if isinstance(name.expr, sp.Symbol) else ""  # σ(x) ∈ (0, 1): a claim
        if len(interval) == 1:  # \mathbb{R}
            return (None, [], kind)
        opener, low, _comma, high, closer = interval
        if any(isinstance(end.expr, sp.MatrixBase) for end in (low, high)):
            raise _Err("the ends of an interval are numbers", tok.start_pos)
        parts: list[tuple] = [("<=" if opener.value == "[" else "<", name, tok.start_pos, "")]
        left = low
        if not isinstance(low.expr, sp.Expr) or low.expr.is_infinite:
            left, parts = name, []
        if isinstance(high.expr, sp.Expr) and not high.expr.is_infinite:
            parts.append(("<=" if closer.value == "]" else "<", high, tok.start_pos, ""))
        return (left if parts else None, parts, kind)

    @v_args(inline=True, meta=True)
    def bound(self, meta: Any, expr: sp.Expr) -> _Term:
        return _Term(expr, meta.start_pos, meta.end_pos)

    def relpart(self, rel: Token, term: _Term) -> tuple:
        return (RELATIONS[_cmd(rel)], term, rel.start_pos, rel.value)

    @v_args(inline=True, meta=True)
    def chainterm(self, meta: Any, expr: sp.Expr) -> _Term:
        inside = range(meta.start_pos, meta.end_pos)
        found = dict.fromkeys(node for pos, node in self.partials if pos in inside)
        names = frozenset(name for pos, name in self.written if pos in inside)
        return _Term(expr, meta.start_pos, meta.end_pos, tuple(found), names)

    @v_args(inline=True, meta=True)
    def evaluated(self, meta: Any, *children: Any) -> _Term:
        r"""``\left. … \right|_{x=a}``: the side at x = a, after any derivative in it."""
        expr, (x, at) = children[-2], children[-1]
        self._partials_at(range(meta.start_pos, meta.end_pos), x, at)
        if expr.has(sp.Derivative):
            expr = sp.Subs(expr, x, at)
        else:
            expr = expr.xreplace({x: at})
        return self.chainterm(meta, expr)

    def _partials_at(self, inside: range, x: sp.Symbol, at: sp.Expr) -> None:
        """The bar's partial subterms at the point, so ``\\frac{x}{x}`` at x = 0 is 0/0 (not
        defined), though SymPy already wrote it as 1."""
        with sp.evaluate(False):
            self.partials = [
                (pos, node.xreplace({x: at}))
                if pos in inside and not node.has(sp.Derivative)
                else (pos, node)
                for pos, node in self.partials
            ]

    def evalbar(self, bar: Token, var: _Name, rel: Token, at: sp.Expr) -> tuple:
        if RELATIONS[_cmd(rel)] != "=":
            raise _Err("write the point of an evaluation bar as |_{x=0}", rel.start_pos)
        return (_value(var), _value(at))

    def expression(self, expr: sp.Expr) -> sp.Expr:
        return expr

    # arithmetic
    def sum(self, *items: Any) -> sp.Expr:
        parts, sign = [], 1
        for x in items:
            if isinstance(x, Token):
                sign = -1 if x.type == "MINUS" else 1
            else:
                parts.append(x if sign > 0 else -x)
        return sp.Add(*parts)

    def term(self, first: Any, *rest: Any) -> sp.Expr:
        result = _product(first)
        for op, rhs in zip(rest[::2], rest[1::2]):
            rhs = _product(rhs)
            _body_ends_here(result, rhs, op, self.fractions)
            if MULTIPLY[_cmd(op)] == "⊙":  # elementwise (Hadamard) product
                result = _elementwise(result, rhs, op)
            elif MULTIPLY[_cmd(op)] == "*":
                result = _times(result, rhs)
            else:
                self._partial(sp.Pow(rhs, -1, evaluate=False), op.start_pos)
                result = result / rhs
        return result

    def implicit(self, left: sp.Expr, right: Any) -> _Factors:
        # collected and multiplied once by term/op_apply: x x x … stays linear
        return _Factors((left,) + right.items if isinstance(right, _Factors) else (left, right))

    def op_apply(self, op: Callable[[sp.Expr], sp.Expr], body: Any) -> sp.Expr:
        return op(_product(body))

    def _bigop(self, tok: Token, var: _Name, rel: Token, low: sp.Expr, high: _Script) -> Callable:
        if RELATIONS[_cmd(rel)] != "=":
            raise _Err(
                f"write the range of {tok.value} as {tok.value}_{{k=1}}^{{n}}", rel.start_pos
            )
        k = sp.Symbol(var.text, real=True)
        if any(s.name == k.name for bound in (low, high.value) for s in bound.free_symbols):
            raise _Err(
                f"the index {k} of {tok.value} also appears in its range: use another "
                "letter for the index",
                tok.start_pos,
            )
        self._integers(k, low, high.value)
        return lambda body: BIG_OPERATORS[_cmd(tok)](
            _subscripts_to_index(body, k, tok.start_pos), (k, low, high.value)
        )

    def bigop_lower_upper(self, tok, var, rel, low, high):
        return self._bigop(tok, var, rel, low, high)

    def bigop_upper_lower(self, tok, high, var, rel, low):
        return self._bigop(tok, var, rel, low, high)

    def lim(
        self, tok: Token, var: _Name, to: Token, point: sp.Expr, side: Token | None
    ) -> Callable:
        """``\\lim_{x \\to a}``: two-sided at a finite point (``a^+``, ``a^-``: from one
        side); at ±∞ from its only side."""
        x = _value(var)
        if x.name in {s.name for s in point.free_symbols}:
            raise _Err(f"the limit's point cannot contain {x}", tok.start_pos)
        if point.is_finite is False and side is not None:
            raise _Err("±∞ has only one side: write \\to \\infty", side.start_pos)
        if side is not None:
            side = side.value
        else:
            side = "+-" if point.is_finite is not False else ("-" if point == sp.oo else "+")
        return lambda body: sp.Limit(body, x, point, side)

    def infinity(self, sign: Token | None, tok: Token) -> sp.Expr:
        return -sp.oo if sign is not None and sign.type == "MINUS" else sp.oo

    # derivatives
    @staticmethod
    def _variable(var: sp.Expr, order: _Script | None, pos: int) -> tuple[sp.Expr, int]:
        """``dx`` → (x, 1); with ``d^n`` above, ``dx^n`` → (x, n)."""
        n = sp.Integer(1) if order is None else order.value
        if n != 1:
            if not (isinstance(var, sp.Pow) and var.exp == n):
                raise _Err(f"write d^{n} above and dx^{n} below", pos)
            var = var.base
        if not (n.is_Integer and 1 <= n <= MAX_ORDER):
            raise _Err(f"the order of a derivative must be 1 to {MAX_ORDER}, not {n}", pos)
        if not isinstance(var, (sp.Symbol, sp.Indexed)):
            raise _Err(
                f"cannot differentiate with respect to {var}: write a single variable "
                "such as dx or \\partial z (or dx^2 below d^2)",
                pos,
            )
        return var, int(n)

    @v_args(inline=True, meta=True)
    def dop(self, meta: Any, frac: Token, d1: Token, *rest: Any) -> Callable:
        order, _d2, var = rest
        x, n = self._variable(var, order, meta.start_pos)
        return lambda body: sp.Derivative(body, (x, n))

    @v_args(inline=True, meta=True)
    def dfrac(self, meta: Any, frac: Token, d1: Token, *rest: Any) -> sp.Expr:
        order, f, _d2, var = rest
        x, n = self._variable(var, order, meta.start_pos)
        if f == sp.Symbol("sigma", real=True):  # d\sigma/dx: σ is a function of x
            f = sigma(x)
        whole = sp.Derivative(f, (x, n))
        self.fractions.add(whole)
        return whole

    # atoms
    def number(self, tok: Token) -> sp.Expr:
        return sp.Rational(tok.value)

    def const(self, tok: Token) -> sp.Expr:
        return CONSTANTS[_cmd(tok)]

    def name(self, *toks: Token) -> _Name:
        base = _cmd(toks[-1])
        return _Name(base + ACCENTS[_cmd(toks[0])] if len(toks) == 2 else base)

    def _written(self, pos: int, *args: Any) -> None:
        self.written.extend((pos, a.text) for a in args if isinstance(a, _Name))

    def frac(self, tok: Token, num: Any, den: Any) -> sp.Expr:
        self._written(tok.start_pos, num, den)
        self._partial(sp.Pow(_value(den), -1, evaluate=False), tok.start_pos)
        return _value(num) / _value(den)

    def sqrt(self, tok: Token, index: sp.Expr | None, arg: Any) -> sp.Expr:
        self._written(tok.start_pos, arg)
        arg = _value(arg)
        exponent = sp.Rational(1, 2) if index is None else 1 / index
        self._partial(sp.Pow(arg, exponent, evaluate=False), tok.start_pos)
        if index is not None:
            self._partial(sp.Pow(index, -1, evaluate=False), tok.start_pos)
        return sp.sqrt(arg) if index is None else sp.root(arg, index)

    def call(self, tok: Token, arg: Any) -> sp.Expr:
        function, arg = FUNCTIONS[_cmd(tok)], _value(arg)
        self._partial(function(arg, evaluate=False), tok.start_pos)
        return function(arg)

    func_bare = call

    def ucall(self, tok: Token, *args: Any) -> sp.Expr:
        """``f(x)``, ``L(y, \\hat{y})`` where the file defines ``f(x) = …``: f applied (the
        checker unfolds it)."""
        values = [_value(a) for a in args if not isinstance(a, Token)]
        return sp.Function(tok.value, real=True)(*values)

    def minmax(self, tok: Token, *items: Any) -> sp.Expr:
        """``\\max(a, b)``, ``\\min\\{a, b, c\\}``, written with |·| (which interval
        arithmetic, the sign splits and the kernel's rules all know)."""
        args = [_value(e) for e in items if not isinstance(e, Token)]
        if any(isinstance(a, sp.MatrixBase) for a in args):
            raise _Err(f"{tok.value} takes numbers, not vectors or matrices", tok.start_pos)
        sign = 1 if _cmd(tok) == "max" else -1
        result = args[0]
        for arg in args[1:]:  # max(a, b) = (a + b + |a − b|)/2: the kernel knows |·|
            result = (result + arg + sign * sp.Abs(result - arg)) / 2
        return result

    def matrow(self, *cells: Any) -> list:
        return [_value(c) for c in cells]

    @v_args(inline=True, meta=True)
    def matrix(self, meta: Any, begin: Token, *rows: list) -> sp.Expr:
        """``pmatrix``/``bmatrix``: a matrix (rows of equal length); ``vmatrix``: its
        determinant."""
        if len({len(r) for r in rows}) != 1:
            raise _Err("the rows of this matrix have different lengths", meta.start_pos)
        matrix = sp.ImmutableMatrix(rows)
        if "vmatrix" in begin.value:
            if not matrix.is_square:
                raise _Err("a determinant (vmatrix) needs a square matrix", meta.start_pos)
            return matrix.det()
        return matrix

    def absolute(self, arg: Any) -> sp.Expr:
        return sp.Abs(_value(arg))

    def vector(self, *items: Any) -> sp.Expr:
        return sp.ImmutableMatrix([[e for e in items if not isinstance(e, Token)]])

    def sigma_call(self, tok: Token, *rest: Any) -> sp.Expr:
        """``\\sigma(x)``, ``\\sigma'(x)``; ``\\sigma^2(x)`` is σ(x)²."""
        prime = any(isinstance(r, Token) and r.type == "PRIME" for r in rest)
        value = (sigma_prime if prime else sigma)(rest[-1])
        power = [r.value for r in rest if isinstance(r, _Script)]
        if power and not (power[0].is_Integer and power[0] > 0):
            raise _Err(
                f"\\sigma^{{{power[0]}}}(…) is ambiguous (\\sigma^{{-1}} is the inverse "
                "function): write (\\sigma(x))^{…}",
                tok.start_pos,
            )
        return value ** power[0] if power else value

    # scripts
    def sub(self, *toks: Token) -> _Script:
        if len(toks) == 1 and toks[0].type == "SUB1":
            return _Script("sub", toks[0].value[-1])
        text = "".join(
            re.sub(r"^\\\w+\s*\{|\}$|\s", "", t.value) if t.type == "TEXT" else _cmd(t)
            for t in toks
        )
        return _Script("sub", text if text.isalnum() else "{" + text + "}")

    def sup(self, arg: Any) -> _Script:
        if isinstance(arg, Token) and arg.type == "TRANSPOSE":
            return _Script("T", None)
        if isinstance(arg, Token):
            arg = (
                _char(arg)
                if arg.type == "SUP1"
                else (CONSTANTS[_cmd(arg)] if arg.type == "CONST" else _value(_Name(_cmd(arg))))
            )
        return _Script("sup", arg)

    def idx(self, expr: sp.Expr) -> _Script:
        return _Script("idx", expr)

    @v_args(inline=True, meta=True)
    def postfix(self, meta: Any, base: Any, *scripts: _Script) -> sp.Expr:
        kinds = [s.kind for s in scripts]
        if kinds.count("sub") > 1:
            raise _Err("double subscript: write x_{12} or x_{1,2}", meta.start_pos)
        if len(kinds) - kinds.count("sub") > 1:
            raise _Err(
                "double superscript: put the power outside, as in (u^{(k)})^2", meta.start_pos
            )
        for s in scripts:
            if s.kind == "sub":
                if not isinstance(base, _Name):
                    raise _Err("a subscript needs a name before it, as in x_1", meta.start_pos)
                base = _Name(f"{base.text}_{s.value}")
        if isinstance(base, _Name):
            self.written.append((meta.start_pos, base.text))
        for s in scripts:
            if s.kind == "idx" and isinstance(base, _Name) and base.text != "e":
                self._integers(s.value)
                base = sp.Indexed(sp.IndexedBase(base.text, real=True), s.value)
            elif _transposes(s, base):
                base = _value(base)
                base = base.T if isinstance(base, sp.MatrixBase) else base  # a scalar: itself
            elif s.kind in ("idx", "sup"):
                base, exponent = _value(base), s.value
                if power_too_large(base, exponent):
                    raise _Err(power_too_large(base, exponent), meta.start_pos)
                self._partial(sp.Pow(base, exponent, evaluate=False), meta.start_pos)
                base = sp.Pow(base, exponent)
        return _value(base)

    postfix_np = postfix
