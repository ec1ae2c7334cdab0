"""The kernel's logarithms: split only into pieces known positive, never by a sign guess.

A theorem holds where both of its sides are real and defined; the normal form may split
``log(a·b)`` into ``log a + log b`` only when, wherever ``a·b > 0``, both pieces are
positive (exponential monomials, positive polynomials, ``|u|``, even powers).
"""

from __future__ import annotations

import pytest
import sympy as sp

from proofsheet import kernel
from proofsheet.kernel import Prop
from proofsheet.kernel.algebra import split_log
from proofsheet.kernel.certificates import RationalIdentity, Substitution
from proofsheet.kernel.errors import KernelError
from proofsheet.kernel.notation import sigma
from proofsheet.parsing.statement import parse_statement
from proofsheet.search.decide import decide
from proofsheet.search.tactics import find_substitution

x, y = sp.Symbol("x", real=True), sp.Symbol("y", real=True)
t = sp.Symbol("t", positive=True)
EXP_MINUS_X = Substitution(((t, -x),))  # t = e^(−x)


def statement(text: str) -> Prop:
    parsed = parse_statement(text)
    return Prop(parsed.lhs, parsed.rel, parsed.rhs, domain=parsed.domain)


def identity(prop: Prop) -> kernel.Theorem:
    return kernel.rational_identity(prop, RationalIdentity(find_substitution(prop.lhs, prop.rhs)))


@pytest.mark.parametrize(
    "arg, split",
    [
        (t**3 * (1 + t), 3 * (-x) + sp.log(1 + t)),  # log t = −x; 1 + t > 0
        (x**2, 2 * sp.log(sp.Abs(x))),  # even power: |x|, never x
        (x**2 * y, 2 * sp.log(sp.Abs(x)) + sp.log(y)),  # y alone is positive where x²y is
        (x * y, sp.log(x * y)),  # signs unknown: stays whole
        ((x - 1) * (x - 2), sp.log((x - 1) * (x - 2))),
        (sp.Integer(12), 2 * sp.log(2) + sp.log(3)),
        (sp.Abs(x) * (x - 1), sp.log(sp.Abs(x)) + sp.log(x - 1)),
        (-(x**2), sp.log(-(x**2))),  # negative sign: nothing split
        (1 / (1 + t) ** 2, -2 * sp.log(1 + t)),
        ((x - 1) ** -3, -3 * sp.log(x - 1)),  # odd power alone: positive where x > 1
        ((x**2 - x) / (x - 1), sp.log(x)),  # a common factor cancels
    ],
)
def test_split_log_splits_only_positive_pieces(arg, split):
    assert sp.expand(split_log(arg, EXP_MINUS_X) - split) == 0


TRUE_LOG_IDENTITIES = [
    "log(sigma(x)/(1 - sigma(x))) = x",
    "log(1 - sigma(x)) = -log(1 + exp(x))",
    "log(sigma(x)) - log(sigma(-x)) = x",
    "log(1 + exp(x)) = x + log(1 + exp(-x))",
    "-log(1 - sigma(z)) = log(1 + exp(z))",
    "-y*log(sigma(z)) - (1 - y)*log(1 - sigma(z)) = log(1 + exp(z)) - y*z",
    "log(x^2) = 2*log(abs(x))",
    "log(x^2)/2 = log(abs(x))",
    "log((-x)^2)/2 = log(abs(x))",
    "log(sigma'(x)) = log(sigma(x)) + log(1 - sigma(x))",
    "-log(sigma(sigma(-1) - sigma(0) + sigma(1))) = -log(sigma(1/2))",
    "log(4) = 2*log(2)",
]


@pytest.mark.parametrize("text", TRUE_LOG_IDENTITIES)
def test_a_true_log_identity_is_a_rational_identity_of_the_kernel(text):
    assert identity(statement(text)).rule == "rational-identity"


@pytest.mark.parametrize("text", TRUE_LOG_IDENTITIES)
def test_a_true_log_identity_is_verified_by_decide(text):
    assert decide(statement(text), seconds=10).status == "verified"


#: identities a careless split would accept. The first three hold only where their right side
#: restricts the sign (x > 0), so the identity rule, which assumes no sign, must refuse them;
#: the others are false at points where both sides are defined.
CARELESS = [
    (sp.log(x * y), sp.log(x) + sp.log(y)),
    (sp.log(x**2), 2 * sp.log(x)),
    (sp.log((x - 1) * (x - 2)), sp.log(x - 1) + sp.log(x - 2)),
    (sp.log(x**3), 3 * sp.log(sp.Abs(x))),
    (x * sp.log(x**2), 2 * sp.Abs(x) * sp.log(sp.Abs(x))),  # false at x = −2
    (sp.log(1 - sigma(x)), -sp.log(1 + sp.exp(-x))),  # false at x = 0
    (sp.log(sp.Integer(4)), 3 * sp.log(2)),
    (sp.log(x**2 * (x - 1)), 2 * sp.log(x) + sp.log(x - 1)),
]


@pytest.mark.parametrize("lhs, rhs", CARELESS)
def test_the_identity_rule_rejects_what_a_careless_log_split_would_accept(lhs, rhs):
    with pytest.raises(KernelError):
        identity(Prop(lhs, "=", rhs))


@pytest.mark.parametrize(
    "text",
    [
        "log(1 - sigma(x)) = -log(1 + exp(-x))",
        "x*log(x^2) = 2*abs(x)*log(abs(x))",
        "log(x^2) = 2*log(abs(x)) + 1",
        "log(sigma(x)/(1 - sigma(x))) = -x",
    ],
)
def test_a_false_log_identity_is_not_verified(text):
    assert decide(statement(text), seconds=10).status != "verified"


@pytest.mark.parametrize("text", ["log(x^2) = 2*log(x)", "log(x*y) = log(x) + log(y)"])
def test_an_identity_true_only_where_its_logs_are_defined_rests_on_their_domain(text):
    verdict = decide(statement(text), seconds=10)
    assert verdict.status == "verified" and verdict.theorem.rule != "rational-identity"
    assert Prop(0, "<", x) in verdict.theorem.assumptions
