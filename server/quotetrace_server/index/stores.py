"""The store a ``--db`` names: a SQLite file, or a PostgreSQL database by its URL."""

from __future__ import annotations

from pathlib import Path

from quotetrace_server.index.sql.postgres_database import is_postgres_url
from quotetrace_server.index.sql.store import SqlStore
from quotetrace_server.index.sqlite_store import SqliteStore


def open_store(db: str | Path) -> SqlStore:
    if is_postgres_url(str(db)):
        from quotetrace_server.index.postgres_store import PostgresStore

        return PostgresStore(str(db))
    return SqliteStore(db)
