"""The quote index on SQLite (stdlib sqlite3, WAL): articles, quotations, speakers, utterances.

Concurrency: one writer at a time (a lock around ``add_article``), any number of reader
threads, each with its own connection (WAL lets them read while the writer writes).
An in-memory database (":memory:") cannot be shared between connections, so there one
connection serves every thread under the same lock.

The store itself is index.sql's, shared with PostgreSQL; this module gives it the file.
"""

from __future__ import annotations

from pathlib import Path

from quotetrace_server.index.sql.database import CACHE_KIB, Connection, SqliteDatabase
from quotetrace_server.index.sql.records import context_span, lead_words
from quotetrace_server.index.sql.speakers import SpeakerEditError, read_edits
from quotetrace_server.index.sql.sqlite_schema import (
    BULK_CACHE_KIB,
    DEFERRED_INDEXES,
    create_schema,
    deferred_index_names,
    quote_copies_required,
)
from quotetrace_server.index.sql.store import SqlStore
from quotetrace_server.index.sql.terms import (
    Fts5Terms,
    insert_term_df_from_postings,
    query_terms,
)
from quotetrace_server.index.sql.writer import BulkBatch

__all__ = [
    "SpeakerEditError",
    "SqliteStore",
    "context_span",
    "lead_words",
    "query_terms",
    "read_edits",
]


class SqliteStore(SqlStore):
    """QuoteStore on one SQLite file (or ":memory:" for tests)."""

    _mirror_in_bulk = True
    _bulk_numbers_rows = True
    # Most word-pair terms are held by one quotation: a sixth of the file, left out.
    _term_df_floor = 1
    _df_from_postings = True

    def __init__(self, path: str | Path) -> None:
        self._sqlite = SqliteDatabase(str(path))
        super().__init__(self._sqlite, Fts5Terms())
        with self._writing() as conn:
            create_schema(conn)
            self._derive_quote_copies = not quote_copies_required(conn)
            has_edits = conn.execute("SELECT 1 FROM speaker_edits LIMIT 1").fetchone()
        # Operator corrections also live beside the index file, so that an index rebuilt
        # from scratch (the file deleted) gets them back.
        side = self.edits_file
        if side is not None and has_edits is None and side.is_file():
            self.import_edits(read_edits(side), write_side_file=False)

    @property
    def edits_file(self) -> Path | None:
        return None if self._sqlite.in_memory else Path(self.path + ".speaker-edits.jsonl")

    def _bulk_started(self, conn: Connection) -> bool:
        deferred = conn.execute("SELECT 1 FROM quotes LIMIT 1").fetchone() is None
        if deferred:
            for name in deferred_index_names():
                conn.execute(f"DROP INDEX IF EXISTS {name}")
            Fts5Terms.merge_for_bulk(conn, bulk=True)
        conn.execute(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
        return deferred

    def _write_joined_postings(self, conn: Connection, postings: list[tuple[int, str]]) -> None:
        Fts5Terms.add_joined(conn, postings)

    def _insert_whole_load_df(self, conn: Connection, gathered: BulkBatch) -> None:
        # The postings merged into one segment first (the 'optimize' every load ends
        # with): fts5vocab then reads each token's list whole, not a piece in each
        # commit's segment (100,000 quotations: 0.55 -> 0.30 CPU s).
        self._terms.optimize(conn)
        insert_term_df_from_postings(conn, gathered.df, gathered.folded, above=self._term_df_floor)
        gathered.folded.clear()

    def _bulk_finished(self, conn: Connection, deferred: bool) -> None:
        if not deferred:  # a load into an empty index optimized before its term_df
            super()._bulk_finished(conn, deferred)
        if deferred:
            Fts5Terms.merge_for_bulk(conn, bulk=False)
            conn.raw.executescript(DEFERRED_INDEXES)
            # Rewritten packed: merging the postings' segments frees a tenth of the file,
            # and the tables written in key order batch by batch (term_df, speaker links)
            # leave their pages part empty. A few seconds per 100,000 quotations.
            conn.execute("VACUUM")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
