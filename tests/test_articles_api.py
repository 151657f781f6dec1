"""The article RPCs over gRPC: per-item ingest results, GetArticle / ListArticles,
DeleteArticle (a write: it needs the API key), and the client commands for them."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import grpc
import pytest

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_client import QuoteTraceClient
from quotetrace_client.cli import main as client_main
from quotetrace_server.cli import main as server_main
from quotetrace_server.config import ServerConfig

if TYPE_CHECKING:
    from quotetrace_server.engine.engine import Engine

KEY = "k" * 32
MAY = "“The bridge opens in May,” Transport Minister Ana Novak said on Monday.\n"
JUNE = "“The ferry stops in June,” harbour master Lars Berg said on Tuesday.\n"
HEADED = "Bridge to open in May, minister says\nMarch 4, 2024\n\n" + MAY


@pytest.fixture()
def engine(tmp_path: Path, models_dir: str) -> Iterator[Engine]:
    from quotetrace_server.engine.engine import Engine

    opened = Engine.open(tmp_path / "articles.db", models_dir)
    yield opened
    opened.close()


@pytest.fixture()
def server(engine: Engine) -> Iterator[str]:
    from quotetrace_server.api.server import start_server

    running = start_server(engine, ServerConfig(host="127.0.0.1", port=0, api_key=KEY))
    yield f"127.0.0.1:{running.port}"
    running.stop(grace=None)


def code_of(error: grpc.RpcError) -> grpc.StatusCode:
    assert isinstance(error, grpc.Call)
    return error.code()


def streamed(
    client: QuoteTraceClient, articles: list[pb.Article]
) -> tuple[list[pb.IngestItemResult], pb.IngestArticlesResponse]:
    items, summaries = [], []
    for response in client.ingest_stream(articles, timeout=300):
        if response.HasField("item"):
            items.append(response.item)
        else:
            summaries.append(response.summary)
    [summary] = summaries
    return items, summary


def test_the_stream_answers_each_article_and_a_rejected_one_does_not_end_it(
    server: str,
) -> None:
    sent = [
        pb.Article(text=MAY, url="https://a.example/may", outlet="A", source_name="may"),
        pb.Article(text=MAY, content_type="application/pdf", source_name="pdf"),
        pb.Article(text=MAY, url="https://a.example/may", outlet="A"),
        pb.Article(text=MAY, url="https://b.example/wire", outlet="B"),
        pb.Article(text="“Ring,” he said.\x07", url="https://c.example/bell"),
        pb.Article(text=JUNE, url="https://a.example/may", outlet="A"),
    ]
    with QuoteTraceClient(server, api_key=KEY, timeout=60) as client:
        items, summary = streamed(client, sent)
        listed = client.list_articles()
        verified = client.verify("The bridge opens in May")
    assert [i.number for i in items] == [1, 2, 3, 4, 5, 6]
    assert [i.name for i in items] == [
        "may",
        "pdf",
        "https://a.example/may",
        "https://b.example/wire",
        "https://c.example/bell",
        "https://a.example/may",
    ]
    assert [i.status for i in items] == [
        pb.INGEST_STATUS_ADDED,
        pb.INGEST_STATUS_REJECTED,
        pb.INGEST_STATUS_UNCHANGED,
        pb.INGEST_STATUS_ADDED,  # the same text at another URL: another printing
        pb.INGEST_STATUS_REJECTED,
        pb.INGEST_STATUS_REPLACED,  # a new text at a known URL
    ]
    assert "content_type" in items[1].reason and "U+0007" in items[4].reason
    assert items[0].article_id == items[2].article_id == items[5].article_id
    assert (items[5].quotes_added, items[5].quotes_removed) == (1, 1)
    assert not items[1].article_id and not items[4].article_id
    assert summary.articles_received == 6
    assert (
        summary.articles_added,
        summary.articles_unchanged,
        summary.articles_replaced,
        summary.articles_rejected,
    ) == (2, 1, 1, 2)
    assert summary.quotes_added == sum(i.quotes_added for i in items)
    assert summary.quotes_removed == 1
    # Nothing of the rejected articles was stored; the replaced version is gone.
    assert listed.total_size == 2
    assert {a.url for a in listed.articles} == {"https://a.example/may", "https://b.example/wire"}
    # The wire copy still counts as a printing of the May quotation; the replaced one not.
    assert verified.printing_count == 1
    assert [o.name for o in verified.outlets] == ["B"]


def test_every_article_id_the_api_returns_resolves_with_get_article(server: str) -> None:
    with QuoteTraceClient(server, api_key=KEY, timeout=60) as client:
        items, _ = streamed(
            client,
            [
                pb.Article(text=HEADED, url="https://a.example/1", source_name="headed"),
                pb.Article(text=MAY, url="https://b.example/2", title="", outlet="B"),
                pb.Article(text=JUNE, source_name="june"),
            ],
        )
        verified = client.verify("The bridge opens in May")
        quoted = [q.article_id for q in client.all_quotes(speaker="Ana Novak")]
        ids = {i.article_id for i in items} | set(quoted)
        ids |= {o.article_id for v in verified.variants for o in v.occurrences}
        infos = {i: client.get_article(i).article for i in ids}
        with_text = client.get_article(items[2].article_id, include_text=True)
        pages = []
        token = ""
        while True:
            page = client.list_articles(page_size=2, page_token=token)
            pages.append(page)
            token = page.next_page_token
            if not token:
                break
        with pytest.raises(grpc.RpcError) as missing:
            client.get_article("0" * 16)
        with pytest.raises(grpc.RpcError) as malformed:
            client.get_article("not an id")
    assert len(ids) == 3 and all(infos[i].article_id == i for i in ids)
    assert with_text.text == JUNE and with_text.article.identity.startswith("text:")
    assert [len(p.articles) for p in pages] == [2, 1]
    assert [a.article_id for p in pages for a in p.articles] == [i.article_id for i in items]
    assert {p.total_size for p in pages} == {3}
    headed = infos[items[0].article_id]
    assert headed.title == "Bridge to open in May, minister says"
    assert headed.date == "2024-03-04" and headed.quote_count == 1
    assert {(d.field, d.origin) for d in headed.derived} == {
        ("title", pb.METADATA_ORIGIN_ARTICLE_TEXT),
        ("date", pb.METADATA_ORIGIN_ARTICLE_TEXT),
    }
    stated = infos[items[1].article_id]
    assert (stated.title, stated.outlet) == ("", "B")  # "" = not stated: nothing derived
    assert not stated.derived
    assert code_of(missing.value) == grpc.StatusCode.NOT_FOUND
    assert code_of(malformed.value) == grpc.StatusCode.INVALID_ARGUMENT


def test_an_html_page_says_which_values_came_from_its_head_and_from_htmldate(
    server: str,
) -> None:
    page = (
        "<html><head><title>Port strike ends | Example Times</title>"
        '<meta property="og:site_name" content="Example Times">'
        '<meta property="article:published_time" content="2024-03-05T08:00:00Z">'
        "</head><body><article><h1>Port strike ends</h1>"
        "<p>Dock workers returned to work after a deal on wages was signed.</p>"
        "<p>&ldquo;This is a fair agreement for everyone,&rdquo; union leader Marta Kovac"
        " said.</p></article></body></html>"
    )
    article = pb.Article(text=page, content_type="text/html", url="https://e.example/port")
    with QuoteTraceClient(server, api_key=KEY, timeout=60) as client:
        [item], _ = streamed(client, [article])
        info = client.get_article(item.article_id).article
    assert info.outlet == "Example Times" and info.date == "2024-03-05"
    origins = {d.field: d.origin for d in info.derived}
    assert origins["outlet"] == pb.METADATA_ORIGIN_HTML_METADATA
    assert origins["title"] == pb.METADATA_ORIGIN_HTML_METADATA
    assert origins["date"] == pb.METADATA_ORIGIN_HTMLDATE
    assert "url" not in origins  # stated by the caller


def test_delete_needs_the_key_and_removes_the_article_and_its_speaker(server: str) -> None:
    with QuoteTraceClient(server, api_key=KEY, timeout=60) as client:
        items, _ = streamed(
            client,
            [pb.Article(text=MAY, url="https://a.example/1"), pb.Article(text=JUNE, url="u:2")],
        )
        with (
            QuoteTraceClient(server, timeout=60) as anonymous,
            pytest.raises(grpc.RpcError) as refused,
        ):
            anonymous.delete_article(items[1].article_id)
        assert client.stats().article_count == 2
        deleted = client.delete_article(items[1].article_id)
        with pytest.raises(grpc.RpcError) as again:
            client.delete_article(items[1].article_id)
        with pytest.raises(grpc.RpcError) as gone:
            client.get_speaker("Lars Berg")
        stats = client.stats()
    assert code_of(refused.value) == grpc.StatusCode.UNAUTHENTICATED
    assert (deleted.article_id, deleted.quotes_removed, deleted.speakers_removed) == (
        items[1].article_id,
        1,
        1,
    )
    assert code_of(again.value) == grpc.StatusCode.NOT_FOUND
    assert code_of(gone.value) == grpc.StatusCode.NOT_FOUND
    assert (stats.article_count, stats.speaker_count) == (1, 1)


def test_the_client_commands_list_show_and_delete_articles(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "headed.txt").write_text(HEADED, encoding="utf-8")
    (tmp_path / "in" / "june.txt").write_text(JUNE, encoding="utf-8")
    key_file = tmp_path / "key"
    key_file.write_text(KEY, encoding="utf-8")
    base = ["--server", server, "--api-key-file", str(key_file)]
    assert client_main([*base, "ingest", str(tmp_path / "in"), "-v"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines[:2]] == ["added", "added"]
    assert lines[-1] == "2 received, 2 added, 0 unchanged, 2 quotes added"
    ids = [line.split()[1] for line in lines[:2]]

    assert client_main([*base, "articles"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in listed] == ids
    assert "Bridge to open in May, minister says" in listed[0]

    assert client_main([*base, "article", ids[0]]) == 0
    shown = capsys.readouterr().out
    assert "title        Bridge to open in May, minister says  [derived from the text]" in shown
    assert f"path:{tmp_path / 'in' / 'headed.txt'}" in shown

    assert client_main([*base, "articles", "--json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["article_id"] for r in records] == ids

    assert client_main([*base, "delete", ids[1], "0" * 16]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith(f"deleted {ids[1]}: 1 quotations, 1 speakers")
    assert captured.err.strip() == f"quotetrace: {'0' * 16}: no article {'0' * 16}"

    # Ingesting the folder again: one unchanged, the deleted one added anew.
    (tmp_path / "in" / "headed.txt").write_text(HEADED.replace("Monday", "Friday"), "utf-8")
    assert client_main([*base, "ingest", str(tmp_path / "in"), "--verbose"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in lines[:2]] == [["replaced", ids[0]], ["added", ids[1]]]
    assert lines[-1].startswith("2 received, 1 added, 0 unchanged, 1 replaced, 2 quotes added")


def test_server_delete_removes_articles_from_an_index_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], models_dir: str
) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "may.txt").write_text(MAY, encoding="utf-8")
    db = tmp_path / "x.db"
    assert server_main(["index", str(tmp_path / "in"), "--db", str(db), "--workers", "1"]) == 0
    capsys.readouterr()
    from quotetrace_server.engine.engine import Engine

    engine = Engine.open(db)
    try:
        [record], _ = engine.list_articles(offset=0, limit=10)
    finally:
        engine.close()
    assert server_main(["delete", record.article_id, "--db", str(db)]) == 0
    assert capsys.readouterr().out.startswith(f"deleted {record.article_id}: 1 quotations")
    assert server_main(["delete", record.article_id, "--db", str(db)]) == 1
    assert "no article" in capsys.readouterr().err


def test_the_asyncio_client_streams_looks_up_and_deletes_articles(server: str) -> None:
    from quotetrace_client.aio import AsyncQuoteTraceClient

    async def scenario() -> tuple[list[pb.IngestStatus], int, str, int, int]:
        async with AsyncQuoteTraceClient(server, api_key=KEY, timeout=60) as client:
            sent = [pb.Article(text=MAY, url="https://a.example/1"), pb.Article(text=MAY)]
            responses = [r async for r in client.ingest_stream(sent, timeout=300)]
            first = responses[0].item.article_id
            info = (await client.get_article(first)).article
            listed = await client.list_articles(page_size=1)
            deleted = await client.delete_article(first)
            after = await client.list_articles()
        statuses = [r.item.status for r in responses[:-1]]
        return statuses, listed.total_size, info.url, deleted.quotes_removed, after.total_size

    statuses, total, url, removed, left = asyncio.run(scenario())
    assert statuses == [pb.INGEST_STATUS_ADDED, pb.INGEST_STATUS_ADDED]
    assert (total, url, removed, left) == (2, "https://a.example/1", 1, 1)
