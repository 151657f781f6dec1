"""What every part of the store stands on: its database, its engine's dialect and
postings, and the store's three ways in (read, write transaction, bulk writing)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from quotetrace_server.index.sql.database import Connection, Database
from quotetrace_server.index.sql.terms import TermIndex


class StoreBase:
    def __init__(self, db: Database, terms: TermIndex) -> None:
        self._db = db
        self._dialect = db.dialect
        self._terms = terms

    @property
    def path(self) -> str:
        """Where the index lives: its file, or its server (without a password)."""
        return self._db.location

    @property
    def edits_file(self) -> Path | None:
        """Where the operator's speaker corrections are kept beside the index (a file
        index only: a database server keeps them in its speaker_edits table)."""
        return None

    def _append_edit(self, op: str, a: str, b: str) -> None:
        side = self.edits_file
        if side is None:
            return
        with side.open("a", encoding="utf-8") as out:
            out.write(json.dumps({"op": op, "name": a, "other": b}, ensure_ascii=False) + "\n")

    def _reading(self) -> AbstractContextManager[Connection]:
        return self._db.reading()

    def _writing(self) -> AbstractContextManager[Connection]:
        return self._db.writing()

    def _begin(self, conn: Connection) -> None:
        for statement in self._dialect.begin():
            conn.execute(statement)

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        with self._writing() as conn:
            self._begin(conn)
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def close(self) -> None:
        self._db.close()
