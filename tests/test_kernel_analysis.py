"""Rules for limits, monotonicity, cases, discharge, sums and scaling: true and false inputs."""

from __future__ import annotations

import pytest
import sympy as sp

from proofsheet import kernel
from proofsheet.kernel import Prop
from proofsheet.kernel.errors import KernelError
from proofsheet.kernel.notation import sigma
from proofsheet.search.decide import decide

t = sp.Symbol("t", real=True)
a, b, c = (sp.Symbol(n, real=True) for n in "abc")
G = t - 1 - sp.log(t)  # ≥ 0 for t > 0: log t ≤ t − 1
SLOPE = sp.Derivative(G, t)


def proved(prop, *assumptions):
    verdict = decide(prop, tuple(assumptions))
    assert verdict.ok, verdict.reason
    return verdict.theorem


def slope_theorem():
    return proved(Prop(SLOPE, "=", (t - 1) / t))


def increasing_right_of_one():
    sign = proved(Prop(0, "<=", (t - 1) / t), Prop(1, "<=", t), Prop(0, "<", t))
    return kernel.chain(sign, kernel.symmetry(slope_theorem()))


def decreasing_left_of_one():
    sign = proved(Prop((t - 1) / t, "<=", 0), Prop(0, "<", t), Prop(t, "<=", 1))
    return kernel.chain(slope_theorem(), sign)


def test_log_lemma_follows_from_the_sign_of_the_derivative_on_two_intervals():
    right = kernel.monotone(increasing_right_of_one(), G, t, sp.Integer(1))
    left = kernel.monotone(decreasing_left_of_one(), G, t, sp.Integer(1))
    lemma = kernel.cases(left, right, t, sp.Integer(1))
    assert lemma.prop == Prop(0, "<=", G)
    assert lemma.assumptions == (Prop(0, "<", t),)


def test_monotone_rejects_an_anchor_that_is_not_a_closed_end():
    with pytest.raises(KernelError):
        kernel.monotone(increasing_right_of_one(), G, t, sp.Integer(2))


def test_monotone_rejects_a_function_that_is_not_continuous_on_the_interval():
    # d/dt (-1/t) = 1/t² ≥ 0 wherever defined, yet -1/t is not increasing across 0
    f = -1 / t
    slope = proved(Prop(sp.Derivative(f, t), "=", 1 / t**2))
    sign = kernel.chain(proved(Prop(0, "<=", 1 / t**2), Prop(-1, "<=", t)), kernel.symmetry(slope))
    with pytest.raises(KernelError):
        kernel.monotone(sign, f, t, sp.Integer(-1))


def test_monotone_rejects_a_premise_about_another_function():
    with pytest.raises(KernelError):
        kernel.monotone(increasing_right_of_one(), G + t, t, sp.Integer(1))


def test_cases_rejects_two_halves_that_do_not_cover_the_line():
    right = kernel.monotone(increasing_right_of_one(), G, t, sp.Integer(1))
    with pytest.raises(KernelError):
        kernel.cases(right, right, t, sp.Integer(1))


def test_discharge_removes_a_proved_assumption_and_rejects_an_unrelated_one():
    conditional = kernel.assume(Prop(0, "<", a))
    positive = proved(Prop(0, "<", sigma(a)))
    with pytest.raises(KernelError):
        kernel.discharge(conditional, positive)
    instance = kernel.instantiate(kernel.assume(Prop(0, "<", a)), a, sigma(b))
    assert kernel.discharge(instance, proved(Prop(0, "<", sigma(b)))).assumptions == ()


def test_add_and_scale_combine_inequalities_and_scale_needs_a_sign():
    ab, bc = kernel.assume(Prop(a, "<=", b)), kernel.assume(Prop(b, "<", c))
    assert kernel.add(ab, bc).prop == Prop(a + b, "<", b + c)
    assert kernel.scale(ab, kernel.assume(Prop(0, "<=", c))).prop == Prop(c * a, "<=", c * b)
    with pytest.raises(KernelError):
        kernel.scale(ab, kernel.assume(Prop(c, "<=", 0)))


@pytest.mark.parametrize(
    "limit, value, ok",
    [
        (sp.Limit(-sp.log(t), t, 1, "-"), sp.Integer(0), True),
        (sp.Limit(-sp.log(t), t, 0, "+"), sp.oo, True),
        (sp.Limit(sigma(t), t, sp.oo), sp.Integer(1), True),
        (sp.Limit(-sp.log(t), t, 0, "+"), sp.Integer(0), False),
        (sp.Limit(sigma(t), t, sp.oo), sp.Rational(1, 2), False),
    ],
)
def test_limit_rule_accepts_the_true_value_only(limit, value, ok):
    if ok:
        assert kernel.limit(Prop(limit, "=", value)).rule == "limit"
    else:
        with pytest.raises(KernelError):
            kernel.limit(Prop(limit, "=", value))


@pytest.mark.parametrize("function", list(kernel.INCREASING))
@pytest.mark.parametrize("rel", ["<", "<=", "="])
def test_increasing_keeps_the_relation_and_its_direction(function, rel):
    f = kernel.INCREASING[function]
    assert kernel.increasing(kernel.assume(Prop(a, rel, b)), function).prop == Prop(f(a), rel, f(b))


@pytest.mark.parametrize("function", list(kernel.INCREASING))
@pytest.mark.parametrize("rel, flipped", [("<", ">"), ("<=", ">=")])
def test_increasing_from_b_above_a_still_puts_f_of_a_below(function, rel, flipped):
    f = kernel.INCREASING[function]
    assert kernel.increasing(kernel.assume(Prop(b, flipped, a)), function).prop == Prop(
        f(a), rel, f(b)
    )


@pytest.mark.parametrize(
    "premise, function, conclusion, added",
    [
        (Prop(-a, "<", 0), "exp", Prop(sp.exp(-a), "<", 1), ()),  # e⁰ evaluates to 1
        (Prop(1, "<", a), "log", Prop(0, "<", sp.log(a)), ()),
        (Prop(0, "<", a), "sigma", Prop(sigma(0), "<", sigma(a)), ()),
        (Prop(a**2, "<=", b), "sqrt", Prop(sp.Abs(a), "<=", sp.sqrt(b)), ()),  # a² ≥ 0 always
        # exp(log a) → a would claim a <= b at a = -1: the lost conditions become assumptions
        (
            Prop(sp.log(a), "<=", sp.log(b)),
            "exp",
            Prop(a, "<=", b),
            (Prop(0, "<", a), Prop(0, "<", b)),
        ),
    ],
)
def test_increasing_keeps_where_the_sides_were_defined(premise, function, conclusion, added):
    theorem = kernel.increasing(kernel.assume(premise), function)
    assert theorem.prop == conclusion
    assert set(theorem.assumptions) == {premise, *added}


def test_a_condition_the_evaluation_erased_keeps_the_verdict_from_claiming_more():
    from proofsheet.kernel.verdict import PolicyError, Verdict

    premise = proved(Prop(sp.log(a), "<=", sp.log(a) + 1))
    theorem = kernel.increasing(premise, "exp")  # a <= e·a, only where a > 0
    with pytest.raises(PolicyError):
        Verdict("verified", theorem.prop, theorem=theorem)


NOT_A_THEOREM = Prop(a, "<", b)


@pytest.mark.parametrize(
    "premise, function",
    [
        (lambda: NOT_A_THEOREM, "exp"),  # a Prop, unproved
        (lambda: kernel.assume(Prop(a, "<", b)), "cos"),  # not in the table
        (lambda: kernel.assume(Prop(a, "<", b)), "exp(-u)"),  # decreasing
        (lambda: kernel.assume(Prop(a, "<", b)), sp.exp),  # not a table name
        (lambda: kernel.assume(Prop(a, "<", b)), "sigma_prime"),  # not monotone
        (lambda: kernel.assume(Prop(sp.atanh(a), "<", sp.atanh(b))), "tanh"),  # tanh(atanh a) → a
        (lambda: kernel.assume(Prop(-1, "<", 1)), "log"),  # log(-1) is not real
        (lambda: kernel.assume(Prop(sp.Matrix([[a]]), "=", sp.Matrix([[a]]))), "exp"),
    ],
)
def test_increasing_refuses_a_false_input(premise, function):
    with pytest.raises(KernelError):
        kernel.increasing(premise(), function)


def test_instantiate_carries_assumptions_to_the_instance():
    lemma = kernel.assume(Prop(0, "<", t))
    assert kernel.instantiate(lemma, t, a + b).assumptions == (Prop(0, "<", a + b),)


def test_congruence_replaces_equals_inside_a_context_and_needs_a_fresh_hole():
    h = sp.Symbol("h", real=True)
    equation = kernel.assume(Prop(a, "=", b + 1))
    assert kernel.congruence(equation, sigma(h) * c, h).prop == Prop(
        sigma(a) * c, "=", sigma(b + 1) * c
    )
    with pytest.raises(KernelError):
        kernel.congruence(equation, sigma(a) * c, a)  # the hole occurs in the equation
    with pytest.raises(KernelError):
        kernel.congruence(kernel.assume(Prop(a, "<=", b)), sigma(h), h)  # not an equation


def test_congruence_refuses_a_hole_under_a_derivative_over_the_equations_variable():
    h = sp.Symbol("h", real=True)
    point_equation = kernel.assume(Prop(a, "=", b))  # holds only where a = b
    with pytest.raises(KernelError):  # d/da a = 1 but d/da b = 0
        kernel.congruence(point_equation, sp.Derivative(h, a), h)
    with pytest.raises(KernelError):
        kernel.congruence(point_equation, sp.Sum(h, (a, 1, 3)), h)
    assert kernel.congruence(point_equation, sp.Derivative(h * c, c), h).prop.lhs == sp.Derivative(
        a * c, c
    )


def test_empty_product_is_one_and_a_non_empty_one_is_not():
    k, m = sp.Symbol("k", integer=True), sp.Symbol("m", integer=True)
    assert kernel.product_empty(sp.Product(sigma(k), (k, m, m - 1))).prop.rhs == 1
    with pytest.raises(KernelError):
        kernel.product_empty(sp.Product(sigma(k), (k, m, m)))


def test_recursive_definition_gives_its_equations_and_refuses_a_second_meaning():
    n, w, prev = (
        sp.Symbol("n", integer=True),
        sp.Symbol("w", real=True),
        sp.Symbol("prev", real=True),
    )
    first, following = kernel.define_recursive("Ytest", 1, n, (w,), sigma(w), sigma(w * prev), prev)
    Y = sp.Function("Ytest")
    assert first.prop == Prop(Y(1, w), "=", sigma(w))
    assert following.prop == Prop(Y(n + 1, w), "=", sigma(w * Y(n, w)))
    assert (
        kernel.define_recursive("Ytest", 1, n, (w,), sigma(w), sigma(w * prev), prev)[0].prop
        == first.prop
    )
    with pytest.raises(KernelError):
        kernel.define_recursive("Ytest", 1, n, (w,), sigma(2 * w), sigma(w * prev), prev)
    with pytest.raises(KernelError):  # a base may not mention the function
        kernel.define_recursive("Zself", 1, n, (w,), sp.Function("Zself")(1, w), prev, prev)
    with pytest.raises(KernelError):  # nor a step at n + 1
        kernel.define_recursive("Zself", 1, n, (w,), sigma(w), sp.Function("Zself")(n + 1, w), prev)


def test_weaken_turns_strict_into_non_strict_only():
    assert kernel.weaken(kernel.assume(Prop(a, "<", b))).prop == Prop(a, "<=", b)
    with pytest.raises(KernelError):
        kernel.weaken(kernel.assume(Prop(a, "<=", b)))


def test_definitions_cannot_lean_on_each_other_to_prove_a_falsehood():
    # Pbad(0) := Qbad(0) + 1 uses Qbad as an unknown; defining Qbad(0) := Pbad(0) + 1 afterwards
    # would give Pbad(0) = Pbad(0) + 2. The kernel refuses the second definition.
    n, prev = sp.Symbol("n", integer=True), sp.Symbol("prev", real=True)
    P, Qf = sp.Function("Pbad"), sp.Function("Qbad")
    kernel.define_recursive("Pbad", 0, n, (), Qf(0) + 1, prev, prev)
    with pytest.raises(KernelError):
        kernel.define_recursive("Qbad", 0, n, (), P(0) + 1, prev, prev)


def test_simultaneous_definition_reads_the_family_only_at_the_previous_index():
    n, prev = sp.Symbol("n", integer=True), sp.Symbol("prev", real=True)
    A, B = sp.Function("Asim"), sp.Function("Bsim")
    eq = kernel.define_simultaneous(
        ("Asim", "Bsim"), 0, n, (), (sp.Integer(1), sp.Integer(2)), (prev + B(n), prev * A(n)), prev
    )
    assert eq["Asim"][1].prop == Prop(A(n + 1), "=", A(n) + B(n))
    with pytest.raises(KernelError):  # reads the family at n + 1
        kernel.define_simultaneous(
            ("Csim", "Dsim"),
            0,
            n,
            (),
            (sp.Integer(1), sp.Integer(2)),
            (prev + sp.Function("Dsim")(n + 1), prev),
            prev,
        )


def test_every_kernel_rule_has_a_name_in_both_languages():
    import re
    from pathlib import Path

    from proofsheet.record.replay import RULES
    from proofsheet.sheet.render import RULE_NAMES

    for rule in set(RULES) | {"assumption"}:
        assert RULE_NAMES[rule].get("en", rule) and RULE_NAMES[rule].get("zh", rule)
    kernel_dir = Path(kernel.__file__).parent
    made = set(
        re.findall(
            r'_theorem\([^,]+, "([a-z-]+)"', "".join(p.read_text() for p in kernel_dir.glob("*.py"))
        )
    )
    assert made <= set(RULES) | {"assumption"}


def test_instantiate_refuses_a_value_that_a_bound_variable_would_capture():
    k, m = sp.Symbol("k", integer=True), sp.Symbol("m", integer=True)
    # ∏_{k=1}^{m} a = a^m holds for every a; with a := k it would claim ∏ k = k^m
    power = kernel.assume(Prop(sp.Product(a, (k, 1, m)), "=", a**m))
    with pytest.raises(KernelError):
        kernel.instantiate(power, a, k)
    assert kernel.instantiate(power, a, b).prop == Prop(sp.Product(b, (k, 1, m)), "=", b**m)
