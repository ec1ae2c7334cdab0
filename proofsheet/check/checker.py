"""Check a student's derivation, written in Markdown or LaTeX, step by step.

>>> report = check_text("$$1 - \\\\sigma(x) = \\\\sigma(-x)$$")
>>> [s.verdict.status for s in report.steps]
['verified']

Every adjacent pair of a chain ``A = B \\le C`` is one step, decided by the
same kernel as ``make proofs``.  A relation whose left side is a bare name
not seen before (or written with ``:=``, or after "let", "设", "令") defines
that name — or a function, ``f(x) = …``; later steps are checked with the
definition substituted. A definition cannot lie: one that redefines the
course's notation, a number or a name already used, or refers to itself, is
refused (an undecided step with the reason). A formula that cannot be read is
an ``unreadable`` step; the rest of the file is still checked. Every
assumption is used, and none passes a step while no point satisfying them all
is known (:mod:`proofsheet.search.assumption_point`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import sympy as sp
from sympy.core.function import AppliedUndef

from ..kernel import Prop
from ..kernel.domain import Condition, conditions
from ..kernel.errors import CheckTimeout, ParseError
from ..kernel.interval import bounds
from ..kernel.notation import sigma, sigma_prime
from ..parsing.document import read_document
from ..parsing.latex import RelationChain, parse_math, strongest
from ..parsing.latex_build import power_too_large
from ..parsing.latex_tables import DECIMAL, RELATION_LATEX, is_condition
from ..record.verdicts import REFUTED, UNDECIDED, VERIFIED, Verdict
from ..search.assumption_point import witness
from ..search.decide import DEFAULT_SECONDS, decide
from ..search.limits import own_seconds, read_text_file, time_limit
from .buggy import feedback

_LET = re.compile(r"(?:\blet|\bLet|设|令)\s*[$\\(\[]*\s*$")
_CHECKABLE = {"=", "<=", "<", ">=", ">"}
UNREADABLE = "unreadable"
#: the course's notation, which no definition may change: node type -> how it is named
_NOTATION = {sigma: "σ", sigma_prime: "σ′", sp.exp: "exp (e^x)", sp.log: "log/ln", sp.tanh: "tanh"}


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

    @property
    def is_definition(self) -> bool:
        return self.verdict is None and not self.unreadable

    @property
    def status(self) -> str:
        if self.unreadable:
            return UNREADABLE
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

    @property
    def consistent(self) -> bool:
        return self.witness is not None

    @property
    def checked(self) -> list[CheckedStep]:
        return [s for s in self.steps if not s.is_definition]

    @property
    def ok(self) -> bool:
        return bool(self.checked) and all(s.status == VERIFIED for s in self.checked)

    @property
    def first_wrong(self) -> CheckedStep | None:
        """The first step shown wrong by a counterexample (an undecided step is not wrong)."""
        return next((s for s in self.checked if s.status == REFUTED), None)

    def count(self, status: str) -> int:
        return sum(s.status == status for s in self.steps)


def _notation(expr: sp.Basic) -> str | None:
    """The course notation in ``expr`` (which a definition may not change), if any."""
    if expr.has(sp.E) or expr.has(sp.pi):
        return "e" if expr.has(sp.E) else "π"
    if any(not p.exp.is_integer for p in expr.atoms(sp.Pow)):
        return "\\sqrt"
    return next((name for node, name in _NOTATION.items() if expr.atoms(node)), None)


def _head(expr: sp.Basic) -> tuple[sp.Basic, tuple] | None:
    """``x``, ``u^{(i)}`` or ``f(x)``: (the name, the parameters), or None for anything else."""
    if isinstance(expr, (sp.Symbol, sp.Indexed)):
        return expr, ()
    if (
        isinstance(expr, AppliedUndef)
        and all(isinstance(a, sp.Symbol) for a in expr.args)
        and len(set(expr.args)) == len(expr.args)
    ):
        return sp.Symbol(expr.func.__name__, real=True), expr.args
    return None


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


class _TooLarge(Exception):
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
                    f"{mapping[v]} is not supported: differentiate with respect to "
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
class _Reader:
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
    #: where every assumption holds (None: no such point was found); the kernel checks it
    point: dict | None = field(default_factory=dict)

    def expand(self, expr: sp.Basic) -> sp.Basic:
        """Unfold the functions and substitute the names defined so far (already expanded)."""
        if self.functions:
            expr = expr.replace(
                lambda e: (
                    isinstance(e, AppliedUndef)
                    and e.func.__name__ in self.functions
                    and len(e.args) == len(self.functions[e.func.__name__][0])
                ),  # g(1) for g(a, b)
                lambda e: self._unfold(e),
            )
        if not self.definitions:
            return expr
        _guard(expr, self.definitions)
        _guard_derivatives(expr, self.definitions)
        return expr.xreplace(_members_kept(expr, self.definitions))

    def _unfold(self, call: sp.Basic) -> sp.Basic:
        params, body = self.functions[call.func.__name__]
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
                found += self.brings.get(name, ())
            for call in term.atoms(AppliedUndef):
                params = self.functions.get(call.func.__name__, ((),))[0]
                found += [
                    replace(c, expr=c.expr.xreplace(dict(zip(params, call.args))))
                    for c in self.brings.get(sp.Symbol(call.func.__name__, real=True), ())
                ]
            found += conditions(self.expand(term))
        return tuple(dict.fromkeys(found))

    def is_new(self, expr: sp.Basic) -> bool:
        head = _head(expr)
        return head is not None and head[0] not in self.claimed and head[0] not in self.definitions

    def refusal(self, chain: RelationChain, i: int) -> str:
        """Why ``terms[i] := terms[i+1]`` may not be a definition ("" if it may)."""
        left, right = chain.terms[i], chain.terms[i + 1]
        head, notation = _head(left), _notation(left)
        if notation:
            return f"the course's notation ({notation}) cannot be redefined"
        if left.is_number:
            return f"{left} is a number; a number cannot be defined"
        if head is None:
            return "only a name (z, \\hat{y}, u^{(i)}) or a function f(x) can be defined"
        name, params = head
        if name in self.definitions:
            return f"{name} is already defined (line {self.seen.get(name, '?')})"
        overlap = self._overlap(name)
        if overlap is not None:
            return f"{overlap} is already defined, and may be the same as {name}"
        if name in self.claimed:
            return (
                f"{name} is already used on line {self.claimed[name]}; a name cannot be "
                "defined after a step used it"
            )
        value = self.expand(right)
        used = (
            right.free_symbols
            | value.free_symbols
            | {sp.Symbol(f.func.__name__, real=True) for f in right.atoms(AppliedUndef)}
        )
        if name in used or left in used:
            return f"{name} is defined in terms of itself"
        return ""

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

    def define(self, chain: RelationChain, i: int) -> None:
        why = self.refusal(chain, i)
        if why:
            if isinstance(chain.terms[i], AppliedUndef):  # f(…) stays f applied, unknown
                self.refused.add(chain.terms[i].func.__name__)
            prop = Prop(chain.terms[i], "=", chain.terms[i + 1])
            self.steps.append(
                self._step(chain, i, Verdict(UNDECIDED, prop, reason=f"definition refused: {why}"))
            )
            return
        name, params = _head(chain.terms[i])
        # f(x) = x^2 after x := 3: the parameter x is f's own, not the defined x
        hidden = {
            p: (self.definitions.pop(p), self.brings.pop(p, ()))
            for p in params
            if p in self.definitions
        }
        try:
            value = self.expand(chain.terms[i + 1])
            brought = self.domain(chain, i + 1)
        finally:
            for p, (old_value, old_brings) in hidden.items():
                self.definitions[p], self.brings[p] = old_value, old_brings
        if params:
            self.functions[name.name] = (params, value)
        self._resolve_deferred(name, value, brought)
        self.definitions[name] = value
        self.brings[name] = brought
        self.steps.append(self._step(chain, i, None))

    def _resolve_deferred(self, name: sp.Basic, value: sp.Basic, brought: tuple) -> None:
        """``L = -\\log\\hat y`` … "where ``\\hat y = \\sigma(z)``": earlier definitions that
        used the name now mean its value (definitions stay fully expanded)."""
        for other, old in list(self.definitions.items()):
            if name in old.free_symbols:
                self.definitions[other] = old.xreplace({name: value})
                self.brings[other] = tuple(dict.fromkeys((*self.brings.get(other, ()), *brought)))
        for fname, (params, body) in list(self.functions.items()):
            if name in body.free_symbols and name not in params:
                self.functions[fname] = (params, body.xreplace({name: value}))

    def check(self, chain: RelationChain, i: int) -> None:
        domain = self.domain(chain, i, i + 1)
        lhs, rhs = self.expand(chain.terms[i]), self.expand(chain.terms[i + 1])
        members, why = _members((lhs, rhs), self.definitions)
        why = why or self._bold_and_plain(chain, i)
        prop = _rounded(
            Prop(
                lhs.xreplace(members),
                "=" if chain.rels[i] == "approx" else chain.rels[i],
                rhs.xreplace(members),
                domain=tuple(replace(c, expr=c.expr.xreplace(members)) for c in domain),
            ),
            chain.rounding[i] if chain.rounding else None,
        )
        if chain.rels[i] == "approx" and prop.rel == "=":
            why = why or _APPROX
        if why:
            self.steps.append(self._step(chain, i, Verdict(UNDECIDED, prop, reason=why)))
            return
        verdict = self._precheck(prop) or decide(
            prop, self.assumptions, self.seconds, point=self.point
        )
        mistake = feedback(prop, self.seconds) if verdict.status != VERIFIED else None
        if verdict.status == REFUTED and prop.rel == "<=" and isinstance(prop.lhs, sp.Abs):
            mistake = _rounding_hint(chain, i, lhs, rhs) or mistake
        self.steps.append(self._step(chain, i, verdict, mistake))

    @staticmethod
    def _precheck(prop: Prop) -> Verdict | None:
        """Undecided at once: an undefined name's derivative (a statement about a non-real
        number is the kernel's to refuse: :func:`decide` asks it first)."""
        name = _bare_derivative(prop.lhs) or _bare_derivative(prop.rhs)
        if name is not None:
            return Verdict(
                UNDECIDED,
                prop,
                reason=f"{name} is not defined, so its derivative "
                "is unknown (define it first, e.g. L(w) = …)",
            )
        return None

    def _step(
        self, chain: RelationChain, i: int, verdict: Verdict | None, mistake: str | None = None
    ) -> CheckedStep:
        # a step is reported where its new right side is written (the next line of an align)
        line, column = chain.positions[i + 1] if chain.positions else (chain.line, chain.column)
        rel = {"def": ":=", **RELATION_LATEX}.get(chain.rels[i], chain.rels[i])
        text = f"{chain.texts[i]} {rel} {chain.texts[i + 1]}"
        return CheckedStep(
            line, column, text, chain.terms[i], chain.rels[i], chain.terms[i + 1], verdict, mistake
        )

    def _unsupported(self, chain: RelationChain, i: int, why: str) -> None:
        prop = Prop(self.expand(chain.terms[i]), "=", self.expand(chain.terms[i + 1]))
        self.steps.append(self._step(chain, i, Verdict(UNDECIDED, prop, reason=why)))

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
        self, chain: RelationChain, why: str = "a hypothesis (let …): the steps after it assume it"
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
            self.steps.append(
                self._step(
                    chain,
                    i,
                    Verdict(UNDECIDED, prop, reason=why),
                )
            )
            for into in (self.seen, self.claimed):
                self.see(
                    chain.terms[i],
                    chain.terms[i + 1],
                    into=into,
                    line=chain.positions[i][0] if chain.positions else chain.line,
                )
        self.point = witness(self.assumptions)  # the kernel passes nothing from them without

    def read(self, chain: RelationChain, after_let: bool) -> None:
        first = len(self.steps)
        self._read_chain(chain, after_let)
        if chain.conditional:
            self.steps[first:] = [_conditional(s) for s in self.steps[first:]]

    def _read_chain(self, chain: RelationChain, after_let: bool) -> None:
        for i in range(len(chain.rels)):
            left, right = chain.terms[i], chain.terms[i + 1]
            before = len(self.steps)
            try:
                self._read_one(chain, i, after_let)
            except _TooLarge as exc:
                prop = Prop(left, "=", right)
                self.steps.append(self._step(chain, i, Verdict(UNDECIDED, prop, reason=str(exc))))
            line = chain.positions[i][0] if chain.positions else chain.line
            self.see(left, right, line=line)
            if not (len(self.steps) > before and self.steps[-1].is_definition):
                self.see(left, right, line=line, into=self.claimed)

    def _read_one(self, chain: RelationChain, i: int, after_let: bool) -> None:
        rel, left, right = chain.rels[i], chain.terms[i], chain.terms[i + 1]
        head = _head(left)
        if chain.conditional == "arrow" and rel in _CHECKABLE:  # x = 2 ⟹ …: no definition
            self.check(_as_products(chain, self.functions), i)
        elif rel == "def" or (i == 0 and rel == "=" and after_let):
            self.define(chain, i)
        elif i == 0 and rel == "=" and self.is_new(left) and head[0] not in right.free_symbols:
            self.define(chain, i)
        elif {f.func.__name__ for t in (left, right) for f in t.atoms(AppliedUndef)} & self.refused:
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
                sp.Symbol(f.func.__name__, real=True) for f in e.atoms(AppliedUndef)
            }
            for name in names:
                into.setdefault(name, line)


_MEMBER = re.compile(r"(.+)_(\d+)")


def _summed_families(exprs: tuple[sp.Basic, ...]) -> dict[str, sp.IndexedBase]:
    """The families ``x`` whose members ``x_k`` a ∑/∏ runs over, by name."""
    return {
        ind.base.label.name: ind.base
        for e in exprs
        for op in e.atoms(sp.Sum, sp.Product)
        for ind in op.function.atoms(sp.Indexed)
        if ind.free_symbols & set(op.variables)
    }


def _members(exprs: tuple[sp.Basic, ...], definitions: dict) -> tuple[dict, str]:
    """``x_1`` written next to ``\\sum_i x_i`` is the family's first member ``x[1]``, the same
    variable (else the sum's expansion x_1 + x_2 would be refuted). A member with another
    subscript (``x_n``, ``x_{n+1}``) or one that is defined cannot be matched: the reason."""
    families = _summed_families(exprs)
    if not families:
        return {}, ""
    mapping: dict = {}
    names = {s for e in exprs for s in e.atoms(sp.Symbol)}  # with ∂/∂x_1's variable
    for s in names | {d for d in definitions if isinstance(d, sp.Symbol)}:
        family, _, sub = s.name.partition("_")
        if family not in families or not sub:
            continue
        m = _MEMBER.fullmatch(s.name)
        if s in definitions or m is None:
            return {}, (
                f"{s} and the {family}_k of a sum or product: proofsheet cannot tell "
                f"whether {s} is one of them{' (it is defined)' if m else ''}; "
                "write the sum out term by term"
            )
        mapping[s] = sp.Indexed(families[family], sp.Integer(m.group(2)))
    return mapping, ""


def _as_products(chain: RelationChain, functions: dict) -> RelationChain:
    """``a(b)`` that defines nothing is the product a·b, as everywhere else."""

    def product(expr: sp.Basic) -> sp.Basic:
        return expr.replace(
            lambda e: isinstance(e, AppliedUndef) and e.func.__name__ not in functions,
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
    for chain, ok in sorted(zip(chains, assumed), key=lambda pair: not pair[1]):
        first = chain is chains[0] and _after_let(lines, chain.line, chain.column)
        if ok:
            reader.suppose(chain, *() if let else (_CONDITION,))
            continue
        if first and set(chain.rels) <= _CHECKABLE - {"="}:  # "设 $0 < s < 1$"
            reader.suppose(chain)
            continue
        written = "arrow" if loose or chain.conditional == "assume" else chain.conditional
        kind = strongest(written, "arrow" if conditional == "case" else conditional)
        reader.read(replace(chain, conditional=kind), first)
    if not let and any(assumed):
        reader.assumptions, reader.point = scope


def _hypothesis(chain: RelationChain) -> bool:
    """Whether a condition can be assumed: relations between numbers, about some name."""
    return (
        set(chain.rels) <= _CHECKABLE
        and not any(isinstance(t, sp.MatrixBase) for t in chain.terms)
        and any(t.free_symbols for t in chain.terms)
    )


def _rounding_hint(chain: RelationChain, i: int, lhs: sp.Basic, rhs: sp.Basic) -> str | None:
    """``\\sigma(1) = 0.8``: "σ(1) = 0.731059…, which rounds to 0.7 at 1 place"."""
    places = chain.rounding[i] if chain.rounding else None
    decimal = [bool(DECIMAL.match(t)) for t in chain.texts[i : i + 2]]
    if places is None or all(decimal) or not any(decimal):
        return None
    text, value = (chain.texts[i], lhs) if decimal[1] else (chain.texts[i + 1], rhs)
    try:
        low, high = bounds(value)
    except Exception:  # noqa: BLE001 - only a hint: no value, no hint
        return None
    middle = float((low + high) / 2)  # shown, never compared
    return (
        f"{text} = {middle:.{places + 3}f}…, which rounds to {middle:.{places}f} at "
        f"{places} decimal place{'s' if places > 1 else ''}"
    )


def _rounded(prop: Prop, places: int | None) -> Prop:
    """``\\sigma(1) \\approx 0.731`` (or ``= 0.731``): |σ(1) − 0.731| ≤ 0.0005, when both sides
    are closed; with a free name, ``=`` stays exact (and ``\\approx`` is not checked)."""
    closed = not (prop.lhs.free_symbols or prop.rhs.free_symbols)
    numbers = not any(isinstance(side, sp.MatrixBase) for side in (prop.lhs, prop.rhs))
    if places is None or not closed or not numbers or prop.rel != "=":
        return prop
    half = sp.Rational(1, 2 * 10**places)
    return Prop(sp.Abs(prop.lhs - prop.rhs), "<=", half, domain=prop.domain)


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
    assumptions: tuple[Prop, ...] = (),
    source: str = "<text>",
    seconds: float = DEFAULT_SECONDS,
) -> Report:
    """Check every step of a Markdown or LaTeX text; a formula that cannot be read is an
    ``unreadable`` step (ParseError only when the document's structure is broken)."""
    document = read_document(text, source=source)
    reader = _Reader(tuple(assumptions), seconds)
    written = _assumptions(document, source, reader)
    unread = bool(reader.steps)
    reader.assumptions = tuple(dict.fromkeys(reader.assumptions + tuple(a.prop for a in written)))
    point = witness(reader.assumptions)
    reader.point = point
    lines = text.splitlines()
    previous: RelationChain | None = None
    beside = _beside_condition_words(text, document.blocks)
    for block, conditional in zip(document.blocks, beside):
        try:
            with time_limit(own_seconds(seconds), "reading this formula"):
                chains = parse_math(
                    block.content,
                    line=block.line,
                    column=block.column,
                    source=source,
                    previous=previous,
                    functions=set(reader.functions) | reader.refused,
                )
        except CheckTimeout as late:
            reader.unreadable(
                ParseError(str(late), block.line, block.column, source), block.content
            )
            continue
        except ParseError as error:
            reader.unreadable(error, block.content)
            continue
        _read_block(reader, chains, lines, conditional)
        previous = chains[-1] if chains else previous
    steps = [_distrust(s) for s in reader.steps] if unread else reader.steps
    point = reader.point  # "let x > 1" may have added assumptions on the way
    return Report(
        source,
        tuple(steps),
        reader.assumptions,
        tuple(written),
        None if point is None else tuple(point.items()),
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
