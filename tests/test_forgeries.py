"""Every forgery attempt of the soundness table is stopped; the honest variants are not."""

from __future__ import annotations

import json

import pytest

from proofsheet.record import replay
from proofsheet.soundness import forgeries
from proofsheet.soundness.forgeries import FORGERIES


@pytest.mark.parametrize("forgery", FORGERIES, ids=[f.name for f in FORGERIES])
def test_the_forgery_is_stopped(forgery):
    assert forgery.attempt() is True


def test_forgery_names_are_distinct():
    names = [f.name for f in FORGERIES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    "make",
    [
        forgeries.honest_log,
        lambda: forgeries.swapped_log(swap=False),
        lambda: forgeries.self_assumed_log(stated=(forgeries.FALSE,)),  # a conditional, stated
    ],
    ids=["honest", "names in place", "assumption stated"],
)
def test_the_same_logs_without_the_forgery_replay(make):
    log = make()
    names = {c["name"] for c in log["conclusions"]}
    assert set(replay.replay(json.loads(json.dumps(log)))) == names
    assert not forgeries.replay_stops(json.dumps(log))


def test_refused_counts_only_the_kernels_refusal():
    assert forgeries.refused(lambda: None) is False
    with pytest.raises(ZeroDivisionError):
        forgeries.refused(lambda: 1 / 0)
