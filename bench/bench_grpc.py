"""Benchmark Verify over gRPC on loopback, against in-process Verify on the same index and queries.

    python bench/bench_grpc.py                          # 10k quotations (quick)
    python bench/bench_grpc.py --scale 1M --db /tmp/qt-1m.db [--reuse]

Builds (or reuses) a synthetic index with bench_verify's builder, times in-process
``Verifier.verify`` (the baseline), then starts ``quotetrace-server serve`` on that index
as a separate process and times the same queries through the client library with 1 and
16 concurrent clients (each its own channel). Prints p50/p99, throughput, the ratio to
the in-process figures, the CPU each call cost the server and the clients, and the
server's peak RSS. Each side is first warmed with a different set of queries. Client
and server share this machine's cores, so the 16-client figures include client-side CPU.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_verify import (
    SCALES,
    build_index,
    make_queries,
    measure_latencies,
    percentile,
)

from quotetrace_client import QuoteTraceClient, claim_request
from quotetrace_server.index.sqlite_store import SqliteStore
from quotetrace_server.verify.model import VerifyQuery
from quotetrace_server.verify.verifier import Verifier
from tests.serverproc import ServerProcess


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.2f} ms"


def cpu_seconds(pid: int) -> float:
    """User+system CPU time of a running process plus its children (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    total = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return total + sum(cpu_seconds(int(child)) for child in children)


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_rss_mib(pid: int) -> float:
    """VmHWM (Linux) of a running process plus its children (the serving processes), in MiB."""
    total = 0.0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            total += int(line.split()[1]) / 1024
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return total + sum(peak_rss_mib(int(child)) for child in children)


class ThreadClients:
    """One client (one channel) per calling thread, like independent callers."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.local = threading.local()
        self.all: list[QuoteTraceClient] = []
        self.lock = threading.Lock()

    def verify(self, query: VerifyQuery) -> object:
        client = getattr(self.local, "client", None)
        if client is None:
            client = QuoteTraceClient(self.target, timeout=60)
            self.local.client = client
            with self.lock:
                self.all.append(client)
        return client.verify_request(claim_request(query.quote, query.claimed_speaker))

    def close(self) -> None:
        for client in self.all:
            client.close()


def report(label: str, latencies: Sequence[float], wall: float, base: tuple[float, float]) -> None:
    p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
    print(
        f"  {label:<22} p50 {ms(p50)}  p99 {ms(p99)}  {len(latencies) / wall:8.0f} calls/s"
        f"   ×{p50 / base[0]:.1f} / ×{p99 / base[1]:.1f} of in-process p50/p99"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scale", default="10k", help="10k, 100k, 1M or a number of quotes")
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=800, help="other queries run first")
    parser.add_argument("--clients", default="1,16", help="comma-separated concurrency levels")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", type=Path, help="index file (default: a temporary one)")
    parser.add_argument("--reuse", action="store_true", help="use --db as already built")
    parser.add_argument(
        "--processes", type=int, default=1, help="serve --processes: Verify worker processes"
    )
    args = parser.parse_args(argv)
    quotes = SCALES.get(args.scale) or int(args.scale)
    tmp = tempfile.TemporaryDirectory(prefix="qt-bench-grpc-")
    db = args.db or Path(tmp.name) / "index.db"
    if not args.reuse:
        if db.exists():
            raise SystemExit(f"{db} exists; pass --reuse to use it")
        seconds, _ = build_index(db, quotes, args.seed, "bulk")
        print(f"built {quotes:,} quotations in {seconds:.1f} s")

    queries = make_queries(db, args.queries, args.seed)
    # Other queries warm each side first: every server process has its own SQLite
    # connection and page cache, which a long-running server has long since filled.
    warmup = make_queries(db, args.warmup, args.seed + 1)
    store = SqliteStore(db)
    verifier = Verifier(store)
    measure_latencies(verifier.verify, warmup)
    started = time.perf_counter()
    local, _ = measure_latencies(verifier.verify, queries)
    local_wall = time.perf_counter() - started
    store.close()
    base = (percentile(local, 50), percentile(local, 99))
    print(f"index {db} — {len(queries)} queries (mix of exact/truncated/typo/reworded/absent)")
    report("in-process, 1 caller", local, local_wall, base)

    if args.processes > 1:
        print(f"server: one gRPC process, {args.processes} Verify worker processes")
    else:
        print("server: one process, Verify on its event loop")
    flags = ("--processes", str(args.processes))
    with ServerProcess(db, *flags) as server:
        for concurrency in (int(c) for c in args.clients.split(",")):
            clients = ThreadClients(server.target)
            measure_latencies(clients.verify, warmup, concurrency)
            assert server.process is not None
            server_cpu, client_cpu = cpu_seconds(server.process.pid), own_cpu_seconds()
            started = time.perf_counter()
            remote, _ = measure_latencies(clients.verify, queries, concurrency)
            wall = time.perf_counter() - started
            server_cpu = cpu_seconds(server.process.pid) - server_cpu
            client_cpu = own_cpu_seconds() - client_cpu
            clients.close()
            report(f"gRPC, {concurrency} client(s)", remote, wall, base)
            print(
                f"    mean {ms(statistics.fmean(remote))};  CPU per call: server"
                f" {ms(server_cpu / len(queries))}, clients {ms(client_cpu / len(queries))}"
            )
        assert server.process is not None
        print(f"  server peak RSS (all processes): {peak_rss_mib(server.process.pid):.0f} MiB")
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
