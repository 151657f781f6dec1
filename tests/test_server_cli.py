"""`quotetrace-server` subcommands: extract, index; errors are one line with a non-zero exit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quotetrace_server.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_extract_json_prints_one_object_per_quotation_with_exact_offsets(
    capsys: pytest.CaptureFixture[str], models_dir: str, seed_dir: Path
) -> None:
    seed = seed_dir / "003_6fc9c43e80142e63.txt"
    code, out, _ = run(capsys, "extract", str(seed), "--json")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    text = seed.read_text(encoding="utf-8")
    assert len(rows) >= 15
    for row in rows:
        assert set(row) >= {
            "quote",
            "start",
            "end",
            "kind",
            "speaker",
            "speaker_mention",
            "cue",
            "sieve",
            "confidence",
        }
        assert text[row["start"] : row["end"]] == row["quote"]
    assert {"Vladimir Putin", "Kim Jong Un"} <= {r["speaker"] for r in rows}


def test_index_builds_a_db_and_a_second_run_changes_nothing(
    capsys: pytest.CaptureFixture[str], models_dir: str, seed_dir: Path, tmp_path: Path
) -> None:
    db = tmp_path / "seeds.db"
    code, out, _ = run(capsys, "index", str(seed_dir), "--db", str(db), "--no-progress")
    assert code == 0
    assert out.startswith("5 articles added, 0 unchanged")
    assert "processors: tokenize" in out
    code, out, _ = run(capsys, "index", str(seed_dir), "--db", str(db), "--no-progress")
    assert out.startswith("0 articles added, 5 unchanged, 0 quotes added")


def test_index_of_a_missing_path_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "index", str(tmp_path / "nope"), "--db", str(tmp_path / "x.db"))
    assert code == 2 and out == ""
    assert err.strip() == f"quotetrace-server: {tmp_path / 'nope'}: no such file or directory"


def test_extract_of_an_unreadable_file_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "extract", str(tmp_path / "missing.txt"))
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "No such file" in err


def test_serve_with_half_a_tls_pair_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "serve", "--db", str(tmp_path / "x.db"), "--tls-cert", "c.pem")
    assert code == 2
    assert err.strip() == "quotetrace-server: --tls-cert and --tls-key go together"
