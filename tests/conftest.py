"""Shared fixtures: symbols and the derivations, proved once per test session."""

from __future__ import annotations

import pytest
import sympy as sp


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
