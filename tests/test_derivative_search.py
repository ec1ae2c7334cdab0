"""Statements with a derivative, and equations under a defining assumption, through ``decide``.

The search proves ``D = d`` by the kernel's derivative rule, the statement with ``d`` in
place of ``D`` by the rest of the search, and joins them; only the kernel decides.
"""

from __future__ import annotations

import pickle

import pytest
import sympy as sp
from run_cli import prove_prop

from proofsheet import kernel
from proofsheet.kernel import Prop
from proofsheet.kernel.algebra import differentiated
from proofsheet.kernel.certificates import DerivativeIdentity
from proofsheet.kernel.errors import KernelError
from proofsheet.search import derivatives
from proofsheet.search.decide import decide
from proofsheet.search.tactics import check_plan, checked_plan, equation_certificate

x, y = sp.Symbol("x", real=True), sp.Symbol("y", real=True)
SOFTMAX_CE = (
    "diff(-y_1*log(exp(z_1)/(exp(z_1) + exp(z_2))) - (1 - y_1)*log(exp(z_2)/"
    "(exp(z_1) + exp(z_2))), z_1) <= -y_1 + exp(z_1)/(exp(z_1) + exp(z_2))"
)
DEFINED = "1 - y = ybar, 1 - yhat = yhatbar, y > 0, ybar > 0, yhat > 0, yhatbar > 0"


def rules(theorem: kernel.Theorem) -> set[str]:
    return {theorem.rule}.union(*(rules(p) for p in theorem.premises))


TRUE_WITH_DERIVATIVES = [
    ("diff(tanh(x), x) > 0", ""),
    ("diff(tanh(x), x) <= 1", ""),
    ("diff(tanh(-x), x) <= 1", ""),
    ("diff(sigma(x), x) > 0", ""),
    ("diff(sigma(x), x) <= 1/4", ""),
    ("abs(diff(sigma(x), x)) <= 1/4", ""),
    ("abs(diff(sigma(x + 1), x)) <= 1/4", ""),
    ("diff(log(sigma(x)), x) > 0", ""),
    ("diff(log(sigma(x)), x) <= 1 - sigma(x)", ""),
    ("diff(log(1 - sigma(x)), x) <= -sigma(x)", ""),
    ("diff(x, x) > 0", ""),
    ("diff(exp(x), x) <= exp(x)", ""),
    ("diff(sigma(x), x) >= sigma'(x)", ""),
    ("diff(log(1 + exp(z)), z) <= sigma(z)", ""),
    ("diff(log(abs(x)), x) = 1/x", ""),
    ("diff(abs(x), x) = 1", "x > 0"),
    ("diff(abs(x), x) = -1", "x < 0"),
    ("diff(abs(-x), x) = 1", "x > 0"),
    ("diff(abs(x), x)^2 = 1", ""),
    ("diff(abs(x), x) = x/abs(x)", ""),
    (SOFTMAX_CE, ""),
]

FALSE_WITH_DERIVATIVES = [
    ("diff(abs(x), x) = 1", ""),
    ("diff(sigma(x), x) < 1/4", ""),
    ("diff(tanh(x), x) < 1", ""),
    ("diff(abs(x), x) > 0", ""),
    ("diff(abs(x), x) = 1", "x > -1"),
    ("diff(abs(x), x) = -1", "x < 1"),
    ("diff(log(sigma(x)), x) <= -sigma(x)", ""),
    ("diff(exp(x), x) < exp(x)", ""),
]


@pytest.mark.parametrize("text, assume", TRUE_WITH_DERIVATIVES)
def test_a_true_statement_with_a_derivative_is_verified_through_the_derivative_rule(text, assume):
    verdict = decide(*prove_prop(text, assume), seconds=10)
    assert verdict.status == "verified", verdict.reason
    assert "derivative" in rules(verdict.theorem)


@pytest.mark.parametrize("text, assume", FALSE_WITH_DERIVATIVES)
def test_a_false_statement_with_a_derivative_is_never_verified(text, assume):
    assert decide(*prove_prop(text, assume), seconds=10).status != "verified"


@pytest.mark.parametrize(
    "body, value",
    [
        (sp.Abs(x), x / sp.Abs(x)),  # |x|' needs x ≠ 0: sign(x) is x/|x|
        (sp.log(sp.Abs(x)), 1 / x),
        (x * sp.sign(y), sp.sign(y)),  # d/dx needs nothing of y: sign(y) stays
    ],
)
def test_sign_is_read_as_u_over_abs_u_only_where_the_derivative_needs_u_nonzero(body, value):
    assert sp.simplify(differentiated(sp.Derivative(body, x)) - value) == 0
    assert differentiated(sp.Derivative(body, x)).has(sp.sign) == value.has(sp.sign)


ABS_PRIME = sp.Derivative(sp.Abs(x), x)


@pytest.mark.parametrize(
    "lhs, rhs, accepted",
    [
        (ABS_PRIME**2, sp.Integer(1), True),  # true wherever |x|' exists (x ≠ 0)
        (ABS_PRIME, x / sp.Abs(x), True),
        (ABS_PRIME * sp.Abs(x), x, True),
        (ABS_PRIME, sp.Integer(1), False),  # false for x < 0
        (ABS_PRIME, sp.Integer(0), False),  # sign(0) = 0 must not stand for |x|'
        (ABS_PRIME**2, sp.Integer(0), False),
    ],
)
def test_the_derivative_rule_reads_abs_prime_only_where_it_exists(lhs, rhs, accepted):
    def prove():
        return kernel.derivative(Prop(lhs, "=", rhs), DerivativeIdentity())

    if accepted:
        assert prove().rule == "derivative"
    else:
        with pytest.raises(KernelError):
            prove()


def test_a_derivative_plan_is_plain_data_that_survives_a_pickle():
    prop, assumptions = prove_prop("diff(sigma(x), x) <= 1/4")
    plan = derivatives.derivative_plan(prop, assumptions, checked_plan, equation_certificate)
    again = pickle.loads(pickle.dumps(plan))
    assert again == plan and check_plan(prop, again, assumptions).prop == prop


def test_a_plan_that_lies_about_the_derivative_value_is_rejected_by_the_kernel():
    prop, assumptions = prove_prop("diff(sigma(x), x) <= 1/4")
    plan = derivatives.derivative_plan(prop, assumptions, checked_plan, equation_certificate)
    ((d, _value, cert),) = plan.values
    lying = derivatives.Differentiated(((d, sp.Rational(1, 8), cert),), plan.plan)
    with pytest.raises(KernelError):
        check_plan(prop, lying, assumptions)


def test_the_statement_is_not_claimed_where_the_derivative_does_not_exist():
    prop, assumptions = prove_prop("diff(abs(x), x) = 1", "x > 0")
    theorem = decide(prop, assumptions, seconds=10).theorem
    assert set(theorem.assumptions) <= set(assumptions) and assumptions


EQUATIONS_UNDER_DEFINITIONS = [
    ("-y*log(yhat) - (1 - y)*log(1 - yhat) = -y*log(yhat) - ybar*log(1 - yhat)", DEFINED),
    ("-y*log(yhat) - ybar*log(1 - yhat) = -y*log(yhat) - ybar*log(yhatbar)", DEFINED),
    ("-y*log(y) - (1 - y)*log(1 - y) = -y*log(y) - ybar*log(ybar)", "1 - y = ybar, y > 0"),
    ("x + y = 3", "x = 1, y = 2"),
]


@pytest.mark.parametrize("text, assume", EQUATIONS_UNDER_DEFINITIONS)
def test_an_equation_under_a_defining_assumption_is_verified_with_a_witness(text, assume):
    verdict = decide(*prove_prop(text, assume), seconds=10)
    assert verdict.status == "verified", verdict.reason
    assert "assumption" in rules(verdict.theorem) and verdict.witness is not None


@pytest.mark.parametrize(
    "text, assume",
    [
        ("x + y = 4", "x = 1, y = 2"),
        ("a = b + 1", "a = b"),
        ("-y*log(yhat) - ybar*log(1 - yhat) = -y*log(yhat) - y*log(yhatbar)", DEFINED),
    ],
)
def test_a_false_equation_under_a_defining_assumption_is_never_verified(text, assume):
    assert decide(*prove_prop(text, assume), seconds=10).status != "verified"


_IMPLIES = {
    "positive": {"positive", "nonnegative", "nonzero"},
    "nonnegative": {"nonnegative"},
    "nonzero": {"nonzero"},
}


def _core(expr: sp.Expr) -> sp.Expr:
    return expr.args[0] if isinstance(expr, sp.Abs) else expr


@pytest.mark.parametrize("text, assume", TRUE_WITH_DERIVATIVES)
def test_the_middle_statement_needs_no_condition_the_statement_does_not(text, assume):
    """``chain`` says nothing where its middle term is undefined: the statement with the
    derivative's value in place must be defined wherever the statement is."""
    from proofsheet.kernel.domain import conditions

    prop, assumptions = prove_prop(text, assume)
    plan = derivatives.derivative_plan(prop, assumptions, checked_plan, equation_certificate)
    inner = derivatives.put_in(prop, [(d, value) for d, value, _cert in plan.values])
    have = {
        (k, _core(c.expr))
        for side in (prop.lhs, prop.rhs)
        for c in conditions(side)
        for k in _IMPLIES[c.kind]
    }
    for side in (inner.lhs, inner.rhs):
        for c in conditions(side):
            assert c.known() is True or (c.kind, _core(c.expr)) in have, str(c)
