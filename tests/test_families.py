"""Indexed families in a student's file: w_j, w_1, w_{2}, w^{(k)}, x_{n+1} are one family."""

from __future__ import annotations

import json

import pytest
import sympy as sp

from proofsheet import kernel
from proofsheet.check.checker import check_text
from proofsheet.kernel import Every, Prop
from proofsheet.kernel.errors import KernelError
from proofsheet.kernel.refute import holds
from proofsheet.record import replay
from proofsheet.record.prooflog import proof_log
from proofsheet.search.decide import decide

#: (what it pins, the student's text, the verdict of each step in order)
FAMILIES = [
    (
        "members written with and without braces",
        r"$\sum_{j=1}^{3} w_j x_j = w_{1}x_{1} + w_{2}x_{2} + w_{3}x_{3}$",
        ["verified"],
    ),
    ("a missing term", r"$\sum_{j=1}^{3} w_j = w_1 + w_2$", ["refuted"]),
    ("superscript members", r"$\sum_{k=1}^{2} w^{(k)} = w^{(1)} + w^{(2)}$", ["verified"]),
    (
        "the last member split off",
        r"$\sum_{i=1}^{n+1} x_i = \sum_{i=1}^{n} x_i + x_{n+1}$",
        ["verified"],
    ),
    (
        "the last factor split off, spaces in its index",
        r"$\prod_{k=1}^{n+1} a_k = a_{n + 1} \prod_{k=1}^{n} a_k$",
        ["verified"],
    ),
    ("member n", r"$\sum_{i=1}^{n} x_i = x_n + \sum_{i=1}^{n-1} x_i$", ["verified"]),
    (
        "the wrong member split off",
        r"$\sum_{i=1}^{n+2} x_i = \sum_{i=1}^{n} x_i + x_{n+1}$",
        ["refuted"],
    ),
    (
        "the first member split off",
        r"$\sum_{i=1}^{n} x_i = x_1 + \sum_{i=2}^{n} x_i$",
        ["verified"],
    ),
    (
        "two first members split off",
        r"$\sum_{i=1}^{n} x_i = x_1 + x_2 + \sum_{i=3}^{n} x_i$",
        ["verified"],
    ),
    (
        "the first factor split off",
        r"$\prod_{i=1}^{n} x_i = x_1 \prod_{i=2}^{n} x_i$",
        ["verified"],
    ),
    (
        "the wrong member split off first",
        r"$\sum_{i=1}^{n} x_i = x_2 + \sum_{i=2}^{n} x_i$",
        ["undecided"],  # no point where all members are equal tells them apart
    ),
    (
        "a member whose index is not the range's",
        r"$\sum_{i=1}^{n} x_i = x_m + \sum_{i=1}^{n-1} x_i$",
        ["undecided"],
    ),
    (
        "assumptions about numbered members",
        "% assume: a_1 > 0, a_2 > 0\n\n"
        r"$\sum_{k=1}^{2} a_k > 0$"
        "\n\n"
        r"$\prod_{k=1}^{2} a_k > 0$",
        ["verified", "verified"],
    ),
    (
        "an assumption about every member bounds a product of any length",
        "% assume: 0 < a_k \\le 1\n\n"
        r"$\prod_{k=1}^{n} a_k \le 1$"
        "\n\n"
        r"$\prod_{k=1}^{n} a_k \le 2$"
        "\n\n"
        r"$\prod_{k=1}^{n} a_k > 1$"
        "\n\n"
        r"$\prod_{k=1}^{n} a_k \le \frac12$",
        ["verified", "verified", "refuted", "refuted"],
    ),
    (
        "an assumption about every member holds for the members of a short range",
        "% assume: 0 < a_k \\le 1\n\n"
        r"$\prod_{k=1}^{3} a_k \le 1$"
        "\n\n"
        r"$\prod_{k=1}^{3} a_k \le a_1$"
        "\n\n"
        r"$\prod_{k=1}^{3} a_k < 1$",
        ["verified", "verified", "refuted"],
    ),
    (
        "an assumption about member n is not one about every member",
        "% assume: a_n > 0\n\n" r"$\prod_{k=1}^{n} a_k > 0$",
        ["undecided"],
    ),
]


@pytest.mark.parametrize("text, statuses", [f[1:] for f in FAMILIES], ids=[f[0] for f in FAMILIES])
def test_members_of_a_family_are_the_terms_of_its_sum(text, statuses):
    report = check_text(text, seconds=10)
    assert [s.status for s in report.checked] == statuses


def test_a_counterexample_meets_the_assumption_about_every_member():
    text = "% assume: 0 < a_k \\le 1\n\n$\\prod_{k=1}^{n} a_k > 1$"
    (step,) = check_text(text, seconds=10).checked
    point = {str(s): v for s, v in step.verdict.refutation.point}
    assert 0 < point["a"] <= 1, point


# --- ∀k: an assumption about every member (kernel rule ``member``) --------------------------

K = Every("k", integer=True)
k, n = sp.Symbol("k", integer=True), sp.Symbol("n", integer=True)
A = sp.Symbol("a", real=True)
a = sp.IndexedBase(A)
EVERY = Prop(0, "<", a[K])


def test_member_takes_an_instance_of_every_member_and_keeps_the_assumption():
    theorem = kernel.member(EVERY, n + 1)
    assert (theorem.prop, theorem.assumptions) == (Prop(0, "<", a[n + 1]), (EVERY,))


@pytest.mark.parametrize(
    "forge",
    [
        lambda: kernel.assume(EVERY),  # ∀k in a conclusion
        lambda: kernel.member(Prop(0, "<", a[k]), n),  # a plain k is one member, not ∀k
        lambda: kernel.member(EVERY, sp.Rational(1, 2)),
        lambda: kernel.member(EVERY, K),
        lambda: kernel.instantiate(kernel.member(EVERY, n), n, K),
        lambda: kernel.induction(Prop(0, "<=", K), K, 0, kernel.member(EVERY, n), None),
        lambda: kernel.cases(kernel.member(EVERY, n), kernel.member(EVERY, n), K, sp.Integer(0)),
    ],
    ids=["assumed", "plain index", "half", "itself", "instantiate", "induction", "cases"],
)
def test_every_member_is_instantiated_only_by_member(forge):
    with pytest.raises(KernelError):
        forge()


def test_a_point_checks_every_member_only_when_k_stands_in_subscripts():
    point = {A: sp.Rational(1, 2), K: sp.Integer(3)}
    assert holds((EVERY,), point)
    assert not holds((Prop(a[K], "<=", K),), point)  # a_3 ≤ 3 says nothing of a_{−1} ≤ −1


def test_a_proof_from_every_member_is_stored_and_replayed_as_such():
    statement = Prop(sp.Product(a[k], (k, 1, n)), "<=", 1)
    verdict = decide(statement, (EVERY, Prop(a[K], "<=", 1)), seconds=10)
    log = json.loads(json.dumps(proof_log([("bound", verdict.theorem)])))
    (name, replayed), *_ = replay.replay(log).items()
    assert replayed.prop == statement and EVERY in replayed.assumptions
