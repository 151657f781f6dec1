"""What differs in the SQL of the two engines, and nothing else: every statement of the
store is written once, with ``?`` placeholders, and passes through its engine's dialect.

SQLite and PostgreSQL agree on most of what the store says; they differ on placeholders,
on "insert unless present", on how a new row's id comes back, on case-insensitive
equality, on a string's tail, on index hints, and on how a write transaction starts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache


class Dialect:
    """SQLite's spelling; PostgresDialect overrides what PostgreSQL spells otherwise."""

    name = "sqlite"
    # Whether the new row's id comes back through the cursor (sqlite3's lastrowid) rather
    # than through RETURNING.
    lastrowid = True
    # Candidate rows read per statement in a search (None: search.py's default, a few at
    # a time, as a caller that found its match early stops reading).
    hit_batch: int | None = None

    def sql(self, statement: str) -> str:
        """The statement as this engine's driver takes it (placeholders)."""
        return statement

    def insert_ignore(self, into: str, rows: str) -> str:
        """INSERT of ``rows`` (VALUES … or SELECT …) that skips rows already present."""
        return f"INSERT OR IGNORE INTO {into} {rows}"

    def ci_equals(self, column: str) -> str:
        """``column`` equals the next parameter, case aside."""
        return f"{column} = ? COLLATE NOCASE"

    def same(self, column: str) -> str:
        """``column`` equals the next parameter, NULL equal to NULL."""
        return f"{column} IS ?"

    def tail(self, expression: str) -> str:
        """The last (next parameter) characters of ``expression``."""
        return f"substr({expression}, -?)"

    def indexed_by(self, index: str) -> str:
        """A hint naming the index a query is to read (SQLite's planner may not pick it)."""
        return f" INDEXED BY {index}"

    def trim(self, expression: str, chars: str) -> str:
        """``expression`` without any of ``chars`` at either end."""
        return f"trim({expression}, {self.literal(chars)})"

    def literal(self, text: str) -> str:
        """``text`` as an SQL string literal; a ``?`` is spelt as a function of its code,
        as the driver's placeholders are ``?`` (PostgreSQL's are rewritten)."""
        quoted = text.replace("'", "''").replace("?", f"' || {self._char_function}(63) || '")
        return f"'{quoted}'"

    _char_function = "char"

    def begin(self) -> list[str]:
        """Statements that open a write transaction, writers queued one at a time."""
        return ["BEGIN IMMEDIATE"]

    def in_list(self, column: str, values: Sequence[object]) -> tuple[str, list[object]]:
        """``column`` is one of ``values`` (at most a few hundred on SQLite, whose bound
        parameters are limited): the condition and its parameters."""
        return f"{column} IN ({','.join('?' * len(values))})", list(values)


# The key of the advisory lock that makes PostgreSQL writers (any server, any process)
# take turns, as SQLite's single writer does: speaker linking and clustering read what
# earlier articles wrote, so two articles must not be linked at once.
WRITER_LOCK_KEY = 0x71756F7465  # "quote"


class PostgresDialect(Dialect):
    name = "postgresql"
    lastrowid = False
    # Every candidate's row in one statement: a round trip to the server costs more than
    # reading the rows a caller may not need.
    hit_batch = 100

    def sql(self, statement: str) -> str:
        return _pyformat(statement)

    def insert_ignore(self, into: str, rows: str) -> str:
        return f"INSERT INTO {into} {rows} ON CONFLICT DO NOTHING"

    def ci_equals(self, column: str) -> str:
        return f"lower({column}) = lower(?)"

    def same(self, column: str) -> str:
        return f"{column} IS NOT DISTINCT FROM ?"

    def tail(self, expression: str) -> str:
        return f"right({expression}, ?)"

    def indexed_by(self, index: str) -> str:
        return ""

    def trim(self, expression: str, chars: str) -> str:
        return f"btrim({expression}, {self.literal(chars)})"

    _char_function = "chr"

    def begin(self) -> list[str]:
        return ["BEGIN", f"SELECT pg_advisory_xact_lock({WRITER_LOCK_KEY})"]

    def in_list(self, column: str, values: Sequence[object]) -> tuple[str, list[object]]:
        # One array parameter: the statement's text is the same for any number of values,
        # so the driver prepares it once (a list of placeholders is a new statement for
        # each length).
        return f"{column} = ANY(?)", [list(values)]


@lru_cache(maxsize=1024)
def _pyformat(statement: str) -> str:
    """``?`` placeholders as psycopg's ``%s`` (a literal ``%`` doubled). The store's
    statements hold no ``?`` inside string literals."""
    return re.sub(r"\?", "%s", statement.replace("%", "%%"))
