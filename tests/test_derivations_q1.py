"""Q1 derivations: forward pass in matrix form, the BCE gradient, and back-propagation.

Each derivation is checked three ways: every step verified, the conclusion
is the claimed symbolic equality, and a wrong variant is rejected.
"""

from __future__ import annotations

import re

import proved
import pytest
import sympy as sp

from derivations.common import y, z
from derivations.network import NAMES, Network, bce, network, parameter
from proofsheet import kernel
from proofsheet.kernel import Prop
from proofsheet.kernel.errors import KernelError, ShapeError
from proofsheet.kernel.notation import sigma, sigma_prime
from proofsheet.search.decide import decide
from proofsheet.sheet.derivation import BRIEF, DETAIL, Chain, Claim, Display, Prose

MODULES = {
    "forward-matrix-form": "forward_matrix_form",
    "bce-gradient": "bce_gradient",
    "backprop-2-3-1": "backprop",
}
QUESTIONS = {"forward-matrix-form": "Q1.1", "bce-gradient": "Q1.2", "backprop-2-3-1": "Q1"}
NET = network()


@pytest.fixture(scope="module")
def derived():
    return {i: proved.derived(i) for i in MODULES}


def conclusion(d, name: str) -> kernel.Theorem:
    return dict(d.conclusions)[name]


def hidden(j: int) -> sp.Expr:
    """z_j, built here from the symbols rather than by the network's matmul."""
    return NET.x[0] * NET.W1[0, j] + NET.x[1] * NET.W1[1, j] + NET.b1[j]


def output() -> sp.Expr:
    return sum(NET.W2[j] * sigma(hidden(j)) for j in range(3)) + NET.b2[0]


def same_entries(matrix: sp.MatrixBase, expected) -> bool:
    """Entry-wise equality after removing display-only grouping and expanding."""
    return matrix.shape == sp.Matrix(expected).shape and all(
        sp.expand(a.doit() - b) == 0 for a, b in zip(matrix, sp.Matrix(expected))
    )


# --- every step verified --------------------------------------------------------------


@pytest.mark.parametrize("ident", sorted(MODULES))
def test_every_step_of_the_derivation_is_verified(derived, ident):
    d = derived[ident]
    assert d.id == ident and d.question == QUESTIONS[ident]
    assert d.steps and all(s.verdict.status == "verified" for s in d.steps)
    assert d.verified and d.conclusions and not d.failed_conclusions


@pytest.mark.parametrize("ident", sorted(MODULES))
def test_the_derivation_has_prose_in_english_and_chinese(derived, ident):
    from proofsheet.sheet.render import SheetConfig, SheetRenderer

    for language in ("en", "zh"):
        view = SheetRenderer(SheetConfig(language=language)).derivation_view(derived[ident])
        assert sum(b["kind"] == "prose" for b in view["blocks"]) >= 2


# --- the conclusions are the claimed equalities ---------------------------------------


def test_the_forward_pass_is_the_written_out_formula(derived):
    d = derived["forward-matrix-form"]
    z1 = conclusion(d, "Z1 = x W1 + b1, entry by entry")
    assert z1.rule == "entrywise" and z1.prop.lhs == (kernel.matmul(NET.x, NET.W1) + NET.b1).T
    assert same_entries(z1.prop.rhs.T, [[hidden(j) for j in range(3)]])
    a1 = conclusion(d, "A1 = sigma(Z1), entry by entry")
    assert same_entries(a1.prop.rhs, [[sigma(hidden(j)) for j in range(3)]])
    a2 = conclusion(d, "A2 = sigma(sigma(x W1 + b1) W2 + b2)")
    assert a2.prop.lhs == NET.A2 and a2.prop.rhs.shape == (1, 1)
    assert a2.prop.rhs[0].doit() == sigma(output())


def test_the_parameter_shapes_are_2x3_1x3_3x1_1x1():
    assert [m.shape for m in (NET.x, NET.W1, NET.b1, NET.W2, NET.b2)] == [
        (1, 2),
        (2, 3),
        (1, 3),
        (3, 1),
        (1, 1),
    ]
    assert [m.shape for m in (NET.Z1, NET.A1, NET.Z2, NET.A2)] == [(1, 3), (1, 3), (1, 1), (1, 1)]


def test_the_bce_gradient_is_sigma_minus_y(derived):
    thm = conclusion(derived["bce-gradient"], "dL/dz = sigma(z) - y")
    assert thm.prop.lhs == sp.Derivative(bce(y, sigma(z)), z)
    assert thm.prop.rel == "=" and thm.prop.rhs.doit() == sigma(z) - y


GRADIENTS = {  # name, parameter, the expected entry at (i, j), written independently of the module
    "dL/dW2 = A1^T (A2 - y)": (NET.W2, lambda i, j: sigma(hidden(i)) * (sigma(output()) - y)),
    "dL/db2 = A2 - y": (NET.b2, lambda i, j: sigma(output()) - y),
    "dL/dW1 = x^T [((A2 - y) W2^T) o sigma'(Z1)]": (
        NET.W1,
        lambda i, j: NET.x[i] * (sigma(output()) - y) * NET.W2[j] * sigma_prime(hidden(j)),
    ),
    "dL/db1 = ((A2 - y) W2^T) o sigma'(Z1)": (
        NET.b1,
        lambda i, j: (sigma(output()) - y) * NET.W2[j] * sigma_prime(hidden(j)),
    ),
}


@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_each_gradient_equals_the_direct_derivative_of_the_scalar_loss(derived, name):
    parameter_matrix, entry = GRADIENTS[name]
    thm = conclusion(derived["backprop-2-3-1"], name)
    loss = NET.loss(y)
    assert thm.rule == "entrywise" and all(p.rule == "derivative" for p in thm.premises)
    assert thm.prop.lhs == parameter_matrix.applyfunc(lambda p: sp.Derivative(loss, p))
    assert same_entries(thm.prop.rhs, sp.Matrix(*parameter_matrix.shape, entry))


# --- wrong variants are rejected ------------------------------------------------------


def test_a_wrongly_shaped_w1_raises_a_shape_error():
    wrong = Network(NET.x, parameter("w", 1, 3, 2), NET.b1, NET.W2, NET.b2)
    with pytest.raises(ShapeError, match="cannot multiply 1×2 by 3×2"):
        wrong.Z1
    with pytest.raises(ShapeError):
        kernel.matmul(NET.A1, NET.W2.T)


def test_a_forward_pass_without_the_hidden_sigmoid_is_refuted():
    no_hidden_sigma = sigma(sum(NET.W2[j] * hidden(j) for j in range(3)) + NET.b2[0])
    assert decide(Prop(NET.A2[0], "=", no_hidden_sigma)).status == "refuted"


def test_dl_dz_written_as_y_minus_sigma_is_refuted():
    verdict = decide(Prop(sp.Derivative(bce(y, sigma(z)), z), "=", y - sigma(z)))
    assert verdict.status == "refuted" and verdict.refutation is not None


WRONG_ENTRIES = {  # a gradient entry with one classic slip; the true one is in GRADIENTS
    "sign flipped (y - A2)": (NET.W2[0], sigma(hidden(0)) * (y - sigma(output()))),
    "missing sigma'(z_j)": (NET.W1[0, 1], NET.x[0] * (sigma(output()) - y) * NET.W2[1]),
    "wrong hidden unit's weight": (
        NET.W1[1, 0],
        NET.x[1] * (sigma(output()) - y) * NET.W2[2] * sigma_prime(hidden(0)),
    ),
    "input index swapped": (
        NET.W1[0, 2],
        NET.x[1] * (sigma(output()) - y) * NET.W2[2] * sigma_prime(hidden(2)),
    ),
}


@pytest.mark.parametrize("slip", sorted(WRONG_ENTRIES))
def test_a_gradient_entry_with_a_slip_is_refuted(slip):
    variable, wrong = WRONG_ENTRIES[slip]
    assert (
        decide(Prop(sp.Derivative(NET.loss(y), variable), "=", wrong), seconds=60).status
        == "refuted"
    )


def test_a_transposed_w1_gradient_is_rejected_for_its_shape():
    from derivations.backprop import direct, gradients

    delta1 = gradients(NET)["b1"]
    transposed = kernel.matmul(delta1.T, NET.x)  # δ1ᵀx is 3×2, W1 is 2×3
    with pytest.raises(ShapeError):
        kernel.entrywise(direct(NET, NET.W1), transposed, ())


def test_entry_theorems_for_another_matrix_do_not_make_a_gradient(derived):
    w2 = conclusion(derived["backprop-2-3-1"], "dL/dW2 = A1^T (A2 - y)")
    wrong_rhs = w2.prop.rhs.applyfunc(lambda e: -e)
    with pytest.raises(KernelError):
        kernel.entrywise(w2.prop.lhs, wrong_rhs, w2.premises)


# --- the hand-out: what it shows, and in which notation -------------------------------

HANDOUT = {  # derivation id -> the least number of blocks of each kind the hand-out shows
    "forward-matrix-form": {Prose: 2, Display: 9, Claim: 4},
    "bce-gradient": {Prose: 2, Chain: 1},
}


def handout_blocks(d, kind) -> list:
    return [b for b in d.blocks if isinstance(b, kind) and b.part != DETAIL]


@pytest.mark.parametrize(
    "ident, kind", [(i, k) for i, kinds in sorted(HANDOUT.items()) for k in kinds]
)
def test_the_handout_shows_the_answer_of_each_q1_part(derived, ident, kind):
    assert len(handout_blocks(derived[ident], kind)) >= HANDOUT[ident][kind]


def test_the_bce_gradient_is_one_brief_chain_in_the_handout(derived):
    d = derived["bce-gradient"]
    (chain,) = handout_blocks(d, Chain)
    assert chain.part == BRIEF and chain.theorem == conclusion(d, "dL/dz = sigma(z) - y")
    assert not handout_blocks(
        derived["backprop-2-3-1"], Prose
    )  # full back-propagation: proofs only


def test_the_notation_table_names_every_matrix_of_the_forward_pass(derived):
    shown_names = {str(b.lhs) for b in handout_blocks(derived["forward-matrix-form"], Display)}
    assert shown_names == set(NAMES.values())


NOTATION = {  # derivation id -> names its sheet must use; the drifting old ones must be gone
    "forward-matrix-form": (r"\mathbf{x}", "W^{(1)}", "b^{(1)}", "z^{(1)}", "a^{(1)}", r"\hat{y}"),
    "backprop-2-3-1": (r"\mathbf{x}", "W^{(2)}", "z^{(1)}", r"\delta^{(2)}", r"\hat{y}"),
}
OLD_NAMES = ("W_{1}", "W_{2}", "Z_{1}", "Z_{2}", "A_{1}", "A_{2}", r"\delta_{2}", "W1", "Z1")


@pytest.mark.parametrize("ident", sorted(NOTATION))
def test_the_sheet_uses_the_one_notation(derived, ident):
    text = derived[ident]._repr_markdown_()
    assert [n for n in NOTATION[ident] if n not in text] == []
    assert [n for n in OLD_NAMES if n in text] == []


def prose_outside_math(text: str) -> str:
    text = re.sub(r"```math.*?```", "", text, flags=re.S)
    return re.sub(r"\$`.*?`\$", "", text).replace("\\_", "_")


@pytest.mark.parametrize("ident", sorted(MODULES))
@pytest.mark.parametrize("language", ["en", "zh"])
def test_no_subscript_or_superscript_is_typed_outside_math(derived, ident, language):
    from proofsheet.sheet.render import SheetConfig, SheetRenderer

    view = SheetRenderer(SheetConfig(language=language)).derivation_view(derived[ident])
    texts = [str(b.get("text") or b.get("why") or "") for b in view["blocks"]]
    texts += [str(w["text"]) for b in view["blocks"] for w in b.get("whys", [])]
    assert texts and [t for t in texts if re.search(r"[_^]", prose_outside_math(t))] == []
