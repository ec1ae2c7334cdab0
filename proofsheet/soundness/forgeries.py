"""Forgery attempts: each tries one side door into "verified", and says whether it was stopped.

Every attempt builds a false or unearned claim through the public API (or a
hand-written proof log) and returns ``True`` when the kernel, the verdict
policy or the replay refused it. An attempt that fails for an unexpected
reason raises, so a broken attempt is never counted as a stopped one.

Out of scope, because Python itself cannot stop them: ``object.__new__`` or
``object.__setattr__`` on a kernel object, monkeypatching the kernel's
modules, reading the key through a function's ``__globals__``, and SymPy
classes written to lie about their own arithmetic.

>>> all(f.attempt() for f in FORGERIES[:3])
True
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import io
import json
import pickle
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import sympy as sp

from .. import kernel
from ..kernel import Prop, Theorem
from ..kernel.certificates import (
    HYP,
    ROOT,
    RationalIdentity,
    SignCertificate,
    SignTerm,
    Substitution,
)
from ..kernel.errors import KernelError
from ..kernel.notation import sigma
from ..kernel.verdict import REFUTED, UNDECIDED, VERIFIED, Verdict
from ..record import replay
from ..record.prooflog import FORMAT, LogWriter, proof_log


@dataclass(frozen=True)
class Forgery:
    """One side door; ``attempt()`` is True when it was stopped."""

    name: str
    attempt: Callable[[], bool]


x = sp.Symbol("x", real=True)
n = sp.Symbol("n", integer=True)
m = sp.Symbol("m", negative=True)
FALSE = Prop(sp.Integer(1), "=", sp.Integer(2))
HALF = sp.Rational(1, 2)


def refused(make: Callable[[], Any]) -> bool:
    """True when ``make`` is refused by the kernel (a :class:`KernelError`); other errors raise."""
    try:
        make()
    except KernelError:
        return True
    return False


def _identity() -> Theorem:
    return kernel.rational_identity(Prop((x + 1) ** 2, "=", x**2 + 2 * x + 1), RationalIdentity())


def _zero_le(value: sp.Expr, terms: tuple = ()) -> Theorem:
    return kernel.certified_sign(Prop(0, "<=", value), SignCertificate(Substitution(), terms))


# --- theorems and refutations as objects ---------------------------------------------------


def _reachable(root: Any) -> list:
    """Every object stored in a theorem's fields, its premises' and their certificates'."""
    seen, stack, found = set(), [root], []
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        found.append(obj)
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            stack.extend(getattr(obj, f.name) for f in dataclasses.fields(obj))
        elif isinstance(obj, (tuple, list)):
            stack.extend(obj)
        elif isinstance(obj, dict):
            stack.extend([*obj.keys(), *obj.values()])
    return found


def _no_key_reachable() -> bool:
    theorem = kernel.chain(_identity(), kernel.symmetry(_identity()))
    return all(
        refused(lambda o=o: Theorem(FALSE, (), "forged", None, (), key=o))
        for o in _reachable(theorem)
    )


def _subclass_theorem() -> bool:
    def make():
        class Forged(Theorem):
            def __post_init__(self, key):
                pass

        return Forged(FALSE, (), "forged", None, ())

    return refused(make)


def _duck_premise() -> bool:
    fake = SimpleNamespace(prop=Prop(2, "=", 1), assumptions=(), premises=())
    return refused(lambda: kernel.symmetry(fake))


def _refutation() -> kernel.Refutation:
    return kernel.refute(Prop(x, "=", x + 1), {x: sp.Integer(0)})


# --- rules ----------------------------------------------------------------------------------


def _half_induction_parts() -> tuple[Prop, Theorem, Theorem]:
    """0 ≤ n − 1/2: true at 1/2 and inherited by n + 1, but false at n = 0."""
    claim = Prop(0, "<=", n - HALF)
    base = _zero_le(sp.Integer(0))
    step = kernel.add(kernel.assume(claim), _zero_le(sp.Integer(1), (SignTerm(sp.Integer(1), ()),)))
    return claim, base, step


def _sqrt_cases_parts() -> tuple[Theorem, Theorem, sp.Expr]:
    """0 ≤ m for a negative m, under 0 ≤ √m and under √m ≤ 0 (√m = i√(−m) is not real)."""
    root = sp.sqrt(m)
    twice = lambda e: (SignTerm(sp.Integer(1), ((HYP, e), (HYP, e))),)
    below = kernel.certified_sign(
        Prop(0, "<=", m), SignCertificate(Substitution(), twice(root)), (Prop(0, "<=", root),)
    )
    above = kernel.certified_sign(
        Prop(0, "<=", m), SignCertificate(Substitution(), twice(-root)), (Prop(root, "<=", 0),)
    )
    return below, above, root


def _induction_at_half() -> bool:
    claim, base, step = _half_induction_parts()
    return refused(lambda: kernel.induction(claim, n, HALF, base, step))


def _cases_on_sqrt() -> bool:
    below, above, root = _sqrt_cases_parts()
    return refused(lambda: kernel.cases(below, above, sp.Integer(0), root))


# --- verdicts and derivations ---------------------------------------------------------------


def _log_claim() -> Prop:
    """log(−1) = log(−1): an identity, about no real number."""
    log = sp.log(sp.Integer(-1), evaluate=False)
    return Prop(log, "=", log)


def _log_of_minus_one() -> bool:
    claim = _log_claim()
    theorem = kernel.rational_identity(claim, RationalIdentity())
    return refused(lambda: Verdict(VERIFIED, claim, theorem=theorem))


def decide_status(prop: Prop) -> str:
    from ..search.decide import decide

    return decide(prop, seconds=10).status


def _chain_link_by_assumption() -> bool:
    from ..sheet.derivation import Chain

    chain = Chain(x)
    chain.link("=", 1 + x, by=kernel.assume(Prop(x, "=", 1 + x)))
    return not chain.steps[-1].verdict.ok and chain.theorem is None


def _conclude_hidden_assumption() -> bool:
    from ..sheet.derivation import Derivation, Text

    d = Derivation("forgery", "Q0", Text("forgery", "伪造"))
    d.conclude("x = 1 + x", kernel.assume(Prop(x, "=", 1 + x)), assumptions=())
    return not d.conclusions and d.failed_conclusions == ["x = 1 + x"]


def _refuted_outside_the_assumptions() -> bool:
    wrong = Prop(x, "<=", 0)
    point = kernel.refute(wrong, {x: sp.Integer(1)})
    return refused(
        lambda: Verdict(REFUTED, wrong, refutation=point, assumptions=(Prop(x, "<", 0),))
    )


def _undecided_to_verified() -> bool:
    open_ = Verdict(UNDECIDED, FALSE, reason="nothing found")
    return refused(
        lambda: dataclasses.replace(open_, status=VERIFIED, theorem=kernel.assume(FALSE))
    )


S = sp.Symbol("s", real=True)
#: two assumptions no point satisfies, and a claim that follows from the second alone
CONTRADICTORY = (Prop(S, ">", 1), Prop(S, "<", 0))


def _from_contradiction(witness: Any = None) -> Verdict:
    """``s < 0`` verified from the contradictory assumptions, carrying ``witness``."""
    claim = CONTRADICTORY[1]
    return Verdict(
        VERIFIED, claim, theorem=kernel.assume(claim), assumptions=CONTRADICTORY, witness=witness
    )


def _fake_witness() -> bool:
    fake = SimpleNamespace(assumptions=CONTRADICTORY, point=((S, sp.Integer(-1)),))
    return refused(lambda: _from_contradiction(fake))


def _witness_of_other_assumptions() -> bool:
    only_first = kernel.witness(CONTRADICTORY[:1], {S: sp.Integer(2)})
    return refused(lambda: _from_contradiction(only_first))


def _witness_replaced() -> bool:
    honest = kernel.witness(CONTRADICTORY[1:], {S: sp.Integer(-1)})
    return refused(lambda: dataclasses.replace(honest, assumptions=CONTRADICTORY))


def decide_verifies_from_contradiction() -> bool:
    from ..search.decide import decide

    return decide(CONTRADICTORY[1], CONTRADICTORY, seconds=10).status == VERIFIED


# --- proof logs -----------------------------------------------------------------------------


def _forged(
    writer: LogWriter,
    rule: str,
    prop: Prop,
    premises: list[int],
    certificate: Any,
    assumptions: tuple[Prop, ...] = (),
) -> dict:
    """The log with one more entry, appended as a forger would (no kernel behind it)."""
    at = writer.entry(rule, prop, premises, certificate, assumptions)
    writer.conclude(rule, at, prop, assumptions)
    return writer.log()


def half_induction_log(start: Any = HALF) -> dict:
    """A log whose last theorem is the induction of 0 ≤ n − 1/2 from ``start``."""
    claim, base, step = _half_induction_parts()
    writer = LogWriter()
    ids = [writer.theorem(base), writer.theorem(step)]
    below = (Prop(sp.Integer(start), "<=", n),)  # what the old kernel concluded: 0 ≤ n
    return _forged(writer, "induction", claim, ids, {"variable": n, "start": start}, below)


def sqrt_cases_log() -> dict:
    below, above, root = _sqrt_cases_parts()
    writer = LogWriter()
    ids = [writer.theorem(below), writer.theorem(above)]
    split = {"variable": sp.Integer(0), "split": root}
    return _forged(writer, "cases", below.prop, ids, split)


def self_assumed_log(stated: tuple[Prop, ...] = ()) -> dict:
    """'1 = 2' by assumption, concluded as if it held unconditionally."""
    writer = LogWriter()
    at = writer.entry("assumption", FALSE, [], None, (FALSE,))
    writer.conclude("1 = 2", at, FALSE, stated)
    return writer.log()


def swapped_log(swap: bool = True) -> dict:
    """Two conclusions, with their theorems swapped."""
    first, second = _identity(), kernel.symmetry(_identity())
    log = proof_log([("(x + 1)^2 = x^2 + 2x + 1", first), ("x^2 + 2x + 1 = (x + 1)^2", second)])
    if swap:
        a, b = log["conclusions"]
        a["theorem"], b["theorem"] = b["theorem"], a["theorem"]
    return log


def honest_log() -> dict:
    """Theorem 0 an identity, theorem 1 its mirror image (premise 0); both concluded."""
    identity = _identity()
    return proof_log(
        [
            ("(x + 1)^2 = x^2 + 2x + 1", identity),
            ("x^2 + 2x + 1 = (x + 1)^2", kernel.symmetry(identity)),
        ]
    )


def _broken(change: Callable[[dict], None]) -> Callable[[], str]:
    def text() -> str:
        log = honest_log()
        change(log)
        return json.dumps(log)

    return text


#: Malformed logs: each is the honest log with one thing broken.
def _set(*path_and_value) -> Callable[[dict], None]:
    """A change to the log: put the value at the path (keys and indexes)."""
    *path, last, value = path_and_value

    def change(log: dict) -> None:
        target = log
        for step in path:
            target = target[step]
        target[last] = value

    return change


_ODD_FACTOR = {
    "type": "SignCertificate",
    "substitution": {"type": "Substitution", "pairs": []},
    "terms": [
        {
            "type": "SignTerm",
            "coeff": {"expr": 0},
            "factors": [["trust-me", {"expr": 0}]],
        }
    ],
}

MALFORMED: dict[str, Callable[[], str]] = {
    "premise index out of range": _broken(_set("theorems", 1, "premises", 0, 99)),
    "forward premise index": _broken(_set("theorems", 0, "premises", [1])),
    "negative premise index": _broken(_set("theorems", 1, "premises", 0, -1)),
    "boolean premise index": _broken(_set("theorems", 1, "premises", 0, False)),
    "missing key": _broken(lambda log: log["theorems"][0].pop("prop")),
    "wrong type": _broken(_set("theorems", 0, "premises", "0")),
    "unknown rule": _broken(_set("theorems", 0, "rule", "trust-me")),
    "unknown relation": _broken(_set("theorems", 0, "prop", "rel", "~")),
    "unknown factor kind": _broken(_set("certificates", 0, _ODD_FACTOR)),
    "expression refers to a later row": _broken(_set("expressions", 0, {"f": "Add", "a": [1, 1]})),
    "prop refers to no row": _broken(_set("theorems", 0, "prop", "lhs", 10**6)),
    "certificate not in the table": _broken(_set("theorems", 0, "certificate", 99)),
    "conclusion out of range": _broken(_set("conclusions", 0, "theorem", 9)),
    "conclusion of another statement": _broken(_set("conclusions", 0, "theorem", 1)),
    "not a log": lambda: json.dumps([1, 2, 3]),
    "bad JSON": lambda: '{"format": "%s", "theorems": [' % FORMAT,
}


def replay_stops(text: str) -> bool:
    """The replay rejects ``text`` in one line and exit status 1 (a traceback is not stopped)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "proofs.json"
        path.write_text(text, encoding="utf-8")
        err, out = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            status = replay.main([str(path)])
    lines = err.getvalue().splitlines()
    return status == 1 and len(lines) == 1 and lines[0].startswith(f"replay: {path}: ")


def _log_stopped(make: Callable[[], dict]) -> bool:
    log = make()
    return refused(lambda: replay.replay(json.loads(json.dumps(log)))) and replay_stops(
        json.dumps(log)
    )


# --- the table ------------------------------------------------------------------------------

FORGERIES: tuple[Forgery, ...] = (
    Forgery(
        "dataclasses.replace a theorem",
        lambda: refused(lambda: dataclasses.replace(_identity(), prop=FALSE)),
    ),
    Forgery(
        "Theorem(key=thm.key)",
        lambda: refused(lambda: Theorem(FALSE, (), "forged", None, (), key=_identity().key)),
    ),
    Forgery(
        "Theorem without the key", lambda: refused(lambda: Theorem(FALSE, (), "forged", None, ()))
    ),
    Forgery("no object in a theorem is the key", _no_key_reachable),
    Forgery("copy.copy a theorem", lambda: refused(lambda: copy.copy(_identity()))),
    Forgery("copy.deepcopy a theorem", lambda: refused(lambda: copy.deepcopy(_identity()))),
    Forgery("pickle a theorem", lambda: refused(lambda: pickle.loads(pickle.dumps(_identity())))),
    Forgery("subclass Theorem", _subclass_theorem),
    Forgery("subclass Prop", lambda: refused(lambda: type("Forged", (Prop,), {}))),
    Forgery("a duck-typed premise", _duck_premise),
    Forgery(
        "dataclasses.replace a refutation",
        lambda: refused(lambda: dataclasses.replace(_refutation(), prop=Prop(x, "=", x))),
    ),
    Forgery("pickle a refutation", lambda: refused(lambda: pickle.dumps(_refutation()))),
    Forgery("induction from 1/2", _induction_at_half),
    Forgery(
        "a real symbol listed as a (positive) σ atom: |x| = x",
        lambda: refused(
            lambda: kernel.rational_identity(Prop(sp.Abs(x), "=", x), RationalIdentity(atoms=(x,)))
        ),
    ),
    Forgery(
        "σ(x) − 1 listed as a σ atom: |σ(x) − 1| = σ(x) − 1",
        lambda: refused(
            lambda: kernel.rational_identity(
                Prop(sp.Abs(sigma(x) - 1), "=", sigma(x) - 1),
                RationalIdentity(atoms=(sigma(x) - 1,)),
            )
        ),
    ),
    Forgery(
        "a power over prime bases with the wrong exponent: 4^x = 2^x",
        lambda: refused(
            lambda: kernel.rational_identity(Prop(4**x, "=", 2**x), RationalIdentity())
        ),
    ),
    Forgery(
        "exp(r·log c) read with another base: exp(x·log 3) = 2^x",
        lambda: refused(
            lambda: kernel.rational_identity(
                Prop(sp.exp(x * sp.log(3)), "=", 2**x), RationalIdentity()
            )
        ),
    ),
    Forgery("cases on sqrt of a negative", _cases_on_sqrt),
    Forgery(
        "equal powers: x = −x from x² = (−x)², without 0 ≤ x and 0 ≤ −x",
        lambda: refused(
            lambda: kernel.equal_powers(
                Prop(x, "=", -x),
                2,
                kernel.rational_identity(Prop(x**2, "=", x**2), RationalIdentity()),
                kernel.assume(Prop(0, "<=", x)),
                kernel.assume(Prop(0, "<=", x)),
            )
        ),
    ),
    Forgery(
        "a root factor outside its domain: 0 ≤ −x as sqrt(−x)·sqrt(−x)",
        lambda: refused(
            lambda: _zero_le(-x, (SignTerm(sp.Integer(1), ((ROOT, sp.sqrt(-x)),) * 2),))
        ),
    ),
    Forgery(
        "instantiate a negative symbol at 1",
        lambda: refused(
            lambda: kernel.instantiate(kernel.assume(Prop(m, "<", 0)), m, sp.Integer(1))
        ),
    ),
    Forgery(
        "Verdict with hidden assumptions",
        lambda: refused(lambda: Verdict(VERIFIED, FALSE, theorem=kernel.assume(FALSE))),
    ),
    Forgery(
        "Verdict with a duck-typed theorem",
        lambda: refused(lambda: Verdict(VERIFIED, FALSE, theorem=SimpleNamespace(prop=FALSE))),
    ),
    Forgery("Verdict about log(-1)", _log_of_minus_one),
    Forgery("Verdict refuted at a point outside the assumptions", _refuted_outside_the_assumptions),
    Forgery(
        "Verdict refuted at a value the symbol cannot take",
        lambda: refused(
            lambda: Verdict(
                REFUTED,
                Prop(m, "<", 0),
                refutation=kernel.refute(Prop(m, "<", 0), {m: sp.Integer(1)}),
            )
        ),
    ),
    Forgery(
        "decide refutes a negative symbol at a non-negative value",
        lambda: decide_status(Prop(m, "<", 0)) != REFUTED,
    ),
    Forgery(
        "decide verifies a statement about log(-1)", lambda: decide_status(_log_claim()) != VERIFIED
    ),
    Forgery("replace an undecided verdict by a verified one", _undecided_to_verified),
    Forgery(
        "Verdict from contradictory assumptions without a witness",
        lambda: refused(_from_contradiction),
    ),
    Forgery("Verdict with a fake witness", _fake_witness),
    Forgery("Verdict with a witness of other assumptions", _witness_of_other_assumptions),
    Forgery(
        "a witness at a point outside the assumptions",
        lambda: refused(lambda: kernel.witness(CONTRADICTORY, {S: sp.Integer(-1)})),
    ),
    Forgery(
        "a witness without a value for every symbol",
        lambda: refused(lambda: kernel.witness(CONTRADICTORY[1:], {})),
    ),
    Forgery("dataclasses.replace a witness", _witness_replaced),
    Forgery(
        "pickle a witness",
        lambda: refused(
            lambda: pickle.dumps(kernel.witness(CONTRADICTORY[1:], {S: sp.Integer(-1)}))
        ),
    ),
    Forgery(
        "decide verifies from contradictory assumptions",
        lambda: not decide_verifies_from_contradiction(),
    ),
    Forgery(
        "instantiate under 0 < e a symbol declared neither positive nor non-negative",
        lambda: refused(
            lambda: kernel.instantiate_under(
                kernel.assume(Prop(x, "<", 0)), ((x, sp.Integer(1)),), Prop(1, "<", 0)
            )
        ),
    ),
    Forgery(
        "instantiate under 0 < x a theorem about another statement",
        lambda: refused(
            lambda: kernel.instantiate_under(
                kernel.assume(Prop(sp.Symbol("p", positive=True), ">", 1)),
                ((sp.Symbol("p", positive=True), x),),
                Prop(x, "<", 1),
            )
        ),
    ),
    Forgery(
        "a sum peeled over a half-integer range",
        lambda: refused(
            lambda: kernel.sum_peel(sp.Sum(x, (sp.Symbol("k", integer=True), 0, HALF)))
        ),
    ),
    Forgery(
        "a non-empty sum called empty",
        lambda: refused(lambda: kernel.sum_empty(sp.Sum(x, (sp.Symbol("k", integer=True), 1, 1)))),
    ),
    Forgery(
        "every member from an assumption about one (a plain index k)",
        lambda: refused(
            lambda: kernel.member(
                Prop(0, "<", sp.IndexedBase(x)[sp.Symbol("k", integer=True)]), sp.Integer(1)
            )
        ),
    ),
    Forgery(
        "∀k brought into a conclusion by assumption",
        lambda: refused(
            lambda: kernel.assume(Prop(0, "<", sp.IndexedBase(x)[kernel.Every("k", integer=True)]))
        ),
    ),
    Forgery("Chain.link(by=assume(...))", _chain_link_by_assumption),
    Forgery("conclude with a hidden assumption", _conclude_hidden_assumption),
    Forgery("replay: induction from 1/2", lambda: _log_stopped(half_induction_log)),
    Forgery("replay: cases on sqrt", lambda: _log_stopped(sqrt_cases_log)),
    Forgery(
        "replay: 1 = 2 by assumption, concluded unconditionally",
        lambda: _log_stopped(self_assumed_log),
    ),
    Forgery("replay: conclusions with their names swapped", lambda: _log_stopped(swapped_log)),
    *(
        Forgery(f"replay: {name}", lambda text=text: replay_stops(text()))
        for name, text in MALFORMED.items()
    ),
)
