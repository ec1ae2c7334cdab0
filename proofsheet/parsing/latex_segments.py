r"""Which relations of a row are claims, and which are conditions or hypotheses.

A row of a formula is split into segments by prose, commas and words such as ``\\quad``,
``\\implies``, ``\\text{if}``. Each segment gets a kind: "" (its relations are claims),
"words" (beside "for", "where": not claims of their own), "arrow" (beside an equivalence, a
case or a chain of arrows: nothing claimed, nothing defined) or "assume" (a hypothesis of the
formula's other steps: ``x \\in (0, 1)``, ``\\sqrt{x^2} = x, \\quad x \\ge 0``, ``a, b > 0``,
the A of ``A \\implies B``).
"""

from __future__ import annotations

from typing import Any

import sympy as sp
from lark import Token

from .latex_tables import IMPLICATIONS, is_condition


def segment_kinds(items: tuple) -> list[tuple]:
    """The row's segments ``(left, parts)`` (a membership comes with its kind), each as
    ``(left, parts, kind)``."""
    out = []
    for i, s in enumerate(items):
        if isinstance(s, tuple) and len(s) == 3:  # a membership: a hypothesis
            out.append(s)
        elif isinstance(s, tuple):
            near = (items[i - 1] if i else None, items[i + 1] if i + 1 < len(items) else None)
            kinds = {_conditional(t) for t in near if isinstance(t, Token)}
            kind = "arrow" if "arrow" in kinds else "words" if "words" in kinds else ""
            if _after_forall(items, i) and _range_condition((*s, kind)):
                kind = "assume"  # \forall x > 0, …
            out.append((*s, kind))
    out = _shared_conditions(out)
    claims = [k for k, seg in enumerate(out) if seg[1]]
    for k in claims[1:]:  # `\sqrt{x^2} = x, \quad x \ge 0`: a condition
        if _range_condition(out[k]) and out[k][2] != "arrow":
            out[k] = (*out[k][:2], "assume")
    if len(claims) > 1 and all(_range_condition(out[k]) for k in claims):  # x > 0, y > 0
        out = [(*seg[:2], seg[2] or "assume") if seg[1] else seg for seg in out]
    return _premises(items, out)


def _after_forall(items: tuple, i: int) -> bool:
    before = items[i - 1] if i else None
    return isinstance(before, Token) and before.value == "\\forall"


def _conditional(tok: Token) -> str:
    """ "arrow" for an implication arrow or a case ("if", "or", "当": nothing beside it is
    defined), "words" for a condition ("for", "where"), "" for a separator that asserts."""
    if tok.value in IMPLICATIONS:
        return "arrow"
    kind = is_condition(tok.value) if tok.type == "TEXT" else ""
    return "arrow" if kind == "case" else kind


def _range_condition(segment: tuple) -> bool:
    """``x > 0``, ``0 < s < 1``, ``a \\ge b`` after a comma: bare names against numbers or
    each other (false as a claim about every real), a condition."""
    left, parts, _ = segment
    terms = [left.expr] + [t.expr for _, t, _, _ in parts] if left is not None else []
    return (
        bool(parts)
        and all(r in ("<", "<=", ">", ">=", "!=") for r, _, _, _ in parts)
        and 1 <= sum(isinstance(t, sp.Symbol) for t in terms) <= 2
        and all(isinstance(t, sp.Symbol) or t.is_number for t in terms)
    )


#: the arrows of one implication A ⟹ B: B is checked under A
FORWARD = frozenset({"\\Rightarrow", "\\Longrightarrow", "\\implies", "⇒"})


def _premises(items: tuple, out: list[tuple]) -> list[tuple]:
    """``A \\implies B`` (one forward arrow between two formulas): A is a hypothesis of the
    formula ("assume") and B a claim checked under it; other arrows are left as they are."""
    arrows = [i for i, t in enumerate(items) if isinstance(t, Token) and t.value in FORWARD]
    if len(arrows) != 1 or not 0 < arrows[0] < len(items) - 1:
        return out
    i = arrows[0]
    if not (isinstance(items[i - 1], tuple) and isinstance(items[i + 1], tuple)):
        return out
    before = sum(isinstance(t, tuple) for t in items[:i])  # segments before the arrow
    out = [(*seg[:2], "assume") if k < before and seg[1] else seg for k, seg in enumerate(out)]
    out[before] = (*out[before][:2], "")
    return out


def _shared_conditions(segments: list[tuple]) -> list[tuple]:
    """``a, b > 0``, ``a, b \\in (0, 1)``: names listed before a range condition share it."""
    out: list[tuple] = []
    for seg in segments:
        out.append(seg)
        if not _range_condition(seg):
            continue
        k = len(out) - 1
        while k and not out[k - 1][1] and isinstance(getattr(out[k - 1][0], "expr", 0), sp.Symbol):
            k -= 1
        out[k:-1] = [_for_name(seg, name) for name, _parts, _kind in out[k:-1]]
    return out


def _for_name(seg: tuple, name: Any) -> tuple:
    """The range condition ``seg`` about another name (its one symbol replaced by ``name``)."""
    left, parts, kind = seg
    if isinstance(left.expr, sp.Symbol):
        return (name, parts, kind)
    return (
        left,
        [(r, name if isinstance(t.expr, sp.Symbol) else t, p, v) for r, t, p, v in parts],
        kind,
    )
