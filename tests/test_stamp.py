"""`make proofs` with nothing changed: the stamp confirms the last build instead of redoing it."""

from __future__ import annotations

import json

import pytest

from proofsheet.sheet import build, stamp


@pytest.fixture
def roots(tmp_path):
    """Two small source trees standing for the checker and the derivations."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text("A = 1\n")
    (tmp_path / "pkg" / "g.lark").write_text("start: 'x'\n")
    (tmp_path / "deriv").mkdir()
    (tmp_path / "deriv" / "d.py").write_text("D = 2\n")
    return (tmp_path / "pkg", tmp_path / "deriv")


CHANGES = {
    "a source file's bytes": lambda r: (r[0] / "a.py").write_text("A = 2\n"),
    "a grammar": lambda r: (r[0] / "g.lark").write_text("start: 'y'\n"),
    "a new derivation": lambda r: (r[1] / "e.py").write_text("E = 3\n"),
    "a file removed": lambda r: (r[1] / "d.py").unlink(),
}


@pytest.mark.parametrize("change", CHANGES)
def test_any_change_to_a_source_changes_the_input_digest(roots, change):
    before = stamp.input_digest({}, roots)
    assert stamp.input_digest({}, roots) == before
    CHANGES[change](roots)
    assert stamp.input_digest({}, roots) != before


def test_a_compiled_cache_file_is_not_an_input(roots):
    before = stamp.input_digest({}, roots)
    (roots[0] / "__pycache__").mkdir()
    (roots[0] / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\0")
    assert stamp.input_digest({}, roots) == before


def test_the_build_options_are_inputs(roots):
    assert stamp.input_digest({"pdfs": True}, roots) != stamp.input_digest({"pdfs": False}, roots)


@pytest.fixture
def stamped(tmp_path):
    out = tmp_path / "build"
    (out / "figures").mkdir(parents=True)
    outputs = [out / "report.json", out / "figures" / "sigmoid.svg"]
    for i, path in enumerate(outputs):
        path.write_text(f"output {i}")
    stamp.write_stamp(out, "d" * 64, outputs)
    return out


def _edit(out):
    (out / "report.json").write_text("edited")


def _escape(out):
    data = json.loads((out / stamp.STAMP).read_text())
    data["outputs"]["../outside"] = data["outputs"].pop("report.json")
    (out.parent / "outside").write_text("output 0")
    (out / stamp.STAMP).write_text(json.dumps(data))


STALE = {
    "an output edited": _edit,
    "an output removed": lambda out: (out / "figures" / "sigmoid.svg").unlink(),
    "the stamp removed": lambda out: (out / stamp.STAMP).unlink(),
    "the stamp not JSON": lambda out: (out / stamp.STAMP).write_text("{"),
    "a stamp naming a file outside the build": _escape,
}


def test_a_stamp_with_the_same_inputs_and_intact_outputs_confirms_them(stamped):
    assert stamp.up_to_date(stamped, "d" * 64) == 2
    assert stamp.up_to_date(stamped, "e" * 64) is None


@pytest.mark.parametrize("change", STALE)
def test_a_changed_or_missing_output_means_the_build_runs(stamped, change):
    STALE[change](stamped)
    assert stamp.up_to_date(stamped, "d" * 64) is None


def test_make_proofs_up_to_date_proves_nothing(stamped, monkeypatch, capsys):
    import derivations

    monkeypatch.setattr(stamp, "input_digest", lambda options: "d" * 64)
    monkeypatch.setattr(derivations, "derive_each", lambda: pytest.fail("proved again"))
    assert build.run(stamped) == 0
    assert "up to date" in capsys.readouterr().out


def test_outputs_named_absolutely_or_relatively_are_stamped_under_a_relative_out(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "build"
    out.mkdir()
    (out / "a.pdf").write_text("pdf")
    (out / "a.tex").write_text("tex")
    stamp.write_stamp(type(out)("build"), "d" * 64, [out / "a.pdf", type(out)("build/a.tex")])
    assert stamp.up_to_date(type(out)("build"), "d" * 64) == 2
