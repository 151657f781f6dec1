"""Both clients retry idempotent calls the server did not take (UNAVAILABLE), within the
call's deadline, and never retry a write or a call the server answered."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Iterator
from concurrent import futures
from typing import Any

import grpc
import pytest

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_client import AsyncQuoteTraceClient, QuoteTraceClient
from quotetrace_client.client import RETRY_ATTEMPTS


class FlakyService:
    """A stand-in QuoteTrace server that counts attempts and fails as told."""

    def __init__(self) -> None:
        self.attempts: Counter[str] = Counter()
        self.unavailable_first = 0  # GetStats fails this many times, then answers

    def get_stats(self, request: pb.GetStatsRequest, context: grpc.ServicerContext) -> Any:
        self.attempts["GetStats"] += 1
        if self.attempts["GetStats"] <= self.unavailable_first:
            context.abort(grpc.StatusCode.UNAVAILABLE, "restarting")
        return pb.GetStatsResponse(article_count=7)

    def verify(self, request: pb.VerifyRequest, context: grpc.ServicerContext) -> Any:
        self.attempts["Verify"] += 1
        if request.quote == "slow":  # every attempt takes a while, then fails
            time.sleep(0.1)
            context.abort(grpc.StatusCode.UNAVAILABLE, "still restarting")
        context.abort(grpc.StatusCode.INVALID_ARGUMENT, "quote is bad")

    def ingest(self, requests: Iterator[Any], context: grpc.ServicerContext) -> Any:
        self.attempts["IngestArticles"] += 1
        for _ in requests:
            pass
        context.abort(grpc.StatusCode.UNAVAILABLE, "restarting")

    def handler(self) -> grpc.GenericRpcHandler[Any, Any]:
        def unary(method: Any, request: Any) -> Any:
            return grpc.unary_unary_rpc_method_handler(
                method,
                request_deserializer=request.FromString,
                response_serializer=lambda m: m.SerializeToString(),
            )

        return grpc.method_handlers_generic_handler(
            "quotetrace.v1.QuoteTrace",
            {
                "GetStats": unary(self.get_stats, pb.GetStatsRequest),
                "Verify": unary(self.verify, pb.VerifyRequest),
                "IngestArticles": grpc.stream_unary_rpc_method_handler(
                    self.ingest,
                    request_deserializer=pb.IngestArticlesRequest.FromString,
                    response_serializer=lambda m: m.SerializeToString(),
                ),
            },
        )


@pytest.fixture()
def flaky() -> Iterator[tuple[FlakyService, str]]:
    service = FlakyService()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    server.add_generic_rpc_handlers((service.handler(),))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    yield service, f"127.0.0.1:{port}"
    server.stop(grace=None)


def test_idempotent_call_is_retried_until_the_server_answers(
    flaky: tuple[FlakyService, str],
) -> None:
    service, target = flaky
    service.unavailable_first = RETRY_ATTEMPTS - 1
    with QuoteTraceClient(target, timeout=10) as client:
        assert client.stats().article_count == 7
    assert service.attempts["GetStats"] == RETRY_ATTEMPTS


def test_retries_give_up_after_the_last_attempt(flaky: tuple[FlakyService, str]) -> None:
    service, target = flaky
    service.unavailable_first = RETRY_ATTEMPTS + 5
    with QuoteTraceClient(target, timeout=10) as client, pytest.raises(grpc.RpcError) as error:
        client.stats()
    assert error.value.code() == grpc.StatusCode.UNAVAILABLE
    assert service.attempts["GetStats"] == RETRY_ATTEMPTS


def test_the_deadline_bounds_all_attempts_together(flaky: tuple[FlakyService, str]) -> None:
    service, target = flaky
    started = time.monotonic()
    with QuoteTraceClient(target, timeout=0.25) as client, pytest.raises(grpc.RpcError) as error:
        client.verify("slow")
    assert error.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
    assert time.monotonic() - started < 2.0
    assert 1 <= service.attempts["Verify"] < RETRY_ATTEMPTS


def test_an_answered_error_is_not_retried(flaky: tuple[FlakyService, str]) -> None:
    service, target = flaky
    with QuoteTraceClient(target, timeout=10) as client, pytest.raises(grpc.RpcError) as error:
        client.verify("bad")
    assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert service.attempts["Verify"] == 1


def test_ingest_is_not_retried(flaky: tuple[FlakyService, str]) -> None:
    service, target = flaky
    with QuoteTraceClient(target, timeout=10) as client, pytest.raises(grpc.RpcError) as error:
        client.ingest([pb.Article(text="Some text.")], timeout=10)
    assert error.value.code() == grpc.StatusCode.UNAVAILABLE
    assert service.attempts["IngestArticles"] == 1


def test_async_client_retries_idempotent_calls_too(flaky: tuple[FlakyService, str]) -> None:
    service, target = flaky
    service.unavailable_first = 2

    async def stats() -> int:
        async with AsyncQuoteTraceClient(target, timeout=10) as client:
            return (await client.stats()).article_count

    assert asyncio.run(stats()) == 7
    assert service.attempts["GetStats"] == 3
