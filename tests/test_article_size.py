"""Issue 15: an article's text over max_article_bytes is refused before its NLP, with the
reason, by every way in (the engine, `quotetrace-server index`, gRPC); an HTML page is
bounded by the size of the text extracted from it, not by its markup."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import grpc
import pytest

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_client import QuoteTraceClient
from quotetrace_server.api.server import start_server
from quotetrace_server.cli import main as server_main
from quotetrace_server.config import Limits, ServerConfig
from quotetrace_server.engine.engine import ArticleTooLarge, Engine
from quotetrace_server.ingest.model import Article, ArticleMeta
from quotetrace_server.nlp.model import ParsedText
from tests.factories import engine_over_nlp

KEY = "s" * 32
LIMIT = 2_000  # bytes: small, so that the tests stay fast
SHORT = "“The harbour reopens in April,” port director Ines Faro said on Friday.\n"
LONG = SHORT * (LIMIT // len(SHORT.encode("utf-8")) + 1)


class _CountingNlp:
    """Parses nothing; counts the texts it was given."""

    processors = ("tokenize",)

    def __init__(self) -> None:
        self.parsed: list[str] = []

    def parse(
        self,
        text: str,
        *,
        seconds: float | None = None,
        stopping: Callable[[], bool] | None = None,
    ) -> ParsedText:
        self.parsed.append(text)
        return ParsedText(text=text, sentences=(), processors=self.processors)


def _engine(nlp: _CountingNlp) -> Engine:
    return engine_over_nlp(nlp, max_article_bytes=LIMIT)


def test_the_engine_refuses_an_article_over_the_limit_before_its_nlp() -> None:
    nlp = _CountingNlp()
    engine = _engine(nlp)
    long = Article(LONG, ArticleMeta(url="https://example.org/long"))
    with pytest.raises(ArticleTooLarge, match=rf"{len(LONG.encode())} bytes.*limit is {LIMIT}"):
        engine.ingest(long)
    engine.ingest_workers = 2  # a stream's article would go to a worker process
    with pytest.raises(ArticleTooLarge, match="split it into shorter articles"):
        engine.begin_ingest(long)
    assert nlp.parsed == []
    assert not engine.has_article(long.article_id)


def test_an_article_at_the_limit_is_ingested() -> None:
    nlp = _CountingNlp()
    text = SHORT * (LIMIT // len(SHORT.encode("utf-8")))
    assert len(text.encode("utf-8")) <= LIMIT
    assert _engine(nlp).ingest(Article(text, ArticleMeta())).added
    assert nlp.parsed == [text]


def test_ingest_items_names_the_article_over_the_limit_and_ingests_the_others() -> None:
    nlp = _CountingNlp()
    engine = _engine(nlp)
    articles = [
        Article(SHORT, ArticleMeta(source_path="a.txt")),
        Article(LONG, ArticleMeta(source_path="b.txt")),
        Article(SHORT + SHORT, ArticleMeta(source_path="c.txt")),
    ]
    results = list(engine.ingest_items(articles))
    assert [r.source for r in results] == ["a.txt", "b.txt", "c.txt"]
    assert [r.outcome is not None and r.outcome.added for r in results] == [True, False, True]
    assert results[1].reason is not None and f"the limit is {LIMIT}" in results[1].reason
    assert LONG not in nlp.parsed


def test_index_command_prints_one_line_naming_the_file_over_the_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Only the file over the limit: it is refused before any model is loaded, so this
    # stays fast; the others going in is pinned through ingest_items above.
    big = tmp_path / "too_long.txt"
    big.write_text("Word. " * (Limits().max_article_bytes // 6 + 1), encoding="utf-8")
    db = tmp_path / "x.db"
    code = server_main(["index", str(big), "--db", str(db), "--no-progress", "--lexical-only"])
    captured = capsys.readouterr()
    assert code == 1
    [line] = captured.err.strip().splitlines()
    assert line.startswith(f"quotetrace-server: {big}: article text is ")
    assert f"the limit is {Limits().max_article_bytes}" in line
    assert captured.out.startswith("0 articles added")


@pytest.fixture()
def server(tmp_path: Path, models_dir: str) -> Iterator[str]:
    engine = Engine.open(tmp_path / "size.db", models_dir, semantic=False, max_article_bytes=LIMIT)
    limits = Limits(max_article_bytes=LIMIT)
    running = start_server(
        engine, ServerConfig(host="127.0.0.1", port=0, api_key=KEY, limits=limits)
    )
    yield f"127.0.0.1:{running.port}"
    running.stop(grace=None)
    engine.close()


def _page(paragraphs: str, padding: int) -> str:
    """An HTML page: its article text, and `padding` bytes of script that is not text."""
    script = "<script>var x = '" + "y" * padding + "';</script>"
    return f"<html><head>{script}</head><body><article>{paragraphs}</article></body></html>"


def _paragraphs(count: int) -> str:
    """Distinct paragraphs (an extractor drops repeated ones)."""
    return "".join(
        f"<p>“Berth {n} reopens in April,” port director Ines Faro said of pier {n}.</p>"
        for n in range(count)
    )


def test_over_the_limit_is_rejected_by_the_stream_with_the_reason_and_the_next_goes_in(
    server: str,
) -> None:
    paragraph = "<p>“The harbour reopens in April,” port director Ines Faro said on Friday.</p>"
    sent = [
        pb.Article(text=LONG, source_name="long"),
        pb.Article(
            text=_page(paragraph, 3 * LIMIT), content_type="text/html", source_name="small text"
        ),
        pb.Article(
            text=_page(_paragraphs(40), 0), content_type="text/html", source_name="long text"
        ),
    ]
    with QuoteTraceClient(server, api_key=KEY, timeout=60) as client:
        items = [r.item for r in client.ingest_stream(sent, timeout=60) if r.HasField("item")]
    assert [i.status for i in items] == [
        pb.INGEST_STATUS_REJECTED,
        pb.INGEST_STATUS_ADDED,  # the page is larger than the limit, its text is not
        pb.INGEST_STATUS_REJECTED,
    ]
    assert f"the limit is {LIMIT}" in items[0].reason
    assert f"the limit is {LIMIT} (max_article_bytes)" in items[2].reason


def test_ingest_over_the_limit_is_invalid_argument_naming_the_article(server: str) -> None:
    with QuoteTraceClient(server, api_key=KEY, timeout=60) as client:
        with pytest.raises(grpc.RpcError) as caught:
            client.ingest([pb.Article(text=SHORT), pb.Article(text=LONG)], timeout=60)
        stats = client.stats()
    error = caught.value
    assert isinstance(error, grpc.Call)
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert (error.details() or "").startswith("article 2: article text is ")
    assert stats.article_count == 1
