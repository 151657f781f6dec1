"""Issue 15, B8: a ListQuotes answer is bounded whatever the index holds: the page size is
capped, an over-long quotation is listed as its head and tail with text_truncated, and a
page of long quotations stops at a byte budget, the token going on from there."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest

from quotetrace_client import QuoteTraceClient
from quotetrace_server.api.convert import MAX_LABEL_CHARS
from quotetrace_server.api.server import start_server
from quotetrace_server.api.servicer import LIST_PAGE_BYTES
from quotetrace_server.attribution.model import ArticleQuotes, AttributedQuote, QuoteKind
from quotetrace_server.config import Limits, ServerConfig
from quotetrace_server.engine.engine import Engine
from quotetrace_server.entities.model import EntityKind
from quotetrace_server.index.sqlite_store import SqliteStore
from quotetrace_server.ingest.model import Article, ArticleMeta
from quotetrace_server.verify.verifier import MAX_TEXT_CHARS, cut_text

SPEAKER = "Ana Novak"


def _article(quotes: list[str], speaker: str = SPEAKER) -> tuple[Article, ArticleQuotes]:
    """An article `<speaker> said "<q>". ...` with each quotation attributed to `speaker`."""
    body, made = "", []
    for number, quote in enumerate(quotes):
        sentence = f'{speaker} said "{quote}" on day {number}. '
        start = len(body) + sentence.index(quote)
        made.append(
            AttributedQuote(
                text=quote,
                start=start,
                end=start + len(quote),
                kind=QuoteKind.DIRECT,
                speaker=speaker,
                speaker_kind=EntityKind.PERSON,
                speaker_aliases=(speaker,),
                speaker_mention=speaker,
                cue="said",
                sieve="test",
                confidence=0.9,
                context=sentence,
            )
        )
        body += sentence
    return Article(body, ArticleMeta()), ArticleQuotes(tuple(made), ("tokenize",))


def _words(seed: int, chars: int) -> str:
    """`chars` characters of distinct Greek words (two bytes each in UTF-8)."""
    letters = "αβγδεζηθικλμνξοπρστυφχψω"
    base = len(letters)
    first = seed * 100_003
    words = (
        "".join(letters[(n // base**k) % base] for k in range(5))
        for n in range(first, first + chars // 6 + 1)
    )
    return " ".join(words)[:chars].strip()


def _repeated_words(chars: int) -> str:
    """`chars` characters of a few thousand distinct Greek words said over and over: as
    large as `_words`, but storing it indexes a few thousand terms, not one per word (a
    1.8 M-character quotation of distinct words took 28 s to add on an idle CI machine,
    minutes on a loaded one; this one, about 3 s)."""
    vocabulary = _words(1, 12_000)
    return ((vocabulary + " ") * (chars // (len(vocabulary) + 1) + 1))[:chars].strip()


@pytest.fixture
def server_with(tmp_path: Path) -> Iterator[tuple[SqliteStore, QuoteTraceClient]]:
    engine = Engine.open(tmp_path / "index.db")
    running = start_server(engine, ServerConfig(host="127.0.0.1", port=0, open_writes=True))
    try:
        with QuoteTraceClient(f"127.0.0.1:{running.port}", timeout=60) as client:
            assert isinstance(engine.store, SqliteStore)
            yield engine.store, client
    finally:
        running.stop(None)
        engine.close()


def test_a_huge_quotation_is_listed_as_its_head_and_tail_with_a_flag(
    server_with: tuple[SqliteStore, QuoteTraceClient],
) -> None:
    store, client = server_with
    huge = _repeated_words(1_800_000)  # 3.6 MB of UTF-8: alone it would pass the message limit
    store.add_article(*_article(["We will win this fight", huge]))
    page = client.list_quotes(speaker=SPEAKER)
    short, cut = page.quotes
    assert (short.text, short.text_truncated) == ("We will win this fight", False)
    assert cut.text_truncated and cut.text == cut_text(huge)[0]
    assert len(cut.text) == MAX_TEXT_CHARS + 3
    assert cut.end - cut.start == len(huge)  # the offsets still span the whole quotation
    assert page.ByteSize() < 10_000


def test_a_page_of_long_quotations_stops_at_the_byte_budget_and_the_token_goes_on(
    server_with: tuple[SqliteStore, QuoteTraceClient],
) -> None:
    store, client = server_with
    count = 300  # 300 quotations of 3,000 characters (about 4 KB each as listed)
    store.add_article(*_article([f"{n} {_words(n, 3_000)}" for n in range(count)]))
    first = client.list_quotes(speaker=SPEAKER, page_size=Limits().max_page_size)
    assert 0 < len(first.quotes) < count and first.next_page_token
    largest = max(q.ByteSize() for q in first.quotes)
    assert first.ByteSize() <= LIST_PAGE_BYTES + largest + 1_000
    assert first.total_size == count
    listed = list(first.quotes)
    token = first.next_page_token
    while token:
        page = client.list_quotes(speaker=SPEAKER, page_size=500, page_token=token)
        assert page.ByteSize() <= LIST_PAGE_BYTES + largest + 1_000
        listed.extend(page.quotes)
        token = page.next_page_token
    assert [q.text.split(" ", 1)[0] for q in listed] == [str(n) for n in range(count)]
    assert all(q.text_truncated for q in listed)


def test_a_page_size_over_the_cap_is_refused(
    server_with: tuple[SqliteStore, QuoteTraceClient],
) -> None:
    store, client = server_with
    store.add_article(*_article(["We will win this fight"]))
    with pytest.raises(grpc.RpcError) as refused:
        client.list_quotes(speaker=SPEAKER, page_size=Limits().max_page_size + 1)
    assert isinstance(refused.value, grpc.Call)
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "the limit is 500" in (refused.value.details() or "")


def test_an_over_long_speaker_mention_is_cut_in_the_listing(
    server_with: tuple[SqliteStore, QuoteTraceClient],
) -> None:
    store, client = server_with
    mention = " ".join(["Novak"] * 1_000)
    article, quotes = _article(["We will win this fight"])
    quote = quotes.quotes[0]
    made = AttributedQuote(**{**quote.__dict__, "speaker_mention": mention})
    store.add_article(article, ArticleQuotes((made,), quotes.processors))
    (listed,) = client.list_quotes(speaker=SPEAKER).quotes
    assert len(listed.speaker_mention) == MAX_LABEL_CHARS
    assert listed.speaker_mention == mention[: MAX_LABEL_CHARS - 1] + "…"
