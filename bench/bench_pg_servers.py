"""Benchmark stateless servers on one PostgreSQL: 16 concurrent clients against one
`quotetrace-server serve --db postgresql://…` process, then against two, same run.

    python bench/bench_pg_servers.py                       # 20k quotations, throwaway server
    python bench/bench_pg_servers.py --scale 100k --postgres postgresql://…/empty_db

Builds the synthetic corpus (bench_verify's builder, bulk path) into a throwaway
PostgreSQL (``--postgres temp``, the tests' initdb/pg_ctl server) or an empty database,
then starts one server and times the same queries from ``--clients`` client threads (each
its own channel), then starts a second server on the same database and times them again,
the threads spread over the servers (thread i calls server i mod 2), as a load balancer
would. Prints throughput (Verify/s), p50/p99, the CPU the servers, PostgreSQL and the
clients used per call, and the load average: client, servers and PostgreSQL all share
this machine's cores, so on a machine with few cores the second server adds little.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_grpc import cpu_seconds, own_cpu_seconds
from bench_verify import (
    SCALES,
    BenchQuery,
    build_index,
    make_queries,
    measure_latencies,
    percentile,
)

from quotetrace_client import QuoteTraceClient, claim_request
from quotetrace_server.verify.model import VerifyQuery
from tests.postgres import ThrowawayPostgres, postgres_bin
from tests.serverproc import ServerProcess


class SpreadClients:
    """One client (one channel) per calling thread; the threads are dealt round the
    servers in the order they first call."""

    def __init__(self, targets: Sequence[str]) -> None:
        self.targets = list(targets)
        self.local = threading.local()
        self.all: list[QuoteTraceClient] = []
        self.lock = threading.Lock()

    def verify(self, query: VerifyQuery) -> object:
        client = getattr(self.local, "client", None)
        if client is None:
            with self.lock:
                target = self.targets[len(self.all) % len(self.targets)]
                client = QuoteTraceClient(target, timeout=120)
                self.all.append(client)
            self.local.client = client
        return client.verify_request(claim_request(query.quote, query.claimed_speaker))

    def close(self) -> None:
        for client in self.all:
            client.close()


@contextmanager
def database(where: str) -> Iterator[tuple[str, int | None]]:
    """(URL of an empty index, the PostgreSQL server's pid when it is ours)."""
    if where != "temp":
        yield where, None
        return
    bindir = postgres_bin()
    if bindir is None:
        raise SystemExit("--postgres temp: no PostgreSQL binaries (initdb)")
    server = ThrowawayPostgres(bindir)
    server.start()
    try:
        pid = int((server.data / "postmaster.pid").read_text().split()[0])
        yield server.new_database(), pid
    finally:
        server.stop()


def run_round(
    label: str,
    servers: Sequence[ServerProcess],
    postgres_pid: int | None,
    queries: Sequence[BenchQuery],
    warmup: Sequence[BenchQuery],
    concurrency: int,
) -> None:
    clients = SpreadClients([s.target for s in servers])
    measure_latencies(clients.verify, warmup, concurrency)
    pids = [s.process.pid for s in servers if s.process is not None]
    before = (
        sum(cpu_seconds(p) for p in pids),
        cpu_seconds(postgres_pid) if postgres_pid else 0.0,
        own_cpu_seconds(),
    )
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    latencies, _ = measure_latencies(clients.verify, queries, concurrency)
    wall = time.perf_counter() - started
    after = (
        sum(cpu_seconds(p) for p in pids),
        cpu_seconds(postgres_pid) if postgres_pid else 0.0,
        own_cpu_seconds(),
    )
    clients.close()
    servers_cpu, pg_cpu, client_cpu = (b - a for a, b in zip(before, after, strict=True))
    n = len(queries)
    print(
        f"  {label:<10} {n / wall:7.1f} Verify/s   p50 {percentile(latencies, 50) * 1000:7.2f} ms"
        f"   p99 {percentile(latencies, 99) * 1000:7.2f} ms   ({n} queries, {concurrency} clients,"
        f" {wall:.1f} s)"
    )
    pg = f"{pg_cpu / n * 1000:.2f} ms" if postgres_pid else "(not ours: not counted)"
    print(
        f"             CPU per call: servers {servers_cpu / n * 1000:.2f} ms, PostgreSQL {pg},"
        f" clients {client_cpu / n * 1000:.2f} ms;  load average {load_before:.2f} ->"
        f" {os.getloadavg()[0]:.2f}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scale", default="20000", help="10k, 100k, 1M or a number of quotes")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=200, help="other queries run first")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--postgres", default="temp", help="an empty database's URL, or 'temp' (default)"
    )
    args = parser.parse_args(argv)
    quotes = SCALES.get(args.scale) or int(args.scale)
    logs = tempfile.TemporaryDirectory(prefix="qt-bench-pg-")
    with database(args.postgres) as (url, postgres_pid):
        seconds, _ = build_index(url, quotes, args.seed, "bulk")
        print(f"built {quotes:,} quotations into PostgreSQL in {seconds:.1f} s")
        queries = make_queries(url, args.queries, args.seed)
        warmup = make_queries(url, args.warmup, args.seed + 1)
        print(f"{args.clients} client threads, {len(queries)} queries, {os.cpu_count()} cores")
        with ExitStack() as stack:
            servers: list[ServerProcess] = []
            for count in (1, 2):
                while len(servers) < count:
                    log = Path(logs.name) / f"server{len(servers) + 1}.log"
                    servers.append(stack.enter_context(ServerProcess(url, log=log)))
                label = "1 server" if count == 1 else f"{count} servers"
                run_round(label, servers, postgres_pid, queries, warmup, args.clients)
    logs.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
