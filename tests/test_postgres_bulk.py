"""PostgreSQL's bulk load writes its rows with COPY and links speakers from memory: the
same rows as the statement-per-row load, ids that any server's next row follows, and a
load stopped part way leaves whole articles only. A real server, nothing mocked."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import psycopg
import pytest

from quotetrace_server.index.postgres_store import PostgresStore, folds_ascii_only
from tests.postgres import ThrowawayPostgres
from tests.test_index_bulk_speakers import Item, _hand_made, _synthetic

# Every table a bulk load writes, each in a fixed order.
_TABLES = (
    "SELECT id, article_id, text, title, outlet, wire_credits, byline, date, url, source_name,"
    " processors, identity, text_hash, derived FROM articles ORDER BY id",
    "SELECT * FROM quotes ORDER BY id",
    "SELECT id FROM utterances ORDER BY id",
    "SELECT term, quote, terms FROM quote_postings ORDER BY term, quote",
    "SELECT term, df FROM term_df ORDER BY term",
    "SELECT docs, terms FROM postings_totals",
    "SELECT id, name, kind, name_key, quote_count, fixed_name FROM speakers ORDER BY id",
    "SELECT speaker, alias, alias_key FROM speaker_aliases ORDER BY speaker, alias",
    "SELECT key, speaker FROM speaker_keys ORDER BY key, speaker",
    "SELECT l.speaker, l.name, COALESCE(l.evidence, e.text), l.source FROM speaker_links l"
    " LEFT JOIN link_evidence e ON e.id = l.evidence_id ORDER BY l.speaker, l.name, l.source",
    "SELECT gone, into_speaker, evidence, source FROM speaker_merges ORDER BY gone",
)


class RowByRowStore(PostgresStore):
    """The bulk load as it was before COPY: a statement per row, ids from the identity
    columns, speaker linking reading the tables (as under a non-C ctype)."""

    _bulk_numbers_rows = False

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self._mirror_in_bulk = False
        self._BULK_BATCH = self._BULK_BATCH_READING_TABLES


def _tables(store: PostgresStore) -> list[list[tuple[object, ...]]]:
    with store._reading() as conn:
        return [[tuple(r) for r in conn.execute(query)] for query in _TABLES]


@pytest.fixture()
def stores(postgres: ThrowawayPostgres) -> Iterator[list[PostgresStore]]:
    made: list[PostgresStore] = []
    yield made
    for store in made:
        store.close()


def _items() -> list[Item]:
    return _hand_made() + _synthetic(800) + _hand_made()[:3]


def test_the_tests_server_folds_ascii_letters_only_so_bulk_loads_link_from_memory(
    postgres: ThrowawayPostgres, stores: list[PostgresStore]
) -> None:
    store = PostgresStore(postgres.new_database())
    stores.append(store)
    with store._reading() as conn:
        assert folds_ascii_only(conn)
    assert store._mirror_in_bulk


def test_copy_bulk_load_writes_the_rows_a_statement_per_row_load_writes(
    postgres: ThrowawayPostgres, stores: list[PostgresStore]
) -> None:
    items = _items()
    copied, row_by_row = (
        PostgresStore(postgres.new_database()),
        RowByRowStore(postgres.new_database()),
    )
    stores.extend((copied, row_by_row))
    assert copied.bulk_add(items, batch=40) == len(items) - 3  # the repeats are skipped
    assert row_by_row.bulk_add(items) == len(items) - 3
    expected = _tables(row_by_row)
    assert expected[10], "the articles were made to merge speakers"
    assert _tables(copied) == expected


def test_a_row_added_after_a_copy_bulk_load_takes_the_next_id(
    postgres: ThrowawayPostgres, stores: list[PostgresStore]
) -> None:
    items = _items()
    store = PostgresStore(postgres.new_database())
    stores.append(store)
    store.bulk_add(items[:-20])
    with store._reading() as conn:
        (quotes,) = conn.execute("SELECT MAX(id) FROM quotes").fetchone()
        (utterances,) = conn.execute("SELECT MAX(id) FROM utterances").fetchone()
    for article, quotes_of in items[-20:]:
        store.add_article(article, quotes_of)
    with store._reading() as conn:
        (first_quote,) = conn.execute(
            "SELECT MIN(id) FROM quotes WHERE id > ?", (quotes,)
        ).fetchone()
        made = conn.execute(
            "SELECT count(*), MIN(id) FROM utterances WHERE id NOT IN"
            " (SELECT utterance FROM quotes WHERE id <= ? AND utterance IS NOT NULL)",
            (quotes,),
        ).fetchone()
    # Had the sequences stayed at 1, the first add would have collided with row 1.
    assert first_quote == quotes + 1
    assert made[0] > 0 and made[1] == utterances + 1


def _unwritable(item: Item) -> Item:
    """The article with a quotation that PostgreSQL refuses when its batch is copied
    (a NUL character in the cue): the load stops at that commit, as a killed one would."""
    article, quotes = item
    first = dataclasses.replace(quotes.quotes[0], cue="said\x00")
    return article, dataclasses.replace(quotes, quotes=(first, *quotes.quotes[1:]))


def test_a_copy_bulk_load_stopped_part_way_leaves_whole_articles_and_a_rerun_completes_it(
    postgres: ThrowawayPostgres, stores: list[PostgresStore]
) -> None:
    items = _items()
    stopped, whole = PostgresStore(postgres.new_database()), PostgresStore(postgres.new_database())
    stores.extend((stopped, whole))
    with pytest.raises(psycopg.DataError):
        stopped.bulk_add([*items[:50], _unwritable(items[50]), *items[51:]], batch=20)
    with stopped._reading() as conn:
        per_article = conn.execute(
            "SELECT a.id, count(q.id) FROM articles a LEFT JOIN quotes q ON q.article = a.id"
            " GROUP BY a.id ORDER BY a.id"
        ).fetchall()
    # Two commits of 20 articles; the third batch's rows were rolled back whole.
    assert len(per_article) == 40
    expected = {i + 1: len(quotes.quotes) for i, (_, quotes) in enumerate(items[:40])}
    assert dict(per_article) == expected
    assert stopped.bulk_add(items, batch=20) == len(items) - 3 - 40
    whole.bulk_add(items, batch=20)
    assert _contents(stopped) == _contents(whole)


# What an index holds, whatever ids it was given (a rolled-back transaction's sequence
# numbers are not given back, so the articles and speakers it made are numbered on).
_CONTENTS = (
    'SELECT a.article_id, q.seq, q.kind, q.start, q."end", q.norm_hash, s.name,'
    " q.article_speaker FROM quotes q JOIN articles a ON a.id = q.article"
    " LEFT JOIN speakers s ON s.id = q.speaker ORDER BY a.article_id, q.seq",
    "SELECT term, count(*) FROM quote_postings GROUP BY term ORDER BY term",
    "SELECT term, df FROM term_df ORDER BY term",
    "SELECT docs, terms FROM postings_totals",
    "SELECT name, quote_count FROM speakers ORDER BY name, quote_count",
)


def _contents(store: PostgresStore) -> list[list[tuple[object, ...]]]:
    with store._reading() as conn:
        return [[tuple(r) for r in conn.execute(query)] for query in _CONTENTS]
