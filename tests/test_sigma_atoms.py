"""Nested sigmoids compared level by level: σ(u) as an atom, σ′ = σ(1 − σ) (kernel.sigma_atoms)."""

import pytest
import sympy as sp

from proofsheet import kernel
from proofsheet.kernel import Prop, interval
from proofsheet.kernel.certificates import DerivativeIdentity, RationalIdentity
from proofsheet.kernel.errors import KernelError
from proofsheet.kernel.notation import sigma, sigma_prime
from proofsheet.kernel.sigma_atoms import atomised
from proofsheet.search.decide import decide
from proofsheet.search.tactics import equation_certificate

x = sp.Symbol("x", real=True)
z = sp.Symbol("z")  # not declared real
k = sp.Symbol("k", integer=True)


def chain_rule(depth: int, drop: int | None = None) -> Prop:
    """d/dx σ∘…∘σ(x) = ∏ σ(u)(1 − σ(u)) over the layers u (one layer left out at ``drop``)."""
    layers, f = [], x
    for _ in range(depth):
        layers.append(f)
        f = sigma(f)
    factors = [sigma(u) * (1 - sigma(u)) for i, u in enumerate(layers) if i != drop]
    return Prop(sp.Derivative(f, x), "=", sp.Mul(*factors))


@pytest.mark.parametrize("depth", [2, 12, 40])
def test_nested_chain_rule_is_verified_with_one_atom_per_layer(depth):
    verdict = decide(chain_rule(depth))
    assert verdict.status == "verified"
    assert len(verdict.theorem.certificate.atoms) == depth


def test_a_missing_layer_is_refused_by_the_kernel_and_refuted():
    prop = chain_rule(6, drop=3)
    atoms = tuple(equation_certificate(chain_rule(6)).atoms)
    with pytest.raises(KernelError):
        kernel.derivative(prop, DerivativeIdentity(atoms=atoms))
    assert decide(prop).status == "refuted"


#: certificates that name atoms the kernel must refuse, or whose identity is false
FALSE_ATOM_CERTIFICATES = {
    "a real symbol as a positive atom": (Prop(sp.Abs(x), "=", x), (x,)),
    "a non-σ term as an atom": (Prop(sp.Abs(sp.tanh(x)), "=", sp.tanh(x)), (sp.tanh(x),)),
    "σ of a term not known real": (Prop(sigma(z), "=", sigma(z) ** 2), (sigma(z),)),
    "atoms as a list": (Prop(sigma(sigma(x)), "=", sigma(sigma(x))), [sigma(sigma(x))]),
    "a false identity over atoms": (
        Prop(sigma_prime(sigma(x)), "=", sigma(sigma(x)) ** 2),
        (sigma(sigma(x)),),
    ),
    "an atom under a sum": (
        Prop(sp.Sum(sigma(sigma(k * x)), (k, 1, 3)), "=", 3 * sigma(sigma(x))),
        (sigma(sigma(x)),),
    ),
}


@pytest.mark.parametrize("name", FALSE_ATOM_CERTIFICATES)
def test_rational_identity_refuses_false_atom_certificates(name):
    prop, atoms = FALSE_ATOM_CERTIFICATES[name]
    with pytest.raises(KernelError):
        kernel.rational_identity(prop, RationalIdentity(atoms=atoms))


def test_sigma_prime_is_rewritten_only_for_listed_atoms():
    u = sigma(x)
    assert sp.expand(atomised(sigma_prime(x) - u * (1 - u), (u,))) == 0
    assert atomised(sigma_prime(x), (sigma(u),)) == sigma_prime(x)


def test_related_sigmas_fall_back_to_exponentials():
    prop = Prop(sigma(sigma(x)) + sigma(-sigma(x)), "=", sp.Integer(1))
    assert equation_certificate(prop).atoms == ()
    assert decide(prop).status == "verified"


def test_remembered_values_are_kept_apart_by_environment():
    body = sigma(sigma(k * x))
    total = sp.Sum(body, (k, 1, 3)) - 3 * body.subs(k, 1)
    low, high = interval.bounds(total, env={x: sp.Integer(1)})
    expected = sum(float(1 / (1 + sp.exp(-1 / (1 + sp.exp(-j))))) for j in (1, 2, 3))
    expected -= 3 * float(1 / (1 + sp.exp(-1 / (1 + sp.exp(-1)))))
    assert low <= expected + 1e-12 and expected - 1e-12 <= high and expected > 0.01
