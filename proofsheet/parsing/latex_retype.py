"""Tokens whose meaning depends on their neighbours, retyped before brackets are matched.

- **Bars.** A ``|`` opens an absolute value or closes one; ``\\left|``/``\\lvert`` always
  open and ``\\right|``/``\\rvert`` always close. A bare ``|`` closes the innermost open bar
  when an expression has just ended (``|x| \\cdot |y|``, ``||x| - |y||``), and opens one
  otherwise. A closing bar with nothing open, followed by ``_``, is an evaluation bar
  (``\\left. \\frac{d}{dx} x^2 \\right|_{x=1}``, ``x^2 \\Big|_{x=1}``); a ``\\left.`` that
  no evaluation bar closes is a decoration, dropped.
- **Intervals.** ``x \\in (0, 1]``: the brackets after ``\\in`` need not match.
- **Matrices.** Inside ``pmatrix``/``bmatrix``/``vmatrix``, ``&`` and ``\\\\`` are cells and rows.
- **Inline derivatives.** ``\\partial L/\\partial z`` and ``dL/dz`` become the tokens of the
  Leibniz fraction.
- **One-sided limits.** ``\\lim_{x \\to 0^+}``: the ``^+`` is the side, not a power.
"""

from __future__ import annotations

from lark import Token

from .latex_tables import CLOSERS, OPENERS
from .latex_tokens import _Err, _tok

#: tokens an expression can end with: a bar after one of them may close
_ENDS = frozenset("NUMBER LETTER GREEK CONST _RPAR _RBRACK _RBRACE _RABS SUP1 SUB1 PRIME".split())
_LEFT = ("\\left", "\\bigl", "\\Bigl", "\\biggl", "\\Biggl", "\\lvert")
_RIGHT = ("\\right", "\\bigr", "\\Bigr", "\\biggr", "\\Biggr", "\\rvert")
#: what ends the reach of a ``\left.``: the next relation or formula
_STOPS = frozenset({"REL", "_LINEBREAK", "SEP", "COMMA", "TEXT"})


def _side(bar: Token) -> str:
    return "l" if bar.value.startswith(_LEFT) else "r" if bar.value.startswith(_RIGHT) else ""


def _kind(toks: list[Token], i: int, out: list[Token], depth: int) -> str:
    """What the bar toks[i] is: "_LABS", "_RABS" or "EVALBAR"."""
    side, nxt = _side(toks[i]), toks[i + 1] if i + 1 < len(toks) else None
    ended = bool(out) and out[-1].type in _ENDS
    if side == "l" or (side == "" and not ended):
        return "_LABS"
    if depth:
        return "_RABS"
    if nxt is not None and nxt.type == "_UNDERSCORE":
        return "EVALBAR"
    if side == "r":
        raise _Err(f"'{toks[i].value}' has no opening partner", toks[i].start_pos)
    return "_LABS"


def _bars(toks: list[Token]) -> list[Token]:
    """Retype every BAR token as an opening or closing absolute-value bar or an evaluation
    bar; drop the ``\\left.`` that no evaluation bar closes."""
    out: list[Token] = []
    depth = 0
    for i, t in enumerate(toks):
        if t.type == "BAR":
            kind = _kind(toks, i, out, depth)
            depth += {"_LABS": 1, "_RABS": -1}.get(kind, 0)
            t = _tok(kind, t.value, t)
        out.append(t)
    return [t for i, t in enumerate(out) if t.type != "EVALOPEN" or _closed(out, i)]


def _closed(toks: list[Token], i: int) -> bool:
    """Whether an evaluation bar closes the ``\\left.`` at toks[i] before the next relation."""
    for t in toks[i + 1 :]:
        if t.type == "EVALBAR":
            return True
        if t.type in _STOPS or t.type == "EVALOPEN":
            return False
    return False


_CLOSING = ("_RPAR", "_RBRACK")


def _intervals(toks: list[Token]) -> list[Token]:
    """``\\in (a, b]``: retype the interval's brackets (they need not match) IVLOPEN/IVLCLOSE."""
    toks = list(toks)
    for i, t in enumerate(toks[:-1]):
        if t.type != "IN" or toks[i + 1].type not in ("_LPAR", "_LBRACK"):
            continue
        depth = 0
        for k in range(i + 2, len(toks)):
            if depth == 0 and toks[k].type in _CLOSING:
                toks[i + 1] = _tok("IVLOPEN", toks[i + 1].value, toks[i + 1])
                toks[k] = _tok("IVLCLOSE", toks[k].value, toks[k])
                break
            depth += (toks[k].type in OPENERS) - (toks[k].type in CLOSERS)
    return toks


def _operand_end(toks: list[Token], j: int) -> int | None:
    """The end of a name at toks[j] (``L``, ``\\hat{y}``, ``w_1``, ``z_{12}``), or None."""
    if j < len(toks) and toks[j].type == "ACCENT":
        j += 1
        if j < len(toks) and toks[j].type == "_LBRACE":
            ok = j + 2 < len(toks) and toks[j + 2].type == "_RBRACE"
            return j + 3 if ok and toks[j + 1].type in ("LETTER", "GREEK") else None
    if j >= len(toks) or toks[j].type not in ("LETTER", "GREEK"):
        return None
    j += 1
    if j < len(toks) and toks[j].type == "SUB1":
        return j + 1
    if j + 1 < len(toks) and toks[j].type == "_UNDERSCORE" and toks[j + 1].type == "_LBRACE":
        k = next((k for k in range(j + 2, len(toks)) if toks[k].type == "_RBRACE"), None)
        return None if k is None else k + 1
    return j


def _bracketed(toks: list[Token], i: int) -> int | None:
    """``d(x^2)`` at toks[i] (the top of ``d(x^2)/dx``): the end of its brackets, or None."""
    if not (toks[i].type == "LETTER" and toks[i].value == "d" and i + 1 < len(toks)):
        return None
    if toks[i + 1].type != "_LPAR":
        return None
    depth = 0
    for k in range(i + 1, len(toks)):
        depth += (toks[k].type in OPENERS) - (toks[k].type in CLOSERS)
        if depth == 0:
            return k + 1
    return None


def _differential(toks: list[Token], i: int) -> int | None:
    """``\\partial L`` or ``dL`` (d touching its name) at toks[i]: the end of it, or None."""
    t = toks[i]
    if t.type == "DIFF" or (t.type == "LETTER" and t.value == "d"):
        end = _operand_end(toks, i + 1)
        touching = t.type == "DIFF" or (end is not None and toks[i + 1].start_pos == t.end_pos)
        return end if touching else None
    return None


def _inline_derivatives(toks: list[Token]) -> list[Token]:
    """``\\partial L/\\partial z`` and ``dL/dz``: the tokens of
    ``\\frac{\\partial L}{\\partial z}`` and ``\\frac{dL}{dz}``."""
    out: list[Token] = []
    i = 0
    while i < len(toks):
        top = _differential(toks, i) or _bracketed(toks, i)
        slash = toks[top] if top is not None and top < len(toks) else None
        bottom = None
        if slash is not None and slash.type == "MULOP" and slash.value == "/":
            bottom = _differential(toks, top + 1)
        if bottom is None or toks[i].type != toks[top + 1].type:
            out.append(toks[i])
            i += 1
            continue
        d1, d2 = (_tok("DIFF", toks[k].value, toks[k]) for k in (i, top + 1))
        out += [_tok("FRAC", "\\frac", toks[i]), _tok("_LBRACE", "{", toks[i]), d1]
        out += [*toks[i + 1 : top], _tok("_RBRACE", "}", slash), _tok("_LBRACE", "{", slash), d2]
        out += [*toks[top + 2 : bottom], _tok("_RBRACE", "}", toks[bottom - 1])]
        i = bottom
    return out


def _matrix_cells(toks: list[Token]) -> list[Token]:
    """Inside ``\\begin{pmatrix} … \\end{pmatrix}``, ``&`` separates cells and ``\\\\`` rows."""
    out, depth = [], 0
    for t in toks:
        depth += (t.type == "MATBEGIN") - (t.type == "_MATEND")
        if depth and t.type == "AMP":
            t = _tok("_MATCOL", t.value, t)
        elif depth and t.type == "_LINEBREAK":
            t = _tok("_MATROW", t.value, t)
        out.append(t)
    return out


def _one_sided(toks: list[Token]) -> list[Token]:
    """``\\lim_{x \\to 0^+}``, ``0^{-}``: the side of a limit's point, one SIDE token."""
    out: list[Token] = []
    i, in_limit = 0, False
    while i < len(toks):
        t = toks[i]
        in_limit = (in_limit or t.type == "TO") and t.type != "_RBRACE"
        signs = [k for k in (i + 1, i + 2) if k < len(toks) and toks[k].type in ("PLUS", "MINUS")]
        if in_limit and t.type == "_CARET" and signs:
            k = signs[0]
            braced = k == i + 2 and toks[i + 1].type == "_LBRACE"
            closed = braced and k + 1 < len(toks) and toks[k + 1].type == "_RBRACE"
            if k == i + 1 or closed:
                out.append(_tok("SIDE", "+" if toks[k].type == "PLUS" else "-", t))
                i = k + 2 if closed else k + 1
                continue
        out.append(t)
        i += 1
    return out
