"""Algebraic rules: rational identity, derivative, certified sign, exact numbers, matrices.

Each re-checks a certificate by exact computation: unfold the notation,
replace exponentials of linear forms by powers of fresh positive symbols,
split logarithms into positive pieces (:func:`split_log`), and ``cancel``.
"""

from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.polys.polyerrors import BasePolynomialError

from . import interval
from .certificates import (
    FACTOR_KINDS,
    HYP,
    INV,
    INV_HYP,
    POS,
    ROOT,
    SQUARE,
    DerivativeIdentity,
    IntervalCertificate,
    RationalIdentity,
    SignCertificate,
    SignTerm,
    Substitution,
)
from .core import UPWARD, Prop, Theorem, _theorem
from .domain import node_conditions
from .errors import KernelError, ShapeError, UnsupportedError
from .exponentials import canonical_powers, log_over_primes, positive_power_logs
from .notation import unfold
from .radicals import root_factor
from .sigma_atoms import atomised

# --- normal form: unfold, exponentials to monomials, cancel -----------------------------

_OPAQUE_BINDERS = (sp.Derivative, sp.Integral, sp.Limit, sp.Subs, sp.Lambda)


def _expect(cert: Any, kind: type, rule: str) -> None:
    """A rule re-checks only its own kind of certificate."""
    if type(cert) is not kind:
        raise KernelError(f"{rule}: needs a {kind.__name__}, not a {type(cert).__name__}")


def _check_substitution(sub: Substitution, statement_symbols: set) -> None:
    pairs = sub.pairs if type(sub) is Substitution else None
    if not isinstance(pairs, tuple) or not all(isinstance(p, tuple) and len(p) == 2 for p in pairs):
        raise KernelError("a substitution is a tuple of (symbol, exponent) pairs")
    for t, arg in sub.pairs:
        if not (isinstance(t, sp.Symbol) and t.is_positive):
            raise KernelError(f"substitution symbol {t} must be a positive symbol")
        if t in statement_symbols:
            raise KernelError(f"substitution symbol {t} is not fresh")
        coeff, var = arg.as_coeff_Mul()
        if not (
            coeff.is_Rational
            and coeff != 0
            and isinstance(var, (sp.Symbol, sp.Indexed))
            and var.is_real
            and var.free_symbols <= statement_symbols
        ):
            raise KernelError(f"substitution exp({arg}) is not exp(c·v) for a free variable v")


def _exp_to_monomials(expr: sp.Basic, sub: Substitution) -> sp.Basic:
    """Rewrite ``exp(k·c·v + rest)`` as ``t**k · exp(rest)`` for each pair ``(t, c·v)``."""

    def rewrite(e: sp.exp) -> sp.Expr:
        rest, factor = sp.expand(e.args[0]), sp.Integer(1)
        for t, arg in sub.pairs:
            coeff, var = arg.as_coeff_Mul()
            k = rest.coeff(var) / coeff
            if k.is_Integer and k != 0:
                rest, factor = sp.expand(rest - k * arg), factor * t**k
        return factor * sp.exp(sp.cancel(rest) if rest.is_number else rest)  # e^(σ(1) + σ(−1))

    return expr.replace(lambda e: isinstance(e, sp.exp), rewrite)


def evaluated(expr: sp.Basic) -> sp.Basic:
    """``expr`` rebuilt bottom-up under SymPy's automatic evaluation (trusted), so that a tree a
    tactic built unevaluated (``|p|`` of a positive ``p``) is compared as SymPy reads it."""
    if not expr.args or isinstance(expr, sp.MatrixBase):
        return expr
    args = tuple(evaluated(a) for a in expr.args)
    try:
        return expr.func(*args)
    except Exception:  # noqa: BLE001 - a node SymPy cannot rebuild is compared as it stands
        return expr


def normal_form(expr: sp.Basic, sub: Substitution) -> sp.Expr:
    """The rational normal form the kernel compares: evaluate, unfold, substitute, cancel."""
    expr = evaluated(expr)
    opaque = [
        e
        for e in expr.atoms(*_OPAQUE_BINDERS)
        if not (isinstance(e, sp.Derivative) and e.doit() == e)
    ]  # y'(w) of an unknown y is a value
    if opaque:
        raise KernelError("derivatives and limits must be evaluated before comparing")
    bound = set().union(*(p.variables for p in expr.atoms(sp.Product, sp.Sum)))
    if any(bound & arg.free_symbols for _t, arg in sub.pairs):
        raise KernelError("a substitution may not touch a bound index")
    substituted = _exp_to_monomials(canonical_powers(unfold(expr)), sub)
    split = substituted.replace(
        lambda e: isinstance(e, sp.log), lambda e: split_log(e.args[0], sub)
    )
    return sp.cancel(sp.expand_power_exp(split))


# --- logarithms: split only where every piece is positive ---------------------------------


def _log_of_rational(c: sp.Rational) -> sp.Expr:
    """log c for a rational c > 0, as Σ e·log(prime) when c's terms are small."""
    return log_over_primes(c)


def _log_of_factor(f: sp.Expr, k: int, sub: Substitution) -> sp.Expr | None:
    """log(f**k) when f**k > 0 wherever it is a non-zero factor; None if f stays in the rest."""
    exponents = dict(sub.pairs)
    if f in exponents:  # t = exp(c·v): log(t**k) = k·c·v
        return k * exponents[f]
    if isinstance(f, sp.exp) and f.args[0].is_real is True:
        return k * f.args[0]
    if is_positive_polynomial(f) or (f.is_number and f.is_positive is True):
        return k * sp.log(f)
    if isinstance(f, sp.Abs):  # |u| ≥ 0, and ≠ 0 as a factor of a positive number
        return k * sp.log(f)
    if k % 2 == 0:  # f**(2j) = |f|**(2j)
        return k * sp.log(sp.Abs(f))
    return None


def split_log(arg: sp.Expr, sub: Substitution) -> sp.Expr:
    """``log(arg)`` written as a sum of logarithms of positive pieces, plus the log of the rest.

    The rule (trusted): first take out each factor ``b**e`` with a positive base and a real,
    non-integer exponent as ``e·log b`` (:func:`.exponentials.positive_power_logs`); then
    factor the rest's numerator and denominator over ℚ (SymPy's
    ``together`` and ``factor_list``) and cancel equal factors, ``arg = c·Π f_i^(k_i)``
    (negative k_i for the denominator), then take
    ``log(f^k) = k·c·v`` for a substitution symbol ``t = exp(c·v)``, ``k·u`` for ``exp(u)``
    with u real, ``k·log f`` for a positive polynomial in positive atoms, a positive number
    or an ``|u|``, ``k·log|f|`` for an even k, ``log c`` over primes when c > 0; every other
    factor (and c < 0) stays together in one ``log(rest)``, but a rest that is one factor
    ``f^k`` (k odd) is ``k·log f``.

    Why it is sound: a theorem holds where its sides are defined, so only points where
    ``arg > 0`` matter. There numerator and denominator are defined and non-zero, so no
    factor is 0 and the cancelled product equals ``arg``; each
    split piece is then positive (an even power of a non-zero real, a positive atom …), so
    the rest, ``arg`` divided by positive numbers, is positive, and log of a product of
    positive numbers is the sum of their logs; an odd power is positive only where its base
    is. With c < 0 nothing is split (the log stays
    whole, as SymPy's canonical product). Nothing is split by sign guesses:
    ``log(x·y)`` and ``log((x−1)(x−2))`` stay whole, ``log(x²)`` is ``2·log|x|``, never
    ``2·log x``.
    """
    powers, arg = positive_power_logs(arg, frozenset(t for t, _ in sub.pairs))
    if powers != 0:
        return powers + split_log(arg, sub)
    try:
        numer, denom = sp.fraction(sp.together(arg))
        c_n, numer_factors = sp.factor_list(numer)
        c_d, denom_factors = sp.factor_list(denom)
    except (BasePolynomialError, NotImplementedError, ValueError, TypeError):  # kept whole
        return sp.log(arg)
    const, powers = c_n / c_d, {}
    for f, k in (*numer_factors, *((f, -k) for f, k in denom_factors)):
        powers[f] = powers.get(f, 0) + k  # cancel: no factor is 0 where arg > 0
    factors = [(f, k) for f, k in powers.items() if k != 0]
    if not (const.is_Rational and const > 0):  # never split a log that has a negative sign
        return sp.log(sp.Mul(const, *(f**k for f, k in factors)))
    pieces, rest = [_log_of_rational(const)], []
    for f, k in factors:
        piece = _log_of_factor(f, k, sub)
        if piece is None:
            rest.append((f, k))
        else:
            pieces.append(piece)
    if len(rest) == 1:  # f**k > 0 with k odd: f > 0
        return sp.Add(*pieces, rest[0][1] * sp.log(rest[0][0]))
    return sp.Add(*pieces, sp.log(sp.Mul(*(f**k for f, k in rest))))


def _identical(lhs: sp.Basic, rhs: sp.Basic, cert, symbols: set) -> bool:
    """``lhs − rhs`` cancels to 0 under ``cert``'s substitution and σ atoms."""
    _check_substitution(cert.substitution, symbols)
    if isinstance(lhs, sp.MatrixBase) or isinstance(rhs, sp.MatrixBase):
        raise KernelError("matrices are compared entry by entry (rule entrywise)")
    return normal_form(atomised(evaluated(lhs - rhs), cert.atoms), cert.substitution) == 0


# --- rule 1: rational identity ------------------------------------------------------------


def rational_identity(prop: Prop, cert: RationalIdentity) -> Theorem:
    """``lhs = rhs`` when their difference cancels to 0 after unfolding and substitution."""
    _expect(cert, RationalIdentity, "rational identity")
    if prop.rel != "=" or not _identical(prop.lhs, prop.rhs, cert, prop.free_symbols):
        raise KernelError("rational identity: lhs − rhs does not cancel to 0")
    return _theorem(prop, "rational-identity", cert)


# --- rule 2: derivative -------------------------------------------------------------------


def differentiated(node: sp.Derivative) -> sp.Expr:
    """SymPy's ``diff`` of ``node`` (trusted), with each ``sign(u)`` read as ``u/|u|`` when the
    derivative exists only where ``u ≠ 0`` (its body has ``|u|``, :func:`.domain.conditions`).

    Where the derivative exists both are equal; where it does not (u = 0), ``u/|u|`` is not
    defined either, so SymPy's ``sign(0) = 0`` never stands for the derivative there.
    """
    nonzero = {c.expr for c in node_conditions(node) if c.kind == "nonzero"}
    return node.doit().replace(
        lambda e: isinstance(e, sp.sign) and e.args[0] in nonzero,
        lambda e: e.args[0] / sp.Abs(e.args[0]),
    )


def _at_point(node: sp.Subs) -> sp.Expr:
    """``f'|_{x=a}`` (an evaluation bar): the derivative's value at a closed point, where
    interval evaluation shows f defined and differentiable there; else a KernelError."""
    if node.free_symbols:
        raise KernelError("derivative: an evaluation bar's point must be a number")
    try:
        interval.value(node)
    except UnsupportedError as e:
        raise KernelError(f"derivative: not defined at the evaluation point ({e})") from None
    return differentiated_all(node.expr).subs(dict(zip(node.variables, node.point)))


def differentiated_all(expr: sp.Basic) -> sp.Basic:
    """Every derivative in ``expr`` evaluated (see :func:`differentiated`)."""
    return expr.replace(lambda e: isinstance(e, sp.Derivative), differentiated)


def derivative(prop: Prop, cert: DerivativeIdentity) -> Theorem:
    """``lhs = rhs`` after evaluating every Derivative with SymPy's diff (trusted)."""
    _expect(cert, DerivativeIdentity, "derivative")
    if prop.rel != "=" or not (prop.lhs.has(sp.Derivative) or prop.rhs.has(sp.Derivative)):
        raise KernelError("derivative: the statement must be an equation with a derivative")
    lhs, rhs = (
        side.replace(lambda e: isinstance(e, sp.Subs), _at_point).replace(
            lambda e: isinstance(e, sp.Derivative), differentiated
        )
        for side in (prop.lhs, prop.rhs)
    )
    if not _identical(lhs, rhs, cert, prop.free_symbols):
        raise KernelError("derivative: the sides differ after differentiating")
    return _theorem(prop, "derivative", cert)


# --- rule 3: certified sign ---------------------------------------------------------------


def _positive_atom(atom: sp.Basic) -> bool:
    """A positive symbol, ``exp`` of a real, or e and π (``e^(−x−1)`` is ``e^(−1)·t``)."""
    return (
        (atom.is_Symbol and atom.is_positive is True)
        or atom in (sp.E, sp.pi)
        or (isinstance(atom, sp.exp) and atom.args[0].is_real is True)
    )


def _positive_power(base: sp.Expr, k: sp.Expr) -> bool:
    """``base**k > 0``: a positive atom or a positive rational to a real power (``2**x``)."""
    return (_positive_atom(base) or (base.is_Rational and base > 0)) and k.is_real is True


def is_positive_polynomial(e: sp.Expr) -> bool:
    """True when ``e`` expands to a non-empty sum of ``c·Π atom**k``, c > 0, atoms positive
    (and k real: a positive number to a real power is positive)."""
    terms = sp.Add.make_args(sp.expand(e))
    for term in terms:
        coeff, rest = term.as_coeff_Mul()
        if not (coeff.is_Rational and coeff > 0):
            return False
        for f in sp.Mul.make_args(rest):
            base, k = f.as_base_exp()
            if f != 1 and not _positive_power(base, k):
                return False
    return bool(terms) and e != 0


def hypothesis_sign(e: sp.Expr, assumptions: tuple[Prop, ...], sub: Substitution) -> str | None:
    """``'>'`` or ``'>='`` when some assumption says ``0 < e`` or ``0 <= e``."""
    for a in assumptions:
        upper = a.as_upper()
        if upper.rel in UPWARD and normal_form(upper.rhs - upper.lhs - e, sub) == 0:
            return ">" if upper.rel == "<" else ">="
    return None


def _square(e, _assumptions, _sub) -> tuple[sp.Expr, bool] | None:
    if e.is_real is True or (1 / e).is_real is True:  # real where defined
        return e**2, e.is_nonzero is True and e.is_number
    return None


def _pos(e, _assumptions, _sub):
    return (e, True) if is_positive_polynomial(e) else None


def _inv(e, _assumptions, _sub):
    return (1 / e, True) if is_positive_polynomial(e) else None


def _hyp(e, assumptions, sub):
    sign = hypothesis_sign(e, assumptions, sub)
    return (e, sign == ">") if sign else None


def _inv_hyp(e, assumptions, sub):
    return (1 / e, True) if hypothesis_sign(e, assumptions, sub) == ">" else None


def _root(e, assumptions, sub):
    """A root whose domain conditions the assumptions state (:func:`.radicals.root_factor`)."""
    wanted = {"positive": (">",), "nonnegative": (">", ">=")}
    return root_factor(
        e, lambda c: hypothesis_sign(c.expr, assumptions, sub) in wanted.get(c.kind, ())
    )


#: sign-factor kind -> its check; the kinds are exactly those of :data:`FACTOR_KINDS`.
_FACTOR_CHECKS = {
    SQUARE: _square,
    POS: _pos,
    INV: _inv,
    HYP: _hyp,
    INV_HYP: _inv_hyp,
    ROOT: _root,
}
if set(_FACTOR_CHECKS) != set(FACTOR_KINDS):
    raise ImportError("the kernel checks other sign-factor kinds than certificates.FACTOR_KINDS")


def _factor_value(kind: str, e: sp.Expr, assumptions, sub) -> tuple[sp.Expr, bool]:
    """The factor's value and whether it is strictly positive; rejects bad factors."""
    check = _FACTOR_CHECKS.get(kind) if kind in FACTOR_KINDS else None
    found = check(e, assumptions, sub) if check and isinstance(e, sp.Expr) else None
    if found is None:
        raise KernelError(f"sign certificate: factor {kind} {e} is not justified")
    return found


def certified_sign(
    prop: Prop, cert: SignCertificate, assumptions: tuple[Prop, ...] = ()
) -> Theorem:
    """``lhs ≤ rhs`` (or ``<``) when ``rhs − lhs`` is a certified sum of non-negative terms."""
    _expect(cert, SignCertificate, "certified sign")
    upper = prop.as_upper()
    if upper.rel not in UPWARD:
        raise KernelError("certified sign: the statement must be an inequality")
    symbols = prop.free_symbols.union(*(a.free_symbols for a in assumptions))
    _check_substitution(cert.substitution, symbols)
    total, strict = sp.Integer(0), False
    for term in cert.terms:
        if type(term) is not SignTerm or not isinstance(term.coeff, sp.Rational) or term.coeff < 0:
            raise KernelError(f"sign certificate: {term} is not a term with a rational coeff ≥ 0")
        value, term_strict = term.coeff, term.coeff > 0
        for kind, e in term.factors:
            factor, factor_strict = _factor_value(kind, e, assumptions, cert.substitution)
            value, term_strict = value * factor, term_strict and factor_strict
        total, strict = total + value, strict or term_strict
    if upper.rel == "<" and not strict:
        raise KernelError("certified sign: no term is strictly positive")
    if normal_form(upper.rhs - upper.lhs, cert.substitution) != normal_form(
        total, cert.substitution
    ):
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


# --- rule 7: exact numbers ----------------------------------------------------------------


def interval_order(prop: Prop, cert: IntervalCertificate) -> Theorem:
    """A closed inequality such as ``L(after) < L(before)``, by interval arithmetic."""
    _expect(cert, IntervalCertificate, "interval order")
    if isinstance(cert.bits, bool) or not isinstance(cert.bits, int) or not 53 <= cert.bits <= 4096:
        raise KernelError("interval order: bits must be an integer from 53 to 4096")
    upper = prop.as_upper()
    if upper.rel not in UPWARD or prop.free_symbols:
        raise KernelError("interval order: not an inequality between closed numbers")
    low, _high = interval.bounds(upper.rhs - upper.lhs, cert.bits)
    if not low > 0:
        raise KernelError("interval order: the difference is not certainly positive")
    return _theorem(prop, "interval-order", cert)


# --- rule 8: matrices entry by entry ------------------------------------------------------


def entrywise(lhs: sp.MatrixBase, rhs: sp.MatrixBase, entries: tuple[Theorem, ...]) -> Theorem:
    """Matrices are equal when each entry equation is a theorem (row-major order)."""
    if lhs.shape != rhs.shape:
        raise ShapeError(
            f"shapes differ: {lhs.shape[0]}×{lhs.shape[1]} vs {rhs.shape[0]}×{rhs.shape[1]}"
        )
    if len(entries) != len(lhs) or any(
        e.prop != Prop(l, "=", r) for e, l, r in zip(entries, lhs, rhs)
    ):
        raise KernelError("entrywise: the entry theorems do not match the matrices")
    return _theorem(
        Prop(sp.ImmutableMatrix(lhs), "=", sp.ImmutableMatrix(rhs)), "entrywise", premises=entries
    )


def matmul(a: sp.MatrixBase, b: sp.MatrixBase) -> sp.ImmutableMatrix:
    """A matrix product whose shape mismatch is a kernel error, not a SymPy exception."""
    if a.shape[1] != b.shape[0]:
        raise ShapeError(f"cannot multiply {a.shape[0]}×{a.shape[1]} by {b.shape[0]}×{b.shape[1]}")
    return sp.ImmutableMatrix(a * b)
