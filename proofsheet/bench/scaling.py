"""Depth scaling: the derivative of σ∘…∘σ (depth n) against ∏ σ(u)(1 − σ(u)), n = 2 … 64.

Each depth is decided once (search and kernel, as ``prove`` does it); the exponent k of
``time ≈ c·n^k`` is fitted by least squares on the logarithms of the depths from 8 on (the
smallest are dominated by fixed costs), and the times are plotted, on log–log axes, to
``build/figures/bench-scaling.svg``.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

import sympy as sp

DEPTHS = (2, 4, 8, 16, 32, 64)
FIT_FROM = 8  #: the smallest depth the exponent is fitted on


def chain_rule(depth: int):
    """d/dx σ∘…∘σ(x) = ∏ σ(u)(1 − σ(u)) over the layers u."""
    from ..kernel import Prop
    from ..kernel.notation import sigma

    x = sp.Symbol("x", real=True)
    layers, f = [], x
    for _ in range(depth):
        layers.append(f)
        f = sigma(f)
    return Prop(sp.Derivative(f, x), "=", sp.Mul(*(sigma(u) * (1 - sigma(u)) for u in layers)))


def fitted_exponent(points: list[tuple[int, float]]) -> float:
    """The least-squares slope of log(time) against log(depth).

    >>> round(fitted_exponent([(8, 1.0), (16, 4.0), (32, 16.0)]), 6)
    2.0
    """
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((a - mx) * (b - my) for a, b in zip(xs, ys)) / sum((a - mx) ** 2 for a in xs)


def measure(depths=DEPTHS) -> dict:
    from ..search.decide import decide

    rows = []
    for n in depths:
        start = time.perf_counter()
        verdict = decide(chain_rule(n), seconds=120)
        seconds = time.perf_counter() - start
        rows.append({"depth": n, "status": verdict.status, "seconds": round(seconds, 3)})
        print(f"{'nested sigma, depth ' + str(n):28} {verdict.status:10} {seconds:7.2f} s")
    fit = [(r["depth"], r["seconds"]) for r in rows if r["depth"] >= FIT_FROM]
    exponent = fitted_exponent(fit) if len(fit) >= 2 else float("nan")
    print(f"{'growth exponent (n >= 8)':28} {exponent:.2f}  (time ~ n^k)")
    return {"depths": rows, "exponent": round(exponent, 2)}


def plot(result: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    depths = [r["depth"] for r in result["depths"]]
    seconds = [r["seconds"] for r in result["depths"]]
    fig, ax = plt.subplots(figsize=(5, 3.2))
    ax.loglog(depths, seconds, "o-", base=2, label="verified (search + kernel)")
    ax.set_xlabel("depth n of σ∘…∘σ")
    ax.set_ylabel("seconds")
    ax.set_title(f"d/dx of nested sigmoids: time ~ n^{result['exponent']:.2f}")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
