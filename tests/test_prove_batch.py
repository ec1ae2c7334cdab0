"""`proofsheet prove --batch FILE` (issue 12, item 4): JSON lines in, one JSON answer a line out,
from one process; a bad line is answered "unreadable" and the batch goes on."""

from __future__ import annotations

import contextlib
import io
import json
import os
import select
import signal
import subprocess
import sys
import time

import pytest

from proofsheet import cli

# (the line as written, the status of its answer, words its reason must contain)
LINES = [
    ('{"statement": "1 - sigma(x) = sigma(-x)"}', "verified", ""),
    ('{"statement": "sigma(-x) = 1/(1 + exp(-x))"}', "refuted", ""),
    ('{"statement": "s*(1 - s) >= 0", "assume": "0 < s < 1"}', "verified", ""),
    ('{"statement": "s*(1 - s) >= 0", "assume": ["s > 0", "s < 1"]}', "verified", ""),
    ('{"statement": "s*(1 - s) >= 0"}', "refuted", ""),
    ('{"statement": "σ(x) = 1 - σ(-x)", "seconds": 20, "id": "q1"}', "verified", ""),
    ("not json", "unreadable", "not a JSON object"),
    ("[1, 2]", "unreadable", "not a JSON object"),
    ('{"assume": "x > 0"}', "unreadable", 'no "statement"'),
    ('{"statement": 3}', "unreadable", 'no "statement"'),
    ('{"statement": "x +"}', "unreadable", "cannot parse: unexpected end of input"),
    ('{"statement": "x = x", "assume": "x >"}', "unreadable", "--assume:1:4: cannot parse"),
    ('{"statement": "x = x", "assume": [1]}', "unreadable", "a string or a list of strings"),
    ('{"statement": "x = x", "assumptions": "x > 0"}', "unreadable", "unknown field"),
    ('{"statement": "x = x", "seconds": 0}', "unreadable", "above 0 and at most 3600"),
    ('{"statement": "x = x", "seconds": 1e999}', "unreadable", "above 0 and at most 3600"),
    ('{"statement": "x = x", "seconds": true}', "unreadable", "must be a number"),
    ("{\"statement\": \"__import__('os').system('echo hi')\"}", "unreadable", "cannot parse"),
    ('{"statement": "x = ' + "x+" * 6000 + 'x"}', "unreadable", "longer than the limit"),
    ("[" * 5000 + "]" * 5000, "unreadable", "not a JSON object"),
]


def _batch(tmp_path, lines: list[str], *args: str) -> tuple[int, list[dict]]:
    """Run ``prove --batch`` in this process on ``lines``: its status and its answers."""
    path = tmp_path / "batch.jsonl"
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = cli.main(["prove", "--batch", str(path), *args])
    return status, [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.fixture(scope="module")
def answers(tmp_path_factory) -> tuple[int, list[dict]]:
    """One batch of every line in the table, with a blank line before the last."""
    lines = [line for line, _, _ in LINES]
    return _batch(tmp_path_factory.mktemp("batch"), [*lines[:-1], "   ", lines[-1]])


def test_every_line_is_answered_in_order_and_the_status_is_0(answers):
    status, got = answers
    assert status == cli.EXIT_OK
    assert [a["line"] for a in got] == [*range(1, len(LINES)), len(LINES) + 1]


@pytest.mark.parametrize("index", range(len(LINES)), ids=[row[0][:40] for row in LINES])
def test_each_line_gets_its_verdict_or_why_it_is_unreadable(answers, index):
    _, status, words = LINES[index]
    answer = answers[1][index]
    assert answer["status"] == status and words in answer["reason"]


def test_an_answer_is_the_object_prove_json_prints_plus_its_line(answers, capsys):
    statement = "s*(1 - s) >= 0"
    assert cli.main(["prove", statement, "--assume", "0 < s < 1", "--json"]) == 0
    alone = json.loads(capsys.readouterr().out)
    batched = answers[1][2]
    assert list(batched) == [*alone, "line"]
    assert {**batched, "ms": 0, "line": 0} == {**alone, "ms": 0, "line": 0}


@pytest.mark.parametrize(
    "index, shown, tag",
    [(5, "σ(x) = 1 - σ(-x)", "q1"), (13, "x = x", None), (6, None, None)],
)
def test_an_answer_echoes_the_statement_as_written_and_the_lines_id(answers, index, shown, tag):
    answer = answers[1][index]
    assert answer["statement"] == shown and answer.get("id") == tag


def _stuck(*_):
    time.sleep(600)


def _greedy(*_):
    return bytearray(4 << 30)


def _killed(*_):
    os.kill(os.getpid(), signal.SIGKILL)


# (what the worker does instead of proving, the status of its answer, words in the reason)
WORKER_LIMITS = [
    (_stuck, "undecided", "stopped: reading or evaluating a formula took longer than 2 s"),
    (_greedy, "undecided", "out of memory (1024 MiB)"),
    (_killed, "undecided", "the worker process died (SIGKILL)"),
]


@pytest.mark.parametrize("work, status, words", WORKER_LIMITS, ids=["time", "memory", "killed"])
def test_a_worker_at_a_limit_gets_an_answer_and_the_batch_goes_on(
    tmp_path, monkeypatch, work, status, words
):
    real = cli.prove
    monkeypatch.setattr(
        cli, "prove", lambda text, *rest: (work if text == "x = 1" else real)(text, *rest)
    )
    code, got = _batch(
        tmp_path, ['{"statement": "x = 1", "seconds": 0.5}', '{"statement": "x = x"}']
    )
    assert code == cli.EXIT_OK
    assert (got[0]["status"], got[1]["status"]) == (status, "verified")
    assert words in got[0]["reason"] and got[0]["statement"] == "x = 1"


BAD_BATCHES = [
    (["prove", "--batch", "no-such-file.jsonl"], "no-such-file.jsonl: No such file"),
    (["prove", "--batch", "."], "Is a directory"),
    (["prove", "--batch", "/dev/zero"], "not a regular file or a pipe"),
    (["prove", "x = x", "--batch", "-"], "takes no STATEMENT"),
    (["prove", "--assume", "x > 0", "--batch", "-"], "takes no STATEMENT or --assume"),
    (["prove"], "needs a STATEMENT"),
]


@pytest.mark.parametrize("argv, said", BAD_BATCHES, ids=lambda a: " ".join(a)[:40])
def test_a_batch_that_cannot_be_read_is_one_line_and_exit_2(capsys, argv, said):
    assert cli.main(argv) == cli.EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and said in err


def batch_process(*options: str) -> subprocess.Popen:
    """The real command, ``proofsheet prove --batch -``, fed and read through pipes."""
    return subprocess.Popen(
        [sys.executable, "-m", "proofsheet.cli", "prove", "--batch", "-", *options],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_batch_from_stdin_answers_each_line_as_soon_as_it_is_read():
    """One subprocess: each answer is flushed before the next line is even written."""
    proc = batch_process()
    try:
        got = []
        for line in ['{"statement": "(+x) = x"}', "{", '{"statement": "x*5.1e-2 = x*0.051"}']:
            proc.stdin.write(line + "\n")
            proc.stdin.flush()
            assert select.select([proc.stdout], [], [], 120)[0], "no answer within 120 s"
            got.append(json.loads(proc.stdout.readline()))
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0 and "Traceback" not in proc.stderr.read()
    finally:
        proc.kill()
        proc.wait()
    assert [(a["line"], a["status"]) for a in got] == [
        (1, "verified"),
        (2, "unreadable"),
        (3, "verified"),
    ]
    assert got[2]["statement"] == "x*5.1e-2 = x*0.051"


def test_a_batch_outlives_its_per_line_limit_while_it_waits_and_works():
    """The command's own watchdog must not stop a batch whose whole run (here: a pause for
    input) is longer than one line's limit; each line keeps that limit."""
    proc = batch_process("--seconds", "0.5")
    try:
        got = []
        for pause in (0, 4):  # beyond own_seconds(0.5) + the grace: the old watchdog's limit
            time.sleep(pause)
            proc.stdin.write('{"statement": "x + 1 > x"}\n')
            proc.stdin.flush()
            assert select.select([proc.stdout], [], [], 120)[0], proc.stderr.read()
            got.append(json.loads(proc.stdout.readline())["status"])
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0, proc.stderr.read()
    finally:
        proc.kill()
        proc.wait()
    assert got == ["verified", "verified"]
