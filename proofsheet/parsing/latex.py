r"""LaTeX math, as students write it, to SymPy — without ``eval`` or ``sympify``.

Three stages, each small and table-driven:

1. **Lexing** by the Lark grammar ``grammars/latex.lark`` into raw tokens.
2. **Classification** (:func:`_classify`, in :mod:`~proofsheet.parsing.latex_tokens`):
   every ``\command`` is looked up in the tables of
   :mod:`~proofsheet.parsing.latex_tables` (unknown ones are errors); context
   decides the few ambiguous spots — ``\sigma`` is always the sigmoid (without
   its argument it is an error, except ``d\sigma`` in a derivative); an unknown
   function name is an error, never prose; ``f(x) =`` at the head of a chain
   makes ``f(…)`` a function in the block; the ``d`` of
   ``\frac{d}{dx}``/``\frac{dy}{dx}`` is a differential; ``^{(k)}`` is an
   index; ``&`` before a relation is an alignment mark, between two
   expressions a column break.
3. **Parsing** with LALR(1) (the grammar has no conflicts; a test checks it)
   and the :class:`_Build` transformer of :mod:`~proofsheet.parsing.latex_build`,
   dispatching by rule name.

This module holds the entry points (:func:`parse_math`,
:func:`parse_latex_expression`), the :class:`RelationChain` they return, and the
error positioning: every failure becomes a :class:`~proofsheet.kernel.errors.ParseError`
at its line and column in the file, with a message a student can act on.

Conventions (the README's notation table lists every construct read, one example each):

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
* each term keeps its partial subterms (log, roots, powers, divisions) as they
  were built, so :attr:`RelationChain.domains` holds their domain conditions even where
  SymPy evaluated them away (``\sqrt{-4}`` → 2i, ``\sqrt{x}^2`` → x);
* a power that SymPy would expand into a huge exact number is refused
  (``2^{10^{12}/3}``: an exponent above ``MAX_EXPONENT``, a result above ``MAX_BITS``);
* implicit multiplication binds tighter than ``\cdot``, ``\times`` and ``/``;
  ``\log x`` applies to the next factor (``\log x^2`` is log(x²)) while
  ``\log(x)^2`` is (log x)²; more factors after it (``\log xy``, ``\sin 2x``) are refused
  as ambiguous, except another function applied (``\sin x \cos x``); ``\prod``, ``\sum``
  and ``\frac{d}{dx}`` take the rest of the product as their body.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sympy as sp
from lark import Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedToken, VisitError

from proofsheet.kernel.domain import Condition, node_conditions
from proofsheet.kernel.errors import ParseError

from .latex_build import _Build, _Term
from .latex_tables import (  # the public tables and limits stay importable from here, as before
    DECIMAL,
    EXPR_START,
    MAX_CHARS,
    MAX_DEPTH,
    OPERATORS,
)
from .latex_tokens import _classify, _Err, _lark

__all__ = ["RelationChain", "parse_math", "parse_latex_expression", "MAX_CHARS", "MAX_DEPTH"]


@dataclass(frozen=True)
class RelationChain:
    """``A = B <= C …``: the terms and the relations between adjacent terms."""

    terms: tuple[sp.Expr, ...]
    rels: tuple[str, ...]  # "=", "<=", "<", ">=", ">", "!=", "def"
    texts: tuple[str, ...]  # the LaTeX source of each term, stripped
    line: int  # 1-based position in the file where the chain starts
    column: int
    positions: tuple[tuple[int, int], ...] = ()  # (line, column) of each term
    #: each term's domain conditions (kernel.domain), recorded before SymPy could erase them
    domains: tuple[tuple[Condition, ...], ...] = ()
    #: the names written in each term, even those SymPy's evaluation dropped (``0 \cdot u``)
    names: tuple[frozenset[str], ...] = ()
    #: "arrow" beside ⟹ (``x > 1 \implies x^2 > 1``), "words" beside "if", "or", "当": its
    #: relations are then not claims of their own; "assume" for ``x \in (0, 1)``: a
    #: hypothesis; "" otherwise
    conditional: str = ""
    #: per relation: the decimal places d when a side of ``=``/``\approx`` is a lone decimal
    #: (``\sigma(1) \approx 0.731``: the other side rounded to d places), else None
    rounding: tuple[int | None, ...] = ()


# ---- where errors are, and what they say ------------------------------------------
class _Where:
    """Offsets in one math block -> (line, column) in the original file."""

    def __init__(self, text: str, line: int, column: int, source: str):
        self.text, self.line, self.column, self.source = text, line, column, source

    def __call__(self, offset: int) -> tuple[int, int]:
        before = self.text[: max(0, min(offset, len(self.text)))]
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
    if tok is not None and tok.type == "INFTY":
        return "∞ is not a real number: it is only understood as a limit's point", tok.start_pos
    if prev is not None and prev.type in OPERATORS and (tok is None or tok.type not in EXPR_START):
        return f"expected an expression after '{prev.value}'", prev.start_pos
    if prev is not None and prev.type in ("FUNC", "SIGMA", "SQRT", "ACCENT", "FRAC"):
        return f"{prev.value} is missing its argument", prev.start_pos
    if prev is not None and prev.type == "PRIME":
        return "\\sigma' is missing its argument, as in \\sigma'(x)", prev.start_pos
    near = next((t for t in reversed(tokens[max(0, i - 4) : i]) if t.type == "BIGOP"), None)
    if near is not None and (prev is near or (tok is not None and tok.type == "_RBRACE")):
        return (
            f"{near.value} needs its range, as in {near.value}_{{k=1}}^{{n}} "
            "(over an unstated range nothing can be checked)",
            near.start_pos,
        )
    if tok is None:
        return "the formula ends too early", end
    if tok.type == "TO":
        where = "only understood in a limit, as in \\lim_{x \\to 0}"
        return f"'{tok.value}' is {where}", tok.start_pos
    if tok.type == "PRIME":
        return "a prime (') is only understood on \\sigma, as in \\sigma'(x)", tok.start_pos
    if tok.type == "DIFF":
        return (
            f"'{tok.value}' is only understood in a derivative such as "
            "\\frac{\\partial L}{\\partial z} or \\frac{d}{dx}",
            tok.start_pos,
        )
    return f"unexpected '{tok.value}'", tok.start_pos


def _parse(
    text: str, start: str, where: _Where, functions: Iterable[str] = ()
) -> tuple[Any, set[str]]:
    """Lex, classify, parse and build; every failure becomes a ParseError."""
    try:
        if len(text) > MAX_CHARS:
            raise _Err(f"formula too long (more than {MAX_CHARS} characters)", 0)
        try:
            tokens = _classify(_lark().lex(text), functions)
        except UnexpectedCharacters as e:
            pos = e.pos_in_stream
            ch = text[pos]
            if ch == "\\":
                raise _Err(f"unknown command \\{text[pos + 1 : pos + 2]}", pos) from None
            if ch == "|":
                raise _Err("'|' (absolute value or norm) is not supported", pos) from None
            raise _Err(f"unexpected character '{ch}'", pos) from None
        parser = _lark().parse_interactive(start=start)
        for i, tok in enumerate(tokens + [None]):
            try:
                if tok is None:
                    tree = parser.feed_eof(tokens[-1] if tokens else None)
                else:
                    parser.feed_token(tok)
            except UnexpectedToken:
                raise _Err(*_explain(tokens, i, len(text.rstrip()))) from None
        _refuse_ambiguous_arguments(tree)
        build = _Build()
        try:
            return build.transform(tree), build.integer_names
        except VisitError as e:  # a SymPy error inside a rule: point at that rule's text
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


#: factors that apply a function to a bracketed argument: ``\sin x \cos x`` is unambiguous
_APPLICATIONS = frozenset({"func_bare", "call", "sigma_call", "ucall"})


def _leftmost(node: Any) -> Any:
    """The first factor of a product, and the base of a postfix: what a reader sees first."""
    while isinstance(node, Tree) and node.data in ("implicit", "postfix", "postfix_np"):
        node = node.children[0]
    return node


def _refuse_ambiguous_arguments(tree: Tree) -> None:
    """``\\log xy``, ``\\sin 2x``, ``\\log x (y+1)``: a function without brackets followed by
    more factors is read by some as log(xy), by others as (log x)·y; refused, never guessed."""
    for node in tree.iter_subtrees():
        if (
            node.data == "implicit"
            and isinstance(node.children[0], Tree)
            and node.children[0].data == "func_bare"
        ):
            after = _leftmost(node.children[1])
            if not (isinstance(after, Tree) and after.data in _APPLICATIONS):
                name = node.children[0].children[0].value
                raise _Err(
                    f"{name} without brackets followed by more factors is ambiguous: "
                    f"write {name}(…) around its whole argument, or \\cdot after it",
                    node.meta.start_pos,
                )


def _sympy_trouble(e: Exception) -> str:
    what = (
        "vectors of these shapes cannot be combined"
        if "atri" in str(e) or isinstance(e, sp.ShapeError)
        else "could not read this formula"
    )
    return f"{what} ({type(e).__name__}: {e})"


def _domain(term: _Term, names: set[str]) -> tuple[Condition, ...]:
    """The conditions of the term's partial subterms, once the integer names are integer
    (``w^{n}`` needs w > 0 for a real n, only w ≠ 0 for an integer one); those about a
    variable bound by a ∏/Σ in the term are left out (they hold only inside it)."""
    bound = {v.name for op in term.expr.atoms(sp.Sum, sp.Product) for v in op.variables}
    with sp.evaluate(False):
        nodes = [_integer(node, names) for node in term.partials]
    found = [c for node in nodes for c in node_conditions(node)]
    return tuple(
        dict.fromkeys(c for c in found if not {s.name for s in c.expr.free_symbols} & bound)
    )


def _integer(value: Any, names: set[str]) -> Any:
    """Make the symbols called ``names`` integer (indices, bounds of \\prod and \\sum)."""
    if not names:
        return value
    mapping = {
        s: sp.Symbol(s.name, integer=True) for s in value.atoms(sp.Symbol) if s.name in names
    }
    return value.xreplace(mapping)


def strongest(*kinds: str) -> str:
    """Of the kinds of :attr:`RelationChain.conditional`, the one that allows least: "assume"
    (a hypothesis: ``x \\in (0, 1)``), "arrow" (nothing claimed, nothing defined), then "words"
    (nothing claimed), then "" (claims)."""
    return next((k for k in ("assume", "arrow", "words") if k in kinds), "")


def _rounding(rels: list[str], texts: list[str]) -> tuple[int | None, ...]:
    """For each relation, the fewest decimal places of a lone decimal beside it, if it is
    ``=`` or ``\approx`` (``0.731`` rounds to 3 places), else None."""
    out: list[int | None] = []
    for i, rel in enumerate(rels):
        found = [DECIMAL.match(t) for t in texts[i : i + 2]] if rel in ("=", "approx") else []
        places = [len(m.group(1)) for m in found if m]
        out.append(min(places) if places else None)
    return tuple(out)


def parse_latex_expression(latex: str) -> sp.Expr:
    """One expression (no relation) from LaTeX, e.g. ``\\frac{1}{1+e^{-x}}``."""
    where = _Where(latex, 1, 1, "<latex>")
    expr, names = _parse(latex, "expression", where)
    return _integer(expr, names)


def parse_math(
    latex: str,
    *,
    line: int = 1,
    column: int = 1,
    source: str = "<latex>",
    previous: RelationChain | None = None,
    integer_names: Iterable[str] = (),
    functions: Iterable[str] = (),
) -> list[RelationChain]:
    """The chains in one math block's content.

    ``line``/``column`` are where ``latex`` starts in the file ``source``; all
    positions (and errors) refer to that file. Lines are separated by ``\\\\``;
    a line (or a ``,``/``\\text``-separated piece) starting with a relation
    continues the chain before it — or, at the start of the block, ``previous``
    (the last chain of the block before, for a display that begins with
    ``= …``). Prose, lone expressions and relation-free pieces give no chain.
    ``functions`` are the letters the file has defined as functions (``f(x) = …``): ``f(…)``
    is then ``Function("f")(…)``, not a product (a block's own ``f(x) =`` counts too).
    """
    where = _Where(latex, line, column, source)
    rows, names = _parse(latex, "start", where, functions)
    names |= set(integer_names)
    chains: list[RelationChain] = []
    terms: list[tuple[sp.Expr, str, tuple[int, int], tuple]] = []  # the chain being read
    rels: list[str] = []
    conditional: list[str] = []

    def flush() -> None:
        if rels:
            chains.append(
                RelationChain(
                    tuple(_integer(t[0], names) for t in terms),
                    tuple(rels),
                    tuple(t[1] for t in terms),
                    *terms[0][2],
                    positions=tuple(t[2] for t in terms),
                    domains=tuple(t[3] for t in terms),
                    names=tuple(t[4] for t in terms),
                    conditional=strongest(*conditional),
                    rounding=_rounding(rels, [t[1] for t in terms]),
                )
            )
        terms.clear()
        rels.clear()
        conditional.clear()

    def add(term: _Term) -> None:
        terms.append(
            (
                term.expr,
                latex[term.start : term.end].strip(),
                where(term.start),
                _domain(term, names),
                term.names,
            )
        )

    for number, row in enumerate(rows):
        for k, (left, parts, beside_arrow) in enumerate(row):
            if (
                left is not None
                and not parts
                and number
                and all(a is None and not b for a, b, _ in row[:k])
                and (sign := latex[left.start : left.end].lstrip()[:1]) in ("-", "+")
            ):
                raise where.error(
                    f"a line that starts with '{sign}' continues the formula above: "
                    "proofsheet does not join lines; write the whole side on one "
                    "line",
                    left.start,
                )
            if left is not None:  # a new left-hand side starts a new chain
                flush()
                add(left)
            elif parts and not terms:  # `= …` continues the chain before
                rel, _, pos, text = parts[0]
                if previous is None or not previous.terms:
                    raise where.error(
                        f"'{text}' has nothing on its left: write the left-hand side first", pos
                    )
                terms.append(
                    (
                        previous.terms[-1],
                        previous.texts[-1],
                        previous.positions[-1]
                        if previous.positions
                        else (previous.line, previous.column),
                        previous.domains[-1] if previous.domains else (),
                        previous.names[-1] if previous.names else frozenset(),
                    )
                )
            conditional.append(beside_arrow)
            for rel, term, _, _ in parts:
                rels.append(rel)
                add(term)
    flush()
    return chains
