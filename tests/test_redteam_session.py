"""Red-team findings against this session's new proving power (log normal form, the
`increasing` rule, the domain witness, the search plans).

EMPTY rows must not be verified: no real point has every subterm defined and every
assumption true (the promise needs such a point). Before the fix in kernel/verdict.py the
≠ 0 rows and the y = 1, y = 2 row were verified. DEFINED rows pin that the fix keeps
true statements with divisions verified.
"""

from __future__ import annotations

import pytest

from proofsheet.kernel import Prop
from proofsheet.kernel.verdict import VERIFIED
from proofsheet.parsing.statement import parse_assumptions, parse_statement
from proofsheet.search.decide import decide


def verdict_of(text: str, *assume: str):
    parsed = parse_statement(text)
    assumptions = tuple(
        Prop(a.lhs, a.rel, a.rhs, domain=a.domain)
        for a_text in assume
        for a in parse_assumptions(a_text)
    )
    prop = Prop(parsed.lhs, parsed.rel, parsed.rhs, domain=parsed.domain)
    return decide(prop, assumptions, 5)


#: (statement, assumptions): defined nowhere under the assumptions, or the assumptions
#: contradict each other; never verified.
EMPTY = [
    ("x > 5", ("x > 1, x < 0",)),  # guarded already
    ("0*log(x) = 0", ("x < 0",)),  # guarded already
    ("x/x = 1", ("x = 0",)),
    ("x/x > 0", ("x = 0",)),
    ("(x^2-1)/(x-1) = x+1", ("x = 1",)),
    ("log(x)/log(x) = 1", ("x = 1",)),
    ("(x-y)/(x-y) = 1", ("x = y",)),
    ("x = 2", ("x = 2*y, y = 1, y = 2",)),
    ("z = 1", ("z = x/x, x = 0",)),
]


@pytest.mark.parametrize("text, assume", EMPTY)
def test_statement_true_of_no_point_is_not_verified(text, assume):
    assert verdict_of(text, *assume).status != VERIFIED


#: (statement, assumptions): true, and defined at some point where the assumptions hold, so
#: the witness of the domain (≠ 0 conditions included) must still be found.
DEFINED = [
    ("x/y < 1", ("x < y, y > 0",)),
    ("x + 1/x >= 2", ("x > 0",)),
    ("(x^2-1)/(x-1) = x+1", ()),
    ("log(x)/log(x) = 1", ("x > 0, x < 2",)),
    ("diff(abs(x), x) = 1", ("x > 0",)),
    ("abs(x)/x = 1", ("x >= 0",)),
]


@pytest.mark.parametrize("text, assume", DEFINED)
def test_statement_defined_somewhere_under_its_assumptions_is_still_verified(text, assume):
    assert verdict_of(text, *assume).status == VERIFIED


#: (statement, assumptions): the assumptions about z (or y) contradict each other, but the proof
#: reads none of them and they share no symbol with what it reads: a verified verdict claims the
#: statement where the assumptions it uses hold (the README's semantics), and those can hold.
IDLE = [
    ("x = 2", ("x = 2*y, y = 1, z = 1, z = 2",)),
    ("x/x = 1", ("y = 1, y = 2",)),
]


@pytest.mark.parametrize("text, assume", IDLE)
def test_contradictory_assumptions_the_proof_never_reads_do_not_block_it(text, assume):
    verdict = verdict_of(text, *assume)
    assert verdict.status == VERIFIED
    read = {s for a in verdict.witness.assumptions for s in a.free_symbols}
    assert all(
        a.free_symbols.isdisjoint(read)
        for a in verdict.assumptions
        if a not in verdict.witness.assumptions
    )
