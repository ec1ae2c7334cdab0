"""Which files make up the class, and whose each one is.

SUBMISSIONS is a folder (every ``.md`` and ``.tex`` file in it, not in its subfolders) or a
glob pattern. The student id is the file's stem, or the ``student`` column of a roster CSV
(columns ``file,student``; ``file`` is the submission's file name). An id becomes a file name
under the output folder, so it must be a plain name: letters, digits, ``.``, ``_``, ``-``, not
starting with a dot — a roster cannot make ``grade`` write outside ``--out``.
"""

from __future__ import annotations

import csv
import glob
import re
from dataclasses import dataclass
from pathlib import Path

from ..kernel.errors import ProofsheetError

SUFFIXES = (".md", ".tex")
_PLAIN = re.compile(r"[A-Za-z0-9_\-][A-Za-z0-9_.\-]{0,127}")


@dataclass(frozen=True)
class Submission:
    """One student's file."""

    student: str
    path: Path


def find(submissions: str, roster: str | None = None) -> list[Submission]:
    """The class's submissions, sorted by student id (a ProofsheetError on bad usage)."""
    paths = _paths(submissions)
    names = _roster(roster) if roster else {}
    found: dict[str, Path] = {}
    for path in paths:
        student = names.get(path.name, path.stem)
        if not _PLAIN.fullmatch(student):
            raise ProofsheetError(
                f"{path}: the student id {student!r} is not a plain name "
                "(letters, digits, '.', '_', '-')"
            )
        if student in found:
            raise ProofsheetError(f"{path} and {found[student]} are both student {student!r}")
        found[student] = path
    if not found:
        raise ProofsheetError(f"{submissions}: no .md or .tex files")
    return [Submission(s, found[s]) for s in sorted(found)]


def _paths(submissions: str) -> list[Path]:
    folder = Path(submissions)
    if folder.is_dir():
        candidates = list(folder.iterdir())
    elif glob.has_magic(submissions):
        candidates = [Path(p) for p in glob.glob(submissions)]
    elif folder.exists():
        candidates = [folder]
    else:
        raise ProofsheetError(f"{submissions}: no such folder or file")
    return sorted(p for p in candidates if p.suffix in SUFFIXES and not p.is_dir())


def _roster(roster: str) -> dict[str, str]:
    """``file`` name → ``student`` id, from a CSV with those two columns."""
    try:
        with open(roster, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ProofsheetError(f"{roster}: cannot read the roster ({exc})") from None
    if not {"file", "student"} <= set(reader.fieldnames or ()):
        raise ProofsheetError(f"{roster}: a roster needs the columns file,student")
    return {Path(r["file"] or "").name: (r["student"] or "").strip() for r in rows}
