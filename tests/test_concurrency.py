"""Many readers and one writer at once: no errors, and answers stay the same."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import grpc
import pytest

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_client import QuoteTraceClient

from .serverproc import ServerProcess
from .test_durability import reprints

CLIENTS = 16
# Each client verifies at least this many times, and on until the ingest is done: the
# reads overlap the whole ingest however fast or slow the machine (a fixed count of 500
# each took 46 s on an idle CI machine, most of it after the ingest had ended, and
# could near the 600 s test timeout on a loaded one).
MIN_CALLS_PER_CLIENT = 100
QUERIES = [
    ("That’s why we came here", "Putin", pb.VERDICT_VERIFIED),
    ("That’s why we came here", "Kim Jong Un", pb.VERDICT_MISATTRIBUTED),
    ("There is no workaround.", "", None),
    ("Completely unrelated words about gardening tomatoes", "", pb.VERDICT_NOT_FOUND),
]


@pytest.mark.slow
def test_16_clients_verify_throughout_another_clients_ingest_with_unchanged_answers(
    tmp_path: Path, seed_dir: Path, seed_texts: dict[str, str]
) -> None:
    with ServerProcess(tmp_path / "index.db") as server:
        with QuoteTraceClient(server.target, timeout=300) as writer:
            writer.ingest(
                [pb.Article(text=t, source_name=n) for n, t in seed_texts.items()], timeout=300
            )
            baseline = {(q, s): writer.verify(q, speaker=s or None).verdict for q, s, _ in QUERIES}
        for quote, speaker, expected in QUERIES:
            if expected is not None:
                assert baseline[(quote, speaker)] == expected

        errors: Counter[str] = Counter()
        inconsistent: Counter[str] = Counter()
        done = threading.Event()

        def reader(worker: int) -> tuple[int, int]:
            """(calls made, calls answered)."""
            made = calls = 0
            with QuoteTraceClient(server.target, timeout=60) as client:
                while made < MIN_CALLS_PER_CLIENT or not done.is_set():
                    quote, speaker, _ = QUERIES[(worker + made) % len(QUERIES)]
                    made += 1
                    try:
                        verdict = client.verify(quote, speaker=speaker or None).verdict
                    except grpc.RpcError as error:
                        errors[str(error.code()) if isinstance(error, grpc.Call) else "?"] += 1
                        continue
                    calls += 1
                    if verdict != baseline[(quote, speaker)]:
                        inconsistent[quote] += 1
            return made, calls

        def ingester() -> pb.IngestArticlesResponse:
            with QuoteTraceClient(server.target, timeout=600) as client:
                try:
                    return client.ingest(reprints(seed_texts)[:10], timeout=600)
                finally:
                    done.set()

        with ThreadPoolExecutor(max_workers=CLIENTS + 1) as pool:
            ingest = pool.submit(ingester)
            counts = list(pool.map(reader, range(CLIENTS)))
            summary = ingest.result()

    assert not errors, f"errors: {dict(errors)}"
    made, answered = (sum(count) for count in zip(*counts, strict=True))
    assert answered == made >= CLIENTS * MIN_CALLS_PER_CLIENT
    assert not inconsistent, f"answers changed under concurrent ingest: {dict(inconsistent)}"
    assert summary.articles_added == 10
