"""Radicals and absolute values: denesting, squaring under a sign condition, |u| by the sign
of u, each checked by the kernel's equal-powers rule and root sign factor; false variants are
refuted or at least never verified; the rule and the factor refuse false inputs."""

from __future__ import annotations

import json

import pytest
import sympy as sp

from proofsheet import kernel
from proofsheet.kernel import Prop
from proofsheet.kernel.certificates import (
    ROOT,
    IntervalCertificate,
    RationalIdentity,
    SignCertificate,
    SignTerm,
    Substitution,
)
from proofsheet.kernel.errors import KernelError
from proofsheet.parsing.statement import parse_assumptions, parse_statement
from proofsheet.record import describe, replay
from proofsheet.record.prooflog import proof_log
from proofsheet.search.decide import decide

x = sp.Symbol("x", real=True)
NONE = Substitution()
NOT_VERIFIED, NOT_REFUTED = "not verified", "not refuted"


def decided(text: str, assume: str = ""):
    parsed = parse_statement(text)
    stated = tuple(Prop(p.lhs, p.rel, p.rhs) for p in (parse_assumptions(assume) if assume else ()))
    return decide(Prop(parsed.lhs, parsed.rel, parsed.rhs, domain=parsed.domain), stated, 20)


#: (statement, assumptions, expected): verified, refuted, or at least not the wrong verdict
TARGETS = [
    ("sqrt(11+6*sqrt(2)) = 3+sqrt(2)", "", "verified"),
    ("sqrt(2+sqrt(3)) = (sqrt(6)+sqrt(2))/2", "", "verified"),
    ("sqrt(5+2*sqrt(6)) = sqrt(2)+sqrt(3)", "", "verified"),
    ("sqrt(x+2*sqrt(x-1)) = sqrt(x-1)+1", "", "verified"),
    ("1/sqrt(x) = sqrt(1/x)", "", "verified"),
    ("sqrt(x^2+2*x+1) = abs(x+1)", "", "verified"),
    ("sqrt(x^2+2*x+1) = x+1", "x > -1", "verified"),
    ("sqrt(x^2-2*x+1) = 1-x", "x <= 1", "verified"),
    ("abs(x-2) = x-2", "x > 2", "verified"),
    ("abs(x-1) = 1-x", "x < 1", "verified"),
    ("sqrt((x-2)^2) = x-2", "x > 2", "verified"),
    ("abs(x)+abs(x-1) = 2*x-1", "x > 1", "verified"),
    ("x^2 < 4", "abs(x) < 2", "verified"),
    ("1/(sqrt(3)-sqrt(2)) = sqrt(3)+sqrt(2)", "", "verified"),
    ("1/(1+sqrt(x)) = (1-sqrt(x))/(1-x)", "", "verified"),
    ("(x^3)^(1/3) = x", "", "verified"),  # odd power: no sign premises
    ("(x^3)^(1/3) = -x", "", "refuted"),
    ("sqrt(x^2-4) = sqrt(x-2)*sqrt(x+2)", "", "verified"),
    ("sqrt(a)*sqrt(a) = abs(a)", "", NOT_REFUTED),  # read as a = |a|: its domain is erased
    ("sqrt(x^2) = x", "", "refuted"),
    ("abs(x-2) = x-2", "", "refuted"),
    ("abs(x-2) = x-2", "x > 1", NOT_VERIFIED),
    ("sqrt(11+6*sqrt(2)) = 3-sqrt(2)", "", "refuted"),
    ("sqrt(2+sqrt(3)) = (sqrt(6)-sqrt(2))/2", "", "refuted"),
    ("sqrt(5-2*sqrt(6)) = sqrt(2)-sqrt(3)", "", "refuted"),
    ("sqrt(x+2*sqrt(x-1)) = sqrt(x-1)-1", "", "refuted"),
    ("sqrt(x^2+2*x+1) = x+1", "", "refuted"),
    ("sqrt(x^2+2*x+1) = x+1", "x > -2", NOT_VERIFIED),
    ("abs(x)+abs(x-1) = 2*x-1", "", "refuted"),
    ("abs(x)+abs(x-1) = 2*x-1", "x > 0", NOT_VERIFIED),
    ("x^2 < 4", "abs(x) < 3", "refuted"),
    ("1/(sqrt(3)-sqrt(2)) = sqrt(3)-sqrt(2)", "", "refuted"),
    ("1/(1+sqrt(x)) = (1+sqrt(x))/(1-x)", "", "refuted"),
    # a root as a factor of a sign certificate: |u| ≥ 0, never > 0
    ("abs(x-1)*sigma(x) >= 0", "", "verified"),
    ("abs(x - 1) >= 0", "", "verified"),
    ("abs(x-1)*sigma(x) > 0", "", "refuted"),
    ("-abs(x)*exp(x) >= 0", "", "refuted"),
]


@pytest.mark.parametrize("text, assume, expected", TARGETS)
def test_radical_and_abs_statements_get_the_expected_verdict(text, assume, expected):
    status = decided(text, assume).status
    if expected == NOT_VERIFIED:
        assert status != "verified"
    elif expected == NOT_REFUTED:
        assert status != "refuted"
    else:
        assert status == expected


# --- the kernel: equal powers ---------------------------------------------------------------


def squares(a, b):
    return kernel.rational_identity(Prop(a**2, "=", b**2), RationalIdentity())


def root_sign(e, hyps=()):
    cert = SignCertificate(NONE, (SignTerm(sp.Integer(1), ((ROOT, e),)),))
    return kernel.certified_sign(Prop(0, "<=", e), cert, hyps)


def assumed_nonnegative(e):
    return kernel.assume(Prop(0, "<=", e))


DENESTED = sp.sqrt(11 + 6 * sp.sqrt(2))


@pytest.mark.parametrize(
    "make, why",
    [
        (lambda: kernel.equal_powers(Prop(x, "=", -x), 2, squares(x, -x)), "0 ≤ a and 0 ≤ b"),
        (
            lambda: kernel.equal_powers(
                Prop(x, "=", -x), 2, squares(x, -x), *[assumed_nonnegative(x)] * 2
            ),
            "0 ≤ a and 0 ≤ b",
        ),
        (
            lambda: kernel.equal_powers(
                Prop(sp.Abs(x), "=", -x),
                2,
                squares(sp.Abs(x), x),
                root_sign(sp.Abs(x)),
                assumed_nonnegative(x),
            ),
            "0 ≤ a and 0 ≤ b",
        ),
        (lambda: kernel.equal_powers(Prop(x, "=", x + 1), 2, squares(x, x)), "premise is not"),
        (lambda: kernel.equal_powers(Prop(x, "<=", x), 2, squares(x, x)), "an equation"),
        (lambda: kernel.equal_powers(Prop(x, "=", x), True, squares(x, x)), "integer from 1"),
        (lambda: kernel.equal_powers(Prop(x, "=", x), 65, squares(x, x)), "integer from 1"),
        (
            lambda: kernel.equal_powers(
                Prop(x, "=", x),
                3,
                kernel.rational_identity(Prop(x**3, "=", x**3), RationalIdentity()),
                assumed_nonnegative(x),
            ),
            "odd power",
        ),
    ],
)
def test_equal_powers_refuses_a_false_input(make, why):
    with pytest.raises(KernelError, match=why):
        make()


def test_equal_powers_denests_a_closed_radical_from_interval_signs():
    b = 3 + sp.sqrt(2)
    signs = [kernel.interval_order(Prop(0, "<", e), IntervalCertificate()) for e in (DENESTED, b)]
    theorem = kernel.equal_powers(Prop(DENESTED, "=", b), 2, squares(DENESTED, b), *signs)
    assert (theorem.rule, theorem.assumptions) == ("equal-powers", ())


def test_equal_powers_keeps_the_sign_premises_assumptions():
    a, b = sp.Abs(x - 2), x - 2
    theorem = kernel.equal_powers(
        Prop(a, "=", b), 2, squares(a, b), root_sign(a), assumed_nonnegative(b)
    )
    assert theorem.assumptions == (Prop(0, "<=", x - 2),)


# --- the kernel: the root sign factor ---------------------------------------------------------


@pytest.mark.parametrize(
    "factor, hyps, ok",
    [
        (sp.Abs(x - 1), (), True),
        (sp.sqrt(x - 1), (), False),
        (sp.sqrt(x - 1), (Prop(0, "<=", x - 1),), True),
        (sp.sqrt(x - 1), (Prop(0, "<=", x),), False),
        (1 / sp.sqrt(x), (Prop(0, "<=", x),), False),
        (1 / sp.sqrt(x), (Prop(0, "<", x),), True),
        (x ** sp.Rational(1, 3), (Prop(0, "<=", x),), False),
        (x ** sp.Rational(3, 4), (Prop(0, "<=", x),), True),
        (sp.sqrt(1 / x), (Prop(0, "<=", 1 / x),), False),  # needs x ≠ 0, which no hyp says
        (x - 1, (Prop(0, "<=", x - 1),), False),  # not a root: that is a hyp factor
        (sp.sqrt(2), (), True),
    ],
)
def test_a_root_factor_needs_its_domain_conditions_assumed(factor, hyps, ok):
    if ok:
        assert root_sign(factor, hyps).prop == Prop(0, "<=", factor)
    else:
        with pytest.raises(KernelError, match="not justified"):
            root_sign(factor, hyps)


def test_a_root_factor_squared_outside_its_domain_proves_nothing():
    cert = SignCertificate(NONE, (SignTerm(sp.Integer(1), ((ROOT, sp.sqrt(-x)),) * 2),))
    with pytest.raises(KernelError):
        kernel.certified_sign(Prop(0, "<=", -x), cert)


# --- the proof log ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, assume",
    [
        ("sqrt(11+6*sqrt(2)) = 3+sqrt(2)", ""),
        ("abs(x)+abs(x-1) = 2*x-1", "x > 1"),
        ("sqrt(x+2*sqrt(x-1)) = sqrt(x-1)+1", ""),
    ],
)
def test_a_radical_proof_replays_from_its_log_and_is_described(text, assume):
    verdict = decided(text, assume)
    log = json.loads(json.dumps(proof_log([(text, verdict.theorem)])))
    assert replay.replay(log)[text].prop == verdict.prop
    assert "raised to the power 2" in describe.describe_theorem(verdict.theorem)
