"""What keeps one bad formula from losing a student's file, and what the checker tells a
student about the assumptions they wrote.

An unclosed ``$`` or environment is one ``unreadable`` place, and the rest of the file is
still read; an error inside the checking of one step is that step's one-line reason:

>>> document, broken = read_leniently("\\\\documentclass{article}\\\\begin{document}"
...                                   "$x = 1$ and $y\\n\\n\\\\end{document}")
>>> [b.content for b in document.blocks], [e.message for e in broken]
(['x = 1'], ["'$' is never closed (or a blank line comes first)"])
>>> failure(ValueError("Can't calculate derivative wrt sigma(z)\\nmore"))
"proofsheet could not check this step (ValueError: Can't calculate derivative wrt sigma(z))"
"""

from __future__ import annotations

import re

import sympy as sp

from ..kernel import Prop
from ..kernel.errors import CheckTimeout, ParseError
from ..parsing.document import Document, MathBlock, read_document
from ..parsing.latex import RelationChain, parse_math
from ..parsing.statement import parse_assumptions
from ..record.verdicts import UNDECIDED, Verdict
from ..search.assumption_point import witness
from ..search.limits import own_seconds, time_limit

#: how many unclosed delimiters one file may have before it is refused as a whole
_MAX_BROKEN = 50
_OPENER = re.compile(r"\\begin\s*\{[^{}]*\}|\$\$|\\\[|\\\(|\$")
#: characters no LaTeX formula holds: what is left of ``\f``rac, ``\b``egin, ``\r``ight when a
#: program or an OCR read the backslash as a string escape (a tab and CRLF are whitespace)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)")
_LOST = {"\x0c": "\\f (\\frac)", "\x08": "\\b (\\begin)", "\r": "\\r (\\right)"}
#: what is left of a command whose backslash and first letter were lost (the OCR of A2-QA:
#: ``\frac`` → ``rac``, ``\theta`` → ``heta``, ``\begin`` → ``egin``, ``\right`` → ``ight``)
_LOST_COMMANDS = (
    (re.compile(r"(?<![\\A-Za-z])rac\s*\{"), "\\frac"),
    (re.compile(r"(?<![\\A-Za-z])egin\s*\{"), "\\begin"),
    (re.compile(r"(?<![\\A-Za-z])heta(?![A-Za-z])"), "\\theta"),
    (re.compile(r"(?<![\\A-Za-z])ight(?=\s*[\])|.])"), "\\right"),
)
_WORD = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{2,}")


def read_leniently(text: str, source: str = "<text>") -> tuple[Document, list[ParseError]]:
    """The document's math blocks, with each delimiter that is never closed blanked out (and
    returned as a ParseError at its place); a file too large is still refused."""
    broken: list[ParseError] = []
    while True:
        try:
            return read_document(text, source=source), broken
        except ParseError as error:
            if error.line is None or "never closed" not in error.message:
                raise
            if len(broken) >= _MAX_BROKEN:
                raise
            broken.append(error)
            text = _blank_at(text, error.line, error.column or 1)


def _blank_at(text: str, line: int, column: int) -> str:
    """``text`` with the delimiter at (line, column) replaced by spaces (places unchanged)."""
    lines = text.split("\n")
    if not 0 < line <= len(lines):
        raise ParseError("a delimiter is never closed", line, column)
    row = lines[line - 1]
    at = max(column - 1, 0)
    m = _OPENER.match(row, at)
    width = len(m.group()) if m else 1
    lines[line - 1] = row[:at] + " " * width + row[at + width :]
    return "\n".join(lines)


def damaged(content: str, line: int, column: int, source: str) -> ParseError | None:
    r"""A control character, or a command that lost its start, in a formula: an unreadable place.

    >>> damage = damaged("x \\le \x0crac{1}{4}", 3, 5, "qa.md")
    >>> damage.column, damage.message.split(":")[0]
    (11, 'a control character (U+000C) where \\f (\\frac) was probably meant')
    """
    m = _CONTROL.search(content)
    if m is not None:
        lost = _LOST.get(m.group())
        meant = f" where {lost} was probably meant" if lost else ""
        why = (
            f"a control character (U+{ord(m.group()):04X}){meant}: the backslash was read as "
            "an escape (OCR or a program's string); retype it"
        )
        return ParseError(why, *_place(content, m.start(), line, column), source)
    for pattern, command in _LOST_COMMANDS:
        m = pattern.search(content)
        if m is not None:
            why = (
                f"'{m.group().strip()}' is probably {command} with its start lost (OCR); retype it"
            )
            return ParseError(why, *_place(content, m.start(), line, column), source)
    return None


def _place(content: str, offset: int, line: int, column: int) -> tuple[int, int]:
    """(line, column) in the file of ``content[offset]``, the content starting at (line, column)."""
    before = content[:offset]
    if "\n" in before:
        return line + before.count("\n"), offset - before.rfind("\n")
    return line, column + offset


def failure(exc: BaseException) -> str:
    """One line a student can read for an error inside the checking of one step."""
    if isinstance(exc, RecursionError):
        return "the formula is nested too deeply to check"
    if isinstance(exc, MemoryError):
        return "checking this step needed too much memory"
    lines = str(exc).strip().splitlines()
    detail = f": {lines[0][:120]}" if lines else ""
    return f"proofsheet could not check this step ({type(exc).__name__}{detail})"


def undecided(left: object, right: object, reason: str) -> Verdict:
    """An undecided verdict about ``left = right``, whatever SymPy made of the two sides."""
    unknown = sp.Symbol("?")
    sides = [t if isinstance(t, sp.Basic) else unknown for t in (left, right)]
    try:
        prop = Prop(sides[0], "=", sides[1])
    except Exception:  # noqa: BLE001 — a side that is no SymPy expression still reports
        prop = Prop(unknown, "=", unknown)
    return Verdict(UNDECIDED, prop, reason=reason)


def given_assumptions(assumptions) -> tuple[Prop, ...]:
    """``check_text``'s assumptions: Props as they are, strings ("0 < x < 1", "x > 0 and y > 0")
    parsed by the statement grammar (never evaluated)."""
    found: list[Prop] = []
    for a in (assumptions,) if isinstance(assumptions, str) else assumptions:
        if isinstance(a, Prop):
            found.append(a)
        elif isinstance(a, str):
            found += [
                Prop(p.lhs, p.rel, p.rhs, domain=p.domain)
                for p in parse_assumptions(a, source="assumption")
            ]
        else:
            raise TypeError(f"an assumption is a Prop or a string, not {type(a).__name__}")
    return tuple(found)


def _of_family(name: str, families: set[str]) -> bool:
    """``a_k`` (a letter subscript) of a family a that a step uses: every member, not unused."""
    family, _, sub = name.partition("_")
    return family in families and re.fullmatch(r"[A-Za-z]|\{[A-Za-z]\}", sub) is not None


def unused_assumption_names(written, steps) -> list[str]:
    """A warning for each written assumption that names a symbol no step uses (it would
    otherwise be ignored without a word)."""
    used: set[str] = set()
    for s in steps:
        for side in (s.lhs, s.rhs):
            if isinstance(side, sp.Basic):
                used |= {getattr(x, "name", str(x)) for x in side.free_symbols}
                used |= {f.func.__name__ for f in side.atoms(sp.core.function.AppliedUndef)}
    by_line: dict[int, tuple[list[str], set[str]]] = {}
    for a in written:
        texts, names = by_line.setdefault(a.line, ([], set()))
        texts.append(a.text)
        names |= {
            getattr(x, "name", str(x)) for x in a.prop.lhs.free_symbols | a.prop.rhs.free_symbols
        }
    # a_k of ``% assume: a_k > 0`` speaks of the family a of a_1 and of ∑_k a_k
    families = {n.partition("_")[0] for n in used if "_" in n}
    for s in steps:
        for side in (s.lhs, s.rhs):
            if isinstance(side, sp.Basic):
                families |= {x.base.label.name for x in side.atoms(sp.Indexed)}
    warnings = []
    for line, (texts, names) in by_line.items():
        unused = sorted(n for n in names - used if not _of_family(n, families))
        if not unused:
            continue
        text = ", ".join(texts)
        word = _WORD.search(text)
        hint = ""
        if word and len(unused) > 1:
            hint = f" ({word.group()} is read as the product of its letters; ŷ is \\hat{{y}})"
        warnings.append(
            f"assumption (line {line}) {text}: names {', '.join(unused)}, which no formula "
            f"uses{hint}"
        )
    return warnings


def parse_block(
    block: MathBlock,
    source: str,
    previous,
    functions: set[str],
    seconds: float,
    parse=parse_math,
) -> tuple[list[RelationChain], ParseError | None]:
    """The chains of one math block (read by ``parse``), or why it cannot be read (damage, a
    parse error, a time limit, or any error inside the reader)."""
    error = damaged(block.content, block.line, block.column, source)
    if error is not None:
        return [], error
    try:
        with time_limit(own_seconds(seconds), "reading this formula"):
            chains = parse(
                block.content,
                line=block.line,
                column=block.column,
                source=source,
                previous=previous,
                functions=functions,
            )
        return list(chains), None
    except ParseError as error:
        return [], error
    except Exception as exc:  # noqa: BLE001 — a formula the reader trips on is unreadable
        why = str(exc) if isinstance(exc, CheckTimeout) else failure(exc).replace("check", "read")
        return [], ParseError(why, block.line, block.column, source)


def safe_witness(assumptions: tuple[Prop, ...]) -> dict | None:
    """A point where every assumption holds; None (nothing passes from them) if the search
    fails."""
    try:
        return witness(assumptions)
    except Exception:  # noqa: BLE001 — no point known: the kernel then passes nothing from them
        return None


def line_at(text: str, line: int | None) -> str:
    """Line ``line`` of ``text``, counted as the document counts (an OCR's \\f breaks none)."""
    lines = text.split("\n")
    return lines[line - 1] if line and 0 < line <= len(lines) else ""
