"""Hostile inputs, as a table: each must end within its time, under its memory, in one line.

A case is the command line after ``proofsheet``. In ``argv``, ``{file}`` stands for a
temporary file holding ``file_text`` (bytes are written as they are), ``{fifo}`` for a
named pipe, ``{dir}`` for a directory, ``{sparse}`` for a sparse file of 5 GiB and
``{out}`` for a path where a sheet may be written.

:func:`run_case` runs ``python -m proofsheet.cli`` through a small helper process that
adopts every orphan (a child subreaper), so the peak resident memory it reports covers
the whole tree, and it notes any process that outlives the command. A case passes when
the command ends within ``seconds_limit``, no process of it exceeds ``mib_limit`` MiB,
stderr holds no ``Traceback``, the exit status is 0, 1 or 2, nothing is left running,
and a written ``.tex`` holds no TeX primitive that reads, writes or runs anything.

>>> len({case.name for case in HOSTILE}) == len(HOSTILE)
True
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..search.limits import MAX_FILE_BYTES, MAX_STATEMENT_CHARS, MEMORY_MIB
from ..sheet.escaping import forbidden_tex


@dataclass(frozen=True)
class HostileCase:
    """One command line that must be refused or answered within its limits."""

    name: str
    argv: tuple[str, ...]
    file_text: str | bytes | None
    seconds_limit: float
    mib_limit: int
    refused: bool = False  #: must be refused: exit status 2 and exactly one line on stderr


@dataclass(frozen=True)
class HostileResult:
    """What one case did; ``detail`` says why it failed, or what it printed."""

    name: str
    passed: bool
    seconds: float
    peak_mib: float
    detail: str


_QUICK = 20.0  # a refusal: start-up (about 1-2 s, more on a loaded machine) and one line
_BOMB = 30.0  # a search limited to 0.5 s, feedback likewise, and the worker's own 2 s
_MIB = MEMORY_MIB


def _case(
    name: str,
    argv: tuple[str, ...],
    text: str | bytes | None = None,
    seconds: float = _QUICK,
    refused: bool = False,
) -> HostileCase:
    return HostileCase(name, argv, text, seconds, _MIB, refused)


def _refused(name: str, argv: tuple[str, ...], text: str | bytes | None = None) -> HostileCase:
    return _case(name, argv, text, refused=True)


def _check(name: str, text: str | bytes, *extra: str, refused: bool = False) -> HostileCase:
    return _case(name, ("check", "{file}", "--seconds", "0.5", *extra), text, _BOMB, refused)


def _prove(name: str, statement: str, seconds: float = _BOMB) -> HostileCase:
    return _case(name, ("prove", statement, "--seconds", "0.5"), None, seconds)


_DEEP = 3000
_PASSWD = r"x_{\text{\input{/etc/passwd}}}"
HOSTILE_SHEET = (
    "\n\n".join(
        (
            f"Let $${_PASSWD} = 2$$",
            f"$${_PASSWD} + 1 = 4$$",
            r"$$y_{\text{\write18{touch pwned}}} = 1$$",
            r"$$z_{\text{^^5cinput\{/etc/passwd\}}} = 3$$",
            r"$$\operatorname{\input{/etc/passwd}}(y) = y$$",
            r"$$w_{\text{\csname input\endcsname{/etc/passwd}}} = 5$$",
            r"$$v_{\text{\catcode`\%=12 \def\x{1}}} = 6$$",
        )
    )
    + "\n"
)

HOSTILE: tuple[HostileCase, ...] = (
    # files that are not a derivation at all
    _refused("check-dev-zero", ("check", "/dev/zero")),
    _refused("check-fifo", ("check", "{fifo}")),
    _refused("check-directory", ("check", "{dir}")),
    _refused("check-missing-file", ("check", "{dir}/missing.md")),
    _refused("check-non-utf8", ("check", "{file}"), b"caf\xe9: $$x = x$$\n"),
    _refused("check-nul-bytes", ("check", "{file}"), "$$x\x00 = x$$\n"),
    _refused("check-sparse-5-gib-file", ("check", "{sparse}")),
    _refused("check-10-mb-line", ("check", "{file}"), "$$" + "x+" * 5_000_000 + "x = 1$$\n"),
    _check(
        "check-formula-just-under-the-size-limit",
        "$$" + "+".join(["x"] * ((MAX_FILE_BYTES - 20) // 2)) + " = 1$$\n",
    ),
    # numbers too large to build
    _check("check-rational-exponent-10-12", "$$2^{10^{12}/3} = 1$$\n"),
    _check("check-rational-exponent-googol", "$$2^{10^{100}/3} = 1$$\n"),
    _check("check-power-of-a-huge-base", "$$(x+10^{9999})^{-10000} = 1$$\n"),
    _check("check-tower-of-powers", "$$9^{9^{9^{9}}} = 1$$\n"),
    _prove("prove-rational-exponent-10-12", "2^(10^12/3) = 1"),
    _prove("prove-rational-exponent-googol", "2^(10^100/3) = 1"),
    _prove("prove-power-of-a-huge-base", "(x+10^9999)^(-10000) = 1"),
    _prove("prove-tower-of-powers", "9^(9^(9^9)) = 1"),
    # nesting
    _check("check-deep-parentheses", "$$" + "(" * _DEEP + "x" + ")" * _DEEP + " = x$$\n"),
    _check("check-deep-fractions", "$$" + r"\frac{1}{" * 500 + "x" + "}" * 500 + " = x$$\n"),
    _prove("prove-deep-parentheses", "(" * _DEEP + "x" + ")" * _DEEP + " = x"),
    _refused(
        "prove-statement-over-the-length-limit", ("prove", "x+" * MAX_STATEMENT_CHARS + "x = x")
    ),
    # time limits that are not
    *(
        _refused(f"prove-seconds-{value}", ("prove", "x = x", "--seconds", value))
        for value in ("nan", "inf", "1e300", "-1", "0")
    ),
    _refused("check-seconds-nan", ("check", "{file}", "--seconds", "nan"), "$$x = x$$\n"),
    # annotated sheets
    _check("annotate-tex-input-passwd", HOSTILE_SHEET, "--annotate", "{out}/sheet.tex"),
    _check("annotate-md-input-passwd", HOSTILE_SHEET, "--annotate", "{out}/sheet.md"),
    _check("annotate-into-a-directory", "$$x = x$$\n", "--annotate", "{dir}", refused=True),
    _check("annotate-over-its-own-input", "$$x = x$$\n", "--annotate", "{file}", refused=True),
)

#: Runs the command as a child subreaper; prints its exit status, seconds and peak RSS (KiB).
_HELPER = r"""
import ctypes, json, os, resource, signal, subprocess, sys, time
ctypes.CDLL(None).prctl(36, 1)                      # PR_SET_CHILD_SUBREAPER: adopt orphans
limit, out, err, cmd = float(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
start = time.monotonic()
with open(out, "wb") as o, open(err, "wb") as e:
    proc = subprocess.Popen(cmd, stdout=o, stderr=e, stdin=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        code = proc.wait(limit)
    except subprocess.TimeoutExpired:
        code = None
seconds = time.monotonic() - start
stragglers = 0
try:
    os.killpg(proc.pid, 0)
    stragglers = 1
except ProcessLookupError:
    pass
if code is None or stragglers:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()
while True:
    try:
        os.waitpid(-1, 0)
    except ChildProcessError:
        break
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"code": code, "seconds": seconds, "peak_kib": peak, "stragglers": stragglers}))
"""


def _materialise(case: HostileCase, tmp: Path) -> list[str]:
    """The case's argv with its placeholders made real inside ``tmp``."""
    places = {
        "file": tmp / "input.md",
        "fifo": tmp / "pipe",
        "dir": tmp / "folder",
        "sparse": tmp / "sparse.md",
        "out": tmp / "out",
    }
    for folder in (places["dir"], places["out"]):
        folder.mkdir()
    os.mkfifo(places["fifo"])
    with open(places["sparse"], "wb") as sparse:
        sparse.truncate(5 << 30)
    if case.file_text is not None:
        data = case.file_text if isinstance(case.file_text, bytes) else case.file_text.encode()
        places["file"].write_bytes(data)
    return [arg.format(**{k: str(v) for k, v in places.items()}) for arg in case.argv]


def run_case(case: HostileCase) -> HostileResult:
    """Run one case in a fresh process tree and judge it (see the module's docstring)."""
    with tempfile.TemporaryDirectory(prefix="hostile-") as folder:
        tmp = Path(folder)
        argv = _materialise(case, tmp)
        out, err = tmp / "stdout", tmp / "stderr"
        cmd = [sys.executable, "-m", "proofsheet.cli", *argv]
        env = {**os.environ, "PYTHONPATH": _package_root()}
        helper = subprocess.run(
            [sys.executable, "-c", _HELPER, str(case.seconds_limit), str(out), str(err), *cmd],
            capture_output=True,
            text=True,
            env=env,
            timeout=case.seconds_limit + 60,
        )
        measured = json.loads(helper.stdout)
        stderr = err.read_text(errors="replace")
        sheets = [p.read_text(errors="replace") for p in (tmp / "out").glob("*.tex")]
    peak = measured["peak_kib"] / 1024
    problems = _problems(case, measured, peak, stderr, sheets)
    detail = "; ".join(problems) if problems else (stderr.strip().splitlines() or [""])[-1]
    return HostileResult(case.name, not problems, measured["seconds"], peak, detail[:300])


def _problems(
    case: HostileCase, measured: dict, peak: float, stderr: str, sheets: list[str]
) -> list[str]:
    code = measured["code"]
    checks = [
        (code is None, f"still running after {case.seconds_limit:g} s"),
        (code is not None and code not in (0, 1, 2), f"exit status {code}"),
        (peak > case.mib_limit, f"peak memory {peak:.0f} MiB over {case.mib_limit} MiB"),
        ("Traceback" in stderr, "a traceback: " + stderr[-200:].replace("\n", " | ")),
        (bool(measured["stragglers"]), "a process outlived the command"),
        (any(forbidden_tex(_body(s)) for s in sheets), "a written sheet holds a TeX primitive"),
        (case.refused and code != 2, "not refused with exit status 2"),
        (case.refused and len(stderr.strip().splitlines()) != 1, "not one line on stderr"),
    ]
    return [message for failed, message in checks if failed]


def _body(sheet: str) -> str:
    """What follows ``\\begin{document}``: the part a student's text can reach."""
    return sheet.partition("\\begin{document}")[2]


def _package_root() -> str:
    return str(Path(__file__).resolve().parents[2])


def run_cases(cases: tuple[HostileCase, ...] = HOSTILE, workers: int = 4) -> list[HostileResult]:
    """:func:`run_case` for each case, a few at a time (most of a case is waiting)."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run_case, cases))


def main() -> int:
    """Run every case and print one line each; exit 1 if any failed."""
    results = run_cases()
    for r in results:
        mark = "ok  " if r.passed else "FAIL"
        print(f"{mark} {r.name:45} {r.seconds:6.1f} s {r.peak_mib:7.0f} MiB  {r.detail}")
    return 0 if all(r.passed for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
