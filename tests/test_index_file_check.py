"""--db is checked before it is opened: a foreign or damaged file is refused untouched (B13/B14).

A missing path becomes a new index, announced in the log; a store that turns out damaged
while serving turns health NOT_SERVING and answers DATA_LOSS.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import grpc
import pytest

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_client import QuoteTraceClient
from quotetrace_server.api.server import start_server
from quotetrace_server.cli import main
from quotetrace_server.config import ServerConfig
from quotetrace_server.engine.engine import Engine
from quotetrace_server.index.integrity import (
    APPLICATION_ID,
    IndexFile,
    IndexFileError,
    check_index_file,
)
from quotetrace_server.index.sqlite_store import SqliteStore
from quotetrace_server.verify.model import VerifyQuery, VerifyResult

PAGE = 4096


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def serve_exit(capsys: pytest.CaptureFixture[str], db: Path, *more: str) -> tuple[int, str]:
    code = main(["serve", "--db", str(db), "--no-seed", "--port", "0", *more])
    return code, capsys.readouterr().err.strip()


@pytest.fixture()
def foreign_db(tmp_path: Path) -> Path:
    """Another application's SQLite file (rollback journal, as most applications leave it)."""
    path = tmp_path / "crm.sqlite"
    with sqlite3.connect(path) as connection:
        connection.executescript(
            "CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT);"
            "CREATE TABLE orders(id INTEGER PRIMARY KEY, customer INTEGER, total REAL);"
            "INSERT INTO customers(name) VALUES ('Ana'), ('Ben');"
        )
    connection.close()
    return path


@pytest.fixture()
def index_copy(seeded_engine: Engine, tmp_path: Path) -> Path:
    """A consistent copy of the seed index (SQLite's backup API: WAL content included)."""
    path = tmp_path / "seeds-copy.db"
    source = sqlite3.connect(cast(SqliteStore, seeded_engine.store).path)
    target = sqlite3.connect(path)
    source.backup(target)
    target.close()
    source.close()
    return path


def flip_bytes(path: Path, offset: int, count: int = 512) -> None:
    with path.open("r+b") as handle:
        handle.seek(offset)
        original = handle.read(count)
        handle.seek(offset)
        handle.write(bytes(b ^ 0xFF for b in original))


def test_a_foreign_sqlite_file_is_refused_by_serve_and_index_and_left_untouched(
    foreign_db: Path, seed_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = digest(foreign_db)
    code, err = serve_exit(capsys, foreign_db)
    assert code == 2
    assert len(err.splitlines()) == 1
    assert err.startswith(f"quotetrace-server: --db {foreign_db} is not a quotetrace index")
    assert "customers, orders" in err
    code = main(["index", str(seed_dir), "--db", str(foreign_db), "--no-progress"])
    assert code == 2
    assert digest(foreign_db) == before
    assert sorted(p.name for p in foreign_db.parent.iterdir()) == [foreign_db.name]
    with sqlite3.connect(foreign_db) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    connection.close()


def test_an_sqlite_file_of_another_application_id_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA application_id = 1234")
        for table in ("articles", "quotes", "speakers", "utterances"):  # even with our names
            connection.execute(f"CREATE TABLE {table}(id INTEGER PRIMARY KEY)")
    connection.close()
    with pytest.raises(IndexFileError, match="application id 0x4d2"):
        Engine.open(path)


def test_a_file_that_is_not_sqlite_is_refused_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes, not an index\n" * 20, encoding="utf-8")
    before = digest(notes)
    code, err = serve_exit(capsys, notes)
    assert code == 2
    assert err == (
        f"quotetrace-server: --db {notes} is not a quotetrace index (not an SQLite file); "
        "refusing to open it"
    )
    assert digest(notes) == before


def test_a_damaged_index_is_refused_at_start_with_one_line(
    index_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert check_index_file(index_copy) is IndexFile.INDEX
    pages = index_copy.stat().st_size // PAGE
    flip_bytes(index_copy, (pages // 2) * PAGE)  # 512 bytes at the start of a middle page
    before = digest(index_copy)
    code, err = serve_exit(capsys, index_copy)
    assert code == 2
    assert len(err.splitlines()) == 1
    assert err.startswith(f"quotetrace-server: --db {index_copy} is damaged (")
    assert "restore it from a backup" in err
    assert digest(index_copy) == before


def test_a_missing_path_becomes_a_new_index_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "sub" / "new.db"
    with caplog.at_level(logging.INFO):
        engine = Engine.open(path)
        engine.close()
    announced = [r.getMessage() for r in caplog.records if "creating a new" in r.getMessage()]
    assert announced == [f"no quotetrace index at {path}: creating a new, empty one"]
    assert check_index_file(path) is IndexFile.INDEX  # our tables, no article yet
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    connection.close()
    caplog.clear()
    with caplog.at_level(logging.INFO):
        Engine.open(path).close()
    assert not [r for r in caplog.records if "creating a new" in r.getMessage()]


def test_an_index_made_before_the_mark_is_recognised_by_its_tables(index_copy: Path) -> None:
    with sqlite3.connect(index_copy) as connection:
        connection.execute("PRAGMA application_id = 0")
    connection.close()
    assert check_index_file(index_copy) is IndexFile.INDEX
    engine = Engine.open(index_copy)
    try:
        assert engine.stats().article_count == 5
    finally:
        engine.close()


class DamagedStoreEngine(Engine):
    """An engine whose store reports the damage SQLite reports for a corrupt page."""

    def verify(self, query: VerifyQuery) -> VerifyResult:
        raise sqlite3.DatabaseError("database disk image is malformed")


@pytest.fixture()
def damaged_engine() -> Iterator[Engine]:
    engine = DamagedStoreEngine(SqliteStore(":memory:"), lambda: pytest.fail("no NLP here"))
    yield engine
    engine.close()


def test_damage_found_while_serving_turns_health_not_serving(damaged_engine: Engine) -> None:
    running = start_server(damaged_engine, ServerConfig(host="127.0.0.1", port=0))
    try:
        with QuoteTraceClient(f"127.0.0.1:{running.port}", timeout=10) as client:
            assert client.health() == "SERVING"
            with pytest.raises(grpc.RpcError) as lost:
                client.verify("anything at all")
            assert isinstance(lost.value, grpc.Call)
            assert lost.value.code() == grpc.StatusCode.DATA_LOSS
            assert "damaged" in (lost.value.details() or "")
            assert client.health() == "NOT_SERVING"
            with pytest.raises(grpc.RpcError):  # a stream's claim says the same
                list(client.verify_stream([("c1", pb.VerifyRequest(quote="anything"))]))
            assert client.health() == "NOT_SERVING"
    finally:
        running.stop(None)
