"""Typed results: enum names instead of integers, and the old protobuf answer unchanged."""

from __future__ import annotations

import dataclasses

import pytest
from google.protobuf.message import Message

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_client import QuoteTraceClient, Verdict, VerifyResult
from quotetrace_client.results import (
    Difference,
    DifferenceKind,
    DiffOp,
    MatchSignal,
    Occurrence,
    Printing,
    QuoteKind,
    SemanticSearch,
    SpeakerKind,
    Variant,
)


def test_every_protobuf_enum_value_has_a_member_of_the_same_name() -> None:
    for proto_enum, prefix, typed in [
        (pb.Verdict, "VERDICT_", Verdict),
        (pb.SpeakerKind, "SPEAKER_KIND_", SpeakerKind),
        (pb.QuoteKind, "QUOTE_KIND_", QuoteKind),
        (pb.DiffOp, "DIFF_OP_", DiffOp),
        (pb.DifferenceKind, "DIFFERENCE_KIND_", DifferenceKind),
        (pb.MatchSignal, "MATCH_SIGNAL_", MatchSignal),
        (pb.SemanticSearch, "SEMANTIC_SEARCH_", SemanticSearch),
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


@pytest.mark.parametrize(
    ("message", "typed"),
    [
        (pb.VerifyResponse, VerifyResult),
        (pb.Variant, Variant),
        (pb.Occurrence, Occurrence),
        (pb.Printing, Printing),
        (pb.Difference, Difference),
    ],
)
def test_every_field_of_a_verify_message_has_a_typed_attribute(
    message: type[Message], typed: type
) -> None:
    fields = {f.name for f in message.DESCRIPTOR.fields}
    assert fields <= {f.name for f in dataclasses.fields(typed)}


def test_provenance_semantic_and_difference_fields_convert_with_names() -> None:
    first = pb.Printing(date="2024-03-01", outlet="Example Post", variant_index=1)
    raw = pb.VerifyResponse(
        verdict=pb.VERDICT_VERIFIED,
        variants=[
            pb.Variant(
                text="We’ll go on",
                equivalent=True,
                differences=[
                    pb.Difference(
                        kind=pb.DIFFERENCE_KIND_CONTRACTION,
                        query_text="We will",
                        variant_text="We’ll",
                    )
                ],
                first_appearance=first,
                occurrence_count=3,
            )
        ],
        first_appearance=first,
        timeline=[first, pb.Printing(outlet="Undated Weekly")],
        match_signal=pb.MATCH_SIGNAL_LEXICAL,
        semantic_search=pb.SEMANTIC_SEARCH_OFF,
        printing_count=3,
    )
    result = VerifyResult.from_proto(raw)
    variant = result.variants[0]
    assert variant.equivalent and variant.occurrence_count == 3
    assert variant.differences[0].kind is DifferenceKind.CONTRACTION
    assert variant.differences[0].variant_text == "We’ll"
    assert variant.first_appearance is not None and variant.first_appearance.date == "2024-03-01"
    assert result.first_appearance == variant.first_appearance
    assert [p.outlet for p in result.timeline] == ["Example Post", "Undated Weekly"]
    assert result.match_signal is MatchSignal.LEXICAL
    assert result.semantic_search is SemanticSearch.OFF
    assert result.closest is None and result.printing_count == 3


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
