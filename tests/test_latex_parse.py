r"""LaTeX math -> SymPy: the notation the student checker reads (proofsheet.parsing.latex)."""

from __future__ import annotations

import ast
import inspect
import io
import logging

import pytest
import sympy as sp

from proofsheet.kernel.errors import ParseError
from proofsheet.kernel.notation import sigma, sigma_prime
from proofsheet.parsing import latex as latex_module
from proofsheet.parsing import (
    latex_build,
    latex_retype,
    latex_segments,
    latex_tables,
    latex_tokens,
)
from proofsheet.parsing.latex import RelationChain, parse_latex_expression, parse_math


def R(name: str) -> sp.Symbol:
    return sp.Symbol(name, real=True)


def Z(name: str) -> sp.Symbol:
    return sp.Symbol(name, integer=True)


def IX(base: str, index: sp.Expr) -> sp.Indexed:
    return sp.Indexed(sp.IndexedBase(base, real=True), index)


x, y, z, a, b, c, f, L, s, t = map(R, "x y z a b c f L s t".split())
d, w, W = R("d"), R("w"), R("W")
yhat, xbar = R("yhat"), R("xbar")
i, k, n, D = map(Z, "i k n D".split())
ex = sp.exp(-x)

EXPRESSIONS = [
    # the sigmoid and its derivative
    (r"\sigma(x)", sigma(x)),
    (r"\sigma\left(x\right)", sigma(x)),
    (r"\sigma \left[ x \right]", sigma(x)),
    (r"\sigma(-x)", sigma(-x)),
    (r"\sigma'(x)", sigma_prime(x)),
    (r"\sigma^{'}(x)", sigma_prime(x)),
    (r"\sigma^{\prime}(x)", sigma_prime(x)),
    (r"\sigma^\prime(x)", sigma_prime(x)),
    (r"\sigma'\left(u^{(k)}\right)", sigma_prime(IX("u", k))),
    (r"\sigma'(u^{(k)})", sigma_prime(IX("u", k))),
    (r"\sigma(Z_1)", sigma(R("Z_1"))),
    (r"\sigma(x)(1-\sigma(x))", sigma(x) * (1 - sigma(x))),
    (r"\sigma(x)^2", sigma(x) ** 2),
    # \sigma is the sigmoid everywhere: any bracket, a power before its argument, d\sigma
    (r"\sigma{(-x)}", sigma(-x)),
    (r"-\sigma{x}", -sigma(x)),
    (r"\sigma^2(x)", sigma(x) ** 2),
    (r"\sigma^{2}\left(x\right)", sigma(x) ** 2),
    (r"\frac{d\sigma}{dx}", sp.Derivative(sigma(x), x)),
    (r"\frac{\partial \sigma}{\partial z}", sp.Derivative(sigma(z), z)),
    # a known function in an upright font is that function
    (r"\mathrm{tanh}(x)", sp.tanh(x)),
    (r"\operatorname{tanh}(x)", sp.tanh(x)),
    (r"\operatorname{log} x", sp.log(x)),
    (r"\mathit{tanh}(x)", sp.tanh(x)),
    # … but in a subscript an upright word is part of the name
    (r"W_{\mathrm{out}}", R("W_out")),
    (r"L_{\mathbf{BCE}} + x_{i,\mathrm{max}}", R("L_BCE") + R("x_{i,max}")),
    # exponential, logarithms, other functions, constants
    (r"e", sp.E),
    (r"e^{-x}", ex),
    (r"e^x", sp.exp(x)),
    (r"e^{(-x)}", ex),
    (r"\mathrm{e}^{x}", sp.exp(x)),
    (r"\exp(x+1)", sp.exp(x + 1)),
    (r"\exp{-x}", ex),
    (r"\exp\left(-x\right)", ex),
    (r"\log(x)", sp.log(x)),
    (r"\ln x", sp.log(x)),
    (r"\log\hat{y}", sp.log(yhat)),
    (r"y\log\hat{y}", y * sp.log(yhat)),
    (r"\log x^2", sp.log(x**2)),
    (r"\log(x)^2", sp.log(x) ** 2),
    (r"\log x \cdot y", sp.log(x) * y),
    (r"\sin x \cos x", sp.sin(x) * sp.cos(x)),
    (r"\log x \sigma(y)", sp.log(x) * sigma(y)),
    (r"\ln \exp(x)", x),
    (r"\tanh(x)", sp.tanh(x)),
    (r"\tanh x", sp.tanh(x)),
    (r"\sqrt{x}", sp.sqrt(x)),
    (r"\sqrt[3]{x}", sp.root(x, 3)),
    (r"\sqrt{4}", 2),
    (r"\pi", sp.pi),
    (r"2\pi", 2 * sp.pi),
    # fractions, groups, sizes
    (r"\frac{a}{b}", a / b),
    (r"\dfrac{a}{b}", a / b),
    (r"\tfrac{a}{b}", a / b),
    (r"\frac14", sp.Rational(1, 4)),
    (r"\frac1x", 1 / x),
    (r"\frac{1}{1+e^{-x}}", 1 / (1 + ex)),
    (r"{a+b}c", (a + b) * c),
    (r"\left[ a + b \right] c", (a + b) * c),
    (r"\big( a + b \big)(c)", (a + b) * c),
    (r"\Bigl(a\Bigr) \bigg[b\bigg]", a * b),
    (r"\left\{ a \right\} b", a * b),
    # multiplication, division, powers, minus
    (r"a \cdot b", a * b),
    (r"a \times b", a * b),
    (r"a * b", a * b),
    (r"a / b", a / b),
    (r"a/bc", a / (b * c)),
    (r"a \cdot b / c", a * b / c),
    (r"2x", 2 * x),
    (r"x y", x * y),
    (r"xy", x * y),
    (r"2 (3)", 6),
    (r"(1+e^{-x})^{-1}", 1 / (1 + ex)),
    (r"\left(1+e^{-x}\right)^{-2}", (1 + ex) ** -2),
    (r"-x^2", -(x**2)),
    (r"-(a+b)", -(a + b)),
    (r"a - b - c", a - b - c),
    (r"a - b + c", a - b + c),
    (r"x^2", x**2),
    (r"x^{-1}", 1 / x),
    (r"x^2 3", 3 * x**2),
    (r"x^{y+1}", x ** (y + 1)),
    (r"x^\pi", x**sp.pi),
    (r"2.5", sp.Rational(5, 2)),
    (r".5", sp.Rational(1, 2)),
    (r"1 - .25x", 1 - x / 4),
    (r"0.25x", x / 4),
    (r"1.000", 1),
    # names: single letters, Greek, accents, subscripts
    (r"\theta", R("theta")),
    (r"\eta \alpha", R("eta") * R("alpha")),
    (r"\Delta", R("Delta")),
    (r"\hat{y}", yhat),
    (r"\hat y", yhat),
    (r"\widehat{y}", yhat),
    (r"\bar{x}", xbar),
    (r"\overline{x}", xbar),
    (r"\hat{\theta}", R("thetahat")),
    (r"\hat{y}_i", R("yhat_i")),
    (r"x_1", R("x_1")),
    (r"x_{12}", R("x_12")),
    (r"x_1 2", R("x_1") * 2),
    (r"W_{ij}", R("W_ij")),
    (r"b_2", R("b_2")),
    (r"\theta_1", R("theta_1")),
    (r"x_\alpha", R("x_alpha")),
    (r"x_{i+1}", R("x_{i+1}")),
    (r"W_{1,2}", R("W_{1,2}")),
    (r"L_{\text{BCE}}", R("L_BCE")),
    # bold is another name than plain (the checker refuses a step that mixes them)
    (r"\mathbf{W}_1", R("Wbold_1")),
    (r"\boldsymbol{\theta}", R("thetabold")),
    (r"\boldsymbol\theta + \bm{x}", R("thetabold") + R("xbold")),
    (r"\mathit{x} + \mathrm{x}", 2 * x),
    (r"x_1^2", R("x_1") ** 2),
    (r"x^2_1", R("x_1") ** 2),
    (r"e_1", R("e_1")),
    (r"d", d),
    # ^{(k)} is an index, not a power; index names are integers
    (r"u^{(k)}", IX("u", k)),
    (r"y^{(i-1)}", IX("y", i - 1)),
    (r"w^{(D)}", IX("w", D)),
    (r"\theta^{(i)}", IX("theta", i)),
    (r"W^{(i)}_{1}", IX("W_1", i)),
    (r"(u^{(k)})^2", IX("u", k) ** 2),
    (r"(a+b)^{(2)}", (a + b) ** 2),
    (r"2^{(3)}", 8),
    # big operators: the body is the rest of the product
    (r"\prod_{k=i}^{D}\sigma'(u^{(k)})", sp.Product(sigma_prime(IX("u", k)), (k, i, D))),
    (
        r"\prod_{k=i}^{D}\left(\sigma'(u^{(k)})\right)",
        sp.Product(sigma_prime(IX("u", k)), (k, i, D)),
    ),
    (
        r"\prod_{k=i}^D \sigma'(u^{(k)}) w^{(k)}",
        sp.Product(sigma_prime(IX("u", k)) * IX("w", k), (k, i, D)),
    ),
    (r"\prod^{D}_{k=i} w^{(k)}", sp.Product(IX("w", k), (k, i, D))),
    (r"\prod\limits_{k=i}^{D} w^{(k)}", sp.Product(IX("w", k), (k, i, D))),
    (r"\sum_{k=1}^{n} k^2", sp.Sum(k**2, (k, 1, n))),
    (r"\sum_{k=1}^n k + 1", sp.Sum(k, (k, 1, n)) + 1),
    (r"\sum_{k=1}^{n} x_k", sp.Sum(IX("x", k), (k, 1, n))),
    (r"a \sum_{k=1}^{n} k", a * sp.Sum(k, (k, 1, n))),
    (r"\sum_{k=1}^{n} k \cdot a", sp.Sum(k, (k, 1, n)) * a),
    (
        r"\prod_{k=i+1}^{D} \frac{\partial y^{(k)}}{\partial y^{(k-1)}}",
        sp.Product(sp.Derivative(IX("y", k), IX("y", k - 1)), (k, i + 1, D)),
    ),
    # derivatives (unevaluated); d in the denominator is the differential
    (r"\frac{d}{dx} f", sp.Derivative(f, x)),
    (r"\frac{d}{dx}\left(1+e^{-x}\right)^{-1}", sp.Derivative(1 / (1 + ex), x)),
    (r"\frac{d}{dx}\sigma(x)", sp.Derivative(sigma(x), x)),
    (r"\frac{d}{dx} x^2 + 1", sp.Derivative(x**2, x) + 1),
    (r"2\frac{d}{dx} x y", 2 * sp.Derivative(x * y, x)),
    (r"\frac{df}{dx}", sp.Derivative(f, x)),
    (r"\frac{d f}{d x}", sp.Derivative(f, x)),
    (r"\frac{d\sigma(x)}{dx}", sp.Derivative(sigma(x), x)),
    (r"\frac{\mathrm{d}}{\mathrm{d}x} x^2", sp.Derivative(x**2, x)),
    (r"\frac{\partial L}{\partial z}", sp.Derivative(L, z)),
    (r"\frac{\partial}{\partial z} f", sp.Derivative(f, z)),
    (r"\frac{\partial L}{\partial \hat{y}}", sp.Derivative(L, yhat)),
    (r"\frac{\partial L}{\partial W_{ij}}", sp.Derivative(L, R("W_ij"))),
    (r"\frac{\partial L}{\partial \theta^{(i)}}", sp.Derivative(L, IX("theta", i))),
    (r"\dfrac{d}{dx} f", sp.Derivative(f, x)),
    (r"\frac{d}{2}", d / 2),
    (r"\frac{a}{dx}", a / (d * x)),
    (r"\frac{d+1}{dx}", (d + 1) / (d * x)),
    # ignored decorations
    (r"\displaystyle \frac{a}{b}", a / b),
    (r"a \, b \; c \! \: \ ", a * b * c),
    (r"a \, b \; c", a * b * c),
    (r"a ~ b", a * b),
    (r"a % a comment" "\n" r"+ b", a + b),
    # Unicode a student may type
    ("σ(x)", sigma(x)),
    ("a − b", a - b),
    # a row vector, as in x = [x_1, x_2]
    (r"[x_1, x_2]", sp.ImmutableMatrix([[R("x_1"), R("x_2")]])),
    (r"2\left[a, b\right]", sp.ImmutableMatrix([[2 * a, 2 * b]])),
    ("a · b × c", a * b * c),
]


@pytest.mark.parametrize("text, expected", EXPRESSIONS, ids=[e[0] for e in EXPRESSIONS])
def test_expression_is_read_as(text: str, expected: sp.Expr) -> None:
    assert parse_latex_expression(text) == expected


def test_every_name_is_real_and_every_index_name_is_integer() -> None:
    expr = parse_latex_expression(r"\prod_{k=i}^{D}\sigma'(u^{(k)}) + x + i")
    assert all(s.is_real for s in expr.atoms(sp.Symbol))
    names = {s.name: s for s in expr.atoms(sp.Symbol)}
    assert names["x"].is_integer is None and names["x"].is_real
    assert names["i"].is_integer and names["D"].is_integer and names["k"].is_integer
    assert IX("u", k).is_real


def test_hat_and_bar_print_back_as_latex() -> None:
    assert sp.latex(parse_latex_expression(r"\hat{y} + \bar{x}")) in (
        r"\bar{x} + \hat{y}",
        r"\hat{y} + \bar{x}",
    )


def _chains(text: str, **kw: object) -> list[tuple[tuple[str, ...], tuple[sp.Expr, ...]]]:
    return [(c.rels, c.terms) for c in parse_math(text, **kw)]


RELATIONS = [
    (r"a = b", ("=",)),
    (r"a < b", ("<",)),
    (r"a > b", (">",)),
    (r"a \le b", ("<=",)),
    (r"a \leq b", ("<=",)),
    (r"a \leqslant b", ("<=",)),
    (r"a <= b", ("<=",)),
    (r"a \ge b", (">=",)),
    (r"a \geq b", (">=",)),
    (r"a \geqslant b", (">=",)),
    (r"a \ne b", ("!=",)),
    (r"a \neq b", ("!=",)),
    (r"a := b", ("def",)),
    (r"a \coloneqq b", ("def",)),
    (r"a \triangleq b", ("def",)),
    ("a ≤ b", ("<=",)),
    (r"a = b \le c < d", ("=", "<=", "<")),
]


@pytest.mark.parametrize("text, rels", RELATIONS, ids=[r[0] for r in RELATIONS])
def test_relation_is_named(text: str, rels: tuple[str, ...]) -> None:
    (chain,) = parse_math(text)
    assert chain.rels == rels and chain.terms[0] == a and len(chain.terms) == len(rels) + 1


IGNORED = [
    (r"a &= b", [(("=",), (a, b))]),
    (r"a \quad = \; b", [(("=",), (a, b))]),
    (r"\displaystyle a = b", [(("=",), (a, b))]),
    (r"a = b,", [(("=",), (a, b))]),
    (r"a = b.", [(("=",), (a, b))]),
    (r"a = b;", [(("=",), (a, b))]),
    (r"a = b \tag{1}", [(("=",), (a, b))]),
    (r"a = b \tag*{(*)} \label{eq:ab}", [(("=",), (a, b))]),
    (r"a = b \nonumber", [(("=",), (a, b))]),
    (r"\therefore a = b", [(("=",), (a, b))]),
    (r"\because a = b", [(("=",), (a, b))]),
    (r"\Rightarrow a = b", [(("=",), (a, b))]),
    (r"a = b \text{ by the chain rule}", [(("=",), (a, b))]),
    (r"\text{hence } a = b", [(("=",), (a, b))]),
    (r"\text{其中 } a = b \text{，成立}", [(("=",), (a, b))]),
    (r"a = b \quad \mathrm{for\ all} \quad c", [(("=",), (a, b))]),
    (r"\text{only prose here}", []),
    (r"a + b", []),
    (r"", []),
    (r"a = b \Rightarrow c = a", [(("=",), (a, b)), (("=",), (c, a))]),
    (r"a = b, \quad c < a", [(("=",), (a, b)), (("<",), (c, a))]),
    # a wide space separates two formulas; it never glues them into a product (1·b)
    (r"a = 1 \quad a + 1 = 2", [(("=",), (a, 1)), (("=",), (a + 1, 2))]),
    (r"a = 1 \qquad b = 2", [(("=",), (a, 1)), (("=",), (b, 2))]),
    (r"0<s<1, t>0", [(("<", "<"), (0, s, 1)), ((">",), (t, 0))]),
    (r"a &= b & c &= a", [(("=",), (a, b)), (("=",), (c, a))]),
    (r"a &=& b \\ &=& c", [(("=", "="), (a, b, c))]),
]


@pytest.mark.parametrize("text, chains", IGNORED, ids=[r[0] or "empty" for r in IGNORED])
def test_decorations_and_prose_are_ignored(text: str, chains: list) -> None:
    assert _chains(text) == chains


SHEET = [
    (
        r"1 - \sigma(x) = 1 - \frac{1}{1+e^{-x}} = \frac{e^{-x}}{1+e^{-x}}",
        ("=", "="),
        (1 - sigma(x), 1 - 1 / (1 + ex), ex / (1 + ex)),
    ),
    (
        (
            r"\frac{d}{dx}\left(1+e^{-x}\right)^{-1} = "
            r"(-1)\left(1+e^{-x}\right)^{-2}\left(-e^{-x}\right)"
        ),
        ("=",),
        (sp.Derivative(1 / (1 + ex), x), ex / (1 + ex) ** 2),
    ),
    (
        r"\prod_{k=i}^{D}\sigma'(u^{(k)}) \le \left(\frac{1}{4}\right)^{D-i+1}",
        ("<=",),
        (sp.Product(sigma_prime(IX("u", k)), (k, i, D)), sp.Rational(1, 4) ** (D - i + 1)),
    ),
    (
        r"L = -(y\log\hat{y} + (1-y)\log(1-\hat{y}))",
        ("=",),
        (L, -(y * sp.log(yhat) + (1 - y) * sp.log(1 - yhat))),
    ),
    (r"\frac{\partial L}{\partial z} = \hat{y} - y", ("=",), (sp.Derivative(L, z), yhat - y)),
    (
        r"\therefore \sigma'(x) = \sigma(x)\left(1 - \sigma(x)\right)",
        ("=",),
        (sigma_prime(x), sigma(x) * (1 - sigma(x))),
    ),
    (
        r"0<\sigma^{'}(u^{(k)})\leq \frac{1}{4}",
        ("<", "<="),
        (0, sigma_prime(IX("u", k)), sp.Rational(1, 4)),
    ),
    (
        r"u^{(i)} = W^{(i)} y^{(i-1)} + b^{(i)}",
        ("=",),
        (IX("u", i), IX("W", i) * IX("y", i - 1) + IX("b", i)),
    ),
]


@pytest.mark.parametrize("text, rels, terms", SHEET, ids=[s[0] for s in SHEET])
def test_student_sheet_formula_is_one_chain(text: str, rels: tuple, terms: tuple) -> None:
    (chain,) = parse_math(text)
    assert chain.rels == rels
    assert chain.terms == terms


ALIGN = [
    (
        "continuation with &=",
        "1-\\sigma(x) &= 1 - \\frac{1}{1+e^{-x}} \\\\\n &= \\frac{e^{-x}}{1+e^{-x}}",
        [(("=", "="), (1 - sigma(x), 1 - 1 / (1 + ex), ex / (1 + ex)))],
    ),
    ("continuation with plain =", "a = b \\\\ = c \\\\ \\le d", [(("=", "=", "<="), (a, b, c, d))]),
    (
        "lone first line is the left side",
        "\\frac{d}{dx}\\sigma(x) \\\\\n &= a \\\\\n &= b",
        [(("=", "="), (sp.Derivative(sigma(x), x), a, b))],
    ),
    (
        "own left side starts a new chain",
        "a &= b \\\\ c &= d \\\\ &< a",
        [(("=",), (a, b)), (("=", "<"), (c, d, a))],
    ),
    ("gather: one chain per line", "a = b \\\\ c = d", [(("=",), (a, b)), (("=",), (c, d))]),
    ("trailing \\\\ and empty lines", "a &= b \\\\ \\\\ &= c \\\\", [(("=", "="), (a, b, c))]),
    ("prose line in between", "a &= b \\\\ \\text{so} \\\\ &= c", [(("=", "="), (a, b, c))]),
    ("\\\\[2pt] spacing", "a &= b \\\\[2pt] &= c", [(("=", "="), (a, b, c))]),
    (
        "aligned environment markers",
        "\\begin{aligned} a &= b \\\\ &= c \\end{aligned}",
        [(("=", "="), (a, b, c))],
    ),
    ("comment at the end of a line", "a &= b \\\\ % step 1\n &= c", [(("=", "="), (a, b, c))]),
    ("lone expression alone", "a \\\\ b", []),
]


@pytest.mark.parametrize("text, chains", [a[1:] for a in ALIGN], ids=[a[0] for a in ALIGN])
def test_align_lines_form_chains(text: str, chains: list) -> None:
    assert _chains(text) == chains


def test_chain_records_texts_and_file_positions() -> None:
    block = "1 - \\sigma(x) &= \\left(\\frac{1}{4}\\right)^{2} \\\\\n  &= \\frac{1}{16} \\tag{2}"
    (chain,) = parse_math(block, line=7, column=4, source="hw.md")
    assert chain.texts == ("1 - \\sigma(x)", "\\left(\\frac{1}{4}\\right)^{2}", "\\frac{1}{16}")
    assert (chain.line, chain.column) == (7, 4)
    assert chain.positions == ((7, 4), (7, 21), (8, 6))


def test_previous_chain_continues_a_block_that_starts_with_a_relation() -> None:
    (first,) = parse_math("a = b", line=3, column=3)
    (chain,) = parse_math("= c \\le d", previous=first, line=5, column=3)
    assert chain.terms == (b, c, d) and chain.rels == ("=", "<=")
    assert chain.texts[0] == "b" and chain.positions[0] == (3, 7)


def test_integer_names_can_be_declared_for_the_whole_document() -> None:
    (chain,) = parse_math("n = m", integer_names={"n"})
    assert chain.terms[0] == Z("n") and chain.terms[1] == R("m")


def test_index_names_are_integer_in_every_term_of_the_block() -> None:
    (chain,) = parse_math(r"\prod_{k=i}^{D} w^{(k)} \le \left(\frac{1}{4}\right)^{D-i+1}")
    assert chain.terms[1] == sp.Rational(1, 4) ** (D - i + 1)


MALFORMED = [
    # text, line, column, words in the message (block starts at line 5, column 7)
    (r"x = ", 5, 9, "expected an expression after '='"),
    (r"a = = b", 5, 9, "expected an expression after '='"),
    (r"x \cdot", 5, 9, "expected an expression after '\\cdot'"),
    (r"x = \\ &= y", 5, 9, "expected an expression after '='"),
    (r"\foo x", 5, 7, "unknown command \\foo"),
    (r"x \# y", 5, 9, "unknown command \\#"),
    (r"\frac{1}{2", 5, 15, "unbalanced braces"),
    (r"x + }", 5, 11, "unbalanced braces"),
    (r"(x]", 5, 7, "unbalanced parentheses"),
    (r"\left( x \right.", 5, 7, "never closed"),
    (r"\text{hello", 5, 7, "\\text must be followed by {...}"),
    (r"\sigma'", 5, 13, "missing its argument"),
    (r"x'", 5, 8, "only understood on \\sigma"),
    (r"\partial x", 5, 7, "only understood in a derivative"),
    (r"\frac{d^2 y}{dx}", 5, 7, "write d^2 above and dx^2 below"),
    (r"\frac{d^{12}}{dx^{12}} y", 5, 7, "order of a derivative"),
    (r"\frac{d}{d(x+1)} x", 5, 7, "cannot differentiate"),
    (r"\prod f", 5, 7, "needs its range"),
    (r"\sum_{k<1}^{n} k", 5, 14, "range of \\sum"),
    (r"\log", 5, 7, "missing its argument"),
    (r"\frac{1}", 5, 15, "ends too early"),
    (r"|x", 5, 7, "'|' is never closed"),
    (r"\|x\| = 1", 5, 7, "norms"),
    (r"\left. x \right| = 1", 5, 16, "no opening partner"),
    ("x 当 y", 5, 9, "\\text{...}"),
    (r"x_1_2", 5, 7, "double subscript"),
    (r"u^{(k)}^2", 5, 7, "double superscript"),
    (r"= x", 5, 7, "nothing on its left"),
    (r"2^{10^{10}}", 5, 7, "exponent too large"),
    (r"2^{10^{12}/3}", 5, 7, "exponent too large"),
    (r"(2^{10000})^{100}", 5, 7, "number too large"),
    (r"x^{10^{12}}", 5, 7, "exponent too large"),
    (r"(\sqrt{2})^{100000}", 5, 7, "exponent too large"),
    # a name the grammar does not know as math is refused, never dropped as prose
    (r"\operatorname{ReLU}(x) = x", 5, 7, r"unknown function or name \operatorname{ReLU}"),
    (r"y = \mathrm{softplus}(x)", 5, 11, r"unknown function or name \mathrm{softplus}"),
    (r"\mathbf{relu}(x) = x", 5, 7, r"unknown function or name \mathbf{relu}"),
    (r"\text{softplus}(x) = x", 5, 7, r"\text{softplus} is followed by an argument"),
    (r"y = 2\text{relu}\left(x\right)", 5, 12, "proofsheet does not know this function"),
    (r"\text{softplus}x = x", 5, 7, "proofsheet does not know this function"),
    # \sigma is the sigmoid everywhere, never a variable
    # a one-character script glued to more digits or letters: meant as the longer script
    (r"x^23", 5, 8, "only one character for a power"),
    (r"2^10 = 1024", 5, 8, "only one character for a power"),
    (r"x_10 = x_{10}", 5, 8, "only one character for a subscript"),
    (r"w_ij = 1", 5, 8, "only one character for a subscript"),
    (r"e^2x = y", 5, 8, "only one character for a power"),
    # what is not a statement about real numbers, or has two meanings, is refused
    (r"\sigma(\infty) = 1", 5, 14, "not a real number"),
    (r"e^{-\infty} = 0", 5, 11, "not a real number"),
    (r"x = 1 \pm 1", 5, 13, "two formulas"),
    (r"x \to 0", 5, 9, "only understood in a limit"),
    (r"\lim_{x \to 2x} x", 5, 7, "point cannot contain x"),
    (r"n \in \mathbb{N}", 5, 13, "only x \\in \\mathbb{R} and intervals"),
    (r"x \notin (0, 1)", 5, 9, "not checked"),
    (r"\exists x > 0", 5, 7, "∃ is not checked"),
    # a function without brackets followed by more factors: log(xy) or (log x)·y? refused
    (r"\log x y = 1", 5, 7, "ambiguous"),
    (r"\log xy = \log x + \log y", 5, 7, "ambiguous"),
    (r"\sin 2x = 2\sin x\cos x", 5, 7, "ambiguous"),
    (r"y = 2\log x (y+1)", 5, 12, "ambiguous"),
    (r"\frac{d}{dx} \exp x y = y", 5, 20, "ambiguous"),
    # typos: a missing backslash, scientific notation, a stray point
    (r"log(1) = 0", 5, 7, r"write \log"),
    (r"y = frac{1}{2}", 5, 11, r"write \frac"),
    (r"sigma(0) = 0.5", 5, 7, r"write \sigma"),
    (r"2pi r = \pi d", 5, 8, r"write \pi"),
    (r"5e-2 = 0.05", 5, 7, "scientific notation"),
    (r"x = 1e3", 5, 11, "scientific notation"),
    (r"x = 1.5.5", 5, 14, "unexpected '.'"),
    (r"x = 1,5", 5, 11, "decimal point"),
    (r"1\,000 = 1000", 5, 7, "two numbers side by side"),
    (r"2 3 = 6", 5, 7, "two numbers side by side"),
    (r"3 . 5 = 15", 5, 7, "write \\cdot for a product"),
    (r"\sum_{n=1}^{n} n = 1", 5, 7, "also appears in its range"),
    (r"x = \prod_{k=k}^{3} 2", 5, 11, "also appears in its range"),
    ("a = b + c \\\\ - d", 5, 20, "continues the formula above"),
    ("a &= b + c \\\\ &\\quad - d", 5, 28, "continues the formula above"),
    # \operatorname is a name, never prose; a \text touching its argument is never dropped
    (r"\operatorname{\input{/etc/passwd}}(y) = y", 5, 7, "must hold a function name"),
    (r"\mathrm{\input{/etc/passwd}}(y) = y", 5, 7, "is followed by an argument"),
    (r"\text{soft plus} (y) = y", 5, 7, "is followed by an argument"),
    (r"\text{f}y = y", 5, 7, "is followed by an argument"),
    (r"\sigma = 1", 5, 7, r"\sigma is the sigmoid function"),
    (r"2\sigma x", 5, 8, "write its argument"),
    (r"\sigma^2 = s", 5, 7, "write its argument"),
    (r"\sigma^{-1}(x) = y", 5, 7, "ambiguous"),
    (r"\sigma^{n}(x) = y", 5, 7, "ambiguous"),
    ("(" * 60 + "x" + ")" * 60, 5, 47, "nested too deeply"),
    ("x" * 30_000, 5, 7, "too long"),
    (r"f = \begin{cases} 1 \end{cases}", 5, 11, "environment \\begin{cases} is not supported"),
    (r"a = [a, b][c, d]", 5, 11, "vectors of these shapes cannot be combined"),
    ("a = b \\\\\n  c = )", 6, 7, "unbalanced parentheses"),
    ("a = b \\\\\n\\\\\n   c \\le \\bogus", 7, 10, "unknown command \\bogus"),
]


@pytest.mark.parametrize("text, line, column, words", MALFORMED, ids=[m[0][:30] for m in MALFORMED])
def test_malformed_input_raises_parse_error_at_its_position(
    text: str, line: int, column: int, words: str
) -> None:
    with pytest.raises(ParseError) as info:
        parse_math(text, line=5, column=7, source="hw.md")
    err = info.value
    assert words in err.message
    assert (err.line, err.column, err.source) == (line, column, "hw.md")
    assert str(err).startswith(f"hw.md:{line}:{column}: cannot parse:")


@pytest.mark.parametrize("text", ["a = b", r"a \le b", "a, b"])
def test_parse_latex_expression_rejects_relations_and_lists(text: str) -> None:
    with pytest.raises(ParseError):
        parse_latex_expression(text)


def test_grammar_is_lalr_without_conflicts() -> None:
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    from lark import logger

    logger.addHandler(handler)
    old = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        latex_module._lark.__wrapped__(debug=True)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old)
    assert "conflict" not in buffer.getvalue().lower()


@pytest.mark.parametrize(
    "module",
    [latex_module, latex_build, latex_tables, latex_tokens, latex_retype, latex_segments],
    ids=lambda m: m.__name__.rpartition(".")[2],
)
def test_untrusted_text_never_reaches_eval_or_sympify(module) -> None:
    tree = ast.parse(inspect.getsource(module))
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    used |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    used |= {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    assert not used & {"eval", "exec", "sympify", "S", "parse_expr", "parse_latex", "latex2sympy"}


def test_chain_is_frozen() -> None:
    (chain,) = parse_math("a = b")
    assert isinstance(chain, RelationChain)
    with pytest.raises(AttributeError):
        chain.line = 2


FUNCTIONS = [
    # text, the terms of its one chain: f(x) = … at the head of a chain defines a function
    (r"L(w) = (w-1)^2", (sp.Function("L", real=True)(w), (w - 1) ** 2)),
    (r"f(x) := x^2", (sp.Function("f", real=True)(x), x**2)),
    (r"a = 1, f(x) = x", (sp.Function("f", real=True)(x), x)),
    # not a head: a product, as before
    (r"s(1-s) = s - s^2", (s * (1 - s), s - s**2)),
    (r"y = x(y)", (y, x * y)),
    (r"e(x) = 1", (sp.E * x, 1)),
]


@pytest.mark.parametrize("text, terms", FUNCTIONS, ids=[f[0] for f in FUNCTIONS])
def test_a_function_head_is_read_as_a_function_application(text: str, terms: tuple) -> None:
    assert parse_math(text)[-1].terms == terms


def test_a_function_the_file_defined_is_applied_in_a_later_block() -> None:
    (chain,) = parse_math(r"L(2) + L(w) = 1", functions={"L"})
    Lf = sp.Function("L", real=True)
    assert chain.terms[0] == Lf(2) + Lf(w)
    assert parse_math(r"L(2) = 1")[0].terms[0] == 2 * L
    for power in (r"L^{-1}(w) = 1", r"L^2(w) = 1"):
        with pytest.raises(ParseError, match="L is a function here"):
            parse_math(power, functions={"L"})
    primed = parse_math(r"L'(w) + L''(2) = 1", functions={"L"})[0].terms[0]
    assert primed == sp.Function("L'", real=True)(w) + sp.Function("L''", real=True)(2)
    assert parse_math(r"L^2 = 1", functions={"L"})[0].terms[0] == L**2


u = R("u")
CONDITIONS = [
    # text, each term's domain conditions as strings: recorded before SymPy evaluates
    (r"\sqrt{x}^2 = x", [["x ≥ 0"], []]),
    (r"0 \cdot \log x = 0", [["x > 0"], []]),
    (r"\ln(-1)^2 < 0", [["-1 > 0"], []]),
    (r"\sqrt{-4}\cdot\sqrt{-9} = -6", [["-4 ≥ 0", "-9 ≥ 0"], []]),
    (r"\frac{x}{x} = x / x", [["x ≠ 0"], ["x ≠ 0"]]),
    (r"x^{-1} = u^{1/2}", [["x ≠ 0"], ["u ≥ 0"]]),
    (r"e^{x} + \sigma(x) + \sqrt{4} = 1", [[], []]),
    (r"\sum_{k=1}^{n} \frac{1}{k} = \frac{1}{y}", [[], ["y ≠ 0"]]),
    # once n is an integer (an index), w^n needs only w ≠ 0, not w > 0
    (r"\prod_{k=1}^{n} w = w^{n}", [[], ["w ≠ 0"]]),
    (r"w^{y} = 1", [["w > 0"], []]),
]


@pytest.mark.parametrize("text, domains", CONDITIONS, ids=[c[0] for c in CONDITIONS])
def test_each_term_carries_the_domain_conditions_of_its_partial_subterms(
    text: str, domains: list
) -> None:
    (chain,) = parse_math(text)
    assert [sorted(str(c) for c in d) for d in chain.domains] == domains


def test_the_names_written_in_a_term_are_kept_when_sympy_drops_them() -> None:
    (chain,) = parse_math(r"0 \cdot u + 0 \cdot \frac{v}{2} = x_1")
    assert chain.terms[0] == 0
    assert chain.names == (frozenset({"u", "v"}), frozenset({"x_1"}))
