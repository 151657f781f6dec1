"""Typed results for every read, in both clients: enum members by name, tuples, frozen."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import TYPE_CHECKING

import pytest

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_client import AsyncQuoteTraceClient, QuoteTraceClient
from quotetrace_client.results import QuoteKind, QuoteRecord, SpeakerKind, SpeakerResult, Stats

if TYPE_CHECKING:
    from quotetrace_server.api.server import RunningServer


def test_speaker_result_names_its_kind_and_keeps_the_message(client: QuoteTraceClient) -> None:
    raw = client.get_speaker("Mr. Putin")
    typed = client.speaker_result("Mr. Putin")
    assert typed.raw == raw
    assert typed.speaker.name == raw.speaker.name == "Vladimir Putin"
    assert typed.speaker.kind is SpeakerKind.PERSON
    assert typed.article_ids == tuple(raw.article_ids)
    assert [f.form for f in typed.forms] == [f.form for f in raw.forms]
    with pytest.raises(dataclasses.FrozenInstanceError):
        typed.ambiguous = True  # type: ignore[misc]


def test_quote_records_name_their_kind(client: QuoteTraceClient) -> None:
    raw = list(client.all_quotes(speaker="Mr. Putin"))
    typed = list(client.quote_records(speaker="Mr. Putin"))
    assert [q.quote_id for q in typed] == [q.quote_id for q in raw]
    assert [q.kind for q in typed] == [
        QuoteKind(pb.QuoteKind.Name(q.kind).removeprefix("QUOTE_KIND_")) for q in raw
    ]
    assert all(isinstance(q.kind, QuoteKind) and q.kind != "UNSPECIFIED" for q in typed)


def test_stats_result_counts_the_corpus(client: QuoteTraceClient) -> None:
    raw = client.stats()
    assert client.stats_result() == Stats.from_proto(raw)
    assert client.stats_result().nlp_processors == tuple(raw.nlp_processors)


def test_async_client_gives_the_same_typed_results(
    seeded_server: RunningServer, client: QuoteTraceClient
) -> None:
    async def typed() -> tuple[SpeakerResult, list[QuoteRecord], Stats]:
        async with AsyncQuoteTraceClient(f"127.0.0.1:{seeded_server.port}") as aclient:
            speaker = await aclient.speaker_result("Mr. Putin")
            quotes = [q async for q in aclient.quote_records(speaker="Mr. Putin")]
            return speaker, quotes, await aclient.stats_result()

    speaker, quotes, stats = asyncio.run(typed())
    assert speaker == client.speaker_result("Mr. Putin")
    assert quotes == list(client.quote_records(speaker="Mr. Putin"))
    assert stats == client.stats_result()
