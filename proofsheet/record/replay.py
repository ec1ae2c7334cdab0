"""Replay a proof log with the kernel alone (the de Bruijn criterion).

This module imports the kernel and the JSON reader, never the tactics: a
log passes only if every theorem is re-derived by its rule from its
certificate and premises and comes out exactly as logged, and every named
conclusion is a theorem of exactly its recorded statement under exactly its
recorded assumptions. Anything else, a malformed log included, is one
:class:`ReplayError` naming the theorem.

    python -m proofsheet.record.replay build/proofs.json
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

from .. import kernel
from ..kernel import Prop, Theorem
from ..kernel.errors import KernelError, ProofsheetError
from .prooflog import FORMAT
from .serial import data_from_json, read_table, table_expr


class ReplayError(KernelError):
    """The log does not replay: a theorem or conclusion is malformed or not re-derived."""


Rebuild = Callable[[Prop, tuple, Any, tuple], Theorem]


_GROUP = ("names", "start", "variable", "args", "bases", "steps", "previous")
#: groups defined in this replay: the certificates of a group's functions differ only in
#: "name", so the kernel defines each group once
_DEFINED: dict[tuple, dict] = {}


def _definition(prop: Prop, c: dict) -> Theorem:
    """Re-run a recursive definition (once per group) and take the equation the log names."""
    group = tuple(c[k] for k in _GROUP)
    if group not in _DEFINED:
        _DEFINED[group] = kernel.define_simultaneous(*group)
    equations = _DEFINED[group][c["name"]]
    return next((t for t in equations if t.prop == prop), equations[0])


#: How each kernel function is re-run from a log entry: (prop, assumptions, certificate, premises).
_REBUILD: dict[Callable, Rebuild] = {
    kernel.rational_identity: lambda p, a, c, _: kernel.rational_identity(p, c),
    kernel.derivative: lambda p, a, c, _: kernel.derivative(p, c),
    kernel.certified_sign: lambda p, a, c, _: kernel.certified_sign(p, c, a),
    kernel.interval_order: lambda p, a, c, _: kernel.interval_order(p, c),
    kernel.monotone_product: lambda p, a, c, prem: kernel.monotone_product(*prem),
    kernel.assume: lambda p, a, c, _: kernel.assume(p),
    kernel.induction: lambda p, a, c, prem: kernel.induction(p, c["variable"], c["start"], *prem),
    kernel.product_peel: lambda p, a, c, _: kernel.product_peel(p.lhs),
    kernel.product_empty: lambda p, a, c, _: kernel.product_empty(p.lhs),
    kernel.sum_peel: lambda p, a, c, _: kernel.sum_peel(p.lhs),
    kernel.sum_empty: lambda p, a, c, _: kernel.sum_empty(p.lhs),
    kernel.member: lambda p, a, c, _: kernel.member(a[0], c["value"]),
    kernel.chain: lambda p, a, c, prem: kernel.chain(*prem),
    kernel.symmetry: lambda p, a, c, prem: kernel.symmetry(*prem),
    kernel.instantiate: lambda p, a, c, prem: kernel.instantiate(*prem, c["variable"], c["value"]),
    kernel.instantiate_under: lambda p, a, c, prem: kernel.instantiate_under(
        *prem, c["instances"], p
    ),
    kernel.entrywise: lambda p, a, c, prem: kernel.entrywise(p.lhs, p.rhs, prem),
    kernel.discharge: lambda p, a, c, prem: kernel.discharge(*prem),
    kernel.cases: lambda p, a, c, prem: kernel.cases(*prem, c["variable"], c["split"]),
    kernel.add: lambda p, a, c, prem: kernel.add(*prem),
    kernel.scale: lambda p, a, c, prem: kernel.scale(*prem),
    kernel.limit: lambda p, a, c, _: kernel.limit(p),
    kernel.monotone: lambda p, a, c, prem: kernel.monotone(
        *prem, c["function"], c["variable"], c["anchor"]
    ),
    kernel.increasing: lambda p, a, c, prem: kernel.increasing(*prem, c["function"]),
    kernel.congruence: lambda p, a, c, prem: kernel.congruence(*prem, c["context"], c["hole"]),
    kernel.weaken: lambda p, a, c, prem: kernel.weaken(*prem),
    kernel.define_simultaneous: lambda p, a, c, _: _definition(p, c),
    kernel.equal_powers: lambda p, a, c, prem: kernel.equal_powers(p, c["power"], *prem),
}

#: Rule name -> how it is re-run, for every rule of the kernel's signature.
RULES: dict[str, Rebuild] = {name: _REBUILD[rule] for name, rule in kernel.SIGNATURE.items()}


def _get(data: Any, key: str, kind: type) -> Any:
    if not isinstance(data, dict):
        raise ReplayError(f"expected an object, not {type(data).__name__}")
    if key not in data:
        raise ReplayError(f"missing {key!r}")
    value = data[key]
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ReplayError(f"{key!r} must be a {kind.__name__}, not {type(value).__name__}")
    return value


class Tables:
    """A log's expressions and certificates, each read once and referred to by number."""

    def __init__(self, log: dict) -> None:
        self.expressions = read_table(_get(log, "expressions", list))
        self._certificates = _get(log, "certificates", list)
        self._read: dict[int, Any] = {}

    def expr(self, index: Any) -> Any:
        return table_expr(self.expressions, index)

    def prop(self, data: Any) -> Prop:
        lhs, rhs = (self.expr(_get(data, side, int)) for side in ("lhs", "rhs"))
        return Prop(lhs, _get(data, "rel", str), rhs)

    def certificate(self, index: Any) -> Any:
        if type(index) is not int or not 0 <= index < len(self._certificates):
            raise ReplayError(f"certificate {index!r} is not in the table")
        if index not in self._read:
            self._read[index] = data_from_json(self._certificates[index], self.expr)
        return self._read[index]


def _earlier(index: Any, done: list[Theorem]) -> Theorem:
    if type(index) is not int or not 0 <= index < len(done):
        raise ReplayError(f"premise {index!r} is not an earlier theorem")
    return done[index]


def _rebuild(position: int, entry: Any, done: list[Theorem], tables: Tables) -> Theorem:
    if _get(entry, "id", int) != position:
        raise ReplayError(f"its id is {entry['id']}, not its position {position}")
    rule = _get(entry, "rule", str)
    if rule not in RULES:
        raise ReplayError(f"unknown rule {rule!r}")
    prop = tables.prop(_get(entry, "prop", dict))
    assumptions = tuple(tables.prop(a) for a in _get(entry, "assumptions", list))
    premises = tuple(_earlier(i, done) for i in _get(entry, "premises", list))
    certificate = tables.certificate(_get(entry, "certificate", int))
    theorem = RULES[rule](prop, assumptions, certificate, premises)
    if theorem.rule != rule or theorem.prop != prop or set(theorem.assumptions) != set(assumptions):
        raise ReplayError(
            f"{rule} gives {theorem.prop} under {len(theorem.assumptions)} "
            f"assumptions, not the logged {prop} under {len(assumptions)}"
        )
    return theorem


def _conclusion(entry: Any, done: list[Theorem], tables: Tables) -> tuple[str, Theorem]:
    name = _get(entry, "name", str)
    theorem = _earlier(_get(entry, "theorem", int), done)
    statement = tables.prop(_get(entry, "statement", dict))
    stated = {tables.prop(a) for a in _get(entry, "assumptions", list)}
    if theorem.prop != statement:
        raise ReplayError(
            f"{name!r} names a theorem of {theorem.prop}, not of its statement {statement}"
        )
    if set(theorem.assumptions) != stated:
        raise ReplayError(f"{name!r} is proved under other assumptions than the log states")
    return name, theorem


def _why(exc: Exception) -> str:
    if isinstance(exc, ProofsheetError):
        return str(exc)
    if isinstance(exc, KeyError):
        return f"missing {exc}"
    return f"malformed entry ({type(exc).__name__}: {exc})"


def replay(log: Any) -> dict[str, Theorem]:
    """Re-derive every theorem; return the named conclusions.  Raises :class:`ReplayError`."""
    if not isinstance(log, dict) or log.get("format") != FORMAT:
        raise ReplayError(f"not a proof log in the format {FORMAT!r}")
    _DEFINED.clear()
    try:
        tables = Tables(log)
    except Exception as exc:  # noqa: BLE001 - an unreadable table rejects the log, in one line
        raise ReplayError(f"the tables: {_why(exc)}") from None
    done: list[Theorem] = []
    for position, entry in enumerate(_get(log, "theorems", list)):
        try:
            done.append(_rebuild(position, entry, done, tables))
        except Exception as exc:  # noqa: BLE001 - any failure rejects the log, in one line
            raise ReplayError(f"theorem {position}: {_why(exc)}") from None
    named: dict[str, Theorem] = {}
    for position, entry in enumerate(_get(log, "conclusions", list)):
        try:
            name, theorem = _conclusion(entry, done, tables)
        except Exception as exc:  # noqa: BLE001 - a conclusion that fails to rebuild rejects the log
            raise ReplayError(f"conclusion {position}: {_why(exc)}") from None
        if name in named:
            raise ReplayError(f"conclusion {position}: the name {name!r} is used twice")
        named[name] = theorem
    return named


def main(argv: list[str] | None = None) -> int:
    path = (argv or sys.argv[1:] or ["build/proofs.json"])[0]
    try:
        with open(path, encoding="utf-8") as f:
            conclusions = replay(json.load(f))
    except OSError as exc:
        print(f"replay: {path}: {exc.strerror}", file=sys.stderr)
        return 1
    except json.JSONDecodeError as exc:
        print(f"replay: {path}: not JSON: {exc}", file=sys.stderr)
        return 1
    except (ValueError, RecursionError, ProofsheetError) as exc:  # unreadable, or a log that fails
        print(f"replay: {path}: " + " ".join(str(exc).split()), file=sys.stderr)
        return 1
    conditional = sum(bool(t.assumptions) for t in conclusions.values())
    print(
        f"replay: {len(conclusions)} conclusions re-checked from {path} "
        f"({conditional} under their stated assumptions)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
