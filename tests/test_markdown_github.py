"""The Markdown sheets render on GitHub.

`$$` blocks, math GitHub's MathJax accepts, relative figure links.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import cmarkgfm
import pytest

#: Constructs GitHub's math renderer rejects or that only mean something to LaTeX.
UNSUPPORTED = [
    r"\\begin\{(align|align\*|equation|equation\*|multline|multline\*|gather|gather\*|flalign)\}",
    r"\\(label|ref|eqref|tag|notag|nonumber|newcommand|renewcommand|def|usepackage|documentclass|input|include)\b",
    r"\\(stepmark|stepnote|defnote|ensuremath|textbackslash|textasciicircum|textsuperscript|resizebox|intertext)\b",
    r"\\(displaybreak|hfill|vspace|small|footnotesize|color|write18|captionof|includegraphics)\b",
]
#: Commands that appear in the sheets' math and that MathJax (GitHub) knows.
MATHJAX = set(
    """
left right frac dfrac tfrac sigma partial log ln exp hat bar tilde dot quad qquad text begin end
cdot circ odot otimes times le leq ge geq ne neq lt gt sqrt sum prod infty mathrm operatorname ldots
cdots dots vdots mathbf boldsymbol lim to rightarrow Rightarrow leftarrow mapsto in notin mathbb
overline max min sin cos tanh colon alpha beta gamma delta epsilon varepsilon zeta eta theta
vartheta iota kappa lambda mu nu xi pi rho tau upsilon phi varphi chi psi omega Gamma Delta Theta
Lambda Xi Pi Sigma Upsilon Phi Psi Omega nabla approx equiv sim prime langle rangle lVert rVert Vert
mid pm mp cdotp checkmark emptyset forall exists subset subseteq cup cap
""".split()
)


@pytest.fixture(scope="module", params=["answers", "proofs"])
def sheets(request, whole_build) -> dict[str, Path]:
    out, code = whole_build
    assert code == 0
    return {language: out / f"{request.param}.{language}.md" for language in ("en", "zh")}


FENCE = "```math"


def math_of(markdown: str) -> tuple[list[str], list[str]]:
    """(display blocks, inline formulas) of a Markdown sheet: ```math fences and $`…`$."""
    displays, inline, block = [], [], None
    for number, line in enumerate(markdown.splitlines(), 1):
        if block is None and line.strip() == FENCE:
            block = []
            continue
        if block is not None:
            if line.strip() == "```":
                displays.append("\n".join(block))
                block = None
            else:
                block.append(line)
            continue
        assert "$$" not in line, f"line {number}: display math must be a ```math block"
        spans = re.findall(r"\$`([^`]+)`\$", line)
        rest = re.sub(r"\$`[^`]+`\$", "", line).replace(r"\$", "")
        assert "$" not in rest, f"line {number}: math outside $`…`$ is read as Markdown"
        inline.extend(spans)
    assert block is None, "unclosed ```math block"
    return displays, inline


@pytest.mark.parametrize("language", ["en", "zh"])
def test_math_uses_only_what_githubs_renderer_accepts(sheets, language):
    markdown = sheets[language].read_text(encoding="utf-8")
    displays, inline = math_of(markdown)
    assert displays, "no display math at all"
    for formula in displays + inline:
        for pattern in UNSUPPORTED:
            assert not re.search(pattern, formula), f"{pattern} in: {formula[:200]}"
        unknown = set(re.findall(r"\\(?:\\|([A-Za-z]+))", formula)) - MATHJAX - {""}
        assert not unknown, f"commands GitHub may not know: {sorted(unknown)} in: {formula[:200]}"
        for body in re.findall(r"\\text\{([^}]*)\}", formula):
            assert "$" not in body and "\\" not in body, body
        assert formula.count("{") == formula.count("}") and formula.count(
            r"\left"
        ) == formula.count(r"\right")
    for display in displays:
        assert display.startswith(r"\begin{aligned}") and display.endswith(r"\end{aligned}")


@pytest.mark.parametrize("language", ["en", "zh"])
def test_figures_are_linked_relatively_and_exist(sheets, language):
    path = sheets[language]
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", path.read_text(encoding="utf-8"))
    assert links, "the sheet shows no figure"
    for link in links:
        assert not re.match(r"[a-z]+:|/", link), link
        assert link.endswith(".svg") and (path.parent / link).is_file(), link


def test_the_checker_rejects_what_github_cannot_render():
    with pytest.raises(AssertionError):
        math_of("```math\n\\begin{aligned}\na &= b\n\\end{aligned}\n")
    with pytest.raises(AssertionError):
        math_of("cost $5 and more\n")
    with pytest.raises(AssertionError):
        math_of("$$\nx\n$$\n")
    displays, inline = math_of(
        "see $`x^{2}`$ and\n```math\n\\begin{aligned}\n\\label{a} x\n\\end{aligned}\n```\n"
    )
    assert inline == ["x^{2}"] and any(re.search(p, displays[0]) for p in UNSUPPORTED)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_githubs_own_parser_keeps_every_math_block_and_every_double_backslash(sheets, language):
    """cmark-gfm (GitHub's parser) must hand each block to MathJax exactly as the sheet has it."""
    markdown = sheets[language].read_text(encoding="utf-8")
    displays, inline = math_of(markdown)
    page = cmarkgfm.github_flavored_markdown_to_html(markdown)
    kept = [
        html.unescape(b)
        for b in re.findall(r'<pre lang="math"><code>(.*?)</code></pre>', page, re.S)
    ]
    assert [k.rstrip("\n") for k in kept] == displays
    assert sum(k.count("\\\\") for k in kept) == sum(d.count("\\\\") for d in displays) > 0
    spans = [html.unescape(c) for c in re.findall(r"\$<code>(.*?)</code>\$", page, re.S)]
    assert spans == inline
    assert "<em>" not in "".join(re.findall(r"<pre.*?</pre>", page, re.S))
