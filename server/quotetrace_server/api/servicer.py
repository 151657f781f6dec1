"""The quotetrace.v1.QuoteTrace servicer: validate, call the engine, convert."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any, TypeVar

import grpc

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_server import __version__
from quotetrace_server.api import convert, validation
from quotetrace_server.api.engine import Engine
from quotetrace_server.api.validation import RequestError, invalid
from quotetrace_server.config import Limits
from quotetrace_server.index.model import IngestOutcome, SpeakerRecord
from quotetrace_server.nlp.pipeline import NlpUnavailableError

log = logging.getLogger(__name__)

Response = TypeVar("Response")


class UndecodableRequest:
    """Stands in for a request whose bytes are not a valid message (e.g. bad UTF-8)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


def reject_undecodable(request: object) -> None:
    if isinstance(request, UndecodableRequest):
        raise invalid(f"request is not a valid protobuf message: {request.reason}")


def check_deadline(context: grpc.ServicerContext) -> None:
    """Stop work for a call that has been cancelled or has run out of time."""
    if not context.is_active():
        raise RequestError(grpc.StatusCode.CANCELLED, "call cancelled; work stopped")
    remaining = context.time_remaining()
    if remaining is not None and remaining <= 0:
        raise RequestError(grpc.StatusCode.DEADLINE_EXCEEDED, "deadline exceeded; work stopped")


def handles_errors(method: Callable[..., Response]) -> Callable[..., Response]:
    """Turn RequestError into the matching status; log anything else once, as INTERNAL."""

    @wraps(method)
    def wrapper(self: Any, request: Any, context: grpc.ServicerContext) -> Response:
        try:
            return method(self, request, context)
        except RequestError as error:
            context.abort(error.code, error.message)
        except NlpUnavailableError as error:  # the server can read but cannot ingest
            context.abort(grpc.StatusCode.FAILED_PRECONDITION, str(error))
        except Exception:
            log.exception("%s failed", method.__name__)
            context.abort(grpc.StatusCode.INTERNAL, f"{method.__name__} failed; see server log")
        raise AssertionError("unreachable: context.abort raises")

    return wrapper


class QuoteTraceServicer:
    def __init__(self, engine: Engine, limits: Limits) -> None:
        self.engine = engine
        self.limits = limits

    def _verify_one(self, request: Any, context: grpc.ServicerContext) -> pb.VerifyResponse:
        reject_undecodable(request)
        query = validation.verify_query(request, self.limits)
        check_deadline(context)
        result = self.engine.verify(query)
        check_deadline(context)
        return convert.verify_response(result)

    @handles_errors
    def Verify(self, request: Any, context: grpc.ServicerContext) -> pb.VerifyResponse:
        return self._verify_one(request, context)

    def VerifyStream(
        self, requests: Iterator[Any], context: grpc.ServicerContext
    ) -> Iterator[pb.VerifyStreamResponse]:
        for number, item in enumerate(requests, start=1):
            try:
                reject_undecodable(item)
                response = self._verify_one(item.request, context)
            except RequestError as error:
                context.abort(error.code, f"claim {item.claim_id or number}: {error.message}")
            yield pb.VerifyStreamResponse(response=response, claim_id=item.claim_id)

    @handles_errors
    def IngestArticles(
        self, requests: Iterator[Any], context: grpc.ServicerContext
    ) -> pb.IngestArticlesResponse:
        outcomes: list[IngestOutcome] = []
        for number, item in enumerate(requests, start=1):
            reject_undecodable(item)
            check_deadline(context)
            try:
                validation.check_article(item.article, self.limits)
            except RequestError as error:
                raise invalid(f"article {number}: {error.message}") from None
            outcomes.append(self.engine.ingest(convert.article_from_proto(item.article)))
        return convert.ingest_response(outcomes, self.engine.processors())

    @handles_errors
    def ListQuotes(self, request: Any, context: grpc.ServicerContext) -> pb.ListQuotesResponse:
        reject_undecodable(request)
        if bool(request.article_id) == bool(request.speaker):
            raise invalid("set exactly one of article_id and speaker")
        page = validation.page(request.page_size, request.page_token, self.limits)
        article_id, speaker_id = None, None
        if request.article_id:
            article_id = validation.article_id(request.article_id)
            if not self.engine.store.has_article(article_id):
                raise RequestError(grpc.StatusCode.NOT_FOUND, f"no article {article_id}")
        else:
            speaker_id = self._speaker(request.speaker).speaker_id
        quotes, total = self.engine.list_quotes(
            article_id=article_id, speaker_id=speaker_id, offset=page.offset, limit=page.limit
        )
        next_offset = page.offset + len(quotes)
        return pb.ListQuotesResponse(
            quotes=[convert.quote(q) for q in quotes],
            next_page_token=validation.encode_page_token(next_offset)
            if next_offset < total
            else "",
            total_size=total,
            nlp_processors=list(self.engine.processors()),
        )

    @handles_errors
    def GetSpeaker(self, request: Any, context: grpc.ServicerContext) -> pb.GetSpeakerResponse:
        reject_undecodable(request)
        return convert.speaker_record(self._speaker(request.name))

    def _speaker(self, name: str) -> SpeakerRecord:
        validation.checked_text("speaker name", name, self.limits.max_speaker_chars)
        record = self.engine.find_speaker(name.strip())
        if record is None:
            raise RequestError(grpc.StatusCode.NOT_FOUND, f"no speaker named {name.strip()!r}")
        return record

    @handles_errors
    def GetStats(self, request: Any, context: grpc.ServicerContext) -> pb.GetStatsResponse:
        reject_undecodable(request)
        return convert.stats_response(self.engine.stats(), __version__)
