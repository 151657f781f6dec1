"""Benchmark the desk's web page against gRPC Verify on the same server, index and queries.

    python bench/bench_web.py                  # 10k synthetic quotations, 500 queries

Builds a synthetic index with bench_verify's builder, starts ``quotetrace-server serve
--http-port --lexical-only`` on it as a separate process, and times the same queries, one
caller at a time: through the gRPC client (the baseline), and over one kept-alive HTTP
connection as the page (``GET /?q=…&speaker=…``: Verify plus rendering) and as the
ClaimReview download (Verify plus the JSON-LD). Prints p50/p99 and the ratio of each to
the gRPC figures. The sides take turns query by query, after a warm-up on other queries.
"""

from __future__ import annotations

import argparse
import http.client
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_verify import SCALES, BenchQuery, build_index, make_queries, percentile

from quotetrace_client import QuoteTraceClient, claim_request
from quotetrace_server.verify.model import VerifyQuery
from tests.serverproc import ServerProcess, free_port


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.2f} ms"


def timed_interleaved(
    sides: dict[str, Callable[[VerifyQuery], object]], queries: Sequence[BenchQuery]
) -> dict[str, list[float]]:
    """Each query through every side in turn (the first side rotating), so that a change
    in the machine's load during the run weighs on every side alike."""
    latencies: dict[str, list[float]] = {label: [] for label in sides}
    labels = list(sides)
    for i, q in enumerate(queries):
        for label in labels[i % len(labels) :] + labels[: i % len(labels)]:
            started = time.perf_counter()
            sides[label](q.query)
            latencies[label].append(time.perf_counter() - started)
    return latencies


def http_get(port: int, path: str) -> Callable[[VerifyQuery], object]:
    """GET `path` for a query over one kept-alive connection, as a browser would."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(query: VerifyQuery) -> object:
        params = {"q": query.quote, "speaker": query.claimed_speaker or ""}
        connection.request("GET", f"{path}?{urlencode(params)}")
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise SystemExit(f"{path}: HTTP {response.status}")
        return body

    return get


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scale", default="10k", help="10k, 100k, 1M or a number of quotes")
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    quotes = SCALES.get(args.scale) or int(args.scale)
    with tempfile.TemporaryDirectory(prefix="qt-bench-web-") as tmp:
        db = Path(tmp) / "index.db"
        seconds, _ = build_index(db, quotes, args.seed, "bulk")
        print(f"built {quotes:,} quotations in {seconds:.1f} s")
        queries = make_queries(db, args.queries, args.seed)
        warmup = make_queries(db, args.warmup, args.seed + 1)
        http_port = free_port()
        with (
            # Lexical only: embedding 10k synthetic wordings at start would take minutes,
            # and both sides call the same Verify.
            ServerProcess(
                db, "--http-port", str(http_port), "--lexical-only", open_writes=False
            ) as server,
            QuoteTraceClient(server.target, timeout=60) as client,
        ):

            def grpc_verify(query: VerifyQuery) -> object:
                return client.verify_request(claim_request(query.quote, query.claimed_speaker))

            sides = {
                "gRPC Verify": grpc_verify,
                "web page": http_get(http_port, "/"),
                "ClaimReview download": http_get(http_port, "/claimreview.jsonld"),
            }
            timed_interleaved(sides, warmup)
            results = timed_interleaved(sides, queries)
        grpc_p50 = percentile(results["gRPC Verify"], 50)
        grpc_p99 = percentile(results["gRPC Verify"], 99)
        print(f"{len(queries)} queries, one caller at a time, {quotes:,} quotations:")
        for label, latencies in results.items():
            p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
            print(
                f"  {label:<22} p50 {ms(p50)}  p99 {ms(p99)}"
                f"   ×{p50 / grpc_p50:.2f} / ×{p99 / grpc_p99:.2f} of gRPC p50/p99"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
