"""Render checked derivations into answer sheets through Jinja2 templates.

Each block of a derivation is turned into a small view (a dict) by a
``visit_<Block>`` method; the templates only lay the views out.  Every
formula comes from the checked SymPy objects through
:mod:`proofsheet.printing`; prose is escaped for the target format.

>>> tex_escape(r"50% of {x} & \\input")
'50\\\\% of \\\\{x\\\\} \\\\& \\\\textbackslash{}input'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .derivation import Chain, Claim, Derivation, Display, Figure, Prose, Step, Text
from .errors import ProofsheetError
from .printing import RELATION_LATEX, latex, relation

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

_TEX_SPECIALS = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&",
                 "#": r"\#", "_": r"\_", "$": r"\$", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}"}
_TEX_PATTERN = re.compile("|".join(re.escape(c) for c in _TEX_SPECIALS))
_MD_PATTERN = re.compile(r"([\\`*_{}\[\]<>#|$])")

#: Rule names as readers see them, per language: a table, not code.
RULE_NAMES = {
    "en": {"rational-identity": "rational identity", "derivative": "derivative",
           "certified-sign": "certified sign", "monotone-product": "monotone product",
           "induction": "induction", "chain": "chaining", "entrywise": "entry by entry",
           "interval-order": "exact numbers", "instantiate": "instance", "symmetry": "symmetry",
           "product-peel": "definition of ∏", "assumption": "assumption", "limit": "limit"},
    "zh": {"rational-identity": "有理恒等式", "derivative": "求导", "certified-sign": "符号证书",
           "monotone-product": "单调乘积", "induction": "数学归纳法", "chain": "传递",
           "entrywise": "逐元素", "interval-order": "精确数值", "instantiate": "代入",
           "symmetry": "对称", "product-peel": "∏ 的定义", "assumption": "假设", "limit": "极限"},
}


#: The sheet's own words, per language.
UI = {
    "en": {"title": "Assignment A2: machine-checked answers", "assuming": "Assuming",
           "byline": "Neural Networks, assignment A2. Every formula below was checked by the proofsheet kernel.",
           "summary_heading": "Summary", "rule": "Kernel rule", "steps": "Steps",
           "summary_line": "Every step verified: {verified} of {steps}."},
    "zh": {"title": "作业 A2：机器验证的答案", "assuming": "假设",
           "byline": "神经网络课程作业 A2。下面每个公式都由 proofsheet 内核验证。",
           "summary_heading": "总结", "rule": "内核规则", "steps": "步数",
           "summary_line": "已验证的步骤：{verified} / {steps}。"},
}
MARKS = {"verified": "✓", "refuted": "✗", "undecided": "?"}


def tex_escape(text: str) -> str:
    """Prose for LaTeX: every special character printed, none executed."""
    return _TEX_PATTERN.sub(lambda m: _TEX_SPECIALS[m.group(0)], text)


def md_escape(text: str) -> str:
    """Prose for Markdown: characters that would start markup are escaped."""
    return _MD_PATTERN.sub(r"\\\1", text)


@dataclass(frozen=True)
class SheetConfig:
    """What a rendered sheet says about itself."""

    language: str = "en"
    date: str = "1970-01-01"
    version: str = "0"
    course: str = "Neural Networks"
    assignment: str = "A2"
    figures: str = "figures"


class SheetRenderer:
    """Visits derivation blocks by type and renders the sheet templates."""

    def __init__(self, config: SheetConfig):
        self.config = config

    def text(self, text: Text, key: str) -> str:
        return text.get(self.config.language, key)

    def rule(self, step: Step) -> str:
        names = RULE_NAMES[self.config.language]
        return names.get(step.verdict.rule, step.verdict.rule)

    def step_view(self, step: Step, key: str) -> dict:
        v = step.verdict
        view = {"status": v.status, "rule": self.rule(step), "rel": RELATION_LATEX[v.prop.rel],
                "lhs": latex(v.prop.lhs), "rhs": latex(v.prop.rhs),
                "why": self.text(step.why, key) if step.why else ""}
        if v.refutation is not None:
            view["counterexample"] = ", ".join(f"{latex(k)} = {latex(val)}" for k, val in v.refutation.point)
        return view

    def visit(self, block: object, key: str) -> dict:
        method = getattr(self, f"visit_{type(block).__name__}", None)
        if method is None:
            raise ProofsheetError(f"no renderer for {type(block).__name__}")
        return method(block, key)

    def visit_Prose(self, block: Prose, key: str) -> dict:
        return {"kind": "prose", "text": self.text(block.text, block.key)}

    def visit_Chain(self, block: Chain, key: str) -> dict:
        steps = [self.step_view(s, f"{key}.{i}") for i, s in enumerate(block.steps)]
        return {"kind": "chain", "start": latex(block.start), "steps": steps,
                "assumptions": [relation(a.lhs, a.rel, a.rhs) for a in block.assumptions]}

    def visit_Claim(self, block: Claim, key: str) -> dict:
        return {"kind": "claim", "step": self.step_view(block.step, key),
                "assumptions": [relation(a.lhs, a.rel, a.rhs) for a in block.assumptions]}

    def visit_Display(self, block: Display, key: str) -> dict:
        return {"kind": "display", "math": f"{latex(block.lhs)} = {latex(block.rhs)}",
                "why": self.text(block.why, key) if block.why else ""}

    def visit_Figure(self, block: Figure, key: str) -> dict:
        return {"kind": "figure", "name": block.name, "caption": self.text(block.caption, block.key),
                "path": f"{self.config.figures}/{block.name}"}

    def derivation_view(self, d: Derivation) -> dict:
        return {"id": d.id, "question": d.question, "title": self.text(d.title, f"{d.id}.title"),
                "blocks": [self.visit(b, f"{d.id}.{i}") for i, b in enumerate(d.blocks)],
                "steps": len(d.steps), "verified": sum(s.verdict.ok for s in d.steps)}

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
        return env

    def render(self, derivations: list[Derivation], fmt: str, summary: dict) -> str:
        views = [self.derivation_view(d) for d in derivations]
        template = self.environment(fmt).get_template(f"answers.{fmt}.j2")
        return template.render(config=self.config, derivations=views, summary=summary,
                               rules=RULE_NAMES[self.config.language], marks=MARKS,
                               ui=self.ui(summary))

    def ui(self, summary: dict) -> dict:
        words = dict(UI[self.config.language])
        words["summary_line"] = words["summary_line"].format(**summary)
        return words


def derivation_markdown(d: Derivation, language: str = "en") -> str:
    """One derivation as Markdown (used for notebooks)."""
    renderer = SheetRenderer(SheetConfig(language=language))
    view = renderer.derivation_view(d)
    template = renderer.environment("md").get_template("derivation.md.j2")
    return template.render(d=view, config=renderer.config, marks=MARKS, ui=UI[language])
