"""Benchmark semantic search: embedding cost at ingest, vector index size, Verify with it.

    python bench/bench_semantic.py                       # 100k synthetic quotations
    python bench/bench_semantic.py --scale 1M --db /tmp/qt-1m.db   # keep the index
    python bench/bench_semantic.py --scale 1M --db /tmp/qt-1m.db --reuse

Phases, one process and one run so the figures compare:
(1) the synthetic index (bench/synth.py via bench_verify.build_index; reused with --reuse);
(2) embedding throughput, one thread: real news wordings (the seed corpus's quotations,
    which the product ships) and the synthetic ones, in sentences/s, with the served
    (quantized) model and, for comparison, the shipped one it is derived from;
(3) vectors for every distinct wording of the index: the first --embed wordings are
    embedded for real; embedding all of a 1M index at phase-2 speed takes hours on this
    machine, so the rest get a real sample vector plus noise (unit length). The HNSW
    build, its time, the process's extra RSS and the file on disk are measured on those;
    search cost depends on the count and dimension, not on what the vectors say;
(4) Verify p50/p99 on the same query mix (bench_verify.make_queries) lexical-only and with
    semantic search in each configuration of VARIANTS (embedded inline, ahead from the
    start, once the first candidates miss or once the term counts show the words printed
    nowhere, on 1 or 2 threads, main's served configuration before the last, and as
    served), interleaved in rounds of 50; the same figures over the queries the words
    miss; and how many queries took the semantic path. --assume-spare-core times every
    configuration as if a core were spare (on a busy machine: a measurement only).
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_verify import (  # type: ignore[import-not-found, unused-ignore]
    SCALES,
    build_index,
    make_queries,
    measure_latencies,
    percentile,
)

from quotetrace_server.index.sqlite_store import SqliteStore
from quotetrace_server.ingest.reader import read_articles
from quotetrace_server.semantic.cpu import METER
from quotetrace_server.semantic.encoder import (
    ModelFiles,
    SentenceEncoder,
    installed_model_files,
)
from quotetrace_server.semantic.search import AheadCounts, SemanticSearch, core_spare
from quotetrace_server.semantic.vectors import WordingVectors, vectors_path
from quotetrace_server.verify.model import MatchSignal, Verdict, VerifyResult
from quotetrace_server.verify.verifier import Verifier

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
MAINS = "main's as served"
# The semantic configurations timed beside lexical-only: inline embeds the claim only after
# its words found nothing; ahead embeds it on a spare thread while they are searched,
# started at once, once the first candidates miss (after probe), or as soon as the term
# counts show the claim's words printed nowhere (on counts; Verifier.ahead_on_counts),
# on `ahead_threads` threads, in the helper process (semantic.helper) or on a thread of
# the Verify process (ahead_process False). The defaults of SemanticSearch and Verifier are
# the served configuration; "thread ahead" is the one served before the helper process,
# "main's as served" the same with the encoder and vectors --main-model and --main-vectors
# name (main's, when the encoder changed), "probe, load average" the one served before
# the start on counts.
VARIANTS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("inline, 1 thread", {"embed_ahead": False, "query_threads": 1}),
    ("inline, 2 threads", {"embed_ahead": False, "query_threads": 2}),
    ("ahead at once, 1 thread", {"query_threads": 1, "ahead_after_probe": False}),
    ("after probe, 1 thread", {"query_threads": 1, "ahead_on_counts": False}),
    (
        "probe, load average",
        {
            "ahead_threads": 2,
            "ahead_on_counts": False,
            "core_spare": "load average",
            "ahead_process": False,
        },
    ),
    ("on counts, 1 thread", {"query_threads": 1, "ahead_process": False}),
    ("on counts, ahead on 2", {"ahead_threads": 2, "ahead_process": False}),
    ("thread ahead", {"ahead_process": False}),
    ("helper on 2 threads", {"ahead_threads": 2}),
    (MAINS, {"ahead_process": False}),
    ("as served", {}),
    # Latency only: the claim cut to its first 48 word pieces (the index's vectors are not
    # re-made so; their content does not change what a search costs).
    ("as served, claim cut at 48", {"max_tokens": 48}),
    # A long claim (at least this many word pieces) embedded ahead on entering `ahead`.
    ("as served, long at once 30", {"ahead_at_once_pieces": 30}),
    ("as served, long at once 40", {"ahead_at_once_pieces": 40}),
    # The HNSW search's candidate list shortened (its own reader of the same file).
    ("as served, ef 32", {"expansion_search": 32}),
    ("as served, long at once 30, ef 32", {"ahead_at_once_pieces": 30, "expansion_search": 32}),
)
# Keys of a configuration that are the Verifier's, not SemanticSearch's.
VERIFIER_KEYS = ("ahead_on_counts",)
AS_SERVED = "as served"
# The warm-up queries are drawn with the timed queries' seed plus this.
WARM_SEED_OFFSET = 1_000


def rss_mib() -> float:
    """Current resident set size of this process (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024


def real_sentences() -> list[str]:
    """Sentences of the seed articles (real news prose, as printed)."""
    sentences: list[str] = []
    for article in read_articles([SEEDS]):
        sentences += [s.strip() for s in article.text.replace("\n", " ").split(". ") if s.strip()]
    return [s for s in sentences if len(s.split()) >= 5]


def throughput(encoder: SentenceEncoder, texts: Sequence[str]) -> float:
    started = time.perf_counter()
    encoder.encode(list(texts))
    return len(texts) / (time.perf_counter() - started)


def fill_vectors(
    vectors: WordingVectors, encoder: SentenceEncoder, wordings: list[tuple[int, str]], real: int
) -> tuple[float, float]:
    """Add a vector per wording (the first `real` embedded, the rest sample + noise):
    (seconds spent in the HNSW build, seconds spent embedding)."""
    sample = wordings[:real]
    started = time.perf_counter()
    sample_vectors = encoder.encode([t for _, t in sample])
    embed_s = time.perf_counter() - started
    rng = np.random.default_rng(7)
    build_s = 0.0
    batch = 50_000
    for start in range(0, len(wordings), batch):
        chunk = wordings[start : start + batch]
        picks = sample_vectors[np.arange(start, start + len(chunk)) % len(sample_vectors)]
        noisy = picks + rng.normal(0, 0.05, picks.shape).astype(np.float32)
        if start < real:
            noisy[: max(0, real - start)] = picks[: max(0, real - start)]
        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        began = time.perf_counter()
        vectors.add([h for h, _ in chunk], noisy.astype(np.float32))
        build_s += time.perf_counter() - began
    return build_s, embed_s


def build_vectors(
    path: Path, encoder: SentenceEncoder, wordings: list[tuple[int, str]], real: int
) -> None:
    path.unlink(missing_ok=True)
    vectors = WordingVectors(path, writable=True)
    vectors.use_encoder(encoder.encoder_id)
    before = rss_mib()
    build_s, embed_s = fill_vectors(vectors, encoder, wordings, real)
    extra_rss = rss_mib() - before
    save_started = time.perf_counter()
    vectors.save()
    save_s = time.perf_counter() - save_started
    print(
        f"  vectors: {len(vectors):,} distinct wordings ({real:,} embedded in {embed_s:.1f} s,"
        f" the rest sample + noise); HNSW build {build_s:.1f} s"
        f" ({len(vectors) / build_s:,.0f}/s), save {save_s:.1f} s; writer's extra RSS"
        f" {extra_rss:.0f} MiB; file {path.stat().st_size / 2**20:.0f} MiB"
    )


def semantic_verifier(
    store: SqliteStore,
    vectors: WordingVectors,
    encoder: SentenceEncoder,
    config: dict[str, Any],
    *,
    assume_spare_core: bool = False,
) -> tuple[Verifier, SemanticSearch]:
    """One configuration of VARIANTS over the shared vectors."""
    kw = dict(config)
    verifier_kw = {k: kw.pop(k) for k in VERIFIER_KEYS if k in kw}
    max_tokens = kw.pop("max_tokens", None)
    expansion = kw.pop("expansion_search", None)
    if expansion is not None and vectors.path is not None:
        vectors = WordingVectors(vectors.path, writable=False, expansion_search=int(expansion))
        vectors.use_encoder(encoder.encoder_id)
    if max_tokens is not None:
        encoder = SentenceEncoder(encoder.files, max_tokens=int(max_tokens))
    if kw.get("core_spare") == "load average":
        kw["core_spare"] = load_average_spare
    if assume_spare_core:
        kw["core_spare"] = _always
    chosen = encoder
    space = vectors.encoder_id or encoder.encoder_id
    search = SemanticSearch(vectors, lambda: chosen, encoder_id=lambda: space, **kw)
    return Verifier(store, search, **verifier_kw), search


def main_encoder(model: Path, vectors_file: Path) -> tuple[SentenceEncoder, WordingVectors]:
    """Main's encoder (its derived model file) and the vectors it made, for MAINS."""
    space = Path(f"{vectors_file}.encoder").read_text(encoding="utf-8").strip()
    files = ModelFiles(model, installed_model_files().tokenizer, None, encoder_id=space)
    vectors = WordingVectors(vectors_file, writable=False)
    vectors.use_encoder(space)
    if not len(vectors):
        raise SystemExit(f"{vectors_file} holds no vectors of encoder {space}")
    return SentenceEncoder(files), vectors


def _always() -> bool:
    return True


def load_average_spare() -> bool:
    """The spare-core rule served before semantic.cpu: the 1-minute load average below the
    cores less one half (counts niced work and the caller's own thread as busy)."""
    cores = os.cpu_count() or 1
    return cores > 1 and os.getloadavg()[0] < cores - 0.5


def settle(at_most: float) -> None:
    """Wait (idle) until the 1-minute load average says a core is spare, as served Verify
    checks before embedding ahead or on two threads: after the HNSW build (every core
    busy) the average takes a minute or two to fall, and the configurations would be timed
    as on a busy machine."""
    started = time.monotonic()
    while not core_spare() and time.monotonic() - started < at_most:
        time.sleep(5)
    print(
        f"  waited {time.monotonic() - started:.0f} s for a spare core: load"
        f" {os.getloadavg()[0]:.2f}, core spare: {core_spare()}"
    )


def warm_up_queries(db: Path, timed: Sequence[Any], count: int, seed: int) -> list[Any]:
    """`count` queries of the same mix drawn with another seed, none of whose texts is a
    timed query's: warming on the timed queries would time their second run (the text
    caches of normalize and wording, SQLite's pages of their own candidates)."""
    if count <= 0:
        return []
    taken = {q.query.quote for q in timed}
    drawn = make_queries(db, count + len(timed), seed + WARM_SEED_OFFSET)
    return [q for q in drawn if q.query.quote not in taken][:count]


def read_once(paths: Sequence[Path]) -> None:
    """Read each file through once, so that the timed queries find its pages in the page
    cache as a served index's are (not first touches of a cold file)."""
    started = time.perf_counter()
    size = 0
    for path in paths:
        with path.open("rb") as f:
            while chunk := f.read(8 << 20):
                size += len(chunk)
    took = time.perf_counter() - started
    print(f"  read {size / 2**20:,.0f} MiB of index and vectors in {took:.1f} s")


def _cores(busy: float | None) -> str:
    return "unknown" if busy is None else f"{busy:.2f}"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _latency_line(name: str, latencies: Sequence[float], missed: Sequence[float]) -> str:
    line = (
        f"  verify {name:29s} p50 {_ms(percentile(latencies, 50))},"
        f" p99 {_ms(percentile(latencies, 99))}, mean {_ms(statistics.fmean(latencies))}"
    )
    if missed:
        line += (
            f"; missed p50 {_ms(percentile(missed, 50))}, p90 {_ms(percentile(missed, 90))},"
            f" max {_ms(max(missed))}"
        )
    return line


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scale", default="100k", help="10k, 100k, 1M or a number of quotes")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--embed", type=int, default=5_000, help="wordings embedded for real")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", type=Path, help="index file (default: a temporary one)")
    parser.add_argument("--reuse", action="store_true", help="use --db as already built")
    parser.add_argument(
        "--reuse-vectors", action="store_true", help="use --db's vectors file as already built"
    )
    parser.add_argument(
        "--skip-throughput", action="store_true", help="no embedding throughput phase"
    )
    parser.add_argument(
        "--variants",
        help="semicolon-separated semantic configurations to time (default: all of VARIANTS)",
    )
    parser.add_argument(
        "--build-only", action="store_true", help="stop once the vectors file is built"
    )
    parser.add_argument(
        "--assume-spare-core",
        action="store_true",
        help="every configuration acts as if a core were spare (a measurement on a busy"
        " machine: what embedding ahead and 2 threads would do, not what is served there)",
    )
    parser.add_argument(
        "--main-model",
        type=Path,
        help=f"the derived model file of main's encoder, for the variant {MAINS!r}",
    )
    parser.add_argument(
        "--main-vectors", type=Path, help="the vectors file main's encoder made (same index)"
    )
    parser.add_argument(
        "--warm",
        type=int,
        default=300,
        help="queries (drawn apart from the timed ones) run through each configuration"
        " before timing: a served index is warm",
    )
    parser.add_argument(
        "--read-files",
        action="store_true",
        help="read the index and vectors files once before timing (into the page cache)",
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=180.0,
        help="seconds to wait at most for a core to be spare before timing Verify",
    )
    args = parser.parse_args(argv)
    quotes = SCALES.get(args.scale) or int(args.scale)
    tmp = tempfile.TemporaryDirectory(prefix="qt-bench-semantic-")
    db = args.db or Path(tmp.name) / "index.db"
    if not args.reuse:
        if db.exists():
            raise SystemExit(f"{db} exists; pass --reuse to use it")
        build_s, _ = build_index(db, quotes, args.seed, "bulk")
        print(f"index of {quotes:,} synthetic quotations built in {build_s:.0f} s")
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        quotes = int(conn.execute("SELECT COUNT(*) FROM quotes").fetchone()[0])
    print(f"scale {quotes:,} quotations; index file {db.stat().st_size / 2**20:.0f} MiB")

    store = SqliteStore(db)
    before_model = rss_mib()
    encoder = SentenceEncoder()
    model_rss = rss_mib() - before_model
    wordings = store.speech_wordings()
    print(f"  encoder {encoder.encoder_id} ({encoder.files.model})")
    if not args.skip_throughput:
        news = real_sentences()
        synthetic = [t for _, t in wordings[:1_000]]
        # The shipped model as it was served: 32 texts a run (its float32 products give a
        # text the same vector in any batch).
        shipped = SentenceEncoder(installed_model_files(), batch=32)
        for name, model in (("served", encoder), ("shipped", shipped)):
            print(
                f"  embedding, one thread, {name} model: real news sentences"
                f" {throughput(model, news):.0f}/s ({len(news)} sentences), synthetic"
                f" wordings {throughput(model, synthetic):.0f}/s"
            )
        print(f"  model RSS {model_rss:.0f} MiB")
        del shipped

    path = vectors_path(db)
    if args.reuse_vectors and path.is_file():
        print(f"  vectors: reused {path} ({path.stat().st_size / 2**20:.0f} MiB)")
    else:
        build_vectors(path, encoder, wordings, min(args.embed, len(wordings)))

    if args.build_only:
        store.close()
        return 0
    queries = make_queries(db, args.queries, args.seed)
    warm = warm_up_queries(db, queries, args.warm, args.seed)
    if args.read_files:
        read_once([db, path])
    settle(args.settle)
    vectors = WordingVectors(path, writable=False)
    vectors.use_encoder(encoder.encoder_id)
    if not len(vectors):
        raise SystemExit(f"{path} holds no vectors of encoder {encoder.encoder_id}")
    print(f"  vectors of encoder {vectors.encoder_id}: {len(vectors):,}")
    chosen = [AS_SERVED, *args.variants.split(";")] if args.variants else [n for n, _ in VARIANTS]
    unknown = set(chosen) - {n for n, _ in VARIANTS}
    if unknown:
        raise SystemExit(f"unknown variants: {', '.join(sorted(unknown))}")
    theirs = (
        main_encoder(args.main_model, args.main_vectors)
        if args.main_model and args.main_vectors
        else (encoder, vectors)
    )
    made = {
        name: semantic_verifier(
            store,
            theirs[1] if name == MAINS else vectors,
            theirs[0] if name == MAINS else encoder,
            kw,
            assume_spare_core=args.assume_spare_core,
        )
        for name, kw in VARIANTS
        if name in chosen
    }
    for name, (_, search) in made.items():
        if search.uses_helper and not search.helper_ready(60.0):
            print(f"  {name}: the embedding helper process did not start")
    searches = {name: search for name, (_, search) in made.items()}
    verifiers = {"lexical-only": Verifier(store)} | {
        name: verifier for name, (verifier, _) in made.items()
    }
    for verifier in verifiers.values():
        measure_latencies(verifier.verify, warm)
    print(
        f"  warmed each configuration with {len(warm)} queries none of the timed ones"
        f" (seed {args.seed + WARM_SEED_OFFSET}); the spare-core meter now: other processes"
        f" busy {_cores(METER.others_busy())} cores, core spare: {core_spare()}"
    )
    for search in searches.values():
        search.ahead_counts = AheadCounts()
    before_reader = rss_mib()
    # Interleaved rounds, so a neighbour's burst of load falls on each configuration alike.
    latencies: dict[str, list[float]] = {name: [] for name in verifiers}
    answers: dict[str, list[object]] = {name: [] for name in verifiers}
    for start in range(0, len(queries), 50):
        chunk = queries[start : start + 50]
        for name, verifier in verifiers.items():
            took, got = measure_latencies(verifier.verify, chunk)
            latencies[name] += took
            answers[name] += got
    reader_rss = rss_mib() - before_reader
    load = os.getloadavg()[0]
    missed = [
        i
        for i, a in enumerate(answers["lexical-only"])
        if isinstance(a, VerifyResult) and a.verdict is Verdict.NOT_FOUND
    ]
    print(
        f"  verify, {len(queries)} queries (the bench_verify mix), same run, interleaved;"
        f" {len(missed)} not found by words (the 'missed' columns); load {load:.2f}:"
    )
    for name, took in latencies.items():
        print(_latency_line(name, took, [took[i] for i in missed]))
    served = latencies[AS_SERVED]
    by_meaning = sum(
        isinstance(a, VerifyResult) and a.match_signal is MatchSignal.SEMANTIC
        for a in answers[AS_SERVED]
    )
    differ = [name for name in searches if answers[name] != answers[AS_SERVED]]
    print(
        f"    as served = {AS_SERVED!r}; p99 ratio as served / lexical-only"
        f" {percentile(served, 99) / percentile(latencies['lexical-only'], 99):.2f};"
        f" {by_meaning} answers found by meaning; answers that differ from as served:"
        f" {', '.join(differ) or 'none'}; reader's RSS grew {reader_rss:.0f} MiB"
        " (the vectors file is memory-mapped)"
    )
    for name, search in searches.items():
        c = search.ahead_counts
        print(
            f"    {name}: ahead {c.started} started ({c.in_process} in the helper process,"
            f" {c.at_once} at once as long),"
            f" {c.used} used, {c.stopped} stopped"
            f" (waited {c.stop_wait_seconds * 1000:.0f} ms in all), {c.busy} thread busy,"
            f" {c.no_spare_core} no core spare; {c.multi_threaded} embeddings on"
            f" several threads; waited for vectors ahead {c.vector_wait_seconds * 1000:.0f} ms"
            f" in all, {c.vector_wait_max * 1000:.1f} ms at most"
        )
    store.close()
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
