"""NLP and attribution of articles in worker processes, for ingest on all cores.

Stanza's models run on torch, which by default starts one OpenMP thread per core in
every process: N workers on N cores would run N×N threads and spend their time
contending (issue 12: 20 articles took 64-104 s with torch's default threads, 18 s with
one). So each worker, and the process that ingests in-process, runs torch with one
thread, and the parallelism is the workers'. Only the parsing and attribution run in
the workers; the index is written by the one process that owns it (one writer).
With semantic search on, each worker also embeds the article's quotations (issue 11), so
the embedding runs on all cores too; the writer adds the vectors of wordings the index
does not have yet.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol

from quotetrace_server import errors
from quotetrace_server.attribution.model import ArticleQuotes, QuoteKind
from quotetrace_server.entities.normalize import normalize
from quotetrace_server.semantic.encoder import SentenceEncoder, Vectors

# Environment read by OpenMP, MKL and OpenBLAS when they start: set before torch loads.
_THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


def default_workers() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def one_thread_each() -> None:
    """Run torch (and the maths libraries under it) on one thread in this process.

    Before torch is imported the environment is enough (torch reads it when it loads),
    so a server that never ingests does not pay for importing torch here.
    """
    for name in _THREAD_VARIABLES:
        os.environ[name] = "1"
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(1)


@dataclass(frozen=True)
class Attributed:
    """A worker's result: the attributed quotations and, with semantic search on, one
    vector per normalised wording of a speech quotation."""

    quotes: ArticleQuotes
    vectors: dict[str, Vectors] = field(default_factory=dict)


_ATTRIBUTOR: Callable[[str, float | None], ArticleQuotes] | None = None
_ENCODER: SentenceEncoder | None = None
# A Dask worker may be asked to load the models by its plugin and by a task at once.
_START_LOCK = threading.Lock()


class AttributionLost(errors.Unavailable):
    """An article's NLP was lost with the worker processes that ran it (each killed or
    dead while it ran), as often as the cluster allows; nothing was stored."""


class Pending(Protocol):
    """An attribution under way in a worker: concurrent.futures' or Dask's future."""

    def result(self) -> Attributed: ...


class NlpWorkers(Protocol):
    """Worker processes that attribute texts: `size` at once (AttributionPool,
    engine.dask_ingest.DaskAttributionPool)."""

    @property
    def size(self) -> int: ...

    def submit(self, text: str, seconds: float | None) -> Pending: ...


def start_worker(stanza_dir: str | None, semantic: bool = False) -> None:
    """Load this process's stanza pipeline (and the embedding model with `semantic`)
    once: a process pool's initializer, a Dask worker's plugin, or its first task."""
    global _ATTRIBUTOR, _ENCODER
    with _START_LOCK:
        if _ATTRIBUTOR is not None:
            return
        one_thread_each()
        _ENCODER = SentenceEncoder() if semantic else None
        from quotetrace_server.attribution.attributor import attribute_parsed
        from quotetrace_server.nlp.pipeline import NlpPipeline

        nlp = NlpPipeline.shared(stanza_dir)

        def attribute(text: str, seconds: float | None) -> ArticleQuotes:
            return attribute_parsed(nlp.parse(text, seconds=seconds))

        _ATTRIBUTOR = attribute


def attribute_text(text: str, seconds: float | None) -> Attributed:
    """The text's attributed quotations (and wording vectors), by this worker's models."""
    assert _ATTRIBUTOR is not None, "worker not initialised"
    quotes = _ATTRIBUTOR(text, seconds)
    if _ENCODER is None:
        return Attributed(quotes)
    texts = {normalize(q.text): q.text for q in quotes.quotes if q.kind is not QuoteKind.TERM}
    if not texts:
        return Attributed(quotes)
    embedded = _ENCODER.encode(list(texts.values()))
    return Attributed(quotes, {key: embedded[i] for i, key in enumerate(texts)})


def attribute_anywhere(
    text: str, seconds: float | None, stanza_dir: str | None, semantic: bool
) -> Attributed:
    """attribute_text in a process that may not have loaded its models yet (a Dask
    worker started, or restarted, after the models were asked for)."""
    start_worker(stanza_dir, semantic)
    return attribute_text(text, seconds)


class AttributionPool:
    """`size` worker processes, each with its own stanza pipeline, attributing texts.

    Started with "spawn": a fresh interpreter per worker, no grpc or torch state copied
    from the parent (forking a process with grpc threads is unsafe).
    """

    def __init__(self, size: int, stanza_dir: str | None, *, semantic: bool = False) -> None:
        self.size = size
        self._executor = ProcessPoolExecutor(
            max_workers=size,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=start_worker,
            initargs=(stanza_dir, semantic),
        )

    def submit(self, text: str, seconds: float | None) -> Future[Attributed]:
        """The text's attributed quotations (and their vectors), worked out in a worker;
        NlpBudgetExceeded when its NLP runs past `seconds`."""
        return self._executor.submit(attribute_text, text, seconds)

    def warm(self) -> None:
        """Start every worker and load its models now (the executor starts them lazily)."""
        for future in [self.submit("“Warm,” she said.", None) for _ in range(2 * self.size)]:
            future.result()

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
