"""Where a statement is defined: real analysis, one condition per partial subterm.

A statement is about real numbers. ``log u`` needs ``u > 0``, ``√u`` and other
non-integer powers need ``u ≥ 0`` (``u > 0`` for a negative exponent), and a
division or negative integer power needs ``u ≠ 0``. A derivative ``d/dx f``
exists only where ``f`` is differentiable: ``|u|`` needs ``u ≠ 0`` and a
non-integer (or variable) power needs its base ``> 0``, wherever they depend
on ``x``. :func:`conditions` lists these for every subterm of a tree, in the
order they are met; the ``_conditions_<Type>`` handlers are the only place that
says which node needs what.

A parser calls :func:`conditions` on each node *as it builds it*, before
SymPy's automatic evaluation can erase a subterm (``√x² → x``, ``0·log x → 0``,
``x/x → 1``), and attaches what it found to the statement's :class:`Prop`
(``Prop.domain``). A counterexample must satisfy every one of them.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> sorted(str(c) for c in conditions(sp.log(x) + 1 / (x - 1)))
['x - 1 ≠ 0', 'x > 0']
>>> conditions(sp.exp(x) + sp.sqrt(4))
()
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

import sympy as sp

from .dispatch import Dispatch
from .errors import KernelError

#: condition kind -> how it reads after the expression.
CONDITION_KINDS: dict[str, str] = {"positive": "> 0", "nonnegative": "≥ 0", "nonzero": "≠ 0"}
#: condition kind -> the relation ``0 rel u`` that states it as an assumption (``≠`` has none).
CONDITION_RELATIONS: dict[str, str] = {"positive": "<", "nonnegative": "<="}


@dataclass(frozen=True)
class Condition:
    """``expr`` must be positive, non-negative or non-zero for the statement to be defined."""

    kind: str
    expr: sp.Expr
    #: the partial subterm that needs it (for messages: "log(-1) needs -1 > 0")
    node: sp.Basic | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.kind not in CONDITION_KINDS:
            raise ValueError(f"unknown domain condition {self.kind!r}")

    def __str__(self) -> str:
        return f"{self.expr} {CONDITION_KINDS[self.kind]}"

    def known(self) -> bool | None:
        """SymPy's own answer from the expression's assumptions: met, not met, or ``None``."""
        return {
            "positive": self.expr.is_positive,
            "nonnegative": self.expr.is_nonnegative,
            "nonzero": self.expr.is_nonzero,
        }[self.kind]


def _conditions_Pow(node: sp.Pow) -> tuple[Condition, ...]:
    base, exponent = node.args
    if exponent.is_integer is True:
        return (Condition("nonzero", base),) if exponent.is_negative is not False else ()
    if base is sp.E:
        return ()
    return (Condition("positive" if exponent.is_nonnegative is not True else "nonnegative", base),)


def _not_smooth(sub: sp.Basic, variables: tuple) -> tuple[Condition, ...]:
    """Where a subterm that depends on the variables may fail to be differentiable."""
    if isinstance(sub, sp.Abs):
        return (Condition("nonzero", sub.args[0]),)
    if (
        isinstance(sub, sp.Pow)
        and sub.base is not sp.E
        and (sub.exp.has(*variables) or sub.exp.is_integer is not True)
    ):
        return (Condition("positive", sub.base),)
    return ()


def _conditions_Derivative(node: sp.Derivative) -> tuple[Condition, ...]:
    """d/dx f exists where |u| has u ≠ 0 and a non-integer or variable power has base > 0."""
    variables = tuple(node.variables)
    found: list[Condition] = []

    def walk(e: sp.Basic) -> None:
        if not e.has(*variables) or isinstance(e, _BINDERS):
            return
        found.extend(_not_smooth(e, variables))
        for arg in e.args:
            walk(arg)

    walk(node.expr)
    return tuple(found)


_BINDERS = (sp.Sum, sp.Product, sp.Integral, sp.Lambda)


def _conditions_log(node: sp.log) -> tuple[Condition, ...]:
    return (Condition("positive", node.args[0]),)


def _conditions_Basic(_node: sp.Basic) -> tuple[Condition, ...]:
    """Sums, products, exp, σ, tanh, |u|, symbols and numbers ask nothing of their arguments."""
    return ()


#: node -> ``_conditions_<its type>``, along its MRO: what it needs of its arguments.
_CONDITIONS = Dispatch("_conditions_", globals().get, KernelError)


def _trivial(c: Condition) -> bool:
    """A condition every real point meets: a positive number, or a symbol declared so."""
    return c.known() is True and (c.expr.is_number or c.expr.is_Symbol)


def node_conditions(node: sp.Basic) -> tuple[Condition, ...]:
    """What one node (not its subterms) needs of its arguments."""
    own = _CONDITIONS(node)(node)
    return tuple(replace(c, node=node) for c in own if not _trivial(c))


@lru_cache(maxsize=4096)
def conditions(expr: sp.Basic, differentiable: bool = True) -> tuple[Condition, ...]:
    """Every condition of every subterm; under a binder, only those free of its variables.

    Remembered per expression (immutable, and so are the conditions): a proof asks for the
    domain of the same sides again and again.

    A limit's body is not walked: the limit may exist where the body is undefined. With
    ``differentiable=False`` a derivative's own conditions (its body's subterms still count)
    are left out: only those that every point where ``expr`` is defined meets for certain.
    """
    found: list[Condition] = []

    def walk(e: sp.Basic, bound: frozenset) -> None:
        if isinstance(e, sp.Limit) or not isinstance(e, sp.Basic):
            return
        own = node_conditions(e) if differentiable or not isinstance(e, sp.Derivative) else ()
        found.extend(c for c in own if not (c.expr.free_symbols & bound))
        inner = bound | set(e.variables) if isinstance(e, _BINDERS) else bound
        for arg in e.args:
            walk(arg, frozenset(inner))

    walk(expr, frozenset())
    return tuple(dict.fromkeys(found))
