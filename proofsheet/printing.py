"""LaTeX for checked SymPy objects: SymPy's printer, with the course's notation.

Dispatch is by type, as in SymPy (``_print_X``).  Terms keep the order the
derivation wrote them (``order="none"``), so a step shows what was checked.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> latex(sp.Mul(2, sp.UnevaluatedExpr(-x), evaluate=False))
'2 \\\\left(- x\\\\right)'
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.latex import LatexPrinter

RELATION_LATEX = {"=": "=", "<=": r"\le", "<": "<", ">=": r"\ge", ">": ">", "!=": r"\ne"}


class SheetLatexPrinter(LatexPrinter):
    """SymPy's LaTeX printer with σ, σ' and safely bracketed unevaluated terms."""

    def __init__(self, settings: dict | None = None):
        super().__init__({"order": "none", **(settings or {})})

    def _print_sigma(self, expr) -> str:
        return r"\sigma\left(%s\right)" % self._print(expr.args[0])

    def _print_sigma_prime(self, expr) -> str:
        return r"\sigma'\left(%s\right)" % self._print(expr.args[0])

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
