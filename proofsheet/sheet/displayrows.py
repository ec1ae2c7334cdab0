"""Formulas laid out as the rows of an aligned display, fitted to the width of the page.

A chain ``start rel₁ t₁ rel₂ t₂ …`` becomes rows ``{"left", "right", "tag"}``:
long terms are broken to the line at the top level (leaving room for the step's
margin note), a wide start hangs above its relations (as does a start beside which
a term would not fit unstacked, matrices included), and steps between matrices
too wide to show whole, each entry on one line, are shown entry by entry. Widths
are estimates in em.
"""

from __future__ import annotations

import itertools
import unicodedata

import sympy as sp

from .printing import RELATION_LATEX, SLACK, fit_lines, latex, width

#: A chain's links: (relation, term, the step's margin tag or None).
Links = list[tuple[str, object, dict | None]]

#: Usable width of a display line in em (A4, 2.2 cm margins, 11 pt), and of a step's margin note.
LINE_EM = 42.0


def _margin(tag: dict | None) -> float:
    """Width in em that a step's margin note takes from its last line."""
    return 0.45 * len(tag["rule"]) + 3.0 if tag else 0.0


def note_width(text: str) -> float:
    """Estimated width in em of a footnote-size note (CJK characters are square)."""
    return sum(0.82 if unicodedata.east_asian_width(c) in "WF" else 0.42 for c in text)


def _too_big(expr: object, room: float) -> bool:
    """A matrix (not 1×1) that, each entry on one line, is wider than ``room`` em."""
    if not isinstance(expr, sp.MatrixBase) or expr.cols * expr.rows == 1:
        return False
    return width(latex(expr)) > room


def _room(tag: dict | None, indent: float) -> float:
    """Width in em left for a term after ``indent`` em, its relation and the step's margin note."""
    return LINE_EM - indent - 1.5 - _margin(tag)


def _fits(term: object, lines: list[str], room: float) -> bool:
    """Whether ``term``, laid out as ``lines`` in ``room`` em beside its start, fits there:
    no line too long, no sum stacked."""
    if isinstance(term, sp.MatrixBase) and term.cols * term.rows > 1:
        return width(latex(term)) <= room
    stacks = sum(line.count(r"\begin{array}") for line in lines)
    return stacks == latex(term).count(r"\begin{array}") and all(
        width(line) <= room + SLACK for line in lines
    )


def _entry_lines(expr: object, i: int, j: int, budget: float) -> list[str]:
    """Entry (i, j) of ``expr``: the entry itself for a matrix, else ``[expr]_{ij}``."""
    if isinstance(expr, sp.MatrixBase):
        return fit_lines(expr[i, j], budget)
    return [rf"\left[{latex(expr)}\right]_{{{i + 1}{j + 1}}}"]


def display_rows(start: object, links: Links) -> tuple[list[dict], bool]:
    """Rows ``start rel₁ t₁ rel₂ t₂ …``, long terms broken; hanging when the start is wide.

    A step between matrices too big to show whole is shown entry by entry.
    """
    start_tex = latex(start)
    if _too_big(start, LINE_EM - 2) or any(_too_big(t, _room(tag, 2.0)) for _, t, tag in links):
        return entry_rows(start, links), True
    beside = None  # each term's lines beside the start, when the start is narrow enough
    if width(start_tex) <= 0.4 * LINE_EM:
        rooms = [_room(tag, width(start_tex)) for _, _, tag in links]
        beside = [fit_lines(t, room) for (_, t, _), room in zip(links, rooms)]
        if not all(_fits(t, ls, r) for (_, t, _), ls, r in zip(links, beside, rooms)):
            beside = None
    hanging = beside is None
    rows: list[dict] = []
    if hanging:
        rows += [
            {"left": "", "right": (r"\quad " if k else "") + line, "tag": None}
            for k, line in enumerate(fit_lines(start, LINE_EM))
        ]
    for n, (rel, term, tag) in enumerate(links):
        lines = fit_lines(term, _room(tag, 2.0)) if hanging else beside[n]
        for k, line in enumerate(lines):
            right = (f"{RELATION_LATEX[rel]} " if k == 0 else r"\quad ") + line
            rows.append(
                {
                    "left": start_tex if not hanging and n == 0 and k == 0 else "",
                    "right": (r"\quad " if hanging else "") + right,
                    "tag": tag if k == len(lines) - 1 else None,
                }
            )
    return rows, hanging


def entry_rows(start: object, links: Links) -> list[dict]:
    """Each step ``a rel b`` as ``(i, j): a_ij rel b_ij`` for every entry, broken to the line.

    An entry's step takes one row when it fits, else its sides take rows of their own.
    """
    shape = next(
        e.shape for e in [start] + [t for _, t, _ in links] if isinstance(e, sp.MatrixBase)
    )
    rows: list[dict] = []
    previous = start
    for rel, term, tag in links:
        for i, j in itertools.product(range(shape[0]), range(shape[1])):
            label = rf"\text{{({i + 1}, {j + 1}):}}\quad "
            left = _entry_lines(previous, i, j, LINE_EM - 4)
            right = _entry_lines(term, i, j, LINE_EM - 5 - _margin(tag))
            both = f"{left[0]} {RELATION_LATEX[rel]} {right[0]}"
            if len(left) == len(right) == 1 and width(label + both) <= LINE_EM - 1 - _margin(tag):
                rows.append({"left": "", "right": label + both, "tag": None})
                continue
            rows += [
                {"left": "", "right": (label if k == 0 else r"\qquad\quad ") + line, "tag": None}
                for k, line in enumerate(left)
            ]
            rows += [
                {
                    "left": "",
                    "right": (rf"\qquad {RELATION_LATEX[rel]} " if k == 0 else r"\qquad\quad ")
                    + line,
                    "tag": None,
                }
                for k, line in enumerate(right)
            ]
        rows[-1]["tag"] = tag
        previous = term
    return rows
