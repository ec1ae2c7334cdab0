"""The two documents a TA gets: the hand-out (answers.*) and the full proofs (proofs.*).

Pinned here: the hand-out's length and content, the links from its displays to the
proofs, the common-mistakes boxes, and what a TA would not hand out (a heading
stranded at a page foot, math typed by hand in prose, an ASCII minus, English ids
in the Chinese text).
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import unicodedata
from pathlib import Path

import cmarkgfm
import pytest

from proofsheet.sheet.render import QUESTIONS
from proofsheet.sheet.sheetwords import UI, WORDS

LANGUAGES = ["en", "zh"]
DOCUMENTS = ["answers", "proofs"]
#: the sample answer's slips that the hand-out must name, by question (issue 11)
SAMPLE_MISTAKES = {"Q1.2": 1, "Q2.2": 1, "Q3.1": 1, "Q3.2": 1, "Q3.3": 1}


@pytest.fixture(scope="module")
def out(whole_build) -> Path:
    folder, code = whole_build
    assert code == 0
    return folder


def pdftotext(path: Path, option: str) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", option, str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def pdf_pages(path: Path) -> list[str]:
    """The text of each page of a PDF (pdftotext separates pages by form feeds)."""
    return pdftotext(path, "-layout").split("\f")[:-1]


def need_pdf(folder: Path, name: str) -> Path:
    path = folder / name
    if not path.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"CI must compile the PDFs, but {name} was not written")
        pytest.skip("no TeX here to compile the PDFs (CI installs it)")
    return path


def prose_of(markdown: str) -> str:
    """What a reader sees of a Markdown sheet outside math and code, as GitHub renders it."""
    rendered = cmarkgfm.github_flavored_markdown_to_html(markdown)
    rendered = re.sub(r"<pre.*?</pre>|<code>.*?</code>", " ", rendered, flags=re.S)
    rendered = re.sub(r"<img[^>]*>|<[^>]+>", " ", rendered)
    return html.unescape(rendered)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_hand_out_fits_on_ten_pages_and_is_shorter_than_the_proofs(out, language):
    answers = pdf_pages(need_pdf(out, f"answers.{language}.pdf"))
    proofs = pdf_pages(need_pdf(out, f"proofs.{language}.pdf"))
    assert len(answers) <= 10 < len(proofs), (len(answers), len(proofs))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_hand_out_answers_every_question_in_the_assignments_order(out, language):
    text = re.sub(r"\s+", " ", (out / f"answers.{language}.md").read_text(encoding="utf-8"))
    positions = [text.find(f"## {q} · {getattr(QUESTIONS[q], language)}") for q in QUESTIONS]
    assert -1 not in positions and positions == sorted(positions), positions


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_hand_out_shows_both_figures(out, language):
    markdown = (out / f"answers.{language}.md").read_text(encoding="utf-8")
    assert len(re.findall(r"!\[[^\]]*\]\(figures/[^)]+\.svg\)", markdown)) >= 2


def test_the_hand_out_names_every_mistake_of_the_sample_answer(derivations, out):
    named: dict[str, int] = {}
    for d in derivations.values():
        for mistake in d.mistakes:
            named[d.question.split()[0]] = named.get(d.question.split()[0], 0) + 1
            assert mistake.verdict is None or mistake.refuted, mistake.where.en
    assert {q: min(n, 1) for q, n in named.items() if q in SAMPLE_MISTAKES} == SAMPLE_MISTAKES
    refuted = sum(m.refuted for d in derivations.values() for m in d.mistakes)
    for language in LANGUAGES:
        markdown = (out / f"answers.{language}.md").read_text(encoding="utf-8")
        assert markdown.count(getattr(UI["refuted_at"], language)) == refuted
        assert markdown.count(getattr(UI["mistakes_heading"], language)) == len(named)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_display_of_the_hand_out_links_to_a_step_of_the_proofs(out, language):
    answers = (out / f"answers.{language}.tex").read_text(encoding="utf-8")
    proofs = (out / f"proofs.{language}.tex").read_text(encoding="utf-8")
    links = re.findall(r"\\proofref\{\w+\}\{step\.(\d+)\}", answers)
    targets = set(re.findall(r"\\stepmark\{\w+\}\{[^}]*\}\{(\d+)\}", proofs))
    assert links and set(links) <= targets
    assert r"\stepmark{" not in answers.split(r"\begin{document}")[1]  # refs, not rule names


@pytest.mark.parametrize("document", DOCUMENTS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_heading_is_stranded_at_the_foot_of_a_page(out, document, language, derivations):
    headings = [getattr(QUESTIONS[q], language) for q in QUESTIONS]
    headings += [getattr(d.title, language) for d in derivations.values()]
    headings += [getattr(ask, language) for ask in WORDS["ask"].values()]  # under a heading
    keys = {re.sub(r"\s+", "", unicodedata.normalize("NFKC", h))[:12] for h in headings}
    pages = pdf_pages(need_pdf(out, f"{document}.{language}.pdf"))
    for number, page in enumerate(pages[:-1], 1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        last = [line for line in lines if not line.isdigit()][-1]
        last = unicodedata.normalize("NFKC", last)  # 𝜎 (math italic) reads as σ
        squeezed = re.sub(r"\s+", "", re.sub(r"^Q\d\.\d\s*", "", last))
        assert not any(squeezed.startswith(k) for k in keys), f"page {number}: {last!r}"


@pytest.mark.parametrize("document", DOCUMENTS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_math_is_typed_by_hand_in_the_prose(out, document, language):
    prose = prose_of((out / f"{document}.{language}.md").read_text(encoding="utf-8"))
    typed = [m.group(0) for m in re.finditer(r"\S*[_^]\S*", prose)]
    assert typed == []
    ascii_minus = [m.group(0) for m in re.finditer(r"(?<![\w.])-\d[\d.]*", prose)]
    assert ascii_minus == []


@pytest.mark.parametrize("document", DOCUMENTS)
def test_the_chinese_prose_holds_no_internal_ids(out, document, derivations):
    prose = prose_of((out / f"{document}.zh.md").read_text(encoding="utf-8"))
    assert [i for i in derivations if i in prose] == []


def word_boxes(path: Path) -> list[tuple[float, list[tuple[float, float]]]]:
    """(page height, [(top, bottom) of each word]) for each page of a PDF."""
    html_text = pdftotext(path, "-bbox")
    pages = re.findall(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', html_text, re.S)
    return [
        (float(height), [(float(a), float(b)) for a, b in re.findall(BOX, body)])
        for height, body in pages
    ]


BOX = r'<word xMin="[\d.-]+" yMin="([\d.-]+)" xMax="[\d.-]+" yMax="([\d.-]+)">'


@pytest.mark.parametrize("document", DOCUMENTS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_is_a_lone_float_or_left_mostly_empty(out, document, language):
    pages = word_boxes(need_pdf(out, f"{document}.{language}.pdf"))
    for number, (height, words) in enumerate(pages, 1):
        body = [(top, bottom) for top, bottom in words if bottom < 0.92 * height]  # not the folio
        first, last = min(t for t, _ in body), max(b for _, b in body)
        assert first < 0.15 * height, f"page {number} starts at {first / height:.0%}: a float page"
        if number < len(pages):
            assert last > 0.6 * height, f"page {number} ends at {last / height:.0%}"
