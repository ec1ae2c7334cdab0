"""Σ and ∏ replaced by their values: written out, split at an end, or in closed form.

Untrusted search. ``Σ_{j=1}^{3} w_j x_j`` is written out by the kernel's definition of Σ
(``sum-peel`` down to ``sum-empty``, joined by ``congruence`` and ``chain``):
w₁x₁ + w₂x₂ + w₃x₃. ``Σ_{k=a}^{b} f(k)`` with a symbolic range gets SymPy's closed form
F, proved by induction on the number of terms (``F`` at the empty range is the unit, and
``F(m) ⊕ f(m+1) = F(m+1)`` is a rational identity), then instantiated at the range.
Beside a range a few terms shorter at one end (``Σ_{i=1}^{n} x_i`` and ``Σ_{i=2}^{n} x_i``)
the longer one is split there instead. Each Σ/∏ is then put in its place and the
statement that is left proved by the rest of the search (a callback), as
:mod:`.derivatives` does with a derivative's value.

A closed form that needs a condition (a denominator r − 1, a power c^n of a c that may be
0) is not used: ``chain`` says nothing where its middle term is undefined.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from .. import kernel
from ..kernel import Prop
from ..kernel.certificates import HYP, RationalIdentity, SignCertificate, SignTerm, Substitution
from ..kernel.domain import conditions
from .derivatives import put_in, rewritten_theorem

#: ranges with at most this many terms are written out, longer ones need a closed form
MAX_TERMS = 24

#: Σ or ∏ -> (peel rule, empty rule, the value of the empty range)
_RULES = {
    sp.Sum: (kernel.sum_peel, kernel.sum_empty, sp.Integer(0)),
    sp.Product: (kernel.product_peel, kernel.product_empty, sp.Integer(1)),
}

Search = Callable[[Prop, tuple], object]
Check = Callable[[Prop, object, tuple], kernel.Theorem]


@dataclass(frozen=True)
class Rewritten:
    """Each Σ/∏ in ``ranges`` replaced by its value; ``plan`` proves what is left."""

    ranges: tuple[tuple[sp.Basic, tuple | None], ...]  #: each Σ/∏ and how it is aligned
    plan: object


def _one_index(op: sp.Basic) -> bool:
    return len(op.limits) == 1 and not op.function.has(sp.Sum, sp.Product)


def outermost_ranges(prop: Prop) -> list[sp.Basic]:
    """The statement's Σ/∏ over one index with none inside, in a fixed order."""
    found = {op for side in (prop.lhs, prop.rhs) for op in side.atoms(sp.Sum, sp.Product)}
    return sorted((op for op in found if _one_index(op)), key=sp.default_sort_key)


def _join(op: sp.Basic, *terms: sp.Expr) -> sp.Expr:
    return sp.Add(*terms) if isinstance(op, sp.Sum) else sp.Mul(*terms)


def _hole(*exprs: sp.Basic) -> sp.Symbol:
    taken = {s.name for e in exprs for s in e.free_symbols}
    return sp.Symbol(next(f"h_{i}" for i in range(len(taken) + 1) if f"h_{i}" not in taken))


def written_out(op: sp.Basic, stop: sp.Expr | None = None) -> kernel.Theorem:
    """``op = f(a) ⊕ … ⊕ f(b)`` for a numeric range a..b, peeled one term at a time; with
    ``stop`` s, ``op = (op up to s) ⊕ f(s+1) ⊕ … ⊕ f(b)`` for a short symbolic range."""
    peel, empty, _unit = _RULES[type(op)]
    k, a, b = op.limits[0]
    stop = a - 1 if stop is None else stop
    count = b - stop
    if not (count.is_Integer and 0 <= count <= MAX_TERMS):
        raise ValueError("not a short range")
    theorem, inner = None, op
    for high in range(int(count), -1, -1):
        if high == 0 and stop != a - 1:
            return theorem
        step = peel(inner) if high else empty(inner)
        if theorem is not None:
            hole = _hole(theorem.prop.rhs, op)
            step = kernel.congruence(step, theorem.prop.rhs.xreplace({inner: hole}), hole)
            step = kernel.chain(theorem, step)
        theorem = step
        inner = type(op)(op.function, (k, a, stop + high - 1))
    return theorem


def _fresh(op: sp.Basic, count: int = 2) -> tuple[sp.Symbol, ...]:
    taken = {s.name for s in op.free_symbols} | {s.name for s in op.variables}
    names = (f"{c}_{i}" for i in range(9) for c in ("a", "n"))
    return tuple(sp.Symbol(n, integer=True) for n in names if n not in taken)[:count]


def _summable(body: sp.Expr, k: sp.Symbol) -> bool:
    """Whether SymPy finds a closed form quickly: sums of polynomials in k times powers
    c^(linear in k) of numbers (Σ 1/k alone takes a second, and has none)."""

    def fits(factor: sp.Expr) -> bool:
        if k not in factor.free_symbols or factor.is_polynomial(k):
            return True
        return (
            isinstance(factor, sp.Pow)
            and factor.base.is_Rational is True
            and factor.exp.is_polynomial(k)
            and sp.degree(factor.exp, k) <= 1
        )

    terms = sp.Add.make_args(sp.expand(body))
    return len(terms) <= 8 and all(fits(f) for t in terms for f in sp.Mul.make_args(t))


def closed_form(op: sp.Basic, guess: Callable | None = None) -> kernel.Theorem:
    """``op = F`` for a symbolic range, F SymPy's closed form (or ``guess(op)`` of the range
    from a_0 to a_0 + n_0 − 1) proved by induction on n_0."""
    peel, empty, unit = _RULES[type(op)]
    k, a, b = op.limits[0]
    if not (a.is_integer and b.is_integer) or k in (a - b).free_symbols:
        raise ValueError("not an integer range")
    if not _summable(op.function, k):
        raise ValueError("no closed form is looked for")
    start, n = _fresh(op)
    general = type(op)(op.function, (k, start, start + n - 1))
    value = general.doit() if guess is None else guess(general)
    if value.has(sp.Sum, sp.Product, sp.Piecewise) or conditions(value):
        raise ValueError("no closed form without conditions")
    claim = Prop(general, "=", value)
    base = claim.subs({n: 0})
    base_proof = kernel.chain(
        empty(base.lhs), kernel.rational_identity(Prop(unit, "=", base.rhs), RationalIdentity())
    )
    target = claim.subs({n: n + 1})
    peeled = peel(target.lhs)
    hole = _hole(peeled.prop.rhs, value)
    moved = kernel.congruence(
        kernel.assume(claim), peeled.prop.rhs.xreplace({claim.lhs: hole}), hole
    )
    last = kernel.rational_identity(Prop(moved.prop.rhs, "=", target.rhs), RationalIdentity())
    step = kernel.chain(kernel.chain(peeled, moved), last)
    theorem = kernel.induction(claim, n, 0, base_proof, step)
    return kernel.instantiate(kernel.instantiate(theorem, n, b - a + 1), start, a)


def _aligned(op: sp.Basic, ops) -> tuple[str, sp.Expr] | None:
    """Where another Σ/∏ of the same terms, a few terms shorter at one end, starts or stops
    (``Σ_{i=1}^{n+1} x_i`` beside ``Σ_{i=1}^{n} x_i``: peel the last term off, to n;
    ``Σ_{i=1}^{n} x_i`` beside ``Σ_{i=2}^{n} x_i``: split the first off, from 2)."""
    k, a, b = op.limits[0]
    for other in ops:
        j, a2, b2 = other.limits[0]
        if type(other) is not type(op) or j != k or other.function != op.function:
            continue
        if a2 == a and (b - b2).is_Integer and 0 < b - b2 <= MAX_TERMS:
            return ("top", b2)
        if b2 == b and (a2 - a).is_Integer and 0 < a2 - a <= MAX_TERMS:
            return ("bottom", a2)
    return None


def first_split(op: sp.Basic) -> kernel.Theorem:
    """``op = f(a) ⊕ (op from a+1)``, by induction on the number of terms after the first."""
    peel, empty, _unit = _RULES[type(op)]
    k, a, b = op.limits[0]
    start, n = _fresh(op)
    f, make = op.function, lambda low, high: type(op)(op.function, (k, low, high))
    claim = Prop(
        make(start, start + n), "=", _join(op, f.subs(k, start), make(start + 1, start + n))
    )

    def emptied(side: sp.Expr, inner: sp.Basic, hole: sp.Symbol) -> kernel.Theorem:
        return kernel.congruence(empty(inner), side.xreplace({inner: hole}), hole)

    base = claim.subs({n: 0})
    hole = _hole(base.lhs, base.rhs)
    left = kernel.chain(
        peel(base.lhs), emptied(peel(base.lhs).prop.rhs, make(start, start - 1), hole)
    )
    right = emptied(base.rhs, make(start + 1, start), hole)
    base_proof = kernel.chain(left, kernel.symmetry(right))
    target = claim.subs({n: n + 1})
    peeled = peel(target.lhs)
    hole = _hole(peeled.prop.rhs, claim.rhs)
    moved = kernel.congruence(
        kernel.assume(claim), peeled.prop.rhs.xreplace({claim.lhs: hole}), hole
    )
    inner = make(start + 1, start + n + 1)
    back = kernel.congruence(peel(inner), target.rhs.xreplace({inner: hole}), hole)
    step = kernel.chain(kernel.chain(peeled, moved), kernel.symmetry(back))
    theorem = kernel.induction(claim, n, 0, base_proof, step)
    return kernel.instantiate(kernel.instantiate(theorem, n, b - a), start, a)


def split_off(op: sp.Basic, first: sp.Expr) -> kernel.Theorem:
    """``op = f(a) ⊕ … ⊕ f(first − 1) ⊕ (op from first)``: :func:`first_split` repeated."""
    theorem, inner = None, op
    while inner.limits[0][1] != first:
        step = first_split(inner)
        if theorem is not None:
            hole = _hole(theorem.prop.rhs, op)
            step = kernel.congruence(step, theorem.prop.rhs.xreplace({inner: hole}), hole)
            step = kernel.chain(theorem, step)
        theorem = step
        k, a, b = inner.limits[0]
        inner = type(op)(op.function, (k, a + 1, b))
    return _weakest_range(theorem, inner)


def _weakest_range(theorem: kernel.Theorem, inner: sp.Basic) -> kernel.Theorem:
    """Discharge each 0 ≤ b − a of a longer range from the shortest one's 0 ≤ b − first + 1
    (the statement presupposes it): b − a is that plus a positive number."""
    _k, first, b = inner.limits[0]
    shortest = Prop(sp.Integer(0), "<=", b - first + 1)
    for longer in [a for a in theorem.assumptions if a != shortest and a.lhs == 0]:
        gap = sp.expand(longer.rhs - shortest.rhs)
        if not (gap.is_Rational and gap > 0):
            continue
        terms = (SignTerm(sp.Integer(1), ((HYP, shortest.rhs),)), SignTerm(gap, ()))
        proof = kernel.certified_sign(longer, SignCertificate(Substitution(), terms), (shortest,))
        theorem = kernel.discharge(theorem, proof)
    return theorem


def value_theorem(op: sp.Basic, how: tuple[str, sp.Expr] | None = None) -> kernel.Theorem:
    """``op = its value``: written out when the range is short and numeric, down to or up
    from another range's limit (``how``), else in closed form."""
    _k, a, b = op.limits[0]
    if how is not None:
        return written_out(op, how[1]) if how[0] == "top" else split_off(op, how[1])
    if (b - a).is_Integer and b - a < MAX_TERMS:
        return written_out(op)
    theorem = closed_form(op)
    for count in [c for c in theorem.assumptions if not c.free_symbols]:  # 0 ≤ 100000 terms
        gap = SignCertificate(Substitution(), (SignTerm(count.rhs - count.lhs, ()),))
        theorem = kernel.discharge(theorem, kernel.certified_sign(count, gap))
    return theorem


def _value(op: sp.Basic, how: tuple[str, sp.Expr] | None) -> sp.Expr | None:
    try:
        return value_theorem(op, how).prop.rhs
    except Exception:  # noqa: BLE001 - untrusted: no value means the range stays as it is
        return None


def rewritten_plan(prop: Prop, assumptions: tuple, search: Search) -> Rewritten | None:
    """A plan when some Σ/∏ of the statement has a value the kernel proves."""
    if isinstance(prop.lhs, sp.MatrixBase) or isinstance(prop.rhs, sp.MatrixBase):
        return None
    ops = outermost_ranges(prop)
    found = [(op, _aligned(op, ops)) for op in ops]
    found = [(op, how, v) for op, how in found if (v := _value(op, how)) is not None]
    if not found:
        return None
    inner = put_in(prop, [(op, v) for op, _how, v in found])
    inner = Prop(inner.lhs, inner.rel, inner.rhs, domain=prop.domain)
    plan = search(inner, tuple(assumptions))
    return None if plan is None else Rewritten(tuple(f[:2] for f in found), plan)


def rewritten_proof(
    prop: Prop, plan: Rewritten, assumptions: tuple, check: Check
) -> kernel.Theorem:
    """``prop`` from each ``Σ = value``, the statement with the values, and chain."""
    equations = [(op, lambda op=op, how=how: value_theorem(op, how)) for op, how in plan.ranges]
    return rewritten_theorem(
        prop, equations, lambda inner: check(inner, plan.plan, tuple(assumptions))
    )
