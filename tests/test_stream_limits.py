"""Idle streams are closed, and open calls never starve health checking (issue 15, B15)."""

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
from quotetrace_server.api.engine import Engine
from quotetrace_server.api.server import RunningServer, start_server
from quotetrace_server.config import Limits, ServerConfig

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

    def silent() -> Iterator[tuple[str, pb.VerifyRequest]]:
        release.wait(60)  # sends nothing, keeps the stream open
        yield from ()

    target = f"127.0.0.1:{server.port}"
    with QuoteTraceClient(target, timeout=5) as client:
        try:
            streams = [client.verify_stream(silent()) for _ in range(CAP)]
            time.sleep(0.5)  # the streams have started and hold every slot
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
                claims.put(
                    pb.VerifyStreamRequest(
                        claim_id=f"c{number}", request=pb.VerifyRequest(quote="anything at all")
                    )
                )
                answer = next(answers)
                assert answer.claim_id == f"c{number}"
                time.sleep(IDLE * 0.6)  # a pause, shorter than the idle timeout
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
