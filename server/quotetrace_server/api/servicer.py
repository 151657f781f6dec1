"""The quotetrace.v1.QuoteTrace servicer (grpc.aio): validate, call the engine, convert.

Verify runs in the pool of worker processes when there is one (see verify_pool), else
on the event loop itself: its work is bounded (a bounded number of postings and
candidates), and a hand-off to a thread would cost more than it saves, since one
process holds one interpreter lock anyway. Work that can take long (ingest: NLP;
listing and counting rows) runs on the process's pool of blocking threads, so the loop
keeps answering Verify meanwhile.

Errors are raised as quotetrace_server.errors; api/status.ErrorInterceptor answers each
with its status, so no method here catches errors to abort the call itself.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Executor, Future
from functools import partial
from typing import Any, TypeVar

import grpc
import grpc.aio

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_server import __version__, errors
from quotetrace_server.api import convert, validation
from quotetrace_server.api.validation import invalid
from quotetrace_server.api.verify_pool import VerifyPool
from quotetrace_server.config import Limits
from quotetrace_server.engine.engine import Begun, Engine
from quotetrace_server.index.model import IngestOutcome, SpeakerLookup
from quotetrace_server.ingest.model import Article
from quotetrace_server.verify.verifier import MAX_TEXT_CHARS

log = logging.getLogger(__name__)

# Claims of one VerifyStream worked on at once (answers still go out in order).
STREAM_WINDOW = 16
# A ListQuotes page stops short of page_size once its quotations reach this many bytes;
# each quotation is bounded (text cut to MAX_TEXT_CHARS, labels to MAX_LABEL_CHARS), so
# a response stays far below the message limit whatever the index holds.
LIST_PAGE_BYTES = 1 << 20

# A claim of a VerifyStream being worked on: (claim_id, its number, its answer).
_Claim = tuple[str, int, "asyncio.Task[pb.VerifyResponse]"]
Result = TypeVar("Result")
Context = grpc.aio.ServicerContext[Any, Any]


class UndecodableRequest:
    """Stands in for a request whose bytes are not a valid message (e.g. bad UTF-8)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


def reject_undecodable(request: object) -> None:
    if isinstance(request, UndecodableRequest):
        raise invalid(f"request is not a valid protobuf message: {request.reason}")


async def next_or_idle(requests: AsyncIterator[Any], idle_seconds: float) -> Any | None:
    """The stream's next message; None at its end; DEADLINE_EXCEEDED after `idle_seconds`
    without one, so an idle stream does not hold its slot (and a worker) for ever."""
    try:
        return await asyncio.wait_for(anext(requests), idle_seconds)
    except StopAsyncIteration:
        return None
    except TimeoutError:
        raise errors.DeadlineExceeded(
            f"no message on the stream for {idle_seconds:g}s: closed as idle "
            "(the server's --stream-idle-timeout)",
        ) from None


def page_within_bytes(quotes: list[pb.Quote], limit: int) -> list[pb.Quote]:
    """The leading quotations whose encoded size stays within `limit` (at least one)."""
    size = 0
    for count, q in enumerate(quotes):
        size += q.ByteSize()
        if size > limit and count > 0:
            return quotes[:count]
    return quotes


def check_deadline(context: Context) -> None:
    """Stop work for a call that has been cancelled or has run out of time."""
    if context.cancelled():
        raise errors.Cancelled("call cancelled; work stopped")
    remaining = context.time_remaining()
    if remaining is not None and remaining <= 0:
        raise errors.DeadlineExceeded("deadline exceeded; work stopped")


# An article of an IngestArticlesStream between its reading and its writing: (number,
# name, the article, what Engine.begin_ingest began), or (number, name, None, the reason)
# for one refused before its NLP.
_Ingest = tuple[int, str, Article | None, Begun | str]


def _item(result: pb.IngestItemResult) -> pb.IngestArticlesStreamResponse:
    return pb.IngestArticlesStreamResponse(item=result)


class QuoteTraceServicer:
    def __init__(
        self,
        engine: Engine,
        limits: Limits,
        blocking: Executor,
        verify_pool: VerifyPool | None = None,
        verify_refusal: Callable[[], str | None] = lambda: None,
    ) -> None:
        self.engine = engine
        self.limits = limits
        self._blocking = blocking
        self._verify_pool = verify_pool
        # Why Verify must not answer now (an index still being seeded), or None.
        self._verify_refusal = verify_refusal

    async def _off_loop(self, work: Callable[..., Result], *args: Any) -> Result:
        return await asyncio.get_running_loop().run_in_executor(
            self._blocking, partial(work, *args)
        )

    async def _verify_one(self, request: Any, context: Context) -> pb.VerifyResponse:
        reject_undecodable(request)
        query = validation.verify_query(request, self.limits)
        if (why := self._verify_refusal()) is not None:
            raise errors.Unavailable(why)
        check_deadline(context)
        if self._verify_pool is None:
            response = convert.verify_response(self.engine.verify(query))
        else:
            response = await self._verify_pool.verify(query, context.time_remaining())
        check_deadline(context)
        return response

    async def Verify(self, request: Any, context: Context) -> pb.VerifyResponse:
        return await self._verify_one(request, context)

    async def VerifyStream(
        self, requests: AsyncIterator[Any], context: Context
    ) -> AsyncIterator[pb.VerifyStreamResponse]:
        """Answers in request order, each as soon as it and those before it are ready; up
        to STREAM_WINDOW claims are worked on at once, so a batch keeps every Verify
        worker busy. A stream that sends no claim for the idle timeout is closed."""
        claims: asyncio.Queue[_Claim | Exception | None] = asyncio.Queue(STREAM_WINDOW)
        reader = asyncio.create_task(self._read_claims(requests, context, claims))
        try:
            while (claim := await claims.get()) is not None:
                if isinstance(claim, Exception):
                    raise claim
                yield await self._stream_answer(*claim, context)
        finally:  # the call ended early (aborted, cancelled): drop the claims still open
            reader.cancel()
            while not claims.empty():
                left = claims.get_nowait()
                if isinstance(left, tuple):
                    answer = left[2]
                    if answer.done() and not answer.cancelled():
                        answer.exception()  # retrieved, so asyncio does not log it as lost
                    answer.cancel()

    async def _read_claims(
        self,
        requests: AsyncIterator[Any],
        context: Context,
        claims: asyncio.Queue[_Claim | Exception | None],
    ) -> None:
        """Start work on each claim as it arrives; end with None, or the error that ended
        the reading (an idle stream's included). Waits while STREAM_WINDOW claims are
        queued for their answers."""
        number = 0
        try:
            while (
                item := await next_or_idle(requests, self.limits.stream_idle_seconds)
            ) is not None:
                number += 1
                claim_id = getattr(item, "claim_id", "")
                request = getattr(item, "request", item)  # an UndecodableRequest stays one
                answer = asyncio.create_task(self._verify_one(request, context))
                try:
                    await claims.put((claim_id, number, answer))
                except asyncio.CancelledError:  # the call ended while the window was full
                    answer.cancel()
                    raise
        except Exception as error:
            await claims.put(error)
        else:
            await claims.put(None)

    async def _stream_answer(
        self,
        claim_id: str,
        number: int,
        answer: asyncio.Task[pb.VerifyResponse],
        context: Context,
    ) -> pb.VerifyStreamResponse:
        try:
            response = await answer
        except errors.QuoteTraceError as error:
            raise error.prefixed(f"claim {claim_id or number}: ") from None
        return pb.VerifyStreamResponse(response=response, claim_id=claim_id)

    async def IngestArticles(
        self, requests: AsyncIterator[Any], context: Context
    ) -> pb.IngestArticlesResponse:
        tally = convert.IngestTally()  # counts, not one outcome per article: bounded
        number = 0
        while (item := await next_or_idle(requests, self.limits.stream_idle_seconds)) is not None:
            number += 1
            reject_undecodable(item)
            check_deadline(context)
            try:
                tally.count(await self._ingest_one(item.article))
            except errors.InvalidArgument as error:
                raise error.prefixed(f"article {number}: ") from None
        # Verify workers read the saved wording vectors: save what this stream added.
        await self._off_loop(self.engine.save_vectors)
        return convert.ingest_response(tally, self.engine.processors())

    async def IngestArticlesStream(
        self, requests: AsyncIterator[Any], context: Context
    ) -> AsyncIterator[pb.IngestArticlesStreamResponse]:
        """One result per article as it is done, in order, then the summary. Each message
        is small and the summary holds counts only, so no answer grows with the stream.
        Up to 2 x the engine's ingest workers articles are worked on at once (their NLP in
        the worker processes); the one writer takes them in order."""
        tally = convert.IngestTally(keep_ids=False)
        window = 2 * max(1, self.engine.ingest_workers)
        work: asyncio.Queue[_Ingest | Exception | None] = asyncio.Queue(window)
        reader = asyncio.create_task(self._read_articles(requests, context, work))
        try:
            while (item := await work.get()) is not None:
                if isinstance(item, Exception):
                    raise item
                number, name, article, begun = item
                if article is None:  # refused before its NLP: begun holds the reason
                    tally.count_rejected()
                    yield _item(convert.rejected_item(number, name, str(begun)))
                    continue
                try:
                    outcome = await self._off_loop(self.engine.finish_ingest, article, begun)
                except errors.InvalidArgument as error:  # its NLP ran past the budget
                    tally.count_rejected()
                    yield _item(convert.rejected_item(number, name, error.message))
                    continue
                tally.count(outcome)
                yield _item(convert.item_result(number, name, outcome))
        finally:  # ended early (aborted, cancelled): NLP not yet started is dropped
            reader.cancel()
            while not work.empty():
                left = work.get_nowait()
                if isinstance(left, tuple) and isinstance(left[3], Future):
                    left[3].cancel()
        summary = convert.ingest_response(tally, self.engine.processors())
        yield pb.IngestArticlesStreamResponse(summary=summary)

    async def _read_articles(
        self,
        requests: AsyncIterator[Any],
        context: Context,
        work: asyncio.Queue[_Ingest | Exception | None],
    ) -> None:
        """Check, convert and begin each article as it arrives (see Engine.begin_ingest);
        end with None, or the error that ended the reading (an idle stream's included)."""
        number = 0
        try:
            while (
                item := await next_or_idle(requests, self.limits.stream_idle_seconds)
            ) is not None:
                number += 1
                check_deadline(context)
                if isinstance(item, UndecodableRequest):
                    reason = f"request is not a valid protobuf message: {item.reason}"
                    await work.put((number, f"article {number}", None, reason))
                    continue
                name = convert.item_name(item.article, number)
                try:
                    validation.check_article(item.article, self.limits)
                    article = await self._off_loop(convert.article_from_proto, item.article)
                    begun = await self._off_loop(self.engine.begin_ingest, article)
                except errors.InvalidArgument as error:  # this article only: the next goes on
                    await work.put((number, name, None, error.message))
                    continue
                await work.put((number, name, article, begun))
        except Exception as error:
            await work.put(error)
        else:
            await work.put(None)

    async def _ingest_one(self, message: pb.Article) -> IngestOutcome:
        validation.check_article(message, self.limits)
        # Off the loop: an HTML page's extraction takes milliseconds.
        article = await self._off_loop(convert.article_from_proto, message)
        # A cancelled call stops here; the article being ingested completes (one
        # transaction) on its thread, and no further one starts. An article whose
        # NLP runs past its budget is refused (INVALID_ARGUMENT, with the reason).
        return await self._off_loop(self.engine.ingest, article)

    async def DeleteArticle(self, request: Any, context: Context) -> pb.DeleteArticleResponse:
        reject_undecodable(request)
        article_id = validation.article_id(request.article_id)
        deleted = await self._off_loop(self.engine.delete_article, article_id)
        if deleted is None:
            raise errors.NotFound(f"no article {article_id}")
        log.info("deleted article %s (%d quotations)", article_id, deleted.quotes_removed)
        return convert.deleted_response(deleted)

    async def GetArticle(self, request: Any, context: Context) -> pb.GetArticleResponse:
        return await self._off_loop(self._get_article, request)

    def _get_article(self, request: Any) -> pb.GetArticleResponse:
        reject_undecodable(request)
        article_id = validation.article_id(request.article_id)
        record = self.engine.article_record(article_id)
        if record is None:
            raise errors.NotFound(f"no article {article_id}")
        response = pb.GetArticleResponse(article=convert.article_info(record))
        if request.include_text:
            article = self.engine.store.get_article(article_id)
            response.text = article.text if article is not None else ""
        return response

    async def ListArticles(self, request: Any, context: Context) -> pb.ListArticlesResponse:
        return await self._off_loop(self._list_articles, request)

    def _list_articles(self, request: Any) -> pb.ListArticlesResponse:
        reject_undecodable(request)
        page = validation.page(request.page_size, request.page_token, self.limits)
        outlet = validation.checked_text("outlet", request.outlet, 1_000, required=False)
        records, total = self.engine.list_articles(
            offset=page.offset, limit=page.limit, outlet=outlet.strip() or None
        )
        next_offset = page.offset + len(records)
        return pb.ListArticlesResponse(
            articles=[convert.article_info(r) for r in records],
            next_page_token=validation.encode_page_token(next_offset)
            if next_offset < total
            else "",
            total_size=total,
        )

    async def ListQuotes(self, request: Any, context: Context) -> pb.ListQuotesResponse:
        return await self._off_loop(self._list_quotes, request)

    def _list_quotes(self, request: Any) -> pb.ListQuotesResponse:
        reject_undecodable(request)
        if bool(request.article_id) == bool(request.speaker):
            raise invalid("set exactly one of article_id and speaker")
        page = validation.page(request.page_size, request.page_token, self.limits)
        article_id, speaker_id = None, None
        if request.article_id:
            article_id = validation.article_id(request.article_id)
            if not self.engine.has_article(article_id):
                raise errors.NotFound(f"no article {article_id}")
        else:
            speaker_id = self._speaker(request.speaker).record.speaker_id
        quotes, total = self.engine.list_quotes(
            article_id=article_id,
            speaker_id=speaker_id,
            offset=page.offset,
            limit=page.limit,
            text_chars=MAX_TEXT_CHARS,
        )
        listed = page_within_bytes([convert.quote(q) for q in quotes], LIST_PAGE_BYTES)
        next_offset = page.offset + len(listed)
        return pb.ListQuotesResponse(
            quotes=listed,
            next_page_token=validation.encode_page_token(next_offset)
            if next_offset < total
            else "",
            total_size=total,
            nlp_processors=list(self.engine.processors()),
        )

    async def GetSpeaker(self, request: Any, context: Context) -> pb.GetSpeakerResponse:
        reject_undecodable(request)
        return convert.speaker_lookup(await self._off_loop(self._speaker, request.name))

    def _speaker(self, name: str) -> SpeakerLookup:
        validation.checked_text("speaker name", name, self.limits.max_speaker_chars)
        lookup = self.engine.speaker_lookup(name.strip())
        if lookup is None:
            raise errors.NotFound(f"no speaker named {name.strip()!r}")
        return lookup

    async def GetStats(self, request: Any, context: Context) -> pb.GetStatsResponse:
        reject_undecodable(request)
        return convert.stats_response(await self._off_loop(self.engine.stats), __version__)
