"""A student's indexed families: ``w_j``, ``w_1``, ``w_{2}``, ``w^{(k)}`` as members of one
family ``w``, and assumptions about every member (``% assume: 0 < a_k``)."""

from __future__ import annotations

import re
from dataclasses import replace

import sympy as sp

from ..kernel import Every, Prop
from .definitions import twin


def summed_families(exprs: tuple[sp.Basic, ...]) -> dict[str, sp.IndexedBase]:
    """The families ``x`` whose members ``x_k`` a ∑/∏ runs over, by name."""
    return {
        ind.base.label.name: ind.base
        for e in exprs
        for op in e.atoms(sp.Sum, sp.Product)
        for ind in op.function.atoms(sp.Indexed)
        if ind.free_symbols & set(op.variables)
    }


def family_members(exprs: tuple[sp.Basic, ...], definitions: dict) -> tuple[dict, str]:
    """``x_1`` written next to ``\\sum_i x_i`` is the family's first member ``x[1]``, the same
    variable (else the sum's expansion x_1 + x_2 would be refuted). A member with another
    subscript (``x_n``, ``x_{n+1}``) or one that is defined cannot be matched: the reason."""
    summed = summed_families(exprs)
    families = summed | {
        m.base.label.name: m.base
        for e in exprs
        for m in e.atoms(sp.Indexed)
        if m.indices[0].is_Integer
    }  # w^{(1)} beside w_1: one member of the family w, as in a sum
    if not families:
        return {}, ""
    member = next(  # w^{(1)} = 3 (a numbered member; u^{(i)} = … defines every member alike)
        (
            d
            for d in definitions
            if isinstance(d, sp.Indexed) and twin(d) is not None and d.base in summed.values()
        ),
        None,
    )
    if member is not None:  # w^{(1)} = 3, then \prod_k w^{(k)}: its first factor is 3
        return {}, (
            f"{member.base.label}^{{({sp.latex(member.indices[0])})}} is defined, and the sum "
            "or product runs over its family: "
            "write the sum out term by term"
        )
    mapping: dict = {}
    names = {s for e in exprs for s in e.atoms(sp.Symbol)}  # with ∂/∂x_1's variable
    integers = {s.name: s for s in names if s.is_integer}
    for s in names | {d for d in definitions if isinstance(d, sp.Symbol)}:
        family, _, sub = s.name.partition("_")
        if family not in families or not sub:
            continue
        index = member_index(sub, integers)
        if s in definitions or index is None:
            return {}, (
                f"{s} and the {family}_k of a sum or product: proofsheet cannot tell "
                f"whether {s} is one of them{' (it is defined)' if index is not None else ''}; "
                "write the sum out term by term"
            )
        mapping[s] = sp.Indexed(families[family], index)
    return mapping, ""


SHIFTED = re.compile(r"(?P<n>[A-Za-z])(?P<d>[+-]\d+)?|\{(?P<m>[A-Za-z])(?P<e>[+-]\d+)?\}")


def member_index(sub: str, integers: dict) -> sp.Expr | None:
    """The index of the member ``x_<sub>``: ``x_2`` is x[2], and ``x_n``, ``x_{n+1}`` are
    x[n], x[n+1] for an integer n of the step (a range's limit); otherwise None."""
    if re.fullmatch(r"\d+|\{\d+\}", sub):
        return sp.Integer(sub.strip("{}"))
    m = SHIFTED.fullmatch(sub)
    letter = m and (m["n"] or m["m"])
    if not letter or letter not in integers:
        return None
    return integers[letter] + sp.Integer(m["d"] or m["e"] or 0)


def every_member(assumptions: tuple[Prop, ...], exprs: tuple) -> tuple[Prop, ...]:
    """``% assume: 0 < a_k \\le 1`` beside ``\\prod_k a_k`` speaks of the family's members
    (a_2 is a[2]; a_n for the step's n is a[n]; a_k for another k is every member: its
    instances at the members the step uses, else a[k] for a ∀k index, :class:`Every`),
    never of a new variable a_k (else a point with a = −2 would "refute" the bound).

    A point gives every member the family's value, so a[k] and each instance rule out
    the same points: a counterexample meets the assumption for every member."""
    assumptions = named_members(assumptions, exprs)
    families = summed_families(exprs)
    used = {s.name: s for e in exprs for s in e.free_symbols if s.is_integer}
    mapping = {}
    for s in {s for a in assumptions for s in a.free_symbols if isinstance(s, sp.Symbol)}:
        family, _, sub = s.name.partition("_")
        if family in families and re.fullmatch(r"\d+|[A-Za-z]", sub):
            index = sp.Integer(sub) if sub.isdigit() else used.get(sub, Every(sub, integer=True))
            mapping[s] = sp.Indexed(families[family], index)
    if not mapping:
        return assumptions
    indices = numeric_members(exprs)

    def read(a: Prop) -> tuple[Prop, ...]:
        a = replace(a, lhs=a.lhs.xreplace(mapping), rhs=a.rhs.xreplace(mapping))
        k = next((s for s in a.free_symbols if isinstance(s, Every)), None)
        if k is None or not indices:
            return (a,)
        return tuple(replace(a, lhs=a.lhs.subs(k, i), rhs=a.rhs.subs(k, i)) for i in indices)

    return tuple(dict.fromkeys(b for a in assumptions for b in read(a)))


def named_members(assumptions: tuple[Prop, ...], exprs: tuple) -> tuple[Prop, ...]:
    """``% assume: a_k > 0`` beside a step about ``a_1`` (no sum): the assumption at a_1 too,
    else a counterexample a_1 = 0 would break what the file declared about every a_k."""
    written = {s for e in exprs for s in e.free_symbols if isinstance(s, sp.Symbol)}
    members: dict[str, set[str]] = {}
    for s in written:
        family, _, sub = s.name.partition("_")
        if sub.isdigit():
            members.setdefault(family, set()).add(sub)
    found = list(assumptions)
    for a in assumptions:
        every = {
            s: family
            for s in a.free_symbols - written
            if isinstance(s, sp.Symbol)
            for family, _, sub in [s.name.partition("_")]
            if family in members and re.fullmatch(r"[A-Za-z]", sub)
        }
        for sub in sorted({m for family in every.values() for m in members[family]}):
            at = {s: sp.Symbol(f"{f}_{sub}", **s.assumptions0) for s, f in every.items()}
            found.append(replace(a, lhs=a.lhs.xreplace(at), rhs=a.rhs.xreplace(at)))
    return tuple(dict.fromkeys(found))


def numeric_members(exprs: tuple) -> list[sp.Integer]:
    """The numbers k of the members x_k a step names or runs over (a short numeric range)."""
    found = {i for e in exprs for m in e.atoms(sp.Indexed) for i in m.indices if i.is_Integer}
    for op in (op for e in exprs for op in e.atoms(sp.Sum, sp.Product)):
        _k, low, high = op.limits[0]
        if low.is_Integer and high.is_Integer and 0 <= high - low < 24:
            found.update(sp.Integer(i) for i in range(int(low), int(high) + 1))
    return sorted(found)
