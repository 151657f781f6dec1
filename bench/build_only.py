"""Time a bulk build alone: the synthetic corpus is generated first, held in memory, and
only ``bulk_add`` (with the store's close) is timed. bench_build.py runs this with the
packages of the checkout being measured first on the path (this checkout's or an older
revision's, unpacked), so the old and the new build load the same input the same way.

    PYTHONPATH=SRC/server:SRC/client python bench/build_only.py SRC DB QUOTES SEED

Prints what bench_verify.py prints of a build ("build: S s", "peak RSS N MiB"), and the
build's CPU seconds (this process's and its workers'), the corpus generation's seconds
and the resident size the corpus takes before the build.
"""

from __future__ import annotations

import gc
import resource
import sys
import time
from pathlib import Path


def _cpu_seconds() -> tuple[float, float]:
    """CPU seconds of this process, and of its children waited for (a build's workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def main(argv: list[str]) -> int:
    source, db, quotes, seed = Path(argv[0]), argv[1], int(argv[2]), int(argv[3])
    # The measured checkout's own generator (bench/synth.py) and store.
    sys.path.insert(0, str(source / "bench"))
    from synth import SynthConfig, SyntheticCorpus  # type: ignore[import-not-found, unused-ignore]

    from quotetrace_server.index.stores import open_store

    started = time.perf_counter()
    items = list(SyntheticCorpus(SynthConfig(quotes=quotes, seed=seed)).articles())
    generated = time.perf_counter() - started
    # The held corpus is never garbage: frozen, the collector does not scan it again and
    # again during the build (a streamed corpus was never there to scan), and a forked
    # worker does not copy its pages by touching them.
    gc.freeze()
    print(f"  corpus: {len(items):,} articles generated in {generated:.1f} s, {_rss_mib():.0f} MiB")
    own, workers = _cpu_seconds()
    started = time.perf_counter()
    store = open_store(db)
    store.bulk_add(items)
    store.close()
    seconds = time.perf_counter() - started
    own = _cpu_seconds()[0] - own
    workers = _cpu_seconds()[1] - workers
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  build: {seconds:.1f} s ({quotes / seconds:,.0f} quotes/s), peak RSS {peak:.0f} MiB")
    print(f"  build CPU: {own + workers:.1f} s (this process {own:.1f} s, workers {workers:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
