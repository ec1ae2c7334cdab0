"""Is the build up to date? A stamp of everything ``make proofs`` reads and writes.

The inputs are every source file of the checker and of the derivations (code, grammars,
templates, word lists), the project file, the versions of Python and of the libraries
that compute or draw, and the build's options; their SHA-256 is the *input digest*. A
successful build writes ``build-stamp.json`` with that digest and the SHA-256 of each file
it wrote. A later build whose input digest matches and whose every output is still there,
byte for byte, has nothing to do: it confirms the stamp instead of proving and rendering
again. Anything else (a changed file, a new library version, an output edited or removed,
a failed build, which writes no stamp) rebuilds.

>>> digest = input_digest({"pdfs": False})
>>> len(digest), digest == input_digest({"pdfs": False}), digest == input_digest({"pdfs": True})
(64, True, False)
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import platform
import sys
from importlib import metadata
from pathlib import Path

import proofsheet

STAMP = "build-stamp.json"
#: the packages whose behaviour the build's output depends on
LIBRARIES = ("sympy", "mpmath", "jinja2", "lark", "matplotlib", "numpy")
#: what is source in the packages: code, grammars, templates, word lists
SOURCE_SUFFIXES = (".py", ".lark", ".j2", ".txt", ".toml")


def source_roots() -> tuple[Path, ...]:
    """The checker's package and the derivations' (found, not imported: they prove things)."""
    spec = importlib.util.find_spec("derivations")
    return Path(proofsheet.__file__).parent, Path(spec.origin).parent


def _sources(roots: tuple[Path, ...]) -> list[Path]:
    files = [
        path
        for root in roots
        for path in root.rglob("*")
        if path.is_file() and path.suffix in SOURCE_SUFFIXES and "__pycache__" not in path.parts
    ]
    project = roots[0].parent / "pyproject.toml"
    return sorted(files) + ([project] if project.is_file() else [])


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def input_digest(options: dict, roots: tuple[Path, ...] | None = None) -> str:
    """SHA-256 of the sources under ``roots`` (path and bytes), the versions and ``options``."""
    roots = roots or source_roots()
    h = hashlib.sha256()
    versions = {"python": platform.python_version(), **{n: _version(n) for n in LIBRARIES}}
    h.update(json.dumps({"versions": versions, "options": options}, sort_keys=True).encode())
    for path in _sources(roots):
        rel = next((path.relative_to(r.parent) for r in roots if r.parent in path.parents), path)
        h.update(str(rel).encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_stamp(out: Path, digest: str, outputs: list[Path]) -> None:
    """Record the input digest and the hash of every output, as paths under ``out``."""
    root = out.resolve()  # the PDFs come back as absolute paths, the sheets relative to out
    files = {
        str(p.resolve().relative_to(root)): _file_digest(p)
        for p in sorted({p.resolve() for p in outputs})
    }
    (out / STAMP).write_text(json.dumps({"inputs": digest, "outputs": files}, indent=1))


def up_to_date(out: Path, digest: str) -> int | None:
    """How many outputs the stamp confirms, or None when the build must run."""
    try:
        stamp = json.loads((out / STAMP).read_text())
        if stamp["inputs"] != digest or not stamp["outputs"]:
            return None
        root = out.resolve()
        for name, expected in stamp["outputs"].items():
            path = (out / name).resolve()
            if root not in path.parents or _file_digest(path) != expected:
                return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return len(stamp["outputs"])


def build_options(pdfs: bool) -> dict:
    """What a build's output depends on besides its sources: PDFs made or not, the date."""
    from .pdf import tex_available

    return {"pdfs": pdfs and tex_available(), "date": os.environ.get("SOURCE_DATE_EPOCH")}


def confirmed(out: Path, digest: str) -> bool:
    """Whether the build in ``out`` is that of the inputs ``digest`` (it says so in one line)."""
    count = up_to_date(out, digest)
    if count:
        print(
            f"up to date: the inputs are unchanged and the {count} files in {out} are those "
            "the last build wrote (--force rebuilds)"
        )
    return bool(count)


def main(argv: list[str] | None = None) -> int:
    """``python -m proofsheet.sheet.stamp [build options]``: 0 when the build is up to date,
    1 when ``make proofs`` must run it (``--force`` always 1)."""
    parser = argparse.ArgumentParser(prog="proofsheet-stamp", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("build"))
    parser.add_argument("--no-pdf", action="store_true")
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    if args.force:
        return 1
    return 0 if confirmed(args.out, input_digest(build_options(not args.no_pdf))) else 1


if __name__ == "__main__":
    sys.exit(main())
