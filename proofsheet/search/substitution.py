"""The exp-substitution a certificate is checked under: one positive symbol per variable
inside an exponential, ``t = exp(−v/d)`` (untrusted: the kernel checks the pairs)."""

from __future__ import annotations

import sympy as sp

from ..kernel.certificates import Substitution
from ..kernel.notation import unfold


def find_substitution(*exprs: sp.Basic) -> Substitution:
    """One positive symbol per variable inside an exponential: t = exp(−v/d)."""
    denominators: dict[sp.Basic, int] = {}
    for expr in exprs:
        bound = set().union(*(p.variables for p in expr.atoms(sp.Product, sp.Sum, sp.Subs)))
        for e in unfold(expr).atoms(sp.exp):
            arg = sp.expand(e.args[0])
            for var in arg.free_symbols | arg.atoms(sp.Indexed):
                if isinstance(var, sp.IndexedBase) or not var.is_real or var.free_symbols & bound:
                    continue
                coeff = arg.coeff(var)
                if coeff.is_Rational and coeff != 0:
                    denominators[var] = sp.ilcm(denominators.get(var, 1), coeff.q)
    taken = {s.name for e in exprs for s in e.free_symbols}
    pairs = []
    for i, (var, d) in enumerate(
        sorted(denominators.items(), key=lambda kv: sp.default_sort_key(kv[0]))
    ):
        name = next(n for n in (f"t_{i}", f"t_{i}_", f"tau_{i}") if n not in taken)
        pairs.append((sp.Symbol(name, positive=True), -var / d))
    return Substitution(tuple(pairs))
