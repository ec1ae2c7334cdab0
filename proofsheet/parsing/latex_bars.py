r"""Bars and interval brackets, between classification and matching.

``x \in (0, 1]``: the brackets after ``\in`` are an interval's, not a pair to match.

A ``|`` opens an absolute value or closes one; ``\left|``/``\lvert`` always open and
``\right|``/``\rvert`` always close. A bare ``|`` closes the innermost open bar when an
expression has just ended (``|x| \cdot |y|``, ``||x| - |y||``), and opens one otherwise. A
closing bar with nothing open, followed by ``_``, is an evaluation bar:
``\left. \frac{d}{dx} x^2 \right|_{x=1}`` and ``x^2 \Big|_{x=1}``. A ``\left.`` that no
evaluation bar closes is a decoration, dropped as before.
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
