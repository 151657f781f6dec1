"""Article identity (URL, else path, else text), replacement, deletion, and the article
look-ups, at the store: hand-made quotations, no NLP."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from quotetrace_server.attribution.model import ArticleQuotes, AttributedQuote, QuoteKind
from quotetrace_server.entities.model import EntityKind
from quotetrace_server.entities.normalize import normalize
from quotetrace_server.index.model import IngestStatus
from quotetrace_server.index.sql.records import QUOTE_TEXT
from quotetrace_server.index.sql.store import SqlStore
from quotetrace_server.index.sqlite_store import SqliteStore
from quotetrace_server.ingest.model import Article, ArticleMeta, Origin
from tests.factories import StoreFactory

MAY = "The bridge opens in May"
JUNE = "The ferry stops in June"


def said(quote: str, speaker: str, place: str = "at the pier") -> tuple[str, ArticleQuotes]:
    """A one-sentence text `<speaker> said "<quote>" <place>.` and its attribution."""
    body = f'{speaker} said "{quote}" {place}.'
    start = body.index(quote)
    made = AttributedQuote(
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
        context=body,
    )
    return body, ArticleQuotes((made,), ("tokenize",))


def add(
    store: SqlStore,
    quote: str,
    speaker: str,
    *,
    url: str | None = None,
    path: str | None = None,
    outlet: str | None = None,
    place: str = "at the pier",
) -> tuple[Article, IngestStatus, str]:
    text, quotes = said(quote, speaker, place)
    article = Article(text, ArticleMeta(url=url, source_path=path, outlet=outlet))
    outcome = store.add_article(article, quotes)
    return article, outcome.status, outcome.article_id


def printed(store: SqlStore, quote: str) -> bool:
    """Whether the index finds a printing of exactly this quotation."""
    return any(hit.normalized == normalize(quote) for hit in store.search(normalize(quote), 10))


def printings(store: SqlStore, quote: str) -> list[str | None]:
    """The outlets of every printing of the utterance the quotation belongs to."""
    hits = [h for h in store.search(normalize(quote), 10) if h.normalized == normalize(quote)]
    if not hits:
        return []
    return sorted(
        (d.quote.outlet for d in store.utterance_details(hits[0].utterance_id)),
        key=lambda o: o or "",
    )


def table(store: SqlStore, sql: str) -> list[tuple[object, ...]]:
    with store._reading() as conn:
        return sorted(conn.execute(sql).fetchall())


def test_the_same_text_at_another_url_is_another_printing_of_its_quotations(
    new_store: StoreFactory,
) -> None:
    store = new_store()
    _, first, a = add(store, MAY, "Ana Novak", url="https://a.example/1", outlet="A")
    _, second, b = add(store, MAY, "Ana Novak", url="https://b.example/9", outlet="B")
    assert (first, second) == (IngestStatus.ADDED, IngestStatus.ADDED)
    assert a != b
    assert printings(store, MAY) == ["A", "B"]
    assert store.stats().article_count == 2


def test_the_same_text_at_the_same_url_is_unchanged(new_store: StoreFactory) -> None:
    store = new_store()
    _, _, first = add(store, MAY, "Ana Novak", url="https://a.example/1", outlet="A")
    before = store.stats()
    _, status, again = add(store, MAY, "Ana Novak", url="https://a.example/1", outlet="A")
    assert (status, again) == (IngestStatus.UNCHANGED, first)
    assert store.stats() == before


def test_a_new_text_at_the_same_url_replaces_the_old_one_and_its_quotations(
    new_store: StoreFactory,
) -> None:
    store = new_store()
    add(store, "Taxes will not rise this year", "Ana Novak", url="https://b.example/2")
    _, _, old_id = add(store, MAY, "Lars Berg", url="https://a.example/1", outlet="A")
    text, quotes = said(JUNE, "Ana Novak")
    outcome = store.add_article(Article(text, ArticleMeta(url="https://a.example/1")), quotes)
    assert outcome.status is IngestStatus.REPLACED
    assert (outcome.article_id, outcome.quotes_added, outcome.quotes_removed) == (old_id, 1, 1)
    assert not printed(store, MAY)  # the old quotation is gone
    assert printings(store, JUNE) == [None]
    assert store.find_speaker("Lars Berg") is None  # quoted only in the old version
    novak = store.find_speaker("Ana Novak")
    assert novak is not None and novak.quote_count == 2
    assert set(novak.article_ids) == {old_id, store.list_articles()[0][0].article_id}
    stats = store.stats()
    assert (stats.article_count, stats.quote_count, stats.speaker_count) == (2, 2, 1)
    article = store.get_article(old_id)
    assert article is not None and article.text == text


def test_without_a_url_the_file_path_is_the_identity(new_store: StoreFactory) -> None:
    store = new_store()
    _, _, first = add(store, MAY, "Ana Novak", path="/corpus/a.txt")
    _, copy, other = add(store, MAY, "Ana Novak", path="/corpus/b.txt")
    _, changed, same = add(store, JUNE, "Ana Novak", path="/corpus/a.txt")
    assert (copy, changed) == (IngestStatus.ADDED, IngestStatus.REPLACED)
    assert other != first == same
    assert store.stats().article_count == 2


def test_without_url_or_path_the_text_is_the_identity(new_store: StoreFactory) -> None:
    store = new_store()
    article, _, first = add(store, MAY, "Ana Novak")
    assert first == article.text_hash  # as every id was before identities existed
    _, status, again = add(store, MAY, "Ana Novak")
    assert (status, again) == (IngestStatus.UNCHANGED, first)


def test_delete_leaves_the_index_as_if_the_article_had_never_been_ingested(
    new_store: StoreFactory,
) -> None:
    kept = new_store()
    add(kept, MAY, "Ana Novak", url="https://a.example/1")
    add(kept, JUNE, "Ana Novak", url="https://a.example/2")
    store = new_store()
    add(store, MAY, "Ana Novak", url="https://a.example/1")
    _, _, gone = add(store, "Taxes will not rise this year", "Lars Berg", url="https://c.example")
    add(store, JUNE, "Ana Novak", url="https://a.example/2")
    _, _, reprint = add(store, MAY, "Ana Novak", url="https://b.example/1")
    deleted = store.delete_article(gone)
    assert deleted is not None
    assert (deleted.quotes_removed, deleted.speakers_removed, deleted.utterances_removed) == (
        1,
        1,
        1,
    )
    again = store.delete_article(reprint)
    assert again is not None and again.utterances_removed == 0  # the first printing stays
    assert store.delete_article(gone) is None
    for sql in (
        "SELECT term, df FROM term_df",
        "SELECT name, quote_count FROM speakers",
        "SELECT alias FROM speaker_aliases",
        f"SELECT {QUOTE_TEXT} FROM quotes q JOIN articles a ON a.id = q.article",
    ):
        assert table(store, sql) == table(kept, sql), sql
    assert store.stats().utterance_count == kept.stats().utterance_count == 2
    assert not printed(store, "Taxes will not rise this year")
    assert printings(store, MAY) == [None]


def test_article_records_carry_metadata_counts_and_where_derived_values_came_from(
    new_store: StoreFactory,
) -> None:
    store = new_store()
    text, quotes = said(MAY, "Ana Novak")
    meta = ArticleMeta(
        title="Bridge to open",
        date="2024-03-05",
        url="https://a.example/1",
        derived=(("title", Origin.HTML_METADATA), ("date", Origin.HTMLDATE)),
    )
    article_id = store.add_article(Article(text, meta), quotes).article_id
    record = store.article_record(article_id)
    assert record is not None
    assert (record.title, record.date, record.url, record.outlet) == (
        "Bridge to open",
        "2024-03-05",
        "https://a.example/1",
        None,
    )
    assert (record.quote_count, record.speaker_count, record.char_count) == (1, 1, len(text))
    assert record.derived == (("title", "html_metadata"), ("date", "htmldate"))
    assert record.identity == "url:https://a.example/1"
    assert store.article_record("0" * 16) is None


def test_list_articles_pages_in_indexing_order_and_filters_by_outlet(
    new_store: StoreFactory,
) -> None:
    store = new_store()
    ids = [
        add(store, f"{MAY} number {n}", "Ana Novak", url=f"https://a.example/{n}", outlet=o)[2]
        for n, o in enumerate(["A", "B", "a", "C", "A"])
    ]
    first, total = store.list_articles(offset=0, limit=2)
    rest, _ = store.list_articles(offset=2, limit=10)
    assert total == 5
    assert [r.article_id for r in first + rest] == ids
    by_a, count = store.list_articles(outlet="A")
    assert count == 3 and [r.article_id for r in by_a] == [ids[0], ids[2], ids[4]]


def test_an_index_keyed_on_text_is_migrated_and_keeps_its_ids(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    store = SqliteStore(db)
    old_file, _, file_id = add(store, MAY, "Ana Novak")  # ingested from a file, by text
    add(store, JUNE, "Lars Berg", url="https://a.example/1", place="on the quay")
    add(store, JUNE, "Lars Berg", url="https://a.example/1?v=2", place="at the quay")
    store.close()
    with sqlite3.connect(db) as conn:  # as an index made before identities existed
        conn.execute("UPDATE articles SET url = 'https://a.example/1' WHERE url IS NOT NULL")
        conn.execute("UPDATE articles SET identity = NULL")
        conn.execute("DROP INDEX articles_identity")
        for column in ("identity", "text_hash", "derived"):
            conn.execute(f"ALTER TABLE articles DROP COLUMN {column}")
    store = SqliteStore(db)
    try:
        assert store.stats().article_count == 3
        # The file ingested again is that article, not another printing of it.
        path = Article(old_file.text, ArticleMeta(source_path="/corpus/a.txt"))
        text, quotes = said(MAY, "Ana Novak")
        outcome = store.add_article(path, quotes)
        assert (outcome.status, outcome.article_id) == (IngestStatus.UNCHANGED, file_id)
        record = store.article_record(file_id)
        assert record is not None and record.identity == "path:/corpus/a.txt"
        # Two texts of one URL (indexed as two articles before): the next ingest of
        # the URL leaves one version.
        text, quotes = said(JUNE, "Lars Berg", "at the quay")
        outcome = store.add_article(Article(text, ArticleMeta(url="https://a.example/1")), quotes)
        assert outcome.status is IngestStatus.REPLACED
        assert store.stats().article_count == 2
    finally:
        store.close()
