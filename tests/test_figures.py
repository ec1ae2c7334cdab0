"""Figures: drawn from the notation's definitions, deterministic, only the ones derivations use."""

from __future__ import annotations

import re

import numpy as np
import pytest
import sympy as sp

from proofsheet.kernel.notation import SIGMA_DEF, SIGMA_PRIME_DEF
from proofsheet.sheet import build, figures
from proofsheet.sheet.derivation import Derivation, Text
from proofsheet.sheet.figures import (
    FIGURES,
    FigureError,
    chain_gradient,
    chain_output,
    write_figures,
)


def test_the_curves_are_the_notations_definitions():
    u = sp.Symbol("u", real=True)
    for x in (-5.0, -0.3, 0.0, 2.0):
        assert figures.sigma_numeric(x) == pytest.approx(float(SIGMA_DEF(u).subs(u, x)))
        assert figures.sigma_prime_numeric(x) == pytest.approx(float(SIGMA_PRIME_DEF(u).subs(u, x)))
    grid = np.linspace(-8, 8, 1001)
    assert figures.sigma_prime_numeric(grid).max() == pytest.approx(0.25)


@pytest.mark.parametrize("depth", [1, 2, 5])
def test_the_chain_rule_product_matches_a_finite_difference(depth):
    rng = np.random.default_rng(depth)
    w, b, y0 = rng.uniform(-1, 1, depth), rng.uniform(-1, 1, depth), rng.uniform(-1, 1)
    h = 1e-4
    up, down = w.copy(), w.copy()
    up[0] += h
    down[0] -= h
    numeric = (chain_output(up, b, y0) - chain_output(down, b, y0)) / (2 * h)
    assert chain_gradient(w, b, y0) == pytest.approx(numeric, rel=1e-4)


def test_measured_gradients_stay_under_the_bound():
    depths = np.arange(1, 16)
    measured = figures.measured_gradients(depths, chains=10)
    assert (measured <= 0.25 ** depths[:, None]).all()
    assert (measured > 0).all()


def test_figures_are_identical_on_every_build(tmp_path):
    first = write_figures(FIGURES, tmp_path / "a")
    second = write_figures(FIGURES, tmp_path / "b")
    assert [p.name for p in first] == [p.name for p in second] and len(first) == 2 * len(FIGURES)
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name
    svg = (tmp_path / "a" / "sigmoid-and-derivative.svg").read_text()
    assert "<dc:date>" not in svg and svg.lstrip().startswith("<?xml")
    assert (tmp_path / "a" / "vanishing-gradient.pdf").read_bytes().startswith(b"%PDF")


def test_an_unknown_figure_is_an_error_naming_it(tmp_path):
    with pytest.raises(FigureError, match="'no-such-plot'"):
        write_figures(["sigmoid-and-derivative", "no-such-plot"], tmp_path)


def test_the_build_writes_the_figures_derivations_show_and_fails_on_unknown_ones(tmp_path, capsys):
    def with_figure(name):
        def load():
            d = Derivation("pictured", "Q3.2", Text(en="Pictured", zh="图"))
            d.say(en="Look.", zh="看。")
            d.figure(name, en="A picture.", zh="一幅图。")
            return [d]

        return load

    assert build.run(tmp_path / "ok", load=with_figure("vanishing-gradient"), pdfs=False) == 0
    assert sorted(p.name for p in (tmp_path / "ok" / "figures").iterdir()) == [
        "vanishing-gradient.pdf",
        "vanishing-gradient.svg",
        "zh",
    ]
    assert "](figures/zh/vanishing-gradient.svg)" in (tmp_path / "ok" / "proofs.zh.md").read_text()
    assert "](figures/vanishing-gradient.svg)" in (tmp_path / "ok" / "proofs.en.md").read_text()
    assert build.run(tmp_path / "bad", load=with_figure("no-such-plot"), pdfs=False) == 1
    assert "unknown figure 'no-such-plot'" in capsys.readouterr().err


@pytest.mark.parametrize("language, words", [("en", "depth"), ("zh", "深度")])
def test_each_language_labels_its_figures_in_its_own_words(tmp_path, language, words):
    write_figures(["vanishing-gradient"], tmp_path, language)
    svg = (tmp_path / "vanishing-gradient.svg").read_text(encoding="utf-8")
    labels = " ".join(re.findall(r"<!-- (.*?) -->", svg))  # matplotlib keeps each text here
    assert words in labels
    assert bool(re.search(r"[\u4e00-\u9fff]", labels)) is (language == "zh")
