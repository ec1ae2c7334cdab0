"""The trusted kernel: the only code that may declare a statement verified.

In the spirit of HOL Light's ``fusion.ml``: a :class:`Theorem` can only be
made by the rule functions below, each of which re-checks a certificate
with exact, decidable algebra.  The trusted base beyond this file is small
and named: SymPy's automatic evaluation, ``expand``, ``cancel`` and
``diff``; the definitions in :mod:`proofsheet.notation`; and the interval
arithmetic of :mod:`proofsheet.interval` (mpmath).

A theorem states ``lhs rel rhs`` for every value of its free symbols (real
unless declared otherwise) at which both sides are defined and its
assumptions hold.

>>> import sympy as sp
>>> from proofsheet.notation import sigma
>>> from proofsheet.certificates import RationalIdentity, Substitution
>>> x, t = sp.Symbol("x", real=True), sp.Symbol("t", positive=True)
>>> thm = rational_identity(Prop(1 - sigma(x), "=", sigma(-x)),
...                         RationalIdentity(Substitution(((t, -x),))))
>>> thm.rule
'rational-identity'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import mpmath
import sympy as sp

from . import interval
from .certificates import (DerivativeIdentity, IntervalCertificate, RationalIdentity,
                           SignCertificate, Substitution)
from .errors import KernelError, ShapeError
from .notation import unfold

RELATIONS = ("=", "<=", "<", ">=", ">")
_FLIP = {"=": "=", "<=": ">=", "<": ">", ">=": "<=", ">": "<"}
_KERNEL = object()  # only this module holds the key that makes a Theorem


@dataclass(frozen=True)
class Prop:
    """A relation ``lhs rel rhs``; ``rel`` is one of :data:`RELATIONS`."""

    lhs: sp.Basic
    rel: str
    rhs: sp.Basic

    def __post_init__(self) -> None:
        if self.rel not in RELATIONS:
            raise KernelError(f"unknown relation {self.rel!r}")
        for side in ("lhs", "rhs"):
            value = getattr(self, side)
            if not isinstance(value, (sp.Basic, int)):
                raise KernelError(f"{side} must be a SymPy object, not {type(value).__name__}")
            object.__setattr__(self, side, sp.Integer(value) if isinstance(value, int) else value)

    def flipped(self) -> Prop:
        return Prop(self.rhs, _FLIP[self.rel], self.lhs)

    def as_upper(self) -> Prop:
        """The same proposition written with ``=``, ``<=`` or ``<``."""
        return self.flipped() if self.rel in (">=", ">") else self

    def subs(self, mapping: dict) -> Prop:
        return Prop(self.lhs.subs(mapping), self.rel, self.rhs.subs(mapping))

    @property
    def free_symbols(self) -> set:
        return self.lhs.free_symbols | self.rhs.free_symbols


@dataclass(frozen=True)
class Theorem:
    """``prop`` holds under ``assumptions``; made only by this module's rules."""

    prop: Prop
    assumptions: tuple[Prop, ...]
    rule: str
    certificate: Any
    premises: tuple[Theorem, ...]
    key: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.key is not _KERNEL:
            raise KernelError("only the kernel can make a Theorem")

    def __reduce__(self):  # a theorem never crosses a pickle boundary
        raise KernelError("theorems cannot be pickled; send the certificate instead")


def _theorem(prop: Prop, rule: str, certificate: Any = None,
             premises: tuple[Theorem, ...] = (), assumptions: tuple[Prop, ...] = ()) -> Theorem:
    merged = tuple(dict.fromkeys([*assumptions, *(a for p in premises for a in p.assumptions)]))
    return Theorem(prop, merged, rule, certificate, premises, _KERNEL)


# --- normal form: unfold, exponentials to monomials, cancel -----------------------------

_OPAQUE_BINDERS = (sp.Derivative, sp.Integral, sp.Limit, sp.Subs, sp.Lambda)


def _check_substitution(sub: Substitution, statement_symbols: set) -> None:
    for t, arg in sub.pairs:
        if not (isinstance(t, sp.Symbol) and t.is_positive):
            raise KernelError(f"substitution symbol {t} must be a positive symbol")
        if t in statement_symbols:
            raise KernelError(f"substitution symbol {t} is not fresh")
        coeff, var = arg.as_coeff_Mul()
        if not (coeff.is_Rational and coeff != 0 and isinstance(var, (sp.Symbol, sp.Indexed))
                and var.is_real and var.free_symbols <= statement_symbols):
            raise KernelError(f"substitution exp({arg}) is not exp(c·v) for a free variable v")


def _exp_to_monomials(expr: sp.Basic, sub: Substitution) -> sp.Basic:
    """Rewrite ``exp(k·c·v + rest)`` as ``t**k · exp(rest)`` for each pair ``(t, c·v)``."""

    def rewrite(e: sp.exp) -> sp.Expr:
        rest, factor = sp.expand(e.args[0]), sp.Integer(1)
        for t, arg in sub.pairs:
            coeff, var = arg.as_coeff_Mul()
            k = rest.coeff(var) / coeff
            if k.is_Integer and k != 0:
                rest, factor = sp.expand(rest - k * arg), factor * t ** k
        return factor * sp.exp(rest)

    return expr.replace(lambda e: isinstance(e, sp.exp), rewrite)


def normal_form(expr: sp.Basic, sub: Substitution) -> sp.Expr:
    """The rational normal form the kernel compares: unfold, substitute, cancel."""
    if expr.has(*_OPAQUE_BINDERS):
        raise KernelError("derivatives and limits must be evaluated before comparing")
    bound = set().union(*(p.variables for p in expr.atoms(sp.Product, sp.Sum)))
    if any(bound & arg.free_symbols for _t, arg in sub.pairs):
        raise KernelError("a substitution may not touch a bound index")
    return sp.cancel(sp.expand_power_exp(_exp_to_monomials(unfold(expr), sub)))


def _identical(lhs: sp.Basic, rhs: sp.Basic, sub: Substitution, symbols: set) -> bool:
    _check_substitution(sub, symbols)
    if isinstance(lhs, sp.MatrixBase) or isinstance(rhs, sp.MatrixBase):
        raise KernelError("matrices are compared entry by entry (rule entrywise)")
    return normal_form(lhs - rhs, sub) == 0


# --- rule 1: rational identity ------------------------------------------------------------

def rational_identity(prop: Prop, cert: RationalIdentity) -> Theorem:
    """``lhs = rhs`` when their difference cancels to 0 after unfolding and substitution."""
    if prop.rel != "=" or not _identical(prop.lhs, prop.rhs, cert.substitution, prop.free_symbols):
        raise KernelError("rational identity: lhs − rhs does not cancel to 0")
    return _theorem(prop, "rational-identity", cert)


# --- rule 2: derivative -------------------------------------------------------------------

def derivative(prop: Prop, cert: DerivativeIdentity) -> Theorem:
    """``lhs = rhs`` after evaluating every Derivative with SymPy's diff (trusted)."""
    if prop.rel != "=" or not (prop.lhs.has(sp.Derivative) or prop.rhs.has(sp.Derivative)):
        raise KernelError("derivative: the statement must be an equation with a derivative")
    lhs, rhs = (side.replace(lambda e: isinstance(e, sp.Derivative), lambda e: e.doit())
                for side in (prop.lhs, prop.rhs))
    if not _identical(lhs, rhs, cert.substitution, prop.free_symbols):
        raise KernelError("derivative: the sides differ after differentiating")
    return _theorem(prop, "derivative", cert)


# --- rule 3: certified sign ---------------------------------------------------------------

def _positive_atom(atom: sp.Basic) -> bool:
    return (atom.is_Symbol and atom.is_positive is True) or (
        isinstance(atom, sp.exp) and atom.args[0].is_real is True)


def _is_positive_polynomial(e: sp.Expr) -> bool:
    """True when ``e`` expands to a non-empty sum of ``c·Π atom**k``, c > 0, atoms positive."""
    terms = sp.Add.make_args(sp.expand(e))
    for term in terms:
        coeff, rest = term.as_coeff_Mul()
        if not (coeff.is_Rational and coeff > 0):
            return False
        for f in sp.Mul.make_args(rest):
            base, k = f.as_base_exp()
            if f != 1 and not (_positive_atom(base) and k.is_Rational):
                return False
    return bool(terms) and e != 0


def _hypothesis_sign(e: sp.Expr, assumptions: tuple[Prop, ...], sub: Substitution) -> str | None:
    """``'>'`` or ``'>='`` when some assumption says ``0 < e`` or ``0 <= e``."""
    for a in assumptions:
        upper = a.as_upper()
        if upper.rel in ("<", "<=") and normal_form(upper.rhs - upper.lhs - e, sub) == 0:
            return ">" if upper.rel == "<" else ">="
    return None


def _factor_value(kind: str, e: sp.Expr, assumptions, sub) -> tuple[sp.Expr, bool]:
    """The factor's value and whether it is strictly positive; rejects bad factors."""
    if kind == "square" and e.is_real is True:
        return e ** 2, e.is_nonzero is True and e.is_number
    if kind in ("pos", "inv") and _is_positive_polynomial(e):
        return (e if kind == "pos" else 1 / e), True
    if kind == "hyp" and (sign := _hypothesis_sign(e, assumptions, sub)):
        return e, sign == ">"
    raise KernelError(f"sign certificate: factor {kind} {e} is not justified")


def certified_sign(prop: Prop, cert: SignCertificate, assumptions: tuple[Prop, ...] = ()) -> Theorem:
    """``lhs ≤ rhs`` (or ``<``) when ``rhs − lhs`` is a certified sum of non-negative terms."""
    upper = prop.as_upper()
    if upper.rel not in ("<=", "<"):
        raise KernelError("certified sign: the statement must be an inequality")
    symbols = prop.free_symbols.union(*(a.free_symbols for a in assumptions))
    _check_substitution(cert.substitution, symbols)
    total, strict = sp.Integer(0), False
    for term in cert.terms:
        if not (term.coeff.is_Rational and term.coeff >= 0):
            raise KernelError(f"sign certificate: coefficient {term.coeff} is negative")
        value, term_strict = term.coeff, term.coeff > 0
        for kind, e in term.factors:
            factor, factor_strict = _factor_value(kind, e, assumptions, cert.substitution)
            value, term_strict = value * factor, term_strict and factor_strict
        total, strict = total + value, strict or term_strict
    if upper.rel == "<" and not strict:
        raise KernelError("certified sign: no term is strictly positive")
    if normal_form(upper.rhs - upper.lhs, cert.substitution) != normal_form(total, cert.substitution):
        raise KernelError("certified sign: rhs − lhs is not equal to the certificate's sum")
    return _theorem(prop, "certified-sign", cert, assumptions=assumptions)


# --- certificates by type: the entry point for tactics and replay ------------------------

_CHECKERS = {
    RationalIdentity: lambda prop, cert, _a: rational_identity(prop, cert),
    DerivativeIdentity: lambda prop, cert, _a: derivative(prop, cert),
    SignCertificate: certified_sign,
    IntervalCertificate: lambda prop, cert, _a: interval_order(prop, cert),
}


def check(prop: Prop, cert: Any, assumptions: tuple[Prop, ...] = ()) -> Theorem:
    """Re-check a certificate found by a tactic, dispatching on its type."""
    checker = _CHECKERS.get(type(cert))
    if checker is None:
        raise KernelError(f"no rule checks a {type(cert).__name__}")
    return checker(prop, cert, assumptions)


# --- rule 4: monotone product -------------------------------------------------------------

def _as_le(thm: Theorem) -> tuple[sp.Basic, sp.Basic]:
    upper = thm.prop.as_upper()
    if upper.rel not in ("<=", "<"):
        raise KernelError(f"monotone product: premise {thm.prop} is not an inequality")
    return upper.lhs, upper.rhs


def monotone_product(a_nonneg: Theorem, a_le: Theorem, b_nonneg: Theorem, b_le: Theorem) -> Theorem:
    """0 ≤ a ≤ A and 0 ≤ b ≤ B give a·b ≤ A·B."""
    (z1, a), (a2, big_a), (z2, b), (b2, big_b) = map(_as_le, (a_nonneg, a_le, b_nonneg, b_le))
    if not (z1 == 0 and z2 == 0 and a == a2 and b == b2):
        raise KernelError("monotone product: premises are not 0 ≤ a, a ≤ A, 0 ≤ b, b ≤ B")
    return _theorem(Prop(a * b, "<=", big_a * big_b), "monotone-product",
                    premises=(a_nonneg, a_le, b_nonneg, b_le))


# --- rule 5: induction --------------------------------------------------------------------

def assume(prop: Prop) -> Theorem:
    """A hypothesis: ``prop`` under the assumption ``prop``."""
    return _theorem(prop, "assumption", assumptions=(prop,))


def induction(claim: Prop, n: sp.Symbol, start: int, base: Theorem, step: Theorem) -> Theorem:
    """``claim`` for every integer ``n ≥ start``, from claim(start) and claim(n) ⇒ claim(n+1)."""
    n_ok = Prop(sp.Integer(start), "<=", n)
    if not (isinstance(n, sp.Symbol) and n.is_integer):
        raise KernelError(f"induction: {n} is not an integer variable")
    if base.prop != claim.subs({n: start}) or n in set().union(*(a.free_symbols for a in base.assumptions)):
        raise KernelError("induction: the base case does not prove claim(start)")
    if step.prop != claim.subs({n: n + 1}):
        raise KernelError("induction: the step does not prove claim(n + 1)")
    others = [a for a in step.assumptions if a not in (claim, n_ok)]
    if any(n in a.free_symbols for a in others):
        raise KernelError("induction: the step uses another assumption about n")
    return _theorem(claim, "induction", {"variable": n, "start": start}, (base, step),
                    assumptions=(n_ok, *others, *base.assumptions))


def product_peel(product: sp.Product) -> Theorem:
    """Π_{k=a}^{b+1} f(k) = (Π_{k=a}^{b} f(k)) · f(b+1): the definition of Π (Karr's convention)."""
    if not (isinstance(product, sp.Product) and len(product.limits) == 1):
        raise KernelError("product peel: not a product over one index")
    k, a, b = product.limits[0]
    body = product.function
    rhs = sp.Product(body, (k, a, b - 1)) * body.subs(k, b)
    return _theorem(Prop(product, "=", rhs), "product-peel")


# --- rule 6: chaining, symmetry, instantiation --------------------------------------------

_COMBINE = {("=", r): r for r in RELATIONS} | {(r, "="): r for r in RELATIONS} | {
    ("<=", "<="): "<=", ("<=", "<"): "<", ("<", "<="): "<", ("<", "<"): "<",
    (">=", ">="): ">=", (">=", ">"): ">", (">", ">="): ">", (">", ">"): ">"}


def chain(first: Theorem, second: Theorem) -> Theorem:
    """a R b and b S c give a (R∘S) c, e.g. a = b, b ≤ c ⇒ a ≤ c."""
    rel = _COMBINE.get((first.prop.rel, second.prop.rel))
    if first.prop.rhs != second.prop.lhs or rel is None:
        raise KernelError(f"chain: {first.prop} and {second.prop} do not link")
    return _theorem(Prop(first.prop.lhs, rel, second.prop.rhs), "chain",
                    premises=(first, second))


def symmetry(thm: Theorem) -> Theorem:
    """a R b gives b R' a (with R' the mirrored relation)."""
    return _theorem(thm.prop.flipped(), "symmetry", premises=(thm,))


def instantiate(thm: Theorem, variable: sp.Symbol, value: sp.Expr) -> Theorem:
    """Replace a free variable by an expression that meets the variable's assumptions."""
    facts = ("real", "integer", "positive", "nonnegative")
    for fact in facts:
        if getattr(variable, f"is_{fact}") is True and getattr(value, f"is_{fact}") is not True:
            raise KernelError(f"instantiate: {value} is not known to be {fact}")
    if variable in set().union(*(a.free_symbols for a in thm.assumptions)):
        raise KernelError("instantiate: the variable occurs in an assumption")
    return _theorem(thm.prop.subs({variable: value}), "instantiate",
                    {"variable": variable, "value": value}, (thm,))


# --- rule 7: exact numbers ----------------------------------------------------------------

def interval_order(prop: Prop, cert: IntervalCertificate) -> Theorem:
    """A closed inequality such as ``L(after) < L(before)``, by interval arithmetic."""
    upper = prop.as_upper()
    if upper.rel not in ("<=", "<") or prop.free_symbols:
        raise KernelError("interval order: not an inequality between closed numbers")
    low, _high = interval.bounds(upper.rhs - upper.lhs, cert.bits)
    if not low > 0:
        raise KernelError("interval order: the difference is not certainly positive")
    return _theorem(prop, "interval-order", cert)


# --- rule 8: matrices entry by entry ------------------------------------------------------

def entrywise(lhs: sp.MatrixBase, rhs: sp.MatrixBase, entries: tuple[Theorem, ...]) -> Theorem:
    """Matrices are equal when each entry equation is a theorem (row-major order)."""
    if lhs.shape != rhs.shape:
        raise ShapeError(f"shapes differ: {lhs.shape[0]}×{lhs.shape[1]} vs {rhs.shape[0]}×{rhs.shape[1]}")
    if len(entries) != len(lhs) or any(
            e.prop != Prop(l, "=", r) for e, l, r in zip(entries, lhs, rhs)):
        raise KernelError("entrywise: the entry theorems do not match the matrices")
    return _theorem(Prop(sp.ImmutableMatrix(lhs), "=", sp.ImmutableMatrix(rhs)), "entrywise",
                    premises=entries)


def matmul(a: sp.MatrixBase, b: sp.MatrixBase) -> sp.ImmutableMatrix:
    """A matrix product whose shape mismatch is a kernel error, not a SymPy exception."""
    if a.shape[1] != b.shape[0]:
        raise ShapeError(f"cannot multiply {a.shape[0]}×{a.shape[1]} by {b.shape[0]}×{b.shape[1]}")
    return sp.ImmutableMatrix(a * b)


# --- refutation: a counterexample, re-checked by interval arithmetic ----------------------

@dataclass(frozen=True)
class Refutation:
    """``prop`` fails at ``point``, where both sides were evaluated rigorously."""

    prop: Prop
    point: tuple[tuple[sp.Basic, sp.Rational], ...]
    lhs_value: str
    rhs_value: str
    key: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.key is not _KERNEL:
            raise KernelError("only the kernel can make a Refutation")


_SYMBOL_FACTS = {"integer": lambda v: v.is_Integer, "positive": lambda v: v > 0,
                 "nonnegative": lambda v: v >= 0}


def _closed(expr: sp.Basic, point: dict) -> sp.Expr:
    """The value at ``point``: differentiate first, then substitute, then expand ∏ and Σ."""
    expr = expr.replace(lambda e: isinstance(e, sp.Derivative), lambda e: e.doit())
    return expr.xreplace(point).replace(lambda e: isinstance(e, (sp.Product, sp.Sum)),
                                        lambda e: e.doit())


def _value_bounds(expr: sp.Basic, point: dict) -> tuple:
    return interval.bounds(_closed(expr, point), bits=256)


def _holds_strictly_or_exactly(prop: Prop, point: dict) -> bool:
    upper = prop.as_upper()
    difference = _closed(upper.rhs - upper.lhs, point)
    if upper.rel in ("=", "<=") and normal_form(difference, Substitution()) == 0:
        return True
    return upper.rel != "=" and interval.bounds(difference)[0] > 0


def _decimal(low, high) -> str:
    with mpmath.workdps(40):
        return mpmath.nstr((low + high) / 2, 30)


def refute(prop: Prop, point: dict, assumptions: tuple[Prop, ...] = ()) -> Refutation:
    """A counterexample: every symbol gets an exact rational meeting its assumptions."""
    if set(point) != prop.free_symbols.union(*(a.free_symbols for a in assumptions)):
        raise KernelError("refute: the point must give every free symbol a value")
    for var, value in point.items():
        if not value.is_Rational:
            raise KernelError(f"refute: {var} = {value} is not an exact rational")
        if any(getattr(var, f"is_{f}") and not ok(value) for f, ok in _SYMBOL_FACTS.items()):
            raise KernelError(f"refute: {var} = {value} breaks the assumptions on {var}")
    if not all(_holds_strictly_or_exactly(a, point) for a in assumptions):
        raise KernelError("refute: the point does not satisfy the assumptions")
    (l_lo, l_hi), (r_lo, r_hi) = _value_bounds(prop.lhs, point), _value_bounds(prop.rhs, point)
    upper = prop.as_upper()
    if upper is not prop:
        (l_lo, l_hi), (r_lo, r_hi) = (r_lo, r_hi), (l_lo, l_hi)
    fails = {"=": l_hi < r_lo or r_hi < l_lo,
             "<=": l_lo > r_hi,
             "<": l_lo > r_hi or normal_form(_closed(upper.lhs - upper.rhs, point), Substitution()) == 0}
    if not fails[upper.rel]:
        raise KernelError("refute: the relation is not certainly false at this point")
    lhs_value, rhs_value = (_decimal(*_value_bounds(side, point)) for side in (prop.lhs, prop.rhs))
    return Refutation(prop, tuple(point.items()), lhs_value, rhs_value, _KERNEL)
