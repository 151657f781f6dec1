"""A Verify call the front process gives up on is stopped in its worker, not just its answer
dropped, so the next call is not kept waiting behind it (issue 15, B7)."""

from __future__ import annotations

import asyncio
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

SLOW = VerifyQuery("a query whose work takes a minute")
SLOW_SECONDS = 60.0
FAST = VerifyQuery("That’s why we came here")


class _SlowOnOneQuery:
    """The real engine, except that SLOW keeps the worker's CPU busy for SLOW_SECONDS (as
    an unbounded diff once did) before answering."""

    def __init__(self, engine: Verifying) -> None:
        self._engine = engine

    def verify(self, query: VerifyQuery) -> VerifyResult:
        if query == SLOW:
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
def one_slow_worker(seeded_engine: Engine) -> Iterator[VerifyPool]:
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
            await one_slow_worker.verify(SLOW, time_remaining=0.5)
        answer = await one_slow_worker.verify(FAST, time_remaining=30.0)
        one_slow_worker.detach()
        return time.monotonic() - began, answer

    elapsed, answer = asyncio.run(calls())
    # The one worker answered the next call long before the slow one's work would be done.
    assert elapsed < SLOW_SECONDS / 2
    assert answer == convert.verify_response(seeded_engine.verify(FAST))


def test_a_call_its_client_cancelled_is_stopped_by_its_worker_and_the_next_is_not_delayed(
    one_slow_worker: VerifyPool, seeded_engine: Engine
) -> None:
    async def calls() -> tuple[float, object]:
        await _attached(one_slow_worker)
        began = time.monotonic()
        slow = asyncio.create_task(one_slow_worker.verify(SLOW, time_remaining=None))
        await asyncio.sleep(1.0)  # the worker is busy with it by now
        slow.cancel()
        with pytest.raises(asyncio.CancelledError):
            await slow
        answer = await one_slow_worker.verify(FAST, time_remaining=30.0)
        one_slow_worker.detach()
        return time.monotonic() - began, answer

    elapsed, answer = asyncio.run(calls())
    assert elapsed < SLOW_SECONDS / 2
    assert answer == convert.verify_response(seeded_engine.verify(FAST))
