"""`proofsheet check`: verdicts per step, definitions, known mistakes, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sympy as sp
from run_cli import proofsheet

from proofsheet.check.buggy import diagnose
from proofsheet.check.checker import check_text
from proofsheet.kernel import Prop
from proofsheet.kernel.domain import Condition
from proofsheet.parsing.latex import parse_math

FIXTURES = Path(__file__).parent / "fixtures"

#: The transcribed A2 sheet: (line, status) of every step, in order.
A2_EXPECTED = [
    (9, "verified"),
    (9, "verified"),  # Q3.1: 1 − σ(x) = … = e^(−x)/(1 + e^(−x))
    (11, "refuted"),
    (11, "refuted"),  # σ(−x) = 1/(1 + e^(−x)) — the sign slip
    (13, "verified"),  # ∴ 1 − σ(x) = σ(−x) (true, badly argued)
    (17, "verified"),
    (17, "verified"),
    (17, "verified"),  # Q3.2 chain rule
    (19, "verified"),
    (21, "verified"),
    (25, "definition"),
    (25, "definition"),  # u⁽ⁱ⁾ and y⁽ⁱ⁾
    (29, "verified"),
    (29, "verified"),  # 0 < σ'(u) ≤ 1/4
    (33, "refuted"),  # ∏ ≤ (1/4)^(L−i+1): the wrong letter
]


@pytest.fixture(scope="module")
def a2_report():
    text = (FIXTURES / "a2_student.md").read_text(encoding="utf-8")
    return check_text(text, source="a2_student.md")


def test_a2_sheet_gets_the_expected_verdict_for_every_step(a2_report):
    assert [(s.line, s.status) for s in a2_report.steps] == A2_EXPECTED


def test_a2_first_wrong_step_is_the_sigma_of_minus_x_line(a2_report):
    first = a2_report.first_wrong
    assert first.line == 11 and first.text.startswith(r"\sigma(-x)")
    assert dict(first.verdict.refutation.point) == {sp.Symbol("x", real=True): 1}


def test_a2_mistakes_are_named(a2_report):
    mistakes = {s.line: s.mistake for s in a2_report.steps if s.mistake}
    assert "flips the sign" in mistakes[11]
    assert "b − a + 1" in mistakes[33]


def step(latex: str) -> Prop:
    chain = parse_math(latex)[0]
    return Prop(chain.terms[0], chain.rels[0], chain.terms[1])


BUGGY = [
    (r"\sigma(-x) = \frac{1}{1+e^{-x}}", "sigma-sign"),
    (r"\frac{1}{1+e^{-x}} = 1 + e^{x}", "split-reciprocal"),
    (r"\frac{d}{dx}\log(1+e^{-x}) = \frac{1}{1+e^{-x}}", "chain-rule-factor"),
    (r"\frac{d}{dx}\log(x) = \frac{1}{x \ln(10)}", "log-base"),
    (r"\frac{d}{dx}\sigma(x) = -\sigma(x)(1-\sigma(x))", "sign"),
    (r"\prod_{k=i}^{D}\sigma'(u^{(k)}) \le \left(\frac{1}{4}\right)^{D-i+2}", "factor-count"),
]


@pytest.mark.parametrize("latex, rule", BUGGY)
def test_known_mistake_is_recognised(latex, rule):
    found = diagnose(step(latex))
    assert found is not None and found.name == rule


@pytest.mark.parametrize(
    "latex", [r"1 - \sigma(x) = \sigma(-x)", r"\frac{d}{dx}\sigma(x) = \sigma(x)(1-\sigma(x))"]
)
def test_a_right_step_is_not_blamed_on_a_mistake(latex):
    assert diagnose(step(latex)) is None


def test_definitions_are_substituted_into_later_steps():
    text = (
        "Let $\\hat{y} = \\sigma(z)$ and $L := -(y\\log\\hat{y} + (1-y)\\log(1-\\hat{y}))$.\n\n"
        "$$\\frac{\\partial L}{\\partial z} = \\hat{y} - y$$\n\n"
        "$$\\frac{\\partial L}{\\partial z} = y - \\hat{y}$$\n"
    )
    report = check_text(text)
    assert [s.status for s in report.steps] == ["definition", "definition", "verified", "refuted"]


def test_a_name_already_used_is_checked_not_defined():
    report = check_text("$$x + 1 = 1 + x$$\n\n$$x = 2$$")
    assert [s.status for s in report.steps] == ["verified", "refuted"]


def test_assumption_comments_are_used():
    with_assumption = check_text("<!-- assume: 0 < s < 1 -->\n$$0 \\le s(1-s)$$")
    without = check_text("$$0 \\le s(1-s)$$")
    assert with_assumption.ok and not without.ok


def test_a_step_that_runs_out_of_time_is_undecided_and_the_rest_is_still_checked():
    text = "$$(a^2+2ab+b^2+c)^{40} = ((a+b)^2+c)^{40}$$\n\n$$1 - \\sigma(x) = \\sigma(-x)$$"
    report = check_text(text, seconds=1.0)
    assert [s.status for s in report.steps] == ["undecided", "verified"]
    assert not report.ok


def test_check_exit_codes(tmp_path):
    right = tmp_path / "right.md"
    right.write_text("$$1 - \\sigma(x) = \\sigma(-x)$$\n", encoding="utf-8")
    assert proofsheet("check", str(right)).returncode == 0
    assert proofsheet("check", str(FIXTURES / "a2_student.md")).returncode == 1


@pytest.mark.parametrize(
    "content, where",
    [
        ("prose\n\n$$\\frac{1}{2 = x$$\n", "line 3, column 11"),
        ("$$x = \\foo{y}$$\n", "line 1, column 7"),
        ("text $$ x = $$", "line 1, column 11"),
    ],
)
def test_malformed_formula_is_an_unreadable_step_with_line_and_column(tmp_path, content, where):
    bad = tmp_path / "bad.md"
    bad.write_text(content + "\n$$1 - \\sigma(x) = \\sigma(-x)$$\n", encoding="utf-8")
    result = proofsheet("check", str(bad))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"unreadable at {where}" in result.stdout
    assert "1 verified" in result.stdout and "1 unreadable" in result.stdout


@pytest.mark.parametrize("make", [lambda p: None, lambda p: p.write_bytes(b"\xff\xfe\x00 binary")])
def test_unreadable_file_exits_2_in_one_line(tmp_path, make):
    path = tmp_path / "answer.md"
    make(path)
    result = proofsheet("check", str(path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_json_lists_every_step_with_its_evidence():
    result = proofsheet("check", str(FIXTURES / "a2_student.md"), "--json")
    data = json.loads(result.stdout)
    assert data["first_wrong_line"] == 11 and len(data["steps"]) == len(A2_EXPECTED)
    refuted = [s for s in data["steps"] if s["status"] == "refuted"]
    assert all(s["counterexample"]["point"] for s in refuted)


@pytest.mark.parametrize(
    "suffix, marker",
    [
        (".md", "✗ wrong — line 11"),
        (".tex", "\\begin{document}"),
        # TeX's own dash: the CJK package would swallow the spaces around a Unicode one;
        # a check mark, not a radical sign hanging below the line
        (".tex", "$\\times$ wrong --- line 11"),
        (".tex", "$\\checkmark$ verified --- line"),
    ],
)
def test_annotate_writes_a_marked_sheet(tmp_path, suffix, marker):
    out = tmp_path / f"checked{suffix}"
    proofsheet("check", str(FIXTURES / "a2_student.md"), "--annotate", str(out))
    text = out.read_text(encoding="utf-8")
    assert marker in text and "counterexample" in text


def test_one_check_writes_both_sheets_under_the_name_given_by_source(tmp_path):
    md, tex = tmp_path / "a.md", tmp_path / "a.tex"
    args = ["--annotate", str(md), "--annotate", str(tex), "--source", "class/ana.md"]
    result = proofsheet("check", str(FIXTURES / "a2_student.md"), "--json", *args)
    assert json.loads(result.stdout)["source"] == "class/ana.md"
    sheets = [md.read_text(encoding="utf-8"), tex.read_text(encoding="utf-8")]
    assert "✗" in sheets[0] and "\\begin{document}" in sheets[1]
    assert all("class/ana.md" in sheet and str(FIXTURES) not in sheet for sheet in sheets)


def test_nothing_in_the_file_is_executed(tmp_path):
    marker = tmp_path / "pwned"
    evil = tmp_path / "evil.md"
    evil.write_text(f"$$__import__('os').system('touch {marker}') = 1$$\n", encoding="utf-8")
    result = proofsheet("check", str(evil))
    assert result.returncode == 1 and "unreadable" in result.stdout and not marker.exists()


def test_an_align_step_is_reported_on_the_line_of_its_new_right_side():
    text = (
        "\\begin{align*}\n"
        "1 - \\sigma(x) &= 1 - \\frac{1}{1+e^{-x}} \\\\\n"
        "  &= \\sigma(x)\n"
        "\\end{align*}\n"
    )
    report = check_text(text)
    assert [(s.line, s.status) for s in report.steps] == [(2, "verified"), (3, "refuted")]
    assert report.first_wrong.line == 3


# ---- soundness: false steps are never passed (issue "soundness", items 2 and 3) ----------
#: Files in which no step is true: a name dropped or misread, a definition that lies,
#: contradictory assumptions, complex values taken for real ones.
NEVER_VERIFIED = [
    ("tanh in an upright font", "$$\\mathrm{tanh}(x) = x$$"),
    ("unknown operatorname", "$$\\operatorname{ReLU}(x) = x$$"),
    ("function name as text", "$$\\text{softplus}(x) = x$$"),
    ("d sigma / dx", "$$\\frac{d\\sigma}{dx} = 0$$"),
    ("sigma with braces", "$$\\sigma{(-x)} = -\\sigma{(x)}$$"),
    ("sigma squared", "$$\\sigma^2(x) = \\sigma(x)$$"),
    ("L(w) is a function", "$$L(w)=(w-1)^2$$\n\n$$\\frac{dL}{dw}=0$$"),
    ("undefined L differentiated", "$$\\frac{dL}{dw}=0$$"),
    ("sigma redefined", "$$\\sigma(x) := \\frac{1}{1+e^{x}}$$\n\n$$\\sigma(1) = \\frac{1}{1+e}$$"),
    ("sigma redefined by let", "Let $\\sigma(x) = x$.\n\n$$\\sigma(2) = 2$$"),
    ("a number redefined", "$$4 := 5$$\n\n$$2+2 = 5$$"),
    ("a number redefined by let", "Let $1 = 2$."),
    ("self-reference", "$$x := x+1$$\n\n$$x = x + 1$$"),
    ("cycle", "$$a := b + 1$$\n\n$$b := a$$\n\n$$b = b + 1$$"),
    ("redefined after use", "$$x \\le 5$$\n\n$$x := 2$$\n\n$$x = 2$$"),
    ("contradictory % assume", "% assume: s > 1\n% assume: s < 0\n$$s > 1$$\n\n$$s < 0$$"),
    (
        "contradictory html assume",
        "<!-- assume: s > 1 -->\n<!-- assume: s < 0 -->\n$$s > 1$$\n\n$$s < 0$$",
    ),
    ("log of a negative", "$$\\ln(-1)^2 < 0$$"),
    ("roots of negatives", "$$\\sqrt{-4}\\cdot\\sqrt{-9} = -6$$"),
    ("root of -1 squared", "$$\\sqrt{-1}^2 = -1$$"),
]


@pytest.mark.parametrize("text", [t for _, t in NEVER_VERIFIED], ids=[n for n, _ in NEVER_VERIFIED])
def test_a_false_step_is_never_verified(text):
    report = check_text(text, seconds=10)
    assert report.steps and not report.ok
    assert "verified" not in [s.status for s in report.steps]


#: Red-team files (Dec 3): every checked step is true (never refuted) or false (never verified).
#: Each once got the wrong verdict: a piece dropped or misread, ∞ taken for a number,
#: a sum's members x_1 taken for other variables than its x_i.
RED_TEAM = [
    ("operatorname holding a command", r"$$\operatorname{\input{/etc/passwd}}(y) = y$$", False),
    ("mathrm holding a command", r"$$\mathrm{\input{x}}(y) = y$$", False),
    ("two-word text before its argument", r"$$\text{soft plus} (y) = y$$", False),
    ("sigma at infinity", r"$$\sigma(\infty) = 1$$", False),
    ("e to minus infinity", r"$$e^{-\infty} = 0$$", False),
    ("a leading decimal point", r"$$.5 = \frac{1}{2}$$", True),
    ("a leading decimal point on the right", r"$$\sigma(0) = .5$$", True),
    ("scientific notation", r"$$5e-2 = 0.05$$", True),
    ("2^10 meant as 2^{10}", r"$$2^10 = 1024$$", True),
    ("x_10 meant as x_{10}", r"$$x_10 = x_{10}$$", True),
    ("log without its backslash", r"$$log(1) = 0$$", True),
    ("sigma without its backslash", r"$$sigma(0) = 0.5$$", True),
    (
        "log xy meant as log(xy)",
        "% assume: x > 0\n% assume: y > 0\n"
        r"$$\log xy = \log x + \log y$$",
        True,
    ),
    ("log 2x meant as log(2x)", "% assume: x > 0\n$$\\log 2x = \\log 2 + \\log x$$", True),
    ("sin 2x meant as sin(2x)", r"$$\sin 2x = 2\sin x\cos x$$", True),
    ("sum body past cdot", r"$$\sum_{i=1}^{2} x_i \cdot y_i = x_1 y_1 + x_2 y_2$$", True),
    ("sum over w_ij", r"$$\sum_{i=1}^{2} w_{ij} = 2 w_{ij}$$", False),
    ("sum over w_ij expanded", r"$$\sum_{i=1}^{2} w_{ij} = w_{1j} + w_{2j}$$", True),
    ("sum expanded", r"$$\sum_{i=1}^{2} x_i y_i = x_1 y_1 + x_2 y_2$$", True),
    ("sum halved", r"$$\sum_{i=1}^{2} \frac{x_i}{2} = \frac{x_1 + x_2}{2}$$", True),
    ("product of sigmoids", r"$$\prod_{i=1}^{2} \sigma(z_i) = \sigma(z_1)\sigma(z_2)$$", True),
    ("last term split off", r"$$\sum_{i=1}^{n+1} x_i = \sum_{i=1}^{n} x_i + x_{n+1}$$", True),
    ("sum defined, expanded later", "Let $S = \\sum_{i=1}^{2} x_i$. Then $S = x_1 + x_2$.", True),
    ("a defined member", "Let $x_1 = 3$. Then $\\sum_{i=1}^{1} x_i = 3$.", True),
    ("derivative body past cdot", r"$$\frac{d}{dx}x^2 \cdot x = 3x^2$$", True),
    ("two formulas apart by quad", r"$$\hat y = 1 \quad \hat y + 1 = 2$$", True),
    (
        "a member redefined after its family",
        "$$u^{(k)} = k$$\n\n$$u^{(2)} = 3$$\n\n$$u^{(2)} + 0 = 3$$",
        False,
    ),
    (
        "derivative by a member of a summed family",
        "$$L = \\sum_{i=1}^{2} x_i^2$$\n\n$$\\frac{\\partial L}{\\partial x_1} = 0$$",
        False,
    ),
    (
        "derivative by a member, right",
        "$$L = \\sum_{i=1}^{2} x_i^2$$\n\n$$\\frac{\\partial L}{\\partial x_1} = 2 x_1$$",
        True,
    ),
    ("premise of an implication", r"$$x > 1 \implies x^2 > 1$$", True),
    ("converse of an implication", r"$$x^2 = 1 \iff x = 1$$", True),
    # (x = 2 ⟹ x^2 = 4 is now verified: its conclusion is checked under its hypothesis)
    ("a hypothesis defines nothing", "$$x = 2 \\Rightarrow y = 4$$\n\n$$x + 1 = 3$$", False),
    ("a decimal comma", r"$$0,5 = \frac{1}{2}$$", True),
    (
        "a line continuing with a minus",
        "\\begin{align}\n(x+1)^2 - 2 &= x^2 + 2x \\\\\n&\\quad - 1\n\\end{align}",
        True,
    ),
    ("a display line continuing with a minus", "$$(x+1)^2 - 2 = x^2 + 2x \\\\ - 1$$", True),
    ("a parameter named like a defined name", "$$x = 3$$\n\n$$f(x) = x^2$$\n\n$$f(2) = 4$$", True),
    (
        "a parameter named like a defined name, false",
        "$$x = 3$$\n\n$$f(x) = x^2$$\n\n$$f(2) = 9$$",
        False,
    ),
    ("a function whose definition was refused", "$$f(x) = f(x-1) + 1$$\n\n$$f(1) = 1$$", True),
    ("a thousands separator", r"$$1\,000 = 1000$$", True),
    ("a period for a product", r"$$3 . 5 = 15$$", True),
    ("a case after if", r"$$\sqrt{x^2} = x \text{ if } x \ge 0$$", True),
    ("a case after 当", "$$\\sqrt{x^2} = x \\text{（当 } x \\ge 0 \\text{ 时）}$$", True),
    ("two solutions joined by or", r"$$x = 1 \text{ or } x = -1$$", True),
    ("solutions joined by prose", "Solving $x^2 = 1$ gives $x = 1$ or $x = -1$.", True),
    ("a condition after a comma", r"$$\sqrt{x^2} = x, \quad x \ge 0$$", True),
    ("a condition in prose before", "For $x > 0$, we have $\\sqrt{x}^2 = x$.", True),
    ("a condition in Chinese prose", "当 $x \\ge 0$ 时，$\\sqrt{x^2} = x$。", True),
    ("a claim after prose without a condition", "We expand: $(x+1)^2 = x^2 + 1$.", False),
    (
        "a definition with its domain in prose",
        "Consider $f(x) = x^2$ for $x > 0$. Then $f(2) = 4$.",
        True,
    ),
    (
        "a definition with its domain in prose, false",
        "Consider $f(x) = x^2$ for $x > 0$. Then $f(2) = 5$.",
        False,
    ),
    ("an alternative defines nothing", "$$x = 1 \\text{ or } x = 2$$\n\n$$x - 1 = 0$$", False),
    ("a hypothesis after let", "Let $x > 1$. Then $x^2 > 1$.", True),
    ("a hypothesis after 设", "设 $0 < s < 1$，则 $s^2 < s$。", True),
    ("a false step after a hypothesis", "Let $x > 1$. Then $x^2 < 1$.", False),
    ("contradictory hypotheses", "Let $s > 1$. Let $s < 0$. Then $s > 5$.\n\n$$s < -5$$", False),
    ("bold and plain theta", r"$$\boldsymbol{\theta} - \theta = 0$$", False),
    ("bold and plain theta, true if distinct", r"$$\boldsymbol{\theta} - \theta \ne 0$$", True),
    ("bold defined, plain used", "Let $\\mathbf{w} = 2$. Then $w + 1 = 3$.", True),
    ("bold defined, plain used, false", "Let $\\mathbf{w} = 2$. Then $2w = 4$.", False),
    (
        "a family next to a defined name",
        "Let $x = 2$. Then $\\sum_{i=1}^{2} x_i = x_1 + x_2$.",
        True,
    ),
]

#: Files whose steps must each get a verdict with a reason, never an exception.
NO_CRASH = [
    (
        "a function that differentiates",
        "$$f(x) = \\frac{d}{dx} x^2$$ $$f(2) = 4$$",
        "derivative with respect to x",
    ),
    ("a family whose name is defined", "Let $x = 2$. Then $\\sum_{i=1}^{2} x_i = 4$.", ""),
]


@pytest.mark.parametrize("text, true", [c[1:] for c in RED_TEAM], ids=[c[0] for c in RED_TEAM])
def test_a_true_step_is_never_refuted_and_a_false_one_never_verified(text, true):
    statuses = [s.status for s in check_text(text, seconds=10).steps if not s.is_definition]
    assert statuses
    assert ("refuted" if true else "verified") not in statuses


@pytest.mark.parametrize("text, words", [c[1:] for c in NO_CRASH], ids=[c[0] for c in NO_CRASH])
def test_a_step_sympy_cannot_substitute_gets_a_reason_not_an_exception(text, words):
    last = check_text(text, seconds=10).steps[-1]
    assert last.verdict is not None
    assert words in (last.verdict.reason or "")


REFUSED = [
    # text, line of the refused definition, words in the reason
    ("$$\\sigma(x) := \\frac{1}{1+e^{x}}$$", 1, "notation (σ)"),
    ("$$e := 2$$", 1, "notation (e)"),
    ("$$\\pi := 3$$", 1, "notation (π)"),
    ("$$4 := 5$$", 1, "a number cannot be defined"),
    ("text\n\nLet $1 = 2$.", 3, "a number cannot be defined"),
    ("$$x := x+1$$", 1, "in terms of itself"),
    ("$$a := b$$\n\n$$b := a$$", 3, "in terms of itself"),  # a cycle through a deferred name
    ("$$y = x^2$$\n\n$$x^2 \\ge 0$$\n\n$$x := 2$$", 5, "already used on line 3"),
    ("$$z := 1$$\n\n$$z := 2$$", 3, "already defined"),
    ("% assume: s > 0\n$$s := 2$$", 2, "already used on line 1"),
    ("$$x + y := 2$$", 1, "only a name"),
    ("$$x^2 := 4$$", 1, "only a name"),
    ("$$\\sqrt{x} := 2$$", 1, "notation (\\sqrt)"),
    ("$$\\sigma'(x) := 1$$", 1, "notation (σ′)"),
    ("$$\\exp(x) := 1$$", 1, "notation (exp"),
    ("$$\\tanh(x) := x$$", 1, "notation (tanh)"),
]


#: "let" before the course's own notation states what it is: a claim, checked, not refused
NOTATION_STATED = [
    ("Let $\\sigma(x) = x$.", "refuted"),
    ("Let $\\ln(x) = x$.", "refuted"),
    ("Let $\\sigma(x) = \\frac{1}{1+e^{x}}$.", "refuted"),
    ("设 $\\sigma(x)=\\frac{1}{1+e^{-x}}$。", "verified"),
    ("Let $\\sigma'(x) = \\sigma(x)(1-\\sigma(x))$.", "verified"),
]


@pytest.mark.parametrize("text, status", NOTATION_STATED, ids=[r[0] for r in NOTATION_STATED])
def test_a_let_about_the_courses_notation_is_checked_as_a_claim(text, status):
    (step,) = check_text(text).steps
    assert step.status == status, step.verdict.reason


@pytest.mark.parametrize("text, line, words", REFUSED, ids=[r[0] for r in REFUSED])
def test_a_definition_that_would_lie_is_refused_on_its_line(text, line, words):
    report = check_text(text)
    (refused,) = [s for s in report.steps if s.status == "undecided"]
    assert refused.line == line and "definition refused" in refused.verdict.reason
    assert words in refused.verdict.reason and not report.ok


def test_a_name_used_only_in_a_definition_may_be_defined_after_it_where_style():
    text = (
        "$$L = -y\\log\\hat{y} - (1-y)\\log(1-\\hat{y})$$\n"
        "其中 $\\hat{y}=\\sigma(z)$，于是\n"
        "$$\\frac{\\partial L}{\\partial z} = \\hat{y} - y$$\n"
    )
    statuses = [s.status for s in check_text(text).steps]
    assert statuses == ["definition", "definition", "verified"]


def test_a_function_definition_is_unfolded_and_differentiated():
    text = "$$L(w) = (w-1)^2$$\n\n$$L(3) = 4$$\n\n$$\\frac{dL}{dw} = 2(w-1)$$\n\n$$L(w) = w^2$$"
    assert [s.status for s in check_text(text).steps] == [
        "definition",
        "verified",
        "verified",
        "refuted",
    ]


def test_an_unreadable_formula_is_reported_and_the_rest_is_checked():
    text = (
        "$$\\operatorname{ReLU}(x) = x$$\n\n$$1 - \\sigma(x) = \\sigma(-x)$$\n\n"
        "$$2^{10^{12}/3} = 1$$\n\n$$x = x + 1$$"
    )
    report = check_text(text)
    assert [(s.line, s.status) for s in report.steps] == [
        (1, "unreadable"),
        (3, "verified"),
        (5, "unreadable"),
        (7, "refuted"),
    ]
    assert "ReLU" in report.steps[0].unreadable and "too large" in report.steps[2].unreadable
    assert report.first_wrong is report.steps[3] and not report.ok


def test_the_first_wrong_step_is_the_first_refuted_not_an_undecided_condition():
    text = (
        "$$\\sigma(x)(1-\\sigma(x)) \\le \\frac14$$ （当 $x=0$ 时取等号）\n\n"
        "$$\\frac{d}{dx}\\sigma(x) = \\sigma(x)(1+\\sigma(x))$$\n"
    )
    report = check_text(text)
    assert [s.status for s in report.steps] == ["verified", "undecided", "refuted"]
    assert report.first_wrong is report.steps[2]


ASSUMED = "% assume: 0 < s < 1\n<!-- assume: t < 0 -->\n$$0 \\le s(1-s)$$\n"


def test_assumptions_are_listed_in_the_text_report(tmp_path):
    path = tmp_path / "assumed.md"
    path.write_text(ASSUMED, encoding="utf-8")
    out = proofsheet("check", str(path)).stdout
    assert "assumed (line 1): 0 < s" in out and "assumed (line 1): s < 1" in out
    assert "assumed (line 2): t < 0" in out
    assert "contradictory" not in out


def test_assumptions_are_listed_in_the_json_report(tmp_path):
    path = tmp_path / "assumed.md"
    path.write_text(ASSUMED.replace("t < 0", "s > 2"), encoding="utf-8")
    data = json.loads(proofsheet("check", str(path), "--json").stdout)
    assert data["assumptions"] == [
        {"line": 1, "text": "0 < s"},
        {"line": 1, "text": "s < 1"},
        {"line": 2, "text": "s > 2"},
    ]
    assert data["assumptions_consistent"] is False and data["witness"] is None
    assert data["steps"][0]["status"] == "undecided"


def test_consistent_assumptions_come_with_a_witness_point():
    report = check_text(ASSUMED)
    point = dict(report.witness)
    assert 0 < point[sp.Symbol("s", real=True)] < 1 and point[sp.Symbol("t", real=True)] < 0
    assert report.ok


def test_a_step_passed_from_assumptions_carries_the_kernels_witness_of_them():
    report = check_text(ASSUMED)
    verdict = report.steps[0].verdict
    assert verdict.status == "verified" and set(verdict.witness.assumptions) <= set(
        report.assumptions
    )
    assert dict(verdict.witness.point) == {
        k: v for k, v in report.witness if k in dict(verdict.witness.point)
    }


def test_under_contradictory_assumptions_a_step_proved_without_them_stays_verified():
    text = "% assume: s > 1, s < 0\n$$1 - \\sigma(x) = \\sigma(-x)$$\n\n$$s > 1$$"
    report = check_text(text)
    assert not report.consistent
    assert [s.status for s in report.steps] == ["verified", "undecided"]
    assert "contradictory" in report.steps[1].verdict.reason


def test_an_assumption_sharing_no_symbol_with_the_step_is_still_used():
    report = check_text("% assume: x < y\n% assume: y < 0\n$$x < 0$$")
    assert report.steps[0].status != "refuted"


def test_an_unreadable_assumption_is_reported_and_no_counterexample_trusts_its_absence():
    report = check_text("% assume: s \\foo 0\n$$s > 0$$")
    assert [s.status for s in report.steps] == ["unreadable", "undecided"]
    assert "could not be read" in report.steps[1].verdict.reason


x_ = sp.Symbol("x", real=True)
DOMAINS = [
    # text, a condition that must reach the step's Prop
    ("$$\\sqrt{x}^2 = x$$", Condition("nonnegative", x_)),
    ("$$0 \\cdot \\log x = 0$$", Condition("positive", x_)),
    ("$$\\frac{x}{x} = 1$$", Condition("nonzero", x_)),
    ("$$x / x = 1$$", Condition("nonzero", x_)),
    ("Let $u = \\log x$.\n\n$$0 \\cdot u = 0$$", Condition("positive", x_)),
    ("$$f(t) = \\sqrt{t}$$\n\n$$f(x)^2 = x$$", Condition("nonnegative", x_)),
]


@pytest.mark.parametrize("text, condition", DOMAINS, ids=[d[0] for d in DOMAINS])
def test_domain_conditions_reach_the_step_even_when_sympy_erased_the_subterm(text, condition):
    step_ = check_text(text).checked[0]
    assert condition in step_.verdict.prop.domain


HUGE = [
    "$$x := 10^{12}$$\n\n$$2^{x} = 1$$",
    "$$f(x) = 2^{x}$$\n\n$$f(10^{12}) = 1$$",
    "$$x := 10^{4}$$\n\n$$(2^{x})^{x} = 1$$",
]


@pytest.mark.parametrize("text", HUGE)
def test_a_definition_that_would_make_a_huge_number_is_not_substituted(text):
    step_ = check_text(text).steps[-1]
    assert step_.status == "undecided" and "too large" in step_.verdict.reason


@pytest.mark.parametrize("text", ["$$a(b) = ab$$", "$$x = 1$$\n\n$$x(y) = xy$$"])
def test_a_function_head_that_defines_nothing_is_a_product(text):
    assert check_text(text).steps[-1].status == "verified"


CONSISTENCY = [
    # assumption comment, whether a witness point is found
    ("0 < s < 1", True),
    ("0 < a < b < c < d, d < 1", True),  # linear: solved exactly
    ("x < y, y < 0", True),
    ("s > 1, s < 0", False),
    ("a > 1, b > 1, c > 1, a + b + c < 0", False),
    ("s^2 < 0", False),  # not linear: sampled
    ("s^2 < 1, s > 0", True),
    ("\\sigma(s) > 1/2, s < 0", False),
]


@pytest.mark.parametrize("assumed, consistent", CONSISTENCY, ids=[c[0] for c in CONSISTENCY])
def test_a_witness_is_looked_for_and_checked_exactly(assumed, consistent):
    report = check_text(f"% assume: {assumed}\n$$1 = 1$$")
    assert report.consistent is consistent
    if consistent:
        point = dict(report.witness)
        assert all(
            sp.Rel(a.lhs.xreplace(point), a.rhs.xreplace(point), a.rel) == sp.true
            for a in report.assumptions
        )


def test_json_gives_an_unreadable_step_its_line_column_and_reason(tmp_path):
    path = tmp_path / "mixed.md"
    path.write_text(
        "$$1 - \\sigma(x) = \\sigma(-x)$$\n\nthen $\\text{softplus}(x) = x$\n", encoding="utf-8"
    )
    result = proofsheet("check", str(path), "--json")
    data = json.loads(result.stdout)
    assert result.returncode == 1 and data["summary"]["unreadable"] == 1
    assert [s["status"] for s in data["steps"]] == ["verified", "unreadable"]
    unreadable = data["steps"][1]
    assert (unreadable["line"], unreadable["column"]) == (3, 7) and "softplus" in unreadable[
        "reason"
    ]


@pytest.mark.parametrize("suffix", [".tex", ".md"])
def test_an_unreadable_step_is_annotated_without_an_empty_display(tmp_path, suffix):
    from proofsheet.sheet.annotate import annotate

    out = tmp_path / f"sheet{suffix}"
    annotate(check_text("$$\\operatorname{\\input{/etc/passwd}}(y) = y$$\n"), out)
    text = out.read_text(encoding="utf-8")
    assert ("unreadable — line 1" if suffix == ".md" else "unreadable --- line 1") in text
    assert suffix == ".md" or "\\input{" not in text  # in the .tex: printed as text, never run


def test_a_linear_witness_is_found_each_time_despite_the_solvers_wrong_answers():
    from proofsheet.kernel.refute import holds
    from proofsheet.search.assumption_point import _linear, witness

    y, yhat, ybar, yhatbar = sp.symbols("y yhat ybar yhatbar", positive=True)
    assumed = (Prop(y, "<", yhat), Prop(1 - y, "=", ybar), Prop(1 - yhat, "=", yhatbar))
    assert holds(assumed, witness(assumed))
    for _ in range(8):  # lpmax's answer depends on the order of its (fresh) variables
        point = _linear(
            assumed, sorted(assumed[0].lhs.free_symbols | {ybar, yhat, yhatbar}, key=str)
        )
        assert point and holds(assumed, point)


#: "$A$ 当 $B$ 时。", "$A$ when $B$.": B is a hypothesis of A (status of A's step)
POSTFIX_CONDITIONS = [
    ("化简：$\\sqrt{(x-2)^2} = x-2$ 当 $x>2$ 时。", "verified"),
    ("$\\sqrt{(x-2)^2} = x-2$ when $x>1$.", "refuted"),
    ("$|x-2| = 2-x$ for $x \\le 2$.", "verified"),
    ("$\\log(x^2) = 2\\log x$ if $x > 0$", "verified"),
    ("$\\sqrt{x^2} = x$, with $x \\ge 0$.", "verified"),
    ("$\\sqrt{x^2} = x$, when $x \\ge -1$.", "refuted"),
]


def test_a_domain_stated_with_a_definition_is_an_assumption_not_an_unchecked_step():
    # seen grading a hurried file: "with 0 < ŷ < 1" was two unchecked steps, halving the score
    report = check_text(
        "Loss: $L = -y\\log\\hat y - (1-y)\\log(1-\\hat y)$, with $0<\\hat y<1$.\n"
        "$$\\frac{\\partial L}{\\partial \\hat y} = \\frac{\\hat y - y}{\\hat y(1-\\hat y)}$$\n"
    )
    statuses = [s.status for s in report.steps]
    assert statuses == ["definition", "assumption", "assumption", "verified"]


@pytest.mark.parametrize("text, status", POSTFIX_CONDITIONS, ids=[r[0] for r in POSTFIX_CONDITIONS])
def test_a_condition_after_a_claim_is_its_hypothesis(text, status):
    report = check_text(text)
    (claim,) = [s for s in report.steps if s.status != "assumption"]
    assert claim.status == status, claim.verdict.reason
    assert [s.status for s in report.steps].count("assumption") == 1


@pytest.mark.parametrize(
    "text",
    ["$x = 1$ or $x = -1$.", "$x^2 = 4$ 当 $x=2$ 时，$x^3 = 9$。", "$x = 2$ when $x^2 = 4$, so"],
)
def test_a_condition_that_does_not_end_its_sentence_stays_unchecked(text):
    assert "refuted" not in [s.status for s in check_text(text).steps]
