"""σ of a sub-term as an atom: nested sigmoids compared level by level.

A certificate may list terms ``σ(u)`` to be compared as *atoms*: each becomes a fresh
positive symbol before the rational normal form, and ``σ′(u)`` is first written as
``σ(u)·(1 − σ(u))``, a theorem of the notation checked when this module is imported. The
derivative of σ∘…∘σ (depth n) then stays a polynomial in n atoms, where unfolding every σ
into exponentials makes ``cancel`` grow about ×4 a level.

Why it is sound: if ``E(s₁, …, s_k)`` cancels to 0 as a rational function of the fresh
symbols, it is 0 at every value of them where its denominators do not vanish; at a point
where the statement's sides are defined, ``s_i = σ(u_i)`` (a positive real) is such a value,
so ``E(σ(u₁), …)`` — the original difference — is 0 there. Only ``σ`` applications over real
arguments may be atoms, and nothing under a binder (a derivative, sum or limit) is touched.

>>> import sympy as sp
>>> from proofsheet.kernel.notation import sigma, sigma_prime
>>> x = sp.Symbol("x", real=True)
>>> u = sigma(sigma(x))
>>> sp.expand(atomised(sigma_prime(sigma(x)) - u * (1 - u), (u,)))
0
"""

from __future__ import annotations

import sympy as sp

from .errors import KernelError
from .notation import SIGMA_DEF, SIGMA_PRIME_DEF, sigma, sigma_prime, unfold

_BINDERS = (sp.Derivative, sp.Subs, sp.Integral, sp.Limit, sp.Lambda, sp.Sum, sp.Product)

_v = sp.Dummy("v", real=True)
#: σ′(v) = σ(v)·(1 − σ(v)), rewritten before the atoms are replaced
_SIGMA_PRIME_AS_SIGMA = sp.Lambda(_v, sigma(_v) * (1 - sigma(_v)))
if sp.cancel(unfold(_SIGMA_PRIME_AS_SIGMA(_v)) - SIGMA_PRIME_DEF(_v)) != 0:  # pragma: no cover
    raise ImportError("σ′ = σ(1 − σ) does not follow from the notation's definitions")
if SIGMA_DEF.variables[0].is_real is not True:  # pragma: no cover
    raise ImportError("σ's definition is not over the reals")


def _check_atoms(atoms) -> None:
    if not isinstance(atoms, tuple):
        raise KernelError("atoms must be a tuple of σ(u) terms")
    for atom in atoms:
        if not (isinstance(atom, sigma) and atom.args[0].is_real is True):
            raise KernelError(f"atom {atom} is not σ of a real term")


def atomised(expr: sp.Basic, atoms: tuple[sp.Expr, ...]) -> sp.Basic:
    """``expr`` with ``σ′(u)`` as ``σ(u)(1 − σ(u))`` and each listed ``σ(u)`` as a fresh positive
    symbol; ``expr`` itself when there are no atoms. Raises :class:`KernelError` for atoms that
    are not σ of a real term, or an expression with a binder."""
    _check_atoms(atoms)
    if not atoms:
        return expr
    if expr.has(*_BINDERS):
        raise KernelError("σ atoms: derivatives, sums and limits must be evaluated first")
    rewritten = expr.replace(
        lambda e: isinstance(e, sigma_prime) and sigma(e.args[0]) in atoms,
        lambda e: _SIGMA_PRIME_AS_SIGMA(e.args[0]),
    )
    fresh = {atom: sp.Dummy(f"s{i}", positive=True) for i, atom in enumerate(atoms)}
    return rewritten.xreplace(fresh)
