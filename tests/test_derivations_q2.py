"""Q2.1 init-symmetry and Q2.2 gd-update as hand-out: the parts shown, the numbers, the prose.

The updated weights' decimals are checked against a forward and backward pass computed here
with mpmath alone (not the module's closed forms, nor SymPy's derivative).
"""

from __future__ import annotations

import re

import mpmath
import proved
import pytest
import sympy as sp

from derivations import gd_update, init_symmetry
from proofsheet.kernel.notation import sigma, sigma_prime
from proofsheet.sheet.derivation import ANSWER, BRIEF, DETAIL, Chain, Claim, Display, Prose
from proofsheet.sheet.render import derivation_markdown

mpmath.mp.dps = 30
MODULES = {"init-symmetry": init_symmetry, "gd-update": gd_update}


@pytest.fixture(scope="module")
def derived():
    return {i: proved.derived(i) for i in MODULES}


def logistic(u):
    return 1 / (1 + mpmath.exp(-u))


def independent_step() -> dict[str, mpmath.matrix]:
    """One gradient step at the worked example, by hand-written back-propagation in mpmath."""
    w1, b1, w2, b2 = (mpmath.matrix(m.tolist()) for m in gd_update.START)
    x, label, eta = mpmath.matrix([[1, 2]]), 1, mpmath.mpf(1) / 2
    a1 = (x * w1 + b1).apply(logistic)
    yhat = logistic((a1 * w2 + b2)[0])
    delta2 = yhat - label  # ∂L/∂z⁽²⁾ for the cross-entropy of a sigmoid output
    delta1 = mpmath.matrix([[delta2 * w2[j] * a1[j] * (1 - a1[j]) for j in range(3)]])
    return {
        "W^{(1)}": w1 - eta * (x.T * delta1),
        "b^{(1)}": b1 - eta * delta1,
        "W^{(2)}": w2 - eta * (a1.T * delta2),
        "b^{(2)}": b2 - eta * mpmath.matrix([[delta2]]),
    }


def updated_weight_facts(d) -> list[Claim]:
    """The hand-out's facts that give new weights: exact values with a note of decimals."""
    return [
        b
        for b in d.blocks
        if isinstance(b, Claim) and b.part != DETAIL and "numbers" in b.step.why.math
    ]


def as_value(expr: sp.Expr) -> mpmath.mpf:
    """An exact σ-expression's value, with σ and σ′ evaluated here by mpmath."""

    def s(u):
        return logistic(mpmath.mpf(sp.Rational(u).p) / sp.Rational(u).q)

    value = expr.replace(sigma_prime, lambda u: sp.Float(s(u) * (1 - s(u)), 30))
    value = value.replace(sigma, lambda u: sp.Float(s(u), 30))
    return mpmath.mpf(str(sp.N(value, 30)))


@pytest.mark.parametrize(
    "position, layer, shape",
    [
        (0, "W^{(1)}", (2, 3)),
        (1, "b^{(1)}", (1, 3)),
        (2, "W^{(2)}", (3, 1)),
        (3, "b^{(2)}", (1, 1)),
    ],
)
def test_every_updated_weight_is_shown_exactly_and_to_four_correct_decimals(
    derived, position, layer, shape
):
    facts = updated_weight_facts(derived["gd-update"])
    assert len(facts) == 4
    fact = facts[position]
    exact = fact.step.prop.rhs
    numbers = fact.step.why.math["numbers"]
    if isinstance(numbers, sp.Transpose):  # a column is shown as a transposed row
        numbers = numbers.arg.T
    expected = independent_step()[layer]
    assert fact.step.verdict.ok and exact.shape == numbers.shape == shape
    for k, (closed, shown) in enumerate(zip(exact, numbers)):
        truth = expected[k // shape[1], k % shape[1]]
        assert abs(as_value(closed) - truth) < mpmath.mpf(10) ** -25
        assert isinstance(shown, sp.Float)
        assert sp.Float(mpmath.nstr(truth, 15)).round(4) == shown.round(4)
        assert abs(mpmath.mpf(str(shown)) - truth) <= mpmath.mpf("0.00005")


@pytest.mark.parametrize(
    "expr",
    [sigma(sp.Rational(-1, 2)), -sigma(sp.Rational(-1, 2)), sp.log(1 + sp.exp(sp.Rational(-1, 2)))],
)
def test_decimal_rounds_the_exact_value_to_four_places(expr):
    truth = mpmath.mpf(str(sp.N(expr.replace(sigma, lambda u: 1 / (1 + sp.exp(-u))), 30)))
    assert abs(mpmath.mpf(str(gd_update.decimal(expr))) - truth) <= mpmath.mpf("0.00005")
    shown = str(gd_update.decimal(expr))
    assert len(shown.partition(".")[2]) <= 4 and "e" not in shown
    assert abs(mpmath.mpf(shown) - mpmath.nint(truth * 10**4) / 10**4) < mpmath.mpf(10) ** -12


@pytest.mark.parametrize(
    "derivation_id, kind, part, at_least",
    [
        ("init-symmetry", Prose, ANSWER, 5),
        ("init-symmetry", Chain, BRIEF, 1),  # equal incoming weights give equal activations
        ("init-symmetry", Chain, ANSWER, 4),  # the three gradients and the zero start
        ("init-symmetry", Display, ANSWER, 7),  # the symmetric state and the state after a step
        ("gd-update", Prose, ANSWER, 6),
        ("gd-update", Display, ANSWER, 3),  # W⁽¹⁾, W⁽²⁾ and r
        ("gd-update", Chain, ANSWER, 2),  # z⁽²⁾ and the loss before the step
        ("gd-update", Claim, ANSWER, 7),  # three gradients, four updated layers
        ("gd-update", Chain, BRIEF, 1),  # the slope at η = 0 is at most 0
    ],
)
def test_the_hand_out_has_its_parts(derived, derivation_id, kind, part, at_least):
    blocks = [b for b in derived[derivation_id].blocks if isinstance(b, kind) and b.part == part]
    assert len(blocks) >= at_least


@pytest.mark.parametrize(
    "derivation_id, rule",
    [("init-symmetry", "induction"), ("gd-update", "certified-sign")],
)
def test_the_long_proofs_stay_out_of_the_hand_out(derived, derivation_id, rule):
    """The induction and the strict-sign certificates are supporting detail only."""
    steps = [
        b
        for b in derived[derivation_id].blocks
        if isinstance(b, Claim) and b.step.verdict.rule == rule
    ]
    assert steps and all(b.part == DETAIL for b in steps)


def test_the_unanswered_q2_2_is_declared_as_an_omission_and_q2_1_has_no_mistake(derived):
    (omission,) = derived["gd-update"].mistakes
    assert omission.verdict is None and not omission.refuted
    assert omission.where.en and omission.where.zh and omission.why.en and omission.why.zh
    assert derived["init-symmetry"].mistakes == []
    assert not derived["gd-update"].unrefuted_mistakes


def prose_outside_math(text: str) -> str:
    text = re.sub(r"\$\$.*?\$\$", "", text, flags=re.S)
    return re.sub(r"\$[^$]*\$", "", text)


PROPER_NAMES = {"SymPy", "Xavier", "He", "Cauchy", "Schwarz"}


@pytest.mark.parametrize("derivation_id", list(MODULES))
@pytest.mark.parametrize("language", ["en", "zh"])
def test_no_hand_typed_math_in_the_prose(derived, derivation_id, language):
    words = prose_outside_math(derivation_markdown(derived[derivation_id], language))
    assert not re.findall(r".{0,30}[_^].{0,30}", words.replace("\\_", "_"))
    if language == "zh":
        latin = set(re.findall(r"[A-Za-z][A-Za-z-]+", words)) - PROPER_NAMES
        assert not latin, latin
