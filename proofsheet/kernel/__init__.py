"""The trusted kernel: the only code that may declare a statement verified.

It imports nothing of proofsheet outside this package (an import-linter contract): the
trusted base is exactly these files.

In the spirit of HOL Light's ``fusion.ml``: a :class:`Theorem` can only be
made by the rule functions of this package (``core`` holds the key;
``algebra``, ``logic``, ``analysis``, ``radicals`` and ``refute`` hold the rules, listed once in
:data:`SIGNATURE`; ``sigma_atoms`` lets the algebraic rules compare σ of a sub-term as an
atom; ``exponentials`` writes powers of positive bases over prime bases), each of which
re-checks a certificate with exact, decidable algebra.
A :class:`Refutation` (``refute``) and a :class:`Witness` (``witness``: assumptions that
can hold together) are sealed the same way.
Only a :class:`~.verdict.Verdict` says "verified", under the policy of :mod:`.verdict`.
The trusted base beyond this package is small and named: SymPy's automatic
evaluation, ``expand``, ``cancel``, ``factor_list``, ``factorint`` and ``diff``; the definitions in
:mod:`proofsheet.kernel.notation`; and the interval arithmetic of
:mod:`proofsheet.kernel.interval` (mpmath).

A theorem states ``lhs rel rhs`` for every value of its free symbols (real
unless declared otherwise) at which both sides are defined and its
assumptions hold.

>>> import sympy as sp
>>> from proofsheet.kernel.notation import sigma
>>> from proofsheet.kernel.certificates import RationalIdentity, Substitution
>>> x, t = sp.Symbol("x", real=True), sp.Symbol("t", positive=True)
>>> thm = rational_identity(Prop(1 - sigma(x), "=", sigma(-x)),
...                         RationalIdentity(Substitution(((t, -x),))))
>>> thm.rule
'rational-identity'
"""

from .algebra import (
    certified_sign,
    check,
    derivative,
    entrywise,
    interval_order,
    matmul,
    normal_form,
    rational_identity,
)
from .analysis import INCREASING, increasing, limit, monotone
from .core import RELATIONS, UPWARD, Every, Prop, Refutation, Theorem, Witness
from .logic import (
    add,
    assume,
    cases,
    chain,
    congruence,
    define_recursive,
    define_simultaneous,
    discharge,
    induction,
    instantiate,
    instantiate_under,
    member,
    monotone_product,
    product_empty,
    product_peel,
    scale,
    sum_empty,
    sum_peel,
    symmetry,
    weaken,
)
from .radicals import equal_powers
from .refute import refute
from .witness import witness

#: The kernel's signature: every rule, by the name its theorems carry, and the function that
#: applies it. The replay's table and the descriptions are derived from it.
SIGNATURE = {
    "rational-identity": rational_identity,
    "derivative": derivative,
    "certified-sign": certified_sign,
    "interval-order": interval_order,
    "entrywise": entrywise,
    "monotone-product": monotone_product,
    "assumption": assume,
    "induction": induction,
    "product-peel": product_peel,
    "product-empty": product_empty,
    "sum-peel": sum_peel,
    "sum-empty": sum_empty,
    "member": member,
    "define": define_simultaneous,
    "weaken": weaken,
    "chain": chain,
    "symmetry": symmetry,
    "instantiate": instantiate,
    "instantiate-under": instantiate_under,
    "discharge": discharge,
    "cases": cases,
    "add": add,
    "scale": scale,
    "congruence": congruence,
    "limit": limit,
    "monotone": monotone,
    "increasing": increasing,
    "equal-powers": equal_powers,
}

__all__ = [
    "SIGNATURE",
    "INCREASING",
    "RELATIONS",
    "UPWARD",
    "Prop",
    "Every",
    "Theorem",
    "Refutation",
    "Witness",
    "check",
    "normal_form",
    "matmul",
    "define_recursive",
    "refute",
    "witness",
    *(rule.__name__ for rule in SIGNATURE.values()),
]
