"""Absolute values: prove a statement in each case of the signs of the terms under ``|·|``.

In the case ``0 ≤ u`` the kernel proves ``|u| ≤ u`` and ``u ≤ |u|`` (for a fresh
non-negative ``q``, ``|q| = q``, then ``q := u`` by ``instantiate_under``); in the case
``u ≤ 0`` the same of ``−u``. With each ``|u|`` that occurs linearly replaced by ``±u``,
what is left is proved by the ordinary sign search (``certify``, a callback from tactics);
the replaced amounts come back as ``hyp`` factors of those facts. The cases are joined
by the kernel's ``cases``. Untrusted: every step is a kernel rule.

>>> import sympy as sp
>>> x, y = sp.symbols("x y", real=True)
>>> split_terms(Prop(sp.Abs(x + y), "<=", sp.Abs(x) + sp.Abs(y)))
(x + y, x, y)
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from .. import kernel
from ..kernel import UPWARD, Prop
from ..kernel.certificates import HYP, SignCertificate, SignTerm, Substitution

MAX_TERMS = 3  #: terms split by sign at most (2^k cases)

#: ``certify(goal, assumptions)``: a sign certificate for ``goal`` under ``assumptions``, or None
Certify = Callable[[Prop, tuple], "SignCertificate | None"]


@dataclass(frozen=True)
class AbsCases:
    """One sign certificate per case of the signs of ``terms`` (``+1``: 0 ≤ u, ``−1``: u ≤ 0)."""

    terms: tuple[sp.Expr, ...]
    cases: tuple[tuple[tuple[int, ...], SignCertificate], ...]


def split_terms(prop: Prop) -> tuple[sp.Expr, ...]:
    """The arguments of the statement's absolute values whose sign SymPy does not know,
    outermost first (a statement with more than :data:`MAX_TERMS` of them gets none)."""
    found = []
    for side in (prop.lhs, prop.rhs):
        for node in sp.preorder_traversal(side):
            if (
                isinstance(node, sp.Abs)
                and node.args[0].is_real
                and node.args[0].is_nonnegative is None
                and node.args[0].is_nonpositive is None
            ):
                found.append(node.args[0])
    terms = tuple(dict.fromkeys(found))
    return terms if len(terms) <= MAX_TERMS else ()


def case_condition(term: sp.Expr, sign: int) -> Prop:
    """The case's assumption: ``0 ≤ u`` or ``u ≤ 0`` (as the kernel's ``cases`` joins them)."""
    return Prop(sp.Integer(0), "<=", term) if sign > 0 else Prop(term, "<=", sp.Integer(0))


def case_facts(term: sp.Expr, sign: int) -> tuple[Prop, Prop]:
    """``|s·u| ≤ s·u`` and ``s·u ≤ |s·u|``, as written (unevaluated)."""
    signed = _signed(term, sign)
    with sp.evaluate(False):
        return Prop(sp.Abs(signed), "<=", signed), Prop(signed, "<=", sp.Abs(signed))


def _signed(term: sp.Expr, sign: int) -> sp.Expr:
    """``u`` or ``−u``, left as written."""
    if sign > 0:
        return term
    with sp.evaluate(False):
        return sp.Mul(sp.Integer(-1), term)


def _case_assumptions(prop_terms, signs, stated) -> tuple[Prop, ...]:
    conditions = tuple(case_condition(u, s) for u, s in zip(prop_terms, signs))
    facts = tuple(f for u, s in zip(prop_terms, signs) for f in case_facts(u, s))
    return (*stated, *conditions, *facts)


def _replaced(difference: sp.Expr, terms, signs) -> tuple[sp.Expr, list] | None:
    """``difference`` with each ``|u|`` (occurring linearly, with a rational coefficient)
    replaced by ``s·u``, and the ``hyp`` terms that make up the difference."""
    corrections = []
    for u, s in zip(terms, signs):
        atom, signed = sp.Abs(u), s * u
        expanded = sp.expand(difference)
        c = expanded.coeff(atom)
        if not c.is_Rational or (expanded - c * atom).has(atom):
            return None
        if c != 0:
            lower, upper = case_facts(u, s)
            fact = lower if c < 0 else upper  # c·(|u| − s·u) ≥ 0 needs s·u ≤ |u| when c > 0
            corrections.append(SignTerm(sp.Rational(abs(c)), ((HYP, fact.rhs - fact.lhs),)))
        difference = sp.expand(expanded - c * atom + c * signed)
    return difference, corrections


def abs_cases_plan(prop: Prop, assumptions: tuple[Prop, ...], certify: Certify) -> AbsCases | None:
    """A certificate in every case of the signs of the terms under ``|·|``, or None."""
    upper = prop.as_upper()
    terms = split_terms(prop)
    if upper.rel not in UPWARD or not terms:
        return None
    cases = []
    for signs in itertools.product((-1, 1), repeat=len(terms)):
        found = _replaced(upper.rhs - upper.lhs, terms, signs)
        if found is None:
            return None
        rest, corrections = found
        hyps = _case_assumptions(terms, signs, assumptions)
        cert = certify(Prop(sp.Integer(0), upper.rel, rest), hyps)
        if cert is None:
            return None
        cases.append((signs, SignCertificate(cert.substitution, (*cert.terms, *corrections))))
    return AbsCases(terms, tuple(cases))


def _fact_theorem(fact: Prop, term: sp.Expr, sign: int) -> kernel.Theorem:
    """The kernel's proof of one case fact, under the case's condition: ``|q| ≤ q`` (or
    ``q ≤ |q|``) for a fresh non-negative q, then ``q := s·u``."""
    q = sp.Symbol("q_abs", nonnegative=True)
    signed = _signed(term, sign)
    with sp.evaluate(False):
        abstract = Prop(fact.lhs.xreplace({signed: q}), fact.rel, fact.rhs.xreplace({signed: q}))
    theorem = kernel.certified_sign(abstract, SignCertificate(Substitution(()), ()))
    theorem = kernel.instantiate_under(theorem, ((q, signed),), fact)
    if sign < 0:  # 0 ≤ −u from the case's u ≤ 0
        cert = SignCertificate(Substitution(()), (SignTerm(sp.Integer(1), ((HYP, -term),)),))
        theorem = kernel.discharge(
            theorem,
            kernel.certified_sign(
                Prop(sp.Integer(0), "<=", signed), cert, (case_condition(term, sign),)
            ),
        )
    return theorem


def abs_cases_theorem(prop: Prop, plan: AbsCases, assumptions: tuple[Prop, ...]) -> kernel.Theorem:
    """Check every case's certificate, discharge its facts, and join the cases."""
    proved = {}
    for signs, cert in plan.cases:
        hyps = _case_assumptions(plan.terms, signs, assumptions)
        theorem = kernel.certified_sign(prop, cert, hyps)
        for u, s in zip(plan.terms, signs):
            for fact in case_facts(u, s):
                theorem = kernel.discharge(theorem, _fact_theorem(fact, u, s))
        proved[signs] = theorem
    return join_sign_cases(proved, plan.terms)


def join_sign_cases(proved: dict[tuple[int, ...], kernel.Theorem], terms) -> kernel.Theorem:
    """One theorem from one per sign case (``proved[(−1, 1)]`` under terms[0] ≤ 0 ≤ terms[1]),
    joined by the kernel's cases rule at 0, the first term outermost."""

    def join(prefix: tuple[int, ...]) -> kernel.Theorem:
        if len(prefix) == len(terms):
            return proved[prefix]
        below, above = join((*prefix, -1)), join((*prefix, 1))
        return kernel.cases(below, above, terms[len(prefix)], sp.Integer(0))

    return join(())
