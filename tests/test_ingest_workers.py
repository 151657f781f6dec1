"""Ingest on all cores: worker processes for the NLP, one writer, the same index as one
process builds; and a server that answers health while it seeds its index."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import grpc
import pytest

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_client import QuoteTraceClient
from quotetrace_server.cli import main as server_main
from quotetrace_server.config import ServerConfig
from quotetrace_server.index.sql.records import QUOTE_TEXT
from tests.serverproc import REPO, free_port

if TYPE_CHECKING:
    from quotetrace_server.engine.engine import Engine

SEEDS = REPO / "seeds"
CLAIM = "That’s why we came here"  # printed in the seed corpus


def quotations(db: Path) -> list[tuple[object, ...]]:
    """Every quotation with its article's identity, speaker and cluster, in index order
    (ids are compared by the order they were given in, not by value)."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            f'SELECT a.identity, q.seq, {QUOTE_TEXT}, q.start, q."end", q.kind, s.name,'
            " q.confidence, q.utterance FROM quotes q JOIN articles a ON a.id = q.article"
            " LEFT JOIN speakers s ON s.id = q.speaker ORDER BY a.id, q.seq"
        ).fetchall()
    first_seen: dict[object, int] = {}
    return [
        (*row[:-1], first_seen.setdefault(row[-1], len(first_seen)) if row[-1] else None)
        for row in rows
    ]


@pytest.mark.slow
def test_two_workers_index_the_same_quotations_as_one_process(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], models_dir: str
) -> None:
    dbs = {n: tmp_path / f"workers{n}.db" for n in (1, 2)}
    for workers, db in dbs.items():
        argv = ["index", str(SEEDS), "--db", str(db), "--workers", str(workers)]
        assert server_main(argv) == 0
        assert capsys.readouterr().out.startswith("5 articles added, 0 unchanged")
    one, two = quotations(dbs[1]), quotations(dbs[2])
    assert len(one) > 20
    assert two == one
    # The workers embedded the wordings (issue 11): the vectors one process makes.
    from quotetrace_server.index.sqlite_store import SqliteStore
    from quotetrace_server.semantic.encoder import SentenceEncoder
    from quotetrace_server.semantic.vectors import WordingVectors, vectors_path

    by_one, by_two = (WordingVectors(vectors_path(dbs[n]), writable=False) for n in (1, 2))
    store = SqliteStore(dbs[2])
    wordings = store.speech_wordings()
    store.close()
    assert len(by_one) == len(by_two) == len(wordings) > 20
    encoder = SentenceEncoder()
    for wording, text in wordings[:5]:
        probe = encoder.encode([text])[0]
        assert by_one.nearest(probe, 1)[0][0] == by_two.nearest(probe, 1)[0][0] == wording
        assert by_two.nearest(probe, 1)[0][1] > 0.99


@pytest.mark.slow
def test_serve_opens_its_port_at_once_and_is_not_serving_until_seeded(
    tmp_path: Path, models_dir: str
) -> None:
    port = free_port()
    log = tmp_path / "serve.log"
    args = [
        sys.executable,
        "-m",
        "quotetrace_server.cli",
        "serve",
        "--db",
        str(tmp_path / "seeded.db"),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--seed-dir",
        str(SEEDS),
        "--ingest-workers",
        "1",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(args, cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
    seen: list[str] = []
    try:
        with QuoteTraceClient(f"127.0.0.1:{port}", timeout=2) as client:
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline and (not seen or seen[-1] != "SERVING"):
                assert process.poll() is None, log.read_text()
                try:
                    status = client.health()
                except Exception:  # the port is not open yet
                    time.sleep(0.1)
                    continue
                if not seen or seen[-1] != status:
                    seen.append(status)
                    if status == "NOT_SERVING":
                        # Listings work meanwhile, on what is indexed so far; a verdict
                        # about a half-built index would not be true of the corpus.
                        assert client.stats().article_count <= 5
                        with pytest.raises(grpc.RpcError) as refused:
                            client.verify_result(CLAIM)
                        assert refused.value.code() is grpc.StatusCode.UNAVAILABLE
                        assert "being seeded" in str(refused.value.details())
                time.sleep(0.1)
            stats = client.stats()
            answered = client.verify_result(CLAIM)
    finally:
        process.terminate()
        process.wait(30)
    assert seen == ["NOT_SERVING", "SERVING"], log.read_text()
    assert stats.article_count == 5
    assert answered.verdict != "NOT_FOUND" and answered.printing_count > 0
    logged = log.read_text()
    assert "index is empty: ingesting" in logged and "seeded: 5 inputs" in logged


Run = tuple[list[tuple[object, ...]], pb.IngestArticlesResponse, list[tuple[object, ...]]]


def stream_into(engine: Engine, workers: int, sent: list[pb.Article]) -> Run:
    """Each result of one IngestArticlesStream with `workers` NLP processes, and then
    every quotation indexed (in article order, with speaker and utterance order)."""
    from quotetrace_server.api.server import start_server

    engine.ingest_workers = workers
    running = start_server(engine, ServerConfig(host="127.0.0.1", port=0, open_writes=True))
    try:
        with QuoteTraceClient(f"127.0.0.1:{running.port}", timeout=300) as client:
            responses = list(client.ingest_stream(sent, timeout=300))
            records = list(client.all_articles())
            quotes: list[tuple[object, ...]] = [
                (q.article_id, q.text, q.start, q.speaker, q.kind)
                for record in records
                for q in client.all_quotes(article_id=record.article_id)
            ]
    finally:
        running.stop(grace=None)
    items: list[tuple[object, ...]] = [
        (r.item.number, r.item.name, r.item.status, r.item.article_id, r.item.quotes_added)
        for r in responses[:-1]
    ]
    return items, responses[-1].summary, list(quotes)


@pytest.mark.slow
def test_a_stream_with_two_workers_gives_the_results_and_quotations_of_one(
    tmp_path: Path, models_dir: str
) -> None:
    from quotetrace_server.engine.engine import Engine

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    sent = [pb.Article(text=t, url=f"https://seed.example/{n}") for n, t in enumerate(texts)]
    sent += [
        pb.Article(text=texts[0], url="https://seed.example/0"),  # unchanged
        pb.Article(text=texts[1], url="https://wire.example/1"),  # a second printing
        pb.Article(text="No quotes.", url="https://seed.example/x", content_type="x/y"),
        pb.Article(text=texts[3], url="https://seed.example/2"),  # replaces 2
    ]
    runs = []
    for workers in (1, 2):
        engine = Engine.open(tmp_path / f"w{workers}.db", models_dir, semantic=False)
        try:
            runs.append(stream_into(engine, workers, sent))
        finally:
            engine.close()
    one, two = runs
    assert [i[2] for i in one[0]] == [pb.INGEST_STATUS_ADDED] * 5 + [
        pb.INGEST_STATUS_UNCHANGED,
        pb.INGEST_STATUS_ADDED,
        pb.INGEST_STATUS_REJECTED,
        pb.INGEST_STATUS_REPLACED,
    ]
    assert len(one[2]) > 20
    assert two == one
