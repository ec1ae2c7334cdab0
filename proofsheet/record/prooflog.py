"""The proof log: every theorem with its rule, premises and certificate, as JSON.

Theorems form a DAG (chains reuse their links); each appears once, after
its premises, so :mod:`proofsheet.record.replay` can re-check the log in order.
Each named conclusion records its statement and all of its assumptions, so
the replay can check that the name stands for exactly what was proved.

Nothing is written twice: every distinct sub-expression is one row of ``expressions``
(:class:`~.serial.ExprTable`), every distinct certificate one entry of ``certificates``,
and theorems equal in rule, statement, assumptions, certificate and premises one entry of
``theorems``. Statements and certificates refer to them by number.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from ..kernel import Prop, Theorem
from .serial import ExprTable, data_to_json

FORMAT = "proofsheet-proof-log/3"


class LogWriter:
    """A proof log being written: the tables, and the theorems and conclusions so far."""

    def __init__(self) -> None:
        self.expressions = ExprTable()
        self.certificates: list[Any] = []
        self._certificate: dict[str, int] = {}
        self.theorems: list[dict] = []
        self._theorem: dict[str, int] = {}
        self.conclusions: list[dict] = []
        self._written: dict[int, tuple[Theorem, int]] = {}  # id -> (the theorem, kept; entry)

    def prop(self, prop: Prop) -> dict:
        add = self.expressions.add
        return {"lhs": add(prop.lhs), "rel": prop.rel, "rhs": add(prop.rhs)}

    def certificate(self, certificate: Any) -> int:
        """The number of ``certificate`` in the table, written when it is new."""
        data = data_to_json(certificate, self.expressions.add)
        key = json.dumps(data, sort_keys=True)
        if key not in self._certificate:
            self._certificate[key] = len(self.certificates)
            self.certificates.append(data)
        return self._certificate[key]

    def entry(
        self,
        rule: str,
        prop: Prop,
        premises: list[int],
        certificate: Any = None,
        assumptions: tuple[Prop, ...] = (),
    ) -> int:
        """The number of this theorem's entry, written when no equal entry is there."""
        entry = {
            "rule": rule,
            "prop": self.prop(prop),
            "assumptions": [self.prop(a) for a in assumptions],
            "certificate": self.certificate(certificate),
            "premises": premises,
        }
        key = json.dumps(entry, sort_keys=True)
        if key not in self._theorem:
            self._theorem[key] = len(self.theorems)
            self.theorems.append({"id": len(self.theorems), **entry})
        return self._theorem[key]

    def theorem(self, root: Theorem) -> int:
        """Write ``root`` and every theorem below it, premises first; its entry's number."""
        done = self._written
        stack = [(root, False)]
        while stack:  # iterative post-order: deep chains must not hit the recursion limit
            node, expanded = stack.pop()
            if id(node) in done:
                continue
            if not expanded:
                stack.append((node, True))
                stack.extend((p, False) for p in reversed(node.premises) if id(p) not in done)
                continue
            premises = [done[id(p)][1] for p in node.premises]
            at = self.entry(node.rule, node.prop, premises, node.certificate, node.assumptions)
            done[id(node)] = (node, at)
        return done[id(root)][1]

    def conclude(
        self, name: str, theorem: int, prop: Prop, assumptions: tuple[Prop, ...] = ()
    ) -> None:
        self.conclusions.append(
            {
                "name": name,
                "theorem": theorem,
                "statement": self.prop(prop),
                "assumptions": [self.prop(a) for a in assumptions],
            }
        )

    def log(self) -> dict:
        return {
            "format": FORMAT,
            "expressions": self.expressions.rows,
            "certificates": self.certificates,
            "theorems": self.theorems,
            "conclusions": self.conclusions,
        }


def proof_log(roots: Iterable[tuple[str, Theorem]]) -> dict:
    """``{"format", "expressions", "certificates", "theorems", "conclusions"}``.

    A conclusion's assumptions are all of its theorem's: a derivation states a
    conditional result with its conditions (see ``Derivation.conclude``).
    """
    named = list(roots)
    if any(type(thm) is not Theorem for _name, thm in named):
        raise TypeError("a proof log is made of kernel theorems")
    writer = LogWriter()
    for name, thm in named:
        writer.conclude(name, writer.theorem(thm), thm.prop, thm.assumptions)
    return writer.log()
