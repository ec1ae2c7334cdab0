"""The course's notation as SymPy objects: the logistic sigmoid and its derivative.

``sigma`` stays unevaluated so that derivations read as the answer does;
its meaning is fixed by :data:`DEFINITIONS`, which the kernel unfolds.
``sigma_prime`` is *defined* as SymPy's derivative of σ's definition, so
σ'(x) = σ(x)(1 − σ(x)) is a theorem proved from it, never an assumption.

>>> from sympy import Symbol
>>> x = Symbol("x", real=True)
>>> sigma(x).diff(x)
sigma_prime(x)
>>> unfold(sigma(x))
1/(1 + exp(-x))
"""

from __future__ import annotations

import sympy as sp

_u = sp.Dummy("u", real=True)


class sigma(sp.Function):
    """The logistic sigmoid σ(u) = 1/(1 + e^(−u))."""

    nargs = 1

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return sigma_prime(self.args[0])

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_is_positive(self):
        return True if self.args[0].is_real else None

    def _latex(self, printer, exp=None) -> str:
        text = r"\sigma\left(%s\right)" % printer._print(self.args[0])
        return text if exp is None else r"%s^{%s}" % (text, exp)


class sigma_prime(sp.Function):
    """σ'(u): the derivative of σ, evaluated at u."""

    nargs = 1

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return sp.diff(SIGMA_PRIME_DEF(_u), _u).subs(_u, self.args[0])

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_is_positive(self):
        return True if self.args[0].is_real else None

    def _latex(self, printer, exp=None) -> str:
        text = r"\sigma'\left(%s\right)" % printer._print(self.args[0])
        return text if exp is None else r"\left(%s\right)^{%s}" % (text, exp)


#: σ's definition.
SIGMA_DEF = sp.Lambda(_u, 1 / (1 + sp.exp(-_u)))
#: σ' is SymPy's derivative of σ's definition (diff is part of the trusted base).
SIGMA_PRIME_DEF = sp.Lambda(_u, sp.diff(SIGMA_DEF(_u), _u))

#: What the kernel unfolds, by function class: the notation table, as data.
DEFINITIONS: dict[type, sp.Lambda] = {
    sigma: SIGMA_DEF,
    sigma_prime: SIGMA_PRIME_DEF,
    sp.tanh: sp.Lambda(_u, (sp.exp(_u) - sp.exp(-_u)) / (sp.exp(_u) + sp.exp(-_u))),
}


def unfold(expr: sp.Basic) -> sp.Basic:
    """Replace every defined function by its definition, innermost first.

    Display wrappers (``UnevaluatedExpr``) are dropped: they only keep a
    step's terms in the order the derivation shows them.
    """
    expr = expr.replace(lambda e: isinstance(e, sp.UnevaluatedExpr), lambda e: e.args[0])
    return expr.replace(
        lambda e: isinstance(e, sp.Function) and type(e) in DEFINITIONS,
        lambda e: DEFINITIONS[type(e)](*e.args),
    )
