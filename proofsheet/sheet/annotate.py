"""``proofsheet check --annotate OUT``: the student's own text, line for line, with a mark and
the message beside each checked formula (Markdown ``.md`` or LaTeX ``.tex``).

The Markdown sheet is the file as written, with a quoted note after the line where each
formula ends. The LaTeX sheet prints every piece of prose as text (escaped: nothing the student
wrote runs as a command) and sets a formula as math only when the checker read it and every
command in it is on an allow-list of plain math commands; any other formula is printed as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..check.checker import CheckedStep, Report
from ..check.report import STATUSES, evidence, label
from ..check.robust import read_leniently
from ..kernel.errors import ProofsheetError
from .escaping import md_escape, tex_escape
from .render import SheetConfig, SheetRenderer

_OPEN = re.compile(r"(?:\\begin\s*\{[A-Za-z*]+\}(?:\s*\{\d+\})?|\$\$|\\\[|\\\(|\$)\s*$")
_CLOSE = re.compile(r"\s*(?:\\end\s*\{[A-Za-z*]+\}|\$\$|\\\]|\\\)|\$)")
_INNER_CLOSE = re.compile(r"\s*\\end\s*\{[A-Za-z*]+\}")
_COMMAND = re.compile(r"\\([A-Za-z]+|.)", re.DOTALL)
_ENVIRONMENT = re.compile(r"\\(?:begin|end)\s*\{([^{}]*)\}")
#: math commands a formula set as math in the .tex may use (anything else is printed as text)
_SAFE_COMMANDS = frozenset(
    """alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu
    nu xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta
    Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega frac dfrac tfrac left right big Big bigg
    Bigg bigl bigr Bigl Bigr cdot cdots ldots dots times div pm mp le leq ge geq lt gt ne neq
    approx sim simeq equiv propto partial nabla hat widehat bar overline tilde vec dot ddot
    mathbf mathrm mathit mathsf boldsymbol mathbb mathcal sum prod int lim limits to infty exp
    log ln sqrt prime top intercal quad qquad in notin forall exists odot circ max min
    Rightarrow Leftarrow implies iff rightarrow leftarrow mapsto Leftrightarrow therefore
    because sin cos tan tanh sinh cosh mid vert Vert lVert rVert langle rangle lfloor rfloor
    lceil rceil displaystyle textstyle begin end colon ell star ast subset subseteq cup cap
    setminus emptyset ll gg""".split()
)
_SAFE_SYMBOLS = frozenset("\\,;:! {}|")
_SAFE_ENVIRONMENTS = frozenset(
    "aligned pmatrix bmatrix Bmatrix vmatrix matrix smallmatrix cases".split()
)
_LEFT, _RIGHT = re.compile(r"\\left(?![A-Za-z])"), re.compile(r"\\right(?![A-Za-z])")
_INLINE = ("$", "\\(")
#: Chinese, Japanese, Korean and full-width characters: the math font has none of them
_WIDE = re.compile("[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # an OCR's \f, \r, \b: shown as ?
_TEX_MARKS = {
    "verified": "$\\checkmark$",
    "refuted": "$\\times$",
    "undecided": "?",
    "unreadable": "!",
    "definition": "$:=$",
    "assumption": "$:=$",
}
_COLOURS = {"verified": "0.05,0.45,0.15", "refuted": "0.75,0.05,0.05", "undecided": "0.8,0.45,0"}


@dataclass(frozen=True)
class _Span:
    """One formula in the file: where it starts and ends (delimiters included), its content."""

    start: int
    end: int
    content: str
    inline: bool
    first_line: int
    last_line: int


def annotate(report: Report, out: Path) -> None:
    """Write the student's text with a mark and message beside each checked formula."""
    fmt = "tex" if out.suffix == ".tex" else "md"
    text = report.text
    spans = _spans(text)
    notes = _anchor(report.steps, spans, text)
    first = report.first_wrong
    if fmt == "md":
        body = _markdown(text, notes, first)
    else:
        unread = {s.line for s in report.steps if s.unreadable}
        body = _latex(text, spans, notes, first, unread)
    summary = ", ".join(f"{report.count(s)} {s}" for s in STATUSES if report.count(s))
    template = SheetRenderer(SheetConfig()).environment(fmt).get_template(f"annotated.{fmt}.j2")
    try:
        out.write_text(
            template.render(source=report.source, body=body, summary=summary or "no steps"),
            encoding="utf-8",
        )
    except IsADirectoryError as exc:
        raise ProofsheetError(f"{out}: --annotate needs a file name, not a directory") from exc


def _spans(text: str) -> list[_Span]:
    """Every formula of ``text``, delimiters included (an unclosed one is prose)."""
    if not text:
        return []
    document, _broken = read_leniently(text)
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    spans = []
    for block in document.blocks:
        begin = starts[block.line - 1] + block.column - 1
        end = begin + len(block.content)
        start = begin
        while (opener := _OPEN.search(text, 0, start)) is not None:  # $$\begin{aligned}
            start = opener.start()
            if opener.group().lstrip().startswith("$") or "\\[" in opener.group():
                break
        closer = _CLOSE.match(text, end)
        stop = closer.end() if closer else end
        if closer and _INNER_CLOSE.match(text, end):  # $$\begin{aligned} … \end{aligned}$$
            outer = _CLOSE.match(text, stop)
            stop = outer.end() if outer else stop
        start = max(start, spans[-1].end if spans else 0)
        spans.append(
            _Span(
                start,
                stop,
                block.content,
                block.kind in _INLINE,
                text.count("\n", 0, start) + 1,
                text.count("\n", 0, stop) + 1,
            )
        )
    return spans


def _anchor(steps, spans: list[_Span], text: str) -> dict[int, list[CheckedStep]]:
    """The steps by the line after which their note goes: the last line of their formula."""
    notes: dict[int, list[CheckedStep]] = {}
    last = text.count("\n") + 1
    for step in steps:
        span = next((s for s in spans if s.first_line <= step.line <= s.last_line), None)
        line = span.last_line if span else min(max(step.line, 1), last)
        notes.setdefault(line, []).append(step)
    return notes


def _note_lines(step: CheckedStep, first: CheckedStep | None) -> tuple[str, list[str]]:
    """The head of a step's note and the lines under it."""
    head = f"{label(step)} — line {step.line}: "
    tail = " — first wrong step" if step is first else ""
    more = [] if step.status == "verified" else evidence(step)
    return head, [tail, *more]


def _markdown(text: str, notes: dict, first: CheckedStep | None) -> str:
    lines = text.split("\n")
    out: list[str] = []
    for number, line in enumerate(lines, start=1):
        out.append(line)
        if number not in notes:
            continue
        quoted = []
        for step in notes[number]:
            head, (tail, *more) = _note_lines(step, first)
            code = " ".join(step.text.replace("`", "'").split())  # one line, no code fence
            quoted.append(f"> **{md_escape(head.rstrip())}** `{code}`{md_escape(tail)}")
            quoted += [f">   {md_escape(m)}" for m in more]
        out += ["", "\n>\n".join(quoted), ""]
    return "\n".join(out)


def _latex(text: str, spans: list[_Span], notes: dict, first, unread: set[int]) -> str:
    """The text as LaTeX: prose escaped line for line, formulas as math when safe."""
    out: list[str] = []
    position, line, line_start = 0, 1, True
    for span in [*spans, None]:
        stop = span.start if span else len(text)
        for piece in re.split(r"(\n)", text[position:stop]):
            if piece != "\n":
                out.append(_tex_prose(piece, line_start))
                line_start = False
                continue
            out.append("\\par\n" + _tex_notes(notes.pop(line, []), first))
            line, line_start = line + 1, True
        if span is None:
            break
        readable = not any(span.first_line <= n <= span.last_line for n in unread)
        out.append(_tex_formula(span, text[span.start : span.end], readable))
        line_start = False
        line = span.last_line
        position = span.end
    out.append("\\par\n" + "".join(_tex_notes(n, first) for n in notes.values()))
    return "".join(out)


#: a Markdown heading on a line of its own: ``#`` … ``###`` -> the LaTeX heading it means
_HEADING = re.compile(r"(#{1,3})[ \t]+(\S.*?)[ \t#]*$")
_HEADINGS = {1: "section*", 2: "subsection*", 3: "subsubsection*"}


def _tex_prose(piece: str, line_start: bool) -> str:
    """A run of prose, escaped; a Markdown heading line becomes a LaTeX heading."""
    heading = _HEADING.fullmatch(piece) if line_start else None
    if heading and "$" not in piece:
        command = _HEADINGS[len(heading.group(1))]
        return f"\\{command}{{{tex_escape(_CONTROL.sub('?', heading.group(2)))}}}"
    return tex_escape(_CONTROL.sub("?", piece))


def _tex_formula(span: _Span, written: str, readable: bool) -> str:
    content = span.content.strip()
    if readable and _safe(content, span.inline):
        if span.inline:
            return f"${content}$"
        return f"\\[\\begin{{aligned}}{content}\\end{{aligned}}\\]"
    shown = tex_escape(_CONTROL.sub("?", written)).replace("\n", "\\newline ")
    return f"\\texttt{{{shown}}}"


def _safe(content: str, inline: bool) -> bool:
    """Whether ``content`` is plain math: allowed commands and environments, balanced braces
    and ``\\left``/``\\right``, no ``#``, ``%``, ``^^``, ``$``, nothing empty."""
    if not content or _CONTROL.search(content) or _WIDE.search(content):
        return False
    if any(b in content for b in "#%$~"):
        return False
    if "^^" in content:
        return False
    if inline and ("&" in content or "\\\\" in content):
        return False
    for m in _COMMAND.finditer(content):
        name = m.group(1)
        if name not in _SAFE_COMMANDS and name not in _SAFE_SYMBOLS:
            return False
    if any(env not in _SAFE_ENVIRONMENTS for env in _ENVIRONMENT.findall(content)):
        return False
    if len(_LEFT.findall(content)) != len(_RIGHT.findall(content)):
        return False
    depth = 0
    for char in re.sub(r"\\[{}]", "", content):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _dashes(words: str) -> str:
    """The words escaped, each dash as TeX's own: the CJK package takes a Unicode em dash for
    Chinese punctuation and swallows the spaces around it."""
    return tex_escape(words).replace("—", "---")


def _tex_notes(steps: list[CheckedStep], first) -> str:
    out = []
    for step in steps:
        head, (tail, *more) = _note_lines(step, first)
        colour = _COLOURS.get(step.status, "0.1,0.3,0.6")
        mark = _TEX_MARKS[step.status]
        words = _dashes(head.split(" ", 1)[1])  # the head without its Unicode mark
        body = f"{mark} {words}\\texttt{{{tex_escape(step.text)}}}{_dashes(tail)}"
        body += "".join(f"\\newline\\hspace*{{1em}}{_dashes(m)}" for m in more)
        out.append(f"{{\\small\\color[rgb]{{{colour}}}{body}}}\\par\n")
    return "".join(out)
