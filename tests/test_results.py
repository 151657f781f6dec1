"""Typed results: enum names instead of integers, and the old protobuf answer unchanged."""

from __future__ import annotations

import dataclasses

import pytest

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_client import QuoteTraceClient, Verdict, VerifyResult
from quotetrace_client.results import DiffOp, QuoteKind, SpeakerKind


def test_every_protobuf_enum_value_has_a_member_of_the_same_name() -> None:
    for proto_enum, prefix, typed in [
        (pb.Verdict, "VERDICT_", Verdict),
        (pb.SpeakerKind, "SPEAKER_KIND_", SpeakerKind),
        (pb.QuoteKind, "QUOTE_KIND_", QuoteKind),
        (pb.DiffOp, "DIFF_OP_", DiffOp),
    ]:
        names = {v.name.removeprefix(prefix) for v in proto_enum.DESCRIPTOR.values}
        assert names == {m.value for m in typed}


def test_a_response_converts_with_names_tuples_and_the_raw_message() -> None:
    raw = pb.VerifyResponse(
        verdict=pb.VERDICT_ALTERED,
        confidence=0.7,
        speakers=[pb.Speaker(name="Ann Example", kind=pb.SPEAKER_KIND_ORGANIZATION)],
        variants=[
            pb.Variant(
                text="we go on",
                diff=[pb.DiffSegment(op=pb.DIFF_OP_INSERT, variant_text="will")],
                occurrences=[pb.Occurrence(kind=pb.QUOTE_KIND_PARTIAL, wire_credits=["W"])],
            )
        ],
        outlets=[pb.OutletCount(name="Example Post", count=2)],
    )
    result = VerifyResult.from_proto(raw)
    assert result.verdict is Verdict.ALTERED and result.verdict == "ALTERED"
    assert f"{result.verdict}" == "ALTERED"
    assert result.speakers[0].kind is SpeakerKind.ORGANIZATION
    assert result.variants[0].diff[0].op is DiffOp.INSERT
    occurrence = result.variants[0].occurrences[0]
    assert occurrence.kind is QuoteKind.PARTIAL and occurrence.wire_credits == ("W",)
    assert result.outlets[0].name == "Example Post" and result.outlets[0].count == 2
    assert result.raw is raw
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.verdict = Verdict.VERIFIED  # type: ignore[misc]


def test_a_value_this_client_does_not_know_reads_as_unspecified() -> None:
    raw = pb.VerifyResponse()
    raw.ParseFromString(b"\x08\x63")  # verdict = 99, from a newer server
    assert raw.verdict == 99
    assert VerifyResult.from_proto(raw).verdict is Verdict.UNSPECIFIED


def test_verify_result_from_the_server_and_verify_still_returns_the_message(
    client: QuoteTraceClient,
) -> None:
    result = client.verify_result("That’s why we came here", "Kim Jong Un")
    assert result.verdict is Verdict.MISATTRIBUTED
    assert result.speakers[0].name == "Vladimir Putin"
    assert result.speakers[0].kind is SpeakerKind.PERSON
    old = client.verify("That’s why we came here", speaker="Kim Jong Un")
    assert isinstance(old, pb.VerifyResponse) and old.verdict == pb.VERDICT_MISATTRIBUTED
    assert result.raw == old
