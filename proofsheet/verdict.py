"""Three-valued verdicts: verified (by a kernel theorem), refuted, or undecided.

A verdict can only say ``verified`` when it carries a kernel :class:`Theorem`
for exactly its proposition, so no heuristic can pass a step on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import KernelError
from .kernel import Prop, Refutation, Theorem
from .serial import data_to_json

VERIFIED, REFUTED, UNDECIDED = "verified", "refuted", "undecided"


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking one step."""

    status: str
    prop: Prop
    theorem: Theorem | None = None
    refutation: Refutation | None = None
    reason: str = ""
    ms: float = 0.0

    def __post_init__(self) -> None:
        evidence_ok = {
            VERIFIED: isinstance(self.theorem, Theorem) and self.theorem.prop == self.prop,
            REFUTED: isinstance(self.refutation, Refutation) and self.refutation.prop == self.prop,
            UNDECIDED: self.theorem is None and self.refutation is None,
        }
        if not evidence_ok.get(self.status, False):
            raise KernelError(f"a {self.status!r} verdict needs its kernel evidence")

    @property
    def rule(self) -> str:
        return self.theorem.rule if self.theorem else ""

    @property
    def ok(self) -> bool:
        return self.status == VERIFIED


def point_text(refutation: Refutation) -> str:
    """``x = 1, s = 1/2``: the counterexample's point, for people."""
    return ", ".join(f"{k} = {val}" for k, val in refutation.point)


def counterexample_json(refutation: Refutation | None) -> dict | None:
    """The point and both sides' values, for report.json and ``--json``."""
    if refutation is None:
        return None
    return {"point": {str(k): str(val) for k, val in refutation.point},
            "lhs": refutation.lhs_value, "rhs": refutation.rhs_value}


def verdict_json(v: Verdict) -> dict:
    """One verdict as the JSON that report.json and ``proofsheet prove --json`` print."""
    return {"statement": f"{v.prop.lhs} {v.prop.rel} {v.prop.rhs}", "relation": v.prop.rel,
            "status": v.status, "rule": v.rule,
            "certificate": data_to_json(v.theorem.certificate) if v.theorem else None,
            "counterexample": counterexample_json(v.refutation), "reason": v.reason, "ms": round(v.ms, 1)}
