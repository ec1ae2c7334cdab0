"""Files written as a hurried student writes (both languages): the status of every formula.

Each expectation was read off by hand: a step is ✓ only if it is true as written under what
the file defines and assumes, ✗ only if it is false there, and a condition ("当 … 时", "for a,
b > 0") is never a claim.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from proofsheet.check.checker import check_file

STUDENTS = Path(__file__).parent / "fixtures" / "students"
V, X, Q, U = "verified", "refuted", "undecided", "unreadable"
D, A = "definition", "assumption"

EXPECTED = {
    "hurried_en.md": [
        (5, D),
        (5, D),
        (6, D),  # z = wx + b, ŷ = σ(z), L = BCE
        (8, V),
        (10, V),
        (12, V),
        (12, V),  # ∂L/∂ŷ, ∂L/∂z, ∂L/∂w, dL/db through the graph
        (16, D),
        (16, V),
        (16, V),  # f(x) = σ's formula; f(−x) = 1 − f(x); f' = f(1 − f)
        (18, V),  # dσ/dx = σ(1 − σ), σ bare
        (20, X),  # σ' = σ(1 + σ): the sign slip
        (22, V),
        (22, V),
        (22, X),  # σ(0) = 0.5, σ(1) ≈ 0.731, σ(2) ≈ 0.95 (it is 0.881)
        (24, V),
        (24, V),  # lim σ = 1; σ'(0) = 1/4 by an evaluation bar
        (26, A),
        (26, A),
        (26, V),  # 0 < σ < 1 ⇒ log σ < 0
        (28, V),  # |σ − 1/2| ≤ 1/2
        (30, U),  # the typo: an unclosed brace
        (34, V),
        (36, V),  # ∏_{k=1}^{3} σ'(u_k) ≤ 1/64; Σ_j w_j x_j = w_1x_1 + …
        (38, V),
        (38, A),
        (38, A),
        (38, V),  # e^x ≥ 1 + x; for a, b > 0: log(ab) = log a + log b
    ],
    "hurried_zh.md": [
        (5, D),
        (5, D),
        (6, D),
        (8, V),
        (10, V),
        (10, V),  # ∂L/∂ŷ; the chain rule written out; = ŷ − y
        (14, D),
        (14, D),  # η = 0.1; the update w ← w − η ∂L/∂w
        (16, Q),
        (16, Q),
        (16, Q),
        (16, Q),  # 当 w = 1, b = 0, x = 2, y = 1 时: conditions
        (16, D),
        (16, D),
        (16, V),  # z = 2, ŷ = σ(2) ≈ 0.881
        (20, V),
        (22, V),
        (22, V),
        (22, V),
        (22, V),  # 1 − σ(x) = σ(−x), step by step
        (24, V),
        (24, V),
        (24, Q),  # σ' = σ(1 − σ) ≤ 1/4, equality at x = 0 (a condition)
        (26, V),  # σ' = σ(x)σ(−x)
        (30, V),
        (30, V),
        (30, V),  # 0 < σ'(u) ≤ 1/4, so ∏ σ'(u_k) ≤ (1/4)^n
        (31, X),  # Σ_{k=1}^{n} 1/4 = n/2: it is n/4
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_formula_of_a_hurried_students_file_gets_the_status_a_careful_reader_gives(name):
    report = check_file(STUDENTS / name, seconds=5.0)
    assert [(s.line, s.status) for s in report.steps] == EXPECTED[name]
