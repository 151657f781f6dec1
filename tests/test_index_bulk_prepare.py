"""A bulk load has its quotations' values worked out in a worker process while it
writes: the index must be the one it builds when it works them out itself."""

from __future__ import annotations

import sys
from pathlib import Path

from quotetrace_server.attribution.model import ArticleQuotes
from quotetrace_server.index.sql.prepare import prepare_article, prepared_items
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
    assert [p for _, _, p in inline] == [prepare_article(a, q, True) for a, q in items]
    assert any(v.context_span is None and v.context for _, _, p in inline for v in p)


def test_a_bulk_load_prepared_by_a_worker_builds_the_same_index() -> None:
    items = _items(1200)
    stores = {}
    for worker in (False, True):
        store = SqliteStore(":memory:")
        store._bulk_prepare_worker = worker
        assert store.bulk_add(items + items[:5]) == len(items)  # repeats are skipped
        stores[worker] = store
    assert _rows(stores[True]) == _rows(stores[False])
