"""Three-valued verdicts, and the policy that decides when a step counts as verified.

A :class:`Verdict` says ``verified`` only with a kernel :class:`Theorem` for exactly
its proposition, proved under no assumption beyond those the step stated, what the
statement takes for granted (:func:`.refute.presuppositions`) and its own domain
conditions (:func:`domain_assumptions`: a statement claims nothing where it is not
defined, so ``log(x)**2 >= 0`` may rest on ``0 < x``). A theorem that uses a stated
assumption other than a domain condition also needs a kernel :class:`Witness` for it:
no step is verified from assumptions no point is known to satisfy. It says
``refuted`` only with a kernel :class:`Refutation` whose point meets the stated
assumptions. Neither is given about a statement that is not about real numbers: a
closed partial subterm such as ``log(-1)`` must be certainly defined.

>>> import sympy as sp
>>> from proofsheet import kernel
>>> x = sp.Symbol("x", real=True)
>>> hypothesis = kernel.assume(Prop(x, "=", x + 1))
>>> Verdict(VERIFIED, hypothesis.prop, theorem=hypothesis)
Traceback (most recent call last):
...
proofsheet.kernel.verdict.PolicyError: proved only under x = x + 1
>>> [(a.lhs, a.rel, a.rhs) for a in domain_assumptions(Prop(sp.log(x) ** 2, ">=", 0))]
[(0, '<', x)]
>>> not_real(Prop(sp.log(sp.Integer(-1)), "=", 0, domain=conditions(sp.log(-1, evaluate=False))))
'not a real number: log(-1) needs -1 > 0'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from . import interval
from .core import Prop, Refutation, Theorem, Witness, _final
from .domain import CONDITION_RELATIONS, Condition, conditions
from .errors import KernelError
from .refute import presuppositions, refute

VERIFIED, REFUTED, UNDECIDED = "verified", "refuted", "undecided"
_NOT_REAL = (sp.I, sp.zoo, sp.nan)


class PolicyError(KernelError):
    """The evidence is the kernel's, but the step did not earn the verdict."""


def props_text(props) -> str:
    return ", ".join(f"{a.lhs} {a.rel} {a.rhs}" for a in props)


def domain_assumptions(prop: Prop) -> tuple[Prop, ...]:
    """``0 < u`` (``0 <= u``) for each positive (non-negative) domain condition of the
    statement's own subterms: every point where the statement is defined meets them.

    Only conditions computed here from the sides count, never a recorded ``Prop.domain``
    (no one can widen what a statement is allowed to rest on), and not a derivative's
    differentiability conditions (conventions about where it exists, not values).
    """
    found = (
        *conditions(prop.lhs, differentiable=False),
        *conditions(prop.rhs, differentiable=False),
    )
    return tuple(
        dict.fromkeys(
            Prop(sp.Integer(0), CONDITION_RELATIONS[c.kind], c.expr)
            for c in found
            if c.kind in CONDITION_RELATIONS
        )
    )


def unstated(theorem: Theorem, stated: tuple[Prop, ...], prop: Prop) -> tuple[Prop, ...]:
    """The theorem's assumptions that are neither stated, presupposed by ``prop`` nor one of
    its domain conditions."""
    allowed = set(stated) | set(presuppositions(prop)) | set(domain_assumptions(prop))
    return tuple(a for a in theorem.assumptions if a not in allowed)


def written_domain(prop: Prop) -> tuple[Prop, ...]:
    """``0 < u`` (``0 <= u``) for each positive (non-negative) domain condition of the statement
    as written (``Prop.domain``, recorded before SymPy's evaluation) and as it stands, and
    ``0 < u²`` for each ``u ≠ 0`` (``x/x = 1`` under ``x = 0`` is defined nowhere)."""
    found = (
        *prop.domain,
        *conditions(prop.lhs, differentiable=False),
        *conditions(prop.rhs, differentiable=False),
    )
    return tuple(
        dict.fromkeys(_as_prop(c) for c in found if type(c) is Condition and c.expr.free_symbols)
    )


def _as_prop(c: Condition) -> Prop:
    """A domain condition as a relation a witness can check: ``u ≠ 0`` as ``0 < u²``."""
    if c.kind in CONDITION_RELATIONS:
        return Prop(sp.Integer(0), CONDITION_RELATIONS[c.kind], c.expr)
    return Prop(sp.Integer(0), "<", c.expr**2)


def needs_witness(theorem: Theorem, prop: Prop, stated: tuple[Prop, ...] = ()) -> tuple[Prop, ...]:
    """What a witness must show can hold at one point: the theorem's assumptions other than
    ``prop``'s presuppositions and domain conditions; and, for a statement with a domain,
    that domain, together with the stated assumptions about the symbols of either — a statement
    defined nowhere under its assumptions (``0·log x = 0`` for x < 0), or proved from
    assumptions that contradict another (y = 1 and y = 2), is true of no point, so it is not
    verified."""
    granted = set(presuppositions(prop)) | set(domain_assumptions(prop))
    used = tuple(a for a in theorem.assumptions if a not in granted)
    domain = written_domain(prop)
    symbols = set().union(
        *(d.free_symbols for d in (*domain, *used)),
        *(c.expr.free_symbols for a in used for c in a.domain if type(c) is Condition),
    )  # z = x/x keeps x ≠ 0 only here
    related = tuple(a for a in stated if a.free_symbols & symbols)  # y = 2 beside a used y = 1
    return tuple(dict.fromkeys((*used, *related, *domain)))


def _certainly_met(c: Condition) -> bool:
    known = c.known()
    if known is not None:
        return known
    try:
        low, high = interval.bounds(c.expr)
    except Exception:  # noqa: BLE001 - not evaluable means not certainly met
        return False
    return low > 0 or (c.kind == "nonzero" and high < 0)


def not_real(prop: Prop) -> str | None:
    """Why ``prop`` is not a statement about real numbers, or ``None``."""
    for c in (*prop.domain, *conditions(prop.lhs), *conditions(prop.rhs)):
        if type(c) is not Condition:
            raise KernelError(f"a statement's domain holds conditions, not {type(c).__name__}")
        if not c.expr.free_symbols and not _certainly_met(c):
            where = f"{c.node} " if c.node is not None else "it "
            return f"not a real number: {where}needs {c}"
    if any(side.has(*_NOT_REAL) for side in (prop.lhs, prop.rhs)):
        return "not a real number: the statement contains I, zoo or nan"
    limit = prop.lhs.has(sp.Limit) or prop.rhs.has(sp.Limit)
    for side in (prop.lhs, prop.rhs):
        if not (limit and side in _INFINITIES) and _infinite_outside_limits(side):
            return "not a real number: ∞ appears outside a limit"
    return None


_INFINITIES = (sp.oo, sp.S.NegativeInfinity)


def _infinite_outside_limits(expr: sp.Basic) -> bool:
    """Whether ±∞ appears other than as a limit's point (``lim_{x→∞} … = ∞`` is fine)."""
    if isinstance(expr, sp.Limit):
        return _infinite_outside_limits(expr.args[0])
    return expr in _INFINITIES or any(_infinite_outside_limits(a) for a in expr.args)


def _real_statement(v: Verdict) -> None:
    why = not_real(v.prop)
    if why:
        raise PolicyError(why)


def _verified(v: Verdict) -> None:
    if type(v.theorem) is not Theorem or v.theorem.prop != v.prop or v.refutation is not None:
        raise KernelError("a verified verdict needs a kernel theorem for exactly its statement")
    extra = unstated(v.theorem, v.assumptions, v.prop)
    if extra:
        raise PolicyError(f"proved only under {props_text(extra)}")
    _witnessed(v)
    _real_statement(v)


def _witnessed(v: Verdict) -> None:
    """The stated assumptions the theorem uses can hold together: a kernel witness says so."""
    if v.witness is not None and type(v.witness) is not Witness:
        raise KernelError("a verdict's witness must be a kernel Witness")
    used = needs_witness(v.theorem, v.prop, v.assumptions)
    if not used:
        return
    if v.witness is None:
        raise PolicyError(
            f"no point is known where {props_text(used)} all hold: "
            "the assumptions may be contradictory, or the statement "
            "defined nowhere under them"
        )
    missing = [a for a in used if a not in set(v.witness.assumptions)]
    if missing:
        raise PolicyError(f"the witness does not show that {props_text(missing)} can hold")


def _refuted(v: Verdict) -> None:
    if (
        type(v.refutation) is not Refutation
        or v.refutation.prop != v.prop
        or v.theorem is not None
        or v.witness is not None
    ):
        raise KernelError("a refuted verdict needs a kernel refutation of exactly its statement")
    _real_statement(v)
    # refute checked the symbol facts and its own assumptions; the stated ones must be among them
    if not set(v.assumptions) <= set(v.refutation.assumptions):
        refute(v.prop, dict(v.refutation.point), v.assumptions)


def _undecided(v: Verdict) -> None:
    if v.theorem is not None or v.refutation is not None or v.witness is not None:
        raise KernelError("an undecided verdict carries no evidence")


_EVIDENCE: dict[str, Callable[[Verdict], None]] = {
    VERIFIED: _verified,
    REFUTED: _refuted,
    UNDECIDED: _undecided,
}


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking one step, under the assumptions the step stated."""

    status: str
    prop: Prop
    theorem: Theorem | None = None
    refutation: Refutation | None = None
    reason: str = ""
    ms: float = 0.0
    assumptions: tuple[Prop, ...] = ()
    #: a point where the stated assumptions the theorem uses hold (verified verdicts only)
    witness: Witness | None = None

    def __init_subclass__(cls, **kwargs) -> None:
        _final(cls)

    def __post_init__(self) -> None:
        object.__setattr__(self, "assumptions", tuple(self.assumptions))
        if type(self.prop) is not Prop or any(type(a) is not Prop for a in self.assumptions):
            raise KernelError("a verdict is about a proposition under propositions")
        check = _EVIDENCE.get(self.status)
        if check is None:
            raise KernelError(f"unknown verdict status {self.status!r}")
        check(self)

    @property
    def rule(self) -> str:
        return self.theorem.rule if self.theorem else ""

    @property
    def ok(self) -> bool:
        return self.status == VERIFIED
