"""Symbols and product lemmas shared by the Q3.3 depth derivations.

A deep sigmoid chain has pre-activations u⁽ᵏ⁾, weights w⁽ᵏ⁾ and biases
b⁽ᵏ⁾, written here as SymPy indexed symbols ``u[k]``, ``w[k]``, ``b[k]``.
Products over layers are ``sp.Product`` objects, which the kernel knows
only through ``product_peel`` (Π up to m+1 = Π up to m times the last
factor).  A product of *one* factor still needs the empty product
Π_{k=a}^{a−1} = 1, which no kernel rule states yet: :func:`empty_product`
takes it as an explicit, displayed assumption (see its docstring).

>>> single_factor(sp.Product(u[k], (k, i, i))).prop.rhs
u[i]
"""

from __future__ import annotations

import sympy as sp

from proofsheet import kernel
from proofsheet.errors import KernelError
from proofsheet.kernel import Prop, Theorem
from proofsheet.tactics import decide

i = sp.Symbol("i", integer=True)      #: the layer whose parameters we differentiate by
k = sp.Symbol("k", integer=True)      #: the running layer index inside a product
n = sp.Symbol("n", integer=True)      #: a number of factors (the induction variable)
D = sp.Symbol("D", integer=True)      #: the depth of the network
u = sp.IndexedBase("u", real=True)    #: pre-activations u⁽ᵏ⁾ = w⁽ᵏ⁾y⁽ᵏ⁻¹⁾ + b⁽ᵏ⁾
w = sp.IndexedBase("w", real=True)    #: weights w⁽ᵏ⁾
b = sp.IndexedBase("b", real=True)    #: biases b⁽ᵏ⁾
Q = sp.Rational(1, 4)                 #: the maximum of σ'
HOLE = sp.Symbol("hole")              #: the hole of a congruence context


def empty_product(product: sp.Product) -> Theorem:
    """Π_{k=a}^{a−1} f(k) = 1, the empty product, as an explicit assumption.

    The kernel's ``product_peel`` is Karr's definition of Π for one more
    factor; the other half of that definition, the empty product, is not a
    rule yet, and the normal form treats ``Product`` as opaque.  Until it is,
    every theorem built on a one-factor product carries this (true,
    definitional) assumption, and the sheet shows it.
    """
    (_index, low, high), = product.limits
    if sp.simplify(high - low) != -1:
        raise KernelError(f"{product} is not an empty product")
    return kernel.assume(Prop(product, "=", 1))


def single_factor(product: sp.Product) -> Theorem:
    """Π_{k=a}^{a} f(k) = f(a): peel the one factor, then the empty product is 1."""
    (index, low, _high), = product.limits
    peel = kernel.product_peel(product)                        # Π_a^a = Π_a^{a−1} · f(a)
    empty = sp.Product(product.function, (index, low, low - 1))
    one = kernel.congruence(empty_product(empty), HOLE * product.function.subs(index, low), HOLE)
    return kernel.chain(peel, one)                             # … = 1 · f(a) = f(a)


def proved(prop: Prop, assumptions: tuple[Prop, ...] = ()) -> Theorem:
    """A lemma the tactics must find a certificate for (the kernel checks it); no proof is an error."""
    verdict = decide(prop, assumptions)
    if not verdict.ok:
        raise KernelError(f"no kernel proof of {prop.lhs} {prop.rel} {prop.rhs}: "
                          f"{verdict.status} {verdict.reason}")
    return verdict.theorem
