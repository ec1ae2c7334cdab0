"""Shared fixtures: symbols and the derivations, proved once per test session."""

from __future__ import annotations

import pytest
import sympy as sp


@pytest.fixture(scope="session")
def derivations():
    from derivations import load_all

    return {d.id: d for d in load_all()}


@pytest.fixture
def x():
    return sp.Symbol("x", real=True)
