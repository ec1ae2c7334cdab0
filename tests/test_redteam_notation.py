r"""Red-team findings against the course notation as ``proofsheet check`` reads it (issue 10).

UNDEFINED_AT_THE_BAR: SymPy writes x/x as 1 before the evaluation bar puts x = 0 in, so the
bar's side lost its domain and 0/0 was verified; the bar now puts the point into the partial
subterms too. TWO_NAME_CONDITIONS: ``\max(a,b) = a, \quad a \ge b`` read a ≥ b as a claim and
refuted it (a condition is never a claim). DEFINED_BESIDE_A_CONDITION: ``x = 2, \quad x > 0``
claimed x = 2 under x > 0 and refuted it, where x = 2 defines x.
"""

from __future__ import annotations

import pytest

from proofsheet.check.checker import check_text


def statuses(text: str) -> list[str]:
    return [s.status for s in check_text(text, seconds=5.0).steps]


#: a side undefined at the bar's point: never verified
UNDEFINED_AT_THE_BAR = [
    r"$\left. \frac{x}{x} \right|_{x=0} = 1$",
    r"$\left. \frac{x^2}{x} \right|_{x=0} = 0$",
    r"$\left. x \cdot \frac{1}{x} \right|_{x=0} = 1$",
    r"$\left. \frac{\ln x}{\ln x} \right|_{x=1} = 1$",
    r"$\left. \frac{\sqrt{x}}{\sqrt{x}} \right|_{x=-1} = 1$",
    r"$\left. \frac{d}{dx} \frac{x}{x} \right|_{x=0} = 0$",
]


@pytest.mark.parametrize("text", UNDEFINED_AT_THE_BAR)
def test_an_evaluation_bar_at_a_point_where_the_side_is_undefined_is_not_verified(text) -> None:
    assert statuses(text) == ["undecided"]


#: the same bars at a point where the side is defined: still verified
DEFINED_AT_THE_BAR = [
    r"$\left. \frac{x}{x} \right|_{x=2} = 1$",
    r"$x^2 \Big|_{x=3} = 9$",
    r"$\left. \frac{d}{dx} x^2 \right|_{x=1} = 2$",
    r"$\left. \frac{d}{dx} \frac{x^2}{x} \right|_{x=1} = 1$",
]


@pytest.mark.parametrize("text", DEFINED_AT_THE_BAR)
def test_an_evaluation_bar_at_a_point_where_the_side_is_defined_is_verified(text) -> None:
    assert statuses(text) == ["verified"]


#: (formula, statuses): a relation between two bare names after a comma is a condition
TWO_NAME_CONDITIONS = [
    (r"$\max(a,b) = b, \quad a \ge b$", ["assumption", "refuted"]),
    (r"$\sigma(x) < \sigma(y), \quad x < y$", ["assumption", "verified"]),
    (r"$\sigma(x) > \sigma(y), \quad x < y$", ["assumption", "refuted"]),
]


@pytest.mark.parametrize("text, expected", TWO_NAME_CONDITIONS)
def test_a_relation_between_two_names_beside_a_step_is_its_condition(text, expected) -> None:
    assert statuses(text) == expected


def test_a_condition_between_two_names_is_never_refuted() -> None:
    assert "refuted" not in statuses(r"$\max(a,b) = a, \quad a \ge b$")


#: (formula, statuses): a name defined beside its own condition is defined, not claimed
DEFINED_BESIDE_A_CONDITION = [
    (r"$x = 2, \quad x > 0$", ["definition", "assumption"]),
    (r"$x = 2, \quad x > 0$, $x^2 = 4$", ["definition", "assumption", "verified"]),
    (r"$x = 2, \quad x > 0$, $x^2 = 5$", ["definition", "assumption", "refuted"]),
    (r"$\sqrt{x^2} = x, \quad x \ge 0$", ["assumption", "verified"]),
    # the B of A ⟹ B is a claim under A, never a definition
    (r"$\sigma(x) = 0.5 \implies x = 1$", ["assumption", "refuted"]),
    (r"$x^2 = 4 \implies x = 2$", ["assumption", "refuted"]),
]


@pytest.mark.parametrize("text, expected", DEFINED_BESIDE_A_CONDITION)
def test_a_name_defined_beside_a_condition_on_it_is_a_definition(text, expected) -> None:
    assert statuses(text) == expected


#: (formula, status): ``d(…)/dx`` is the derivative of the bracket, as ``dL/dz`` is; it was
#: read as d·(…)/(d·x), so a true step was refuted and d(x^2)/dx = x verified
BRACKETED_INLINE_DERIVATIVES = [
    (r"$d(x^2)/dx = 2x$", "verified"),
    (r"$d(x^2)/dx = x$", "refuted"),
    (r"$d(\sigma(x))/dx = \sigma(x)(1-\sigma(x))$", "verified"),
    (r"$(d(x^2)/dx)^2 = 4x^2$", "verified"),
]


@pytest.mark.parametrize("text, expected", BRACKETED_INLINE_DERIVATIVES)
def test_d_of_a_bracket_over_dx_is_a_derivative(text, expected) -> None:
    assert statuses(text) == [expected]


#: (text, statuses): "For $x \in (0,1)$:" is a condition for the rest of its paragraph; the
#: next formula was refuted at ŷ = 1, outside the domain the student declared
FOR_HEADINGS = [
    (
        r"For $\hat y \in (0,1)$: $-\ln \hat y > 0$.",
        ["assumption", "assumption", "verified"],
    ),
    (
        "For $\\hat y \\in (0,1)$: $-\\ln \\hat y > 0$.\n\n$-\\ln \\hat y > 0$",
        ["assumption", "assumption", "verified", "refuted"],
    ),
    (r"对任意 $x > 0$，$\ln x \le x - 1$", ["assumption", "verified"]),
    (r"For all $x > 0$: $\ln x < x - 1$", ["assumption", "refuted"]),
]


@pytest.mark.parametrize("text, expected", FOR_HEADINGS)
def test_a_condition_after_for_holds_for_the_rest_of_its_paragraph(text, expected) -> None:
    assert statuses(text) == expected
