"""Symbols and shorthands shared by the derivations, and :func:`proved` for lemmas."""

from __future__ import annotations

import sympy as sp

from proofsheet.kernel import Prop, Theorem
from proofsheet.kernel.errors import KernelError
from proofsheet.search.decide import DEFAULT_SECONDS, decide

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


def proved(prop: Prop, *assumptions: Prop, seconds: float = DEFAULT_SECONDS) -> Theorem:
    """A lemma the tactics must find a certificate for, re-checked by the kernel.

    A lemma that is not verified (refuted, or no certificate found in time)
    is an error naming the statement and the verdict's reason, never a
    silent gap in a derivation.
    """
    verdict = decide(prop, assumptions, seconds, proof_first=True)
    if not verdict.ok:
        raise KernelError(
            f"no kernel proof of {prop.lhs} {prop.rel} {prop.rhs}: {verdict.status}"
            + (f" ({verdict.reason})" if verdict.reason else "")
        )
    return verdict.theorem
