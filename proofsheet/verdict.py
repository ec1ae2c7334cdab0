"""Three-valued verdicts: verified (by a kernel theorem), refuted, or undecided.

A verdict can only say ``verified`` when it carries a kernel :class:`Theorem`
for exactly its proposition, so no heuristic can pass a step on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import KernelError
from .kernel import Prop, Refutation, Theorem

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
