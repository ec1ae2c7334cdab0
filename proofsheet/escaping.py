"""Prose for the target format: escaped for LaTeX or Markdown, Unicode math set as math.

Prose in a sheet is the student-facing text of derivations; it is printed,
never executed. For LaTeX every special character is escaped and runs of
Unicode math (Greek, operators, primes, sub/superscripts, ``ŷ``) are wrapped in
``\\ensuremath``, since the text font lacks them; for Markdown the characters
that would start markup are escaped.

>>> tex_escape(r"50% of {x} & \\input")
'50\\\\% of \\\\{x\\\\} \\\\& \\\\textbackslash{}input'
>>> tex_escape("σ'(x) ≤ 1/4")
"\\\\ensuremath{σ'}(x) \\\\ensuremath{≤} 1/4"
>>> tex_escape("y⁽ᵏ⁾")
'y\\\\ensuremath{{}^{(k)}}'
"""

from __future__ import annotations

import re
import unicodedata

from .errors import ProofsheetError

_TEX_SPECIALS = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&",
                 "#": r"\#", "_": r"\_", "$": r"\$", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}"}
_TEX_PATTERN = re.compile("|".join(re.escape(c) for c in _TEX_SPECIALS))
_MD_PATTERN = re.compile(r"([\\`*_{}\[\]<>#|$])")
#: Unicode blocks whose characters prose shows as math (the text font lacks them; the math font has them).
_MATH_BLOCKS = ((0x0370, 0x03FF), (0x2032, 0x2034), (0x2713, 0x2713), (0x2100, 0x214F), (0x2190, 0x21FF), (0x2200, 0x22FF),
                (0x2300, 0x23FF), (0x27C0, 0x27EF), (0x2980, 0x2AFF), (0x1D400, 0x1D7FF))
_ACCENTS = {"\u0302": r"\hat", "\u0304": r"\bar"}   # ŷ, ȳ: accents that mark math, not words


def _script(char: str) -> tuple[str, str] | None:
    """('^', base) for a superscript character, ('_', base) for a subscript, else None."""
    tag, _, code = unicodedata.decomposition(char).partition(" ")
    if tag in ("<super>", "<sub>") and code:
        return ("^" if tag == "<super>" else "_"), chr(int(code, 16))
    return None


def _math_piece(text: str, i: int) -> tuple[str, int] | None:
    """The math form of the character(s) at ``text[i]``, or None for plain prose."""
    char = text[i]
    parts = unicodedata.decomposition(char).split()
    if len(parts) == 2 and not parts[0].startswith("<"):          # a letter with an accent: ŷ = y + ◌̂
        base, mark = (chr(int(p, 16)) for p in parts)
        if mark in _ACCENTS and base.isascii() and base.isalpha():
            return f"{_ACCENTS[mark]}{{{base}}}", i + 1
    if char.isascii() and char.isalpha() and text[i + 1:i + 2] in _ACCENTS:
        return f"{_ACCENTS[text[i + 1]]}{{{char}}}", i + 2
    if any(lo <= ord(char) <= hi for lo, hi in _MATH_BLOCKS):
        return char, i + 1
    return None


def _math_run(text: str, i: int) -> tuple[str, int]:
    """Math for the run of symbols, primes and sub/superscripts starting at ``text[i]``."""
    parts: list[str] = []
    while i < len(text):
        script = _script(text[i])
        if script:
            kind, j, chars = script[0], i, []
            while j < len(text) and (s := _script(text[j])) and s[0] == kind:
                chars.append(s[1])
                j += 1
            parts.append(("" if parts else "{}") + f"{kind}{{{''.join(chars)}}}")
            i = j
        elif parts and text[i] == "'":
            parts.append("'")
            i += 1
        elif piece := _math_piece(text, i):
            parts.append(piece[0])
            i = piece[1]
        else:
            break
    return "".join(parts), i


_CARET = re.compile(r"\^\(((?:[^()]|\([^()]*\))*)\)")


def tex_escape(text: str) -> str:
    """Prose for LaTeX: every special character printed, none executed; Unicode math set as math.

    ``^(…)`` in prose (``e^(−x)``) is set as a superscript of what the brackets hold.
    """
    parts, position = [], 0
    for match in _CARET.finditer(text):
        parts.append(_escape_run(text[position:match.start()]))
        parts.append(rf"\textsuperscript{{{_escape_run(match.group(1))}}}")
        position = match.end()
    return "".join(parts) + _escape_run(text[position:])


def _escape_run(text: str) -> str:
    out, plain, i = [], [], 0
    while i < len(text):
        if _script(text[i]) or _math_piece(text, i):
            out.append(_TEX_PATTERN.sub(lambda m: _TEX_SPECIALS[m.group(0)], "".join(plain)))
            plain = []
            math, i = _math_run(text, i)
            out.append(rf"\ensuremath{{{math}}}")
        else:
            plain.append(text[i])
            i += 1
    out.append(_TEX_PATTERN.sub(lambda m: _TEX_SPECIALS[m.group(0)], "".join(plain)))
    return "".join(out)


def md_escape(text: str) -> str:
    """Prose for Markdown: characters that would start markup are escaped."""
    return _MD_PATTERN.sub(r"\\\1", text)


def math_text(text: str) -> str:
    """Words inside ``\\text{…}`` of a Markdown formula: refused if MathJax would read them as TeX."""
    if re.search(r"[\\{}$^_%#&~]", text):
        raise ProofsheetError(f"cannot put {text!r} inside \\text{{}} in Markdown math")
    return text
