"""The store, whole: every layer of the data's path over one database."""

from __future__ import annotations

from quotetrace_server.index.sql.writer import Writer


class SqlStore(Writer):
    """QuoteStore on a SQL database; SqliteStore and PostgresStore give it its engine."""
