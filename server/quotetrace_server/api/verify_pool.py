"""Verify in worker processes, behind the one process that speaks gRPC.

Python runs one thread at a time per process, so Verify (CPU-bound) uses more than one
core only in more processes. Several gRPC processes sharing a port would each keep the
connections the kernel hashed to them, one holding ten callers while another holds six,
and the busier one's callers would wait longer. Here calls wait in one queue in the
front process, and each goes to a worker as soon as one is free.

Each worker has a pipe to the front process and answers one call at a time with the
serialised VerifyResponse. The front's event loop watches the pipes itself: no extra
threads, nothing pickled but the query. Workers open the index file themselves (WAL lets
them read while the front process ingests) and exit when the front process goes, even if
it is killed outright (their end of the pipe closes).

A call the front process gives up on is abandoned by the worker too, not just its answer
dropped: the worker arms a timer for the call's deadline, and the front marks a call its
client cancelled and signals the worker. Either raises `_Abandoned` in the worker between
two Python instructions (a C call already running, one SQLite statement say, finishes
first), so the worker turns to the next call instead of finishing work nobody waits for.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from multiprocessing.sharedctypes import SynchronizedArray
from pathlib import Path
from types import FrameType
from typing import Protocol

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_server import errors
from quotetrace_server.api import convert
from quotetrace_server.config import LOG_FORMAT
from quotetrace_server.engine.engine import Engine
from quotetrace_server.index.integrity import is_damage
from quotetrace_server.verify.model import VerifyQuery, VerifyResult

log = logging.getLogger(__name__)

# A worker's answer: ("", serialised VerifyResponse) or (error kind, message).
Outcome = tuple[str, bytes | str]
# Calls handed to one worker ahead of its answers: one running, one ready to start.
_IN_FLIGHT_PER_WORKER = 2
_READY = "ready"
_BUG = "INTERNAL"  # an unexpected exception in a worker: not an error of the contract
# The signal by which the front process tells a worker that its client cancelled a call.
_CANCEL_SIGNAL = signal.SIGUSR1


class Verifying(Protocol):
    """What a worker needs of the engine."""

    def verify(self, query: VerifyQuery) -> VerifyResult: ...

    def close(self) -> None: ...


def open_engine(db: str, semantic: bool) -> Verifying:
    """A worker's engine: the index file, opened without the start-up check (the front
    process made it); a worker reads the wording vectors the front process saves."""
    return Engine.open(db, check=False, semantic=semantic, writer=False)


class _Abandoned(BaseException):
    """Raised in a worker when the call it is working on is no longer wanted. A
    BaseException, so that no `except Exception` on the way up swallows it."""


class _CallState:
    """In a worker: the call being worked on, and the shared slots in which the front
    process writes the sequence numbers of calls it cancelled (one slot per call a
    worker can hold, indexed by sequence number)."""

    def __init__(self, cancelled: SynchronizedArray[int]) -> None:
        self.cancelled = cancelled
        self.sequence = -1
        self.working = False
        self.why = ""

    def is_cancelled(self, sequence: int) -> bool:
        return bool(self.cancelled[sequence % len(self.cancelled)] == sequence)

    def on_signal(self, number: int, frame: FrameType | None) -> None:
        """SIGALRM (the deadline) or the cancel signal: stop the call if it is the one."""
        if not self.working:
            return
        if number == signal.SIGALRM:
            self.why = errors.DeadlineExceeded.kind
        elif self.is_cancelled(self.sequence):
            self.why = errors.Cancelled.kind
        else:
            return  # meant for a call that already ended
        self.working = False
        raise _Abandoned


def _worker_main(
    conn: Connection,
    db: str,
    log_level: str,
    cancelled: SynchronizedArray[int],
    semantic: bool = True,
    opener: Callable[[str, bool], Verifying] = open_engine,
) -> None:
    """A worker process: answer (sequence, query, deadline) requests until the pipe closes."""
    # The front process decides when workers stop; a Ctrl-C reaches the whole process
    # group and must not kill a worker mid-call.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    logging.basicConfig(level=log_level.upper(), format=LOG_FORMAT)
    state = _CallState(cancelled)
    signal.signal(signal.SIGALRM, state.on_signal)
    signal.signal(_CANCEL_SIGNAL, state.on_signal)
    engine = opener(db, semantic)
    conn.send(_READY)
    try:
        while True:
            sequence, query, deadline = conn.recv()
            conn.send(_answer_or_abandon(engine, state, sequence, query, deadline))
    except EOFError:  # the front process closed the pipe or died
        pass
    finally:
        engine.close()


def _answer_or_abandon(
    engine: Verifying, state: _CallState, sequence: int, query: VerifyQuery, deadline: float | None
) -> Outcome:
    """`_answer`, stopped when the deadline passes or the front process cancels the call."""
    if state.is_cancelled(sequence):
        return errors.Cancelled.kind, "call cancelled while queued"
    state.sequence, state.why = sequence, ""
    try:
        try:
            if deadline is not None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return errors.DeadlineExceeded.kind, "deadline exceeded while queued"
                signal.setitimer(signal.ITIMER_REAL, remaining)
            state.working = True
            return _answer(engine, query, deadline)
        finally:
            state.working = False  # from here on a late signal is ignored
    except _Abandoned:
        if state.why == errors.DeadlineExceeded.kind:
            return errors.DeadlineExceeded.kind, "deadline exceeded; the worker stopped"
        return errors.Cancelled.kind, "call cancelled; the worker stopped"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)  # after `working` is off: see on_signal


def _answer(engine: Verifying, query: VerifyQuery, deadline: float | None) -> Outcome:
    # time.monotonic() is one system-wide clock on Linux, so deadlines cross processes.
    if deadline is not None and time.monotonic() >= deadline:
        return errors.DeadlineExceeded.kind, "deadline exceeded while queued"
    try:
        result = engine.verify(query)
    except errors.QuoteTraceError as error:
        return error.kind, error.message
    except Exception as error:
        if is_damage(error):
            log.exception("Verify worker %d: the index file is damaged", os.getpid())
            return errors.IndexDamaged.kind, "the index file is damaged; see server log"
        log.exception("Verify failed in worker %d", os.getpid())
        return _BUG, "Verify failed in a worker; see its log"
    return "", convert.verify_response(result).SerializeToString()


def _exit_of(worker: _Worker) -> tuple[int | None, int | None]:
    return worker.process.pid, worker.process.exitcode


@dataclass(eq=False)  # a call is itself: two asking the same are two calls
class _Call:
    query: VerifyQuery
    deadline: float | None
    answer: asyncio.Future[Outcome]
    sequence: int = -1  # set when handed to a worker


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    cancelled: SynchronizedArray[int]  # shared with the process: see _CallState
    in_flight: deque[_Call] = field(default_factory=deque)  # answered in this order
    ready: bool = False  # has opened the index and said so
    sent: int = 0  # calls handed to it so far: the next call's sequence number

    def cancel(self, call: _Call) -> None:
        """Tell the process to drop `call`, whether it runs it now or holds it next."""
        self.cancelled[call.sequence % len(self.cancelled)] = call.sequence
        # Signalled even for the call it holds next: it may have begun it already. A
        # signal for a call it is not working on is ignored. Not before it is ready: until
        # it has set its handler, the signal would kill it (it reads the slot first).
        if self.ready and self.process.pid is not None:
            # One that died meanwhile is replaced when its pipe's end is read.
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.process.pid, _CANCEL_SIGNAL)


class VerifyPool:
    """`size` worker processes answering Verify from the index file `db`.

    ``start`` launches them; ``attach`` binds the pool to the event loop that will call
    ``verify``, ``detach`` unbinds it; ``close`` stops the workers.

    A worker that dies is replaced at once; a replacement that cannot start (index file
    unreadable) is tried again after a back-off that doubles up to RETRY_MAX_SECONDS,
    for as long as the pool runs. ``on_serving`` (set before ``attach``) is called with
    False when no worker is ready, so health can say NOT_SERVING, and with True when
    one is again.
    """

    RETRY_FIRST_SECONDS = 1.0
    RETRY_MAX_SECONDS = 30.0

    def __init__(
        self,
        db: Path | str,
        size: int,
        log_level: str = "INFO",
        *,
        semantic: bool = True,
        opener: Callable[[str, bool], Verifying] = open_engine,
    ) -> None:
        """`opener` (a module-level function: it is sent to the worker processes) opens
        each worker's engine; tests pass one of their own."""
        self._semantic = semantic
        if str(db) == ":memory:":
            raise ValueError("worker processes need an index file, not :memory:")
        self._db = str(db)
        self._size = size
        self._log_level = log_level
        self._opener = opener
        self._context = multiprocessing.get_context("spawn")  # no grpc or torch state copied
        self._workers: list[_Worker] = []
        self._waiting: deque[_Call] = deque()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._failed_starts = 0  # in a row, for the back-off
        self._serving = True
        self.on_serving: Callable[[bool], None] | None = None

    def start(self, timeout: float = 120.0) -> list[int]:
        """Start the workers and wait until each has opened the index; their process ids."""
        self._workers = [self._launch() for _ in range(self._size)]
        for worker in self._workers:
            if not worker.conn.poll(timeout) or worker.conn.recv() != _READY:
                self.close()
                raise RuntimeError(f"Verify worker {worker.process.pid} did not start")
            worker.ready = True
        return self.pids()

    def ready_workers(self) -> int:
        return sum(w.ready for w in self._workers)

    def pids(self) -> list[int]:
        return [w.process.pid for w in self._workers if w.process.pid is not None]

    def _launch(self) -> _Worker:
        ours, theirs = self._context.Pipe()
        # One slot per call a worker holds; no sequence number is ever -1.
        cancelled = self._context.Array("q", [-1] * _IN_FLIGHT_PER_WORKER, lock=False)
        process = self._context.Process(
            target=_worker_main,
            args=(theirs, self._db, self._log_level, cancelled, self._semantic, self._opener),
            name="quotetrace-verify",
            daemon=True,
        )
        process.start()
        theirs.close()  # only the worker holds its end: its exit closes the pipe
        return _Worker(process, ours, cancelled)

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """Watch the workers' pipes from ``loop`` (call on that loop's thread)."""
        self._loop = loop
        for worker in self._workers:
            loop.add_reader(worker.conn.fileno(), self._on_answer, worker)

    async def verify(self, query: VerifyQuery, time_remaining: float | None) -> pb.VerifyResponse:
        loop = asyncio.get_running_loop()
        deadline = None if time_remaining is None else time.monotonic() + time_remaining
        call = _Call(query, deadline, loop.create_future())
        self._waiting.append(call)
        self._dispatch()
        try:
            code, payload = await call.answer
        except asyncio.CancelledError:  # the client cancelled, or its deadline passed
            self._abandon(call)
            raise
        if code:
            error = errors.BY_KIND.get(code)
            if error is None:  # a bug, logged by the worker
                raise RuntimeError(str(payload))
            raise error(str(payload))
        assert isinstance(payload, bytes)
        return pb.VerifyResponse.FromString(payload)

    def _dispatch(self) -> None:
        """Hand waiting calls to the least busy workers with room."""
        while self._waiting:
            if not self._workers:
                self._fail(self._waiting, "no Verify worker is running; see server log")
                self._waiting.clear()
                return
            worker = min(self._workers, key=lambda w: len(w.in_flight))
            if len(worker.in_flight) >= _IN_FLIGHT_PER_WORKER:
                return
            call = self._waiting.popleft()
            if call.answer.done():  # cancelled while it waited
                continue
            call.sequence = worker.sent
            try:
                worker.conn.send((call.sequence, call.query, call.deadline))
            except OSError:  # the worker died; its reader sees the end of its pipe next
                self._waiting.appendleft(call)
                return
            worker.sent += 1
            worker.in_flight.append(call)

    def _abandon(self, call: _Call) -> None:
        """A call nobody waits for any more: its worker stops it (if one holds it)."""
        for worker in self._workers:
            if call in worker.in_flight:
                worker.cancel(call)
                return

    def _on_answer(self, worker: _Worker) -> None:
        try:
            outcome: Outcome = worker.conn.recv()
        except (EOFError, OSError):
            self._replace(worker)
        else:
            call = worker.in_flight.popleft()
            if not call.answer.done():
                call.answer.set_result(outcome)
        self._dispatch()

    def _replace(self, dead: _Worker) -> None:
        """A worker died (killed, out of memory): fail its calls, start another."""
        self._retire(dead)
        log.error("Verify worker %s exited (code %s); starting another", *_exit_of(dead))
        worker = self._launch()
        self._workers[self._workers.index(dead)] = worker
        # The new worker says it is ready before its first answer; read that first.
        assert self._loop is not None
        self._loop.add_reader(worker.conn.fileno(), self._on_ready, worker)
        self._report()

    def _on_ready(self, worker: _Worker) -> None:
        assert self._loop is not None
        self._loop.remove_reader(worker.conn.fileno())
        try:
            ready = worker.conn.recv()
        except (EOFError, OSError):
            ready = None
        if ready == _READY:
            worker.ready = True
            self._failed_starts = 0
            self._loop.add_reader(worker.conn.fileno(), self._on_answer, worker)
            log.info("Verify worker %s started; %d ready", worker.process.pid, self.ready_workers())
        else:
            # One that cannot even start (index file gone?) is tried again, later and
            # later, not in a tight loop.
            self._retire(worker, watched=False)
            self._workers.remove(worker)
            self._failed_starts += 1
            delay = min(
                self.RETRY_MAX_SECONDS, self.RETRY_FIRST_SECONDS * 2 ** (self._failed_starts - 1)
            )
            log.error(
                "Verify worker %s failed to start (code %s); %d ready; trying again in %.0fs",
                *_exit_of(worker),
                self.ready_workers(),
                delay,
            )
            self._loop.call_later(delay, self._relaunch)
        self._report()
        self._dispatch()

    def _relaunch(self) -> None:
        if self._loop is None:  # detached: the server is stopping
            return
        worker = self._launch()
        self._workers.append(worker)
        self._loop.add_reader(worker.conn.fileno(), self._on_ready, worker)

    def _report(self) -> None:
        """Tell on_serving when the pool starts or stops being able to answer."""
        serving = self.ready_workers() > 0
        if serving != self._serving:
            self._serving = serving
            if not serving:
                log.error("no Verify worker is ready: health NOT_SERVING until one is")
            if self.on_serving is not None:
                self.on_serving(serving)

    def _retire(self, worker: _Worker, *, watched: bool = True) -> None:
        """Stop watching a dead worker, reap it, and fail the calls it held."""
        if watched and self._loop is not None:
            self._loop.remove_reader(worker.conn.fileno())
        worker.conn.close()
        worker.process.join(timeout=5)
        self._fail(worker.in_flight, "Verify worker died; retry the call")
        worker.in_flight.clear()

    @staticmethod
    def _fail(calls: deque[_Call], message: str) -> None:
        for call in calls:
            if not call.answer.done():
                call.answer.set_result((errors.Unavailable.kind, message))

    def detach(self) -> None:
        """Stop watching the pipes (call on the attached loop's thread, before ``close``)."""
        if self._loop is not None:
            for worker in self._workers:
                self._loop.remove_reader(worker.conn.fileno())
            self._loop = None

    def close(self, timeout: float = 10.0) -> None:
        """Close the pipes (workers exit at once between calls) and wait for the workers."""
        for worker in self._workers:
            worker.conn.close()
        for worker in self._workers:
            worker.process.join(timeout)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(timeout)
