"""What ``proofsheet check`` prints and writes: terminal text, JSON, annotated sheets.

>>> from proofsheet.check.checker import check_text
>>> text = report_text(check_text("$$\\\\sigma(-x) = \\\\frac{1}{1+e^{-x}}$$"), colour=False)
>>> print(text.splitlines()[1])
✗ wrong — line 1: \\sigma(-x) = \\frac{1}{1+e^{-x}}   <- first wrong step
>>> print(text.splitlines()[2])
    counterexample at x = 1: left side = 0.268941, right side = 0.731059
"""

from __future__ import annotations

from ..record.describe import rule_name
from ..record.verdicts import LABELS, MARKS, counterexample_json, point_text, short_number
from .checker import CheckedStep, Report

STATUSES = ("verified", "refuted", "undecided", "unreadable", "definition", "assumption")
_COLOURS = {
    "verified": "\033[32m",
    "refuted": "\033[31m",
    "undecided": "\033[33m",
    "unreadable": "\033[35m",
    "definition": "\033[36m",
    "assumption": "\033[36m",
}
_RESET, _BOLD = "\033[0m", "\033[1m"


def evidence(step: CheckedStep) -> list[str]:
    """The lines under a step: rule, counterexample, reason, known mistake."""
    v = step.verdict
    if step.unreadable:
        return [
            f"unreadable at line {step.line}, column {step.column} — not checked "
            f"({step.unreadable})"
        ]
    if step.assumed:
        return [f"assumption: {step.assumed}"]
    if v is None:
        return ["definition: later steps use it"]
    lines = []
    if v.theorem is not None:
        lines.append(f"verified by the kernel ({rule_name(v.theorem)})")
    if step.rounding:  # the refuted |a − c| ≤ h is the reading, not what a student wants to see
        lines.append(f"wrong as rounded: {step.rounding}")
    elif v.refutation is not None:
        point = point_text(v.refutation)
        lines.append(
            f"counterexample at {point}: left side = {short_number(v.refutation.lhs_value)}, "
            f"right side = {short_number(v.refutation.rhs_value)}"
        )
    if v.status == "undecided":
        lines.append(f"not checked — neither shown right nor wrong: {v.reason}")
    if step.mistake:
        lines.append(f"likely mistake: {step.mistake}")
    return lines


def assumption_lines(report: Report) -> list[str]:
    """The assumptions the steps were checked under, and whether a point satisfies them all."""
    if not report.assumptions:
        return [f"warning: {w}" for w in report.warnings]
    out = [f"assumed (line {a.line}): {a.text}" for a in report.assumption_lines]
    out += [f"assumed: {p.lhs} {p.rel} {p.rhs}" for p in report.given]
    out += [f"assumed (line {s.line}): {_visible(s.text)}" for s in report.steps if s.assumed]
    out += [f"warning: {w}" for w in report.warnings]
    if not report.consistent:
        out.append(
            "warning: no point satisfying all the assumptions was found — they may be "
            "contradictory, so no step is passed from them"
        )
    return out


#: what is left of an escape a program or an OCR took from the student's LaTeX, shown as typed
_ESCAPES = {"\x0c": "\\f", "\x08": "\\b", "\r": "\\r", "\x0b": "\\v", "\x07": "\\a"}


def _visible(text: str) -> str:
    """``text`` with control characters shown (``\\f``rac), never sent to the terminal."""
    return "".join(
        _ESCAPES.get(c, f"\\x{ord(c):02x}") if ord(c) < 32 and c not in "\n\t" else c for c in text
    )


def label(step: CheckedStep) -> str:
    """``✓ verified``, ``✗ wrong``, ``? not checked``, ``! unreadable``: the mark and its word."""
    return f"{MARKS[step.status]} {LABELS[step.status]}"


def report_text(report: Report, colour: bool = False) -> str:
    first = report.first_wrong
    out = [f"{report.source}: {len(report.checked)} steps"] + assumption_lines(report)
    for step in report.steps:
        head = f"{label(step)} — line {step.line}: {_visible(step.text)}"
        if step is first:
            head += "   <- first wrong step"
        if colour:
            head = _COLOURS[step.status] + (_BOLD if step is first else "") + head + _RESET
        out.append(head)
        out.extend(f"    {line}" for line in evidence(step) if step.status != "verified")
    counts = ", ".join(
        f"{report.count(s)} {s}" for s in STATUSES if s in STATUSES[:3] or report.count(s)
    )
    out.append(f"{counts}" + ("" if report.checked else " — no steps found to check"))
    return "\n".join(out)


def step_json(step: CheckedStep) -> dict:
    v = step.verdict
    data = {
        "line": step.line,
        "column": step.column,
        "text": step.text,
        "status": step.status,
        "rule": rule_name(v.theorem) if v and v.theorem else "",
        "mistake": step.mistake,
        "rounding": step.rounding or None,
        "counterexample": counterexample_json(v.refutation) if v else None,
        "reason": v.reason if v else step.unreadable,
        "ms": round(v.ms, 1) if v else 0.0,
    }
    return data


def report_json(report: Report) -> dict:
    first = report.first_wrong
    assumed = [{"line": None, "text": f"{p.lhs} {p.rel} {p.rhs}"} for p in report.given]
    assumed += [{"line": a.line, "text": a.text} for a in report.assumption_lines]
    assumed += [{"line": s.line, "text": s.text} for s in report.steps if s.assumed]
    return {
        "source": report.source,
        "ok": report.ok,
        "first_wrong_line": first.line if first else None,
        "assumptions": assumed,
        "assumptions_consistent": report.consistent,
        "witness": {str(k): str(v) for k, v in report.witness} if report.witness else None,
        "steps": [step_json(s) for s in report.steps],
        "warnings": list(report.warnings),
        "summary": {s: report.count(s) for s in STATUSES},
    }
