"""What a quotation's row and postings need from its article alone: its normalised text,
lemmas, lead words, context and postings terms. Pure work, a third of a bulk load's: the
bulk path has it done in a worker process while it writes (the writer takes one core,
the worker the other), article batches in order, a few batches ahead.

Nothing here reads the index, so the worker's answers are the ones the writer would have
worked out itself (a test loads the same articles both ways and compares every row).
"""

from __future__ import annotations

import itertools
import multiprocessing
from collections import deque
from collections.abc import Generator, Iterable, Iterator, Sequence
from multiprocessing.pool import AsyncResult
from typing import NamedTuple

from quotetrace_server.attribution.model import ArticleQuotes, AttributedQuote, QuoteKind
from quotetrace_server.index.context import bounded_context
from quotetrace_server.index.similarity import lemma_key
from quotetrace_server.index.sql.records import context_span, lead_words, norm_in_article
from quotetrace_server.index.sql.terms import query_terms
from quotetrace_server.ingest.model import Article
from quotetrace_server.verify.normalize import normalize, words

# Articles per task sent to the worker, and tasks in flight: enough to keep the worker
# busy while the writer writes, few enough to hold little memory.
_CHUNK = 64
_AHEAD = 4


class Prepared(NamedTuple):
    """A quotation's values that depend on its article alone."""

    norm: str
    lemmas: tuple[str, ...]
    lead: tuple[str, ...]
    context: str  # '' when context_span locates it in the article (only the span is kept)
    context_span: tuple[int, int] | None
    text_in_article: bool
    norm_in_article: bool
    terms: list[str] | None  # postings terms of a speech quotation (None: a term's)


# What the worker is sent of a quotation: its text, start, end, context and whether it
# is a term (a whole AttributedQuote costs the writer five times as much to pickle).
_Sent = tuple[str, int, int, str, bool]


def _sent(quote: AttributedQuote) -> _Sent:
    return (quote.text, quote.start, quote.end, quote.context, quote.kind is QuoteKind.TERM)


def _prepared(text: str, quote: _Sent, spans: bool, derive_copies: bool) -> Prepared:
    quoted, start, end, given_context, is_term = quote
    norm = normalize(quoted)
    lemmas = lemma_key(words(norm))
    context = bounded_context(text, start, end, given_context)
    span = context_span(text, start, end, context) if spans else None
    in_article = derive_copies and spans and text[start:end] == quoted
    return Prepared(
        norm=norm,
        lemmas=lemmas,
        lead=lead_words(text, start),
        context="" if span else context,
        context_span=span,
        text_in_article=in_article,
        norm_in_article=in_article and norm_in_article(quoted, norm),
        terms=None if is_term else query_terms(norm, lemmas),
    )


def prepare_article(article: Article, quotes: ArticleQuotes, derive_copies: bool) -> list[Prepared]:
    """Each of the article's quotations' values in the article's text, in order.
    ``derive_copies``: a row leaves out a text the article gives back; a context is stored
    as a span only when the text has no NUL (SQLite's substr is not to be trusted past one)."""
    return _prepare_sent(article.text, [_sent(q) for q in quotes.quotes], derive_copies)


def _prepare_sent(text: str, quotes: Sequence[_Sent], derive_copies: bool) -> list[Prepared]:
    # Checked once per article: a check per quotation would scan the text each time.
    spans = "\x00" not in text
    return [_prepared(text, q, spans, derive_copies) for q in quotes]


# What the worker sends back of a quotation: Prepared with each sequence of words joined
# by spaces (none holds a space): one string to unpickle, not a string per word, which
# cost the writer a tenth of its time.
_Packed = tuple[str, str, str, str, tuple[int, int] | None, bool, bool, str | None]


def _packed(p: Prepared) -> _Packed:
    terms = None if p.terms is None else " ".join(p.terms)
    return (
        p.norm,
        " ".join(p.lemmas),
        " ".join(p.lead),
        p.context,
        p.context_span,
        p.text_in_article,
        p.norm_in_article,
        terms,
    )


def _unpacked(packed: _Packed) -> Prepared:
    norm, lemmas, lead, context, span, text_in, norm_in, terms = packed
    return Prepared(
        norm,
        tuple(lemmas.split(" ")) if lemmas else (),
        tuple(lead.split(" ")) if lead else (),
        context,
        span,
        text_in,
        norm_in,
        None if terms is None else terms.split(" ") if terms else [],
    )


def _prepare_chunk(
    chunk: Sequence[tuple[str, list[_Sent]]], derive_copies: bool
) -> list[list[_Packed]]:
    return [
        [_packed(p) for p in _prepare_sent(text, quotes, derive_copies)] for text, quotes in chunk
    ]


Item = tuple[Article, ArticleQuotes]


def prepared_items(
    items: Iterable[Item], *, derive_copies: bool, worker: bool
) -> Generator[tuple[Article, ArticleQuotes, list[Prepared]], None, None]:
    """Each (article, quotes) with its quotations' ``Prepared`` values, in order: worked
    out by one worker process a few batches ahead (``worker``), else here, as asked."""
    # Forked: a spawned process would run the caller's main module again, which a script
    # without a main guard cannot take. The worker runs only this module's pure functions.
    if not worker or "fork" not in multiprocessing.get_all_start_methods():
        for article, quotes in items:
            yield article, quotes, prepare_article(article, quotes, derive_copies)
        return
    with multiprocessing.get_context("fork").Pool(1) as pool:
        in_flight: deque[tuple[list[Item], AsyncResult[list[list[_Packed]]]]] = deque()
        source = iter(items)
        while chunk := list(itertools.islice(source, _CHUNK)):
            sent = [(a.text, [_sent(q) for q in quotes.quotes]) for a, quotes in chunk]
            in_flight.append((chunk, pool.apply_async(_prepare_chunk, (sent, derive_copies))))
            if len(in_flight) >= _AHEAD:
                yield from _collected(*in_flight.popleft())
        while in_flight:
            yield from _collected(*in_flight.popleft())


def _collected(
    chunk: list[Item], result: AsyncResult[list[list[_Packed]]]
) -> Iterator[tuple[Article, ArticleQuotes, list[Prepared]]]:
    for (article, quotes), packed in zip(chunk, result.get(), strict=True):
        yield article, quotes, [_unpacked(p) for p in packed]
