"""Decimals as students write them: a lone decimal beside = or ≈ is the other side rounded to
its places; decimals inside a formula may have been rounded on the way."""

from __future__ import annotations

import re

import sympy as sp

from ..kernel import Prop
from ..kernel.interval import bounds
from ..parsing.latex import RelationChain
from ..parsing.latex_tables import DECIMAL

#: a decimal inside a formula, and its places
DECIMAL_INSIDE = re.compile(r"(?<![\d.])\d*\.(\d+)(?![\d.])")


def with_placeholders(texts: list[str]) -> tuple[str, dict[str, tuple]] | None:
    """``A = B`` with each decimal replaced by ``\\xi_{j}``, and what each ``xi_j`` stands for
    (the decimal, half a unit in its last place); None if there is none, or ``\\xi`` is taken."""
    if any("\\xi" in t for t in texts):
        return None
    found: dict[str, tuple] = {}

    def placeholder(m: re.Match) -> str:
        name = f"xi_{len(found) + 1}"
        found[name] = (sp.Rational(m.group(0)), sp.Rational(1, 2 * 10 ** len(m.group(1))))
        return f"\\xi_{{{len(found)}}}"

    sides = [DECIMAL_INSIDE.sub(placeholder, t) for t in texts]
    return (f"{sides[0]} = {sides[1]}", found) if found else None


def rounding_hint(chain: RelationChain, i: int, lhs: sp.Basic, rhs: sp.Basic) -> str | None:
    """``\\sigma(1) = 0.8``: "σ(1) = 0.731059…, which rounds to 0.7 at 1 place"."""
    places = chain.rounding[i] if chain.rounding else None
    decimal = [bool(DECIMAL.match(t)) for t in chain.texts[i : i + 2]]
    if places is None or all(decimal) or not any(decimal):
        return None
    text, value = (chain.texts[i], lhs) if decimal[1] else (chain.texts[i + 1], rhs)
    try:
        low, high = bounds(value)
    except Exception:  # noqa: BLE001 - only a hint: no value, no hint
        return None
    middle = float((low + high) / 2)  # shown, never compared
    return (
        f"{text} = {middle:.{places + 3}f}…, which rounds to {middle:.{places}f} at "
        f"{places} decimal place{'s' if places > 1 else ''}"
    )


def rounded(prop: Prop, places: int | None) -> Prop:
    """``\\sigma(1) \\approx 0.731`` (or ``= 0.731``): |σ(1) − 0.731| ≤ 0.0005, when both sides
    are closed; with a free name, ``=`` stays exact (and ``\\approx`` is not checked)."""
    closed = not (prop.lhs.free_symbols or prop.rhs.free_symbols)
    numbers = not any(isinstance(side, sp.MatrixBase) for side in (prop.lhs, prop.rhs))
    if places is None or not closed or not numbers or prop.rel != "=":
        return prop
    half = sp.Rational(1, 2 * 10**places)
    return Prop(sp.Abs(prop.lhs - prop.rhs), "<=", half, domain=prop.domain)
