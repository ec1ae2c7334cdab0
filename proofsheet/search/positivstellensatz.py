"""A Positivstellensatz-style search for sign certificates (untrusted; the kernel re-checks).

``rhs − lhs`` is sought as ``Σ λ_k · m_k`` with rationals ``λ_k ≥ 0``, where each ``m_k`` is 1
or a product of up to ``degree`` factors: hypotheses ``h`` (an assumption says ``0 ≤ h`` or
``0 < h``), positive symbols (``t = e^(−x)``) and squares of the statement's terms and of
``t − 1``.
Denominators of ``rhs − lhs`` that are positive (a positive polynomial, or a hypothesis
``0 < h``) enter as ``inv``/``inv-hyp`` factors; any other denominator ``d`` is cleared by a
factor ``(1/d)²``. Every candidate is brought to the kernel's normal form, the identity is
matched coefficient by coefficient over a common denominator, and the linear program is solved:
a float simplex (numpy) picks the terms, their weights are then solved for exactly over
:class:`fractions.Fraction`. The kernel's ``certified_sign`` checks the result.

>>> import sympy as sp
>>> x, y = sp.symbols("x y", real=True)
>>> unit = (Prop(0, "<=", x), Prop(x, "<=", 1), Prop(0, "<=", y), Prop(y, "<=", 1))
>>> cert = hypothesis_certificate(Prop(x * y, "<=", 1), unit)
>>> [(t.coeff, t.factors) for t in cert.terms]
[(1, (('hyp', 1 - x),)), (1, (('hyp', x), ('hyp', 1 - y)))]
>>> kernel.check(Prop(x * y, "<=", 1), cert, unit).rule
'certified-sign'
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import sympy as sp
from sympy.polys.rings import sring

from .. import kernel
from ..kernel import UPWARD, Prop, algebra
from ..kernel.certificates import (
    HYP,
    INV,
    INV_HYP,
    POS,
    SQUARE,
    SignCertificate,
    SignTerm,
    Substitution,
)

MAX_FACTORS = 8  #: hypotheses, positive symbols and squares a product draws from
MAX_CANDIDATES = 2000  #: products considered at one degree
MAX_COLUMNS = 150  #: terms in one linear program
MAX_CELLS = 40000  #: rows × columns of one linear program


#: the kernel's normal form, remembered: the search asks for the same ones many times
_normal = functools.lru_cache(maxsize=1024)(kernel.normal_form)


@dataclass(frozen=True)
class _Factor:
    """One certificate factor ``(kind, expr)``; ``strict`` when the kernel counts it as > 0."""

    kind: str
    expr: sp.Expr
    strict: bool

    def value(self) -> sp.Expr:
        """What the factor contributes: ``e``, ``e²``, or ``1/e`` for ``inv`` and ``inv-hyp``."""
        if self.kind in (HYP, POS):
            return self.expr
        return self.expr**2 if self.kind == SQUARE else 1 / self.expr


def hypothesis_certificate(
    prop: Prop, hypotheses: tuple[Prop, ...], sub: Substitution | None = None, degree: int = 2
) -> SignCertificate | None:
    """A sign certificate for ``prop`` from ``hypotheses`` (any propositions), found by a linear
    program over products of up to ``degree`` hypotheses and squares; None when none is found.
    Untrusted: ``kernel.check(prop, cert, hypotheses)`` decides (not called here, so that a
    caller that checks pays for the kernel's check once)."""
    upper, hypotheses = prop.as_upper(), tuple(hypotheses)
    sub = sub if sub is not None else Substitution(())
    if upper.rel not in UPWARD:
        return None
    try:
        return _search(upper, _connected(prop, hypotheses), sub, degree)
    except Exception:  # noqa: BLE001 - untrusted search: any failure means "none found"
        return None


def _connected(prop: Prop, hypotheses: tuple[Prop, ...]) -> tuple[Prop, ...]:
    """The hypotheses linked to the statement through shared symbols (``x ≤ y, y ≤ z`` for
    ``x ≤ z``); the others cannot cancel into rhs − lhs and only cost time."""
    reached, kept, changed = set(prop.free_symbols), set(), True
    while changed:
        changed = False
        for i, a in enumerate(hypotheses):
            if i not in kept and a.free_symbols & reached:
                kept.add(i)
                reached |= a.free_symbols
                changed = True
    return tuple(a for i, a in enumerate(hypotheses) if i in kept)


def _search(
    upper: Prop, hypotheses: tuple[Prop, ...], sub: Substitution, degree: int
) -> SignCertificate | None:
    """Products of 1, 2, … ``degree`` factors in turn, one linear program per degree; None
    at once without hypotheses or centres, or when the products are too many."""
    strict = upper.rel == "<"
    hyps = _hypothesis_factors(hypotheses, sub)
    q = _normal(upper.rhs - upper.lhs, sub)
    centres = _centres(q, sub)
    if not (hyps or centres):
        return None
    if q == 0:
        return None if strict else SignCertificate(sub, ())
    target, inverse, cleared = _denominator(q, hyps, sub)
    if strict and cleared:
        return None
    pool = _pool(upper, q, sub, hyps, centres)
    rows = _Rows(target, (*pool, *inverse), sub)
    tried = 0
    for d in range(1, degree + 1):
        products = [
            c for k in range(d + 1) for c in itertools.combinations_with_replacement(pool, k)
        ]
        candidates = products + ([p + inverse for p in products] if inverse else [])
        if len(candidates) > MAX_CANDIDATES:
            return None
        columns = [c for c in candidates if rows.divides(c)]
        if len(columns) > MAX_COLUMNS:
            return None
        if len(columns) == tried:
            continue
        tried = len(columns)
        solution = _match(rows, columns, strict)
        if solution is not None:
            terms = tuple(
                SignTerm(lam, tuple((f.kind, f.expr) for f in (*col, *cleared)))
                for lam, col in zip(solution, columns)
                if lam != 0
            )
            return SignCertificate(sub, terms)
    return None


# --- the factors ----------------------------------------------------------------------------


def _pool(
    upper: Prop, q: sp.Expr, sub: Substitution, hyps: list[_Factor], centres: list[sp.Expr]
) -> list[_Factor]:
    """What products are made of: the hypotheses, the positive symbols of ``q``, the squares
    ``(c − 1)²`` of the centres, and the squares of the statement's terms; at most
    :data:`MAX_FACTORS`, in that order."""
    positive = [
        _Factor(POS, v, True)
        for v in sorted(q.free_symbols, key=sp.default_sort_key)
        if v.is_positive is True
    ]
    centred = [_Factor(SQUARE, c - 1, False) for c in centres]
    return (hyps + positive + centred + _square_factors(upper, q, sub, hyps))[:MAX_FACTORS]


def _centres(q: sp.Expr, sub: Substitution) -> list[sp.Expr]:
    """Terms ``c`` whose ``(c − 1)²`` is worth a try: each exponential's symbol ``t = e^(−v)``
    (σ'(v) ≤ 1/4 is ``(t − 1)²/(4(1 + t)²)``) and each real square root (``(1 + x)/2 − √x``
    is ``(√x − 1)²/2``)."""
    roots = [r for r in q.atoms(sp.Pow) if r.exp == sp.Rational(1, 2) and r.is_real is True]
    exps = [t for t, _arg in sub.pairs if t in q.free_symbols]
    return exps + sorted(roots, key=sp.default_sort_key)


def _hypothesis_factors(hypotheses: tuple[Prop, ...], sub: Substitution) -> list[_Factor]:
    """``h`` for each hypothesis ``0 ≤ h`` / ``0 < h``, once per normal form; like the kernel,
    the first hypothesis with that normal form gives its sign."""
    found: dict = {}
    for a in hypotheses:
        upper = a.as_upper()
        e = upper.rhs - upper.lhs
        key = _normal(e, sub) if upper.rel in UPWARD else None
        if key is not None and not key.is_number and key not in found:
            found[key] = _Factor(HYP, e, upper.rel == "<")
    return list(found.values())


def _square_factors(
    upper: Prop, q: sp.Expr, sub: Substitution, hyps: list[_Factor]
) -> list[_Factor]:
    """Squares of the statement's real symbols, function terms and roots, and ``b^k`` of each even
    power ``b^(2k)`` as written: those whose normal form is in the variables of ``q`` (the
    normal form of rhs − lhs) and is not a hypothesis's."""
    target = upper.rhs - upper.lhs
    roots = {r for r in target.atoms(sp.Pow) if r.exp == sp.Rational(1, 2)}
    atoms = sorted(target.free_symbols | target.atoms(sp.Function) | roots, key=sp.default_sort_key)
    halves = [
        p.base ** (p.exp / 2)
        for p in sorted(target.atoms(sp.Pow), key=sp.default_sort_key)
        if p.exp.is_Integer and p.exp.is_even and p.exp > 2
    ]
    taken = {_normal(h.expr, sub) for h in hyps}
    squares: list[_Factor] = []
    for e in (*atoms, *halves):
        key = _normal(e, sub)
        if (
            e.is_real is True
            and not key.is_number
            and key not in taken
            and key.free_symbols <= q.free_symbols
        ):
            taken.add(key)
            squares.append(_Factor(SQUARE, e, False))
    return squares


def _denominator(q: sp.Expr, hyps: list[_Factor], sub: Substitution):
    """``(target, inverse, cleared)``: ``q = target · Π cleared``; ``inverse`` are the ``inv``
    and ``inv-hyp`` factors of target's denominator, which a column may take on."""
    _numer, denom = sp.fraction(q)
    _coeff, factors = sp.factor_list(denom)
    positive = {_normal(h.expr, sub) for h in hyps if h.strict}
    inverse, cleared, multiplier = [], [], sp.Integer(1)
    for f, k in factors:
        if algebra.is_positive_polynomial(f):
            inverse.append(_Factor(INV, f**k, True))
            continue
        sign = next((s for s in (1, -1) if _normal(s * f, sub) in positive), 0)
        if sign:
            inverse.extend([_Factor(INV_HYP, sign * f, True)] * k)
            continue
        half = (k + 1) // 2  # f^k is cleared by (1/f^half)², leaving f^(2·half − k) on top
        cleared.append(_Factor(SQUARE, f**-half, False))
        multiplier *= f ** (2 * half)
    return sp.cancel(q * multiplier), tuple(inverse), tuple(cleared)


# --- matching coefficients ------------------------------------------------------------------


class _Rows:
    """The target and each product of factors as coefficient rows over the target's
    denominator (only products whose denominator divides it are asked for); products are
    built factor by factor and remembered across degrees."""

    def __init__(self, target: sp.Expr, factors: tuple[_Factor, ...], sub: Substitution):
        pairs = [sp.fraction(target)] + [sp.fraction(_normal(f.value(), sub)) for f in factors]
        _ring, polys = sring([e for pair in pairs for e in pair], domain=sp.QQ)
        overs = (_over(n, d) for n, d in zip(polys[::2], polys[1::2]))
        self.forms = dict(zip((None, *factors), overs))
        self.den = self.forms[None][1]
        self.products = {(): (_ring.one, {})}
        self.rows: dict = {}
        self.goal = self.cleared(*self.forms[None])

    def divides(self, column: tuple[_Factor, ...]) -> bool:
        """Whether the product's denominator divides the target's (otherwise it could only
        cancel against other terms' denominators: not sought)."""
        den: dict = {}
        for f in column:
            for p, k in self.forms[f][1].items():
                den[p] = den.get(p, 0) + k
        return all(k <= self.den.get(p, 0) for p, k in den.items())

    def product(self, column: tuple[_Factor, ...]):
        if column not in self.products:
            num, den = self.product(column[:-1])
            f_num, f_den = self.forms[column[-1]]
            merged = dict(den)
            for p, k in f_den.items():
                merged[p] = merged.get(p, 0) + k
            self.products[column] = (num * f_num, merged)
        return self.products[column]

    def row(self, column: tuple[_Factor, ...]) -> dict:
        if column not in self.rows:
            self.rows[column] = self.cleared(*self.product(column))
        return self.rows[column]

    def cleared(self, num, den: dict) -> dict:
        """The coefficients of ``num/den`` times the target's denominator, by monomial."""
        for p, k in self.den.items():
            if k > den.get(p, 0):
                num = num * p ** (k - den.get(p, 0))
        return dict(num.items())


def _over(num, den) -> tuple:
    """``num/den`` as a numerator over the irreducible factors of the denominator."""
    coeff, factors = den.factor_list()
    return num.quo_ground(coeff), dict(factors)


def _match(
    rows: _Rows, columns: list[tuple[_Factor, ...]], strict: bool
) -> list[sp.Rational] | None:
    """Rationals ``λ ≥ 0`` with ``target = Σ λ_k · Π column_k`` (some strictly positive term
    when ``strict``), or None."""
    cols = [rows.row(col) for col in columns]
    monomials = sorted(set(rows.goal).union(*cols))
    if len(monomials) * len(columns) > MAX_CELLS:
        return None
    a = [[_fraction(col.get(m, 0)) for col in cols] for m in monomials]
    b = [_fraction(rows.goal.get(m, 0)) for m in monomials]
    marks = [all(f.strict for f in col) for col in columns] if strict else None
    solution = solve_nonnegative(a, b, marks)
    return None if solution is None else [sp.Rational(v.numerator, v.denominator) for v in solution]


def _fraction(c) -> Fraction:
    return Fraction(int(c.numerator), int(c.denominator)) if c else Fraction(0)


# --- the linear program: a float simplex finds the support, exact elimination the weights ---

TOLERANCE = 1e-9
MAX_PIVOTS = 400


def solve_nonnegative(
    a: list[list[Fraction]], b: list[Fraction], marked: list[bool] | None = None
) -> list[Fraction] | None:
    """Some exact ``x ≥ 0`` with ``a·x = b`` (and, when ``marked`` is given, some marked
    ``x_k > 0``); None when none is found. A float two-phase simplex picks the columns used;
    the weights on them are then solved for exactly and checked.

    >>> F = Fraction
    >>> solve_nonnegative([[F(1), F(-1)], [F(0), F(1)]], [F(1, 3), F(1)])
    [Fraction(4, 3), Fraction(1, 1)]
    >>> solve_nonnegative([[F(1), F(1)]], [F(-1)]) is None
    True
    """
    n = len(a[0]) if a else 0
    dense = np.array([[float(v) for v in row] for row in a], dtype=float).reshape(len(a), n)
    rhs = np.array([float(v) for v in b], dtype=float)
    x = _float_simplex(dense, rhs, None)
    mask = None if marked is None else np.array(marked, dtype=bool)
    if x is not None and mask is not None and not any(x[mask] > TOLERANCE):
        x = _float_simplex(*_marked_positive(dense, rhs, mask))
    if x is None:
        return None
    support = [k for k in range(n) if x[k] > TOLERANCE]
    exact = _solve_on(a, b, support)
    if exact is None or any(v < 0 for v in exact.values()):
        return None
    if marked is not None and not any(exact[k] > 0 for k in support if marked[k]):
        return None
    return [exact.get(k, Fraction(0)) for k in range(n)]


def _marked_positive(a: np.ndarray, b: np.ndarray, marked: np.ndarray):
    """The program that maximises Σ marked x, bounded by a slack: Σ marked x + s = big."""
    big = 1e3 * (1 + np.abs(b).sum())
    a = np.vstack([np.hstack([a, np.zeros((len(a), 1))]), np.append(marked.astype(float), 1.0)])
    return a, np.append(b, big), -np.append(marked.astype(float), 0.0)


def _float_simplex(a: np.ndarray, b: np.ndarray, cost: np.ndarray | None) -> np.ndarray | None:
    """A vertex of ``{x ≥ 0 : a·x = b}`` (minimising ``cost`` when given), in floats."""
    m, n = a.shape
    sign = np.where(b < 0, -1.0, 1.0)
    tableau = np.hstack([a * sign[:, None], np.eye(m), (b * sign)[:, None]])
    basis = list(range(n, n + m))
    _pivot_down(tableau, basis, np.concatenate([np.zeros(n), np.ones(m)]), n + m)
    if sum(tableau[i, -1] for i, col in enumerate(basis) if col >= n) > TOLERANCE * max(1, m):
        return None
    for i, col in enumerate(basis):  # artificials left at 0: pivot out where a column allows
        if col >= n:
            j = next(
                (j for j in np.nonzero(np.abs(tableau[i, :n]) > TOLERANCE)[0] if j not in basis),
                None,
            )
            if j is not None:
                _pivot(tableau, basis, i, int(j))
    if cost is not None and not _pivot_down(tableau, basis, np.concatenate([cost, np.zeros(m)]), n):
        return None
    x = np.zeros(n + m)
    x[basis] = tableau[:, -1]
    return x[:n]


def _pivot_down(tableau: np.ndarray, basis: list[int], cost: np.ndarray, allowed: int) -> bool:
    """Minimise ``cost · x``, entering only columns below ``allowed``; False if it fails."""
    for _ in range(MAX_PIVOTS):
        reduced = cost[:allowed] - cost[basis] @ tableau[:, :allowed]
        reduced[[c for c in basis if c < allowed]] = 0
        entering = np.nonzero(reduced < -TOLERANCE)[0]
        if not len(entering):
            return True
        j = int(entering[0])
        column = tableau[:, j]
        rows = np.nonzero(column > TOLERANCE)[0]
        if not len(rows):
            return False
        ratios = tableau[rows, -1] / column[rows]
        best = ratios.min()
        r = min((basis[i], i) for i, t in zip(rows, ratios) if t <= best + TOLERANCE)[1]
        _pivot(tableau, basis, int(r), j)
    return False


def _pivot(tableau: np.ndarray, basis: list[int], r: int, j: int) -> None:
    tableau[r] /= tableau[r, j]
    column = tableau[:, j].copy()
    column[r] = 0
    tableau -= np.outer(column, tableau[r])
    basis[r] = j


def _solve_on(a: list[list[Fraction]], b: list[Fraction], support: list[int]) -> dict | None:
    """The unique exact ``x`` on ``support`` with ``a·x = b`` (0 elsewhere), or None."""
    rows = [[row[k] for k in support] + [rhs] for row, rhs in zip(a, b)]
    pivots: list[tuple[int, int]] = []
    for col in range(len(support)):
        r = next((i for i in range(len(pivots), len(rows)) if rows[i][col]), None)
        if r is None:
            return None  # the columns used are dependent: no unique weights
        i = len(pivots)
        rows[i], rows[r] = rows[r], rows[i]
        rows[i] = [v / rows[i][col] for v in rows[i]]
        for other in range(len(rows)):
            if other != i and rows[other][col]:
                f = rows[other][col]
                rows[other] = [v - f * w for v, w in zip(rows[other], rows[i])]
        pivots.append((i, col))
    if any(row[-1] for row in rows[len(pivots) :]):
        return None  # inconsistent: the float support was wrong
    return {support[col]: rows[i][-1] for i, col in pivots}
