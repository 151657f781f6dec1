"""An index file written before the compact layout (every quotation storing its text and
normalised text, a covering candidate index, each speaker link its evidence text) opens,
is migrated, and answers as a file written in the new layout does: same Verify answers,
same quotations, same speaker histories; new articles go into it too."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from quotetrace_server.index.sql.dialect import Dialect
from quotetrace_server.index.sql.records import QUOTE_TEXT, quote_norm
from quotetrace_server.index.sqlite_store import SqliteStore
from quotetrace_server.verify.model import VerifyQuery, VerifyResult
from quotetrace_server.verify.verifier import Verifier

try:
    from .test_index_gold import gold_corpus  # type: ignore[import-not-found, unused-ignore]
except ImportError:
    from test_index_gold import gold_corpus  # type: ignore[no-redef, import-not-found, unused-ignore]

# The quotes table and speaker links as files made before the compact layout declared them.
_OLD_QUOTES = """
CREATE TABLE quotes(
    id INTEGER PRIMARY KEY,
    article INTEGER NOT NULL REFERENCES articles(id),
    seq INTEGER NOT NULL,
    text TEXT NOT NULL,
    norm TEXT NOT NULL,
    norm_hash INTEGER NOT NULL,
    lemmas TEXT NOT NULL,
    lead TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    kind TEXT NOT NULL,
    speaker INTEGER REFERENCES speakers(id),
    article_speaker TEXT,
    speaker_mention TEXT, cue TEXT, sieve TEXT,
    resolution TEXT,
    confidence REAL NOT NULL,
    context TEXT NOT NULL,
    utterance INTEGER REFERENCES utterances(id),
    context_start INTEGER, context_end INTEGER
);
CREATE INDEX quotes_speaker ON quotes(speaker, article, seq);
CREATE INDEX quotes_article ON quotes(article, seq);
CREATE INDEX quotes_utterance ON quotes(utterance);
CREATE INDEX quotes_norm_hash ON quotes(norm_hash);
CREATE INDEX quotes_candidate ON quotes(id, utterance, article, norm);
"""
_OLD_LINKS = """
CREATE TABLE speaker_links(
    speaker INTEGER NOT NULL,
    name TEXT NOT NULL,
    evidence TEXT,
    source TEXT NOT NULL,
    PRIMARY KEY(speaker, name, source)
) WITHOUT ROWID;
"""
_COLUMNS = (
    'article, seq, text, norm, norm_hash, lemmas, lead, start, "end", kind, speaker,'
    " article_speaker, speaker_mention, cue, sieve, resolution, confidence, context,"
    " utterance, context_start, context_end"
)


def _to_old_layout(db: Path) -> None:
    """Rewrite a new-layout file as an older version of the store wrote it."""
    derived = _COLUMNS.replace("text, norm,", f"{QUOTE_TEXT}, {quote_norm(Dialect())},")
    derived = ", ".join(
        c if c.strip().startswith(("COALESCE", "q.")) else f"q.{c.strip()}"
        for c in _split_columns(derived)
    )
    with sqlite3.connect(db) as conn:
        conn.execute("ALTER TABLE quotes RENAME TO quotes_new")
        for name in ("quotes_speaker", "quotes_article", "quotes_utterance", "quotes_norm_hash"):
            conn.execute(f"DROP INDEX {name}")
        conn.executescript(_OLD_QUOTES)
        conn.execute(
            f"INSERT INTO quotes(id, {_COLUMNS}) SELECT q.id, {derived} FROM quotes_new q"
            " JOIN articles a ON a.id = q.article"
        )
        conn.execute("DROP TABLE quotes_new")
        conn.execute("ALTER TABLE speaker_links RENAME TO links_new")
        conn.executescript(_OLD_LINKS)
        conn.execute(
            "INSERT INTO speaker_links SELECT l.speaker, l.name, COALESCE(l.evidence, e.text),"
            " l.source FROM links_new l LEFT JOIN link_evidence e ON e.id = l.evidence_id"
        )
        conn.execute("DROP TABLE links_new")
        conn.execute("DROP TABLE link_evidence")


def _split_columns(columns: str) -> list[str]:
    """Top-level comma-separated items (commas inside parentheses kept)."""
    items, depth, current = [], 0, ""
    for char in columns:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            items.append(current)
            current = ""
        else:
            current += char
    return [*items, current]


def _answers(store: SqliteStore, queries: list[VerifyQuery]) -> list[VerifyResult]:
    verifier = Verifier(store)
    return [verifier.verify(q) for q in queries]


def _queries(store: SqliteStore) -> list[VerifyQuery]:
    quotes, _ = store.list_quotes(limit=500)
    queries = [VerifyQuery(q.text, q.speaker) for q in quotes[::3]]
    queries += [VerifyQuery(" ".join(q.text.split()[1:-1])) for q in quotes[1::7]]
    return [*queries, VerifyQuery("nothing like this was ever printed by anyone at all")]


def test_a_file_in_the_old_layout_gives_the_same_answers_after_its_migration(
    tmp_path: Path,
) -> None:
    corpus = gold_corpus()
    db = tmp_path / "old.db"
    store = SqliteStore(db)
    for article, quotes in corpus[:-1]:
        store.add_article(article, quotes)
    queries = _queries(store)
    answers = _answers(store, queries)
    listed = store.list_quotes(limit=500)
    speakers = [s.speaker_id for s in store.list_speakers()]
    histories = [store.speaker_history(s) for s in speakers]
    store.close()
    _to_old_layout(db)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM quotes WHERE text IS NULL").fetchone() == (0,)

    old = SqliteStore(db)
    assert _answers(old, queries) == answers
    assert old.list_quotes(limit=500) == listed
    assert [old.speaker_history(s) for s in speakers] == histories
    # New articles go into the old table (its rows store text and norm, as before).
    assert old.add_article(*corpus[-1]).added
    added, _ = old.list_quotes(article_id=corpus[-1][0].article_id)
    assert [q.text for q in added] == [q.text for q in corpus[-1][1].quotes]
    old.close()
    with sqlite3.connect(db) as conn:
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        unmoved = conn.execute(
            "SELECT COUNT(*) FROM speaker_links WHERE evidence IS NOT NULL"
        ).fetchone()
        integrity = conn.execute("PRAGMA integrity_check").fetchall()
    assert "quotes_candidate" not in indexes and "link_evidence" in indexes
    assert unmoved == (0,) and integrity == [("ok",)]


def test_a_new_file_stores_a_quotation_printed_in_its_article_once(tmp_path: Path) -> None:
    """The text and normalised text of a quotation printed as is in its article are read
    from the article; those that differ from it (a cut context, typographic marks) are
    stored, and every one reads back as ingested."""
    corpus = gold_corpus()
    store = SqliteStore(tmp_path / "new.db")
    for article, quotes in corpus:
        store.add_article(article, quotes)
    listed, _ = store.list_quotes(limit=1000)
    store.close()
    expected = [q.text for _, quotes in corpus for q in quotes.quotes]
    assert sorted(q.text for q in listed) == sorted(expected)
    with sqlite3.connect(tmp_path / "new.db") as conn:
        stored_text, stored_norm, total = conn.execute(
            "SELECT COUNT(text), COUNT(norm), COUNT(*) FROM quotes"
        ).fetchone()
    assert stored_text < total and stored_norm < total
