"""The soundness campaign: its oracle, its mutants, its corpus, and one slice end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from proofsheet.parsing.statement import parse_assumptions, parse_statement
from proofsheet.soundness import __main__ as runner
from proofsheet.soundness import oracle
from proofsheet.soundness.__main__ import failed, items
from proofsheet.soundness.__main__ import main as campaign
from proofsheet.soundness.corpus import corpus, project_steps
from proofsheet.soundness.mutate import all_mutants, mutants
from proofsheet.soundness.syntax import parse_relation, show_relation

# statement, assumptions, what the oracle must say
ORACLE_TABLE = [
    ("log(x)^2 >= 0", (), "true"),
    ("sigma(-x) = 1/(1+exp(-x))", (), "false"),
    ("sqrt(-4)*sqrt(-9) = -6", (), "undefined"),
    ("exp(log(x)) = x", (), "true"),
    ("abs(log(x)) = abs(log(abs(x)))", (), "true"),
    ("diff(abs(x), x)^2 = 1", (), "true"),
    ("sqrt(x)^2 >= 0", (), "true"),
    ("0*log(x) = 0", (), "true"),
    ("0*log(x) = 1", (), "false"),
    ("x/x = 1", (), "true"),
    ("log(x*y) = log(x) + log(y)", (), "true"),
    ("sigma(x) < 1", (), "true"),
    ("sigma'(x) < 1/4", (), "false"),
    ("x^2 > 0", (), "false"),
    ("(t - 1)/t <= 0", ("0 < t <= 1",), "true"),
    ("(t - 1)/t <= 0", (), "false"),
    ("log(s) < 0", ("0 < s < 1",), "true"),
    ("log(s) < 0", (), "false"),
    ("diff(x^(3/2), x) = 3/2*sqrt(x)", (), "true"),
    ("diff(sigma(x), x) = sigma(x)*(1 - sigma(x))", (), "true"),
    ("diff(sigma(x), x) = sigma(x)*(1 + sigma(x))", (), "false"),
    ("x = y", ("y = 1 - x", "x = 1/2"), "true"),
]


@pytest.mark.parametrize("text, assume, truth", ORACLE_TABLE)
def test_oracle_decides_truth_with_real_analysis_semantics(text, assume, truth):
    assert oracle.judge(text, assume).truth == truth


# statement, counterexample point, the oracle's judgement of it
COUNTEREXAMPLES = [
    ("log(x)^2 >= 0", {"x": "-1"}, "outside the domain"),
    ("x^2 > 0", {"x": "0"}, "ok"),
    ("sigma(x) < 1", {"x": "1000"}, "the statement holds there"),
    ("sigma(x) = 1", {"x": "2000"}, "ok"),  # 1 - sigma(2000) is about 1e-869
    ("diff(abs(x), x)^2 = 1", {"x": "0"}, "outside the domain"),
    ("diff(abs(x^2), x) = 1", {"x": "0"}, "ok"),  # |x^2|' exists at 0 and is 0
    ("diff(abs(x - 1), x) = 1", {"x": "1"}, "outside the domain"),
    ("diff(abs(x), x) = 1", {"x": "-2"}, "ok"),
    ("sqrt(x) >= 0", {"x": "-1/2"}, "outside the domain"),
    ("x < 1", {"x": "1/2"}, "the statement holds there"),
    ("x < 1", {}, "no value for x, and it does not fail for every value"),
    ("exp(x)*exp(-x) = 1 + 1/100", {}, "ok"),  # SymPy erased x: false for every value
    ("x^0 < 1", {}, "ok"),
    ("x < 1", {"x": "pi"}, "not a rational point"),
    ("log(s) < 0", {"s": "2"}, "ok"),
]


@pytest.mark.parametrize("text, point, expected", COUNTEREXAMPLES)
def test_oracle_judges_counterexamples_inside_the_domain(text, point, expected):
    assert oracle.check_counterexample(oracle.read(text), point) == expected


def test_oracle_imports_no_kernel_interval_or_tactics():
    code = (
        "import sys, proofsheet.soundness.oracle, proofsheet.soundness.mutate\n"
        "print([m for m in sys.modules if m.startswith(('proofsheet.kernel', "
        "'proofsheet.kernel.interval', 'proofsheet.search.tactics'))])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "text",
    [
        "-x^2 + 2*sigma'(x)/3 <= (1/4)^n",
        "x/(y*z) = x/y/z",
        "(-x)^2 = -(x^2)*-1",
        "diff(abs(x), x)^2 = 1",
        "2^-x > 0",
        "exp(x)^(1/2) >= 0.25 - -x",
    ],
)
def test_printing_a_parsed_statement_reads_back_the_same_tree(text):
    tree = parse_relation(text)
    assert parse_relation(show_relation(*tree)) == tree


def test_mutants_are_deterministic_distinct_and_change_the_statement():
    first = all_mutants("sigma(x)*(1 - sigma(x)) <= 1/4", ("x > 0",))
    assert first == all_mutants("sigma(x)*(1 - sigma(x)) <= 1/4", ("x > 0",))
    keys = [(m.text, m.assume) for m in first]
    assert len(keys) == len(set(keys)) > 20
    assert ("sigma(x)*(1 - sigma(x)) <= 1/4", ("x > 0",)) not in keys


def test_mutants_spread_over_operators():
    picked = mutants("sigma(x)*(1 - sigma(x)) <= 1/4", ("x > 0",), per_statement=6)
    assert len({m.operator for m in picked}) == 6


def test_campaign_has_a_thousand_distinct_mutants():
    todo = items(per_statement=4)
    mutated = [i for i in todo if i["source"].startswith("mutant")]
    assert len(mutated) >= 1000
    assert len({(i["text"], tuple(i["assume"])) for i in todo}) == len(todo)


def test_corpus_is_large_and_every_statement_parses_for_proofsheet():
    entries = corpus() + project_steps()
    assert len(corpus()) >= 150 and len(project_steps()) >= 50
    for e in entries:
        parse_statement(e.text)
        for a in e.assume:
            parse_assumptions(a)


def test_oracle_finds_every_corpus_statement_true():
    wrong = [
        (e.text, e.assume)
        for e in corpus() + project_steps()
        if oracle.judge(e.text, e.assume).truth != "true"
    ]
    assert wrong == []


FIGURES = {"false_verified": [], "true_refuted": [], "wrong_counterexamples": 0}


@pytest.mark.parametrize(
    "figures, hostile, forgeries, fails",
    [
        (FIGURES, {"failed": []}, {"failed": []}, False),
        (FIGURES, {"available": False}, {"available": False}, False),
        (dict(FIGURES, false_verified=[{"text": "x < 0"}]), {}, {}, True),
        (dict(FIGURES, true_refuted=[{"text": "x^2 >= 0"}]), {}, {}, True),
        (dict(FIGURES, wrong_counterexamples=1), {}, {}, True),
        (FIGURES, {"failed": ["case"]}, {}, True),
        (FIGURES, {}, {"failed": ["forgery"]}, True),
    ],
)
def test_campaign_fails_on_any_lie_and_only_then(figures, hostile, forgeries, fails):
    assert failed(figures, hostile, forgeries) is fails


def test_a_campaign_slice_runs_through_the_cli_and_writes_its_figures(
    tmp_path, capsys, monkeypatch
):
    # a slice of the hostile table and of the forgeries too: each runs whole in its own tests
    monkeypatch.setattr(runner, "HOSTILE", runner.HOSTILE[:3])
    monkeypatch.setattr(runner, "FORGERIES", runner.FORGERIES[:5])
    out = tmp_path / "soundness.json"
    code = campaign(["--every", "400", "--workers", "1", "--seconds", "2", "--out", str(out)])
    data = json.loads(out.read_text())
    table = data["figures"]["table"]
    assert sum(sum(row.values()) for row in table.values()) == len(data["results"]) >= 4
    assert {r["status"] for r in data["results"]} <= {
        "verified",
        "refuted",
        "undecided",
        "bad input",
    }
    assert code == (1 if failed(data["figures"], data["hostile"], data["forgeries"]) else 0)
    assert "oracle says" in capsys.readouterr().out
    assert (data["hostile"]["total"], data["forgeries"]["total"]) == (3, 5)


def _dies_on_sigma_zero(task):
    index, item, _ = task
    if item["text"] == "sigma(0) = 1/2":
        os._exit(3)
    return index, dict(item, status="undecided", truth="true")


def test_a_statement_that_kills_its_worker_is_a_crash_and_the_rest_still_run(monkeypatch):
    monkeypatch.setattr(runner, "run_one", _dies_on_sigma_zero)
    todo = items(per_statement=1, limit=5)
    results = runner.run_campaign(todo, seconds=1, workers=2)
    assert [r["text"] for r in results] == [i["text"] for i in todo]
    crashed = [r["text"] for r in results if r.get("reason", "").startswith("crash")]
    assert crashed == ["sigma(0) = 1/2"]
