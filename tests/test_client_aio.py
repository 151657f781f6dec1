"""The asyncio client against a real server: same answers as the blocking client."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import grpc
import pytest

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_client import AsyncQuoteTraceClient, QuoteTraceClient, Verdict, claim_request

if TYPE_CHECKING:
    from quotetrace_server.api.server import RunningServer

WHY_WE_CAME = "That’s why we came here"


def target(server: RunningServer) -> str:
    return f"127.0.0.1:{server.port}"


def test_async_verify_result_has_enum_names_and_matches_the_blocking_client(
    seeded_server: RunningServer, client: QuoteTraceClient
) -> None:
    async def verify() -> tuple[str, str]:
        async with AsyncQuoteTraceClient(target(seeded_server)) as aclient:
            await aclient.wait_ready(10)
            result = await aclient.verify_result(WHY_WE_CAME, speaker="Kim Jong Un")
            return result.verdict, result.speakers[0].name

    verdict, speaker = asyncio.run(verify())
    blocking = client.verify_result(WHY_WE_CAME, speaker="Kim Jong Un")
    assert verdict is Verdict.MISATTRIBUTED
    assert (verdict, speaker) == (blocking.verdict, blocking.speakers[0].name)


def test_async_verify_stream_answers_each_claim_in_order(seeded_server: RunningServer) -> None:
    claims = [
        ("a", claim_request(WHY_WE_CAME, "Vladimir Putin")),
        ("b", claim_request(WHY_WE_CAME, "Kim Jong Un")),
        ("c", claim_request("Nothing anybody printed about zebras", None)),
    ]

    async def stream() -> list[tuple[str, int]]:
        async with AsyncQuoteTraceClient(target(seeded_server)) as aclient:
            return [
                (r.claim_id, r.response.verdict)
                async for r in aclient.verify_stream(claims, timeout=30)
            ]

    assert asyncio.run(stream()) == [
        ("a", pb.VERDICT_VERIFIED),
        ("b", pb.VERDICT_MISATTRIBUTED),
        ("c", pb.VERDICT_NOT_FOUND),
    ]


def test_async_calls_for_speakers_quotes_stats_and_health(seeded_server: RunningServer) -> None:
    async def calls() -> tuple[str, int, int, str]:
        async with AsyncQuoteTraceClient(target(seeded_server)) as aclient:
            speaker = await aclient.get_speaker("Mr. Putin")
            quotes = [q async for q in aclient.all_quotes(speaker="Mr. Putin")]
            stats = await aclient.stats()
            return speaker.speaker.name, len(quotes), stats.article_count, await aclient.health()

    name, quotes, articles, health = asyncio.run(calls())
    assert name == "Vladimir Putin"
    assert quotes > 0
    assert articles == 5
    assert health == "SERVING"


def test_async_errors_are_grpc_statuses(seeded_server: RunningServer) -> None:
    async def empty_quote() -> None:
        async with AsyncQuoteTraceClient(target(seeded_server)) as aclient:
            await aclient.verify("")

    with pytest.raises(grpc.RpcError) as error:
        asyncio.run(empty_quote())
    assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_async_all_articles_pages_through_every_article_like_the_blocking_client(
    seeded_server: RunningServer, client: QuoteTraceClient
) -> None:
    async def articles() -> list[str]:
        async with AsyncQuoteTraceClient(target(seeded_server)) as aclient:
            return [a.article_id async for a in aclient.all_articles()]

    listed = asyncio.run(articles())
    assert len(listed) == 5
    assert listed == [a.article_id for a in client.all_articles()]


def test_async_verify_filters_reach_the_server_like_the_blocking_client(
    seeded_server: RunningServer, client: QuoteTraceClient
) -> None:
    async def filtered() -> int:
        async with AsyncQuoteTraceClient(target(seeded_server)) as aclient:
            response = await aclient.verify(WHY_WE_CAME, outlet="no such outlet anywhere")
            return response.verdict

    blocking = client.verify(WHY_WE_CAME, outlet="no such outlet anywhere").verdict
    assert asyncio.run(filtered()) == blocking == pb.VERDICT_NOT_FOUND
