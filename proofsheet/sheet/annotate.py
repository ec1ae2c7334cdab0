"""``proofsheet check --annotate OUT``: the checked steps as a sheet with a mark on each."""

from __future__ import annotations

from pathlib import Path

from ..check.checker import Report
from ..check.report import MARKS, evidence
from .escaping import student_math
from .render import SheetConfig, SheetRenderer


def annotate(report: Report, out: Path) -> None:
    """Write the checked steps as a Markdown (.md) or LaTeX (.tex) sheet with a mark on each.

    Formulas are typeset from the parsed SymPy objects with every name made safe, and all
    other text is escaped: nothing the student wrote is read by TeX as a command.
    """
    fmt = "tex" if out.suffix == ".tex" else "md"
    first = report.first_wrong
    steps = [
        {
            "line": s.line,
            "status": "undecided" if s.unreadable else s.status,
            "mark": MARKS[s.status],
            "first": s is first,
            "math": r"\text{(not read)}"
            if s.unreadable
            # never an empty display
            else student_math(s.lhs, s.rel, s.rhs, fmt),
            "notes": evidence(s),
        }
        for s in report.steps
    ]
    template = SheetRenderer(SheetConfig()).environment(fmt).get_template(f"annotated.{fmt}.j2")
    out.write_text(
        template.render(source=report.source, steps=steps, ok=report.ok), encoding="utf-8"
    )
