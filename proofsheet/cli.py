"""The ``proofsheet`` command.

    proofsheet prove "1 - sigma(x) = sigma(-x)"
    proofsheet prove "sigma(x)*(1 - sigma(x)) <= 1/4" --json
    proofsheet check answer.md

Exit status: 0 verified, 1 refuted or undecided (or stopped at a limit), 2 bad input;
every error is one line, never a traceback. The command runs in a worker under the limits
of :mod:`proofsheet.search.limits`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .kernel import Prop
from .kernel.errors import ParseError, ProofsheetError
from .record.describe import describe_theorem, rule_name
from .record.verdicts import Verdict, point_text, verdict_json
from .search.decide import DEFAULT_SECONDS, decide
from .search.limits import (
    MEMORY_MIB,
    REPORT_SECONDS,
    cap_memory,
    progress,
    seconds_arg,
    statement_arg,
    supervise,
)

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors exit 2 with one line."""

    def error(self, message: str):
        print(f"proofsheet: {message}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def verdict_text(v: Verdict) -> str:
    lines = [f"{v.status}: {v.prop.lhs} {v.prop.rel} {v.prop.rhs}"]
    if v.theorem is not None:
        lines.append(f"  rule: {rule_name(v.theorem)}")
        lines.append(f"  certificate: {describe_theorem(v.theorem)}")
    elif v.refutation is not None:
        lines.append(f"  counterexample: {point_text(v.refutation)}")
        lines.append(f"  lhs = {v.refutation.lhs_value}")
        lines.append(f"  rhs = {v.refutation.rhs_value}")
    else:
        lines.append(f"  reason: {v.reason}")
    return "\n".join(lines)


def cmd_prove(args: argparse.Namespace) -> int:
    from .parsing.statement import parse_assumptions, parse_statement

    parsed = parse_statement(args.statement)
    assumptions = tuple(
        Prop(a.lhs, a.rel, a.rhs, domain=a.domain)
        for text in args.assume
        for a in parse_assumptions(text)
    )
    prop = Prop(parsed.lhs, parsed.rel, parsed.rhs, domain=parsed.domain)
    verdict = decide(prop, assumptions, args.seconds)
    print(
        json.dumps(verdict_json(verdict), ensure_ascii=False, indent=1)
        if args.json
        else verdict_text(verdict)
    )
    return EXIT_OK if verdict.ok else EXIT_FAILED


def cmd_check(args: argparse.Namespace) -> int:
    """``proofsheet check FILE [--json] [--annotate OUT]``: exit 0, 1 or 2."""
    from .check.checker import check_file
    from .check.report import report_json, report_text
    from .sheet.annotate import annotate

    if args.annotate and Path(args.annotate).resolve() == Path(args.file).resolve():
        raise ProofsheetError(f"{args.annotate}: --annotate would overwrite the file being checked")
    report = check_file(args.file, seconds=args.seconds)
    progress(max(args.seconds, REPORT_SECONDS), "writing the report")
    if args.json:
        print(json.dumps(report_json(report), ensure_ascii=False, indent=1))
    else:
        print(report_text(report, colour=sys.stdout.isatty()))
    if args.annotate:
        annotate(report, Path(args.annotate))
    return EXIT_OK if report.ok else EXIT_FAILED


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="proofsheet", description="Machine-checked derivations.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    prove = sub.add_parser("prove", help='prove one relation, e.g. "1 - sigma(x) = sigma(-x)"')
    prove.add_argument("statement", type=statement_arg)
    prove.add_argument(
        "--assume", action="append", default=[], type=statement_arg, help='e.g. "0 < s < 1"'
    )
    prove.add_argument("--json", action="store_true")
    prove.add_argument(
        "--seconds",
        type=seconds_arg,
        default=DEFAULT_SECONDS,
        help="time limit (seconds, at most an hour)",
    )
    prove.set_defaults(run=cmd_prove)
    check = sub.add_parser("check", help="check a student's derivation (Markdown or LaTeX)")
    check.add_argument("file")
    check.add_argument("--json", action="store_true")
    check.add_argument("--annotate", metavar="OUT")
    check.add_argument(
        "--seconds",
        type=seconds_arg,
        default=DEFAULT_SECONDS,
        help="time limit per step (seconds, at most an hour)",
    )
    check.set_defaults(run=cmd_check)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run the chosen command; every error becomes one line on stderr and an exit status."""
    try:
        return args.run(args)
    except ParseError as exc:
        print(exc.one_line(), file=sys.stderr)
    except ProofsheetError as exc:
        print(f"proofsheet: {exc}", file=sys.stderr)
    except OSError as exc:
        print(f"proofsheet: {exc.filename or ''}: {exc.strerror}", file=sys.stderr)
    except MemoryError:
        return _failed(f"out of memory (the limit is {MEMORY_MIB} MiB)")
    except RecursionError:
        return _failed("the input is nested too deeply")
    except Exception as exc:  # a bug must still not print a traceback
        if os.environ.get("PROOFSHEET_DEBUG"):
            raise
        return _failed(f"internal error ({type(exc).__name__}); PROOFSHEET_DEBUG=1 shows it")
    return EXIT_BAD_INPUT


def _failed(message: str) -> int:
    print(f"proofsheet: stopped: {message}", file=sys.stderr)
    return EXIT_FAILED


def main(argv: list[str] | None = None) -> int:
    """The command line (``argv`` None): cap memory and run the command in a supervised worker.

    Called from Python with ``argv``, it runs in the caller's process, which keeps its own
    limits and its own ``sys.stdout``.
    """
    args = make_parser().parse_args(argv)
    if argv is not None:
        return run(args)
    cap_memory()
    return supervise(lambda: run(args), args.seconds)


if __name__ == "__main__":
    sys.exit(main())
