"""Several serving processes on one port share one index and stop together on SIGTERM."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_client import QuoteTraceClient

from .serverproc import ServerProcess


@pytest.mark.slow
def test_two_processes_serve_one_index_and_exit_cleanly_on_sigterm(
    tmp_path: Path, seed_texts: dict[str, str]
) -> None:
    name, text = sorted(seed_texts.items())[1]
    with ServerProcess(tmp_path / "index.db", "--processes", "2") as server:
        with QuoteTraceClient(server.target, timeout=120) as writer:
            assert writer.ingest([pb.Article(text=text, source_name=name)]).articles_added == 1
        # New channels are spread over the processes by the kernel; every one must see
        # the article the other process committed.
        for _ in range(8):
            with QuoteTraceClient(server.target) as reader:
                assert reader.stats().article_count == 1
                answer = reader.verify("That’s why we came here", speaker="Putin")
                assert answer.verdict == pb.VERDICT_VERIFIED
        assert server.output().count(f"serving on port {server.port}") == 2
        server.signal(signal.SIGTERM)
        assert server.wait(60) == 0
    assert server.output().count("stopped") == 2
