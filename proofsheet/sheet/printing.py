"""LaTeX for checked SymPy objects: SymPy's printer, with the course's notation.

Dispatch is by type, as in SymPy (``_print_X``).  Terms keep the order the
derivation wrote them (``order="none"``), so a step shows what was checked.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> latex(sp.Mul(2, sp.UnevaluatedExpr(-x), evaluate=False))
'2 \\\\left(- x\\\\right)'

Long expressions are broken into lines that fit a width, measured in em
by :func:`width` (an estimate of what TeX will set, a little generous):

>>> a, b, c = sp.symbols("a b c")
>>> fit_lines(a + b + c, budget=4)
['a + b', '+ c']
"""

from __future__ import annotations

import re

import sympy as sp
from sympy.printing.latex import LatexPrinter

from ..parsing.latex_tables import RELATION_LATEX


class SheetLatexPrinter(LatexPrinter):
    """SymPy's LaTeX printer with ∂L/∂w for named quantities and safely bracketed unevaluated terms.

    σ and σ' print themselves (``_latex`` in :mod:`proofsheet.kernel.notation`), which
    SymPy's printer consults before any ``_print_X`` method.
    """

    def __init__(self, settings: dict | None = None):
        super().__init__({"order": "none", **(settings or {})})

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


def latex(expr: sp.Basic) -> str:
    """LaTeX for one expression."""
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


def _pack(pieces: list[str], budget: float) -> list[str]:
    """Greedy: as many pieces on a line as fit; a piece too wide for any line is broken itself."""
    lines: list[str] = []
    for piece in pieces:
        parts = [piece] if width(piece) <= budget else break_tex(piece, budget)
        if lines and width(lines[-1] + " " + parts[0]) <= budget:
            lines[-1] += " " + parts[0]
            parts = parts[1:]
        lines.extend(parts)
    return lines


def _closing_brace(tex: str, i: int) -> int:
    """Offset of the ``}`` that closes the ``{`` at ``tex[i]`` (escaped braces skipped)."""
    depth, j = 0, i
    while j < len(tex):
        if tex[j] == "\\":
            j += 2
            continue
        depth += {"{": 1, "}": -1}.get(tex[j], 0)
        if depth == 0:
            return j
        j += 1
    return len(tex)


def _unbrace(tex: str) -> str:
    """Drop braces that only wrap a bracket group, so it can break.

    For example SymPy's ``\\log{\\left(x \\right)}``.
    """
    i = 0
    while (i := tex.find(r"{\left(", i)) != -1:
        close = _closing_brace(tex, i)
        if (
            (i == 0 or tex[i - 1] not in "^_")
            and tex[:close].endswith(r"\right)")
            and _widest_group(tex[i + 1 : close]) == (6, close - i - 8)
        ):
            tex = tex[:i] + tex[i + 1 : close] + tex[close + 1 :]
        else:
            i += 1
    return tex


def break_tex(tex: str, budget: float) -> list[str]:
    """Break printed math to fit ``budget`` em at top-level ``+``/``-``, then in the widest bracket.

    A line that cannot be broken further is returned as it is.

    >>> break_tex(r"\\sigma\\left(a + b + c\\right)", 4)
    ['\\\\sigma\\\\left(a + b\\\\right.', '\\\\left.+ c\\\\right)']
    """
    if width(tex) <= budget:
        return [tex]
    cuts = _top_level_splits(tex)
    if cuts:
        bounds = [0, *cuts, len(tex)]
        return _pack([tex[a:b].strip() for a, b in zip(bounds, bounds[1:])], budget)
    group = _widest_group(tex)
    if group is None:
        return [tex]
    head, body, tail = tex[: group[0]], tex[group[0] : group[1]], tex[group[1] :]
    inner = break_tex(body, max(budget - width(head), budget / 2))
    if len(inner) == 1:
        return [tex]
    lines = [head + inner[0] + r"\right."]
    lines += [r"\left." + line + r"\right." for line in inner[1:-1]]
    close, rest = tail[: len(r"\right)")], tail[len(r"\right)") :].strip()
    if (
        rest and width(r"\left." + inner[-1] + tail) > budget
    ):  # what follows the bracket: its own line(s)
        lines.append(r"\left." + inner[-1] + close)
        more = break_tex(rest, budget - 1)
        lines += [
            (r"\cdot " if k == 0 and not more[0].startswith(("+", "-")) else "") + line
            for k, line in enumerate(more)
        ]
    else:
        lines.append(r"\left." + inner[-1] + tail)
    return lines


def _matrix(expr: sp.MatrixBase, budget: float) -> str:
    """A matrix whose long entries are broken into small left-aligned stacks."""
    columns = expr.cols
    entry_budget = max((budget - 0.6 - 0.9 * (columns - 1)) / columns, 4.0)
    rows = []
    for i in range(expr.rows):
        cells = []
        for j in range(columns):
            lines = fit_lines(expr[i, j], entry_budget)
            cells.append(
                lines[0]
                if len(lines) == 1
                else r"\begin{array}{l}" + r" \\ \quad ".join(lines) + r"\end{array}"
            )
        rows.append(" & ".join(cells))
    return r"\left[\begin{matrix}" + r"\\".join(rows) + r"\end{matrix}\right]"


def fit_lines(expr: sp.Basic, budget: float) -> list[str]:
    """``expr`` printed as lines of at most about ``budget`` em.

    Continuation lines start with an operator.
    """
    tex = latex(expr)
    if width(tex) <= budget:
        return [tex]
    if isinstance(expr, sp.MatrixBase):
        return [_matrix(expr, budget)]
    lines = break_tex(_unbrace(tex), budget)
    if len(lines) == 1 and isinstance(expr, sp.Mul) and len(expr.args) > 1:
        return _factor_lines(expr, budget)
    return lines


def _factor_lines(expr: sp.Mul, budget: float) -> list[str]:
    """A product too long for one line, one factor after another.

    ``\\cdot`` starts a continuation line.
    """
    coeff, rest = expr.as_coeff_Mul()
    parts = [
        r"\left(%s\right)" % latex(f) if isinstance(f, sp.Add) else latex(f)
        for f in sp.Mul.make_args(rest)
    ]
    sign = "-" if coeff == -1 else "" if coeff == 1 else latex(coeff) + " "
    lines = [sign + parts[0]]
    for part in parts[1:]:
        if width(lines[-1] + " " + part) <= budget:
            lines[-1] += " " + part
        else:
            lines.append(r"\cdot " + part)
    return lines
