"""A Verify call the front process gives up on is stopped in its worker, not just its answer
dropped, so the next call is not kept waiting behind it (issue 15, B7)."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest

from quotetrace_server import errors
from quotetrace_server.api import convert
from quotetrace_server.api.verify_pool import Verifying, VerifyPool, open_engine
from quotetrace_server.engine.engine import Engine
from quotetrace_server.index.sqlite_store import SqliteStore
from quotetrace_server.verify.model import VerifyQuery, VerifyResult

SLOW = VerifyQuery("a query whose work takes ten minutes")
SLOW_SECONDS = 600.0
FAST = VerifyQuery("That’s why we came here")
# The deadline under test: long enough that the worker has SLOW in hand when it passes
# (one passed before it begins is "exceeded while queued", another path), far shorter
# than SLOW's work.
SLOW_DEADLINE = 5.0
# The next call's own deadline: generous, as a loaded machine may take seconds to verify.
FAST_DEADLINE = 120.0
# The file the slow engine creates when it begins SLOW (in the worker process).
STARTED_FILE = "QUOTETRACE_TEST_SLOW_STARTED"


class _SlowOnOneQuery:
    """The real engine, except that SLOW keeps the worker's CPU busy for SLOW_SECONDS (as
    an unbounded diff once did) before answering."""

    def __init__(self, engine: Verifying) -> None:
        self._engine = engine

    def verify(self, query: VerifyQuery) -> VerifyResult:
        if query == SLOW:
            if started := os.environ.get(STARTED_FILE):
                open(started, "w").close()
            end = time.monotonic() + SLOW_SECONDS
            while time.monotonic() < end:
                pass
        return self._engine.verify(query)

    def close(self) -> None:
        self._engine.close()


def open_slow_engine(db: str, semantic: bool) -> Verifying:
    """Module-level, so that the spawned worker can import it."""
    return _SlowOnOneQuery(open_engine(db, semantic))


@pytest.fixture
def started_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Created once the worker works on SLOW (the worker inherits the environment)."""
    path = tmp_path / "slow-started"
    monkeypatch.setenv(STARTED_FILE, str(path))
    return path


@pytest.fixture
def one_slow_worker(seeded_engine: Engine, started_file: Path) -> Iterator[VerifyPool]:
    db = Path(cast(SqliteStore, seeded_engine.store).path)
    pool = VerifyPool(db, 1, opener=open_slow_engine)
    pool.start()
    yield pool
    pool.close(timeout=5)


async def _attached(pool: VerifyPool) -> None:
    pool.attach(asyncio.get_running_loop())


def test_a_call_past_its_deadline_is_stopped_by_its_worker_and_the_next_is_not_delayed(
    one_slow_worker: VerifyPool, seeded_engine: Engine
) -> None:
    async def calls() -> tuple[float, object]:
        await _attached(one_slow_worker)
        began = time.monotonic()
        with pytest.raises(errors.DeadlineExceeded, match="the worker stopped"):
            await one_slow_worker.verify(SLOW, time_remaining=SLOW_DEADLINE)
        answer = await one_slow_worker.verify(FAST, time_remaining=FAST_DEADLINE)
        one_slow_worker.detach()
        return time.monotonic() - began, answer

    elapsed, answer = asyncio.run(calls())
    # The one worker answered the next call long before the slow one's work would be done.
    assert elapsed < SLOW_SECONDS / 2
    assert answer == convert.verify_response(seeded_engine.verify(FAST))


def test_a_call_its_client_cancelled_is_stopped_by_its_worker_and_the_next_is_not_delayed(
    one_slow_worker: VerifyPool, seeded_engine: Engine, started_file: Path
) -> None:
    async def calls() -> tuple[float, object]:
        await _attached(one_slow_worker)
        began = time.monotonic()
        slow = asyncio.create_task(one_slow_worker.verify(SLOW, time_remaining=None))
        # Cancelled while the worker works on it (one cancelled before it begins is
        # dropped "while queued", another path): wait until it has begun.
        waited = time.monotonic() + FAST_DEADLINE
        while not started_file.exists():
            assert time.monotonic() < waited, "the worker never began the slow call"
            await asyncio.sleep(0.05)
        slow.cancel()
        with pytest.raises(asyncio.CancelledError):
            await slow
        answer = await one_slow_worker.verify(FAST, time_remaining=FAST_DEADLINE)
        one_slow_worker.detach()
        return time.monotonic() - began, answer

    elapsed, answer = asyncio.run(calls())
    assert elapsed < SLOW_SECONDS / 2
    assert answer == convert.verify_response(seeded_engine.verify(FAST))
