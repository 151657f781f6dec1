"""Benchmark ingest throughput (articles/s, tokens/s): in-process, N worker processes, Dask.

    STANZA_RESOURCES_DIR=../shared/models/stanza_resources python bench/bench_ingest.py
    python bench/bench_ingest.py --workers 1,2,4 --copies 5 --rounds 2 --dask 2

Everything is measured in one run, on the same texts, each ingest into a fresh index:

- extraction: ``Attributor.attribute`` on each text in this process, nothing written
  (what bench_extract.py calls "full"): the plain extraction throughput;
- in-process: ``Engine.ingest_items`` with one worker, in this process (NLP, attribution
  and the index writes one after the other), as ``index --workers 1`` runs it;
- N processes: the NLP and attribution in N worker processes while this process writes
  (``index --workers N``); "1 process" is one worker process and this writer side by side;
- dask N: the same on a local Dask cluster of N worker processes (``ingest --dask``).

Start-up (starting the processes and loading stanza in each, paid once per server or
`index` run) is timed apart from the steady state (the workers warm): a short corpus
measures mostly start-up, so its articles/s say little about scaling. "cold articles/s"
counts both, as one `index` run of this corpus sees it. `--copies N` ingests the corpus
N times (each copy under its own identity, so each is attributed) for a longer steady
state. Torch runs one thread in every process (engine.workers.one_thread_each).

CPU seconds are this process's (the writer) and its child processes' (the workers);
"busy" is CPU / (wall x cores): how much of the machine the run used. Other processes
take cores from the workers, so the load average is printed with each run: N workers
cannot reach N x on fewer than N free cores. Semantic search (embedding) is off.
Tokens are words and punctuation marks (a regex), counted once per text.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path

import psutil

from quotetrace_server.engine.engine import Engine
from quotetrace_server.engine.workers import (
    AttributionPool,
    NlpWorkers,
    default_workers,
    one_thread_each,
)
from quotetrace_server.ingest.model import Article
from quotetrace_server.ingest.reader import read_inputs

REPO = Path(__file__).resolve().parent.parent
DEFAULT_ARTICLES = REPO.parent / "shared" / "eval" / "news-dev" / "articles"
_TOKEN = re.compile(r"\w+|[^\w\s]")
EXTRACTION = "extraction"
IN_PROCESS = "in-process"


def load_average() -> float:
    return os.getloadavg()[0]


@dataclass
class Measured:
    """One configuration's start-up and its best steady-state round."""

    startup: float = float("inf")
    seconds: float = float("inf")
    cpu_main: float = 0.0
    cpu_workers: float = 0.0
    load: float = 0.0


def cpu_seconds() -> tuple[float, float]:
    """(this process, its live child processes and theirs): user + system CPU seconds."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = 0.0
    for child in psutil.Process().children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.NoSuchProcess:
            continue
        children += times.user + times.system
    return own.ru_utime + own.ru_stime, children


def copies(articles: list[Article], count: int) -> list[Article]:
    """The corpus `count` times, each copy under its own identity (URL or path)."""
    out = list(articles)
    for copy in range(1, count):
        for article in articles:
            meta = article.meta
            meta = replace(
                meta,
                url=f"{meta.url}?bench-copy={copy}" if meta.url else None,
                source_path=f"{meta.source_path}#bench-copy-{copy}" if meta.source_path else None,
                source_name=f"{meta.source_name or ''}#bench-copy-{copy}",
            )
            out.append(Article(article.text, meta))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, default=DEFAULT_ARTICLES)
    parser.add_argument(
        "--workers",
        default=f"1,{max(2, default_workers())}",
        help="comma-separated: 1 = in-process (and one worker process beside the writer),"
        " N = N worker processes (default 1,<cores>)",
    )
    parser.add_argument("--dask", default="", help="comma-separated Dask cluster sizes")
    parser.add_argument("--copies", type=int, default=1, help="ingest the corpus N times")
    parser.add_argument("--rounds", type=int, default=1, help="rounds; the best is kept")
    parser.add_argument("--models", default=os.environ.get("STANZA_RESOURCES_DIR"))
    args = parser.parse_args()

    one_thread_each()
    read = [a for a in read_inputs([args.articles]) if isinstance(a, Article)]
    if not read:
        raise SystemExit(f"no articles in {args.articles}")
    articles = copies(read, args.copies)
    tokens = sum(len(_TOKEN.findall(a.text)) for a in articles)
    counts = [int(n) for n in args.workers.split(",") if n]
    dask_sizes = [int(n) for n in args.dask.split(",") if n]
    print(
        f"{len(articles)} articles ({len(read)} x {args.copies}), {tokens} tokens"
        f" from {args.articles}; {os.cpu_count()} cores, load average before"
        f" {load_average():.2f}"
    )

    scratch = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    started = time.perf_counter()
    engine = Engine.open(scratch / "extraction.db", args.models, semantic=False)
    attributor = engine.attributor()
    attributor.attribute("“Warm,” she said.")  # loads the models in this process
    own_startup = time.perf_counter() - started

    def extraction(_: Path) -> int:
        return sum(len(attributor.attribute(a.text).quotes) >= 0 for a in articles)

    starters: dict[str, Callable[[ExitStack], Callable[[Path], int]]] = {
        EXTRACTION: lambda _: extraction
    }
    for n in counts:
        if n == 1:
            starters[IN_PROCESS] = lambda _: ingest_run(args.models, None, 1, articles)
        starters[f"{n} process" + ("es" if n > 1 else "")] = process_starter(args, n, articles)
    for n in dask_sizes:
        starters[f"dask {n}"] = dask_starter(args, n, articles)

    results = {name: Measured() for name in starters}
    for round_number in range(args.rounds):
        for name, start in starters.items():
            database = scratch / f"{name.replace(' ', '-')}-r{round_number}.db"
            # Each configuration's processes live for its own run only: idle workers of
            # another would take CPU from it.
            with ExitStack() as stack:
                started = time.perf_counter()
                run = start(stack)
                startup = time.perf_counter() - started
                if name in (EXTRACTION, IN_PROCESS):
                    startup = own_startup
                measure(results[name], startup, run, database, len(articles))
    engine.close()
    print_table(results, len(articles), tokens)


def measure(
    best: Measured, startup: float, run: Callable[[Path], int], database: Path, expected: int
) -> None:
    """Run once; keep the figures if it is the fastest round (start-up: the least)."""
    best.startup = min(best.startup, startup)
    started, cpu_before = time.perf_counter(), cpu_seconds()
    done = run(database)
    seconds = time.perf_counter() - started
    cpu_after = cpu_seconds()
    assert done == expected, (database, done)
    if seconds < best.seconds:
        best.seconds = seconds
        best.cpu_main = cpu_after[0] - cpu_before[0]
        best.cpu_workers = cpu_after[1] - cpu_before[1]
        best.load = load_average()


def process_starter(
    args: argparse.Namespace, n: int, articles: list[Article]
) -> Callable[[ExitStack], Callable[[Path], int]]:
    """Start n worker processes and load their models (what `index --workers n` pays
    before its first article); the ingest run on them."""

    def start(stack: ExitStack) -> Callable[[Path], int]:
        pool = AttributionPool(n, args.models)
        stack.callback(pool.close)
        pool.warm()
        return ingest_run(args.models, pool, n, articles)

    return start


def dask_starter(
    args: argparse.Namespace, n: int, articles: list[Article]
) -> Callable[[ExitStack], Callable[[Path], int]]:
    """Start a local Dask cluster of n worker processes, their models loaded; the ingest
    run on it."""

    def start(stack: ExitStack) -> Callable[[Path], int]:
        from quotetrace_server.engine.dask_ingest import DaskAttributionPool, dask_client

        client = stack.enter_context(dask_client(None, n))
        pool = DaskAttributionPool(client, args.models, semantic=False)
        pool.load_models()
        return ingest_run(args.models, pool, n, articles)

    return start


def ingest_run(
    models: str | None, pool: NlpWorkers | None, workers: int, articles: list[Article]
) -> Callable[[Path], int]:
    """Ingest every article into a fresh index at the path given, with the warm `pool`
    (None: in this process); the number ingested."""

    def run(database: Path) -> int:
        engine = Engine.open(database, models, semantic=False)
        try:
            results = engine.ingest_items(articles, workers, pool)
            return sum(r.outcome is not None for r in results)
        finally:
            engine.close()

    return run


def print_table(results: dict[str, Measured], articles: int, tokens: int) -> None:
    cores = os.cpu_count() or 1
    header = (
        f"{'run':<14}{'start-up s':>11}{'steady s':>9}{'articles/s':>11}{'tokens/s':>9}"
        f"{'cold art/s':>11}{'cpu main s':>11}{'cpu workers s':>14}{'busy':>6}{'load':>6}"
    )
    print(header)
    for name, m in results.items():
        cold = articles / (m.startup + m.seconds)
        busy = (m.cpu_main + m.cpu_workers) / (m.seconds * cores)
        print(
            f"{name:<14}{m.startup:>11.1f}{m.seconds:>9.2f}{articles / m.seconds:>11.2f}"
            f"{tokens / m.seconds:>9.0f}{cold:>11.2f}{m.cpu_main:>11.1f}{m.cpu_workers:>14.1f}"
            f"{busy:>6.0%}{m.load:>6.2f}"
        )
    for line in ratios(results):
        print(line)


def ratios(results: dict[str, Measured]) -> Iterator[str]:
    """Steady-state speed-ups: each configuration against the in-process ingest, and the
    in-process ingest against plain extraction."""
    base = results.get(IN_PROCESS)
    if base is None:
        return
    for name, m in results.items():
        if name not in (EXTRACTION, IN_PROCESS):
            yield f"steady {name} / in-process: {base.seconds / m.seconds:.2f}x"
    extraction = results[EXTRACTION].seconds
    yield f"steady in-process / extraction: {extraction / base.seconds:.2f}x"
    if "1 process" in results:
        yield f"steady 1 process / extraction: {extraction / results['1 process'].seconds:.2f}x"


if __name__ == "__main__":
    main()
