"""The quote index on PostgreSQL (psycopg 3, a connection pool): the same store as
SQLite's (index.sql), for several servers answering from one database.

Concurrency: readers take pooled connections; writers, in this process and in every
other server, take turns through a transaction-scoped advisory lock (dialect.begin), one
article per transaction, as SQLite's single writer does. Ids come from identity columns,
so they are global to the database, not to a server.
"""

from __future__ import annotations

from quotetrace_server.index.sql.postgres_database import PostgresDatabase
from quotetrace_server.index.sql.postgres_schema import create_schema
from quotetrace_server.index.sql.store import SqlStore
from quotetrace_server.index.sql.terms import PostgresPostings


class PostgresStore(SqlStore):
    """QuoteStore on a PostgreSQL database given by its URL (postgresql://…)."""

    def __init__(self, url: str, *, max_connections: int = 8) -> None:
        super().__init__(PostgresDatabase(url, max_connections=max_connections), PostgresPostings())
        with self._writing() as conn:
            create_schema(conn)
