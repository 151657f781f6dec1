"""A helper process that embeds claims beside the process searching their words.

Embedding a claim ahead on a second thread of the Verify process gained little: the word
search (Python and rapidfuzz) barely proceeds while onnxruntime runs a model in the same
process (docs/semantic.md). A second process has its own interpreter, so the claim is
embedded on the other core while this one goes on with the words.

One helper per process (every SemanticSearch of a process with the same model shares it):
a child interpreter (`python -m quotetrace_server.semantic.helper`) holding the encoder,
joined to this process by a socket pair. It is started on first use and answers one claim
at a time; until it has loaded the model, and after it died or stopped answering, callers
get None and embed as before (on a thread of their own, or inline). It exits when this
process closes its end (`close`, at exit, or when this process dies).

Messages (pickled tuples over multiprocessing.connection): to the helper ("embed", seq,
text) and ("stop", seq); from it ("ready", encoder id) once, then (seq, vector bytes) or
(seq, None) for a claim stopped or failed. A stop ends a running embedding at its next
graph node (encoder.Stop); replies to claims nobody waits for any more are skipped.
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import numpy as np

from quotetrace_server.semantic import cpu
from quotetrace_server.semantic.encoder import (
    DIMENSIONS,
    EmbeddingStopped,
    ModelFiles,
    SentenceEncoder,
    Stop,
    Vectors,
)

log = logging.getLogger(__name__)

# How long a claim's vector may take before the helper is taken for hung (killed; the
# caller embeds inline). A claim takes 5-30 ms; a loaded machine can stall one for longer.
ANSWER_TIMEOUT = 2.0
# How long a helper may take to load the model before it is given up.
START_TIMEOUT = 60.0
# A helper that died is started again at most this often.
RELAUNCH_AFTER = 30.0


@dataclass(frozen=True)
class HelperCounts:
    """How the helper went: claims sent, vectors received, claims stopped, launches."""

    sent: int = 0
    received: int = 0
    stopped: int = 0
    launches: int = 0


class EmbedHelper:
    """The client side: a helper process for one model. Thread-safe; one claim at a time
    (`submit` gives None while a claim is outstanding)."""

    def __init__(
        self,
        files: ModelFiles,
        *,
        threads: int = 1,
        answer_timeout: float = ANSWER_TIMEOUT,
        start_timeout: float = START_TIMEOUT,
        relaunch_after: float = RELAUNCH_AFTER,
    ) -> None:
        """`threads`: onnxruntime's intra-op threads in the helper (SentenceEncoder)."""
        self.files = files
        self.threads = threads
        self._answer_timeout = answer_timeout
        self._start_timeout = start_timeout
        self._relaunch_after = relaunch_after
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._conn: Connection | None = None
        self._ready = False
        self._launched_at = -1e9
        self._seq = 0
        self._outstanding: int | None = None  # the ticket submitted and not yet settled
        self.counts = HelperCounts()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def ready(self) -> bool:
        """Whether the helper answers claims now (starting it when none runs)."""
        with self._lock:
            return self._ready_now()

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Start the helper if needed and wait until it has loaded the model."""
        deadline = time.monotonic() + (self._start_timeout if timeout is None else timeout)
        while time.monotonic() < deadline:
            with self._lock:
                if self._ready_now():
                    return True
                if self._conn is None:
                    return False  # could not start, or died: not before RELAUNCH_AFTER
            time.sleep(0.01)
        return False

    def submit(self, text: str) -> int | None:
        """Send `text` to be embedded: a ticket for `collect`, or None (not ready, busy
        with another claim, or broken)."""
        with self._lock:
            if self._outstanding is not None or not self._ready_now():
                return None
            assert self._conn is not None
            self._seq += 1
            try:
                self._conn.send(("embed", self._seq, text))
            except (OSError, ValueError):
                self._broken("its pipe closed")
                return None
            self._outstanding = self._seq
            self.counts = _more(self.counts, sent=1)
            return self._seq

    def collect(self, ticket: int) -> Vectors | None:
        """The vector of the claim `ticket` names; None when it cannot be had (the caller
        embeds the claim itself)."""
        with self._lock:
            if self._outstanding != ticket or self._conn is None:
                return None
            self._outstanding = None
            try:
                vector = self._receive(ticket)
            except BaseException:
                # A signal (a Verify worker's deadline) may have cut a message in two.
                self._broken("a read was interrupted")
                raise
            if vector is not None:
                self.counts = _more(self.counts, received=1)
            return vector

    def cancel(self, ticket: int) -> None:
        """The claim `ticket` names is not wanted: stop it (its reply is skipped later)."""
        with self._lock:
            if self._outstanding != ticket or self._conn is None:
                return
            self._outstanding = None
            self.counts = _more(self.counts, stopped=1)
            try:
                self._conn.send(("stop", ticket))
            except (OSError, ValueError):
                self._broken("its pipe closed")

    def close(self, timeout: float = 5.0) -> None:
        """Stop the helper: its end of the socket closes and it exits."""
        with self._lock:
            process, conn = self._process, self._conn
            self._process, self._conn, self._ready, self._outstanding = None, None, False, None
        if conn is not None:
            conn.close()
        if process is not None:
            cpu.forget_helper(process.pid)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    # --- under self._lock ----------------------------------------------------------------

    def _ready_now(self) -> bool:
        if self._ready:
            if self._process is not None and self._process.poll() is not None:
                self._broken(f"it exited ({self._process.returncode})")
                return False
            return True
        if self._conn is None:
            if time.monotonic() - self._launched_at >= self._relaunch_after:
                self._launch()
            return False
        return self._check_started()

    def _launch(self) -> None:
        self._launched_at = time.monotonic()
        ours, theirs = socket.socketpair()
        try:
            self._process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    __name__,
                    str(theirs.fileno()),
                    str(self.threads),
                    *_file_args(self.files),
                ],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                env=_child_env(),
                close_fds=True,
            )
        except OSError as exc:
            ours.close()
            log.warning("semantic search: no embedding helper process (%s)", exc)
            return
        finally:
            theirs.close()
        self._conn = Connection(ours.detach())
        self.counts = _more(self.counts, launches=1)
        cpu.count_helper(self._process.pid)

    def _check_started(self) -> bool:
        assert self._conn is not None
        try:
            if not self._conn.poll(0):
                if time.monotonic() - self._launched_at > self._start_timeout:
                    self._broken("it did not load the model in time")
                elif self._process is not None and self._process.poll() is not None:
                    self._broken(f"it exited ({self._process.returncode})")
                return False
            message = self._conn.recv()
        except (OSError, EOFError):
            self._broken("it exited while starting")
            return False
        if message != ("ready", self.files.space):
            self._broken(f"it answered {message!r} to start")
            return False
        self._ready = True
        return True

    def _receive(self, ticket: int) -> Vectors | None:
        assert self._conn is not None
        deadline = time.monotonic() + self._answer_timeout
        while True:
            left = deadline - time.monotonic()
            try:
                if left <= 0 or not self._conn.poll(left):
                    self._broken("it did not answer in time")
                    return None
                seq, payload = self._conn.recv()
            except (OSError, EOFError):
                self._broken("its pipe closed")
                return None
            if seq == ticket:
                if payload is None:
                    return None
                return np.frombuffer(payload, dtype=np.float32).copy()
            # A reply to a claim stopped earlier: nobody waits for it.

    def _broken(self, why: str) -> None:
        log.warning("semantic search: the embedding helper process is given up: %s", why)
        process, conn = self._process, self._conn
        self._process, self._conn, self._ready, self._outstanding = None, None, False, None
        if conn is not None:
            conn.close()
        if process is not None:
            cpu.forget_helper(process.pid)
            if process.poll() is None:
                process.kill()
            process.wait()


def _more(counts: HelperCounts, **add: int) -> HelperCounts:
    return HelperCounts(
        **{k: getattr(counts, k) + add.get(k, 0) for k in counts.__dataclass_fields__}
    )


def _file_args(files: ModelFiles) -> list[str]:
    return [str(files.model), str(files.tokenizer), files.sha256 or "-", files.space]


def _child_env() -> dict[str, str]:
    """This environment, with this package's folder first on the child's path (the parent
    may have found it through a path the environment does not name)."""
    env = dict(os.environ)
    here = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (here, env.get("PYTHONPATH")) if p)
    return env


# --- one helper per process and model -----------------------------------------------------

_shared: dict[tuple[str, int], EmbedHelper] = {}
_shared_lock = threading.Lock()


def shared_helper(files: ModelFiles, threads: int = 1) -> EmbedHelper:
    """This process's helper for `files` on `threads` (made on first request; started on
    first use)."""
    with _shared_lock:
        helper = _shared.get((files.space, threads))
        if helper is None:
            if not _shared:
                atexit.register(close_shared)
            helper = _shared[files.space, threads] = EmbedHelper(files, threads=threads)
        return helper


def close_shared() -> None:
    """Stop every helper of this process (at exit, and when the server stops)."""
    with _shared_lock:
        helpers = list(_shared.values())
        _shared.clear()
    for helper in helpers:
        helper.close()


def _forget_in_child() -> None:
    """In a process forked from one with helpers: they are the parent's. Close this copy
    of their sockets (so a helper still sees its end close when the parent goes) and
    start afresh."""
    for helper in _shared.values():
        if helper._conn is not None:
            helper._conn.close()
    _shared.clear()


os.register_at_fork(after_in_child=_forget_in_child)


# --- the helper process ---------------------------------------------------------------


def _serve(conn: Connection, encoder: SentenceEncoder) -> None:
    """Embed the claims that arrive, one at a time, until the socket closes. A reader
    thread takes the messages, so a stop reaches the claim it names while it runs."""
    claims: queue.Queue[tuple[int, str] | None] = queue.Queue()
    lock = threading.Lock()
    stopped: set[int] = set()
    running: dict[int, Stop] = {}

    def read() -> None:
        try:
            while True:
                message = conn.recv()
                if message[0] == "embed":
                    claims.put((message[1], message[2]))
                elif message[0] == "stop":
                    with lock:
                        stop = running.get(message[1])
                        if stop is not None:
                            stop.set()
                        else:
                            stopped.add(message[1])
        except (EOFError, OSError):
            pass
        finally:
            claims.put(None)

    threading.Thread(target=read, name="helper-reader", daemon=True).start()
    while (claim := claims.get()) is not None:
        seq, text = claim
        stop = Stop()
        with lock:
            if seq in stopped:
                stopped.discard(seq)
                stop.set()
            running[seq] = stop
        try:
            payload: bytes | None = encoder.encode([text], stop)[0].tobytes()
        except EmbeddingStopped:
            payload = None
        except Exception as exc:  # a claim the model fails on: the caller embeds inline
            log.warning("embedding helper: %s", exc)
            payload = None
        finally:
            with lock:
                running.pop(seq, None)
        try:
            conn.send((seq, payload))
        except OSError:
            return


def main(argv: list[str]) -> int:
    fd, threads, model, tokenizer, sha256, space = argv
    # The parent decides when this process ends (its socket closes); a Ctrl-C reaches the
    # whole process group.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    conn = Connection(int(fd))
    files = ModelFiles(Path(model), Path(tokenizer), None if sha256 == "-" else sha256, space)
    encoder = SentenceEncoder(files, threads=int(threads))
    assert encoder.encode(["ready"]).shape == (1, DIMENSIONS)  # the first run's set-up, now
    conn.send(("ready", files.space))
    _serve(conn, encoder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
