"""Absolute values: a statement is proved in each case of the signs of the terms under |·|."""

from __future__ import annotations

import dataclasses

import pytest
import sympy as sp
from run_cli import prove_prop

from proofsheet.kernel.errors import KernelError
from proofsheet.search import absolute, tactics
from proofsheet.search.decide import decide


@pytest.mark.parametrize(
    "text, assume",
    [
        ("abs(2*sigma(x) - 1) < 1", ""),
        ("abs(sigma(x) - 1/2) < 1/2", ""),
        ("abs(x) >= x", ""),
        ("abs(2*sigma(x) - 1) <= 1 + 0.01", ""),
    ],
)
def test_a_bound_on_an_absolute_value_is_proved_case_by_case(text, assume):
    prop, assumptions = prove_prop(text, assume)
    verdict = decide(prop, assumptions, seconds=20)
    assert verdict.status == "verified"
    assert verdict.theorem.rule == "cases" and verdict.theorem.prop == prop


@pytest.mark.parametrize(
    "text, assume",
    [
        ("abs(2*sigma(x) - 1) < 1/2", ""),
        ("abs(sigma(x) - 1/2) < 1/4", ""),
        ("abs(x) <= x", ""),
        ("abs(x - 1) > 0", ""),
    ],
)
def test_a_false_bound_on_an_absolute_value_is_not_verified(text, assume):
    prop, assumptions = prove_prop(text, assume)
    assert decide(prop, assumptions, seconds=20).status != "verified"


def test_a_plan_whose_cases_are_swapped_is_rejected_by_the_kernel():
    prop, _ = prove_prop("abs(2*sigma(x) - 1) < 1")
    plan = absolute.abs_cases_plan(prop, (), tactics.sign_certificate)
    swapped = dataclasses.replace(
        plan,
        cases=tuple(
            (signs, cert) for (signs, _c), (_s, cert) in zip(plan.cases, reversed(plan.cases))
        ),
    )
    with pytest.raises(KernelError):
        absolute.abs_cases_theorem(prop, swapped, ())


def test_a_plan_for_another_term_is_rejected_by_the_kernel():
    prop, _ = prove_prop("abs(2*sigma(x) - 1) < 1")
    plan = absolute.abs_cases_plan(prop, (), tactics.sign_certificate)
    x = sp.Symbol("x", real=True)
    with pytest.raises(KernelError):
        absolute.abs_cases_theorem(prop, dataclasses.replace(plan, terms=(x,)), ())


@pytest.mark.parametrize(
    "text, terms",
    [
        ("abs(x + y) <= abs(x) + abs(y)", 3),
        ("abs(abs(x) - abs(y)) <= abs(x - y)", 4),  # more than MAX_TERMS: not split
        ("abs(x^2 + 1) >= 1", 0),  # the sign is known
    ],
)
def test_only_terms_of_unknown_sign_are_split_and_only_a_few(text, terms):
    prop, _ = prove_prop(text)
    expected = terms if terms <= absolute.MAX_TERMS else 0
    assert len(absolute.split_terms(prop)) == expected
