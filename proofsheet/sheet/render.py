"""Render checked derivations into answer sheets through Jinja2 templates.

Each block of a derivation is turned into a small view (a dict) by a
``visit_<Block>`` method; the templates only lay the views out.  Every
formula comes from the checked SymPy objects through
:mod:`proofsheet.sheet.printing` and is laid out by :mod:`proofsheet.sheet.displayrows`;
prose is escaped for the target format by :mod:`proofsheet.sheet.escaping`, and the
words of the sheet itself come from :mod:`proofsheet.sheet.sheetwords`, in every
language (a missing one is :class:`~proofsheet.kernel.errors.TranslationMissing`,
naming it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import jinja2

from ..kernel import Prop
from ..kernel.dispatch import Dispatch
from ..kernel.errors import ProofsheetError, TranslationMissing
from ..record.verdicts import short_number
from .derivation import (
    BRIEF,
    DETAIL,
    Chain,
    Claim,
    Derivation,
    Display,
    Figure,
    Mistake,
    Prose,
    Step,
    Text,
)
from .displayrows import LINE_EM, display_rows, entry_rows, note_width
from .escaping import Markup, math_text, md_escape, tex_escape
from .printing import latex, relation, width
from .sheetwords import (
    MARKS,
    QUESTIONS,
    RULE_NAMES,
    TEMPLATES,
    UI,
    WORDS,
    placement,
)


class _Fields(dict):
    """Placeholders that a sheet has no value for stay as they are."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def figure_folder(language: str) -> str:
    """Where a language's figures sit inside the figures folder: English at its top."""
    return "" if language == "en" else f"{language}/"


#: ``{name}`` in prose: the formula ``name`` of the text's ``math``.
_PLACEHOLDER = re.compile(r"\{(\w+)\}")

#: The two documents per language: the hand-out, and every checked step in full.
ANSWERS, PROOFS = "answers", "proofs"

#: Markdown math flavour -> (display open, display close, inline open, inline close).
MARKDOWN_MATH = {"github": ("```math", "```", "$`", "`$"), "dollars": ("$$", "$$", "$", "$")}


@dataclass(frozen=True)
class SheetConfig:
    """What a rendered sheet says about itself."""

    language: str = "en"
    date: str = "1970-01-01"
    version: str = "0"
    assignment: str = "A2"
    figures: str = "figures"
    #: Markdown math: "github" (```math blocks and $`…`$, which GitHub's parser keeps intact)
    #: or "dollars" ($$ … $$ and $…$, for Jupyter)
    markdown_math: str = "github"


class SheetRenderer:
    """Visits derivation blocks by type and renders the sheet templates.

    Steps are numbered through the sheet in the order they are visited; the
    number ties a formula to its justification under the derivation.
    """

    def __init__(self, config: SheetConfig, document: str = PROOFS):
        self.config, self.document, self.fmt = config, document, "md"
        self.numbers: dict[int, int] = {}  # id(step) -> its number in the proofs document
        self.abbreviations: list = []  # (expression, name) of the derivation being rendered

    def text(self, text: Text, key: str) -> str:
        """The prose in this language, escaped, with its ``{name}`` formulas printed as math."""
        words = text.get(self.config.language, key)
        if not text.math:
            return words
        escape = tex_escape if self.fmt == "tex" else md_escape
        opening, closing = ("$", "$") if self.fmt == "tex" else self.delimiters[2:]
        pieces = _PLACEHOLDER.split(words)
        out = [escape(piece) for piece in pieces[::2]]
        for k, name in enumerate(pieces[1::2]):
            if name not in text.math:
                raise ProofsheetError(f"{key}: the prose names {{{name}}} but gives no formula")
            out.insert(2 * k + 1, opening + latex(self.shorten(text.math[name])) + closing)
        return Markup("".join(out))

    @property
    def delimiters(self) -> tuple[str, str, str, str]:
        return MARKDOWN_MATH[self.config.markdown_math]

    def word(self, key: str, **fields: object) -> str:
        """A word of the sheet itself, from :data:`UI`."""
        if key not in UI:
            raise TranslationMissing(f"no sheet text ui.{key} in templates/words.toml")
        return UI[key].get(self.config.language, f"ui.{key}").format_map(_Fields(fields))

    def rule(self, name: str) -> str:
        if name not in RULE_NAMES:
            raise TranslationMissing(
                f"no name for kernel rule {name!r} (add [rule.{name}] to templates/words.toml)"
            )
        return RULE_NAMES[name].get(self.config.language, f"rule.{name}")

    # -- steps as rows of an aligned display (laid out by proofsheet.sheet.displayrows) ------------

    rows = staticmethod(display_rows)
    entry_rows = staticmethod(entry_rows)

    def number_steps(self, derivations: list[Derivation]) -> None:
        """Number every step in the order the proofs document shows them (the hand-out's refs)."""
        ordered = [d for section in self.placed(derivations).values() for d in section]
        steps = [s for d in ordered for s in d.steps]
        self.numbers = {id(step): n for n, step in enumerate(steps, 1)}

    def number(self, step: Step) -> int:
        if id(step) not in self.numbers:
            self.numbers[id(step)] = len(self.numbers) + 1
        return self.numbers[id(step)]

    def tag(self, step: Step, last: Step | None = None) -> dict:
        """A step's margin note; with ``last``, the note of a brief chain from ``step`` on."""
        v = step.verdict
        first = self.number(step)
        final = self.number(last) if last is not None else first
        return {
            "status": v.status,
            "rule": self.rule(v.rule) if v.ok else self.word(v.status),
            "number": first,
            "ref": f"{first}" if final == first else f"{first}\u2013{final}",
        }

    def shorten(self, expr, keep: object = None):
        """``expr`` with the current derivation's abbreviations shown by name, except ``keep``'s."""
        names = {e: n for e, n in self.abbreviations if e is not keep}
        return expr.xreplace(names) if names else expr

    def relation(self, prop: Prop) -> str:
        """``lhs rel rhs`` as inline math, with the derivation's abbreviations shown by name."""
        return relation(self.shorten(prop.lhs), prop.rel, self.shorten(prop.rhs))

    def brief_view(self, block: Chain, key: str) -> dict:
        """A chain as its first and last term, related as the kernel's chained theorem says."""
        theorem = block.theorem
        if theorem is None:  # an unverified link is shown in full, never summarised away
            return self.steps_view(block.start, block.steps, block.assumptions, key)
        tag = self.tag(block.steps[0], block.steps[-1])
        rel = theorem.prop.rel
        rows, hanging = self.rows(self.shorten(block.start), [(rel, self.shorten(block.last), tag)])
        return {**self._steps_frame(rows, hanging, block.assumptions), "whys": []}

    def _steps_frame(self, rows, hanging, assumptions) -> dict:
        return {
            "kind": "steps",
            "rows": rows,
            "hanging": hanging,
            "assumptions": [self.relation(a) for a in assumptions],
        }

    def steps_view(self, start, steps: list[Step], assumptions: tuple[Prop, ...], key: str) -> dict:
        tags = [self.tag(s) for s in steps]
        rows, hanging = self.rows(
            self.shorten(start),
            [
                (s.verdict.prop.rel, self.shorten(s.verdict.prop.rhs), t)
                for s, t in zip(steps, tags)
            ],
        )
        whys = []
        for i, (step, tag) in enumerate(zip(steps, tags)):
            words = self.text(step.why, f"{key}.{i}") if step.why else ""
            if step.verdict.refutation is not None:
                point = ", ".join(
                    f"{latex(k)} = {latex(v)}" for k, v in step.verdict.refutation.point
                )
                whys.append({"number": tag["number"], "text": words, "counterexample": point})
            elif words:
                whys.append({"number": tag["number"], "text": words, "counterexample": ""})
        return {**self._steps_frame(rows, hanging, assumptions), "whys": whys}

    # -- blocks, by type ---------------------------------------------------------------------------

    def visit(self, block: object, key: str) -> dict:
        return _VISIT(block)(self, block, key)

    def visit_Prose(self, block: Prose, key: str) -> dict:
        return {"kind": "prose", "text": self.text(block.text, block.key)}

    def visit_Chain(self, block: Chain, key: str) -> dict:
        if self.document == ANSWERS and block.part == BRIEF:
            return self.brief_view(block, key)
        return self.steps_view(block.start, block.steps, block.assumptions, key)

    def visit_Claim(self, block: Claim, key: str) -> dict:
        return self.steps_view(block.step.verdict.prop.lhs, [block.step], block.assumptions, key)

    def visit_Display(self, block: Display, key: str) -> dict:
        rhs = self.shorten(block.rhs, keep=block.rhs if block.abbreviation else None)
        rows, hanging = self.rows(
            block.lhs if block.abbreviation else self.shorten(block.lhs), [("=", rhs, None)]
        )
        why = self.text(block.why, key) if block.why else ""
        room = LINE_EM - 3 - max(width(r["left"] + r["right"]) for r in rows)
        return {
            "kind": "display",
            "rows": rows,
            "hanging": hanging,
            "why": why,
            "note_beside": bool(why) and note_width(why) <= room,
        }

    def visit_Figure(self, block: Figure, key: str) -> dict:
        return {
            "kind": "figure",
            "name": block.name,
            "caption": self.text(block.caption, block.key),
            "alt": self.word("figure_alt", name=block.name),
            "path": f"{self.config.figures}/{figure_folder(self.config.language)}{block.name}",
        }

    # -- the sheet ---------------------------------------------------------------------------------

    def shown(self, block: object) -> bool:
        """Whether this document shows the block: the proofs show all, the hand-out its answer."""
        return self.document == PROOFS or getattr(block, "part", DETAIL) != DETAIL

    def derivation_view(self, d: Derivation, section: str = "") -> dict:
        self.abbreviations = d.abbreviations
        return {
            "id": d.id,
            "question": d.question,
            "title": self.text(d.title, f"{d.id}.title"),
            "tag": d.question if d.question != section else "",
            "blocks": [
                self.visit(b, f"{d.id}.{i}") for i, b in enumerate(d.blocks) if self.shown(b)
            ],
            "steps": len(d.steps),
            "verified": sum(s.verdict.ok for s in d.steps),
            "first": True,  # the first derivation under its section's heading
            "mistakes": [
                self.mistake_view(m, f"{d.id}.mistake.{i}") for i, m in enumerate(d.mistakes)
            ],
        }

    def mistake_view(self, mistake: Mistake, key: str) -> dict:
        """A slip of the sample answer: where, the wrong line, why, and the refuting point."""
        view = {
            "where": self.text(mistake.where, f"{key}.where"),
            "why": self.text(mistake.why, f"{key}.why"),
            "line": "",
            "assuming": "",
            "counterexample": "",
        }
        refutation = mistake.verdict.refutation if mistake.verdict is not None else None
        if refutation is not None:
            view["line"] = self.relation(refutation.prop)
            view["assuming"] = ", ".join(map(self.relation, mistake.assumptions))
            point = ", ".join(f"{latex(k)} = {latex(v)}" for k, v in refutation.point)
            sides = (short_number(refutation.lhs_value, 4), short_number(refutation.rhs_value, 4))
            view["counterexample"] = point
            view["sides"] = [latex_number(value) for value in sides]
        return view

    @staticmethod
    def placed(derivations: list[Derivation]) -> dict[str, list[Derivation]]:
        """The derivations by section, in the assignment's order (see :func:`placement`)."""
        placed: dict[str, list[Derivation]] = {}
        for d in sorted(derivations, key=lambda d: placement(d.question)[0]):
            placed.setdefault(placement(d.question)[1], []).append(d)
        return placed

    def sections(self, derivations: list[Derivation]) -> list[dict]:
        """One section per question, in the assignment's order; the hand-out keeps answered ones."""
        views = []
        for section, members in self.placed(derivations).items():
            if self.document == ANSWERS:
                members = [d for d in members if any(map(self.shown, d.blocks)) or d.mistakes]
                if not members:
                    continue
            if section in QUESTIONS:
                heading = self.text(QUESTIONS[section], f"question.{section}")
                ask = WORDS["ask"].get(section)
                ask_text = self.text(ask, f"question.{section}.ask") if ask else ""
            else:
                heading, ask_text = (
                    self.word("extra_heading" if section == "extra" else "shared_heading"),
                    "",
                )
            shown = [
                {**self.derivation_view(d, section), "first": i == 0} for i, d in enumerate(members)
            ]
            views.append(
                {
                    "id": "" if section == "extra" else section,
                    "heading": heading,
                    "ask": ask_text,
                    "derivations": shown,
                    "mistakes": [m for d in shown for m in d["mistakes"]],
                }
            )
        return views

    def environment(self, fmt: str) -> jinja2.Environment:
        options = dict(
            loader=jinja2.FileSystemLoader(str(TEMPLATES)),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        if fmt == "tex":  # LaTeX-friendly delimiters: braces and % stay LaTeX's
            options.update(
                block_start_string=r"\BLOCK{",
                block_end_string="}",
                variable_start_string=r"\VAR{",
                variable_end_string="}",
                comment_start_string=r"\#{",
                comment_end_string="}",
                line_statement_prefix="%%",
                line_comment_prefix="%#",
            )
        env = jinja2.Environment(autoescape=False, **options)
        env.filters["prose"] = tex_escape if fmt == "tex" else md_escape
        env.filters["mathtext"] = tex_escape if fmt == "tex" else math_text
        env.globals["delimiters"] = self.delimiters
        env.globals["document"] = self.document
        env.globals["proofs_pdf"] = f"{PROOFS}.{self.config.language}.pdf"
        return env

    def render(self, derivations: list[Derivation], fmt: str, summary: dict) -> str:
        self.fmt = fmt
        self.number_steps(derivations)
        self.abbreviations: list = []  # (expression, name) of the derivation being rendered
        sections = self.sections(derivations)
        template = self.environment(fmt).get_template(f"{self.document}.{fmt}.j2")
        table = [
            {
                "id": d.id,
                "title": self.text(d.title, f"{d.id}.title"),
                "question": d.question,
                "steps": len(d.steps),
                "verified": sum(s.verdict.ok for s in d.steps),
            }
            for d in derivations
        ]
        return template.render(
            config=self.config,
            sections=sections,
            summary=summary,
            marks=MARKS,
            ui=self.ui(summary),
            derivation_table=table,
            rules=[(self.rule(name), count) for name, count in summary["rules"]],
        )

    def ui(self, summary: dict) -> dict:
        """Every word of the sheet in this language, with the summary's numbers filled in."""
        fields = {
            **summary,
            "date": self.config.date,
            "version": self.config.version,
            "assignment": self.config.assignment,
            "proofs": f"{PROOFS}.{self.config.language}.{'pdf' if self.fmt == 'tex' else 'md'}",
        }
        return {key: self.word(key, **fields) for key in UI}


def latex_number(value: str) -> str:
    """A value of a counterexample as math: a true minus sign, a fraction as a fraction."""
    if "/" in value:
        top, bottom = value.lstrip("-").split("/", 1)
        return ("-" if value.startswith("-") else "") + rf"\frac{{{top}}}{{{bottom}}}"
    return value


#: block -> ``SheetRenderer.visit_<its type>``; a block type with no visitor is an error.
_VISIT = Dispatch(
    "visit_",
    lambda name: getattr(SheetRenderer, name, None),
    ProofsheetError,
    "no renderer for a {type} block",
)


def derivation_markdown(d: Derivation, language: str = "en") -> str:
    """One derivation as Markdown (used for notebooks)."""
    renderer = SheetRenderer(SheetConfig(language=language, markdown_math="dollars"))
    view = renderer.derivation_view(d)
    template = renderer.environment("md").get_template("derivation.md.j2")
    return template.render(d=view, config=renderer.config, marks=MARKS, ui=renderer.ui({}))


def derivation_latex(d: Derivation, language: str = "en") -> str:
    """The checked steps of one derivation as display math with their marks (for notebooks).

    >>> from proofsheet.sheet.derivation import Derivation, Text
    >>> derivation_latex(Derivation("empty", "Q0", Text(en="Empty", zh="空")))
    ''
    """
    renderer = SheetRenderer(SheetConfig(language=language, markdown_math="dollars"))
    view = renderer.derivation_view(d)
    macros = renderer.environment("md").get_template("math.md.j2").module
    blocks = [
        macros.aligned(b, marks=MARKS).strip() for b in view["blocks"] if b["kind"] == "steps"
    ]
    return "\n".join(blocks)


Derivation.DISPLAY.update(markdown=derivation_markdown, latex=derivation_latex)
