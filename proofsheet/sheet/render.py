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

from dataclasses import dataclass

import jinja2

from ..kernel import Prop
from ..kernel.dispatch import Dispatch
from ..kernel.errors import ProofsheetError, TranslationMissing
from .derivation import Chain, Claim, Derivation, Display, Figure, Prose, Step, Text
from .displayrows import LINE_EM, display_rows, entry_rows, note_width
from .escaping import math_text, md_escape, tex_escape
from .printing import latex, width
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

    def __init__(self, config: SheetConfig):
        self.config = config
        self.number = 0
        self.abbreviations: list = []  # (expression, name) of the derivation being rendered

    def text(self, text: Text, key: str) -> str:
        return text.get(self.config.language, key)

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

    def tag(self, step: Step) -> dict:
        self.number += 1
        v = step.verdict
        return {
            "status": v.status,
            "rule": self.rule(v.rule) if v.ok else self.word(v.status),
            "number": self.number,
        }

    def shorten(self, expr, keep: object = None):
        """``expr`` with the current derivation's abbreviations shown by name, except ``keep``'s."""
        names = {e: n for e, n in self.abbreviations if e is not keep}
        return expr.xreplace(names) if names else expr

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
        return {
            "kind": "steps",
            "rows": rows,
            "hanging": hanging,
            "whys": whys,
            "assumptions": [
                row
                for a in assumptions
                for row in self.rows(self.shorten(a.lhs), [(a.rel, self.shorten(a.rhs), None)])[0]
            ],
        }

    # -- blocks, by type ---------------------------------------------------------------------------

    def visit(self, block: object, key: str) -> dict:
        return _VISIT(block)(self, block, key)

    def visit_Prose(self, block: Prose, key: str) -> dict:
        return {"kind": "prose", "text": self.text(block.text, block.key)}

    def visit_Chain(self, block: Chain, key: str) -> dict:
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
            "path": f"{self.config.figures}/{figure_folder(self.config.language)}{block.name}",
        }

    # -- the sheet ---------------------------------------------------------------------------------

    def derivation_view(self, d: Derivation, section: str = "") -> dict:
        self.abbreviations = d.abbreviations
        return {
            "id": d.id,
            "question": d.question,
            "title": self.text(d.title, f"{d.id}.title"),
            "tag": d.question if d.question != section else "",
            "blocks": [self.visit(b, f"{d.id}.{i}") for i, b in enumerate(d.blocks)],
            "steps": len(d.steps),
            "verified": sum(s.verdict.ok for s in d.steps),
        }

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
                heading, ask_text = (
                    self.word("extra_heading" if section == "extra" else "shared_heading"),
                    "",
                )
            views.append(
                {
                    "id": "" if section == "extra" else section,
                    "heading": heading,
                    "ask": ask_text,
                    "derivations": [self.derivation_view(d, section) for d in members],
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
        env.globals["delimiters"] = MARKDOWN_MATH[self.config.markdown_math]
        return env

    def render(self, derivations: list[Derivation], fmt: str, summary: dict) -> str:
        self.number = 0
        self.abbreviations: list = []  # (expression, name) of the derivation being rendered
        sections = self.sections(derivations)
        template = self.environment(fmt).get_template(f"answers.{fmt}.j2")
        table = [
            {
                "id": d.id,
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
        }
        return {key: self.word(key, **fields) for key in UI}


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
