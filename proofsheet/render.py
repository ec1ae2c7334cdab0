"""Render checked derivations into answer sheets through Jinja2 templates.

Each block of a derivation is turned into a small view (a dict) by a
``visit_<Block>`` method; the templates only lay the views out.  Every
formula comes from the checked SymPy objects through
:mod:`proofsheet.printing`; prose is escaped for the target format, and the
words of the sheet itself come from the tables below, in every language
(a missing one is :class:`~proofsheet.errors.TranslationMissing`, naming it).

>>> tex_escape(r"50% of {x} & \\input")
'50\\\\% of \\\\{x\\\\} \\\\& \\\\textbackslash{}input'
>>> tex_escape("σ'(x) ≤ 1/4")
"\\\\ensuremath{σ'}(x) \\\\ensuremath{≤} 1/4"
>>> tex_escape("y⁽ᵏ⁾")
'y\\\\ensuremath{{}^{(k)}}'
"""

from __future__ import annotations

import itertools
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import jinja2
import sympy as sp

from .derivation import Chain, Claim, Derivation, Display, Figure, Prose, Step, Text
from .errors import ProofsheetError, TranslationMissing
from .kernel import Prop
from .printing import RELATION_LATEX, fit_lines, latex, width

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
MARKS = {"verified": "✓", "refuted": "✗", "undecided": "?"}
#: Usable width of a display line in em (A4, 2.2 cm margins, 11 pt), and of a step's margin note.
LINE_EM = 42.0

_TEX_SPECIALS = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&",
                 "#": r"\#", "_": r"\_", "$": r"\$", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}"}
_TEX_PATTERN = re.compile("|".join(re.escape(c) for c in _TEX_SPECIALS))
_MD_PATTERN = re.compile(r"([\\`*_{}\[\]<>#|$])")
#: Unicode blocks whose characters prose shows as math (the text font lacks them; the math font has them).
_MATH_BLOCKS = ((0x0370, 0x03FF), (0x2032, 0x2034), (0x2713, 0x2713), (0x2100, 0x214F), (0x2190, 0x21FF), (0x2200, 0x22FF),
                (0x2300, 0x23FF), (0x27C0, 0x27EF), (0x2980, 0x2AFF), (0x1D400, 0x1D7FF))
_ACCENTS = {"\u0302": r"\hat", "\u0304": r"\bar"}   # ŷ, ȳ: accents that mark math, not words


def load_words(path: Path = TEMPLATES / "words.toml") -> dict[str, dict[str, Text]]:
    """The sheet's own words (``templates/words.toml``): ``{table: {key: Text}}``."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    words: dict[str, dict[str, Text]] = {"ui": {}, "rule": {}, "question": {}, "ask": {}}
    for table in ("ui", "rule", "question"):
        for key, entry in data.get(table, {}).items():
            words[table][key] = Text(en=entry.get("en", ""), zh=entry.get("zh", ""))
            if "ask" in entry:
                words["ask"][key] = Text(en=entry["ask"].get("en", ""), zh=entry["ask"].get("zh", ""))
    return words


WORDS = load_words()
UI, RULE_NAMES, QUESTIONS = WORDS["ui"], WORDS["rule"], WORDS["question"]
#: The assignment's questions in its order; a derivation goes under the first one its tag names.
QUESTION_ORDER = list(QUESTIONS)


def placement(tag: str) -> tuple[float, str]:
    """(sort key, section) of a derivation tagged ``tag``: "Q1.2", "Q1.2 / Q3", "Q1 / Q2" or anything else.

    A tag whose first id is a question of the assignment goes in that question's
    section; a tag naming a whole question ("Q1 / Q2") gets its own section after
    that question's last part; anything else goes to a closing section.

    >>> placement("Q1.2 / Q3"), placement("Q1 / Q2"), placement("softmax")
    ((1.0, 'Q1.2'), (1.5, 'Q1 / Q2'), (7.0, 'extra'))
    """
    ids = re.findall(r"Q\d+(?:\.\d+)?", tag)
    if not ids:
        return float(len(QUESTION_ORDER)), "extra"
    if ids[0] in QUESTION_ORDER:
        return float(QUESTION_ORDER.index(ids[0])), ids[0]
    parts = [i for i, q in enumerate(QUESTION_ORDER) if q.startswith(ids[0] + ".")]
    if parts:
        return parts[-1] + 0.5, tag.strip()
    return float(len(QUESTION_ORDER)), "extra"


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


def _margin(tag: dict | None) -> float:
    """Width in em that a step's margin note takes from its last line."""
    return 0.45 * len(tag["rule"]) + 3.0 if tag else 0.0


def _note_width(text: str) -> float:
    """Estimated width in em of a footnote-size note (CJK characters are square)."""
    return sum(0.82 if unicodedata.east_asian_width(c) in "WF" else 0.42 for c in text)


def _too_big(expr: object) -> bool:
    """A matrix whose entries would each need more than two lines if shown as a matrix."""
    if not isinstance(expr, sp.MatrixBase) or expr.cols * expr.rows == 1:
        return False
    budget = (LINE_EM - 4) / expr.cols
    return max(width(latex(e)) for e in expr) > 2.5 * budget


def _entry_lines(expr: object, i: int, j: int, budget: float) -> list[str]:
    """Entry (i, j) of ``expr``: the entry itself for a matrix, else ``[expr]_{ij}``."""
    if isinstance(expr, sp.MatrixBase):
        return fit_lines(expr[i, j], budget)
    return [rf"\left[{latex(expr)}\right]_{{{i + 1}{j + 1}}}"]


class _Fields(dict):
    """Placeholders that a sheet has no value for stay as they are."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True)
class SheetConfig:
    """What a rendered sheet says about itself."""

    language: str = "en"
    date: str = "1970-01-01"
    version: str = "0"
    assignment: str = "A2"
    figures: str = "figures"


class SheetRenderer:
    """Visits derivation blocks by type and renders the sheet templates.

    Steps are numbered through the sheet in the order they are visited; the
    number ties a formula to its justification under the derivation.
    """

    def __init__(self, config: SheetConfig):
        self.config = config
        self.number = 0

    def text(self, text: Text, key: str) -> str:
        return text.get(self.config.language, key)

    def word(self, key: str, **fields: object) -> str:
        """A word of the sheet itself, from :data:`UI`."""
        if key not in UI:
            raise TranslationMissing(f"no sheet text ui.{key} in templates/words.toml")
        return UI[key].get(self.config.language, f"ui.{key}").format_map(_Fields(fields))

    def rule(self, name: str) -> str:
        if name not in RULE_NAMES:
            raise TranslationMissing(f"no name for kernel rule {name!r} (add [rule.{name}] to templates/words.toml)")
        return RULE_NAMES[name].get(self.config.language, f"rule.{name}")

    # -- steps as rows of an aligned display -------------------------------------------------------

    def tag(self, step: Step) -> dict:
        self.number += 1
        v = step.verdict
        return {"status": v.status, "rule": self.rule(v.rule) if v.ok else self.word(v.status), "number": self.number}

    def rows(self, start: object, links: list[tuple[str, object, dict | None]]) -> tuple[list[dict], bool]:
        """Rows ``start rel₁ t₁ rel₂ t₂ …``, long terms broken; hanging when the start is wide.

        A step between matrices too big to show whole is shown entry by entry.
        """
        start_tex = latex(start)
        if any(_too_big(a) or _too_big(b) for a, b in zip([start] + [t for _, t, _ in links], [t for _, t, _ in links])):
            return self.entry_rows(start, links), True
        hanging = width(start_tex) > 0.4 * LINE_EM
        rows: list[dict] = []
        if hanging:
            rows += [{"left": "", "right": (r"\quad " if k else "") + line, "tag": None}
                     for k, line in enumerate(fit_lines(start, LINE_EM))]
        for n, (rel, term, tag) in enumerate(links):
            indent = 2.0 if hanging else width(start_tex)
            lines = fit_lines(term, LINE_EM - indent - 1.5 - _margin(tag))
            for k, line in enumerate(lines):
                right = (f"{RELATION_LATEX[rel]} " if k == 0 else r"\quad ") + line
                rows.append({"left": start_tex if not hanging and n == 0 and k == 0 else "",
                             "right": (r"\quad " if hanging else "") + right,
                             "tag": tag if k == len(lines) - 1 else None})
        return rows, hanging

    def entry_rows(self, start: object, links: list[tuple[str, object, dict | None]]) -> list[dict]:
        """Each step ``a rel b`` as ``(i, j): a_ij rel b_ij`` for every entry, broken to the line."""
        shape = next(e.shape for e in [start] + [t for _, t, _ in links] if isinstance(e, sp.MatrixBase))
        rows: list[dict] = []
        previous = start
        for rel, term, tag in links:
            for i, j in itertools.product(range(shape[0]), range(shape[1])):
                label = rf"\text{{({i + 1}, {j + 1}):}}\quad "
                left = _entry_lines(previous, i, j, LINE_EM - 4)
                right = _entry_lines(term, i, j, LINE_EM - 5 - _margin(tag))
                rows += [{"left": "", "right": (label if k == 0 else r"\qquad\quad ") + line, "tag": None}
                         for k, line in enumerate(left)]
                rows += [{"left": "", "right": (rf"\qquad {RELATION_LATEX[rel]} " if k == 0 else r"\qquad\quad ")
                          + line, "tag": None} for k, line in enumerate(right)]
            rows[-1]["tag"] = tag
            previous = term
        return rows

    def steps_view(self, start, steps: list[Step], assumptions: tuple[Prop, ...], key: str) -> dict:
        tags = [self.tag(s) for s in steps]
        rows, hanging = self.rows(start, [(s.verdict.prop.rel, s.verdict.prop.rhs, t) for s, t in zip(steps, tags)])
        whys = []
        for i, (step, tag) in enumerate(zip(steps, tags)):
            words = self.text(step.why, f"{key}.{i}") if step.why else ""
            if step.verdict.refutation is not None:
                point = ", ".join(f"{latex(k)} = {latex(v)}" for k, v in step.verdict.refutation.point)
                whys.append({"number": tag["number"], "text": words, "counterexample": point})
            elif words:
                whys.append({"number": tag["number"], "text": words, "counterexample": ""})
        return {"kind": "steps", "rows": rows, "hanging": hanging, "whys": whys,
                "assumptions": [row for a in assumptions for row in self.rows(a.lhs, [(a.rel, a.rhs, None)])[0]]}

    # -- blocks, by type ---------------------------------------------------------------------------

    def visit(self, block: object, key: str) -> dict:
        method = getattr(self, f"visit_{type(block).__name__}", None)
        if method is None:
            raise ProofsheetError(f"no renderer for a {type(block).__name__} block ({key})")
        return method(block, key)

    def visit_Prose(self, block: Prose, key: str) -> dict:
        return {"kind": "prose", "text": self.text(block.text, block.key)}

    def visit_Chain(self, block: Chain, key: str) -> dict:
        return self.steps_view(block.start, block.steps, block.assumptions, key)

    def visit_Claim(self, block: Claim, key: str) -> dict:
        return self.steps_view(block.step.verdict.prop.lhs, [block.step], block.assumptions, key)

    def visit_Display(self, block: Display, key: str) -> dict:
        rows, hanging = self.rows(block.lhs, [("=", block.rhs, None)])
        why = self.text(block.why, key) if block.why else ""
        room = LINE_EM - 3 - max(width(r["left"] + r["right"]) for r in rows)
        return {"kind": "display", "rows": rows, "hanging": hanging, "why": why,
                "note_beside": bool(why) and _note_width(why) <= room}

    def visit_Figure(self, block: Figure, key: str) -> dict:
        return {"kind": "figure", "name": block.name, "caption": self.text(block.caption, block.key),
                "path": f"{self.config.figures}/{block.name}"}

    # -- the sheet ---------------------------------------------------------------------------------

    def derivation_view(self, d: Derivation, section: str = "") -> dict:
        return {"id": d.id, "question": d.question, "title": self.text(d.title, f"{d.id}.title"),
                "tag": d.question if d.question != section else "",
                "blocks": [self.visit(b, f"{d.id}.{i}") for i, b in enumerate(d.blocks)],
                "steps": len(d.steps), "verified": sum(s.verdict.ok for s in d.steps)}

    def sections(self, derivations: list[Derivation]) -> list[dict]:
        """One section per question, in the assignment's order (see :func:`placement`)."""
        placed: dict[str, list[Derivation]] = {}
        for d in sorted(derivations, key=lambda d: placement(d.question)[0]):
            placed.setdefault(placement(d.question)[1], []).append(d)
        views = []
        for section, members in placed.items():
            if section in QUESTIONS:
                heading = self.text(QUESTIONS[section], f"question.{section}")
                ask = WORDS["ask"].get(section)
                ask_text = self.text(ask, f"question.{section}.ask") if ask else ""
            else:
                heading, ask_text = self.word("extra_heading" if section == "extra" else "shared_heading"), ""
            views.append({"id": "" if section == "extra" else section, "heading": heading, "ask": ask_text,
                          "derivations": [self.derivation_view(d, section) for d in members]})
        return views

    def environment(self, fmt: str) -> jinja2.Environment:
        options = dict(loader=jinja2.FileSystemLoader(str(TEMPLATES)), undefined=jinja2.StrictUndefined,
                       keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
        if fmt == "tex":  # LaTeX-friendly delimiters: braces and % stay LaTeX's
            options.update(block_start_string=r"\BLOCK{", block_end_string="}",
                           variable_start_string=r"\VAR{", variable_end_string="}",
                           comment_start_string=r"\#{", comment_end_string="}",
                           line_statement_prefix="%%", line_comment_prefix="%#")
        env = jinja2.Environment(autoescape=False, **options)
        env.filters["prose"] = tex_escape if fmt == "tex" else md_escape
        env.filters["mathtext"] = tex_escape if fmt == "tex" else math_text
        return env

    def render(self, derivations: list[Derivation], fmt: str, summary: dict) -> str:
        self.number = 0
        sections = self.sections(derivations)
        template = self.environment(fmt).get_template(f"answers.{fmt}.j2")
        table = [{"id": d.id, "question": d.question, "steps": len(d.steps),
                  "verified": sum(s.verdict.ok for s in d.steps)} for d in derivations]
        return template.render(config=self.config, sections=sections, summary=summary, marks=MARKS,
                               ui=self.ui(summary), derivation_table=table,
                               rules=[(self.rule(name), count) for name, count in summary["rules"]])

    def ui(self, summary: dict) -> dict:
        """Every word of the sheet in this language, with the summary's numbers filled in."""
        fields = {**summary, "date": self.config.date, "version": self.config.version,
                  "assignment": self.config.assignment}
        return {key: self.word(key, **fields) for key in UI}


def derivation_markdown(d: Derivation, language: str = "en") -> str:
    """One derivation as Markdown (used for notebooks)."""
    renderer = SheetRenderer(SheetConfig(language=language))
    view = renderer.derivation_view(d)
    template = renderer.environment("md").get_template("derivation.md.j2")
    return template.render(d=view, config=renderer.config, marks=MARKS, ui=renderer.ui({}))


def derivation_latex(d: Derivation, language: str = "en") -> str:
    """The checked steps of one derivation as display math with their marks (for notebooks).

    >>> from proofsheet.derivation import Derivation, Text
    >>> derivation_latex(Derivation("empty", "Q0", Text(en="Empty", zh="空")))
    ''
    """
    renderer = SheetRenderer(SheetConfig(language=language))
    view = renderer.derivation_view(d)
    macros = renderer.environment("md").get_template("math.md.j2").module
    blocks = [macros.aligned(b, marks=MARKS).strip() for b in view["blocks"] if b["kind"] == "steps"]
    return "\n".join(blocks)
