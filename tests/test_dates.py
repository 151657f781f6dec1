"""Dates are stored as YYYY-MM-DD whatever ISO form they came in, so filters match (B11)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import grpc
import pytest

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_client import QuoteTraceClient, claim_request
from quotetrace_server.api.server import start_server
from quotetrace_server.config import ServerConfig
from quotetrace_server.engine.engine import Engine
from quotetrace_server.ingest.metadata import normalized_date
from quotetrace_server.ingest.reader import IngestError, read_articles


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("2023-09-13", "2023-09-13"),
        ("20230913", "2023-09-13"),
        ("2023-W37-3", "2023-09-13"),  # Wednesday of ISO week 37
        ("2023W373", "2023-09-13"),
        ("2023-09-13T23:30:00+05:00", "2023-09-13"),  # the date as written
        (" 2024-02-29 ", "2024-02-29"),
    ],
)
def test_accepted_forms_become_yyyy_mm_dd(written: str, stored: str) -> None:
    assert normalized_date(written) == stored


@pytest.mark.parametrize(
    "written", ["2023-W37", "2023W37", "2023-13-01", "2023-02-29", "2023-09", "13/09/2023", ""]
)
def test_forms_that_name_no_single_date_are_refused(written: str) -> None:
    with pytest.raises(ValueError, match=r"is not a date \(YYYY-MM-DD"):
        normalized_date(written)


def status_of(call: Callable[[], Any]) -> tuple[grpc.StatusCode, str]:
    with pytest.raises(grpc.RpcError) as caught:
        call()
    error = caught.value
    assert isinstance(error, grpc.Call)
    return error.code(), error.details() or ""


def test_ingested_dates_in_other_forms_are_found_by_the_date_filter(
    tmp_path: Path, models_dir: str
) -> None:
    engine = Engine.open(tmp_path / "index.db", models_dir)
    running = start_server(engine, ServerConfig(host="127.0.0.1", port=0, open_writes=True))
    texts = {
        "20230913": "“The harbour bridge opens before the first snow,” Ana Novak said.",
        "2023-W37-3": "“Every ferry will run twice as often next summer,” Ben Kowal said.",
    }
    try:
        with QuoteTraceClient(f"127.0.0.1:{running.port}", timeout=120) as client:
            sent = [pb.Article(text=t, date=d, source_name=d) for d, t in texts.items()]
            assert client.ingest(sent).articles_added == 2
            for quote in (
                "The harbour bridge opens before the first snow",
                "Every ferry will run twice as often next summer",
            ):
                on_the_day = claim_request(quote, date_from="2023-09-13", date_to="2023-09-13")
                found = client.verify_request(on_the_day)
                assert found.verdict == pb.VERDICT_VERIFIED, quote
                assert found.variants[0].occurrences[0].date == "2023-09-13"
                after = claim_request(quote, date_from="2023-09-14")
                assert client.verify_request(after).verdict == pb.VERDICT_NOT_FOUND
            code, details = status_of(
                lambda: client.ingest(
                    [pb.Article(text="“A line,” Ana Novak said.", date="2023-W37")]
                )
            )
            assert code == grpc.StatusCode.INVALID_ARGUMENT
            assert details.startswith("article 1: article.date '2023-W37' is not a date")
    finally:
        running.stop(None)
        engine.close()


def test_manifest_dates_are_normalised_and_bad_ones_name_the_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("“We came,” Ana Novak said.\n", encoding="utf-8")
    manifest = tmp_path / "manifest.jsonl"
    manifest.write_text(json.dumps({"file": "a.txt", "date": "20230913"}) + "\n", encoding="utf-8")
    [article] = read_articles([tmp_path])
    assert article.meta.date == "2023-09-13"
    manifest.write_text(json.dumps({"file": "a.txt", "date": "Sept 13"}) + "\n", encoding="utf-8")
    with pytest.raises(
        IngestError, match=r"manifest entry for a.txt: date 'Sept 13' is not a date"
    ):
        list(read_articles([tmp_path]))
