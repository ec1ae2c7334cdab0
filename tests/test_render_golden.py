"""Rendered sheets match golden files (set PROOFSHEET_UPDATE_GOLDEN=1 to rewrite them)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from proofsheet.render import SheetConfig, SheetRenderer, md_escape, tex_escape

GOLDEN = Path(__file__).parent / "golden"
SUBSET = ("sigmoid-complement", "sigmoid-derivative")


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("fmt", ["md", "tex"])
def test_sheet_matches_golden_file(derivations, language, fmt):
    chosen = [derivations[i] for i in SUBSET]
    summary = {"steps": 12, "verified": 12, "refuted": 0, "undecided": 0, "seconds": 0, "rules": []}
    text = SheetRenderer(SheetConfig(language=language, date="2026-01-01", version="test")).render(
        chosen, fmt, summary)
    golden = GOLDEN / f"sigmoid.{language}.{fmt}"
    if os.environ.get("PROOFSHEET_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


HOSTILE = [r"\input{/etc/passwd}", r"\write18{rm -rf /}", "100%", "a & b", "#1", "x_1", "{", "}", "$x$", "^~"]


@pytest.mark.parametrize("prose", HOSTILE)
def test_prose_is_printed_not_executed_in_latex(prose):
    escaped = tex_escape(prose)
    assert "\\input{" not in escaped and "\\write18" not in escaped
    for special in "%&#_{}$":
        assert escaped.count(special) == escaped.count("\\" + special) or special in "{}"


def test_markdown_prose_cannot_open_math_or_links():
    assert md_escape("$x$ [a](b) *c*") == r"\$x\$ \[a\](b) \*c\*"
