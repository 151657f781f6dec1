"""`quotetrace verify --file`: every output line pairs a claim with its own verdict.

Against the real server (tests/conftest.py's seeded_server): duplicate ids, lines that are
not claims, and claims the server rejects are reported by line, the rest are answered, and
the summary adds up. Against a fake servicer that breaks the pairing: the client stops
rather than print a verdict under the wrong claim.
"""

from __future__ import annotations

import io
import json
import re
import tempfile
from collections.abc import Iterator
from concurrent import futures
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import grpc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace.v1 import quotetrace_pb2_grpc as pb_grpc
from quotetrace_client import QuoteTraceClient
from quotetrace_client.cli import main
from quotetrace_server.api.server import RunningServer

QUOTES = [
    "That’s why we came here",
    "That’s exactly why we came here.",
    "That is exactly why we came here",
    "There is no workaround",
    "We will talk about all the issues, without haste",
    "Purple lanterns hum beneath the quiet harbour",
    "a line\u2028separator and a next\u2029paragraph inside one claim",
]
SPEAKERS = [None, "Putin", "Kim Jong Un", "Lee Choon Geun"]
REJECTED = ["we came \x07here", "x" * 20_000]  # a control character; over the length limit
NOT_CLAIMS = ["not json", "[1, 2]", '{"id": "zz"}', '{"quote": "   "}', '{"quote": "q", "id": 1.5}']


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def target(seeded_server: RunningServer) -> str:
    return f"127.0.0.1:{seeded_server.port}"


@pytest.fixture(scope="module")
def single_verdicts(target: str) -> Iterator[dict[tuple[str, str | None], tuple[str, float]]]:
    """What Verify says for each (quote, speaker) on its own: the reference for a batch."""
    with QuoteTraceClient(target) as client:
        yield {
            (q, s): (
                pb.Verdict.Name(client.verify(q, s).verdict).removeprefix("VERDICT_"),
                client.verify(q, s).confidence,
            )
            for q in QUOTES
            for s in SPEAKERS
        }


line_kinds = st.one_of(
    st.tuples(st.just("claim"), st.sampled_from(QUOTES), st.sampled_from(SPEAKERS)),
    st.tuples(st.just("rejected"), st.sampled_from(REJECTED), st.sampled_from(SPEAKERS)),
    st.tuples(st.just("not a claim"), st.sampled_from(NOT_CLAIMS), st.none()),
    st.tuples(st.just("blank"), st.just("  "), st.none()),
)
ids = st.one_of(st.none(), st.sampled_from(["a", "b", "c", "1", "é/?"]), st.integers(0, 3))


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    lines=st.lists(st.tuples(line_kinds, ids), min_size=1, max_size=14),
    mode=st.sampled_from(["--claimreview", "--json"]),
)
def test_every_output_line_pairs_its_claim_with_its_own_verdict(
    target: str,
    single_verdicts: dict[tuple[str, str | None], tuple[str, float]],
    lines: list[tuple[tuple[str, str, str | None], int | str | None]],
    mode: str,
) -> None:
    text: list[str] = []
    expected_answers: dict[int, tuple[str | None, str, str | None]] = {}
    expected_skips: dict[int, str] = {}
    seen: set[str] = set()
    for number, ((kind, quote, speaker), claim_id) in enumerate(lines, start=1):
        if kind in ("not a claim", "blank"):
            text.append(quote)
            if kind == "not a claim":
                reason = "invalid JSON" if quote == "not json" else "not a claim"
                expected_skips[number] = reason
            continue
        record: dict[str, Any] = {"quote": quote, "speaker": speaker}
        if claim_id is not None:
            record["id"] = claim_id
        text.append(json.dumps(record, ensure_ascii=False))
        key = None if claim_id is None else str(claim_id)
        if key is not None and key in seen:
            expected_skips[number] = "duplicate id"
        elif kind == "rejected":
            expected_skips[number] = "rejected by the server"
        else:
            expected_answers[number] = (key, quote, speaker)
        if key is not None:
            seen.add(key)

    with tempfile.TemporaryDirectory() as folder:
        claims = Path(folder, "claims.jsonl")
        claims.write_text("\n".join(text) + "\n", encoding="utf-8")
        code, out, err = run_cli("--server", target, "verify", "--file", str(claims), mode)

    answered: dict[int, tuple[str | None, str, str | None, str, float]] = {}
    for output in out.splitlines():
        record = json.loads(output)
        if mode == "--claimreview":
            ours = record["quotetrace"]
            author = record["itemReviewed"].get("author")
            answered[ours["line"]] = (
                ours["claimId"],
                record["claimReviewed"],
                author["name"] if author else None,
                ours["verdict"],
                ours["confidence"],
            )
        else:
            request_line = record["line"]
            quote, speaker = expected_answers.get(request_line, (None, "", None))[1:]
            answered[request_line] = (
                record["claim_id"],
                quote,
                speaker,
                record["response"]["verdict"].removeprefix("VERDICT_"),
                record["response"]["confidence"],
            )
    # the answered lines are exactly the valid, first-seen, accepted ones, in input order
    assert list(answered) == sorted(expected_answers)
    for number, (key, quote, speaker) in expected_answers.items():
        verdict, confidence = single_verdicts[(quote, speaker)]
        assert answered[number] == (key, quote, speaker, verdict, confidence), number

    reported = {
        int(m.group(1)): m.group(2)
        for m in re.finditer(rf"^quotetrace: {re.escape(str(claims))}:(\d+): (.*)$", err, re.M)
    }
    assert set(reported) == set(expected_skips)
    for number, reason in expected_skips.items():
        assert reported[number].startswith(reason), (number, reported[number])

    summary = err.splitlines()[-1]
    blank = sum(1 for (kind, _, _), _ in lines if kind == "blank")
    assert f": {len(lines)} line(s): {len(expected_answers)} claim(s) verified" in summary
    assert f", {len(expected_skips)} skipped" in summary
    assert (f", {blank} blank" in summary) == (blank > 0)
    assert code == (1 if expected_skips else 0)


def test_duplicate_id_is_an_error_for_the_second_line_and_never_gets_the_first_verdict(
    target: str, tmp_path: Path
) -> None:
    claims = tmp_path / "claims.jsonl"
    claims.write_text(
        json.dumps({"id": "c1", "quote": "That’s why we came here", "speaker": "Putin"})
        + "\n"
        + json.dumps({"id": "c1", "quote": "He is a thief", "speaker": "Someone Else"})
        + "\n",
        encoding="utf-8",
    )
    code, out, err = run_cli("--server", target, "verify", "--file", str(claims), "--claimreview")
    assert code == 1
    reviews = [json.loads(line) for line in out.splitlines()]
    assert [(r["claimReviewed"], r["quotetrace"]["line"]) for r in reviews] == [
        ("That’s why we came here", 1)
    ]
    assert f"{claims}:2: duplicate id 'c1' (first on line 1)" in err


def test_a_rejected_claim_is_reported_by_line_and_the_rest_of_the_batch_goes_on(
    target: str, tmp_path: Path
) -> None:
    claims = tmp_path / "claims.jsonl"
    rows = [
        {"id": "c1", "quote": "That’s why we came here", "speaker": "Putin"},
        {"id": "c2", "quote": "bad \x01 claim"},
        {"id": "c3", "quote": "y" * 20_000},
        {"id": "c4", "quote": "That’s why we came here", "speaker": "Kim Jong Un"},
    ]
    claims.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    code, out, err = run_cli(
        "--server", target, "verify", "--file", str(claims), "--json", "--fail-on", "not_found"
    )
    assert code == 1
    assert [(r["claim_id"], r["line"]) for r in map(json.loads, out.splitlines())] == [
        ("c1", 1),
        ("c4", 4),
    ]
    assert f"{claims}:2: rejected by the server: INVALID_ARGUMENT: quote contains a control" in err
    assert f"{claims}:3: rejected by the server: INVALID_ARGUMENT: quote is 20000 characters" in err
    assert err.splitlines()[-1].endswith(
        "4 line(s): 2 claim(s) verified (1 MISATTRIBUTED, 1 VERIFIED), "
        "2 skipped (2 rejected by the server)"
    )


def test_fail_on_sets_the_batch_exit_status(target: str, tmp_path: Path) -> None:
    claims = tmp_path / "claims.jsonl"
    claims.write_text(
        json.dumps({"quote": "That’s why we came here", "speaker": "Kim Jong Un"}), encoding="utf-8"
    )
    base = ["--server", target, "verify", "--file", str(claims)]
    assert run_cli(*base)[0] == 0
    assert run_cli(*base, "--fail-on", "altered,not-found")[0] == 0
    code, out, _ = run_cli(*base, "--fail-on", "misattributed,altered")
    assert code == 3
    assert out.startswith("# line 1\nMISATTRIBUTED")


class Misbehaving(pb_grpc.QuoteTraceServicer):
    """Answers a batch with the claim ids swapped, or stops answering half-way."""

    def __init__(self, how: str) -> None:
        self.how = how

    def VerifyStream(
        self, request_iterator: Iterator[pb.VerifyStreamRequest], context: grpc.ServicerContext
    ) -> Iterator[pb.VerifyStreamResponse]:
        items = list(request_iterator)
        if self.how == "swapped":
            items[0], items[1] = items[1], items[0]
        else:
            items = items[:1]
        for item in items:
            answer = pb.VerifyResponse(verdict=pb.VERDICT_VERIFIED, explanation=item.request.quote)
            yield pb.VerifyStreamResponse(claim_id=item.claim_id, response=answer)


@pytest.mark.parametrize("how", ["swapped", "truncated"])
def test_a_server_that_breaks_the_pairing_stops_the_batch_instead_of_mixing_claims(
    how: str, tmp_path: Path
) -> None:
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    pb_grpc.add_QuoteTraceServicer_to_server(Misbehaving(how), server)  # type: ignore[no-untyped-call]
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        claims = tmp_path / "claims.jsonl"
        claims.write_text(
            "\n".join(json.dumps({"id": f"c{n}", "quote": f"quote {n}"}) for n in (1, 2, 3)),
            encoding="utf-8",
        )
        code, out, err = run_cli(
            "--server", f"127.0.0.1:{port}", "verify", "--file", str(claims), "--json"
        )
    finally:
        server.stop(None)
    assert code == 1
    records = [json.loads(line) for line in out.splitlines()]
    for record in records:  # whatever was printed is paired right
        assert record["response"]["explanation"] == f"quote {record['line']}"
    if how == "swapped":
        assert records == [] and "answered claim '2' out of turn" in err
        assert "line(s) 1, 2, 3 not verified" in err
    else:
        assert [r["claim_id"] for r in records] == ["c1"]
        assert "ended the batch with 2 claim(s) unanswered" in err
    assert err.splitlines()[-1].endswith(
        "3 line(s): "
        + (
            "0 claim(s) verified, 3 skipped (3 batch stopped)"
            if how == "swapped"
            else "1 claim(s) verified (1 VERIFIED), 2 skipped (2 batch stopped)"
        )
    )
