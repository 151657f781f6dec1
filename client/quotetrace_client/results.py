"""Typed, immutable results: enum members with names ("MISATTRIBUTED"), not integers.

`QuoteTraceClient.verify_result()` returns a `VerifyResult`; `QuoteTraceClient.verify()` still
returns the protobuf message, so existing callers are unchanged. Every result keeps the
message it was made from in `raw`, for fields a newer server adds before this module knows
them. The enums are `StrEnum`s: `result.verdict == "VERIFIED"` holds, and a value a newer
server sends that this client does not know reads as `UNSPECIFIED`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from quotetrace.v1 import quotetrace_pb2 as pb


class Verdict(StrEnum):
    UNSPECIFIED = "UNSPECIFIED"
    VERIFIED = "VERIFIED"
    ALTERED = "ALTERED"
    MISATTRIBUTED = "MISATTRIBUTED"
    UNATTRIBUTED = "UNATTRIBUTED"
    NOT_FOUND = "NOT_FOUND"


class SpeakerKind(StrEnum):
    UNSPECIFIED = "UNSPECIFIED"
    PERSON = "PERSON"
    ORGANIZATION = "ORGANIZATION"


class QuoteKind(StrEnum):
    UNSPECIFIED = "UNSPECIFIED"
    DIRECT = "DIRECT"
    PARTIAL = "PARTIAL"
    CONTINUATION = "CONTINUATION"
    TERM = "TERM"


class DiffOp(StrEnum):
    UNSPECIFIED = "UNSPECIFIED"
    EQUAL = "EQUAL"
    INSERT = "INSERT"
    DELETE = "DELETE"
    REPLACE = "REPLACE"


class DifferenceKind(StrEnum):
    UNSPECIFIED = "UNSPECIFIED"
    CASE = "CASE"
    PUNCTUATION = "PUNCTUATION"
    CONTRACTION = "CONTRACTION"
    SPELLING = "SPELLING"
    WORD = "WORD"


class MatchSignal(StrEnum):
    UNSPECIFIED = "UNSPECIFIED"
    LEXICAL = "LEXICAL"
    SEMANTIC = "SEMANTIC"


class SemanticSearch(StrEnum):
    UNSPECIFIED = "UNSPECIFIED"
    ON = "ON"
    OFF = "OFF"


E = TypeVar(
    "E", Verdict, SpeakerKind, QuoteKind, DiffOp, DifferenceKind, MatchSignal, SemanticSearch
)


def enum_member(kind: type[E], proto_enum: Any, prefix: str, value: int) -> E:
    """The member named like the protobuf value (prefix dropped); UNSPECIFIED if unknown."""
    try:
        name = str(proto_enum.Name(value)).removeprefix(prefix)
    except ValueError:  # a value this client's proto does not have
        return kind("UNSPECIFIED")
    try:
        return kind(name)
    except ValueError:
        return kind("UNSPECIFIED")


@dataclass(frozen=True, slots=True)
class DiffSegment:
    op: DiffOp
    query_text: str
    variant_text: str

    @classmethod
    def from_proto(cls, m: pb.DiffSegment) -> DiffSegment:
        return cls(enum_member(DiffOp, pb.DiffOp, "DIFF_OP_", m.op), m.query_text, m.variant_text)


@dataclass(frozen=True, slots=True)
class Difference:
    """One way a variant's words differ from the query's (only WORD alters the wording)."""

    kind: DifferenceKind
    query_text: str
    variant_text: str

    @classmethod
    def from_proto(cls, m: pb.Difference) -> Difference:
        return cls(
            enum_member(DifferenceKind, pb.DifferenceKind, "DIFFERENCE_KIND_", m.kind),
            m.query_text,
            m.variant_text,
        )


@dataclass(frozen=True, slots=True)
class Printing:
    """One dated printing of the utterance (first appearance, timeline)."""

    date: str
    outlet: str
    wire_credits: tuple[str, ...]
    url: str
    title: str
    article_id: str
    quote_id: str
    speaker: str
    text: str
    text_truncated: bool
    variant_index: int

    @classmethod
    def from_proto(cls, m: pb.Printing) -> Printing:
        return cls(
            date=m.date,
            outlet=m.outlet,
            wire_credits=tuple(m.wire_credits),
            url=m.url,
            title=m.title,
            article_id=m.article_id,
            quote_id=m.quote_id,
            speaker=m.speaker,
            text=m.text,
            text_truncated=m.text_truncated,
            variant_index=m.variant_index,
        )


@dataclass(frozen=True, slots=True)
class Occurrence:
    article_id: str
    outlet: str
    wire_credits: tuple[str, ...]
    title: str
    date: str
    url: str
    start: int
    end: int
    context: str
    speaker: str
    speaker_mention: str
    cue: str
    sieve: str
    attribution_confidence: float
    kind: QuoteKind
    quote_id: str
    source_name: str
    text: str
    resolution: str
    text_truncated: bool

    @classmethod
    def from_proto(cls, m: pb.Occurrence) -> Occurrence:
        return cls(
            article_id=m.article_id,
            outlet=m.outlet,
            wire_credits=tuple(m.wire_credits),
            title=m.title,
            date=m.date,
            url=m.url,
            start=m.start,
            end=m.end,
            context=m.context,
            speaker=m.speaker,
            speaker_mention=m.speaker_mention,
            cue=m.cue,
            sieve=m.sieve,
            attribution_confidence=m.attribution_confidence,
            kind=enum_member(QuoteKind, pb.QuoteKind, "QUOTE_KIND_", m.kind),
            quote_id=m.quote_id,
            source_name=m.source_name,
            text=m.text,
            resolution=m.resolution,
            text_truncated=m.text_truncated,
        )


@dataclass(frozen=True, slots=True)
class Variant:
    text: str
    similarity: float
    exact_match: bool
    diff: tuple[DiffSegment, ...]
    occurrences: tuple[Occurrence, ...]
    occurrence_count: int
    occurrences_omitted: int
    text_truncated: bool
    equivalent: bool
    differences: tuple[Difference, ...]
    first_appearance: Printing | None

    @classmethod
    def from_proto(cls, m: pb.Variant) -> Variant:
        return cls(
            text=m.text,
            similarity=m.similarity,
            exact_match=m.exact_match,
            diff=tuple(DiffSegment.from_proto(d) for d in m.diff),
            occurrences=tuple(Occurrence.from_proto(o) for o in m.occurrences),
            occurrence_count=m.occurrence_count,
            occurrences_omitted=m.occurrences_omitted,
            text_truncated=m.text_truncated,
            equivalent=m.equivalent,
            differences=tuple(Difference.from_proto(d) for d in m.differences),
            first_appearance=(
                Printing.from_proto(m.first_appearance) if m.HasField("first_appearance") else None
            ),
        )


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str
    aliases: tuple[str, ...]
    kind: SpeakerKind
    probability: float
    occurrence_count: int
    speaker_id: str

    @classmethod
    def from_proto(cls, m: pb.Speaker) -> Speaker:
        return cls(
            name=m.name,
            aliases=tuple(m.aliases),
            kind=enum_member(SpeakerKind, pb.SpeakerKind, "SPEAKER_KIND_", m.kind),
            probability=m.probability,
            occurrence_count=m.occurrence_count,
            speaker_id=m.speaker_id,
        )


@dataclass(frozen=True, slots=True)
class OutletCount:
    name: str
    count: int


@dataclass(frozen=True, slots=True)
class VerifyResult:
    verdict: Verdict
    confidence: float
    explanation: str
    normalized_query: str
    utterance_id: str
    speakers: tuple[Speaker, ...]
    variants: tuple[Variant, ...]
    outlets: tuple[OutletCount, ...]
    nlp_processors: tuple[str, ...]
    printing_count: int
    variant_count: int
    speakers_omitted: int
    outlets_omitted: int
    printings_outside_filter: int
    closest: Occurrence | None
    closest_similarity: float
    first_appearance: Printing | None
    timeline: tuple[Printing, ...]
    timeline_omitted: int
    match_signal: MatchSignal
    lexical_score: float
    semantic_similarity: float
    semantic_search: SemanticSearch
    semantic_model: str
    raw: pb.VerifyResponse

    @classmethod
    def from_proto(cls, m: pb.VerifyResponse) -> VerifyResult:
        return cls(
            verdict=enum_member(Verdict, pb.Verdict, "VERDICT_", m.verdict),
            confidence=m.confidence,
            explanation=m.explanation,
            normalized_query=m.normalized_query,
            utterance_id=m.utterance_id,
            speakers=tuple(Speaker.from_proto(s) for s in m.speakers),
            variants=tuple(Variant.from_proto(v) for v in m.variants),
            outlets=tuple(OutletCount(o.name, o.count) for o in m.outlets),
            nlp_processors=tuple(m.nlp_processors),
            printing_count=m.printing_count,
            variant_count=m.variant_count,
            speakers_omitted=m.speakers_omitted,
            outlets_omitted=m.outlets_omitted,
            printings_outside_filter=m.printings_outside_filter,
            closest=Occurrence.from_proto(m.closest) if m.HasField("closest") else None,
            closest_similarity=m.closest_similarity,
            first_appearance=(
                Printing.from_proto(m.first_appearance) if m.HasField("first_appearance") else None
            ),
            timeline=tuple(Printing.from_proto(p) for p in m.timeline),
            timeline_omitted=m.timeline_omitted,
            match_signal=enum_member(MatchSignal, pb.MatchSignal, "MATCH_SIGNAL_", m.match_signal),
            lexical_score=m.lexical_score,
            semantic_similarity=m.semantic_similarity,
            semantic_search=enum_member(
                SemanticSearch, pb.SemanticSearch, "SEMANTIC_SEARCH_", m.semantic_search
            ),
            semantic_model=m.semantic_model,
            raw=m,
        )


@dataclass(frozen=True, slots=True)
class QuoteRecord:
    """One stored quotation (ListQuotes)."""

    quote_id: str
    article_id: str
    text: str
    start: int
    end: int
    kind: QuoteKind
    speaker: str
    speaker_mention: str
    cue: str
    sieve: str
    confidence: float
    utterance_id: str
    outlet: str

    @classmethod
    def from_proto(cls, m: pb.Quote) -> QuoteRecord:
        return cls(
            quote_id=m.quote_id,
            article_id=m.article_id,
            text=m.text,
            start=m.start,
            end=m.end,
            kind=enum_member(QuoteKind, pb.QuoteKind, "QUOTE_KIND_", m.kind),
            speaker=m.speaker,
            speaker_mention=m.speaker_mention,
            cue=m.cue,
            sieve=m.sieve,
            confidence=m.confidence,
            utterance_id=m.utterance_id,
            outlet=m.outlet,
        )


@dataclass(frozen=True, slots=True)
class SpeakerForm:
    form: str
    quote_count: int


@dataclass(frozen=True, slots=True)
class SpeakerResult:
    """A speaker looked up by any of its names (GetSpeaker)."""

    speaker: Speaker
    article_ids: tuple[str, ...]
    ambiguous: bool
    candidates: tuple[Speaker, ...]
    forms: tuple[SpeakerForm, ...]
    evidence: tuple[str, ...]
    raw: pb.GetSpeakerResponse

    @classmethod
    def from_proto(cls, m: pb.GetSpeakerResponse) -> SpeakerResult:
        return cls(
            speaker=Speaker.from_proto(m.speaker),
            article_ids=tuple(m.article_ids),
            ambiguous=m.ambiguous,
            candidates=tuple(Speaker.from_proto(s) for s in m.candidates),
            forms=tuple(SpeakerForm(f.form, f.quote_count) for f in m.forms),
            evidence=tuple(m.evidence),
            raw=m,
        )


@dataclass(frozen=True, slots=True)
class Stats:
    """The corpus's size (GetStats)."""

    article_count: int
    quote_count: int
    speaker_count: int
    utterance_count: int
    outlet_count: int
    nlp_processors: tuple[str, ...]
    server_version: str

    @classmethod
    def from_proto(cls, m: pb.GetStatsResponse) -> Stats:
        return cls(
            article_count=m.article_count,
            quote_count=m.quote_count,
            speaker_count=m.speaker_count,
            utterance_count=m.utterance_count,
            outlet_count=m.outlet_count,
            nlp_processors=tuple(m.nlp_processors),
            server_version=m.server_version,
        )
