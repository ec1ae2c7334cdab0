"""Every kernel rule accepts a true certificate and rejects a false one."""

from __future__ import annotations

import pytest
import sympy as sp

from proofsheet import kernel
from proofsheet.kernel import Prop
from proofsheet.kernel.certificates import (
    DerivativeIdentity,
    IntervalCertificate,
    RationalIdentity,
    SignCertificate,
    SignTerm,
    Substitution,
)
from proofsheet.kernel.errors import KernelError, ShapeError
from proofsheet.kernel.notation import sigma, sigma_prime

x = sp.Symbol("x", real=True)
s = sp.Symbol("s", real=True)
t = sp.Symbol("t", positive=True)
n = sp.Symbol("n", integer=True, positive=True)
k = sp.Symbol("k", integer=True)
u = sp.IndexedBase("u", real=True)
T = Substitution(((t, -x),))
Q = sp.Rational(1, 4)


def square_term(e, coeff=1, *more):
    return SignTerm(sp.Rational(coeff), (("square", e), *more))


CHECKS_ACCEPTED = [
    ("complement", Prop(1 - sigma(x), "=", sigma(-x)), RationalIdentity(T), ()),
    (
        "derivative",
        Prop(sp.Derivative(sigma(x), x), "=", sigma(x) * (1 - sigma(x))),
        DerivativeIdentity(T),
        (),
    ),
    (
        "sigma-prime unfolds",
        Prop(sigma_prime(x), "=", sp.exp(-x) / (1 + sp.exp(-x)) ** 2),
        RationalIdentity(T),
        (),
    ),
    (
        "square",
        Prop(s * (1 - s), "<=", Q),
        SignCertificate(Substitution(), (square_term(s - Q * 2),)),
        (),
    ),
    (
        "square in t",
        Prop(sigma_prime(x), "<=", Q),
        SignCertificate(T, (square_term(t - 1, Q, ("inv", (1 + t) ** 2)),)),
        (),
    ),
    (
        "strict positive",
        Prop(0, "<", sigma_prime(x)),
        SignCertificate(T, (SignTerm(sp.Integer(1), (("pos", t), ("inv", (1 + t) ** 2))),)),
        (),
    ),
    (
        "hypotheses",
        Prop(0, "<=", s * (1 - s)),
        SignCertificate(Substitution(), (SignTerm(sp.Integer(1), (("hyp", s), ("hyp", 1 - s))),)),
        (Prop(0, "<", s), Prop(s, "<", 1)),
    ),
    (
        "interval",
        Prop(sigma(sp.Rational(1, 2)), "<", sp.Rational(63, 100)),
        IntervalCertificate(),
        (),
    ),
    (
        "inverse of a strict hypothesis",
        Prop(0, "<", 1 / s),
        SignCertificate(Substitution(), (SignTerm(sp.Integer(1), (("inv-hyp", s),)),)),
        (Prop(0, "<", s),),
    ),
]

CHECKS_REJECTED = [
    ("sign not flipped", Prop(sigma(-x), "=", 1 / (1 + sp.exp(-x))), RationalIdentity(T), ()),
    (
        "inverse of a sum split",
        Prop(1 / (1 + sp.exp(-x)), "=", 1 + sp.exp(x)),
        RationalIdentity(T),
        (),
    ),
    (
        "substitution symbol not fresh",
        Prop(t * sigma(x), "=", t * sigma(x)),
        RationalIdentity(T),
        (),
    ),
    (
        "substitution not exp of c*v",
        Prop(sigma(x), "=", sigma(x)),
        RationalIdentity(Substitution(((t, x**2),))),
        (),
    ),
    (
        "wrong derivative",
        Prop(sp.Derivative(sigma(x), x), "=", sigma(x) * (1 + sigma(x))),
        DerivativeIdentity(T),
        (),
    ),
    (
        "derivative with an inequality",
        Prop(sp.Derivative(sigma(x), x), "<=", Q),
        DerivativeIdentity(T),
        (),
    ),
    (
        "bound 1/5 with a square",
        Prop(s * (1 - s), "<=", sp.Rational(1, 5)),
        SignCertificate(Substitution(), (square_term(s - Q * 2),)),
        (),
    ),
    (
        "negative coefficient",
        Prop(s * (1 - s), "<=", Q),
        SignCertificate(Substitution(), (SignTerm(sp.Integer(-1), (("square", s),)),)),
        (),
    ),
    (
        "non-positive 'pos' factor",
        Prop(0, "<", s),
        SignCertificate(Substitution(), (SignTerm(sp.Integer(1), (("pos", s),)),)),
        (),
    ),
    (
        "hypothesis not assumed",
        Prop(0, "<=", s * (1 - s)),
        SignCertificate(Substitution(), (SignTerm(sp.Integer(1), (("hyp", s), ("hyp", 1 - s))),)),
        (),
    ),
    (
        "inverse of a non-strict hypothesis",
        Prop(0, "<=", 1 / s),
        SignCertificate(Substitution(), (SignTerm(sp.Integer(1), (("inv-hyp", s),)),)),
        (Prop(0, "<=", s),),
    ),
    (
        "strict from squares only",
        Prop(s * (1 - s), "<", Q),
        SignCertificate(Substitution(), (square_term(s - Q * 2),)),
        (),
    ),
    (
        "interval wrong way",
        Prop(sigma(sp.Rational(1, 2)), "<", sp.Rational(62, 100)),
        IntervalCertificate(),
        (),
    ),
    ("interval with a variable", Prop(sigma(x), "<", 1), IntervalCertificate(), ()),
]


@pytest.mark.parametrize(
    "name, prop, cert, assumptions", CHECKS_ACCEPTED, ids=[c[0] for c in CHECKS_ACCEPTED]
)
def test_kernel_accepts_a_true_certificate(name, prop, cert, assumptions):
    theorem = kernel.check(prop, cert, assumptions)
    assert theorem.prop == prop


@pytest.mark.parametrize(
    "name, prop, cert, assumptions", CHECKS_REJECTED, ids=[c[0] for c in CHECKS_REJECTED]
)
def test_kernel_rejects_a_false_certificate(name, prop, cert, assumptions):
    with pytest.raises(KernelError):
        kernel.check(prop, cert, assumptions)


def proved(prop, cert=None, assumptions=()):
    return kernel.check(prop, cert or RationalIdentity(T), assumptions)


def test_nobody_outside_the_kernel_can_make_a_theorem():
    with pytest.raises(KernelError):
        kernel.Theorem(Prop(x, "=", x + 1), (), "trust-me", None, ())


def test_theorems_cannot_be_smuggled_through_pickle():
    import pickle

    with pytest.raises(KernelError):
        pickle.dumps(proved(Prop(1 - sigma(x), "=", sigma(-x))))


def test_chain_links_equal_then_inequality_into_an_inequality():
    a = proved(Prop(sigma_prime(x), "=", sigma(x) * (1 - sigma(x))))
    b = kernel.check(
        Prop(sigma(x) * (1 - sigma(x)), "<=", Q),
        SignCertificate(T, (square_term(t - 1, Q, ("inv", (1 + t) ** 2)),)),
    )
    assert kernel.chain(a, b).prop == Prop(sigma_prime(x), "<=", Q)


@pytest.mark.parametrize(
    "second",
    [
        Prop(sigma(x), "=", sigma(x)),  # middle terms differ
        Prop(sigma(x) * (1 - sigma(x)), ">=", 0),  # directions mix
    ],
)
def test_chain_rejects_links_that_do_not_fit(second):
    first = kernel.check(
        Prop(sigma_prime(x), "<=", Q),
        SignCertificate(T, (square_term(t - 1, Q, ("inv", (1 + t) ** 2)),)),
    )
    other = kernel.assume(second)
    with pytest.raises(KernelError):
        kernel.chain(first, other)


def test_monotone_product_multiplies_bounds_and_rejects_a_missing_sign():
    a, b = sp.Symbol("a", real=True), sp.Symbol("b", real=True)
    hyps = [
        kernel.assume(p)
        for p in (Prop(0, "<=", a), Prop(a, "<=", Q), Prop(0, "<=", b), Prop(b, "<=", Q))
    ]
    assert kernel.monotone_product(*hyps).prop == Prop(a * b, "<=", Q * Q)
    wrong = kernel.assume(Prop(-1, "<=", b))
    with pytest.raises(KernelError):
        kernel.monotone_product(hyps[0], hyps[1], wrong, hyps[3])


def _bound_claim(m):
    return Prop(sp.Product(sigma_prime(u[k]), (k, 1, m)), "<=", Q**m)


def test_product_peel_is_the_definition_of_the_product_and_rejects_a_sum():
    peel = kernel.product_peel(sp.Product(sigma_prime(u[k]), (k, 1, n + 1)))
    assert peel.prop.rhs == sp.Product(sigma_prime(u[k]), (k, 1, n)) * sigma_prime(u[n + 1])
    with pytest.raises(KernelError):
        kernel.product_peel(sp.Sum(u[k], (k, 1, n)))


def test_induction_rejects_a_step_for_the_wrong_claim():
    base = kernel.assume(_bound_claim(1))
    wrong_step = kernel.assume(_bound_claim(n + 2))
    with pytest.raises(KernelError):
        kernel.induction(_bound_claim(n), n, 1, base, wrong_step)


def test_induction_rejects_a_base_case_at_the_wrong_start():
    base = kernel.assume(_bound_claim(2))
    step = kernel.assume(_bound_claim(n + 1))
    with pytest.raises(KernelError):
        kernel.induction(_bound_claim(n), n, 1, base, step)


@pytest.mark.parametrize(
    "variable, value",
    [
        (x, sp.I),  # not real
        (n, sp.Rational(1, 2)),  # not an integer
    ],
)
def test_instantiate_rejects_values_that_break_the_variables_assumptions(variable, value):
    theorem = (
        proved(Prop(1 - sigma(x), "=", sigma(-x)))
        if variable == x
        else kernel.assume(Prop(n, "=", n))
    )
    with pytest.raises(KernelError):
        kernel.instantiate(theorem, variable, value)


def test_entrywise_rejects_a_shape_mismatch():
    with pytest.raises(ShapeError):
        kernel.entrywise(sp.Matrix([[x, x]]), sp.Matrix([[x], [x]]), ())
    with pytest.raises(ShapeError):
        kernel.matmul(sp.Matrix([[1, 2]]), sp.Matrix([[1, 2]]))


def test_entrywise_rejects_entries_for_other_matrices():
    entry = proved(Prop(1 - sigma(x), "=", sigma(-x)))
    with pytest.raises(KernelError):
        kernel.entrywise(sp.Matrix([[1 - sigma(x)]]), sp.Matrix([[sigma(x)]]), (entry,))


def test_refute_gives_both_values_and_rejects_a_point_where_the_relation_holds():
    r = kernel.refute(Prop(sigma(-x), "=", 1 / (1 + sp.exp(-x))), {x: sp.Integer(1)})
    assert r.lhs_value.startswith("0.268941421369995") and r.rhs_value.startswith(
        "0.731058578630004"
    )
    with pytest.raises(KernelError):
        kernel.refute(Prop(sigma(-x), "=", 1 - sigma(x)), {x: sp.Integer(1)})


def test_refute_rejects_a_point_outside_the_assumptions():
    with pytest.raises(KernelError):
        kernel.refute(
            Prop(s * (1 - s), ">=", 0), {s: sp.Integer(2)}, (Prop(0, "<", s), Prop(s, "<", 1))
        )


def test_refute_rejects_a_point_where_a_product_range_runs_backwards():
    i, D = sp.Symbol("i", integer=True), sp.Symbol("D", integer=True)
    claim = Prop(sp.Product(sigma_prime(u[k]), (k, i, D)), "<=", Q ** (D - i + 1))
    # at D = i − 3 SymPy's convention makes the product 1/(σ'σ'), which exceeds 4² —
    # but no reader means that
    with pytest.raises(KernelError):
        kernel.refute(claim, {i: sp.Integer(3), D: sp.Integer(0), u.label: sp.Integer(2)})
