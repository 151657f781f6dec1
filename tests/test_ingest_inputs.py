"""Inputs as news arrives: HTML files and URLs, folders of mixed files, WARC archives.

Pages are served by a local http.server on 127.0.0.1 and WARC files are written in the
test: no test reaches the internet. Each test ingests into its own empty index.
"""

from __future__ import annotations

import functools
import http.server
import json
import sqlite3
import threading
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from quotetrace_client import QuoteTraceClient
from quotetrace_client.cli import main as client_main
from quotetrace_server.cli import main as server_main
from quotetrace_server.config import ServerConfig
from quotetrace_server.ingest.model import Article

if TYPE_CHECKING:
    from quotetrace_server.engine.engine import Engine

PAGE = """<!DOCTYPE html>
<html><head><title>Bridge to open in May, minister says | Example Times</title>
<meta property="og:site_name" content="Example Times">
<meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2024-03-05T08:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article>
<h1>Bridge to open in May, minister says</h1>
<p class="byline">By Jane Roe</p>
<p>The new bridge over the river will open to traffic in the spring, officials said.</p>
<p>&ldquo;The bridge opens in May,&rdquo; Transport Minister Ana Novak told reporters.</p>
<p>Construction began three years ago and cost more than the ministry expected.</p>
<p>&ldquo;We are proud of the workers who built it,&rdquo; Novak said.</p>
</article>
<footer>Copyright 2024 Example Times</footer>
</body></html>
"""
UNDATED_PAGE = """<!DOCTYPE html>
<html><head><title>Port strike ends after two weeks</title></head><body>
<article><h1>Port strike ends after two weeks</h1>
<p>Dock workers returned to work on the waterfront after a deal on wages was signed.</p>
<p>&ldquo;This is a fair agreement for everyone,&rdquo; union leader Marta Kovac said.</p>
<p>Shipping companies said the backlog of containers would take a month to clear.</p>
</article></body></html>
"""
TEXT = "“The tunnel will be finished next year,” engineer Lars Berg said on Monday.\n"


@pytest.fixture()
def engine(tmp_path: Path, models_dir: str) -> Iterator[Engine]:
    from quotetrace_server.engine.engine import Engine

    opened = Engine.open(tmp_path / "fresh.db", models_dir)
    yield opened
    opened.close()


@pytest.fixture()
def server(engine: Engine) -> Iterator[str]:
    from quotetrace_server.api.server import start_server

    running = start_server(engine, ServerConfig(host="127.0.0.1", port=0, open_writes=True))
    yield f"127.0.0.1:{running.port}"
    running.stop(grace=None)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture()
def web(tmp_path: Path) -> Iterator[str]:
    """A local web server on 127.0.0.1 serving tmp_path/site; yields its base URL."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "bridge.html").write_text(PAGE, encoding="utf-8")
    handler = functools.partial(QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def has_text(engine: Engine, text: str) -> bool:
    """Whether an article with exactly this text is indexed (ids are by URL or path)."""
    records, _ = engine.list_articles(offset=0, limit=10_000)
    return any(
        (a := engine.store.get_article(r.article_id)) is not None and a.text == text
        for r in records
    )


def summary(out: str) -> str:
    """The summary line of `quotetrace ingest` (after one line per article)."""
    return out.strip().splitlines()[-1]


def article_ids(db: Path) -> list[str]:
    with sqlite3.connect(db) as connection:
        return [row[0] for row in connection.execute("SELECT article_id FROM articles")]


def stored_html(engine: Engine, db: Path) -> Article:
    """The one stored article that came from PAGE (found by its extracted text)."""
    matches = []
    for article_id in article_ids(db):
        article = engine.store.get_article(article_id)
        if article is not None and "The bridge opens in May" in article.text:
            matches.append(article)
    assert len(matches) == 1
    return matches[0]


def run_client(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = client_main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def mixed_folder(root: Path) -> Path:
    folder = root / "mixed"
    folder.mkdir()
    (folder / "a_text.txt").write_text(TEXT, encoding="utf-8")
    (folder / "b_notes.md").write_text(
        "# Notes\n\n“The harbour reopens on Friday,” port chief Ines Moro said.\n", encoding="utf-8"
    )
    (folder / "c_page.html").write_text(PAGE, encoding="utf-8")
    (folder / "d_empty.txt").write_text("", encoding="utf-8")
    (folder / "e_latin1.txt").write_bytes("“Caf\xe9,” she said.".encode("cp1252"))
    (folder / "f_report.pdf").write_bytes(b"%PDF-1.7\n%binary\n")
    (folder / "g_photo.png").write_bytes(b"\x89PNG\r\n")
    return folder


def test_a_folder_of_mixed_files_ingests_what_it_can_and_names_each_file_it_cannot(
    engine: Engine, server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = mixed_folder(tmp_path)
    # A text the server refuses (a control character) after the others were sent.
    (folder / "h_bell.txt").write_text("“Ring,” he said.\x07\n", encoding="utf-8")
    (folder / "i_last.txt").write_text(TEXT.replace("Monday", "Tuesday"), encoding="utf-8")
    code, out, err = run_client(capsys, "--server", server, "ingest", str(folder))
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 5, err
    reasons = {line.split(": ", 2)[1].rsplit("/", 1)[-1]: line for line in lines}
    assert set(reasons) == {
        "d_empty.txt",
        "e_latin1.txt",
        "f_report.pdf",
        "g_photo.png",
        "h_bell.txt",
    }
    assert "empty file" in reasons["d_empty.txt"]
    assert "not UTF-8" in reasons["e_latin1.txt"]
    assert "PDF" in reasons["f_report.pdf"]
    assert "skipped" in reasons["g_photo.png"]
    assert "rejected by the server" in reasons["h_bell.txt"]
    assert "U+0007" in reasons["h_bell.txt"]
    # The summary adds up: the article the server rejected was received.
    assert summary(out).startswith("5 received, 4 added, 0 unchanged, ")
    assert summary(out).endswith(" quotes added, 5 not ingested")
    assert has_text(engine, TEXT.replace("Monday", "Tuesday"))
    assert has_text(engine, TEXT)


def test_an_html_page_is_stored_as_its_text_with_its_quotes_and_metadata(
    engine: Engine, server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "bridge.html"
    page.write_text(PAGE, encoding="utf-8")
    code, _, err = run_client(capsys, "--server", server, "ingest", str(page))
    assert (code, err) == (0, "")
    article = stored_html(engine, tmp_path / "fresh.db")
    assert "<p" not in article.text and "&ldquo;" not in article.text
    meta = article.meta
    assert (meta.title, meta.outlet, meta.byline) == (
        "Bridge to open in May, minister says",
        "Example Times",
        "Jane Roe",
    )
    assert meta.date == "2024-03-05" and meta.source_name == "bridge.html"
    with QuoteTraceClient(server, timeout=60) as client:
        quotes = list(client.all_quotes(article_id=article.article_id))
    texts = {q.text for q in quotes}
    assert {"The bridge opens in May,", "We are proud of the workers who built it,"} <= texts
    assert not any("byline" in t for t in texts)
    for quote in quotes:  # offsets refer to the extracted text
        assert article.text[quote.start : quote.end] == quote.text
    assert "Ana Novak" in {q.speaker for q in quotes}


def test_a_url_is_fetched_and_kept_as_the_articles_url(
    engine: Engine, server: str, web: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"{web}/bridge.html"
    code, out, err = run_client(capsys, "--server", server, "ingest", url)
    assert (code, err) == (0, ""), err
    assert summary(out).startswith("1 received, 1 added")
    meta = stored_html(engine, tmp_path / "fresh.db").meta
    assert meta.url == url and meta.source_name == url and meta.outlet == "Example Times"


def test_a_url_that_fails_is_named_as_given_and_the_rest_still_go_in(
    engine: Engine, server: str, web: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / "a.txt"
    text.write_text(TEXT, encoding="utf-8")
    missing = f"{web}/gone.html"
    code, out, err = run_client(capsys, "--server", server, "ingest", missing, str(text))
    assert code == 1
    assert err.strip() == f"quotetrace: {missing}: HTTP 404 File not found"
    assert summary(out).startswith("1 received, 1 added")
    assert has_text(engine, TEXT)


def test_server_index_reads_the_same_inputs_and_stores_the_same_html_article(
    engine: Engine,
    server: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    models_dir: str,
) -> None:
    folder = mixed_folder(tmp_path)
    run_client(capsys, "--server", server, "ingest", str(folder / "c_page.html"))
    via_grpc = stored_html(engine, tmp_path / "fresh.db")
    db = tmp_path / "offline.db"
    code = server_main(["index", str(folder), "--db", str(db), "--no-progress"])
    captured = capsys.readouterr()
    assert code == 1
    rejected = captured.err.strip().splitlines()
    assert len(rejected) == 4, captured.err
    assert all(line.startswith(f"quotetrace-server: {folder}/") for line in rejected)
    assert captured.out.startswith("3 articles added, 0 unchanged")
    from quotetrace_server.engine.engine import Engine

    offline = Engine.open(db, models_dir)
    try:
        via_index = offline.store.get_article(via_grpc.article_id)
    finally:
        offline.close()
    assert via_index is not None and via_index.text == via_grpc.text
    assert via_index.meta == via_grpc.meta


def warc_file(path: Path) -> Path:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    def response(url: str, body: bytes, content_type: str, date: str) -> None:
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url,
            "response",
            payload=BytesIO(body),
            http_headers=headers,
            warc_headers_dict={"WARC-Date": date},
        )
        writer.write_record(record)

    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=path.name.endswith(".gz"))
        response(
            "https://news.example/bridge",
            PAGE.encode("utf-8"),
            "text/html; charset=utf-8",
            "2024-03-06T10:00:00Z",
        )
        response(
            "https://news.example/logo.png", b"\x89PNG\r\n", "image/png", "2024-03-06T10:00:01Z"
        )
        response(
            "https://news.example/port",
            UNDATED_PAGE.encode("utf-8"),
            "text/html",
            "2024-04-02T09:30:00Z",
        )
    return path


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_every_html_response_of_a_warc_archive_is_an_article_with_url_and_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], models_dir: str, name: str
) -> None:
    archive = warc_file(tmp_path / name)
    db = tmp_path / "warc.db"
    code = server_main(["index", str(archive), "--db", str(db), "--no-progress"])
    captured = capsys.readouterr()
    assert (code, captured.err) == (0, ""), captured.err
    assert captured.out.startswith("2 articles added, 0 unchanged")
    from quotetrace_server.engine.engine import Engine

    engine = Engine.open(db, models_dir)
    try:
        articles = [engine.store.get_article(i) for i in article_ids(db)]
    finally:
        engine.close()
    by_url = {a.meta.url: a for a in articles if a is not None}
    assert set(by_url) == {"https://news.example/bridge", "https://news.example/port"}
    assert by_url["https://news.example/bridge"].meta.date == "2024-03-05"  # the page's own
    assert by_url["https://news.example/port"].meta.date == "2024-04-02"  # capture date
    assert "This is a fair agreement" in by_url["https://news.example/port"].text
    # No site name on the page: the host name is not taken for an outlet.
    assert by_url["https://news.example/port"].meta.outlet is None


def test_a_file_that_is_not_a_warc_archive_is_named_and_others_go_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], models_dir: str
) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "broken.warc").write_bytes(b"this is not a warc file\n")
    (tmp_path / "in" / "a.txt").write_text(TEXT, encoding="utf-8")
    code = server_main(
        ["index", str(tmp_path / "in"), "--db", str(tmp_path / "x.db"), "--no-progress"]
    )
    captured = capsys.readouterr()
    assert code == 1
    [line] = captured.err.strip().splitlines()
    assert line.startswith(f"quotetrace-server: {tmp_path / 'in' / 'broken.warc'}: not a WARC")
    assert captured.out.startswith("1 articles added")


def jsonl_file(folder: Path) -> Path:
    folder.mkdir()
    header = "Tunnel under Oslo fjord on schedule, engineers say\nMarch 4, 2024\n\n"
    records = [
        json.dumps({"text": header + TEXT, "url": "https://news.example/tunnel", "date": None}),
        "{not json",
        json.dumps({"text": header + TEXT + "\n(Update)\n", "title": 7}),
        json.dumps({"html": PAGE, "source_name": "bridge-page", "outlet": None}),
        json.dumps({"text": "   "}),
    ]
    path = folder / "records.jsonl"
    path.write_text("\n".join(records) + "\n", encoding="utf-8")
    return path


def test_jsonl_records_go_in_one_article_a_line_the_same_through_grpc_and_index(
    engine: Engine,
    server: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    models_dir: str,
) -> None:
    records = jsonl_file(tmp_path / "in")
    code, out, err = run_client(capsys, "--server", server, "ingest", str(records))
    assert code == 1
    assert err.splitlines() == [
        f"quotetrace: {records}:2: invalid JSON (Expecting property name enclosed in "
        "double quotes)",
        f'quotetrace: {records}:3: "title" must be a string or null',
        f'quotetrace: {records}:5: no "text" or "html" (a non-empty string) in the record',
    ]
    assert summary(out).startswith("2 received, 2 added")
    db = tmp_path / "offline.db"
    code = server_main(["index", str(records), "--db", str(db), "--no-progress"])
    captured = capsys.readouterr()
    assert code == 1 and len(captured.err.strip().splitlines()) == 3, captured.err
    assert captured.out.startswith("2 articles added")
    from quotetrace_server.engine.engine import Engine

    offline = Engine.open(db, models_dir)
    try:
        for article_id in article_ids(db):
            via_index = offline.store.get_article(article_id)
            via_grpc = engine.store.get_article(article_id)
            assert via_index is not None and via_grpc is not None
            assert via_index.meta == via_grpc.meta
            if via_grpc.meta.url == "https://news.example/tunnel":
                text_meta = via_grpc.meta
            else:
                page_meta = via_grpc.meta
    finally:
        offline.close()
    assert text_meta.date is None  # null: not stated, though the text has a date line
    # A missing key is derived from the text.
    assert text_meta.title == "Tunnel under Oslo fjord on schedule, engineers say"
    assert text_meta.source_name == "records.jsonl:1"
    assert page_meta.outlet is None and page_meta.byline == "Jane Roe"
    assert page_meta.source_name == "bridge-page"


def test_a_page_without_article_text_is_named_and_the_next_goes_in(
    engine: Engine, server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blank = tmp_path / "blank.html"
    blank.write_text("<html><head><title>Nothing</title></head><body></body></html>", "utf-8")
    text = tmp_path / "z.txt"
    text.write_text(TEXT, encoding="utf-8")
    code, out, err = run_client(capsys, "--server", server, "ingest", str(blank), str(text))
    assert code == 1
    assert err.strip() == (
        f"quotetrace: {blank}: rejected by the server: "
        "article.text: no article text found in the HTML page"
    )
    assert summary(out).startswith("2 received, 1 added")
    assert has_text(engine, TEXT)


def test_an_html_page_in_its_declared_charset_is_read_by_both_commands(
    engine: Engine,
    server: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    models_dir: str,
) -> None:
    page = tmp_path / "in" / "cp1252.html"
    page.parent.mkdir()
    declared = PAGE.replace("<head>", '<head><meta charset="windows-1252">')
    page.write_bytes(declared.replace("&ldquo;", "“").replace("&rdquo;", "”").encode("cp1252"))
    code, _, err = run_client(capsys, "--server", server, "ingest", str(page))
    assert (code, err) == (0, "")
    via_grpc = stored_html(engine, tmp_path / "fresh.db")
    assert "“The bridge opens in May,”" in via_grpc.text
    db = tmp_path / "offline.db"
    assert server_main(["index", str(page), "--db", str(db), "--no-progress"]) == 0
    assert article_ids(db) == [via_grpc.article_id]


def test_ingest_json_is_a_line_per_article_and_a_summary_that_adds_up(
    engine: Engine, server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "two"
    folder.mkdir()
    texts = [TEXT, TEXT.replace("Monday", "Friday")]
    for number, text in enumerate(texts):
        (folder / f"{number}.txt").write_text(text, encoding="utf-8")
    (folder / "again.txt").write_text(TEXT, encoding="utf-8")  # another file: a printing
    code, out, err = run_client(capsys, "--server", server, "ingest", str(folder), "--json")
    assert (code, err) == (0, "")
    *items, last = [json.loads(line) for line in out.splitlines()]
    assert [i["name"] for i in items] == ["0.txt", "1.txt", "again.txt"]
    assert [i["status"] for i in items] == ["INGEST_STATUS_ADDED"] * 3
    assert len({i["article_id"] for i in items}) == 3
    totals = last["summary"]
    assert totals["articles_received"] == 3 == totals["articles_added"]
    assert totals["quotes_added"] == sum(i["quotes_added"] for i in items)
    assert totals["nlp_processors"]
    code, out, _ = run_client(capsys, "--server", server, "ingest", str(folder), "--json")
    *again, last = [json.loads(line) for line in out.splitlines()]
    assert [i["status"] for i in again] == ["INGEST_STATUS_UNCHANGED"] * 3
    assert [i["article_id"] for i in again] == [i["article_id"] for i in items]
    assert last["summary"]["articles_unchanged"] == 3
