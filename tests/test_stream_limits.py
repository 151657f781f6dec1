"""Idle streams are closed, open calls never starve health checking (issue 15, B15), and
an ingest stream's response stays small however long the stream (B16)."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_client import QuoteTraceClient
from quotetrace_server.api.convert import MAX_INGEST_IDS, IngestTally, ingest_response
from quotetrace_server.api.server import RunningServer, start_server
from quotetrace_server.config import Limits, ServerConfig
from quotetrace_server.engine.engine import Engine
from quotetrace_server.index.model import IngestOutcome, IngestStatus

IDLE = 1.5
CAP = 4


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[RunningServer]:
    engine = Engine.open(tmp_path / "index.db")  # Verify of an empty index needs no NLP
    config = ServerConfig(
        host="127.0.0.1",
        port=0,
        max_concurrent_calls=CAP,
        open_writes=True,
        limits=Limits(stream_idle_seconds=IDLE),
    )
    running = start_server(engine, config)
    yield running
    running.stop(None)
    engine.close()


def code_and_details(error: grpc.RpcError) -> tuple[grpc.StatusCode, str]:
    assert isinstance(error, grpc.Call)
    return error.code(), error.details() or ""


def test_idle_streams_are_closed_and_never_lock_out_health(server: RunningServer) -> None:
    release = threading.Event()

    def quiet_after_one() -> Iterator[tuple[str, pb.VerifyRequest]]:
        yield "first", pb.VerifyRequest(quote="anything at all")
        release.wait(60)  # then sends nothing, keeps the stream open
        yield from ()

    target = f"127.0.0.1:{server.port}"
    with QuoteTraceClient(target, timeout=5) as client:
        try:
            streams = [client.verify_stream(quiet_after_one()) for _ in range(CAP)]
            # Each stream's first answer shows it was let in and holds its slot (a fixed
            # pause could end before a loaded machine has let them all in).
            for stream in streams:
                assert next(stream).claim_id == "first"
            started = time.monotonic()
            assert client.health() == "SERVING"  # not counted against the cap
            with pytest.raises(grpc.RpcError) as full:
                client.verify("anything at all")
            code, details = code_and_details(full.value)
            assert code == grpc.StatusCode.RESOURCE_EXHAUSTED
            assert f"{CAP} calls in progress" in details
            for stream in streams:
                with pytest.raises(grpc.RpcError) as closed:
                    next(stream)
                code, details = code_and_details(closed.value)
                assert code == grpc.StatusCode.DEADLINE_EXCEEDED
                assert "closed as idle" in details
            assert time.monotonic() - started < IDLE + 5
            assert client.verify("anything at all").verdict == pb.VERDICT_NOT_FOUND
        finally:
            release.set()


def test_a_stream_that_waits_for_each_answer_gets_it_and_is_not_idle(
    server: RunningServer,
) -> None:
    """Each answer goes out when ready, not when a window of claims has filled."""
    claims: queue.Queue[pb.VerifyStreamRequest | None] = queue.Queue()

    def fed() -> Iterator[pb.VerifyStreamRequest]:
        while (claim := claims.get()) is not None:
            yield claim

    with QuoteTraceClient(f"127.0.0.1:{server.port}") as client:
        answers = client._stub.VerifyStream(fed(), timeout=20)
        try:
            for number in range(3):
                sent = time.monotonic()
                claims.put(
                    pb.VerifyStreamRequest(
                        claim_id=f"c{number}", request=pb.VerifyRequest(quote="anything at all")
                    )
                )
                answer = next(answers)
                assert answer.claim_id == f"c{number}"
                # A pause shorter than the idle timeout, counted from the claim: the
                # server's idle clock runs from its reading of the claim, answering
                # included, and a loaded machine can take a good part of a second to answer.
                time.sleep(max(0.0, IDLE * 0.6 - (time.monotonic() - sent)))
        finally:
            claims.put(None)
        assert list(answers) == []


def test_an_idle_ingest_stream_is_closed(server: RunningServer) -> None:
    release = threading.Event()

    def silent() -> Iterator[pb.Article]:
        release.wait(60)
        yield from ()

    with QuoteTraceClient(f"127.0.0.1:{server.port}", timeout=IDLE + 10) as client:
        try:
            with pytest.raises(grpc.RpcError) as closed:
                client.ingest(silent())
        finally:
            release.set()
    code, details = code_and_details(closed.value)
    assert code == grpc.StatusCode.DEADLINE_EXCEEDED
    assert "closed as idle" in details


# --- bounded ingest response (issue 15, B16) ----------------------------------------------


def test_a_long_ingest_stream_gets_counts_and_a_bounded_id_list(
    tmp_path: Path, models_dir: str
) -> None:
    """Was: one id per message, so 243,003 messages made the response RESOURCE_EXHAUSTED
    after every article had been committed."""
    engine = Engine.open(tmp_path / "index.db", models_dir)
    running = start_server(engine, ServerConfig(host="127.0.0.1", port=0, open_writes=True))
    copies = MAX_INGEST_IDS + 1_500
    article = pb.Article(text="“The bridge opens in May,” Ana Novak said.", source_name="a.txt")
    try:
        with QuoteTraceClient(f"127.0.0.1:{running.port}", timeout=300) as client:
            response = client.ingest(article for _ in range(copies))
    finally:
        running.stop(None)
        engine.close()
    assert response.articles_received == copies
    assert (response.articles_added, response.articles_unchanged) == (1, copies - 1)
    assert len(response.article_ids) == MAX_INGEST_IDS
    assert response.article_ids_omitted == copies - MAX_INGEST_IDS
    assert len(set(response.article_ids)) == 1


def test_the_ingest_response_size_does_not_grow_with_the_stream() -> None:
    tally = IngestTally()
    for n in range(MAX_INGEST_IDS + 10):
        tally.count(IngestOutcome(f"{n:016x}", IngestStatus.ADDED, quotes_added=3))
    tally.received = tally.added = 4_000_000_000  # as after billions of messages
    size = ingest_response(tally, ("tokenize", "mwt")).ByteSize()
    assert size < 64 * 1024 < Limits().max_message_bytes
