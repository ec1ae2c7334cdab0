"""Deterministic mutants of true statements, printed back in the statement syntax.

Each operator rewrites one written subterm (or the relation, or the assumptions)
of a tree from :mod:`.syntax`: change a constant, flip a sign, swap or drop a
function, drop a term or a factor, perturb an exponent, negate a variable, swap
the relation or its sides, drop an assumption. Most mutants are false, some stay
true; the oracle, not the operator, decides which.

>>> [m.text for m in all_mutants("sigma(x) <= 1", ())][:3]
['sigma(x) < 1', 'sigma(x) >= 1', 'sigma(x) = 1']
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

from .syntax import parse_relation, show_relation, variables

#: a function -> what a mutant may put in its place
FUNCTION_SWAPS: dict[str, tuple[str, ...]] = {
    "sigma": ("sigma'", "tanh", "exp"),
    "sigma'": ("sigma", "exp"),
    "exp": ("log", "sigma"),
    "log": ("exp", "sqrt"),
    "sqrt": ("log", "abs"),
    "tanh": ("sigma", "sigma'"),
    "abs": ("sqrt", "tanh"),
}
#: a relation -> the relations a mutant may put in its place
RELATION_SWAPS: dict[str, tuple[str, ...]] = {
    "=": ("<", ">", "<=", ">="),
    "<=": ("<", ">=", "="),
    "<": ("<=", ">", "="),
    ">=": (">", "<=", "="),
    ">": (">=", "<", "="),
}


@dataclass(frozen=True)
class Mutant:
    """One mutated statement: its text, its assumptions, and how it was made."""

    text: str
    assume: tuple[str, ...]
    operator: str


def _num(v) -> tuple:
    return ("num", Fraction(v))


def _constant(c: Fraction) -> Iterator[tuple[str, tuple]]:
    for new in (c + 1, c - 1, 2 * c, -c, c / 2, Fraction(1, 10) + c):
        if new != c:
            yield "change a constant", _num(new)
    if c not in (0, 1, -1):
        yield "change a constant", _num(1 / c)


def _local(node: tuple, names: tuple[str, ...]) -> Iterator[tuple[str, tuple]]:
    """The mutations of this node itself."""
    kind = node[0]
    if kind == "num":
        yield from _constant(node[1])
    elif kind == "name" and node[1] in ("pi", "E"):
        yield "swap a constant", ("name", "E" if node[1] == "pi" else "pi")
    elif kind == "name":
        yield "negate a variable", ("neg", node)
        yield "shift a variable", ("add", (("+", node), ("+", _num(1))))
        yield from (("swap variables", ("name", n)) for n in names if n != node[1])
    elif kind in ("add", "mul"):
        yield from _sum_or_product(node)
    elif kind == "neg":
        yield "flip a sign", node[1]
    elif kind == "pow":
        yield from _power(node)
    elif kind == "call":
        yield from _function(node)


def _sum_or_product(node: tuple) -> Iterator[tuple[str, tuple]]:
    kind, items = node
    flips = {"+": "-", "-": "+", "*": "/", "/": "*"}
    for i, (op, term) in enumerate(items):
        rest = items[:i] + items[i + 1 :]
        if len(rest) == 1 and rest[0][0] in "+*":
            yield f"drop a {'term' if kind == 'add' else 'factor'}", rest[0][1]
        elif len(rest) > 1 and rest[0][0] in "+*":
            yield f"drop a {'term' if kind == 'add' else 'factor'}", (kind, rest)
        if i > 0:
            name = "flip a sign" if kind == "add" else "swap * and /"
            yield name, (kind, items[:i] + ((flips[op], term),) + items[i + 1 :])


def _power(node: tuple) -> Iterator[tuple[str, tuple]]:
    _, base, exponent = node
    yield "drop a power", base
    if exponent[0] == "num":
        for new in (exponent[1] + 1, exponent[1] - 1, -exponent[1], exponent[1] / 2):
            if new != exponent[1]:
                yield "perturb an exponent", ("pow", base, _num(new))
    else:
        yield "perturb an exponent", ("pow", base, ("add", (("+", exponent), ("+", _num(1)))))


def _function(node: tuple) -> Iterator[tuple[str, tuple]]:
    _, name, args = node
    if name == "diff":
        yield "drop a derivative", args[0]
        return
    for other in FUNCTION_SWAPS[name]:
        yield "swap a function", ("call", other, args)
    yield "drop a function", args[0]
    yield "negate an argument", ("call", name, (("neg", args[0]),))


def _everywhere(node: tuple, names: tuple[str, ...]) -> Iterator[tuple[str, tuple]]:
    """Every mutation of every subterm, the rest of the tree unchanged."""
    yield from _local(node, names)
    kind = node[0]
    if kind in ("add", "mul"):
        for i, (op, t) in enumerate(node[1]):
            for how, new in _everywhere(t, names):
                yield how, (kind, node[1][:i] + ((op, new),) + node[1][i + 1 :])
    elif kind == "neg":
        yield from ((how, ("neg", new)) for how, new in _everywhere(node[1], names))
    elif kind == "pow":
        yield from ((how, ("pow", new, node[2])) for how, new in _everywhere(node[1], names))
        yield from ((how, ("pow", node[1], new)) for how, new in _everywhere(node[2], names))
    elif kind == "call":  # diff's variable stays a variable
        first, rest = node[2][0], node[2][1:]
        yield from (
            (how, ("call", node[1], (new,) + rest)) for how, new in _everywhere(first, names)
        )


def _relation(lhs: tuple, rel: str, rhs: tuple) -> Iterator[tuple[str, tuple, str, tuple]]:
    for other in RELATION_SWAPS[rel]:
        yield "swap the relation", lhs, other, rhs
    if rel != "=":
        yield "swap the sides", rhs, rel, lhs
    nudge = ("add", (("+", rhs), ("+", _num(Fraction(1, 100)))))
    yield "nudge a side", lhs, rel, nudge


def all_mutants(text: str, assume: tuple[str, ...]) -> list[Mutant]:
    """Every mutant of the statement, deduplicated, in a fixed order."""
    lhs, rel, rhs = parse_relation(text)
    names = tuple(sorted(variables(lhs) | variables(rhs)))
    found: list[Mutant] = []
    for how, a, r, b in _relation(lhs, rel, rhs):
        found.append(Mutant(show_relation(a, r, b), assume, how))
    for how, new in _everywhere(lhs, names):
        found.append(Mutant(show_relation(new, rel, rhs), assume, how))
    for how, new in _everywhere(rhs, names):
        found.append(Mutant(show_relation(lhs, rel, new), assume, how))
    for i in range(len(assume)):
        found.append(Mutant(text, assume[:i] + assume[i + 1 :], "drop an assumption"))
    seen = {(show_relation(lhs, rel, rhs), assume)}
    out = []
    for m in found:
        key = (m.text, m.assume)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


def mutants(text: str, assume: tuple[str, ...], per_statement: int = 4) -> list[Mutant]:
    """Up to ``per_statement`` mutants, spread over the operators, the same on every run."""
    everything = all_mutants(text, assume)
    by_operator: dict[str, list[Mutant]] = {}
    for m in everything:
        by_operator.setdefault(m.operator, []).append(m)
    rng = random.Random(zlib.crc32(f"{text}|{assume}".encode()))
    for group in by_operator.values():
        rng.shuffle(group)
    order = sorted(by_operator)
    rng.shuffle(order)
    picked: list[Mutant] = []
    while len(picked) < per_statement and any(by_operator.values()):
        for op in order:
            if by_operator[op] and len(picked) < per_statement:
                picked.append(by_operator[op].pop())
    return picked
