"""The sheet's figures, drawn with matplotlib (Agg, no screen) from the notation's definitions.

:data:`FIGURES` maps a figure's name (what ``Derivation.figure`` refers to) to
the function that draws it.  :func:`write_figures` writes each as vector PDF
(for LaTeX) and SVG (for Markdown), byte for byte the same on every build.

>>> sorted(FIGURES)
['sigmoid-and-derivative', 'vanishing-gradient']
>>> float(sigma_numeric(0.0)), float(sigma_prime_numeric(0.0))
(0.5, 0.25)
"""

from __future__ import annotations

import functools
import logging
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
from matplotlib import font_manager
from matplotlib.figure import Figure

from ..kernel.errors import ProofsheetError
from ..kernel.notation import SIGMA_DEF, SIGMA_PRIME_DEF
from .sheetwords import FIGURE_WORDS

_u = sp.Symbol("u", real=True)
#: σ and σ' as numpy functions, from the definitions the kernel unfolds (not retyped).
sigma_numeric = sp.lambdify(_u, SIGMA_DEF(_u), "numpy")
sigma_prime_numeric = sp.lambdify(_u, SIGMA_PRIME_DEF(_u), "numpy")

#: Settings that make the files the same on every build and readable on the page.
STYLE = {
    "svg.hashsalt": "proofsheet",
    "svg.fonttype": "path",
    "pdf.fonttype": 3,
    "font.size": 10,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "figure.dpi": 100,
}
METADATA = {
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
    "svg": {"Date": None, "Creator": None},
}
SEED = 20240602


class FigureError(ProofsheetError):
    """A derivation refers to a figure that :data:`FIGURES` does not know."""


#: A figure's labels in one language: key (``figure.KEY`` in words.toml) -> text.
Say = Callable[[str], str]


def sigmoid_and_derivative(say: Say) -> Figure:
    """σ(x) and σ'(x) on [−8, 8], with the maximum σ'(0) = 1/4 marked."""
    x = np.linspace(-8, 8, 641)
    fig, ax = plt.subplots(figsize=(6.4, 3.4))
    ax.plot(x, sigma_numeric(x), color="#1f5fa8", lw=2, label=r"$\sigma(x)$")
    ax.plot(x, sigma_prime_numeric(x), color="#c0392b", lw=2, label=r"$\sigma'(x)$")
    peak = float(sigma_prime_numeric(np.array([0.0]))[0])
    ax.plot([0], [peak], "o", color="#c0392b")
    ax.annotate(
        r"$\sigma'(0) = 1/4$",
        xy=(0, peak),
        xytext=(1.6, 0.36),
        arrowprops={"arrowstyle": "->", "color": "0.3"},
    )
    ax.axhline(peak, color="#c0392b", lw=0.8, ls=":")
    ax.set(xlabel="$x$", ylim=(-0.03, 1.05), xlim=(-8, 8))
    ax.set_yticks([0, 0.25, 0.5, 0.75, 1])
    ax.legend(loc="upper left", frameon=False)
    fig.tight_layout()
    return fig


def chain_gradient(weights: np.ndarray, biases: np.ndarray, y0: float) -> float:
    """∂y⁽ᴰ⁾/∂w⁽¹⁾ of y⁽ᵏ⁾ = σ(w⁽ᵏ⁾y⁽ᵏ⁻¹⁾ + b⁽ᵏ⁾), by the chain-rule product.

    ∂y⁽ᴰ⁾/∂w⁽¹⁾ = σ'(u⁽¹⁾) y⁽⁰⁾ · ∏ₖ₌₂ᴰ σ'(u⁽ᵏ⁾) w⁽ᵏ⁾.

    >>> chain_gradient(np.array([0.0]), np.array([0.0]), 1.0)
    0.25
    """
    y, factors = y0, []
    for k, (w, b) in enumerate(zip(weights, biases)):
        u = w * y + b
        factors.append(sigma_prime_numeric(u) * (y0 if k == 0 else w))
        y = sigma_numeric(u)
    return float(np.prod(factors))


def chain_output(weights: np.ndarray, biases: np.ndarray, y0: float) -> float:
    """y⁽ᴰ⁾ of the chain (for checking :func:`chain_gradient` by finite differences)."""
    y = y0
    for w, b in zip(weights, biases):
        y = sigma_numeric(w * y + b)
    return float(y)


def measured_gradients(depths: Iterable[int], chains: int = 20, seed: int = SEED) -> np.ndarray:
    """|∂y⁽ᴰ⁾/∂w⁽¹⁾| for ``chains`` random chains per depth.

    Weights, biases and y⁽⁰⁾ are uniform in [−1, 1].
    """
    rng = np.random.default_rng(seed)
    rows = []
    for depth in depths:
        rows.append(
            [
                abs(
                    chain_gradient(
                        rng.uniform(-1, 1, depth), rng.uniform(-1, 1, depth), rng.uniform(-1, 1)
                    )
                )
                for _ in range(chains)
            ]
        )
    return np.array(rows)


def vanishing_gradient(say: Say) -> Figure:
    """The bound (1/4)ⁿ against depth on a log axis, beside measured gradients of random chains."""
    depths = np.arange(1, 21)
    measured = measured_gradients(depths)
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    ax.semilogy(depths, 0.25**depths, color="#c0392b", lw=2, label=say("bound"))
    for column in measured.T:
        ax.semilogy(depths, column, color="#1f5fa8", lw=0.6, alpha=0.25)
    ax.semilogy(
        depths,
        np.median(measured, axis=1),
        "o-",
        color="#1f5fa8",
        ms=3,
        lw=1.5,
        label=say("measured"),
    )
    ax.set(xlabel=say("depth"), ylabel=say("magnitude"), xlim=(1, 20))
    ax.set_xticks([1, 5, 10, 15, 20])
    ax.legend(loc="lower left", frameon=False)
    fig.tight_layout()
    return fig


#: Every figure a derivation may refer to, by name.
FIGURES: dict[str, Callable[[Say], Figure]] = {
    "sigmoid-and-derivative": sigmoid_and_derivative,
    "vanishing-gradient": vanishing_gradient,
}


#: CJK fonts for the Chinese labels, tried in order: TeX's Fandol (which the zh PDFs use too),
#: then common system fonts.
CJK_FONTS = ("FandolSong-Regular.otf",)
CJK_FAMILIES = ("FandolSong", "Noto Sans CJK SC", "Source Han Sans SC", "AR PL UMing CN")


@functools.cache
def cjk_family() -> str | None:
    """A font family with Chinese glyphs that matplotlib can use, or None."""
    for name in CJK_FONTS if shutil.which("kpsewhich") else ():
        found = subprocess.run(["kpsewhich", name], capture_output=True, text=True, check=False)
        if found.returncode == 0 and found.stdout.strip():
            font_manager.fontManager.addfont(found.stdout.strip())
    known = {f.name for f in font_manager.fontManager.ttflist}
    return next((family for family in CJK_FAMILIES if family in known), None)


def labels(language: str) -> tuple[Say, dict]:
    """The figures' words in ``language`` and the font settings they need."""
    if language == "zh" and cjk_family() is None:
        print(
            "warning: no Chinese font for the zh figures (install texlive-lang-chinese); "
            "their labels stay in English",
            file=sys.stderr,
        )
        language = "en"
    fonts = {"font.family": ["DejaVu Sans", cjk_family()]} if language == "zh" else {}
    return (lambda key: FIGURE_WORDS[key].get(language, f"figure.{key}")), fonts


def write_figures(names: Iterable[str], out: Path, language: str = "en") -> list[Path]:
    """Write ``out/NAME.pdf`` and ``out/NAME.svg`` for each name, labelled in ``language``.

    An unknown name is a :class:`FigureError`.
    """
    names = sorted(set(names))
    unknown = [n for n in names if n not in FIGURES]
    if unknown:
        raise FigureError(
            f"unknown figure {', '.join(map(repr, unknown))}; "
            f"known figures: {', '.join(sorted(FIGURES))} (proofsheet/figures.py)"
        )
    out.mkdir(parents=True, exist_ok=True)
    logging.getLogger("fontTools").setLevel(logging.ERROR)  # it grumbles about DejaVu's font dates
    say, fonts = labels(language)
    written = []
    with matplotlib.rc_context({**STYLE, **fonts}):
        for name in names:
            fig = FIGURES[name](say)
            for fmt in ("pdf", "svg"):
                path = out / f"{name}.{fmt}"
                fig.savefig(path, format=fmt, metadata=METADATA[fmt])
                written.append(path)
            plt.close(fig)
    return written
