"""LaTeX for checked SymPy objects: SymPy's printer, with the course's notation.

Dispatch is by type, as in SymPy (``_print_X``).  Factors keep SymPy's order;
the terms of a sum are put in a person's order (:func:`person_order`): positive
terms first, then negative ones, each group in SymPy's polynomial order, and a
number last beside polynomial terms (``D - i + 1``), first when positive before
function values only (``1 + e^{-x}``, ``1 - σ(z)``).  A sum a derivation
wrote itself (``Add(..., evaluate=False)`` in an order SymPy would not choose)
keeps its written order, so a step shows what was checked.  (A sum written in
SymPy's own order cannot be told from an evaluated one, and is put in order.)

>>> import sympy as sp
>>> x, y, t = sp.symbols("x y t", real=True)
>>> latex(sp.Mul(2, sp.UnevaluatedExpr(-x), evaluate=False))
'2 \\\\left(- x\\\\right)'
>>> latex(t - 1), latex(1 - t), latex(sp.Add(-y, x, evaluate=False))
('t - 1', '1 - t', '- y + x')

Long expressions are broken into lines that fit a width, measured in em
by :func:`width` (an estimate of what TeX will set, a little generous), only
at the top level: between the terms of the outermost sum, or between the factors
of a product; never inside brackets, where a line may rather run a little long:

>>> a, b, c = sp.symbols("a b c")
>>> fit_lines(a + b + c, budget=4)
['a + b', '+ c']
>>> fit_lines(sp.sin(a + b + c), budget=5)
['\\\\sin{\\\\left(a + b + c \\\\right)}']
"""

from __future__ import annotations

import functools
import re

import sympy as sp
from sympy.printing.latex import LatexPrinter

from ..parsing.latex_tables import RELATION_LATEX


@functools.lru_cache(maxsize=4096)
def _as_sympy_orders(expr: sp.Add) -> bool:
    """Whether the terms of ``expr`` are in SymPy's own order (so no derivation chose it)."""
    return sp.Add(*expr.args).args == expr.args


def _polynomial(term: sp.Basic) -> bool:
    """A term such as ``t``, ``-i`` or ``2 x y``: a polynomial in its symbols, not a number."""
    return bool(term.free_symbols) and term.is_polynomial(*term.free_symbols)


def person_order(expr: sp.Add) -> list[sp.Basic]:
    """The terms of ``expr`` as a person writes them; a written order is kept.

    Positive terms before negative ones; a number last beside polynomial terms
    (``D - i + 1``), first when positive before functions only (``1 + e^{-x}``).

    >>> D, i, n, x = sp.symbols("D i n x")
    >>> person_order(1 + D - i), person_order(-1 + i + n), person_order(1 + sp.exp(-x))
    ([D, -i, 1], [i, n, -1], [1, exp(-x)])
    """
    if not _as_sympy_orders(expr):
        return list(expr.args)
    terms = expr.as_ordered_terms()
    number = [t for t in terms if t.is_Number]
    rest = [t for t in terms if not t.is_Number]
    positive = [t for t in rest if not t.could_extract_minus_sign()]
    negative = [t for t in rest if t.could_extract_minus_sign()]
    if number and number[0] > 0 and not (positive and any(_polynomial(t) for t in rest)):
        return number + positive + negative
    return positive + negative + number


class SheetLatexPrinter(LatexPrinter):
    """SymPy's LaTeX printer with ∂L/∂w for named quantities, sums in a person's order,
    and safely bracketed unevaluated terms.

    σ and σ' print themselves (``_latex`` in :mod:`proofsheet.kernel.notation`), which
    SymPy's printer consults before any ``_print_X`` method. A decimal shows every digit
    of its precision (``1.1380`` to four places, not ``1.138``).
    """

    def __init__(self, settings: dict | None = None):
        super().__init__({"order": "none", "full_prec": True, **(settings or {})})

    def _as_ordered_terms(self, expr, order=None):
        if order is None and isinstance(expr, sp.Add):
            return person_order(expr)
        return super()._as_ordered_terms(expr, order=order)

    def sum_pieces(self, expr: sp.Add, order: str | None = None) -> list[tuple[str, sp.Basic]]:
        """The terms of a printed sum: (``""``, ``"+ "`` or ``"- "``, the term as printed)."""
        pieces = []
        for i, term in enumerate(self._as_ordered_terms(expr, order=order)):
            sign = "" if i == 0 else "- " if term.could_extract_minus_sign() else "+ "
            pieces.append((sign, -term if sign == "- " else term))
        return pieces

    def term(self, term: sp.Basic) -> str:
        """One term of a sum, bracketed when it needs to be."""
        text = self._print(term)
        return r"\left(%s\right)" % text if self._needs_add_brackets(term) else text

    def _print_Add(self, expr, order=None) -> str:
        return " ".join(sign + self.term(term) for sign, term in self.sum_pieces(expr, order))

    def _print_Derivative(self, expr) -> str:
        """∂L/∂w for a named quantity L (an abbreviation), else SymPy's own form."""
        if isinstance(expr.expr, sp.Symbol) and len(expr.variables) == 1:
            return r"\frac{\partial %s}{\partial %s}" % (
                self._print(expr.expr),
                self._print(expr.variables[0]),
            )
        return super()._print_Derivative(expr)

    def _print_UnevaluatedExpr(self, expr) -> str:
        inner = expr.args[0]
        text = self._print(inner)
        if not isinstance(inner, sp.Add) and inner.could_extract_minus_sign():
            return r"\left(%s\right)" % text
        return text


@functools.lru_cache(maxsize=8192)
def latex(expr: sp.Basic) -> str:
    """LaTeX for one expression (remembered: the sheets in both languages and both formats
    print the same expressions, each several times)."""
    return SheetLatexPrinter().doprint(expr)


def relation(lhs: sp.Basic, rel: str, rhs: sp.Basic) -> str:
    return f"{latex(lhs)} {RELATION_LATEX[rel]} {latex(rhs)}"


# ---------------------------------------------------------------- widths (em)

_TOKEN = re.compile(r"\\[A-Za-z]+\*?|\\.|[{}^_&]|\s+|.", re.S)
#: Widths in em of what SymPy's printer emits; anything unlisted counts as 0.6 em.
_WIDTH = {
    "+": 1.3,
    "-": 1.3,
    "=": 1.4,
    "<": 1.4,
    ">": 1.4,
    r"\le": 1.4,
    r"\ge": 1.4,
    r"\ne": 1.4,
    ",": 0.45,
    ";": 0.45,
    "(": 0.4,
    ")": 0.4,
    "[": 0.3,
    "]": 0.3,
    "|": 0.3,
    "'": 0.3,
    ".": 0.3,
    r"\cdot": 0.8,
    r"\times": 1.2,
    r"\circ": 1.1,
    r"\odot": 1.2,
    r"\otimes": 1.2,
    r"\,": 0.17,
    r"\:": 0.22,
    r"\;": 0.28,
    r"\!": -0.17,
    r"\quad": 1.0,
    r"\qquad": 2.0,
    r"\log": 1.5,
    r"\exp": 1.6,
    r"\sum": 1.3,
    r"\prod": 1.3,
    r"\infty": 1.0,
    r"\partial": 0.6,
    r"\{": 0.5,
    r"\}": 0.5,
    r"\|": 0.5,
    r"\left": 0.0,
    r"\right": 0.0,
}
_SCRIPT = 0.72  # scale of a sub- or superscript
_ARGS = {
    r"\frac": 2,
    r"\dfrac": 2,
    r"\tfrac": 2,
    r"\text": 1,
    r"\mathrm": 1,
    r"\operatorname": 1,
    r"\hat": 1,
    r"\bar": 1,
    r"\tilde": 1,
    r"\sqrt": 1,
    r"\mathbf": 1,
    r"\boldsymbol": 1,
    r"\begin": 1,
    r"\end": 1,
    r"\mathit": 1,
    r"\overline": 1,
}


def _tokens(tex: str) -> list[str]:
    return [t for t in _TOKEN.findall(tex) if not t.isspace()]


def _group(tokens: list[str], i: int) -> tuple[list[str], int]:
    """The argument at ``tokens[i]``: a braced group or one token; returns (tokens, next index)."""
    if i >= len(tokens):
        return [], i
    if tokens[i] != "{":
        return [tokens[i]], i + 1
    depth, j = 0, i
    while j < len(tokens):
        depth += {"{": 1, "}": -1}.get(tokens[j], 0)
        if depth == 0:
            return tokens[i + 1 : j], j + 1
        j += 1
    return tokens[i + 1 :], len(tokens)


def _environment(tokens: list[str], i: int) -> tuple[float, int]:
    """Width of a matrix/array body starting after ``\\begin{…}``; returns (width, next index)."""
    depth, j, rows, cell, row = 1, i, [], [], []
    while j < len(tokens) and depth:
        t = tokens[j]
        if t == r"\begin":
            depth += 1
        elif t == r"\end":
            depth -= 1
            if depth == 0:
                break
        if depth == 1 and t in ("&", r"\\"):
            row.append(_width(cell))
            cell = []
            if t == r"\\":
                rows.append(row)
                row = []
        else:
            cell.append(t)
        j += 1
    row.append(_width(cell))
    rows.append(row)
    columns = max(len(r) for r in rows)
    widths = [max((r[c] for r in rows if c < len(r)), default=0.0) for c in range(columns)]
    _, j = _group(tokens, j + 1)  # the name after \end
    return sum(widths) + 0.9 * (columns - 1) + 0.4, j


def _width(tokens: list[str]) -> float:
    total, i = 0.0, 0
    while i < len(tokens):
        t = tokens[i]
        i += 1
        if t in ("^", "_"):
            arg, i = _group(tokens, i)
            scripts = [_width(arg)]
            if i < len(tokens) and tokens[i] in ("^", "_"):  # x_a^b: stacked, not side by side
                arg, i = _group(tokens, i + 1)
                scripts.append(_width(arg))
            total += _SCRIPT * max(scripts)
        elif t == "{" or t == "}":
            if t == "{":
                arg, i = _group(tokens, i - 1)
                total += _width(arg)
        elif t in (r"\left", r"\right"):
            total += 0.1 if i < len(tokens) and tokens[i] == "." else 0.45
            i += 1
        elif t == r"\begin":
            _, i = _group(tokens, i)
            body, i = _environment(tokens, i)
            total += body
        elif t in _ARGS:
            args = []
            for _ in range(_ARGS[t]):
                arg, i = _group(tokens, i)
                args.append(_width(arg))
            total += max(args) + 0.2 if t in (r"\frac", r"\dfrac", r"\tfrac") else sum(args) + 0.2
        else:
            total += _WIDTH.get(t, 0.6 if t.startswith("\\") else 0.55)
    return total


def width(tex: str) -> float:
    """Estimated width in em of display math ``tex`` (11 pt Latin Modern).

    >>> width("a + b") > width("a")
    True
    """
    return _width(_tokens(tex))


# ---------------------------------------------------------------- line breaking


def _top_level_splits(tex: str) -> list[int]:
    """Offsets of the top-level binary `` + `` and `` - `` of a printed sum."""
    depth, found, i = 0, [], 0
    while i < len(tex):
        if tex.startswith(r"\left", i) and not tex[i + 5 : i + 6].isalpha():
            depth, i = depth + 1, i + 5
            continue
        if tex.startswith(r"\right", i) and not tex[i + 6 : i + 7].isalpha():
            depth, i = depth - 1, i + 6
            continue
        if tex.startswith((r"\begin", r"\end"), i):
            depth += 1 if tex.startswith(r"\begin", i) else -1
        char = tex[i]
        if char == "\\":
            i += 2
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0 and i > 0 and tex[i - 1 : i + 2] in (" + ", " - "):
            found.append(i)
        i += 1
    return found


def _widest_group(tex: str) -> tuple[int, int] | None:
    """(start, end) of the body of the widest top-level ``\\left( … \\right)``."""
    best, depth, start, i = None, 0, 0, 0
    while i < len(tex):
        if tex.startswith(r"\left(", i):
            if depth == 0:
                start = i + 6
            depth, i = depth + 1, i + 6
            continue
        if tex.startswith(r"\right)", i):
            depth -= 1
            if depth == 0 and (best is None or width(tex[start:i]) > width(tex[best[0] : best[1]])):
                best = (start, i)
            i += 7
            continue
        i += 1
    return best


#: How far in em a line may run past its budget before a bracket's sum is stacked.
SLACK = 1.5


def stacked(tex: str, budget: float) -> str:
    """``tex`` with the sum in its widest bracket set as a stack of lines inside that bracket.

    For a term with no top-level break, such as σ of a long sum, that would run more
    than :data:`SLACK` em past the line: the bracket grows around the stack, so no line
    leaves a bracket open.  The lines of a stack are not stacked again.

    >>> stacked(r"\\sigma\\left(a + b + c + d\\right)", 5)
    '\\\\sigma\\\\left(\\\\begin{array}{l}a + b \\\\\\\\ + c \\\\\\\\ + d\\\\end{array}\\\\right)'
    """
    group = _widest_group(tex) if width(tex) > budget + SLACK else None
    if group is None:
        return tex
    head, body, tail = tex[: group[0]], tex[group[0] : group[1]], tex[group[1] :]
    room = max(budget - width(head) - width(tail), budget / 2)
    cuts = _top_level_splits(body)
    if not cuts:
        return head + stacked(body, room) + tail
    bounds = [0, *cuts, len(body)]
    lines = _pack([[body[a:b].strip()] for a, b in zip(bounds, bounds[1:])], room)
    return head + r"\begin{array}{l}" + r" \\ ".join(lines) + r"\end{array}" + tail


def _is_fraction(expr: sp.Mul) -> bool:
    """Whether SymPy prints the product as one ``\\frac`` (it has a denominator)."""
    return any(
        (f.is_Pow and f.exp.is_negative) or (f.is_Rational and f.q != 1)
        for f in sp.Mul.make_args(expr)
    )


def _pack(pieces: list[list[str]], budget: float) -> list[str]:
    """Each piece's lines in turn; a piece's first line joins the line before if it fits."""
    lines: list[str] = []
    for parts in pieces:
        if lines and width(lines[-1] + " " + parts[0]) <= budget:
            lines[-1] += " " + parts[0]
            parts = parts[1:]
        lines.extend(parts)
    return lines


def _sum_lines(expr: sp.Add, budget: float) -> list[str]:
    """A sum broken between its terms; a term too long is broken between its factors."""
    printer = SheetLatexPrinter()
    pieces = []
    for sign, term in printer.sum_pieces(expr):
        text = sign + printer.term(term)
        if width(text) > budget and isinstance(term, sp.Mul):
            pieces.append(_factor_lines(term, budget, sign))
        else:
            pieces.append([stacked(text, budget)])
    return _pack(pieces, budget)


def _factor_lines(expr: sp.Mul, budget: float, sign: str = "") -> list[str]:
    """A product too long for one line, one factor after another; a fraction stays whole.

    ``\\cdot`` starts a continuation line.
    """
    if _is_fraction(expr):
        return [sign + latex(expr)]
    coeff, rest = expr.as_coeff_Mul()
    printer, factors = SheetLatexPrinter(), sp.Mul.make_args(rest)
    parts = [
        r"\left(%s\right)" % latex(f)
        if printer._needs_mul_brackets(f, first=k == 0, last=k == len(factors) - 1)
        else latex(f)
        for k, f in enumerate(factors)
    ]
    if coeff == -1:
        sign += "- "
    elif coeff != 1:
        sign += latex(coeff) + " "
    parts = [stacked(part, budget - 1) for part in parts]
    lines = [sign + parts[0]]
    for part in parts[1:]:
        if width(lines[-1] + " " + part) <= budget:
            lines[-1] += " " + part
        else:
            lines.append(r"\cdot " + part)
    return lines


def fit_lines(expr: sp.Basic, budget: float) -> list[str]:
    """``expr`` printed as lines of at most about ``budget`` em, broken only at the top level.

    A sum breaks between its terms (a continuation line starts with ``+`` or ``-``), a
    product between its factors (``\\cdot``); anything else is one line: a line never
    leaves a bracket open.  A long sum inside brackets (σ of a sum) is set as a stack
    of lines within its brackets (:func:`stacked`), the entry of a 1×1 matrix likewise;
    a larger matrix is one line, entries unbroken (see :mod:`.displayrows`).
    """
    tex = latex(expr)
    if width(tex) <= budget:
        return [tex]
    if isinstance(expr, sp.UnevaluatedExpr) and isinstance(expr.args[0], sp.Add):
        return _sum_lines(expr.args[0], budget)
    if isinstance(expr, sp.Add):
        return _sum_lines(expr, budget)
    if isinstance(expr, sp.Mul):
        return _factor_lines(expr, budget)
    if isinstance(expr, sp.MatrixBase) and expr.shape == (1, 1):
        lines = fit_lines(expr[0, 0], budget - 1)
        return [r"\left[\begin{array}{l}" + r" \\ ".join(lines) + r"\end{array}\right]"]
    return [stacked(tex, budget)]
