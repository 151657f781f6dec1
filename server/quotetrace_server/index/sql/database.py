"""Connections to the index's database, for the store's reads and write transactions.

A ``Connection`` wraps one driver connection and passes each statement through the
engine's dialect; ``Database`` hands them out: ``reading`` for reads, ``transaction`` for
one atomic write (an article, an operator's correction), ``writing`` for the bulk path,
which commits as it goes. Nested uses on one thread get the same connection, so a read
made inside a write transaction sees that transaction's rows on both engines.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Protocol

from quotetrace_server.index.sql.dialect import Dialect

# Page cache per SQLite connection (KiB).
CACHE_KIB = 65_536
# Page size of a new SQLite file (bytes).
PAGE_SIZE = 8192


class Cursor(Protocol):
    """What the store reads of a cursor: rows and the count of rows changed."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection:
    """One driver connection whose statements are spelled for its engine."""

    def __init__(self, raw: Any, dialect: Dialect) -> None:
        self.raw = raw
        self.dialect = dialect

    def execute(self, sql: str, params: Sequence[object] = ()) -> Cursor:
        cursor: Cursor = self.raw.execute(self.dialect.sql(sql), tuple(params))
        return cursor

    def executemany(self, sql: str, rows: Iterable[Sequence[object]]) -> None:
        rows = [tuple(r) for r in rows]
        if not rows:
            return
        if self.dialect.lastrowid:
            self.raw.executemany(self.dialect.sql(sql), rows)
        else:
            with self.raw.cursor() as cursor:
                cursor.executemany(self.dialect.sql(sql), rows)

    def insert(self, sql: str, params: Sequence[object] = ()) -> int:
        """Run an INSERT of one row into a table with an ``id`` key; the new row's id."""
        if self.dialect.lastrowid:
            return int(self.raw.execute(self.dialect.sql(sql), tuple(params)).lastrowid or 0)
        row = self.raw.execute(self.dialect.sql(sql + " RETURNING id"), tuple(params)).fetchone()
        return int(row[0])


class Database(Protocol):
    """Where a store's connections come from."""

    @property
    def dialect(self) -> Dialect: ...

    @property
    def location(self) -> str:
        """The file or the server (never a password) the index lives in."""
        ...

    def reading(self) -> AbstractContextManager[Connection]:
        """A connection for reads (autocommit): this thread's, or one of the pool's."""
        ...

    def writing(self) -> AbstractContextManager[Connection]:
        """The connection for writes, this process's writers taking turns."""
        ...

    def close(self) -> None: ...


class SqliteDatabase:
    """One SQLite file (WAL): a connection per thread, one writer at a time (a lock).

    An in-memory database (":memory:") cannot be shared between connections, so there
    one connection serves every thread under the same lock."""

    def __init__(self, path: str) -> None:
        self.dialect = Dialect()
        self.path = path
        self._memory = path == ":memory:"
        self.lock = threading.RLock()
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._closed = False
        self._shared: Connection | None = None
        if self._memory:
            self._shared = self._open()

    @property
    def location(self) -> str:
        return self.path

    @property
    def in_memory(self) -> bool:
        return self._memory

    def _open(self) -> Connection:
        raw = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        raw.execute("PRAGMA foreign_keys=ON")
        # A new file's pages (an existing one keeps its own): rows of article texts (a few
        # KiB each) leave a quarter of 4 KiB pages empty, under a tenth of 8 KiB ones.
        raw.execute(f"PRAGMA page_size={PAGE_SIZE}")
        if not self._memory:
            raw.execute("PRAGMA journal_mode=WAL")
            raw.execute("PRAGMA synchronous=NORMAL")
            raw.execute("PRAGMA busy_timeout=30000")
        raw.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        with self.lock:
            self._connections.append(raw)
        return Connection(raw, self.dialect)

    def _connection(self) -> Connection:
        if self._closed:
            raise RuntimeError("store is closed")
        if self._shared is not None:
            return self._shared
        conn: Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._open()
            self._local.conn = conn
        return conn

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        if self._shared is not None:
            with self.lock:
                yield self._shared
        else:
            yield self._connection()

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        with self.lock:
            yield self._connection()

    def close(self) -> None:
        with self.lock:
            self._closed = True
            for raw in self._connections:
                raw.close()
            self._connections.clear()
