"""Semantic search: embed printed wordings once, find the wordings nearest a query's meaning.

The encoder is loaded on first use (a Verify worker that never needs it never loads it)
or at start-up by `require()`, so a missing model package is a clear error before the
server takes traffic. Which model ran, or why none did, is `status` and goes into every
answer that depends on it.

Embedding ahead: a query is embedded only when its words find nothing, so on that path
the embedding (5-18 ms on one core with the served model) came after the whole lexical
search. Inside `ahead(text)` the query is embedded in this process's helper process
(semantic.helper) while the words are searched on this one, and `nearest(text)` takes the
vector from there; when the words find the quotation, leaving the block stops the
embedding. Until the helper is up, and if it died, a spare thread of this process embeds
it instead (onnxruntime in the same process lets the word search proceed only in part:
docs/semantic.md), stopped by onnxruntime's terminate flag. By
default it starts only when the caller says the words look like missing (the term counts
show its words printed nowhere, or the first candidates scored low), so a query its words
find at once costs nothing. It is done only when a core is spare (semantic.cpu: other
processes' work at normal priority leaves half a core beside the caller's thread; with
every core busy, a second process would slow the lexical search it races), one claim at
a time per process, on AHEAD_THREADS intra-op threads (the caller's thread is still
searching words on the other core): a query that finds the helper and the thread busy, or
no core spare, is embedded inline as before.

Threads per inline query: its embedding runs on QUERY_THREADS intra-op threads when a
core is spare (each matrix product split over both cores), else on one (with every core
busy, a second thread only waits for a core and makes the run slower). Wordings are
embedded on one thread: that is throughput, not latency.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from quotetrace_server.semantic.cpu import METER
from quotetrace_server.semantic.encoder import (
    MAX_TOKENS,
    MODEL_ID,
    EmbeddingStopped,
    ModelFiles,
    SentenceEncoder,
    Stop,
    Vectors,
)
from quotetrace_server.semantic.helper import EmbedHelper, shared_helper
from quotetrace_server.semantic.vectors import WordingVectors


@dataclass(frozen=True)
class EmbedReport:
    """What one embedding pass did: wordings embedded, already present, and seconds spent."""

    embedded: int = 0
    present: int = 0
    seconds: float = 0.0

    def __add__(self, other: EmbedReport) -> EmbedReport:
        return EmbedReport(
            self.embedded + other.embedded,
            self.present + other.present,
            self.seconds + other.seconds,
        )

    @property
    def per_second(self) -> float:
        return self.embedded / self.seconds if self.seconds > 0 else 0.0


# How long leaving `ahead` waits for a stopped embedding to end (it takes well under 1 ms).
STOP_WAIT_SECONDS = 0.01
# Intra-op threads for a query's embedding when a core is spare.
QUERY_THREADS = 2
# Intra-op threads for an embedding ahead: it runs while the caller's thread searches the
# words on another core, so a second thread of its own would take that core from them.
AHEAD_THREADS = 1
# Embedding ahead starts when the caller says the claim's words look like missing (its term
# counts, or its first candidates: verifier.AHEAD_ON_COUNTS, PROBE_CANDIDATES), not with
# the search: a claim its words find at once (most) then costs the other core nothing.
AHEAD_AFTER_PROBE = True
# ...except a claim of at least this many word pieces, which starts on entering `ahead`:
# its embedding outlasts most word searches (0.26 ms a piece + 4 ms on this kind of core),
# so the time until the words say "missing" would be added to the look-up by meaning's
# wait; a long claim the words find costs the helper one stopped run. None: never at once.
AHEAD_AT_ONCE_PIECES: int | None = None
# Embedding ahead runs in this process's helper process (semantic.helper) when it is up: a
# thread of this process overlaps little with the word search.
AHEAD_PROCESS = True


def _served_encoder_id() -> str:
    from quotetrace_server.semantic.quantized import encoder_id

    return encoder_id()


def _nothing() -> None:
    """Nothing to start (embedding ahead is off)."""


@dataclass
class _Ahead:
    """One query text being embedded on the spare thread, and the callers waiting on it."""

    stop: Stop
    vector: Future[Vectors] = field(default_factory=Future)
    users: int = 1
    # Set when the helper process embeds it (its ticket there); else a thread of this one.
    helper: EmbedHelper | None = None
    ticket: int = 0
    collecting: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class AheadCounts:
    """How embedding ahead went: started, used by nearest(), stopped unused, not started
    because the spare thread was busy or no core was spare."""

    started: int = 0
    used: int = 0
    stopped: int = 0
    busy: int = 0
    no_spare_core: int = 0
    stop_wait_seconds: float = 0.0  # spent waiting for stopped embeddings to end
    multi_threaded: int = 0  # query embeddings (ahead or inline) run on more than 1 thread
    in_process: int = 0  # of those started, sent to the helper process (the rest: a thread)
    at_once: int = 0  # of those started, on entering `ahead` because the claim is long
    # Vectors taken from an embedding ahead, and the time their callers waited for them
    # (the embedding outlasting the word search: the look-up by meaning waits on it).
    vector_wait_seconds: float = 0.0
    vector_wait_max: float = 0.0


def core_spare() -> bool:
    """Whether a core is left for a second thread beside the caller's: other processes'
    work at normal priority over the last half second leaves half a core (semantic.cpu;
    niced batch work yields its core, so it does not count)."""
    return METER.spare()


class SemanticSearch:
    """Wording vectors plus the encoder that makes them. Thread-safe."""

    def __init__(
        self,
        vectors: WordingVectors,
        encoder: Callable[[], SentenceEncoder] = SentenceEncoder,
        *,
        embed_ahead: bool = True,
        core_spare: Callable[[], bool] = core_spare,
        query_threads: int = QUERY_THREADS,
        stop_wait: float = STOP_WAIT_SECONDS,
        ahead_after_probe: bool = AHEAD_AFTER_PROBE,
        ahead_at_once_pieces: int | None = AHEAD_AT_ONCE_PIECES,
        ahead_threads: int = AHEAD_THREADS,
        encoder_id: Callable[[], str] | None = None,
        ahead_process: bool = AHEAD_PROCESS,
        helper: Callable[[ModelFiles, int], EmbedHelper] = shared_helper,
    ) -> None:
        """`encoder_id`: the vector space `encoder` embeds in (default: the served
        model's, quantized.encoder_id); the vectors are checked against it before any
        use, so vectors of another encoder are re-embedded, never searched.
        `ahead_process`: embed ahead in `helper(model files, ahead_threads)` (a helper
        process) when it is up, else on a thread of this process."""
        self.vectors = vectors
        self._encoder_id = encoder_id or _served_encoder_id
        self._bound = False
        self._make_encoder = encoder
        self._encoder: SentenceEncoder | None = None
        self._lock = threading.Lock()
        self._adding = threading.Lock()  # one embedding pass at a time: no wording twice
        self.spent = EmbedReport()  # every add_wordings pass so far, in all
        self._dirty = False
        self._saved_at = time.monotonic()
        self._embed_ahead = embed_ahead
        self._core_spare = core_spare
        self._query_threads = max(1, min(query_threads, os.cpu_count() or 1))
        self._stop_wait = stop_wait
        self._ahead_after_probe = ahead_after_probe
        self._ahead_at_once_pieces = ahead_at_once_pieces
        self._ahead_threads = max(1, min(ahead_threads, os.cpu_count() or 1))
        self._spare = threading.Semaphore(1)  # one embedding ahead at a time
        self._pool: ThreadPoolExecutor | None = None
        self._ahead: dict[str, _Ahead] = {}
        self._ahead_lock = threading.Lock()
        self.ahead_counts = AheadCounts()
        self._ahead_process = ahead_process
        self._make_helper = helper

    @property
    def model_id(self) -> str:
        return MODEL_ID

    def require(self) -> None:
        """Load the encoder now; raises SemanticUnavailable with the reason. (The helper
        process starts on the first claim embedded ahead: `index` and a `serve` front
        process whose workers answer Verify never need one.)"""
        self._bind()
        self._encoder_now()

    def helper_ready(self, wait: float) -> bool:
        """Start the helper process if none runs; whether it is up within `wait` seconds."""
        helper = self._helper_now()
        return helper.wait_ready(wait) if wait > 0 else helper.ready()

    @property
    def uses_helper(self) -> bool:
        """Whether claims are embedded ahead in the helper process (when it is up)."""
        return self._embed_ahead and self._ahead_process

    def _helper_now(self) -> EmbedHelper:
        return self._make_helper(self._encoder_now().files, self._ahead_threads)

    def _bind(self) -> None:
        """Tell the vectors which encoder this search embeds with (once)."""
        with self._lock:
            if not self._bound:
                self.vectors.use_encoder(self._encoder_id())
                self._bound = True

    def _encoder_now(self) -> SentenceEncoder:
        with self._lock:
            if self._encoder is None:
                self._encoder = self._make_encoder()
            return self._encoder

    def embed(self, texts: Sequence[str]) -> Vectors:
        return self._encoder_now().encode(texts)

    def add_wordings(
        self, wordings: Sequence[tuple[int, str]], made: Mapping[int, Vectors] | None = None
    ) -> EmbedReport:
        """Add a vector for each (wording hash, text) pair that has none yet: the one in
        `made` (computed already, e.g. by an ingest worker) or a new embedding."""
        self._bind()
        with self._adding:
            started = time.perf_counter()
            unique = dict(wordings)
            todo = set(self.vectors.missing(list(unique)))
            if todo:
                hashes = [h for h in unique if h in todo]
                self.vectors.add(hashes, self._vectors_for(hashes, unique, made or {}))
                self._dirty = True
            report = EmbedReport(len(todo), len(unique) - len(todo), time.perf_counter() - started)
            self.spent = self.spent + report
            return report

    def _vectors_for(
        self, hashes: list[int], texts: Mapping[int, str], made: Mapping[int, Vectors]
    ) -> Vectors:
        """One vector per hash, in order: made already, or embedded now (in one batch)."""
        missing = [h for h in hashes if h not in made]
        fresh = dict(zip(missing, self.embed([texts[h] for h in missing]), strict=True))
        return np.vstack([made[h] if h in made else fresh[h] for h in hashes]).astype(np.float32)

    def nearest(self, text: str, k: int) -> list[tuple[int, float]]:
        """(wording hash, cosine) of the `k` wordings nearest `text` in meaning."""
        self._bind()
        return self.vectors.nearest(self._vector_of(text), k)

    @contextmanager
    def ahead(self, text: str) -> Iterator[Callable[[], None]]:
        """Within this block, `text` is being embedded on the spare thread (when it is
        free), for a `nearest(text, …)` call to use; leaving the block stops it unused.
        With `ahead_after_probe`, the embedding starts only when the caller calls the
        function this gives (its words look like missing), not on entering the block,
        unless the text is long (`ahead_at_once_pieces`)."""
        entries: list[_Ahead | None] = []

        def start() -> None:
            if not entries:  # once per block, however often the caller says so
                entries.append(self._start_ahead(text))

        self._bind()
        if self._embed_ahead and len(self.vectors):
            if not self._ahead_after_probe:
                start()
            elif self._long(text):
                start()
                if entries[0] is not None:
                    with self._ahead_lock:
                        self.ahead_counts.at_once += 1
            told: Callable[[], None] = start
        else:
            told = _nothing
        try:
            yield told
        finally:
            if entries and entries[0] is not None:
                self._leave_ahead(text, entries[0])

    def _long(self, text: str) -> bool:
        """Whether `text` is long enough to be embedded ahead at once."""
        at_once = self._ahead_at_once_pieces
        return at_once is not None and self._encoder_now().pieces(text) >= at_once

    def _start_ahead(self, text: str) -> _Ahead | None:
        with self._ahead_lock:
            entry = self._ahead.get(text)
            if entry is not None:  # the same text from another caller: share its run
                entry.users += 1
                return entry
            if not self._core_spare():
                self.ahead_counts.no_spare_core += 1
                return None
            if self._ahead_process and self._encoder_now().max_tokens == MAX_TOKENS:
                # (the helper embeds a claim's first MAX_TOKENS word pieces, as served)
                helper = self._helper_now()
                ticket = helper.submit(text)
                if ticket is not None:
                    entry = self._ahead[text] = _Ahead(Stop(), helper=helper, ticket=ticket)
                    self.ahead_counts.started += 1
                    self.ahead_counts.in_process += 1
                    return entry
            if not self._spare.acquire(blocking=False):
                self.ahead_counts.busy += 1
                return None
            entry = self._ahead[text] = _Ahead(Stop())
            self.ahead_counts.started += 1
        try:
            self._spare_thread().submit(self._embed_ahead_now, text, entry)
        except RuntimeError:  # the pool is shut down: closing
            self._spare.release()
            entry.vector.set_exception(EmbeddingStopped("closed"))
        return entry

    def _spare_thread(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(1, thread_name_prefix="embed-ahead")
            return self._pool

    def _query_encoder(self, threads: int) -> SentenceEncoder:
        """The encoder for one query, on `threads` intra-op threads."""
        encoder = self._encoder_now()
        if threads == 1:
            return encoder
        with self._ahead_lock:
            self.ahead_counts.multi_threaded += 1
        return encoder.with_threads(threads)

    def _embed_ahead_now(self, text: str, entry: _Ahead) -> None:
        # The spare thread is released before the vector is handed over, so whoever waits
        # on the vector finds the thread free. A core was spare when this run started.
        try:
            vector = self._query_encoder(self._ahead_threads).encode([text], entry.stop)[0]
        except BaseException as exc:  # stopped, or the model failed: nearest() embeds inline
            self._spare.release()
            entry.vector.set_exception(exc)
        else:
            self._spare.release()
            entry.vector.set_result(vector)

    def _leave_ahead(self, text: str, entry: _Ahead) -> None:
        with self._ahead_lock:
            entry.users -= 1
            if entry.users > 0:
                return
            self._ahead.pop(text, None)
            if entry.vector.done():
                return
            self.ahead_counts.stopped += 1
            if entry.helper is not None:
                entry.helper.cancel(entry.ticket)  # the helper stops it; no wait here
                return
            entry.stop.set()
        # onnxruntime ends a stopped run at its next graph node: waiting that long frees
        # the spare thread for the caller's next query (a query right after would else
        # find it busy and embed inline).
        if self._stop_wait > 0:
            began = time.perf_counter()
            wait([entry.vector], timeout=self._stop_wait)
            with self._ahead_lock:
                self.ahead_counts.stop_wait_seconds += time.perf_counter() - began

    def _vector_of(self, text: str) -> Vectors:
        """The text's vector: from the embedding ahead when one runs for it, else now."""
        with self._ahead_lock:
            entry = self._ahead.get(text)
        if entry is not None:
            began = time.perf_counter()
            if entry.helper is not None:
                self._collect(entry)
            try:
                vector = entry.vector.result()
            except Exception:  # stopped or failed ahead: embed here, with the error if any
                pass
            else:
                waited = time.perf_counter() - began
                with self._ahead_lock:
                    counts = self.ahead_counts
                    counts.used += 1
                    counts.vector_wait_seconds += waited
                    counts.vector_wait_max = max(counts.vector_wait_max, waited)
                return vector
        threads = self._query_threads if self._core_spare() else 1
        fresh: Vectors = self._query_encoder(threads).encode([text])[0]
        return fresh

    @staticmethod
    def _collect(entry: _Ahead) -> None:
        """Read the helper process's vector into `entry` (once, whoever asks first)."""
        assert entry.helper is not None
        with entry.collecting:
            if entry.vector.done():
                return
            vector = entry.helper.collect(entry.ticket)
            if vector is None:  # the helper failed it, or is gone: embed here
                entry.vector.set_exception(EmbeddingStopped("no vector from the helper"))
            else:
                entry.vector.set_result(vector)

    def save(self, *, if_older_than: float = 0.0) -> bool:
        """Write the vectors file when something was added (and the last save is at least
        `if_older_than` seconds old); True when it wrote."""
        if not self._dirty or time.monotonic() - self._saved_at < if_older_than:
            return False
        self.vectors.save()
        self._dirty = False
        self._saved_at = time.monotonic()
        return True
