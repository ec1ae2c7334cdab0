"""`make proofs`: check every derivation, log and replay the proofs, render the sheets.

Exit status 0 if and only if every step is verified and the replay agrees.

    python -m proofsheet.sheet.build [--out build]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from .. import __version__
from ..kernel.errors import ProofsheetError
from ..record.prooflog import proof_log
from ..record.verdicts import VERIFIED, point_text, verdict_json
from ..search.timelimit import Child
from . import pdf, stamp
from .derivation import LANGUAGES, Derivation, Figure
from .render import ANSWERS, PROOFS, SheetConfig, SheetRenderer, figure_folder


def build_report(derivations: list[Derivation], seconds: float) -> dict:
    steps = [s for d in derivations for s in d.steps]
    statuses = Counter(s.verdict.status for s in steps)
    return {
        "derivations": [
            {
                "id": d.id,
                "question": d.question,
                "title": d.title.en,
                "steps": [verdict_json(s.verdict) for s in d.steps],
                "unproved_conclusions": d.failed_conclusions,
            }
            for d in derivations
        ],
        "summary": {
            "steps": len(steps),
            "verified": statuses[VERIFIED],
            "refuted": statuses["refuted"],
            "undecided": statuses["undecided"],
            "seconds": round(seconds, 2),
        },
    }


def all_theorems(derivations: list[Derivation]):
    """Named conclusions and every verified step, for the proof log."""
    for d in derivations:
        for name, theorem in d.conclusions:
            yield f"{d.id}: {name}", theorem
        for i, step in enumerate(d.steps):
            if step.verdict.theorem is not None:
                yield f"{d.id}: step {i + 1}", step.verdict.theorem


def failures(derivations: list[Derivation]) -> list[str]:
    """One line per step or conclusion that is not verified."""
    lines = []
    for d in derivations:
        for i, step in enumerate(d.steps, 1):
            v = step.verdict
            if v.ok:
                continue
            line = f"{d.id}: step {i} {v.status}: {v.prop.lhs} {v.prop.rel} {v.prop.rhs}"
            if v.refutation is not None:
                line += (
                    f" — counterexample {point_text(v.refutation)}: "
                    f"lhs = {v.refutation.lhs_value}, rhs = {v.refutation.rhs_value}"
                )
            elif v.reason:
                line += f" — {v.reason}"
            lines.append(line)
        lines.extend(f"{d.id}: conclusion not proved: {name}" for name in d.failed_conclusions)
        lines.extend(
            f"{d.id}: a mistake of the sample answer is not refuted: "
            f"{m.verdict.prop.lhs} {m.verdict.prop.rel} {m.verdict.prop.rhs} ({m.verdict.status})"
            for m in d.unrefuted_mistakes
        )
    return lines


def rule_counts(derivations: list[Derivation]) -> list[tuple[str, int]]:
    return sorted(
        Counter(s.verdict.rule for d in derivations for s in d.steps if s.verdict.ok).items()
    )


def render_sheets(derivations: list[Derivation], report: dict, out: Path, date: str) -> list[Path]:
    summary = {**report["summary"], "rules": rule_counts(derivations)}
    written = []
    for document in (ANSWERS, PROOFS):
        for language in LANGUAGES:
            config = SheetConfig(language=language, date=date, version=__version__)
            renderer = SheetRenderer(config, document)
            for fmt in ("md", "tex"):
                path = out / f"{document}.{language}.{fmt}"
                path.write_text(renderer.render(derivations, fmt, summary), encoding="utf-8")
                written.append(path)
    return written


def figure_names(derivations: list[Derivation]) -> list[str]:
    """Every figure some derivation shows."""
    return sorted({b.name for d in derivations for b in d.blocks if isinstance(b, Figure)})


def build_date() -> str:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date().isoformat()
    return datetime.date.today().isoformat()


def write_pdfs(sheets: list[Path]) -> list[Path]:
    """Compile the .tex sheets when TeX is installed; else say in one line how to install it."""
    texs = [p for p in sheets if p.suffix == ".tex"]
    if not pdf.tex_available():
        print(
            f"no PDF: latexmk or xelatex is not on the PATH; install them with: {pdf.INSTALL_HINT}"
        )
        return []
    start = time.perf_counter()
    pdfs = pdf.compile_all(texs)
    for problem in (p for tex in texs for p in pdf.log_problems(tex)):
        print(f"warning: {problem}", file=sys.stderr)
    print(f"compiled {len(pdfs)} PDFs in {time.perf_counter() - start:.1f} s")
    return pdfs


def start_replay(path: Path) -> subprocess.Popen:
    """Replay in a fresh interpreter that never imports the tactics (it runs while the
    figures and sheets are made: :func:`replay_ok` waits for it)."""
    return subprocess.Popen(
        [sys.executable, "-m", "proofsheet.record.replay", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def replay_ok(replay: subprocess.Popen) -> bool:
    output, _ = replay.communicate()
    print(output.strip())
    return replay.returncode == 0


def _progress_bar(done: int, total: int, width: int = 24) -> str:
    filled = width * done // max(total, 1)
    return "[" + "#" * filled + "." * (width - filled) + f"] {done}/{total}"


def prove_each(derivations, total: int, stream=sys.stdout) -> list[Derivation]:
    """Prove the derivations one by one, a line for each as it finishes (a bar on a terminal)."""
    done: list[Derivation] = []
    tty = stream.isatty()
    if tty and total:
        print(_progress_bar(0, total), end="", file=stream, flush=True)
    clock = time.perf_counter()
    for d in derivations:
        seconds, clock = time.perf_counter() - clock, time.perf_counter()
        done.append(d)
        line = f"proved {d.id:28} {len(d.steps):4} steps {seconds:6.2f} s"
        print(("\r\033[K" if tty else "") + line, file=stream, flush=True)
        if tty and len(done) < total:
            print(_progress_bar(len(done), total), end="", file=stream, flush=True)
    return done


FIGURE_SECONDS = 300  #: the most the figures may take to draw


def draw_figures(names, out: Path) -> list[Path]:
    """Every figure the derivations show, in each language's folder."""
    from .figures import write_figures  # matplotlib: only when something is drawn

    return [
        path
        for language in LANGUAGES
        for path in write_figures(names, out / "figures" / figure_folder(language), language)
    ]


def run(out: Path, load=None, pdfs: bool = True, force: bool = False) -> int:
    """Check, log, replay and render; 0 iff every step is verified and the sheets were made.

    The project's own build (``load`` None) is skipped when its stamp shows that nothing it
    reads has changed and every file it wrote is intact (:mod:`.stamp`), unless ``force``."""
    wall = time.perf_counter()
    digest = stamp.input_digest(stamp.build_options(pdfs)) if load is None else None
    if digest and not force and stamp.confirmed(out, digest):
        return 0
    (out / stamp.STAMP).unlink(missing_ok=True)
    if load is None:
        from derivations import ORDER, derive_each

        items, total = derive_each(), len(ORDER)
    else:
        items = load()
        total = len(items)
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    derivations = prove_each(items, total)
    report = build_report(derivations, time.perf_counter() - start)
    (out / "report.json").write_text(
        json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    log_path = out / "proofs.json"
    log_path.write_text(json.dumps(proof_log(all_theorems(derivations))), encoding="utf-8")
    replay = start_replay(log_path)
    problems = failures(derivations)
    written: list[Path] = []
    try:
        # the figures are drawn in a child while this process renders the sheets
        with Child(draw_figures, (figure_names(derivations), out), FIGURE_SECONDS) as drawing:
            sheets = render_sheets(derivations, report, out, build_date())
            if not drawing.wait(FIGURE_SECONDS):
                raise ProofsheetError(f"the figures took longer than {FIGURE_SECONDS} s")
            try:
                written = [*drawing.result(), *sheets]
            except RuntimeError as error:
                raise ProofsheetError(f"the figures could not be drawn: {error}") from None
        for path in written:
            print(f"wrote {path}")
        if pdfs:
            compiled = write_pdfs(written)
            for path in compiled:
                print(f"wrote {path}")
            written += compiled
    except ProofsheetError as error:
        problems.append(str(error))
    finally:
        replayed = replay_ok(replay)
    s = report["summary"]
    print(
        f"{s['verified']} of {s['steps']} steps verified ({s['refuted']} refuted, "
        f"{s['undecided']} undecided); proving took {s['seconds']} s, "
        f"make proofs {time.perf_counter() - wall:.1f} s in all"
    )
    for line in problems:
        print(f"FAILED {line}", file=sys.stderr)
    if problems or not replayed:
        return 1
    if digest:
        stamp.write_stamp(out, digest, [out / "report.json", log_path, *written])
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="proofsheet-build", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("build"))
    parser.add_argument("--no-pdf", action="store_true", help="write .tex and .md only")
    parser.add_argument("--force", action="store_true", help="rebuild even when up to date")
    args = parser.parse_args(argv)
    return run(args.out, pdfs=not args.no_pdf, force=args.force)


if __name__ == "__main__":
    sys.exit(main())
