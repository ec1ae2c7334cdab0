"""The sheet's printer: terms in a person's order, line breaks only at the top level,
matrices too wide for the line shown entry by entry.

The displays are those the issue and `make proofs` showed in SymPy's internal order.
"""

from __future__ import annotations

import re

import pytest
import sympy as sp

from derivations.common import product_as_written, sum_as_written
from proofsheet.kernel.notation import sigma, sigma_prime
from proofsheet.sheet.displayrows import LINE_EM, display_rows
from proofsheet.sheet.printing import SLACK, fit_lines, latex, width

t, y, z, D, i, k, n, v, c = sp.symbols("t y z D i k n v c", real=True)
x1, x2, a1, a2, th1, th2, th3 = sp.symbols("x_1 x_2 a_1 a_2 theta_1 theta_2 theta_3", real=True)
b2 = sp.Symbol("b^{(2)}", real=True)
u = sp.IndexedBase("u")
s = sigma(z)
Y = sp.Function("Y")
HALF = sp.Rational(1, 2)
SLOPE = sigma_prime(u[k])

PERSON_ORDER = [
    (s - y, r"\sigma\left(z\right) - y"),
    (t - 1, "t - 1"),
    (1 + D - i, "D - i + 1"),
    (sp.Product(SLOPE, (k, i, i + n - 1)), r"\prod_{k=i}^{i + n - 1} \sigma'\left({u}_{k}\right)"),
    (sp.Product(SLOPE, (k, i + 1, i)), r"\prod_{k=i + 1}^{i} \sigma'\left({u}_{k}\right)"),
    ((t - 1) / t, r"\frac{t - 1}{t}"),
    (t - 1 - sp.log(t), r"t - \log{\left(t \right)} - 1"),
    (Y(k - 1 - i, i), r"Y{\left(k - i - 1,i \right)}"),
    (th3 + th1 * x1 + th2 * x2, r"\theta_{1} x_{1} + \theta_{2} x_{2} + \theta_{3}"),
    (sigma(c + a1 * x1 + a2 * x2), r"\sigma\left(a_{1} x_{1} + a_{2} x_{2} + c\right)"),
    (x1 * (s - y), r"x_{1} \left(\sigma\left(z\right) - y\right)"),
    (-((s - y) ** 2), r"- \left(\sigma\left(z\right) - y\right)^{2}"),
    (2 + t + t**2, "t^{2} + t + 2"),
    (1 - s, r"1 - \sigma\left(z\right)"),
    (2 - sigma_prime(0) / 3, r"2 - \frac{\sigma'\left(0\right)}{3}"),
    (-1 + sigma(-HALF) / 4, r"\frac{\sigma\left(- \frac{1}{2}\right)}{4} - 1"),
    (-1 - t, "- t - 1"),
    (D - i, "D - i"),
    (1 / (1 + sp.exp(-t)), r"\frac{1}{1 + e^{- t}}"),
    (1 + sigma(1) * sigma(-1) / 2, r"1 + \frac{\sigma\left(1\right) \sigma\left(-1\right)}{2}"),
]


@pytest.mark.parametrize(("expr", "expected"), PERSON_ORDER, ids=[e for _, e in PERSON_ORDER])
def test_a_known_display_prints_its_terms_in_a_persons_order(expr, expected):
    assert latex(expr) == expected


WRITTEN = [
    (sum_as_written(s, -y), r"\sigma\left(z\right) - y"),
    (
        sum_as_written(-y, y * s, s, -y * s),
        r"- y + y \sigma\left(z\right) + \sigma\left(z\right) - y \sigma\left(z\right)",
    ),
    (sp.Add(-y, x1, evaluate=False), "- y + x_{1}"),
    (product_as_written(s - y, v), r"\left(\sigma\left(z\right) - y\right) v"),
]


@pytest.mark.parametrize(("expr", "expected"), WRITTEN, ids=[e for _, e in WRITTEN])
def test_a_sum_a_derivation_wrote_keeps_its_written_order(expr, expected):
    assert latex(expr) == expected


# ---------------------------------------------------------------- line breaks

OUT = b2 + 3 * v * sigma(c + a1 * x1 + a2 * x2)
DELTA = product_as_written(sigma(OUT) - y, v, sigma_prime(c + a1 * x1 + a2 * x2))
ARGS = (t, x1, x2, y, sp.Symbol("eta"), a1, a2, c, v, sp.Symbol("b"))
W = sp.Function("w^{(1)}_{11}")
LONG = [
    x1 * DELTA,
    sigma(OUT) * v * sigma_prime(OUT) * x1 * x2 * (th1 + th2 + th3) * sp.exp(-OUT) * a1 * a2,
    W(1 + t, *ARGS[1:]) + W(t, *ARGS[1:]) - sigma(W(t, *ARGS[1:]) + W(1 + t, *ARGS[1:])),
    -((sigma(th3 + th1 * x1 + th2 * x2) - y) ** 2)
    - x1**2 * (sigma(th3 + th1 * x1 + th2 * x2) - y) ** 2
    - x2**2 * (sigma(th3 + th1 * x1 + th2 * x2) - y) ** 2,
    sigma(sigma(OUT) + sigma(OUT + 1) + sigma(OUT - 1) + sigma(2 * OUT)),
    (1 + sigma(1) * sigma(-1) * sigma(-HALF) / 2) * sigma(-1 + 3 * sigma(1) * sigma(-1))
    + (-1 + sigma(-HALF) / 4) * sigma(-3 * sigma(-HALF) / 4),
]
BUDGETS = [8.0, 16.0, 24.0]


def _plain(line: str) -> str:
    """A line without the marks of a break: a leading ``\\cdot``, a stack's rows, spaces."""
    for mark in (r"\begin{array}{l}", r"\end{array}", r"\\", " "):
        line = line.replace(mark, "")
    return line.removeprefix(r"\cdot")


def _balanced(line: str) -> bool:
    """Every ``\\left`` closed by a ``\\right`` and every brace closed, in order, on the line."""
    depth = 0
    for token in re.findall(r"\\left|\\right|\\[{}]|[{}]", line):
        depth += {r"\left": 1, "{": 1, r"\right": -1, "}": -1}.get(token, 0)
        if depth < 0:
            return False
    return depth == 0 and r"\left." not in line and r"\right." not in line


@pytest.mark.parametrize("budget", BUDGETS)
@pytest.mark.parametrize("expr", LONG, ids=range(len(LONG)))
def test_a_long_expression_breaks_only_outside_brackets(expr, budget):
    lines = fit_lines(expr, budget)
    assert all(_balanced(line) for line in lines), lines


@pytest.mark.parametrize("budget", BUDGETS)
@pytest.mark.parametrize("expr", [e for e in LONG if isinstance(e, sp.Add)])
def test_a_broken_sum_reads_as_the_sum_itself(expr, budget):
    lines = fit_lines(expr, budget)
    assert len(lines) > 1
    assert "".join(_plain(line) for line in lines) == _plain(latex(expr))


@pytest.mark.parametrize(
    ("expr", "bracketed"),
    [
        (x1 * DELTA, r"\left(\sigma\left(b^{(2)}"),
        (x1 * x2 * (th1 + th2 + th3 + sigma(OUT)), r"\left(\theta_{1} + \theta_{2}"),
    ],
)
def test_a_product_broken_between_factors_keeps_a_sums_brackets(expr, bracketed):
    lines = fit_lines(expr, 8.0)
    assert len(lines) > 1 and lines[1].startswith(r"\cdot ")
    assert any(_plain(line).startswith(_plain(bracketed)) for line in lines), lines


BIG_SUM = sum(sigma(OUT + m) * sp.Symbol(f"w_{m}") for m in range(6))


@pytest.mark.parametrize(
    "expr",
    [sigma(BIG_SUM), -sp.log(sigma(BIG_SUM)), sp.ImmutableMatrix([[BIG_SUM]])],
    ids=["sigma", "log", "1x1 matrix"],
)
def test_a_long_sum_inside_brackets_is_stacked_within_them_to_fit(expr):
    lines = fit_lines(expr, 24.0)
    assert width(latex(expr)) > 24.0 + SLACK
    assert all(width(line) <= 24.0 + SLACK and _balanced(line) for line in lines), lines
    assert "".join(_plain(line) for line in lines) == _plain(latex(expr)).replace(
        r"\left[\begin{matrix}", r"\left["
    ).replace(r"\end{matrix}\right]", r"\right]")


def test_a_sum_that_fits_is_one_line():
    assert fit_lines(s - y, 20.0) == [latex(s - y)]


# ---------------------------------------------------------------- matrices

TAG = {"status": "verified", "rule": "entry by entry", "number": 1, "ref": "1"}
GRADIENT = sp.ImmutableMatrix(
    2,
    3,
    lambda r, col: (
        sp.Symbol(f"x_{r + 1}")
        * (sigma(OUT) - y)
        * v
        * sigma_prime(sp.Symbol(f"a_{col + 1}") * x1 + c)
    ),
)
NAMES = sp.ImmutableMatrix(2, 3, lambda r, col: sp.Symbol(f"g_{{{r + 1}{col + 1}}}"))
COLUMN = sp.ImmutableMatrix([W(1 + t, *ARGS[1:]), W(t, *ARGS[1:]), sp.Function("b")(t, *ARGS)])


def test_a_matrix_too_wide_for_the_line_is_shown_one_entry_to_a_row():
    rows, _ = display_rows(NAMES, [("=", GRADIENT, TAG)])
    assert len(rows) == 6
    assert all(r"\begin{matrix}" not in r["right"] for r in rows)
    assert rows[-1]["tag"] == TAG


@pytest.mark.parametrize("start", [NAMES, sp.Symbol("G")])
def test_no_matrix_entry_is_broken_over_lines(start):
    rows, _ = display_rows(start, [("=", GRADIENT, TAG)])
    assert all(r"\begin{array}" not in r["right"] for r in rows)
    assert all(_balanced(r["left"]) and _balanced(r["right"]) for r in rows)


def test_a_column_too_wide_beside_its_start_hangs_below_it():
    rows, hanging = display_rows(COLUMN, [("=", COLUMN.subs(t, 1 + t), TAG)])
    assert hanging
    assert [r["right"].count(r"\begin{matrix}") for r in rows] == [1, 1]


def test_a_small_matrix_is_shown_whole_beside_its_start():
    small = sp.ImmutableMatrix([[s - y, 1 - s]])
    rows, hanging = display_rows(NAMES[0, :2], [("=", small, TAG)])
    assert not hanging and len(rows) == 1
    assert width(rows[0]["left"] + rows[0]["right"]) <= LINE_EM


def test_a_start_beside_which_a_term_would_need_stacking_hangs_above_it():
    w, b, wi, yi = sp.Function("w"), sp.Function("b"), sp.Symbol("w^{(i)}"), sp.Symbol("y^{(i-1)}")
    args = (i, wi, yi)
    body = sigma_prime(Y(k - i - 1, *args) * w(k) + b(k)) * w(k)
    term = yi * sp.Product(body, (k, i + 1, i + n + 1)) * sigma_prime(wi * yi + b(i))
    rows, hanging = display_rows(sp.Derivative(Y(n + 1, *args), wi), [("=", term, TAG)])
    assert hanging
    assert not any(r"\begin{array}" in r["right"] for r in rows), rows
