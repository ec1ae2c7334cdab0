"""`make proofs`: report, proof log, replay, and failure on any unverified step."""

from __future__ import annotations

import io
import json

import pytest
import sympy as sp

from proofsheet.kernel import Prop
from proofsheet.kernel.errors import KernelError
from proofsheet.kernel.notation import sigma
from proofsheet.record import replay
from proofsheet.sheet import build
from proofsheet.sheet.derivation import Derivation, Text

x = sp.Symbol("x", real=True)
CERTIFIED_RULES = {"rational-identity", "derivative", "certified-sign", "interval-order"}


def one_false_step():
    d = Derivation("broken", "Q3.1", Text(en="broken", zh="错误"))
    c = d.chain(1 - sigma(x))
    c.eq(1 - 1 / (1 + sp.exp(-x)))
    c.eq(1 / (1 + sp.exp(-x)))  # wrong: this is σ(x), not 1 − σ(x)
    d.conclude("broken", c.theorem)
    return [d]


def test_a_derivation_with_one_false_step_fails_the_build(tmp_path, capsys):
    assert build.run(tmp_path, load=one_false_step) == 1
    err = capsys.readouterr().err
    assert "broken: step 2 refuted" in err and "counterexample x = " in err
    report = json.loads((tmp_path / "report.json").read_text())
    assert [s["status"] for s in report["derivations"][0]["steps"]] == ["verified", "refuted"]
    assert report["summary"]["refuted"] == 1


@pytest.fixture(scope="module")
def built(whole_build):
    return whole_build


def test_the_build_passes_and_reports_every_derivation(built):
    out, code = built
    assert code == 0
    report = json.loads((out / "report.json").read_text())
    ids = {d["id"] for d in report["derivations"]}
    assert {"sigmoid-complement", "sigmoid-derivative"} <= ids
    for d in report["derivations"]:
        for step in d["steps"]:
            assert step["status"] == "verified" and step["rule"], step
            if step["rule"] in CERTIFIED_RULES:  # rules that re-check an explicit certificate
                assert step["certificate"] is not None, step
            assert set(step) >= {
                "statement",
                "relation",
                "status",
                "rule",
                "certificate",
                "counterexample",
                "ms",
            }
    assert set(report["summary"]) == {"steps", "verified", "refuted", "undecided", "seconds"}


def test_the_proof_log_replays_and_a_tampered_log_does_not(built):
    out, _ = built
    log = json.loads((out / "proofs.json").read_text())
    assert replay.replay(log)
    entry = next(e for e in log["theorems"] if e["rule"] == "rational-identity")
    entry["prop"]["rhs"] = {"f": "Add", "a": [entry["prop"]["rhs"], {"int": "1"}]}
    with pytest.raises(KernelError):
        replay.replay(log)


def test_replay_does_not_import_the_tactics():
    import subprocess
    import sys

    code = "import proofsheet.record.replay, sys; print('proofsheet.search.tactics' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    assert out.strip() == "False"


def test_both_languages_are_written(built):
    out, _ = built
    for name in ("proofs.en.md", "proofs.en.tex", "proofs.zh.md", "proofs.zh.tex"):
        assert (out / name).stat().st_size > 500


def test_a_missing_translation_fails_the_build_naming_the_key(tmp_path, capsys):
    def untranslated():
        d = Derivation("half-done", "Q3.1", Text(en="Half done", zh="半成品"))
        d.say(en="English only.")
        return [d]

    assert build.run(tmp_path, load=untranslated, pdfs=False) == 1
    assert "no 'zh' text for half-done.0" in capsys.readouterr().err
    assert not (tmp_path / "proofs.zh.md").exists()


def test_the_sheets_have_a_section_per_question_in_the_assignments_order(built, derivations):
    out, _ = built
    order = ["Q1.1", "Q1.2", "Q2.1", "Q2.2", "Q3.1", "Q3.2", "Q3.3"]
    present = [q for q in order if any(d.question.split(" ")[0] == q for d in derivations.values())]
    for language in ("en", "zh"):
        sheet = (out / f"proofs.{language}.md").read_text(encoding="utf-8")
        positions = [sheet.index(f"\n## {q} · ") for q in present]
        assert positions == sorted(positions), language


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("stream, bar", [(io.StringIO(), False), (_Terminal(), True)])
def test_make_proofs_says_a_line_per_derivation_as_it_finishes(stream, bar):
    proved = iter(one_false_step() * 2)
    done = build.prove_each(proved, total=2, stream=stream)
    lines = [line for line in stream.getvalue().split("\n") if "proved" in line]
    assert len(done) == 2 and len(lines) == 2
    assert all("broken" in line and "2 steps" in line for line in lines)
    assert ("[" in stream.getvalue()) is bar  # a progress bar only on a terminal


def test_make_proofs_ends_with_its_wall_time(tmp_path, capsys):
    build.run(tmp_path, load=one_false_step, pdfs=False)
    assert "make proofs" in capsys.readouterr().out.splitlines()[-1]


def test_a_steps_time_includes_the_work_on_the_theorem_it_is_given():
    import time

    from proofsheet import kernel
    from proofsheet.kernel.certificates import RationalIdentity

    d = Derivation("timed", "Q0", Text(en="timed", zh="计时"))
    c = d.chain((x + 1) ** 2)
    time.sleep(0.2)  # the derivation works on the theorem it will give
    given = kernel.rational_identity(Prop((x + 1) ** 2, "=", x**2 + 2 * x + 1), RationalIdentity())
    c.eq(x**2 + 2 * x + 1, by=given)
    c.eq(x * x + 2 * x + 1)
    first, second = (s.verdict.ms for s in c.steps)
    assert first >= 200 and second < 200
