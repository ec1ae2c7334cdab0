"""The peer-comparison pair set (issue 12, item 5): every pair gets its expected verdict, a gap
pair stays undecided until its gap is removed, and no pair ever gets the opposite verdict."""

from __future__ import annotations

import contextlib
import io
import json

import pytest

from proofsheet import cli
from proofsheet.soundness.pairs import EXPECTS, FAMILIES, PairsError, load_pairs, parse_pairs

PAIRS = load_pairs()
SECONDS = 10  #: each pair's time limit, as `prove --batch --seconds` takes it
OPPOSITE = dict(zip(EXPECTS, reversed(EXPECTS)))


@pytest.fixture(scope="module")
def answers(tmp_path_factory) -> dict[str, dict]:
    """Every pair through ``prove --batch`` (the path a grader uses), in this process, once."""
    path = tmp_path_factory.mktemp("pairs") / "pairs.jsonl"
    lines = (json.dumps({**p.batch_line(), "id": p.name}, ensure_ascii=False) for p in PAIRS)
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["prove", "--batch", str(path), "--seconds", str(SECONDS)]) == 0
    found = [json.loads(line) for line in out.getvalue().splitlines()]
    return {a["id"]: a for a in found}


@pytest.mark.parametrize("pair", PAIRS, ids=[p.name for p in PAIRS])
def test_a_pair_gets_its_verdict_and_never_the_opposite(answers, pair):
    answer = answers[pair.name]
    status, why = answer["status"], answer.get("reason")
    assert status != OPPOSITE[pair.expect], f"WRONG ANSWER {status}: {answer}"
    if pair.gap is None:
        assert status == pair.expect, f"{status}: {why}"
    else:
        assert status != pair.expect, f"now {status}: remove the gap ({pair.gap})"


def test_the_set_covers_every_family_with_true_and_false_pairs():
    for family in FAMILIES:
        expects = {p.expect for p in PAIRS if p.family == family}
        assert expects == ({"refuted"} if family == "parity-edge" else set(EXPECTS)), family


def test_about_a_third_of_the_pairs_are_false():
    refuted = sum(p.expect == "refuted" for p in PAIRS)
    assert 0.25 <= refuted / len(PAIRS) <= 0.45


GOOD = '[[pair]]\nstatement = "x = x"\nexpect = "verified"\nfamily = "polynomial"\n'

# (a malformed pairs.toml, words its error must contain)
MALFORMED = [
    (GOOD.replace("expect", "expected"), "unknown key 'expected'"),
    (GOOD.replace('expect = "verified"\n', ""), "no 'expect'"),
    (GOOD.replace('"verified"', '"true"'), "expect must be one of"),
    (GOOD.replace('"polynomial"', '"trig"'), "unknown family 'trig'"),
    (GOOD.replace('"x = x"', '""'), "non-empty string"),
    (GOOD.replace('"x = x"', "3"), "non-empty string"),
    (GOOD + GOOD, "appears twice"),
    (GOOD + "[other]\n", "only [[pair]] tables"),
    ("[[pair]\n", "pairs.toml:"),
]


@pytest.mark.parametrize("text, words", MALFORMED, ids=[w for _, w in MALFORMED])
def test_a_malformed_pair_file_is_refused_with_the_reason(text, words):
    with pytest.raises(PairsError, match=words.replace("[", r"\[")):
        parse_pairs(text)


def test_a_gap_and_an_assumption_are_read():
    text = GOOD + 'assume = "x > 0"\ngap = "syntax: why"\n'
    (pair,) = parse_pairs(text)
    assert (pair.assume, pair.gap) == ("x > 0", "syntax: why")
    assert pair.batch_line() == {"statement": "x = x", "assume": "x > 0"}
