"""The answer sheet's derivations, one module per result, in the assignment's order.

Each module has ``derive() -> proofsheet.sheet.derivation.Derivation``.
"""

from __future__ import annotations

import importlib

import proofsheet.sheet.render  # registers how a notebook shows a Derivation

#: Module names in the order the sheet shows them.
ORDER = [
    "forward_matrix_form",  # Q1.1
    "bce_behaviour",  # Q1.2
    "bce_gradient",  # Q1.2, used again in Q3
    "backprop",  # Q1
    "init_symmetry",  # Q2.1
    "gd_update",  # Q2.2
    "sigmoid_complement",  # Q3.1
    "sigmoid_derivative",  # Q3.2
    "sigmoid_derivative_bound",  # Q3.3
    "chain_rule_depth",  # Q3.3
    "vanishing_gradient_bound",  # Q3.3
    "softmax_ce_gradient",  # beyond the assignment
    "tanh_relation",  # beyond the assignment
]


def derive_each():
    """Each derivation, proved, in sheet order, as soon as it is proved."""
    for name in ORDER:
        yield importlib.import_module(f"{__name__}.{name}").derive()


def load_all():
    """Every derivation, proved, in sheet order."""
    return list(derive_each())
