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

A name a student typed (a symbol or function name, printed by SymPy's printer)
keeps only the commands on an allow-list; any other command is printed, not run:

>>> math_name(r"x_{\\input{/etc/passwd}}")
'x_{\\\\backslash{}\\\\mathrm{input}{/etc/passwd}}'
>>> math_name(r"\\hat{y}_{\\sigma} % x^^5c")
'\\\\hat{y}_{\\\\sigma} \\\\char37{} x^{}{}^5c'
"""

from __future__ import annotations

import re
import unicodedata

import sympy as sp
from sympy.printing.latex import accepted_latex_functions, greek_letters_set, other_symbols

from ..kernel.errors import ProofsheetError
from .printing import RELATION_LATEX, SheetLatexPrinter

_TEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "$": r"\$",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}
_TEX_PATTERN = re.compile("|".join(re.escape(c) for c in _TEX_SPECIALS))
_MD_PATTERN = re.compile(r"([\\`*_{}\[\]<>#|$])")
#: Unicode blocks whose characters prose shows as math
#: (the text font lacks them; the math font has them).
_MATH_BLOCKS = (
    (0x0370, 0x03FF),
    (0x2032, 0x2034),
    (0x2713, 0x2713),
    (0x2100, 0x214F),
    (0x2190, 0x21FF),
    (0x2200, 0x22FF),
    (0x2300, 0x23FF),
    (0x27C0, 0x27EF),
    (0x2980, 0x2AFF),
    (0x1D400, 0x1D7FF),
)
_ACCENTS = {"\u0302": r"\hat", "\u0304": r"\bar"}  # ŷ, ȳ: accents that mark math, not words


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
    if len(parts) == 2 and not parts[0].startswith("<"):  # a letter with an accent: ŷ = y + ◌̂
        base, mark = (chr(int(p, 16)) for p in parts)
        if mark in _ACCENTS and base.isascii() and base.isalpha():
            return f"{_ACCENTS[mark]}{{{base}}}", i + 1
    if char.isascii() and char.isalpha() and text[i + 1 : i + 2] in _ACCENTS:
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


class Markup(str):
    """Text already in the target format (escaped prose with printed math): not escaped again."""


def tex_escape(text: str) -> str:
    """Prose for LaTeX: every special character printed, none executed; Unicode math set as math.

    ``^(…)`` in prose (``e^(−x)``) is set as a superscript of what the brackets hold.
    """
    if isinstance(text, Markup):
        return text
    parts, position = [], 0
    for match in _CARET.finditer(text):
        parts.append(_escape_run(text[position : match.start()]))
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
    if isinstance(text, Markup):
        return text
    return _MD_PATTERN.sub(r"\\\1", text)


def math_text(text: str) -> str:
    """Words inside ``\\text{…}`` of a Markdown formula; refused if MathJax reads them as TeX."""
    if re.search(r"[\\{}$^_%#&~]", text):
        raise ProofsheetError(f"cannot put {text!r} inside \\text{{}} in Markdown math")
    return text


# --- names a student typed, inside printed math ---------------------------------------------

#: Commands a name may hold: letters, accents and fonts, and the printer's own wrappers.
MATH_NAME_COMMANDS = frozenset(
    greek_letters_set
    | {g.capitalize() for g in greek_letters_set}
    | other_symbols
    | set(accepted_latex_functions)
    | {
        "varepsilon",
        "varkappa",
        "varphi",
        "varpi",
        "varrho",
        "varsigma",
        "vartheta",
        "digamma",
        "mathring",
        "ddddot",
        "dddot",
        "ddot",
        "dot",
        "check",
        "breve",
        "acute",
        "grave",
        "tilde",
        "hat",
        "bar",
        "vec",
        "widehat",
        "widetilde",
        "overline",
        "underline",
        "boldsymbol",
        "bm",
        "mathcal",
        "mathscr",
        "mathfrak",
        "mathrm",
        "mathit",
        "mathbf",
        "mathsf",
        "mathtt",
        "mathbb",
        "operatorname",
        "text",
        "left",
        "right",
        "langle",
        "rangle",
        "prime",
        "infty",
        "partial",
        "nabla",
        "star",
        "ast",
        "dagger",
        "circ",
        "cdot",
        "ldots",
        "cdots",
        "dots",
    }
)
#: Control symbols a name may hold (spacing, and escaped specials).
_SAFE_SYMBOLS = frozenset(",;:! {}_#$&|")
#: Characters TeX would interpret, as they are printed instead (by target format).
#: (``%`` as ``\char37``: SymPy's printer %-formats function names, and no ``%`` may remain.)
_NAME_SPECIALS = {"#": r"\#", "$": r"\$", "%": r"\char37{}", "&": r"\&", "~": r"\sim{}"}
_MD_NAME_SPECIALS = {"<": r"\lt{}", ">": r"\gt{}"}
_NAME_TOKEN = re.compile(r"\\[A-Za-z]+|\\.?|.", re.S)
#: Primitives that read, write, run or redefine; never in a written sheet (a last check).
_FORBIDDEN = re.compile(
    r"\\(?:input|include|includegraphics|openin|openout|read|readline|write"
    r"|immediate|csname|catcode|def|edef|gdef|xdef|let|special|directlua"
    r"|usepackage|endinput|scantokens)(?![A-Za-z])|\^\^"
)


def math_name(tex: str, fmt: str = "tex") -> str:
    """TeX for a name typed by a student: every command off :data:`MATH_NAME_COMMANDS`
    and every special character is printed, not interpreted."""
    out = [_name_token(token, fmt) for token in _NAME_TOKEN.findall(tex)]
    if _unbalanced("".join(t for t in out if t in "{}")):
        out = [r"\{" if t == "{" else r"\}" if t == "}" else t for t in out]
    text = "".join(out)
    while "^^" in text:  # ^^5c is TeX's way to write a backslash
        text = text.replace("^^", "^{}{}^")
    return text


def _name_token(token: str, fmt: str) -> str:
    if token.startswith("\\") and len(token) > 1:
        word = token[1:]
        if word in MATH_NAME_COMMANDS or (len(word) == 1 and word in _SAFE_SYMBOLS):
            return token
        shown = rf"\mathrm{{{word}}}" if word.isalpha() else _name_char(word, fmt)
        return r"\backslash{}" + shown
    if token == "\\":
        return r"\backslash{}"
    return _name_char(token, fmt)


def _name_char(char: str, fmt: str) -> str:
    if unicodedata.category(char) == "Cc":
        return ""
    specials = {**_NAME_SPECIALS, **(_MD_NAME_SPECIALS if fmt == "md" else {})}
    return specials.get(char, char)


def _unbalanced(braces: str) -> bool:
    depth = 0
    for brace in braces:
        depth += 1 if brace == "{" else -1
        if depth < 0:
            return True
    return depth != 0


class _StudentPrinter(SheetLatexPrinter):
    """The sheet printer, with every symbol and function name passed through :func:`math_name`."""

    def __init__(self, fmt: str):
        super().__init__()
        self.fmt = fmt

    def _print_Symbol(self, expr, style="plain") -> str:
        return math_name(super()._print_Symbol(expr, style=style), self.fmt)

    def _hprint_Function(self, func: str) -> str:
        return math_name(super()._hprint_Function(func), self.fmt)


def forbidden_tex(tex: str) -> str | None:
    """The first primitive in ``tex`` that could read, write or run something, if any."""
    found = _FORBIDDEN.search(tex)
    return found[0] if found else None


def student_math(lhs: sp.Basic, rel: str, rhs: sp.Basic, fmt: str = "tex") -> str:
    """A student's step as display math, typeset from the parsed SymPy objects.

    Names are the only text of the student's that reaches the printer's output; they are
    made safe by :func:`math_name`, and the result is checked once more for primitives
    that read, write or run anything.
    """
    printer = _StudentPrinter(fmt)
    tex = f"{printer.doprint(lhs)} {RELATION_LATEX.get(rel, ':=')} {printer.doprint(rhs)}"
    if forbidden := forbidden_tex(tex):
        raise ProofsheetError(f"refusing to write a formula holding {forbidden}")
    return tex
