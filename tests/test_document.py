r"""Finding the math in a student's Markdown or LaTeX file (proofsheet.parsing.document)."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
import sympy as sp

from proofsheet.kernel.errors import ParseError
from proofsheet.kernel.notation import sigma, sigma_prime
from proofsheet.parsing.document import Document, MathBlock, read_document
from proofsheet.parsing.latex import parse_math

x = sp.Symbol("x", real=True)

# A clean transcription of the student's sheet (Q3), in Markdown with Chinese prose.
SHEET_MD = r"""# A2 作业

## Q3

1. 证明：$1-\sigma(x)=\sigma(-x)$

$$1 - \sigma(x) = 1 - \frac{1}{1+e^{-x}} = \frac{e^{-x}}{1+e^{-x}}$$

$$\sigma(-x) = \frac{1}{1+e^{x}} = \frac{e^{-x}}{1+e^{-x}}$$

2. 证明：求导得
$$
\begin{aligned}
\sigma'(x) &= \frac{d}{dx}\left(1+e^{-x}\right)^{-1} \\
           &= (-1)\left(1+e^{-x}\right)^{-2}\left(-e^{-x}\right) \\
           &= \frac{e^{-x}}{(1+e^{-x})^2}
\end{aligned}
$$
因此 $$\therefore \sigma'(x) = \sigma(x)\left(1 - \sigma(x)\right)$$

3. 由于 $0<\sigma^{'}(u^{(k)})\leq \frac{1}{4}$，因此当网络很深时
$$\prod_{k=i}^{D}\sigma^{'}(u^{(k)})\leq \left(\frac{1}{4}\right)^{D-i+1}$$
<!-- assume: D >= i -->
"""


def test_sheet_blocks_are_found_in_order_with_kinds() -> None:
    doc = read_document(SHEET_MD, source="a2.md")
    assert [b.kind for b in doc.blocks] == ["$", "$$", "$$", "aligned", "$$", "$", "$$"]
    assert doc.assumptions == (("D >= i", 23),)


def test_sheet_chains() -> None:
    doc = read_document(SHEET_MD)
    chains = [c for b in doc.blocks for c in parse_math(b.content, line=b.line, column=b.column)]
    assert [c.rels for c in chains] == [
        ("=",),
        ("=", "="),
        ("=", "="),
        ("=", "=", "="),
        ("=",),
        ("<", "<="),
        ("<=",),
    ]
    derivative = chains[3]
    assert derivative.terms[0] == sigma_prime(x)
    assert derivative.terms[1] == sp.Derivative(1 / (1 + sp.exp(-x)), x)
    assert [p[0] for p in derivative.positions] == [14, 14, 15, 16]
    assert chains[4].terms == (sigma_prime(x), sigma(x) * (1 - sigma(x)))


def test_every_position_points_at_its_text_in_the_file() -> None:
    doc = read_document(SHEET_MD)
    lines = SHEET_MD.split("\n")
    for block in doc.blocks:
        for chain in parse_math(block.content, line=block.line, column=block.column):
            for text, (line, column) in zip(chain.texts, chain.positions):
                assert lines[line - 1][column - 1 :].startswith(text)


BLOCKS = [
    # (document, [(content, line, column, kind)])
    ("中文 $a=b$ 中文", [("a=b", 1, 5, "$")]),
    ("$$a=b$$", [("a=b", 1, 3, "$$")]),
    ("文字\n  $$\n a = b\n$$", [("\n a = b\n", 2, 5, "$$")]),
    (r"\[ a = b \]", [(" a = b ", 1, 3, "\\[")]),
    (r"见 \(a=b\) 。", [("a=b", 1, 5, "\\(")]),
    ("\\begin{align}\na &= b\n\\end{align}", [("\na &= b\n", 1, 14, "align")]),
    ("\\begin{align*}a &= b\\end{align*}", [("a &= b", 1, 15, "align*")]),
    ("\\begin{equation}a = b\\end{equation}", [("a = b", 1, 17, "equation")]),
    ("\\begin{equation*}a = b\\end{equation*}", [("a = b", 1, 18, "equation*")]),
    ("\\begin{gather}a = b\\end{gather}", [("a = b", 1, 15, "gather")]),
    ("\\begin{aligned}a &= b\\end{aligned}", [("a &= b", 1, 16, "aligned")]),
    ("\\begin{alignat}{2}a &= b\\end{alignat}", [("a &= b", 1, 19, "alignat")]),
    # aligned nested in a display counts once, as "aligned"
    ("$$\\begin{aligned}a &= b\\end{aligned}$$", [("a &= b", 1, 18, "aligned")]),
    ("\\[\\begin{aligned}a &= b\\end{aligned}\\]", [("a &= b", 1, 18, "aligned")]),
    (
        "\\begin{equation}\\begin{aligned}a\\end{aligned}\\end{equation}",
        [("\\begin{aligned}a\\end{aligned}", 1, 17, "equation")],
    ),
    # inline dollars in Markdown: Pandoc's rule, escapes, paragraphs
    ("它花了 $5 和 $10。", []),
    ("a $x$ b $y$", [("x", 1, 4, "$"), ("y", 1, 10, "$")]),
    (r"价格 \$5，公式 $x=1$", [("x=1", 1, 12, "$")]),
    ("$a\n\nb$", []),
    ("$a\nb$", [("a\nb", 1, 2, "$")]),
    ("$ a$", []),
    ("an unclosed $x", []),
    # code, comments and escapes hide math
    ("```\n$$a=b$$\n```\n$c$", [("c", 4, 2, "$")]),
    ("~~~latex\n$a$\n~~~", []),
    ("`$a$` and $b$", [("b", 1, 12, "$")]),
    ("<!-- $a$ -->$b$", [("b", 1, 14, "$")]),
    ("<!--\n$$a$$\n-->", []),
    ("% assume: $0<s<1$\n$b$", [("b", 2, 2, "$")]),
]


@pytest.mark.parametrize("text, expected", BLOCKS, ids=[b[0] for b in BLOCKS])
def test_math_blocks_with_file_positions(text: str, expected: list) -> None:
    doc = read_document(text)
    assert [(b.content, b.line, b.column, b.kind) for b in doc.blocks] == expected


@pytest.mark.parametrize("text", [b[0] for b in BLOCKS] + [SHEET_MD], ids=range(len(BLOCKS) + 1))
def test_block_content_is_at_its_position_in_the_file(text: str) -> None:
    lines = text.split("\n")
    for block in read_document(text).blocks:
        first = block.content.split("\n")[0]
        assert lines[block.line - 1][block.column - 1 :].startswith(first)


LATEX_FILE = r"""\documentclass{article}
\newcommand{\R}{\mathbb{R}} % $not math$ in the preamble
% assume: t > 0
\begin{document}
价格是 100\% 而 $x = 1$ % 注释 $y$
\[ a = b \] % \[ c = d \]
$ 2 = 2 $
\end{document}
$after = end$
"""


def test_latex_file_skips_preamble_and_comments() -> None:
    doc = read_document(LATEX_FILE)
    assert [(b.content, b.line, b.column, b.kind) for b in doc.blocks] == [
        ("x = 1", 5, 14, "$"),
        (" a = b ", 6, 3, "\\["),
        (" 2 = 2 ", 7, 2, "$"),
    ]
    assert doc.assumptions == (("t > 0", 3),)
    assert doc.assumption_positions == ((3, 11),)


ASSUMPTIONS = [
    ("% assume: 0 < s < 1", [("0 < s < 1", 1)], [(1, 11)]),
    ("<!-- assume: t > 0 -->", [("t > 0", 1)], [(1, 14)]),
    ("<!--assume:t>0-->", [("t>0", 1)], [(1, 12)]),
    ("文字\n%   Assume:   $0<s<1, t>0$  ", [("0<s<1, t>0", 2)], [(2, 16)]),
    ("<!-- assume:\n  x > 0 -->", [("x > 0", 2)], [(2, 3)]),
    ("% assume: $s>0$, $t>0$", [("s>0 ,  t>0", 1)], [(1, 12)]),
    ("a % assume: x > 0\n<!-- assume: y < 0 -->", [("x > 0", 1), ("y < 0", 2)], [(1, 13), (2, 14)]),
    (r"100\% assume: x > 0", [], []),
    ("% assume:", [], []),
    ("```\n% assume: x > 0\n```", [], []),
]


@pytest.mark.parametrize("text, found, positions", ASSUMPTIONS, ids=[a[0] for a in ASSUMPTIONS])
def test_assumption_comments_are_collected(text: str, found: list, positions: list) -> None:
    doc = read_document(text)
    assert list(doc.assumptions) == found
    assert list(doc.assumption_positions) == positions


def test_assumption_list_reads_as_separate_chains() -> None:
    doc = read_document("文字\n% assume: $0<s<1, t>0$")
    ((text, line),) = doc.assumptions
    ((line, column),) = doc.assumption_positions
    chains = parse_math(text, line=line, column=column)
    assert [c.rels for c in chains] == [("<", "<"), (">",)]
    assert [(c.line, c.column) for c in chains] == [(2, 12), (2, 19)]


UNCLOSED = [
    ("ok\n 文字 $$ a = b", 2, 5, "'$$' is never closed"),
    (r"\[ a = b", 1, 1, "never closed"),
    ("x\n\\begin{align} a &= b", 2, 1, "never closed"),
    ("\\documentclass{article}\\begin{document}\n价格 $x\n\n$", 2, 4, "'$' is never closed"),
]


@pytest.mark.parametrize("text, line, column, words", UNCLOSED, ids=[u[0] for u in UNCLOSED])
def test_unclosed_math_is_an_error_at_its_opening(
    text: str, line: int, column: int, words: str
) -> None:
    with pytest.raises(ParseError) as info:
        read_document(text, source="hw.tex")
    assert words in info.value.message
    assert (info.value.line, info.value.column, info.value.source) == (line, column, "hw.tex")


def test_huge_file_is_refused() -> None:
    with pytest.raises(ParseError, match="too large"):
        read_document("x" * 2_000_001)


PATHOLOGICAL = [
    "`a``" * 50_000,
    "$a " * 100_000,
    "$ " * 100_000,
    "\\$" * 100_000,
    "<!--" * 100_000,
    "```\n" * 50_000,
    "% assume: x>0\n" * 20_000,
    "\\" * 200_000,
    "$x$ " * 50_000,
    "<!-- assume:" * 50_000,
]


@pytest.mark.parametrize("text", PATHOLOGICAL, ids=[p[:12] for p in PATHOLOGICAL])
def test_pathological_files_are_read_in_linear_time(text: str) -> None:
    started = time.perf_counter()
    try:
        read_document(text)
    except ParseError:
        pass
    assert time.perf_counter() - started < 5


def test_document_and_blocks_are_frozen() -> None:
    doc = read_document("$a$")
    assert isinstance(doc, Document) and isinstance(doc.blocks[0], MathBlock)
    with pytest.raises(AttributeError):
        doc.blocks[0].line = 3


# An excerpt of the OCR'd sheet as it is (damaged): reading it must never crash.
OCR_EXCERPT = (Path(__file__).parent / "fixtures" / "ocr_excerpt.md").read_text(encoding="utf-8")


def test_damaged_sheet_gives_chains_or_parse_errors_never_a_crash() -> None:
    outcomes = []
    for block in read_document(OCR_EXCERPT).blocks:
        try:
            outcomes.append(len(parse_math(block.content, line=block.line, column=block.column)))
        except ParseError as err:
            assert err.line is not None and err.line >= block.line
            outcomes.append("error")
    assert len(outcomes) == 6 and "error" in outcomes


def test_random_damage_gives_chains_or_parse_errors() -> None:
    rng = random.Random(20240601)
    pieces = list(r"{}()[]^_'&=<>+-,.\ ") + [
        r"\frac",
        r"\sigma",
        r"\left(",
        r"\right)",
        r"\\",
        r"\prod_{k=1}^{n}",
        r"\partial",
        "d",
        "x",
        "2",
    ]
    seed = SHEET_MD.split("$$")[1]
    for _ in range(400):
        chars = list(seed)
        for _ in range(rng.randint(1, 4)):
            chars.insert(rng.randrange(len(chars) + 1), rng.choice(pieces))
        try:
            parse_math("".join(chars), line=3, column=4)
        except ParseError as err:
            assert err.line is not None and err.line >= 3 and err.column is not None
