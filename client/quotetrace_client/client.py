"""A typed client for quotetrace.v1.QuoteTrace. Errors surface as grpc.RpcError.

Idempotent calls (Verify, ListQuotes, GetSpeaker, GetStats, GetArticle, ListArticles, the
health check) are retried
by grpc itself, per the service config below, when the server is UNAVAILABLE (restarting,
a connection dropped): up to RETRY_ATTEMPTS attempts with exponential backoff, all within
the call's one deadline (`timeout`). Streams are not retried: a VerifyStream's answers
may be half delivered, and an ingest stream may be larger than grpc buffers for a retry;
DeleteArticle is a write. `AsyncQuoteTraceClient` (quotetrace_client.aio) is the asyncio variant.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace.v1 import quotetrace_pb2_grpc as pb_grpc
from quotetrace_client.results import QuoteRecord, SpeakerResult, Stats, VerifyResult

DEFAULT_TARGET = "localhost:50051"
MAX_MESSAGE_BYTES = 4 * 1024 * 1024
SERVICE = "quotetrace.v1.QuoteTrace"
IDEMPOTENT_METHODS = (
    "Verify",
    "ListQuotes",
    "GetSpeaker",
    "GetStats",
    "GetArticle",
    "ListArticles",
)
RETRY_ATTEMPTS = 4  # grpc caps it at 5
RETRY_POLICY = {
    "maxAttempts": RETRY_ATTEMPTS,
    "initialBackoff": "0.1s",
    "maxBackoff": "2s",
    "backoffMultiplier": 2,
    # Only "not reached": any other status is the server's answer and would not change.
    "retryableStatusCodes": ["UNAVAILABLE"],
}
SERVICE_CONFIG = json.dumps(
    {
        "methodConfig": [
            {
                "name": [
                    *({"service": SERVICE, "method": m} for m in IDEMPOTENT_METHODS),
                    {"service": "grpc.health.v1.Health", "method": "Check"},
                ],
                "retryPolicy": RETRY_POLICY,
            }
        ]
    }
)


def channel_options(tls_server_name: str | None = None) -> list[tuple[str, int | str]]:
    """Channel options shared by the blocking and the asyncio client."""
    options: list[tuple[str, int | str]] = [
        ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
        ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
        # A connection of its own: grpc otherwise shares one TCP connection among all
        # channels to a target, and a TCP load balancer in front of several servers
        # spreads load by connection.
        ("grpc.use_local_subchannel_pool", 1),
        ("grpc.enable_retries", 1),
        ("grpc.service_config", SERVICE_CONFIG),
    ]
    if tls_server_name:
        options.append(("grpc.ssl_target_name_override", tls_server_name))
    return options


def tls_credentials(tls_ca: Path | None) -> grpc.ChannelCredentials | None:
    """TLS credentials trusting the CA certificate at `tls_ca`; None: a plaintext channel."""
    if tls_ca is None:
        return None
    return grpc.ssl_channel_credentials(root_certificates=tls_ca.read_bytes())


def auth_metadata(api_key: str | None) -> tuple[tuple[str, str], ...]:
    return (("authorization", f"Bearer {api_key}"),) if api_key else ()


def claim_request(
    quote: str,
    speaker: str | None = None,
    *,
    max_variants: int = 0,
    outlet: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> pb.VerifyRequest:
    return pb.VerifyRequest(
        quote=quote,
        claimed_speaker=speaker or "",
        max_variants=max_variants,
        outlet=outlet or "",
        date_range=pb.DateRange(start_date=date_from or "", end_date=date_to or ""),
    )


class QuoteTraceClient:
    """One channel to a quotetrace server; use as a context manager or call close()."""

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
            self._channel = grpc.secure_channel(target, credentials, options=options)
        else:
            self._channel = grpc.insecure_channel(target, options=options)
        self._stub = pb_grpc.QuoteTraceStub(self._channel)  # type: ignore[no-untyped-call]
        self._health = health_pb2_grpc.HealthStub(self._channel)
        self._metadata = auth_metadata(api_key)
        self.timeout = timeout

    def __enter__(self) -> QuoteTraceClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._channel.close()

    def verify(
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
        return self.verify_request(request)

    def verify_result(
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
        response = self.verify(
            quote,
            speaker,
            max_variants=max_variants,
            outlet=outlet,
            date_from=date_from,
            date_to=date_to,
        )
        return VerifyResult.from_proto(response)

    def verify_request(self, request: pb.VerifyRequest) -> pb.VerifyResponse:
        response: pb.VerifyResponse = self._stub.Verify(
            request, timeout=self.timeout, metadata=self._metadata
        )
        return response

    def verify_stream(
        self, claims: Iterable[tuple[str, pb.VerifyRequest]], timeout: float | None = None
    ) -> Iterator[pb.VerifyStreamResponse]:
        """Verify (claim_id, request) pairs; answers arrive in request order."""
        requests = (pb.VerifyStreamRequest(request=r, claim_id=cid) for cid, r in claims)
        responses: Iterator[pb.VerifyStreamResponse] = self._stub.VerifyStream(
            requests, timeout=timeout, metadata=self._metadata
        )
        return responses

    def ingest(
        self, articles: Iterable[pb.Article], timeout: float | None = None
    ) -> pb.IngestArticlesResponse:
        requests = (pb.IngestArticlesRequest(article=a) for a in articles)
        response: pb.IngestArticlesResponse = self._stub.IngestArticles(
            requests, timeout=timeout, metadata=self._metadata
        )
        return response

    def ingest_stream(
        self, articles: Iterable[pb.Article], timeout: float | None = None
    ) -> Iterator[pb.IngestArticlesStreamResponse]:
        """Ingest `articles` on one stream: a result per article as it is done (added,
        unchanged, replaced, or rejected with the reason), then the summary."""
        requests = (pb.IngestArticlesStreamRequest(article=a) for a in articles)
        responses: Iterator[pb.IngestArticlesStreamResponse] = self._stub.IngestArticlesStream(
            requests, timeout=timeout, metadata=self._metadata
        )
        return responses

    def delete_article(self, article_id: str) -> pb.DeleteArticleResponse:
        response: pb.DeleteArticleResponse = self._stub.DeleteArticle(
            pb.DeleteArticleRequest(article_id=article_id),
            timeout=self.timeout,
            metadata=self._metadata,
        )
        return response

    def get_article(self, article_id: str, *, include_text: bool = False) -> pb.GetArticleResponse:
        response: pb.GetArticleResponse = self._stub.GetArticle(
            pb.GetArticleRequest(article_id=article_id, include_text=include_text),
            timeout=self.timeout,
            metadata=self._metadata,
        )
        return response

    def list_articles(
        self, *, page_size: int = 0, page_token: str = "", outlet: str = ""
    ) -> pb.ListArticlesResponse:
        request = pb.ListArticlesRequest(page_size=page_size, page_token=page_token, outlet=outlet)
        response: pb.ListArticlesResponse = self._stub.ListArticles(
            request, timeout=self.timeout, metadata=self._metadata
        )
        return response

    def all_articles(self, *, outlet: str = "") -> Iterator[pb.ArticleInfo]:
        token = ""
        while True:
            page = self.list_articles(page_size=500, page_token=token, outlet=outlet)
            yield from page.articles
            token = page.next_page_token
            if not token:
                return

    def list_quotes(
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
        response: pb.ListQuotesResponse = self._stub.ListQuotes(
            request, timeout=self.timeout, metadata=self._metadata
        )
        return response

    def all_quotes(self, *, article_id: str = "", speaker: str = "") -> Iterator[pb.Quote]:
        token = ""
        while True:
            page = self.list_quotes(
                article_id=article_id, speaker=speaker, page_size=500, page_token=token
            )
            yield from page.quotes
            token = page.next_page_token
            if not token:
                return

    def quote_records(self, *, article_id: str = "", speaker: str = "") -> Iterator[QuoteRecord]:
        """Like all_quotes(), as typed QuoteRecords (kinds by name)."""
        for quote in self.all_quotes(article_id=article_id, speaker=speaker):
            yield QuoteRecord.from_proto(quote)

    def get_speaker(self, name: str) -> pb.GetSpeakerResponse:
        response: pb.GetSpeakerResponse = self._stub.GetSpeaker(
            pb.GetSpeakerRequest(name=name), timeout=self.timeout, metadata=self._metadata
        )
        return response

    def speaker_result(self, name: str) -> SpeakerResult:
        """Like get_speaker(), as a typed SpeakerResult (kinds by name)."""
        return SpeakerResult.from_proto(self.get_speaker(name))

    def stats(self) -> pb.GetStatsResponse:
        response: pb.GetStatsResponse = self._stub.GetStats(
            pb.GetStatsRequest(), timeout=self.timeout, metadata=self._metadata
        )
        return response

    def stats_result(self) -> Stats:
        """Like stats(), as a typed Stats."""
        return Stats.from_proto(self.stats())

    def health(self, service: str = "") -> str:
        """SERVING, NOT_SERVING, ... for the whole server ("") or one service."""
        response = self._health.Check(
            health_pb2.HealthCheckRequest(service=service), timeout=self.timeout
        )
        return str(health_pb2.HealthCheckResponse.ServingStatus.Name(response.status))

    def wait_ready(self, timeout: float) -> None:
        grpc.channel_ready_future(self._channel).result(timeout=timeout)
