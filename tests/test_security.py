"""API keys guard writes (and reads when asked), TLS works, hostile strings stay data."""

from __future__ import annotations

import logging
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_client import QuoteTraceClient
from quotetrace_server.api.server import RunningServer, start_server, warn_about_exposure
from quotetrace_server.cli import build_parser, main
from quotetrace_server.config import ConfigError, ServerConfig, is_loopback
from quotetrace_server.engine.engine import Engine

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
        # A deadline a loaded machine cannot outlast: the refusal is UNAVAILABLE, after
        # the client's retries, not a deadline cutting the retries short.
        with QuoteTraceClient(f"localhost:{running.port}", timeout=30) as plaintext:
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
    running = serve(empty_engine, open_writes=True)
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
    running = serve(engine, open_writes=True)
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


# --- safe defaults (issue 15, B9) ----------------------------------------------------------


def test_without_a_key_writes_are_refused_and_the_caller_is_told_how_to_open_them(
    empty_engine: Engine, seed_texts: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    running = serve(empty_engine)  # no key, no open_writes: the defaults
    try:
        with (
            caplog.at_level(logging.WARNING),
            QuoteTraceClient(f"127.0.0.1:{running.port}") as client,
        ):
            with pytest.raises(grpc.RpcError) as refused:
                client.ingest(one_article(seed_texts))
            assert code_of(refused) == grpc.StatusCode.PERMISSION_DENIED
            details = refused.value.details() or ""
            assert "--api-key-file" in details and "--insecure-open-writes" in details
            assert client.stats().article_count == 0  # nothing written; reads still open
            assert client.health() == "SERVING"
    finally:
        running.stop(None)
    refusals = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert refusals and "IngestArticles" in refusals[0] and "127.0.0.1" in refusals[0]


def test_auth_failures_are_logged_with_the_callers_address(
    empty_engine: Engine, seed_texts: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    running = serve(empty_engine, api_key=KEY)
    try:
        with caplog.at_level(logging.WARNING):
            for key in (None, "wrong"):
                with (
                    QuoteTraceClient(f"127.0.0.1:{running.port}", api_key=key) as client,
                    pytest.raises(grpc.RpcError),
                ):
                    client.ingest(one_article(seed_texts))
    finally:
        running.stop(None)
    refusals = [r.getMessage() for r in caplog.records if r.getMessage().startswith("refused")]
    assert len(refusals) == 2
    assert all("127.0.0.1" in line for line in refusals), refusals
    assert "no API key" in refusals[0] and "wrong API key" in refusals[1]
    assert KEY not in caplog.text


def test_the_default_host_is_loopback_only(empty_engine: Engine) -> None:
    assert build_parser().parse_args(["serve"]).host == ServerConfig().host
    assert is_loopback(ServerConfig().host)
    assert is_loopback("127.0.0.1") and is_loopback("[::1]") and not is_loopback("[::]")
    running = start_server(empty_engine, ServerConfig(port=0))
    try:
        for host in ("127.0.0.1", "[::1]"):
            with QuoteTraceClient(f"{host}:{running.port}", timeout=30) as local:
                assert local.health() == "SERVING"
        outward = outward_address()
        if outward is None:
            pytest.skip("this machine has no non-loopback address to try")
        with QuoteTraceClient(f"{outward}:{running.port}", timeout=2) as remote:
            with pytest.raises(grpc.RpcError) as unreachable:
                remote.health()
            assert code_of(unreachable) in {
                grpc.StatusCode.UNAVAILABLE,
                grpc.StatusCode.DEADLINE_EXCEEDED,
            }
    finally:
        running.stop(None)


def outward_address() -> str | None:
    """This machine's address on its default route (nothing is sent), if not loopback."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: routed, never answered
        except OSError:
            return None
        address = str(probe.getsockname()[0])
    return None if is_loopback(address) else address


@pytest.mark.parametrize(
    ("argv", "env", "message"),
    [
        (["--api-key-file", "{empty}"], {}, "--api-key-file {empty} is empty"),
        ([], {"QUOTETRACE_API_KEY_FILE": "{empty}"}, "QUOTETRACE_API_KEY_FILE {empty} is empty"),
        (["--keys-for-reads"], {}, "--keys-for-reads needs an API key"),
        (
            ["--api-key-file", "{key}", "--insecure-open-writes"],
            {},
            "--insecure-open-writes and an API key contradict each other",
        ),
    ],
)
def test_access_settings_that_would_fail_open_stop_the_server_with_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    env: dict[str, str],
    message: str,
) -> None:
    empty, key = tmp_path / "empty.key", tmp_path / "real.key"
    empty.write_text("  \n", encoding="utf-8")
    key.write_text(KEY + "\n", encoding="utf-8")
    monkeypatch.delenv("QUOTETRACE_API_KEY", raising=False)
    monkeypatch.delenv("QUOTETRACE_API_KEY_FILE", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value.format(empty=empty, key=key))
    db = tmp_path / "never-created.db"
    argv = [a.format(empty=empty, key=key) for a in argv]
    code = main(["serve", "--db", str(db), "--no-seed", "--port", "0", *argv])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert err.startswith(f"quotetrace-server: {message.format(empty=empty)}")
    assert not db.exists()


def test_start_server_refuses_reads_behind_a_key_that_is_not_there(empty_engine: Engine) -> None:
    with pytest.raises(ConfigError, match="keys-for-reads"):
        serve(empty_engine, keys_required_for_reads=True)


def test_a_key_over_plaintext_beyond_loopback_is_warned_about(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        warn_about_exposure(ServerConfig(host="127.0.0.1", api_key=KEY))
        assert caplog.records == []
        warn_about_exposure(ServerConfig(host="[::]", api_key=KEY, tls_cert=Path("c.pem")))
        assert caplog.records == []
        warn_about_exposure(ServerConfig(host="[::]", api_key=KEY))
        warn_about_exposure(ServerConfig(host="0.0.0.0", open_writes=True))
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 2
    assert "plaintext" in lines[0] and "API key" in lines[0]
    assert "writes are open" in lines[1]
    assert KEY not in caplog.text


def test_log_level_is_accepted_before_and_after_serve() -> None:
    parser = build_parser()
    assert parser.parse_args(["serve", "--log-level", "DEBUG"]).log_level == "DEBUG"
    assert parser.parse_args(["--log-level", "WARNING", "serve"]).log_level == "WARNING"
