r"""Definitions as a computational graph: files as students write them -> a status per line.

Each case is a student's file (Chinese or English prose, inline and display math) and the
status of every step in order, as (line, status); some also pin words of a reason.  A true
step is never refuted: the wrong ones in these files are wrong under the reading a student
means (∂L/∂ŷ with ŷ held, ∂L/∂z through ŷ = σ(z)).
"""

from __future__ import annotations

import pytest

from proofsheet.check.checker import check_text
from proofsheet.check.definitions import applied_only, section_lines

D, V, R, U, X = "definition", "verified", "refuted", "undecided", "unreadable"

BCE_ZH = r"""设 $\hat{y}=\sigma(z)$，损失为
$L = -y\log\hat{y} - (1-y)\log(1-\hat{y})$。对 $\hat{y}$ 求导：
$$\frac{\partial L}{\partial \hat{y}} = -\frac{y}{\hat{y}} + \frac{1-y}{1-\hat{y}}$$
再由链式法则，
$$\frac{\partial L}{\partial z} = \hat{y} - y$$
$$\frac{\partial L}{\partial \hat{y}} = \hat{y} - y$$
"""

NETWORK_EN = r"""Let $z = wx + b$ and $\hat{y} = \sigma(z)$, with the loss
$$L = -y\log\hat{y} - (1-y)\log(1-\hat{y})$$
Then, by the chain rule through $z$,
$$\frac{\partial L}{\partial w} = (\hat{y} - y)x$$
$$\frac{\partial L}{\partial b} = \sigma(z) - y$$
$$\frac{\partial L}{\partial w} = \hat{y} - y$$
$$\frac{\partial \hat{y}}{\partial z} = \hat{y}(1-\hat{y})$$
$$\frac{\partial}{\partial z}\frac{\partial L}{\partial z} = \hat{y}(1-\hat{y})$$
"""

FUNCTION = r"""Define $f(x) = \frac{1}{1+e^{-x}}$. Its derivative:
$$f'(x) = f(x)(1-f(x))$$
$$f(-x) = 1 - f(x), \quad f(0) = \frac12$$
$$\frac{df}{dx} = f(x)(1-f(x))$$
$$f''(x) = f(x)(1-f(x))(1-2f(x))$$
$$f'(0) = \frac14$$
$$f'(x) = f(x)$$
"""

LEIBNIZ = r"""The sigmoid's derivative, as in the lecture:
$$\frac{d\sigma}{dx} = \sigma(1-\sigma)$$
$$\frac{d\sigma}{dx} = \sigma(x)\sigma(-x)$$
$$\frac{d\sigma}{dx} = \sigma - \sigma^2$$
$$\frac{d\sigma}{dx} = \sigma(1+\sigma)$$
$$\sigma'(x) = \sigma(x)(1-\sigma(x))$$
"""

TWO_ARGUMENTS = r"""令 $L(y,\hat{y}) = -y\log\hat{y} - (1-y)\log(1-\hat{y})$，
其中 $\hat{y} = \sigma(z)$。
$$\frac{\partial L}{\partial \hat{y}} = \frac{\hat{y} - y}{\hat{y}(1-\hat{y})}$$
$$\frac{\partial L}{\partial z} = \hat{y} - y$$
$$L(1, \hat{y}) = -\log\hat{y}$$
$$\frac{\partial L}{\partial z} = y - \hat{y}$$
"""

SHAPES = r"""Input $x=[x_1,x_2]$.
$$e^{-x} = 1$$
$$x = 3$$
## Q2
Now $x = 3$ is a number:
$$x + 1 = 4$$
"""

SCOPES = r"""**Q1.** 设输入 $x=[x_1,x_2]$，权重 $w=[w_1,w_2]$。

(b) Prove that $1 - \sigma(x) = \sigma(-x)$.
$$\frac{d}{dx}\sigma(x) = \sigma(x)(1-\sigma(x))$$
"""

UNDEFINED = r"""Without a loss written down:
$$\frac{\partial L}{\partial z} = \sigma(z) - y$$
$$h(2) = 4$$
$$\frac{dL}{dw} = 0$$
"""

DEFINED_NOT_CHECKED = r"""$$f(x)=\frac{1}{1+e^{-x}}$$
so $f(2) = \sigma(2)$ and $f(x) = \sigma(x)$.
$$s(1-s) = s - s^2$$
"""

UPDATE = r"""设 $w = 0.5$，$g = 0.2$，$\eta = 0.1$。
更新：$w \leftarrow w - \eta g = 0.5 - 0.02 = 0.48$
$$w = 0.48$$
$$w + 1 = 1.50$$
Gradient descent: $v \leftarrow v - \eta h$, so $v = v - 0.1h$.
"""

BYPASS = r"""Let $\hat{y} = \sigma(z)$ and $L = -y\log\sigma(z) - (1-y)\log(1-\sigma(z))$.
$$\frac{\partial L}{\partial \hat{y}} = -\frac{y}{\hat{y}} + \frac{1-y}{1-\hat{y}}$$
$$\frac{\partial L}{\partial z} = \hat{y} - y$$
$$\frac{\partial J}{\partial z} = \hat{y} - y$$
"""

STALE = r"""## Q2 worked example
Let $x = 2$ and $b = 1$.
$$x + b = 3$$
## Q3
$$\sigma(x) > \frac12$$
$$1 - \sigma(x) = \sigma(-x)$$
"""

CARRIED = r"""## 1.1 Forward pass
设 $z = wx + b$，$\hat{y} = \sigma(z)$，$L = -y\log\hat{y} - (1-y)\log(1-\hat{y})$。
## 1.2 Gradient
$$\frac{\partial L}{\partial z} = \hat{y} - y$$
"""

NO_LINK = r"""Let $L(y,\hat{y}) = -y\log\hat{y} - (1-y)\log(1-\hat{y})$.
$$\frac{\partial L}{\partial z} = \sigma(z) - y$$
$$\frac{\partial L}{\partial y} = \log(1-\hat{y}) - \log\hat{y}$$
"""

FILES = [
    (
        "bce in Chinese: ∂L/∂ŷ with ŷ held, ∂L/∂z through ŷ",
        BCE_ZH,
        [(1, D), (2, D), (3, V), (5, V), (6, R)],
    ),
    (
        "a network in English: ∂L/∂w through z",
        NETWORK_EN,
        [(1, D), (1, D), (2, D), (4, V), (5, V), (6, R), (7, V), (8, V)],
    ),
    (
        "a defined function: f', f'', f(-x), f(0), df/dx",
        FUNCTION,
        [(1, D), (2, V), (3, V), (3, V), (4, V), (5, V), (6, V), (7, R)],
    ),
    ("Leibniz notation: a bare σ is σ(x)", LEIBNIZ, [(2, V), (3, V), (4, V), (5, R), (6, V)]),
    (
        "a function of two variables, L(y, ŷ)",
        TWO_ARGUMENTS,
        [(1, D), (2, D), (3, V), (4, V), (5, V), (6, R)],
    ),
    (
        "a vector used as a number, and reused after a heading",
        SHAPES,
        [(1, D), (2, U), (3, U), (5, D), (6, V)],
    ),
    ("a question label starts a new scope", SCOPES, [(1, D), (1, D), (3, V), (4, V)]),
    ("undefined names are undecided, never refuted", UNDEFINED, [(2, U), (3, U), (4, U)]),
    (
        "an update w ← w − ηg: the old w in its chain, the new one after",
        UPDATE,
        [(1, D), (1, D), (1, D), (2, D), (2, V), (2, V), (3, V), (4, R), (5, D), (5, U)],
    ),
    (
        "L written without ŷ: ∂L/∂ŷ is not 0, it is undecided",
        BYPASS,
        [(1, D), (1, D), (2, U), (3, V), (4, U)],
    ),
    (
        "x = 2 of a worked example is not x of a later question",
        STALE,
        [(2, D), (2, D), (3, V), (5, U), (6, V)],
    ),
    (
        "a later section keeps the graph of an earlier one",
        CARRIED,
        [(2, D), (2, D), (2, D), (4, V)],
    ),
    ("z never linked to L: ∂L/∂z is undecided, not 0", NO_LINK, [(1, D), (2, U), (3, V)]),
    (
        "a defined function is a definition, not an equation",
        DEFINED_NOT_CHECKED,
        [(1, D), (2, V), (2, V), (3, V)],
    ),
]


def _statuses(text: str) -> list[tuple[int, str]]:
    return [(s.line, s.status) for s in check_text(text, seconds=10).steps]


@pytest.mark.parametrize("text, expected", [f[1:] for f in FILES], ids=[f[0] for f in FILES])
def test_each_line_of_a_students_file_gets_the_status_a_careful_reader_gives(text, expected):
    assert _statuses(text) == expected


REASONS = [
    ("an undefined L's derivative", UNDEFINED, 2, "L is not defined in this file"),
    ("an unknown function", UNDEFINED, 3, "h is not defined in this file"),
    ("a vector inside e^{…}", SHAPES, 2, "x is a 1×2 vector (line 1)"),
    ("a vector defined again as a number", SHAPES, 3, "already defined as a 1×2 vector"),
    ("an updated name on both sides", UPDATE, 5, "v was updated with ←"),
    ("a number from an earlier section", STALE, 5, "x = 2 in an earlier section"),
    ("a variable the definition never links", NO_LINK, 2, "L is defined without z"),
    ("a loss written without ŷ", BYPASS, 2, "L is written without \\hat{y}"),
    ("an undefined J by a defined z", BYPASS, 4, "J is not defined in this file"),
]


@pytest.mark.parametrize("text, line, words", [r[1:] for r in REASONS], ids=[r[0] for r in REASONS])
def test_an_undecided_step_says_which_name_is_missing_or_misshapen(text, line, words):
    (step,) = [s for s in check_text(text, seconds=10).steps if (s.line, s.status) == (line, U)]
    assert words in step.verdict.reason


def test_a_counterexample_to_a_partial_derivative_lies_where_the_graph_is_defined():
    (wrong,) = [s for s in check_text(BCE_ZH, seconds=10).steps if s.status == R]
    point = dict(wrong.verdict.refutation.point)
    assert {str(name) for name in point} <= {"y", "z"}  # ŷ is σ(z), not a free number


SECTIONS = [
    ("a Markdown heading", "## Q2\n", True),
    ("a question label", "Q3. Prove\n", True),
    ("a numbered question", "2.1 求导\n", True),
    ("a lettered part", "(b) Show that\n", True),
    ("a Chinese label", "第2题\n", True),
    ("prose", "Then we have\n", False),
    ("a numbered step of a derivation", "1. $z = wx + b$\n", False),
    ("a lettered step", "(a) $L = 0$\n", False),
    ("a formula", "$$x = 2.5$$\n", False),
]


@pytest.mark.parametrize("text, starts", [s[1:] for s in SECTIONS], ids=[s[0] for s in SECTIONS])
def test_a_heading_or_question_label_starts_a_section(text, starts):
    assert section_lines("before\n" + text) == ([2] if starts else [])


APPLIED = [
    ("a function letter only applied", r"h(2) = 4", {"h"}),
    ("a letter also used alone is a factor", r"f(1-f) = f - f^2", set()),
    ("not a function letter", r"a(b+c) = ab + ac", set()),
    ("inside a command", r"\left(x\right) = \sigma(x)", set()),
]


@pytest.mark.parametrize("text, letters", [a[1:] for a in APPLIED], ids=[a[0] for a in APPLIED])
def test_a_letter_written_only_before_a_parenthesis_is_an_unknown_function(text, letters):
    assert applied_only(text) == letters
