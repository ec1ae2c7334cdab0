"""Symbols and shorthands shared by the derivations."""

from __future__ import annotations

import sympy as sp

x = sp.Symbol("x", real=True)
z = sp.Symbol("z", real=True)
y = sp.Symbol("y", real=True)

E = sp.exp(-x)  #: e^(−x), the term every sigmoid proof works with
shown = sp.UnevaluatedExpr  #: keep a term as written, for display only


def product_as_written(*factors: sp.Expr) -> sp.Expr:
    """``a · b · …`` without SymPy reordering or merging the factors."""
    return sp.Mul(*(shown(f) for f in factors), evaluate=False)


def sum_as_written(*terms: sp.Expr) -> sp.Expr:
    """``a + b + …`` kept in the written order."""
    return sp.Add(*terms, evaluate=False)
