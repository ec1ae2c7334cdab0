"""Q1.2 bce-behaviour, Q2.1 init-symmetry, Q2.2 gd-update.

What each proves, and wrong variants rejected.
"""

from __future__ import annotations

import importlib
import json

import proved
import pytest
import sympy as sp

from derivations.common import y as label
from derivations.network import bce
from proofsheet import kernel
from proofsheet.kernel import Prop
from proofsheet.kernel.certificates import (
    IntervalCertificate,
    SignCertificate,
    SignTerm,
    Substitution,
)
from proofsheet.kernel.errors import KernelError
from proofsheet.kernel.notation import sigma, sigma_prime
from proofsheet.record.prooflog import proof_log
from proofsheet.record.replay import replay
from proofsheet.search.decide import decide
from proofsheet.sheet.build import all_theorems

MODULES = {
    "bce-behaviour": "bce_behaviour",
    "init-symmetry": "init_symmetry",
    "gd-update": "gd_update",
}


def module(derivation_id: str):
    return importlib.import_module(f"derivations.{MODULES[derivation_id]}")


@pytest.fixture(scope="module")
def derived():
    return {i: proved.derived(i) for i in MODULES}


def conclusion(d, name: str):
    return dict(d.conclusions)[name]


@pytest.mark.parametrize("derivation_id", list(MODULES))
def test_every_step_and_conclusion_is_verified(derived, derivation_id):
    d = derived[derivation_id]
    assert d.id == derivation_id and d.steps
    assert d.verified, [
        (s.prop, s.verdict.status, s.verdict.reason) for s in d.steps if not s.verdict.ok
    ]
    assert not d.failed_conclusions


@pytest.mark.parametrize("derivation_id", list(MODULES))
def test_prose_exists_in_both_languages(derived, derivation_id):
    from proofsheet.sheet.derivation import Prose

    prose = [b.text for b in derived[derivation_id].blocks if isinstance(b, Prose)]
    assert prose and all(t.en and t.zh for t in prose)


@pytest.mark.parametrize("derivation_id", list(MODULES))
def test_proof_log_replays_with_the_kernel_alone(derived, derivation_id):
    d = derived[derivation_id]
    log = json.loads(json.dumps(proof_log(all_theorems([d]))))
    assert set(replay(log)) == {name for name, _ in all_theorems([d])}


# --- bce-behaviour ---------------------------------------------------------------------------


def test_bce_splits_into_entropy_plus_kl_and_is_at_least_the_entropy(derived):
    m, d = module("bce-behaviour"), derived["bce-behaviour"]
    split = conclusion(d, "BCE(y, yhat) = H(p) + KL(p||q)")
    assert split.prop == Prop(bce(m.y, m.yhat), "=", m.ENTROPY + m.KL)
    assert set(split.assumptions) == set(m.HYPOTHESES)
    assert conclusion(d, "KL(p||q) >= 0").prop == Prop(0, "<=", m.KL)
    assert conclusion(d, "BCE(y, yhat) >= H(p)").prop == Prop(m.ENTROPY, "<=", bce(m.y, m.yhat))
    for name, hypothesis in (
        ("yhat < y => KL(p||q) > 0", Prop(m.yhat, "<", m.y)),
        ("y < yhat => KL(p||q) > 0", Prop(m.y, "<", m.yhat)),
    ):
        strict = conclusion(d, name)
        assert strict.prop == Prop(0, "<", m.KL) and hypothesis in strict.assumptions


def test_bce_cases_and_limits_are_the_claimed_ones(derived):
    m, d = module("bce-behaviour"), derived["bce-behaviour"]
    assert conclusion(d, "y = 1: L = -log(yhat)").prop.rhs == -sp.log(m.yhat)
    limits = {
        (s.prop.lhs.args[0], s.prop.lhs.args[2], s.prop.rhs)
        for s in d.steps
        if isinstance(s.prop.lhs, sp.Limit)
    }
    assert {
        (-sp.log(m.yhat), 1, 0),
        (-sp.log(m.yhat), 0, sp.oo),
        (-sp.log(1 - m.yhat), 0, 0),
        (-sp.log(1 - m.yhat), 1, sp.oo),
    } <= limits


def test_the_samples_minus_log_y_is_refuted_where_every_term_is_defined(derived):
    m, d = module("bce-behaviour"), derived["bce-behaviour"]
    (slip,) = d.mistakes
    assert slip.refuted and not d.unrefuted_mistakes
    point = dict(slip.verdict.refutation.point)
    assert point[m.y] == 1 and 0 < point[m.yhat] < 1
    lhs, rhs = (side.subs(point) for side in (slip.verdict.prop.lhs, slip.verdict.prop.rhs))
    assert lhs.is_finite and rhs.is_finite and sp.simplify(lhs - rhs) != 0
    assert slip.verdict.prop.rhs == -sp.log(m.y)  # the label's log, as the sample wrote it


def test_the_right_loss_at_label_one_is_not_refuted_where_the_slip_is():
    m = module("bce-behaviour")
    assumptions = (Prop(m.y, "=", 1), Prop(m.yhat, "<", 1))
    assert decide(Prop(bce(m.y, m.yhat), "=", -sp.log(m.yhat)), assumptions).status != "refuted"


HANDOUT_Q12 = {  # kind of block -> the least number of them in bce-behaviour's hand-out part
    "Prose": 3,
    "Display": 1,  # the binary cross-entropy L
    "Chain": 2,  # the two labels
    "Claim": 6,  # L > 0 and its two limits, for each label
}


@pytest.mark.parametrize("kind", sorted(HANDOUT_Q12))
def test_the_bce_handout_has_the_formula_cases_and_limits(derived, kind):
    from proofsheet.sheet import derivation

    shown = [
        b
        for b in derived["bce-behaviour"].blocks
        if isinstance(b, getattr(derivation, kind)) and b.part != derivation.DETAIL
    ]
    assert len(shown) >= HANDOUT_Q12[kind]


def test_the_kl_proof_stays_out_of_the_handout(derived):
    from proofsheet.sheet.derivation import DETAIL, Claim

    d = derived["bce-behaviour"]
    kl = conclusion(d, "KL(p||q) >= 0")
    showing = [b for b in d.blocks if isinstance(b, Claim) and b.step.prop == kl.prop]
    assert showing and all(b.part == DETAIL for b in showing)


def test_bce_case_with_the_wrong_log_is_refuted():
    m = module("bce-behaviour")
    assert decide(Prop(m.written_loss(1), "=", -sp.log(1 - m.yhat))).status == "refuted"
    assert decide(Prop(m.written_loss(0), "=", -sp.log(m.yhat))).status == "refuted"


@pytest.mark.parametrize(
    "loss, end, side, wrong",
    [
        (lambda m: -sp.log(m.yhat), 0, "+", sp.Integer(0)),
        (lambda m: -sp.log(m.yhat), 1, "-", sp.oo),
        (lambda m: -sp.log(1 - m.yhat), 1, "-", sp.Integer(0)),
    ],
)
def test_limit_rule_rejects_a_wrong_limit_of_the_loss(loss, end, side, wrong):
    m = module("bce-behaviour")
    with pytest.raises(KernelError):
        kernel.limit(Prop(sp.Limit(loss(m), m.yhat, end, side), "=", wrong))


def test_log_lemma_with_its_direction_reversed_is_refuted_and_gives_no_gibbs_inequality():
    m = module("bce-behaviour")
    assert decide(Prop(m.LOG_LEMMA, "<=", 0), (Prop(0, "<", m.t),)).status == "refuted"
    with pytest.raises(
        KernelError
    ):  # 'log t ≥ t − 1' as a premise: the sums no longer close to KL ≥ 0
        m.gibbs(kernel.assume(Prop(m.LOG_LEMMA, "<=", 0)), sp.Integer(0))


def test_strict_kl_needs_yhat_different_from_y():
    m = module("bce-behaviour")
    no_hypothesis = SignCertificate(
        Substitution(),
        (
            SignTerm(sp.Rational(1, 2), (("square", m.yhat - m.y), ("inv", m.y + m.yhat))),
            SignTerm(
                sp.Rational(1, 2), (("square", m.yhatbar - m.ybar), ("inv", m.ybar + m.yhatbar))
            ),
        ),
    )
    with pytest.raises(KernelError):
        kernel.certified_sign(Prop(0, "<", m.GAP), no_hypothesis)


# --- init-symmetry ---------------------------------------------------------------------------


def columns_equal(matrix: sp.MatrixBase) -> bool:
    return all(matrix[:, j] == matrix[:, 0] for j in range(matrix.cols))


def test_symmetric_state_gives_equal_gradient_columns_and_stays_symmetric(derived):
    m, d = module("init-symmetry"), derived["init-symmetry"]
    state = m.symmetric(m.NET, (m.a1, m.a2, m.c, m.v))
    grads = conclusion(d, "dL/dW1 at a symmetric state = x^T [delta delta delta]")
    assert grads.prop.lhs == m.gradient(m.NET, m.NET.W1).xreplace(state)
    assert columns_equal(grads.prop.rhs)
    columns = conclusion(d, "dL/dW1 at a symmetric state: column j = column j + 1")
    assert columns.prop == Prop(grads.prop.lhs[:, :2], "=", grads.prop.lhs[:, 1:])
    for name, block in m.BLOCKS:
        step = conclusion(d, f"one step keeps a symmetric state symmetric: {name}")
        assert step.prop.lhs == block.xreplace(state) - m.eta * m.gradient(m.NET, block).xreplace(
            state
        )
        new = step.prop.rhs
        assert len(set(new)) == 1 if name == "W_2" else columns_equal(new)


def test_equal_incoming_weights_give_equal_activations_and_zero_init_gives_no_hidden_gradient(
    derived,
):
    m, d = module("init-symmetry"), derived["init-symmetry"]
    same = conclusion(d, "equal incoming weights => equal activations")
    assert same.prop == Prop(m.NET.A1[1], "=", m.NET.A1[0]) and len(same.assumptions) == 3
    zero = conclusion(d, "zero init: dL/dW1 = 0")
    assert zero.prop.rhs == sp.zeros(2, 3)
    assert zero.prop.lhs == m.gradient(m.NET, m.NET.W1).xreplace(m.symmetric(m.NET, (0, 0, 0, 0)))


@pytest.mark.parametrize("number", [2, 3])
def test_units_stay_equal_for_every_step_by_induction_over_the_training_sequence(derived, number):
    m, d = module("init-symmetry"), derived["init-symmetry"]
    theorem = conclusion(d, f"unit {number} = unit 1 after every step t >= 0 (induction)")
    assert theorem.rule == "induction" and theorem.certificate == {"variable": m.t, "start": 0}
    assert theorem.prop == m.same_unit(number - 1, m.t)
    assert theorem.assumptions == (Prop(0, "<=", m.t),)  # no assumption about the sequence
    base, step = theorem.premises
    assert set(step.assumptions) == {Prop(0, "<=", m.t), m.same_unit(number - 1, m.t)}
    rules, todo = set(), [theorem]
    while todo:
        node = todo.pop()
        rules.add(node.rule)
        todo.extend(node.premises)
    assert "define" in rules and rules <= {
        "induction",
        "entrywise",
        "chain",
        "symmetry",
        "congruence",
        "define",
        "assumption",
    }


def test_training_sequence_is_the_gradient_step_for_every_parameter():
    m = module("init-symmetry")
    definitions = m.define_training()
    assert len(definitions) == 13
    loss = m.NET.loss(label)
    for p, (first, following) in definitions.items():
        assert first.prop.lhs == m.trained(p, 0) and following.prop.lhs == m.trained(p, m.t + 1)
        at_t = {q: m.trained(q, m.t) for q in m.PARAMETERS}
        assert following.prop.rhs == (p - m.eta * sp.diff(loss, p)).xreplace(at_t)
        assert following.assumptions == (Prop(0, "<=", m.t),)


def test_the_invariant_needs_the_outgoing_weight_too(monkeypatch):
    """Equal incoming weights and bias alone are not preserved: the bias's update reads w2_j."""
    m = module("init-symmetry")
    monkeypatch.setattr(m, "unit", lambda j: (m.NET.W1[0, j], m.NET.W1[1, j], m.NET.b1[j]))
    with pytest.raises(KernelError, match="chain"):
        m.stays_equal(1)


def numeric_state(m, w1):
    values = {m.NET.x[0]: 1, m.NET.x[1]: 2, label: 1, m.NET.b2[0]: 0}
    values.update(zip(m.NET.W1, w1))
    values.update(zip(m.NET.b1, [0, 0, 0]))
    values.update(zip(m.NET.W2, [1, 1, 1]))
    return values


def test_unequal_initial_weights_give_unequal_gradients():
    m = module("init-symmetry")
    grads = m.gradient(m.NET, m.NET.W1).xreplace(numeric_state(m, [1, 2, 1, 0, 0, 0]))
    assert decide(Prop(grads[0, 0], "=", grads[0, 1])).status == "refuted"


def test_zero_init_still_moves_the_output_weights():
    m = module("init-symmetry")
    w2_grad = m.gradient(m.NET, m.NET.W2).xreplace(m.symmetric(m.NET, (0, 0, 0, 0)))
    assert decide(Prop(w2_grad[0], "=", 0)).status == "refuted"


# --- gd-update -------------------------------------------------------------------------------


def test_gradient_step_lowers_the_loss_and_the_slope_along_minus_gradient_is_minus_its_norm(
    derived,
):
    m, d = module("gd-update"), derived["gd-update"]
    decrease = conclusion(d, "loss after one step < loss before")
    assert decrease.prop.rel == "<" and decrease.prop.rhs == sp.log(1 + sp.exp(sp.Rational(-1, 2)))
    assert not decrease.prop.free_symbols
    slope = conclusion(d, "d/deta L(theta - eta grad L) = slope(eta), for every eta")
    assert isinstance(slope.prop.lhs, sp.Derivative) and slope.prop.lhs.variables == (m.ETA_VAR,)
    downhill = conclusion(d, "slope at eta = 0 = -|grad L|^2 <= 0")
    at_zero = sp.Subs(slope.prop.lhs, m.ETA_VAR, 0)  # d/dη L(θ − η∇L) evaluated at η = 0
    assert downhill.prop.lhs == at_zero == slope.prop.lhs.subs(m.ETA_VAR, 0)
    assert downhill.prop.rel == "<=" and downhill.prop.rhs == 0 and not downhill.assumptions
    strict = conclusion(d, "slope at eta = 0 < 0 when sigma(z) < y (e.g. y = 1)")
    assert strict.prop.rel == "<" and strict.prop.lhs == downhill.prop.lhs
    grads = conclusion(d, "dL/dW1 at the worked example")
    r, s, t = sigma(sp.Rational(-1, 2)), sigma_prime(1), sigma_prime(-1)
    assert grads.prop.rhs == sp.ImmutableMatrix(
        [[-r * s, r / 4, -r * t], [-2 * r * s, r / 2, -2 * r * t]]
    )


def gradient_of_neuron(m) -> tuple[sp.Expr, ...]:
    err = sigma(m.THETA[0] * m.X1 + m.THETA[1] * m.X2 + m.THETA[2]) - label
    return err * m.X1, err * m.X2, err


def test_slope_at_zero_is_one_chain_from_the_derivative_to_the_sign(derived):
    """d/dη L(θ − η∇L)|_{η=0} = … = −‖∇L‖² ≤ 0.

    One theorem whose first link is the instance η = 0.
    """
    m, d = module("gd-update"), derived["gd-update"]
    downhill = conclusion(d, "slope at eta = 0 = -|grad L|^2 <= 0")
    assert downhill.rule == "chain"
    first = downhill
    while first.rule == "chain":
        first = first.premises[0]
    assert first.rule == "instantiate" and first.certificate["variable"] == m.ETA_VAR
    assert first.certificate["value"] == 0 and first.premises[0].prop.lhs.has(sp.Derivative)
    last = downhill
    while last.rule == "chain":
        last = last.premises[1]
    assert last.rule == "certified-sign" and last.prop.lhs == -sum(
        g**2 for g in gradient_of_neuron(m)
    )


def test_the_slope_instance_at_a_positive_step_is_not_minus_the_norm(derived):
    m, d = module("gd-update"), derived["gd-update"]
    slope = conclusion(d, "d/deta L(theta - eta grad L) = slope(eta), for every eta")
    at_one = kernel.instantiate(slope, m.ETA_VAR, sp.Integer(1))
    wrong = Prop(at_one.prop.rhs, "=", -sum(g**2 for g in gradient_of_neuron(m)))
    assert decide(wrong).status == "refuted"


def loss_after_step(m, sign: int) -> sp.Expr:
    """The loss after θ ← θ + sign·η∇L, every gradient evaluated exactly at the worked example."""
    values, loss = m.point(m.START), m.NET.loss(label)
    params = [*m.NET.W1, *m.NET.b1, *m.NET.W2, *m.NET.b2]
    moved = {
        p: p.xreplace(values) + sign * m.ETA * sp.diff(loss, p).xreplace(values) for p in params
    }
    return loss.xreplace({**values, **moved})


def test_update_with_plus_eta_does_not_lower_the_loss():
    m = module("gd-update")
    before = sp.log(1 + sp.exp(sp.Rational(-1, 2)))
    assert decide(Prop(loss_after_step(m, -1), "<", before)).status == "verified"
    wrong = Prop(loss_after_step(m, +1), "<", before)
    assert decide(wrong).status == "refuted"
    with pytest.raises(KernelError):
        kernel.interval_order(wrong, IntervalCertificate())


def test_a_gradient_with_the_wrong_sign_is_refuted():
    m = module("gd-update")
    values, loss = m.point(m.START), m.NET.loss(label)
    entry = sp.diff(loss, m.NET.W2[0]).xreplace(values)
    assert decide(Prop(entry, "=", sigma(1) * sigma(sp.Rational(-1, 2)))).status == "refuted"


def test_descent_slope_is_not_certified_positive_or_strict_without_a_hypothesis():
    m = module("gd-update")
    z = m.THETA[0] * m.X1 + m.THETA[1] * m.X2 + m.THETA[2]
    grad = ((sigma(z) - label) * m.X1, (sigma(z) - label) * m.X2, sigma(z) - label)
    norm = sum(g**2 for g in grad)
    squares = SignCertificate(
        Substitution(), tuple(SignTerm(sp.Integer(1), (("square", g),)) for g in grad)
    )
    with pytest.raises(KernelError):
        kernel.certified_sign(Prop(norm, "<=", 0), squares)  # the wrong sign
    with pytest.raises(KernelError):
        kernel.certified_sign(Prop(-norm, "<", 0), squares)  # strict needs σ(z) ≠ y
