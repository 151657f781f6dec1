"""PostgreSQL as the shared index: stores of several servers on one database see each
other's writes, hand out ids from one sequence, and take turns writing. A real server
(conftest's throwaway PostgreSQL), nothing mocked."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from quotetrace_server.cli import _db_location
from quotetrace_server.entities.normalize import normalize
from quotetrace_server.index.postgres_store import PostgresStore
from quotetrace_server.index.sql import search
from quotetrace_server.index.sql.postgres_schema import MIGRATIONS
from quotetrace_server.index.sql.store import SqlStore
from quotetrace_server.index.sqlite_store import SqliteStore
from quotetrace_server.verify.model import Verdict, VerifyQuery
from quotetrace_server.verify.verifier import Verifier
from tests.factories import add_said
from tests.postgres import ThrowawayPostgres

HARBOUR = "The new harbour wall will be finished before the spring storms"
FERRIES = "Night ferries return to the island next month"


@pytest.fixture()
def two_servers(postgres: ThrowawayPostgres) -> Iterator[tuple[PostgresStore, PostgresStore]]:
    """The stores of two servers, each with its own connection pool, on one database."""
    url = postgres.new_database()
    first, second = PostgresStore(url), PostgresStore(url)
    yield first, second
    first.close()
    second.close()


def test_a_write_through_one_server_is_read_through_the_other(
    two_servers: tuple[PostgresStore, PostgresStore],
) -> None:
    writer, reader = two_servers
    assert reader.stats().quote_count == 0
    add_said(writer, HARBOUR, "Ines Harlow")
    result = Verifier(reader).verify(VerifyQuery(HARBOUR, "Ines Harlow"))
    assert result.verdict is Verdict.VERIFIED
    assert reader.find_speaker("Harlow") is not None
    (record,), total = reader.list_articles()
    assert total == 1
    assert reader.delete_article(record.article_id) is not None
    assert not list(writer.search(normalize(HARBOUR), 10))
    assert Verifier(writer).verify(VerifyQuery(HARBOUR)).verdict is Verdict.NOT_FOUND


def test_ids_are_global_to_the_database_not_to_a_server(
    two_servers: tuple[PostgresStore, PostgresStore],
) -> None:
    first, second = two_servers
    add_said(first, HARBOUR, "Ines Harlow")
    add_said(second, FERRIES, "Tomas Reyne")
    quotes, _ = first.list_quotes()
    assert len({q.speaker_id for q in quotes}) == 2
    assert len({q.utterance_id for q in quotes}) == 2
    # A later printing through the other server joins the first server's utterance.
    add_said(second, HARBOUR, "Ines Harlow", place="on the radio")
    by_text = {q.text: q.utterance_id for q in second.list_quotes()[0]}
    assert len(second.list_quotes()[0]) == 3 and len(set(by_text.values())) == 2


def test_writers_on_two_servers_take_turns_and_lose_nothing(
    two_servers: tuple[PostgresStore, PostgresStore],
) -> None:
    errors: list[BaseException] = []

    def write(store: PostgresStore, who: str) -> None:
        try:
            for n in range(8):
                add_said(store, f"{FERRIES} and the pier reopens in week {n}", who)
        except BaseException as error:  # reported below, with the thread's name
            errors.append(error)

    threads = [
        threading.Thread(target=write, args=(store, who))
        for store, who in zip(two_servers, ("Tomas Reyne", "Ines Harlow"), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    stats = two_servers[1].stats()
    assert (stats.article_count, stats.quote_count, stats.speaker_count) == (16, 16, 2)
    counts = {r.name: r.quote_count for r in two_servers[0].list_speakers()}
    assert counts == {"Tomas Reyne": 8, "Ines Harlow": 8}


def test_a_second_server_finds_the_schema_made_and_versioned(postgres: ThrowawayPostgres) -> None:
    url = postgres.new_database()
    first = PostgresStore(url)
    add_said(first, HARBOUR, "Ines Harlow")
    second = PostgresStore(url)  # creates nothing again, loses nothing
    assert second.stats().quote_count == 1
    with second._reading() as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [(len(MIGRATIONS),)]
    first.close()
    second.close()


def test_an_index_of_the_previous_version_is_stepped_up_to_the_planners_larger_sample_of_terms(
    postgres: ThrowawayPostgres,
) -> None:
    url = postgres.new_database()
    older = PostgresStore(url)
    add_said(older, HARBOUR, "Ines Harlow")
    with older._writing() as conn:  # as the version before the sample was enlarged left it
        conn.execute("ALTER TABLE quote_postings ALTER COLUMN term SET STATISTICS -1")
        conn.execute("UPDATE schema_version SET version = ?", (len(MIGRATIONS) - 1,))
    older.close()
    store = PostgresStore(url)
    with store._reading() as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [(len(MIGRATIONS),)]
        (target,) = conn.execute(
            "SELECT attstattarget FROM pg_attribute WHERE attname = 'term'"
            " AND attrelid = 'quote_postings'::regclass"
        ).fetchone()
        (analysed,) = conn.execute(
            "SELECT count(*) FROM pg_stats WHERE tablename = 'quote_postings'"
            " AND schemaname = current_schema()"
        ).fetchone()
    assert target == 1000
    assert analysed > 0  # analysed at once, not at autovacuum's next turn
    assert store.stats().quote_count == 1
    store.close()


def test_db_option_keeps_a_postgres_url_whole_and_a_file_as_a_path() -> None:
    url = "postgresql://quotes@db.internal:5432/index"
    assert _db_location(url) == url
    assert _db_location("postgres://quotes@db/index") == "postgres://quotes@db/index"
    assert _db_location("data/quotetrace.db") == Path("data/quotetrace.db")


def test_an_engine_on_a_postgres_url_uses_the_database_without_semantic_search(
    postgres: ThrowawayPostgres,
) -> None:
    from quotetrace_server.engine.engine import Engine

    url = postgres.new_database()
    writer = PostgresStore(url)
    add_said(writer, HARBOUR, "Ines Harlow")
    engine = Engine.open(url)
    try:
        assert isinstance(engine.store, PostgresStore)
        assert engine.semantic is None  # each server's vectors would go stale: off
        assert engine.stats().quote_count == 1
        assert engine.verify(VerifyQuery(HARBOUR)).verdict is Verdict.VERIFIED
    finally:
        engine.close()
        writer.close()


def test_an_engine_reads_the_processors_another_server_indexed_with(
    two_servers: tuple[PostgresStore, PostgresStore],
) -> None:
    from quotetrace_server.attribution.attributor import Attributor
    from quotetrace_server.engine.engine import Engine

    def no_nlp() -> Attributor:
        raise AssertionError("this test runs no NLP")

    first, second = two_servers
    engine = Engine(first, no_nlp)
    add_said(first, HARBOUR, "Ines Harlow")
    assert engine.processors() == ("tokenize",)
    add_said(second, FERRIES, "Tomas Reyne", processors=("tokenize", "mwt"))
    assert engine.processors() == ("tokenize", "mwt")  # not the first answer, cached


# Quotations sharing words in different combinations: several hold the same set of a
# query's terms (equal scores, broken by the first term held, then the id).
_RANKED = [
    "The lighthouse keeper counted the gulls at dawn",
    "Gulls nest on the lighthouse every spring",
    "The keeper mends nets at dawn",
    "Every spring the gulls return to the cliffs",
    "The lighthouse keeper counted the gulls at dawn again",
    "Dawn light on the cliffs brings the gulls back",
    "The keeper and the gulls share the lighthouse",
    "Nets and gulls at the harbour at dawn",
]
_QUERIES = [
    "the lighthouse keeper counted the gulls",
    "gulls at dawn",
    "the keeper mends the nets",
    "every spring the gulls nest",
    "cliffs and gulls",
    "a quotation nobody printed",
]


@pytest.fixture()
def ranked_pair(postgres: ThrowawayPostgres) -> Iterator[tuple[SqliteStore, PostgresStore]]:
    """The same articles, in the same order (so the same ids), on each engine."""
    lite, pg = SqliteStore(":memory:"), PostgresStore(postgres.new_database())
    for i, quote in enumerate(_RANKED):
        for store in (lite, pg):
            add_said(store, quote, f"Speaker {chr(65 + i)} Vell", place=f"on day {i}")
    yield lite, pg
    lite.close()
    pg.close()


def _hits(store: SqlStore, query: str) -> list[tuple[str, str]]:
    return [(h.utterance_id, h.normalized) for h in store.search(normalize(query), 100)]


def test_the_one_statement_search_ranks_candidates_as_sqlites_steps_do(
    ranked_pair: tuple[SqliteStore, PostgresStore],
) -> None:
    lite, pg = ranked_pair
    for query in _QUERIES:
        assert _hits(pg, query) == _hits(lite, query), query
    assert _hits(pg, "gulls at dawn")  # the comparison is not of two empty lists


def test_a_search_whose_rarest_term_is_over_budget_takes_the_steps_on_postgres(
    ranked_pair: tuple[SqliteStore, PostgresStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    lite, pg = ranked_pair
    # A budget of one posting: every term of these queries is over it, so the one
    # statement answers "over budget" and the intersection of common terms runs.
    monkeypatch.setattr(search, "_POSTINGS_BUDGET", 1)
    for query in _QUERIES:
        assert _hits(pg, query) == _hits(lite, query), query
    assert _hits(pg, "the lighthouse keeper counted the gulls")


def _holding_every(store: SqlStore, terms: list[str], *, ranked: bool) -> list[int]:
    with store._reading() as conn:
        return store._terms.all_of(conn, terms, 100, ranked=ranked)


def _newest_holding_every(store: SqlStore, terms: list[str], window: int) -> list[int]:
    with store._reading() as conn:
        return store._terms.newest_all_of_ranked(conn, terms, window, 100)


def test_quotations_holding_every_term_are_the_same_on_both_engines(
    ranked_pair: tuple[SqliteStore, PostgresStore],
) -> None:
    lite, pg = ranked_pair
    # One term (unranked, id order), two and three (bm25 ranked), rarest first as the
    # search gives them, and a set no quotation holds whole.
    for terms in (["gulls"], ["dawn", "gulls"], ["keeper", "dawn", "the"], ["nets", "cliffs"]):
        for ranked in (False, True):
            assert _holding_every(pg, terms, ranked=ranked) == _holding_every(
                lite, terms, ranked=ranked
            ), (terms, ranked)
        for window in (2, 100):
            assert _newest_holding_every(pg, terms, window) == _newest_holding_every(
                lite, terms, window
            ), (terms, window)
    assert len(_holding_every(pg, ["dawn", "gulls"], ranked=True)) == 4
    assert _holding_every(pg, ["nets", "cliffs"], ranked=False) == []
    assert len(_newest_holding_every(pg, ["gulls"], 2)) == 2


# Thirty quotations sharing a query's words in different combinations: more candidates
# than the one statement's first rows (search._HIT_BATCH), so the rest are read after.
_MANY = [
    f"The {boat} pilot {verb} the {cargo} past the breakwater"
    for boat in ("harbour", "river", "canal")
    for verb in ("steered", "guided", "towed", "watched", "hailed")
    for cargo in ("barge", "ferry")
]


@pytest.fixture()
def many_pair(postgres: ThrowawayPostgres) -> Iterator[tuple[SqliteStore, PostgresStore]]:
    lite, pg = SqliteStore(":memory:"), PostgresStore(postgres.new_database())
    for i, quote in enumerate(_MANY):
        for store in (lite, pg):
            add_said(store, quote, f"Speaker {chr(65 + i % 26)} Quill", place=f"on day {i}")
    yield lite, pg
    lite.close()
    pg.close()


def test_candidates_past_the_first_rows_come_as_sqlites_steps_give_them(
    many_pair: tuple[SqliteStore, PostgresStore],
) -> None:
    lite, pg = many_pair
    for query in ("the pilot past the breakwater", "pilot breakwater", "the canal pilot"):
        hits = _hits(pg, query)
        assert len(hits) > search._HIT_BATCH, query  # some came after the first rows
        assert hits == _hits(lite, query), query


def test_a_caller_stopping_within_the_first_rows_reads_no_more_on_postgres(
    many_pair: tuple[SqliteStore, PostgresStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    lite, pg = many_pair
    query = normalize("the pilot past the breakwater")
    best = next(lite.search(query, 100))
    later: list[int] = []
    read_rows = search.CandidateSearch._candidate_rows

    def counted(self: SqlStore, conn: Any, rowids: list[int], printed: Any) -> Any:
        later.append(len(rowids))
        return read_rows(self, conn, rowids, printed)

    monkeypatch.setattr(search.CandidateSearch, "_candidate_rows", counted)
    hits = pg.search(query, 100)
    assert next(hits) == best
    assert later == []  # the best one came with the search's one statement
    assert len(list(pg.search(query, 100))) == len(_MANY)
    assert later == [len(_MANY) - search._HIT_BATCH]  # the rest, once, when asked for
