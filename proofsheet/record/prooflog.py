"""The proof log: every theorem with its rule, premises and certificate, as JSON.

Theorems form a DAG (chains reuse their links); each appears once, after
its premises, so :mod:`proofsheet.record.replay` can re-check the log in order.
Each named conclusion records its statement and all of its assumptions, so
the replay can check that the name stands for exactly what was proved.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..kernel import Prop, Theorem
from .serial import data_to_json, to_json

FORMAT = "proofsheet-proof-log/2"


def prop_to_json(prop: Prop) -> dict:
    return {"lhs": to_json(prop.lhs), "rel": prop.rel, "rhs": to_json(prop.rhs)}


def _entries(roots: list[Theorem]) -> tuple[list[dict], dict[int, int]]:
    """Every theorem below the roots, premises first; and each theorem's index."""
    ids: dict[int, int] = {}
    entries: list[dict] = []
    stack = [(thm, False) for thm in reversed(roots)]
    while stack:  # iterative post-order: deep chains must not hit the recursion limit
        node, expanded = stack.pop()
        if id(node) in ids:
            continue
        if not expanded:
            stack.append((node, True))
            stack.extend((p, False) for p in reversed(node.premises) if id(p) not in ids)
            continue
        ids[id(node)] = len(entries)
        entries.append(
            {
                "id": len(entries),
                "rule": node.rule,
                "prop": prop_to_json(node.prop),
                "assumptions": [prop_to_json(a) for a in node.assumptions],
                "certificate": data_to_json(node.certificate),
                "premises": [ids[id(p)] for p in node.premises],
            }
        )
    return entries, ids


def proof_log(roots: Iterable[tuple[str, Theorem]]) -> dict:
    """``{"format", "theorems": [...], "conclusions": [{name, theorem, statement, assumptions}]}``.

    A conclusion's assumptions are all of its theorem's: a derivation states a
    conditional result with its conditions (see ``Derivation.conclude``).
    """
    named = list(roots)
    if any(type(thm) is not Theorem for _name, thm in named):
        raise TypeError("a proof log is made of kernel theorems")
    entries, ids = _entries([thm for _name, thm in named])
    conclusions = [
        {
            "name": name,
            "theorem": ids[id(thm)],
            "statement": prop_to_json(thm.prop),
            "assumptions": [prop_to_json(a) for a in thm.assumptions],
        }
        for name, thm in named
    ]
    return {"format": FORMAT, "theorems": entries, "conclusions": conclusions}
