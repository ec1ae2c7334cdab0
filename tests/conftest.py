"""Shared fixtures: symbols, the derivations proved once per test process, the whole build
once per run."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sympy as sp
from proved import all_derivations

BUILD_WAIT_SECONDS = 900  #: how long a test waits for the shared build
#: whole modules that are slow by nature: hostile inputs at their limits, the soundness
#: campaign through the CLI, the fuzzed student files, a class graded on a Dask LocalCluster
SLOW_MODULES = {"test_hostile", "test_soundness", "test_check_robust", "test_grade_cluster"}


def pytest_collection_modifyitems(items):
    """Mark ``slow`` every test that needs the whole build (with its PDFs) or sits in a slow
    module, so that ``make test-fast`` (``pytest -m "not slow"``) runs the rest alone."""
    for item in items:
        if "whole_build" in getattr(item, "fixturenames", ()) or item.path.stem in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def derivations():
    return all_derivations()


@pytest.fixture
def x():
    return sp.Symbol("x", real=True)


def _common_folder(config) -> Path | None:
    """The folder every worker of a ``pytest -n`` run shares (None in a run without workers)."""
    if not hasattr(config, "workerinput"):
        return None
    return Path(config.option.basetemp).parent


#: the build in a process of its own: ``make proofs``'s command, then its exit status written
_BUILD = "import sys; from proofsheet.sheet import build; s = build.main(sys.argv[2:]); "
_BUILD += "open(sys.argv[1], 'w').write(str(s))"


def pytest_collection_finish(session):
    """With workers, the first of them to finish collecting starts the whole build in a
    process of its own, so that it runs beside the tests rather than as one worker's wait."""
    folder = _common_folder(session.config)
    if folder is None or not any("whole_build" in i.fixturenames for i in session.items):
        return
    try:
        os.close(os.open(folder / "whole-build.started", os.O_CREAT | os.O_EXCL))
    except FileExistsError:
        return  # another worker started it
    from proofsheet.sheet import pdf

    flags = [] if pdf.tex_available() else ["--no-pdf"]
    with open(folder / "whole-build.log", "w") as log:
        command = [sys.executable, "-c", _BUILD, str(folder / "whole-build.status")]
        command += ["--out", str(folder / "whole-build"), "--force", *flags]
        subprocess.Popen(command, cwd=session.config.rootpath, stdout=log, stderr=log)


@pytest.fixture(scope="session")
def whole_build(tmp_path_factory, request):
    """``make proofs`` once per run, shared by the build, PDF and Markdown tests (read only):
    (out folder, exit status); PDFs too when TeX is installed (the PDF tests say when not)."""
    folder = _common_folder(request.config)
    if folder is None:
        from proofsheet.sheet import build, pdf

        out = tmp_path_factory.mktemp("build")
        load = lambda: list(all_derivations().values())
        return out, build.run(out, load=load, pdfs=pdf.tex_available())
    status, deadline = folder / "whole-build.status", time.monotonic() + BUILD_WAIT_SECONDS
    while not status.exists():
        assert time.monotonic() < deadline, (folder / "whole-build.log").read_text()[-3000:]
        time.sleep(0.2)
    return folder / "whole-build", int(status.read_text())
