r"""LaTeX math, as students write it, to SymPy — without ``eval`` or ``sympify``.

Three stages, each small and table-driven:

1. **Lexing** by the Lark grammar ``grammars/latex.lark`` into raw tokens.
2. **Classification** (:func:`_classify`): every ``\command`` is looked up in
   the tables below (unknown ones are errors); context decides the few
   ambiguous spots — ``\sigma`` followed by ``(`` or a prime is the sigmoid,
   otherwise the Greek letter; the ``d`` of ``\frac{d}{dx}``/``\frac{dy}{dx}``
   is a differential; ``^{(k)}`` is an index; ``&`` before a relation is an
   alignment mark, between two expressions a column break.
3. **Parsing** with LALR(1) (the grammar has no conflicts; a test checks it)
   and a :class:`_Build` transformer dispatching by rule name.

Conventions (see also the README):

* every name is ``Symbol(name, real=True)``, except names used as bound
  variables or limits of ``\prod``/``\sum`` or inside an index ``^{(…)}``
  anywhere in the same block: those are ``Symbol(name, integer=True)``
  everywhere in that block (pass ``integer_names`` to extend the set);
* ``u^{(k)}`` is ``Indexed(IndexedBase("u", real=True), k)`` — except on ``e``,
  numbers and brackets, where ``^{(…)}`` is an ordinary power;
* ``x_1``, ``W_{ij}`` are the symbols ``x_1``, ``W_ij``; ``x_{i+1}`` is the
  symbol ``x_{i+1}``; ``\hat{y}`` is ``yhat`` and ``\bar{x}`` is ``xbar``
  (SymPy prints them back as ``\hat{y}``, ``\bar{x}``);
* ``e`` alone is Euler's number, so ``e^{x}`` is ``exp(x)``;
* implicit multiplication binds tighter than ``\cdot``, ``\times`` and ``/``;
  ``\log x`` applies to the next factor (``\log x^2`` is log(x²)) while
  ``\log(x)^2`` is (log x)²; ``\prod``, ``\sum`` and ``\frac{d}{dx}`` take
  the rest of the product as their body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Callable, Iterable

import sympy as sp
from lark import Lark, Token
from lark.exceptions import UnexpectedCharacters, UnexpectedToken, VisitError
from lark.lark import PostLex
from lark.visitors import Transformer_NonRecursive, v_args

from proofsheet.errors import ParseError
from proofsheet.notation import sigma, sigma_prime

__all__ = ["Chain", "parse_math", "parse_latex_expression", "MAX_CHARS", "MAX_DEPTH"]

MAX_CHARS = 10_000      #: longest math block accepted (parsing is linear, ~0.15 ms a token)
MAX_DEPTH = 40          #: deepest nesting of (), [], {}
MAX_EXPONENT = 10_000   #: largest integer exponent of a number

# ---- the notation, as data ---------------------------------------------------
GREEK = frozenset(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu "
    "xi rho varrho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi "
    "Sigma Upsilon Phi Psi Omega ell".split())
FUNCTIONS: dict[str, Callable[[sp.Expr], sp.Expr]] = {
    "log": sp.log, "ln": sp.log, "exp": sp.exp, "tanh": sp.tanh, "sinh": sp.sinh,
    "cosh": sp.cosh, "sin": sp.sin, "cos": sp.cos, "tan": sp.tan}
BIG_OPERATORS: dict[str, type] = {"prod": sp.Product, "sum": sp.Sum}
ACCENTS = {"hat": "hat", "widehat": "hat", "bar": "bar", "overline": "bar", "tilde": "tilde",
           "widetilde": "tilde", "dot": "dot", "ddot": "ddot", "vec": "vec", "check": "check",
           "breve": "breve"}
CONSTANTS: dict[str, sp.Expr] = {"pi": sp.pi, "infty": sp.oo}
RELATIONS = {"=": "=", "<": "<", ">": ">", "<=": "<=", ">=": ">=", "!=": "!=", ":=": "def",
             "le": "<=", "leq": "<=", "leqslant": "<=", "ge": ">=", "geq": ">=",
             "geqslant": ">=", "lt": "<", "gt": ">", "ne": "!=", "neq": "!=",
             "coloneqq": "def", "coloneq": "def", "triangleq": "def"}
MULTIPLY = {"cdot": "*", "times": "*", "ast": "*", "*": "*", "div": "/", "/": "/"}
FRACTIONS = frozenset({"frac", "dfrac", "tfrac", "cfrac"})
SEPARATORS = frozenset("therefore because Rightarrow Longrightarrow implies impliedby iff "
                       "Leftrightarrow Longleftrightarrow".split())
SIZERS = frozenset("left right middle big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl "
                   "Biggr".split())
IGNORED = SIZERS | frozenset(
    "quad qquad displaystyle textstyle scriptstyle nonumber notag limits nolimits enspace "
    "thinspace medspace thickspace negthinspace allowbreak mathbf mathit mathsf mathnormal "
    "boldsymbol bm".split())
#: Unicode a student may type, and the LaTeX it stands for.
UNICODE = {"σ": r"\sigma", "θ": r"\theta", "α": r"\alpha", "β": r"\beta", "γ": r"\gamma",
           "δ": r"\delta", "ε": r"\epsilon", "η": r"\eta", "λ": r"\lambda", "μ": r"\mu",
           "π": r"\pi", "ω": r"\omega", "∂": r"\partial", "∏": r"\prod", "∑": r"\sum",
           "∞": r"\infty", "≤": r"\le", "≥": r"\ge", "≠": r"\ne", "×": r"\times",
           "·": r"\cdot", "⋅": r"\cdot", "−": "-", "（": "(", "）": ")", "，": ",", "。": ".",
           "；": ";", "∴": r"\therefore", "∵": r"\because", "⇒": r"\Rightarrow"}
#: Raw tokens the classification step consumes (kept by the lexer although unused by rules).
_RAW = ("CMD", "AMP", "PUNCT", "RELOP", "MULSIGN", "FONTLETTER", "ESCBRACE", "UNICHAR",
        "ENVOTHER")
_WITH_ARGUMENT = frozenset("text textrm textit textbf textsf texttt mbox intertext mathrm "
                           "operatorname tag label eqref ref vspace hspace phantom".split())
_OPENERS = {"_LPAR": "_RPAR", "_LBRACK": "_RBRACK", "_LBRACE": "_RBRACE"}
_CLOSERS = {v: k for k, v in _OPENERS.items()}
_WORD = {"_LPAR": "parentheses", "_RPAR": "parentheses", "_LBRACK": "brackets",
         "_RBRACK": "brackets", "_LBRACE": "braces", "_RBRACE": "braces"}
_OPERATORS = {"REL", "PLUS", "MINUS", "MULOP"}
_EXPR_START = {"NUMBER", "LETTER", "GREEK", "SIGMA", "FUNC", "FRAC", "SQRT", "BIGOP", "ACCENT",
               "CONST", "_LPAR", "_LBRACK", "_LBRACE", "MINUS"}


@dataclass(frozen=True)
class Chain:
    """``A = B <= C …``: the terms and the relations between adjacent terms."""

    terms: tuple[sp.Expr, ...]
    rels: tuple[str, ...]       # "=", "<=", "<", ">=", ">", "!=", "def"
    texts: tuple[str, ...]      # the LaTeX source of each term, stripped
    line: int                   # 1-based position in the file where the chain starts
    column: int
    positions: tuple[tuple[int, int], ...] = ()   # (line, column) of each term


class _Err(Exception):
    """A parse error at an offset into the formula; turned into ParseError at the API."""

    def __init__(self, message: str, pos: int):
        super().__init__(message)
        self.message, self.pos = message, pos


class _KeepRaw(PostLex):
    """Only keeps the raw terminals in the lexer; classification happens in _classify."""

    always_accept = _RAW

    def process(self, stream: Iterable[Token]) -> Iterable[Token]:
        return stream


@lru_cache(maxsize=1)
def _lark(debug: bool = False) -> Lark:
    grammar = resources.files("proofsheet").joinpath("grammars/latex.lark").read_text("utf-8")
    return Lark(grammar, parser="lalr", lexer="basic", start=["start", "expression"],
                propagate_positions=True, maybe_placeholders=True, postlex=_KeepRaw(),
                debug=debug)


# ---- classification ------------------------------------------------------------
def _tok(type_: str, value: str, like: Token, start: int | None = None) -> Token:
    start = like.start_pos if start is None else start
    return Token(type_, value, start, like.line, like.column, like.end_line, like.end_column,
                 like.end_pos)


def _command(name: str, tok: Token) -> Token | None:
    """Classify ``\\name`` by the tables; None if it is to be ignored."""
    table = [(GREEK, "GREEK"), (FUNCTIONS, "FUNC"), (FRACTIONS, "FRAC"), (BIG_OPERATORS, "BIGOP"),
             (ACCENTS, "ACCENT"), (CONSTANTS, "CONST"), (RELATIONS, "REL"),
             (MULTIPLY, "MULOP"), (SEPARATORS, "SEP"), ({"sqrt"}, "SQRT"), ({"partial"}, "DIFF")]
    if name in IGNORED:
        return None
    for names, type_ in table:
        if name in names:
            return _tok(type_, "\\" + name, tok)
    if name in _WITH_ARGUMENT:
        raise _Err(f"\\{name} must be followed by {{...}} (are the braces balanced?)",
                   tok.start_pos)
    raise _Err(f"unknown command \\{name}", tok.start_pos)


def _first_pass(raw: Iterable[Token]) -> list[Token]:
    """Context-free classification; drops ignored commands and ``\\left.``."""
    out: list[Token] = []
    glue: int | None = None      # start of a dropped \left / \big: glued to the next token
    for tok in raw:
        if tok.type == "UNICHAR":
            if tok.value not in UNICODE:
                raise _Err(f"unexpected character '{tok.value}' in a formula "
                           "(write words inside \\text{...})", tok.start_pos)
            tok = _tok(next(iter(_lark().lex(UNICODE[tok.value]))).type, UNICODE[tok.value], tok)
        if tok.type == "FONTLETTER":
            inner = re.search(r"\{\s*(\S+?)\s*\}", tok.value).group(1)  # type: ignore[union-attr]
            tok = _tok("CMD" if inner.startswith("\\") else "LETTER", inner, tok)
        if tok.type == "ENVOTHER":
            raise _Err(f"the environment {tok.value} is not supported in a formula "
                       "(use align, aligned or equation)", tok.start_pos)
        new: Token | None = tok
        if tok.type == "CMD":
            name = tok.value[1:]
            new = _command(name, tok)
            if name in SIZERS:
                glue = tok.start_pos if glue is None else glue
                continue
        elif tok.type == "PUNCT":
            new = _tok("SEP", tok.value, tok)
        elif tok.type == "RELOP":
            new = _tok("REL", tok.value, tok)
        elif tok.type == "MULSIGN":
            new = _tok("MULOP", tok.value, tok)
        elif tok.type == "ESCBRACE":
            new = _tok("_LBRACE" if tok.value == "\\{" else "_RBRACE", tok.value, tok)
        if new is None:
            continue
        if glue is not None:
            if new.type == "SEP" and new.value == ".":     # \left. or \right.
                glue = None
                continue
            new = _tok(new.type, new.value, new, start=glue) if new.type in _OPENERS else new
            glue = None
        out.append(new)
    return out


def _balance(toks: list[Token]) -> dict[int, int]:
    """Match (), [], {}; return opener index -> closer index. Errors name the culprit."""
    stack: list[int] = []
    match: dict[int, int] = {}
    for i, t in enumerate(toks):
        if t.type in _OPENERS:
            stack.append(i)
            if len(stack) > MAX_DEPTH:
                raise _Err(f"formula nested too deeply (more than {MAX_DEPTH} levels)", t.start_pos)
        elif t.type in _CLOSERS:
            if not stack:
                raise _Err(f"unbalanced {_WORD[t.type]}: '{t.value}' has no opening partner",
                           t.start_pos)
            j = stack.pop()
            if toks[j].type != _CLOSERS[t.type]:
                raise _Err(f"unbalanced {_WORD[toks[j].type]}: '{toks[j].value}' is closed "
                           f"by '{t.value}'", toks[j].start_pos)
            match[j] = i
    if stack:
        t = toks[stack[-1]]
        raise _Err(f"unbalanced {_WORD[t.type]}: '{t.value}' is never closed", t.start_pos)
    return match


def _is_d(t: Token) -> bool:
    return t.type == "DIFF" or (t.type == "LETTER" and t.value == "d")


def _mark_derivative(toks: list[Token], i: int, match: dict[int, int]) -> None:
    """``\\frac{d…}{d…}`` at toks[i]: retype the two ``d`` as differentials."""
    if i + 1 >= len(toks) or toks[i + 1].type != "_LBRACE":
        return
    j = match[i + 1]
    if j + 1 >= len(toks) or toks[j + 1].type != "_LBRACE":
        return
    num, den = toks[i + 2:j], toks[j + 2:match[j + 1]]
    if not num or not _is_d(num[0]) or len(den) < 2 or not _is_d(den[0]):
        return
    if len(num) > 1 and num[1].type in ("SUP1", "_CARET"):
        raise _Err("higher derivatives such as \\frac{d^2 y}{dx^2} are not supported; "
                   "write the derivative of the derivative", num[0].start_pos)
    if (len(num) > 1 and num[1].type in _OPERATORS) or den[1].type in _OPERATORS:
        return
    toks[i + 2] = _tok("DIFF", num[0].value, num[0])
    toks[j + 2] = _tok("DIFF", den[0].value, den[0])


def _classify(raw: Iterable[Token]) -> list[Token]:
    """Raw tokens -> the parser's tokens (see the module docstring)."""
    toks = _first_pass(raw)
    match = _balance(toks)
    for i, t in enumerate(toks):
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if t.type == "GREEK" and t.value == "\\sigma" and nxt is not None \
                and nxt.type in ("_LPAR", "_LBRACK", "PRIME"):
            toks[i] = _tok("SIGMA", t.value, t)
        elif t.type == "FRAC":
            _mark_derivative(toks, i, match)
        elif t.type == "_CARET" and nxt is not None and nxt.type == "_LBRACE" \
                and toks[i + 2].type == "_LPAR" and match[i + 2] + 1 == match[i + 1]:
            toks[i] = _tok("_IDXCARET", t.value, t)
        elif t.type == "AMP":
            prev = toks[i - 1] if i else None
            mark = (prev is None or nxt is None or nxt.type in ("REL", "_LINEBREAK", "AMP")
                    or prev.type in ("_LINEBREAK", "SEP", "TEXT", "COMMA", "AMP", "REL"))
            toks[i] = _tok("AMP" if mark else "SEP", t.value, t)
    out: list[Token] = []
    for i, t in enumerate(toks):
        if t.type == "AMP":
            continue
        if t.type == "NUMBER" and i and toks[i - 1].type == "FRAC" and "." not in t.value \
                and len(t.value) > 1:     # \frac14: LaTeX reads one digit per argument
            digits = [t.value[0], t.value[1], t.value[2:]]
            out += [_tok("NUMBER", d, t, t.start_pos + k) for k, d in enumerate(digits) if d]
            continue
        out.append(t)
    return out


# ---- building SymPy objects -------------------------------------------------------
@dataclass(frozen=True)
class _Name:
    """A name not yet turned into a symbol (subscripts and indices may still change it)."""

    text: str


@dataclass(frozen=True)
class _Script:
    kind: str       # "sub" | "sup" | "idx"
    value: Any      # the subscript text, or the exponent / index expression


@dataclass(frozen=True)
class _Term:
    expr: sp.Expr
    start: int
    end: int


@dataclass(frozen=True)
class _Factors:
    """Juxtaposed factors, multiplied once (see _Build.implicit)."""

    items: tuple[sp.Expr, ...]


def _product(x: Any) -> sp.Expr:
    return sp.Mul(*x.items) if isinstance(x, _Factors) else x


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


def _subscripts_to_index(body: sp.Expr, k: sp.Symbol) -> sp.Expr:
    """In the body of ``\\sum_{k=…}``, ``x_k`` means the k-th x: ``x[k]``."""
    suffix = "_" + k.name
    return body.xreplace({s: sp.Indexed(sp.IndexedBase(s.name[:-len(suffix)], real=True), k)
                          for s in body.atoms(sp.Symbol)
                          if s.name.endswith(suffix) and len(s.name) > len(suffix)})


@v_args(inline=True)
class _Build(Transformer_NonRecursive):
    """Dispatch by rule name; records the names that must be integers."""

    def __init__(self) -> None:
        super().__init__()
        self.integer_names: set[str] = set()

    def _integers(self, *exprs: sp.Expr) -> None:
        for e in exprs:
            self.integer_names |= {s.name for s in e.atoms(sp.Symbol)}

    # chains
    def start(self, *rows: Any) -> list:
        return [r for r in rows if isinstance(r, list)]

    def row(self, *items: Any) -> list:
        return [s for s in items if isinstance(s, tuple)]

    def segment(self, left: _Term | None, *parts: tuple) -> tuple:
        return (left, list(parts))

    def relpart(self, rel: Token, term: _Term) -> tuple:
        return (RELATIONS[_cmd(rel)], term, rel.start_pos, rel.value)

    @v_args(inline=True, meta=True)
    def chainterm(self, meta: Any, expr: sp.Expr) -> _Term:
        return _Term(expr, meta.start_pos, meta.end_pos)

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
            result = result * rhs if MULTIPLY[_cmd(op)] == "*" else result / rhs
        return result

    def implicit(self, left: sp.Expr, right: Any) -> _Factors:
        # collected and multiplied once by term/op_apply: x x x … stays linear
        return _Factors((left,) + right.items if isinstance(right, _Factors) else (left, right))

    def op_apply(self, op: Callable[[sp.Expr], sp.Expr], body: Any) -> sp.Expr:
        return op(_product(body))

    def _bigop(self, tok: Token, var: _Name, rel: Token, low: sp.Expr, high: _Script) -> Callable:
        if RELATIONS[_cmd(rel)] != "=":
            raise _Err(f"write the range of {tok.value} as {tok.value}_{{k=1}}^{{n}}",
                       rel.start_pos)
        k = sp.Symbol(var.text, real=True)
        self._integers(k, low, high.value)
        return lambda body: BIG_OPERATORS[_cmd(tok)](_subscripts_to_index(body, k),
                                                     (k, low, high.value))

    def bigop_lower_upper(self, tok, var, rel, low, high):  # type: ignore[no-untyped-def]
        return self._bigop(tok, var, rel, low, high)

    def bigop_upper_lower(self, tok, high, var, rel, low):  # type: ignore[no-untyped-def]
        return self._bigop(tok, var, rel, low, high)

    # derivatives
    @staticmethod
    def _variable(var: sp.Expr, pos: int) -> sp.Expr:
        if not isinstance(var, (sp.Symbol, sp.Indexed)):
            raise _Err(f"cannot differentiate with respect to {var}: write a single variable "
                       "such as dx or \\partial z (higher derivatives are not supported)", pos)
        return var

    @v_args(inline=True, meta=True)
    def dop(self, meta: Any, frac: Token, d1: Token, d2: Token, var: sp.Expr) -> Callable:
        x = self._variable(var, meta.start_pos)
        return lambda body: sp.Derivative(body, x)

    @v_args(inline=True, meta=True)
    def dfrac(self, meta: Any, frac: Token, d1: Token, f: sp.Expr, d2: Token,
              var: sp.Expr) -> sp.Expr:
        return sp.Derivative(f, self._variable(var, meta.start_pos))

    # atoms
    def number(self, tok: Token) -> sp.Expr:
        return sp.Rational(tok.value)

    def const(self, tok: Token) -> sp.Expr:
        return CONSTANTS[_cmd(tok)]

    def name(self, *toks: Token) -> _Name:
        base = _cmd(toks[-1])
        return _Name(base + ACCENTS[_cmd(toks[0])] if len(toks) == 2 else base)

    def frac(self, tok: Token, num: Any, den: Any) -> sp.Expr:
        return _value(num) / _value(den)

    def sqrt(self, tok: Token, index: sp.Expr | None, arg: Any) -> sp.Expr:
        return sp.sqrt(_value(arg)) if index is None else sp.root(_value(arg), index)

    def call(self, tok: Token, arg: sp.Expr) -> sp.Expr:
        return FUNCTIONS[_cmd(tok)](arg)

    func_bare = call

    def vector(self, *items: Any) -> sp.Expr:
        return sp.ImmutableMatrix([[e for e in items if not isinstance(e, Token)]])

    def sigma_call(self, tok: Token, *rest: Any) -> sp.Expr:
        return (sigma_prime if len(rest) == 2 else sigma)(rest[-1])

    # scripts
    def sub(self, *toks: Token) -> _Script:
        if len(toks) == 1 and toks[0].type == "SUB1":
            return _Script("sub", toks[0].value[-1])
        text = "".join(re.sub(r"^\\\w+\s*\{|\}$|\s", "", t.value) if t.type == "TEXT"
                       else _cmd(t) for t in toks)
        return _Script("sub", text if text.isalnum() else "{" + text + "}")

    def sup(self, arg: Any) -> _Script:
        if isinstance(arg, Token):
            arg = _char(arg) if arg.type == "SUP1" else \
                (CONSTANTS[_cmd(arg)] if arg.type == "CONST" else _value(_Name(_cmd(arg))))
        return _Script("sup", arg)

    def idx(self, expr: sp.Expr) -> _Script:
        return _Script("idx", expr)

    @v_args(inline=True, meta=True)
    def postfix(self, meta: Any, base: Any, *scripts: _Script) -> sp.Expr:
        kinds = [s.kind for s in scripts]
        if kinds.count("sub") > 1:
            raise _Err("double subscript: write x_{12} or x_{1,2}", meta.start_pos)
        if len(kinds) - kinds.count("sub") > 1:
            raise _Err("double superscript: put the power outside, as in (u^{(k)})^2",
                       meta.start_pos)
        for s in scripts:
            if s.kind == "sub":
                if not isinstance(base, _Name):
                    raise _Err("a subscript needs a name before it, as in x_1", meta.start_pos)
                base = _Name(f"{base.text}_{s.value}")
        for s in scripts:
            if s.kind == "idx" and isinstance(base, _Name) and base.text != "e":
                self._integers(s.value)
                base = sp.Indexed(sp.IndexedBase(base.text, real=True), s.value)
            elif s.kind in ("idx", "sup"):
                base, exponent = _value(base), s.value
                if base.is_number and exponent.is_Integer and abs(exponent) > MAX_EXPONENT:
                    raise _Err(f"exponent too large (more than {MAX_EXPONENT})", meta.start_pos)
                base = sp.Pow(base, exponent)
        return _value(base)

    postfix_np = postfix


# ---- the API ---------------------------------------------------------------------
class _Where:
    """Offsets in one math block -> (line, column) in the original file."""

    def __init__(self, text: str, line: int, column: int, source: str):
        self.text, self.line, self.column, self.source = text, line, column, source

    def __call__(self, offset: int) -> tuple[int, int]:
        before = self.text[:max(0, min(offset, len(self.text)))]
        newlines = before.count("\n")
        if not newlines:
            return self.line, self.column + len(before)
        return self.line + newlines, len(before) - before.rfind("\n")

    def error(self, message: str, offset: int) -> ParseError:
        line, column = self(offset)
        return ParseError(message, line, column, self.source)


def _explain(tokens: list[Token], i: int, end: int) -> tuple[str, int]:
    """A student-readable message for the unexpected tokens[i] (i == len: end of formula)."""
    tok = tokens[i] if i < len(tokens) else None
    prev = tokens[i - 1] if 0 < i <= len(tokens) else None
    if prev is not None and prev.type in _OPERATORS and (tok is None
                                                         or tok.type not in _EXPR_START):
        return f"expected an expression after '{prev.value}'", prev.start_pos
    if prev is not None and prev.type in ("FUNC", "SIGMA", "SQRT", "ACCENT", "FRAC"):
        return f"{prev.value} is missing its argument", prev.start_pos
    if prev is not None and prev.type == "PRIME":
        return "\\sigma' is missing its argument, as in \\sigma'(x)", prev.start_pos
    if prev is not None and prev.type == "BIGOP":
        return f"{prev.value} needs its range, as in {prev.value}_{{k=1}}^{{n}}", prev.start_pos
    if tok is None:
        return "the formula ends too early", end
    if tok.type == "PRIME":
        return "a prime (') is only understood on \\sigma, as in \\sigma'(x)", tok.start_pos
    if tok.type == "DIFF":
        return (f"'{tok.value}' is only understood in a derivative such as "
                "\\frac{\\partial L}{\\partial z} or \\frac{d}{dx}", tok.start_pos)
    return f"unexpected '{tok.value}'", tok.start_pos


def _parse(text: str, start: str, where: _Where) -> tuple[Any, set[str]]:
    """Lex, classify, parse and build; every failure becomes a ParseError."""
    try:
        if len(text) > MAX_CHARS:
            raise _Err(f"formula too long (more than {MAX_CHARS} characters)", 0)
        try:
            tokens = _classify(_lark().lex(text))
        except UnexpectedCharacters as e:
            pos = e.pos_in_stream
            ch = text[pos]
            if ch == "\\":
                raise _Err(f"unknown command \\{text[pos + 1:pos + 2]}", pos) from None
            if ch == "|":
                raise _Err("'|' (absolute value or norm) is not supported", pos) from None
            raise _Err(f"unexpected character '{ch}'", pos) from None
        parser = _lark().parse_interactive(start=start)
        for i, tok in enumerate(tokens + [None]):  # type: ignore[list-item]
            try:
                if tok is None:
                    tree = parser.feed_eof(tokens[-1] if tokens else None)
                else:
                    parser.feed_token(tok)
            except UnexpectedToken:
                raise _Err(*_explain(tokens, i, len(text.rstrip()))) from None
        build = _Build()
        try:
            return build.transform(tree), build.integer_names
        except VisitError as e:   # a SymPy error inside a rule: point at that rule's text
            if isinstance(e.orig_exc, _Err):
                raise e.orig_exc from None
            meta = getattr(e.obj, "meta", None)
            raise _Err(_sympy_trouble(e.orig_exc), getattr(meta, "start_pos", 0)) from None
    except _Err as e:
        raise where.error(e.message, e.pos) from None
    except ParseError:
        raise
    except Exception as e:  # noqa: BLE001 — never let a traceback reach the student
        raise where.error(_sympy_trouble(e), 0) from None


def _sympy_trouble(e: Exception) -> str:
    what = "vectors of these shapes cannot be combined" if "atri" in str(e) \
        or isinstance(e, sp.ShapeError) else "could not read this formula"
    return f"{what} ({type(e).__name__}: {e})"


def _integer(value: Any, names: set[str]) -> Any:
    """Make the symbols called ``names`` integer (indices, bounds of \\prod and \\sum)."""
    if not names:
        return value
    mapping = {s: sp.Symbol(s.name, integer=True) for s in value.atoms(sp.Symbol)
               if s.name in names}
    return value.xreplace(mapping)


def parse_latex_expression(latex: str) -> sp.Expr:
    """One expression (no relation) from LaTeX, e.g. ``\\frac{1}{1+e^{-x}}``."""
    where = _Where(latex, 1, 1, "<latex>")
    expr, names = _parse(latex, "expression", where)
    return _integer(expr, names)


def parse_math(latex: str, *, line: int = 1, column: int = 1, source: str = "<latex>",
               previous: Chain | None = None, integer_names: Iterable[str] = ()) -> list[Chain]:
    """The chains in one math block's content.

    ``line``/``column`` are where ``latex`` starts in the file ``source``; all
    positions (and errors) refer to that file. Lines are separated by ``\\\\``;
    a line (or a ``,``/``\\text``-separated piece) starting with a relation
    continues the chain before it — or, at the start of the block, ``previous``
    (the last chain of the block before, for a display that begins with
    ``= …``). Prose, lone expressions and relation-free pieces give no chain.
    """
    where = _Where(latex, line, column, source)
    rows, names = _parse(latex, "start", where)
    names |= set(integer_names)
    chains: list[Chain] = []
    terms: list[tuple[sp.Expr, str, tuple[int, int]]] = []   # the chain being read
    rels: list[str] = []

    def flush() -> None:
        if rels:
            chains.append(Chain(tuple(_integer(t[0], names) for t in terms), tuple(rels),
                                tuple(t[1] for t in terms), *terms[0][2],
                                positions=tuple(t[2] for t in terms)))
        terms.clear()
        rels.clear()

    def add(term: _Term) -> None:
        terms.append((term.expr, latex[term.start:term.end].strip(), where(term.start)))

    for row in rows:
        for left, parts in row:
            if left is not None:        # a new left-hand side starts a new chain
                flush()
                add(left)
            elif parts and not terms:   # `= …` continues the chain before
                rel, _, pos, text = parts[0]
                if previous is None or not previous.terms:
                    raise where.error(f"'{text}' has nothing on its left: write the "
                                      "left-hand side first", pos)
                terms.append((previous.terms[-1], previous.texts[-1], previous.positions[-1]
                              if previous.positions else (previous.line, previous.column)))
            for rel, term, _, _ in parts:
                rels.append(rel)
                add(term)
    flush()
    return chains
