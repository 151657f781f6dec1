"""A killed server loses nothing it committed and leaves no half article; SIGTERM drains calls."""

from __future__ import annotations

import contextlib
import signal
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_client import QuoteTraceClient
from quotetrace_server.engine.engine import Engine
from quotetrace_server.ingest.model import Article

from .serverproc import ServerProcess

REPRINTS = 2  # each seed reprinted this many times: 10 distinct real articles


def reprints(seed_texts: dict[str, str]) -> list[pb.Article]:
    """Real seed articles, each reprinted with a distinct footer so every text is new."""
    return [
        pb.Article(text=f"{text}\n\n(Reprint {n})\n", source_name=f"r{n}-{name}")
        for n in range(REPRINTS)
        for name, text in seed_texts.items()
    ]


def ingest_in_background(target: str, articles: list[pb.Article]) -> threading.Thread:
    def send() -> None:
        # The server is killed mid-stream on purpose: the error is expected.
        with QuoteTraceClient(target) as client, contextlib.suppress(grpc.RpcError):
            client.ingest(articles, timeout=300)

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    return thread


def wait_for_articles(target: str, at_least: int, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    with QuoteTraceClient(target, timeout=5) as client:
        while time.monotonic() < deadline:
            count = client.stats().article_count
            if count >= at_least:
                return count
            time.sleep(0.05)
    raise TimeoutError(f"fewer than {at_least} articles after {timeout}s")


def expected_quote_counts(models_dir: str, articles: list[pb.Article]) -> dict[str, int]:
    """What a clean, uninterrupted ingest stores for each article."""
    engine = Engine.open(":memory:", models_dir)
    try:
        return {
            outcome.article_id: outcome.quotes_added
            for outcome in (engine.ingest(Article(text=a.text)) for a in articles)
        }
    finally:
        engine.close()


@pytest.mark.slow
def test_sigkill_mid_ingest_leaves_a_consistent_index_that_reingest_completes(
    tmp_path: Path, models_dir: str, seed_texts: dict[str, str]
) -> None:
    articles = reprints(seed_texts)
    db = tmp_path / "index.db"
    with ServerProcess(db) as server:
        ingest_in_background(server.target, articles)
        wait_for_articles(server.target, at_least=3)
        server.kill()  # SIGKILL: no chance to clean up

    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    expected = expected_quote_counts(models_dir, articles)
    with ServerProcess(db) as server, QuoteTraceClient(server.target) as client:
        committed = client.stats().article_count
        assert 3 <= committed < len(articles), "the kill must land mid-ingest"
        for article_id, quotes in expected.items():
            try:
                stored = list(client.all_quotes(article_id=article_id))
            except grpc.RpcError as error:
                assert isinstance(error, grpc.Call)
                assert error.code() == grpc.StatusCode.NOT_FOUND  # not committed: wholly absent
                continue
            assert len(stored) == quotes, f"article {article_id} is half-ingested"
            searchable = next(q for q in stored if len(q.text.split()) >= 4)
            found = client.verify(searchable.text)
            assert found.verdict != pb.VERDICT_NOT_FOUND
            assert article_id in {o.article_id for v in found.variants for o in v.occurrences}

        summary = client.ingest(articles, timeout=300)
        assert summary.articles_unchanged == committed
        assert summary.articles_added == len(articles) - committed
        stats = client.stats()
        assert stats.article_count == len(articles)
        assert stats.quote_count == sum(expected.values())


@pytest.mark.slow
def test_sigterm_drains_the_call_in_flight_then_exits_cleanly(
    tmp_path: Path, seed_texts: dict[str, str]
) -> None:
    articles = reprints(seed_texts)[:4]
    server = ServerProcess(tmp_path / "index.db", "--grace", "120").start()
    try:
        results: list[pb.IngestArticlesResponse] = []

        def slow_stream() -> Iterator[pb.Article]:
            for number, article in enumerate(articles):
                if number == 1:
                    server.signal(signal.SIGTERM)  # shutdown begins while this call is open
                yield article

        with QuoteTraceClient(server.target) as client:
            results.append(client.ingest(slow_stream(), timeout=120))
            assert server.wait(60) == 0
        assert results[0].articles_added == len(articles)
        with QuoteTraceClient(server.target, timeout=2) as client, pytest.raises(grpc.RpcError):
            client.stats()
    finally:
        server.__exit__(None, None, None)
