"""A bulk load has its quotations' values worked out in a worker process while it
writes: the index must be the one it builds when it works them out itself."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterator
from pathlib import Path

from quotetrace_server.attribution.model import ArticleQuotes
from quotetrace_server.index.sql import prepare
from quotetrace_server.index.sql.prepare import (
    BulkQuote,
    prepare_article,
    prepared_items,
    prepared_of,
)
from quotetrace_server.index.sql.writer import Writer
from quotetrace_server.index.sqlite_store import SqliteStore
from quotetrace_server.ingest.model import Article, ArticleMeta
from tests.factories import said_quote

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from synth import SynthConfig, SyntheticCorpus  # type: ignore[import-not-found, unused-ignore]

Item = tuple[Article, ArticleQuotes]

# Every table a bulk load writes, and the postings (each term's quotations).
_TABLES = (
    "articles",
    "quotes",
    "utterances",
    "speakers",
    "speaker_aliases",
    "speaker_keys",
    "speaker_links",
    "link_evidence",
    "speaker_merges",
    "term_df",
)


def _items(quotes: int) -> list[Item]:
    items = list(SyntheticCorpus(SynthConfig(quotes=quotes, seed=13)).articles())
    # A text with a NUL keeps its contexts whole (no span), and a quotation whose text
    # differs from the article's keeps its own copy.
    body = 'Ines Borrow said "the nets \x00 hold" at noon. '
    nul = said_quote("the nets \x00 hold", "Ines Borrow", body.index("the"), body, ("Borrow",))
    items.append((Article(body, ArticleMeta(url="https://example.test/nul")), _quotes(nul)))
    other = body.replace("\x00", "still")
    moved = said_quote("the nets hold", "Ines Borrow", other.index("the"), other, ("Borrow",))
    items.append((Article(other, ArticleMeta(url="https://example.test/moved")), _quotes(moved)))
    return items


def _quotes(*quotes: object) -> ArticleQuotes:
    return ArticleQuotes(tuple(quotes), ("tokenize",))  # type: ignore[arg-type]


def _rows(store: SqliteStore) -> dict[str, list[tuple[object, ...]]]:
    with store._reading() as conn:
        rows = {
            table: sorted(tuple(r) for r in conn.execute(f"SELECT * FROM {table}"))
            for table in _TABLES
        }
        conn.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.postings"
            " USING fts5vocab(main, quote_terms, 'instance')"
        )
        rows["postings"] = [
            tuple(r) for r in conn.execute("SELECT term, doc FROM temp.postings ORDER BY 1, 2")
        ]
        return rows


def test_the_worker_prepares_each_quotation_as_the_writer_would() -> None:
    items = _items(600)
    inline = list(prepared_items(items, derive_copies=True, worker=False))
    ahead = list(prepared_items(items, derive_copies=True, worker=True))
    assert ahead == inline
    # The values as the bulk path writes them are the ones add_article works out.
    as_prepared = [[prepared_of(v) for v in p] for _, _, p in inline]
    assert as_prepared == [prepare_article(a, q, True) for a, q in items]
    values = [BulkQuote._make(v) for _, _, p in inline for v in p]
    assert any(v.context_start is None and v.context for v in values)
    assert any(v.text is not None for v in values)


def test_the_worker_is_sent_more_than_a_commit_of_articles_ahead() -> None:
    # While the writer commits a batch it takes no answer: the worker has the next
    # batch's articles already, so it keeps preparing instead of waiting for the commit.
    drawn = 0

    def source() -> Iterator[Item]:
        nonlocal drawn
        for item in itertools.cycle(_items(100)):
            drawn += 1
            yield item

    stream = prepared_items(source(), derive_copies=True, worker=True)
    try:
        next(stream)
        assert drawn == prepare._AHEAD * prepare._CHUNK
        assert drawn > Writer._BULK_BATCH
    finally:
        stream.close()


def test_a_bulk_load_prepared_by_a_worker_builds_the_same_index() -> None:
    items = _items(1200)
    stores = {}
    for worker in (False, True):
        store = SqliteStore(":memory:")
        store._bulk_prepare_worker = worker
        assert store.bulk_add(items + items[:5]) == len(items)  # repeats are skipped
        stores[worker] = store
    assert _rows(stores[True]) == _rows(stores[False])


def _fts_config(store: SqliteStore) -> dict[str, object]:
    with store._reading() as conn:
        return {str(k): v for k, v in conn.execute("SELECT k, v FROM quote_terms_config")}


def test_a_bulk_load_into_an_empty_index_leaves_postings_merging_as_before() -> None:
    # The load defers FTS5's segment merges (config automerge/crisismerge) and ends
    # with one segment; later ingest merges as FTS5 does by default.
    store = SqliteStore(":memory:")
    store.bulk_add(_items(300))
    config = _fts_config(store)
    assert (config.get("automerge"), config.get("crisismerge")) == (4, 16)


def _article_and_quote_rows(store: SqliteStore) -> dict[str, list[tuple[object, ...]]]:
    """Articles and quotation rows, every column but the utterance (the bulk load joins
    only identical texts; article by article clusters near ones too), and the postings."""
    with store._reading() as conn:
        columns = [str(r[1]) for r in conn.execute("PRAGMA table_info(quotes)")]
        kept = ", ".join(f'"{c}"' for c in columns if c != "utterance")
        rows = {
            "articles": [tuple(r) for r in conn.execute("SELECT * FROM articles ORDER BY id")],
            "quotes": [tuple(r) for r in conn.execute(f"SELECT {kept} FROM quotes ORDER BY id")],
        }
    rows["postings"] = _rows(store)["postings"]
    return rows


def test_a_bulk_load_writes_the_article_quotation_and_postings_rows_add_article_writes() -> None:
    # The bulk load numbers its article and quotation rows itself and writes them many
    # at a time, from the worker's values: the same rows as one article at a time.
    items = _items(400)
    bulk = SqliteStore(":memory:")
    bulk.bulk_add(items)
    one_by_one = SqliteStore(":memory:")
    for article, quotes in items:
        one_by_one.add_article(article, quotes)
    expected = _article_and_quote_rows(one_by_one)
    assert len(expected["articles"]) == len(items)
    assert _article_and_quote_rows(bulk) == expected
