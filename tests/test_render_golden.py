"""Rendered sheets match golden files; escaping; translations.

Set PROOFSHEET_UPDATE_GOLDEN=1 to rewrite the golden files.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sympy as sp

from proofsheet.kernel.errors import ProofsheetError, TranslationMissing
from proofsheet.kernel.notation import sigma
from proofsheet.sheet.derivation import Derivation, Text
from proofsheet.sheet.render import (
    RULE_NAMES,
    UI,
    WORDS,
    SheetConfig,
    SheetRenderer,
    md_escape,
    placement,
    tex_escape,
)

GOLDEN = Path(__file__).parent / "golden"
SUBSET = ("sigmoid-complement", "sigmoid-derivative")
SUMMARY = {
    "steps": 12,
    "verified": 12,
    "refuted": 0,
    "undecided": 0,
    "seconds": 0,
    "rules": [("derivative", 2), ("rational-identity", 10)],
}
x = sp.Symbol("x", real=True)


def render(derivations, language="en", fmt="tex", summary=SUMMARY) -> str:
    return SheetRenderer(SheetConfig(language=language, date="2026-01-01", version="test")).render(
        derivations, fmt, summary
    )


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("fmt", ["md", "tex"])
def test_sheet_matches_golden_file(derivations, language, fmt):
    text = render([derivations[i] for i in SUBSET], language, fmt)
    golden = GOLDEN / f"sigmoid.{language}.{fmt}"
    if os.environ.get("PROOFSHEET_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


HOSTILE = [
    r"\input{/etc/passwd}",
    r"\write18{rm -rf /}",
    "100%",
    "a & b",
    "#1",
    "x_1",
    "{",
    "}",
    "$x$",
    "^~",
]


@pytest.mark.parametrize("prose", HOSTILE)
def test_prose_is_printed_not_executed_in_latex(prose):
    escaped = tex_escape(prose)
    assert "\\input{" not in escaped and "\\write18" not in escaped
    for special in "%&#_{}$":
        assert escaped.count(special) == escaped.count("\\" + special) or special in "{}"


def test_markdown_prose_cannot_open_math_or_links():
    assert md_escape("$x$ [a](b) *c*") == r"\$x\$ \[a\](b) \*c\*"


def test_unicode_math_in_prose_is_set_as_math_the_rest_as_text():
    assert tex_escape("σ'(x) ≤ 1/4") == r"\ensuremath{σ'}(x) \ensuremath{≤} 1/4"
    assert (
        tex_escape("y⁽ᵏ⁾, W⁻¹, ŷ")
        == r"y\ensuremath{{}^{(k)}}, W\ensuremath{{}^{−1}}, \ensuremath{\hat{y}}"
    )
    assert tex_escape("e^(−x)") == r"e\textsuperscript{\ensuremath{−}x}"
    assert tex_escape("网络 it's") == "网络 it's"


def demo(en_title="Demo", zh_title="演示", zh_prose="中文") -> Derivation:
    d = Derivation("demo", "Q3.1", Text(en=en_title, zh=zh_title))
    d.say(en="Some prose.", zh=zh_prose)
    c = d.chain(1 - sigma(x))
    c.eq(sigma(-x), why=Text(en="complement", zh="互补"))
    return d


@pytest.mark.parametrize("fmt", ["md", "tex"])
def test_a_missing_translation_fails_the_render_naming_its_key(fmt):
    with pytest.raises(TranslationMissing, match=r"'zh' text for demo\.0"):
        render([demo(zh_prose="")], "zh", fmt)
    with pytest.raises(TranslationMissing, match=r"'zh' text for demo\.title"):
        render([demo(zh_title="")], "zh", fmt)
    assert "Some prose." in render([demo(zh_prose="")], "en", fmt)


def test_every_word_of_the_sheet_exists_in_every_language():
    for table, words in WORDS.items():
        for key, text in words.items():
            assert text.en and text.zh, f"{table}.{key}"
    assert {"title", "summary_line"} <= set(UI) and "rational-identity" in RULE_NAMES


def test_an_unknown_kernel_rule_is_a_missing_translation():
    renderer = SheetRenderer(SheetConfig())
    with pytest.raises(TranslationMissing, match="no-such-rule"):
        renderer.rule("no-such-rule")


def test_an_unknown_block_is_a_loud_error():
    d = demo()
    d.blocks.append(object())
    with pytest.raises(ProofsheetError, match="no renderer for a object block"):
        render([d])


def test_derivations_go_under_their_question_in_the_assignments_order():
    assert placement("Q1.2 / Q3") == (1.0, "Q1.2")
    assert placement("Q1 / Q2") == (1.5, "Q1 / Q2")  # after Q1.2, before Q2.1
    assert placement("Q3.3")[0] > placement("Q3.1")[0] > placement("Q2.2")[0]
    assert placement("beyond")[1] == placement("Q9")[1] == "extra"
    late, early = (
        Derivation("late", "Q3.2", Text("Late", "晚")),
        Derivation("early", "Q1.1", Text("Early", "早")),
    )
    for d in (late, early):
        d.say(en="text", zh="文字")
    sheet = render([late, early], fmt="md")
    assert sheet.index("## Q1.1 · Forward propagation") < sheet.index("## Q3.2 · The sigmoid")


def test_steps_are_numbered_and_notes_carry_the_same_numbers(derivations):
    sheet = render([derivations[i] for i in SUBSET], "en", "tex")
    algebra = RULE_NAMES["rational-identity"].en
    assert rf"\tag*{{\stepmark{{verified}}{{{algebra}}}{{1}}}}" in sheet
    assert r"\stepnote{1}{definition of \ensuremath{σ}}" in sheet
    assert sheet.count(r"\tag*{\stepmark{") == 12


def test_a_notebook_shows_the_checked_steps(derivations):
    d = derivations["sigmoid-complement"]
    latex_repr, markdown = d._repr_latex_(), d._repr_markdown_()
    for shown in (latex_repr, markdown):
        algebra = RULE_NAMES["rational-identity"].en
        assert r"\begin{aligned}" in shown and shown.count(f"✓ {algebra}") == 5
        assert r"1 - \sigma\left(x\right) &= 1 - \frac{1}{1 + e^{- x}}" in shown
    assert latex_repr.startswith("$$") and latex_repr.rstrip().endswith("$$")
    assert "Unfold the definition" in markdown
