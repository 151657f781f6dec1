"""A Verify pool whose workers cannot start says NOT_SERVING and keeps trying (issue 15, B12)."""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import cast

import grpc
import pytest

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_client import QuoteTraceClient
from quotetrace_server.api.server import start_server
from quotetrace_server.config import ServerConfig
from quotetrace_server.engine.engine import Engine
from quotetrace_server.index.sqlite_store import SqliteStore


def wait_for(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


@pytest.mark.slow
def test_workers_that_cannot_be_replaced_turn_health_not_serving_until_they_can(
    seeded_engine: Engine, tmp_path: Path
) -> None:
    db = tmp_path / "index.db"
    source = sqlite3.connect(cast(SqliteStore, seeded_engine.store).path)
    target = sqlite3.connect(db)
    source.backup(target)
    target.close()
    source.close()
    engine = Engine.open(db)
    running = start_server(engine, ServerConfig(host="127.0.0.1", port=0, processes=2, db=db))
    pool = running.verify_pool
    assert pool is not None
    moved = tmp_path / "index.db.moved"
    try:
        # Generous: the client retries UNAVAILABLE a few times (backoff) before it gives up.
        with QuoteTraceClient(f"127.0.0.1:{running.port}", timeout=30) as client:
            assert client.health() == "SERVING"
            assert client.verify("That’s why we came here").verdict != pb.VERDICT_NOT_FOUND
            db.rename(moved)  # the front keeps its open file; a new worker cannot open one
            db.mkdir()
            for pid in pool.pids():
                os.kill(pid, signal.SIGKILL)
            # Generous limits, ended as soon as health says so: on a loaded machine a new
            # worker's start (imports, opening the index) alone can take a minute, and the
            # pool's back-off between tries grows to 30 s while the file is away.
            assert wait_for(lambda: client.health() == "NOT_SERVING", 120)
            with pytest.raises(grpc.RpcError) as refused:
                client.verify("That’s why we came here")
            assert isinstance(refused.value, grpc.Call)
            assert refused.value.code() == grpc.StatusCode.UNAVAILABLE
            db.rmdir()
            moved.rename(db)
            assert wait_for(lambda: client.health() == "SERVING", 300), "never retried"
            assert pool.ready_workers() >= 1
            assert client.verify("That’s why we came here").verdict != pb.VERDICT_NOT_FOUND
    finally:
        if db.is_dir():
            db.rmdir()
            moved.rename(db)
        running.stop(None)
        engine.close()
