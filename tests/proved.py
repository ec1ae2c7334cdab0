"""The project's derivations, proved once per test session and shared by every test."""

from __future__ import annotations

import functools

from derivations import load_all


@functools.cache
def all_derivations() -> dict:
    """Every derivation by id, proved on first use."""
    return {d.id: d for d in load_all()}


def derived(derivation_id: str):
    return all_derivations()[derivation_id]
