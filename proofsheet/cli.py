"""The ``proofsheet`` command.

    proofsheet prove "1 - sigma(x) = sigma(-x)"
    proofsheet prove "sigma(x)*(1 - sigma(x)) <= 1/4" --json
    proofsheet prove --batch statements.jsonl        (or - for stdin)
    proofsheet check answer.md
    proofsheet grade submissions/ --out graded/        (a whole class: see proofsheet.grading)
    proofsheet serve --port 8000                       (the page: see proofsheet.serve)

Exit status: 0 verified, 1 refuted or undecided (or stopped at a limit), 2 bad input;
every error is one line, never a traceback. The command runs in a worker under the limits
of :mod:`proofsheet.search.limits`; ``--batch`` runs one such worker a line.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .kernel import Prop
from .kernel.errors import ParseError, ProofsheetError
from .record.describe import describe_theorem, rule_name
from .record.verdicts import Verdict, point_text, verdict_json
from .search.decide import DEFAULT_SECONDS, decide
from .search.limits import (
    GRACE_SECONDS,
    MAX_FILE_BYTES,
    MAX_STATEMENT_CHARS,
    MEMORY_MIB,
    NESTED_TOO_DEEPLY,
    OUT_OF_MEMORY,
    REPORT_SECONDS,
    cap_memory,
    own_seconds,
    progress,
    read_text_file,
    seconds_arg,
    statement_arg,
    supervise,
)
from .search.persistent import PersistentWorker

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors exit 2 with one line."""

    def error(self, message: str):
        print(f"proofsheet: {message}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def verdict_text(v: Verdict, statement: str | None = None) -> str:
    """The verdict for a person; ``statement`` is the text the user wrote (else SymPy's)."""
    shown = f"{v.prop.lhs} {v.prop.rel} {v.prop.rhs}" if statement is None else statement
    lines = [f"{v.status}: {shown}"]
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


def shown(text: str) -> str:
    """The statement as the user wrote it, whitespace normalised (what a verdict echoes)."""
    return " ".join(text.split())


def prove(statement: str, assume: list[str], seconds: float) -> Verdict:
    """Parse (a :class:`ParseError` on bad text) and decide one statement."""
    from .parsing.statement import parse_assumptions, parse_statement

    parsed = parse_statement(statement)
    assumptions = tuple(
        Prop(a.lhs, a.rel, a.rhs, domain=a.domain)
        for text in assume
        for a in parse_assumptions(text)
    )
    prop = Prop(parsed.lhs, parsed.rel, parsed.rhs, domain=parsed.domain)
    return decide(prop, assumptions, seconds)


def prove_json(v: Verdict, statement: str) -> dict:
    """``prove --json``: the verdict, its ``statement`` as written, ``read_as`` as SymPy's."""
    data = verdict_json(v)
    return {"statement": shown(statement), "read_as": data.pop("statement"), **data}


def cmd_prove(args: argparse.Namespace) -> int:
    if args.batch is not None:
        if args.statement is not None or args.assume:
            raise ProofsheetError(
                "prove --batch takes no STATEMENT or --assume (put them in the file)"
            )
        return prove_batch(args.batch, args.seconds)
    if args.statement is None:
        raise ProofsheetError('prove needs a STATEMENT ("x*(1 - x) <= 1/4") or --batch FILE')
    verdict = prove(args.statement, args.assume, args.seconds)
    print(
        json.dumps(prove_json(verdict, args.statement), ensure_ascii=False, indent=1)
        if args.json
        else verdict_text(verdict, shown(args.statement))
    )
    return EXIT_OK if verdict.ok else EXIT_FAILED


# --- prove --batch: one worker a line, the start-up paid once ---------------------------------

#: the fields a batch line may have; any other is a typo that would change the question
BATCH_FIELDS = ("statement", "assume", "seconds", "id")
ANSWER_FIELDS = ("statement", "read_as", "relation", "status", "rule", "certificate")
UNREADABLE = "unreadable"
#: how long a batch may wait for its next line (a grader feeding stdin as it goes)
BATCH_WAIT_SECONDS = 24 * 3600.0


class _Unreadable(Exception):
    """A batch line that cannot be asked: its answer says why, the batch goes on."""

    def __init__(self, reason: str, fields: dict | None = None) -> None:
        super().__init__(reason)
        self.fields = fields or {}  # what could be read: the statement, the id


def prove_batch(source: str, seconds: float) -> int:
    """``prove --batch FILE`` (``-``: stdin): one JSON answer a line, in order, each flushed.

    Exit 0 when every line was answered, whatever the verdicts; 2 when the file cannot be read.
    """
    stdin = source == "-"
    stream = sys.stdin.buffer if stdin else _open_batch(source)
    _warm_up()
    with (
        PersistentWorker(_batch_reply) as worker,
        contextlib.nullcontext() if stdin else contextlib.closing(stream),
    ):
        for number, line in _batch_lines(stream, "<stdin>" if stdin else source):
            if isinstance(line, _Unreadable) or line.strip():  # blank lines are skipped
                answer = _batch_answer(number, line, seconds, worker)
                print(json.dumps({**answer, "line": number}, ensure_ascii=False), flush=True)
    return EXIT_OK


def _open_batch(path: str) -> BinaryIO:
    """A regular file or a pipe, opened for reading (an OSError or one-line ProofsheetError)."""
    stream = open(path, "rb")  # closed by prove_batch
    mode = os.fstat(stream.fileno()).st_mode
    if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
        stream.close()
        raise ProofsheetError(f"{path}: not a regular file or a pipe")
    return stream


def _warm_up() -> None:
    """Build the grammar once, in the parent, so that no worker pays for it."""
    from .parsing.statement import parse_statement

    parse_statement("x = x")


def _batch_lines(stream: BinaryIO, name: str) -> Iterator[tuple[int, str | _Unreadable]]:
    """Numbered lines, decoded; one over the statement limit is skipped and unreadable."""
    limit = 4 * MAX_STATEMENT_CHARS + 2  # UTF-8: at most 4 bytes a character
    for number in itertools.count(1):
        progress(BATCH_WAIT_SECONDS, "waiting for the next batch line")
        data = stream.readline(limit)
        if not data:
            return
        too_long = len(data) == limit and not data.endswith(b"\n")
        if too_long:
            _skip_line(stream, f"{name}:{number}")
        yield number, _decoded(data, too_long)


def _skip_line(stream: BinaryIO, where: str) -> None:
    """Read past the rest of an over-long line; past :data:`MAX_FILE_BYTES` give up."""
    skipped = 0
    while skipped <= MAX_FILE_BYTES:
        more = stream.readline(1 << 16)
        if not more or more.endswith(b"\n"):
            return
        skipped += len(more)
    raise ProofsheetError(f"{where}: a line of more than {MAX_FILE_BYTES:,} bytes")


def _decoded(data: bytes, too_long: bool) -> str | _Unreadable:
    if too_long:
        return _Unreadable(f"a line longer than the limit of {MAX_STATEMENT_CHARS} characters")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _Unreadable(f"not UTF-8 text (byte {exc.start})")
    if len(text.rstrip("\r\n")) > MAX_STATEMENT_CHARS:
        return _Unreadable(f"a line longer than the limit of {MAX_STATEMENT_CHARS} characters")
    return text


def _batch_question(line: str | _Unreadable, seconds: float) -> dict:
    """The line's fields, checked: ``statement``, ``assume`` (a list), ``seconds``, ``id``."""
    if isinstance(line, _Unreadable):
        raise line
    try:
        data = json.loads(line)
    except (ValueError, RecursionError) as exc:
        raise _Unreadable(f"not a JSON object ({str(exc)[:100]})") from None
    if not isinstance(data, dict):
        raise _Unreadable('not a JSON object such as {"statement": "x + 1 > x"}')
    known = {k: v for k, v in data.items() if k == "id" or k == "statement" and isinstance(v, str)}
    try:
        return _checked_fields(data, seconds)
    except _Unreadable as exc:
        raise _Unreadable(str(exc), known) from None


def _checked_fields(data: dict, seconds: float) -> dict:
    if unknown := sorted(set(data) - set(BATCH_FIELDS)):
        raise _Unreadable(f"unknown field {unknown[0]!r} (known: {', '.join(BATCH_FIELDS)})")
    if not isinstance(data.get("statement"), str):
        raise _Unreadable('no "statement" (a string)')
    assume = data.get("assume", [])
    assume = [assume] if isinstance(assume, str) else assume
    if not (isinstance(assume, list) and all(isinstance(a, str) for a in assume)):
        raise _Unreadable('"assume" must be a string or a list of strings')
    given = data.get("seconds", seconds)
    if isinstance(given, bool) or not isinstance(given, (int, float)):
        raise _Unreadable(f'"seconds" must be a number, not {given!r}')
    try:
        limit = seconds_arg(repr(float(given)))
    except (argparse.ArgumentTypeError, OverflowError) as exc:
        raise _Unreadable(f'"seconds": {exc}') from None
    return {**data, "assume": assume, "seconds": limit}


def _batch_answer(
    number: int, line: str | _Unreadable, seconds: float, worker: PersistentWorker
) -> dict:
    """The answer to one line: a verdict from the batch's worker, or why it is unreadable."""
    try:
        question = _batch_question(line, seconds)
    except _Unreadable as exc:
        fields = exc.fields
        tagged = {"id": fields["id"]} if "id" in fields else {}
        return {**_unanswered(fields.get("statement"), UNREADABLE, str(exc)), **tagged}
    tagged = {"id": question["id"]} if "id" in question else {}
    # the batch's own supervisor waits while this line's worker runs under its own watch
    progress(own_seconds(question["seconds"]) + 2 * GRACE_SECONDS, f"batch line {number}")
    kind, reply = worker.ask(question, question["seconds"])
    if kind != "answer":
        return {**_unanswered(question["statement"], "undecided", f"stopped: {reply}"), **tagged}
    return {**reply, **tagged}


def _batch_reply(question: dict) -> tuple[dict, bool]:
    """In the batch's worker: the answer as ``prove --json`` gives it, and whether the worker
    may go on to the next line (not after running out of memory or into an internal error)."""
    text = question["statement"]
    try:
        verdict = prove(text, question["assume"], question["seconds"])
        return prove_json(verdict, text), True
    except ParseError as exc:
        return _unanswered(text, UNREADABLE, exc.one_line()), True
    except ProofsheetError as exc:
        return _unanswered(text, UNREADABLE, str(exc)), True
    except MemoryError:
        return _unanswered(text, "undecided", f"stopped: {OUT_OF_MEMORY}"), False
    except RecursionError:
        return _unanswered(text, UNREADABLE, NESTED_TOO_DEEPLY), False
    except Exception as exc:  # noqa: BLE001 - the line's answer, whatever happened
        return _unanswered(text, "undecided", f"internal error ({type(exc).__name__})"), False


def _unanswered(statement: str | None, status: str, reason: str) -> dict:
    """An answer without a verdict, with the fields a verdict's answer has."""
    answer = dict.fromkeys(ANSWER_FIELDS)
    answer.update(statement=None if statement is None else shown(statement), status=status)
    return {**answer, "counterexample": None, "reason": reason, "ms": 0.0}


def cmd_check(args: argparse.Namespace) -> int:
    """``proofsheet check FILE [--json] [--annotate OUT]... [--source NAME]``: exit 0, 1 or 2.

    ``--annotate`` may be given once a format (``a.md --annotate a.tex``): one check, both
    sheets. ``--source`` is the name the report and the sheets give the file (a copy checked
    under its original's name).
    """
    from .check.checker import check_text
    from .check.report import report_json, report_text
    from .sheet.annotate import annotate

    for out in args.annotate:
        if Path(out).resolve() == Path(args.file).resolve():
            raise ProofsheetError(f"{out}: --annotate would overwrite the file being checked")
    source = args.file if args.source is None else args.source
    report = check_text(read_text_file(args.file), source=source, seconds=args.seconds)
    progress(max(args.seconds, REPORT_SECONDS), "writing the report")
    if args.json:
        print(json.dumps(report_json(report), ensure_ascii=False, indent=1))
    else:
        print(report_text(report, colour=sys.stdout.isatty()))
    for out in args.annotate:
        annotate(report, Path(out))
    return EXIT_OK if report.ok else EXIT_FAILED


def cmd_grade(args: argparse.Namespace) -> int:
    """``proofsheet grade SUBMISSIONS --out DIR``: exit 0, 1 (a file not graded), 2 or 130."""
    from .grading import grade

    if args.jobs is not None and args.jobs < 1:
        raise ProofsheetError(f"--jobs must be at least 1, not {args.jobs}")
    run = grade(
        args.submissions,
        args.out,
        roster=args.roster,
        jobs=args.jobs,
        seconds=args.seconds,
        cluster=args.cluster,
    )
    print(
        ("interrupted: " if run.status == 130 else "")
        + f"{len(run.checked)} checked, {len(run.skipped)} unchanged, "
        f"{len(run.missing)} missing: {Path(args.out) / 'gradebook.csv'}"
    )
    return run.status


def cmd_serve(args: argparse.Namespace) -> int:
    """``proofsheet serve [--port N] [--host H]``: the page until Ctrl-C."""
    try:
        from .serve import serve
    except ImportError as exc:  # the optional extra is not installed
        raise ProofsheetError(f"serve needs {exc.name}: pip install 'proofsheet[serve]'") from None

    if not 0 < args.port < 65536 or args.checks < 1:
        raise ProofsheetError("--port must be 1 to 65535 and --checks at least 1")
    return serve(args.host, args.port, Path(args.build), args.seconds, args.checks)


def _seconds_option(command: argparse.ArgumentParser, what: str) -> None:
    """``--seconds``, the same for every command: checked by :func:`seconds_arg`."""
    command.add_argument(
        "--seconds",
        type=seconds_arg,
        default=DEFAULT_SECONDS,
        help=f"{what} (seconds, at most an hour)",
    )


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="proofsheet", description="Machine-checked derivations.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    prove = sub.add_parser("prove", help='prove one relation, e.g. "1 - sigma(x) = sigma(-x)"')
    prove.add_argument("statement", nargs="?", type=statement_arg)
    prove.add_argument(
        "--assume", action="append", default=[], type=statement_arg, help='e.g. "0 < s < 1"'
    )
    prove.add_argument("--json", action="store_true")
    prove.add_argument(
        "--batch",
        metavar="FILE",
        help='JSON lines {"statement": …, "assume": …, "seconds": …} (- for stdin); '
        "answers one JSON line each",
    )
    _seconds_option(prove, "time limit")
    prove.set_defaults(run=cmd_prove)
    check = sub.add_parser("check", help="check a student's derivation (Markdown or LaTeX)")
    check.add_argument("file")
    check.add_argument("--json", action="store_true")
    check.add_argument(
        "--annotate",
        metavar="OUT",
        action="append",
        default=[],
        help="write the sheet with a mark beside each step (.md or .tex; once a format)",
    )
    check.add_argument("--source", metavar="NAME", help="the file's name in the report")
    _seconds_option(check, "time limit per step")
    check.set_defaults(run=cmd_check)
    grade = sub.add_parser("grade", help="check a class's submissions; write a gradebook")
    grade.add_argument("submissions", help="a folder or a glob of .md/.tex files, one a student")
    grade.add_argument("--out", required=True, metavar="DIR")
    grade.add_argument("--roster", metavar="CSV", help="columns file,student")
    grade.add_argument("--jobs", type=int, metavar="N", help="files at a time (default: cores)")
    grade.add_argument(
        "--cluster",
        metavar="ADDRESS",
        help="check on a Dask cluster, e.g. tcp://host:8786 (pip install 'proofsheet[cluster]')",
    )
    _seconds_option(grade, "time limit per step")
    grade.set_defaults(run=cmd_grade, supervises_itself=True)  # a supervised worker a file
    serve = sub.add_parser("serve", help="the page where students check their derivations")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--host", default="127.0.0.1", help="0.0.0.0: every network interface")
    serve.add_argument("--build", default="build", metavar="DIR", help="where the sheets are")
    serve.add_argument("--checks", type=int, default=2, metavar="N", help="checks at a time")
    _seconds_option(serve, "time limit per step")
    serve.set_defaults(run=cmd_serve, supervises_itself=True)  # a supervised worker a check
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
        return _failed(NESTED_TOO_DEEPLY)
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
    if getattr(args, "supervises_itself", False):
        return run(args)
    return supervise(lambda: run(args), args.seconds)


if __name__ == "__main__":
    sys.exit(main())
