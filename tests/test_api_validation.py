"""Bad input gets the right status and an actionable message; odd-but-valid text is answered."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import grpc
import pytest

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_client import QuoteTraceClient, claim_request
from quotetrace_server.api import validation
from quotetrace_server.api.server import RunningServer, start_server
from quotetrace_server.api.validation import encode_page_token
from quotetrace_server.config import Limits, ServerConfig
from quotetrace_server.engine.engine import Engine

LIMITS = Limits()


def status_of(call: Callable[[], Any]) -> tuple[grpc.StatusCode, str]:
    with pytest.raises(grpc.RpcError) as caught:
        call()
    error = caught.value
    assert isinstance(error, grpc.Call)
    return error.code(), error.details() or ""


@pytest.mark.parametrize("quote", ["", "   ", "\n\t "])
def test_empty_or_blank_quote_is_invalid_argument(client: QuoteTraceClient, quote: str) -> None:
    code, details = status_of(lambda: client.verify(quote))
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert details == "quote is empty"


def test_quote_over_the_length_limit_is_refused_and_the_limit_is_named(
    client: QuoteTraceClient,
) -> None:
    code, details = status_of(lambda: client.verify("x" * (LIMITS.max_quote_chars + 1)))
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert str(LIMITS.max_quote_chars) in details


def test_quote_at_the_length_limit_is_answered(client: QuoteTraceClient) -> None:
    response = client.verify("word " * (LIMITS.max_quote_chars // 5))
    assert response.verdict == pb.VERDICT_NOT_FOUND


def test_too_many_variants_requested_is_invalid_argument(client: QuoteTraceClient) -> None:
    request = claim_request("That’s why we came here", max_variants=LIMITS.max_variants + 1)
    code, details = status_of(lambda: client.verify_request(request))
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert "max_variants" in details


@pytest.mark.parametrize(
    ("date_from", "date_to", "fragment"),
    [
        ("2023-13-01", "", "start_date"),
        ("", "yesterday", "end_date"),
        ("2023-09-14", "2023-09-13", "starts"),
    ],
)
def test_malformed_date_range_is_invalid_argument(
    client: QuoteTraceClient, date_from: str, date_to: str, fragment: str
) -> None:
    request = claim_request("why we came here", date_from=date_from, date_to=date_to)
    code, details = status_of(lambda: client.verify_request(request))
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert fragment in details


def test_date_range_filter_excludes_printings_outside_it(client: QuoteTraceClient) -> None:
    request = claim_request("That’s why we came here", date_from="2024-01-01")
    assert client.verify_request(request).verdict == pb.VERDICT_NOT_FOUND


def test_unknown_article_id_is_not_found(client: QuoteTraceClient) -> None:
    code, _ = status_of(lambda: client.list_quotes(article_id="0123456789abcdef"))
    assert code == grpc.StatusCode.NOT_FOUND


def test_malformed_article_id_is_invalid_argument(client: QuoteTraceClient) -> None:
    code, details = status_of(lambda: client.list_quotes(article_id="../../etc/passwd"))
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert "article_id" in details


def test_unknown_speaker_is_not_found(client: QuoteTraceClient) -> None:
    code, _ = status_of(lambda: client.get_speaker("Nobody Anyone-Person"))
    assert code == grpc.StatusCode.NOT_FOUND


def test_list_quotes_needs_exactly_one_selector(client: QuoteTraceClient) -> None:
    code, _ = status_of(lambda: client.list_quotes())
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    code, _ = status_of(lambda: client.list_quotes(article_id="0123456789abcdef", speaker="Putin"))
    assert code == grpc.StatusCode.INVALID_ARGUMENT


def test_forged_page_token_is_invalid_argument(client: QuoteTraceClient) -> None:
    code, details = status_of(lambda: client.list_quotes(speaker="Putin", page_token="!!nope"))
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert "page_token" in details


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "token",
    [
        "o:99999999999999999999999",  # issue 15, B6: was INTERNAL (an offset SQLite can't bind)
        b64("o:99999999999999999999999"),
        b64("o:9223372036854775808"),  # 2**63
        b64("o:-1"),
        b64("o: 5"),
        b64("o:1_0"),
        b64("x:5"),
        b64("o:"),
        encode_page_token(5) + "==",
        "é",
    ],
)
def test_malformed_or_out_of_range_page_token_is_invalid_argument(
    client: QuoteTraceClient, token: str
) -> None:
    code, details = status_of(lambda: client.list_quotes(speaker="Putin", page_token=token))
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert details == "page_token is not a token returned by ListQuotes"


def test_a_page_token_past_the_end_is_an_empty_last_page(client: QuoteTraceClient) -> None:
    first = client.list_quotes(speaker="Putin", page_size=2)
    assert first.next_page_token and len(first.quotes) == 2
    second = client.list_quotes(speaker="Putin", page_size=2, page_token=first.next_page_token)
    assert second.quotes and second.quotes[0] != first.quotes[0]
    far = client.list_quotes(speaker="Putin", page_token=encode_page_token(10**15 - 1))
    assert list(far.quotes) == [] and far.next_page_token == ""
    assert far.total_size == first.total_size


@pytest.mark.parametrize("bad", ["why we\x00 came", "why\x1b[31m we came", "why we came\x7f"])
def test_control_characters_are_invalid_argument_with_their_position(
    client: QuoteTraceClient, bad: str
) -> None:
    code, details = status_of(lambda: client.verify(bad))
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert "control character" in details and "at character" in details


def test_lone_surrogate_on_the_wire_is_invalid_argument_not_internal(
    seeded_server: RunningServer,
) -> None:
    quote = b"why \xed\xa0\x80 came"  # UTF-8 encoding of the lone surrogate U+D800
    raw = b"\x0a" + bytes([len(quote)]) + quote  # field 1 (quote), length-delimited
    with grpc.insecure_channel(f"127.0.0.1:{seeded_server.port}") as channel:
        call = channel.unary_unary(
            "/quotetrace.v1.QuoteTrace/Verify",
            request_serializer=lambda b: b,
            response_deserializer=pb.VerifyResponse.FromString,
        )
        code, details = status_of(lambda: call(raw, timeout=10))
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert "not a valid protobuf message" in details


@pytest.mark.parametrize(
    "quote", ["Мы будем говорить обо всех вопросах", "我们为此而来", "That’s why we came here 🚀🇰🇵"]
)
def test_other_scripts_and_emoji_are_answered_not_rejected(
    client: QuoteTraceClient, quote: str
) -> None:
    response = client.verify(quote)
    assert response.verdict != pb.VERDICT_UNSPECIFIED
    assert response.explanation


def test_message_over_the_size_cap_is_resource_exhausted(client: QuoteTraceClient) -> None:
    huge = pb.Article(text="a" * (LIMITS.max_message_bytes + 1024))
    code, _ = status_of(lambda: client.ingest([huge], timeout=30))
    assert code == grpc.StatusCode.RESOURCE_EXHAUSTED


def test_article_over_the_size_limit_is_refused_and_nothing_is_indexed(
    client: QuoteTraceClient,
) -> None:
    before = client.stats().article_count
    too_big = pb.Article(text="Word. " * (LIMITS.max_article_bytes // 6 + 10))
    code, details = status_of(lambda: client.ingest([too_big], timeout=30))
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert str(LIMITS.max_article_bytes) in details
    assert client.stats().article_count == before


@pytest.mark.parametrize(
    ("credits", "expected"),
    [
        (
            ["Reuters\x00"],
            "article.wire_credits[0] contains a control character U+0000 at character 7",
        ),
        (
            ["AFP", "Reu\nters"],
            "article.wire_credits[1] contains a control character U+000A at character 3",
        ),
        (
            ["R" * 500_000],
            f"article.wire_credits[0] is 500000 characters; the limit is {LIMITS.max_credit_chars}",
        ),
        (
            ["AFP"] * 50_000,
            f"article.wire_credits has 50000 credits; the limit is {LIMITS.max_wire_credits}",
        ),
    ],
)
def test_malformed_wire_credits_are_refused_naming_the_field_and_limit(
    client: QuoteTraceClient, credits: list[str], expected: str
) -> None:
    before = client.stats().article_count
    article = pb.Article(text="“We came,” Ana Novak said.", wire_credits=credits)
    code, details = status_of(lambda: client.ingest([article], timeout=30))
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert details == f"article 1: {expected}"
    assert client.stats().article_count == before


def test_wire_credits_within_the_limits_pass_validation() -> None:
    credits = ["Reuters", "AFP", "R" * LIMITS.max_credit_chars] + ["AP"] * (
        LIMITS.max_wire_credits - 3
    )
    validation.check_article(pb.Article(text="Text.", wire_credits=credits), LIMITS)


def test_verify_past_its_deadline_is_deadline_exceeded(client: QuoteTraceClient) -> None:
    client.timeout = 0.000001
    code, _ = status_of(lambda: client.verify("That’s why we came here"))
    assert code == grpc.StatusCode.DEADLINE_EXCEEDED


def test_ingest_past_its_deadline_stops_work_and_keeps_the_index_whole(
    tmp_path: Path, models_dir: str, seed_texts: dict[str, str]
) -> None:
    engine = Engine.open(tmp_path / "index.db", models_dir)
    engine.attributor()  # load stanza first: the deadline should cut ingestion, not loading
    running = start_server(engine, ServerConfig(host="127.0.0.1", port=0, open_writes=True))
    articles = [
        pb.Article(text=f"{text}\n\n(Reprint {n})\n", source_name=name)
        for n in range(4)
        for name, text in seed_texts.items()
    ]
    name, text = sorted(seed_texts.items())[0]
    try:
        with QuoteTraceClient(f"127.0.0.1:{running.port}") as client:
            # One article's time on this machine now: a loaded CI machine takes several
            # times longer than an idle one, and the waits below are counted in articles.
            # The second of two is timed: the first may load what any first article needs.
            for label in ("Warm-up", "Timed"):
                began = time.monotonic()
                client.ingest([pb.Article(text=f"{text}\n\n({label})\n", source_name=name)])
                one = time.monotonic() - began
            before = client.stats().article_count
            # Room for an article or two, far from all of them: the deadline cuts the work.
            deadline = max(1.5, 2 * one)
            code, _ = status_of(lambda: client.ingest(articles, timeout=deadline))
            assert code == grpc.StatusCode.DEADLINE_EXCEEDED
            # Long enough for the article in hand to be committed and several more after
            # it, had work gone on.
            time.sleep(max(3.0, 4 * one))
            stopped_at = client.stats().article_count - before
            assert 0 < stopped_at < len(articles)
            time.sleep(max(2.0, 3 * one))
            assert client.stats().article_count - before == stopped_at
    finally:
        running.stop(None)
        engine.close()
