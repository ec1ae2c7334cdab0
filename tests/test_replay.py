"""The replay: conclusions are tied to their statements and assumptions; bad logs are one line."""

from __future__ import annotations

import json
import re

import pytest
import sympy as sp

from proofsheet import kernel
from proofsheet.kernel import Prop
from proofsheet.record import replay
from proofsheet.record.prooflog import proof_log
from proofsheet.sheet.derivation import Derivation, Text
from proofsheet.soundness import forgeries

x = sp.Symbol("x", real=True)


def run(tmp_path, capsys, text: str) -> tuple[int, str, str]:
    path = tmp_path / "proofs.json"
    path.write_text(text, encoding="utf-8")
    status = replay.main([str(path)])
    out, err = capsys.readouterr()
    return status, out.replace(str(path), "FILE"), err.replace(str(path), "FILE")


@pytest.mark.parametrize(
    "name, message",
    [
        (
            "premise index out of range",
            "replay: FILE: theorem 1: premise 99 is not an earlier theorem",
        ),
        ("forward premise index", "replay: FILE: theorem 0: premise 1 is not an earlier theorem"),
        ("negative premise index", "replay: FILE: theorem 1: premise -1 is not an earlier theorem"),
        (
            "boolean premise index",
            "replay: FILE: theorem 1: premise False is not an earlier theorem",
        ),
        ("missing key", "replay: FILE: theorem 0: missing 'prop'"),
        ("wrong type", "replay: FILE: theorem 0: 'premises' must be a list, not str"),
        ("unknown rule", "replay: FILE: theorem 0: unknown rule 'trust-me'"),
        ("unknown relation", "replay: FILE: theorem 0: unknown relation '~'"),
        (
            "unknown factor kind",
            "replay: FILE: theorem 0: bad SignTerm: unknown sign-factor kind 'trust-me'",
        ),
        (
            "conclusion out of range",
            "replay: FILE: conclusion 0: premise 9 is not an earlier theorem",
        ),
        (
            "conclusion of another statement",
            "replay: FILE: conclusion 0: '(x + 1)^2 = x^2 + 2x + 1' names",
        ),
        ("not a log", "replay: FILE: not a proof log"),
        ("bad JSON", "replay: FILE: not JSON: "),
    ],
)
def test_a_malformed_log_is_rejected_in_one_line(tmp_path, capsys, name, message):
    status, out, err = run(tmp_path, capsys, forgeries.MALFORMED[name]())
    assert status == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith(message), err


def test_an_honest_log_replays_and_says_how_many_conclusions_are_conditional(tmp_path, capsys):
    log = forgeries.self_assumed_log((forgeries.FALSE,))
    status, out, err = run(tmp_path, capsys, json.dumps(log))
    assert status == 0 and err == ""
    assert out == "replay: 1 conclusions re-checked from FILE (1 under their stated assumptions)\n"


@pytest.mark.parametrize(
    "make, message",
    [
        (forgeries.self_assumed_log, "conclusion 0: '1 = 2' is proved under other assumptions"),
        (forgeries.swapped_log, "conclusion 0: '(x + 1)^2 = x^2 + 2x + 1' names a theorem of"),
        (forgeries.half_induction_log, "theorem 4: induction: the start 1/2 is not an integer"),
        (forgeries.sqrt_cases_log, "must both be real"),
    ],
)
def test_a_forged_log_is_rejected_with_the_reason(make, message):
    with pytest.raises(replay.ReplayError, match=re.escape(message)):
        replay.replay(json.loads(json.dumps(make())))


def test_the_log_records_each_conclusions_statement_and_assumptions():
    positive = Prop(0, "<", x)
    d = Derivation("demo", "Q0", Text("demo", "演示"))
    d.conclude("0 < x given 0 < x", kernel.assume(positive))
    log = proof_log(d.conclusions)
    (conclusion,) = log["conclusions"]
    assert conclusion["name"] == "0 < x given 0 < x"
    tables = replay.Tables(log)
    assert (
        [tables.prop(conclusion["statement"])]
        == [tables.prop(a) for a in conclusion["assumptions"]]
        == [positive]
    )
    assert replay.replay(json.loads(json.dumps(log)))["0 < x given 0 < x"].prop == positive


@pytest.mark.parametrize("stated, concluded", [((), False), ((Prop(0, "<", x),), True)])
def test_a_conclusion_needs_its_assumptions_stated_when_they_are_given(stated, concluded):
    d = Derivation("demo", "Q0", Text("demo", "演示"))
    d.conclude("0 < x", kernel.assume(Prop(0, "<", x)), assumptions=stated)
    assert bool(d.conclusions) is concluded and bool(d.failed_conclusions) is not concluded
