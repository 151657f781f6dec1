"""Check an index file before the store opens it: ours and whole, or refused untouched.

The store creates its tables and switches the file to WAL on open, so opening someone
else's SQLite file would rewrite it, and opening a damaged one would serve errors. This
check runs first and reads only (the file is opened read-only): a file that is not
SQLite, an SQLite file of another application, or one that fails SQLite's quick_check
is refused with one line naming the file and what is wrong. A path with no file, an
empty file or an SQLite file without tables becomes a new index, and the caller logs so.

A quotetrace index is marked with SQLite's `application_id` header field (set by
``mark_index``); files made before the mark are recognised by their tables.
"""

from __future__ import annotations

import enum
import sqlite3
from pathlib import Path
from urllib.parse import quote

# "QTRC": SQLite's header field for the application that owns the file.
APPLICATION_ID = 0x51545243
# Tables every quotetrace index has had since the first schema.
CORE_TABLES = frozenset({"articles", "quotes", "speakers", "utterances"})
_SQLITE_MAGIC = b"SQLite format 3\x00"
_HEADER_BYTES = 100
_CONSTRAINT_REPORTS = ("NULL value in ", "CHECK constraint failed")


class IndexFileError(Exception):
    """The file cannot be served as a quotetrace index; the message is one line."""


class IndexFile(enum.Enum):
    NEW = "new"  # no file, an empty file, or an SQLite file without tables
    INDEX = "index"  # a quotetrace index that passed quick_check


def check_index_file(path: Path, *, quick_check: bool = True) -> IndexFile:
    """Whether `path` is a new index or a sound quotetrace index; raise IndexFileError if neither.

    Reads only: a refused file is left exactly as it was.
    """
    if path.is_dir():
        raise IndexFileError(f"--db {path} is a directory, not an index file")
    if not path.exists():
        return IndexFile.NEW
    try:
        with path.open("rb") as handle:
            header = handle.read(_HEADER_BYTES)
    except OSError as error:
        raise IndexFileError(f"--db {path}: {error.strerror}") from None
    wal = Path(f"{path}-wal")
    if not header and not (wal.exists() and wal.stat().st_size > 0):
        return IndexFile.NEW
    if header and not header.startswith(_SQLITE_MAGIC):
        raise IndexFileError(
            f"--db {path} is not a quotetrace index (not an SQLite file); refusing to open it"
        )
    try:
        connection = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise IndexFileError(f"--db {path} cannot be opened: {error}") from None
    try:
        return _check_open_file(path, connection, quick_check)
    except sqlite3.OperationalError as error:  # locked, unreadable: not proof of damage
        raise IndexFileError(f"--db {path} cannot be read: {error}") from None
    except sqlite3.DatabaseError as error:  # "malformed", "not a database"
        raise IndexFileError(_damaged(path, str(error))) from None
    finally:
        connection.close()


def _check_open_file(path: Path, connection: sqlite3.Connection, quick_check: bool) -> IndexFile:
    application_id = int(connection.execute("PRAGMA application_id").fetchone()[0])
    tables = {
        str(name)
        for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not str(name).startswith("sqlite_")
    }
    if application_id not in (0, APPLICATION_ID):
        raise IndexFileError(
            f"--db {path} is not a quotetrace index (an SQLite file of application id "
            f"{application_id:#x}); refusing to touch it"
        )
    if application_id == 0 and tables and not CORE_TABLES.issubset(tables):
        shown = ", ".join(sorted(tables)[:5]) + (", …" if len(tables) > 5 else "")
        raise IndexFileError(
            f"--db {path} is not a quotetrace index (another application's SQLite file, "
            f"tables {shown}); refusing to touch it"
        )
    if quick_check:
        problems = [
            str(row) for (row,) in connection.execute("PRAGMA quick_check(20)") if row != "ok"
        ]
        # Structure only: constraint reports are not damage, and SQLite 3.40 reports NOT
        # NULL columns of WITHOUT ROWID tables as NULL when they are not.
        damage = [p for p in problems if not p.startswith(_CONSTRAINT_REPORTS)]
        if damage:
            raise IndexFileError(_damaged(path, "; ".join(damage[:3])))
    return IndexFile.INDEX if tables else IndexFile.NEW


def _damaged(path: Path, detail: str) -> str:
    detail = " ".join(detail.split())[:200]
    return (
        f"--db {path} is damaged ({detail}); restore it from a backup, or delete it to "
        "build a new index"
    )


def mark_index(path: Path) -> None:
    """Stamp a quotetrace index file with APPLICATION_ID (once; a header write only)."""
    with sqlite3.connect(path, timeout=30) as connection:
        if int(connection.execute("PRAGMA application_id").fetchone()[0]) == 0:
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    connection.close()


def is_damage(error: BaseException) -> bool:
    """Whether an error from the store says the index file itself is damaged."""
    if not isinstance(error, sqlite3.DatabaseError) or isinstance(
        error, sqlite3.OperationalError | sqlite3.IntegrityError | sqlite3.ProgrammingError
    ):
        return False
    text = str(error).lower()
    return "malformed" in text or "not a database" in text or "corrupt" in text
