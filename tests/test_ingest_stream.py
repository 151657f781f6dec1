"""IngestArticlesStream stays bounded however long the stream (issue 15, B16): one small
message per article, and a summary of counts."""

from __future__ import annotations

from pathlib import Path

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_client import QuoteTraceClient
from quotetrace_server.api.server import start_server
from quotetrace_server.config import ServerConfig
from quotetrace_server.engine.engine import Engine


def test_a_long_stream_answers_each_article_in_a_small_message_and_sums_up(
    tmp_path: Path, models_dir: str
) -> None:
    engine = Engine.open(tmp_path / "index.db", models_dir, semantic=False)
    running = start_server(engine, ServerConfig(host="127.0.0.1", port=0, open_writes=True))
    copies = 2_500
    article = pb.Article(text="“The bridge opens in May,” Ana Novak said.", source_name="a.txt")
    try:
        with QuoteTraceClient(f"127.0.0.1:{running.port}", timeout=300) as client:
            responses = list(client.ingest_stream(article for _ in range(copies)))
    finally:
        running.stop(None)
        engine.close()
    *items, last = responses
    assert len(items) == copies and last.HasField("summary")
    assert max(r.ByteSize() for r in responses) < 1024
    assert [r.item.number for r in items] == list(range(1, copies + 1))
    statuses = [r.item.status for r in items]
    assert statuses[0] == pb.INGEST_STATUS_ADDED
    assert set(statuses[1:]) == {pb.INGEST_STATUS_UNCHANGED}
    summary = last.summary
    assert (summary.articles_received, summary.articles_added) == (copies, 1)
    assert summary.articles_unchanged == copies - 1
    assert not summary.article_ids and summary.article_ids_omitted == 0
