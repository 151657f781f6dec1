"""`quotetrace ingest` and `quotetrace-server index`: what each input path stores.

Each test ingests into its own empty index behind a real gRPC server, then reads what
was stored back from the index.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import grpc
import pytest

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_client import QuoteTraceClient
from quotetrace_client.cli import main as client_main
from quotetrace_server.config import ServerConfig
from quotetrace_server.ingest.model import Article

if TYPE_CHECKING:
    from quotetrace_server.engine.engine import Engine

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED = "001_2a18783046106177.txt"  # states a title, an outlet and a date in its header
ALL_NULL = {"title": None, "outlet": None, "byline": None, "date": None, "wire_credits": None}


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


def corpus(folder: Path, manifest: Mapping[str, object] | None) -> Path:
    folder.mkdir()
    (folder / SEED).write_text((SEEDS / SEED).read_text(encoding="utf-8"), encoding="utf-8")
    if manifest is not None:
        line = json.dumps({"file": SEED, **manifest})
        (folder / "manifest.jsonl").write_text(line + "\n", encoding="utf-8")
    return folder


def stored(engine: Engine, text: str) -> Article:
    """The indexed article with exactly this text (ids are by URL or path, not text)."""
    records, _ = engine.list_articles(offset=0, limit=10_000)
    found = [engine.store.get_article(r.article_id) for r in records]
    [article] = [a for a in found if a is not None and a.text == text]
    return article


def ingest(capsys: pytest.CaptureFixture[str], server: str, *paths: Path) -> tuple[int, str, str]:
    code = client_main(["--server", server, "ingest", *map(str, paths)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_text_states_metadata_that_is_derived_when_no_manifest_says_otherwise(
    engine: Engine, server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = corpus(tmp_path / "c", None)
    assert ingest(capsys, server, folder)[0] == 0
    meta = stored(engine, (folder / SEED).read_text(encoding="utf-8")).meta
    # The premise of the null tests below: without a manifest these are derived.
    assert meta.date == "2023-09-13" and meta.title and meta.outlet


def test_manifest_null_is_not_stated_through_grpc_as_through_index(
    engine: Engine,
    server: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    models_dir: str,
) -> None:
    from quotetrace_server.engine.engine import Engine

    folder = corpus(tmp_path / "c", ALL_NULL)
    assert ingest(capsys, server, folder)[0] == 0
    via_grpc = stored(engine, (folder / SEED).read_text(encoding="utf-8")).meta
    assert (via_grpc.title, via_grpc.outlet, via_grpc.byline, via_grpc.date) == (None,) * 4
    assert via_grpc.wire_credits == ()

    offline = Engine.open(tmp_path / "offline.db", models_dir)
    try:
        for _ in offline.ingest_paths([folder]):
            pass
        via_index = stored(offline, (folder / SEED).read_text(encoding="utf-8")).meta
    finally:
        offline.close()
    assert via_index == via_grpc


def test_a_missing_manifest_key_is_derived_and_a_given_value_is_kept(
    engine: Engine, server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = corpus(tmp_path / "c", {"outlet": None, "title": "Given title", "wire_credits": []})
    assert ingest(capsys, server, folder)[0] == 0
    meta = stored(engine, (folder / SEED).read_text(encoding="utf-8")).meta
    assert meta.outlet is None
    assert meta.title == "Given title"
    assert meta.date == "2023-09-13"  # key missing: read from the text
    assert meta.wire_credits == ()


def test_an_unset_field_is_derived_and_an_empty_one_is_not_stated(
    engine: Engine, server: str
) -> None:
    text = (SEEDS / SEED).read_text(encoding="utf-8")
    reprint = text + "\n(Reprint)\n"
    with QuoteTraceClient(server, timeout=60) as client:
        client.ingest([pb.Article(text=text), pb.Article(text=reprint, date="", title="")])
    assert stored(engine, text).meta.date == "2023-09-13"
    unstated = stored(engine, reprint).meta
    assert (unstated.date, unstated.title) == (None, None)
    assert unstated.outlet == stored(engine, text).meta.outlet  # unset: derived


def test_content_type_other_than_text_is_refused(server: str) -> None:
    with QuoteTraceClient(server, timeout=60) as client, pytest.raises(grpc.RpcError) as caught:
        client.ingest([pb.Article(text="Text.", content_type="application/pdf")])
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "content_type" in (caught.value.details() or "")


def test_manifest_null_holds_for_an_html_page_too_and_nothing_is_marked_derived(
    engine: Engine,
    server: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    models_dir: str,
) -> None:
    from quotetrace_server.engine.engine import Engine
    from tests.test_ingest_inputs import PAGE

    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "bridge.html").write_text(PAGE, encoding="utf-8")
    nulls = {"file": "bridge.html", **ALL_NULL}
    (folder / "manifest.jsonl").write_text(json.dumps(nulls) + "\n", encoding="utf-8")
    assert ingest(capsys, server, folder)[0] == 0
    [record], _ = engine.list_articles(offset=0, limit=10)
    via_grpc = engine.store.get_article(record.article_id)
    assert via_grpc is not None
    meta = via_grpc.meta
    # The page states all four (see test_ingest_inputs); the manifest says "not stated".
    assert (meta.title, meta.outlet, meta.byline, meta.date, meta.wire_credits) == (
        None,
        None,
        None,
        None,
        (),
    )
    assert meta.derived == () and record.derived == ()
    offline = Engine.open(tmp_path / "offline.db", models_dir, semantic=False)
    try:
        for _ in offline.ingest_paths([folder]):
            pass
        via_index = offline.store.get_article(record.article_id)
    finally:
        offline.close()
    assert via_index is not None and via_index.meta == meta
