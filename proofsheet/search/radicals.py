"""Radicals and absolute values: square both sides, or rewrite ``|u|`` by the sign of ``u``.

Untrusted search; every step is a kernel rule. Two plans for an equation ``a = b``:

- :class:`EqualPowers`: prove ``a**n = b**n`` (SymPy expands ``(3 + √2)²`` and ``√u²``), and
  for an even ``n`` that ``0 ≤ a`` and ``0 ≤ b`` (a ``root`` factor for ``√u`` and ``|u|``,
  a hypothesis, or interval arithmetic for a closed number); the kernel's ``equal-powers``
  concludes ``a = b``. This denests ``√(11 + 6√2) = 3 + √2`` and shows
  ``√(x² + 2x + 1) = x + 1`` under ``x > −1``.
- :class:`AbsRewrite`: where the assumptions (and the statement's own domain conditions)
  decide the sign of ``u``, prove ``|u| = ±u`` by equal powers, put it in with
  ``congruence`` and ``chain``, and prove what is left.

Both may rest on the statement's domain conditions (``0 ≤ u`` for each ``√u``): a statement
claims nothing where it is not defined (:func:`~proofsheet.kernel.verdict.domain_assumptions`).

>>> import sympy as sp
>>> a = sp.sqrt(11 + 6 * sp.sqrt(2))
>>> plan = equal_powers_plan(Prop(a, "=", 3 + sp.sqrt(2)), (), lambda p, h: RationalIdentity())
>>> (plan.n, [s.prop.rel for s in plan.signs])
(2, ['<', '<'])
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import sympy as sp

from .. import kernel
from ..kernel import Prop, algebra
from ..kernel import verdict as verdict_policy
from ..kernel.certificates import (
    HYP,
    POS,
    ROOT,
    SQUARE,
    IntervalCertificate,
    RationalIdentity,
    SignCertificate,
    SignTerm,
    Substitution,
)
from ..kernel.errors import KernelError
from ..kernel.radicals import is_root

#: ``prove(goal, hypotheses)``: a plan the kernel accepts for an equation, or None
Prove = Callable[[Prop, tuple], object]
#: ``check(goal, plan, hypotheses)``: the kernel's theorem for a plan (tactics.check_plan)
Check = Callable[[Prop, object, tuple], kernel.Theorem]
#: ``certify(goal, hypotheses)``: a sign certificate, or None (tactics.sign_certificate)
Certify = Callable[[Prop, tuple], "SignCertificate | None"]

MAX_DEPTH = 2  #: plans of this module nested inside each other at most
_DEPTH = [0]


@contextlib.contextmanager
def _nested() -> Iterator[bool]:
    """Whether one more level of this module's plans may be tried (a squared equation may
    hold radicals again: it is squared at most :data:`MAX_DEPTH` times)."""
    _DEPTH[0] += 1
    try:
        yield _DEPTH[0] <= MAX_DEPTH
    finally:
        _DEPTH[0] -= 1


def _radical(e: sp.Basic) -> bool:
    """``|u|`` or ``u**(p/q)`` with q > 1."""
    return isinstance(e, sp.Abs) or (isinstance(e, sp.Pow) and e.exp.is_Rational and e.exp.q > 1)


def has_radicals(prop: Prop) -> bool:
    """Whether a side holds ``|u|`` or ``u**(p/q)`` with q > 1 (a cube root too)."""
    return any(
        isinstance(side, sp.Expr) and any(_radical(e) for e in sp.preorder_traversal(side))
        for side in (prop.lhs, prop.rhs)
    )


def hypotheses(prop: Prop, assumptions: tuple[Prop, ...]) -> tuple[Prop, ...]:
    """The stated assumptions and the statement's own domain conditions (``0 ≤ u`` for √u)."""
    return tuple(dict.fromkeys((*assumptions, *verdict_policy.domain_assumptions(prop))))


# --- 0 ≤ e -------------------------------------------------------------------------------


@dataclass(frozen=True)
class NonNegative:
    """``prop`` (``0 ≤ e``, or ``0 < e`` for a closed number) by ``certificate``."""

    prop: Prop
    certificate: object
    hyps: tuple[Prop, ...]


def _factor(f: sp.Expr, hyps: tuple[Prop, ...]) -> tuple[tuple[str, sp.Expr], ...] | None:
    """``f`` as sign factors: a root, a square, a positive polynomial or a hypothesis."""
    if is_root(f):
        return ((ROOT, f),)
    base, k = f.as_base_exp()
    if k.is_Integer and k > 0 and is_root(base):
        return ((ROOT, base),) * int(k)
    if k.is_Integer and k > 0 and k.is_even:
        return ((SQUARE, base ** (k // 2)),)
    if algebra.is_positive_polynomial(f):
        return ((POS, f),)
    if algebra.hypothesis_sign(f, hyps, Substitution()):
        return ((HYP, f),)
    return None


def _termwise(e: sp.Expr, hyps: tuple[Prop, ...]) -> SignCertificate | None:
    """``e`` as written, term by term: ``c · Π factors`` with c ≥ 0 and each factor ≥ 0."""
    terms = []
    for term in sp.Add.make_args(e):
        coeff, rest = term.as_coeff_Mul()
        if not (coeff.is_Rational and coeff > 0):
            return None
        factors: list = []
        for f in sp.Mul.make_args(rest) if rest != 1 else ():
            found = _factor(f, hyps)
            if found is None:
                return None
            factors.extend(found)
        terms.append(SignTerm(sp.Rational(coeff), tuple(factors)))
    return SignCertificate(Substitution(), tuple(terms))


def nonnegative_plan(e: sp.Expr, hyps: tuple[Prop, ...], certify: Certify) -> NonNegative | None:
    """A plan for ``0 ≤ e``: interval arithmetic for a closed number (``0 < e``), ``e`` read
    term by term, or the sign search; the first the kernel accepts."""
    if not e.free_symbols:
        goal = Prop(sp.Integer(0), "<", e)
        readings = [lambda: IntervalCertificate()]
    else:
        goal = Prop(sp.Integer(0), "<=", e)
        readings = [lambda: _termwise(e, hyps), lambda: certify(goal, hyps)]
    for reading in readings:
        try:
            cert = reading()
            if cert is not None and kernel.check(goal, cert, hyps):
                return NonNegative(goal, cert, hyps)
        except Exception:  # noqa: BLE001 - untrusted: try the next reading
            continue
    return None


def nonnegative_theorem(plan: NonNegative) -> kernel.Theorem:
    return kernel.check(plan.prop, plan.certificate, plan.hyps)


# --- a = b from a**n = b**n ------------------------------------------------------------------


@dataclass(frozen=True)
class EqualPowers:
    """``a**n = b**n`` by ``powered`` (under ``hyps``), and for an even n ``0 ≤ a``, ``0 ≤ b``."""

    n: int
    powered: object
    signs: tuple[NonNegative, ...]
    hyps: tuple[Prop, ...]


def root_power(prop: Prop) -> int:
    """The power that clears the roots: the least common multiple of their denominators."""
    q = 1
    for side in (prop.lhs, prop.rhs):
        for e in sp.preorder_traversal(side):
            if isinstance(e, sp.Pow) and e.exp.is_Rational and e.exp.q > 1:
                q = int(sp.ilcm(q, e.exp.q))
    return 2 if q == 1 else q


def equal_powers_plan(
    prop: Prop, assumptions: tuple[Prop, ...], prove: Prove, certify: Certify | None = None
) -> EqualPowers | None:
    """Raise both sides to the power that clears their roots (2 for ``|u|``)."""
    if prop.rel != "=" or not has_radicals(prop):
        return None
    n, hyps = root_power(prop), hypotheses(prop, assumptions)
    powered = Prop(sp.Pow(prop.lhs, n), "=", sp.Pow(prop.rhs, n))
    signs = ()
    if n % 2 == 0:
        signs = tuple(nonnegative_plan(e, hyps, certify or _none) for e in (prop.lhs, prop.rhs))
        if None in signs:
            return None
    with _nested() as deeper:
        plan = prove(powered, hyps) if deeper else None
    return None if plan is None else EqualPowers(n, plan, signs, hyps)


def _none(_goal, _hyps) -> None:
    return None


def equal_powers_theorem(prop: Prop, plan: EqualPowers, check: Check) -> kernel.Theorem:
    powered = Prop(sp.Pow(prop.lhs, plan.n), "=", sp.Pow(prop.rhs, plan.n))
    signs = tuple(nonnegative_theorem(s) for s in plan.signs)
    return kernel.equal_powers(prop, plan.n, check(powered, plan.powered, plan.hyps), *signs)


# --- |u| = ±u by the sign of u, put into the statement -------------------------------------


@dataclass(frozen=True)
class AbsRewrite:
    """Each ``|u|`` with its sign (``rewrites``: u, ±1, the plan for ``|u| = ±u``), then
    ``rest``: the plan for the statement with them put in (under ``hyps``)."""

    rewrites: tuple[tuple[sp.Expr, int, EqualPowers], ...]
    rest: object
    hyps: tuple[Prop, ...]


def _abs_terms(prop: Prop) -> list[sp.Expr]:
    """The arguments of the innermost ``|u|`` of the sides, in a fixed order."""
    found = {
        e.args[0]
        for side in (prop.lhs, prop.rhs)
        for e in sp.preorder_traversal(side)
        if isinstance(e, sp.Abs) and not e.args[0].has(sp.Abs)
    }
    return sorted(found, key=sp.default_sort_key)


def _signed_abs(
    u: sp.Expr, hyps: tuple[Prop, ...], certify: Certify
) -> tuple[int, EqualPowers] | None:
    """``|u| = u`` from ``0 ≤ u``, or ``|u| = −u`` from ``0 ≤ −u``, by equal squares."""
    for sign in (1, -1):
        value = sign * u
        sign_plan = nonnegative_plan(value, hyps, certify)
        absolute = nonnegative_plan(sp.Abs(u), hyps, certify)
        if sign_plan is None or absolute is None:
            continue
        return sign, EqualPowers(2, RationalIdentity(), (absolute, sign_plan), hyps)
    return None


def rewritten(prop: Prop, rewrites) -> Prop:
    """The statement with each ``|u|`` replaced by ``±u``."""
    mapping = {sp.Abs(u): sign * u for u, sign, _plan in rewrites}
    return Prop(prop.lhs.xreplace(mapping), prop.rel, prop.rhs.xreplace(mapping))


def abs_rewrite_plan(
    prop: Prop, assumptions: tuple[Prop, ...], prove: Prove, certify: Certify
) -> AbsRewrite | None:
    if prop.rel != "=" or not prop.lhs.has(sp.Abs) and not prop.rhs.has(sp.Abs):
        return None
    hyps = hypotheses(prop, assumptions)
    rewrites = []
    for u in _abs_terms(prop):
        found = _signed_abs(u, hyps, certify)
        if found is not None:
            rewrites.append((u, *found))
    if not rewrites:
        return None
    goal = rewritten(prop, rewrites)
    with _nested() as deeper:
        rest = prove(goal, hyps) if deeper else None
    return None if rest is None else AbsRewrite(tuple(rewrites), rest, hyps)


def _fresh_hole(*exprs: sp.Expr) -> sp.Symbol:
    taken = {s.name for e in exprs for s in e.free_symbols}
    name = next(f"h_{i}" for i in range(len(taken) + 1) if f"h_{i}" not in taken)
    return sp.Symbol(name, real=True)


def _rewrite_side(side: sp.Expr, equations: list[kernel.Theorem]) -> kernel.Theorem | None:
    """``side = side'`` by congruence with each ``|u| = ±u`` in turn, chained; None if no
    ``|u|`` occurs in it."""
    proved = None
    for equation in equations:
        current = side if proved is None else proved.prop.rhs
        if not current.has(equation.prop.lhs):
            continue
        hole = _fresh_hole(current, equation.prop.rhs)
        context = current.xreplace({equation.prop.lhs: hole})
        step = kernel.congruence(equation, context, hole)
        if step.prop.lhs != current:
            raise KernelError("abs rewrite: the context does not give the side back")
        proved = step if proved is None else kernel.chain(proved, step)
    return proved


def abs_rewrite_theorem(prop: Prop, plan: AbsRewrite, check: Check) -> kernel.Theorem:
    equations = [
        equal_powers_theorem(Prop(sp.Abs(u), "=", sign * u), powers, check)
        for u, sign, powers in plan.rewrites
    ]
    lhs, rhs = (_rewrite_side(side, equations) for side in (prop.lhs, prop.rhs))
    goal = Prop(lhs.prop.rhs if lhs else prop.lhs, "=", rhs.prop.rhs if rhs else prop.rhs)
    theorem = check(goal, plan.rest, plan.hyps)
    if lhs is not None:
        theorem = kernel.chain(lhs, theorem)
    if rhs is not None:
        theorem = kernel.chain(theorem, kernel.symmetry(rhs))
    return theorem


# --- the plans, for tactics.certificate_plans -------------------------------------------------


def radical_plans(prop: Prop, assumptions: tuple[Prop, ...], prove: Prove, certify: Certify):
    """Equal powers, then ``|u|`` rewritten by its sign: for an equation with a radical."""
    if prop.rel != "=" or not has_radicals(prop):
        return
    for make in (equal_powers_plan, abs_rewrite_plan):
        try:
            yield make(prop, assumptions, prove, certify)
        except Exception:  # noqa: BLE001 - untrusted search: try the next plan
            continue
