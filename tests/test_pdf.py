"""Both PDFs compile, and what they print is right.

Headings, no ??, text on the page, glyphs, escaping.

These tests need latexmk, xelatex and poppler-utils.  Without them they skip
locally, and fail in CI (``CI`` set), where .ci/run installs them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import sympy as sp

from proofsheet.kernel.notation import sigma
from proofsheet.sheet import build, pdf
from proofsheet.sheet.derivation import Derivation, Text
from proofsheet.sheet.render import QUESTIONS, SheetConfig, SheetRenderer, placement


@pytest.fixture(scope="module")
def tex() -> None:
    missing = [
        tool
        for tool in ("latexmk", "xelatex", "pdftotext", "pdfinfo")
        if shutil.which(tool) is None
    ]
    if missing:
        reason = (
            f"{', '.join(missing)} not on the PATH; install with: {pdf.INSTALL_HINT} poppler-utils"
        )
        if os.environ.get("CI"):
            pytest.fail(f"CI must compile the PDFs, but {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def built(tex, whole_build) -> Path:
    out, code = whole_build
    assert code == 0
    return out


def text_of(path: Path, *options: str) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *options, str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_question_has_its_heading_in_the_sheets_language(built, derivations, language):
    text = re.sub(r"\s+", " ", text_of(built / f"proofs.{language}.pdf")).replace("’", "'")
    sections = {placement(d.question)[1] for d in derivations.values()}
    for question in sorted(sections & set(QUESTIONS)):
        heading = getattr(QUESTIONS[question], language)
        # pdftotext may read a heading's id after its words when their fonts differ
        assert f"{question} {heading}" in text or f"{heading} {question}" in text, question
    if language == "zh":
        assert "总结" in text and "已验证的步骤" in text
    summary = re.search(
        r"(\d+) (?:of|/) (\d+)", text[text.rindex("Summary" if language == "en" else "总结") :]
    )
    assert summary and summary.group(1) == summary.group(2)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_no_unresolved_references_and_no_glyphs_or_lines_missing(built, language):
    tex_file = built / f"proofs.{language}.tex"
    assert "??" not in text_of(built / f"proofs.{language}.pdf")
    log = pdf.log_path(tex_file).read_text(encoding="utf-8", errors="replace")
    assert not pdf.missing_characters(log)
    assert [pt for pt in pdf.overfull_boxes(log) if pt > 5] == []
    assert "Reference" not in log or "undefined" not in log


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_word_lies_inside_the_page_and_its_margins(built, language):
    html = text_of(built / f"proofs.{language}.pdf", "-bbox")
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S)
    assert pages
    for number, (width, height, body) in enumerate(pages, 1):
        for x0, y0, x1, y1, word in re.findall(
            r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<',
            body,
        ):
            assert 0 <= float(x0) and float(x1) <= float(width) - 40, (
                f"page {number}: {word!r} at x = {x1}"
            )
            assert 0 <= float(y0) and float(y1) <= float(height), (
                f"page {number}: {word!r} at y = {y1}"
            )


def test_figures_are_embedded_as_vectors(built):
    assert (built / "figures" / "sigmoid-and-derivative.pdf").is_file()
    listing = (
        subprocess.run(
            ["pdfimages", "-list", str(built / "proofs.en.pdf")], capture_output=True, text=True
        ).stdout
        if shutil.which("pdfimages")
        else ""
    )
    assert len(listing.strip().splitlines()) <= 2, "a figure was embedded as a bitmap"
    assert "Figure 1" in text_of(built / "proofs.en.pdf") and "图 1" in text_of(
        built / "proofs.zh.pdf"
    )


HOSTILE = r"\input{/etc/passwd} \write18{touch pwned} 100% a & b #1 x_1 {braces} $x$ ~ \relax"


def hostile_derivation() -> Derivation:
    x = sp.Symbol("x", real=True)
    d = Derivation("hostile", "Q3.1", Text(en="Title " + HOSTILE, zh="标题 " + HOSTILE))
    d.say(en="Prose: " + HOSTILE, zh="正文：" + HOSTILE)
    c = d.chain(1 - sigma(x))
    c.eq(sigma(-x), why=Text(en="Why: " + HOSTILE, zh="理由：" + HOSTILE))
    return d


@pytest.mark.parametrize("language", ["en", "zh"])
def test_hostile_prose_is_printed_not_executed(tex, tmp_path, language):
    summary = {"steps": 1, "verified": 1, "refuted": 0, "undecided": 0, "seconds": 0, "rules": []}
    source = tmp_path / f"hostile.{language}.tex"
    renderer = SheetRenderer(SheetConfig(language=language))
    source.write_text(renderer.render([hostile_derivation()], "tex", summary), encoding="utf-8")
    text = re.sub(r"\s+", " ", text_of(pdf.compile_pdf(source)))
    for literal in (
        r"\input{/etc/passwd}",
        r"\write18{touch pwned}",
        "100%",
        "a & b",
        "#1",
        "x_1",
        "{braces}",
        "$x$",
        r"\relax",
    ):
        # the title (also in the summary), the prose and the step's note
        assert text.count(literal) == 4, literal
    assert "root:" not in text and not (tmp_path / "pwned").exists()


def test_a_latex_error_fails_with_only_the_relevant_lines(tex, tmp_path):
    broken = tmp_path / "broken.tex"
    filler = "\n".join(f"line {i} of filler text." for i in range(200))
    broken.write_text(
        "\\documentclass{article}\n\\begin{document}\n"
        + filler
        + "\n\\undefinedcommand{oops}\n\\end{document}\n",
        encoding="utf-8",
    )
    with pytest.raises(pdf.PdfError) as error:
        pdf.compile_pdf(broken)
    message = str(error.value)
    assert "! Undefined control sequence." in message and "l.203 \\undefinedcommand" in message
    assert "line 5 of filler" not in message and len(message.splitlines()) < 10


def test_without_tex_the_build_writes_the_sheets_and_says_how_to_install_it(
    monkeypatch, tmp_path, capsys, derivations
):
    monkeypatch.setattr(pdf, "tex_available", lambda: False)
    chosen = [derivations["sigmoid-complement"]]
    assert build.run(tmp_path, load=lambda: chosen) == 0
    hint = [line for line in capsys.readouterr().out.splitlines() if "apt-get install" in line]
    assert hint == [
        f"no PDF: latexmk or xelatex is not on the PATH; install them with: {pdf.INSTALL_HINT}"
    ]
    assert (tmp_path / "proofs.zh.tex").is_file() and not (tmp_path / "proofs.zh.pdf").exists()


def test_the_annotated_student_sheet_compiles_with_every_mark(tex, tmp_path):
    from proofsheet.check.checker import check_text
    from proofsheet.sheet.annotate import annotate

    fixture = Path(__file__).parent / "fixtures" / "a2_student.md"
    out = tmp_path / "checked.tex"
    annotate(check_text(fixture.read_text(encoding="utf-8"), source="a2_student.md"), out)
    compiled = pdf.compile_pdf(out, timeout=300)
    assert not pdf.missing_characters(pdf.log_path(out).read_text(errors="replace"))
    text = text_of(compiled)
    assert "first wrong step" in text and "counterexample at x = 1" in text and "𝜎(−u)" in text


def test_tex_never_runs_a_shell_nor_reads_outside_the_sheets_folder():
    assert "-no-shell-escape" in pdf.COMMAND and "-shell-escape" not in pdf.COMMAND
    assert pdf.TEX_ENV["openin_any"] == "p" and pdf.TEX_ENV["shell_escape"] == "f"


def test_a_hostile_student_sheet_prints_its_commands_and_reads_no_file(tex, tmp_path):
    from proofsheet.check.checker import check_text
    from proofsheet.sheet.annotate import annotate
    from proofsheet.soundness.hostile import HOSTILE_SHEET

    out = tmp_path / "hostile.tex"
    annotate(check_text(HOSTILE_SHEET, source="hostile.md", seconds=5), out)
    text = text_of(pdf.compile_pdf(out, timeout=300))
    secret = next(line for line in Path("/etc/passwd").read_text().splitlines() if line.strip())
    assert "\\input" in text and "\\write18" in text  # the commands are shown as text
    assert secret not in text and "root:" not in text
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()
