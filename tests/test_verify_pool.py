"""Verify worker processes: same answers as in-process, replaced when they die, and they
share the index with the gRPC process and stop with it."""

from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import grpc
import pytest

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_client import QuoteTraceClient, claim_request
from quotetrace_server.api import convert
from quotetrace_server.api.server import RunningServer, start_server
from quotetrace_server.api.verify_pool import _answer
from quotetrace_server.config import ServerConfig
from quotetrace_server.engine.engine import Engine
from quotetrace_server.evaluation.verification import load_queries
from quotetrace_server.index.sqlite_store import SqliteStore
from quotetrace_server.verify.model import VerifyQuery

from .serverproc import ServerProcess

QUERIES = Path(__file__).resolve().parent.parent / "eval" / "queries_seeds.jsonl"


@pytest.fixture(scope="module")
def pooled_server(seeded_engine: Engine) -> Iterator[RunningServer]:
    db = Path(cast(SqliteStore, seeded_engine.store).path)
    config = ServerConfig(host="127.0.0.1", port=0, processes=2, db=db)
    running = start_server(seeded_engine, config)
    yield running
    running.stop(grace=None)


def test_workers_answer_every_seed_query_as_the_gRPC_process_itself_does(
    pooled_server: RunningServer, client: QuoteTraceClient
) -> None:
    cases = load_queries(QUERIES)
    with QuoteTraceClient(f"127.0.0.1:{pooled_server.port}", timeout=30) as pooled:
        for case in cases:
            request = claim_request(case.query, case.claimed_speaker)
            assert pooled.verify_request(request) == client.verify_request(request), case.query
    assert len(cases) >= 80


def test_a_batch_stream_through_the_workers_keeps_claim_order(
    pooled_server: RunningServer, client: QuoteTraceClient
) -> None:
    cases = load_queries(QUERIES)
    claims = [(f"c{n}", claim_request(c.query, c.claimed_speaker)) for n, c in enumerate(cases)]
    with QuoteTraceClient(f"127.0.0.1:{pooled_server.port}", timeout=60) as pooled:
        answers = list(pooled.verify_stream(claims))
    assert [a.claim_id for a in answers] == [claim_id for claim_id, _ in claims]
    for (_, request), answer in zip(claims, answers, strict=True):
        assert answer.response == client.verify_request(request)


def test_a_killed_worker_fails_only_its_calls_and_is_replaced(
    pooled_server: RunningServer,
) -> None:
    pool = pooled_server.verify_pool
    assert pool is not None
    victim = pool.pids()[0]
    os.kill(victim, signal.SIGKILL)
    codes: list[grpc.StatusCode] = []
    with QuoteTraceClient(f"127.0.0.1:{pooled_server.port}", timeout=30) as client:
        for _ in range(20):
            try:
                client.verify("That’s why we came here")
                codes.append(grpc.StatusCode.OK)
            except grpc.RpcError as error:
                codes.append(error.code())
            time.sleep(0.05)
    assert set(codes) <= {grpc.StatusCode.OK, grpc.StatusCode.UNAVAILABLE}
    assert codes[-5:] == [grpc.StatusCode.OK] * 5
    assert victim not in pool.pids() and len(pool.pids()) == 2


def test_a_call_whose_deadline_passed_in_the_queue_is_not_worked_on(
    seeded_engine: Engine,
) -> None:
    query = VerifyQuery("That’s why we came here")
    assert _answer(seeded_engine, query, deadline=time.monotonic() - 0.001) == (
        "DEADLINE_EXCEEDED",
        "deadline exceeded while queued",
    )
    code, payload = _answer(seeded_engine, query, deadline=time.monotonic() + 30)
    assert code == "" and isinstance(payload, bytes)
    expected = convert.verify_response(seeded_engine.verify(query))
    assert pb.VerifyResponse.FromString(payload) == expected


@pytest.mark.slow
def test_verify_workers_see_what_the_front_ingests_and_exit_with_it_on_sigterm(
    tmp_path: Path, seed_texts: dict[str, str]
) -> None:
    name, text = sorted(seed_texts.items())[1]
    with ServerProcess(tmp_path / "index.db", "--processes", "2") as server:
        workers = worker_pids(server.output())
        assert len(workers) == 2 and server.process is not None
        assert server.process.pid not in workers
        with QuoteTraceClient(server.target, timeout=120) as client:
            # Nothing indexed yet: the workers answer from the same (empty) index.
            assert client.verify("That’s why we came here").verdict == pb.VERDICT_NOT_FOUND
            assert client.ingest([pb.Article(text=text, source_name=name)]).articles_added == 1
            # The workers read what the front process committed, whichever one answers.
            for _ in range(8):
                answer = client.verify("That’s why we came here", speaker="Putin")
                assert answer.verdict == pb.VERDICT_VERIFIED
            with pytest.raises(grpc.RpcError) as rejected:
                client.verify("   ")
            assert rejected.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        server.signal(signal.SIGTERM)
        assert server.wait(60) == 0
    assert "stopped" in server.output()
    assert not any(alive(pid) for pid in workers)


@pytest.mark.slow
def test_verify_workers_exit_when_the_front_process_is_killed(tmp_path: Path) -> None:
    with ServerProcess(tmp_path / "index.db", "--processes", "2") as server:
        workers = worker_pids(server.output())
        server.kill()
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert workers and not any(alive(pid) for pid in workers)


def worker_pids(log: str) -> list[int]:
    found = re.search(r"Verify worker processes: ([\d, ]+)", log)
    assert found, log
    return [int(pid) for pid in found.group(1).split(",")]


def alive(pid: int) -> bool:
    """Running (not a zombie awaiting its parent's wait)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"
