"""``prove --batch`` keeps one warm worker between lines (search/persistent.py): a line costs
only its own answer, and a worker that overruns, dies or is damaged is replaced."""

from __future__ import annotations

import os
import signal
import time

from proofsheet.search.persistent import PersistentWorker


def answer(question: str) -> tuple[object, bool]:
    """The test's questions: what the worker does for each."""
    if question == "pid":
        return os.getpid(), True
    if question == "damaged":
        return "answered, then gone", False
    if question == "hang":
        time.sleep(60)
    if question == "die":
        os.kill(os.getpid(), signal.SIGKILL)
    raise AssertionError(question)


def test_one_worker_answers_question_after_question():
    with PersistentWorker(answer) as worker:
        first, second = worker.ask("pid", 5), worker.ask("pid", 5)
    assert first[0] == "answer" and first == second and first[1] != os.getpid()


def test_a_damaged_worker_answers_and_the_next_question_gets_a_new_one():
    with PersistentWorker(answer) as worker:
        before = worker.ask("pid", 5)
        assert worker.ask("damaged", 5) == ("answer", "answered, then gone")
        after = worker.ask("pid", 5)
    assert after[0] == "answer" and after != before


def test_a_worker_past_its_time_is_stopped_and_replaced():
    start = time.monotonic()
    with PersistentWorker(answer) as worker:
        kind, why = worker.ask("hang", 0.2)
        assert time.monotonic() - start < 10
        assert (kind, why) == ("stopped", "reading or evaluating a formula took longer than 2 s")
        assert worker.ask("pid", 5)[0] == "answer"


def test_a_worker_that_dies_is_a_stopped_answer_and_replaced():
    with PersistentWorker(answer) as worker:
        assert worker.ask("die", 5) == ("stopped", "the worker process died (SIGKILL)")
        assert worker.ask("pid", 5)[0] == "answer"


def test_no_worker_outlives_the_block():
    with PersistentWorker(answer) as worker:
        _, pid = worker.ask("pid", 5)
    time.sleep(0.1)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return
    raise AssertionError(f"worker {pid} still runs")
