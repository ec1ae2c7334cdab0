"""Replay a proof log with the kernel alone (the de Bruijn criterion).

This module imports the kernel and the JSON reader, never the tactics: a
log passes only if every theorem is re-derived by its rule from its
certificate and premises, and comes out exactly as logged.

    python -m proofsheet.replay build/proofs.json
"""

from __future__ import annotations

import json
import sys
from typing import Callable

from . import kernel
from .errors import KernelError, ProofsheetError
from .kernel import Prop, Theorem
from .serial import data_from_json, from_json


def prop_from_json(data: dict) -> Prop:
    return Prop(from_json(data["lhs"]), data["rel"], from_json(data["rhs"]))


Rebuild = Callable[[Prop, tuple, object, tuple], Theorem]

#: How each rule is re-run: (prop, assumptions, certificate, premises) -> Theorem.
RULES: dict[str, Rebuild] = {
    "rational-identity": lambda p, a, c, _: kernel.check(p, c, a),
    "derivative": lambda p, a, c, _: kernel.check(p, c, a),
    "certified-sign": lambda p, a, c, _: kernel.check(p, c, a),
    "interval-order": lambda p, a, c, _: kernel.check(p, c, a),
    "monotone-product": lambda p, a, c, prem: kernel.monotone_product(*prem),
    "assumption": lambda p, a, c, _: kernel.assume(p),
    "induction": lambda p, a, c, prem: kernel.induction(p, c["variable"], c["start"], *prem),
    "product-peel": lambda p, a, c, _: kernel.product_peel(p.lhs),
    "chain": lambda p, a, c, prem: kernel.chain(*prem),
    "symmetry": lambda p, a, c, prem: kernel.symmetry(*prem),
    "instantiate": lambda p, a, c, prem: kernel.instantiate(*prem, c["variable"], c["value"]),
    "entrywise": lambda p, a, c, prem: kernel.entrywise(p.lhs, p.rhs, prem),
    "discharge": lambda p, a, c, prem: kernel.discharge(*prem),
    "cases": lambda p, a, c, prem: kernel.cases(*prem, c["variable"], c["split"]),
    "add": lambda p, a, c, prem: kernel.add(*prem),
    "scale": lambda p, a, c, prem: kernel.scale(*prem),
    "limit": lambda p, a, c, _: kernel.limit(p),
    "monotone": lambda p, a, c, prem: kernel.monotone(*prem, c["function"], c["variable"], c["anchor"]),
    "exp-monotone": lambda p, a, c, prem: kernel.exp_monotone(*prem),
    "congruence": lambda p, a, c, prem: kernel.congruence(*prem, c["context"], c["hole"]),
    "product-empty": lambda p, a, c, _: kernel.product_empty(p.lhs),
    "weaken": lambda p, a, c, prem: kernel.weaken(*prem),
    "define": lambda p, a, c, _: _definition(p, c),
}


def _definition(prop: Prop, c: dict) -> Theorem:
    """Re-run a recursive definition and take the equation the log names."""
    equations = kernel.define_simultaneous(c["names"], c["start"], c["variable"], c["args"], c["bases"],
                                           c["steps"], c["previous"])[c["name"]]
    return next((t for t in equations if t.prop == prop), equations[0])


def replay(log: dict) -> dict[str, Theorem]:
    """Re-derive every theorem; return the named conclusions.  Raises KernelError."""
    done: list[Theorem] = []
    for entry in log["theorems"]:
        rule = RULES.get(entry["rule"])
        if rule is None:
            raise KernelError(f"theorem {entry['id']}: unknown rule {entry['rule']!r}")
        prop = prop_from_json(entry["prop"])
        assumptions = tuple(prop_from_json(a) for a in entry["assumptions"])
        premises = tuple(done[i] for i in entry["premises"])
        theorem = rule(prop, assumptions, data_from_json(entry["certificate"]), premises)
        if theorem.prop != prop or set(theorem.assumptions) != set(assumptions):
            raise KernelError(f"theorem {entry['id']} ({entry['rule']}): replay gives {theorem.prop}")
        done.append(theorem)
    return {name: done[i] for name, i in log["conclusions"].items()}


def main(argv: list[str] | None = None) -> int:
    path = (argv or sys.argv[1:] or ["build/proofs.json"])[0]
    try:
        with open(path, encoding="utf-8") as f:
            conclusions = replay(json.load(f))
    except (OSError, ValueError, ProofsheetError) as exc:
        print(f"replay: {path}: {exc}", file=sys.stderr)
        return 1
    print(f"replay: {len(conclusions)} conclusions re-checked from {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
