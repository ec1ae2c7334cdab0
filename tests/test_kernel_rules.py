"""The kernel's signature: one list of rules that the replay and the descriptions share, each rule
refusing a false input; the sign-factor kinds; and the policy that says "verified"."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import sympy as sp

from proofsheet import kernel
from proofsheet.cli import main as cli_main
from proofsheet.kernel import RELATIONS, SIGNATURE, Prop
from proofsheet.kernel.algebra import _FACTOR_CHECKS
from proofsheet.kernel.certificates import (
    FACTOR_KINDS,
    DerivativeIdentity,
    IntervalCertificate,
    RationalIdentity,
    SignCertificate,
    SignTerm,
    Substitution,
)
from proofsheet.kernel.errors import KernelError
from proofsheet.kernel.notation import sigma
from proofsheet.kernel.verdict import PolicyError, Verdict, not_real, written_domain
from proofsheet.record import describe, replay
from proofsheet.search.decide import decide
from proofsheet.soundness import forgeries

x, a, b = (sp.Symbol(name, real=True) for name in "xab")
s = sp.Symbol("s", positive=True)
n, k = sp.Symbol("n", integer=True), sp.Symbol("k", integer=True)
m = sp.Symbol("m", negative=True)
h = sp.Symbol("h", real=True)
NONE = Substitution()
DUCK = SimpleNamespace(prop=Prop(2, "=", 1), assumptions=(), premises=())


def identity():
    return kernel.rational_identity(Prop((x + 1) ** 2, "=", x**2 + 2 * x + 1), RationalIdentity())


def le(lhs, rhs):
    return kernel.assume(Prop(lhs, "<=", rhs))


#: rule -> a false input it must refuse (a false certificate, premise or instance).
REFUSALS = {
    "rational-identity": lambda: kernel.rational_identity(
        Prop((x + 1) ** 2, "=", x**2 + 1), RationalIdentity()
    ),
    "derivative": lambda: kernel.derivative(
        Prop(sp.Derivative(x**2, x), "=", x), DerivativeIdentity()
    ),
    "certified-sign": lambda: kernel.certified_sign(
        Prop(0, "<=", x), SignCertificate(NONE, (SignTerm(sp.Integer(1), (("square", x),)),))
    ),
    "interval-order": lambda: kernel.interval_order(Prop(1, "<", 1), IntervalCertificate()),
    "entrywise": lambda: kernel.entrywise(sp.Matrix([[1]]), sp.Matrix([[2]]), (identity(),)),
    "monotone-product": lambda: kernel.monotone_product(le(-1, a), le(a, 1), le(0, b), le(b, 1)),
    "assumption": lambda: kernel.assume("1 = 2"),
    "induction": lambda: kernel.induction(Prop(0, "<=", n), n, 0, le(0, 1), le(0, n + 1)),
    "product-peel": lambda: kernel.product_peel(sp.Sum(k, (k, 1, n))),
    "product-empty": lambda: kernel.product_empty(sp.Product(k, (k, 1, 1))),
    "sum-peel": lambda: kernel.sum_peel(sp.Product(k, (k, 1, n))),
    "sum-empty": lambda: kernel.sum_empty(sp.Sum(k, (k, 1, 1))),
    "member": lambda: kernel.member(Prop(0, "<", sp.IndexedBase(a)[k]), sp.Integer(1)),
    "define": lambda: kernel.define_recursive("Fbad", 0, n, (), n, n, h),
    "weaken": lambda: kernel.weaken(le(a, b)),
    "chain": lambda: kernel.chain(le(a, b), le(a, b)),
    "symmetry": lambda: kernel.symmetry(DUCK),
    "instantiate": lambda: kernel.instantiate(kernel.assume(Prop(m, "<", 0)), m, sp.Integer(1)),
    "instantiate-under": lambda: kernel.instantiate_under(
        kernel.assume(Prop(m, "<", 0)), ((m, sp.Integer(1)),), Prop(1, "<", 0)
    ),
    "discharge": lambda: kernel.discharge(le(a, b), le(0, 1)),
    "cases": lambda: kernel.cases(le(0, m), le(0, m), sp.Integer(0), sp.sqrt(m)),
    "add": lambda: kernel.add(DUCK, le(a, b)),
    "scale": lambda: kernel.scale(le(a, b), le(h, 0)),
    "congruence": lambda: kernel.congruence(kernel.assume(Prop(a, "=", b)), sp.exp(a), a),
    "limit": lambda: kernel.limit(Prop(sp.Limit(1 / x, x, sp.oo), "=", 1)),
    "monotone": lambda: kernel.monotone(le(0, x), x**2, x, sp.Integer(0)),
    "increasing": lambda: kernel.increasing(DUCK, "exp"),
    "equal-powers": lambda: kernel.equal_powers(
        Prop(x, "=", -x), 2, kernel.rational_identity(Prop(x**2, "=", x**2), RationalIdentity())
    ),
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


@pytest.mark.parametrize(
    "start, ok",
    [(0, True), (sp.Integer(0), True), (sp.Rational(1, 2), False), (0.5, False), (True, False)],
)
def test_induction_starts_only_at_an_integer(start, ok):
    claim = Prop(0, "<=", n**2)
    square = SignCertificate(NONE, (SignTerm(sp.Integer(1), (("square", n + 1),)),))
    step = kernel.certified_sign(Prop(0, "<=", (n + 1) ** 2), square)
    base = kernel.certified_sign(
        Prop(0, "<=", sp.Integer(start) ** 2 if ok else 0), SignCertificate(NONE, ())
    )
    run = lambda: kernel.induction(claim, n, start, base, step)
    if ok:
        assert run().assumptions == (Prop(0, "<=", n),)
    else:
        with pytest.raises(KernelError, match="not an integer"):
            run()


@pytest.mark.parametrize(
    "variable, split, ok",
    [
        (x, sp.Integer(1), True),
        (sp.Integer(0), sp.sqrt(m), False),
        (x, sp.sqrt(x), False),
        (sp.I, sp.Integer(0), False),
    ],
)
def test_cases_splits_only_on_real_terms(variable, split, ok):
    claim = Prop(0, "<=", x**2)
    square = SignCertificate(NONE, (SignTerm(sp.Integer(1), (("square", x),)),))
    halves = [
        kernel.certified_sign(claim, square, (Prop(lo, "<=", hi),))
        for lo, hi in ((variable, split), (split, variable))
    ]
    if ok:
        assert kernel.cases(*halves, variable, split).assumptions == ()
    else:
        with pytest.raises(KernelError, match="must both be real"):
            kernel.cases(*halves, variable, split)


@pytest.mark.parametrize(
    "value, ok",
    [(sp.Integer(1), False), (sp.Integer(0), False), (sp.Integer(-2), True), (-s, True)],
)
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


@pytest.mark.parametrize(
    "factor, ok",
    [
        (1 + sp.exp(-1) * s, True),
        (sp.E + sp.pi * s, True),
        (sp.E - 3, False),
        (sp.exp(-1) - 1, False),
        (1 - sp.E * sp.exp(x), False),
    ],
)
def test_a_pos_factor_may_hold_e_and_pi_as_positive_constants_and_nothing_negative(factor, ok):
    cert = SignCertificate(NONE, (SignTerm(sp.Integer(1), (("pos", factor),)),))
    claim = Prop(0, "<", factor)
    if ok:
        assert kernel.certified_sign(claim, cert).prop == claim
    else:
        with pytest.raises(KernelError):
            kernel.certified_sign(claim, cert)


def test_prove_with_the_inverse_of_a_hypothesis_prints_a_verdict(capsys):
    assert cli_main(["prove", "0 < 1/s", "--assume", "0 < s"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("verified: 0 < 1/s") and "inv-hyp" in out


@pytest.mark.parametrize(
    "stated, ok",
    [((), False), ((Prop(0, "<", x),), True), ((Prop(0, "<", x), Prop(x, "<", 1)), True)],
)
def test_a_verified_verdict_needs_every_assumption_stated(stated, ok):
    theorem = kernel.assume(Prop(0, "<", x))
    if ok:
        seen = kernel.witness(stated, {x: sp.Rational(1, 2)})
        assert Verdict(
            "verified", theorem.prop, theorem=theorem, assumptions=stated, witness=seen
        ).ok
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


@pytest.mark.parametrize(
    "lhs, reason",
    [
        (sp.log(sp.Integer(-1), evaluate=False), "not a real number: log(-1) needs -1 > 0"),
        (sp.sqrt(sp.Integer(-4), evaluate=False), "not a real number: sqrt(-4) needs -4 ≥ 0"),
        (sp.I, "not a real number: the statement contains I, zoo or nan"),
        (sigma(sp.oo), "not a real number: ∞ appears outside a limit"),  # σ(∞) = 1 unfolds to 1
        (x + sp.oo, "not a real number: ∞ appears outside a limit"),
    ],
)
def test_a_statement_about_a_non_real_number_is_undecided_up_front(lhs, reason):
    verdict = decide(Prop(lhs, "<=", 4))
    assert verdict.status == "undecided" and verdict.reason == reason


@pytest.mark.parametrize(
    "prop",
    [
        Prop(sp.Limit(1 / x, x, 0, "+"), "=", sp.oo),
        Prop(sp.Limit(sigma(x), x, sp.oo), "=", 1),
    ],
)
def test_infinity_as_a_limit_point_or_value_is_allowed(prop):
    assert not_real(prop) is None


def test_a_forged_status_is_refused():
    with pytest.raises(KernelError, match="unknown verdict status"):
        Verdict("proved", Prop(x, "=", x))


def test_forgeries_table_covers_the_issue():
    names = " ".join(f.name for f in forgeries.FORGERIES)
    for door in (
        "dataclasses.replace",
        "key",
        "copy",
        "pickle",
        "induction from 1/2",
        "sqrt",
        "hidden assumptions",
        "Chain.link",
        "swapped",
        "out of range",
        "bad JSON",
    ):
        assert door in names


# --- instantiate-under: a theorem about a positive symbol, at any term under 0 < term --------

p = sp.Symbol("p", positive=True)
q = sp.Symbol("q", nonnegative=True)
j = sp.Symbol("j", positive=True, integer=True)


def under(theorem, instances, prop=None):
    """instantiate_under with, by default, the theorem's statement with the terms put in."""
    mapping = (
        dict(instances)
        if isinstance(instances, tuple) and all(isinstance(i, tuple) for i in instances)
        else {}
    )
    if prop is None:
        prop = Prop(
            theorem.prop.lhs.xreplace(mapping), theorem.prop.rel, theorem.prop.rhs.xreplace(mapping)
        )
    return kernel.instantiate_under(theorem, instances, prop)


def log_square(extra: tuple = ()):
    """log(p)² ≥ 0 for every positive p (a square of a real number), under ``extra``."""
    cert = SignCertificate(NONE, (SignTerm(sp.Integer(1), (("square", sp.log(p)),)),))
    return kernel.certified_sign(Prop(sp.log(p) ** 2, ">=", 0), cert, extra)


def test_instantiate_under_adds_the_sign_of_the_value():
    theorem = under(log_square(), ((p, x - 1),))
    assert theorem.prop == Prop(sp.log(x - 1) ** 2, ">=", 0)
    assert theorem.assumptions == (Prop(0, "<", x - 1),)


def test_instantiate_under_puts_every_value_in_at_once():
    with sp.evaluate(False):
        split = Prop(sp.sqrt(p * q), "=", sp.sqrt(p) * sp.sqrt(q))
    theorem = kernel.instantiate_under(
        kernel.rational_identity(split, RationalIdentity()),
        ((p, a), (q, b)),
        Prop(sp.sqrt(a * b), "=", sp.sqrt(a) * sp.sqrt(b)),
    )
    assert theorem.prop == Prop(sp.sqrt(a * b), "=", sp.sqrt(a) * sp.sqrt(b))
    assert set(theorem.assumptions) == {Prop(0, "<", a), Prop(0, "<=", b)}


@pytest.mark.parametrize(
    "theorem, instances, why",
    [
        (lambda: le(a, b), ((a, x),), "neither positive nor non-negative"),
        (lambda: kernel.assume(Prop(0, "<", j)), ((j, x),), "not known to be integer"),
        (lambda: log_square(), ((p, x), (p, a)), "at most once"),
        (lambda: log_square(), ((p, 1.5),), "pairs"),
        (lambda: log_square(), (p, x), "pairs"),
        (lambda: kernel.assume(Prop(sp.Sum(p * k, (k, 1, n)), ">=", 0)), ((p, k),), "captured"),
        (lambda: kernel.assume(Prop(sp.Sum(p, (p, 1, n)), ">=", 0)), ((p, x),), "bound"),
    ],
    ids=[
        "unsigned symbol",
        "integer symbol",
        "twice",
        "not an expression",
        "not pairs",
        "captured",
        "bound variable",
    ],
)
def test_instantiate_under_refuses_a_false_instance(theorem, instances, why):
    with pytest.raises(KernelError, match=why):
        under(theorem(), instances)


@pytest.mark.parametrize(
    "claim, why",
    [
        (Prop(sp.log(x) ** 2, ">", 0), "not the theorem's"),  # another relation
        (Prop(sp.log(a) ** 2, ">=", 0), "not the theorem's"),  # another term
        (Prop(sp.log(p) ** 2, ">=", 0), "fresh"),  # the symbol itself
        (Prop(sp.Sum(sp.log(x) ** 2, (x, 1, n)), ">=", 0), "bound"),
    ],
    ids=["relation", "term", "not fresh", "bound term"],
)
def test_instantiate_under_concludes_only_the_statement_the_theorem_proves(claim, why):
    with pytest.raises(KernelError, match=why):
        kernel.instantiate_under(log_square(), ((p, x),), claim)


# --- the policy: a statement's own domain conditions, and a witness for stated assumptions ----


def _verdict(theorem, stated=(), witness=None):
    return Verdict("verified", theorem.prop, theorem=theorem, assumptions=stated, witness=witness)


@pytest.mark.parametrize(
    "value, point", [(x, {x: 1}), (x - 1, {x: 2}), (x * a, {x: 1, a: 1})], ids=["x", "x - 1", "x*a"]
)
def test_a_theorem_may_rest_on_the_statements_own_domain_condition(value, point):
    theorem = under(log_square(), ((p, value),))
    domain = written_domain(theorem.prop)
    found = kernel.witness(domain, {s: sp.Integer(v) for s, v in point.items()})
    assert _verdict(theorem, witness=found).ok


def test_a_statement_with_a_domain_needs_a_witness_that_it_is_defined_somewhere():
    with pytest.raises(PolicyError, match="0 < x"):
        _verdict(under(log_square(), ((p, x),)))


def _abs_identity():
    """x = |x| under 0 ≤ x (proved for a non-negative q)."""
    with sp.evaluate(False):
        same = Prop(q, "=", sp.Abs(q))
    return under(kernel.rational_identity(same, RationalIdentity()), ((q, x),))


def _sqrt_under_positive():
    """√x ≥ 0 under 0 < x: the statement needs only 0 ≤ x."""
    cert = SignCertificate(NONE, (SignTerm(sp.Integer(1), (("pos", sp.sqrt(p)),)),))
    return under(kernel.certified_sign(Prop(sp.sqrt(p), ">=", 0), cert), ((p, x),))


@pytest.mark.parametrize(
    "theorem, why",
    [
        (lambda: under(log_square((Prop(0, "<", p - 1),)), ((p, x),)), "0 < x - 1"),
        (_abs_identity, "0 <= x"),
        (_sqrt_under_positive, "0 < x"),
        (lambda: under(log_square((Prop(p, "<", 2),)), ((p, x),)), "x < 2"),
    ],
    ids=["a stronger sign", "no domain condition", "positive for non-negative", "a bound"],
)
def test_a_theorem_needing_any_other_assumption_is_refused(theorem, why):
    with pytest.raises(PolicyError, match=f"proved only under {why}"):
        _verdict(theorem())


def test_a_condition_recorded_by_a_parser_is_not_taken_for_granted():
    from proofsheet.kernel.domain import Condition

    theorem = _abs_identity()
    recorded = Prop(x, "=", sp.Abs(x), domain=(Condition("nonnegative", x),))
    with pytest.raises(PolicyError, match="proved only under 0 <= x"):
        Verdict("verified", recorded, theorem=theorem)


def test_a_derivatives_differentiability_is_not_a_domain_condition():
    from proofsheet.kernel.verdict import domain_assumptions

    claim = Prop(sp.Derivative(x ** sp.Rational(3, 2), x), "=", sp.Rational(3, 2) * sp.sqrt(x))
    assert set(domain_assumptions(claim)) == {Prop(0, "<=", x)}


SIGNED = (Prop(0, "<", x), Prop(x, "<", 2))


@pytest.mark.parametrize(
    "witness, missing",
    [
        (lambda: kernel.witness(SIGNED, {x: sp.Integer(1)}), None),
        (lambda: kernel.witness(SIGNED[1:], {x: sp.Integer(1)}), "0 < x"),  # log x needs it too
        (lambda: kernel.witness(SIGNED[:1], {x: sp.Integer(3)}), "x < 2"),
        (lambda: None, "x < 2"),
    ],
    ids=["witness of both", "witness of the bound only", "witness of the sign only", "no witness"],
)
def test_a_theorem_using_stated_assumptions_needs_a_witness_for_them(witness, missing):
    theorem = under(log_square((Prop(p, "<", 2),)), ((p, x),))
    if missing is None:
        assert _verdict(theorem, SIGNED, witness()).ok
    else:
        with pytest.raises(PolicyError, match=missing):
            _verdict(theorem, SIGNED, witness())


def test_a_stated_domain_condition_is_witnessed_like_the_domain_itself():
    theorem, stated = under(log_square(), ((p, x),)), (Prop(0, "<", x),)
    with pytest.raises(PolicyError, match="0 < x"):
        _verdict(theorem, stated)
    assert _verdict(theorem, stated, kernel.witness(stated, {x: sp.Integer(1)})).ok


@pytest.mark.parametrize(
    "point",
    [{x: sp.Integer(3)}, {x: sp.Integer(0)}, {}, {x: 1.0}],
    ids=["outside", "on the boundary", "no value", "not exact"],
)
def test_a_witness_is_refused_where_an_assumption_does_not_hold(point):
    with pytest.raises(KernelError, match="witness"):
        kernel.witness(SIGNED, point)


def test_a_witness_checks_the_assumptions_domain_conditions():
    with pytest.raises(KernelError, match="witness"):
        kernel.witness((Prop(sp.log(x), "<", 1),), {x: sp.Integer(-1)})
    assert kernel.witness((Prop(sp.log(x), "<", 1),), {x: sp.Integer(1)}).point == ((x, 1),)


@pytest.mark.parametrize("status", ["refuted", "undecided"])
def test_only_a_verified_verdict_carries_a_witness(status):
    seen = kernel.witness(SIGNED, {x: sp.Integer(1)})
    wrong = Prop(x, "<", 1)
    evidence = (
        {"refutation": kernel.refute(wrong, {x: sp.Integer(1)}, SIGNED)}
        if status == "refuted"
        else {}
    )
    with pytest.raises(KernelError):
        Verdict(status, wrong, assumptions=SIGNED, witness=seen, **evidence)


def test_an_induction_hypothesis_is_witnessed_by_its_proved_instance():
    g = sp.Function("Gwitness")
    hypothesis = Prop(g(n) * (n + 1), "=", g(n))  # holds at n = 0 only
    stated = (Prop(0, "<=", n), hypothesis)
    with pytest.raises(KernelError, match="witness"):  # not evaluable, not proved yet
        kernel.witness(stated, {n: sp.Integer(0)})
    kernel.rational_identity(hypothesis.subs({n: 0}), RationalIdentity())
    assert kernel.witness(stated, {n: sp.Integer(0)}).assumptions == stated
    with pytest.raises(KernelError, match="witness"):
        kernel.witness(stated, {n: sp.Integer(1)})


def test_a_proved_instance_that_may_be_undefined_is_no_witness():
    g = sp.Function("Hwitness")
    hypothesis = Prop(g(n) + sp.log(x), "=", g(n) + sp.log(x))  # needs x > 0
    kernel.rational_identity(hypothesis.subs({n: 0}), RationalIdentity())
    with pytest.raises(KernelError, match="witness"):
        kernel.witness((Prop(0, "<=", n), hypothesis), {n: sp.Integer(0)})


@pytest.mark.parametrize(
    "text, assume",
    [
        ("abs(x*y) = abs(x)*abs(y)", ""),
        ("log(-x) = log(abs(x))", "x < 0"),
        ("sqrt(x*y) = sqrt(x)*sqrt(y)", "x >= 0, y >= 0"),
    ],
)
def test_a_domain_proof_replays_from_its_log_and_is_described(text, assume):
    import json

    from proofsheet.parsing.statement import parse_assumptions, parse_statement
    from proofsheet.record.prooflog import proof_log

    parsed = parse_statement(text)
    stated = tuple(Prop(p.lhs, p.rel, p.rhs) for p in (parse_assumptions(assume) if assume else ()))
    verdict = decide(Prop(parsed.lhs, parsed.rel, parsed.rhs, domain=parsed.domain), stated)
    log = json.loads(json.dumps(proof_log([(text, verdict.theorem)])))
    assert replay.replay(log)[text].prop == verdict.prop
    assert "instance" in describe.describe_theorem(
        next(t for t in _walk(verdict.theorem) if t.rule == "instantiate-under")
    )


def _walk(theorem):
    yield theorem
    for premise in theorem.premises:
        yield from _walk(premise)
