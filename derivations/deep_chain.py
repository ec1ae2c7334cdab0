"""Symbols and product lemmas shared by the Q3.3 depth derivations.

A deep sigmoid chain has pre-activations u⁽ᵏ⁾, written here as the SymPy
indexed symbols ``u[k]``.
Products over layers are ``sp.Product`` objects, which the kernel knows
only through its definition of Π: ``product_peel`` (Π up to m+1 = Π up to
m times the last factor) and ``product_empty`` (Π_{k=a}^{a−1} = 1).

>>> single_factor(sp.Product(u[k], (k, i, i))).prop.rhs
u[i]
"""

from __future__ import annotations

import sympy as sp

from derivations.common import proved  # noqa: F401  (re-exported: sigmoid_derivative_bound imports it from here)
from proofsheet import kernel
from proofsheet.kernel import Theorem

i = sp.Symbol("i", integer=True)  #: the layer whose parameters we differentiate by
k = sp.Symbol("k", integer=True)  #: the running layer index inside a product
n = sp.Symbol("n", integer=True)  #: a number of factors (the induction variable)
D = sp.Symbol("D", integer=True)  #: the depth of the network
u = sp.IndexedBase("u", real=True)  #: pre-activations u⁽ᵏ⁾ = w⁽ᵏ⁾y⁽ᵏ⁻¹⁾ + b⁽ᵏ⁾
Q = sp.Rational(1, 4)  #: the maximum of σ'
HOLE = sp.Symbol("hole")  #: the hole of a congruence context


def single_factor(product: sp.Product) -> Theorem:
    """Π_{k=a}^{a} f(k) = f(a): peel the one factor, then the empty product is 1."""
    ((index, low, _high),) = product.limits
    peel = kernel.product_peel(product)  # Π_a^a = Π_a^{a−1} · f(a)
    empty = sp.Product(product.function, (index, low, low - 1))
    one = kernel.congruence(
        kernel.product_empty(empty), HOLE * product.function.subs(index, low), HOLE
    )
    return kernel.chain(peel, one)  # … = 1 · f(a) = f(a)
