"""The Q1 network — input 1×2, a hidden layer of 3 sigmoid units, 1 sigmoid output — in SymPy.

Shared by the Q1 derivations.  Parameters are explicit matrices of real
symbols that SymPy prints as ``w^{(1)}_{ij}``, ``b^{(1)}_{j}``, ``w^{(2)}_{j}``,
``b^{(2)}``; every matrix product goes through :func:`proofsheet.kernel.matmul`,
so a shape mismatch is the kernel's :class:`~proofsheet.kernel.errors.ShapeError`.

>>> net = network()
>>> net.Z1.shape, net.A2.shape
((1, 3), (1, 1))
>>> named(net, "W1")
W^{(1)}
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from derivations.common import y
from proofsheet import kernel
from proofsheet.kernel import Prop, Theorem
from proofsheet.kernel.errors import ShapeError
from proofsheet.kernel.notation import sigma
from proofsheet.search.decide import decide
from proofsheet.sheet.derivation import Claim, Derivation, Step, Text


def parameter(letter: str, layer: int, rows: int, cols: int) -> sp.ImmutableMatrix:
    """A rows×cols matrix of real symbols ``letter^{(layer)}_{index}`` (one index if a vector)."""

    def entry(i: int, j: int) -> sp.Symbol:
        index = f"{i + 1}{j + 1}" if rows > 1 and cols > 1 else f"{max(i, j) + 1}"
        suffix = f"_{{{index}}}" if rows * cols > 1 else ""
        return sp.Symbol(f"{letter}^{{({layer})}}{suffix}", real=True)

    return sp.ImmutableMatrix(rows, cols, entry)


def add(a: sp.MatrixBase, b: sp.MatrixBase) -> sp.ImmutableMatrix:
    """``a + b``, with a mismatch reported as a :class:`ShapeError` like the kernel's matmul."""
    if a.shape != b.shape:
        raise ShapeError(f"cannot add {a.shape[0]}×{a.shape[1]} and {b.shape[0]}×{b.shape[1]}")
    return sp.ImmutableMatrix(a + b)


def bce(label: sp.Expr, prediction: sp.Expr) -> sp.Expr:
    """Binary cross-entropy L = −(y log ŷ + (1 − y) log(1 − ŷ))."""
    return -(label * sp.log(prediction) + (1 - label) * sp.log(1 - prediction))


@dataclass(frozen=True)
class Network:
    """Row vectors: z⁽¹⁾ = xW⁽¹⁾ + b⁽¹⁾, a⁽¹⁾ = σ(z⁽¹⁾), z⁽²⁾ = a⁽¹⁾W⁽²⁾ + b⁽²⁾, ŷ = σ(z⁽²⁾).

    Attributes keep ASCII names (``W1`` is W⁽¹⁾, ``Z1`` is z⁽¹⁾, ``A2`` is ŷ); :data:`NAMES`
    gives each its displayed name.
    """

    x: sp.ImmutableMatrix
    W1: sp.ImmutableMatrix
    b1: sp.ImmutableMatrix
    W2: sp.ImmutableMatrix
    b2: sp.ImmutableMatrix

    @property
    def Z1(self) -> sp.ImmutableMatrix:
        return add(kernel.matmul(self.x, self.W1), self.b1)

    @property
    def A1(self) -> sp.ImmutableMatrix:
        return self.Z1.applyfunc(sigma)

    @property
    def Z2(self) -> sp.ImmutableMatrix:
        return add(kernel.matmul(self.A1, self.W2), self.b2)

    @property
    def A2(self) -> sp.ImmutableMatrix:
        return self.Z2.applyfunc(sigma)

    def loss(self, label: sp.Expr = y) -> sp.Expr:
        """The scalar loss, fully written out in the inputs and parameters."""
        return bce(label, self.A2[0])


def network(inputs: int = 2, hidden: int = 3) -> Network:
    """The Q1 network with symbolic input and parameters."""
    x = sp.ImmutableMatrix(1, inputs, lambda _i, j: sp.Symbol(f"x_{j + 1}", real=True))
    return Network(
        x,
        parameter("w", 1, inputs, hidden),
        parameter("b", 1, 1, hidden),
        parameter("w", 2, hidden, 1),
        parameter("b", 2, 1, 1),
    )


def shown(name: str, matrix: sp.MatrixBase) -> sp.MatrixSymbol:
    """A named matrix of the same shape, for notation that is displayed (``W_1``, ``δ_2`` …)."""
    return sp.MatrixSymbol(name, *matrix.shape)


#: The sheet's one notation for the network's matrices (LaTeX names, printed as given):
#: bold row vector x, then W⁽¹⁾, b⁽¹⁾, z⁽¹⁾, a⁽¹⁾, W⁽²⁾, b⁽²⁾, z⁽²⁾ and ŷ = a⁽²⁾.
NAMES = {
    "x": r"\mathbf{x}",
    "W1": "W^{(1)}",
    "b1": "b^{(1)}",
    "Z1": "z^{(1)}",
    "A1": "a^{(1)}",
    "W2": "W^{(2)}",
    "b2": "b^{(2)}",
    "Z2": "z^{(2)}",
    "A2": r"\hat{y}",
}


def named(net: Network, key: str) -> sp.MatrixSymbol:
    """The display name of ``net``'s matrix ``key`` (``"W1"`` → ``W⁽¹⁾``), of its shape."""
    return shown(NAMES[key], getattr(net, key))


def entrywise_fact(
    d: Derivation, lhs: sp.MatrixBase, rhs: sp.MatrixBase, why: Text, seconds: float = 60
) -> Theorem | None:
    """Prove ``lhs = rhs`` entry by entry and show it; an unproved entry is shown as its own step.

    Each entry is decided separately (tactics search, kernel checks); the
    entry theorems then make one ``entrywise`` theorem.  If any entry is
    refuted or undecided, that entry's verdict is added as a step so the
    build names it, and ``None`` is returned.
    """
    lhs, rhs = sp.ImmutableMatrix(lhs), sp.ImmutableMatrix(rhs)
    if lhs.shape != rhs.shape:
        raise ShapeError(
            f"shapes differ: {lhs.shape[0]}×{lhs.shape[1]} vs {rhs.shape[0]}×{rhs.shape[1]}"
        )
    verdicts = [
        decide(Prop(l, "=", r), seconds=seconds, proof_first=True) for l, r in zip(lhs, rhs)
    ]
    if all(v.ok for v in verdicts):
        theorem = kernel.entrywise(lhs, rhs, tuple(v.theorem for v in verdicts))
        d.fact(theorem, why=why)
        return theorem
    d.blocks.extend(Claim(Step(v, why)) for v in verdicts if not v.ok)
    return None
