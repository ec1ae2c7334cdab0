"""The ``proofsheet`` command.

    proofsheet prove "1 - sigma(x) = sigma(-x)"
    proofsheet prove "sigma(x)*(1 - sigma(x)) <= 1/4" --json
    proofsheet check answer.md

Exit status: 0 verified, 1 refuted or undecided, 2 bad input (one line, no traceback).
"""

from __future__ import annotations

import argparse
import json
import sys

from .describe import describe_theorem, rule_name
from .errors import ParseError, ProofsheetError
from .kernel import Prop
from .tactics import DEFAULT_SECONDS, decide
from .verdict import Verdict, point_text, verdict_json

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors exit 2 with one line."""

    def error(self, message: str):  # type: ignore[override]
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
    assumptions = tuple(Prop(a.lhs, a.rel, a.rhs, domain=a.domain)
                        for text in args.assume for a in parse_assumptions(text))
    prop = Prop(parsed.lhs, parsed.rel, parsed.rhs, domain=parsed.domain)
    verdict = decide(prop, assumptions, args.seconds)
    print(json.dumps(verdict_json(verdict), ensure_ascii=False, indent=1) if args.json else verdict_text(verdict))
    return EXIT_OK if verdict.ok else EXIT_FAILED


def cmd_check(args: argparse.Namespace) -> int:
    from .checker import run_check_command

    return run_check_command(args)


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="proofsheet", description="Machine-checked derivations.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    prove = sub.add_parser("prove", help="prove one relation, e.g. \"1 - sigma(x) = sigma(-x)\"")
    prove.add_argument("statement")
    prove.add_argument("--assume", action="append", default=[], help='e.g. "0 < s < 1"')
    prove.add_argument("--json", action="store_true")
    prove.add_argument("--seconds", type=float, default=DEFAULT_SECONDS, help="time limit")
    prove.set_defaults(run=cmd_prove)
    check = sub.add_parser("check", help="check a student's derivation (Markdown or LaTeX)")
    check.add_argument("file")
    check.add_argument("--json", action="store_true")
    check.add_argument("--annotate", metavar="OUT")
    check.add_argument("--seconds", type=float, default=DEFAULT_SECONDS, help="time limit per step")
    check.set_defaults(run=cmd_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return args.run(args)
    except ParseError as exc:
        print(exc.one_line(), file=sys.stderr)
    except ProofsheetError as exc:
        print(f"proofsheet: {exc}", file=sys.stderr)
    except OSError as exc:
        print(f"proofsheet: {exc.filename or ''}: {exc.strerror}", file=sys.stderr)
    return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
