"""The quote index on PostgreSQL (psycopg 3, a connection pool): the same store as
SQLite's (index.sql), for several servers answering from one database.

Concurrency: readers take pooled connections; writers, in this process and in every
other server, take turns through a transaction-scoped advisory lock (dialect.begin), one
article per transaction, as SQLite's single writer does. Ids come from identity columns,
so they are global to the database, not to a server.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from quotetrace_server.index.sql.database import Connection
from quotetrace_server.index.sql.postgres_database import PostgresDatabase
from quotetrace_server.index.sql.postgres_schema import create_schema
from quotetrace_server.index.sql.records import QuoteRow, norm_hash, quote_norm
from quotetrace_server.index.sql.store import SqlStore
from quotetrace_server.index.sql.terms import PostgresPostings
from quotetrace_server.index.sql.writer import (
    ARTICLE_COLUMNS,
    WRITTEN_QUOTE_COLUMNS,
    ArticleKeys,
    BulkBatch,
    Utterance,
    article_values,
)
from quotetrace_server.ingest.model import Article

# The tables the bulk path looks rows up in while it loads (not the postings it writes).
_LOOKED_UP = ("articles", "quotes", "speakers", "speaker_aliases", "speaker_keys", "speaker_links")


class PostgresStore(SqlStore):
    """QuoteStore on a PostgreSQL database given by its URL (postgresql://…).

    A bulk load (``bulk_add``) uses PostgreSQL's own bulk mechanisms: it numbers the
    article, quotation and utterance rows itself and writes each commit's rows with one
    COPY per table (the identity sequences are moved past them, so any server's next row follows);
    document frequencies go through a temporary staging table merged with one INSERT …
    SELECT; its transactions commit without waiting for the WAL flush (see _begin_bulk).
    Speaker linking reads the bulk load's in-memory mirror of the speaker tables when the
    database's lower() folds the ASCII letters only, as the mirror does (a C or POSIX
    ctype, which is what the tests' and the benchmark's servers use); under another
    locale lower() folds more, and linking reads the tables, one statement per question.
    """

    _bulk_numbers_rows = True
    # With the mirror, a bulk load commits every 1,000 articles: nothing it reads is
    # updated once per article (the speakers' counts are added once per commit).
    # Without it, every 100: the speakers' rows are updated by every article naming
    # them, and each update in one transaction leaves a version that the next read of
    # the row walks past until the transaction ends.
    _BULK_BATCH = 1000
    _BULK_BATCH_READING_TABLES = 100

    def __init__(self, url: str, *, max_connections: int = 8) -> None:
        super().__init__(PostgresDatabase(url, max_connections=max_connections), PostgresPostings())
        self._bulk_commits = 0
        # A bulk load's article rows numbered by itself, not written yet, and the next number.
        self._articles: list[tuple[object, ...]] = []
        self._next_article = 0
        with self._writing() as conn:
            create_schema(conn)
            self._mirror_in_bulk = folds_ascii_only(conn)
        if not self._mirror_in_bulk:
            self._BULK_BATCH = self._BULK_BATCH_READING_TABLES

    def _identical_or_new_utterance(
        self, conn: Connection, row: QuoteRow, bulk: BulkBatch | None = None
    ) -> Utterance:
        if bulk is not None and bulk is self._numbered:
            return super()._identical_or_new_utterance(conn, row, bulk)
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

    def _insert_article(
        self,
        conn: Connection,
        article: Article,
        article_id: str,
        processors: Sequence[str],
        keys: ArticleKeys,
    ) -> int:
        if self._numbered is None:
            return super()._insert_article(conn, article, article_id, processors, keys)
        rowid = self._next_article
        self._next_article += 1
        self._articles.append((rowid, *article_values(article, article_id, processors, keys)))
        return rowid

    def _number_rows(self, conn: Connection, bulk: BulkBatch) -> None:
        # After the largest id in the table and the last its sequence handed out (a row
        # another server added and then deleted keeps its id: ids are never reused).
        self._articles.clear()  # a rolled-back batch's, if any
        self._next_article = _next_id(conn, "articles")
        bulk.next_quote = _next_id(conn, "quotes")
        bulk.next_utterance = _next_id(conn, "utterances")

    def _write_numbered(self, conn: Connection, bulk: BulkBatch) -> None:
        with conn.raw.cursor() as cursor:
            # Articles and utterances before the quotations that refer to them.
            with cursor.copy(f"COPY articles(id, {ARTICLE_COLUMNS}) FROM STDIN") as copy:
                for article in self._articles:
                    copy.write_row(article)
            self._articles.clear()
            with cursor.copy("COPY utterances(id) FROM STDIN") as copy:
                for utterance in bulk.utterances:
                    copy.write_row(utterance)
            with cursor.copy(f"COPY quotes(id, {WRITTEN_QUOTE_COLUMNS}) FROM STDIN") as copy:
                for quote in bulk.quotes:
                    copy.write_row(quote)
        # The identity sequences past the numbers used: a row any server inserts next
        # (it waits for this transaction's advisory lock) gets the following id.
        conn.execute(
            "SELECT setval(pg_get_serial_sequence('articles', 'id'), GREATEST(?, 1), ? > 0),"
            " setval(pg_get_serial_sequence('quotes', 'id'), GREATEST(?, 1), ? > 0),"
            " setval(pg_get_serial_sequence('utterances', 'id'), GREATEST(?, 1), ? > 0)",
            (self._next_article - 1,) * 2
            + (bulk.next_quote - 1,) * 2
            + (bulk.next_utterance - 1,) * 2,
        )

    def _add_term_df(self, conn: Connection, df: Counter[str]) -> None:
        if len(df) < _STAGED_TERMS:
            super()._add_term_df(conn, df)
            return
        # A bulk load's batch: COPY into a temporary (unlogged) table, then one upsert in
        # key order, instead of a statement per term.
        conn.raw.execute(
            "CREATE TEMPORARY TABLE term_df_load(term TEXT, df BIGINT) ON COMMIT DROP",
            prepare=False,
        )
        with conn.raw.cursor() as cursor, cursor.copy("COPY term_df_load FROM STDIN") as copy:
            for term_count in df.items():
                copy.write_row(term_count)
        conn.raw.execute(
            "INSERT INTO term_df(term, df) SELECT term, df FROM term_df_load ORDER BY term"
            " ON CONFLICT(term) DO UPDATE SET df = term_df.df + excluded.df",
            prepare=False,
        )
        conn.raw.execute("DROP TABLE term_df_load", prepare=False)
        df.clear()

    def _begin_bulk(self, conn: Connection) -> None:
        super()._begin_bulk(conn)
        # A bulk load's commits do not wait for their WAL to reach the disk. A crash can
        # then lose the last few commits (at most about three times wal_writer_delay's
        # worth), never part of one and never anything before them: each is atomic and
        # replayed in order. The articles lost are absent, and running the load again
        # adds them (articles already indexed are skipped). Only this transaction's.
        conn.execute("SET LOCAL synchronous_commit = off")

    def _bulk_started(self, conn: Connection) -> bool:
        self._bulk_commits = 0
        return False

    def _bulk_committed(self, conn: Connection) -> None:
        # The planner's statistics of tables a bulk load fills from empty: refreshed when
        # the load has doubled (commits 1, 2, 4, 8, ...), so its look-ups stay on indexes.
        self._bulk_commits += 1
        if self._bulk_commits & (self._bulk_commits - 1) == 0:
            conn.execute(f"ANALYZE {', '.join(_LOOKED_UP)}")


# A term_df update with this many terms or more goes through a staging table.
_STAGED_TERMS = 500

# Letters that PostgreSQL's lower() folds under a Unicode-aware ctype, not under C.
_NON_ASCII_CAPITALS = "ÀÉÎÕÜÇÑØŁΣДİ"


def folds_ascii_only(conn: Connection) -> bool:
    """Whether the database's lower() folds the ASCII letters only (SQLite's NOCASE, the
    speaker mirror's case folding): a C or POSIX ctype."""
    (folded,) = conn.execute("SELECT lower(?)", (_NON_ASCII_CAPITALS + "AZ",)).fetchone()
    return str(folded) == _NON_ASCII_CAPITALS + "az"


def _next_id(conn: Connection, table: str) -> int:
    (largest,) = conn.execute(
        f"SELECT GREATEST((SELECT MAX(id) FROM {table}),"
        f" pg_sequence_last_value(pg_get_serial_sequence('{table}', 'id')::regclass))"
    ).fetchone()
    return 1 if largest is None else int(largest) + 1
