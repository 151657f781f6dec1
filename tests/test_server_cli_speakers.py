"""`quotetrace-server speakers`: list, show, merge, split, rename, edits, import (invented
names)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quotetrace_server.cli import main

try:  # tests/ as a package or as a plain folder on sys.path
    from .test_index_speaker_edits import _build  # type: ignore[import-not-found, unused-ignore]
except ImportError:
    from test_index_speaker_edits import _build  # type: ignore[no-redef, import-not-found, unused-ignore]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_speakers_commands_correct_the_index_and_export_the_edits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "q.db"
    _build(db).close()
    code, out, _ = _run(capsys, "speakers", "--db", str(db), "list")
    assert code == 0 and "Ilsa Kernholt" in out and "Tomas Velland" in out
    code, out, _ = _run(capsys, "speakers", "--db", str(db), "show", "T Velland")
    assert code == 0 and "forms: " in out and "initial" in out
    code, out, _ = _run(
        capsys, "speakers", "--db", str(db), "merge", "Ilsa Marovic", "Ilsa Kernholt"
    )
    assert code == 0 and out.startswith("merged: Ilsa Marovic")
    code, out, _ = _run(capsys, "speakers", "--db", str(db), "rename", "Ilsa Marovic", "I. M.-K.")
    assert code == 0 and "renamed" in out
    code, out, _ = _run(capsys, "speakers", "--db", str(db), "edits")
    edits = [json.loads(line) for line in out.splitlines()]
    assert [e["op"] for e in edits] == ["merge", "rename"]

    # Corrections exported from one index apply to another built without them.
    exported = tmp_path / "edits.jsonl"
    exported.write_text(out, encoding="utf-8")
    other = tmp_path / "other.db"
    _build(other).close()
    code, out, _ = _run(capsys, "speakers", "--db", str(other), "import", str(exported))
    assert code == 0 and out.startswith("2 correction(s)")
    code, out, _ = _run(capsys, "speakers", "--db", str(other), "show", "Ilsa Kernholt")
    assert "I. M.-K." in out and "2 quotation(s)" in out


def test_speakers_refuses_a_missing_index_and_an_ambiguous_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, "speakers", "--db", str(tmp_path / "none.db"), "list")
    assert code == 2 and "no index" in err
    db = tmp_path / "q.db"
    _build(db, [("the ferry runs", "Ilsa Marovic"), ("the bank lends", "Ivo Marovic")]).close()
    code, _, err = _run(capsys, "speakers", "--db", str(db), "rename", "Marovic", "X")
    assert code == 2 and "ambiguous" in err
