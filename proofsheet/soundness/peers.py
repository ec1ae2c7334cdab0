"""The peer comparison of ``make bench`` (issue 12, item 5): proofsheet against SymPy's
``simplify`` and, when it is installed, Math-Verify, on the pair set of :mod:`.pairs`.

Each tool's answer to a pair is ``verified``, ``refuted`` or no answer; it is *correct* when it
is the pair's expected verdict and *wrong* when it is the opposite one.

* proofsheet: one subprocess, ``proofsheet prove --batch -`` fed every pair, as a grader runs
  it; the time per pair is the answer's ``ms`` (the decision), the total is the whole
  subprocess (start-up included).
* SymPy: ``simplify(lhs - rhs)`` on the statement parser's SymPy objects, with σ, σ′ and tanh
  unfolded to exp and ``diff``/``sum``/``product`` evaluated (``doit``) first, as a SymPy user
  would write them. The rule: a difference that simplifies to 0 verifies an equation; one
  that simplifies to a number SymPy knows is nonzero decides the relation by its sign (so it
  refutes an equation); anything else (a symbolic difference) is no answer.
* Math-Verify: ``verify(parse(lhs), parse(rhs))`` on ``sympy.latex`` of each side (unfolded
  and evaluated as for SymPy); True verifies, False refutes. It compares two expressions, so
  a pair that is not an equation is no answer, and so is a side it cannot read or an error.

Neither baseline is told the pair's assumptions (they have no general way to take them); its
verdict is scored against the expectation under them all the same. Each baseline call runs
in a forked child under :data:`LIMIT_SECONDS`; a timeout or an error is no answer.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .pairs import Pair, load_pairs

LIMIT_SECONDS = 20.0  #: each pair's time limit, for every tool
NO_ANSWER = "no answer"
ROOT = Path(__file__).resolve().parent.parent.parent


@dataclass
class ToolRun:
    """One tool's answers to every pair, with the seconds each took and the whole run's."""

    tool: str
    answers: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    total: float = 0.0

    def score(self, pairs: list[Pair]) -> dict:
        """correct / wrong / no answer, median and p95 seconds per pair, total seconds."""
        correct = sum(a == p.expect for a, p in zip(self.answers, pairs))
        wrong = sum(a not in (NO_ANSWER, p.expect) for a, p in zip(self.answers, pairs))
        ordered = sorted(self.seconds)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        return {
            "correct": correct,
            "wrong": wrong,
            "no_answer": len(pairs) - correct - wrong,
            "median_s": round(statistics.median(ordered), 3),
            "p95_s": round(p95, 3),
            "total_s": round(self.total, 1),
        }


# --- proofsheet: one batch subprocess -------------------------------------------------------


def run_proofsheet(pairs: list[Pair], seconds: float = LIMIT_SECONDS) -> ToolRun:
    """Every pair through one ``prove --batch -`` subprocess (start-up paid once)."""
    lines = "".join(json.dumps(p.batch_line(), ensure_ascii=False) + "\n" for p in pairs)
    command = [sys.executable, "-m", "proofsheet.cli", "prove", "--batch", "-"]
    start = time.perf_counter()
    done = subprocess.run(
        [*command, "--seconds", repr(seconds)],
        input=lines,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    run = ToolRun("proofsheet", total=time.perf_counter() - start)
    found = [json.loads(line) for line in done.stdout.splitlines()]
    if done.returncode != 0 or len(found) != len(pairs):
        raise RuntimeError(f"prove --batch failed ({done.returncode}): {done.stderr[-500:]}")
    for answer in found:
        status = answer["status"]
        run.answers.append(status if status in ("verified", "refuted") else NO_ANSWER)
        run.seconds.append(answer["ms"] / 1000)
    return run


# --- the baselines: SymPy's objects, one forked child a pair --------------------------------


def sympy_sides(pair: Pair):
    """(lhs, relation, rhs) as SymPy objects: σ, σ′, tanh unfolded, diff/sum/product done."""
    from ..kernel.notation import unfold
    from ..parsing.statement import parse_statement

    parsed = parse_statement(pair.statement)
    return unfold(parsed.lhs).doit(), parsed.rel, unfold(parsed.rhs).doit()


_HOLDS: dict[str, Callable] = {
    "=": lambda d: d == 0,
    "<": lambda d: d < 0,
    "<=": lambda d: d <= 0,
    ">": lambda d: d > 0,
    ">=": lambda d: d >= 0,
}


def simplify_claim(lhs, rel: str, rhs) -> str:
    """SymPy's claim: ``simplify(lhs - rhs)`` is 0 or a number SymPy knows is nonzero (its sign
    then decides the relation), else no answer."""
    import sympy as sp

    difference = sp.simplify(lhs - rhs)
    if difference == 0:
        sign = 0
    elif difference.is_number and difference.is_zero is False and difference.is_real:
        sign = {True: 1, False: -1}.get(difference.is_positive)
        if sign is None:
            return NO_ANSWER
    else:
        return NO_ANSWER
    return "verified" if _HOLDS[rel](sign) else "refuted"


def math_verify_claim(lhs, rel: str, rhs) -> str:
    """Math-Verify's claim on the two sides' LaTeX; only an equation is a question for it."""
    import logging

    import sympy as sp
    from math_verify import parse, verify

    # it warns on every call that its own alarms are off: they are, on purpose (below)
    logging.getLogger("math_verify").setLevel(logging.ERROR)
    if rel != "=":
        return NO_ANSWER
    # our own limit replaces Math-Verify's 5 s alarms, whose timeout would read as "not equal"
    gold, answer = (parse(f"${sp.latex(side)}$", parsing_timeout=None) for side in (lhs, rhs))
    if not (gold and answer):  # a side it could not read
        return NO_ANSWER
    same = verify(gold, answer, timeout_seconds=None, raise_on_error=True)
    return "verified" if same else "refuted"


def math_verify_installed() -> bool:
    try:
        import math_verify  # noqa: F401 - only whether it is there
    except ImportError:
        return False
    return True


def run_baseline(
    tool: str, claim: Callable, pairs: list[Pair], seconds: float = LIMIT_SECONDS
) -> ToolRun:
    """``claim(lhs, rel, rhs)`` a pair, each in a forked child under ``seconds``."""
    from ..search.timelimit import run_with_limit

    run = ToolRun(tool)
    begin = time.perf_counter()
    for pair in pairs:
        start = time.perf_counter()
        try:
            answer = run_with_limit(claim, sympy_sides(pair), seconds)
        except Exception:  # noqa: BLE001 - a timeout, a crash or an unreadable side: no answer
            answer = NO_ANSWER
        run.seconds.append(time.perf_counter() - start)
        run.answers.append(answer)
    run.total = time.perf_counter() - begin
    return run


# --- the table --------------------------------------------------------------------------------


def compare(pairs: list[Pair] | None = None, seconds: float = LIMIT_SECONDS) -> dict:
    """Every tool on every pair: the scores and each pair's answers (``bench-pairs.json``)."""
    pairs = load_pairs() if pairs is None else pairs
    runs = [run_proofsheet(pairs, seconds), run_baseline("SymPy simplify", simplify_claim, pairs)]
    if math_verify_installed():
        runs.append(run_baseline("Math-Verify", math_verify_claim, pairs, seconds))
    return {
        "pairs": len(pairs),
        "seconds_limit": seconds,
        "tools": {run.tool: run.score(pairs) for run in runs},
        "answers": [
            {
                "statement": p.statement,
                "assume": p.assume,
                "expect": p.expect,
                "family": p.family,
                **{run.tool: run.answers[i] for run in runs},
            }
            for i, p in enumerate(pairs)
        ],
    }


def score_rows(caption: str, tools: dict, per: str, milliseconds: bool = False) -> list[str]:
    """A Markdown table of each tool's scores, one row a tool; times in seconds (or ms) per
    ``per``."""
    unit, scale, form = ("ms", 1000, ".0f") if milliseconds else ("s", 1, ".3f")
    rows = [
        f"| {caption} | correct | wrong | no answer "
        f"| median {unit}/{per} | p95 {unit}/{per} | total s |",
        "|---|---|---|---|---|---|---|",
    ]
    for tool, s in tools.items():
        rows.append(
            f"| {tool} | {s['correct']} | {s['wrong']} | {s['no_answer']} "
            f"| {scale * s['median_s']:{form}} | {scale * s['p95_s']:{form}} "
            f"| {s['total_s']:.1f} |"
        )
    return rows


def table(result: dict) -> str:
    """The Markdown table of the scores."""
    rows = score_rows(f"pair set ({result['pairs']} pairs)", result["tools"], "pair")
    if "Math-Verify" not in result["tools"]:
        rows.append("\n(Math-Verify is not installed: `pip install -e '.[bench]'` adds it.)")
    return "\n".join(rows)


def main(out: Path = ROOT / "build") -> int:
    """Compare, write ``build/bench-pairs.json``, print the table; 1 if proofsheet was wrong."""
    result = compare()
    out.mkdir(exist_ok=True)
    (out / "bench-pairs.json").write_text(
        json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    print(table(result))
    return 1 if result["tools"]["proofsheet"]["wrong"] else 0


if __name__ == "__main__":
    sys.exit(main())
