"""Q3.2, Q3.3 and beyond.

Every step verified, each conclusion is the claimed statement, wrong variants rejected;
the hand-out shows the answer in a person's order, and the sample's mistakes are refuted.
"""

from __future__ import annotations

import json
import re

import proved
import pytest
import sympy as sp

from derivations import chain_rule_depth as crd
from derivations import softmax_ce_gradient as sce
from derivations.deep_chain import D, Q, i, k, n, u
from proofsheet import kernel
from proofsheet.kernel import Prop
from proofsheet.kernel.errors import KernelError
from proofsheet.kernel.notation import sigma, sigma_prime
from proofsheet.record.prooflog import proof_log
from proofsheet.record.replay import replay
from proofsheet.search.decide import decide
from proofsheet.sheet.build import all_theorems
from proofsheet.sheet.derivation import BRIEF, Chain
from proofsheet.sheet.render import ANSWERS, PROOFS, SheetConfig, SheetRenderer

x = sp.Symbol("x", real=True)
MODULES = {
    id_: id_.replace("-", "_")
    for id_ in (
        "sigmoid-derivative",
        "sigmoid-derivative-bound",
        "vanishing-gradient-bound",
        "chain-rule-depth",
        "softmax-ce-gradient",
        "tanh-relation",
    )
}


derived = proved.derived


def conclusion(id_: str, name: str) -> kernel.Theorem:
    return dict(derived(id_).conclusions)[name]


def evaluated(e: sp.Basic) -> sp.Basic:
    """The expression with its display wrappers (kept order, UnevaluatedExpr) evaluated away."""
    if isinstance(e, sp.UnevaluatedExpr):
        return evaluated(e.args[0])
    return e.func(*(evaluated(a) for a in e.args)) if e.args else e


def plain(prop: Prop) -> Prop:
    return Prop(evaluated(prop.lhs), prop.rel, evaluated(prop.rhs))


@pytest.mark.parametrize("id_", MODULES)
def test_every_step_and_conclusion_is_verified(id_):
    d = derived(id_)
    assert d.id == id_ and d.steps and d.conclusions
    assert [s.verdict.status for s in d.steps] == ["verified"] * len(d.steps)
    assert d.verified and not d.failed_conclusions


@pytest.mark.parametrize("id_", MODULES)
def test_proof_log_replays_without_the_tactics(id_):
    log = json.loads(json.dumps(proof_log(list(all_theorems([derived(id_)])))))
    assert len(replay(log)) == len(log["conclusions"])


@pytest.mark.parametrize(
    "name, prop, assumptions",
    [
        ("sigma'(x) <= 1/4", Prop(sigma_prime(x), "<=", Q), ()),
        ("0 < sigma'(x)", Prop(0, "<", sigma_prime(x)), ()),
        ("sigma'(0) = 1/4", Prop(sigma_prime(0), "=", Q), ()),
        ("sigma'(x) < 1/4 for x > 0", Prop(sigma_prime(x), "<", Q), (Prop(0, "<", x),)),
        ("sigma'(x) < 1/4 for x < 0", Prop(sigma_prime(x), "<", Q), (Prop(x, "<", 0),)),
    ],
)
def test_sigmoid_slope_bound_and_its_equality_case_are_proved(name, prop, assumptions):
    theorem = conclusion("sigmoid-derivative-bound", name)
    assert theorem.prop == prop and theorem.assumptions == assumptions


def test_vanishing_bound_has_exponent_d_minus_i_plus_1():
    theorem = conclusion("vanishing-gradient-bound", "prod_{k=i}^{D} sigma'(u_k) <= (1/4)^(D-i+1)")
    assert theorem.prop == Prop(sp.Product(sigma_prime(u[k]), (k, i, D)), "<=", Q ** (D - i + 1))
    assert theorem.assumptions == (Prop(i, "<=", D),)  # only: the empty product is a rule
    instance = theorem.premises[0]
    assert theorem.rule == "discharge" and instance.rule == "instantiate"
    assert instance.premises[0].rule == "induction"


def test_bounded_weights_give_c_over_4_to_the_number_of_layers_above():
    c, v = sp.Symbol("c", positive=True), sp.IndexedBase("v", real=True)
    theorem = conclusion(
        "vanishing-gradient-bound", "prod_{k=i+1}^{D} |w_k| sigma'(u_k) <= (c/4)^(D-i)"
    )
    assert theorem.prop == Prop(
        sp.Product(c * sigma(v[k]) * sigma_prime(u[k]), (k, i + 1, D)), "<=", (c / 4) ** (D - i)
    )


def test_student_exponent_letter_is_not_what_was_proved():
    L = sp.Symbol("L", integer=True)
    proved = conclusion(
        "vanishing-gradient-bound", "prod_{k=i}^{D} sigma'(u_k) <= (1/4)^(D-i+1)"
    ).prop
    for wrong in (Q ** (L - i + 1), Q ** (D - i)):
        assert Prop(proved.lhs, "<=", wrong) != proved


def explicit_slopes(depth: int, first: int = 1) -> sp.Expr:
    return sp.Mul(*(sigma_prime(sp.Symbol(f"u_{m}", real=True)) for m in range(first, depth + 1)))


@pytest.mark.parametrize(
    "lhs, exponent",
    [
        (explicit_slopes(3), 4),  # the letter L with L = D + 1: (1/4)^(L−i+1) for D = 3, i = 1
        (explicit_slopes(3, 2), 3),  # one factor short: ∏_{k=i+1}^{D} against (1/4)^(D−i+1)
    ],
)
def test_wrong_exponent_is_refuted_on_an_explicit_instance(lhs, exponent):
    verdict = decide(Prop(lhs, "<=", Q**exponent))
    assert verdict.status == "refuted"


def test_proved_bound_instantiates_to_the_right_exponent_on_the_same_instance():
    general = conclusion("vanishing-gradient-bound", "prod_{k=i}^{D} sigma'(u_k) <= (1/4)^(D-i+1)")
    instance = kernel.instantiate(kernel.instantiate(general, D, sp.Integer(3)), i, sp.Integer(1))
    assert instance.prop == Prop(sp.Product(sigma_prime(u[k]), (k, 1, 3)), "<=", Q**3)


@pytest.mark.parametrize(
    "prop", [Prop(sigma_prime(x), "<=", sp.Rational(1, 5)), Prop(sigma_prime(x), "<", Q)]
)
def test_too_strong_slope_bounds_are_refuted(prop):
    verdict = decide(prop)
    assert verdict.status == "refuted" and dict(verdict.refutation.point)[x] == 0


def test_a_lemma_without_a_kernel_proof_is_an_error_naming_it_and_the_reason():
    from derivations.common import proved

    with pytest.raises(KernelError, match=r"sigma_prime\(x\) <= 1/5: refuted"):
        proved(Prop(sigma_prime(x), "<=", sp.Rational(1, 5)))
    assert proved(Prop(sigma_prime(x), "<=", Q)).rule == "certified-sign"


def test_chain_rule_is_checked_for_every_depth_up_to_8():
    for depth in range(1, crd.MAX_DEPTH + 1):
        for layer in range(1, depth + 1):
            theorem = conclusion("chain-rule-depth", f"D = {depth}, i = {layer}")
            expected = crd.formula(depth, layer, depth <= crd.SHOWN_DEPTH)
            assert theorem.prop == expected and theorem.rule == "derivative"


def test_chain_rule_missing_a_weight_is_refuted_at_depth_3():
    right = crd.formula(3, 1, False)
    wrong = Prop(right.lhs, "=", right.rhs.subs(crd.layer_symbol("w", 3), 1))
    assert decide(right).status == "verified"
    assert decide(wrong).status == "refuted"


def test_general_depth_base_and_step_are_the_induction_parts():
    base = conclusion("chain-rule-depth", "general depth: base case")
    step = conclusion("chain-rule-depth", "general depth: inductive step")
    assert base.prop == crd.claim(sp.Integer(0)) and base.assumptions == ()
    assert step.prop == crd.claim(n + 1)
    assert set(step.assumptions) == {
        crd.claim(n),
        Prop(0, "<=", n),
    }  # the hypothesis and n ≥ 0, nothing else


def test_general_depth_is_one_theorem_for_every_depth_by_induction():
    theorem = conclusion("chain-rule-depth", "general depth: dy(D)/dw(i) for every D >= i")
    assert theorem.prop == crd.claim(n).subs({n: D - i})
    assert theorem.prop.lhs == sp.Derivative(crd.Y(D - i), crd.theta)
    assert theorem.prop.rhs.has(
        sp.Product(crd.weight(k) * sigma_prime(crd.pre_activation(k)), (k, i + 1, D))
    )
    assert theorem.assumptions == (Prop(i, "<=", D),)  # and no layer definition
    instance = theorem.premises[0]
    assert theorem.rule == "discharge" and instance.rule == "instantiate"
    assert instance.premises[0].rule == "induction"
    every_n = conclusion("chain-rule-depth", "general depth: every n >= 0, by induction")
    assert every_n.prop == crd.claim(n) and every_n.assumptions == (Prop(0, "<=", n),)


def test_general_depth_formula_without_the_first_factor_has_no_induction():
    wrong = Prop(crd.claim(n).lhs, "=", crd.product_above(n))
    with pytest.raises(KernelError, match="base case"):
        kernel.induction(wrong, n, 0, crd.base_case(), crd.step_case())
    with pytest.raises(
        KernelError, match="another assumption about n"
    ):  # the definition's step is for n ≥ 0
        kernel.induction(
            crd.claim(n),
            n,
            1,
            kernel.instantiate(crd.step_case(), n, sp.Integer(0)),
            crd.step_case(),
        )


# --- the hand-out (Q3.2, Q3.3): what it shows, in a person's order, and the sample's mistakes ---

HANDOUT = ("sigmoid-derivative", "sigmoid-derivative-bound", "chain-rule-depth")
HANDOUT += ("vanishing-gradient-bound",)
L = sp.Symbol("L", integer=True)  #: the letter of the sample answer's exponent (its loss)


def view(id_: str, document: str = ANSWERS, language: str = "en") -> dict:
    return SheetRenderer(SheetConfig(language=language), document).derivation_view(derived(id_))


def displayed(id_: str) -> str:
    """Every display row of the hand-out's part of the derivation, as LaTeX."""
    return "\n".join(
        r["left"] + " " + r["right"] for b in view(id_)["blocks"] for r in b.get("rows", [])
    )


@pytest.mark.parametrize(
    "id_, kinds",
    [
        ("sigmoid-derivative", ["prose", "steps", "steps", "figure"]),
        ("sigmoid-derivative-bound", ["prose", "steps", "steps", "prose"]),
        ("chain-rule-depth", ["prose", "prose", "steps", "prose"]),
        ("vanishing-gradient-bound", ["prose", "steps", "figure", "prose"]),
    ],
)
def test_handout_shows_the_answer_blocks_in_order(id_, kinds):
    assert [b["kind"] for b in view(id_)["blocks"]] == kinds


@pytest.mark.parametrize(
    "id_, rows_per_display",
    [
        ("sigmoid-derivative", [6, 1]),  # the chain in full: it is short
        ("sigmoid-derivative-bound", [1, 1]),  # 0 < σ' and σ' ≤ 1/4, brief
        ("chain-rule-depth", [1]),  # the chain-rule product, brief; induction in the proofs
        ("vanishing-gradient-bound", [1]),  # the bound, brief; induction in the proofs
    ],
)
def test_handout_keeps_long_proofs_to_their_first_and_last_term(id_, rows_per_display):
    steps = [b for b in view(id_)["blocks"] if b["kind"] == "steps"]
    assert [len(b["rows"]) for b in steps] == rows_per_display
    assert len(view(id_, PROOFS)["blocks"]) >= len(view(id_)["blocks"])


@pytest.mark.parametrize(
    "id_, persons, sympys",
    [
        (
            "sigmoid-derivative",
            r"\sigma'\left(x\right) = \sigma\left(x\right) \left(1 - \sigma\left(x\right)\right)",
            r"\left(1 - \sigma\left(x\right)\right) \sigma\left(x\right)",
        ),
        (
            "chain-rule-depth",
            r"y^{(i-1)} \sigma'\left(u^{(i)}\right) \prod_{k=i + 1}^{D} w^{(k)} "
            r"\sigma'\left(u^{(k)}\right)",
            "1 + i",
        ),
        (
            "vanishing-gradient-bound",
            r"\prod_{k=i}^{D} \sigma'\left(u^{(k)}\right) \le \left(\frac{1}{4}\right)^{D - i + 1}",
            "1 + D",
        ),
        ("sigmoid-derivative-bound", r"\sigma'\left(x\right) \le \frac{1}{4}", r"\frac{1}{4} \ge"),
    ],
)
def test_handout_displays_keep_a_persons_term_order(id_, persons, sympys):
    shown = displayed(id_)
    assert persons in shown and sympys not in shown


@pytest.mark.parametrize(
    "id_, ends", [("chain-rule-depth", "="), ("vanishing-gradient-bound", "<=")]
)
def test_handout_chains_say_what_the_kernel_proved_for_every_depth_from_i(id_, ends):
    (chain,) = [b for b in derived(id_).blocks if isinstance(b, Chain) and b.part == BRIEF]
    theorem = chain.theorem
    assert theorem is not None and theorem.prop.rel == ends
    assert theorem.assumptions == (Prop(i, "<=", D),)
    assert plain(theorem.prop) == plain(chain.steps[0].prop)  # written out, the same claim


def prose_of(v: dict) -> list[str]:
    """Every piece of prose a document shows for a derivation: text, notes, captions, mistakes."""
    words = [v["title"]]
    for b in v["blocks"]:
        words += [b.get("text", ""), b.get("why", ""), b.get("caption", "")]
        words += [w["text"] for w in b.get("whys", [])]
    words += [m[key] for m in v["mistakes"] for key in ("where", "why")]
    return [str(w) for w in words if w]


HAND_TYPED = re.compile(r"[_^\u00b2\u00b3\u00b9\u2070-\u209f\u1d2c-\u1d6a]")  #: x_1, e^x, ⁽ᵏ⁾, ₖ


@pytest.mark.parametrize("document", [ANSWERS, PROOFS])
@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("id_", HANDOUT)
def test_prose_prints_its_math_as_math(id_, language, document):
    for words in prose_of(view(id_, document, language)):
        outside = re.sub(r"\$`.*?`\$", "", words)
        assert not HAND_TYPED.search(outside), words
        assert not re.search(r"True|False", words), words  # a relation SymPy evaluated away
        if language == "zh":
            assert not re.search(r"[a-z]+-[a-z]+|SymPy|\bthe\b", outside), words


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("id_", ["sigmoid-derivative", "vanishing-gradient-bound"])
def test_figure_captions_keep_the_markdown_image_alt_text_intact(id_, language):
    (figure,) = [b for b in view(id_, ANSWERS, language)["blocks"] if b["kind"] == "figure"]
    assert figure["caption"] and not re.search(r"[\[\]]", str(figure["caption"]))


def test_missing_plots_are_named_as_an_omission_of_q32():
    (plots,) = derived("sigmoid-derivative").mistakes
    assert plots.verdict is None and not plots.refuted
    assert "draw" in plots.why.en and "画" in plots.why.zh


def test_sample_exponent_is_refuted_at_whole_numbers_with_i_at_most_d_and_l_not_d():
    (exponent,) = derived("vanishing-gradient-bound").mistakes
    sample = Prop(sp.Product(sigma_prime(u[k]), (k, i, D)), "<=", Q ** (L - i + 1))
    assert exponent.refuted and plain(exponent.verdict.prop) == sample
    refutation = exponent.verdict.refutation
    point = dict(refutation.point)
    assert all(point[s].is_integer for s in (i, D, L))
    assert 1 <= point[i] <= point[D] and point[L] != point[D]
    assert float(refutation.lhs_value) > float(refutation.rhs_value)


@pytest.mark.parametrize("id_", ["sigmoid-derivative-bound", "chain-rule-depth"])
def test_parts_without_a_sample_slip_name_none(id_):
    assert derived(id_).mistakes == []


def test_softmax_gradient_for_any_number_of_classes():
    theorem = conclusion("softmax-ce-gradient", "dL/dz_j = yhat_j - y_j (any K, given sum y = 1)")
    assert plain(theorem.prop) == Prop(sp.Derivative(sce.LOSS, sce.zj), "=", sce.yhat_j - sce.yj)
    assert theorem.assumptions == (Prop(sce.yj + sce.others(sce.yo[k]), "=", 1),)
    for size in sce.EXPLICIT:
        for j in range(1, size + 1):
            assert conclusion("softmax-ce-gradient", f"K = {size}, j = {j}").prop == sce.explicit(
                size, j
            )


def test_softmax_gradient_with_the_sign_flipped_is_rejected():
    right = sce.explicit(3, 2)
    assert decide(Prop(right.lhs, "=", -right.rhs)).status == "refuted"
    with pytest.raises(KernelError):
        sce.checked(Prop(sp.Derivative(sce.LOSS, sce.zj), "=", sce.yj - sce.yhat_j))


@pytest.mark.parametrize(
    "name, prop",
    [
        ("tanh(x) = 2 sigma(2x) - 1", Prop(sp.tanh(x), "=", 2 * sigma(2 * x) - 1)),
        (
            "tanh'(x) = 1 - tanh(x)^2 = 4 sigma'(2x)",
            Prop(sp.Derivative(sp.tanh(x), x), "=", 4 * sigma_prime(2 * x)),
        ),
        ("tanh'(x) <= 1", Prop(sp.Derivative(sp.tanh(x), x), "<=", 1)),
        ("tanh'(0) = 4 sigma'(0) = 1", Prop(4 * sigma_prime(0), "=", 1)),
    ],
)
def test_tanh_is_a_rescaled_sigmoid_with_slope_at_most_1(name, prop):
    assert plain(conclusion("tanh-relation", name).prop) == prop


def test_tanh_without_the_factor_2_inside_is_refuted():
    assert decide(Prop(sp.tanh(x), "=", 2 * sigma(x) - 1)).status == "refuted"
