r"""A file's definitions as a computational graph: each defined name is a node.

``z = wx + b``, ``\hat{y} = \sigma(z)``, ``L = -y\log\hat{y} - …`` are kept *as written*
(:class:`Graph`, ``raw``): a node's value names the nodes below it.  A derivative with
respect to a node, ``\frac{\partial L}{\partial \hat{y}}``, differentiates the expression
with every other node unfolded and that node held as the variable; nodes below it stay
put, the ones above it are unfolded into it, so ``\partial L/\partial z`` is the total
derivative through ``\hat y = \sigma(z)`` (the chain rule, by substitution).  The result is
an ordinary expression, which the kernel then decides like any other.

Also here: the shape of a name (a number, or an m×n matrix written ``[x_1, x_2]``), and
where a new section of the file starts (a heading or a question label), after which a
name may be defined again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sympy as sp


class Undecidable(Exception):
    """A step cannot be decided; the message says why, in words a student reads."""


def shape_name(value: sp.Basic) -> str | None:
    """``1×2 vector``, ``2×3 matrix`` for a matrix value; None for a number."""
    if not isinstance(value, sp.MatrixBase):
        return None
    rows, cols = value.shape
    kind = "vector" if 1 in (rows, cols) else "matrix"
    return f"{rows}×{cols} {kind}"


def _derivative_parts(d: sp.Derivative) -> list[tuple[sp.Basic, int]]:
    return [(v, int(n)) for v, n in d.variable_count]


@dataclass
class Graph:
    """The definitions as written: node -> its value naming the nodes below it."""

    raw: dict[sp.Basic, sp.Basic] = field(default_factory=dict)
    #: node -> its shape ("1×2 vector"), only for names that are not numbers
    shapes: dict[sp.Basic, str] = field(default_factory=dict)
    #: the names defined in the current section (a new section may define a name again)
    here: set[sp.Basic] = field(default_factory=set)

    def add(self, name: sp.Basic, value: sp.Basic, update: bool = False) -> None:
        """Define ``name``; a name defined before (an earlier section, or an update
        ``w ← w − ηg``) is replaced, and the nodes that used it keep their old meaning (its
        old value is put into them).  An update's value may name the old ``w``: a leaf."""
        self.drop(name)
        if not (update and name in value.free_symbols):
            self.raw[name] = value
        shape = shape_name(value)
        if shape:
            self.shapes[name] = shape
        self.here.add(name)

    def drop(self, name: sp.Basic) -> None:
        """Forget the node ``name``; the nodes that used it keep its value."""
        old = self.raw.pop(name, None)
        self.shapes.pop(name, None)
        if old is not None:
            for other, body in list(self.raw.items()):
                if name in body.free_symbols:
                    self.raw[other] = body.xreplace({name: old})

    def without(self, names: set) -> Graph:
        """This graph with ``names`` read as plain variables (their nodes dropped)."""
        keep = {k: v for k, v in self.raw.items() if k not in names}
        shapes = {k: v for k, v in self.shapes.items() if k not in names}
        return Graph(keep, shapes, self.here - names)

    def new_section(self) -> None:
        self.here = set()

    def unfold_except(self, expr: sp.Basic, variable: sp.Basic) -> sp.Basic:
        """``expr`` with every node but ``variable`` replaced by its value, down to the
        leaves (a node's value never names the node itself, so this ends)."""
        mapping = {k: v for k, v in self.raw.items() if k != variable}
        for _ in range(len(mapping) + 1):
            names = expr.free_symbols & set(mapping)
            if not names:
                return expr
            expr = expr.xreplace({k: mapping[k] for k in names})
        raise Undecidable("the definitions refer to each other in a circle")

    def differentiate(self, expr: sp.Basic, defined: set[sp.Basic]) -> sp.Basic:
        """Every derivative in ``expr`` with respect to a defined node, computed through the
        graph (innermost first); other derivatives are left as they are."""
        if not self.raw or not expr.has(sp.Derivative):
            return expr
        return expr.replace(
            lambda e: isinstance(e, sp.Derivative) and any(v in self.raw for v in e.variables),
            lambda e: self._through(e, defined),
        )

    def _through(self, d: sp.Derivative, defined: set[sp.Basic]) -> sp.Basic:
        body = d.expr
        for variable, times in _derivative_parts(d):
            if not isinstance(variable, (sp.Symbol, sp.Indexed)):
                raise Undecidable(f"cannot differentiate with respect to {variable}")
            if variable in self.shapes:
                raise Undecidable(
                    f"{variable} is a {self.shapes[variable]}: a derivative with respect to a "
                    "vector or matrix is not supported; differentiate entry by entry"
                )
            unfolded = self.unfold_except(body, variable)
            undefined = _undefined_head(unfolded, variable, defined)
            if undefined is not None:
                raise Undecidable(not_defined(undefined))
            self._refuse_bypass(d.expr, unfolded, variable)
            _refuse_number(d.expr, unfolded, variable)
            body = sp.diff(unfolded, variable, times)
        return body

    def _refuse_bypass(self, written: sp.Basic, unfolded: sp.Basic, variable: sp.Basic) -> None:
        """``L = -y\\log\\sigma(z)`` and ``\\hat y = \\sigma(z)``: L is written without ŷ but
        depends on what ŷ is made of, so ∂L/∂ŷ = 0 is not what a student means."""
        if variable in unfolded.free_symbols:
            return
        leaves = self.unfold_except(unfolded, sp.Dummy()).free_symbols
        below = self.unfold_except(variable, sp.Dummy()).free_symbols - {variable}
        shared = sorted(leaves & below, key=str)
        if shared:
            f, v = sp.latex(written), sp.latex(variable)
            raise Undecidable(
                f"{f} is written without {v}, but both depend on {sp.latex(shared[0])}: "
                f"whether the derivative is 0 depends on what is held fixed; write {f} in "
                f"terms of {v} to differentiate with respect to it"
            )


def _refuse_number(written: sp.Basic, unfolded: sp.Basic, variable: sp.Basic) -> None:
    """``L = -\\log 0.5`` in a worked example, then ``\\partial L/\\partial w``: L's value at
    the point, not its formula; the derivative the student means is not 0."""
    if variable in unfolded.free_symbols or unfolded.free_symbols or written == unfolded:
        return
    f, v = sp.latex(written), sp.latex(variable)
    raise Undecidable(
        f"{f} is defined here as a number ({sp.latex(unfolded)}), not as a formula in {v}, "
        f"so its derivative with respect to {v} cannot be taken; define {f} by its formula "
        "and give the numbers separately"
    )


def twin(name: sp.Basic) -> sp.Basic | None:
    """The other spelling of a family member: ``w^{(1)}`` for ``w_1`` and back (one family,
    as in a sum); None for a name that is no numbered member."""
    if isinstance(name, sp.Indexed) and len(name.indices) == 1 and name.indices[0].is_Integer:
        return sp.Symbol(f"{name.base.label}_{name.indices[0]}", real=True)
    family, _, sub = getattr(name, "name", "").partition("_")
    if isinstance(name, sp.Symbol) and family and sub.isdigit():
        return sp.Indexed(sp.IndexedBase(sp.Symbol(family, real=True)), int(sub))
    return None


def member_latex(name: sp.Basic) -> str:
    """``w^{(1)}`` as a student writes it (SymPy would print ``{w}_{1}``)."""
    if isinstance(name, sp.Indexed):
        return f"{name.base.label}^{{({', '.join(sp.latex(i) for i in name.indices)})}}"
    return sp.latex(name)


def _undefined_head(expr: sp.Basic, variable: sp.Basic, defined: set) -> sp.Basic | None:
    """The name differentiated when it is a bare name the file never defines (L in
    ``\\partial L/\\partial z``): its derivative is unknown, not zero."""
    if isinstance(expr, (sp.Symbol, sp.Indexed)) and expr != variable and expr not in defined:
        return expr
    return None


def not_defined(name: sp.Basic) -> str:
    return (
        f"{sp.latex(name)} is not defined in this file, so its derivative is unknown "
        f"(define it first, e.g. {sp.latex(name)} = …)"
    )


def shape_trouble(names: set, shapes: dict[sp.Basic, str], lines: dict) -> str:
    """Why a step that uses a vector or matrix name cannot be checked as numbers ("" if it
    uses none)."""
    used = sorted((n for n in names if n in shapes), key=str)
    if not used:
        return ""
    name = used[0]
    where = f" (line {lines[name]})" if name in lines else ""
    return (
        f"{sp.latex(name)} is a {shapes[name]}{where}, and this step uses it where a number "
        "is needed (e^{…}, log, σ, a sum with a number): write it entry by entry, or start a "
        "new section to use the name for a number"
    )


def scalar_uses(expr: sp.Basic, names: set) -> set:
    """The ``names`` that ``expr`` puts where only a number can stand: inside e^{…}, log, σ
    (any function), a power, or as the variable of a derivative."""
    found: set = set()
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Derivative):
            found |= set(node.variables) & names
        elif isinstance(node, (sp.Function, sp.Pow)):
            found |= node.free_symbols & names
    return found


_FUNCTION_LETTERS = "fghFGHLJ"  # the letters a course writes for a function, f(x), L(w)
_OPEN = r"(?=\s*(?:\\left|\\[bB]ig[lr]?)?\s*\()"


def applied_only(text: str) -> set[str]:
    """The function letters ``h`` that ``text`` writes only before a parenthesis, ``h(2)``:
    a function the file never defined, rather than a factor (``f(1-f)`` also has f alone)."""
    found = set()
    for letter in _FUNCTION_LETTERS:
        alone = rf"(?<![\\a-zA-Z]){letter}(?![a-zA-Z])"
        applied = len(re.findall(alone + _OPEN, text))
        if applied and applied == len(re.findall(alone, text)):
            found.add(letter)
    return found


#: a line that starts a new section: a Markdown heading, \section, or a question label
#: ("Q2", "Question 3", "2.", "2.1", "(b)", "b)", "第2题", "问题 2"); "2." and "(b)" only
#: before prose: "1. $z = wx + b$" is a step of a numbered derivation, not a question
_SECTION = re.compile(
    r"^\s*(?:#{1,6}\s|\\(?:sub)*section\*?\{|\*\*\s*(?:Q|Question|Problem)\s*\d"
    r"|(?:Q|Question|Problem|Exercise)\s*\d+\b|(?:\d+(?:\.\d+)*[.)]|\d+\.\d+)\s+(?![$\\])"
    r"|\(?[a-h]\)\s+(?![$\\])|第\s*\S{1,3}\s*[题问部]|问题\s*\d|\*\*\d+(?:\.\d+)*)",
    re.IGNORECASE,
)


def section_lines(text: str) -> list[int]:
    """The (1-based) lines of ``text`` that start a new section."""
    return [n for n, line in enumerate(text.splitlines(), 1) if _SECTION.match(line)]


__all__ = [
    "Graph",
    "applied_only",
    "Undecidable",
    "not_defined",
    "scalar_uses",
    "section_lines",
    "shape_name",
    "shape_trouble",
    "member_latex",
    "twin",
]
