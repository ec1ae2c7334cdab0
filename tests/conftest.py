"""Shared fixtures: symbols and the derivations, proved once per test session."""

from __future__ import annotations

import pytest
import sympy as sp

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
    from proved import all_derivations

    return all_derivations()


@pytest.fixture
def x():
    return sp.Symbol("x", real=True)


@pytest.fixture(scope="session")
def whole_build(tmp_path_factory, derivations):
    """``make proofs`` once per session, shared by the build, PDF and Markdown tests.

    (out folder, exit status); PDFs too when TeX is installed (the PDF tests say when not).
    """
    from proofsheet.sheet import build, pdf

    out = tmp_path_factory.mktemp("build")
    code = build.run(out, load=lambda: list(derivations.values()), pdfs=pdf.tex_available())
    return out, code
