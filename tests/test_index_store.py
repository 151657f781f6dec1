"""SqliteStore: atomic idempotent ingest, corpus-wide speakers, listing, concurrency, crashes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from quotetrace_server.attribution.model import ArticleQuotes, AttributedQuote, QuoteKind
from quotetrace_server.entities.model import EntityKind
from quotetrace_server.index.sql.dialect import Dialect
from quotetrace_server.index.sql.records import quote_norm
from quotetrace_server.index.sql.store import SqlStore
from quotetrace_server.index.sqlite_store import SqliteStore
from quotetrace_server.ingest.model import Article, ArticleMeta
from tests.factories import StoreFactory

try:  # tests/ as a package or as a plain folder on sys.path
    from .test_index_gold import gold_corpus  # type: ignore[import-not-found, unused-ignore]
except ImportError:
    from test_index_gold import gold_corpus  # type: ignore[no-redef, import-not-found, unused-ignore]


def _quote(
    text: str,
    article_text: str,
    speaker: str | None,
    aliases: tuple[str, ...] = (),
    kind: QuoteKind = QuoteKind.DIRECT,
    speaker_kind: EntityKind = EntityKind.PERSON,
) -> AttributedQuote:
    start = article_text.index(text)
    return AttributedQuote(
        text=text,
        start=start,
        end=start + len(text),
        kind=kind,
        speaker=speaker,
        speaker_kind=speaker_kind if speaker else None,
        speaker_aliases=aliases or ((speaker,) if speaker else ()),
        speaker_mention=speaker,
        cue="said",
        sieve="test",
        confidence=0.8 if speaker else 0.0,
        context=article_text,
    )


def _article(
    body: str, quotes: list[tuple[str, str | None, tuple[str, ...]]], **meta: str
) -> tuple[Article, ArticleQuotes]:
    made = tuple(_quote(t, body, s, a) for t, s, a in quotes)
    return Article(body, ArticleMeta(**meta)), ArticleQuotes(made, ("tokenize",))  # type: ignore[arg-type]


@pytest.fixture()
def gold_store(new_store: StoreFactory) -> SqlStore:
    store = new_store()
    for article, quotes in gold_corpus():
        store.add_article(article, quotes)
    return store


def test_the_same_text_twice_changes_nothing(gold_store: SqlStore) -> None:
    before = gold_store.stats()
    article, quotes = gold_corpus()[1]
    outcome = gold_store.add_article(article, quotes)
    assert outcome.added is False and outcome.quotes_added == 0
    assert gold_store.stats() == before


def test_ingest_reports_quotes_added_and_article_is_retrievable(new_store: StoreFactory) -> None:
    store = new_store()
    article, quotes = gold_corpus()[0]
    outcome = store.add_article(article, quotes)
    assert outcome.added and outcome.quotes_added == len(quotes.quotes)
    assert store.has_article(article.article_id)
    assert store.get_article(article.article_id) == article
    assert store.get_article("0" * 16) is None


def test_failure_mid_article_leaves_no_half_article(
    new_store: StoreFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = new_store()
    article, quotes = gold_corpus()[0]
    calls = 0

    def fail_on_third(*_: object) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise RuntimeError("crash")

    monkeypatch.setattr(store, "_cluster", fail_on_third)
    with pytest.raises(RuntimeError):
        store.add_article(article, quotes)
    assert not store.has_article(article.article_id)
    stats = store.stats()
    assert (stats.article_count, stats.quote_count, stats.speaker_count) == (0, 0, 0)


def test_hyphenated_and_spaced_names_are_one_speaker(new_store: StoreFactory) -> None:
    store = new_store()
    body1 = 'Kim Jong Un said "we will win the sacred fight" at dinner.'
    body2 = 'Kim Jong-un said "the glory is immortal" on Tuesday.'
    store.add_article(*_article(body1, [("we will win the sacred fight", "Kim Jong Un", ())]))
    store.add_article(*_article(body2, [("the glory is immortal", "Kim Jong-un", ())]))
    assert store.stats().speaker_count == 1
    record = store.find_speaker("Kim Jong Un")
    assert record is not None and record.quote_count == 2


def test_bare_surname_links_only_when_unambiguous(new_store: StoreFactory) -> None:
    store = new_store()
    a1 = 'Vladimir Putin said "we came here to talk" today.'
    a2 = 'Putin said "there is time for everything" later.'
    store.add_article(*_article(a1, [("we came here to talk", "Vladimir Putin", ())]))
    store.add_article(*_article(a2, [("there is time for everything", "Putin", ())]))
    assert store.stats().speaker_count == 1
    b1 = 'Jack Kim said "the wire was late" again.'
    b2 = 'Kim Myong-sik said "the navy is ready" again.'
    b3 = 'Kim said "nobody knows the answer" again.'
    for body, quote, name in (
        (b1, "the wire was late", "Jack Kim"),
        (b2, "the navy is ready", "Kim Myong-sik"),
        (b3, "nobody knows the answer", "Kim"),
    ):
        store.add_article(*_article(body, [(quote, name, ())]))
    names = {q.speaker for q in store.list_quotes(limit=10)[0]}
    assert names == {"Vladimir Putin", "Jack Kim", "Kim Myong-sik", "Kim"}


def test_a_bare_name_speaker_takes_the_full_name_when_it_appears(new_store: StoreFactory) -> None:
    store = new_store()
    a1 = 'Putin said "there is time for everything" later.'
    a2 = 'Vladimir Putin said "we came here to talk" today.'
    store.add_article(*_article(a1, [("there is time for everything", "Putin", ())]))
    store.add_article(*_article(a2, [("we came here to talk", "Vladimir Putin", ())]))
    assert store.stats().speaker_count == 1
    record = store.find_speaker("Putin")
    assert record is not None and record.name == "Vladimir Putin" and record.quote_count == 2


@pytest.mark.parametrize(
    "name", ["Putin", "President Putin", "Mr. Putin", "Vladimir Putin", "President Vladimir Putin"]
)
def test_find_speaker_resolves_every_form_of_a_name(gold_store: SqlStore, name: str) -> None:
    record = gold_store.find_speaker(name)
    assert record is not None and record.name == "Vladimir Putin"
    assert len(record.article_ids) == 5


def test_find_speaker_prefers_the_best_supported_of_an_ambiguous_name(
    gold_store: SqlStore,
) -> None:
    record = gold_store.find_speaker("Kim")
    assert record is not None and record.name == "Kim Jong Un"
    assert gold_store.find_speaker("Nobody Known") is None


def test_speakers_named_returns_every_candidate_of_an_ambiguous_name(
    gold_store: SqlStore,
) -> None:
    putin = gold_store.find_speaker("Putin")
    assert putin is not None
    assert gold_store.speakers_named("Mr. Putin") == {putin.speaker_id}


def test_list_quotes_pages_in_article_order_with_total(gold_store: SqlStore) -> None:
    first, total = gold_store.list_quotes(limit=5)
    second, _ = gold_store.list_quotes(offset=5, limit=5)
    everything, _ = gold_store.list_quotes(limit=1000)
    assert total == len(everything) == gold_store.stats().quote_count
    assert first + second == everything[:10]
    article_id = everything[0].article_id
    in_article, count = gold_store.list_quotes(article_id=article_id)
    assert count == len(in_article) and all(q.article_id == article_id for q in in_article)
    assert [q.start for q in in_article] == sorted(q.start for q in in_article)


def test_list_quotes_by_speaker_spans_articles(gold_store: SqlStore) -> None:
    kim = gold_store.find_speaker("Kim Jong-un")
    assert kim is not None
    quotes, total = gold_store.list_quotes(speaker_id=kim.speaker_id, limit=100)
    assert total == kim.quote_count == len(quotes)
    assert {q.speaker for q in quotes} == {"Kim Jong Un"}
    assert len({q.article_id for q in quotes}) == 5


def test_terms_get_no_utterance_and_are_not_searchable(gold_store: SqlStore) -> None:
    quotes, _ = gold_store.list_quotes(limit=1000)
    terms = [q for q in quotes if q.kind is QuoteKind.TERM]
    assert terms and all(q.utterance_id is None for q in terms)
    assert list(gold_store.search("pelmeni", 10)) == []


def test_stats_count_corpus(gold_store: SqlStore) -> None:
    stats = gold_store.stats()
    assert stats.article_count == 5
    assert stats.quote_count == 62
    assert stats.outlet_count == 2  # only two texts state an outlet
    assert stats.processors == ("gold",)


def test_one_writer_and_many_readers_in_threads(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "index.db")
    corpus = gold_corpus()
    errors: list[BaseException] = []
    done = threading.Event()

    def read() -> None:
        try:
            while not done.is_set():
                list(store.search("why we came here", 10))
                store.list_quotes(limit=5)
                store.stats()
        except BaseException as exc:
            errors.append(exc)

    readers = [threading.Thread(target=read) for _ in range(4)]
    for t in readers:
        t.start()
    for article, quotes in corpus:
        store.add_article(article, quotes)
    done.set()
    for t in readers:
        t.join()
    assert not errors
    assert store.stats().article_count == 5
    store.close()


_KILLED_WRITER = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {tests!r})
    from test_index_gold import gold_corpus
    from quotetrace_server.index.sqlite_store import SqliteStore
    store = SqliteStore({db!r})
    corpus = gold_corpus()
    store.add_article(*corpus[0])
    original = store._cluster
    def slow(*args):
        original(*args)
        print("mid-article", flush=True)
        time.sleep(60)
    store._cluster = slow
    store.add_article(*corpus[1])
    """
)


def test_sigkill_mid_ingest_leaves_only_whole_articles(tmp_path: Path) -> None:
    db = tmp_path / "index.db"
    script = _KILLED_WRITER.format(tests=str(Path(__file__).parent), db=str(db))
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and child.stdout.readline().strip() != "mid-article":
        pass
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    store = SqliteStore(db)
    corpus = gold_corpus()
    assert store.has_article(corpus[0][0].article_id)
    assert not store.has_article(corpus[1][0].article_id)
    assert store.stats().quote_count == len(corpus[0][1].quotes)
    assert store.add_article(*corpus[1]).added
    store.close()


def _bulk_invariants(db: Path) -> None:
    """What the bulk path must leave as add_article would: counts kept, one utterance per
    normalised wording, postings counted, and every index of the schema in place."""
    import sqlite3

    with sqlite3.connect(db) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert {"quotes_article", "quotes_utterance", "quotes_norm_hash"} <= names
        counted = dict(conn.execute("SELECT speaker, COUNT(*) FROM quotes GROUP BY speaker"))
        for speaker, kept in conn.execute("SELECT id, quote_count FROM speakers"):
            assert kept == counted.get(speaker, 0)
        per_wording = conn.execute(
            f"SELECT {quote_norm(Dialect())} AS n, COUNT(DISTINCT q.utterance) FROM quotes q"
            " JOIN articles a ON a.id = q.article WHERE q.kind != 'term' GROUP BY n"
        ).fetchall()
        assert per_wording and all(n == 1 for _, n in per_wording)
        assert not conn.execute(
            "SELECT 1 FROM quotes WHERE kind != 'term' AND utterance IS NULL"
        ).fetchone()
        for term, df in conn.execute("SELECT term, df FROM term_df ORDER BY term LIMIT 200"):
            phrase = '"' + term.replace('"', '""') + '"'
            (found,) = conn.execute(
                "SELECT COUNT(*) FROM quote_terms WHERE quote_terms MATCH ?", (phrase,)
            ).fetchone()
            assert found == df, term


def test_bulk_load_into_an_empty_index_keeps_counts_and_builds_every_index(
    tmp_path: Path,
) -> None:
    corpus = gold_corpus()
    store = SqliteStore(tmp_path / "bulk.db")
    assert store.bulk_add(corpus + corpus) == len(corpus)  # the second copy is skipped
    store.close()
    _bulk_invariants(tmp_path / "bulk.db")


def test_bulk_load_into_a_filled_index_keeps_its_indexes(tmp_path: Path) -> None:
    corpus = gold_corpus()
    store = SqliteStore(tmp_path / "bulk.db")
    store.add_article(*corpus[0])
    assert store.bulk_add(corpus[1:]) == len(corpus) - 1
    stored, total = store.list_quotes(limit=500)
    assert total == len(stored) > 0
    store.close()
    _bulk_invariants(tmp_path / "bulk.db")


def test_speaker_links_are_kept_once_and_pass_sqlites_checks(tmp_path: Path) -> None:
    """speaker_links holds about a row per article: a WITHOUT ROWID table keeps its key
    once (a rowid table kept it again in its unique index), and the file stays sound
    for SQLite's integrity_check and the store's own file check."""
    import sqlite3

    from quotetrace_server.index.integrity import IndexFile, check_index_file

    db = tmp_path / "links.db"
    store = SqliteStore(db)
    for article, quotes in gold_corpus():
        store.add_article(article, quotes)
    history = store.speaker_history(store.list_speakers()[0].speaker_id)
    store.close()
    with sqlite3.connect(db) as conn:
        (links,) = conn.execute("SELECT COUNT(*) FROM speaker_links").fetchone()
        autoindexes = conn.execute(
            "SELECT name FROM sqlite_master WHERE tbl_name = 'speaker_links' AND type = 'index'"
        ).fetchall()
        integrity = conn.execute("PRAGMA integrity_check").fetchall()
    assert links > 0 and autoindexes == [] and integrity == [("ok",)]
    assert all(evidence for _, evidence, _ in history)
    assert check_index_file(db) is IndexFile.INDEX
