"""Check a student's derivation, written in Markdown or LaTeX, step by step.

>>> report = check_text("$$1 - \\\\sigma(x) = \\\\sigma(-x)$$")
>>> [s.verdict.status for s in report.steps]
['verified']

Every adjacent pair of a chain ``A = B \\le C`` is one step, decided by the
same kernel as ``make proofs``.  A relation whose left side is a bare name
not seen before (or written with ``:=``, or after "let", "设", "令") defines
that name — or a function, ``f(x) = …``, ``L(y, \\hat y) = …``; later steps are checked
with the definition substituted, and a derivative with respect to a defined name goes
through the definitions as a graph (:mod:`~proofsheet.check.definitions`: ∂L/∂ŷ holds ŷ,
∂L/∂z chains through ŷ = σ(z)). ``w \\leftarrow w - \\eta g`` updates w; a heading or a
question label starts a section, where a name may be defined again. A name the file never
defines makes a step about it undecided, never refuted. A definition cannot lie: one
that redefines the course's notation, a number or a name already used, or refers to
itself, is refused (an undecided step with the reason). A formula that cannot be read is
an ``unreadable`` step; the rest of the file is still checked. Every
assumption is used, and none passes a step while no point satisfying them all
is known (:mod:`proofsheet.search.assumption_point`).
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import mpmath
import sympy as sp
from sympy.core.function import AppliedUndef

from ..kernel import Prop, interval
from ..kernel.domain import Condition, conditions
from ..kernel.errors import ParseError
from ..parsing.latex import RelationChain, parse_math, strongest
from ..parsing.latex_build import power_too_large
from ..parsing.latex_tables import RELATION_LATEX, is_condition
from ..record.verdicts import REFUTED, UNDECIDED, VERIFIED, Verdict
from ..search.decide import DEFAULT_SECONDS, decide
from ..search.limits import REPORT_SECONDS, own_seconds, progress, read_text_file
from .buggy import feedback
from .defining import Defining, course_notation, defined_head, function_name
from .definitions import (
    Graph,
    Undecidable,
    member_latex,
    not_defined,
    scalar_uses,
    section_lines,
    shape_trouble,
    twin,
)
from .families import every_member, family_members
from .robust import (
    failure,
    given_assumptions,
    line_at,
    parse_block,
    read_leniently,
    safe_witness,
    undecided,
    unused_assumption_names,
)
from .rounding import rounded, rounding_hint, with_placeholders

_LET = re.compile(r"(?:\b[Ll]et|\b[Ss]uppose|\b[Aa]ssume|设|令|假设)\s*[$\\(\[]*\s*$")
_CHECKABLE = {"=", "<=", "<", ">=", ">"}
#: "For $\hat y \in (0,1)$:", "对任意 $x > 0$，": a condition for the rest of the paragraph
_FOR = re.compile(
    r"(?:\b[Ff]or(?:\s+(?:all|every|any|each))?|\b[Ww]hen(?:ever)?|对于|对任意|对所有|当)"
    r"\s*[$\\(\[]*\s*$"
)
_FOR_END = re.compile(r"^[$\\)\]\s]*(?:时)?\s*[:,，：]")
_FOR_WHY = "a condition: the steps after it in this paragraph assume it"
UNREADABLE = "unreadable"
ASSUMPTION = "assumption"


@dataclass(frozen=True)
class CheckedStep:
    """One step of the student's file and what the kernel made of it."""

    line: int
    column: int
    text: str  # the step as written, e.g. "1 - \sigma(x) = \sigma(-x)"
    lhs: sp.Basic | None  # None for an unreadable formula
    rel: str
    rhs: sp.Basic | None
    verdict: Verdict | None = None  # None for a definition or an unreadable formula
    mistake: str | None = None  # a known mistake that explains a wrong step
    unreadable: str = ""  # why the formula could not be read
    #: "let $x > 1$": a hypothesis the steps after it use, not a claim ("": a claim); what it is
    assumed: str = ""
    #: a decimal beside = or ≈ read as "rounded": the rounded value, in words (else "")
    rounding: str = ""

    @property
    def is_definition(self) -> bool:
        return self.verdict is None and not self.unreadable and not self.assumed

    @property
    def status(self) -> str:
        if self.unreadable:
            return UNREADABLE
        if self.assumed:
            return ASSUMPTION
        return "definition" if self.verdict is None else self.verdict.status


@dataclass(frozen=True)
class Assumption:
    """One ``% assume:`` relation, where it was written."""

    prop: Prop
    line: int
    text: str


@dataclass(frozen=True)
class Report:
    """Every step of one file, in order, and the assumptions they were checked under."""

    source: str
    steps: tuple[CheckedStep, ...]
    assumptions: tuple[Prop, ...] = ()
    assumption_lines: tuple[Assumption, ...] = ()
    #: a point where every assumption holds (None: none found, they may be contradictory)
    witness: tuple | None = ()
    text: str = ""  # the file as read, for ``--annotate``
    given: tuple[Prop, ...] = ()  # the assumptions given from Python or the command line
    #: things about the assumptions a student should know ("… names yhat, which no formula uses")
    warnings: tuple[str, ...] = ()

    @property
    def consistent(self) -> bool:
        return self.witness is not None

    @property
    def checked(self) -> list[CheckedStep]:
        return [s for s in self.steps if not s.is_definition and not s.assumed]

    @property
    def ok(self) -> bool:
        return bool(self.checked) and all(s.status == VERIFIED for s in self.checked)

    @property
    def first_wrong(self) -> CheckedStep | None:
        """The first step shown wrong by a counterexample (an undecided step is not wrong)."""
        return next((s for s in self.checked if s.status == REFUTED), None)

    def count(self, status: str) -> int:
        return sum(s.status == status for s in self.steps)


def _bare_derivative(expr: sp.Basic) -> sp.Basic | None:
    """An undefined name differentiated (``\\frac{dL}{dw}`` with no L defined), if any."""
    return next(
        (
            d.expr
            for d in expr.atoms(sp.Derivative)
            if isinstance(d.expr, (sp.Symbol, sp.Indexed)) and d.expr not in d.variables
        ),
        None,
    )


class _TooLarge(Undecidable):
    """Substituting a definition would make SymPy compute a huge exact number, or replace the
    variable of a derivative: the step is undecided with this reason."""


def _members_kept(expr: sp.Basic, mapping: dict) -> dict:
    """``mapping`` that leaves ``u^{(1)}``, ``x_i`` whole when ``u`` or ``x`` is replaced: the
    family u[k] is other names than u (xreplace would otherwise write 2[1] for u := 2)."""
    kept = {
        ind: ind
        for ind in expr.atoms(sp.Indexed)
        if ind not in mapping and ind.base.label in mapping
    }
    return {**mapping, **kept} if kept else mapping


def _guard_derivatives(expr: sp.Basic, mapping: dict) -> None:
    """Refuse ``\\frac{\\partial \\hat y}{\\partial z}`` once z is defined (z = wx + b): the
    substitution would differentiate with respect to wx + b, which has no meaning."""
    for d in expr.atoms(sp.Derivative):
        for v in d.variables:
            if v in mapping:
                raise _TooLarge(
                    f"a derivative with respect to {v} once {v} is replaced by "
                    f"{sp.latex(mapping[v])} is not supported: differentiate with respect to "
                    "a variable that is not defined"
                )


def _guard(expr: sp.Basic, mapping: dict) -> None:
    """Refuse before ``expr.xreplace(mapping)`` expands a huge power (``2^x`` with x := 10^{12});
    children first, so each base and exponent checked is already known to be small."""
    for node in sp.postorder_traversal(expr):
        if isinstance(node, sp.Pow):
            why = power_too_large(node.base.xreplace(mapping), node.exp.xreplace(mapping))
            if why:
                raise _TooLarge(f"with the definitions substituted: {why}")


@dataclass
class _Reader(Defining):
    """State while reading one file: definitions and names seen so far."""

    assumptions: tuple[Prop, ...]
    seconds: float
    definitions: dict[sp.Basic, sp.Basic] = field(default_factory=dict)
    functions: dict[str, tuple[tuple, sp.Basic]] = field(default_factory=dict)
    brings: dict[sp.Basic, tuple[Condition, ...]] = field(default_factory=dict)
    seen: dict[sp.Basic, int] = field(default_factory=dict)  # name -> line first used
    #: names used in a step that was checked (not only inside a definition): a later
    #: "where ŷ = σ(z)" may define a name that so far only definitions used, never one of these
    claimed: dict[sp.Basic, int] = field(default_factory=dict)
    steps: list[CheckedStep] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)  # functions whose definition was refused
    #: names whose definition was refused, and where: a step using one is never refuted (the
    #: student meant the definition, which the checker did not take)
    refused_names: dict[sp.Basic, int] = field(default_factory=dict)
    #: where every assumption holds (None: no such point was found); the kernel checks it
    point: dict | None = field(default_factory=dict)
    #: the definitions as written, a graph: derivatives with respect to a defined name
    graph: Graph = field(default_factory=Graph)
    #: the updates (w ← w − ηg) of the chain being read, made when it ends
    updates: dict[sp.Basic, sp.Basic] = field(default_factory=dict)
    #: names updated in terms of their old selves (w ← w − ηg with w not a number)
    renewed: set[sp.Basic] = field(default_factory=set)
    #: renewed name -> the names defined with its old value (z = wx + b before w ← w − ηg)
    older: dict[sp.Basic, set] = field(default_factory=dict)

    def expand(self, expr: sp.Basic) -> sp.Basic:
        """Unfold the functions, take derivatives with respect to defined names through the
        graph, and substitute the names defined so far (already expanded)."""
        expr = self._unfold_functions(expr)
        if not self.definitions:
            return expr
        _guard(expr, self.definitions)  # before the graph puts values into a derivative
        expr = self.graph.differentiate(expr, set(self.definitions))
        _guard(expr, self.definitions)
        _guard_derivatives(expr, self.definitions)
        return expr.xreplace(_members_kept(expr, self.definitions))

    def _unfold_functions(self, expr: sp.Basic) -> sp.Basic:
        if not self.functions:
            return expr
        return expr.replace(
            lambda e: (
                isinstance(e, AppliedUndef)
                and function_name(e) in self.functions
                and len(e.args) == len(self.functions[function_name(e)][0])  # g(1) for g(a, b)
            ),
            lambda e: self._unfold(e),
        )

    def _unfold(self, call: sp.Basic) -> sp.Basic:
        params, body = self.functions[function_name(call)]
        primes = call.func.__name__.count("'")
        if primes and len(params) != 1:
            raise Undecidable(
                f"{function_name(call)} has several variables: write a partial derivative"
            )
        if primes:
            body = sp.diff(body, params[0], primes)
        mapping = dict(zip(params, call.args))
        _guard(body, mapping)
        _guard_derivatives(body, {p: a for p, a in mapping.items() if p != a})
        return body.xreplace(_members_kept(body, mapping))

    def domain(self, chain: RelationChain, *indices: int) -> tuple[Condition, ...]:
        """The conditions of the terms as written, of the definitions they use (even where
        SymPy dropped the name: ``0 \\cdot u``), and of the expanded terms."""
        found: list[Condition] = []
        for i in indices:
            term = chain.terms[i]
            found += [
                replace(c, expr=self.expand(c.expr))
                for c in (chain.domains[i] if chain.domains else ())
            ]
            written = {sp.Symbol(n, real=True) for n in (chain.names[i] if chain.names else ())}
            for name in (term.free_symbols | written) - {
                f for f in written if f.name in self.functions
            }:
                found += [replace(c, expr=self.expand(c.expr)) for c in self.brings.get(name, ())]
            for call in term.atoms(AppliedUndef):
                params = self.functions.get(function_name(call), ((),))[0]
                found += [
                    replace(c, expr=c.expr.xreplace(dict(zip(params, call.args))))
                    for c in self.brings.get(sp.Symbol(function_name(call), real=True), ())
                ]
            found += conditions(self.expand(term))
        return tuple(dict.fromkeys(found))

    def _bold_and_plain(self, chain: RelationChain, i: int) -> str:
        """Why a step that writes ``\\mathbf{w}`` where ``w`` is also written (in it or before)
        cannot be decided: the same vector, or a vector and a number? ("" if it can)."""
        names = {
            s.name
            for t in chain.terms[i : i + 2]
            for s in t.free_symbols
            if isinstance(s, sp.Symbol)
        }
        names |= {n for k in (i, i + 1) if chain.names for n in chain.names[k]}
        known = names | {
            s.name for s in (*self.seen, *self.definitions) if isinstance(s, sp.Symbol)
        }
        for name in sorted(names):
            base, under, sub = name.partition("_")
            twin = (base[:-4] if base.endswith("bold") else base + "bold") + under + sub
            if twin in known:
                bold, plain = sorted((name, twin), key=lambda n: "bold" not in n)
                return (
                    f"both {sp.latex(sp.Symbol(bold))} and {sp.latex(sp.Symbol(plain))} "
                    "are written: proofsheet cannot tell whether they are the same; "
                    "write one of them"
                )
        return ""

    def _overlap(self, name: sp.Basic) -> sp.Basic | None:
        """A defined member of the same family that may be ``name``: ``u^{(k)}`` for
        ``u^{(2)}`` (a general index covers every member)."""
        if not isinstance(name, sp.Indexed):
            return None
        return next(
            (
                d
                for d in self.definitions
                if isinstance(d, sp.Indexed)
                and d.base == name.base
                and (
                    d.free_symbols - {d, d.base.label}
                    or name.free_symbols - {name, name.base.label}
                )
            ),
            None,
        )

    def check(self, chain: RelationChain, i: int) -> None:
        written = chain.terms[i].free_symbols | chain.terms[i + 1].free_symbols
        both = chain.terms[i].free_symbols & chain.terms[i + 1].free_symbols & self.renewed
        if both:
            w = sp.latex(sorted(both, key=str)[0])
            raise Undecidable(
                f"{w} was updated with ←, and {w} on both sides may mean the old and the new "
                f"value: write the new one under another name, such as {w}' or {w}_{{new}}"
            )
        self._old_and_new(written)
        self.unrelated(chain.terms[i])
        self.unrelated(chain.terms[i + 1])
        shaped = set(self.graph.shapes)
        misused = scalar_uses(chain.terms[i], shaped) | scalar_uses(chain.terms[i + 1], shaped)
        if misused & self.graph.here:
            raise Undecidable(shape_trouble(misused, self.graph.shapes, self.seen))
        if misused:  # a vector of an earlier section, used as a number: a new name here
            self._check_without(chain, i, misused)
            return
        try:
            self._check_in_scope(chain, i, written)
        except (sp.ShapeError, sp.NonSquareMatrixError, TypeError, ValueError):
            why = shape_trouble(written, self.graph.shapes, self.seen)
            if not why:
                raise
            raise Undecidable(why) from None

    def _old_and_new(self, written: set) -> None:
        """``z = wx + b`` after ``w \\leftarrow w - \\eta g``: z was defined with the old w,
        the w written here is the new one; the step mixes them."""
        for w in sorted(written & self.renewed, key=str):
            older = sorted(written & self.older.get(w, set()), key=str)
            if older:
                z, x = sp.latex(older[0]), sp.latex(w)
                raise Undecidable(
                    f"{x} was updated with ←, and {z} was defined with the old {x}, while {x} "
                    f"written here is the new one: write the new one under another name, such "
                    f"as {x}' or {x}_{{new}}"
                )

    def _check(self, chain: RelationChain, i: int) -> None:
        domain = self.domain(chain, i, i + 1)
        lhs, rhs = self.expand(chain.terms[i]), self.expand(chain.terms[i + 1])
        members, why = family_members((lhs, rhs), self.definitions)
        why = why or self._bold_and_plain(chain, i)
        exact = Prop(
            lhs.xreplace(members),
            "=" if chain.rels[i] == "approx" else chain.rels[i],
            rhs.xreplace(members),
            domain=tuple(replace(c, expr=c.expr.xreplace(members)) for c in domain),
        )
        prop = rounded(exact, chain.rounding[i] if chain.rounding else None)
        if chain.rels[i] == "approx" and prop.rel == "=":
            why = why or _APPROX
        if why:
            self.steps.append(self._step(chain, i, Verdict(UNDECIDED, prop, reason=why)))
            return
        stated = every_member(self.assumptions, (lhs, rhs))
        point = self.point if stated == self.assumptions else safe_witness(stated)
        verdict = self._precheck(prop) or decide(prop, stated, self.seconds, point=point)
        verdict = self._unknown_function(chain, i, verdict)
        verdict = self._unrefuted(verdict, chain.terms[i], chain.terms[i + 1])
        if prop is exact:
            verdict = self._rounded_on_the_way(verdict, chain, i)
        mistake = feedback(prop, self.seconds) if verdict.status == REFUTED else None
        rounding = ""
        if verdict.status == REFUTED and prop is not exact:  # read as "rounded to d places"
            rounding = rounding_hint(chain, i, lhs, rhs) or ""
        step = self._step(chain, i, verdict, None if rounding else mistake)
        self.steps.append(replace(step, rounding=rounding))

    def _rounded_on_the_way(self, verdict: Verdict, chain: RelationChain, i: int) -> Verdict:
        """``\\frac{1}{1+e^{-0.5}} = \\frac{1}{1+0.607}``: a worked example that rounds on the
        way is false as written, not as meant. A refuted step between numbers is not checked
        when its sides overlap once each decimal in it may be off by half a unit in its last
        place (interval arithmetic; this only ever takes a ✗ back)."""
        if verdict.status != REFUTED or verdict.refutation is None or verdict.refutation.point:
            return verdict
        written = with_placeholders(chain.texts[i : i + 2])
        if written is None:
            return verdict
        text, decimals = written
        try:
            (parsed,) = parse_math(text, functions=set(self.functions))
            sides = [self.expand(t) for t in parsed.terms]
            env = {
                s: mpmath.iv.mpf([str(d - h), str(d + h)])
                for side in sides
                for s in side.free_symbols
                if str(s) in decimals
                for d, h in [decimals[str(s)]]
            }
            if any(side.free_symbols - set(env) for side in sides):
                return verdict
            left, right = (interval.as_interval(interval.value(side, env)) for side in sides)
        except Exception:  # noqa: BLE001 - only ever takes a ✗ back: no reading, no change
            return verdict
        if left.b < right.a or right.b < left.a:  # no rounding explains the difference
            return verdict
        places = max(len(str(h.q)) - 1 for _d, h in decimals.values())
        reason = (
            f"it uses rounded numbers (to {places} decimal place{'s' * (places > 1)}) on the "
            "way, and it holds once they are taken as rounded: proofsheet checks exact steps "
            "only (write ≈, or keep exact values)"
        )
        return Verdict(UNDECIDED, verdict.prop, reason=reason, ms=verdict.ms)

    def _unrefuted(self, verdict: Verdict, *written: sp.Basic) -> Verdict:
        """A counterexample that uses a name whose definition was refused refutes nothing:
        the student meant the definition."""
        used = {s for term in written for s in term.free_symbols}
        names = used & set(self.refused_names)
        point = {str(k) for k, _ in verdict.refutation.point} if verdict.refutation else set()
        bare = {s for s in used if s.name in self.functions and s.name in point}
        twins = sorted((s for s in used if twin(s) in self.definitions), key=str)
        if verdict.status != REFUTED or not (names or bare or twins):
            return verdict
        if twins:  # w^{(1)} = 3, then w_1 = 3: one member of the family w, or two names?
            w = twins[0]
            reason = (
                f"{member_latex(twin(w))} is defined and this step writes {member_latex(w)}: "
                "proofsheet cannot "
                "tell whether they are the same member of the family; write one of them"
            )
            return Verdict(UNDECIDED, verdict.prop, reason=reason, ms=verdict.ms)
        if bare:  # \frac{df}{dx} = f(1-f) for a defined f: f alone is f(x), not a number
            f = sorted(bare, key=str)[0]
            reason = (
                f"{f} is a function defined in this file, and this step also writes {f} "
                f"alone, as a number: write {f}(x) (with its argument) to check it"
            )
            return Verdict(UNDECIDED, verdict.prop, reason=reason, ms=verdict.ms)
        name = sorted(names, key=str)[0]
        reason = (
            f"it uses {member_latex(name)}, whose definition (line {self.refused_names[name]}) "
            "was refused, "
            "so a counterexample with another value of it shows nothing"
        )
        return Verdict(UNDECIDED, verdict.prop, reason=reason, ms=verdict.ms)

    @staticmethod
    def _precheck(prop: Prop) -> Verdict | None:
        """Undecided at once: an undefined name's derivative (a statement about a non-real
        number is the kernel's to refuse: :func:`decide` asks it first)."""
        name = _bare_derivative(prop.lhs) or _bare_derivative(prop.rhs)
        if name is not None:
            return Verdict(UNDECIDED, prop, reason=not_defined(name))
        return None

    def _step(
        self, chain: RelationChain, i: int, verdict: Verdict | None, mistake: str | None = None
    ) -> CheckedStep:
        # a step is reported where its new right side is written (the next line of an align)
        line, column = chain.positions[i + 1] if chain.positions else (chain.line, chain.column)
        rel = {"def": ":=", "update": r"\leftarrow", **RELATION_LATEX}.get(
            chain.rels[i], chain.rels[i]
        )
        text = f"{chain.texts[i]} {rel} {chain.texts[i + 1]}"
        return CheckedStep(
            line, column, text, chain.terms[i], chain.rels[i], chain.terms[i + 1], verdict, mistake
        )

    def _unsupported(self, chain: RelationChain, i: int, why: str) -> None:
        prop = Prop(self.expand(chain.terms[i]), "=", self.expand(chain.terms[i + 1]))
        self.steps.append(self._step(chain, i, Verdict(UNDECIDED, prop, reason=why)))

    def failed(self, chain: RelationChain, exc: Exception) -> None:
        """A chain whose reading stopped with an error: its first step says why, undecided."""
        terms = (*chain.terms, None, None)
        self.steps.append(self._step(chain, 0, undecided(terms[0], terms[1], failure(exc))))

    def unreadable(self, error: ParseError, text: str) -> None:
        first = text.strip().splitlines()[0] if text.strip() else text
        self.steps.append(
            CheckedStep(
                error.line or 1,
                error.column or 1,
                first[:120],
                None,
                "",
                None,
                unreadable=error.message,
            )
        )

    def suppose(
        self, chain: RelationChain, why: str = "a hypothesis: the steps after it assume it"
    ) -> None:
        """``Let $x > 1$``, ``设 $0 < s < 1$``: a hypothesis the steps after it assume (as
        ``% assume:`` does from there on), never a claim checked on its own."""
        for i, rel in enumerate(chain.rels):
            prop = Prop(
                self.expand(chain.terms[i]),
                rel,
                self.expand(chain.terms[i + 1]),
                domain=self.domain(chain, i, i + 1),
            )
            self.assumptions = tuple(dict.fromkeys(self.assumptions + (prop,)))
            self.steps.append(replace(self._step(chain, i, None), assumed=why))
            for into in (self.seen, self.claimed):
                self.see(
                    chain.terms[i],
                    chain.terms[i + 1],
                    into=into,
                    line=chain.positions[i][0] if chain.positions else chain.line,
                )
        self.point = safe_witness(self.assumptions)  # the kernel passes nothing from them without

    def read(self, chain: RelationChain, after_let: bool) -> None:
        first = len(self.steps)
        self._read_chain(chain, after_let)
        if chain.conditional:
            self.steps[first:] = [_conditional(s) for s in self.steps[first:]]

    def _read_chain(self, chain: RelationChain, after_let: bool) -> None:
        self.updates.clear()
        for i in range(len(chain.rels)):
            left, right = chain.terms[i], chain.terms[i + 1]
            before = len(self.steps)
            try:
                self._read_one(chain, i, after_let)
            except Undecidable as exc:
                del self.steps[before:]
                self.steps.append(self._step(chain, i, undecided(left, right, str(exc))))
            except _TooLarge as exc:
                self.steps.append(self._step(chain, i, undecided(left, right, str(exc))))
            except Exception as exc:  # noqa: BLE001 — one step's failure must not lose the file
                del self.steps[before:]
                names = {
                    n for t in (left, right) if isinstance(t, sp.Basic) for n in t.free_symbols
                }
                why = shape_trouble(names, self.graph.shapes, self.seen) or failure(exc)
                self.steps.append(self._step(chain, i, undecided(left, right, why)))
            line = chain.positions[i][0] if chain.positions else chain.line
            defined = len(self.steps) > before and self.steps[-1].is_definition
            with contextlib.suppress(AttributeError, TypeError):  # a side SymPy left odd
                self.see(left, right, line=line)
                if not defined:
                    self.see(left, right, line=line, into=self.claimed)
        for name, value in self.updates.items():  # w ← w − ηg: the new w from here on
            if name in value.free_symbols:  # the old w stays a name: "w" is now ambiguous
                self.renewed.add(name)
                self.older[name] = {
                    n for n, v in self.definitions.items() if n != name and name in v.free_symbols
                }
            self.definitions[name] = value
            self.graph.add(name, value, update=True)

    def _read_one(self, chain: RelationChain, i: int, after_let: bool) -> None:
        rel, left, right = chain.rels[i], chain.terms[i], chain.terms[i + 1]
        head = defined_head(left)
        if chain.conditional == "arrow" and rel in _CHECKABLE:  # x = 2 ⟹ …: no definition
            self.check(_as_products(chain, self.functions), i)
        elif rel == "update":
            self._update(chain, i)
        elif i == 0 and rel == "=" and after_let and course_notation(left):
            self.check(_as_products(chain, self.functions), i)  # "let σ(x) = …": is it σ?
        elif rel == "def" or (i == 0 and rel == "=" and after_let):
            self.define(chain, i)
        elif (
            i == 0
            and rel == "="
            and self.is_new(left)
            and not {head[0], twin(head[0])} & set(right.free_symbols)
        ):  # w^{(1)} = w_1 + 1 is a claim about one member, as x = x + 1 is
            self.define(chain, i)
        elif i == 0 and rel == "=" and self._reshaped(left, right):
            self.define(chain, i)  # refused: the name already has another shape
        elif {
            function_name(f) for t in (left, right) for f in t.atoms(AppliedUndef)
        } & self.refused:
            self._unsupported(chain, i, "it uses a function whose definition was refused")
        elif rel in _CHECKABLE or (rel == "approx" and chain.rounding and chain.rounding[i]):
            self.check(_as_products(chain, self.functions), i)
        elif rel == "approx":
            self._unsupported(chain, i, _APPROX)
        else:
            self._unsupported(chain, i, f"the relation {rel} is not checked")

    def see(self, *exprs: sp.Basic, line: int, into: dict | None = None) -> None:
        """Record the names ``exprs`` use (in ``seen``, or in ``into``) and where first."""
        into = self.seen if into is None else into
        for e in exprs:
            names = e.free_symbols | {
                sp.Symbol(function_name(f), real=True) for f in e.atoms(AppliedUndef)
            }
            for name in names:
                into.setdefault(name, line)


def _as_products(chain: RelationChain, functions: dict) -> RelationChain:
    """``a(b)`` that defines nothing is the product a·b, as everywhere else."""

    def product(expr: sp.Basic) -> sp.Basic:
        return expr.replace(
            lambda e: isinstance(e, AppliedUndef) and function_name(e) not in functions,
            lambda e: sp.Symbol(e.func.__name__, real=True) * e.args[0],
        )

    return replace(chain, terms=tuple(product(t) for t in chain.terms))


def _beside_condition_words(text: str, blocks) -> list[bool]:
    """For each math block, whether the prose word just before or after it on its line makes it
    a condition or a case ("for $x > 0$", "$x = 1$ or $x = -1$", "当 $x>0$ 时")."""
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    found = []
    for block in blocks:
        begin = starts[block.line - 1] + block.column - 1 if block.line <= len(starts) else 0
        end = begin + len(block.content)
        before = text[max(0, begin - 40) : begin].split("\n")[-1].rstrip("$([\\ ")
        after = text[end : end + 40].split("\n")[0].lstrip("$)]\\ ")
        words = re.findall(r"[A-Za-z]+$", before) + re.findall(r"^[A-Za-z]+", after)
        found.append(is_condition(" ".join(words) + " " + before[-2:] + " " + after[:2]))
    return found


#: between a claim and its condition: "$A$ 当 $B$ 时。", "$A$ when $B$.", "$A$ for $B$.",
#: "$A$, with $B$." (the domain a definition is stated on)
_POSTFIX = re.compile(
    r"^[$\\)\]\s]*,?\s*(?:当|[Ww]hen(?:ever)?|[Ii]f|[Ff]or(?: all| every)?|[Ww]ith)"
    r"[\s$\\(\[]*$"
)
#: after the condition: the sentence ends there (a comma would make it the next claim's)
_POSTFIX_END = re.compile(r"^[$\\)\]\s]*时?\s*(?:[。.;；!！]|$)")


def _postfix_conditions(text: str, blocks, beside: list[bool]):
    """The blocks, with each "$A$ 当 $B$ 时。" (when, if, for) read as one formula "A, B": B is
    then a hypothesis of A's steps, as in ``A, \\quad B``, rather than both being left
    unchecked as conditions. Only inline formulas on one line, and only when the sentence
    ends after B."""
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    offset = lambda b: starts[b.line - 1] + b.column - 1 if b.line <= len(starts) else None
    merged, flags, k = [], [], 0
    while k < len(blocks):
        a = blocks[k]
        b = blocks[k + 1] if k + 1 < len(blocks) else None
        inline = b is not None and {a.kind, b.kind} <= {"$", "\\("} and a.line == b.line
        begin_a, begin_b = offset(a), offset(b) if b is not None else None
        if inline and begin_a is not None and begin_b is not None and "\n" not in a.content:
            between = text[begin_a + len(a.content) : begin_b]
            after = text[begin_b + len(b.content) :].split("\n")[0]
            if _POSTFIX.match(between) and _POSTFIX_END.match(after):
                content = f"{a.content},\\quad {b.content}"
                merged.append(replace(a, content=content))
                flags.append(False)
                k += 2
                continue
        merged.append(a)
        flags.append(beside[k])
        k += 1
    return merged, flags


def _after_let(text_lines: list[str], line: int, column: int) -> bool:
    before = text_lines[line - 1][: max(column - 1, 0)] if 0 < line <= len(text_lines) else ""
    return bool(_LET.search(before))


def _assumptions(document, source: str, reader: _Reader) -> list[Assumption]:
    """Every relation of every assumption comment; an unreadable one is an unreadable step."""
    found = []
    positions = document.assumption_positions or tuple(
        (line, 1) for _t, line in document.assumptions
    )
    for (text, _line), (line, column) in zip(document.assumptions, positions):
        try:
            chains = parse_math(text.strip().strip("$"), line=line, column=column, source=source)
        except ParseError as error:
            reader.unreadable(error, text)
            continue
        except Exception as exc:  # noqa: BLE001 — an assumption the reader trips on is unreadable
            reader.unreadable(ParseError(failure(exc), line, column, source), text)
            continue
        for chain in chains:
            for a, rel, b, ta, tb in zip(
                chain.terms, chain.rels, chain.terms[1:], chain.texts, chain.texts[1:]
            ):
                if rel not in _CHECKABLE:
                    reader.unreadable(
                        ParseError(
                            f"an assumption must be a relation such as 0 < s < 1, not {rel}",
                            line,
                            column,
                            source,
                        ),
                        text,
                    )
                    continue
                found.append(
                    Assumption(Prop(a, rel, b), line, f"{ta} {RELATION_LATEX.get(rel, rel)} {tb}")
                )
                reader.see(a, b, line=line)
                reader.see(a, b, line=line, into=reader.claimed)
    return found


_CONDITION = "a condition: the steps of this formula assume it"
_APPROX = "≈ is checked only between a closed expression and a decimal (rounded to its places)"


def _read_block(reader: _Reader, chains: list, lines: list[str], conditional: str) -> None:
    """One formula's chains; its conditions (``x \\in (0,1)``, the A of ``A \\implies B``)
    first, assumed for its steps only (after "let"/"设", for all later steps). When one of
    them cannot be assumed, the formula's relations are conditions, never refuted."""
    scope = (reader.assumptions, reader.point)
    let = bool(chains) and _after_let(lines, chains[0].line, chains[0].column)
    assumed = [c.conditional == "assume" and _hypothesis(c) for c in chains]
    loose = any(c.conditional == "assume" for c in chains) and not all(
        ok for c, ok in zip(chains, assumed) if c.conditional == "assume"
    )
    premise = next((k for k, ok in enumerate(assumed) if ok), len(chains))
    order = sorted(
        zip(chains, assumed, (k < premise for k in range(len(chains)))),
        key=lambda triple: _reading_order(reader, *triple),
    )
    for chain, ok, _ in order:
        first = chain is chains[0] and _after_let(lines, chain.line, chain.column)
        try:
            if ok:
                reader.suppose(chain, *() if let else (_CONDITION,))
            elif first and set(chain.rels) <= _CHECKABLE - {"="}:  # "设 $0 < s < 1$"
                reader.suppose(chain)
            else:
                written = "arrow" if loose or chain.conditional == "assume" else chain.conditional
                kind = strongest(written, "arrow" if conditional == "case" else conditional)
                reader.read(replace(chain, conditional=kind), first)
        except Exception as exc:  # noqa: BLE001 — one formula's failure must not lose the file
            reader.failed(chain, exc)
    if not let and any(assumed):
        reader.assumptions, reader.point = scope


def _for_heading(text: str, block, chains: list) -> bool:
    """Whether a formula is only conditions, after "For"/"对任意" and before ":" or ","."""
    if not chains or not all(
        _hypothesis(c) and (c.conditional == "assume" or set(c.rels) <= _CHECKABLE - {"="})
        for c in chains
    ):
        return False
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    if block.line > len(starts):
        return False
    begin = starts[block.line - 1] + block.column - 1
    before = text[max(0, begin - 40) : begin].split("\n")[-1]
    after = text[begin + len(block.content) : begin + len(block.content) + 8]
    return bool(_FOR.search(before) and _FOR_END.match(after))


def _paragraph_break(lines: list[str], start: int, line: int) -> bool:
    """Whether a blank line lies between lines ``start`` and ``line`` (1-based)."""
    return any(not lines[k].strip() for k in range(start, min(line - 1, len(lines))))


def _suppose_all(reader: _Reader, chains: list) -> None:
    for chain in chains:
        try:
            reader.suppose(chain, _FOR_WHY)
        except Exception as exc:  # noqa: BLE001 — one formula's failure must not lose the file
            reader.failed(chain, exc)


def _reading_order(reader: _Reader, chain: RelationChain, assumed: bool, first: bool) -> int:
    """A formula's definitions written before its conditions first (``x = 2, \\quad x > 0``
    defines x, never claims it under x > 0; the B of ``\\sigma(x) = 0.5 \\implies x = 0``
    stays a claim), then its conditions, then its claims."""
    head = defined_head(chain.terms[0]) if chain.rels == ("=",) and first else None
    if not assumed and not chain.conditional and head and reader.is_new(chain.terms[0]):
        return 0 if head[0] not in chain.terms[1].free_symbols else 2
    return 1 if assumed else 2


def _hypothesis(chain: RelationChain) -> bool:
    """Whether a condition can be assumed: relations between numbers, about some name."""
    return (
        set(chain.rels) <= _CHECKABLE
        and not any(isinstance(t, sp.MatrixBase) for t in chain.terms)
        and any(t.free_symbols for t in chain.terms)
    )


def _conditional(step: CheckedStep) -> CheckedStep:
    """A relation beside ⟹, "if", "or", "当" is a hypothesis, a case or a conclusion under one:
    a point where it fails (which may break the hypothesis) refutes nothing. Verified stays:
    true everywhere."""
    v = step.verdict
    if v is None or v.status != REFUTED:
        return step
    return replace(
        step,
        verdict=Verdict(
            UNDECIDED,
            v.prop,
            ms=v.ms,
            reason=(
                "part of a condition, a case or an implication (if, or, for, implies, 当…): "
                "proofsheet checks each relation on its own, and a point where it fails refutes "
                "nothing; state "
                "the hypothesis as % assume: …"
            ),
        ),
        mistake=None,
    )


def _distrust(step: CheckedStep) -> CheckedStep:
    """A counterexample that may break an assumption that could not be read is undecided.

    (A pass from assumptions no point is known to satisfy is refused by the kernel itself:
    the checker's witness point goes to :func:`~proofsheet.search.search_decide.decide`.)"""
    v = step.verdict
    if v is None or v.status != REFUTED:
        return step
    reason = "an assumption could not be read, so the counterexample may break it"
    return CheckedStep(
        step.line,
        step.column,
        step.text,
        step.lhs,
        step.rel,
        step.rhs,
        Verdict(UNDECIDED, v.prop, reason=reason, ms=v.ms),
        step.mistake,
    )


def check_text(
    text: str,
    *,
    assumptions=(),
    source: str = "<text>",
    seconds: float = DEFAULT_SECONDS,
) -> Report:
    """Check every step of a Markdown or LaTeX text. A formula that cannot be read (or a
    delimiter never closed) is an ``unreadable`` step, an error while checking one step is
    that step's ``undecided`` reason; the rest of the file is always checked. ``assumptions``
    are Props or strings such as ``"0 < x"``."""
    document, broken = read_leniently(text, source)
    given = given_assumptions(assumptions)
    reader = _Reader(given, seconds)
    written = _assumptions(document, source, reader)
    unread = bool(reader.steps)
    for error in broken:
        reader.unreadable(error, line_at(text, error.line))
    reader.assumptions = tuple(dict.fromkeys(reader.assumptions + tuple(a.prop for a in written)))
    reader.point = safe_witness(reader.assumptions)
    lines = text.split("\n")  # as the document counts lines (an OCR \f is no line break)
    previous: RelationChain | None = None
    beside = _beside_condition_words(text, document.blocks)
    blocks, beside = _postfix_conditions(text, document.blocks, beside)
    sections, after = section_lines(text), 0
    scope = None  # (assumptions, point, line) before a "For $x \in (0,1)$:" took effect
    for block, conditional in zip(blocks, beside):
        if any(after < n <= block.line for n in sections):
            reader.new_section()
        after = block.line + block.content.count("\n")
        # the supervisor of `proofsheet check` stops a worker silent for longer than this
        progress(max(own_seconds(seconds), REPORT_SECONDS), f"checking line {block.line}")
        functions = set(reader.functions) | reader.refused
        chains, error = parse_block(block, source, previous, functions, seconds, parse_math)
        if error is not None:  # unreadable: a "= …" after it continues nothing
            reader.unreadable(error, block.content)
            previous = None
            continue
        heading = _for_heading(text, block, chains)
        if scope is not None and (heading or _paragraph_break(lines, scope[2], block.line)):
            reader.assumptions, reader.point, _ = scope
            scope = None
        if heading:
            scope = (reader.assumptions, reader.point, block.line)
            _suppose_all(reader, chains)
        else:
            _read_block(reader, chains, lines, conditional)
        previous = chains[-1] if chains else previous
    steps = [_distrust(s) for s in reader.steps] if unread else reader.steps
    steps = sorted(steps, key=lambda s: s.line)  # an unclosed delimiter is reported in place
    point = reader.point  # "let x > 1" may have added assumptions on the way
    return Report(
        source,
        tuple(steps),
        reader.assumptions,
        tuple(written),
        None if point is None else tuple(point.items()),
        text=text,
        given=given,
        warnings=tuple(unused_assumption_names(written, steps)),
    )


def check_file(path: str | Path, **options) -> Report:
    """Check a file; one that cannot be read as text within the size limit is a ProofsheetError.

    FIFOs, devices and directories are refused before anything is read (see
    :func:`~proofsheet.search.limits.read_text_file`).
    """
    return check_text(read_text_file(path), source=str(path), **options)


__all__ = [
    "Assumption",
    "CheckedStep",
    "Report",
    "check_text",
    "check_file",
    "REFUTED",
    "UNDECIDED",
    "UNREADABLE",
    "VERIFIED",
]
