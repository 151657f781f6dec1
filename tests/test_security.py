"""API keys guard writes (and reads when asked), TLS works, hostile strings stay data."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_client import QuoteTraceClient
from quotetrace_server.api.engine import Engine
from quotetrace_server.api.server import RunningServer, start_server
from quotetrace_server.config import ServerConfig

KEY = "s3cret-key-for-tests-only"
HOSTILE = "'); DROP TABLE quotes; --"


@pytest.fixture()
def empty_engine(tmp_path: Path, models_dir: str) -> Iterator[Engine]:
    engine = Engine.open(tmp_path / "index.db", models_dir)
    yield engine
    engine.close()


def serve(engine: Engine, **settings: object) -> RunningServer:
    return start_server(engine, ServerConfig(host="127.0.0.1", port=0, **settings))  # type: ignore[arg-type]


def code_of(error: pytest.ExceptionInfo[grpc.RpcError]) -> grpc.StatusCode:
    assert isinstance(error.value, grpc.Call)
    return error.value.code()


def one_article(seed_texts: dict[str, str]) -> list[pb.Article]:
    name, text = sorted(seed_texts.items())[3]
    return [pb.Article(text=text, source_name=name)]


def test_ingest_needs_the_key_when_one_is_configured(
    empty_engine: Engine, seed_texts: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    running = serve(empty_engine, api_key=KEY)
    target = f"127.0.0.1:{running.port}"
    try:
        with QuoteTraceClient(target) as anonymous, pytest.raises(grpc.RpcError) as missing:
            anonymous.ingest(one_article(seed_texts))
        assert code_of(missing) == grpc.StatusCode.UNAUTHENTICATED

        with (
            caplog.at_level(logging.DEBUG),
            QuoteTraceClient(target, api_key="wrong-" + KEY) as wrong,
            pytest.raises(grpc.RpcError) as denied,
        ):
            wrong.ingest(one_article(seed_texts))
        assert code_of(denied) == grpc.StatusCode.PERMISSION_DENIED
        assert KEY not in caplog.text

        with QuoteTraceClient(target, api_key=KEY) as owner:
            assert owner.ingest(one_article(seed_texts)).articles_added == 1
        with QuoteTraceClient(target) as reader:  # reads stay open by default
            assert reader.stats().article_count == 1
            assert reader.health() == "SERVING"
    finally:
        running.stop(None)


def test_reads_need_the_key_when_configured_but_health_stays_open(empty_engine: Engine) -> None:
    running = serve(empty_engine, api_key=KEY, keys_required_for_reads=True)
    target = f"127.0.0.1:{running.port}"
    try:
        with QuoteTraceClient(target) as anonymous:
            assert anonymous.health() == "SERVING"
            with pytest.raises(grpc.RpcError) as refused:
                anonymous.verify("anything at all")
            assert code_of(refused) == grpc.StatusCode.UNAUTHENTICATED
        with QuoteTraceClient(target, api_key=KEY) as owner:
            assert owner.verify("anything at all").verdict == pb.VERDICT_NOT_FOUND
    finally:
        running.stop(None)


def test_tls_server_talks_to_a_client_that_trusts_its_ca(
    tmp_path: Path, empty_engine: Engine
) -> None:
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    cert = ca.issue_cert("localhost", "127.0.0.1")
    cert_file, key_file, ca_file = tmp_path / "cert.pem", tmp_path / "key.pem", tmp_path / "ca.pem"
    cert.private_key_pem.write_to_path(str(key_file))
    cert.cert_chain_pems[0].write_to_path(str(cert_file))
    ca.cert_pem.write_to_path(str(ca_file))
    running = serve(empty_engine, tls_cert=cert_file, tls_key=key_file)
    try:
        with QuoteTraceClient(f"localhost:{running.port}", tls_ca=ca_file) as secure:
            assert secure.stats().article_count == 0
        with QuoteTraceClient(f"localhost:{running.port}", timeout=3) as plaintext:
            with pytest.raises(grpc.RpcError) as refused:
                plaintext.stats()
            assert code_of(refused) == grpc.StatusCode.UNAVAILABLE
    finally:
        running.stop(None)


def test_hostile_strings_are_stored_and_queried_as_data(
    empty_engine: Engine, seed_texts: dict[str, str], tmp_path: Path
) -> None:
    text = sorted(seed_texts.items())[0][1]
    hostile_text = text + f"\n\n“{HOSTILE} is what we found,” said Robert Tables.\n"
    running = serve(empty_engine)
    try:
        with QuoteTraceClient(f"127.0.0.1:{running.port}") as client:
            client.ingest(
                [pb.Article(text=hostile_text, source_name=HOSTILE, outlet=HOSTILE, title=HOSTILE)]
            )
            found = client.verify(f"{HOSTILE} is what we found", speaker=HOSTILE)
            assert found.verdict == pb.VERDICT_MISATTRIBUTED
            assert found.variants[0].occurrences[0].outlet == HOSTILE
            with pytest.raises(grpc.RpcError) as unknown:
                client.get_speaker(HOSTILE)
            assert code_of(unknown) == grpc.StatusCode.NOT_FOUND
            assert client.stats().quote_count > 10
    finally:
        running.stop(None)
    with sqlite3.connect(tmp_path / "index.db") as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert "quotes" in tables or any("quote" in t for t in tables)


def test_ingest_without_nlp_models_is_failed_precondition_and_reads_still_work(
    tmp_path: Path, seed_texts: dict[str, str]
) -> None:
    engine = Engine.open(tmp_path / "index.db", stanza_dir=str(tmp_path / "no-models"))
    running = serve(engine)
    try:
        with QuoteTraceClient(f"127.0.0.1:{running.port}") as client:
            with pytest.raises(grpc.RpcError) as refused:
                client.ingest(one_article(seed_texts))
            assert code_of(refused) == grpc.StatusCode.FAILED_PRECONDITION
            assert "stanza" in (refused.value.details() or "")
            assert client.verify("anything at all").verdict == pb.VERDICT_NOT_FOUND
    finally:
        running.stop(None)
        engine.close()
