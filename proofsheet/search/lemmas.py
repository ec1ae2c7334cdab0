"""Classical facts about one real variable, each proved once by kernel rules, and their
instances at the atoms of a statement.

:data:`LEMMAS` is the one table: a name, the function class whose atoms the fact is about
(``head``), the statement about ``u`` and the conditions on ``u``. :func:`lemma_theorem`
proves a row by kernel rules only (``monotone`` on each side of an anchor joined by
``cases``, ``increasing``, sign certificates, instances); nothing here is trusted.
:func:`facts_for` lists, for each atom of a statement, the instances that apply as picklable
:class:`Fact` recipes that rebuild their theorem in the parent process. The one-fact plan
at the end (:class:`OneFact`) is a minimal stand-in, for the lead to replace by ``WithFacts``.

>>> lemma_theorem("exp_ge_1_plus").prop == lemma("exp_ge_1_plus").prop
True
>>> instance("log_le_sub_1", X).assumptions
(Prop(lhs=0, rel='<', rhs=x),)
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from .. import kernel
from ..kernel import UPWARD, Prop, Theorem
from ..kernel.certificates import (
    HYP,
    INV,
    POS,
    SQUARE,
    DerivativeIdentity,
    SignCertificate,
    SignTerm,
    Substitution,
)
from ..kernel.errors import KernelError
from ..kernel.notation import sigma, sigma_prime
from ..kernel.verdict import domain_assumptions

U = sp.Symbol("u", real=True)
X = sp.Symbol("x", real=True)  #: for examples
_P = sp.Symbol("p_lemma", positive=True)  # log facts are proved for it, then u := p
_Q = sp.Symbol("q_lemma", nonnegative=True)  # |·| and √ facts: u := q and u := −q
_T = sp.Symbol("t_lemma", positive=True)  # t = exp(−v) in the sign certificates
SQRT = "sqrt"  #: the head of ``v**(1/2)``
_ZERO, _ONE = sp.Integer(0), sp.Integer(1)


@dataclass(frozen=True)
class Lemma:
    """``prop`` about ``U`` under ``conditions``; ``head`` is the class of its atoms."""

    name: str
    head: object
    prop: Prop
    conditions: tuple[Prop, ...] = ()


def _le(a, b) -> Prop:
    return Prop(a, "<=", b)  # Prop makes a Python int a SymPy Integer


def _lt(a, b) -> Prop:
    return Prop(a, "<", b)


_HALF, _QUARTER = sp.Rational(1, 2), sp.Rational(1, 4)

#: The one table of lemmas. A row's theorem proves exactly its prop under its conditions.
LEMMAS: tuple[Lemma, ...] = (
    Lemma("exp_ge_1_plus", sp.exp, _le(1 + U, sp.exp(U))),
    Lemma("exp_ge_quadratic", sp.exp, _le(1 + U + U**2 / 2, sp.exp(U)), (_le(0, U),)),
    Lemma("exp_lt_1", sp.exp, _lt(sp.exp(U), 1), (_lt(U, 0),)),
    Lemma("exp_le_1", sp.exp, _le(sp.exp(U), 1), (_le(U, 0),)),
    Lemma("log1p_exp_gt", sp.exp, _lt(U, sp.log(1 + sp.exp(U)))),
    Lemma("log_le_sub_1", sp.log, _le(sp.log(U), U - 1), (_lt(0, U),)),
    Lemma("log_ge_1_sub_inv", sp.log, _le(1 - 1 / U, sp.log(U)), (_lt(0, U),)),
    Lemma("tanh_le_id", sp.tanh, _le(sp.tanh(U), U), (_le(0, U),)),
    Lemma("tanh_ge_id", sp.tanh, _le(U, sp.tanh(U)), (_le(U, 0),)),
    Lemma("tanh_pos", sp.tanh, _lt(0, sp.tanh(U)), (_lt(0, U),)),
    Lemma("tanh_nonneg", sp.tanh, _le(0, sp.tanh(U)), (_le(0, U),)),
    Lemma("tanh_nonpos", sp.tanh, _le(sp.tanh(U), 0), (_le(U, 0),)),
    Lemma("tanh_lt_1", sp.tanh, _lt(sp.tanh(U), 1)),
    Lemma("tanh_gt_minus_1", sp.tanh, _lt(-1, sp.tanh(U))),
    Lemma("abs_tanh_le_abs", sp.tanh, _le(sp.Abs(sp.tanh(U)), sp.Abs(U))),
    Lemma("abs_tanh_lt_1", sp.tanh, _lt(sp.Abs(sp.tanh(U)), 1)),
    Lemma("sigma_le_tangent", sigma, _le(sigma(U), U / 4 + _HALF), (_le(0, U),)),
    Lemma("sigma_ge_tangent", sigma, _le(U / 4 + _HALF, sigma(U)), (_le(U, 0),)),
    Lemma("sigma_ge_half", sigma, _le(_HALF, sigma(U)), (_le(0, U),)),
    Lemma("sigma_gt_half", sigma, _lt(_HALF, sigma(U)), (_lt(0, U),)),
    Lemma("sigma_le_half", sigma, _le(sigma(U), _HALF), (_le(U, 0),)),
    Lemma("sigma_lt_half", sigma, _lt(sigma(U), _HALF), (_lt(U, 0),)),
    Lemma("sigma_prime_pos", sigma_prime, _lt(0, sigma_prime(U))),
    Lemma("sigma_prime_le", sigma_prime, _le(sigma_prime(U), _QUARTER)),
    Lemma("sigma_prime_lt_pos", sigma_prime, _lt(sigma_prime(U), _QUARTER), (_lt(0, U),)),
    Lemma("sigma_prime_lt_neg", sigma_prime, _lt(sigma_prime(U), _QUARTER), (_lt(U, 0),)),
    Lemma("log_sigma_prime_le", sigma_prime, _le(sp.log(sigma_prime(U)), -sp.log(4))),
    Lemma("sqrt_le_mean", SQRT, _le(sp.sqrt(U), (1 + U) / 2), (_le(0, U),)),
)
_BY_NAME = {row.name: row for row in LEMMAS}
if len(_BY_NAME) != len(LEMMAS):
    raise ImportError("two lemmas share a name")


def lemma(name: str) -> Lemma:
    """The table's row called ``name``."""
    row = _BY_NAME.get(name)
    if row is None:
        raise KeyError(f"no lemma called {name!r}")
    return row


# --- small kernel steps --------------------------------------------------------------------


def _sub(v: sp.Symbol) -> Substitution:
    return Substitution(((_T, -v),))


def _sign(prop: Prop, terms: tuple, assumptions: tuple[Prop, ...] = (), v=U) -> Theorem:
    """A certified sign with terms ``(coeff, factors)``; t = e^(−v) when v occurs."""
    mentioned = prop.free_symbols.union(*(a.free_symbols for a in assumptions))
    sub = _sub(v) if v in mentioned else Substitution()
    cert = SignCertificate(sub, tuple(SignTerm(sp.Rational(c), f) for c, f in terms))
    return kernel.certified_sign(prop, cert, assumptions)


def _combine(
    target: Prop,
    premises: tuple[Theorem, ...],
    terms: tuple = (),
    assumptions: tuple[Prop, ...] = (),
    v=U,
) -> Theorem:
    """``target`` as the sum of the premises' gaps (``rhs − lhs``) and certified ``terms``,
    each premise then discharged by its theorem."""
    gaps = tuple((1, ((HYP, p.prop.as_upper().rhs - p.prop.as_upper().lhs),)) for p in premises)
    theorem = _sign(target, gaps + tuple(terms), (*(p.prop for p in premises), *assumptions), v)
    for premise in premises:
        theorem = kernel.discharge(theorem, premise)
    return theorem


def _negated(bound: Prop) -> Theorem:
    """``0 <= −v`` (``0 < −v``) from the assumption ``v <= 0`` (``v < 0``)."""
    v = bound.lhs
    return _sign(Prop(_ZERO, bound.rel, -v), ((1, ((HYP, -v),)),), (bound,))


def _by_monotone(f: sp.Expr, slope: sp.Expr, sign: Theorem, anchor: sp.Expr) -> Theorem:
    """``f(anchor) <= f`` or ``f <= f(anchor)`` from ``sign``: ``0 <= slope`` or ``slope <= 0``
    under bounds on U, where ``slope`` is d/du f."""
    derivative = kernel.derivative(
        Prop(sp.Derivative(f, U), "=", slope), DerivativeIdentity(_sub(U))
    )
    if sign.prop.lhs == 0:
        premise = kernel.chain(sign, kernel.symmetry(derivative))
    else:
        premise = kernel.chain(derivative, sign)
    return kernel.monotone(premise, f, U, anchor)


def _from_q(theorem: Theorem, prop: Prop) -> Theorem:
    """``prop`` about U from ``theorem`` about the non-negative ``_Q``, for u ≥ 0 (u := q) and
    u ≤ 0 (u := −q), joined by cases."""
    above = kernel.instantiate_under(theorem, ((_Q, U),), prop)
    below = kernel.instantiate_under(theorem, ((_Q, -U),), prop)
    below = kernel.discharge(below, _negated(_le(U, 0)))
    return kernel.cases(below, above, U, _ZERO)


def _q_nonneg() -> Theorem:
    return _sign(_le(0, _Q), ((1, ((SQUARE, sp.sqrt(_Q)),)),), v=_Q)


# --- the proofs, one per row ---------------------------------------------------------------


def _exp_ge_1_plus() -> Theorem:
    f = sp.exp(U) - 1 - U
    minus_one = _sign(_le(-1, -1), ())
    above = kernel.increasing(kernel.assume(_le(0, U)), "exp")  # 1 <= exp(u)
    below = kernel.increasing(kernel.assume(_le(U, 0)), "exp")  # exp(u) <= 1
    rising = _by_monotone(f, sp.exp(U) - 1, kernel.add(above, minus_one), _ZERO)
    falling = _by_monotone(f, sp.exp(U) - 1, kernel.add(below, minus_one), _ZERO)
    return _combine(lemma("exp_ge_1_plus").prop, (kernel.cases(falling, rising, U, _ZERO),))


def _exp_ge_quadratic() -> Theorem:
    slope = _combine(
        _le(0, sp.exp(U) - 1 - U), (lemma_theorem("exp_ge_1_plus"),), assumptions=(_le(0, U),)
    )
    f = sp.exp(U) - 1 - U - U**2 / 2
    rising = _by_monotone(f, slope.prop.rhs, slope, _ZERO)
    return _combine(lemma("exp_ge_quadratic").prop, (rising,))


def _exp_below_1(name: str) -> Theorem:  # u < 0 gives e^u < e^0 = 1
    return kernel.increasing(kernel.assume(lemma(name).conditions[0]), "exp")


def _log_from_exp(name: str, value: sp.Expr, written: Prop) -> Theorem:
    """A log fact: exp_ge_1_plus at ``value`` (in log p), which SymPy evaluates, put back
    for u > 0 as ``written`` and restated as the row's prop."""
    at_p = kernel.instantiate(lemma_theorem("exp_ge_1_plus"), U, value)
    theorem = kernel.instantiate_under(at_p, ((_P, U),), written)
    return _combine(lemma(name).prop, (theorem,), assumptions=theorem.assumptions)


def _log_le_sub_1() -> Theorem:  # 1 + log p <= exp(log p) = p
    return _log_from_exp("log_le_sub_1", sp.log(_P), _le(1 + sp.log(U), U))


def _log_ge_1_sub_inv() -> Theorem:  # 1 − log p <= exp(−log p) = 1/p
    return _log_from_exp("log_ge_1_sub_inv", -sp.log(_P), _le(1 - sp.log(U), 1 / U))


def _log1p_exp_gt() -> Theorem:
    """log(1 + e^u) − u = log((1 + e^u)·e^(−u)) >= 1 − 1/(1 + e^u) > 0 (the logs expand)."""
    w = (1 + sp.exp(U)) * sp.exp(-U)
    at_w = kernel.instantiate(lemma_theorem("log_ge_1_sub_inv"), U, w)
    at_w = kernel.discharge(at_w, _sign(_lt(0, w), ((1, ((POS, 1 + _T),)),)))
    return _combine(lemma("log1p_exp_gt").prop, (at_w,), ((1, ((POS, _T), (INV, 1 + _T))),))


def _tanh_le_id() -> Theorem:
    square = _sign(_le(0, sp.tanh(U) ** 2), ((1, ((SQUARE, sp.tanh(U)),)),), (_le(0, U),))
    rising = _by_monotone(U - sp.tanh(U), sp.tanh(U) ** 2, square, _ZERO)
    return _combine(lemma("tanh_le_id").prop, (rising,), assumptions=rising.assumptions)


def _tanh_ge_id() -> Theorem:
    at_minus = kernel.instantiate(lemma_theorem("tanh_le_id"), U, -U)  # −tanh u <= −u
    theorem = _combine(lemma("tanh_ge_id").prop, (at_minus,), assumptions=at_minus.assumptions)
    return kernel.discharge(theorem, _negated(_le(U, 0)))


def _tanh_lt_1() -> Theorem:  # 1 − tanh u = 2t²/(1 + t²), t = e^(−u)
    return _sign(lemma("tanh_lt_1").prop, ((2, ((POS, _T**2), (INV, 1 + _T**2))),))


def _tanh_gt_minus_1() -> Theorem:  # tanh u + 1 = 2/(1 + t²)
    return _sign(lemma("tanh_gt_minus_1").prop, ((2, ((INV, 1 + _T**2),)),))


def _abs_tanh_le_abs() -> Theorem:
    at_q = kernel.instantiate(lemma_theorem("tanh_le_id"), U, _Q)
    return _from_q(kernel.discharge(at_q, _q_nonneg()), lemma("abs_tanh_le_abs").prop)


def _abs_tanh_lt_1() -> Theorem:
    at_q = kernel.instantiate(lemma_theorem("tanh_lt_1"), U, _Q)
    return _from_q(at_q, lemma("abs_tanh_lt_1").prop)


def _sigma_le_tangent() -> Theorem:  # f' = 1/4 − σ'(u) = (t − 1)²/(4(1 + t)²) >= 0
    slope = _sign(
        _le(0, _QUARTER - sigma_prime(U)),
        ((_QUARTER, ((SQUARE, _T - 1), (INV, (1 + _T) ** 2))),),
        (_le(0, U),),
    )
    rising = _by_monotone(U / 4 + _HALF - sigma(U), slope.prop.rhs, slope, _ZERO)
    return _combine(lemma("sigma_le_tangent").prop, (rising,), assumptions=rising.assumptions)


def _sigma_ge_tangent() -> Theorem:  # σ(−u) = 1 − σ(u) in the normal form
    at_minus = kernel.instantiate(lemma_theorem("sigma_le_tangent"), U, -U)
    theorem = _combine(
        lemma("sigma_ge_tangent").prop, (at_minus,), assumptions=at_minus.assumptions
    )
    return kernel.discharge(theorem, _negated(_le(U, 0)))


def _sigma_prime_pos() -> Theorem:  # σ'(u) = t/(1 + t)²
    return _sign(lemma("sigma_prime_pos").prop, ((1, ((POS, _T), (INV, (1 + _T) ** 2))),))


def _sigma_prime_le() -> Theorem:  # 1/4 − σ'(u) = (t − 1)²/(4(1 + t)²)
    return _sign(
        lemma("sigma_prime_le").prop, ((_QUARTER, ((SQUARE, _T - 1), (INV, (1 + _T) ** 2))),)
    )


def _exp_minus(bound: Prop) -> Theorem:
    """e^(−u) < 1 (<=) from 0 < u (<=), and 1 < e^(−u) (<=) from u < 0 (<=)."""
    if bound.lhs == 0:
        minus = _sign(Prop(-U, bound.rel, _ZERO), ((1, ((HYP, U),)),), (bound,))
    else:
        minus = _negated(bound)
    return kernel.increasing(minus, "exp")


def _by_exp_minus(name: str, factors: tuple, coeff=1) -> Theorem:
    """The row from e^(−u) = t against 1, given by its condition, and certified ``factors``."""
    bound = _exp_minus(lemma(name).conditions[0])
    theorem = _sign(lemma(name).prop, ((coeff, factors),), (bound.prop,))
    return kernel.discharge(theorem, bound)


def _sigma_prime_lt_pos() -> Theorem:  # 1/4 − σ' = (1 − t)²/(4(1 + t)²), t < 1
    return _by_exp_minus(
        "sigma_prime_lt_pos", ((HYP, 1 - _T), (HYP, 1 - _T), (INV, (1 + _T) ** 2)), _QUARTER
    )


def _sigma_prime_lt_neg() -> Theorem:  # 1/4 − σ' = (t − 1)²/(4(1 + t)²), t > 1
    return _by_exp_minus(
        "sigma_prime_lt_neg", ((HYP, _T - 1), (HYP, _T - 1), (INV, (1 + _T) ** 2)), _QUARTER
    )


def _tanh_sign(name: str) -> Theorem:  # ±tanh u = (1 − t)(1 + t)/(1 + t²), t against 1
    gap = 1 - _T if lemma(name).conditions[0].lhs == 0 else _T - 1
    return _by_exp_minus(name, ((HYP, gap), (POS, 1 + _T), (INV, 1 + _T**2)))


def _sigma_half(name: str) -> Theorem:  # ±(σ(u) − 1/2) = ±(1 − t)/(2(1 + t))
    gap = 1 - _T if lemma(name).conditions[0].lhs == 0 else _T - 1
    return _by_exp_minus(name, ((HYP, gap), (INV, 1 + _T)), _HALF)


def _log_sigma_prime_le() -> Theorem:  # log(4σ') <= 4σ' − 1 <= 0
    at = kernel.instantiate(lemma_theorem("log_le_sub_1"), U, 4 * sigma_prime(U))
    at = kernel.discharge(
        at, _sign(_lt(0, 4 * sigma_prime(U)), ((4, ((POS, _T), (INV, (1 + _T) ** 2))),))
    )
    return _combine(
        lemma("log_sigma_prime_le").prop, (at,), ((1, ((SQUARE, _T - 1), (INV, (1 + _T) ** 2))),)
    )


def _sqrt_le_mean() -> Theorem:  # (1 + q)/2 − √q = (√q − 1)²/2
    at_q = _sign(_le(sp.sqrt(_Q), (1 + _Q) / 2), ((_HALF, ((SQUARE, sp.sqrt(_Q) - 1),)),), v=_Q)
    return kernel.instantiate_under(at_q, ((_Q, U),), lemma("sqrt_le_mean").prop)


_PROOFS: dict[str, Callable[[], Theorem]] = {
    "exp_ge_1_plus": _exp_ge_1_plus,
    "exp_ge_quadratic": _exp_ge_quadratic,
    **{name: functools.partial(_exp_below_1, name) for name in ("exp_lt_1", "exp_le_1")},
    "log1p_exp_gt": _log1p_exp_gt,
    "log_le_sub_1": _log_le_sub_1,
    "log_ge_1_sub_inv": _log_ge_1_sub_inv,
    "tanh_le_id": _tanh_le_id,
    "tanh_ge_id": _tanh_ge_id,
    **{
        name: functools.partial(_tanh_sign, name)
        for name in ("tanh_pos", "tanh_nonneg", "tanh_nonpos")
    },
    "tanh_lt_1": _tanh_lt_1,
    "tanh_gt_minus_1": _tanh_gt_minus_1,
    "abs_tanh_le_abs": _abs_tanh_le_abs,
    "abs_tanh_lt_1": _abs_tanh_lt_1,
    "sigma_le_tangent": _sigma_le_tangent,
    "sigma_ge_tangent": _sigma_ge_tangent,
    **{
        name: functools.partial(_sigma_half, name)
        for name in ("sigma_ge_half", "sigma_gt_half", "sigma_le_half", "sigma_lt_half")
    },
    "sigma_prime_pos": _sigma_prime_pos,
    "sigma_prime_le": _sigma_prime_le,
    "sigma_prime_lt_pos": _sigma_prime_lt_pos,
    "sigma_prime_lt_neg": _sigma_prime_lt_neg,
    "log_sigma_prime_le": _log_sigma_prime_le,
    "sqrt_le_mean": _sqrt_le_mean,
}
if set(_PROOFS) != set(_BY_NAME):
    raise ImportError("every lemma needs exactly one proof")


@functools.cache
def lemma_theorem(name: str) -> Theorem:
    """The row's theorem, proved once per process; it states exactly the row."""
    row = lemma(name)
    theorem = _PROOFS[name]()
    if theorem.prop != row.prop or theorem.assumptions != row.conditions:
        raise KernelError(f"lemma {name}: proved {theorem.prop} under {theorem.assumptions}")
    return theorem


@functools.cache
def instance(name: str, arg: sp.Expr) -> Theorem:
    """The row at ``u := arg`` (``arg`` real); its conditions, instantiated, stay assumed."""
    return kernel.instantiate(lemma_theorem(name), U, arg)


def head_of(atom: sp.Basic):
    """The table's key for an atom's function class (``SQRT`` for ``v**(1/2)``), or None."""
    if isinstance(atom, sp.Pow):
        return SQRT if atom.exp == _HALF else None
    return type(atom) if isinstance(atom, sp.Function) else None


@functools.cache
def _names_by_head(head) -> tuple[str, ...]:
    return tuple(row.name for row in LEMMAS if row.head == head)


def lemmas_for(atom: sp.Basic) -> tuple[str, ...]:
    """The names of the rows about ``atom``'s function class."""
    head = head_of(atom)
    return _names_by_head(head) if head is not None else ()


# --- instances at the atoms of a statement -------------------------------------------------

#: ``prove(prop, assumptions) -> plan | None``: a plan that ``check_plan`` accepts, or None
Prove = Callable[[Prop, tuple], object]


@dataclass(frozen=True)
class Fact:
    """A picklable recipe for the row ``name`` at ``u := arg``: ``prop`` holds under the
    statement's assumptions and domain conditions once each condition is discharged.

    ``discharges`` pairs each condition with how: a stated assumption (assumed), or a plan
    that ``check_plan`` turns into a theorem under ``assumptions``. A condition that is a
    domain condition of the statement is left assumed and not listed.
    """

    name: str
    arg: sp.Expr
    prop: Prop
    assumptions: tuple[Prop, ...]
    discharges: tuple[tuple[Prop, object], ...]

    def theorem(self, check_plan) -> Theorem:
        """The kernel theorem of ``prop``, rebuilt in this process."""
        theorem = instance(self.name, self.arg)
        for condition, how in self.discharges:
            proof = (
                kernel.assume(how)
                if isinstance(how, Prop)
                else check_plan(condition, how, self.assumptions)
            )
            theorem = kernel.discharge(theorem, proof)
        return theorem


def _atoms(prop: Prop) -> list:
    """The statement's atoms that some row is about, outermost first, in a fixed order."""
    found = {
        a
        for side in (prop.lhs, prop.rhs)
        if isinstance(side, sp.Basic)
        for a in side.atoms(sp.Function, sp.Pow)
        if lemmas_for(a)
    }
    return sorted(found, key=lambda a: (-sp.count_ops(a), sp.default_sort_key(a)))


def _fact(
    name: str, arg: sp.Expr, prop: Prop, assumptions: tuple[Prop, ...], prove: Prove
) -> Fact | None:
    """The row at ``arg``, with a way to discharge each condition, or None."""
    granted = set(domain_assumptions(prop))
    stated = {a.as_upper(): a for a in assumptions}
    discharges = []
    for condition in (c.subs({U: arg}) for c in lemma(name).conditions):
        if condition in granted:
            continue
        how = stated.get(condition.as_upper())
        if how is None:
            try:
                how = prove(condition, assumptions)
            except Exception:  # noqa: BLE001 - untrusted search: no plan
                how = None
        if how is None:
            return None
        discharges.append((condition, how))
    return Fact(name, arg, lemma(name).prop.subs({U: arg}), assumptions, tuple(discharges))


def facts_for(prop: Prop, assumptions: tuple[Prop, ...], prove: Prove) -> tuple[Fact, ...]:
    """For each atom of ``prop``, the rows about it whose conditions can be discharged."""
    return tuple(_facts(prop, tuple(assumptions), prove))


def _facts(prop: Prop, assumptions: tuple[Prop, ...], prove: Prove):
    """:func:`facts_for`, one at a time (a plan may stop at the first that serves)."""
    for atom in _atoms(prop):
        arg = atom.base if isinstance(atom, sp.Pow) else atom.args[0]
        if arg.is_real is not True or (prop.free_symbols and not arg.free_symbols):
            continue
        for name in lemmas_for(atom):
            fact = _fact(name, arg, prop, assumptions, prove)
            if fact is not None:
                yield fact


# --- MINIMAL PLAN (wp-lemmas): one fact plus algebra; for the lead to replace by WithFacts --


@dataclass(frozen=True)
class OneFact:
    """Prove the statement by ``certificate`` under ``hypotheses`` and the fact's prop, then
    discharge the fact with its theorem."""

    fact: Fact
    hypotheses: tuple[Prop, ...]
    certificate: SignCertificate


def _generators(expr: sp.Expr) -> list:
    """Non-polynomial atoms (functions, roots), outermost first."""
    found = {a for a in expr.atoms(sp.Function)} | {
        p for p in expr.atoms(sp.Pow) if not p.exp.is_Integer
    }
    return sorted(found, key=lambda a: (-sp.count_ops(a), sp.default_sort_key(a)))


def _multiplier(q: sp.Expr, h: sp.Expr, atoms) -> tuple[sp.Rational, sp.Expr] | None:
    """λ > 0 and the rest r = q − λ·h, free of one of ``atoms`` (of h) that q has."""
    g = sp.Dummy("g")
    for atom in atoms:
        if not q.has(atom):
            continue
        qg, hg = q.xreplace({atom: g}), h.xreplace({atom: g})
        ratio = sp.cancel(sp.diff(qg, g) / sp.diff(hg, g))
        if not (ratio.is_Rational and ratio > 0):
            continue
        rest = sp.cancel(qg - ratio * hg)
        if not rest.has(g):
            return ratio, rest
    return None


def _combined(
    prop: Prop, hypotheses: tuple[Prop, ...], fact: Fact, sign_certificate, find_substitution
) -> SignCertificate | None:
    """λ·(the fact's gap) plus a certificate of the rest, with λ read off one atom of the
    fact as written (``√σ'(x)``), before any normal form hides it."""
    upper, gap = prop.as_upper(), fact.prop.as_upper()
    q, h = upper.rhs - upper.lhs, gap.rhs - gap.lhs
    found = _multiplier(q, h, _generators(h))
    if found is None:
        return None
    strict = upper.rel == "<" and gap.rel != "<"
    if found[1] == 0 and not strict:
        return SignCertificate(Substitution(), (SignTerm(found[0], ((HYP, h),)),))
    rest = Prop(_ZERO, "<" if strict else "<=", found[1])
    cert = sign_certificate(rest, hypotheses) or linear_certificate(
        rest, hypotheses, sign_certificate, find_substitution
    )
    return (
        None
        if cert is None
        else SignCertificate(cert.substitution, (SignTerm(found[0], ((HYP, h),)), *cert.terms))
    )


def _rest_terms(
    rest: sp.Expr, strict: bool, hypotheses: tuple[Prop, ...], sub: Substitution, sign_certificate
) -> tuple | None:
    """Certified terms for ``0 <= rest`` (``<``): directly, or after a multiple of one
    hypothesis's gap (``x + 1 = x + 1·1`` under ``0 <= x``)."""
    if rest == 0 and not strict:
        return ()
    # the rest is in the substitution's t; hypotheses about exponentials would bring another
    hypotheses = tuple(a for a in hypotheses if not _generators(a.lhs - a.rhs))
    rel = "<" if strict else "<="
    cert = sign_certificate(Prop(_ZERO, rel, rest), hypotheses)
    if cert is not None:
        return None if cert.substitution.pairs else cert.terms
    for a in hypotheses:
        upper = a.as_upper()
        if upper.rel not in UPWARD:
            continue
        gap = kernel.normal_form(upper.rhs - upper.lhs, sub)
        found = _multiplier(rest, gap, sorted(gap.free_symbols, key=sp.default_sort_key))
        if found is None:
            continue
        cert = sign_certificate(
            Prop(_ZERO, "<" if strict and upper.rel != "<" else "<=", found[1]), hypotheses
        )
        if cert is not None and not cert.substitution.pairs:
            return (SignTerm(found[0], ((HYP, gap),)), *cert.terms)
    return None


def one_fact_plans(
    prop: Prop, assumptions: tuple[Prop, ...], prove: Prove, sign_certificate, find_substitution
):
    """For each fact about an atom of an inequality: a certificate from a multiple of the
    fact and a certificate of the rest."""
    if prop.as_upper().rel not in UPWARD or not prop.free_symbols:
        return
    hypotheses = tuple(dict.fromkeys((*assumptions, *domain_assumptions(prop))))
    for fact in _facts(prop, tuple(assumptions), prove):
        cert = _checked(
            prop,
            (*hypotheses, fact.prop),
            lambda: _combined(prop, hypotheses, fact, sign_certificate, find_substitution),  # noqa: B023 - called at once
        )
        if cert is not None:
            yield OneFact(fact, hypotheses, cert)


def _quietly(search):
    """``search()``, or None when it fails (the search is untrusted)."""
    try:
        return search()
    except Exception:  # noqa: BLE001 - any failure means "nothing found"
        return None


def _checked(prop: Prop, hypotheses: tuple[Prop, ...], search) -> SignCertificate | None:
    """What ``search`` found, if the kernel accepts it."""
    cert = _quietly(search)
    return (
        cert
        if cert is not None and _quietly(lambda: kernel.check(prop, cert, hypotheses)) is not None
        else None
    )


def linear_certificate(
    prop: Prop, assumptions: tuple[Prop, ...], sign_certificate, find_substitution
) -> SignCertificate | None:
    """``prop`` as a multiple of one assumption's gap plus a certified rest (``0 < x + 1``
    from ``0 < x``): for a lemma's condition, or the rest of a statement after its fact."""
    upper = prop.as_upper()
    if upper.rel not in UPWARD:
        return None
    sub = find_substitution(prop.lhs, prop.rhs, *(s for a in assumptions for s in (a.lhs, a.rhs)))
    terms = _rest_terms(
        kernel.normal_form(upper.rhs - upper.lhs, sub),
        upper.rel == "<",
        assumptions,
        sub,
        sign_certificate,
    )
    return None if terms is None else SignCertificate(sub, terms)


def one_fact_theorem(prop: Prop, plan: OneFact, check_plan) -> Theorem:
    """Check a :class:`OneFact` plan with the kernel."""
    theorem = kernel.check(prop, plan.certificate, (*plan.hypotheses, plan.fact.prop))
    return kernel.discharge(theorem, plan.fact.theorem(check_plan))
