"""The `quotetrace` CLI: readable output, exact JSON, one-line errors with non-zero exits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_client import render
from quotetrace_client.cli import main
from quotetrace_server.api.server import RunningServer

from .serverproc import free_port


@pytest.fixture()
def server_flag(seeded_server: RunningServer) -> list[str]:
    return ["--server", f"127.0.0.1:{seeded_server.port}"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_verify_json_is_the_response_with_snake_case_fields(
    capsys: pytest.CaptureFixture[str], server_flag: list[str]
) -> None:
    code, out, _ = run(capsys, *server_flag, "verify", "That’s why we came here", "--json")
    assert code == 0
    response = json.loads(out)
    assert response["verdict"] == "VERDICT_VERIFIED"
    assert response["speakers"][0]["name"] == "Vladimir Putin"
    assert "normalized_query" in response and "nlp_processors" in response
    assert response["variants"][0]["occurrences"][0]["source_name"].endswith(".txt")


def test_verify_prints_a_readable_verdict_with_speakers_outlets_and_diff(
    capsys: pytest.CaptureFixture[str], server_flag: list[str]
) -> None:
    code, out, _ = run(
        capsys, *server_flag, "verify", "That is why we came here", "--speaker", "Kim Jong Un"
    )
    assert code == 0
    first = out.splitlines()[0]
    assert first.startswith("MISATTRIBUTED")
    assert "Vladimir Putin" in out and "Outlets:" in out and "Daily Maverick" in out


def test_batch_reports_bad_lines_by_number_and_verifies_the_rest(
    capsys: pytest.CaptureFixture[str], server_flag: list[str], tmp_path: Path
) -> None:
    claims = tmp_path / "claims.jsonl"
    claims.write_text(
        "\n".join(
            [
                json.dumps({"id": "c1", "quote": "That’s why we came here", "speaker": "Putin"}),
                "{not json",
                json.dumps({"id": "c3", "speaker": "Putin"}),
                json.dumps({"id": "c4", "quote": "That’s why we came here", "claimant": "Kim"}),
            ]
        ),
        encoding="utf-8",
    )
    code, out, err = run(capsys, *server_flag, "verify", "--file", str(claims), "--claimreview")
    assert code == 1
    assert f"{claims}:2: invalid JSON" in err
    assert f'{claims}:3: not a claim: missing "quote"' in err
    reviews = [json.loads(line) for line in out.splitlines()]
    assert [(r["quotetrace"]["claimId"], r["quotetrace"]["line"]) for r in reviews] == [
        ("c1", 1),
        ("c4", 4),
    ]
    assert [r["quotetrace"]["verdict"] for r in reviews] == ["VERIFIED", "MISATTRIBUTED"]
    assert reviews[1]["itemReviewed"]["author"] == {"@type": "Person", "name": "Kim"}
    assert reviews[1]["reviewRating"]["alternateName"] == "Misattributed"
    assert err.splitlines()[-1] == (
        f"quotetrace: {claims}: 4 line(s): 2 claim(s) verified (1 MISATTRIBUTED, 1 VERIFIED), "
        "2 skipped (1 invalid JSON, 1 not a claim)"
    )


def test_human_output_shows_each_printings_url() -> None:
    occurrence = pb.Occurrence(
        outlet="Example Post", date="2024-03-01", url="https://news.example/a1", start=3, end=9
    )
    response = pb.VerifyResponse(
        verdict=pb.VERDICT_VERIFIED,
        variants=[pb.Variant(text="we go on", exact_match=True, occurrences=[occurrence])],
    )
    lines = render.verify_text("we go on", response).splitlines()
    printing = lines.index("    - Example Post · 2024-03-01 [3:9]  unattributed")
    assert lines[printing + 1] == "      https://news.example/a1"


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--max-variants", "-1"], "-1 is negative"),
        (["--max-variants", "many"], "'many' is not a whole number"),
        (["--fail-on", "misattributed,wrong"], "unknown verdict wrong"),
    ],
)
def test_bad_option_values_are_a_one_line_usage_error(
    capsys: pytest.CaptureFixture[str], flags: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["verify", "some quote", *flags])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and message in err
    assert "Traceback" not in err


def test_speaker_flag_with_a_claims_file_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], server_flag: list[str], tmp_path: Path
) -> None:
    claims = tmp_path / "claims.jsonl"
    claims.write_text('{"quote": "That’s why we came here"}\n', encoding="utf-8")
    code, out, err = run(capsys, *server_flag, "verify", "--file", str(claims), "--speaker", "X")
    assert (code, out) == (2, "")
    assert err.strip() == (
        "quotetrace: --speaker is for one quote; with --file, each line names its speaker"
    )


def test_fail_on_sets_the_exit_status_for_a_single_quote(
    capsys: pytest.CaptureFixture[str], server_flag: list[str]
) -> None:
    quote = ["verify", "That’s why we came here", "--speaker", "Kim Jong Un"]
    assert run(capsys, *server_flag, *quote, "--fail-on", "altered")[0] == 0
    assert run(capsys, *server_flag, *quote, "--fail-on", "altered,MISATTRIBUTED")[0] == 3


def test_unreachable_server_is_one_line_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "--server", f"127.0.0.1:{free_port()}", "--timeout", "2", "verify", "x y z"
    )
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("quotetrace: cannot reach a quotetrace server")


def test_bad_flag_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["verify", "--no-such-flag"])
    assert exited.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_unreadable_claims_file_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], server_flag: list[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, *server_flag, "verify", "--file", str(tmp_path / "missing.jsonl"))
    assert code == 2
    assert err.strip() == f"quotetrace: {tmp_path / 'missing.jsonl'}: No such file or directory"


def test_server_side_rejection_is_one_line_with_the_status(
    capsys: pytest.CaptureFixture[str], server_flag: list[str]
) -> None:
    code, _, err = run(capsys, *server_flag, "verify", "   ")
    assert code == 1
    assert err.strip() == "quotetrace: INVALID_ARGUMENT: quote is empty"


def test_speaker_and_quotes_commands_list_what_the_index_holds(
    capsys: pytest.CaptureFixture[str], server_flag: list[str]
) -> None:
    code, out, _ = run(capsys, *server_flag, "speaker", "Mr. Putin", "--json")
    assert code == 0
    speaker = json.loads(out)
    assert speaker["speaker"]["name"] == "Vladimir Putin"
    article = speaker["article_ids"][0]
    code, out, _ = run(capsys, *server_flag, "quotes", "--article", article)
    assert code == 0 and "Vladimir Putin" in out


def test_health_prints_serving(capsys: pytest.CaptureFixture[str], server_flag: list[str]) -> None:
    assert run(capsys, *server_flag, "health") == (0, "SERVING\n", "")


def test_ingest_sends_files_and_an_already_indexed_text_changes_nothing(
    capsys: pytest.CaptureFixture[str], server_flag: list[str], seed_dir: Path
) -> None:
    code, out, _ = run(capsys, *server_flag, "ingest", str(seed_dir / "003_6fc9c43e80142e63.txt"))
    assert code == 0
    assert out.strip() == "1 received, 0 added, 1 unchanged, 0 quotes added"


def test_stats_prints_counts_and_processors(
    capsys: pytest.CaptureFixture[str], server_flag: list[str]
) -> None:
    code, out, _ = run(capsys, *server_flag, "stats")
    assert code == 0
    assert out.startswith("5 articles, ") and "processors tokenize" in out
