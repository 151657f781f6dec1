"""The desk's web page over HTTP: same engine as gRPC, reads only, escaped, ClaimReview download.

The browser itself is driven in tests/test_web_browser.py.
"""

from __future__ import annotations

import http.client
import json
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import grpc
import jsonschema
import pytest

from quotetrace_client import QuoteTraceClient, claim_request
from quotetrace_client.claimreview import Reviewer, claimreview
from quotetrace_server.config import ConfigError, ServerConfig

if TYPE_CHECKING:
    from quotetrace_server.api.server import RunningServer

WHY_WE_CAME = "That’s why we came here"
SCHEMA = json.loads((Path(__file__).parent / "claimreview.schema.json").read_text())


def get(server: RunningServer, path: str, **query: str) -> tuple[int, dict[str, str], str]:
    """(status, headers, body) of a GET; HTTP errors are returned, not raised."""
    url = f"http://127.0.0.1:{server.http_port}{path}"
    if query:
        url += "?" + urlencode(query)
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.fixture(scope="module")
def empty_web() -> Iterator[RunningServer]:
    """An empty in-memory index with the page: no NLP is loaded."""
    from quotetrace_server.api.server import start_server
    from quotetrace_server.engine.engine import Engine

    engine = Engine.open(":memory:")
    running = start_server(engine, ServerConfig(host="127.0.0.1", port=0, http_port=0))
    yield running
    running.stop(grace=None)
    engine.close()


def test_page_without_a_quote_is_the_form(empty_web: RunningServer) -> None:
    status, headers, body = get(empty_web, "/")
    assert status == 200
    assert headers["content-type"].startswith("text/html")
    assert '<form method="get"' in body
    assert 'id="verdict"' not in body


def test_every_page_forbids_scripts_with_its_content_security_policy(
    empty_web: RunningServer,
) -> None:
    for path, query in (("/", {}), ("/", {"q": "anything at all"}), ("/", {"q": "a\x07"})):
        _, headers, body = get(empty_web, path, **query)
        policy = headers["content-security-policy"]
        assert "default-src 'none'" in policy
        assert "script-src" not in policy  # falls back to default-src: none
        assert "<script" not in body
        assert headers["x-content-type-options"] == "nosniff"


def test_writes_are_refused_with_405(empty_web: RunningServer) -> None:
    for method in ("POST", "PUT", "DELETE"):
        request = urllib.request.Request(
            f"http://127.0.0.1:{empty_web.http_port}/", data=b"q=x", method=method
        )
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(request, timeout=10)
        assert error.value.code == 405


@pytest.mark.parametrize("quote", ["a bell\x07 rang", "x" * 5001])
def test_a_quote_the_service_refuses_gets_400_with_the_grpc_message(
    empty_web: RunningServer, quote: str
) -> None:
    with (
        QuoteTraceClient(f"127.0.0.1:{empty_web.port}") as client,
        pytest.raises(grpc.RpcError) as refused,
    ):
        client.verify(quote)
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    status, _, body = get(empty_web, "/", q=quote)
    assert status == 400
    assert str(refused.value.details()) in body.replace("&#39;", "'")
    status, _, body = get(empty_web, "/claimreview.jsonld", q=quote)
    assert status == 400
    assert json.loads(body) == {"error": refused.value.details()}


def test_claimreview_without_a_quote_is_400(empty_web: RunningServer) -> None:
    status, _, body = get(empty_web, "/claimreview.jsonld")
    assert status == 400
    assert "q (the quote) is required" in json.loads(body)["error"]


def test_page_stops_with_the_grpc_service() -> None:
    from quotetrace_server.api.server import start_server
    from quotetrace_server.engine.engine import Engine

    engine = Engine.open(":memory:")
    running = start_server(engine, ServerConfig(host="127.0.0.1", port=0, http_port=0))
    assert get(running, "/")[0] == 200
    running.stop(grace=1)
    engine.close()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"http://127.0.0.1:{running.http_port}/", timeout=5)


def test_a_web_page_port_in_use_is_an_error() -> None:
    from quotetrace_server.api.server import start_server
    from quotetrace_server.engine.engine import Engine

    engine = Engine.open(":memory:")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(OSError, match=f"cannot listen on 127.0.0.1:{port} for the web page"):
            start_server(engine, ServerConfig(host="127.0.0.1", port=0, http_port=port))
    engine.close()


def test_a_web_page_cannot_bypass_keys_for_reads() -> None:
    from quotetrace_server.api.server import start_server
    from quotetrace_server.engine.engine import Engine

    config = ServerConfig(
        host="127.0.0.1", port=0, http_port=0, api_key="k", keys_required_for_reads=True
    )
    engine = Engine.open(":memory:")
    with pytest.raises(ConfigError, match="--keys-for-reads"):
        start_server(engine, config)
    engine.close()


def test_page_is_served_over_https_with_the_grpc_certificate(tmp_path: Path) -> None:
    import ssl

    import trustme

    from quotetrace_server.api.server import start_server
    from quotetrace_server.engine.engine import Engine

    ca = trustme.CA()
    cert = ca.issue_cert("localhost", "127.0.0.1")
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.private_key_pem.write_to_path(str(key_file))
    cert.cert_chain_pems[0].write_to_path(str(cert_file))
    engine = Engine.open(":memory:")
    config = ServerConfig(
        host="127.0.0.1", port=0, http_port=0, tls_cert=cert_file, tls_key=key_file
    )
    running = start_server(engine, config)
    try:
        context = ssl.create_default_context()
        ca.configure_trust(context)
        url = f"https://127.0.0.1:{running.http_port}/?q=nothing+printed"
        with urllib.request.urlopen(url, context=context, timeout=10) as response:
            assert 'id="verdict">NOT_FOUND<' in response.read().decode()
        with pytest.raises((OSError, http.client.HTTPException)):  # no plaintext there
            urllib.request.urlopen(url.replace("https:", "http:"), timeout=10)
    finally:
        running.stop(None)
        engine.close()


def test_page_answers_from_the_verify_workers_when_there_are_some(tmp_path: Path) -> None:
    from quotetrace_server.api.server import start_server
    from quotetrace_server.engine.engine import Engine

    db = tmp_path / "index.db"
    engine = Engine.open(db)
    config = ServerConfig(host="127.0.0.1", port=0, http_port=0, processes=2, db=db)
    running = start_server(engine, config)
    try:
        assert running.verify_pool is not None
        status, _, body = get(running, "/", q="words nobody printed")
        assert (status, 'id="verdict">NOT_FOUND<' in body) == (200, True)
        status, _, body = get(running, "/", q="bad\x07")
        assert status == 400
        assert "control character" in body
    finally:
        running.stop(None)
        engine.close()


def test_page_socket_is_tcp_so_asyncio_turns_off_nagle_for_its_connections() -> None:
    """A socket made with protocol 0 gets no TCP_NODELAY from asyncio, and a reply written
    in two pieces then waits ~40 ms for the client's delayed ACK on a kept-alive connection."""
    from quotetrace_server.web.serve import bound_socket

    with bound_socket("127.0.0.1", 0) as sock:
        assert sock.proto == socket.IPPROTO_TCP


def test_serve_binds_the_page_to_loopback_by_default() -> None:
    from quotetrace_server.cli import build_parser, config_from_args

    config = config_from_args(build_parser().parse_args(["serve", "--http-port", "8080"]))
    assert (config.host, config.http_port) == ("localhost", 8080)
    config = config_from_args(build_parser().parse_args(["serve"]))
    assert config.http_port is None


def test_page_shows_the_grpc_answer_for_a_seed_quote(
    seeded_web: RunningServer,
) -> None:
    with QuoteTraceClient(f"127.0.0.1:{seeded_web.port}") as client:
        result = client.verify_result(WHY_WE_CAME, speaker="Kim Jong Un")
    status, _, body = get(seeded_web, "/", q=WHY_WE_CAME, speaker="Kim Jong Un")
    assert status == 200
    assert f'<strong id="verdict">{result.verdict}</strong>' in body
    for speaker in result.speakers:
        assert f'<td class="name">{speaker.name}</td>' in body
    for outlet in result.outlets:
        assert f'<td class="name">{outlet.name}</td>' in body


def test_claimreview_download_is_the_cli_builders_review_and_validates(
    seeded_web: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUOTETRACE_ORG_NAME", "Example Fact Desk")
    monkeypatch.setenv("QUOTETRACE_ORG_URL", "https://factdesk.example/")
    status, headers, body = get(
        seeded_web, "/claimreview.jsonld", q=WHY_WE_CAME, speaker="Kim Jong Un"
    )
    assert status == 200
    assert headers["content-type"].startswith("application/ld+json")
    assert headers["content-disposition"].startswith("attachment")
    review: dict[str, Any] = json.loads(body)
    jsonschema.validate(review, SCHEMA)
    request = claim_request(WHY_WE_CAME, "Kim Jong Un")
    with QuoteTraceClient(f"127.0.0.1:{seeded_web.port}") as client:
        response = client.verify_request(request)
    reviewer = Reviewer(
        name="Example Fact Desk",
        url="https://factdesk.example/",
        date=datetime.now(UTC).date().isoformat(),
    )
    assert review == claimreview(None, request, response, reviewer)
    assert review["reviewRating"]["alternateName"] == "Misattributed"


def test_filters_narrow_the_printings_and_the_page_says_how_many_they_hide(
    seeded_web: RunningServer,
) -> None:
    with QuoteTraceClient(f"127.0.0.1:{seeded_web.port}") as client:
        everything = client.verify_result(WHY_WE_CAME)
        outside = client.verify_request(claim_request(WHY_WE_CAME, outlet="No Such Outlet"))
    assert everything.printing_count > 0 and outside.printings_outside_filter > 0
    status, _, body = get(seeded_web, "/", q=WHY_WE_CAME, outlet="No Such Outlet")
    assert status == 200
    assert f"{outside.printings_outside_filter} printing(s) of this utterance lie outside" in body
    assert 'value="No Such Outlet"' in body  # the form keeps the filter
    assert "outlet=No+Such+Outlet" in body  # and so does the ClaimReview link
    status, _, body = get(seeded_web, "/", q=WHY_WE_CAME)
    assert "lie outside your filters" not in body


def test_a_malformed_date_filter_gets_the_services_400(seeded_web: RunningServer) -> None:
    status, _, body = get(seeded_web, "/", q=WHY_WE_CAME, **{"from": "last spring"})
    assert status == 400
    assert 'id="error"' in body and "date" in body


def test_the_page_is_503_not_a_verdict_while_the_index_is_being_seeded() -> None:
    from quotetrace_server.api.server import SEEDING, start_server
    from quotetrace_server.engine.engine import Engine

    engine = Engine.open(":memory:")
    running = start_server(
        engine, ServerConfig(host="127.0.0.1", port=0, http_port=0), problems=[SEEDING]
    )
    try:
        status, _, body = get(running, "/", q=WHY_WE_CAME)
        assert status == 503 and "being seeded" in body and 'id="verdict"' not in body
        running.report(SEEDING, False)
        status, _, body = get(running, "/", q=WHY_WE_CAME)
        assert status == 200 and '<strong id="verdict">NOT_FOUND</strong>' in body
    finally:
        running.stop(grace=None)
        engine.close()
