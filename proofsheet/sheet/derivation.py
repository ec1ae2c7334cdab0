"""Writing a derivation: prose, chains of checked steps, facts and figures.

A derivation module reads like the answer it produces:

>>> import sympy as sp
>>> from proofsheet.kernel.notation import sigma
>>> x = sp.Symbol("x", real=True)
>>> d = Derivation("demo", "Q0", Text(en="Demo", zh="演示"))
>>> c = d.chain(1 - sigma(x))
>>> c.eq(sigma(-x), why=Text(en="by the complement identity", zh="由互补恒等式"))
>>> c.theorem.prop.rhs
sigma(-x)

Every step is proved as soon as it is written (tactics search, the kernel
decides), so later steps can use earlier theorems.

A derivation is written once and shown twice: in full in the proofs document, and
in part in the hand-out. The blocks written inside ``with d.answer():`` are the
answer a strong student would hand in (``brief=True`` shows a chain as its first
and last term only); the rest is supporting detail. ``d.mistake`` names a wrong
line of the sample answer, which the search must refute with a counterexample.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import ClassVar

import sympy as sp

from .. import kernel
from ..kernel import Prop, Theorem
from ..kernel.errors import KernelError
from ..kernel.verdict import UNDECIDED, PolicyError, Verdict
from ..search.decide import DEFAULT_SECONDS, decide, verdict_of
from .sheetwords import Text

LANGUAGES = ("en", "zh")

#: Where a block is shown: only in the proofs document, or in the hand-out too
#: (as in the proofs, or a chain as its first and last term).
DETAIL, ANSWER, BRIEF = "detail", "answer", "brief"


_LAP = [time.perf_counter()]  #: when the last step was recorded (or the derivation began)


def _restart_clock() -> None:
    _LAP[0] = time.perf_counter()


def _timed(verdict: Verdict) -> Verdict:
    """``verdict`` with the wall time since the previous step (or the derivation's start) as
    its ``ms``: the search, and the derivation's own work on a theorem it gives (``by=``),
    which ``decide`` alone does not see."""
    now = time.perf_counter()
    ms, _LAP[0] = (now - _LAP[0]) * 1000, now
    return dataclasses.replace(verdict, ms=ms)


def _given(theorem: Theorem, stated: tuple[Prop, ...]) -> Verdict:
    """The verdict for a theorem a derivation built: undecided if it needs more than stated."""
    started = time.perf_counter()
    try:
        return verdict_of(theorem, started, stated)
    except PolicyError as exc:
        return Verdict(UNDECIDED, theorem.prop, reason=str(exc), assumptions=stated)


@dataclass(frozen=True)
class Step:
    """One checked relation, with the prose that explains it."""

    verdict: Verdict
    why: Text | None = None

    @property
    def prop(self) -> Prop:
        return self.verdict.prop


@dataclass
class Prose:
    text: Text
    key: str
    part: str = DETAIL


@dataclass
class Chain:
    """``start R₁ t₁ R₂ t₂ …``: each link a step, the whole a theorem by transitivity."""

    start: sp.Basic
    assumptions: tuple[Prop, ...] = ()
    seconds: float = DEFAULT_SECONDS
    steps: list[Step] = field(default_factory=list)
    part: str = DETAIL

    @property
    def last(self) -> sp.Basic:
        return self.steps[-1].prop.rhs if self.steps else self.start

    def link(
        self, rel: str, term: sp.Basic, why: Text | None = None, by: Theorem | None = None
    ) -> None:
        """Add ``last rel term``, proved by ``by`` (a kernel theorem) or by search."""
        prop = Prop(self.last, rel, term)
        if by is not None:
            if by.prop != prop:
                raise KernelError(f"the theorem given proves {by.prop}, not {prop}")
            verdict = _given(by, self.assumptions)
        else:
            verdict = decide(prop, self.assumptions, self.seconds, proof_first=True)
        self.steps.append(Step(_timed(verdict), why))

    def eq(self, term, why=None, by=None):
        self.link("=", term, why, by)

    def le(self, term, why=None, by=None):
        self.link("<=", term, why, by)

    def lt(self, term, why=None, by=None):
        self.link("<", term, why, by)

    def ge(self, term, why=None, by=None):
        self.link(">=", term, why, by)

    def gt(self, term, why=None, by=None):
        self.link(">", term, why, by)

    @property
    def theorem(self) -> Theorem | None:
        """The chain's conclusion, or ``None`` while any link is unverified."""
        if not self.steps or not all(s.verdict.ok for s in self.steps):
            return None
        result = self.steps[0].verdict.theorem
        for step in self.steps[1:]:
            result = kernel.chain(result, step.verdict.theorem)
        return result


@dataclass
class Claim:
    """A single relation stated and checked on its own."""

    step: Step
    assumptions: tuple[Prop, ...] = ()
    part: str = DETAIL

    @property
    def theorem(self) -> Theorem | None:
        return self.step.verdict.theorem


@dataclass
class Figure:
    name: str
    caption: Text
    key: str
    part: str = DETAIL


@dataclass
class Display:
    """A definition or notation shown, not claimed (e.g. ``ŷ = σ(z)``)."""

    lhs: sp.Basic
    rhs: sp.Basic
    why: Text | None = None
    abbreviation: bool = False  #: the sheet shows ``lhs`` wherever ``rhs`` occurs
    part: str = DETAIL


@dataclass(frozen=True)
class Mistake:
    """A slip of the sample answer: its wrong line (refuted by the search) or what it left out.

    ``verdict`` is the search's verdict on the wrong line as the sample wrote it, with
    ``assumptions`` its context; ``None`` for an omission (a missing plot, an unanswered part).
    """

    where: Text  #: where the sample answer has it
    why: Text  #: why it is wrong, or what is missing
    verdict: Verdict | None = None
    assumptions: tuple[Prop, ...] = ()

    @property
    def refuted(self) -> bool:
        return self.verdict is not None and self.verdict.refutation is not None


class Derivation:
    """One result of the answer sheet, as prose and checked steps."""

    def __init__(self, id: str, question: str, title: Text):
        self.id, self.question, self.title = id, question, title
        self.blocks: list[object] = []
        self.conclusions: list[tuple[str, Theorem]] = []
        self.abbreviations: list[
            tuple[sp.Basic, sp.Basic]
        ] = []  # (expression, the name shown for it)
        self.failed_conclusions: list[str] = []
        self.mistakes: list[Mistake] = []
        self._part = DETAIL
        _restart_clock()

    def _key(self) -> str:
        return f"{self.id}.{len(self.blocks)}"

    def _add(self, block):
        block.part = self._part
        self.blocks.append(block)
        return block

    @contextmanager
    def answer(self, brief: bool = False) -> Iterator[None]:
        """The blocks written inside are the hand-out's answer (chains brief, if asked)."""
        self._part = BRIEF if brief else ANSWER
        try:
            yield
        finally:
            self._part = DETAIL

    def say(self, en: str = "", zh: str = "", **math: sp.Basic) -> None:
        """A paragraph of prose; ``{name}`` in it is the formula ``math[name]``."""
        self._add(Prose(Text(en, zh, math), self._key()))

    def mistake(
        self,
        where: Text,
        why: Text,
        wrong: Prop | None = None,
        assumptions: tuple[Prop, ...] = (),
        seconds: float = DEFAULT_SECONDS,
    ) -> Mistake:
        """A slip of the sample answer; an unrefuted ``wrong`` line fails the build."""
        verdict = decide(wrong, tuple(assumptions), seconds) if wrong is not None else None
        found = Mistake(where, why, verdict, tuple(assumptions))
        self.mistakes.append(found)
        _restart_clock()  # a refuted mistake is not a step: its time is no step's
        return found

    def chain(
        self, start: sp.Basic, assumptions: tuple[Prop, ...] = (), seconds: float = DEFAULT_SECONDS
    ) -> Chain:
        return self._add(Chain(start, tuple(assumptions), seconds))

    def claim(
        self,
        prop: Prop,
        assumptions: tuple[Prop, ...] = (),
        why: Text | None = None,
        seconds: float = DEFAULT_SECONDS,
    ) -> Claim:
        step = Step(_timed(decide(prop, tuple(assumptions), seconds, proof_first=True)), why)
        return self._add(Claim(step, tuple(assumptions)))

    def fact(self, theorem: Theorem, why: Text | None = None) -> Claim:
        """Show a theorem built directly from kernel rules (e.g. by induction)."""
        step = Step(_timed(_given(theorem, theorem.assumptions)), why)
        return self._add(Claim(step, theorem.assumptions))

    def define(self, lhs: sp.Basic, rhs: sp.Basic, why: Text | None = None) -> None:
        self._add(Display(lhs, rhs, why))

    def abbreviate(self, name: sp.Basic, expr: sp.Basic, why: Text | None = None) -> None:
        """Show ``name`` wherever ``expr`` occurs on this derivation's sheet, and say so once.

        Display only: the kernel, the report and the proof log keep the full expression.
        """
        self.abbreviations.append((expr, name))
        self._add(Display(name, expr, why, abbreviation=True))

    def figure(self, name: str, en: str = "", zh: str = "", **math: sp.Basic) -> None:
        self._add(Figure(name, Text(en, zh, math), self._key()))

    def conclude(
        self, name: str, theorem: Theorem | None, assumptions: tuple[Prop, ...] | None = None
    ) -> None:
        """Record a named result for the proof log; an unproved one fails the build.

        ``assumptions`` are those the derivation states for it (by default the theorem's own);
        a theorem that needs more is not a conclusion. The proof log records the statement
        and every assumption of each conclusion.
        """
        stated = theorem.assumptions if theorem is not None and assumptions is None else assumptions
        verdict = _given(theorem, tuple(stated)) if theorem is not None else None
        if verdict is None or not verdict.ok:
            self.failed_conclusions.append(name)
        else:
            self.conclusions.append((name, theorem))

    @property
    def steps(self) -> list[Step]:
        found: list[Step] = []
        for block in self.blocks:
            if isinstance(block, Chain):
                found.extend(block.steps)
            elif isinstance(block, Claim):
                found.append(block.step)
        return found

    @property
    def unrefuted_mistakes(self) -> list[Mistake]:
        """Wrong lines of the sample answer that the search did not refute."""
        return [m for m in self.mistakes if m.verdict is not None and not m.refuted]

    @property
    def verified(self) -> bool:
        return (
            all(s.verdict.ok for s in self.steps)
            and not self.failed_conclusions
            and not self.unrefuted_mistakes
        )

    #: how a notebook shows a derivation: ``{"markdown": f, "latex": g}``, filled in by
    #: :mod:`.render` (imported with this package), which this module does not import
    DISPLAY: ClassVar[dict[str, Callable]] = {}

    def _repr_markdown_(self) -> str:
        """The derivation as Markdown: prose, checked steps with their marks, notes (Jupyter)."""
        return self.DISPLAY["markdown"](self, "en")

    def _repr_latex_(self) -> str | None:
        """The checked steps as aligned display math, each with its mark and rule (Jupyter)."""
        return self.DISPLAY["latex"](self, "en") or None
