"""The verdict for one statement: search under a time limit, then the kernel decides.

:func:`decide` runs a few sample points, the certificate plans of :mod:`.tactics` and many
more points, in this process up to a soft deadline and then in a child process under a hard
time limit (:func:`.timelimit.run_soon`; there the certificate search is paused halfway for
the full counterexample search, :func:`_search_in_child`), then hands what it found to the
kernel (a :class:`~proofsheet.kernel.verdict.Verdict` with a theorem, a refutation or
nothing), with a witness point for the assumptions the proof uses.

>>> import sympy as sp
>>> from proofsheet.kernel.notation import sigma
>>> x = sp.Symbol("x", real=True)
>>> decide(Prop(1 - sigma(x), "=", sigma(-x))).status
'verified'
"""

from __future__ import annotations

import time

import sympy as sp
from sympy.core.function import AppliedUndef

from .. import kernel
from ..kernel import Prop
from ..kernel import verdict as verdict_policy
from ..kernel.errors import CheckTimeout, KernelError
from ..kernel.refute import point_symbols
from ..kernel.verdict import REFUTED, UNDECIDED, VERIFIED, PolicyError, Verdict, not_real
from .assumption_point import witness
from .counterexamples import FULL_POINTS, QUICK_POINTS, search_counterexample
from .tactics import certificate_plans, check_plan
from .timelimit import Child, run_soon

DEFAULT_SECONDS = 20.0


def _certificate(prop: Prop, assumptions: tuple[Prop, ...], find_witness: bool = True):
    """The first plan that checks, with a witness point for the stated assumptions it uses."""
    try:
        for plan in certificate_plans(prop, assumptions):
            try:
                theorem = check_plan(prop, plan, assumptions) if plan is not None else None
            except Exception:  # noqa: BLE001 - untrusted: any failure means "try the next"
                continue
            if theorem is not None:
                point = witness_point(theorem, prop, assumptions) if find_witness else None
                return ("certificate", (plan, point, theorem))
    except Exception:  # noqa: BLE001 - the search is untrusted: any failure means "no certificate"
        pass
    return None


def witness_point(theorem: kernel.Theorem, prop: Prop, stated: tuple[Prop, ...]) -> dict | None:
    """A point where the stated assumptions ``theorem`` uses hold (untrusted search); those
    about functions or matrices (an induction hypothesis) are left to the kernel, which
    looks for a proved instance of them there."""
    needed = witnessed(theorem, prop, stated)
    return witness(tuple(a for a in needed if not _opaque(a)))  # no point can evaluate those


def _opaque(a: Prop) -> bool:
    """Whether no sample point can evaluate ``a``: it holds a function or a matrix."""
    return any(isinstance(side, sp.MatrixBase) or side.has(AppliedUndef) for side in (a.lhs, a.rhs))


def _search(
    prop: Prop, assumptions: tuple[Prop, ...], find_witness: bool = True, proof_first=False
):
    """A few sample points, then a certificate, then many sample points (so that a long
    certificate search cannot starve the counterexample search of its easy points); with
    ``proof_first`` (a step expected to hold) no sample point before the certificate."""
    point = None if proof_first else search_counterexample(prop, assumptions, QUICK_POINTS)
    if point is not None:
        return ("point", point)
    found = _certificate(prop, assumptions, find_witness)
    return found if found is not None else _full_search(prop, assumptions)


#: the share of the time left that the certificate search has, in a child, before the full
#: counterexample search takes its turn; the certificate search then has what is left
CERTIFICATE_SHARE = 0.5
#: kept back from the time limit for the answer to travel up from the search processes
MARGIN_SECONDS = 0.25


def _search_in_child(
    prop: Prop, assumptions: tuple[Prop, ...], find_witness: bool, proof_first: bool, seconds: float
):
    """:func:`_search` for a child process with ``seconds`` left, so that a long certificate
    search cannot starve the counterexample search: after the first sample points the
    certificate search runs in a child of its own, which is paused when it has used
    :data:`CERTIFICATE_SHARE` of ``seconds`` while the full counterexample search takes its
    turn, and then resumed; so a plan that hangs cannot take all the time. A theorem cannot
    leave the process that made it, so the parent gets the plan and checks it itself."""
    point = None if proof_first else search_counterexample(prop, assumptions, QUICK_POINTS)
    if point is not None:
        return ("point", point)
    deadline = time.monotonic() + seconds - MARGIN_SECONDS
    with Child(_plan, (prop, assumptions, find_witness), seconds) as certificate:
        if certificate.wait(seconds * CERTIFICATE_SHARE):
            found = _answer(certificate)
            return found if found is not None else _full_search(prop, assumptions, deadline)
        certificate.pause()
        found = _full_search(prop, assumptions, deadline)
        if found[0] == "point":
            return found
        certificate.resume()
        if certificate.wait(deadline - time.monotonic()):
            return _answer(certificate) or found
    return (
        "none",
        "no certificate found within the time limit, and no counterexample among the samples",
    )


def _plan(prop: Prop, assumptions: tuple[Prop, ...], find_witness: bool):
    """:func:`_certificate` without its theorem, which cannot leave this process."""
    found = _certificate(prop, assumptions, find_witness)
    if found is None:
        return None
    plan, point, _theorem = found[1]
    return ("certificate", (plan, point, None))


def _answer(certificate: Child):
    """What the certificate search found; None also when it failed or died (it is untrusted:
    the counterexample search still runs)."""
    try:
        return certificate.result()
    except RuntimeError:
        return None


def _full_search(prop: Prop, assumptions: tuple[Prop, ...], deadline: float | None = None):
    """Every sample point after the first, until ``deadline`` (of ``time.monotonic``)."""
    point = search_counterexample(prop, assumptions, FULL_POINTS, QUICK_POINTS, deadline)
    return ("point", point) if point is not None else ("none", NOTHING_FOUND)


NOTHING_FOUND = "no certificate or counterexample found"


# --- the verdict ------------------------------------------------------------------------

#: the reason of a step proved only from assumptions no point is known to satisfy
NO_WITNESS = (
    "the assumptions may be contradictory, or the statement defined nowhere under "
    "them: no point where they and the statement's domain all hold was found, so "
    "the step is not passed"
)
SEARCH = "search"  #: ``decide(point=SEARCH)``: look for a witness point


def witnessed(theorem: kernel.Theorem, prop: Prop, stated: tuple[Prop, ...]) -> tuple[Prop, ...]:
    """The stated assumptions ``theorem`` uses, and the statement's domain with the stated
    assumptions about it, that a witness must show can hold together."""
    known = set(stated) | set(verdict_policy.written_domain(prop))
    return tuple(a for a in verdict_policy.needs_witness(theorem, prop, stated) if a in known)


def kernel_witness(
    theorem: kernel.Theorem, prop: Prop, stated: tuple[Prop, ...], point: dict | None
) -> kernel.Witness | None:
    """The kernel's witness, at ``point``, for the stated assumptions ``theorem`` uses and the
    statement's domain (None when there are none). Raises :class:`PolicyError` when one is
    needed and no point is known; a known point that meets the stated assumptions but not the
    domain is replaced by one searched for."""
    needed = witnessed(theorem, prop, stated)
    if not needed:
        return None
    uses_stated = [a for a in needed if a in set(stated)]
    if point is None and uses_stated:  # the stated assumptions are not known to hold together
        raise PolicyError(NO_WITNESS)
    if point is not None:
        try:
            return _witness_at(needed, point)
        except KernelError:
            _witness_at(tuple(uses_stated), point)  # a point outside the stated ones is an error
    point = witness_point(theorem, prop, stated)
    if point is not None:
        return _witness_at(needed, point)
    if not uses_stated:
        raise PolicyError(
            f"no point was found where the statement is defined "
            f"({verdict_policy.props_text(needed)}), so it is not passed"
        )
    raise PolicyError(NO_WITNESS)


def _witness_at(needed: tuple[Prop, ...], point: dict) -> kernel.Witness:
    symbols = point_symbols(needed)
    return kernel.witness(needed, {s: v for s, v in point.items() if s in symbols})


def decide(
    prop: Prop,
    assumptions: tuple[Prop, ...] = (),
    seconds: float = DEFAULT_SECONDS,
    point=SEARCH,
    proof_first: bool = False,
) -> Verdict:
    """Search under a time limit; the kernel turns what was found into a verdict.

    ``point`` is where the stated assumptions are known to hold (None: no such point is
    known); by default the search looks for one among those the proof uses. ``proof_first``
    is for a step expected to hold (a derivation's): the certificate search comes before
    the first sample points, which a true step only pays for. The verdict is the same."""
    start = time.perf_counter()
    elapsed = lambda: (time.perf_counter() - start) * 1000
    assumptions = tuple(assumptions)
    undecided = lambda why: Verdict(
        UNDECIDED,
        prop,
        reason=why,
        ms=elapsed(),
        assumptions=assumptions,
    )
    if (why := not_real(prop)) is not None:
        return undecided(why)
    try:
        kind, found = run_soon(
            _search,
            (prop, assumptions, point is SEARCH, proof_first),
            seconds,
            retry=_search_in_child,
        )
    except (CheckTimeout, RuntimeError) as exc:
        return undecided(str(exc))
    try:
        if kind == "certificate":
            plan, searched, theorem = found  # made here by the search, or checked now
            theorem = theorem or check_plan(prop, plan, assumptions)
            known = searched if point is SEARCH else point
            return Verdict(
                VERIFIED,
                prop,
                theorem=theorem,
                ms=elapsed(),
                assumptions=assumptions,
                witness=kernel_witness(theorem, prop, assumptions, known),
            )
        if kind == "point":
            refutation = kernel.refute(prop, found, assumptions)
            return Verdict(
                REFUTED, prop, refutation=refutation, ms=elapsed(), assumptions=assumptions
            )
    except PolicyError as exc:
        return undecided(str(exc))
    except KernelError as exc:
        return undecided(f"kernel rejected the search's answer: {exc}")
    return undecided(found)


def verdict_of(theorem: kernel.Theorem, started: float, assumptions: tuple[Prop, ...]) -> Verdict:
    """A verified verdict for a theorem built from kernel rules, under the stated assumptions,
    with a witness (searched for here, checked by the kernel) for those it uses.

    Raises :class:`~proofsheet.kernel.verdict.PolicyError` when the theorem needs more.
    """
    assumptions = tuple(assumptions)
    point = witness_point(theorem, theorem.prop, assumptions)
    found = kernel_witness(theorem, theorem.prop, assumptions, point)
    ms = (time.perf_counter() - started) * 1000
    return Verdict(
        VERIFIED, theorem.prop, theorem=theorem, ms=ms, assumptions=assumptions, witness=found
    )
