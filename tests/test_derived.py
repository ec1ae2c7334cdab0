"""Derived rules (compositions of kernel rules) and the product-bound search that uses them."""

from __future__ import annotations

import pytest
import sympy as sp

from proofsheet import kernel
from proofsheet.kernel import Prop
from proofsheet.kernel.errors import KernelError
from proofsheet.kernel.notation import sigma, sigma_prime
from proofsheet.parsing.latex import parse_math
from proofsheet.search import product_bound as derived
from proofsheet.search.decide import decide

x = sp.Symbol("x", real=True)
k, a, n = sp.Symbol("k", integer=True), sp.Symbol("a", integer=True), sp.Symbol("n", integer=True)
u = sp.IndexedBase("u", real=True)
Q = sp.Rational(1, 4)


def step(latex: str) -> Prop:
    chain = parse_math(latex)[0]
    return Prop(chain.terms[0], chain.rels[0], chain.terms[1])


@pytest.mark.parametrize(
    "latex, status",
    [
        (r"\prod_{k=i}^{D}\sigma'(u^{(k)}) \le \left(\frac{1}{4}\right)^{D-i+1}", "verified"),
        (r"\prod_{k=i+1}^{D}\sigma'(u^{(k)}) \le \left(\frac{1}{4}\right)^{D-i}", "verified"),
        (
            r"\prod_{k=i}^{D}\sigma'(u^{(k)}) \le \left(\frac{1}{4}\right)^{L-i+1}",
            "refuted",
        ),  # the student's letter
        (
            r"\prod_{k=i}^{D}\sigma'(u^{(k)}) \le \left(\frac{1}{5}\right)^{D-i+1}",
            "refuted",
        ),  # 1/5 is too small
    ],
)
def test_product_bounds_by_induction_on_the_number_of_factors(latex, status):
    verdict = decide(step(latex))
    assert verdict.status == status
    if status == "verified":  # the only assumption is that the range runs upwards
        assert len(verdict.theorem.assumptions) == 1 and verdict.theorem.assumptions[0].lhs == 0


def lemma(prop: Prop):
    verdict = decide(prop)
    assert verdict.ok
    return verdict.theorem


def test_product_bound_refuses_a_lemma_about_another_factor():
    nonneg = lemma(Prop(0, "<=", sigma_prime(x)))
    wrong = lemma(Prop(sigma(x) * 0, "<=", Q))  # says nothing about σ'
    at = lambda thm: lambda e: kernel.instantiate(thm, x, u[e])
    with pytest.raises(KernelError):
        derived.product_bound(sigma_prime(u[k]), k, Q, at(nonneg), at(wrong), a, n)
