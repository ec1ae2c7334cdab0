"""The Positivstellensatz search and the sign search's cheap readings: true statements are
verified through the public path with certificates the kernel re-checks; false neighbours are
not; a tampered certificate is rejected."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest
import sympy as sp

from proofsheet import kernel
from proofsheet.kernel import Prop
from proofsheet.kernel.certificates import HYP, SignCertificate, SignTerm, Substitution
from proofsheet.kernel.errors import KernelError
from proofsheet.parsing.statement import parse_assumptions, parse_statement
from proofsheet.search.decide import decide
from proofsheet.search.positivstellensatz import hypothesis_certificate, solve_nonnegative
from proofsheet.search.tactics import find_substitution


def parsed(text: str) -> tuple[Prop, tuple[Prop, ...]]:
    """``"statement | assumption, assumption"`` as the command line reads it."""
    statement, _bar, assumed = text.partition(" | ")
    p = parse_statement(statement)
    assumptions = tuple(
        Prop(a.lhs, a.rel, a.rhs, domain=a.domain)
        for part in filter(None, [assumed])
        for a in parse_assumptions(part)
    )
    return Prop(p.lhs, p.rel, p.rhs, domain=p.domain), assumptions


def substitution(prop: Prop, assumptions: tuple[Prop, ...]) -> Substitution:
    return find_substitution(prop.lhs, prop.rhs, *(s for a in assumptions for s in (a.lhs, a.rhs)))


TRUE = [
    "x^2 + 1 > 0",
    "(x + 1)^2 + 1 > 0",
    "x^4 + 1 > 0",
    "(-x)^2 + 1 > 0",
    "0 <= 0",
    "1 <= 1",
    "log(1) >= 0",
    "exp(0) <= 1",
    "log(x) - log(x) >= 0",
    "(x - x)^2 >= 0",
    "x^2 <= 1 + 0.01 | -1 <= x <= 1",
    "x^4 <= x | 0 <= x <= 1",
    "x*y <= 0 + 0.01 | x <= 0, y >= 0",
    "x/y >= 0 | x <= 0, y <= 0",
    "1/x >= 1/y | 0 < x <= y",
    "x <= y + 0.01 | y >= x",
    "(t - 1)/t <= 0 + 0.01 | 0 < t <= 1",
    "x^3 <= 0 + 0.01 | x <= 0",
    "x*y <= 1 | 0 <= x <= 1, 0 <= y <= 1",
    "(sigma(z) - y)^2 < 1 | 0 <= y <= 1",
    "c*sigma(x)*sigma'(y) <= c/4 | c >= 0",
    "sigma'(x)*sigma'(y) <= 1/16",
    "sigma'(x) <= 1/4 + 0.01",
    "sigma'(x)^2 <= 1/16 + 0.01",
    "sigma(x)*sigma'(-y) < 1/4",
]

#: true where defined: proved for a fresh non-negative symbol standing for x, then put back
ON_DOMAIN = ["sqrt(x) <= (1 + x)/2", "sqrt(x) <= 1 + x", "sqrt(x) <= (1 + x)/2 + 0.01"]

FALSE = [
    "x^2 <= 1 | -2 <= x <= 1",
    "1/x >= 1/y | 0 < y <= x",
    "x^2 + 1 > 1",
    "x^4 <= x | 0 <= x <= 2",
    "x*y <= 0 | x <= 0, y <= 0",
    "x/y >= 0 | x <= 0, y >= 0",
    "x <= y | y >= x - 1",
    "(t - 1)/t <= 0 | 0 < t <= 2",
    "x^3 <= 0 | x <= 1",
    "sigma'(x) <= 1/5",
    "sigma'(x)*sigma'(y) <= 1/17",
    "c*sigma(x)*sigma'(y) <= c/5 | c >= 0",
    "sigma(x)*sigma'(-y) < 1/5",
    "sqrt(x) <= x/2",
    "sqrt(x) <= (1 + x)/3",
]

#: statements that hold once lemmas (0 < σ' ≤ 1/4, 0 < σ < 1) are given as hypotheses
WITH_LEMMAS = [
    "sigma'(x)*sigma'(y) <= 1/16 | 0 < sigma'(x), sigma'(x) <= 1/4, 0 < sigma'(y), "
    "sigma'(y) <= 1/4",
    "c*sigma(x)*sigma'(y) <= c/4 | c >= 0, 0 < sigma'(y), sigma'(y) <= 1/4, 0 < sigma(x), "
    "sigma(x) < 1",
    "sigma'(x) < 1/2 | 0 < sigma'(x), sigma'(x) <= 1/4",
]


@pytest.mark.parametrize("text", TRUE)
def test_a_true_statement_is_verified_by_a_sign_certificate_the_kernel_rechecks(text):
    prop, assumptions = parsed(text)
    verdict = decide(prop, assumptions, seconds=10)
    assert verdict.status == "verified", verdict.reason
    assert verdict.theorem.rule == "certified-sign"
    again = kernel.check(prop, verdict.theorem.certificate, assumptions)
    assert again.prop == prop and set(again.assumptions) <= set(assumptions)


@pytest.mark.parametrize("text", ON_DOMAIN)
def test_a_statement_true_on_its_domain_is_verified_for_a_non_negative_stand_in(text):
    prop, assumptions = parsed(text)
    verdict = decide(prop, assumptions, seconds=10)
    assert verdict.status == "verified", verdict.reason
    assert verdict.theorem.prop == prop and verdict.theorem.rule == "instantiate-under"


@pytest.mark.parametrize("text", FALSE)
def test_a_false_neighbour_is_not_verified(text):
    prop, assumptions = parsed(text)
    assert decide(prop, assumptions, seconds=10).status != "verified"
    assert hypothesis_certificate(prop, assumptions, substitution(prop, assumptions), 4) is None


@pytest.mark.parametrize("text", WITH_LEMMAS)
def test_lemma_statements_as_hypotheses_give_a_certificate_the_kernel_accepts(text):
    prop, hypotheses = parsed(text)
    cert = hypothesis_certificate(prop, hypotheses, substitution(prop, hypotheses), degree=3)
    assert cert is not None
    theorem = kernel.check(prop, cert, hypotheses)
    assert theorem.rule == "certified-sign" and theorem.prop == prop


def test_without_usable_hypotheses_the_search_gives_up_at_once():
    prop, _none = parsed("x^2 + 1 > 0")
    assert hypothesis_certificate(prop, ()) is None
    assert hypothesis_certificate(prop, (Prop(prop.lhs, "=", prop.lhs),)) is None


def _scaled(cert: SignCertificate) -> SignCertificate:
    first = cert.terms[0]
    return replace(cert, terms=(replace(first, coeff=first.coeff + 1), *cert.terms[1:]))


def _dropped(cert: SignCertificate) -> SignCertificate:
    return replace(cert, terms=cert.terms[:-1])


def _unfounded(cert: SignCertificate) -> SignCertificate:
    """The same terms, with a hypothesis factor no assumption gives."""
    x = sp.Symbol("x", real=True)
    return replace(cert, terms=(*cert.terms, SignTerm(sp.Integer(0), ((HYP, x - 7),))))


TAMPERINGS = [_scaled, _dropped, _unfounded]


@pytest.mark.parametrize("tamper", TAMPERINGS, ids=lambda f: f.__name__.strip("_"))
@pytest.mark.parametrize("text", ["x^2 <= 1 + 0.01 | -1 <= x <= 1", "1/x >= 1/y | 0 < x <= y"])
def test_a_tampered_certificate_is_rejected_by_the_kernel(text, tamper):
    prop, assumptions = parsed(text)
    cert = hypothesis_certificate(prop, assumptions, substitution(prop, assumptions))
    kernel.check(prop, cert, assumptions)
    with pytest.raises(KernelError):
        kernel.check(prop, tamper(cert), assumptions)


def test_a_strict_statement_needs_a_strictly_positive_term():
    weak, assumptions = parsed("-x >= 0 | x <= 0")
    cert = hypothesis_certificate(weak, assumptions)
    kernel.check(weak, cert, assumptions)
    strict, _same = parsed("-x > 0 | x <= 0")
    assert hypothesis_certificate(strict, assumptions) is None
    with pytest.raises(KernelError, match="strictly positive"):
        kernel.check(strict, cert, assumptions)


F = Fraction
LINEAR_PROGRAMS = [  # a, b, marked, whether some x >= 0 solves it
    ([[F(1), F(-1)], [F(0), F(1)]], [F(1, 3), F(1)], None, True),
    ([[F(1), F(1)]], [F(-1)], None, False),
    ([[F(1), F(1), F(0)], [F(0), F(1), F(1)]], [F(1), F(1)], [False, False, True], True),
    ([[F(1), F(1)]], [F(0)], [True, False], False),
    ([[F(1), F(1), F(0)], [F(0), F(1), F(1)]], [F(50), F(70)], [False, True, False], True),
    (
        [[F(2), F(3), F(5)], [F(1), F(-1), F(0)], [F(1), F(1), F(1)]],
        [F(10), F(0), F(3)],
        None,
        True,
    ),
]


@pytest.mark.parametrize("a, b, marked, solvable", LINEAR_PROGRAMS)
def test_the_linear_program_answer_is_exact_and_non_negative(a, b, marked, solvable):
    x = solve_nonnegative(a, b, marked)
    assert (x is not None) == solvable
    if x is not None:
        assert all(isinstance(v, Fraction) and v >= 0 for v in x)
        assert [sum(c * v for c, v in zip(row, x)) for row in a] == b
        assert marked is None or any(v > 0 for v, m in zip(x, marked) if m)
