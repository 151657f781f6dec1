"""Verify's question and answer as plain data; api/ maps them to and from protobuf."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from quotetrace_server.attribution.model import QuoteKind
from quotetrace_server.entities.model import EntityKind


class Verdict(StrEnum):
    VERIFIED = "verified"
    ALTERED = "altered"
    MISATTRIBUTED = "misattributed"
    UNATTRIBUTED = "unattributed"
    NOT_FOUND = "not_found"


class MatchSignal(StrEnum):
    """Which signal found the utterance a verdict is about."""

    NONE = "none"  # nothing found
    LEXICAL = "lexical"  # the query's words (term postings + rapidfuzz)
    SEMANTIC = "semantic"  # the query's meaning (sentence embeddings), words not close


class SemanticState(StrEnum):
    """Whether meaning-level look-up was available to this answer."""

    ON = "on"
    OFF = "off"  # the server runs lexical-only (configured)


class DiffOp(StrEnum):
    EQUAL = "equal"
    INSERT = "insert"  # words the variant prints that the query lacks
    DELETE = "delete"  # query words the variant does not print
    REPLACE = "replace"


@dataclass(frozen=True)
class VerifyQuery:
    quote: str
    claimed_speaker: str | None = None
    max_variants: int = 10
    outlet: str | None = None
    date_from: str | None = None  # "YYYY-MM-DD", inclusive
    date_to: str | None = None


@dataclass(frozen=True)
class DiffSegment:
    op: DiffOp
    query_text: str
    variant_text: str


@dataclass(frozen=True)
class Occurrence:
    quote_id: str
    text: str  # exactly the characters printed between the marks at this printing
    article_id: str
    source_name: str | None
    outlet: str | None
    wire_credits: tuple[str, ...]
    title: str | None
    date: str | None
    url: str | None
    start: int
    end: int
    context: str
    kind: QuoteKind
    speaker: str | None
    speaker_mention: str | None
    cue: str | None
    sieve: str | None
    attribution_confidence: float
    resolution: str | None = None  # stage-2 rule that resolved the mention to the speaker
    text_truncated: bool = False  # `text` is the printing's head and tail (verifier.cut_text)


@dataclass(frozen=True)
class Variant:
    text: str
    similarity: float
    exact_match: bool
    diff: tuple[DiffSegment, ...]
    occurrences: tuple[Occurrence, ...]  # a page: the first of `occurrence_count`
    occurrence_count: int = 0  # printings of this wording (after the query's filters)
    text_truncated: bool = False  # `text` is the wording's head and tail

    @property
    def occurrences_omitted(self) -> int:
        return max(0, self.occurrence_count - len(self.occurrences))


@dataclass(frozen=True)
class SpeakerScore:
    speaker_id: str
    name: str
    kind: EntityKind
    aliases: tuple[str, ...]
    probability: float
    occurrence_count: int


@dataclass(frozen=True)
class VerifyResult:
    verdict: Verdict
    confidence: float
    explanation: str
    normalized_query: str
    utterance_id: str | None = None
    speakers: tuple[SpeakerScore, ...] = ()
    variants: tuple[Variant, ...] = ()
    outlets: tuple[tuple[str, int], ...] = ()  # (name, printings), most first
    processors: tuple[str, ...] = field(default=())
    printing_count: int = 0  # printings of the utterance (after the query's filters)
    variant_count: int = 0  # distinct wordings of them (variants holds the closest)
    speakers_omitted: int = 0  # speakers past the answer's cap (the least probable)
    outlets_omitted: int = 0  # outlets past the answer's cap (the fewest printings)
    match_signal: MatchSignal = MatchSignal.NONE
    lexical_score: float = 0.0  # best lexical score of a printing (0-100)
    semantic_similarity: float = 0.0  # cosine of the wording found by meaning (SEMANTIC)
    semantic_state: SemanticState = SemanticState.OFF
    semantic_model: str | None = None  # the embedding model, when semantic search is on
