r"""Red team (issue 10): definitions as a graph, families and assumptions about a_k.

Each case is a small student file that once got a wrong verdict, and the status of every
step in order; a reason's words are pinned where the step must say why it is not checked.
"""

from __future__ import annotations

import pytest

from proofsheet.check.checker import check_text

D, V, R, U = "definition", "verified", "refuted", "undecided"

#: a worked example in a new section writes L and ŷ as numbers; ∂L/∂w is then L's derivative
#: at the point, which is -1 here, not the derivative of the number -log 0.5
WORKED = r"""## Part 1
$z = wx + b$, $\hat{y} = \sigma(z)$, $L = -(y\log\hat{y} + (1-y)\log(1-\hat{y}))$.

## Part 2: example
Take $w = 1$, $x = 2$, $b = -2$, $y = 1$.

$$\hat{y} = \sigma(0) = 0.5$$

$$L = -\log 0.5$$

$$\frac{\partial L}{\partial w} = (\hat{y} - y)x = -1$$
"""

#: with ŷ written as the number σ(0) the graph stops at ŷ: ∂ŷ/∂z is not 0
NUMBER_NODE = r"""Let $z = 0$ and $\hat{y} = \sigma(0)$.

$$\frac{\partial \hat{y}}{\partial z} = \frac{1}{4}$$
"""

#: the same derivative where ŷ is defined by its formula is still decided
FORMULA_NODE = r"""Let $\hat{y} = \sigma(z)$.

$$\frac{\partial \hat{y}}{\partial z} = \hat{y}(1-\hat{y})$$

$$\frac{\partial \hat{y}}{\partial z} = \hat{y}$$
"""

#: Leibniz notation for a defined function, with f alone on the right (as with dσ/dx):
#: never "refuted at f = 0", a point that gives the function a value
BARE_FUNCTION = r"""Define $f(x) = \frac{1}{1+e^{-x}}$.

$$\frac{df}{dx} = f(1-f)$$

$$\frac{df}{dx} = f(x)(1-f(x))$$

Let $h(t) = t^2$.

$$\frac{dh}{dt} = 3t$$
"""

#: % assume: a_k > 0 speaks of every member: a_1 = 0 is outside the declared domain
MEMBER = r"""% assume: a_k > 0

$$a_1 > 0$$

$$a_1 + a_2 > 0$$

$$a_1 > 1$$
"""

#: after w ← w − η∂L/∂w, z (defined with the old w) against wx + b (the new w): no ✗
UPDATED = r"""Let $z = wx + b$, $L = z^2$.

$$w \leftarrow w - \eta \frac{\partial L}{\partial w}$$

$$z = wx + b$$
"""

#: z defined again after the update uses the new w: still decided
REDEFINED = r"""## Q1
Let $z = wx + b$.

$$w \leftarrow w - \eta g$$

## Q2
Let $z = wx + b$.

$$z = wx + b$$
"""

#: w^{(1)} and w_1 are one member of the family w (as in a sum): a step equating them is
#: not refuted, a definition of one by the other is circular, and a defined member is not
#: silently left out of a product over its family
TWINS = r"""$$\sum_{k=1}^{2} w^{(k)} = w_1 + w_2$$

$$w^{(1)} = w_1$$
"""

CIRCULAR = r"""$$w^{(1)} = w_1 + 1$$

$$w^{(1)} - w_1 = 1$$
"""

DEFINED_MEMBER = r"""Let $w^{(1)} = 3$.

$$w^{(1)} + 1 = 4$$

$$\prod_{k=1}^{2} w^{(k)} = 3 w^{(2)}$$

$$w_1 = 3$$
"""

#: the chain rule written with \cdot between two Leibniz fractions is read (each fraction
#: holds its own body), and a wrong one is refuted at a point that names only z: ŷ is σ(z)
CHAIN = r"""The loss is $L = -\log\hat{y}$, where $\hat{y} = \sigma(z)$.

$$\frac{\partial L}{\partial z}
= \frac{\partial L}{\partial \hat{y}} \cdot \frac{\partial \hat{y}}{\partial z}$$

$$\frac{\partial L}{\partial z} = \frac{\partial L}{\partial \hat{y}}$$

$$\frac{d}{dz} z^2 \cdot z = 3z^2$$
"""

CASES = [
    ("a node written as a number is no formula to differentiate", WORKED, [D] * 8 + [V, D, U, V]),
    ("a node defined as σ(0) stops the graph: undecided", NUMBER_NODE, [D, D, U]),
    ("a node defined by its formula is still differentiated", FORMULA_NODE, [D, V, R]),
    ("a defined function written alone is not refuted", BARE_FUNCTION, [D, U, V, D, R]),
    ("an assumption about a_k covers its member a_1", MEMBER, [V, V, R]),
    ("a name defined with the old w beside the new w", UPDATED, [D, D, D, U]),
    ("a name defined again after the update", REDEFINED, [D, D, D, V]),
    ("the chain rule with \\cdot between fractions", CHAIN, [D, D, V, R, "unreadable"]),
    ("w^{(1)} and w_1 are one member", TWINS, [V, V]),
    ("a member equal to its other spelling plus 1 is false", CIRCULAR, [R, R]),
    ("a defined member in a product over its family", DEFINED_MEMBER, [D, V, U, U]),
]


@pytest.mark.parametrize("text, statuses", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_graph_and_family_steps_get_the_verdict_a_student_means(text, statuses):
    report = check_text(text, seconds=3)
    assert [s.status for s in report.steps] == statuses


@pytest.mark.parametrize(
    "text, words",
    [
        (WORKED, "L is defined here as a number"),
        (NUMBER_NODE, "defined here as a number"),
        (BARE_FUNCTION, "f is a function defined in this file"),
        (UPDATED, "z was defined with the old w"),
        (DEFINED_MEMBER, "w^{(1)} is defined, and the sum or product runs over its family"),
        (DEFINED_MEMBER, "w^{(1)} is already defined, and may be the same as w_{1}"),
    ],
    ids=[
        "L written as a number",
        "ŷ written as σ(0)",
        "f alone",
        "old and new w",
        "member in a product",
        "twin member",
    ],
)
def test_an_undecided_graph_step_says_why(text, words):
    report = check_text(text, seconds=3)
    reasons = [s.verdict.reason for s in report.steps if s.status == U]
    assert any(words in r for r in reasons), reasons


def test_a_counterexample_meets_the_assumption_about_every_member():
    report = check_text(MEMBER, seconds=3)
    wrong = [s for s in report.steps if s.status == R]
    point = dict(wrong[0].verdict.refutation.point)
    assert all(v > 0 for k, v in point.items() if str(k).startswith("a_")), point


def test_an_assumption_about_a_k_is_not_called_unused_beside_its_members():
    report = check_text(MEMBER, seconds=3)
    assert not any("a_k" in w for w in report.warnings), report.warnings


def test_a_counterexample_names_no_defined_node():
    report = check_text(CHAIN, seconds=3)
    wrong = next(s for s in report.steps if s.status == R)
    assert [str(k) for k, _ in wrong.verdict.refutation.point] == ["z"]
