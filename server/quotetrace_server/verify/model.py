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


class DifferenceKind(StrEnum):
    """What kind of difference between the query and a printed wording (verify/wording.py)."""

    CASE = "case"
    PUNCTUATION = "punctuation"
    CONTRACTION = "contraction"  # "I'm" / "I am"
    SPELLING = "spelling"  # a one-letter slip in a longish word
    WORD = "word"  # a word changed, added or dropped: the wording is altered


@dataclass(frozen=True)
class Difference:
    kind: DifferenceKind
    query_text: str
    variant_text: str


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
class Printing:
    """One printing in a quotation's timeline: when, where, in which words."""

    date: str | None
    outlet: str | None
    wire_credits: tuple[str, ...]
    url: str | None
    title: str | None
    article_id: str
    quote_id: str
    speaker: str | None
    text: str  # as printed (head and tail when over MAX_TEXT_CHARS)
    text_truncated: bool = False
    variant_index: int = 0  # 1-based in VerifyResult.variants; 0: the wording is not listed


@dataclass(frozen=True)
class Variant:
    text: str
    similarity: float
    exact_match: bool
    diff: tuple[DiffSegment, ...]
    occurrences: tuple[Occurrence, ...]  # a page: the first of `occurrence_count`
    occurrence_count: int = 0  # printings of this wording (after the query's filters)
    text_truncated: bool = False  # `text` is the wording's head and tail
    # The query is this wording (or a run of its whole words) up to `differences`, none of
    # them a WORD (exact_match implies it).
    equivalent: bool = False
    differences: tuple[Difference, ...] = ()
    first_appearance: Printing | None = None  # earliest dated printing of this wording

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
    # Printings of the matched utterance (for NOT_FOUND: of the one the query matches
    # without filters) that the query's outlet/date filter leaves out.
    printings_outside_filter: int = 0
    closest: Occurrence | None = None  # NOT_FOUND: the best-scoring printing, if any scored
    closest_similarity: float = 0.0
    # Provenance: the earliest dated printing, and every printing earliest first (undated
    # last), at most MAX_TIMELINE of them.
    first_appearance: Printing | None = None
    timeline: tuple[Printing, ...] = ()
    timeline_omitted: int = 0
