"""The page's HTML: Jinja2 with autoescape on, so every text from a student is escaped.

The only markup not escaped is a step's MathML, and that has been through
:func:`.mathml.safe_mathml` (an allow-list of elements and attributes, re-serialised).
"""

from __future__ import annotations

from dataclasses import dataclass

import jinja2
from markupsafe import Markup

from ..check.report import STATUSES
from ..record.verdicts import LABELS, MARKS
from .mathml import safe_mathml
from .worker import CHECKED

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("proofsheet.serve", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


@dataclass(frozen=True)
class Problem:
    """Why there is no result: a title and one sentence of detail, both shown escaped."""

    title: str
    detail: str


def page(sheets: list[str], text: str = "", answer: dict | None = None, error=None) -> str:
    """The page: the form (``text`` in it), then the result of ``answer`` or the ``error``."""
    if answer is not None and answer.get("status") != CHECKED:
        error = Problem(f"Not checked ({answer.get('status')})", str(answer.get("reason", "")))
        answer = None
    report = _report(answer["report"]) if answer is not None else None
    return _ENV.get_template("page.html").render(
        sheets=sheets,
        text=text,
        error=error,
        report=report,
        notes=report["notes"] if report else [],
        summary=_summary(report) if report else "",
        has_first=bool(report) and any(s["first"] for s in report["steps"]),
    )


def _report(data: dict) -> dict:
    first, seen = data.get("first_wrong_line"), False
    steps = [
        {
            "line": s["line"],
            "status": s["status"],
            "mark": MARKS.get(s["status"], "?"),
            "label": LABELS.get(s["status"], s["status"]),
            "text": s["text"],
            "evidence": s.get("evidence", []),
            "mathml": Markup(safe_mathml(s.get("mathml", ""))),  # checked again, here
            "first": s["status"] == "refuted" and s["line"] == first,
            "anchor": f"step-{i}",
        }
        for i, s in enumerate(data["steps"], 1)
    ]
    for step in steps:  # several steps on one line: only the first of them is "first wrong"
        step["first"], seen = step["first"] and not seen, seen or step["first"]
    return {**data, "steps": steps}


def _summary(report: dict) -> str:
    counts = report["summary"]
    said = ", ".join(
        f"{counts.get(s, 0)} {s}" for s in STATUSES if s in STATUSES[:3] or counts.get(s)
    )
    return said if report["steps"] else said + " — no steps found to check"
