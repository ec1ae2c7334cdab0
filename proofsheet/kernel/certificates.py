"""Certificates: plain data that the kernel re-checks.

Tactics *find* these; the kernel *checks* them; the proof log stores them;
an external checker (Coq, later) can re-check them.  None of them says
"trust me": each names the exact algebra the kernel must redo.

>>> import sympy as sp
>>> t, x = sp.Symbol("t", positive=True), sp.Symbol("x", real=True)
>>> Substitution(((t, -x),)).pairs[0]
(t, -x)
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp


@dataclass(frozen=True)
class Substitution:
    """Fresh positive symbols standing for exponentials: ``t = exp(c*v)``.

    Each pair is ``(t, c*v)`` with ``v`` a variable and ``c`` a non-zero
    rational; ``exp(k*c*v + rest)`` becomes ``t**k * exp(rest)``.
    """

    pairs: tuple[tuple[sp.Symbol, sp.Expr], ...] = ()


@dataclass(frozen=True)
class RationalIdentity:
    """``lhs − rhs`` cancels to 0 as a rational function after the substitution, with each
    ``σ(u)`` of ``atoms`` compared as an atom (:mod:`.sigma_atoms`)."""

    substitution: Substitution = Substitution()
    atoms: tuple[sp.Expr, ...] = ()


@dataclass(frozen=True)
class DerivativeIdentity:
    """Evaluate every ``Derivative`` with SymPy's ``diff``; then a rational identity."""

    substitution: Substitution = Substitution()
    atoms: tuple[sp.Expr, ...] = ()


@dataclass(frozen=True)
class FactorKind:
    """One kind of factor in a sign certificate: what it contributes, and how it is written."""

    meaning: str
    shown: str  #: the factor for people; ``{}`` is its expression


SQUARE, POS, INV, HYP, INV_HYP, ROOT = "square", "pos", "inv", "hyp", "inv-hyp", "root"

#: The one table of sign-factor kinds: kind -> meaning. The kernel's checks, the tactics,
#: the descriptions and the proof-log reader all read it; a kind not listed here is refused.
FACTOR_KINDS: dict[str, FactorKind] = {
    SQUARE: FactorKind("e**2 >= 0, for e real where defined", "({})^2"),
    POS: FactorKind("e > 0: a positive polynomial in positive atoms", "({})"),
    INV: FactorKind("1/e > 0, for e as in pos", "1/({})"),
    HYP: FactorKind("e >= 0 or e > 0, as an assumption says", "({})"),
    INV_HYP: FactorKind("1/e > 0, where an assumption says e > 0", "1/({})"),
    ROOT: FactorKind(
        "e >= 0 for e = |u| or u**(p/q) with q even, where assumptions say it is defined", "({})"
    ),
}


@dataclass(frozen=True)
class SignTerm:
    """``coeff * Π factors`` with ``coeff`` a non-negative rational; each factor ``(kind, e)``."""

    coeff: sp.Rational
    factors: tuple[tuple[str, sp.Expr], ...]

    def __post_init__(self) -> None:
        unknown = [kind for kind, _e in self.factors if kind not in FACTOR_KINDS]
        if unknown:
            raise ValueError(f"unknown sign-factor kind {unknown[0]!r}")


@dataclass(frozen=True)
class SignCertificate:
    """``rhs − lhs`` equals ``Σ terms`` after the substitution; each term is ≥ 0."""

    substitution: Substitution
    terms: tuple[SignTerm, ...]


@dataclass(frozen=True)
class IntervalCertificate:
    """A closed numeric inequality, decided by interval arithmetic at ``bits`` bits."""

    bits: int = 256
