"""Propositions and theorems; the key that only the kernel holds.

A :class:`Theorem` checks, when it is made, that it was given the private
key ``_KERNEL``; only the kernel's rule modules import it.  The key is an
init-only argument: no theorem stores it, so no theorem can be copied,
pickled or ``dataclasses.replace``-d into another.
"""

from __future__ import annotations

from dataclasses import InitVar, dataclass, field
from typing import Any

import sympy as sp

from .errors import KernelError

#: The one table of relations: each relation -> its converse (``a < b`` is ``b > a``).
RELATIONS: dict[str, str] = {"=": "=", "<=": ">=", "<": ">", ">=": "<=", ">": "<"}
#: The relations of an order statement read upward (``lhs <= rhs``, ``lhs < rhs``).
UPWARD = frozenset({"<=", "<"})
_KERNEL = object()  # only this module holds the key that makes a Theorem
_OPEN = [True]  # kernel classes may be subclassed only while this module is loading


class Every(sp.Symbol):
    """The index k of an assumption about every member of a family (``0 < a_k`` for every
    integer k): an assumption holding one says ∀k; a conclusion never holds one, and only
    the rule ``member`` takes an instance of it."""


def _final(cls: type) -> None:
    if not _OPEN[0]:
        raise KernelError(f"{cls.__name__}: the kernel's classes cannot be subclassed")


@dataclass(frozen=True)
class Prop:
    """A relation ``lhs rel rhs``; ``rel`` is one of :data:`RELATIONS`."""

    lhs: sp.Basic
    rel: str
    rhs: sp.Basic
    #: where the statement as written is defined (see :mod:`.domain`); a parser fills it in
    #: before SymPy's evaluation can erase a partial subterm. Not part of the proposition's
    #: identity: a theorem about ``lhs rel rhs`` proves it wherever it is defined.
    domain: tuple = field(default=(), compare=False, repr=False)

    def __init_subclass__(cls, **kwargs) -> None:
        _final(cls)

    def __post_init__(self) -> None:
        if self.rel not in RELATIONS:
            raise KernelError(f"unknown relation {self.rel!r}")
        for side in ("lhs", "rhs"):
            value = getattr(self, side)
            if not isinstance(value, (sp.Basic, int)):
                raise KernelError(f"{side} must be a SymPy object, not {type(value).__name__}")
            object.__setattr__(self, side, sp.Integer(value) if isinstance(value, int) else value)

    def flipped(self) -> Prop:
        return Prop(self.rhs, RELATIONS[self.rel], self.lhs)

    def as_upper(self) -> Prop:
        """The same proposition written with ``=``, ``<=`` or ``<``."""
        return self if self.rel == "=" or self.rel in UPWARD else self.flipped()

    def subs(self, mapping: dict) -> Prop:
        return Prop(self.lhs.subs(mapping), self.rel, self.rhs.subs(mapping))

    @property
    def free_symbols(self) -> set:
        return self.lhs.free_symbols | self.rhs.free_symbols


class _Sealed:
    """Kernel evidence: made only with the key, never copied, pickled or rebuilt outside."""

    def __init_subclass__(cls, **kwargs) -> None:
        _final(cls)

    def __post_init__(self, key: object) -> None:
        if key is not _KERNEL:
            raise KernelError(f"only the kernel can make a {type(self).__name__}")

    def __getattr__(self, name: str):  # only for names not found: say so loudly for the key
        if name == "key":
            raise KernelError(f"a {type(self).__name__} does not hold the kernel's key")
        raise AttributeError(name)

    def __reduce_ex__(self, protocol):  # copy, deepcopy and pickle all come through here
        raise KernelError(
            f"a {type(self).__name__} cannot be copied or pickled; send the certificate instead"
        )

    def __reduce__(self):
        return self.__reduce_ex__(2)

    def __copy__(self):
        return self.__reduce_ex__(2)

    def __deepcopy__(self, memo):
        return self.__reduce_ex__(2)


@dataclass(frozen=True)
class Theorem(_Sealed):
    """``prop`` holds under ``assumptions``; made only by this module's rules."""

    prop: Prop
    assumptions: tuple[Prop, ...]
    rule: str
    certificate: Any
    premises: tuple[Theorem, ...]
    key: InitVar[object] = None


del Theorem.key  # the default stays in __init__'s signature; no attribute is left to read


def _theorem(
    prop: Prop,
    rule: str,
    certificate: Any = None,
    premises: tuple[Theorem, ...] = (),
    assumptions: tuple[Prop, ...] = (),
    inherit: bool = True,
) -> Theorem:
    """Make a theorem; by default it keeps every assumption of its premises."""
    premises, assumptions = tuple(premises), tuple(assumptions)
    if type(prop) is not Prop or any(type(p) is not Theorem for p in premises):
        raise KernelError("a rule's premises must be kernel theorems about propositions")
    if any(type(a) is not Prop for a in assumptions):
        raise KernelError("assumptions must be propositions")
    if prop.lhs.has(Every) or prop.rhs.has(Every):
        raise KernelError("an index of every member (∀k) may stand only in an assumption")
    inherited = [a for p in premises for a in p.assumptions] if inherit else []
    merged = tuple(dict.fromkeys([*assumptions, *inherited]))
    theorem = Theorem(prop, merged, rule, certificate, premises, _KERNEL)
    if not merged:
        try:
            _PROVED.add(prop)
        except TypeError:  # a mutable matrix inside: not remembered
            pass
    return theorem


#: every proposition the kernel has proved under no assumption (see :func:`proved`)
_PROVED: set = set()


def proved(prop: Prop) -> bool:
    """Whether the kernel has made a theorem of ``prop`` under no assumption."""
    try:
        return prop in _PROVED
    except TypeError:
        return False


@dataclass(frozen=True)
class Refutation(_Sealed):
    """``prop`` fails at ``point``, where both sides were evaluated rigorously and every one of
    ``assumptions`` was checked to hold."""

    prop: Prop
    point: tuple[tuple[sp.Basic, sp.Rational], ...]
    lhs_value: str
    rhs_value: str
    assumptions: tuple[Prop, ...]
    key: InitVar[object] = None


del Refutation.key


@dataclass(frozen=True)
class Witness(_Sealed):
    """Every one of ``assumptions``, with its domain conditions, certainly holds at ``point``."""

    assumptions: tuple[Prop, ...]
    point: tuple[tuple[sp.Basic, sp.Rational], ...]
    key: InitVar[object] = None


del Witness.key
_OPEN[0] = False
