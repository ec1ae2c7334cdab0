"""Compile the LaTeX sheets to PDF with latexmk and xelatex, and read what the log says.

A LaTeX error is a :class:`PdfError` carrying only the relevant lines of the
log (each ``!`` error line through its ``l.NN`` context), not the whole log.

>>> log = "noise\\n! Undefined control sequence.\\nl.12 \\\\foo\\n          bar\\nmore noise\\n"
>>> print(log_excerpt(log))
! Undefined control sequence.
l.12 \\foo
          bar
>>> overfull_boxes("Overfull \\\\hbox (12.5pt too wide) in paragraph at lines 3--4")
[12.5]
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..kernel.errors import ProofsheetError

#: What to install when latexmk or xelatex is missing (Debian package names).
INSTALL_HINT = (
    "apt-get install texlive-xetex texlive-lang-chinese texlive-latex-recommended "
    "texlive-fonts-recommended latexmk"
)
#: ``-no-shell-escape``: no ``\\write18`` runs a program, whatever the sheet holds.
COMMAND = ["latexmk", "-xelatex", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error"]
#: kpathsea settings for every run: TeX may read and write only below the sheet's folder
#: (``p``, paranoid: no absolute paths, no ``..``, no dot files), and never run a shell.
TEX_ENV = {"openin_any": "p", "openout_any": "p", "shell_escape": "f", "max_print_line": "1000"}
AUX_DIR = "latex"  #: where latexmk keeps .aux, .log, .xdv … beside the sheets


class PdfError(ProofsheetError):
    """LaTeX failed on a sheet; the message holds the relevant lines of the log."""


def tex_available() -> bool:
    """True when both latexmk and xelatex are on the PATH."""
    return shutil.which("latexmk") is not None and shutil.which("xelatex") is not None


def log_excerpt(log: str, limit: int = 12) -> str:
    """The ``!`` error lines of a TeX log, each with the lines up to its ``l.NN`` context."""
    lines = log.splitlines()
    picked: list[str] = []
    for i, line in enumerate(lines):
        if not line.startswith("!"):
            continue
        picked.append(line)
        for follow in lines[i + 1 : i + limit]:
            if follow.startswith("!"):
                break
            picked.append(follow)
            if re.match(r"l\.\d+", follow):
                index = lines.index(follow, i + 1)
                if index + 1 < len(lines) and lines[index + 1].strip():
                    picked.append(lines[index + 1])
                break
    return "\n".join(picked) if picked else "\n".join(lines[-limit:])


def overfull_boxes(log: str) -> list[float]:
    """How many points each overfull box of the log is too wide (or too high)."""
    return [float(m) for m in re.findall(r"Overfull \\[hv]box \(([\d.]+)pt too", log)]


def missing_characters(log: str) -> list[str]:
    """The ``Missing character`` lines of the log: glyphs no font used had."""
    return [line for line in log.splitlines() if line.startswith("Missing character")]


def log_path(tex: Path) -> Path:
    return tex.parent / AUX_DIR / f"{tex.stem}.log"


def compile_pdf(tex: Path, timeout: float = 600) -> Path:
    """``latexmk -xelatex`` on ``tex`` (run in its folder); returns the PDF beside it."""
    workdir = tex.resolve().parent
    env = {**os.environ, **TEX_ENV}  # max_print_line: whole log lines, for the excerpt and checks
    try:
        result = subprocess.run(
            [*COMMAND, f"-outdir={AUX_DIR}", tex.name],
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        raise PdfError(f"{tex.name}: LaTeX took longer than {timeout:.0f} s") from exc
    log = log_path(workdir / tex.name)
    built = workdir / AUX_DIR / f"{tex.stem}.pdf"
    if result.returncode != 0 or not built.exists():
        text = (
            log.read_text(encoding="utf-8", errors="replace")
            if log.exists()
            else result.stdout + result.stderr
        )
        raise PdfError(f"{tex.name}: LaTeX failed (full log: {log})\n{log_excerpt(text)}")
    target = workdir / f"{tex.stem}.pdf"
    shutil.copyfile(built, target)
    return target


def compile_all(texs: list[Path]) -> list[Path]:
    """Compile the sheets side by side; the first failure is raised after all have finished."""
    with ThreadPoolExecutor(max_workers=max(1, min(len(texs), os.cpu_count() or 1))) as pool:
        futures = [pool.submit(compile_pdf, tex) for tex in texs]
        errors = [f.exception() for f in futures if f.exception() is not None]
        if errors:
            raise PdfError("\n".join(str(e) for e in errors))
        return [f.result() for f in futures]


def log_problems(tex: Path, tolerance_pt: float = 5.0) -> list[str]:
    """Warnings a reader would see on the page: wide overfull boxes and missing glyphs."""
    text = log_path(tex).read_text(encoding="utf-8", errors="replace")
    wide = [pt for pt in overfull_boxes(text) if pt > tolerance_pt]
    problems = [f"{tex.name}: overfull box {pt}pt too wide" for pt in wide]
    return problems + [f"{tex.name}: {line}" for line in missing_characters(text)]
