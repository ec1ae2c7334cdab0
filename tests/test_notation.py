r"""The notation of the course (issue 10, items 5 and 7): what each piece of LaTeX means, and
the verdict the checker gives a step written with it."""

from __future__ import annotations

from pathlib import Path

import pytest
import sympy as sp

from proofsheet.check.checker import check_file, check_text
from proofsheet.check.report import report_text
from proofsheet.kernel import algebra
from proofsheet.kernel.certificates import DerivativeIdentity
from proofsheet.kernel.core import Prop
from proofsheet.kernel.errors import KernelError, ParseError
from proofsheet.kernel.notation import sigma
from proofsheet.parsing.latex import parse_latex_expression, parse_math


def R(name: str) -> sp.Symbol:
    return sp.Symbol(name, real=True)


x, y, z = R("x"), R("y"), R("z")


def statuses(text: str) -> list[str]:
    return [s.status for s in check_text(text, seconds=5.0).steps]


# ---- decimals: a lone decimal beside = or \approx is the other side rounded ------------------
ROUNDING = [
    (r"$\sigma(1) = 0.731$", [3]),
    (r"$\sigma(1) \approx 0.7311$", [4]),
    (r"$0.5 = \sigma(0)$", [1]),
    (r"$\sigma(1) = \frac{1}{1+e^{-1}} \approx 0.73$", [None, 2]),
    (r"$\sigma(1) = \frac{3}{4}$", [None]),
    (r"$\sigma(1) \le 0.8$", [None]),
    (r"$x = 0.5$", [1]),
]


@pytest.mark.parametrize("text, places", ROUNDING, ids=[r[0] for r in ROUNDING])
def test_a_lone_decimal_beside_equals_or_approx_gives_its_places(text, places) -> None:
    (chain,) = parse_math(text.strip("$"))
    assert list(chain.rounding) == places


DECIMAL_VERDICTS = [
    (r"$\sigma(1) \approx 0.731$", ["verified"]),
    (r"$\sigma(1) = 0.731$", ["verified"]),
    (r"$\sigma(1) = 0.8$", ["refuted"]),
    (r"$\sigma(1) \approx 0.732$", ["refuted"]),
    (r"$\sigma(0) = 0.5$", ["verified"]),
    (r"$\sigma(-1) = -0.269$", ["refuted"]),
    (r"$\sigma(2) = \frac{1}{1+e^{-2}} \approx 0.88$", ["verified", "verified"]),
    # with a free name, = is exact and \approx is not checked
    (r"$\sigma(x) \approx 0.5$", ["undecided"]),
    (r"$\sigma(1) \approx \frac{3}{4}$", ["undecided"]),
]


@pytest.mark.parametrize("text, expected", DECIMAL_VERDICTS, ids=[d[0] for d in DECIMAL_VERDICTS])
def test_a_decimal_is_checked_as_the_value_rounded_to_its_places(text, expected) -> None:
    assert statuses(text) == expected


# ---- absolute values and evaluation bars -----------------------------------------------------
def D(expr: sp.Expr, at: int) -> sp.Subs:
    return sp.Subs(sp.Derivative(expr, x), x, at)


BARS = [
    (r"|x|", sp.Abs(x)),
    (r"\left|x\right|", sp.Abs(x)),
    (r"\lvert x \rvert", sp.Abs(x)),
    (r"\bigl| x - y \bigr|", sp.Abs(x - y)),
    (r"|x| \cdot |y|", sp.Abs(x) * sp.Abs(y)),
    (r"|x||y|", sp.Abs(x) * sp.Abs(y)),
    (r"2|x|", 2 * sp.Abs(x)),
    (r"||x| - |y||", sp.Abs(sp.Abs(x) - sp.Abs(y))),
    (r"|x|^3", sp.Abs(x) ** 3),
    (r"\sigma(|x|)", sigma(sp.Abs(x))),
]


@pytest.mark.parametrize("text, expected", BARS, ids=[b[0] for b in BARS])
def test_bars_are_absolute_values_however_nested(text, expected) -> None:
    assert parse_latex_expression(text) == expected


EVALUATED = [
    (r"\left. \frac{d}{dx} x^2 \right|_{x=1} = 2", D(x**2, 1), 2),
    (r"\frac{d}{dx} x^3 \Big|_{x=2} = 12", D(x**3, 2), 12),
    (r"x^2 \Big|_{x=3} = 9", 9, 9),
    (r"\left. (x + y) \right|_{x=1} = 1 + y", 1 + y, 1 + y),
]


@pytest.mark.parametrize("text, left, right", EVALUATED, ids=[e[0] for e in EVALUATED])
def test_an_evaluation_bar_substitutes_after_differentiating(text, left, right) -> None:
    (chain,) = parse_math(text)
    assert chain.terms == (left, right)


BAR_VERDICTS = [
    (r"$|x| \cdot |y| = |xy|$", ["verified"]),
    (r"$|x| \ge 0$", ["verified"]),
    (r"$|-3| = 3$", ["verified"]),
    (r"$|x| = x$", ["refuted"]),
    (r"$\left. \frac{d}{dx} x^2 \right|_{x=1} = 2$", ["verified"]),
    (r"$\left. \frac{d}{dx} \sigma(x) \right|_{x=0} = \frac14$", ["verified"]),
    (r"$\frac{d}{dx} \sigma(x) \Big|_{x=0} = \frac13$", ["refuted"]),
    # where the function is not defined or not differentiable, nothing is verified
    (r"$\left. \frac{d}{dx} \ln x \right|_{x=-1} = -1$", ["undecided"]),
    (r"$\left. \frac{d}{dx} |x| \right|_{x=0} = 0$", ["undecided"]),
]


@pytest.mark.parametrize("text, expected", BAR_VERDICTS, ids=[b[0] for b in BAR_VERDICTS])
def test_bars_are_checked_as_absolute_values_and_points(text, expected) -> None:
    assert statuses(text) == expected


BAD_POINTS = [
    (sp.Subs(sp.Derivative(sp.log(x), x), x, -1), -1),  # log is not defined at -1
    (sp.Subs(sp.Derivative(sp.Abs(x), x), x, 0), 0),  # |x| has no derivative at 0
    (sp.Subs(sp.Derivative(x**2, x), x, y), 2 * y),  # the point is not a number
    (sp.Subs(sp.Derivative(x**2, x), x, 1), 3),  # the value is not 3
]


@pytest.mark.parametrize("left, right", BAD_POINTS, ids=[str(b[0]) for b in BAD_POINTS])
def test_the_kernel_refuses_a_derivative_at_a_point_it_cannot_evaluate(left, right) -> None:
    with pytest.raises(KernelError):
        algebra.derivative(Prop(left, "=", right), DerivativeIdentity())


# ---- scripts, higher derivatives, Leibniz fonts, prose ---------------------------------------
w1, w2, x1, x2 = R("w_1"), R("w_2"), R("x_1"), R("x_2")
READ_AS = [
    (r"w_1x_1 + w_2x_2", w1 * x1 + w2 * x2),
    (r"x_{12}", R("x_12")),
    (r"\hat{y}_i", R("yhat_i")),
    (r"\frac{d^2}{dx^2} x^3", sp.Derivative(x**3, (x, 2))),
    (r"\frac{d^2 y}{dx^2}", sp.Derivative(y, (x, 2))),
    (r"\frac{\partial^2 L}{\partial z^2}", sp.Derivative(R("L"), (z, 2))),
    (r"\frac{d^{2}\sigma}{dx^{2}}", sp.Derivative(sigma(x), (x, 2))),
    (r"\frac{\mathrm{d}y}{\mathrm{d}x}", sp.Derivative(y, x)),
    (r"\frac{\mathrm{d}}{\mathrm{d}x} x^2", sp.Derivative(x**2, x)),
    (r"\ln(x) + \log(y) + \exp(z)", sp.log(x) + sp.log(y) + sp.exp(z)),
]


@pytest.mark.parametrize("text, expected", READ_AS, ids=[r[0] for r in READ_AS])
def test_course_notation_is_read_as(text, expected) -> None:
    assert parse_latex_expression(text) == expected


PROSE = [
    r"a = b \qedhere",
    r"\therefore a = b",
    r"a = b \tag{3} \label{eq:1} \nonumber",
    r"\displaystyle a = b",
    r"a = b \quad \text{hence} \qquad",
    r"\left. a \right. = b",
]


@pytest.mark.parametrize("text", PROSE)
def test_prose_and_decorations_inside_math_are_ignored(text) -> None:
    a, b = R("a"), R("b")
    assert [(c.terms, c.rels) for c in parse_math(text)] == [((a, b), ("=",))]


SECOND = [
    (r"$\frac{d^2}{dx^2} x^3 = 6x$", ["verified"]),
    (r"$\frac{d^2}{dx^2}\sigma(x) = \sigma(x)(1-\sigma(x))(1-2\sigma(x))$", ["verified"]),
    (r"$\frac{d^2}{dx^2} x^3 = 3x^2$", ["refuted"]),
]


@pytest.mark.parametrize("text, expected", SECOND, ids=[s[0] for s in SECOND])
def test_higher_derivatives_are_checked(text, expected) -> None:
    assert statuses(text) == expected


# ---- limits ------------------------------------------------------------------------------------
LIMITS = [
    (r"\lim_{x\to\infty} \sigma(x)", sp.Limit(sigma(x), x, sp.oo, "-")),
    (r"\lim_{x \to -\infty} \sigma(x)", sp.Limit(sigma(x), x, -sp.oo, "+")),
    (r"\lim_{x \to +\infty} x", sp.Limit(x, x, sp.oo, "-")),
    (r"\lim_{x \to 0} \frac{x}{y}", sp.Limit(x / y, x, 0, "+-")),
    (r"\lim_{n \rightarrow \infty} \frac{1}{n}", sp.Limit(1 / R("n"), R("n"), sp.oo, "-")),
    (r"\lim_{x \to 0^+} x", sp.Limit(x, x, 0, "+")),
    (r"\lim_{x \to 0^{-}} x", sp.Limit(x, x, 0, "-")),
]


@pytest.mark.parametrize("text, expected", LIMITS, ids=[m[0] for m in LIMITS])
def test_a_limit_is_two_sided_at_a_point_and_one_sided_at_infinity(text, expected) -> None:
    assert parse_latex_expression(text) == expected


LIMIT_VERDICTS = [
    (r"$\lim_{x\to\infty} \sigma(x) = 1$", ["verified"]),
    (r"$\lim_{x \to -\infty} \sigma(x) = 0$", ["verified"]),
    (r"$1 = \lim_{x\to\infty} \sigma(x)$", ["verified"]),
    (r"$\lim_{x \to 0} \frac{\sigma(x) - \frac12}{x} = \frac14$", ["verified"]),
    (r"$\lim_{x\to +\infty} e^{x} = \infty$", ["verified"]),
    (r"$\lim_{x \to 0^{-}} \frac{|x|}{x} = -1$", ["verified"]),
    (r"$\lim_{x \to 0^+} \frac{|x|}{x} = -1$", ["undecided"]),
    # a wrong limit, or one that does not exist, is never verified
    (r"$\lim_{x\to\infty} \sigma(x) = \frac12$", ["undecided"]),
    (r"$\lim_{x \to 0} \frac{|x|}{x} = 1$", ["undecided"]),
]


@pytest.mark.parametrize("text, expected", LIMIT_VERDICTS, ids=[m[0] for m in LIMIT_VERDICTS])
def test_a_limit_is_verified_by_the_kernels_limit_rule(text, expected) -> None:
    assert statuses(text) == expected


# ---- conditions: memberships and shared ranges are the formula's hypotheses ------------------
a, b = R("a"), R("b")
CONDITIONS = [
    (r"x \in (0,1)", [((0, x, 1), ("<", "<"), "assume")]),
    (r"x \in [0, 1)", [((0, x, 1), ("<=", "<"), "assume")]),
    (r"x \in (0, \infty)", [((0, x), ("<",), "assume")]),
    (r"x \in (-\infty, 2]", [((x, 2), ("<=",), "assume")]),
    (r"\forall x \in \mathbb{R}", []),
    (r"\sigma(x) \in (0, 1)", [((0, sigma(x), 1), ("<", "<"), "")]),
    (r"a, b > 0", [((a, 0), (">",), "assume"), ((b, 0), (">",), "assume")]),
    (r"x > 0,\ y > 0", [((x, 0), (">",), "assume"), ((y, 0), (">",), "assume")]),
    (r"x = a \quad a \ge 0", [((x, a), ("=",), ""), ((a, 0), (">=",), "assume")]),
    (r"x > 0", [((x, 0), (">",), "")]),
    (
        r"a, b \in (0, 1)",
        [((0, a, 1), ("<", "<"), "assume"), ((0, b, 1), ("<", "<"), "assume")],
    ),
]


@pytest.mark.parametrize("text, chains", CONDITIONS, ids=[c[0] for c in CONDITIONS])
def test_memberships_and_shared_ranges_are_read_as_conditions(text, chains) -> None:
    assert [(c.terms, c.rels, c.conditional) for c in parse_math(text)] == chains


CONDITION_VERDICTS = [
    (r"$\log(ab) = \log a + \log b \quad a, b > 0$", ["assumption"] * 2 + ["verified"]),
    (r"$\sqrt{x^2} = x, \quad x \ge 0$", ["assumption", "verified"]),
    (r"$x(1-x) > 0, \quad x \in (0,1)$", ["assumption"] * 2 + ["verified"]),
    (r"$\forall x \in \mathbb{R},\ \sigma(x) \in (0,1)$", ["verified"] * 2),
    (r"$\forall x > 0,\ e^x > 1$", ["assumption", "verified"]),
    # a condition holds in its own formula only; after "let" it holds from there on
    (
        "$\\sqrt{x^2} = x, \\quad x \\ge 0$\n\n$\\sqrt{x^2} = x$",
        ["assumption", "verified"] + ["refuted"],
    ),
    ("Let $x > 0,\\ y > 0$.\n\n$xy > 0$", ["assumption"] * 2 + ["verified"]),
    ("$x > 0,\\ y > 0$\n\n$xy > 0$", ["assumption"] * 2 + ["refuted"]),
]


@pytest.mark.parametrize(
    "text, expected", CONDITION_VERDICTS, ids=[c[0][:40] for c in CONDITION_VERDICTS]
)
def test_a_step_is_checked_under_the_conditions_written_beside_it(text, expected) -> None:
    assert statuses(text) == expected


# ---- max and min -----------------------------------------------------------------------------
MINMAX = [
    (r"\max(x, 0)", (x + sp.Abs(x)) / 2),
    (r"\min(x, 0)", (x - sp.Abs(x)) / 2),
    (r"\max\{x, y\}", (x + y + sp.Abs(x - y)) / 2),
]


@pytest.mark.parametrize("text, expected", MINMAX, ids=[m[0] for m in MINMAX])
def test_max_and_min_are_written_with_absolute_values(text, expected) -> None:
    assert parse_latex_expression(text) == expected


MINMAX_VERDICTS = [
    (r"$\max(x, 0) \ge 0$", ["verified"]),
    (r"$\max(x, 0) + \min(x, 0) = x$", ["verified"]),
    (r"$\max\{a, b\} \ge a$", ["verified"]),
    (r"$\max(\sigma(1), \frac12) = \sigma(1)$", ["verified"]),
    (r"$\max(x, 0) = x$", ["refuted"]),
    (r"$\min(1, 2, 3) = 2$", ["refuted"]),
]


@pytest.mark.parametrize("text, expected", MINMAX_VERDICTS, ids=[m[0] for m in MINMAX_VERDICTS])
def test_max_and_min_are_checked(text, expected) -> None:
    assert statuses(text) == expected


# ---- inline derivatives ----------------------------------------------------------------------
L, w1 = R("L"), R("w_1")
INLINE = [
    (r"\partial L/\partial z", sp.Derivative(L, z)),
    (r"dL/dz", sp.Derivative(L, z)),
    (r"dy/dx", sp.Derivative(y, x)),
    (r"d\sigma/dx", sp.Derivative(sigma(x), x)),
    (r"\partial L/\partial \hat{y}", sp.Derivative(L, R("yhat"))),
    (r"\partial L / \partial w_1", sp.Derivative(L, w1)),
    (r"2 \cdot dy/dx", 2 * sp.Derivative(y, x)),
    (r"a/b", R("a") / R("b")),  # no d: a division
]


@pytest.mark.parametrize("text, expected", INLINE, ids=[m[0] for m in INLINE])
def test_inline_leibniz_quotients_are_derivatives(text, expected) -> None:
    assert parse_latex_expression(text) == expected


# ---- functions of several named arguments ----------------------------------------------------
TWO_ARGUMENTS = [
    (
        "$L(y,\\hat{y}) = -y\\log\\hat{y} - (1-y)\\log(1-\\hat{y})$\n\n"
        "$L(1, \\hat{y}) = -\\log \\hat{y}$",
        ["definition", "verified"],
    ),
    (
        "$g(a, b) = a^2 + b$\n\n$g(1, 2) = 3$\n\n$g(2, 1) = 3$",
        ["definition", "verified", "refuted"],
    ),
    ("$a(b+c) = ab + ac$", ["verified"]),  # a product, not a function head
    ("$g(a, b) = a$\n\n$g(1) = 1$", ["definition", "undecided"]),  # the wrong arity
]


@pytest.mark.parametrize("text, expected", TWO_ARGUMENTS, ids=[t[0][:30] for t in TWO_ARGUMENTS])
def test_a_function_of_two_named_arguments_is_a_definition(text, expected) -> None:
    assert statuses(text) == expected


# ---- matrices, transpose, elementwise product ------------------------------------------------
def M(*rows) -> sp.ImmutableMatrix:
    return sp.ImmutableMatrix(rows)


P12 = r"\begin{pmatrix} 1 & 2 \end{pmatrix}"
C12 = r"\begin{bmatrix} 1 \\ 2 \end{bmatrix}"
MATRICES = [
    (P12, M([1, 2])),
    (C12, M([1], [2])),
    (r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \\ \end{pmatrix}", M([1, 2], [3, 4])),
    (r"\begin{vmatrix} x & 1 \\ y & 2 \end{vmatrix}", 2 * x - y),
    (P12 + "^T", M([1], [2])),
    (P12 + r"^\top", M([1], [2])),
    (P12 + r"^{\mathsf T}", M([1], [2])),
    (P12 + r"^{\intercal}", M([1], [2])),
    (C12 + r"^\top " + C12, 5),  # a 1×1 product is its entry
    (P12 + r" \odot " + P12, M([1, 4])),
    (r"w^T x", R("w") * x),  # names are numbers: their transpose is themselves
    (r"2^T", 2 ** R("T")),  # on a number, ^T is a power
]


@pytest.mark.parametrize("text, expected", MATRICES, ids=[m[0] for m in MATRICES])
def test_matrices_transposes_and_elementwise_products_are_read_as(text, expected) -> None:
    assert parse_latex_expression(text) == expected


SHAPES = [
    (P12 + " " + P12, "cannot multiply a 1×2 matrix by a 1×2 one"),
    (P12 + r" \cdot " + P12, "cannot multiply a 1×2 matrix by a 1×2 one"),
    (P12 + r" \odot " + C12, "needs matrices of one shape"),
    (r"\begin{pmatrix} 1 & 2 \\ 3 \end{pmatrix}", "different lengths"),
    (r"\begin{vmatrix} 1 & 2 \end{vmatrix}", "square matrix"),
]


@pytest.mark.parametrize("text, words", SHAPES, ids=[s[1] for s in SHAPES])
def test_a_shape_mismatch_is_a_clear_message(text, words) -> None:
    with pytest.raises(ParseError) as info:
        parse_latex_expression(text)
    assert words in info.value.message


# ---- implications: the conclusion is checked under the hypothesis ----------------------------
IMPLICATIONS = [
    (r"$x > 1 \implies x^2 > 1$", ["assumption", "verified"]),
    (r"$x > 1 \implies x^2 > 4$", ["assumption", "refuted"]),
    (r"$x = 2 \Rightarrow x^2 = 4$", ["assumption", "verified"]),
    (r"$0 < s < 1 \Longrightarrow s(1-s) \le \frac14$", ["assumption"] * 2 + ["verified"]),
    # the hypothesis holds in its formula only
    ("$x > 1 \\implies x^2 > 1$\n\n$x^2 > 1$", ["assumption", "verified", "refuted"]),
    # an equivalence, or several arrows, are not one hypothesis and one conclusion
    (r"$x^2 = 1 \iff x = 1$", ["undecided", "undecided"]),
]


@pytest.mark.parametrize("text, expected", IMPLICATIONS, ids=[c[0][:40] for c in IMPLICATIONS])
def test_the_conclusion_of_an_implication_is_checked_under_its_hypothesis(text, expected):
    assert statuses(text) == expected


UNREADABLE = [
    (r"\sum_{i} x_i = 1", "needs its range"),
    (r"\prod_{k} a_k = 1", "needs its range"),
    (r"x = \frac{1}{2", "unbalanced braces"),
    (r"w_1x_1 + \cdots + w_nx_n = y", "an elided sum"),
    (r"f: x \mapsto x^2", "unexpected character ':'"),
    (r"\nabla L = 0", "gradient"),
    (r"\lim_{x \to \infty^+} x = 0", "only one side"),
]


@pytest.mark.parametrize("text, words", UNREADABLE, ids=[u[0] for u in UNREADABLE])
def test_notation_not_understood_is_unreadable_with_its_reason(text, words) -> None:
    (step,) = check_text(f"${text}$").steps
    assert step.status == "unreadable" and words in step.unreadable


MATRIX_VERDICTS = [
    (
        r"$\begin{pmatrix} a & b \\ c & d \end{pmatrix} \begin{pmatrix} x \\ y \end{pmatrix}"
        r" = \begin{bmatrix} ax + by \\ cx + dy \end{bmatrix}$",
        ["verified"],
    ),
    (r"$" + C12 + r"^\top \begin{pmatrix} 3 \\ 4 \end{pmatrix} = 11$", ["verified"]),
    (r"$" + C12 + r"^\top \begin{pmatrix} 3 \\ 4 \end{pmatrix} = 12$", ["refuted"]),
    (r"$" + P12 + r" \odot " + P12 + r" = \begin{pmatrix} 1 & 4 \end{pmatrix}$", ["verified"]),
    (r"$[a, b] + [c, d] = [a + c, b + d]$", ["verified"]),
    # a false matrix equation is never verified (not yet refuted either)
    (r"$[1, 2] = [1, 3]$", ["undecided"]),
    (r"$" + P12 + " " + P12 + " = 1$", ["unreadable"]),
    (r"$[1, 2] = 0.5$", ["undecided"]),  # a decimal beside a matrix: no rounding
    (r"$x \in ([1, 2], 3)$", ["unreadable"]),
    (r"$\max([1, 2], 3) = 1$", ["unreadable"]),
]


@pytest.mark.parametrize(
    "text, expected", MATRIX_VERDICTS, ids=[m[0][:40] for m in MATRIX_VERDICTS]
)
def test_matrix_equations_are_verified_entry_by_entry(text, expected) -> None:
    assert statuses(text) == expected


# ---- whole student files, in both languages: the verdict of every formula -------------------
V, X, U, Q, DEF = "verified", "refuted", "unreadable", "undecided", "definition"
A = "assumption"  # a condition or hypothesis the steps beside or after it assume
FILES = [
    (
        "notation_en.md",
        [(3, V), (3, V), (4, X), (6, V), (6, V), (9, V), (12, V), (14, V), (14, V)]
        + [(16, A), (16, A), (16, V), (18, A), (18, A), (18, V), (20, V), (22, DEF), (22, V)]
        + [(24, U)],
    ),
    (
        "notation_zh.md",
        [(3, V), (3, V), (3, X), (5, V), (7, A), (7, V), (9, V), (11, V), (11, V)]
        + [(13, A), (13, A), (15, V), (17, V), (19, U)],
    ),
]


@pytest.mark.parametrize("name, expected", FILES, ids=[f[0] for f in FILES])
def test_a_student_file_in_the_course_notation_gets_its_verdicts(name, expected) -> None:
    report = check_file(Path(__file__).parent / "fixtures" / name, seconds=5.0)
    assert [(s.line, s.status) for s in report.steps] == expected


HINTS = [
    (r"$\sigma(1) = 0.8$", r"\sigma(1) = 0.7311…, which rounds to 0.7 at 1 decimal place"),
    (
        r"$0.89 \approx \sigma(2)$",
        r"\sigma(2) = 0.88080…, which rounds to 0.88 at 2 decimal places",
    ),
]


@pytest.mark.parametrize("text, hint", HINTS, ids=[h[0] for h in HINTS])
def test_a_wrong_rounding_shows_the_value_rounded(text, hint) -> None:
    report = check_text(text, seconds=5.0)
    (step,) = report.steps
    assert step.status == "refuted" and step.rounding == hint
    shown = report_text(report)
    assert f"wrong as rounded: {hint}" in shown and "left side" not in shown  # not |a − c| ≤ h


LOOSE = [
    (r"$\sigma(1) \approx 0 \implies x > 1.732$", ["undecided", "undecided"]),
    (r"$[1, 2] = 0.5 \implies x > 1$", ["undecided", "undecided"]),
    (r"$x^2 \Big|_{x=3} = 9 \implies x > 1$", ["verified", "undecided"]),
]


@pytest.mark.parametrize("text, expected", LOOSE, ids=[c[0] for c in LOOSE])
def test_a_hypothesis_that_cannot_be_assumed_refutes_nothing(text, expected) -> None:
    assert statuses(text) == expected


ROUNDED_ON_THE_WAY = [
    # rounding on the way is not wrong as the student means it …
    (r"$\frac{1}{1+e^{-0.5}} = \frac{1}{1+0.607}$", "undecided"),
    (r"$\left.\frac{d}{dx}\sigma(x)\right|_{x=1} = 0.731 \times 0.269$", "undecided"),
    # … but a difference that no rounding explains stays wrong
    (r"$\frac{1}{1+e^{-0.5}} = \frac{1}{1+0.5}$", "refuted"),
    (r"$2 \times 0.5 = 1.5$", "refuted"),
    (r"$\frac{1}{1+0.607} = 0.8$", "refuted"),
]


@pytest.mark.parametrize("text, status", ROUNDED_ON_THE_WAY, ids=[r[0] for r in ROUNDED_ON_THE_WAY])
def test_a_worked_example_that_rounds_on_the_way_is_never_marked_wrong_for_it(text, status):
    (step,) = check_text(text, seconds=5.0).steps
    assert step.status == status
    assert status == "refuted" or "rounded numbers" in step.verdict.reason
