"""Monotonicity facts: compare f(u) with f(c), or with f(v), for an increasing function f.

For a statement and its stated assumptions, :func:`comparison_plans` takes each atom f(u), f in
the kernel's table :data:`~proofsheet.kernel.INCREASING`, and compares u with a point c where
f(c) is simple (σ(0) = 1/2, e⁰ = 1, log 1 = 0, …) or a constant of the statement, and with the
argument v of another atom f(v). Sample points choose the direction; the premise ``u rel c`` is
proved by a one-hypothesis certificate or by the caller's ``prove`` (the existing search, so
the recursion is one level deep); the kernel's ``increasing`` makes it the fact
``f(u) rel f(c)``. A :class:`WithFacts` plan proves the statement by a certificate under the
stated assumptions and the facts, then discharges each fact with its theorem.

Plans are plain picklable data (the search runs in a child process); the parent turns one into
a kernel theorem with :func:`with_facts_theorem`. A fact is anything with ``prop`` (its
statement) and ``theorem(check_plan)`` (its kernel theorem, see :class:`Fact`).
"""

from __future__ import annotations

import functools
import itertools
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

import sympy as sp

from .. import kernel
from ..kernel import INCREASING, UPWARD, Prop, interval
from ..kernel.certificates import HYP, SignCertificate, SignTerm, Substitution
from ..kernel.errors import KernelError
from ..kernel.notation import unfold
from ..kernel.verdict import unstated
from .positivstellensatz import hypothesis_certificate
from .substitution import find_substitution

#: ``check_plan(prop, plan, assumptions) -> Theorem``: tactics' way to have a plan checked
CheckPlan = Callable[[Prop, object, tuple], kernel.Theorem]
#: ``prove(prop, assumptions) -> plan | None``: a plan that ``check_plan`` accepts, or None
Prove = Callable[[Prop, tuple], object]

#: points where each function's value is simple: σ(0) = 1/2, e⁰ = 1, log 1 = 0, √1 = 1, …
SIMPLE_POINTS = {
    "exp": (0,),
    "log": (1,),
    "sigma": (0, 1, -1),
    "tanh": (0,),
    "atan": (0,),
    "sqrt": (0, 1),
}
#: each function's inverse: the point where it takes a constant of the statement
INVERSES = {
    "exp": sp.log,
    "log": sp.exp,
    "sigma": lambda w: sp.log(w / (1 - w)),
    "tanh": sp.atanh,
    "atan": sp.tan,
    "sqrt": lambda w: w**2,
}
if set(SIMPLE_POINTS) != set(INCREASING) or set(INVERSES) != set(INCREASING):
    raise ImportError("comparisons: the search's tables name other functions than the kernel's")

#: head class -> its name in the kernel's table (√ is a power: see :func:`atom_of`)
_HEADS = {f: name for name, f in INCREASING.items() if isinstance(f, type)}
_BINDERS = (sp.Derivative, sp.Integral, sp.Limit, sp.Subs, sp.Lambda, sp.Sum, sp.Product)
MAX_ATOMS = 6  #: atoms f(u) compared, statement's own first
SECONDS = 0.5  #: the whole search for facts stops after this long
DEPTH = 2  #: facts whose premises rest on facts, at most this deep
NESTED_SECONDS = 0.15  #: the search for one premise's facts stops after this long
SAMPLE_BITS = 64


class Fact(Protocol):
    """A lemma a :class:`WithFacts` plan may use: its statement and its kernel theorem."""

    @property
    def prop(self) -> Prop: ...

    def theorem(self, check_plan: CheckPlan) -> kernel.Theorem: ...


@dataclass(frozen=True)
class Comparison:
    """``f(lhs_arg) rel f(rhs_arg)`` (``prop``) from the premise ``lhs_arg rel rhs_arg``, which
    ``premise_plan`` proves under ``assumptions``, by the kernel's rule ``increasing``."""

    head: str
    lhs_arg: sp.Expr
    rel: str
    rhs_arg: sp.Expr
    premise_plan: object
    assumptions: tuple[Prop, ...]
    prop: Prop

    def theorem(self, check_plan: CheckPlan) -> kernel.Theorem:
        premise = check_plan(
            Prop(self.lhs_arg, self.rel, self.rhs_arg), self.premise_plan, self.assumptions
        )
        return kernel.increasing(premise, self.head)


@dataclass(frozen=True)
class Proved:
    """``prop``, which ``plan`` proves under ``assumptions`` (the rest of a statement)."""

    prop: Prop
    plan: object
    assumptions: tuple[Prop, ...]

    def theorem(self, check_plan: CheckPlan) -> kernel.Theorem:
        return check_plan(self.prop, self.plan, self.assumptions)


@dataclass(frozen=True)
class WithFacts:
    """Prove the statement by ``certificate`` (a plan) under the stated assumptions and each
    fact's ``prop``; then discharge each fact with its theorem."""

    facts: tuple
    certificate: object


def with_facts_theorem(
    prop: Prop, plan: WithFacts, assumptions: tuple[Prop, ...], check_plan: CheckPlan
) -> kernel.Theorem:
    """The kernel theorem of a :class:`WithFacts` plan (the facts discharged)."""
    hypotheses = tuple(dict.fromkeys((*assumptions, *(fact.prop for fact in plan.facts))))
    theorem = check_plan(prop, plan.certificate, hypotheses)
    for fact in plan.facts:
        theorem = kernel.discharge(theorem, fact.theorem(check_plan))
    return theorem


# --- the final certificate ------------------------------------------------------------------


def linear_certificate(
    prop: Prop, hypotheses: tuple[Prop, ...], sub: Substitution | None = None, degree: int = 2
) -> SignCertificate | None:
    """rhs − lhs = λ·(one hypothesis's gap) + r, with λ > 0 and r ≥ 0 rational.

    A stand-in with the signature of ``positivstellensatz.hypothesis_certificate`` (``degree``
    unused), which replaces it once that module is there (see below).
    """
    sub = sub or Substitution(())
    upper = prop.as_upper()
    if upper.rel not in UPWARD or isinstance(upper.lhs, sp.MatrixBase):
        return None
    difference = upper.rhs - upper.lhs
    goal = None
    for h in hypotheses:
        hu = h.as_upper()
        if hu.rel not in UPWARD or isinstance(hu.lhs, sp.MatrixBase):
            continue
        gap = hu.rhs - hu.lhs
        if gap.free_symbols != difference.free_symbols:  # then no λ·gap + r is the difference
            continue
        constant = (not _varies(difference - gap), not _varies(difference / gap))
        if not any(constant):
            continue
        goal = _normal_form(difference, sub) if goal is None else goal
        g = _normal_form(gap, sub)
        if g == 0:
            continue
        for lam in dict.fromkeys(
            lam()
            for lam, ok in zip((lambda: sp.Integer(1), lambda: sp.cancel(goal / g)), constant)  # noqa: B023 - called at once
            if ok
        ):
            rest = sp.cancel(goal - lam * g)
            if not (lam.is_Rational and lam > 0 and rest.is_Rational and rest >= 0):
                continue
            if upper.rel == "<" and hu.rel != "<" and rest == 0:
                continue
            terms = (SignTerm(lam, ((HYP, gap),)),) + ((SignTerm(rest, ()),) if rest else ())
            return SignCertificate(sub, terms)
    return None


#: two probe points (the i-th symbol's values) at which a difference that should be constant
#: is compared: an untrusted filter before the exact algebra
_PROBES = (
    (sp.Rational(1, 3), sp.Rational(2, 7), sp.Rational(5, 11), sp.Rational(3, 13)),
    (sp.Rational(7, 5), sp.Rational(3, 2), sp.Rational(9, 4), sp.Rational(8, 3)),
)


def _varies(expr: sp.Expr) -> bool:
    """Whether ``expr`` certainly takes two values at two probe points (False when unknown)."""
    symbols = sorted(expr.free_symbols, key=sp.default_sort_key)
    try:
        first, second = (_value(expr, dict(zip(symbols, probe))) for probe in _PROBES)
    except Exception:  # noqa: BLE001 - undefined there: say nothing
        return False
    return interval.greater(first, second) or interval.greater(second, first)


@functools.lru_cache(maxsize=256)
def _normal_form(expr: sp.Expr, sub: Substitution) -> sp.Expr:
    """The kernel's normal form, remembered: each fact compares with the same statement."""
    return kernel.normal_form(expr, sub)


# --- atoms and the points to compare their arguments with ------------------------------------


def atom_of(e: sp.Basic) -> tuple[str, sp.Expr] | None:
    """``(name, u)`` when ``e`` is f(u) for f in the kernel's table."""
    if isinstance(e, sp.Pow) and e.exp == sp.Rational(1, 2):
        return "sqrt", e.base
    name = _HEADS.get(type(e))
    return (name, e.args[0]) if name and len(e.args) == 1 else None


def _walk(e: sp.Basic) -> Iterator[sp.Basic]:
    """Subterms outside binders (a bound variable cannot be compared)."""
    if isinstance(e, _BINDERS):
        return
    yield e
    for arg in e.args:
        yield from _walk(arg)


def atoms(prop: Prop) -> list[tuple[str, sp.Expr, sp.Expr]]:
    """``(name, u, f(u))`` for each atom of the statement, then of its unfolded form."""
    sides = (prop.lhs, prop.rhs)
    found = {}
    for e in itertools.chain(*(_walk(s) for s in sides), *(_walk(unfold(s)) for s in sides)):
        atom = atom_of(e)
        if atom is not None and e not in found:
            found[e] = (*atom, e)
    return list(found.values())


def _inverse(name: str, w: sp.Expr) -> sp.Expr | None:
    try:
        c = INVERSES[name](w)
    except (ZeroDivisionError, ValueError, TypeError):
        return None
    return c if c.is_real is not False and not c.has(sp.zoo, sp.nan, sp.oo, -sp.oo) else None


def _points_for(prop: Prop, name: str, u: sp.Expr, atom: sp.Expr, closed: list) -> list:
    """Points c to compare u with: f⁻¹ of the other side when the atom is a side, f⁻¹ of the
    statement's constant sides, the arguments of its closed atoms f(c), simple values."""
    others = [prop.rhs] if prop.lhs == atom else [prop.lhs] if prop.rhs == atom else []
    others = [
        w
        for w in others
        if not any(n == name and v.free_symbols for n, v, _e in atoms(Prop(w, "=", 0)))
    ]
    constants = [s for s in (prop.lhs, prop.rhs) if not s.free_symbols]
    points = [
        c
        for c in (_inverse(name, w) for w in (*others, *constants))
        if c is not None and not any(n == name for n, _v, _e in atoms(Prop(c, "=", 0)))
    ]
    points += [v for n, v, _e in closed if n == name]
    points += [sp.Integer(c) for c in SIMPLE_POINTS[name]]
    return [c for c in dict.fromkeys(points) if c is not None and c != u]


def candidates(prop: Prop) -> Iterator[tuple[str, sp.Expr, sp.Expr]]:
    """``(name, u, c)``: compare u with c, to get f(u) against f(c); two atoms of one
    function first, then each atom with its points."""
    found = atoms(prop)
    closed = [a for a in found if not a[1].free_symbols]
    open_ = [a for a in found if a[1].free_symbols][:MAX_ATOMS]
    for (n1, u, _a), (n2, v, _b) in itertools.combinations(open_, 2):
        if n1 == n2:
            yield n1, u, v
    for name, u, atom in open_:
        for c in _points_for(prop, name, u, atom, closed):
            yield name, u, c


def _value(e: sp.Expr, point: dict):
    with interval.precision(SAMPLE_BITS):
        return interval.value(e, point)


def directions(u: sp.Expr, c: sp.Expr, points: tuple) -> list[tuple[sp.Expr, str, sp.Expr]]:
    """The premises worth proving, by the sign of c − u at the sample points: ``u < c`` then
    ``u <= c`` when it is positive at each, ``u <= c`` alone when some are (or may be) 0, …;
    none when the sign changes or cannot be evaluated."""
    signs = set()
    for point in points if (u.free_symbols or c.free_symbols) else ({},):
        try:
            d = _value(c - u, point)
        except Exception:  # noqa: BLE001 - undefined there: the sample says nothing
            return []
        signs.add(1 if interval.positive(d) else -1 if interval.positive(-d) else 0)
    if not signs or signs == {0} or signs >= {1, -1}:
        return []
    lo, hi = (u, c) if signs <= {0, 1} else (c, u)
    return [(lo, "<", hi), (lo, "<=", hi)] if 0 not in signs else [(lo, "<=", hi)]


# --- facts ----------------------------------------------------------------------------------


def _premise_plan(premise: Prop, assumptions: tuple[Prop, ...], prove: Prove):
    """A plan for the premise: one stated assumption and a constant, else the caller's search."""
    try:
        cert = linear_certificate(premise, assumptions)
    except KernelError:
        cert = None
    return cert if cert is not None else prove(premise, assumptions)


def comparison(
    prop: Prop,
    assumptions: tuple[Prop, ...],
    name: str,
    u: sp.Expr,
    c: sp.Expr,
    points: tuple,
    prove: Prove,
    check_plan: CheckPlan,
    deadline: float = float("inf"),
) -> Comparison | None:
    """The first fact f(u) rel f(c) (or the other way round) the kernel proves, that rests on
    nothing but the stated assumptions and the statement's own domain conditions."""
    for lo, rel, hi in directions(u, c, points):
        if time.monotonic() > deadline:
            return None
        premise = Prop(lo, rel, hi)
        try:
            plan = _premise_plan(premise, assumptions, prove)
            if plan is None:
                continue
            theorem = kernel.increasing(check_plan(premise, plan, assumptions), name)
        except (KernelError, ArithmeticError, TypeError, ValueError):
            continue
        if not unstated(theorem, assumptions, prop):
            return Comparison(name, lo, rel, hi, plan, assumptions, theorem.prop)
    return None


def remainder_plan(
    prop: Prop,
    assumptions: tuple[Prop, ...],
    fact: Comparison,
    prove: Prove,
    check_plan: CheckPlan,
    points: tuple = (),
) -> WithFacts | None:
    """rhs − lhs = (the fact's gap) + r, with ``0 <= r`` (``0 < r`` when only it can make the
    statement strict) proved as a second fact: σ(σ(x)) < 1 from σ(σ(x)) < σ(1) and
    0 < 1 − σ(1). Tried only when r lost one of the fact's atoms and is ≥ 0 at the points."""
    upper, known = prop.as_upper(), fact.prop.as_upper()
    if upper.rel not in UPWARD:
        return None
    gap = known.rhs - known.lhs
    rest = upper.rhs - upper.lhs - gap
    kept = {e for _n, _u, e in atoms(Prop(rest, "=", 0))}
    if (
        all(e in kept for _n, _u, e in atoms(fact.prop))
        or (rest.free_symbols and not points)
        or directions(sp.Integer(0), rest, points) == []
        or directions(sp.Integer(0), rest, points)[0][0] != 0
    ):
        return None
    rel = "<" if upper.rel == "<" and known.rel != "<" else "<="
    lemma = _proved(Prop(sp.Integer(0), rel, rest), prop, assumptions, prove, check_plan)
    if lemma is None:
        return None
    one = sp.Integer(1)
    cert = SignCertificate(
        Substitution(()), (SignTerm(one, ((HYP, gap),)), SignTerm(one, ((HYP, rest),)))
    )
    return WithFacts((fact, lemma), cert)


def _proved(
    claim: Prop, prop: Prop, assumptions: tuple[Prop, ...], prove: Prove, check_plan: CheckPlan
) -> Proved | None:
    """``claim`` proved by the caller's search, resting on nothing ``prop`` may not."""
    try:
        plan = prove(claim, assumptions)
        if plan is None or unstated(check_plan(claim, plan, assumptions), assumptions, prop):
            return None
    except (KernelError, ArithmeticError, TypeError, ValueError):
        return None
    return Proved(claim, plan, assumptions)


def comparison_plans(
    prop: Prop,
    assumptions: tuple[Prop, ...],
    prove: Prove,
    check_plan: CheckPlan,
    sample: Callable[[], tuple] = tuple,
    seconds: float = SECONDS,
    depth: int = DEPTH,
) -> Iterator[WithFacts]:
    """:class:`WithFacts` plans for an inequality: each new fact alone, then all of them.

    ``sample()`` gives sample points where the assumptions hold (they choose each comparison's
    direction); the search stops after ``seconds``. With ``depth`` > 1 a premise that
    ``prove`` misses may itself rest on facts (exp(x) + exp(y) <= 2·exp(y) on eˣ <= eʸ)."""
    if (
        prop.rel == "="
        or not prop.free_symbols
        or isinstance(prop.lhs, sp.MatrixBase)
        or not atoms(prop)
    ):
        return
    deadline = time.monotonic() + seconds
    points = sample()
    premise = _deeper(prove, check_plan, points, depth - 1, deadline) if depth > 1 else prove
    facts: dict[Prop, Comparison] = {}
    for name, u, c in candidates(prop):
        if time.monotonic() > deadline:
            break
        fact = comparison(prop, assumptions, name, u, c, points, premise, check_plan, deadline)
        if fact is None or fact.prop.as_upper() in facts:
            continue
        facts[fact.prop.as_upper()] = fact
        cert = _final(prop, assumptions, (fact.prop,))
        plan = (
            WithFacts((fact,), cert)
            if cert is not None
            else remainder_plan(prop, assumptions, fact, prove, check_plan, points)
        )
        if plan is not None:
            yield plan
    if len(facts) > 1:
        cert = _final(prop, assumptions, tuple(f.prop for f in facts.values()))
        if cert is not None:
            yield WithFacts(tuple(facts.values()), cert)


def _final(prop: Prop, assumptions: tuple[Prop, ...], facts: tuple[Prop, ...]):
    """The statement's certificate under the assumptions and facts (the stand-in: the facts
    alone, as the plans before tried the assumptions), or None (the search is untrusted)."""
    try:
        found = linear_certificate(prop, facts)
        if found is not None:
            return found
        hypotheses = (*assumptions, *facts)
        sides = (side for p in (prop, *hypotheses) for side in (p.lhs, p.rhs))
        return hypothesis_certificate(prop, hypotheses, find_substitution(*sides))
    except Exception:  # noqa: BLE001 - any failure means "no certificate"
        return None


def _deeper(
    prove: Prove, check_plan: CheckPlan, points: tuple, depth: int, deadline: float
) -> Prove:
    """``prove``, else a :class:`WithFacts` plan for the claim itself, ``depth`` deep, that
    stops by the outer search's deadline."""

    def attempt(claim: Prop, assumptions: tuple[Prop, ...]):
        plan = prove(claim, assumptions)
        seconds = min(NESTED_SECONDS, deadline - time.monotonic())
        if plan is not None or seconds <= 0:
            return plan
        for plan in comparison_plans(
            claim, assumptions, prove, check_plan, lambda: points, seconds, depth
        ):
            try:
                check_plan(claim, plan, assumptions)
                return plan
            except Exception:  # noqa: BLE001 - untrusted: try the next
                continue
        return None

    return attempt
