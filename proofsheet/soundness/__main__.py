"""``python -m proofsheet.soundness``: run the whole campaign and print its figures.

Every statement (the true corpus, the project's steps, their mutants) goes
through the real ``proofsheet prove --json`` code path in a pool of worker
processes; the oracle decides its truth and judges every counterexample. Then
the hostile-input table and the forgeries. The figures go to
``build/soundness.json``; the exit status is 1 when any false statement is
verified, any true one refuted, any counterexample wrong, any hostile case or
forgery not stopped. The coverage ratios are printed, not enforced.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import multiprocessing
import signal
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from . import oracle
from .corpus import Entry, corpus, project_steps
from .forgeries import FORGERIES
from .hostile import HOSTILE, run_cases
from .mutate import mutants

STATUSES = ("verified", "refuted", "undecided", "bad input")
GOAL_REFUTED, GOAL_VERIFIED = 0.98, 0.80
ORACLE_SECONDS = 60
VERIFIED_EFFORT = 6  #: the oracle samples this many times more points when proofsheet verifies


class _Hung(Exception):
    pass


def _alarm(signum, frame):
    raise _Hung


def prove(text: str, assume: tuple[str, ...], seconds: float) -> dict[str, Any]:
    """``proofsheet prove --json`` in this process: the verdict's JSON, or the bad-input line."""
    from proofsheet.cli import main

    argv = ["prove", "--json", "--seconds", str(seconds)]
    argv += [f"--assume={a}" for a in assume] + ["--", text]
    out, err = io.StringIO(), io.StringIO()
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(int(4 * seconds) + 20)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    except _Hung:
        return {"status": "undecided", "reason": "hung past the time limit"}
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code
    except BaseException as exc:  # noqa: BLE001 - a crash is a finding, not the end of the run
        return {"status": "bad input", "reason": f"crash: {type(exc).__name__}: {exc}"}
    finally:
        signal.alarm(0)
    if code == 2:
        return {"status": "bad input", "reason": err.getvalue().strip()[:300]}
    try:
        return json.loads(out.getvalue())
    except ValueError:  # no verdict printed: the command failed, and said why on stderr
        return {"status": "bad input", "reason": f"crash: {err.getvalue().strip()[:300]}"}


def run_one(task: tuple[int, dict, float]) -> tuple[int, dict]:
    """One statement: proofsheet's verdict, the oracle's truth, the counterexample's check."""
    index, item, seconds = task
    start = time.perf_counter()
    verdict = prove(item["text"], tuple(item["assume"]), seconds)
    judged = _judge(item["text"], tuple(item["assume"]))
    if verdict["status"] == "verified" and judged.truth == "true":  # look harder for a lie
        judged = _judge(item["text"], tuple(item["assume"]), VERIFIED_EFFORT)
    record = dict(
        item,
        status=verdict["status"],
        reason=verdict.get("reason", ""),
        truth=judged.truth,
        witness=_point(judged.witness),
        notes=judged.notes,
    )
    cx = verdict.get("counterexample")
    if verdict["status"] == "refuted":
        record["counterexample"] = cx
        st = oracle.read(item["text"], tuple(item["assume"]))
        record["cx_check"] = (
            oracle.check_counterexample(st, (cx or {}).get("point", {}))
            if cx
            else "no counterexample given"
        )
        if record["cx_check"] == "ok" and judged.truth != "false":
            record["truth"], record["oracle_missed"] = "false", True
    record["seconds"] = round(time.perf_counter() - start, 2)
    return index, record


def _judge(text: str, assume: tuple[str, ...], effort: int = 1) -> oracle.Judgement:
    """The oracle's judgement, or ``unknown`` if it takes longer than a minute."""
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(ORACLE_SECONDS)
    try:
        return oracle.judge(text, assume, effort)
    except _Hung:
        return oracle.Judgement("unknown", notes=["the oracle timed out"])
    finally:
        signal.alarm(0)


def _point(env) -> dict[str, str] | None:
    return None if env is None else {k: str(v) for k, v in env.items()}


def items(per_statement: int, limit: int | None = None, every: int = 1) -> list[dict]:
    """The campaign's statements: each true source, then its mutants; no repeats."""
    sources: list[Entry] = corpus() + project_steps()
    out: list[dict] = []
    seen: set = set()

    def add(text: str, assume: tuple[str, ...], source: str, operator: str, parent: str) -> None:
        key = (text, assume)
        if key not in seen:
            seen.add(key)
            out.append(
                {
                    "text": text,
                    "assume": list(assume),
                    "source": source,
                    "operator": operator,
                    "parent": parent,
                }
            )

    for e in sources:
        add(e.text, e.assume, e.source, "", "")
    for e in sources:
        for m in mutants(e.text, e.assume, per_statement):
            add(m.text, m.assume, f"mutant of {e.source}", m.operator, e.text)
    out = out[::every]
    return out[:limit] if limit else out


def run_campaign(todo: list[dict], seconds: float, workers: int) -> list[dict]:
    """Every statement's record, in order; a statement that kills its worker is a crash."""
    tasks = [(i, item, seconds) for i, item in enumerate(todo)]
    results: dict[int, dict] = {}
    if workers <= 1:
        results.update(run_one(t) for t in tasks)
    while len(results) < len(tasks):
        pending = [t for t in tasks if t[0] not in results]
        try:
            _pool_run(pending, workers, results)
        except BrokenProcessPool:  # find the killer: rerun the next few alone
            for t in [t for t in tasks if t[0] not in results][: 2 * workers]:
                try:
                    _pool_run([t], 1, results)
                except BrokenProcessPool:
                    results[t[0]] = dict(
                        t[1],
                        status="bad input",
                        truth="unknown",
                        reason="crash: the worker process died",
                    )
    return [results[i] for i in range(len(tasks))]


def _pool_run(tasks: list, workers: int, results: dict[int, dict]) -> None:
    # not a multiprocessing.Pool: its daemonic workers may not fork, and the time limit forks
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        for i, r in pool.map(run_one, tasks, chunksize=2):
            results[i] = r


# --- the hostile table and the forgeries ---------------------------------------------------


def hostile_figures() -> dict:
    """Every hostile input (:mod:`.hostile`), a few at a time; a crash is a failed case."""
    try:
        results = run_cases(HOSTILE)
    except Exception as exc:  # noqa: BLE001 - the harness itself failed: every case counts as failed
        results = []
        failed = [f"the hostile harness failed: {type(exc).__name__}: {exc}"]
    else:
        failed = [f"{r.name}: {r.detail}"[:300] for r in results if not r.passed]
    return {
        "available": True,
        "total": len(HOSTILE),
        "passed": len(results) - len(failed),
        "failed": failed,
    }


def forgery_figures() -> dict:
    """Every forgery attempt (:mod:`.forgeries`); one that is not stopped is a failure."""
    failed = []
    for forgery in FORGERIES:
        try:
            stopped = forgery.attempt()
        except Exception as exc:  # noqa: BLE001 - attempt() catches what stops it; else a failure
            stopped = f"{type(exc).__name__}: {exc}"
        if stopped is not True:
            failed.append(f"{forgery.name}: {stopped}"[:300])
    return {
        "available": True,
        "total": len(FORGERIES),
        "stopped": len(FORGERIES) - len(failed),
        "failed": failed,
    }


# --- the figures -------------------------------------------------------------------------


def figures(results: list[dict]) -> dict:
    table = {truth: {s: 0 for s in STATUSES} for truth in ("false", "true", "unknown", "undefined")}
    for r in results:
        table[r["truth"]][r["status"]] += 1
    refuted = [r for r in results if r["status"] == "refuted"]
    wrong = [r for r in refuted if r.get("cx_check") != "ok"]
    n_false, n_true = sum(table["false"].values()), sum(table["true"].values())
    return {
        "statements": len(results),
        "by_source": _count(results, "source"),
        "table": table,
        "counterexamples": len(refuted),
        "wrong_counterexamples": len(wrong),
        "false_refuted_ratio": len(
            [r for r in refuted if r["truth"] == "false" and r.get("cx_check") == "ok"]
        )
        / n_false
        if n_false
        else 0.0,
        "true_verified_ratio": table["true"]["verified"] / n_true if n_true else 0.0,
        "false_verified": _brief(
            [r for r in results if r["truth"] == "false" and r["status"] == "verified"]
        ),
        "true_refuted": _brief(
            [r for r in results if r["truth"] == "true" and r["status"] == "refuted"]
        ),
        "wrong": _brief(wrong),
        "oracle_missed": _brief([r for r in results if r.get("oracle_missed")]),
        "bad_input": _brief([r for r in results if r["status"] == "bad input"]),
        "crashes": _brief([r for r in results if r.get("reason", "").startswith("crash")]),
    }


def _count(results: list[dict], key: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in results:
        out[r[key]] = out.get(r[key], 0) + 1
    return out


def _brief(rows: list[dict]) -> list[dict]:
    keep = (
        "text",
        "assume",
        "source",
        "operator",
        "status",
        "truth",
        "witness",
        "counterexample",
        "cx_check",
        "reason",
    )
    return [{k: r[k] for k in keep if r.get(k) not in (None, "", [])} for r in rows]


def render(f: dict, hostile: dict, forgeries: dict, seconds: float, elapsed: float) -> str:
    src = ", ".join(f"{n} {k}" for k, n in sorted(f["by_source"].items()))
    lines = [
        f"soundness campaign: {f['statements']} statements ({src}); "
        f"{seconds:g} s each; {elapsed:.0f} s in all",
        f"{'oracle says':<12}" + "".join(f"{s:>11}" for s in STATUSES) + f"{'total':>8}",
    ]
    for truth, row in f["table"].items():
        lines.append(
            f"{truth:<12}" + "".join(f"{row[s]:>11}" for s in STATUSES) + f"{sum(row.values()):>8}"
        )
    lines += [
        f"wrong counterexamples: {f['wrong_counterexamples']} of {f['counterexamples']}",
        f"crashes (a traceback or a dead worker): {len(f['crashes'])}",
        f"false statements verified: {len(f['false_verified'])}; "
        f"true statements refuted: {len(f['true_refuted'])}",
        f"false refuted with a counterexample: {100 * f['false_refuted_ratio']:.1f} % "
        f"(goal >= {100 * GOAL_REFUTED:.0f} %)",
        f"true verified: {100 * f['true_verified_ratio']:.1f} % "
        f"(goal >= {100 * GOAL_VERIFIED:.0f} %)",
        "hostile cases: "
        + (
            f"{hostile['passed']} of {hostile['total']} passed"
            if hostile["available"]
            else "not available"
        ),
        "forgeries: "
        + (
            f"{forgeries['stopped']} of {forgeries['total']} stopped"
            if forgeries["available"]
            else "not available"
        ),
    ]
    for title, key in (
        ("FALSE VERIFIED", "false_verified"),
        ("TRUE REFUTED", "true_refuted"),
        ("WRONG COUNTEREXAMPLE", "wrong"),
    ):
        for r in f[key][:20]:
            lines.append(
                f"  {title}: {r['text']}"
                + (f"  | {', '.join(r['assume'])}" if r.get("assume") else "")
                + (
                    f"  at {r['counterexample']['point']} ({r.get('cx_check')})"
                    if r.get("counterexample")
                    else ""
                )
            )
    for name in ("hostile", "forgeries"):
        for why in (hostile if name == "hostile" else forgeries).get("failed", [])[:20]:
            lines.append(f"  {name.upper()} FAILED: {why}")
    return "\n".join(lines)


def failed(f: dict, hostile: dict, forgeries: dict) -> bool:
    return bool(
        f["false_verified"]
        or f["true_refuted"]
        or f["wrong_counterexamples"]
        or hostile.get("failed")
        or forgeries.get("failed")
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m proofsheet.soundness", description=__doc__)
    ap.add_argument("--seconds", type=float, default=2.0, help="time limit per statement")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--mutants", type=int, default=4, help="mutants per true statement")
    ap.add_argument("--limit", type=int, default=None, help="only the first N statements")
    ap.add_argument("--every", type=int, default=1, help="only every k-th statement")
    ap.add_argument("--out", default="build/soundness.json")
    args = ap.parse_args(argv)
    start = time.perf_counter()
    results = run_campaign(items(args.mutants, args.limit, args.every), args.seconds, args.workers)
    f = figures(results)
    hostile, forgeries = hostile_figures(), forgery_figures()
    elapsed = time.perf_counter() - start
    print(render(f, hostile, forgeries, args.seconds, elapsed))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "figures": f,
                "hostile": hostile,
                "forgeries": forgeries,
                "seconds": args.seconds,
                "elapsed": round(elapsed, 1),
                "results": results,
            },
            indent=1,
            ensure_ascii=False,
        )
    )
    print(f"wrote {out}")
    return 1 if failed(f, hostile, forgeries) else 0


if __name__ == "__main__":
    sys.exit(main())
