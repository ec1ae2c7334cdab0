"""Powers of positive bases, written over prime bases, in the kernel's normal form.

A power ``b**e`` with a symbolic exponent is compared only after it is put in one canonical
shape (trusted, :func:`canonical_powers`):

* ``exp(u)`` with a logarithm in ``u``: each term ``r·log(c)`` of the expanded ``u``, ``c``
  a positive number or a positive symbol, leaves the exponential as ``c**r``
  (``exp(x·log 2) = 2**x``);
* ``b**e`` whose exponent holds a logarithm, ``b`` positive, is first ``exp(e·log b)``
  (``2**(log x / log 2) = exp(log x) = x``);
* ``b**e`` for a positive rational ``b ≠ 1`` and an exponent that is not a number is
  ``Π p**(k_p·e)`` over the primes of ``b = Π p**k_p`` (``4**x = 2**(2x)``, ``(2/3)**x =
  2**x·3**(−x)``), so that ``cancel`` sees ``4**x`` and ``(2**x)**2`` as one monomial.

Why it is exact: for ``c > 0``, ``c**r`` *is* ``exp(r·log c)`` (the principal power, for every
complex ``r``), ``exp`` turns sums into products, and ``log b = Σ k_p·log p`` for a positive
rational ``b``; so each rewrite replaces a term by an equal one at every point, and the
bases it relies on are positive by their value (a number) or their declaration (a symbol
declared positive ranges over positive reals only). Nothing is assumed of a base whose sign
is unknown: ``x**y`` of a real ``x`` is left as it stands.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> canonical_powers(4**x / 2**x - sp.exp(x * sp.log(2)))
0
"""

from __future__ import annotations

import sympy as sp

#: integers up to this size are factored over primes (log 4 = 2·log 2, 4**x = 2**(2x))
PRIME_SPLIT_LIMIT = 2**40


def prime_exponents(c: sp.Rational) -> dict[sp.Integer, int] | None:
    """``{p: k_p}`` with ``c = Π p**k_p`` for a rational ``c > 0``; None when ``c`` is too large
    to factor (it then stays whole)."""
    if not (c.is_Rational and c > 0) or max(c.p, c.q) >= PRIME_SPLIT_LIMIT:
        return None
    numer = {sp.Integer(p): k for p, k in sp.factorint(c.p).items()}
    return {**numer, **{sp.Integer(q): -k for q, k in sp.factorint(c.q).items()}}


def log_over_primes(b: sp.Expr) -> sp.Expr:
    """``log b``, as ``Σ k_p·log p`` for a rational ``b > 0`` small enough to factor
    (``log 6 = log 2 + log 3``: SymPy writes ``2**x·3**x`` back as ``6**x``, so the primes
    must come apart inside the log too)."""
    primes = prime_exponents(b) if b.is_Rational else None
    if primes is None:
        return sp.log(b)
    return sp.Add(*(k * sp.log(p) for p, k in primes.items()))


def _positive_base(c: sp.Basic) -> bool:
    """A number or a symbol that is positive (by its value or by its declaration)."""
    return c.is_positive is True and (c.is_number or c.is_Symbol)


def _log_factor(term: sp.Expr) -> sp.log | None:
    """The first (in SymPy's sort order) factor ``log(c)`` of ``term`` with ``c`` positive."""
    logs = [
        f for f in sp.Mul.make_args(term) if isinstance(f, sp.log) and _positive_base(f.args[0])
    ]
    return min(logs, key=sp.default_sort_key) if logs else None


def _power(base: sp.Expr, exponent: sp.Expr) -> sp.Expr:
    """``base**exponent`` for a positive base, over the primes of a rational base."""
    primes = prime_exponents(base) if base.is_Rational and not exponent.is_number else None
    if primes is None:
        return sp.Pow(base, exponent)
    return sp.Mul(*(sp.Pow(p, sp.expand(k * exponent)) for p, k in primes.items()))


def _exp_of(u: sp.Expr) -> sp.Expr:
    """``exp(u)`` with each term ``r·log c`` (c positive) taken out as ``c**r``."""
    powers, rest = [], []
    for term in sp.Add.make_args(sp.expand(u)):
        log_c = _log_factor(term)
        if log_c is None:
            rest.append(term)
        else:
            powers.append(_power(log_c.args[0], term / log_c))
    return sp.Mul(*powers, sp.exp(sp.Add(*rest)))


def _rewritable(e: sp.Basic) -> bool:
    """An exponential of a term with a logarithm, or a non-integer power of a positive base."""
    if isinstance(e, sp.exp):
        return e.args[0].has(sp.log)
    return isinstance(e, sp.Pow) and not e.exp.is_Integer and _positive_base(e.base)


def _rewrite(e: sp.Expr) -> sp.Expr:
    if isinstance(e, sp.exp):
        return _exp_of(e.args[0])
    base, exponent = e.args
    if not _positive_base(base):
        return e
    if exponent.has(sp.log):
        return _exp_of(exponent * sp.log(base))
    return _power(base, exponent)


def canonical_powers(expr: sp.Basic) -> sp.Basic:
    """``expr`` with every exponential and every power of a positive base in the canonical
    shape above (bottom-up; integer powers of anything but a rational base are unchanged)."""
    return expr.replace(_rewritable, _rewrite)


def positive_power_logs(arg: sp.Expr, keep: frozenset = frozenset()) -> tuple[sp.Expr, sp.Expr]:
    """``(Σ e·log b, rest)`` with ``arg = Π b**e · rest`` over the factors ``b**e`` of ``arg``
    whose base is positive (not one of ``keep``) and exponent real and not an integer.

    Why ``log arg = Σ e·log b + log rest`` where ``arg > 0``: each ``b**e`` is positive (a
    positive base to a real power), so ``rest`` is ``arg`` divided by positive numbers, also
    positive, and ``log(b**e) = e·log b`` for ``b > 0`` and real ``e``.
    """
    logs, rest = [], []
    for f in sp.Mul.make_args(arg):
        base, exponent = f.as_base_exp()
        if (
            isinstance(f, sp.Pow)
            and _positive_base(base)
            and base not in keep
            and exponent.is_real is True
            and not exponent.is_Integer
        ):
            logs.append(exponent * log_over_primes(base))
        else:
            rest.append(f)
    return sp.Add(*logs), sp.Mul(*rest)
