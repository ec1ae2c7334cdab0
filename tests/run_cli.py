"""The CLI, run in this process (``proofsheet.cli.main(argv)``): what a shell would see,
without paying an interpreter's start-up per case (one test runs the real command)."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass

from proofsheet.cli import main
from proofsheet.kernel import Prop
from proofsheet.parsing.statement import parse_assumptions, parse_statement


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: str
    stderr: str


def proofsheet(*args: str) -> Result:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse: exit 2 on a bad command line, 0 on --help
            code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    return Result(code, out.getvalue(), err.getvalue())


def prove_prop(text: str, assume: str = "") -> tuple[Prop, tuple[Prop, ...]]:
    """The Prop and assumptions `proofsheet prove TEXT --assume ASSUME` decides."""
    parsed = parse_statement(text)
    assumptions = tuple(
        Prop(a.lhs, a.rel, a.rhs, domain=a.domain)
        for a in (parse_assumptions(assume) if assume else ())
    )
    return Prop(parsed.lhs, parsed.rel, parsed.rhs, domain=parsed.domain), assumptions
