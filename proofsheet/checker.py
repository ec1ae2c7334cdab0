"""Check a student's derivation, written in Markdown or LaTeX, step by step.

>>> report = check_text("$$1 - \\\\sigma(x) = \\\\sigma(-x)$$")
>>> [s.verdict.status for s in report.steps]
['verified']

Every adjacent pair of a chain ``A = B \\le C`` is one step, decided by the
same kernel as ``make proofs``.  A relation whose left side is a bare name
not seen before (or written with ``:=``, or after "let", "设", "令") defines
that name; later steps are checked with the definition substituted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import sympy as sp

from .buggy import explain
from .errors import ParseError, ProofsheetError
from .kernel import Prop
from .parsing.document import read_document
from .parsing.latex import Chain, parse_math
from .printing import RELATION_LATEX
from .tactics import DEFAULT_SECONDS, decide, relevant
from .verdict import REFUTED, UNDECIDED, VERIFIED, Verdict

_LET = re.compile(r"(?:\blet|\bLet|设|令)\s*[$\\(\[]*\s*$")
_CHECKABLE = {"=", "<=", "<", ">=", ">"}


@dataclass(frozen=True)
class CheckedStep:
    """One step of the student's file and what the kernel made of it."""

    line: int
    column: int
    text: str                       # the step as written, e.g. "1 - \sigma(x) = \sigma(-x)"
    lhs: sp.Basic
    rel: str
    rhs: sp.Basic
    verdict: Verdict | None = None  # None for a definition
    mistake: str | None = None      # a known mistake that explains a wrong step

    @property
    def is_definition(self) -> bool:
        return self.verdict is None

    @property
    def status(self) -> str:
        return "definition" if self.verdict is None else self.verdict.status


@dataclass(frozen=True)
class Report:
    """Every step of one file, in order."""

    source: str
    steps: tuple[CheckedStep, ...]
    assumptions: tuple[Prop, ...] = ()

    @property
    def checked(self) -> list[CheckedStep]:
        return [s for s in self.steps if not s.is_definition]

    @property
    def ok(self) -> bool:
        return bool(self.checked) and all(s.verdict.ok for s in self.checked)

    @property
    def first_wrong(self) -> CheckedStep | None:
        return next((s for s in self.checked if not s.verdict.ok), None)

    def count(self, status: str) -> int:
        return sum(s.status == status for s in self.steps)


@dataclass
class _Reader:
    """State while reading one file: definitions and names seen so far."""

    assumptions: tuple[Prop, ...]
    seconds: float
    definitions: dict[sp.Basic, sp.Basic] = field(default_factory=dict)
    seen: set[sp.Basic] = field(default_factory=set)
    steps: list[CheckedStep] = field(default_factory=list)

    def expand(self, expr: sp.Basic) -> sp.Basic:
        """Substitute every definition made so far (definitions are already expanded)."""
        return expr.xreplace(self.definitions) if self.definitions else expr

    def is_new_name(self, expr: sp.Basic) -> bool:
        return isinstance(expr, (sp.Symbol, sp.Indexed)) and expr not in self.seen \
            and expr not in self.definitions

    def define(self, chain: Chain, i: int) -> None:
        name, value = chain.terms[i], self.expand(chain.terms[i + 1])
        self.definitions[name] = value
        self.steps.append(self._step(chain, i, None))

    def check(self, chain: Chain, i: int) -> None:
        prop = Prop(self.expand(chain.terms[i]), chain.rels[i], self.expand(chain.terms[i + 1]))
        verdict = decide(prop, relevant(self.assumptions, prop), self.seconds)
        mistake = explain(prop) if verdict.status != VERIFIED else None
        self.steps.append(self._step(chain, i, verdict, mistake))

    def _step(self, chain: Chain, i: int, verdict: Verdict | None, mistake: str | None = None) -> CheckedStep:
        # a step is reported where its new right side is written (the next line of an align)
        line, column = chain.positions[i + 1] if chain.positions else (chain.line, chain.column)
        rel = {"def": ":=", **RELATION_LATEX}.get(chain.rels[i], chain.rels[i])
        text = f"{chain.texts[i]} {rel} {chain.texts[i + 1]}"
        return CheckedStep(line, column, text, chain.terms[i], chain.rels[i], chain.terms[i + 1],
                           verdict, mistake)

    def _unsupported(self, chain: Chain, i: int, why: str) -> None:
        prop = Prop(self.expand(chain.terms[i]), "=", self.expand(chain.terms[i + 1]))
        self.steps.append(self._step(chain, i, Verdict(UNDECIDED, prop, reason=why)))

    def read(self, chain: Chain, after_let: bool) -> None:
        for i, rel in enumerate(chain.rels):
            left = chain.terms[i]
            if rel == "def" or (i == 0 and rel == "=" and (after_let or self.is_new_name(left))
                                and left not in chain.terms[i + 1].free_symbols):
                self.define(chain, i)
            elif rel in _CHECKABLE:
                self.check(chain, i)
            else:
                self._unsupported(chain, i, f"the relation {rel} is not checked")
            self.seen |= left.free_symbols | chain.terms[i + 1].free_symbols


def _after_let(text_lines: list[str], line: int, column: int) -> bool:
    before = text_lines[line - 1][: max(column - 1, 0)] if 0 < line <= len(text_lines) else ""
    return bool(_LET.search(before))


def _assumption_props(document, source: str) -> list[Prop]:
    props = []
    positions = document.assumption_positions or tuple((line, 1) for _t, line in document.assumptions)
    for (text, _line), (line, column) in zip(document.assumptions, positions):
        for chain in parse_math(text.strip().strip("$"), line=line, column=column, source=source):
            for a, rel, b in zip(chain.terms, chain.rels, chain.terms[1:]):
                if rel not in _CHECKABLE:
                    raise ParseError(f"an assumption must be a relation such as 0 < s < 1, not {rel}",
                                     line, column, source)
                props.append(Prop(a, rel, b))
    return props


def check_text(text: str, *, assumptions: tuple[Prop, ...] = (), source: str = "<text>",
               seconds: float = DEFAULT_SECONDS) -> Report:
    """Check every step of a Markdown or LaTeX text; raises ParseError on malformed input."""
    document = read_document(text, source=source)
    reader = _Reader(tuple(assumptions) + tuple(_assumption_props(document, source)), seconds)
    lines = text.splitlines()
    previous: Chain | None = None
    for block in document.blocks:
        chains = parse_math(block.content, line=block.line, column=block.column, source=source,
                            previous=previous)
        for chain in chains:
            reader.read(chain, _after_let(lines, chain.line, chain.column) if chain is chains[0] else False)
        previous = chains[-1] if chains else previous
    return Report(source, tuple(reader.steps), reader.assumptions)


def check_file(path: str | Path, **options) -> Report:
    """Check a file; an unreadable or non-UTF-8 file is a ParseError with its name."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(f"not UTF-8 text (byte {exc.start})", None, None, str(path)) from None
    except OSError as exc:
        raise ProofsheetError(f"{path}: {exc.strerror}") from None
    return check_text(text, source=str(path), **options)


def run_check_command(args) -> int:
    """``proofsheet check FILE [--json] [--annotate OUT]``: exit 0, 1 or 2."""
    from .checkreport import annotate, report_json, report_text

    report = check_file(args.file, seconds=args.seconds)
    if args.json:
        import json

        print(json.dumps(report_json(report), ensure_ascii=False, indent=1))
    else:
        print(report_text(report, colour=__import__("sys").stdout.isatty()))
    if args.annotate:
        annotate(report, Path(args.annotate))
    return 0 if report.ok else 1


__all__ = ["CheckedStep", "Report", "check_text", "check_file", "REFUTED", "UNDECIDED", "VERIFIED"]
