"""`proofsheet prove`: exit codes 0 verified, 1 refuted/undecided, 2 bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from run_cli import proofsheet

PROVE_CASES = [
    ("1 - sigma(x) = sigma(-x)", 0, "rational-identity"),
    ("sigma(x)*(1 - sigma(x)) <= 1/4", 0, "rule: certified-sign (instantiated)"),
    ("sigma(-x) = 1/(1 + exp(-x))", 1, "counterexample: x = "),
    ("sigma'(x) <= 1/5", 1, "counterexample"),
]


@pytest.mark.parametrize("statement, code, shown", PROVE_CASES)
def test_prove_exit_code_and_evidence(statement, code, shown):
    result = proofsheet("prove", statement)
    assert result.returncode == code, result.stderr
    assert shown in result.stdout


def test_prove_refutation_prints_both_sides():
    out = proofsheet("prove", "sigma(-x) = 1/(1 + exp(-x))").stdout
    assert "lhs = 0.2689414213" in out and "rhs = 0.7310585786" in out


def test_prove_json_carries_the_certificate():
    result = proofsheet("prove", "sigma(x)*(1 - sigma(x)) <= 1/4", "--json")
    data = json.loads(result.stdout)
    assert data["status"] == "verified" and data["certificate"] is not None


def test_prove_uses_assumptions():
    assert proofsheet("prove", "s*(1 - s) >= 0", "--assume", "0 < s < 1").returncode == 0
    assert proofsheet("prove", "s*(1 - s) >= 0").returncode == 1


@pytest.mark.parametrize(
    "statement",
    ["import os", "__import__('os').system('echo hi')", "x +", "", "f(x) = 1", "x = 1 = 2 ="],
)
def test_bad_input_gets_one_line_and_exit_2(statement):
    result = proofsheet("prove", statement)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unknown_subcommand_exits_2():
    assert proofsheet("frobnicate").returncode == 2


BAD_ARGUMENTS = [
    (("prove", "x = x", "--seconds", "nan"), "above 0 and at most 3600"),
    (("prove", "x = x", "--seconds", "inf"), "above 0 and at most 3600"),
    (("prove", "x = x", "--seconds", "1e300"), "above 0 and at most 3600"),
    (("prove", "x = x", "--seconds", "-1"), "above 0 and at most 3600"),
    (("prove", "x = x", "--seconds", "0"), "above 0 and at most 3600"),
    (("check", "answer.md", "--seconds", "soon"), "above 0 and at most 3600"),
    (("prove", "x+" * 6000 + "x = x"), "the limit is 10000"),
    (("check", "/dev/zero"), "not a regular file"),
    (("check", "."), "is a directory"),
    (("check", "no-such-file.md"), "No such file or directory"),
]


@pytest.mark.parametrize("args, said", BAD_ARGUMENTS, ids=lambda a: " ".join(a)[:40])
def test_a_bad_argument_is_one_line_and_exit_2(args, said):
    result = proofsheet(*args)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and said in result.stderr


UNREADABLE_FILES = [
    (b"caf\xe9 $$x = x$$", "not UTF-8 text (byte 3)"),
    (b"$$x\x00 = x$$", "not text (a NUL byte at 3)"),
    (b"x" * ((1 << 20) + 1), "1,048,577 bytes; the limit is 1,048,576 bytes"),
]


@pytest.mark.parametrize("contents, said", UNREADABLE_FILES)
def test_a_file_that_is_not_a_derivation_is_one_line_and_exit_2(tmp_path, contents, said):
    answer = tmp_path / "answer.md"
    answer.write_bytes(contents)
    result = proofsheet("check", str(answer))
    assert result.returncode == 2 and result.stderr.strip() == f"proofsheet: {answer}: {said}"


def test_main_called_from_python_runs_in_process_and_leaves_the_callers_limits(capsys):
    import resource

    from proofsheet.cli import main

    before = resource.getrlimit(resource.RLIMIT_AS)
    assert main(["prove", "1 - sigma(x) = sigma(-x)", "--seconds", "20"]) == 0
    assert capsys.readouterr().out.startswith("verified: ")
    assert resource.getrlimit(resource.RLIMIT_AS) == before


def test_the_command_itself_runs_supervised_and_refuses_bad_input_in_one_line():
    """The one case through a real interpreter: memory cap, supervised worker, exit codes."""
    run = lambda *a: subprocess.run(
        [sys.executable, "-m", "proofsheet.cli", *a], capture_output=True, text=True, timeout=120
    )
    assert run("prove", "1 - sigma(x) = sigma(-x)").returncode == 0
    bad = run("prove", "import os")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
