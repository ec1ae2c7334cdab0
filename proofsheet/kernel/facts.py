"""Symbol facts: the one table of what a declared symbol promises about its values.

A SymPy symbol may be declared ``integer``, ``positive`` and so on. Every
place that asks whether a value may stand for a symbol (a counterexample's
point, an instance of a theorem, a sample in the search) reads this table.

>>> import sympy as sp
>>> m = sp.Symbol("m", negative=True)
>>> declared_facts(m)
('real', 'negative', 'nonpositive', 'nonzero')
>>> meets_facts(m, sp.Integer(1)), meets_facts(m, sp.Integer(-2))
(False, True)
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

#: fact -> whether an exact rational value has it.
SYMBOL_FACTS: dict[str, Callable[[sp.Rational], bool]] = {
    "real": lambda v: v.is_Rational,
    "integer": lambda v: v.is_Integer,
    "positive": lambda v: v > 0,
    "nonnegative": lambda v: v >= 0,
    "negative": lambda v: v < 0,
    "nonpositive": lambda v: v <= 0,
    "nonzero": lambda v: v != 0,
}


def declared_facts(symbol: sp.Basic) -> tuple[str, ...]:
    """The facts SymPy knows for ``symbol``, in the table's order."""
    return tuple(f for f in SYMBOL_FACTS if getattr(symbol, f"is_{f}") is True)


def meets_facts(symbol: sp.Basic, value: sp.Rational) -> bool:
    """Whether the exact rational ``value`` may stand for ``symbol``."""
    return bool(value.is_Rational) and all(
        bool(SYMBOL_FACTS[f](value)) for f in declared_facts(symbol)
    )
