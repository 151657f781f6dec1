"""The quote index on PostgreSQL (psycopg 3, a connection pool): the same store as
SQLite's (index.sql), for several servers answering from one database.

Concurrency: readers take pooled connections; writers, in this process and in every
other server, take turns through a transaction-scoped advisory lock (dialect.begin), one
article per transaction, as SQLite's single writer does. Ids come from identity columns,
so they are global to the database, not to a server.
"""

from __future__ import annotations

from quotetrace_server.index.sql.database import Connection
from quotetrace_server.index.sql.postgres_database import PostgresDatabase
from quotetrace_server.index.sql.postgres_schema import create_schema
from quotetrace_server.index.sql.records import QuoteRow, norm_hash, quote_norm
from quotetrace_server.index.sql.store import SqlStore
from quotetrace_server.index.sql.terms import PostgresPostings
from quotetrace_server.index.sql.writer import BulkBatch, Utterance

# The tables the bulk path looks rows up in while it loads (not the postings it writes).
_LOOKED_UP = ("articles", "quotes", "speakers", "speaker_aliases", "speaker_keys", "speaker_links")


class PostgresStore(SqlStore):
    """QuoteStore on a PostgreSQL database given by its URL (postgresql://…)."""

    # A bulk load commits every 100 articles, not 2,000: the speakers' rows are updated
    # by every article naming them, and each update in one transaction leaves a version
    # that the next read of the row walks past until the transaction ends.
    _BULK_BATCH = 100

    def __init__(self, url: str, *, max_connections: int = 8) -> None:
        super().__init__(PostgresDatabase(url, max_connections=max_connections), PostgresPostings())
        self._bulk_commits = 0
        with self._writing() as conn:
            create_schema(conn)

    def _identical_or_new_utterance(
        self, conn: Connection, row: QuoteRow, bulk: BulkBatch | None = None
    ) -> Utterance:
        # Found or made inside the quotation's INSERT: one round trip, not three.
        return Utterance(
            value="COALESCE((SELECT id FROM found), (SELECT id FROM made))",
            value_params=(),
            with_clause=(
                "WITH found AS (SELECT q.utterance AS id FROM quotes q JOIN articles a"
                f" ON a.id = q.article WHERE q.norm_hash = ? AND {quote_norm(self._dialect)}"
                " = ? AND q.utterance IS NOT NULL LIMIT 1),"
                " made AS (INSERT INTO utterances SELECT"
                " WHERE NOT EXISTS (SELECT 1 FROM found) RETURNING id) "
            ),
            with_params=(norm_hash(row.norm), row.norm),
        )

    def _bulk_started(self, conn: Connection) -> bool:
        self._bulk_commits = 0
        return False

    def _bulk_committed(self, conn: Connection) -> None:
        # The planner's statistics of tables a bulk load fills from empty: refreshed when
        # the load has doubled (commits 1, 2, 4, 8, ...), so its look-ups stay on indexes.
        self._bulk_commits += 1
        if self._bulk_commits & (self._bulk_commits - 1) == 0:
            conn.execute(f"ANALYZE {', '.join(_LOOKED_UP)}")
