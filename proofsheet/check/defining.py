"""What the checker's reader does with a definition: accept or refuse it, update a name
(``w \\leftarrow w - \\eta g``), open a new section, and explain steps about names the file
never defined or gave another shape.  :class:`Defining` is mixed into the reader of
:mod:`proofsheet.check.checker`, which holds the state; the graph is
:mod:`proofsheet.check.definitions`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import sympy as sp
from sympy.core.function import AppliedUndef

from ..kernel import Prop
from ..kernel.notation import sigma, sigma_prime
from ..record.verdicts import REFUTED, UNDECIDED, VERIFIED, Verdict
from .definitions import Undecidable, applied_only, member_latex, shape_name, twin

if TYPE_CHECKING:
    from ..parsing.latex import RelationChain

#: the course's notation, which no definition may change: node type -> how it is named
_NOTATION = {sigma: "σ", sigma_prime: "σ′", sp.exp: "exp (e^x)", sp.log: "log/ln", sp.tanh: "tanh"}


def course_notation(expr: sp.Basic) -> str | None:
    """The course notation in ``expr`` (which a definition may not change), if any."""
    if expr.has(sp.E) or expr.has(sp.pi):
        return "e" if expr.has(sp.E) else "π"
    if any(not p.exp.is_integer for p in expr.atoms(sp.Pow)):
        return "\\sqrt"
    return next((name for node, name in _NOTATION.items() if expr.atoms(node)), None)


def defined_head(expr: sp.Basic) -> tuple[sp.Basic, tuple] | None:
    """``x``, ``u^{(i)}`` or ``f(x)``: (the name, the parameters), or None for anything else."""
    if isinstance(expr, (sp.Symbol, sp.Indexed)):
        return expr, ()
    if (
        isinstance(expr, AppliedUndef)
        and "'" not in expr.func.__name__  # f'(x) = … is a claim about f, never a definition
        and all(isinstance(a, sp.Symbol) for a in expr.args)
        and len(set(expr.args)) == len(expr.args)
    ):
        return sp.Symbol(expr.func.__name__, real=True), expr.args
    return None


def function_name(call: sp.Basic) -> str:
    """The function's name, ``f`` for ``f'(x)`` and ``f''(x)``."""
    return call.func.__name__.rstrip("'")


class Defining:
    """The reader's definitions (mixed into the checker's reader, which holds the state)."""

    def new_section(self) -> None:
        """A heading or a question label: a name may be defined again from here on."""
        self.graph.new_section()
        self.claimed.clear()

    def is_new(self, expr: sp.Basic) -> bool:
        head = defined_head(expr)
        return head is not None and head[0] not in self.claimed and head[0] not in self.graph.here

    def refusal(self, chain: RelationChain, i: int) -> str:
        """Why ``terms[i] := terms[i+1]`` may not be a definition ("" if it may)."""
        left, right = chain.terms[i], chain.terms[i + 1]
        head, notation = defined_head(left), course_notation(left)
        if notation:
            return f"the course's notation ({notation}) cannot be redefined"
        if left.is_number:
            return f"{left} is a number; a number cannot be defined"
        if head is None:
            return "only a name (z, \\hat{y}, u^{(i)}) or a function f(x) can be defined"
        name, params = head
        if name in self.graph.here:
            shape = self.graph.shapes.get(name, "")
            return (
                f"{name} is already defined{' as a ' + shape if shape else ''} "
                f"(line {self.seen.get(name, '?')}): use another name, or start a new section"
            )
        if twin(name) in self.definitions:
            other, mine = member_latex(twin(name)), member_latex(name)
            return f"{other} is already defined, and may be the same as {mine}"
        overlap = self._overlap(name)
        if overlap is not None:
            return f"{overlap} is already defined, and may be the same as {name}"
        if name in self.claimed:
            return (
                f"{name} is already used on line {self.claimed[name]}; a name cannot be "
                "defined after a step used it"
            )
        value = self._hiding(set(params), lambda: self.expand(right))
        used = (
            right.free_symbols
            | value.free_symbols
            | {sp.Symbol(f.func.__name__, real=True) for f in right.atoms(AppliedUndef)}
        )
        if name in used or left in used or (twin(name) is not None and twin(name) in used):
            return f"{member_latex(name)} is defined in terms of itself"
        return ""

    def define(self, chain: RelationChain, i: int) -> None:
        why = self.refusal(chain, i)
        if why:
            if isinstance(chain.terms[i], AppliedUndef):  # f(…) stays f applied, unknown
                self.refused.add(chain.terms[i].func.__name__)
            elif isinstance(chain.terms[i], (sp.Symbol, sp.Indexed)):
                line = chain.positions[i][0] if chain.positions else chain.line
                self.refused_names.setdefault(chain.terms[i], line)
            prop = Prop(chain.terms[i], "=", chain.terms[i + 1])
            self.steps.append(
                self._step(chain, i, Verdict(UNDECIDED, prop, reason=f"definition refused: {why}"))
            )
            return
        name, params = defined_head(chain.terms[i])
        # f(x) = x^2 after x := 3: the parameter x is f's own, not the defined x
        # … and x = 2 of an earlier section used here in a definition: x is a new variable
        for stale in self._stale(chain.terms[i + 1].free_symbols - set(params)):
            self.definitions.pop(stale)
            self.brings.pop(stale, None)
            self.graph.drop(stale)
        right, mine = chain.terms[i + 1], set(params)
        value = self._hiding(mine, lambda: self.expand(right))
        brought = self._hiding(mine, lambda: self.domain(chain, i + 1))
        written = self._hiding(
            mine,
            lambda: self.graph.differentiate(self._unfold_functions(right), set(self.definitions)),
        )
        if params:
            self.functions[name.name] = (params, value)
        self._resolve_deferred(name, value, brought)
        self.graph.add(name, written)
        self.definitions[name] = value
        for users in self.older.values():  # defined again: with the w of now
            users.discard(name)
        self.brings[name] = brought
        self.steps.append(self._step(chain, i, None))

    def _hiding(self, names: set, work: Callable[[], Any]) -> Any:
        """``work()`` with ``names`` read as plain variables: ``f(x) = x^2`` after
        ``x := 3`` (the parameter x is f's own), or x = 2 of an earlier section."""
        names = {n for n in names if n in self.definitions}
        if not names:
            return work()
        kept = {n: (self.definitions.pop(n), self.brings.pop(n, ())) for n in names}
        graph = self.graph
        self.graph = graph.without(names)
        try:
            return work()
        finally:
            self.graph = graph
            for n, (value, brought) in kept.items():
                self.definitions[n], self.brings[n] = value, brought

    def _resolve_deferred(self, name: sp.Basic, value: sp.Basic, brought: tuple) -> None:
        """``L = -\\log\\hat y`` … "where ``\\hat y = \\sigma(z)``": earlier definitions that
        used the name now mean its value (definitions stay fully expanded)."""
        for other, old in list(self.definitions.items()):
            if name in old.free_symbols and other in self.graph.here:
                try:
                    self.definitions[other] = old.xreplace({name: value})
                except (sp.ShapeError, sp.NonSquareMatrixError, TypeError, ValueError):
                    continue  # f(x) = e^{-x}, then x = [x_1, x_2]: f's x is its own
                self.brings[other] = tuple(dict.fromkeys((*self.brings.get(other, ()), *brought)))
        for fname, (params, body) in list(self.functions.items()):
            mine = sp.Symbol(fname, real=True) in self.graph.here
            if mine and name in body.free_symbols and name not in params:
                self.functions[fname] = (params, body.xreplace({name: value}))

    def unrelated(self, term: sp.Basic) -> None:
        """Refuse ``\\frac{\\partial L}{\\partial z}`` where L is defined without z and z is
        no node of the graph: its derivative would be 0 only because the file never says how z
        enters L (``L(y, \\hat y)`` with no ``\\hat y = \\sigma(z)``)."""
        for d in term.atoms(sp.Derivative):
            if not (isinstance(d.expr, sp.Symbol) and d.expr in self.definitions):
                continue
            value = self.definitions[d.expr]
            for v in d.variables:
                if v not in self.graph.raw and v not in value.free_symbols:
                    f, x = sp.latex(d.expr), sp.latex(v)
                    raise Undecidable(
                        f"{f} is defined without {x}: its derivative with respect to {x} is 0 "
                        f"only because the file does not say how {x} enters {f} (e.g. "
                        "\\hat{y} = \\sigma(z)); define that first"
                    )

    def _check_without(self, chain: RelationChain, i: int, names: set) -> None:
        """Check with ``names`` (defined in an earlier section) read as plain variables."""
        self._hiding(names, lambda: self._check(chain, i))

    def _stale(self, names: set) -> set:
        """The ``names`` that an earlier section defined as a number (x = 2 in a worked
        example) and this one did not: a later question may use x as a new variable."""
        return {
            n
            for n in names
            if n in self.definitions
            and n not in self.graph.here
            and not self.definitions[n].free_symbols
            and getattr(n, "name", "") not in self.functions
        }

    def _check_in_scope(self, chain: RelationChain, i: int, written: set) -> None:
        """Check; a name an earlier section defined as a number is read both ways (as
        defined, and as a new variable), and a step that is decided differently is undecided."""
        stale = self._stale(written)
        if not stale:
            self._check(chain, i)
            return
        self._check_without(chain, i, stale)
        fresh = self.steps.pop().status
        self._check(chain, i)
        old = self.steps[-1]
        if old.status == fresh or (old.status, fresh) == (VERIFIED, UNDECIDED):
            return
        name = sorted(stale, key=str)[0]
        x = sp.latex(name)
        why = (
            f"{x} = {sp.latex(self.definitions[name])} in an earlier section: with that value "
            f"this step is {old.status}, with {x} as a new variable it is {fresh}; define {x} "
            "again here to say which you mean"
        )
        verdict = Verdict(UNDECIDED, old.verdict.prop, ms=old.verdict.ms, reason=why)
        self.steps[-1] = replace(old, verdict=verdict, mistake=None)

    def _unknown_function(self, chain: RelationChain, i: int, verdict: Verdict) -> Verdict:
        """``h(2) = 4`` with no h defined: refuted only as the product h·2, which is not what
        was meant — undecided, h is not defined."""
        if verdict.status != REFUTED:
            return verdict
        known = set(self.functions) | {d.name for d in self.definitions if d.is_Symbol}
        unknown = sorted(applied_only(f"{chain.texts[i]} {chain.texts[i + 1]}") - known)
        if not unknown:
            return verdict
        h = unknown[0]
        why = (
            f"{h} is not defined in this file: {h}(…) is a function proofsheet does not know "
            f"(define it first, e.g. {h}(x) = …)"
        )
        return Verdict(UNDECIDED, verdict.prop, ms=verdict.ms, reason=why)

    def _update(self, chain: RelationChain, i: int) -> None:
        """``w \\leftarrow w - \\eta g``: the rest of the chain still means the old w; the
        steps after it, the new one."""
        name = chain.terms[i]
        if not isinstance(name, (sp.Symbol, sp.Indexed)) or course_notation(name):
            self._unsupported(chain, i, "only a name (w, b, W_1) can be updated with ←")
            return
        self.updates[name] = self.expand(chain.terms[i + 1])
        self.steps.append(self._step(chain, i, None))

    def _reshaped(self, left: sp.Basic, right: sp.Basic) -> bool:
        """``x = 3`` where this section made x a vector: a name reused with another shape."""
        return left in self.graph.here and self.graph.shapes.get(left) != shape_name(right)
