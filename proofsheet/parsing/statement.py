"""Parse SymPy-like statements such as ``sigma(x)*(1 - sigma(x)) <= 1/4``.

The text is untrusted: it is parsed by a Lark LALR grammar
(``proofsheet/grammars/statement.lark``) and turned into SymPy objects by a
transformer that looks names up in fixed tables. Nothing is ever passed to
``eval``, ``sympify`` or ``sympy.parsing``. Every failure is a
:class:`~proofsheet.kernel.errors.ParseError` with a line and a column.

>>> parse_statement("1 - sigma(x) = sigma(-x)").rel
'='
>>> parse_expression("0.25*x^2")
x**2/4
>>> [str(r) for r in parse_assumptions("0 < s < 1, t > 0")]
['0 < s', 's < 1', 't > 0']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import lru_cache
from importlib.resources import files
from typing import Any

import sympy as sp
from lark import Lark, Token, Transformer, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, VisitError

from proofsheet.kernel.domain import Condition, node_conditions
from proofsheet.kernel.errors import ParseError
from proofsheet.kernel.notation import sigma, sigma_prime

from .latex_build import numbers_too_large, power_too_large, too_many_bits
from .latex_tables import MAX_EXPONENT

MAX_CHARS = 10_000  #: longest accepted input
MAX_DEPTH = 100  #: deepest accepted parse tree (parentheses, signs, powers, calls)
# MAX_EXPONENT and the limit on bits (too_many_bits) are the LaTeX reader's: one rule


@dataclass(frozen=True)
class ParsedRelation:
    """One relation ``lhs rel rhs``; ``rel`` is one of ``= <= < >= >``.

    ``domain`` holds the conditions (:class:`~proofsheet.kernel.domain.Condition`) of every
    partial subterm as written, recorded before SymPy's evaluation could erase them
    (``sqrt(x)^2`` becomes ``x``, yet the statement still needs ``x ≥ 0``).
    """

    lhs: sp.Expr
    rel: str
    rhs: sp.Expr
    domain: tuple = field(default=(), compare=False)

    def __str__(self) -> str:
        return f"{self.lhs} {self.rel} {self.rhs}"


def _derivative(f: sp.Expr, x: sp.Expr) -> sp.Expr:
    if not isinstance(x, sp.Symbol):
        raise ValueError(f"diff's second argument must be a variable, not {x}")
    return sp.Derivative(f, x)  # unevaluated


def _range(op: type) -> Callable[..., sp.Expr]:
    """``sum(f, k, a, b)``, ``product(f, k, a, b)``: Σ/∏ of f over k = a..b (unevaluated)."""

    def make(body: sp.Expr, k: sp.Expr, low: sp.Expr, high: sp.Expr, evaluate=True) -> sp.Expr:
        if not isinstance(k, sp.Symbol):
            raise ValueError(f"the index of a sum or product must be a variable, not {k}")
        return op(body, (k, low, high))

    return make


#: name -> (constructor, number of arguments): the whole function vocabulary.
FUNCTIONS: dict[str, tuple[Callable[..., Any], int]] = {
    "sigma": (sigma, 1),
    "sigma_prime": (sigma_prime, 1),
    "sigma'": (sigma_prime, 1),
    "exp": (sp.exp, 1),
    "log": (sp.log, 1),
    "ln": (sp.log, 1),
    "sqrt": (sp.sqrt, 1),
    "tanh": (sp.tanh, 1),
    "abs": (sp.Abs, 1),
    "diff": (_derivative, 2),
    "sum": (_range(sp.Sum), 4),
    "product": (_range(sp.Product), 4),
}
#: other spellings of a name: σ and \\sigma as in LaTeX
ALIASES: dict[str, str] = {"σ": "sigma", "\\sigma": "sigma"}
CONSTANTS: dict[str, sp.Expr] = {"pi": sp.pi, "E": sp.E, "e": sp.E}
#: SymPy's names for what is not a real number: refused, never read as a variable
NOT_REAL: dict[str, str] = dict.fromkeys(
    ("oo", "inf", "infty", "infinity", "Infinity"), "∞ is not a real number"
) | {
    "zoo": "complex infinity is not a real number",
    "nan": "nan is not a number",
    "I": "I is the imaginary unit in SymPy, not a real number",
}
RELATIONS: dict[str, str] = {
    "=": "=",
    "==": "=",
    "<=": "<=",
    "≤": "<=",
    "<": "<",
    ">=": ">=",
    "≥": ">=",
    ">": ">",
}
EXPECTED: dict[str, tuple[str, ...]] = {  # terminal -> what a student reads, in this order
    "NAME": ("a name",),
    "NUMBER": ("a number",),
    "LPAR": ("'('",),
    "RPAR": ("')'",),
    "COMMA": ("','",),
    "ADDOP": ("'+'", "'-'"),
    "MULOP": ("'*'", "'/'"),
    "POW": ("'^'",),
    "PRIME": ('"\'"',),
    "REL": ("a relation (=, <, <=, >, >=)",),
    "AND": ("'and'",),
    "$END": ("end of input",),
}


def _at(tok: Token, message: str) -> ParseError:
    return ParseError(message, tok.line, tok.column, "")


def _budget(tok: Token, why: str) -> None:
    """Refuse, at ``tok``, what the one limit on numbers (:func:`too_many_bits`) refuses."""
    if why:
        raise _at(tok, why)


def _check_power(tok: Token, base: sp.Expr, exp: sp.Expr) -> None:
    """Refuse base^exp when SymPy would compute a huge exact number, now or once a number is
    put for a variable: the LaTeX reader's rule (:func:`power_too_large`), so that
    ``(4*a - x)^6000`` is read like ``(x - a)^6000`` and ``2^(2^(2^40))`` is refused."""
    if why := power_too_large(base, exp):
        raise _at(tok, why)


def _check_exp(tok: Token, arg: sp.Expr) -> None:
    """exp(c·log(b) + …) is b^c to SymPy: each such power passes :func:`_check_power`."""
    for term in sp.Add.make_args(arg):
        c, rest = term.as_coeff_Mul()
        if isinstance(rest, sp.log):
            _check_power(tok, rest.args[0], c)
        elif rest.has(sp.log):  # c·log(b)·y: b^(c·y)
            _check_power(tok, sp.Symbol("b", positive=True), term)


def _integer_names(exprs: list[sp.Expr]) -> set[str]:
    """The names of the indices and limits of every Σ/∏."""
    return {
        s.name
        for e in exprs
        for op in e.atoms(sp.Sum, sp.Product)
        for limit in op.limits
        for s in sp.Tuple(*limit).free_symbols
        if isinstance(s, sp.Symbol)
    }


def _integers(exprs: list, names: set[str]) -> list:
    """Indices and limits of every Σ/∏ are integers, wherever else their names appear."""
    if not names:
        return exprs
    integer = {s: sp.Symbol(s.name, integer=True) for e in exprs for s in e.atoms(sp.Symbol)}
    return [e.xreplace({s: i for s, i in integer.items() if s.name in names}) for e in exprs]


def _integer_domain(found: list[Condition], names: set[str]) -> list[Condition]:
    """The recorded conditions, each re-derived from its node once the integer names are
    integer: ``(-1)^k`` needs ``-1 > 0`` for a real k, nothing for an index k (as in the LaTeX
    reader). A condition made strict around a derivative (``u ≥ 0`` to ``u > 0``) stays so."""
    out: list[Condition] = []
    for c in found:
        if c.node is None or not names & {s.name for s in c.node.free_symbols}:
            out.append(c)
            continue
        with sp.evaluate(False):
            node = _integers([c.node], names)[0]
        strict = c.kind == "positive"
        out.extend(
            replace(n, kind="positive") if strict and n.kind == "nonnegative" else n
            for n in node_conditions(node)
        )
    return out


class _ToSympy(Transformer):
    """Build SymPy objects bottom-up; dispatch is by rule name and the tables above.

    Each partial node's domain conditions are recorded as it is built, before SymPy's
    automatic evaluation (of it or of its parent) can erase it; a chain takes those of
    its expressions.
    """

    def __init__(self) -> None:
        super().__init__()
        self.found: list[Condition] = []

    def _record(self, unevaluated: sp.Basic) -> None:
        self.found.extend(node_conditions(unevaluated))

    def _open_around(self, x: sp.Basic) -> None:
        """A derivative in x exists only inside the domain: u ≥ 0 becomes u > 0 where u has x.

        (SymPy may already have erased the partial node: diff(sqrt(x)^2, x) is d/dx x.)
        """
        self.found = [
            replace(c, kind="positive") if c.kind == "nonnegative" and c.expr.has(x) else c
            for c in self.found
        ]

    def number(self, c: list[Token]) -> sp.Expr:
        mantissa, _, power = str(c[0]).lower().partition("e")
        if len(power) > 7:  # 1e99999999: refused before its digits are counted
            raise _at(c[0], f"exponent too large (more than {MAX_EXPONENT})")
        _budget(c[0], too_many_bits(4 * (len(mantissa) + abs(int(power or 0)))))  # digit < 4 bits
        f = Fraction(str(c[0]))  # exact: "0.25" -> 1/4, "5.1e-2" -> 51/1000
        return sp.Rational(f.numerator, f.denominator)

    def name(self, c: list[Token]) -> sp.Expr:
        n = ALIASES.get(str(c[0]), str(c[0]))
        if n in FUNCTIONS:
            raise _at(c[0], f"'{c[0]}' is a function: write {c[0]}(...)")  # as typed: σ
        if n in NOT_REAL:
            raise _at(c[0], f"'{n}': {NOT_REAL[n]}; statements are about real numbers")
        return CONSTANTS.get(n) or sp.Symbol(n, real=True)

    def call(self, c: list[Any]) -> sp.Expr:
        tok, rest = c[0], c[1:]
        n = ALIASES.get(str(tok), str(tok))
        if rest and isinstance(rest[0], Token) and rest[0].type == "PRIME":
            n, rest = n + "'", rest[1:]
        args = [a for a in rest if a is not None]
        if n not in FUNCTIONS:
            known = ", ".join(sorted(FUNCTIONS))
            raise _at(tok, f"unknown function {n!r} (known: {known})")
        make, arity = FUNCTIONS[n]
        if len(args) != arity:
            raise _at(tok, f"{n} takes {arity} argument{'s' * (arity > 1)}, got {len(args)}")
        if make is sp.exp:
            _check_exp(tok, args[0])
        try:
            if make is _derivative:  # built unevaluated anyway
                self._open_around(args[1])
                self._record(out := make(*args))
            else:
                self._record(make(*args, evaluate=False))
                out = make(*args)
        except ValueError as exc:
            raise _at(tok, str(exc)) from None
        if out.has(sp.zoo, sp.nan, sp.oo):
            raise _at(tok, f"{n}({', '.join(map(str, args))}) is undefined")
        return out

    def member(self, c: list[Any]) -> sp.Expr:
        """``u[k]``: the member k of the family u (as the LaTeX ``u_k`` beside a sum)."""
        return sp.Indexed(sp.IndexedBase(sp.Symbol(str(c[0]), real=True)), c[1])

    def signed(self, c: list[Any]) -> sp.Expr:
        return -c[1] if c[0] == "-" else c[1]

    def power(self, c: list[Any]) -> sp.Expr:
        base, tok, exp = c
        if base is sp.E:
            _check_exp(tok, exp)
        else:
            _check_power(tok, base, exp)
        self._record(sp.Pow(base, exp, evaluate=False))
        out = sp.Pow(base, exp)
        if out.has(sp.zoo, sp.nan):
            raise _at(tok, f"{base}^{exp} is undefined")
        _budget(
            tok, numbers_too_large(out)
        )  # the numbers that arose (a coefficient to a power: 2^6000)
        return out

    def expr(self, c: list[Any]) -> sp.Expr:
        _budget(c[1], numbers_too_large(*c[0::2]))
        return sp.Add(c[0], *(t if op == "+" else -t for op, t in zip(c[1::2], c[2::2])))

    def product(self, c: list[Any]) -> sp.Expr:
        _budget(c[1], numbers_too_large(*c[0::2]))
        factors = [c[0]]
        for op, f in zip(c[1::2], c[2::2]):
            if op == "/" and f == 0:
                raise _at(op, "division by zero")
            if op == "/":
                self._record(sp.Pow(f, -1, evaluate=False))
            factors.append(f if op == "*" else sp.Pow(f, -1))
        return sp.Mul(*factors)

    def chain(self, c: list[Any]) -> list[ParsedRelation]:
        names = _integer_names(c[0::2])
        domain = tuple(dict.fromkeys(_integer_domain(self.found, names)))
        self.found = []
        c[0::2] = _integers(c[0::2], names)
        return [
            ParsedRelation(a, RELATIONS[str(r)], b, domain)
            for a, r, b in zip(c[0::2], c[1::2], c[2::2])
        ]

    def statement(self, c: list[Any]) -> ParsedRelation:
        return self.chain(c)[0]

    def assumptions(self, c: list[list[ParsedRelation]]) -> list[ParsedRelation]:
        return [r for chain in c for r in chain]

    def expression(self, c: list[Any]) -> sp.Expr:
        return c[0]


@lru_cache(maxsize=1)
def _parser() -> Lark:
    grammar = (files("proofsheet") / "grammars" / "statement.lark").read_text(encoding="utf-8")
    return Lark(
        grammar,
        parser="lalr",
        lexer="basic",
        propagate_positions=True,
        start=["statement", "assumptions", "expression"],
    )


def _lark_error(e: UnexpectedInput, text: str, start: str) -> ParseError:
    if isinstance(e, UnexpectedCharacters):
        return ParseError(f"unexpected character {text[e.pos_in_stream]!r}", e.line, e.column)
    try:  # the terminals the LALR parser would really accept here
        accepts = set(e.interactive_parser.accepts())
    except Exception:  # noqa: BLE001 - a parser state Lark cannot resume: use its own list
        accepts = set(getattr(e, "expected", None) or ())
    names = [d for t, ds in EXPECTED.items() if t in accepts for d in ds]
    want = (
        f"; expected {', '.join(names[:-1])} or {names[-1]}"
        if len(names) > 1
        else "".join(f"; expected {n}" for n in names)
    )
    tok = getattr(e, "token", None)
    if isinstance(e, UnexpectedEOF) or (isinstance(tok, Token) and tok.type == "$END"):
        lines = text.split("\n")
        if start == "statement" and "REL" in accepts:
            want = ": a statement is one relation such as 'lhs = rhs' or 'lhs <= rhs'"
        return ParseError(f"unexpected end of input{want}", len(lines), len(lines[-1]) + 1)
    if start == "statement" and tok is not None and tok.type == "REL":
        try:  # a chain 0 < s < 1 is valid as assumptions, not as one statement
            _parser().parse(text, start="assumptions")
            return ParseError(
                "a statement is exactly one relation 'lhs REL rhs' "
                "(chains like 0 < s < 1 belong in --assume)",
                e.line,
                e.column,
            )
        except UnexpectedInput:
            pass
    before = text[: getattr(e, "pos_in_stream", 0) or 0].rstrip()
    if "MULOP" in accepts and (before[-1:].isdigit() or before.endswith(")")):
        want += " (write '*' for a product: 2*x, not 2x)"
    return ParseError(f"unexpected {str(tok)!r}{want}", e.line, e.column)


def _check_depth(tree: Tree) -> None:
    stack: list[tuple[Any, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ParseError(
                f"expression nested too deeply (more than {MAX_DEPTH} levels)",
                getattr(node.meta, "line", 1),
                getattr(node.meta, "column", 1),
            )
        stack.extend((k, depth + 1) for k in node.children if isinstance(k, Tree))


def _parse(text: str, start: str, source: str) -> Any:
    try:
        if len(text) > MAX_CHARS:
            raise ParseError(f"input too long ({len(text)} characters; at most {MAX_CHARS})", 1, 1)
        if not text.strip():
            raise ParseError("empty input", 1, 1)
        try:
            tree = _parser().parse(text, start=start)
        except UnexpectedInput as e:
            raise _lark_error(e, text, start) from None
        _check_depth(tree)
        try:
            return _ToSympy().transform(tree)
        except VisitError as e:
            if isinstance(e.orig_exc, ParseError):
                raise e.orig_exc from None
            meta = getattr(e.obj, "meta", None)
            raise ParseError(
                f"cannot build expression: {e.orig_exc}",
                getattr(meta, "line", 1),
                getattr(meta, "column", 1),
            ) from None
    except RecursionError:
        raise ParseError("expression nested too deeply", 1, 1) from None
    except ParseError as e:
        raise ParseError(e.message, e.line, e.column, source) from None


def parse_statement(text: str, *, source: str = "<statement>") -> ParsedRelation:
    """Parse exactly one relation ``lhs REL rhs``."""
    return _parse(text, "statement", source)


def parse_assumptions(text: str, *, source: str = "--assume") -> list[ParsedRelation]:
    """Parse relations separated by ',' or 'and'; a chain ``a < b < c`` gives each pair."""
    return _parse(text, "assumptions", source)


def parse_expression(text: str, *, source: str = "<expression>") -> sp.Expr:
    """Parse one expression (no relation)."""
    return _parse(text, "expression", source)
