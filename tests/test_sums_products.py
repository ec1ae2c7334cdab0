"""Σ and ∏: the kernel's sum rules, ranges written out, closed forms by induction, ∏ bounds."""

from __future__ import annotations

import pytest
import sympy as sp

from proofsheet import kernel
from proofsheet.check.checker import check_text
from proofsheet.kernel import Prop
from proofsheet.kernel.errors import KernelError, ParseError
from proofsheet.parsing.statement import parse_statement
from proofsheet.search import sums
from proofsheet.search.decide import decide

k = sp.Symbol("k", integer=True)
n = sp.Symbol("n", integer=True)
c = sp.Symbol("c", real=True)
w = sp.IndexedBase(sp.Symbol("w", real=True))

#: (a statement a student writes, its verdict): true facts verified by certificates the
#: kernel checks, false mutants refuted
STATEMENTS = [
    (r"\sum_{k=1}^{n}\frac14 = \frac n4", "verified"),
    (r"\sum_{k=1}^{n} c = nc", "verified"),
    (r"\sum_{k=1}^{n} k = \frac{n(n+1)}{2}", "verified"),
    (r"\sum_{k=1}^{n} (2k-1) = n^2", "verified"),
    (r"\sum_{k=0}^{n} 2^k = 2^{n+1} - 1", "verified"),
    (r"\sum_{k=1}^{3} k^2 = 14", "verified"),
    (r"\sum_{k=1}^{100} k = 5050", "verified"),
    (r"\sum_{k=1}^{100} k = 5051", "refuted"),
    (r"\prod_{k=1}^{n} \frac14 = 4^{-n}", "verified"),
    (r"\sum_{j=1}^{3} w_j x_j = w_{1}x_{1} + w_{2}x_{2} + w_{3}x_{3}", "verified"),
    (r"\prod_{k=1}^{3}\sigma'(u_k) = \sigma'(u_1)\sigma'(u_2)\sigma'(u_3)", "verified"),
    (r"\prod_{k=1}^{3}\sigma'(u_k) \le \frac{1}{64}", "verified"),
    (r"\frac{1}{64} \ge \prod_{k=1}^{3}\sigma'(u_k)", "verified"),
    (r"\prod_{k=1}^{3}\sigma'(u_k) \le \frac{1}{8}", "verified"),
    (r"\prod_{k=1}^{n}\sigma'(u_k) \le 4^{-n}", "verified"),
    (r"\prod_{k=1}^{n}\sigma'(u_k) \le (1/4)^n", "verified"),
    (r"\prod_{k=1}^{n}\sigma'(u_k) \le \frac{1}{4^n}", "verified"),
    (r"\prod_{k=2}^{n+1}\sigma'(u_k) \le 4^{-n}", "verified"),
    (r"\prod_{k=1}^{3}\sigma'(u_k) \le \frac{1}{60}", "verified"),
    (r"\prod_{k=1}^{3}\sigma'(u_k) < \frac{1}{60}", "verified"),
    (r"\prod_{k=1}^{2}\sigma'(u_k) \le 0.07", "verified"),
    (r"\sum_{k=1}^{n}\frac14 = \frac n2", "refuted"),
    (r"\sum_{k=1}^{n} k = \frac{n(n-1)}{2}", "refuted"),
    (r"\sum_{k=1}^{4} k = 11", "refuted"),
    (r"\prod_{k=1}^{3}\sigma'(u_k) \le \frac{1}{65}", "refuted"),
    (r"\prod_{k=1}^{n}\sigma'(u_k) \le 4^{-n-1}", "refuted"),
    (r"\prod_{k=1}^{3}\sigma'(u_k) < \frac{1}{64}", "refuted"),
    (r"\prod_{k=1}^{3}\sigma'(u_k) \le 0", "refuted"),
]


@pytest.mark.parametrize("latex, status", STATEMENTS, ids=[s for s, _ in STATEMENTS])
def test_a_sum_or_product_gets_the_verdict_of_its_value(latex, status):
    (step,) = check_text(f"${latex}$", seconds=10).steps
    assert step.status == status, step.verdict.reason


#: the same facts for ``proofsheet prove``: sum(f, k, a, b), product(f, k, a, b), u[k]
PROVE = [
    ("sum(1/4, k, 1, n) = n/4", "verified"),
    ("sum(k, k, 1, n) = n*(n+1)/2", "verified"),
    ("sum(w[j]*x[j], j, 1, 3) = w[1]*x[1] + w[2]*x[2] + w[3]*x[3]", "verified"),
    ("product(sigma'(u[k]), k, 1, 3) <= 1/64", "verified"),
    ("product(sigma'(u[k]), k, 1, n) <= 4^(-n)", "verified"),
    ("product(sigma_prime(u[k]), k, 1, n) <= 1/4^n", "verified"),
    ("sum(1/4, k, 1, n) = n/2", "refuted"),
    ("product(sigma'(u[k]), k, 1, 3) <= 1/65", "refuted"),
    # an index is an integer: (-1)^k is real (it was "not a real number: needs -1 > 0")
    ("sum((-1)^k, k, 1, 3) = -1", "verified"),
    ("sum((-1)^k, k, 1, 3) = 1", "refuted"),
    ("product((-2)^k, k, 1, 2) = -8", "verified"),
    ("sum(x^(k/2), k, 0, 2) = 1 + x", "refuted"),
]


@pytest.mark.parametrize("text, status", PROVE, ids=[s for s, _ in PROVE])
def test_prove_reads_sums_products_and_members(text, status):
    parsed = parse_statement(text)
    verdict = decide(Prop(parsed.lhs, parsed.rel, parsed.rhs, domain=parsed.domain), seconds=10)
    assert verdict.status == status, verdict.reason


@pytest.mark.parametrize(
    "text, words",
    [("sum(1, k, 1) = 1", "4 arguments"), ("sum(1, 2, 1, 3) = 3", "must be a variable")],
)
def test_a_malformed_sum_is_one_clear_parse_error(text, words):
    with pytest.raises(ParseError, match=words):
        parse_statement(text)


@pytest.mark.parametrize(
    "op, low, high",
    [(op, a, b) for op in (sp.Sum, sp.Product) for a, b in ((1, 3), (2, 0), (0, -3), (-2, 2))],
)
def test_the_peel_rules_agree_with_sympys_ranges_even_reversed(op, low, high):
    """Karr's convention, which SymPy evaluates, is what the peel rules state."""
    peel = kernel.sum_peel if op is sp.Sum else kernel.product_peel
    body = k**2 + 1
    theorem = peel(op(body, (k, low, high + 1)))
    values = [sp.nsimplify(side.doit()) for side in (theorem.prop.lhs, theorem.prop.rhs)]
    assert values[0] == values[1]


@pytest.mark.parametrize(
    "bad",
    [
        lambda: kernel.sum_peel(sp.Sum(k, (k, 1, sp.Rational(5, 2)))),
        lambda: kernel.sum_peel(sp.Sum(k, (k, 1, c))),
        lambda: kernel.sum_empty(sp.Sum(k, (k, 1, n))),
        lambda: kernel.sum_empty(sp.Product(k, (k, 1, 0))),
    ],
    ids=["half-integer range", "real upper limit", "non-empty range", "a product"],
)
def test_the_sum_rules_refuse_what_is_not_their_definition(bad):
    with pytest.raises(KernelError):
        bad()


@pytest.mark.parametrize(
    "op, wrong",
    [
        (sp.Sum(sp.Rational(1, 4), (k, 1, n)), lambda general: general.limits[0][2] / 2),
        (sp.Sum(k, (k, 1, n)), lambda general: general.doit() + 1),
        (sp.Product(sp.Rational(1, 4), (k, 1, n)), lambda general: sp.Integer(4) ** -n),
    ],
    ids=["n/2 for n/4", "one too many", "a power of the wrong variable"],
)
def test_a_wrong_closed_form_fails_the_kernels_induction(op, wrong):
    with pytest.raises(KernelError):
        sums.closed_form(op, guess=wrong)


def test_a_short_numeric_range_is_written_out_term_by_term():
    theorem = sums.written_out(sp.Sum(w[k] * k, (k, 1, 3)))
    assert theorem.prop.rhs == w[1] + 2 * w[2] + 3 * w[3]


def test_a_long_numeric_range_is_not_written_out():
    with pytest.raises(ValueError):
        sums.written_out(sp.Sum(w[k], (k, 1, sums.MAX_TERMS + 1)))
