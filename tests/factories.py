"""Small builders shared by tests that put hand-made quotations into a store."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from quotetrace_server.attribution.attributor import Attributor
from quotetrace_server.attribution.model import ArticleQuotes, AttributedQuote, QuoteKind
from quotetrace_server.config import Limits
from quotetrace_server.engine.engine import Engine
from quotetrace_server.entities.model import EntityKind
from quotetrace_server.index.sql.store import SqlStore
from quotetrace_server.index.sqlite_store import SqliteStore
from quotetrace_server.ingest.model import Article, ArticleMeta


class _NlpOnly:
    """Stands in for an Attributor where a test only reaches its NLP (engine.nlp)."""

    def __init__(self, nlp: object) -> None:
        self.nlp = nlp


def engine_over_nlp(nlp: object, *, max_article_bytes: int = Limits.max_article_bytes) -> Engine:
    """An engine over an empty in-memory index whose attributor holds only `nlp` (a fake
    parser): for tests of what the engine hands to the NLP (size checks, budgets, stops)."""
    return Engine(
        SqliteStore(":memory:"),
        lambda: cast(Attributor, _NlpOnly(nlp)),
        max_article_bytes=max_article_bytes,
    )


# Makes an empty store of the engine a test is run against (conftest's new_store).
StoreFactory = Callable[[], SqlStore]


def add_said(
    store: SqlStore,
    quote: str,
    speaker: str,
    aliases: tuple[str, ...] = (),
    kind: EntityKind = EntityKind.PERSON,
    place: str = "at the pier",
    meta: ArticleMeta | None = None,
    processors: tuple[str, ...] = ("tokenize",),
) -> None:
    """Store a one-sentence article `<speaker> said "<quote>" <place>.` attributed to the
    speaker (plus `aliases` as other surface forms), with `meta` (outlet, date, ...) if
    given."""
    body = f'{speaker} said "{quote}" {place}.'
    made = said_quote(quote, speaker, body.index(quote), body, aliases, kind)
    store.add_article(Article(body, meta or ArticleMeta()), ArticleQuotes((made,), processors))


def said_quote(
    quote: str,
    speaker: str,
    start: int,
    context: str,
    aliases: tuple[str, ...] = (),
    kind: EntityKind = EntityKind.PERSON,
) -> AttributedQuote:
    """`quote`, at `start` of its article, as the attributor gives it when `speaker`
    (also written as `aliases`) "said" it."""
    return AttributedQuote(
        text=quote,
        start=start,
        end=start + len(quote),
        kind=QuoteKind.DIRECT,
        speaker=speaker,
        speaker_kind=kind,
        speaker_aliases=(speaker, *aliases),
        speaker_mention=speaker,
        cue="said",
        sieve="test",
        confidence=0.9,
        context=context,
    )
