"""Mangled student files for the fuzz test: deterministic (seeded) damage of real sheets.

Each mutation is what a hurried student, a broken editor or an OCR does to a file: cut it
short, drop or double a brace, misspell a command, lose a ``$``, swap commands, type Chinese
punctuation, repeat or lose a line.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
SOURCES = sorted(p for p in [*FIXTURES.glob("*.md"), *FIXTURES.glob("students/*")] if p.is_file())
_COMMAND = re.compile(r"\\[A-Za-z]+")
_SWAPS = (
    r"\frac",
    r"\frak",
    r"\sigma",
    r"\prod",
    r"\sum",
    r"\left",
    r"\right",
    r"\le",
    r"\approx",
    r"\partial",
    r"\begin",
    r"\end",
    r"\log",
    r"\hat",
    r"\sqrt",
    r"\cdot",
    r"\infty",
    r"\text",
    r"\mathbf",
    r"\lim",
    r"\to",
    r"\therefore",
    r"\in",
    r"\mathbb",
)
_PUNCTUATION = "，。：；（）【】、“”！？＝＜＞"
_NOISE = ("{", "}", "$", "$$", "\\", "^", "_", "&", "\\\\", "^^5c", "%", "'", "\n\n", "\\[", "\\]")


def _at(rng: random.Random, text: str) -> int:
    return rng.randrange(len(text) + 1)


def _truncate(rng: random.Random, text: str) -> str:
    return text[: _at(rng, text)]


def _brace(rng: random.Random, text: str) -> str:
    places = [i for i, c in enumerate(text) if c in "{}"]
    if not places:
        return text
    i = rng.choice(places)
    return text[:i] + (text[i] * 2 if rng.random() < 0.5 else "") + text[i + 1 :]


def _frak(rng: random.Random, text: str) -> str:
    return text.replace(r"\frac", r"\frak", rng.randint(1, 3))


def _dollar(rng: random.Random, text: str) -> str:
    places = [i for i, c in enumerate(text) if c == "$"]
    if not places:
        return text
    i = rng.choice(places)
    return text[:i] + text[i + 1 :]


def _swap(rng: random.Random, text: str) -> str:
    found = list(_COMMAND.finditer(text))
    if not found:
        return text
    m = rng.choice(found)
    return text[: m.start()] + rng.choice(_SWAPS) + text[m.end() :]


def _punctuation(rng: random.Random, text: str) -> str:
    i = _at(rng, text)
    return text[:i] + rng.choice(_PUNCTUATION) + text[i:]


def _noise(rng: random.Random, text: str) -> str:
    i = _at(rng, text)
    return text[:i] + rng.choice(_NOISE) + text[i:]


def _lines(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    if rng.random() < 0.5:
        lines.insert(i, lines[i])
    else:
        del lines[i]
    return "\n".join(lines)


MUTATIONS: tuple[Callable[[random.Random, str], str], ...] = (
    _truncate,
    _brace,
    _frak,
    _dollar,
    _swap,
    _punctuation,
    _noise,
    _lines,
)


def excerpt(rng: random.Random, text: str, lines: int = 6) -> str:
    """A few consecutive lines of ``text`` (a short file keeps the fuzz test fast)."""
    rows = text.split("\n")
    start = rng.randrange(max(len(rows) - lines, 0) + 1)
    return "\n".join(rows[start : start + lines])


def mangled(seed: int) -> tuple[str, str]:
    """The ``seed``-th mangled file: (a name that says how it was made, its text)."""
    rng = random.Random(seed)
    source = rng.choice(SOURCES)
    text = excerpt(rng, source.read_text(encoding="utf-8"))
    names = []
    for _ in range(rng.randint(1, 3)):
        mutation = rng.choice(MUTATIONS)
        names.append(mutation.__name__.strip("_"))
        text = mutation(rng, text)
    return f"{seed}:{source.name}:{'+'.join(names)}", text
