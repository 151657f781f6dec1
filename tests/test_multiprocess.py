"""Verify worker processes share the index with the gRPC process and stop with it."""

from __future__ import annotations

import re
import signal
import time
from pathlib import Path

import grpc
import pytest

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_client import QuoteTraceClient

from .serverproc import ServerProcess


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
