"""The answer sheet's derivations, one module per result, in the assignment's order.

Each module has ``derive() -> proofsheet.derivation.Derivation``.
"""

from __future__ import annotations

import importlib

#: Module names in the order the sheet shows them.
ORDER = [
    "forward_matrix_form",
    "bce_gradient",
    "backprop",
    "sigmoid_complement",
    "sigmoid_derivative",
]


def load_all():
    """Every derivation, proved, in sheet order."""
    return [importlib.import_module(f"{__name__}.{name}").derive() for name in ORDER]
