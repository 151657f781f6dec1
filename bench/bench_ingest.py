"""Benchmark ingest throughput (articles/s, tokens/s) with 1 and N worker processes.

    STANZA_RESOURCES_DIR=../shared/models/stanza_resources python bench/bench_ingest.py
    python bench/bench_ingest.py --articles ../shared/eval/news-dev/articles --workers 1,2

All figures come from one run on the same texts, each into a fresh index file:
(0) baseline: today's extraction, ``Attributor.attribute`` on each text in this process,
nothing written (what bench_extract.py calls "full"); (1) ingest with ``--workers 1``:
``Engine.ingest_items`` in this process (NLP, attribution, the index writes); (N) the same
with N worker processes doing the NLP and attribution while this process writes. Torch
runs one thread in every process (engine.workers.one_thread_each), as `index` runs it.
The workers are started and their models loaded before the clock starts (that start-up is
printed apart: it is paid once per server or `index` run, not per article). Semantic
search (embedding the wordings) is off: it is not part of what the workers parallelise.
Tokens are words and punctuation marks (a regex), counted once per text.

Each configuration runs --repeat rounds, taking turns, and keeps its best round. The
load average is printed before and after: on a shared machine other processes take cores
from the workers, and 2 workers cannot reach 2x on fewer than 2 free cores.
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from quotetrace_server.engine.engine import Engine
from quotetrace_server.engine.workers import AttributionPool, default_workers, one_thread_each
from quotetrace_server.ingest.model import Article
from quotetrace_server.ingest.reader import read_inputs

REPO = Path(__file__).resolve().parent.parent
DEFAULT_ARTICLES = REPO.parent / "shared" / "eval" / "news-dev" / "articles"
_TOKEN = re.compile(r"\w+|[^\w\s]")


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def timed(run: Callable[[], int]) -> tuple[float, int]:
    started = time.perf_counter()
    done = run()
    return time.perf_counter() - started, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, default=DEFAULT_ARTICLES)
    parser.add_argument("--workers", default=f"1,{max(2, default_workers())}")
    parser.add_argument("--repeat", type=int, default=1, help="rounds; the best is kept")
    parser.add_argument("--models", default=os.environ.get("STANZA_RESOURCES_DIR"))
    args = parser.parse_args()

    one_thread_each()
    articles = [a for a in read_inputs([args.articles]) if isinstance(a, Article)]
    if not articles:
        raise SystemExit(f"no articles in {args.articles}")
    tokens = sum(len(_TOKEN.findall(a.text)) for a in articles)
    counts = [int(n) for n in args.workers.split(",")]
    print(f"{len(articles)} articles, {tokens} tokens from {args.articles}")
    print(f"before: {load()}")

    scratch = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    pools: dict[int, AttributionPool] = {}
    started = time.perf_counter()
    baseline_engine = Engine.open(scratch / "baseline.db", args.models, semantic=False)
    attributor = baseline_engine.attributor()
    attributor.attribute("“Warm,” she said.")  # loads the models: not timed
    print(f"start-up, this process: {time.perf_counter() - started:.1f} s")
    for n in counts:
        if n > 1:
            started = time.perf_counter()
            pools[n] = AttributionPool(n, args.models)
            pools[n].warm()
            print(f"start-up, {n} worker processes: {time.perf_counter() - started:.1f} s")

    best: dict[str, float] = {}
    for round_number in range(args.repeat):
        runs: dict[str, Callable[[], int]] = {
            "extraction (baseline)": lambda: sum(
                len(attributor.attribute(a.text).quotes) >= 0 for a in articles
            )
        }
        for n in counts:
            database = scratch / f"w{n}-r{round_number}.db"
            runs[f"ingest, {n} worker(s)"] = ingest_run(database, args.models, pools, n, articles)
        for name, run in runs.items():
            seconds, done = timed(run)
            assert done == len(articles), (name, done)
            best[name] = min(best.get(name, float("inf")), seconds)

    print(f"after: {load()}")
    print(f"{'run':<24}{'seconds':>9}{'articles/s':>12}{'tokens/s':>10}")
    for name, seconds in best.items():
        print(f"{name:<24}{seconds:>9.1f}{len(articles) / seconds:>12.2f}{tokens / seconds:>10.0f}")
    one = best[f"ingest, {counts[0]} worker(s)"]
    for n in counts[1:]:
        print(f"ratio {n} workers / {counts[0]}: {one / best[f'ingest, {n} worker(s)']:.2f}x")
    print(
        f"ratio ingest {counts[0]} worker / extraction: {best['extraction (baseline)'] / one:.2f}x"
    )
    baseline_engine.close()
    for pool in pools.values():
        pool.close()


def ingest_run(
    database: Path,
    models: str | None,
    pools: dict[int, AttributionPool],
    workers: int,
    articles: list[Article],
) -> Callable[[], int]:
    """Ingest every article into a fresh index with `workers` processes (the warmed pool
    pools[workers] when above 1); the number ingested."""

    def run() -> int:
        engine = Engine.open(database, models, semantic=False)
        try:
            results = engine.ingest_items(articles, workers, pools.get(workers))
            return sum(r.outcome is not None for r in results)
        finally:
            engine.close()

    return run


if __name__ == "__main__":
    main()
