"""Bulk ingest on a Dask cluster: the NLP and attribution on Dask's workers, one writer.

Dask only distributes: each worker runs the same functions as an ingest worker process
(engine.workers.attribute_text, with its stanza pipeline loaded once per worker process by
a worker plugin), and `Engine.ingest_items` writes the results in the inputs' order,
through the store, in the calling process. A worker that dies or is killed while it
attributes an article writes nothing (workers never touch the index); the scheduler runs
that article again on another worker, up to its `allowed-failures` times, after which
the article is reported not ingested (AttributionLost). Each article is written in one
transaction and by its identity (QuoteStore.add_article), so an ingest stopped halfway
and run again adds each article once: those already written are unchanged.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import dask.config
from distributed import Client, Future, KilledWorker, LocalCluster, Worker, WorkerPlugin

from quotetrace_server.engine.workers import (
    Attributed,
    AttributionLost,
    attribute_anywhere,
    start_worker,
)

log = logging.getLogger(__name__)


class LoadModels(WorkerPlugin):
    """Loads stanza (and the embedding model) in each worker process when it joins,
    a restarted one included, so no article pays for it. A task arriving first loads
    them itself (start_worker is once per process, under a lock)."""

    name = "quotetrace-models"

    def __init__(self, stanza_dir: str | None, semantic: bool) -> None:
        self.stanza_dir = stanza_dir
        self.semantic = semantic

    async def setup(self, worker: Worker) -> None:
        # In a thread: the worker's event loop keeps answering the scheduler meanwhile.
        await asyncio.get_running_loop().run_in_executor(
            None, start_worker, self.stanza_dir, self.semantic
        )


@dataclass
class _DaskPending:
    future: Future[Attributed]

    def result(self) -> Attributed:
        try:
            return self.future.result()
        except KilledWorker as error:
            raise AttributionLost(
                f"its NLP was lost with every worker that ran it ({error})"
            ) from None


class DaskAttributionPool:
    """The workers of a Dask cluster as an ingest's NLP workers (engine.workers.NlpWorkers).

    `stanza_dir` is where the workers find the models: a local cluster's workers share
    this machine's; pass None for a remote cluster, whose workers then use their own
    STANZA_RESOURCES_DIR (or stanza's default).
    """

    def __init__(self, client: Client, stanza_dir: str | None, *, semantic: bool) -> None:
        self.client = client
        self._stanza_dir = stanza_dir
        self._semantic = semantic

    def load_models(self) -> float:
        """Load the models in every worker now, and in any that joins later; the seconds
        it took."""
        started = time.perf_counter()
        self.client.register_plugin(LoadModels(self._stanza_dir, self._semantic))
        return time.perf_counter() - started

    @property
    def size(self) -> int:
        """The articles the cluster attributes at once: its workers' threads."""
        threads: dict[str, int] = self.client.nthreads()
        return max(1, sum(threads.values()))

    def submit(self, text: str, seconds: float | None) -> _DaskPending:
        # pure=False: each submission is its own task (the same text twice in one input
        # is written twice, the second time unchanged, as in-process).
        future = self.client.submit(
            attribute_anywhere, text, seconds, self._stanza_dir, self._semantic, pure=False
        )
        return _DaskPending(future)


# Dask's monitoring, tuned for a local cluster that runs one long batch and has no
# dashboard: its defaults (a stack sample every 10 ms, memory checks every 100 ms, system
# metrics every 500 ms, a 20 ms tick) cost 3.1 CPU seconds per 20 s of an idle 2-worker
# cluster on the 2-core machine; these, 0.46 (docs/scaling.md).
LOCAL_CLUSTER_CONFIG = {
    "distributed.worker.profile.enabled": False,  # nobody reads the profiles
    "distributed.worker.memory.monitor-interval": "1s",  # still stops a runaway worker
    "distributed.admin.system-monitor.interval": "5s",  # dashboard metrics only
    "distributed.admin.tick.interval": "1s",  # only detects a blocked event loop
}


@contextmanager
def dask_client(address: str | None, workers: int) -> Iterator[Client]:
    """A client of the scheduler at `address`, or of a local cluster of `workers`
    processes with one thread each (stanza holds a lock per process while it parses,
    and torch runs one thread: more threads per worker would only wait)."""
    if address:
        with Client(address) as client:
            yield client
        return
    with (
        dask.config.set(LOCAL_CLUSTER_CONFIG),
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        try:
            yield client
        finally:
            _quiet_nanny_at_close()


def _quiet_nanny_at_close() -> None:
    """A worker process that loaded torch can take over the nanny's 4 s to finish its
    interpreter on a loaded machine, and is then killed, with a warning: its work was
    gathered already, so at close the warning says nothing worth reading."""
    logging.getLogger("distributed.nanny").setLevel(logging.ERROR)
