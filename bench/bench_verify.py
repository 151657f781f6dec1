"""Benchmark Verify: index build time, latency p50/p99, peak RSS, and the naive baseline.

    python bench/bench_verify.py                      # 10k quotations (quick)
    python bench/bench_verify.py --scale 100k
    python bench/bench_verify.py --scale 1M --naive-queries 10
    python bench/bench_verify.py --ingest add         # the per-article API instead of bulk
    python bench/bench_verify.py --scale 20000 --postgres temp   # and the same on PostgreSQL

With --postgres (a postgresql:// URL of an empty database, or ``temp`` for a throwaway
server started from Debian's binaries, as the tests do), the same corpus is built into
PostgreSQL too and the same queries are timed on it, in the same run. A large build can
happen apart from the timing: ``--build-only`` builds and prints the build figures;
``--postgres-data DIR`` keeps the throwaway server's files in DIR, and a later run with
``--db FILE --reuse --postgres temp --postgres-data DIR`` times both kept indexes.

Phases: (1) a child process generates the seeded synthetic corpus (bench/synth.py) and
indexes it through the store (``bulk_add`` by default, ``add_article`` with --ingest add);
its wall time and peak RSS are the build figures. (2) This process opens the index and
times ``Verifier.verify`` on a query mix (exact, truncated, typo, reworded, wrong speaker,
absent); its peak RSS before phase 3 is the serving figure. (3) The naive baseline:
rapidfuzz ``process.extract`` (WRatio, rapidfuzz's default scorer for mixed-length
strings, top 10) over every quotation, on a subset of the queries; the speed ratio compares
mean latencies on the same queries.

``measure_latencies(call, queries, concurrency)`` takes any callable, so a gRPC client's
Verify can be timed with the same queries: bench/bench_grpc.py does that over loopback.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import SynthConfig, SyntheticCorpus  # type: ignore[import-not-found, unused-ignore]

from quotetrace_server.entities.normalize import normalize
from quotetrace_server.index.sql.dialect import Dialect
from quotetrace_server.index.sql.postgres_database import is_postgres_url
from quotetrace_server.index.sql.records import QUOTE_TEXT, quote_norm
from quotetrace_server.index.sql.store import SqlStore
from quotetrace_server.index.sqlite_store import SqliteStore
from quotetrace_server.index.stores import open_store
from quotetrace_server.verify.model import VerifyQuery, VerifyResult
from quotetrace_server.verify.verifier import Verifier

SCALES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
QUERY_MIX = (
    ("exact", 0.3),
    ("truncated", 0.2),
    ("typo", 0.15),
    ("reworded", 0.1),
    ("wrong_speaker", 0.1),
    ("absent", 0.15),
)


@dataclass(frozen=True)
class BenchQuery:
    kind: str
    query: VerifyQuery
    source_utterance: str | None  # the utterance it was made from; None for absent


def _build(db: str, quotes: int, seed: int, ingest: str) -> None:
    corpus = SyntheticCorpus(SynthConfig(quotes=quotes, seed=seed))
    store = open_store(db)
    if ingest == "bulk":
        store.bulk_add(corpus.articles())
    else:
        for article, attributed in corpus.articles():
            store.add_article(article, attributed)
    store.close()


def build_index(db: Path | str, quotes: int, seed: int, ingest: str) -> tuple[float, float]:
    """Index the synthetic corpus in a child process: (seconds, child peak RSS in MiB)."""
    ctx = multiprocessing.get_context("fork")
    started = time.perf_counter()
    child = ctx.Process(
        target=_build, args=(db if isinstance(db, str) else str(db), quotes, seed, ingest)
    )
    child.start()
    child.join()
    if child.exitcode != 0:
        raise SystemExit(f"index build failed (exit {child.exitcode})")
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, peak_kib / 1024


def make_queries(db: Path | str, n: int, seed: int) -> list[BenchQuery]:
    """A seeded query mix drawn from the indexed quotations (read straight from the file,
    or from the PostgreSQL database a URL names)."""
    rng = random.Random(seed)
    synth = SyntheticCorpus(SynthConfig(quotes=0, seed=seed + 1))
    conn = _read_only(db)
    (max_id,) = conn.execute("SELECT MAX(id) FROM quotes").fetchone()
    speakers = [r[0] for r in conn.execute("SELECT name FROM speakers LIMIT 2000")]
    kinds = [k for k, _ in QUERY_MIX]
    weights = [w for _, w in QUERY_MIX]
    queries: list[BenchQuery] = []
    while len(queries) < n:
        kind = rng.choices(kinds, weights=weights, k=1)[0]
        if kind == "absent":
            text = " ".join(synth.words(rng.randint(6, 20)))
            queries.append(BenchQuery(kind, VerifyQuery(text), None))
            continue
        row = conn.execute(
            f"SELECT {QUOTE_TEXT}, q.utterance, s.name FROM quotes q"
            " JOIN articles a ON a.id = q.article LEFT JOIN speakers s"
            " ON s.id = q.speaker WHERE q.id = ?",
            (rng.randint(1, max_id),),
        ).fetchone()
        if row is None or len(row[0].split()) < 6:
            continue
        text, utterance, speaker = row[0], f"ut{row[1]}", row[2]
        tokens = text.split()
        claimed = speaker
        if kind == "truncated":
            start = rng.randrange(0, len(tokens) // 3 + 1)
            text = " ".join(tokens[start : start + max(4, len(tokens) // 2)])
        elif kind == "typo":
            text = synth.typo(text)
        elif kind == "reworded":
            tokens[rng.randrange(len(tokens))] = synth.words(1)[0]
            text = " ".join(tokens)
        elif kind == "wrong_speaker":
            claimed = rng.choice([s for s in speakers if s != speaker] or ["Nobody"])
        queries.append(BenchQuery(kind, VerifyQuery(text, claimed), utterance))
    conn.close()
    return queries


class _PostgresReader:
    """A PostgreSQL connection read with SQLite's ``?`` placeholders."""

    def __init__(self, url: str) -> None:
        import psycopg

        from quotetrace_server.index.sql.database import Connection
        from quotetrace_server.index.sql.dialect import PostgresDialect

        self._raw = psycopg.connect(url, autocommit=True)
        self._conn = Connection(self._raw, PostgresDialect())

    def execute(self, sql: str, params: Sequence[object] = ()) -> Any:
        return self._conn.execute(sql, params)

    def close(self) -> None:
        self._raw.close()


def _read_only(db: Path | str) -> Any:
    if isinstance(db, str) and is_postgres_url(db):
        return _PostgresReader(db)
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True)


def measure_latencies(
    call: Callable[[VerifyQuery], object], queries: Sequence[BenchQuery], concurrency: int = 1
) -> tuple[list[float], list[object]]:
    """Per-call wall latencies in seconds (and the answers), ``concurrency`` callers at once."""

    def timed(q: BenchQuery) -> tuple[float, object]:
        started = time.perf_counter()
        answer = call(q.query)
        return time.perf_counter() - started, answer

    if concurrency <= 1:
        pairs = [timed(q) for q in queries]
    else:
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            pairs = list(pool.map(timed, queries))
    return [p[0] for p in pairs], [p[1] for p in pairs]


def percentile(values: Sequence[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def naive_baseline(db: Path, queries: Sequence[BenchQuery]) -> tuple[list[float], float]:
    """rapidfuzz over every quotation: latencies, and the share finding the source utterance."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = conn.execute(
        f"SELECT {quote_norm(Dialect())}, q.utterance FROM quotes q"
        " JOIN articles a ON a.id = q.article WHERE q.kind != 'term'"
    ).fetchall()
    conn.close()
    choices = [r[0] for r in rows]
    latencies: list[float] = []
    found = 0
    with_source = 0
    for q in queries:
        started = time.perf_counter()
        best = process.extract(normalize(q.query.quote), choices, scorer=fuzz.WRatio, limit=10)
        latencies.append(time.perf_counter() - started)
        if q.source_utterance is not None:
            with_source += 1
            found += bool(best) and f"ut{rows[best[0][2]][1]}" == q.source_utterance
    return latencies, found / with_source if with_source else 0.0


def clustering_check(quotes: int, seed: int) -> tuple[float, float, float]:
    """Pairwise precision/recall/F1 of ``add_article`` clustering against the synthetic
    reprint ground truth (which saying each printed quotation reprints)."""
    corpus = SyntheticCorpus(SynthConfig(quotes=quotes, seed=seed))
    store = SqliteStore(":memory:")
    for article, attributed in corpus.articles():
        store.add_article(article, attributed)
    stored, _ = store.list_quotes(limit=quotes)
    by_origin: dict[int, list[int]] = {}
    by_utterance: dict[str, list[int]] = {}
    for i, (origin, q) in enumerate(zip(corpus.origins, stored, strict=True)):
        by_origin.setdefault(origin, []).append(i)
        by_utterance.setdefault(q.utterance_id or f"none{i}", []).append(i)

    def pairs(groups: dict[object, list[int]]) -> set[tuple[int, int]]:
        return {(a, b) for g in groups.values() for a in g for b in g if a < b}

    gold = pairs(dict(by_origin.items()))
    predicted = pairs(dict(by_utterance.items()))
    right = len(gold & predicted)
    precision = right / len(predicted) if predicted else 1.0
    recall = right / len(gold) if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def time_verify(store: SqlStore, queries: Sequence[BenchQuery], concurrency: int) -> list[float]:
    """Time Verify on the store and print p50/p99, recall and the figures by query kind."""
    verifier = Verifier(store)
    measure_latencies(verifier.verify, queries[:20])  # warm the page cache
    latencies, answers = measure_latencies(verifier.verify, queries, concurrency)
    print(
        f"  verify ({len(queries)} queries, concurrency {concurrency}):"
        f" p50 {_ms(percentile(latencies, 50))}, p99 {_ms(percentile(latencies, 99))},"
        f" mean {_ms(statistics.fmean(latencies))}"
    )
    print(f"  verify found the source utterance: {_recall(queries, answers):.3f}")
    by_kind: dict[str, list[float]] = {}
    for q, seconds in zip(queries, latencies, strict=True):
        by_kind.setdefault(q.kind, []).append(seconds)
    for kind, values in sorted(by_kind.items()):
        print(
            f"    {kind:14s} n={len(values):4d} p50 {_ms(percentile(values, 50))}"
            f" p99 {_ms(percentile(values, 99))}"
        )
    return latencies


def on_postgres(
    where: str, quotes: int, args: argparse.Namespace, queries: Sequence[BenchQuery]
) -> None:
    """Build the same corpus into PostgreSQL and time the same queries on it. The ids
    match SQLite's (a fresh database, the same insertion order), so recall compares.
    With ``--postgres temp --postgres-data DIR`` the server's files stay in DIR, and a
    later run finds the database built there and times it again without building."""
    server = None
    built = False
    if where == "temp":
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from tests.postgres import ThrowawayPostgres, postgres_bin

        bindir = postgres_bin()
        if bindir is None:
            raise SystemExit("--postgres temp: no PostgreSQL binaries (initdb)")
        server = ThrowawayPostgres(bindir, args.postgres_data, args.postgres_setting)
        server.start()
        if args.postgres_data is None:
            where = server.new_database()
        else:
            where = server.url("quotetrace", _KEPT_SCHEMA)
            built = _kept_schema(server.url("quotetrace"))
    try:
        print(f"postgresql, the same {quotes:,} quotations and queries")
        if built:
            print(f"  build: (database kept in {args.postgres_data} reused)")
        else:
            build_s, build_rss = build_index(where, quotes, args.seed, args.ingest)
            print(
                f"  build: {build_s:.1f} s ({quotes / build_s:,.0f} quotes/s),"
                f" peak RSS {build_rss:.0f} MiB (the client; the server's own work not counted)"
            )
        store = open_store(where)
        with store._reading() as conn:
            (size,) = conn.execute(
                "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n"
                " ON n.oid = c.relnamespace WHERE n.nspname = current_schema()"
                " AND c.relkind = 'r'"
            ).fetchone()
        print(f"  tables with their indexes: {int(size) / 2**20:.0f} MiB")
        if queries:
            time_verify(store, queries, args.concurrency)
        store.close()
    finally:
        if server is not None:
            server.stop(remove=args.postgres_data is None)


# The schema a kept server's database is built in (--postgres-data).
_KEPT_SCHEMA = "bench"


def _kept_schema(url: str) -> bool:
    """Whether the kept server holds a built index already (made empty when absent)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA IF NOT EXISTS {_KEPT_SCHEMA}")
        row = conn.execute(f"SELECT to_regclass('{_KEPT_SCHEMA}.quotes')").fetchone()
        if row is None or row[0] is None:
            return False
        return conn.execute(f"SELECT 1 FROM {_KEPT_SCHEMA}.quotes LIMIT 1").fetchone() is not None


def _recall(queries: Sequence[BenchQuery], answers: Sequence[object]) -> float:
    hits = [
        isinstance(a, VerifyResult) and a.utterance_id == q.source_utterance
        for q, a in zip(queries, answers, strict=True)
        if q.source_utterance is not None
    ]
    return sum(hits) / len(hits) if hits else 0.0


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scale", default="10k", help="10k, 100k, 1M or a number of quotes")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--naive-queries", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--ingest", choices=("bulk", "add"), default="bulk")
    parser.add_argument("--db", type=Path, help="index file (default: a temporary one)")
    parser.add_argument("--reuse", action="store_true", help="use --db as already built")
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="also build and time the same on PostgreSQL: an empty database's URL, or 'temp'",
    )
    parser.add_argument(
        "--postgres-data",
        type=Path,
        metavar="DIR",
        help="with --postgres temp: keep the server's files in DIR; a later run reuses the"
        " database built there",
    )
    parser.add_argument(
        "--postgres-setting",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="with --postgres temp: a server setting (repeatable), e.g. shared_buffers=2GB",
    )
    parser.add_argument(
        "--build-only",
        action="store_true",
        help="build (what --reuse and a kept database do not hold already), print the build"
        " figures, time no queries",
    )
    parser.add_argument(
        "--cluster-check",
        type=int,
        metavar="N",
        help="only measure add_article clustering on N synthetic quotations, then exit",
    )
    args = parser.parse_args(argv)
    if args.cluster_check:
        started = time.perf_counter()
        p, r, f = clustering_check(args.cluster_check, args.seed)
        seconds = time.perf_counter() - started
        print(
            f"clustering of {args.cluster_check:,} synthetic quotations via add_article"
            f" ({args.cluster_check / seconds:,.0f} quotes/s): pairwise P {p:.3f} R {r:.3f}"
            f" F1 {f:.3f}"
        )
        return 0
    quotes = SCALES.get(args.scale) or int(args.scale)
    tmp = tempfile.TemporaryDirectory(prefix="qt-bench-")
    db = args.db or Path(tmp.name) / "index.db"
    if args.build_only:
        if not args.reuse:
            _sqlite_part(db, quotes, args, build_only=True)
        if args.postgres:
            on_postgres(args.postgres, quotes, args, [])
        tmp.cleanup()
        return 0
    quotes, latencies, queries = _sqlite_part(db, quotes, args)
    if args.postgres:
        on_postgres(args.postgres, quotes, args, queries)

    if args.naive_queries > 0:
        subset = queries[: args.naive_queries]
        naive, naive_recall = naive_baseline(db, subset)
        ours = statistics.fmean(latencies[: len(subset)])
        print(
            f"  naive rapidfuzz over all quotes ({len(subset)} queries): mean"
            f" {_ms(statistics.fmean(naive))}, p50 {_ms(percentile(naive, 50))};"
            f" found source {naive_recall:.3f}"
        )
        ratio = statistics.fmean(naive) / ours
        print(f"  speed ratio (naive mean / verify mean, same queries): {ratio:,.0f}x")
    tmp.cleanup()
    return 0


def _sqlite_part(
    db: Path, quotes: int, args: argparse.Namespace, *, build_only: bool = False
) -> tuple[int, list[float], list[BenchQuery]]:
    """Build (unless --reuse) and time the SQLite index: (quotations, latencies, queries)."""
    if args.reuse:
        build_s, build_rss = float("nan"), float("nan")
    else:
        if db.exists():
            raise SystemExit(f"{db} exists; pass --reuse to use it")
        build_s, build_rss = build_index(db, quotes, args.seed, args.ingest)
    if args.reuse:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            quotes = int(conn.execute("SELECT COUNT(*) FROM quotes").fetchone()[0])
    print(f"scale {quotes:,} quotations, ingest={args.ingest}")
    if args.reuse:
        print("  build: (index reused)")
    else:
        print(
            f"  build: {build_s:.1f} s ({quotes / build_s:,.0f} quotes/s),"
            f" peak RSS {build_rss:.0f} MiB"
        )
    print(f"  index file: {db.stat().st_size / 2**20:.0f} MiB (+ WAL)")
    if build_only:
        return quotes, [], []
    queries = make_queries(db, args.queries, args.seed)
    store = SqliteStore(db)
    latencies = time_verify(store, queries, args.concurrency)
    serve_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  serving peak RSS: {serve_rss:.0f} MiB")
    store.close()
    return quotes, latencies, queries


if __name__ == "__main__":
    raise SystemExit(main())
