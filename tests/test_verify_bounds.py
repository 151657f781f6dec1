"""Issue 15, B7/B8: Verify's work and answer are bounded by the query, not by what is
printed: a long printing is diffed over a window, a widely reprinted quotation answers
with counts and a page of occurrences, an over-long printed text is cut."""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any

import pytest

from quotetrace_server.api import convert
from quotetrace_server.attribution.model import ArticleQuotes, AttributedQuote, QuoteKind
from quotetrace_server.entities.model import EntityKind
from quotetrace_server.index.sqlite_store import SqliteStore
from quotetrace_server.ingest.model import Article, ArticleMeta
from quotetrace_server.verify import diff as diff_module
from quotetrace_server.verify.diff import (
    DIFF_WINDOW_FACTOR,
    DIFF_WINDOW_SLACK,
    OMITTED,
    word_diff,
)
from quotetrace_server.verify.model import DiffOp, Verdict, VerifyQuery
from quotetrace_server.verify.verifier import (
    MAX_OCCURRENCES_PER_VARIANT,
    MAX_OUTLETS,
    MAX_TEXT_CHARS,
    Verifier,
)


def _long_printing(words_each_side: int) -> str:
    left = " ".join(f"left{i}" for i in range(words_each_side))
    right = " ".join(f"right{i}" for i in range(words_each_side))
    return f"{left} We will win this fight, said Novak. {right}"


def test_a_long_printing_is_diffed_over_a_window_around_the_query(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[int] = []

    def recording(*args: Any, **kwargs: Any) -> Any:
        seen.append(len(kwargs["b"]))
        return SequenceMatcher(*args, **kwargs)

    monkeypatch.setattr(diff_module, "SequenceMatcher", recording)
    query = "We will win this fight"
    segments = word_diff(query, _long_printing(20_000))
    assert seen == [DIFF_WINDOW_FACTOR * 5 + DIFF_WINDOW_SLACK]
    assert segments[0].variant_text == OMITTED and segments[-1].variant_text == OMITTED
    equal = [s for s in segments if s.op is DiffOp.EQUAL]
    assert [s.query_text for s in equal] == [query]
    assert sum(len(s.variant_text) for s in segments) < 1_000


def test_a_printing_within_the_window_is_diffed_whole() -> None:
    segments = word_diff("We will win", _long_printing(3))
    assert OMITTED not in [s.variant_text for s in segments]
    assert "left0" in segments[0].variant_text and "right2" in segments[-1].variant_text


def _printing(text: str, quote: str, speaker: str = "Ana Novak") -> AttributedQuote:
    start = text.index(quote)
    return AttributedQuote(
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
        context=text,
    )


def _reprinted_store(reprints: int) -> SqliteStore:
    store = SqliteStore(":memory:")
    quote = "We will win this fight against inflation"
    items = []
    for n in range(reprints):
        text = f'Ana Novak said: "{quote}" (report {n}).'
        meta = ArticleMeta(outlet=f"Outlet {n}", title=f"Report {n}")
        items.append((Article(text, meta), ArticleQuotes((_printing(text, quote),), ("tokenize",))))
    store.bulk_add(items)
    return store


def test_a_widely_reprinted_quotation_answers_counts_and_a_page() -> None:
    reprints = MAX_OUTLETS + 20
    result = Verifier(_reprinted_store(reprints)).verify(
        VerifyQuery("We will win this fight against inflation")
    )
    assert result.verdict is Verdict.VERIFIED
    assert result.printing_count == reprints and result.variant_count == 1
    (variant,) = result.variants
    assert variant.occurrence_count == reprints
    assert len(variant.occurrences) == MAX_OCCURRENCES_PER_VARIANT
    assert variant.occurrences_omitted == reprints - MAX_OCCURRENCES_PER_VARIANT
    assert len(result.outlets) == MAX_OUTLETS and result.outlets_omitted == 20
    response = convert.verify_response(result)
    assert response.variants[0].occurrences_omitted == reprints - MAX_OCCURRENCES_PER_VARIANT
    assert response.printing_count == reprints and response.outlets_omitted == 20


def test_an_over_long_printed_quotation_is_cut_in_the_answer() -> None:
    body = " ".join(f"word{i}" for i in range(20_000))
    quote = f"We will win this fight {body} and that is all"
    text = f'Ana Novak said: "{quote}".'
    store = SqliteStore(":memory:")
    store.add_article(Article(text, ArticleMeta()), ArticleQuotes((_printing(text, quote),), ()))
    result = Verifier(store).verify(VerifyQuery("We will win this fight"))
    assert result.verdict is Verdict.VERIFIED
    (variant,) = result.variants
    assert variant.text_truncated and len(variant.text) <= MAX_TEXT_CHARS + 3
    assert variant.text.startswith("We will win") and variant.text.endswith("that is all")
    (occurrence,) = variant.occurrences
    assert occurrence.text_truncated and occurrence.end - occurrence.start == len(quote)
    response = convert.verify_response(result)
    assert response.variants[0].text_truncated
    assert response.ByteSize() < 20_000, response.ByteSize()
