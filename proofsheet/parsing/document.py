r"""Find the math in a student's Markdown or LaTeX file.

:func:`read_document` returns every math block — ``$$…$$``, ``\[…\]``,
``$…$``, ``\(…\)`` and the display environments (``align``, ``align*``,
``aligned``, ``equation``, ``equation*``, ``gather``, …) — with the line and
column where its content starts in the file (columns count characters, so a
Chinese character is one column). Prose in any language is ignored, and so is
everything in code (Markdown fences and back-ticks), in comments (``<!-- -->``,
and ``%`` in a LaTeX file) and in a LaTeX preamble.

A file is read as LaTeX when it contains ``\documentclass`` or
``\begin{document}``, otherwise as Markdown. The difference: in Markdown a
``$`` opens inline math only if a non-space follows it and closes it only
after a non-space and not before a digit (Pandoc's rule, so "$5 and $10" is
prose), and an unclosed ``$`` is just a dollar sign; in LaTeX it is an error.
Inline math never crosses a blank line. ``\$`` is an escaped dollar.

Assumptions are comments ``% assume: 0 < s < 1`` or ``<!-- assume: t > 0 -->``;
their raw text (any ``$`` in it removed) is collected with its position,
to be read with :func:`proofsheet.parsing.latex.parse_math`, which splits
``0<s<1, t>0`` at the top-level comma.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from proofsheet.kernel.errors import ParseError

__all__ = ["MathBlock", "Document", "read_document", "MAX_DOCUMENT"]

MAX_DOCUMENT = 2_000_000  #: largest file accepted, in characters

_ENVS = (
    "align",
    "align*",
    "aligned",
    "alignat",
    "alignat*",
    "equation",
    "equation*",
    "gather",
    "gather*",
    "gathered",
    "multline",
    "multline*",
    "eqnarray",
    "eqnarray*",
    "split",
    "math",
    "displaymath",
)
_OPEN = re.compile(r"\$\$|\$|\\\[|\\\(|\\begin\s*\{(" + "|".join(map(re.escape, _ENVS)) + r")\}")
_CLOSE = {"$$": "$$", "\\[": "\\]", "\\(": "\\)"}
_INNER_ENV = re.compile(
    r"\s*\\begin\s*\{(aligned|split|gathered|alignedat)\}(?:\{\d+\})?"
    r"(.*)\\end\s*\{\1\}\s*",
    re.S,
)
_FENCE_LINE = re.compile(r"^[ \t]*(`{3,}|~{3,})([^\n]*)$", re.M)
_PERCENT_ASSUME = re.compile(r"%[ \t]*assume[ \t]*:([^\n]*)", re.I)
_HTML_ASSUME = re.compile(r"<!--[ \t]*assume[ \t]*:(.*)-->", re.S | re.I)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class MathBlock:
    """One piece of math: its content and where that content starts in the file."""

    content: str
    line: int
    column: int
    kind: str  # "$$", "\\[", "$", "\\(", or the environment's name ("align*", "aligned", …)


@dataclass(frozen=True)
class Document:
    """The math blocks of a file, in order, and its assumption comments."""

    blocks: tuple[MathBlock, ...]
    assumptions: tuple[tuple[str, int], ...]  # (raw text, line)
    assumption_positions: tuple[tuple[int, int], ...] = ()  # (line, column) of each text


class _Lines:
    """Offsets -> 1-based (line, column)."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def __call__(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i + 1, offset - self.starts[i] + 1


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """Blank each (sorted, maybe overlapping) span, keeping newlines and so every position."""
    out, last = [], 0
    for a, b in spans:
        a = max(a, last)
        out += [text[last:a], re.sub(r"[^\n]", " ", text[a:b])]
        last = max(last, b)
    return "".join(out) + text[last:]


def _escaped(text: str, i: int) -> bool:
    """Is text[i] preceded by an odd number of backslashes?"""
    n = 0
    while i - n - 1 >= 0 and text[i - n - 1] == "\\":
        n += 1
    return n % 2 == 1


def _find(text: str, needle: str, start: int) -> int:
    """The first unescaped ``needle`` in text[start:], or -1."""
    i = text.find(needle, start)
    while i != -1 and _escaped(text, i):
        i = text.find(needle, i + 1)
    return i


def _fences(text: str) -> list[tuple[int, int]]:
    """Markdown code fences (``` or ~~~, closed by a longer-or-equal bare fence)."""
    spans, opened = [], None
    for m in _FENCE_LINE.finditer(text):
        if opened is None:
            opened = (m.start(), m.group(1))
        elif (
            m.group(1)[0] == opened[1][0]
            and len(m.group(1)) >= len(opened[1])
            and not m.group(2).strip()
        ):
            spans.append((opened[0], m.end()))
            opened = None
    return spans + ([(opened[0], len(text))] if opened else [])


def _code_spans(text: str, blank_lines: list[int]) -> list[tuple[int, int]]:
    """Markdown back-tick code: a run of n back-ticks up to the next run of exactly n."""
    runs = [(m.start(), m.end()) for m in re.finditer("`+", text)]
    same: dict[tuple[int, int], list[int]] = {}
    for k, (a, b) in enumerate(runs):
        same.setdefault((bisect.bisect_right(blank_lines, a), b - a), []).append(k)
    spans, k = [], 0
    while k < len(runs):
        a, b = runs[k]
        later = same[(bisect.bisect_right(blank_lines, a), b - a)]
        j = bisect.bisect_right(later, k)
        if j < len(later):
            spans.append((a, runs[later[j]][1]))
            k = later[j] + 1
        else:
            k += 1
    return spans


def _comments(text: str, latex: bool) -> list[tuple[int, int]]:
    """``%`` to the end of the line (LaTeX) or ``<!-- … -->`` (Markdown; unclosed: to the end)."""
    spans, i = [], 0
    while True:
        i = text.find("%" if latex else "<!--", i)
        if i == -1:
            return spans
        if latex and _escaped(text, i):
            i += 1
            continue
        end = text.find("\n" if latex else "-->", i)
        end = len(text) if end == -1 else end + (0 if latex else 3)
        spans.append((i, end))
        i = end


def _assumptions(text: str, html: list[tuple[int, int]]) -> list[tuple[str, int, tuple[int, int]]]:
    """(raw text, offset, span of the comment) of each assumption comment."""
    found = [
        (m.group(1), m.start(1), (m.start(), m.end()))
        for m in _PERCENT_ASSUME.finditer(text)
        if not _escaped(text, m.start())
    ]
    for a, b in html:
        m = _HTML_ASSUME.fullmatch(text, a, b)
        if m:
            found.append((m.group(1), m.start(1), (a, b)))
    result = []
    for raw, start, span in sorted(found, key=lambda f: f[1]):
        raw = raw.replace("$", " ")  # `% assume: $0<s<1$, $t>0$`: the math, same places
        result.append((raw.strip(), start + len(raw) - len(raw.lstrip()), span))
    return result


class _Inline:
    """Where a ``$`` closes: the next suitable ``$`` before the next blank line."""

    def __init__(self, text: str, markdown: bool, blank_lines: list[int]):
        self.text, self.markdown, self.blank_lines = text, markdown, blank_lines
        self.closers = [
            i
            for i in (m.start() for m in re.finditer(r"\$", text))
            if not _escaped(text, i)
            and (not markdown or (not text[i - 1].isspace() and not text[i + 1 : i + 2].isdigit()))
        ]

    def end(self, start: int) -> int:
        if self.markdown and self.text[start + 1 : start + 2].strip() == "":
            return -1
        j = bisect.bisect_right(self.closers, start + 1)
        k = bisect.bisect_right(self.blank_lines, start)
        stop = self.blank_lines[k] if k < len(self.blank_lines) else len(self.text)
        return self.closers[j] if j < len(self.closers) and self.closers[j] < stop else -1


def _display_end(text: str, opener: str, kind: str, begin: int) -> tuple[int, int]:
    """(start of the closing delimiter, offset after it); (-1, -1) if there is none."""
    if opener in _CLOSE:
        close = _find(text, _CLOSE[opener], begin)
        return close, close + len(_CLOSE[opener])
    end = re.compile(r"\\end\s*\{" + re.escape(kind) + r"\}").search(text, begin)
    return (end.start(), end.end()) if end else (-1, -1)


def read_document(text: str, *, source: str = "<file>") -> Document:
    """The math blocks and assumption comments of a Markdown or LaTeX file."""
    if len(text) > MAX_DOCUMENT:
        raise ParseError(f"file too large (more than {MAX_DOCUMENT} characters)", 1, 1, source)
    where = _Lines(text)
    latex = re.search(r"\\documentclass|\\begin\s*\{document\}", text) is not None
    masked = text
    if not latex:
        masked = _blank(masked, _fences(masked))
        blank_lines = [m.start() for m in _BLANK_LINE.finditer(masked)]
        masked = _blank(masked, _code_spans(masked, blank_lines))
    comments = _comments(masked, latex)
    assumptions = _assumptions(masked, [] if latex else comments)
    masked = _blank(masked, sorted(comments + [span for _, _, span in assumptions]))
    blank_lines = [m.start() for m in _BLANK_LINE.finditer(masked)]
    i = 0
    if latex:  # math lives in the body
        body = re.search(r"\\begin\s*\{document\}", masked)
        i = body.end() if body else 0
        end = re.search(r"\\end\s*\{document\}", masked)
        masked = masked[: end.start()] if end else masked
    inline = _Inline(masked, not latex, blank_lines)
    blocks: list[MathBlock] = []
    while (m := _OPEN.search(masked, i)) is not None:
        opener, begin = m.group(), m.end()
        if _escaped(masked, m.start()):
            i = m.start() + 1
            continue
        if opener == "$":
            close = inline.end(m.start())
            if close == -1:
                if latex:
                    raise ParseError(
                        "'$' is never closed (or a blank line comes first)",
                        *where(m.start()),
                        source,
                    )
                i = begin
                continue
            kind, after = "$", close + 1
        else:
            kind = m.group(1) or opener
            close, after = _display_end(masked, opener, kind, begin)
            if close == -1:
                raise ParseError(f"'{opener}' is never closed", *where(m.start()), source)
            if kind.startswith("alignat"):
                arg = re.match(r"\s*\{\d+\}", masked[begin:close])
                begin += arg.end() if arg else 0
        content = masked[begin:close]
        inner = _INNER_ENV.fullmatch(content) if kind in ("$$", "\\[") else None
        if inner:
            kind, begin, content = inner.group(1), begin + inner.start(2), inner.group(2)
        blocks.append(MathBlock(content, *where(begin), kind))
        i = after
    return Document(
        tuple(blocks),
        tuple((a, where(o)[0]) for a, o, _ in assumptions if a),
        tuple(where(o) for a, o, _ in assumptions if a),
    )
