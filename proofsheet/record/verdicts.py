"""Verdicts for people and JSON; the verdict itself and its policy live in the kernel.

:class:`Verdict` is re-exported from :mod:`proofsheet.kernel.verdict`, the only
place that decides when a step counts as verified.
"""

from __future__ import annotations

from ..kernel.core import Refutation
from ..kernel.verdict import REFUTED, UNDECIDED, VERIFIED, Verdict
from .serial import data_to_json

#: the mark beside a step, by status: the one table the report and the sheets read
MARKS = {
    "verified": "✓",
    "refuted": "✗",
    "undecided": "?",
    "definition": "≔",
    "assumption": "≔",
    "unreadable": "!",
}
#: what the mark means, in the words a student reads beside it
LABELS = {
    "verified": "verified",
    "refuted": "wrong",
    "undecided": "not checked",
    "definition": "definition",
    "assumption": "assumption",
    "unreadable": "unreadable",
}

__all__ = [
    "LABELS",
    "MARKS",
    "VERIFIED",
    "REFUTED",
    "UNDECIDED",
    "Verdict",
    "point_text",
    "short_number",
    "counterexample_json",
    "verdict_json",
]


def point_text(refutation: Refutation) -> str:
    """``x = 1, s = 1/2``: the counterexample's point, for people."""
    if not refutation.point:  # SymPy erased every variable (exp(x)·exp(−x) is 1): false everywhere
        return "any values (both sides are constants)"
    return ", ".join(f"{k} = {val}" for k, val in refutation.point)


def short_number(value: str, digits: int = 6) -> str:
    """A value to ``digits`` significant digits, for people (JSON keeps full precision).

    >>> short_number("0.268941421369995120748840758178"), short_number("1/3"), short_number("2.0")
    ('0.268941', '1/3', '2')
    """
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return str(value)
    return f"{number:.{digits}g}" if number == number and abs(number) != float("inf") else value


def counterexample_json(refutation: Refutation | None) -> dict | None:
    """The point and both sides' values, for report.json and ``--json``."""
    if refutation is None:
        return None
    return {
        "point": {str(k): str(val) for k, val in refutation.point},
        "lhs": refutation.lhs_value,
        "rhs": refutation.rhs_value,
    }


def verdict_json(v: Verdict) -> dict:
    """One verdict as the JSON that report.json and ``proofsheet prove --json`` print."""
    return {
        "statement": f"{v.prop.lhs} {v.prop.rel} {v.prop.rhs}",
        "relation": v.prop.rel,
        "status": v.status,
        "rule": v.rule,
        "certificate": data_to_json(v.theorem.certificate) if v.theorem else None,
        "counterexample": counterexample_json(v.refutation),
        "reason": v.reason,
        "ms": round(v.ms, 1),
    }
