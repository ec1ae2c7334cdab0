"""Derived rules: proofs built only from kernel rules, reused by tactics and derivations.

Nothing here is trusted: every function composes kernel rules, so its
result is a kernel theorem or an error.

``product_bound`` is the vanishing-gradient argument in general: if every
factor satisfies 0 ≤ f ≤ c, then ∏_{k=a}^{b} f(k) ≤ c^(b−a+1), by induction
on the number of factors (0 ≤ the product first, since the monotone-product
rule needs it).
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from .. import kernel
from ..kernel import Prop, Theorem
from ..kernel.certificates import RationalIdentity, SignCertificate, SignTerm, Substitution

Lemma = Callable[[sp.Expr], Theorem]  #: the fact about the factor at index e


def _product(body: sp.Expr, k: sp.Symbol, start: sp.Expr, count: sp.Expr) -> sp.Product:
    return sp.Product(body, (k, start, start + count - 1))


def _one_le_one() -> Theorem:
    return kernel.certified_sign(
        Prop(sp.Integer(1), "<=", sp.Integer(1)), SignCertificate(Substitution(), ())
    )


def _zero_le_one() -> Theorem:
    return kernel.certified_sign(
        Prop(sp.Integer(0), "<=", sp.Integer(1)),
        SignCertificate(Substitution(), (SignTerm(sp.Integer(1), ()),)),
    )


def product_bound(
    body: sp.Expr,
    k: sp.Symbol,
    bound: sp.Expr,
    nonneg_at: Lemma,
    le_at: Lemma,
    start: sp.Symbol,
    n: sp.Symbol,
) -> Theorem:
    """0 ≤ f ≤ c for each factor gives ∏_{k=start}^{start+n−1} f(k) ≤ c^n for every n ≥ 0."""
    empty = kernel.product_empty(_product(body, k, start, 0))
    peel = kernel.product_peel(_product(body, k, start, n + 1))
    nonneg_claim = Prop(0, "<=", _product(body, k, start, n))
    base0 = kernel.chain(_zero_le_one(), kernel.symmetry(empty))
    step0 = kernel.chain(
        kernel.scale(nonneg_at(start + n), kernel.assume(nonneg_claim)), kernel.symmetry(peel)
    )
    nonneg = kernel.induction(nonneg_claim, n, 0, base0, step0)
    claim = Prop(_product(body, k, start, n), "<=", bound**n)
    base = kernel.chain(empty, _one_le_one())
    multiplied = kernel.monotone_product(
        nonneg, kernel.assume(claim), nonneg_at(start + n), le_at(start + n)
    )
    powers = kernel.rational_identity(
        Prop(bound**n * bound, "=", bound ** (n + 1)), RationalIdentity()
    )
    step = kernel.chain(kernel.chain(peel, multiplied), powers)
    return kernel.induction(claim, n, 0, base, step)


def product_bound_between(
    body: sp.Expr,
    k: sp.Symbol,
    lower: sp.Expr,
    upper: sp.Expr,
    bound: sp.Expr,
    nonneg_at: Lemma,
    le_at: Lemma,
    fresh: tuple[str, str] = ("a_0", "n_0"),
) -> Theorem:
    """∏_{k=lower}^{upper} f(k) ≤ c^(upper−lower+1), assuming only lower ≤ upper + 1.

    ``fresh`` names the two integer variables of the induction; they must not
    occur in the statement.
    """
    start, n = (sp.Symbol(name, integer=True) for name in fresh)
    general = product_bound(body, k, bound, nonneg_at, le_at, start, n)
    return kernel.instantiate(kernel.instantiate(general, n, upper - lower + 1), start, lower)
