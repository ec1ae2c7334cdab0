"""The peer-comparison pair set (``pairs.toml``): equivalence pairs with expected verdicts.

Written for this project (issue 12, item 5). ``tests/test_pairs.py`` holds proofsheet to every
expectation (and never to the opposite one); ``make bench`` times proofsheet's batch mode
against SymPy's ``simplify`` and Math-Verify on the same pairs.

The file is validated strictly on loading: a misspelt key or verdict would otherwise turn a
pair into a different question, silently.

>>> pairs = load_pairs()
>>> len(pairs) > 100 and {p.family for p in pairs} == set(FAMILIES)
True
>>> pairs[0].batch_line()["statement"]
'(x+1)^2 = x^2 + 2*x + 1'
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib.resources import files

EXPECTS = ("verified", "refuted")
FAMILIES = (
    "polynomial",
    "rational",
    "exp-log",
    "power",
    "radical",
    "abs",
    "sigmoid",
    "decimal",
    "assumption",
    "derivative",
    "sum-product",
    "parity-edge",
)
_REQUIRED = ("statement", "expect", "family")
_KEYS = (*_REQUIRED, "assume", "gap")


class PairsError(ValueError):
    """``pairs.toml`` is malformed: which pair, and what is wrong with it."""


@dataclass(frozen=True)
class Pair:
    """One pair: ``statement`` under ``assume`` must get ``expect``; ``gap`` says why not yet."""

    statement: str
    expect: str
    family: str
    assume: str | None = None
    gap: str | None = None

    @property
    def name(self) -> str:
        """A short readable id (for test ids and the bench's JSON)."""
        return self.statement if self.assume is None else f"{self.statement} | {self.assume}"

    def batch_line(self) -> dict:
        """The question as a ``prove --batch`` line takes it."""
        line = {"statement": self.statement}
        return line if self.assume is None else {**line, "assume": self.assume}


def _pair(number: int, raw: object) -> Pair:
    where = f"pairs.toml, pair {number}"
    if not isinstance(raw, dict):
        raise PairsError(f"{where}: not a table")
    if unknown := sorted(set(raw) - set(_KEYS)):
        raise PairsError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(_KEYS)})")
    if missing := [k for k in _REQUIRED if k not in raw]:
        raise PairsError(f"{where}: no {missing[0]!r}")
    if not all(isinstance(v, str) and v.strip() for v in raw.values()):
        raise PairsError(f"{where}: every value must be a non-empty string")
    if raw["expect"] not in EXPECTS:
        raise PairsError(f"{where}: expect must be one of {EXPECTS}, not {raw['expect']!r}")
    if raw["family"] not in FAMILIES:
        raise PairsError(f"{where}: unknown family {raw['family']!r}")
    return Pair(**raw)


def parse_pairs(text: str) -> list[Pair]:
    """The pairs of a ``pairs.toml`` text, validated; a :class:`PairsError` says what is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PairsError(f"pairs.toml: {exc}") from None
    if set(data) != {"pair"} or not isinstance(data["pair"], list):
        raise PairsError("pairs.toml: only [[pair]] tables are expected")
    pairs = [_pair(n, raw) for n, raw in enumerate(data["pair"], start=1)]
    seen: set[str] = set()
    for p in pairs:
        if p.name in seen:
            raise PairsError(f"pairs.toml: {p.name!r} appears twice")
        seen.add(p.name)
    return pairs


def load_pairs() -> list[Pair]:
    """The package's pair set."""
    text = files("proofsheet.soundness").joinpath("pairs.toml").read_text(encoding="utf-8")
    return parse_pairs(text)
