"""The asyncio client for quotetrace.v1.QuoteTrace (grpc.aio). Errors surface as grpc.RpcError
(grpc.aio.AioRpcError).

The same calls, options, retry policy and deadlines as the blocking `QuoteTraceClient`;
every method is a coroutine, and `verify_stream` / `all_quotes` are async iterators::

    async with AsyncQuoteTraceClient("localhost:50051") as client:
        result = await client.verify_result("We will rebuild the wall", speaker="Marta Oyelaran")
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, AsyncIterator, Iterable
from pathlib import Path
from types import TracebackType

import grpc
import grpc.aio
from grpc_health.v1 import health_pb2, health_pb2_grpc

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace.v1 import quotetrace_pb2_grpc as pb_grpc
from quotetrace_client.client import (
    DEFAULT_TARGET,
    auth_metadata,
    channel_options,
    claim_request,
    tls_credentials,
)
from quotetrace_client.results import QuoteRecord, SpeakerResult, Stats, VerifyResult

Claims = Iterable[tuple[str, pb.VerifyRequest]] | AsyncIterable[tuple[str, pb.VerifyRequest]]


async def stream_requests(claims: Claims) -> AsyncIterator[pb.VerifyStreamRequest]:
    if isinstance(claims, AsyncIterable):
        async for claim_id, request in claims:
            yield pb.VerifyStreamRequest(request=request, claim_id=claim_id)
    else:
        for claim_id, request in claims:
            yield pb.VerifyStreamRequest(request=request, claim_id=claim_id)


class AsyncQuoteTraceClient:
    """One grpc.aio channel to a quotetrace server; `async with` it or await close().

    Create it inside the event loop that will use it: a grpc.aio channel belongs to
    the loop it was made on.
    """

    def __init__(
        self,
        target: str = DEFAULT_TARGET,
        *,
        api_key: str | None = None,
        tls_ca: Path | None = None,
        tls_server_name: str | None = None,
        timeout: float | None = 30.0,
    ) -> None:
        options = channel_options(tls_server_name)
        credentials = tls_credentials(tls_ca)
        if credentials is not None:
            self._channel = grpc.aio.secure_channel(target, credentials, options=options)
        else:
            self._channel = grpc.aio.insecure_channel(target, options=options)
        self._stub = pb_grpc.QuoteTraceStub(self._channel)  # type: ignore[no-untyped-call]
        self._health = health_pb2_grpc.HealthStub(self._channel)
        self._metadata = auth_metadata(api_key)
        self.timeout = timeout

    async def __aenter__(self) -> AsyncQuoteTraceClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        await self._channel.close(None)

    async def verify(
        self,
        quote: str,
        speaker: str | None = None,
        *,
        max_variants: int = 0,
        outlet: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> pb.VerifyResponse:
        request = claim_request(
            quote,
            speaker,
            max_variants=max_variants,
            outlet=outlet,
            date_from=date_from,
            date_to=date_to,
        )
        return await self.verify_request(request)

    async def verify_result(
        self,
        quote: str,
        speaker: str | None = None,
        *,
        max_variants: int = 0,
        outlet: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> VerifyResult:
        """Like verify(), as a typed VerifyResult: enum names, tuples, and `raw`."""
        response = await self.verify(
            quote,
            speaker,
            max_variants=max_variants,
            outlet=outlet,
            date_from=date_from,
            date_to=date_to,
        )
        return VerifyResult.from_proto(response)

    async def verify_request(self, request: pb.VerifyRequest) -> pb.VerifyResponse:
        response: pb.VerifyResponse = await self._stub.Verify(
            request, timeout=self.timeout, metadata=self._metadata
        )
        return response

    async def verify_stream(
        self, claims: Claims, timeout: float | None = None
    ) -> AsyncIterator[pb.VerifyStreamResponse]:
        """Verify (claim_id, request) pairs; answers arrive in request order."""
        call = self._stub.VerifyStream(
            stream_requests(claims), timeout=timeout, metadata=self._metadata
        )
        async for response in call:
            yield response

    async def ingest(
        self, articles: Iterable[pb.Article], timeout: float | None = None
    ) -> pb.IngestArticlesResponse:
        requests = (pb.IngestArticlesRequest(article=a) for a in articles)
        response: pb.IngestArticlesResponse = await self._stub.IngestArticles(
            requests, timeout=timeout, metadata=self._metadata
        )
        return response

    async def ingest_stream(
        self, articles: Iterable[pb.Article], timeout: float | None = None
    ) -> AsyncIterator[pb.IngestArticlesStreamResponse]:
        """Ingest `articles` on one stream: a result per article as it is done, then the
        summary (see QuoteTraceClient.ingest_stream)."""
        requests = (pb.IngestArticlesStreamRequest(article=a) for a in articles)
        call = self._stub.IngestArticlesStream(requests, timeout=timeout, metadata=self._metadata)
        async for response in call:
            yield response

    async def delete_article(self, article_id: str) -> pb.DeleteArticleResponse:
        response: pb.DeleteArticleResponse = await self._stub.DeleteArticle(
            pb.DeleteArticleRequest(article_id=article_id),
            timeout=self.timeout,
            metadata=self._metadata,
        )
        return response

    async def get_article(
        self, article_id: str, *, include_text: bool = False
    ) -> pb.GetArticleResponse:
        response: pb.GetArticleResponse = await self._stub.GetArticle(
            pb.GetArticleRequest(article_id=article_id, include_text=include_text),
            timeout=self.timeout,
            metadata=self._metadata,
        )
        return response

    async def list_articles(
        self, *, page_size: int = 0, page_token: str = "", outlet: str = ""
    ) -> pb.ListArticlesResponse:
        request = pb.ListArticlesRequest(page_size=page_size, page_token=page_token, outlet=outlet)
        response: pb.ListArticlesResponse = await self._stub.ListArticles(
            request, timeout=self.timeout, metadata=self._metadata
        )
        return response

    async def all_articles(self, *, outlet: str = "") -> AsyncIterator[pb.ArticleInfo]:
        token = ""
        while True:
            page = await self.list_articles(page_size=500, page_token=token, outlet=outlet)
            for article in page.articles:
                yield article
            token = page.next_page_token
            if not token:
                return

    async def list_quotes(
        self,
        *,
        article_id: str = "",
        speaker: str = "",
        page_size: int = 0,
        page_token: str = "",
    ) -> pb.ListQuotesResponse:
        request = pb.ListQuotesRequest(
            article_id=article_id, speaker=speaker, page_size=page_size, page_token=page_token
        )
        response: pb.ListQuotesResponse = await self._stub.ListQuotes(
            request, timeout=self.timeout, metadata=self._metadata
        )
        return response

    async def all_quotes(
        self, *, article_id: str = "", speaker: str = ""
    ) -> AsyncIterator[pb.Quote]:
        token = ""
        while True:
            page = await self.list_quotes(
                article_id=article_id, speaker=speaker, page_size=500, page_token=token
            )
            for quote in page.quotes:
                yield quote
            token = page.next_page_token
            if not token:
                return

    async def quote_records(
        self, *, article_id: str = "", speaker: str = ""
    ) -> AsyncIterator[QuoteRecord]:
        """Like all_quotes(), as typed QuoteRecords (kinds by name)."""
        async for quote in self.all_quotes(article_id=article_id, speaker=speaker):
            yield QuoteRecord.from_proto(quote)

    async def get_speaker(self, name: str) -> pb.GetSpeakerResponse:
        response: pb.GetSpeakerResponse = await self._stub.GetSpeaker(
            pb.GetSpeakerRequest(name=name), timeout=self.timeout, metadata=self._metadata
        )
        return response

    async def speaker_result(self, name: str) -> SpeakerResult:
        """Like get_speaker(), as a typed SpeakerResult (kinds by name)."""
        return SpeakerResult.from_proto(await self.get_speaker(name))

    async def stats(self) -> pb.GetStatsResponse:
        response: pb.GetStatsResponse = await self._stub.GetStats(
            pb.GetStatsRequest(), timeout=self.timeout, metadata=self._metadata
        )
        return response

    async def stats_result(self) -> Stats:
        """Like stats(), as a typed Stats."""
        return Stats.from_proto(await self.stats())

    async def health(self, service: str = "") -> str:
        """SERVING, NOT_SERVING, ... for the whole server ("") or one service."""
        response = await self._health.Check(
            health_pb2.HealthCheckRequest(service=service), timeout=self.timeout
        )
        return str(health_pb2.HealthCheckResponse.ServingStatus.Name(response.status))

    async def wait_ready(self, timeout: float) -> None:
        async with asyncio.timeout(timeout):
            await self._channel.channel_ready()
