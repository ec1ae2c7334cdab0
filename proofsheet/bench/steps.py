"""``make bench BENCH_FLAGS=steps`` (issue 13, item 6): ``check`` step by step against SymPy's
``simplify(lhs - rhs) == 0`` and the latex2sympy2_extended + ``simplify`` pipeline.

The steps, each with its expected verdict known by construction:

* the 190 pairs of ``soundness/pairs.toml`` written as student LaTeX displays: the statement
  parser's sides printed by :func:`step_latex` (SymPy's LaTeX, a power of a function in
  parentheses so that ``(\\log x)^2`` is not read as ``\\log(x^2)``), the pair's assumptions
  given to ``check`` as a ``% assume:`` line would;
* the first :data:`GENERATED` steps of the 1 000-step file of :mod:`.speed`
  (``1 - \\sigma(x_n) = \\sigma(-x_n)``, every tenth with the sign slipped: refuted).

Each step is decided three ways, side by side, and every step is its own one-display file:

a) proofsheet: ``check_text`` of the display, in this process (as ``check`` runs a file);
b) SymPy: the display read by proofsheet's own LaTeX parser (untrusted text never reaches
   ``sympify``), σ, σ′, tanh unfolded and ``doit`` done as a SymPy user would write them, then
   ``simplify(lhs - rhs) == 0``: "equal" (a claim that the step is right) or "not shown";
c) latex2sympy2_extended: the library's own parser on the same display, its defaults, then
   ``simplify(lhs - rhs) == 0``; it knows nothing of σ (it reads ``\\sigma`` as a letter).

"equal" is scored as a verified claim: correct on a true step, wrong on a false one; "not
shown", a relation other than ``=``, an unreadable side, an error or a timeout are no answer
(neither baseline can refute). Neither baseline is told the assumptions. Each baseline call
(parse and simplify) runs in a forked child under :data:`LIMIT_SECONDS`
(:func:`~proofsheet.search.timelimit.run_with_limit`), and the baselines run before ``check``
so that no child inherits a cache ``check`` warmed. Run in a fresh process (see
:mod:`proofsheet.bench`).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..soundness.peers import NO_ANSWER, ToolRun, score_rows
from .speed import ROOT, long_file

LIMIT_SECONDS = 20.0  #: each step's time limit, for every method
GENERATED = 60  #: steps taken from the generated 1 000-step file (54 true, 6 false)
EQUAL, NOT_SHOWN = "equal", "not shown"
TOOLS = ("proofsheet check", "SymPy simplify", "latex2sympy2 + simplify")
_LATEX_REL = {"=": "=", "<=": r"\le", "<": "<", ">=": r"\ge", ">": ">"}


@dataclass(frozen=True)
class Step:
    """One display a student might write, what it must get, and where it comes from."""

    latex: str  # the relation, without the $$ around it
    expect: str  # "verified" or "refuted"
    source: str  # "pairs.toml: <family>" or "generated"
    assume: str | None = None


def step_latex(expr) -> str:
    """SymPy's LaTeX of ``expr``, with an integer power of a function written ``(f(x))^n``:
    SymPy prints ``log(x)**2`` as ``\\log{\\left(x \\right)}^{2}``, which both parsers read
    as ``log(x^2)``, a different claim."""
    import sympy as sp
    from sympy.printing.latex import LatexPrinter

    class _Printer(LatexPrinter):
        def _print_Pow(self, power):
            base, exponent = power.as_base_exp()
            if isinstance(base, sp.Function) and exponent.is_Integer and exponent > 1:
                return r"\left(%s\right)^{%s}" % (self._print(base), self._print(exponent))
            return super()._print_Pow(power)

    return _Printer().doprint(expr)


def load_steps(generated: int = GENERATED) -> list[Step]:
    """The pair set as LaTeX displays, then ``generated`` steps of the 1 000-step file."""
    from ..parsing.statement import parse_statement
    from ..soundness.pairs import load_pairs

    steps = []
    for pair in load_pairs():
        parsed = parse_statement(pair.statement)
        latex = f"{step_latex(parsed.lhs)} {_LATEX_REL[parsed.rel]} {step_latex(parsed.rhs)}"
        steps.append(Step(latex, pair.expect, f"pairs.toml: {pair.family}", pair.assume))
    displays = long_file(generated).split("\n\n")
    for n, display in enumerate(d.strip() for d in displays if d.strip()):
        expect = "verified" if n % 10 else "refuted"
        steps.append(Step(display.strip("$"), expect, "generated"))
    return steps


# --- the three methods ------------------------------------------------------------------------


def _claim(difference) -> str:
    import sympy as sp

    return EQUAL if sp.simplify(difference) == 0 else NOT_SHOWN


def sympy_claim(latex: str) -> str:
    """b): proofsheet's LaTeX parser, notation unfolded, ``simplify(lhs - rhs) == 0``."""
    from ..kernel.notation import unfold
    from ..parsing.latex import parse_math

    chains = parse_math(latex)
    if len(chains) != 1 or chains[0].rels != ("=",):
        return NO_ANSWER
    lhs, rhs = (unfold(term).doit() for term in chains[0].terms)
    return _claim(lhs - rhs)


def latex2sympy_claim(latex: str) -> str:
    """c): latex2sympy2_extended's parser (its defaults), ``simplify(lhs - rhs) == 0``."""
    import sympy as sp
    from latex2sympy2_extended import latex2sympy

    parsed = latex2sympy(latex)
    if not isinstance(parsed, sp.Eq):
        return NO_ANSWER
    return _claim(parsed.lhs - parsed.rhs)


def latex2sympy_installed() -> bool:
    try:
        import latex2sympy2_extended  # noqa: F401 - only whether it is there
    except ImportError:
        return False
    return True


def warm_parsers() -> None:
    """Each parser's one-time set-up (imports, grammar tables) done here, before the forks:
    a grader would pay it once, not a step."""
    sympy_claim("x = x")
    if latex2sympy_installed():
        latex2sympy_claim("x = x")


def run_baseline(tool: str, claim: Callable, steps: list[Step], seconds: float) -> ToolRun:
    """``claim(latex)`` each step in a forked child under ``seconds``; a failure is no answer."""
    from ..search.timelimit import run_with_limit

    run = ToolRun(tool)
    begin = time.perf_counter()
    for step in steps:
        start = time.perf_counter()
        try:
            answer = run_with_limit(claim, (step.latex,), seconds)
        except Exception:  # noqa: BLE001 - a timeout, a crash or an unreadable side
            answer = NO_ANSWER
        run.seconds.append(time.perf_counter() - start)
        run.answers.append(answer)
    run.total = time.perf_counter() - begin
    return run


def run_check(steps: list[Step], seconds: float) -> ToolRun:
    """a): ``check`` of each step as a one-display file, in this process."""
    from ..check.checker import check_text

    check_text("$$x = x$$")  # the grammars' set-up, paid once as for the baselines
    run = ToolRun(TOOLS[0])
    begin = time.perf_counter()
    for step in steps:
        start = time.perf_counter()
        given = [step.assume] if step.assume else ()
        report = check_text(f"$${step.latex}$$", assumptions=given, seconds=seconds)
        statuses = [s.status for s in report.steps]
        run.seconds.append(time.perf_counter() - start)
        run.answers.append(statuses[0] if statuses in (["verified"], ["refuted"]) else NO_ANSWER)
    run.total = time.perf_counter() - begin
    return run


# --- the comparison ---------------------------------------------------------------------------


def as_verdict(answer: str) -> str:
    """A baseline's "equal" is its claim that the step is right ("not shown" claims nothing);
    ``check``'s verdicts are already verdicts."""
    if answer == EQUAL:
        return "verified"
    return answer if answer in ("verified", "refuted") else NO_ANSWER


def scored(run: ToolRun) -> ToolRun:
    """``run`` with its answers read as verdicts (for :meth:`ToolRun.score`)."""
    return ToolRun(run.tool, [as_verdict(a) for a in run.answers], run.seconds, run.total)


def compare(steps: list[Step] | None = None, seconds: float = LIMIT_SECONDS) -> dict:
    """The three methods on every step: scores, disagreements, each step's answers."""
    steps = load_steps() if steps is None else steps
    warm_parsers()
    runs = [run_baseline(TOOLS[1], sympy_claim, steps, seconds)]
    if latex2sympy_installed():
        runs.append(run_baseline(TOOLS[2], latex2sympy_claim, steps, seconds))
    runs.insert(0, run_check(steps, seconds))
    answers = [
        {
            "latex": s.latex,
            "assume": s.assume,
            "expect": s.expect,
            "source": s.source,
            **{run.tool: run.answers[i] for run in runs},
        }
        for i, s in enumerate(steps)
    ]
    verdicts = [[as_verdict(run.answers[i]) for run in runs] for i in range(len(steps))]
    differ = [a for a, v in zip(answers, verdicts) if len(set(v)) > 1]
    conflict = [a for a, v in zip(answers, verdicts) if {"verified", "refuted"} <= set(v)]
    return {
        "steps": len(steps),
        "true_steps": sum(s.expect == "verified" for s in steps),
        "seconds_limit": seconds,
        "latex2sympy_installed": len(runs) == 3,
        "tools": {run.tool: scored(run).score(steps) for run in runs},
        "differ": len(differ),
        "conflict": len(conflict),
        "answers": answers,
    }


def table(result: dict) -> str:
    """The Markdown table of the scores (milliseconds per step), and the disagreements."""
    caption = f"{result['steps']} steps ({result['true_steps']} true)"
    rows = score_rows(caption, result["tools"], "step", milliseconds=True)
    if not result["latex2sympy_installed"]:
        rows.append("\n(latex2sympy2_extended is not installed: `pip install -e '.[bench]'`.)")
    rows.append(
        f"\nThe methods' verdicts differ on {result['differ']} steps; "
        f"one claims right where another shows wrong on {result['conflict']}."
    )
    return "\n".join(rows)


def _interest(answer: dict, tools: list[str]) -> int:
    """0: one method claims right what another shows wrong; 1: a baseline claims what
    ``check`` leaves open; 2: the baselines differ; 3: ``check`` answers, they do not."""
    verdicts = [as_verdict(answer[t]) for t in tools]
    if {"verified", "refuted"} <= set(verdicts):
        return 0
    if verdicts[0] == NO_ANSWER and set(verdicts[1:]) != {NO_ANSWER}:
        return 1
    return 2 if len(set(verdicts[1:])) > 1 else 3


def examples(result: dict, count: int = 6) -> list[str]:
    """A few steps the methods disagree on, the most telling first, one per source where the
    disagreements allow, as ``latex (expect …): tool answer, …``."""
    tools = list(result["tools"])
    differ = [a for a in result["answers"] if len({as_verdict(a[t]) for t in tools}) > 1]
    ranked = sorted(differ, key=lambda a: _interest(a, tools))
    chosen, sources = [], set()
    for answer in ranked:  # one per source first, then the rest in order
        if len(chosen) < count and answer["source"] not in sources:
            chosen.append(answer)
            sources.add(answer["source"])
    chosen += [a for a in ranked if a not in chosen][: count - len(chosen)]
    chosen.sort(key=lambda a: _interest(a, tools))
    return [
        f"  {a['latex']} (expect {a['expect']}): " + ", ".join(f"{t} {a[t]}" for t in tools)
        for a in chosen
    ]


def main(out: Path = ROOT / "build") -> int:
    """Compare, write ``build/bench-steps.json``, print the table; 1 if ``check`` was wrong."""
    result = compare()
    out.mkdir(exist_ok=True)
    (out / "bench-steps.json").write_text(
        json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    print(table(result))
    print("\n".join(examples(result)))
    return 1 if result["tools"][TOOLS[0]]["wrong"] else 0


if __name__ == "__main__":
    sys.exit(main())
