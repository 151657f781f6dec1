"""Connections to a PostgreSQL server, from a psycopg 3 pool.

Every connection is in autocommit mode; a write transaction is opened and closed by the
store's own BEGIN/COMMIT (dialect.begin), the same statements it sends to SQLite. A
thread's nested uses share its connection, so a read inside a write transaction sees the
transaction's rows, as on SQLite.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from quotetrace_server.index.sql.database import Connection
from quotetrace_server.index.sql.dialect import PostgresDialect

URL_SCHEMES = ("postgresql://", "postgres://")
PREPARE_THRESHOLD = 1


def is_postgres_url(db: object) -> bool:
    """``--db`` names a PostgreSQL database rather than a SQLite file."""
    return isinstance(db, str) and db.startswith(URL_SCHEMES)


def without_password(url: str) -> str:
    """The URL as shown in logs and errors."""
    return re.sub(r"^(\w+://[^:@/]*):[^@/]*@", r"\1:***@", url)


def _configure(raw: Any) -> None:
    """Session settings of each pooled connection. JIT compilation off: it is for long
    analytical queries; the store's are short look-ups, and a plan whose estimate passed
    jit_above_cost would spend longer compiling than running."""
    raw.execute("SET jit = off")


class PostgresDatabase:
    """A pool of connections to one PostgreSQL database."""

    def __init__(self, url: str, *, max_connections: int = 8) -> None:
        from psycopg_pool import ConnectionPool

        self.dialect = PostgresDialect()
        self.url = url
        self.lock = threading.RLock()
        self._local = threading.local()
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=max_connections,
            # Statements are prepared from their second use on each connection (psycopg's
            # default is the sixth): a Verify's few statements recur on every query.
            kwargs={"autocommit": True, "prepare_threshold": PREPARE_THRESHOLD},
            open=True,
            name="quotetrace",
            configure=_configure,
        )
        self._pool.wait(timeout=30)

    @property
    def location(self) -> str:
        return without_password(self.url)

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        held: Connection | None = getattr(self._local, "conn", None)
        if held is not None:
            yield held
            return
        with self._pool.connection() as raw:
            conn = Connection(raw, self.dialect)
            self._local.conn = conn
            try:
                yield conn
            finally:
                self._local.conn = None

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        with self.lock, self.reading() as conn:
            yield conn

    def close(self) -> None:
        self._pool.close()
