"""The proof log: every theorem with its rule, premises and certificate, as JSON.

Theorems form a DAG (chains reuse their links); each appears once, after
its premises, so :mod:`proofsheet.replay` can re-check the log in order.
"""

from __future__ import annotations

from typing import Iterable

from .kernel import Prop, Theorem
from .serial import data_to_json, to_json


def prop_to_json(prop: Prop) -> dict:
    return {"lhs": to_json(prop.lhs), "rel": prop.rel, "rhs": to_json(prop.rhs)}


def proof_log(roots: Iterable[tuple[str, Theorem]]) -> dict:
    """``{"theorems": [...], "conclusions": {name: id}}`` for the named root theorems."""
    ids: dict[int, int] = {}
    entries: list[dict] = []

    def visit(thm: Theorem) -> int:
        stack = [(thm, False)]
        while stack:  # iterative post-order: deep chains must not hit the recursion limit
            node, expanded = stack.pop()
            if id(node) in ids:
                continue
            if not expanded:
                stack.append((node, True))
                stack.extend((p, False) for p in reversed(node.premises) if id(p) not in ids)
                continue
            ids[id(node)] = len(entries)
            entries.append({
                "id": len(entries),
                "rule": node.rule,
                "prop": prop_to_json(node.prop),
                "assumptions": [prop_to_json(a) for a in node.assumptions],
                "certificate": data_to_json(node.certificate),
                "premises": [ids[id(p)] for p in node.premises],
            })
        return ids[id(thm)]

    conclusions = {name: visit(thm) for name, thm in roots}
    return {"format": "proofsheet-proof-log/1", "theorems": entries, "conclusions": conclusions}
