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
from typing import NamedTuple, cast

from quotetrace_server.attribution.model import ArticleQuotes, AttributedQuote, QuoteKind
from quotetrace_server.entities.normalize import normalize, words
from quotetrace_server.index.context import bounded_context
from quotetrace_server.index.similarity import lemma_key
from quotetrace_server.index.sql.records import (
    context_span,
    lead_words,
    norm_hash,
    norm_in_article,
)
from quotetrace_server.index.sql.terms import query_terms, tokenized_as_written
from quotetrace_server.ingest.model import Article

# Articles per task sent to the worker, and tasks in flight. While the writer commits a
# batch (Writer._BULK_BATCH, 2,000 articles: seconds of SQLite's work, longer as a large
# load's tables grow) it takes no answer: the worker must have work for that long, or it
# idles through each commit and the writer then waits for it (with 4 in flight, 100,000
# synthetic quotations: the writer waited 8.0 s and the worker idled 8.1 s of a 39 s
# load; with 48, 3.4 s and 3.0 s). 96 tasks are 6,144 articles, three commits' worth;
# their answers hold some 60 MB.
_CHUNK = 64
_AHEAD = 96


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


class BulkQuote(NamedTuple):
    """A quotation's values as the bulk path writes them (Writer._insert_bulk_article):
    its ``Prepared`` values in the form its row and postings take, each run of words
    joined by spaces (none holds a space). The worker sends these as plain tuples: one
    string to unpickle per run, not a string per word, and nothing left for the writer
    to work out, join or split."""

    norm: str
    text: str | None  # the row's text: None where the article gives it back
    stored_norm: str | None  # the row's norm: None where its text gives it back
    norm_hash: int
    lemmas: str
    lead: str
    context: str  # '' when the span locates it in the article
    context_start: int | None
    context_end: int | None
    terms: str | None  # postings terms of a speech quotation (None: a term's)
    # Whether the postings' tokenizer reads each term as written (terms.tokenized_as_written).
    terms_as_written: bool


# BulkQuote's fields as a plain tuple: what the worker sends, and the writer unpacks.
BulkValues = tuple[
    str, str | None, str | None, int, str, str, str, int | None, int | None, str | None, bool
]


def bulk_quote(quoted: str, p: Prepared) -> BulkQuote:
    """``p``, the values of the quotation whose text is ``quoted``, as the bulk path
    writes them (Writer._quote_values and values_tail give the same row)."""
    terms = None if p.terms is None else " ".join(p.terms)
    span = p.context_span or (None, None)
    return BulkQuote(
        norm=p.norm,
        text=None if p.text_in_article else quoted,
        stored_norm=None if p.norm_in_article else p.norm,
        norm_hash=norm_hash(p.norm),
        lemmas=" ".join(p.lemmas),
        lead=" ".join(p.lead),
        context="" if p.context_span else p.context,
        context_start=span[0],
        context_end=span[1],
        terms=terms,
        terms_as_written=terms is not None and tokenized_as_written(terms),
    )


def prepared_of(values: BulkValues) -> Prepared:
    """The ``Prepared`` values a BulkQuote was made from (the bulk path of an engine
    that writes its rows one statement each)."""
    q = BulkQuote._make(values)
    span = (
        None
        if q.context_start is None or q.context_end is None
        else (
            q.context_start,
            q.context_end,
        )
    )
    return Prepared(
        norm=q.norm,
        lemmas=tuple(q.lemmas.split()),
        lead=tuple(q.lead.split()),
        context=q.context,
        context_span=span,
        text_in_article=q.text is None,
        norm_in_article=q.stored_norm is None,
        terms=None if q.terms is None else q.terms.split(),
    )


def _bulk_sent(text: str, quotes: Sequence[_Sent], derive_copies: bool) -> list[BulkQuote]:
    prepared = _prepare_sent(text, quotes, derive_copies)
    return [bulk_quote(q[0], p) for q, p in zip(quotes, prepared, strict=True)]


def _prepare_chunk(
    chunk: Sequence[tuple[str, list[_Sent]]], derive_copies: bool
) -> list[list[BulkValues]]:
    # Plain tuples: a NamedTuple pickles by its class, and costs more to unpickle.
    return [
        [cast(BulkValues, tuple(q)) for q in _bulk_sent(text, quotes, derive_copies)]
        for text, quotes in chunk
    ]


Item = tuple[Article, ArticleQuotes]


def prepared_items(
    items: Iterable[Item], *, derive_copies: bool, worker: bool
) -> Generator[tuple[Article, ArticleQuotes, Sequence[BulkValues]], None, None]:
    """Each (article, quotes) with its quotations' values as the bulk path writes them,
    in order: worked out by one worker process a few batches ahead (``worker``), else
    here, as asked."""
    # Forked: a spawned process would run the caller's main module again, which a script
    # without a main guard cannot take. The worker runs only this module's pure functions.
    if not worker or "fork" not in multiprocessing.get_all_start_methods():
        for article, quotes in items:
            own = [_sent(q) for q in quotes.quotes]
            yield article, quotes, _bulk_sent(article.text, own, derive_copies)
        return
    with multiprocessing.get_context("fork").Pool(1) as pool:
        in_flight: deque[tuple[list[Item], AsyncResult[list[list[BulkValues]]]]] = deque()
        source = iter(items)
        while chunk := list(itertools.islice(source, _CHUNK)):
            sent = [(a.text, [_sent(q) for q in quotes.quotes]) for a, quotes in chunk]
            in_flight.append((chunk, pool.apply_async(_prepare_chunk, (sent, derive_copies))))
            if len(in_flight) >= _AHEAD:
                yield from _collected(*in_flight.popleft())
        while in_flight:
            yield from _collected(*in_flight.popleft())


def _collected(
    chunk: list[Item], result: AsyncResult[list[list[BulkValues]]]
) -> Iterator[tuple[Article, ArticleQuotes, list[BulkQuote]]]:
    for (article, quotes), packed in zip(chunk, result.get(), strict=True):
        yield article, quotes, [BulkQuote._make(p) for p in packed]
