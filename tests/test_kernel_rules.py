"""The kernel's signature: one list of rules that the replay and the descriptions share, each rule
refusing a false input; the sign-factor kinds; and the policy that says "verified"."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import sympy as sp

from proofsheet import describe, kernel, replay
from proofsheet.certificates import (FACTOR_KINDS, DerivativeIdentity, IntervalCertificate,
                                     RationalIdentity, SignCertificate, SignTerm, Substitution)
from proofsheet.cli import main as cli_main
from proofsheet.errors import KernelError
from proofsheet.kernel import RELATIONS, SIGNATURE, Prop
from proofsheet.kernel.algebra import _FACTOR_CHECKS
from proofsheet.kernel.verdict import PolicyError, Verdict, not_real
from proofsheet.notation import sigma
from proofsheet.soundness import forgeries
from proofsheet.tactics import decide

x, a, b = (sp.Symbol(name, real=True) for name in "xab")
s = sp.Symbol("s", positive=True)
n, k = sp.Symbol("n", integer=True), sp.Symbol("k", integer=True)
m = sp.Symbol("m", negative=True)
h = sp.Symbol("h", real=True)
NONE = Substitution()
DUCK = SimpleNamespace(prop=Prop(2, "=", 1), assumptions=(), premises=())


def identity():
    return kernel.rational_identity(Prop((x + 1) ** 2, "=", x ** 2 + 2 * x + 1), RationalIdentity())


def le(lhs, rhs):
    return kernel.assume(Prop(lhs, "<=", rhs))


#: rule -> a false input it must refuse (a false certificate, premise or instance).
REFUSALS = {
    "rational-identity": lambda: kernel.rational_identity(Prop((x + 1) ** 2, "=", x ** 2 + 1),
                                                          RationalIdentity()),
    "derivative": lambda: kernel.derivative(Prop(sp.Derivative(x ** 2, x), "=", x),
                                            DerivativeIdentity()),
    "certified-sign": lambda: kernel.certified_sign(
        Prop(0, "<=", x), SignCertificate(NONE, (SignTerm(sp.Integer(1), (("square", x),)),))),
    "interval-order": lambda: kernel.interval_order(Prop(1, "<", 1), IntervalCertificate()),
    "entrywise": lambda: kernel.entrywise(sp.Matrix([[1]]), sp.Matrix([[2]]), (identity(),)),
    "monotone-product": lambda: kernel.monotone_product(le(-1, a), le(a, 1), le(0, b), le(b, 1)),
    "assumption": lambda: kernel.assume("1 = 2"),
    "induction": lambda: kernel.induction(Prop(0, "<=", n), n, 0, le(0, 1), le(0, n + 1)),
    "product-peel": lambda: kernel.product_peel(sp.Sum(k, (k, 1, n))),
    "product-empty": lambda: kernel.product_empty(sp.Product(k, (k, 1, 1))),
    "define": lambda: kernel.define_recursive("Fbad", 0, n, (), n, n, h),
    "weaken": lambda: kernel.weaken(le(a, b)),
    "chain": lambda: kernel.chain(le(a, b), le(a, b)),
    "symmetry": lambda: kernel.symmetry(DUCK),
    "instantiate": lambda: kernel.instantiate(kernel.assume(Prop(m, "<", 0)), m, sp.Integer(1)),
    "discharge": lambda: kernel.discharge(le(a, b), le(0, 1)),
    "cases": lambda: kernel.cases(le(0, m), le(0, m), sp.Integer(0), sp.sqrt(m)),
    "add": lambda: kernel.add(DUCK, le(a, b)),
    "scale": lambda: kernel.scale(le(a, b), le(h, 0)),
    "congruence": lambda: kernel.congruence(kernel.assume(Prop(a, "=", b)), sp.exp(a), a),
    "limit": lambda: kernel.limit(Prop(sp.Limit(1 / x, x, sp.oo), "=", 1)),
    "monotone": lambda: kernel.monotone(le(0, x), x ** 2, x, sp.Integer(0)),
    "exp-monotone": lambda: kernel.exp_monotone(DUCK),
}


def test_the_signature_the_replay_and_the_descriptions_name_the_same_rules():
    assert list(SIGNATURE) == list(replay.RULES) == list(describe.RULE_NAMES)


def test_every_rule_the_kernel_applies_is_in_the_signature_and_back():
    source = "".join(p.read_text() for p in Path(kernel.__file__).parent.glob("*.py"))
    calls = re.findall(r"_theorem\(((?:[^\n]*\n?){1,3})", source)
    made = set()
    for call in calls:
        names = [w for w in re.findall(r'"([a-z-]+)"', call) if w not in RELATIONS]
        if names:
            made.add(names[0])
    assert made == set(SIGNATURE)


def test_every_rule_has_a_false_input_to_refuse():
    assert set(REFUSALS) == set(SIGNATURE)


@pytest.mark.parametrize("rule", list(REFUSALS))
def test_the_rule_refuses_a_false_input(rule):
    with pytest.raises(KernelError):
        REFUSALS[rule]()


@pytest.mark.parametrize("start, ok", [
    (0, True), (sp.Integer(0), True), (sp.Rational(1, 2), False), (0.5, False), (True, False)])
def test_induction_starts_only_at_an_integer(start, ok):
    claim = Prop(0, "<=", n ** 2)
    square = SignCertificate(NONE, (SignTerm(sp.Integer(1), (("square", n + 1),)),))
    step = kernel.certified_sign(Prop(0, "<=", (n + 1) ** 2), square)
    base = kernel.certified_sign(Prop(0, "<=", sp.Integer(start) ** 2 if ok else 0),
                                 SignCertificate(NONE, ()))
    run = lambda: kernel.induction(claim, n, start, base, step)  # noqa: E731
    if ok:
        assert run().assumptions == (Prop(0, "<=", n),)
    else:
        with pytest.raises(KernelError, match="not an integer"):
            run()


@pytest.mark.parametrize("variable, split, ok", [
    (x, sp.Integer(1), True), (sp.Integer(0), sp.sqrt(m), False), (x, sp.sqrt(x), False),
    (sp.I, sp.Integer(0), False)])
def test_cases_splits_only_on_real_terms(variable, split, ok):
    claim = Prop(0, "<=", x ** 2)
    square = SignCertificate(NONE, (SignTerm(sp.Integer(1), (("square", x),)),))
    halves = [kernel.certified_sign(claim, square, (Prop(lo, "<=", hi),))
              for lo, hi in ((variable, split), (split, variable))]
    if ok:
        assert kernel.cases(*halves, variable, split).assumptions == ()
    else:
        with pytest.raises(KernelError, match="must both be real"):
            kernel.cases(*halves, variable, split)


@pytest.mark.parametrize("value, ok", [(sp.Integer(1), False), (sp.Integer(0), False),
                                       (sp.Integer(-2), True), (-s, True)])
def test_instantiate_reads_the_symbol_facts_table(value, ok):
    lemma = kernel.assume(Prop(m, "<", 0))
    if ok:
        assert kernel.instantiate(lemma, m, value).prop == Prop(value, "<", 0)
    else:
        with pytest.raises(KernelError):
            kernel.instantiate(lemma, m, value)


def test_the_kernel_checks_and_describes_exactly_the_listed_factor_kinds():
    assert set(_FACTOR_CHECKS) == set(FACTOR_KINDS)
    for kind in FACTOR_KINDS:
        cert = SignCertificate(NONE, (SignTerm(sp.Integer(1), ((kind, s),)),))
        assert kind in describe.describe(cert)
    with pytest.raises(ValueError, match="unknown sign-factor kind"):
        SignTerm(sp.Integer(1), (("trust-me", s),))


def test_prove_with_the_inverse_of_a_hypothesis_prints_a_verdict(capsys):
    assert cli_main(["prove", "0 < 1/s", "--assume", "0 < s"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("verified: 0 < 1/s") and "inv-hyp" in out


@pytest.mark.parametrize("stated, ok", [((), False), ((Prop(0, "<", x),), True),
                                        ((Prop(0, "<", x), Prop(x, "<", 1)), True)])
def test_a_verified_verdict_needs_every_assumption_stated(stated, ok):
    theorem = kernel.assume(Prop(0, "<", x))
    if ok:
        assert Verdict("verified", theorem.prop, theorem=theorem, assumptions=stated).ok
    else:
        with pytest.raises(PolicyError, match="proved only under 0 < x"):
            Verdict("verified", theorem.prop, theorem=theorem, assumptions=stated)


@pytest.mark.parametrize("upwards, ok", [(1, True), (0, False)])
def test_a_verified_verdict_may_take_for_granted_only_that_a_range_runs_upwards(upwards, ok):
    i, big_d = sp.Symbol("i", integer=True), sp.Symbol("D", integer=True)
    product = sp.Product(s, (k, i, big_d))
    same = kernel.rational_identity(Prop(product, "=", product), RationalIdentity())
    theorem = kernel.add(same, kernel.assume(Prop(0, "<=", big_d - i + upwards)))
    if ok:
        assert Verdict("verified", theorem.prop, theorem=theorem).ok
    else:
        with pytest.raises(PolicyError):
            Verdict("verified", theorem.prop, theorem=theorem)


@pytest.mark.parametrize("lhs, reason", [
    (sp.log(sp.Integer(-1), evaluate=False), "not a real number: log(-1) needs -1 > 0"),
    (sp.sqrt(sp.Integer(-4), evaluate=False), "not a real number: sqrt(-4) needs -4 ≥ 0"),
    (sp.I, "not a real number: the statement contains I, zoo or nan"),
    (sigma(sp.oo), "not a real number: ∞ appears outside a limit"),  # σ(∞) = 1 unfolds to 1
    (x + sp.oo, "not a real number: ∞ appears outside a limit"),
])
def test_a_statement_about_a_non_real_number_is_undecided_up_front(lhs, reason):
    verdict = decide(Prop(lhs, "<=", 4))
    assert verdict.status == "undecided" and verdict.reason == reason


@pytest.mark.parametrize("prop", [
    Prop(sp.Limit(1 / x, x, 0, "+"), "=", sp.oo),
    Prop(sp.Limit(sigma(x), x, sp.oo), "=", 1),
])
def test_infinity_as_a_limit_point_or_value_is_allowed(prop):
    assert not_real(prop) is None


def test_a_forged_status_is_refused():
    with pytest.raises(KernelError, match="unknown verdict status"):
        Verdict("proved", Prop(x, "=", x))


def test_forgeries_table_covers_the_issue():
    names = " ".join(f.name for f in forgeries.FORGERIES)
    for door in ("dataclasses.replace", "key", "copy", "pickle", "induction from 1/2", "sqrt",
                 "hidden assumptions", "Chain.link", "swapped", "out of range", "bad JSON"):
        assert door in names
