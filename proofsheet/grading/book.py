"""The gradebook and the class summary, from the students' results on disk.

``gradebook.csv`` has a row per student: the steps (every formula the student claims: the
relations checked, definitions and assumptions left out), how many were verified, wrong
(refuted by a counterexample), not checked (undecided) and unreadable, the line of the first
wrong step, the score and the status (``graded``; ``unreadable``: the file could not be read
as text; ``stopped``: the check ran out of its limits; ``missing``: no result yet).

**The score** is the verified steps as a percentage of the steps, one decimal, 0 when there
are none: an undecided step earns nothing, as it was not shown right.

``summary.json`` and ``summary.md`` count how many students made each known mistake (the
buggy-rule table of :mod:`proofsheet.check.buggy`, the "likely mistake" of a wrong step) and
which steps were most often wrong; ``summary.svg`` and ``summary.png`` draw both.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import statistics
from collections import Counter
from pathlib import Path

from ..check.buggy import BUGGY_RULES
from .submissions import Submission
from .work import GRADED, result_path

COLUMNS = (
    "student",
    "steps",
    "verified",
    "wrong",
    "not checked",
    "unreadable",
    "first wrong line",
    "score",
    "status",
)
#: the report's statuses behind the gradebook's counts
_COUNTED = {
    "verified": "verified",
    "wrong": "refuted",
    "not checked": "undecided",
    "unreadable": "unreadable",
}
UNEXPLAINED = "no known mistake"
_MISTAKES = {rule.message: rule.name for rule in BUGGY_RULES}
TOP_STEPS = 10


def row(student: str, result: dict | None) -> dict:
    """The student's gradebook row (a missing or unchecked result: no steps, score 0)."""
    counts = dict.fromkeys(_COUNTED, 0)
    report = (result or {}).get("report")
    if report:
        counts = {col: report["summary"].get(status, 0) for col, status in _COUNTED.items()}
    steps = sum(counts.values())
    score = round(100 * counts["verified"] / steps, 1) if steps else 0.0
    first = report.get("first_wrong_line") if report else None
    return {
        "student": student,
        "steps": steps,
        **counts,
        "first wrong line": "" if first is None else first,
        "score": score,
        "status": result["status"] if result else "missing",
    }


def steps_in(out: Path, student: str) -> int:
    """How many steps the student's result has (for the progress line)."""
    try:
        report = json.loads(result_path(out, student).read_text("utf-8"))["report"]
        return len(report["steps"]) if report else 0
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def summary(rows: list[dict], results: dict[str, dict | None]) -> dict:
    """The class at a glance: statuses, scores, known mistakes, steps most often wrong."""
    mistakes: Counter = Counter()
    wrong_steps: Counter = Counter()
    for result in results.values():
        report = (result or {}).get("report") or {"steps": []}
        wrong = [s for s in report["steps"] if s["status"] == "refuted"]
        mistakes.update({_MISTAKES.get(s["mistake"], UNEXPLAINED) for s in wrong})
        wrong_steps.update({" ".join(s["text"].split()) for s in wrong})
    scores = [r["score"] for r in rows if r["status"] == GRADED]
    by_status = {
        status: [r["student"] for r in rows if r["status"] == status]
        for status in ("unreadable", "stopped", "missing")
    }
    names = [rule.name for rule in BUGGY_RULES] + [UNEXPLAINED]
    return {
        "students": len(rows),
        "graded": len(scores),
        **by_status,
        "score": {
            "mean": round(statistics.fmean(scores), 1) if scores else None,
            "median": round(statistics.median(scores), 1) if scores else None,
        },
        "students_with_a_wrong_step": sum(r["wrong"] > 0 for r in rows),
        "mistakes": {name: mistakes[name] for name in names},
        "most_wrong_steps": [
            {"step": text, "students": n}
            for text, n in sorted(wrong_steps.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_STEPS]
        ],
    }


def write(out: Path, subs: list[Submission], results: dict[str, dict | None]) -> None:
    """``gradebook.csv``, ``summary.json``, ``summary.md``, ``summary.svg`` and ``.png``."""
    rows = [row(s.student, results[s.student]) for s in subs]
    table = io.StringIO()
    writer = csv.DictWriter(table, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    _replace(out / "gradebook.csv", table.getvalue())
    data = summary(rows, results)
    _replace(out / "summary.json", json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    _replace(out / "summary.md", _markdown(data))
    _chart(data, out)


def _markdown(data: dict) -> str:
    score = data["score"]
    lines = [
        "# Class summary",
        "",
        f"{data['graded']} of {data['students']} students graded; "
        f"mean score {score['mean']}, median {score['median']} "
        "(verified steps as a percentage of the steps); "
        f"{data['students_with_a_wrong_step']} students have a wrong step.",
        "",
    ]
    for status in ("unreadable", "stopped", "missing"):
        if data[status]:
            lines += [f"**{status}** ({len(data[status])}): {', '.join(data[status])}", ""]
    lines += ["## Known mistakes", "", "| mistake | students |", "|---|---|"]
    lines += [f"| {name} | {n} |" for name, n in data["mistakes"].items()]
    lines += ["", "## Steps most often wrong", "", "| step | students |", "|---|---|"]
    lines += [
        f"| `{s['step'].replace('`', chr(39)).replace('|', '∣')}` | {s['students']} |"
        for s in data["most_wrong_steps"]
    ]
    return "\n".join(lines + ["", "![the mistakes and wrong steps](summary.svg)", ""])


def _chart(data: dict, out: Path) -> None:
    """Two bar charts: students per known mistake, students per step most often wrong."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..sheet.figures import METADATA, STYLE

    logging.getLogger("fontTools").setLevel(logging.ERROR)
    steps = data["most_wrong_steps"][:5]
    with matplotlib.rc_context({**STYLE, "axes.grid": False}):
        fig, (top, bottom) = plt.subplots(2, 1, figsize=(8.5, 6), constrained_layout=True)
        names = list(data["mistakes"])
        top.barh(names, [data["mistakes"][n] for n in names], color="#b03030")
        top.set_title("Students who made each known mistake")
        top.invert_yaxis()
        labels = [_label(s["step"]) for s in steps] or ["(no wrong step)"]
        bottom.barh(labels, [s["students"] for s in steps] or [0], color="#d08020")
        bottom.set_title("Steps most often wrong (students)")
        bottom.invert_yaxis()
        for ax in (top, bottom):
            ax.xaxis.get_major_locator().set_params(integer=True)
        for fmt in ("svg", "png"):
            tmp = out / f".summary.{os.getpid()}.tmp.{fmt}"
            fig.savefig(tmp, format=fmt, metadata=METADATA.get(fmt, {}), bbox_inches="tight")
            os.replace(tmp, out / f"summary.{fmt}")
        plt.close(fig)


def _label(step: str) -> str:
    """A step as a bar's label: shortened, and no ``$`` for matplotlib to read as math."""
    short = step if len(step) <= 36 else step[:35] + "…"
    return short.replace("$", "\\$")


def _replace(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
